//! Policy test suites (SPEC §5.5): YAML files naming one policy (or layers) and cases of
//! actions with the decision expected for each. Loading reports structural problems as
//! positioned diagnostics; running returns per-case results and per-rule coverage.
//!
//! ```yaml
//! policy: ../policies/purchases.yaml     # or `policies: [a.yaml, b.yaml]`, most specific first
//! cases:
//!   - name: small purchase is allowed
//!     action: { action_type: purchase, payload: { amount_minor: 5000, currency: USD } }
//!     expect: { result: ALLOW, matched_rule_id: purchase_small_allow, proof_required: true }
//! ```

use super::diag::{Diagnostic, Severity, codes};
use super::engine::{DecisionResult, Evaluation, evaluate};
use super::model::{CompiledPolicy, ObligationType};
use super::validate::check_policy;
use crate::yaml::{self, Node, Value as Y, did_you_mean};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Fixed values for ActionRequest fields a case leaves out.
pub const DEFAULT_ACTION_ID: &str = "00000000-0000-4000-8000-000000000001";
pub const DEFAULT_AGENT_ID: &str = "test-agent";
pub const DEFAULT_SUBJECT_ID: &str = "00000000-0000-4000-8000-000000000002";
pub const DEFAULT_REQUESTED_AT: &str = "2024-01-01T00:00:00.000Z";

const ACTION_KEYS: &[&str] = &[
    "action_id",
    "action_type",
    "requested_at",
    "principal",
    "subject",
    "relying_party",
    "payload",
];

/// Completes a test action with the fixed defaults, in ActionRequest key order. `action_type`
/// is required; unknown top-level keys are refused (they would be stripped from a real request,
/// so in a test they are almost certainly a typo).
pub fn normalize_test_action(action: &Value) -> Result<Value, String> {
    let Some(obj) = action.as_object() else {
        return Err("the action must be a mapping".into());
    };
    if let Some(k) = obj.keys().find(|k| !ACTION_KEYS.contains(&k.as_str())) {
        return Err(format!("unknown ActionRequest field `{k}`"));
    }
    match obj.get("action_type") {
        Some(Value::String(s)) if !s.is_empty() => {}
        _ => return Err("the action needs an `action_type` (a non-empty string)".into()),
    }
    let mut principal = obj
        .get("principal")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    if let Some(p) = principal.as_object_mut() {
        p.entry("agent_id")
            .or_insert_with(|| Value::from(DEFAULT_AGENT_ID));
    }
    let mut subject = obj
        .get("subject")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    if let Some(s) = subject.as_object_mut() {
        s.entry("principal_id")
            .or_insert_with(|| Value::from(DEFAULT_SUBJECT_ID));
    }
    let mut out = Map::new();
    let get_or = |k: &str, d: &str| obj.get(k).cloned().unwrap_or_else(|| Value::from(d));
    out.insert("action_id".into(), get_or("action_id", DEFAULT_ACTION_ID));
    out.insert("action_type".into(), obj["action_type"].clone());
    out.insert(
        "requested_at".into(),
        get_or("requested_at", DEFAULT_REQUESTED_AT),
    );
    out.insert("principal".into(), principal);
    out.insert("subject".into(), subject);
    if let Some(rp) = obj.get("relying_party") {
        out.insert("relying_party".into(), rp.clone());
    }
    out.insert(
        "payload".into(),
        obj.get("payload")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    Ok(Value::Object(out))
}

/// What a case expects; `None` fields are not checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expect {
    pub result: DecisionResult,
    /// `Some(None)` expects no matched rule (`matched_rule_id: null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_rule_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof_required: Option<bool>,
    /// Obligation types in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obligations: Option<Vec<ObligationType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the suite's `mode: shadow` policy must say (SPEC §18): `shadow: {result, matched_rule_id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadow: Option<ShadowExpect>,
}

/// The expected verdict of the suite's shadow policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShadowExpect {
    pub result: DecisionResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_rule_id: Option<Option<String>>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub line: usize,
    pub action: Value,
    pub expect: Expect,
    /// Simulated earlier decisions (`history:`), for rules with `limits`.
    pub history: Vec<HistoryItem>,
}

/// One simulated earlier decision of a `history:` list.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    /// When: milliseconds before the evaluated action (`-2h`), or an absolute time.
    pub at: HistoryTime,
    /// The earlier action (ActionRequest fields; `action_type` defaults to the evaluated one).
    pub action: Value,
    /// The rule that allowed it; `None` = whatever the policy decided then (counted only if an
    /// allow rule with limits allowed it).
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryTime {
    Before(i64),
    At(i64),
}

const HISTORY_KEYS: &[&str] = &[
    "at",
    "rule",
    "action_type",
    "principal",
    "subject",
    "relying_party",
    "payload",
];

/// Parses a history `at`: `-<n><s|m|h|d>` (before the evaluated action) or RFC 3339.
pub fn parse_history_time(s: &str) -> Result<HistoryTime, String> {
    if let Some(rel) = s.strip_prefix('-') {
        return super::limits::parse_window(rel)
            .map(|secs| HistoryTime::Before(secs as i64 * 1000))
            .map_err(|e| format!("`at: {s}`: {e}"));
    }
    super::limits::ms_of(s).map(HistoryTime::At).ok_or_else(|| {
        format!("`at: {s}` is neither a time before the action (`-2h`, `-30m`, `-1d`) nor an RFC 3339 timestamp")
    })
}

/// Parses a `history:` list given as JSON (the playground's `--history` file).
pub fn history_from_json(v: &Value) -> Result<Vec<HistoryItem>, String> {
    let items =
        v.get("history").unwrap_or(v).as_array().ok_or(
            "the history must be a list of earlier decisions (or a mapping with `history:`)",
        )?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(history_item(item).map_err(|e| format!("history[{i}]: {e}"))?);
    }
    Ok(out)
}

fn history_item(item: &Value) -> Result<HistoryItem, String> {
    let obj = item.as_object().ok_or(
        "an earlier decision is a mapping such as `{at: -2h, payload: {amount_minor: 2000}}`",
    )?;
    if let Some(k) = obj.keys().find(|k| !HISTORY_KEYS.contains(&k.as_str())) {
        let help = did_you_mean(k, HISTORY_KEYS)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(format!("unknown key `{k}`{help}"));
    }
    let at = match obj.get("at") {
        Some(Value::String(s)) => parse_history_time(s)?,
        Some(_) => return Err("`at` must be a string such as \"-2h\" or an RFC 3339 time".into()),
        None => {
            return Err("missing `at` (when it was decided: `-2h`, or an RFC 3339 time)".into());
        }
    };
    let rule = match obj.get("rule") {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) => Some(r.clone()),
        Some(_) => return Err("`rule` must be a rule id".into()),
    };
    let mut action = obj.clone();
    action.remove("at");
    action.remove("rule");
    Ok(HistoryItem {
        at,
        action: Value::Object(action),
        rule,
    })
}

/// Builds the counter history that `items` leave behind before an action evaluated at `now_ms`
/// (its `requested_at`), in time order: each item is completed like a test action (with the
/// `action_type` and `principal` of `action` by default) and decided at its time against the history so far;
/// an ALLOW by a rule with limits is counted. With `rule:` the item is counted against that rule's
/// limits whatever the policy would decide. `Err` names a bad item.
pub fn simulate_history(
    layers: &[&CompiledPolicy],
    items: &[HistoryItem],
    action: &Value,
    now_ms: i64,
) -> Result<super::limits::History<'static>, String> {
    let mut resolved: Vec<(i64, usize, Value)> = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let at = match it.at {
            HistoryTime::Before(ms) => now_ms.saturating_sub(ms),
            HistoryTime::At(ms) => ms,
        };
        let mut a = it.action.clone();
        if let Some(obj) = a.as_object_mut() {
            for k in ["action_type", "principal"] {
                if let Some(v) = action.get(k) {
                    obj.entry(k).or_insert_with(|| v.clone());
                }
            }
        }
        let mut a = normalize_test_action(&a).map_err(|e| format!("history[{i}]: {e}"))?;
        if let Some(obj) = a.as_object_mut() {
            obj.insert(
                "requested_at".into(),
                Value::from(super::limits::format_ms(at)),
            );
        }
        resolved.push((at, i, a));
    }
    resolved.sort_by_key(|(at, i, _)| (*at, *i));
    let mut history = super::limits::History::default();
    for (seq, (at, i, a)) in resolved.into_iter().enumerate() {
        let consumed = match &items[i].rule {
            Some(id) => {
                let rule = layers
                    .iter()
                    .find_map(|p| p.rule(id))
                    .ok_or_else(|| format!("history[{i}]: no rule `{id}` in the policy"))?;
                if rule.limits.is_empty() {
                    return Err(format!("history[{i}]: rule `{id}` has no limits"));
                }
                super::limits::consumption(&rule.id, &rule.limits, &a, None, at)
            }
            None => {
                let cx = super::limits::LimitCx {
                    now_ms: at,
                    owner_id: None,
                    history: &history,
                };
                super::engine::evaluate_with(layers, &a, &cx).consumed
            }
        };
        for c in consumed {
            history.push(
                c.key,
                super::limits::Entry {
                    seq: seq as u64 + 1,
                    at_ms: at,
                    amount_minor: c.amount_minor,
                    currency: c.currency,
                },
            );
        }
    }
    Ok(history)
}

/// Evaluates `action` after the simulated `history` (at the action's `requested_at`).
pub fn evaluate_after(
    layers: &[&CompiledPolicy],
    action: &Value,
    history: &[HistoryItem],
) -> Result<Evaluation, String> {
    let now_ms = action
        .get("requested_at")
        .and_then(Value::as_str)
        .and_then(super::limits::ms_of)
        .unwrap_or(0);
    let h = simulate_history(layers, history, action, now_ms)?;
    Ok(super::engine::evaluate_with(
        layers,
        action,
        &super::limits::LimitCx {
            now_ms,
            owner_id: None,
            history: &h,
        },
    ))
}

#[derive(Debug, Clone)]
pub struct SuitePolicy {
    /// As shown to people: the path joined onto the suite's directory.
    pub name: String,
    pub policy: CompiledPolicy,
}

#[derive(Debug, Clone)]
pub struct Suite {
    pub file: String,
    pub policies: Vec<SuitePolicy>,
    pub cases: Vec<Case>,
}

/// The loaded text of a file with problems, for rendering code frames.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub line: usize,
    pub passed: bool,
    /// One line per mismatch, e.g. "result: expected ALLOW, got DENY".
    pub failures: Vec<String>,
    pub expected: Expect,
    #[serde(skip)]
    pub actual: Evaluation,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleCoverage {
    pub policy: String,
    pub rule_id: String,
    /// Cases whose decision this rule made.
    pub cases: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuiteReport {
    pub file: String,
    pub policies: Vec<String>,
    pub cases: Vec<CaseResult>,
    pub coverage: Vec<RuleCoverage>,
}

impl SuiteReport {
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed).count()
    }
}

struct Loader<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl Loader<'_> {
    fn error(
        &mut self,
        code: &'static str,
        n: &Node,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        self.diags.push(Diagnostic {
            file: self.file.to_string(),
            line: n.pos.line,
            col: n.pos.col,
            len: n.len,
            severity: Severity::Error,
            code,
            message,
            path: path.to_string(),
            help,
        });
    }

    fn keys(&mut self, n: &Node, allowed: &[&str], path: &str, what: &str) {
        for (k, _) in n.as_map().unwrap_or_default() {
            let name = k.as_str().unwrap_or("<non-string key>");
            if !allowed.contains(&name) {
                let help = did_you_mean(name, allowed)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("expected one of: {}", allowed.join(", ")));
                let p = if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                };
                self.error(
                    codes::SUITE,
                    k,
                    &p,
                    format!("unknown key `{name}` in {what}"),
                    Some(help),
                );
            }
        }
    }
}

/// Reads and checks a suite and the policies it names. On problems, returns them per file (the
/// suite's own first) with sources for code frames.
pub fn load_suite(path: &Path) -> Result<Suite, Vec<Problem>> {
    let file = path.display().to_string();
    let bytes = match super::read_policy_file(path) {
        Ok(b) => b,
        Err(e) => {
            return Err(vec![Problem {
                file: file.clone(),
                source: String::new(),
                diagnostics: vec![Diagnostic::file_error(
                    &file,
                    codes::READ,
                    format!("cannot read {file}: {e}"),
                )],
            }]);
        }
    };
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let fail = |diagnostics: Vec<Diagnostic>, extra: Vec<Problem>| {
        let mut v = vec![Problem {
            file: file.clone(),
            source: source.clone(),
            diagnostics,
        }];
        v.extend(extra);
        v
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(fail(
            vec![Diagnostic::file_error(
                &file,
                codes::NOT_UTF8,
                "the suite is not valid UTF-8".into(),
            )],
            vec![],
        ));
    };
    let root = match yaml::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let mut d = Diagnostic::file_error(&file, codes::YAML_SYNTAX, e.message);
            d.line = e.pos.line;
            d.col = e.pos.col;
            d.help = e.hint;
            return Err(fail(vec![d], vec![]));
        }
    };
    let mut ld = Loader {
        file: &file,
        diags: Vec::new(),
    };
    if root.as_map().is_none() {
        ld.error(
            codes::SUITE,
            &root,
            "",
            "a policy test suite is a mapping with `policy` (or `policies`) and `cases`".into(),
            None,
        );
        return Err(fail(ld.diags, vec![]));
    }
    ld.keys(
        &root,
        &["policy", "policies", "cases", "description"],
        "",
        "the suite",
    );

    // Policies, relative to the suite's directory.
    let base = path.parent().unwrap_or(Path::new("."));
    let mut refs: Vec<(&Node, PathBuf)> = Vec::new();
    match (root.get("policy"), root.get("policies")) {
        (Some(_), Some(p)) => ld.error(
            codes::SUITE,
            p,
            "policies",
            "give either `policy` or `policies`, not both".into(),
            None,
        ),
        (Some(p), None) => match p.as_str() {
            Some(s) => refs.push((p, join_clean(base, s))),
            None => ld.error(
                codes::SUITE,
                p,
                "policy",
                "`policy` must be a file path".into(),
                None,
            ),
        },
        (None, Some(list)) => match list.as_seq() {
            Some(items) if !items.is_empty() => {
                for (i, it) in items.iter().enumerate() {
                    match it.as_str() {
                        Some(s) => refs.push((it, join_clean(base, s))),
                        None => ld.error(
                            codes::SUITE,
                            it,
                            &format!("policies[{i}]"),
                            "each entry of `policies` must be a file path".into(),
                            None,
                        ),
                    }
                }
            }
            _ => ld.error(
                codes::SUITE,
                list,
                "policies",
                "`policies` must be a non-empty list of file paths, most specific first".into(),
                None,
            ),
        },
        (None, None) => ld.error(
            codes::SUITE,
            &root,
            "",
            "the suite names no policy".into(),
            Some("add `policy: path/to/policy.yaml` (relative to the suite file)".into()),
        ),
    }
    let mut policies = Vec::new();
    let mut policy_problems = Vec::new();
    for (node, p) in &refs {
        let name = p.display().to_string();
        match super::read_policy_file(p) {
            Err(e) => ld.error(
                codes::SUITE_POLICY,
                node,
                "policy",
                format!("cannot read policy {name}: {e}"),
                Some("paths are relative to the suite file".into()),
            ),
            Ok(bytes) => {
                let checked = check_policy(&name, &bytes);
                match checked.policy {
                    Some(policy) => policies.push(SuitePolicy { name, policy }),
                    None => {
                        ld.error(
                            codes::SUITE_POLICY,
                            node,
                            "policy",
                            format!("policy {name} has {} error(s)", checked.errors()),
                            Some("see its diagnostics below".into()),
                        );
                        policy_problems.push(Problem {
                            file: name,
                            source: String::from_utf8_lossy(&bytes).into_owned(),
                            diagnostics: checked.diagnostics,
                        });
                    }
                }
            }
        }
    }

    let mut cases = Vec::new();
    match root.get("cases").map(|c| (c, c.as_seq())) {
        Some((_, Some(items))) if !items.is_empty() => {
            let mut names = HashSet::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(c) = load_case(&mut ld, item, &format!("cases[{i}]")) {
                    if !names.insert(c.name.clone()) {
                        ld.error(
                            codes::SUITE,
                            item.get("name").unwrap_or(item),
                            &format!("cases[{i}].name"),
                            format!("duplicate case name `{}`", c.name),
                            Some("case names identify results (and JUnit test cases); make them unique".into()),
                        );
                    }
                    cases.push(c);
                }
            }
        }
        Some((c, _)) => ld.error(
            codes::SUITE,
            c,
            "cases",
            "`cases` must be a non-empty list".into(),
            None,
        ),
        None => ld.error(
            codes::SUITE,
            &root,
            "",
            "the suite has no `cases`".into(),
            Some("add `cases:` with `- name: …`, `action: {…}`, `expect: {result: …}`".into()),
        ),
    }
    if !ld.diags.is_empty() || !policy_problems.is_empty() {
        return Err(fail(ld.diags, policy_problems));
    }
    Ok(Suite {
        file,
        policies,
        cases,
    })
}

/// `base/rel` with `.` and `..` folded lexically, so names read `policies/x.yaml` rather than
/// `tests/../policies/x.yaml`.
fn join_clean(base: &Path, rel: &str) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in base.join(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn load_case(ld: &mut Loader, n: &Node, path: &str) -> Option<Case> {
    if n.as_map().is_none() {
        ld.error(
            codes::SUITE,
            n,
            path,
            "a case is a mapping with `name`, `action` and `expect`".into(),
            None,
        );
        return None;
    }
    ld.keys(n, &["name", "action", "expect", "history"], path, "a case");
    let before = ld.diags.len();
    let name = match n.get("name") {
        Some(v) => match &v.value {
            Y::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            _ => {
                ld.error(
                    codes::SUITE,
                    v,
                    &format!("{path}.name"),
                    "`name` must be a non-empty string".into(),
                    None,
                );
                None
            }
        },
        None => {
            ld.error(codes::SUITE, n, path, "the case has no `name`".into(), None);
            None
        }
    };
    let action = match n.get("action") {
        Some(v) if v.as_map().is_some() => {
            ld.keys(
                v,
                ACTION_KEYS,
                &format!("{path}.action"),
                "an ActionRequest",
            );
            match normalize_test_action(&v.to_json()) {
                Ok(a) => Some(a),
                Err(msg) => {
                    ld.error(codes::SUITE, v, &format!("{path}.action"), msg, None);
                    None
                }
            }
        }
        Some(v) => {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.action"),
                "`action` must be a mapping".into(),
                None,
            );
            None
        }
        None => {
            ld.error(
                codes::SUITE,
                n,
                path,
                "the case has no `action`".into(),
                None,
            );
            None
        }
    };
    let expect = match n.get("expect") {
        Some(v) if v.as_map().is_some() => load_expect(ld, v, &format!("{path}.expect")),
        Some(v) => {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.expect"),
                "`expect` must be a mapping".into(),
                None,
            );
            None
        }
        None => {
            ld.error(
                codes::SUITE,
                n,
                path,
                "the case has no `expect`".into(),
                Some("add `expect: {result: ALLOW}` (or DENY, REQUIRE_APPROVAL, …)".into()),
            );
            None
        }
    };
    let history = match n.get("history") {
        None => Some(vec![]),
        Some(v) => match v.as_seq() {
            Some(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match history_item(&item.to_json()) {
                        Ok(h) => out.push(h),
                        Err(msg) => ld.error(
                            codes::SUITE,
                            item,
                            &format!("{path}.history[{i}]"),
                            msg,
                            Some("an earlier ALLOW: `{at: -2h, payload: {amount_minor: 2000, currency: USD}}`, optionally with `rule: <id>`".into()),
                        ),
                    }
                }
                Some(out)
            }
            None => {
                ld.error(
                    codes::SUITE,
                    v,
                    &format!("{path}.history"),
                    "`history` must be a list of earlier decisions".into(),
                    None,
                );
                None
            }
        },
    };
    if ld.diags.len() > before {
        return None;
    }
    Some(Case {
        name: name?,
        line: n.pos.line,
        action: action?,
        expect: expect?,
        history: history?,
    })
}

fn load_expect(ld: &mut Loader, n: &Node, path: &str) -> Option<Expect> {
    ld.keys(
        n,
        &[
            "result",
            "matched_rule_id",
            "proof_required",
            "obligations",
            "reason",
            "shadow",
        ],
        path,
        "`expect`",
    );
    let before = ld.diags.len();
    let result = match n.get("result") {
        Some(v) => match v.as_str().and_then(DecisionResult::parse) {
            Some(r) => Some(r),
            None => {
                let word = v.as_str().unwrap_or("").to_uppercase();
                ld.error(
                    codes::SUITE,
                    v,
                    &format!("{path}.result"),
                    "`result` must be a decision".into(),
                    Some(match did_you_mean(&word, DecisionResult::NAMES) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("expected one of: {}", DecisionResult::NAMES.join(", ")),
                    }),
                );
                None
            }
        },
        None => {
            ld.error(
                codes::SUITE,
                n,
                path,
                "`expect` needs a `result`".into(),
                None,
            );
            None
        }
    };
    let matched_rule_id = n.get("matched_rule_id").and_then(|v| match &v.value {
        Y::Str(s) => Some(Some(s.clone())),
        Y::Null => Some(None),
        _ => {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.matched_rule_id"),
                "`matched_rule_id` must be a rule id or null".into(),
                None,
            );
            None
        }
    });
    let proof_required = n.get("proof_required").and_then(|v| match v.value {
        Y::Bool(b) => Some(b),
        _ => {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.proof_required"),
                "`proof_required` must be true or false".into(),
                None,
            );
            None
        }
    });
    let obligations = n.get("obligations").and_then(|v| {
        let Some(items) = v.as_seq() else {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.obligations"),
                "`obligations` must be a list of obligation types".into(),
                None,
            );
            return None;
        };
        let mut out = Vec::new();
        for (i, it) in items.iter().enumerate() {
            match it.as_str().and_then(ObligationType::parse) {
                Some(t) => out.push(t),
                None => ld.error(
                    codes::SUITE,
                    it,
                    &format!("{path}.obligations[{i}]"),
                    "unknown obligation type".into(),
                    Some(format!(
                        "expected one of: {}",
                        ObligationType::NAMES.join(", ")
                    )),
                ),
            }
        }
        Some(out)
    });
    let reason = n.get("reason").and_then(|v| match v.as_str() {
        Some(s) => Some(s.to_string()),
        None => {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.reason"),
                "`reason` must be a string".into(),
                None,
            );
            None
        }
    });
    let shadow = n.get("shadow").and_then(|v| {
        let r = v
            .get("result")
            .and_then(|r| r.as_str())
            .and_then(DecisionResult::parse);
        let rule = v
            .get("matched_rule_id")
            .map(|m| m.as_str().map(str::to_string));
        if v.as_map().is_none() || r.is_none() {
            ld.error(
                codes::SUITE,
                v,
                &format!("{path}.shadow"),
                "`shadow` must be a mapping with a `result` (and optionally `matched_rule_id`)"
                    .into(),
                Some("for example `shadow: {result: DENY}`".into()),
            );
            return None;
        }
        Some(ShadowExpect {
            result: r?,
            matched_rule_id: rule,
        })
    });
    if ld.diags.len() > before {
        return None;
    }
    Some(Expect {
        result: result?,
        matched_rule_id,
        proof_required,
        obligations,
        reason,
        shadow,
    })
}

/// Runs every case against the suite's layers.
pub fn run_suite(suite: &Suite) -> SuiteReport {
    // `mode: shadow` policies never decide: the enforcing layers are the others, and the first
    // shadow policy is evaluated on its own for `expect.shadow`.
    let enforcing: Vec<usize> = (0..suite.policies.len())
        .filter(|i| !suite.policies[*i].policy.shadow)
        .collect();
    let layers: Vec<&CompiledPolicy> = enforcing
        .iter()
        .map(|i| &suite.policies[*i].policy)
        .collect();
    let shadow = suite
        .policies
        .iter()
        .find(|p| p.policy.shadow)
        .map(|p| &p.policy);
    let mut coverage: Vec<RuleCoverage> = suite
        .policies
        .iter()
        .flat_map(|p| {
            p.policy.rules.iter().map(|r| RuleCoverage {
                policy: p.name.clone(),
                rule_id: r.id.to_string(),
                cases: 0,
            })
        })
        .collect();
    // Offset of each layer's first rule in `coverage`.
    let offsets: Vec<usize> = suite
        .policies
        .iter()
        .scan(0, |acc, p| {
            let start = *acc;
            *acc += p.policy.rules.len();
            Some(start)
        })
        .collect();
    let mut cases = Vec::with_capacity(suite.cases.len());
    for case in &suite.cases {
        let actual = if case.history.is_empty() {
            evaluate(&layers, &case.action)
        } else {
            match evaluate_after(&layers, &case.action, &case.history) {
                Ok(e) => e,
                Err(msg) => {
                    let actual = evaluate(&layers, &case.action);
                    cases.push(CaseResult {
                        name: case.name.clone(),
                        line: case.line,
                        passed: false,
                        failures: vec![format!("history: {msg}")],
                        expected: case.expect.clone(),
                        actual,
                    });
                    continue;
                }
            }
        };
        if let (Some(li), Some(id)) = (
            actual.matched_policy_index.map(|i| enforcing[i]),
            &actual.matched_rule_id,
        ) {
            let rules = &suite.policies[li].policy.rules;
            if let Some(ri) = rules.iter().position(|r| &*r.id == id) {
                coverage[offsets[li] + ri].cases += 1;
            }
        }
        let mut failures = compare(&case.expect, &actual);
        if let Some(want) = &case.expect.shadow {
            failures.extend(compare_shadow(want, shadow, &case.action));
        }
        cases.push(CaseResult {
            name: case.name.clone(),
            line: case.line,
            passed: failures.is_empty(),
            failures,
            expected: case.expect.clone(),
            actual,
        });
    }
    SuiteReport {
        file: suite.file.clone(),
        policies: suite.policies.iter().map(|p| p.name.clone()).collect(),
        cases,
        coverage,
    }
}

fn compare_shadow(
    want: &ShadowExpect,
    shadow: Option<&CompiledPolicy>,
    action: &Value,
) -> Vec<String> {
    let Some(p) = shadow else {
        return vec![
            "shadow: expected a result, but the suite has no `mode: shadow` policy".into(),
        ];
    };
    let got = evaluate(&[p], action);
    let mut f = Vec::new();
    if got.result != want.result {
        f.push(format!(
            "shadow result: expected {}, got {}",
            want.result.as_str(),
            got.result.as_str()
        ));
    }
    if let Some(id) = &want.matched_rule_id
        && id.as_deref() != got.matched_rule_id.as_deref()
    {
        f.push(format!(
            "shadow matched_rule_id: expected {}, got {}",
            show_id(id.as_deref()),
            show_id(got.matched_rule_id.as_deref())
        ));
    }
    f
}

fn show_id(id: Option<&str>) -> String {
    id.map_or_else(|| "null".into(), |s| format!("`{s}`"))
}

fn compare(e: &Expect, a: &Evaluation) -> Vec<String> {
    let mut f = Vec::new();
    if e.result != a.result {
        f.push(format!(
            "result: expected {}, got {}",
            e.result.as_str(),
            a.result.as_str()
        ));
    }
    if let Some(want) = &e.matched_rule_id
        && want.as_deref() != a.matched_rule_id.as_deref()
    {
        f.push(format!(
            "matched_rule_id: expected {}, got {}",
            show_id(want.as_deref()),
            show_id(a.matched_rule_id.as_deref())
        ));
    }
    if let Some(want) = e.proof_required
        && want != a.proof_required
    {
        f.push(format!(
            "proof_required: expected {want}, got {}",
            a.proof_required
        ));
    }
    if let Some(want) = &e.obligations {
        let got: Vec<ObligationType> = a.obligations.iter().map(|o| o.obligation_type).collect();
        if *want != got {
            let names = |v: &[ObligationType]| {
                format!(
                    "[{}]",
                    v.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
                )
            };
            f.push(format!(
                "obligations: expected {}, got {}",
                names(want),
                names(&got)
            ));
        }
    }
    if let Some(want) = &e.reason
        && *want != a.reason
    {
        f.push(format!("reason: expected {want:?}, got {:?}", a.reason));
    }
    f
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn joined_paths_are_folded() {
        assert_eq!(
            join_clean(Path::new("examples/t"), "../../p/x.yaml"),
            PathBuf::from("p/x.yaml")
        );
        assert_eq!(
            join_clean(Path::new(""), "./x.yaml"),
            PathBuf::from("x.yaml")
        );
        assert_eq!(join_clean(Path::new("/a"), "../../x"), PathBuf::from("/x"));
        assert_eq!(join_clean(Path::new("a"), "../../x"), PathBuf::from("../x"));
    }

    #[test]
    fn defaults_fill_missing_fields_in_order() {
        let a = normalize_test_action(
            &json!({"payload": {"x": 1}, "action_type": "purchase", "principal": {}}),
        )
        .unwrap();
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "action_id",
                "action_type",
                "requested_at",
                "principal",
                "subject",
                "payload"
            ]
        );
        assert_eq!(a["principal"]["agent_id"], DEFAULT_AGENT_ID);
        assert_eq!(a["subject"]["principal_id"], DEFAULT_SUBJECT_ID);
        assert_eq!(a["payload"]["x"], 1);
        assert!(normalize_test_action(&json!({"payload": {}})).is_err());
        assert!(
            normalize_test_action(&json!({"action_type": "x", "paylod": {}}))
                .unwrap_err()
                .contains("paylod")
        );
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn runs_cases_and_counts_coverage() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "p.yaml",
            "version: 1\ndefault: deny\nrules:\n  - {id: small, effect: allow, action: purchase, constraints: {amount_max: 10}, proof: {required: true}}\n  - {id: never, effect: deny, action: nothing}\n",
        );
        let s = write(
            d.path(),
            "s.test.yaml",
            "policy: p.yaml\ncases:\n  - name: ok\n    action: {action_type: purchase, payload: {amount_minor: 5}}\n    expect: {result: ALLOW, matched_rule_id: small, proof_required: true, obligations: []}\n  - name: wrong\n    action: {action_type: purchase, payload: {amount_minor: 50}}\n    expect: {result: ALLOW, matched_rule_id: small}\n  - name: none\n    action: {action_type: other}\n    expect: {result: DENY, matched_rule_id: null, reason: 'No rule matched; default policy: deny'}\n",
        );
        let suite = load_suite(&s).unwrap();
        let r = run_suite(&suite);
        assert_eq!(r.failed(), 1);
        assert!(r.cases[0].passed);
        assert_eq!(
            r.cases[1].failures,
            vec![
                "result: expected ALLOW, got DENY".to_string(),
                "matched_rule_id: expected `small`, got null".to_string()
            ]
        );
        assert!(r.cases[2].passed);
        assert_eq!(r.coverage[0].cases, 1);
        assert_eq!(r.coverage[1].cases, 0);
    }

    #[test]
    fn structural_problems_are_positioned() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "bad.yaml",
            "version: 1\ndefault: nope\nrules: []\n",
        );
        let s = write(
            d.path(),
            "s.test.yaml",
            "policy: bad.yaml\ncases:\n  - name: a\n    action: {action_type: x, paylod: {}}\n    expect: {result: ALOW}\n  - name: a\n    acton: {}\n",
        );
        let problems = load_suite(&s).unwrap_err();
        let suite_diags = &problems[0].diagnostics;
        let msgs: Vec<(usize, &str)> = suite_diags
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert!(
            msgs.iter()
                .any(|(l, m)| *l == 1 && m.ends_with("bad.yaml has 1 error(s)")),
            "{msgs:?}"
        );
        assert!(
            suite_diags
                .iter()
                .any(|d| d.path == "cases[0].action.paylod"
                    && d.help.as_deref() == Some("did you mean `payload`?"))
        );
        assert!(
            suite_diags
                .iter()
                .any(|d| d.path == "cases[0].expect.result"
                    && d.help.as_deref() == Some("did you mean `ALLOW`?"))
        );
        assert!(suite_diags.iter().any(|d| d.path == "cases[1].acton"));
        assert!(
            suite_diags
                .iter()
                .all(|d| d.code == codes::SUITE || d.code == codes::SUITE_POLICY)
        );
        assert_eq!(problems[1].diagnostics[0].code, codes::DEFAULT);
        let missing = write(d.path(), "m.test.yaml", "policy: nope.yaml\ncases: []\n");
        let problems = load_suite(&missing).unwrap_err();
        assert!(
            problems[0]
                .diagnostics
                .iter()
                .any(|d| d.code == codes::SUITE_POLICY)
        );
    }

    #[test]
    fn example_suites_pass_with_full_coverage() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policy-tests");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if !p.to_string_lossy().ends_with(".test.yaml") {
                continue;
            }
            let suite = load_suite(&p).unwrap_or_else(|e| panic!("{}: {e:#?}", p.display()));
            let r = run_suite(&suite);
            for c in &r.cases {
                assert!(c.passed, "{}: {}: {:?}", p.display(), c.name, c.failures);
            }
            for c in &r.coverage {
                assert!(
                    c.cases > 0,
                    "{}: rule {} not covered",
                    p.display(),
                    c.rule_id
                );
            }
            n += 1;
        }
        assert_eq!(n, 4);
    }
}
