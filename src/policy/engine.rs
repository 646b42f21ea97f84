//! The evaluation engine (SPEC §6, upstream-core §2): first match wins across the concatenated
//! rules of all layers, every rule is traced, and the result, reason strings, obligations and
//! proof requirement follow upstream exactly.

use super::limits::{Consumption, History, LimitCx, LimitFailure};
use super::model::*;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Value, json};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecisionResult {
    Allow,
    Deny,
    RequireApproval,
    RequireStepUp,
    RequireDeposit,
}

impl DecisionResult {
    pub const NAMES: &'static [&'static str] = &[
        "ALLOW",
        "DENY",
        "REQUIRE_APPROVAL",
        "REQUIRE_STEP_UP",
        "REQUIRE_DEPOSIT",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionResult::Allow => "ALLOW",
            DecisionResult::Deny => "DENY",
            DecisionResult::RequireApproval => "REQUIRE_APPROVAL",
            DecisionResult::RequireStepUp => "REQUIRE_STEP_UP",
            DecisionResult::RequireDeposit => "REQUIRE_DEPOSIT",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionResult> {
        match s {
            "ALLOW" => Some(DecisionResult::Allow),
            "DENY" => Some(DecisionResult::Deny),
            "REQUIRE_APPROVAL" => Some(DecisionResult::RequireApproval),
            "REQUIRE_STEP_UP" => Some(DecisionResult::RequireStepUp),
            "REQUIRE_DEPOSIT" => Some(DecisionResult::RequireDeposit),
            _ => None,
        }
    }

    /// `openleash authorize` exit code for this decision (SPEC §3).
    pub fn exit_code(self) -> u8 {
        match self {
            DecisionResult::Allow => 0,
            DecisionResult::Deny => 1,
            DecisionResult::RequireApproval => 3,
            DecisionResult::RequireStepUp => 4,
            DecisionResult::RequireDeposit => 5,
        }
    }
}

/// An obligation attached to a decision (always `PENDING` when produced).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    pub obligation_id: String,
    #[serde(rename = "type")]
    pub obligation_type: ObligationType,
    pub status: String,
    pub details_json: Value,
}

impl Obligation {
    fn pending(obligation_type: ObligationType, details_json: Value) -> Obligation {
        Obligation {
            obligation_id: uuid::Uuid::new_v4().to_string(),
            obligation_type,
            status: "PENDING".into(),
            details_json,
        }
    }
}

fn ser_arc_str<S: Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

/// One rule's evaluation. `when_match`/`constraints_match` are `None` (JSON `null`) when the
/// stage was not reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleTrace {
    #[serde(serialize_with = "ser_arc_str")]
    pub rule_id: Arc<str>,
    pub pattern_match: bool,
    pub when_match: Option<bool>,
    pub constraints_match: Option<bool>,
    /// `None` (omitted) when the rule has no limits or the stage was not reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits_match: Option<bool>,
    /// The limit this action would exceed (index, window, use, remainder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_failure: Option<Box<LimitFailure>>,
    pub final_match: bool,
    /// Which layer the rule came from (not part of the wire shape).
    #[serde(skip)]
    pub policy_index: usize,
}

/// The engine's answer for one action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub result: DecisionResult,
    pub matched_rule_id: Option<String>,
    /// Index into the `layers` given to [`evaluate`] of the policy whose rule matched.
    pub matched_policy_index: Option<usize>,
    pub reason: String,
    pub obligations: Vec<Obligation>,
    /// The matched rule says `proof.required: true`, or the relying party's trust profile is
    /// HIGH or REGULATED. Computed whatever the result; a token is issued only for ALLOW.
    pub proof_required: bool,
    /// The matched rule's `proof.ttl_seconds`; callers apply their default and cap.
    pub proof_ttl_seconds: Option<u64>,
    /// The matched rule's `approval_ttl` in seconds (REQUIRE_APPROVAL only).
    #[serde(skip)]
    pub approval_ttl_seconds: Option<u64>,
    pub trace: Vec<RuleTrace>,
    /// What an ALLOW by a rule with limits consumes (recorded in `DECISION_CREATED`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumed: Vec<Consumption>,
}

impl Evaluation {
    /// The AuthorizeResponse object (SPEC §8.3), keys in upstream order.
    pub fn response_json(
        &self,
        decision_id: &str,
        action_id: &str,
        action_hash: &str,
        proof_token: Option<&str>,
        proof_expires_at: Option<&str>,
    ) -> Value {
        json!({
            "decision_id": decision_id,
            "action_id": action_id,
            "action_hash": action_hash,
            "result": self.result,
            "matched_rule_id": self.matched_rule_id,
            "reason": self.reason,
            "proof_token": proof_token,
            "proof_expires_at": proof_expires_at,
            "obligations": self.obligations,
        })
    }
}

/// Evaluates `action` (a validated ActionRequest as JSON) against `layers`, most specific first.
///
/// Layers merge as upstream-core §3 step 7: rules are concatenated in layer order and the first
/// final match decides; without a match the first non-`passthrough` default applies. When every
/// layer is `passthrough` the action is denied with upstream's passthrough reason, which says
/// exactly that ("no further layer — denied").
///
/// Rules with `limits` are checked as if there were no earlier decisions, at the action's
/// `requested_at` (a dry run); [`evaluate_with`] takes the real history.
pub fn evaluate(layers: &[&CompiledPolicy], action: &Value) -> Evaluation {
    let history = History::default();
    let any_limits = layers
        .iter()
        .any(|p| p.rules.iter().any(|r| !r.limits.is_empty()));
    // Parsed only when some rule needs it, so policies without limits pay nothing.
    let now_ms = any_limits
        .then(|| action.get("requested_at").and_then(Value::as_str))
        .flatten()
        .and_then(super::limits::ms_of)
        .unwrap_or(0);
    evaluate_with(
        layers,
        action,
        &LimitCx {
            now_ms,
            owner_id: None,
            history: &history,
        },
    )
}

/// The allow rules with `limits` whose action pattern matches `action`.
fn limited_allow_rules<'p, 'a>(
    layers: &'a [&'p CompiledPolicy],
    action: &'a Value,
) -> impl Iterator<Item = &'p Rule> + 'a {
    let action_type = action
        .get("action_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    layers.iter().flat_map(|p| &p.rules).filter(move |r| {
        !r.limits.is_empty() && r.effect == Effect::Allow && r.action.matches(action_type)
    })
}

/// True when some allow rule with `limits` could decide `action` (its pattern matches): such a
/// decision must be made under the writer lock with fresh counters.
pub fn limits_apply(layers: &[&CompiledPolicy], action: &Value) -> bool {
    limited_allow_rules(layers, action).next().is_some()
}

/// The allow rules with limits whose pattern, `when` and constraints match `action`, ignoring
/// their limits: what an owner-approved action counts against.
pub fn rules_consuming_approved<'p>(
    layers: &[&'p CompiledPolicy],
    action: &Value,
) -> Vec<&'p Rule> {
    limited_allow_rules(layers, action)
        .filter(|r| {
            r.when.as_ref().is_none_or(|w| eval_expr(w, action))
                && r.constraints
                    .as_ref()
                    .is_none_or(|c| constraints_pass(c, action))
        })
        .collect()
}

/// [`evaluate`] with the decision time, owner and earlier consumption for rules with `limits`:
/// a rule whose limit this action would exceed does not match (like a failed constraint), and
/// the trace says which limit, its use and its remainder.
pub fn evaluate_with(
    layers: &[&CompiledPolicy],
    action: &Value,
    limits: &LimitCx<'_>,
) -> Evaluation {
    let action_type = action
        .get("action_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let total = layers.iter().map(|p| p.rules.len()).sum();
    let mut trace = Vec::with_capacity(total);
    let mut matched: Option<(usize, &Rule)> = None;
    // Every rule is evaluated, even after the first match, so the trace is complete.
    for (policy_index, policy) in layers.iter().enumerate() {
        for rule in &policy.rules {
            let pattern_match = rule.action.matches(action_type);
            let when_match =
                pattern_match.then(|| rule.when.as_ref().is_none_or(|w| eval_expr(w, action)));
            let constraints_match = (when_match == Some(true)).then(|| {
                rule.constraints
                    .as_ref()
                    .is_none_or(|c| constraints_pass(c, action))
            });
            let mut limits_match = None;
            let mut limit_failure = None;
            if constraints_match == Some(true) && !rule.limits.is_empty() {
                let checked = super::limits::check_rule(&rule.id, &rule.limits, action, limits);
                limits_match = Some(checked.is_ok());
                limit_failure = checked.err();
            }
            let final_match = constraints_match == Some(true) && limits_match != Some(false);
            if final_match && matched.is_none() {
                matched = Some((policy_index, rule));
            }
            trace.push(RuleTrace {
                rule_id: rule.id.clone(),
                pattern_match,
                when_match,
                constraints_match,
                limits_match,
                limit_failure,
                final_match,
                policy_index,
            });
        }
    }

    let trust_profile = action
        .get("relying_party")
        .and_then(|r| r.get("trust_profile"))
        .and_then(Value::as_str);
    let trust_requires_proof = matches!(trust_profile, Some("HIGH" | "REGULATED"));

    let Some((policy_index, rule)) = matched else {
        let default = layers
            .iter()
            .map(|p| p.default)
            .find(|d| *d != DefaultEffect::Passthrough);
        let (result, obligations, reason) = match default {
            Some(DefaultEffect::Allow) => (
                DecisionResult::Allow,
                vec![],
                "No rule matched; default policy: allow",
            ),
            Some(DefaultEffect::RequireApproval) => (
                DecisionResult::RequireApproval,
                vec![Obligation::pending(
                    ObligationType::HumanApproval,
                    json!({}),
                )],
                "No rule matched; default policy: require_approval",
            ),
            None if !layers.is_empty() => (
                DecisionResult::Deny,
                vec![],
                "No rule matched; default policy: passthrough (no further layer \u{2014} denied)",
            ),
            _ => (
                DecisionResult::Deny,
                vec![],
                "No rule matched; default policy: deny",
            ),
        };
        return Evaluation {
            result,
            matched_rule_id: None,
            matched_policy_index: None,
            reason: reason.to_string(),
            obligations,
            proof_required: trust_requires_proof,
            proof_ttl_seconds: None,
            approval_ttl_seconds: None,
            trace,
            consumed: vec![],
        };
    };

    let (result, obligations, reason) = match rule.effect {
        Effect::Deny => (
            DecisionResult::Deny,
            vec![],
            format!("Denied by rule \"{}\"", rule.id),
        ),
        Effect::Allow => {
            let mut obligations: Vec<Obligation> = rule
                .obligations
                .iter()
                .map(|o| Obligation::pending(o.obligation_type, o.params.clone()))
                .collect();
            if let Some(required) = rule
                .requirements
                .as_ref()
                .and_then(|r| r.min_assurance_level)
            {
                // Unknown or missing levels count as LOW, as upstream.
                let actual = action
                    .get("payload")
                    .and_then(|p| p.get("assurance_level"))
                    .and_then(Value::as_str)
                    .and_then(AssuranceLevel::parse)
                    .unwrap_or(AssuranceLevel::Low);
                if actual < required {
                    obligations.push(Obligation::pending(
                        ObligationType::StepUpAuth,
                        json!({ "min_assurance_level": required.as_str() }),
                    ));
                }
            }
            let has = |t| obligations.iter().any(|o| o.obligation_type == t);
            let result = if has(ObligationType::HumanApproval) {
                DecisionResult::RequireApproval
            } else if has(ObligationType::StepUpAuth) {
                DecisionResult::RequireStepUp
            } else if has(ObligationType::Deposit) {
                DecisionResult::RequireDeposit
            } else {
                DecisionResult::Allow
            };
            let reason = if result == DecisionResult::Allow {
                format!("Allowed by rule \"{}\"", rule.id)
            } else {
                format!("Rule \"{}\" requires: {}", rule.id, result.as_str())
            };
            (result, obligations, reason)
        }
    };
    let consumed = if result == DecisionResult::Allow && !rule.limits.is_empty() {
        super::limits::consumption(
            &rule.id,
            &rule.limits,
            action,
            limits.owner_id,
            limits.now_ms,
        )
    } else {
        vec![]
    };
    Evaluation {
        result,
        matched_rule_id: Some(rule.id.to_string()),
        matched_policy_index: Some(policy_index),
        reason,
        obligations,
        proof_required: rule.proof_required() || trust_requires_proof,
        proof_ttl_seconds: rule.proof.as_ref().and_then(|p| p.ttl_seconds),
        approval_ttl_seconds: rule.approval_ttl_seconds,
        trace,
        consumed,
    }
}

fn eval_expr(e: &Expr, action: &Value) -> bool {
    match e {
        Expr::All(items) => items.iter().all(|x| eval_expr(x, action)),
        Expr::Any(items) => items.iter().any(|x| eval_expr(x, action)),
        Expr::Not(inner) => !eval_expr(inner, action),
        Expr::Match(m) => eval_match(m, action),
    }
}

fn eval_match(m: &Match, action: &Value) -> bool {
    let found = m.path.get(action);
    let actual = found.as_deref();
    let num = || actual.and_then(Value::as_f64);
    match &m.op {
        MatchOp::Eq(v) => js_eq(actual, v.as_ref()),
        MatchOp::Neq(v) => !js_eq(actual, v.as_ref()),
        MatchOp::In(items) => actual.is_some_and(|a| items.iter().any(|v| scalar_eq(a, v))),
        MatchOp::Nin(items) => !actual.is_some_and(|a| items.iter().any(|v| scalar_eq(a, v))),
        MatchOp::Lt(v) => v.zip(num()).is_some_and(|(v, a)| a < v),
        MatchOp::Lte(v) => v.zip(num()).is_some_and(|(v, a)| a <= v),
        MatchOp::Gt(v) => v.zip(num()).is_some_and(|(v, a)| a > v),
        MatchOp::Gte(v) => v.zip(num()).is_some_and(|(v, a)| a >= v),
        MatchOp::Regex(r) => actual
            .and_then(Value::as_str)
            .is_some_and(|s| r.is_match(s)),
        MatchOp::Exists => actual.is_some_and(|a| !a.is_null()),
    }
}

/// `eq` with absent modelled as "undefined": absent equals only a missing `value`.
fn js_eq(actual: Option<&Value>, expected: Option<&Value>) -> bool {
    match (actual, expected) {
        (None, None) => true,
        (Some(a), Some(b)) => deep_eq(a, b),
        _ => false,
    }
}

/// Strict equality for scalars (numbers numerically, so 5000 = 5000.0) and, Δ from upstream's
/// reference identity, by value for arrays and objects (key order irrelevant).
fn deep_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| deep_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_eq(v, w)))
        }
        _ => scalar_eq(a, b),
    }
}

/// `===` on JSON scalars; arrays and objects are never equal (as upstream `in`/`nin`).
fn scalar_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

fn constraints_pass(c: &Constraints, action: &Value) -> bool {
    let payload = action.get("payload");
    let field = |k: &str| payload.and_then(|p| p.get(k));
    let rp_domain = || action.get("relying_party").and_then(|r| r.get("domain"));
    // The payload field wins unless it is null or absent; a non-string there does not fall back.
    let domain_from = |k: &str| match field(k) {
        None | Some(Value::Null) => rp_domain(),
        some => some,
    };
    let listed = |v: Option<&Value>, list: &[String]| {
        v.and_then(Value::as_str)
            .is_some_and(|s| list.iter().any(|x| x == s))
    };
    if c.amount_min.is_some() || c.amount_max.is_some() {
        let Some(amount) = field("amount_minor").and_then(Value::as_f64) else {
            return false;
        };
        if c.amount_min.is_some_and(|m| amount < m) || c.amount_max.is_some_and(|m| amount > m) {
            return false;
        }
    }
    if let Some(list) = &c.currency
        && !listed(field("currency"), list)
    {
        return false;
    }
    if let Some(list) = &c.merchant_domain
        && !listed(domain_from("merchant_domain"), list)
    {
        return false;
    }
    if let Some(list) = &c.allowed_domains
        && !listed(domain_from("domain"), list)
    {
        return false;
    }
    if let Some(list) = &c.blocked_domains
        && listed(domain_from("domain"), list)
    {
        return false;
    }
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
