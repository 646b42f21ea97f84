//! Stateful limits (`limits:` on an allow rule): spending caps and rate limits over sliding time
//! windows. This module is pure: the compiled form of a limit, counter keys, and the check of one
//! limit against a history of earlier consumption. Where the history comes from (the data
//! directory's counter index, or a suite's simulated `history:`) is the caller's business.
//!
//! Cost: a key's entries are kept in a [`Counter`] (sorted by time, with running sums per
//! currency), so the use of a window is two binary searches, O(log n) in the key's entries; a
//! [`History`] lends the index's counters to a batch of decisions instead of copying them.
//!
//! Semantics (documented for users in `docs/policy.md`):
//! - A limit counts earlier **ALLOW** decisions of the *same rule* whose counter key equals this
//!   action's key. The key is the rule id plus the values of the `per` scopes (`agent` = the
//!   action's `principal.agent_id`, `owner` = the agent's owner id, any other name = that
//!   `payload` field, `null` when absent).
//! - Windows slide: an entry counts while `now - window < at <= ...` (entries in the future, e.g.
//!   after a clock step back, count too).
//! - `max_amount_minor` sums `payload.amount_minor` of entries **in the same currency** as this
//!   action (`payload.currency`; absent currency is its own "currency"): amounts in different
//!   currencies are never added, each currency has its own counter against the same maximum.
//!   `max_count` counts entries whatever their currency.
//! - The action passes a limit when `used + this <= max`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Longest window accepted (a limit over more than a year is a policy mistake, and the counter
/// index prunes by the longest window).
pub const MAX_WINDOW_SECS: u64 = 366 * 86_400;

/// What a limit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// `max_amount_minor`: sum of `payload.amount_minor`, per currency.
    AmountMinor(u64),
    /// `max_count`: number of decisions.
    Count(u64),
}

impl Measure {
    pub fn max(self) -> u64 {
        match self {
            Measure::AmountMinor(m) | Measure::Count(m) => m,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Measure::AmountMinor(_) => "max_amount_minor",
            Measure::Count(_) => "max_count",
        }
    }
}

/// One `per` scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Agent,
    Owner,
    /// A `payload` field.
    Field(String),
}

impl Scope {
    pub fn name(&self) -> &str {
        match self {
            Scope::Agent => "agent",
            Scope::Owner => "owner",
            Scope::Field(f) => f,
        }
    }
}

/// A compiled `limits:` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub window_secs: u64,
    /// As written (`24h`), for messages.
    pub window: String,
    pub measure: Measure,
    /// Sorted and de-duplicated, never empty (default `[agent]`).
    pub per: Vec<Scope>,
}

/// Parses a window: a positive whole number followed by `s`, `m`, `h` or `d`.
pub fn parse_window(s: &str) -> Result<u64, String> {
    let help = "write a positive whole number and one unit: `30s`, `15m`, `24h`, `7d`";
    let Some(unit) = s.chars().last() else {
        return Err(format!("the window is empty; {help}"));
    };
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(format!("`{s}` does not end in a unit; {help}")),
    };
    let digits = &s[..s.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{s}` is not a window; {help}"));
    }
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is too long; the longest window is 366d"))?;
    if n == 0 {
        return Err(format!("`{s}` is an empty window; {help}"));
    }
    let secs = n
        .checked_mul(mult)
        .filter(|v| *v <= MAX_WINDOW_SECS)
        .ok_or_else(|| format!("`{s}` is too long; the longest window is 366d"))?;
    Ok(secs)
}

/// One earlier consumption in a counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Audit `seq` of the `DECISION_CREATED` event (0 for simulated history).
    pub seq: u64,
    /// Decision time, milliseconds since the Unix epoch.
    pub at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_minor: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// The consumption of one counter key, kept so that the use of any window costs O(log n).
///
/// Entries are sorted by `(at_ms, seq)` and `entries[start..]` are the live ones (a pruned prefix
/// is dropped lazily, so pruning is amortised O(1) per entry). The count of a window is
/// positional; amounts are summed per currency by a [`Lane`] of running sums. An entry arriving
/// in time order is appended; an older one is inserted in place (O(entries after it)).
#[derive(Debug, Clone, Default)]
pub struct Counter {
    entries: Vec<Entry>,
    start: usize,
    /// Entries without a currency (their own "currency").
    no_currency: Lane,
    currencies: HashMap<String, Lane>,
    /// The largest `seq` ever added (entries are added idempotently by `seq`).
    max_seq: u64,
}

/// The entries of one currency of a [`Counter`]: their times and running sums of their amounts.
#[derive(Debug, Clone, Default)]
struct Lane {
    /// Sorted; `at[start..]` are live.
    at: Vec<i64>,
    /// `before[i]`: the sum of the amounts of the entries before `i` (dropped ones included), so
    /// the entries `i..` sum to `total - before[i]`. `u128`: no sum of `u64`s can overflow it.
    before: Vec<u128>,
    total: u128,
    start: usize,
}

impl Lane {
    fn insert(&mut self, at_ms: i64, amount: u64) {
        let i = self.start + self.at[self.start..].partition_point(|t| *t <= at_ms);
        let b = self.before.get(i).copied().unwrap_or(self.total);
        self.at.insert(i, at_ms);
        self.before.insert(i, b);
        let add = u128::from(amount);
        for s in &mut self.before[i + 1..] {
            *s += add;
        }
        self.total += add;
    }

    /// The sum of the live entries after `after_ms` and the oldest of their times.
    fn after(&self, after_ms: i64) -> (u128, Option<i64>) {
        let i = self.start + self.at[self.start..].partition_point(|t| *t <= after_ms);
        match (self.at.get(i), self.before.get(i)) {
            (Some(t), Some(b)) => (self.total - b, Some(*t)),
            _ => (0, None),
        }
    }

    /// Drops the entries at or before `until_ms`.
    fn prune(&mut self, until_ms: i64) {
        self.start += self.at[self.start..].partition_point(|t| *t <= until_ms);
        if self.start > 0 && self.start * 2 >= self.at.len() {
            self.at.drain(..self.start);
            self.before.drain(..self.start);
            self.start = 0;
        }
    }

    fn is_empty(&self) -> bool {
        self.start == self.at.len()
    }
}

impl PartialEq for Counter {
    fn eq(&self, other: &Counter) -> bool {
        self.entries() == other.entries()
    }
}

impl Counter {
    /// A counter of `entries` (in any order).
    pub fn from_entries(mut entries: Vec<Entry>) -> Counter {
        entries.sort_by_key(|e| (e.at_ms, e.seq));
        let mut c = Counter::default();
        for e in &entries {
            c.max_seq = c.max_seq.max(e.seq);
            c.lane_mut(e.currency.as_deref())
                .insert(e.at_ms, e.amount_minor.unwrap_or(0));
        }
        c.entries = entries;
        c
    }

    /// The live entries, sorted by `(at_ms, seq)`.
    pub fn entries(&self) -> &[Entry] {
        &self.entries[self.start..]
    }

    pub fn len(&self) -> usize {
        self.entries.len() - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The largest `seq` ever added (0 for none).
    pub fn max_seq(&self) -> u64 {
        self.max_seq
    }

    fn lane_mut(&mut self, currency: Option<&str>) -> &mut Lane {
        match currency {
            None => &mut self.no_currency,
            Some(c) => self.currencies.entry(c.to_string()).or_default(),
        }
    }

    fn lane(&self, currency: Option<&str>) -> Option<&Lane> {
        match currency {
            None => Some(&self.no_currency),
            Some(c) => self.currencies.get(c),
        }
    }

    /// Adds an entry (any order: it is placed by its time).
    pub fn insert(&mut self, entry: Entry) {
        self.max_seq = self.max_seq.max(entry.seq);
        self.lane_mut(entry.currency.as_deref())
            .insert(entry.at_ms, entry.amount_minor.unwrap_or(0));
        let key = (entry.at_ms, entry.seq);
        let i =
            self.start + self.entries[self.start..].partition_point(|e| (e.at_ms, e.seq) <= key);
        self.entries.insert(i, entry);
    }

    /// How many live entries are at or before `until_ms`.
    pub fn count_until(&self, until_ms: i64) -> usize {
        self.entries().partition_point(|e| e.at_ms <= until_ms)
    }

    /// Drops the entries at or before `until_ms`.
    pub fn prune(&mut self, until_ms: i64) {
        self.start += self.count_until(until_ms);
        if self.start > 0 && self.start * 2 >= self.entries.len() {
            self.entries.drain(..self.start);
            self.start = 0;
        }
        self.no_currency.prune(until_ms);
        self.currencies.retain(|_, l| {
            l.prune(until_ms);
            !l.is_empty()
        });
    }

    /// What `measure` counts among the entries after `after_ms` (saturated at `u64::MAX`), and the
    /// oldest time among the entries it counts.
    pub fn after(
        &self,
        measure: Measure,
        after_ms: i64,
        currency: Option<&str>,
    ) -> (u64, Option<i64>) {
        match measure {
            Measure::Count(_) => {
                let i = self.start + self.count_until(after_ms);
                let n = self.entries.len() - i;
                (n as u64, self.entries.get(i).map(|e| e.at_ms))
            }
            Measure::AmountMinor(_) => self.lane(currency).map_or((0, None), |l| {
                let (sum, oldest) = l.after(after_ms);
                (u64::try_from(sum).unwrap_or(u64::MAX), oldest)
            }),
        }
    }

    /// The use of `limit`'s window at `now_ms` (in `currency` for amounts).
    pub fn usage(&self, limit: &Limit, now_ms: i64, currency: Option<&str>) -> Usage {
        let (used, oldest) = self.after(limit.measure, window_start(limit, now_ms), currency);
        Usage::new(limit, used, oldest)
    }
}

/// A source of earlier consumption of one counter key: an in-memory [`Counter`], or a counter
/// file searched in place (the CLI reads only the windows it checks).
pub trait Window: std::fmt::Debug + Sync {
    /// What `measure` counts among the entries after `after_ms` (saturated at `u64::MAX`), and
    /// the oldest time among the entries it counts (as [`Counter::after`]).
    fn after(&self, measure: Measure, after_ms: i64, currency: Option<&str>) -> (u64, Option<i64>);
    /// Every entry, sorted by `(at_ms, seq)` (for tests and tools).
    fn all_entries(&self) -> Vec<Entry>;
    /// Why an answer could not be read (the answers given since then count as exhausted).
    fn error(&self) -> Option<String> {
        None
    }
}

impl Window for Counter {
    fn after(&self, measure: Measure, after_ms: i64, currency: Option<&str>) -> (u64, Option<i64>) {
        Counter::after(self, measure, after_ms, currency)
    }

    fn all_entries(&self) -> Vec<Entry> {
        self.entries().to_vec()
    }
}

/// Earlier consumption by counter key: counters borrowed from the counter index (not copied: a
/// counter can hold a whole window of entries) plus entries added since (by the decisions before
/// this one in a batch, or a simulated history).
#[derive(Debug, Clone, Default)]
pub struct History<'a> {
    base: HashMap<String, &'a dyn Window>,
    added: HashMap<String, Counter>,
}

impl<'a> History<'a> {
    /// Uses `counter` as the earlier consumption of `key` (entries pushed for `key` add to it).
    pub fn set_base(&mut self, key: String, counter: &'a Counter) {
        self.base.insert(key, counter);
    }

    /// Uses `source` (e.g. a counter file) as the earlier consumption of `key`.
    pub fn set_source(&mut self, key: String, source: &'a dyn Window) {
        self.base.insert(key, source);
    }

    /// The first error of a source (see [`Window::error`]).
    pub fn error(&self) -> Option<String> {
        self.base.values().find_map(|w| w.error())
    }

    /// All entries of `key`, sorted by `(at_ms, seq)` (a copy: for tests and tools).
    pub fn entries(&self, key: &str) -> Vec<Entry> {
        let mut out: Vec<Entry> = self
            .base
            .get(key)
            .map(|c| c.all_entries())
            .unwrap_or_default();
        if let Some(c) = self.added.get(key) {
            out.extend_from_slice(c.entries());
        }
        out.sort_by_key(|e| (e.at_ms, e.seq));
        out
    }

    /// Adds an entry (order does not matter: windows are summed by time, not position).
    pub fn push(&mut self, key: String, entry: Entry) {
        self.added.entry(key).or_default().insert(entry);
    }

    /// The use of `limit`'s window at `now_ms` by the entries of `key` (in `currency` for
    /// amounts).
    pub fn usage(&self, key: &str, limit: &Limit, now_ms: i64, currency: Option<&str>) -> Usage {
        let start = window_start(limit, now_ms);
        let mut used: u64 = 0;
        let mut oldest: Option<i64> = None;
        let added = self.added.get(key).map(|c| c as &dyn Window);
        for c in [self.base.get(key).copied(), added].into_iter().flatten() {
            let (u, o) = c.after(limit.measure, start, currency);
            used = used.saturating_add(u);
            oldest = match (oldest, o) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        Usage::new(limit, used, oldest)
    }
}

/// What the engine needs to check limits: the decision time, the owner of the agent (for
/// `per: owner`) and the history.
#[derive(Debug, Clone, Copy)]
pub struct LimitCx<'a> {
    pub now_ms: i64,
    pub owner_id: Option<&'a str>,
    pub history: &'a History<'a>,
}

/// One recorded consumption (an element of `limits_consumed` in `DECISION_CREATED`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumption {
    pub rule_id: String,
    pub key: String,
    pub at: String,
    pub amount_minor: Option<u64>,
    pub currency: Option<String>,
}

/// Why a limit did not pass, for the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitFailure {
    pub limit_index: usize,
    pub window: String,
    pub measure: &'static str,
    pub max: u64,
    /// Use of the window before this action.
    pub used: u64,
    /// What this action would add (`None` when it cannot be measured).
    pub requested: Option<u64>,
    pub remaining: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// When the oldest counted entry leaves the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frees_at: Option<String>,
    pub message: String,
}

/// Milliseconds since the epoch of an RFC 3339 timestamp.
pub fn ms_of(s: &str) -> Option<i64> {
    crate::timefmt::parse(s).map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// RFC 3339 (ms) of milliseconds since the epoch.
pub fn format_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(crate::timefmt::format)
        .unwrap_or_else(|_| ms.to_string())
}

/// `payload.amount_minor` as a whole non-negative number.
pub fn amount_of(action: &Value) -> Option<u64> {
    let v = action.get("payload")?.get("amount_minor")?;
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < 9.0e15)
            .map(|f| f as u64)
    })
}

pub fn currency_of(action: &Value) -> Option<String> {
    action
        .get("payload")?
        .get("currency")?
        .as_str()
        .map(str::to_string)
}

/// The counter key of `limit` of rule `rule_id` for `action`: the canonical JSON text
/// `["<rule id>",{"<scope>":<value>,…}]` with scopes in sorted order. `Err` when a scope cannot
/// key a counter (a payload field that is an object or a list).
pub fn counter_key(
    rule_id: &str,
    per: &[Scope],
    action: &Value,
    owner_id: Option<&str>,
) -> Result<String, String> {
    let mut scopes = Map::new();
    for s in per {
        let v = match s {
            Scope::Agent => action
                .get("principal")
                .and_then(|p| p.get("agent_id"))
                .cloned()
                .unwrap_or(Value::Null),
            Scope::Owner => owner_id.map_or(Value::Null, Value::from),
            Scope::Field(f) => {
                let v = action
                    .get("payload")
                    .and_then(|p| p.get(f))
                    .cloned()
                    .unwrap_or(Value::Null);
                if v.is_object() || v.is_array() {
                    return Err(format!(
                        "`per: {f}` cannot scope a counter: payload.{f} is {}",
                        if v.is_object() { "an object" } else { "a list" }
                    ));
                }
                v
            }
        };
        scopes.insert(s.name().to_string(), v);
    }
    Ok(json!([rule_id, scopes]).to_string())
}

/// Parses a counter key back into its rule id and scope values.
pub fn parse_key(key: &str) -> Option<(String, Map<String, Value>)> {
    let v: Value = serde_json::from_str(key).ok()?;
    let arr = v.as_array()?;
    Some((
        arr.first()?.as_str()?.to_string(),
        arr.get(1)?.as_object()?.clone(),
    ))
}

/// Use of one limit's window.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub used: u64,
    pub remaining: u64,
    pub frees_at_ms: Option<i64>,
}

impl Usage {
    fn new(limit: &Limit, used: u64, oldest: Option<i64>) -> Usage {
        Usage {
            used,
            remaining: limit.measure.max().saturating_sub(used),
            frees_at_ms: oldest.map(|o| o.saturating_add(limit.window_secs as i64 * 1000)),
        }
    }
}

/// Entries count in `limit`'s window at `now_ms` when they are later than this.
pub fn window_start(limit: &Limit, now_ms: i64) -> i64 {
    now_ms.saturating_sub(limit.window_secs as i64 * 1000)
}

/// Checks every limit of a rule; `Err` names the first one the action would exceed.
pub fn check_rule(
    rule_id: &str,
    limits: &[Limit],
    action: &Value,
    cx: &LimitCx<'_>,
) -> Result<(), Box<LimitFailure>> {
    let currency = currency_of(action);
    for (i, limit) in limits.iter().enumerate() {
        let fail = |used: u64, requested: Option<u64>, u: Option<&Usage>, message: String| {
            Box::new(LimitFailure {
                limit_index: i,
                window: limit.window.clone(),
                measure: limit.measure.key(),
                max: limit.measure.max(),
                used,
                requested,
                remaining: limit.measure.max().saturating_sub(used),
                currency: matches!(limit.measure, Measure::AmountMinor(_))
                    .then(|| currency.clone())
                    .flatten(),
                frees_at: u.and_then(|u| u.frees_at_ms).map(format_ms),
                message,
            })
        };
        let key = match counter_key(rule_id, &limit.per, action, cx.owner_id) {
            Ok(k) => k,
            Err(msg) => return Err(fail(0, None, None, msg)),
        };
        let u = cx
            .history
            .usage(&key, limit, cx.now_ms, currency.as_deref());
        let requested = match limit.measure {
            Measure::Count(_) => 1,
            Measure::AmountMinor(_) => match amount_of(action) {
                Some(a) => a,
                None => {
                    return Err(fail(
                        u.used,
                        None,
                        Some(&u),
                        "payload.amount_minor is missing or not a whole non-negative number, so the amount limit cannot be checked".into(),
                    ));
                }
            },
        };
        if u.used.saturating_add(requested) > limit.measure.max() {
            let what = match limit.measure {
                Measure::Count(m) => format!("{m} decisions"),
                Measure::AmountMinor(m) => format!(
                    "{m} minor units{}",
                    currency
                        .as_deref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default()
                ),
            };
            let msg = format!(
                "limit {i} ({what} per {}): {} used, {} remaining, this action needs {requested}",
                limit.window, u.used, u.remaining
            );
            return Err(fail(u.used, Some(requested), Some(&u), msg));
        }
    }
    Ok(())
}

/// A limit whose use an ALLOW moved from below `ratio` of its maximum to at or above it (the
/// `limits.near_cap` notification, SPEC §16).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearCap {
    pub limit_index: usize,
    pub key: String,
    pub window: String,
    pub measure: &'static str,
    pub max: u64,
    /// Use of the window including this action.
    pub used: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// The limits of a rule that `action` (which passed them) moves across `ratio` of their maximum.
/// Call before the action's consumption is added to `cx.history`. Reported once per crossing:
/// an action that finds the use already at or above the ratio reports nothing; the use only
/// falls below it again as the window slides, and the next crossing is reported again. Costs one
/// window lookup (O(log n)) per limit.
pub fn crossings(
    rule_id: &str,
    limits: &[Limit],
    action: &Value,
    cx: &LimitCx<'_>,
    ratio: f64,
) -> Vec<NearCap> {
    let currency = currency_of(action);
    let mut out = Vec::new();
    for (i, limit) in limits.iter().enumerate() {
        let Ok(key) = counter_key(rule_id, &limit.per, action, cx.owner_id) else {
            continue;
        };
        let currency = match limit.measure {
            Measure::Count(_) => None,
            Measure::AmountMinor(_) => currency.clone(),
        };
        let before = cx
            .history
            .usage(&key, limit, cx.now_ms, currency.as_deref())
            .used;
        let requested = match limit.measure {
            Measure::Count(_) => 1,
            Measure::AmountMinor(_) => amount_of(action).unwrap_or(0),
        };
        let after = before.saturating_add(requested);
        let threshold = ratio * limit.measure.max() as f64;
        if limit.measure.max() > 0 && (before as f64) < threshold && after as f64 >= threshold {
            out.push(NearCap {
                limit_index: i,
                key,
                window: limit.window.clone(),
                measure: limit.measure.key(),
                max: limit.measure.max(),
                used: after,
                currency,
            });
        }
    }
    out
}

/// What an ALLOW by this rule consumes: one entry per distinct counter key of its limits.
pub fn consumption(
    rule_id: &str,
    limits: &[Limit],
    action: &Value,
    owner_id: Option<&str>,
    now_ms: i64,
) -> Vec<Consumption> {
    let mut out: Vec<Consumption> = Vec::new();
    for limit in limits {
        let Ok(key) = counter_key(rule_id, &limit.per, action, owner_id) else {
            continue;
        };
        if out.iter().any(|c| c.key == key) {
            continue;
        }
        out.push(Consumption {
            rule_id: rule_id.to_string(),
            key,
            at: format_ms(now_ms),
            amount_minor: amount_of(action),
            currency: currency_of(action),
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_bad_ones_say_why() {
        assert_eq!(parse_window("30s").unwrap(), 30);
        assert_eq!(parse_window("15m").unwrap(), 900);
        assert_eq!(parse_window("24h").unwrap(), 86_400);
        assert_eq!(parse_window("7d").unwrap(), 604_800);
        for bad in [
            "0h",
            "-1d",
            "1y2",
            "",
            "h",
            "1.5h",
            "24",
            "1y",
            "367d",
            "99999999999999999999d",
        ] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
        assert!(parse_window("0h").unwrap_err().contains("empty window"));
    }

    fn limit(window: &str, m: Measure, per: Vec<Scope>) -> Limit {
        Limit {
            window_secs: parse_window(window).unwrap(),
            window: window.into(),
            measure: m,
            per,
        }
    }

    fn action(amount: Value, currency: &str, merchant: Value) -> Value {
        json!({"principal": {"agent_id": "a1"},
               "payload": {"amount_minor": amount, "currency": currency, "merchant_domain": merchant}})
    }

    #[test]
    fn keys_are_canonical_and_refuse_objects() {
        let a = action(json!(5), "USD", json!("shop.example"));
        let k = counter_key(
            "r",
            &[Scope::Agent, Scope::Field("merchant_domain".into())],
            &a,
            None,
        )
        .unwrap();
        assert_eq!(
            k,
            r#"["r",{"agent":"a1","merchant_domain":"shop.example"}]"#
        );
        assert_eq!(parse_key(&k).unwrap().0, "r");
        let o = action(json!(5), "USD", json!({"x": 1}));
        let e = counter_key("r", &[Scope::Field("merchant_domain".into())], &o, None).unwrap_err();
        assert!(e.contains("an object"), "{e}");
        let k = counter_key("r", &[Scope::Owner], &a, Some("o1")).unwrap();
        assert_eq!(k, r#"["r",{"owner":"o1"}]"#);
    }

    #[test]
    fn sliding_window_sums_per_currency_and_reports_the_remainder() {
        let l = limit("1h", Measure::AmountMinor(5000), vec![Scope::Agent]);
        let a = action(json!(1000), "USD", Value::Null);
        let key = counter_key("r", &l.per, &a, None).unwrap();
        let mut h = History::default();
        let now = 10_000_000;
        for (i, (ago, amount, cur)) in [
            (7_200_000, 9000, "USD"), // outside the window
            (3_000_000, 2000, "USD"),
            (1_000_000, 2000, "USD"),
            (500_000, 4000, "EUR"), // other currency: its own counter
        ]
        .into_iter()
        .enumerate()
        {
            h.push(
                key.clone(),
                Entry {
                    seq: i as u64,
                    at_ms: now - ago,
                    amount_minor: Some(amount),
                    currency: Some(cur.into()),
                },
            );
        }
        let cx = LimitCx {
            now_ms: now,
            owner_id: None,
            history: &h,
        };
        assert!(check_rule("r", std::slice::from_ref(&l), &a, &cx).is_ok());
        let big = action(json!(1001), "USD", Value::Null);
        let f = check_rule("r", std::slice::from_ref(&l), &big, &cx).unwrap_err();
        assert_eq!((f.used, f.remaining, f.requested), (4000, 1000, Some(1001)));
        assert_eq!(
            f.frees_at.as_deref(),
            Some(format_ms(now - 3_000_000 + 3_600_000).as_str())
        );
        let eur = action(json!(1000), "EUR", Value::Null);
        assert!(check_rule("r", std::slice::from_ref(&l), &eur, &cx).is_ok());
        let count = limit("1h", Measure::Count(3), vec![Scope::Agent]);
        let f = check_rule("r", &[count], &a, &cx).unwrap_err();
        assert_eq!((f.used, f.remaining), (3, 0));
        let frac = action(json!(10.5), "USD", Value::Null);
        let f = check_rule("r", std::slice::from_ref(&l), &frac, &cx).unwrap_err();
        assert!(f.message.contains("whole"), "{}", f.message);
    }

    /// The straightforward use of a window (a pass over every entry): what [`Counter`] and
    /// [`History`] must agree with.
    fn reference_usage(
        limit: &Limit,
        entries: &[Entry],
        now_ms: i64,
        currency: Option<&str>,
    ) -> Usage {
        let start = now_ms.saturating_sub(limit.window_secs as i64 * 1000);
        let mut used: u64 = 0;
        let mut oldest: Option<i64> = None;
        for e in entries.iter().filter(|e| e.at_ms > start) {
            let add = match limit.measure {
                Measure::Count(_) => 1,
                Measure::AmountMinor(_) => {
                    if e.currency.as_deref() != currency {
                        continue;
                    }
                    e.amount_minor.unwrap_or(0)
                }
            };
            used = used.saturating_add(add);
            oldest = Some(oldest.map_or(e.at_ms, |o: i64| o.min(e.at_ms)));
        }
        Usage {
            used,
            remaining: limit.measure.max().saturating_sub(used),
            frees_at_ms: oldest.map(|o| o.saturating_add(limit.window_secs as i64 * 1000)),
        }
    }

    /// splitmix64: deterministic, no dependency (also used by the counter index's tests).
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        pub(crate) fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    const CURRENCIES: [Option<&str>; 4] = [None, Some("USD"), Some("EUR"), Some("JPY")];

    fn random_entry(r: &mut Rng, seq: u64) -> Entry {
        Entry {
            seq,
            // A small range of whole seconds, so times repeat and land on window boundaries.
            at_ms: 1_000_000 + r.below(40) as i64 * 1000,
            amount_minor: match r.below(10) {
                0 => None,
                1 => Some(u64::MAX / 3),
                _ => Some(r.below(10_000)),
            },
            currency: CURRENCIES[r.below(3) as usize].map(str::to_string),
        }
    }

    /// Every limit kind at several times, including ones whose window starts exactly at an
    /// entry's time; every currency, and one no entry has.
    fn assert_same_use(counted: impl Fn(&Limit, i64, Option<&str>) -> Usage, reference: &[Entry]) {
        for window in ["1s", "5s", "17s", "30s", "1h"] {
            for measure in [Measure::Count(25), Measure::AmountMinor(50_000)] {
                let l = limit(window, measure, vec![Scope::Agent]);
                for now in (990_000..1_050_000).step_by(1000).chain([1_020_500]) {
                    for currency in CURRENCIES {
                        assert_eq!(
                            counted(&l, now, currency),
                            reference_usage(&l, reference, now, currency),
                            "{window} {measure:?} at {now} in {currency:?} of {reference:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn counters_agree_with_a_pass_over_every_entry() {
        let mut r = Rng(7);
        for round in 0..300 {
            let n = match round {
                0 => 0,
                1 => 1,
                _ => r.below(60),
            };
            let entries: Vec<Entry> = (0..n).map(|i| random_entry(&mut r, i + 1)).collect();
            // Built at once, and one entry at a time in the (unsorted) order given.
            let whole = Counter::from_entries(entries.clone());
            let mut one_by_one = Counter::default();
            for e in &entries {
                one_by_one.insert(e.clone());
            }
            let mut sorted = entries.clone();
            sorted.sort_by_key(|e| (e.at_ms, e.seq));
            assert_eq!(whole.entries(), sorted.as_slice());
            assert_eq!(one_by_one.entries(), sorted.as_slice());
            assert_eq!(whole.max_seq(), n);
            assert_same_use(|l, now, c| whole.usage(l, now, c), &entries);
            assert_same_use(|l, now, c| one_by_one.usage(l, now, c), &entries);
        }
    }

    #[test]
    fn pruned_counters_agree_with_a_pass_over_the_rest() {
        let mut r = Rng(11);
        for _ in 0..200 {
            let mut reference: Vec<Entry> = Vec::new();
            let mut c = Counter::default();
            let mut seq = 0;
            for _ in 0..4 {
                // Append (sometimes older than what was pruned), then prune a prefix.
                for _ in 0..r.below(30) {
                    seq += 1;
                    let e = random_entry(&mut r, seq);
                    reference.push(e.clone());
                    c.insert(e);
                }
                let until = 1_000_000 + r.below(45) as i64 * 1000 - 1000;
                let expired = reference.iter().filter(|e| e.at_ms <= until).count();
                assert_eq!(c.count_until(until), expired);
                reference.retain(|e| e.at_ms > until);
                c.prune(until);
                assert_eq!(c.len(), reference.len());
                assert_same_use(|l, now, cur| c.usage(l, now, cur), &reference);
            }
            // A prune past everything, then new entries.
            c.prune(i64::MAX);
            reference.clear();
            assert!(c.is_empty());
            assert_same_use(|l, now, cur| c.usage(l, now, cur), &reference);
            for _ in 0..5 {
                seq += 1;
                let e = random_entry(&mut r, seq);
                reference.push(e.clone());
                c.insert(e);
            }
            assert_same_use(|l, now, cur| c.usage(l, now, cur), &reference);
            assert_eq!(c.max_seq(), seq);
        }
    }

    #[test]
    fn a_history_adds_its_entries_to_the_borrowed_counter() {
        let mut r = Rng(13);
        for _ in 0..200 {
            let base: Vec<Entry> = (0..r.below(40))
                .map(|i| random_entry(&mut r, i + 1))
                .collect();
            let counter = Counter::from_entries(base.clone());
            let mut h = History::default();
            h.set_base("k".into(), &counter);
            let mut all = base.clone();
            for i in 0..r.below(8) {
                let e = random_entry(&mut r, u64::MAX - i);
                all.push(e.clone());
                h.push("k".into(), e);
            }
            // Another key is not counted.
            h.push("other".into(), random_entry(&mut r, 1));
            all.sort_by_key(|e| (e.at_ms, e.seq));
            assert_eq!(h.entries("k"), all);
            assert_same_use(|l, now, c| h.usage("k", l, now, c), &all);
            assert_eq!(
                h.usage("nothing", &limit("1h", Measure::Count(1), vec![]), 0, None),
                Usage {
                    used: 0,
                    remaining: 1,
                    frees_at_ms: None
                }
            );
        }
    }

    #[test]
    fn amounts_saturate_instead_of_overflowing() {
        let e = |seq| Entry {
            seq,
            at_ms: 10,
            amount_minor: Some(u64::MAX / 2 + 1),
            currency: None,
        };
        let c = Counter::from_entries(vec![e(1), e(2), e(3)]);
        let l = limit("1h", Measure::AmountMinor(5), vec![Scope::Agent]);
        let u = c.usage(&l, 100, None);
        assert_eq!((u.used, u.remaining), (u64::MAX, 0));
        let mut h = History::default();
        h.set_base("k".into(), &c);
        h.push("k".into(), e(4));
        assert_eq!(h.usage("k", &l, 100, None).used, u64::MAX);
    }

    #[test]
    fn near_cap_is_reported_once_per_crossing() {
        let l = limit("1h", Measure::Count(5), vec![Scope::Agent]);
        let a = action(json!(1), "USD", Value::Null);
        let key = counter_key("r", &l.per, &a, None).unwrap();
        let mut h = History::default();
        let now = 10_000_000;
        let mut crossed = Vec::new();
        for i in 1..=6u64 {
            let cx = LimitCx {
                now_ms: now,
                owner_id: None,
                history: &h,
            };
            let c = crossings("r", std::slice::from_ref(&l), &a, &cx, 0.8);
            if !c.is_empty() {
                crossed.push((i, c[0].used));
            }
            h.push(
                key.clone(),
                Entry {
                    seq: i,
                    at_ms: now - 1000,
                    amount_minor: Some(1),
                    currency: Some("USD".into()),
                },
            );
        }
        assert_eq!(crossed, [(4, 4)], "only the 4th of a cap of 5 at 0.8");
        // An hour later the window is empty again: one decision is far from the ratio.
        let later = now + 3_600_000;
        let cx = LimitCx {
            now_ms: later,
            owner_id: None,
            history: &h,
        };
        assert!(crossings("r", std::slice::from_ref(&l), &a, &cx, 0.8).is_empty());
        // An amount that jumps from below to past the cap in one go crosses too.
        let amt = limit("1h", Measure::AmountMinor(1000), vec![Scope::Agent]);
        let big = action(json!(900), "USD", Value::Null);
        let c = crossings("r", std::slice::from_ref(&amt), &big, &cx, 0.8);
        assert_eq!((c[0].used, c[0].currency.as_deref()), (900, Some("USD")));
        let small = action(json!(10), "USD", Value::Null);
        assert!(crossings("r", &[amt], &small, &cx, 0.8).is_empty());
    }

    #[test]
    fn consumption_has_one_entry_per_distinct_key() {
        let a = action(json!(700), "USD", json!("m.example"));
        let ls = [
            limit("24h", Measure::AmountMinor(1), vec![Scope::Agent]),
            limit("1h", Measure::Count(1), vec![Scope::Agent]),
            limit(
                "7d",
                Measure::AmountMinor(1),
                vec![Scope::Agent, Scope::Field("merchant_domain".into())],
            ),
        ];
        let c = consumption("r", &ls, &a, None, 0);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].amount_minor, Some(700));
        assert_eq!(c[0].at, "1970-01-01T00:00:00.000Z");
    }
}
