//! The compiled form of a policy: what the validator produces and the engine runs.

use super::jsonpath::JsonPath;
use super::rx::Rx;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

/// What happens when no rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultEffect {
    Allow,
    Deny,
    RequireApproval,
    /// Defer to the next layer; deny when there is none.
    Passthrough,
}

impl DefaultEffect {
    pub const NAMES: &'static [&'static str] =
        &["allow", "deny", "require_approval", "passthrough"];

    pub fn as_str(self) -> &'static str {
        match self {
            DefaultEffect::Allow => "allow",
            DefaultEffect::Deny => "deny",
            DefaultEffect::RequireApproval => "require_approval",
            DefaultEffect::Passthrough => "passthrough",
        }
    }

    pub fn parse(s: &str) -> Option<DefaultEffect> {
        match s {
            "allow" => Some(DefaultEffect::Allow),
            "deny" => Some(DefaultEffect::Deny),
            "require_approval" => Some(DefaultEffect::RequireApproval),
            "passthrough" => Some(DefaultEffect::Passthrough),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        }
    }
}

/// A rule's `action` pattern (SPEC §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionPattern {
    /// `*`
    Any,
    /// `p.*`: matches `p` itself and `p.<anything>`. Holds `p`.
    Prefix(String),
    /// Exact, case-sensitive.
    Exact(String),
}

impl ActionPattern {
    pub fn matches(&self, action_type: &str) -> bool {
        match self {
            ActionPattern::Any => true,
            ActionPattern::Exact(t) => t == action_type,
            ActionPattern::Prefix(p) => in_family(action_type, p),
        }
    }

    /// True when `self` matches every action type that `other` matches.
    pub fn covers(&self, other: &ActionPattern) -> bool {
        match (self, other) {
            (ActionPattern::Any, _) => true,
            (_, ActionPattern::Any) => false,
            (ActionPattern::Exact(a), ActionPattern::Exact(b)) => a == b,
            (ActionPattern::Exact(_), ActionPattern::Prefix(_)) => false,
            (ActionPattern::Prefix(p), ActionPattern::Exact(t)) => in_family(t, p),
            (ActionPattern::Prefix(p), ActionPattern::Prefix(q)) => in_family(q, p),
        }
    }

    /// True when some action type matches both patterns.
    pub fn overlaps(&self, other: &ActionPattern) -> bool {
        self.covers(other) || other.covers(self)
    }

    /// The pattern as written in YAML.
    pub fn source(&self) -> String {
        match self {
            ActionPattern::Any => "*".into(),
            ActionPattern::Prefix(p) => format!("{p}.*"),
            ActionPattern::Exact(t) => t.clone(),
        }
    }
}

/// `t` is `p` or starts with `p.`.
fn in_family(t: &str, p: &str) -> bool {
    t.strip_prefix(p)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// A `when` expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    All(Vec<Expr>),
    Any(Vec<Expr>),
    Not(Box<Expr>),
    Match(Box<Match>),
}

impl Expr {
    /// True for expressions that hold for every action (`all: []`).
    pub fn is_trivially_true(&self) -> bool {
        match self {
            Expr::All(items) => items.iter().all(Expr::is_trivially_true),
            Expr::Not(inner) => inner.is_trivially_false(),
            _ => false,
        }
    }

    fn is_trivially_false(&self) -> bool {
        match self {
            Expr::Any(items) => items.iter().all(Expr::is_trivially_false),
            Expr::Not(inner) => inner.is_trivially_true(),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub path: JsonPath,
    pub op: MatchOp,
}

/// A compiled `match` operator with its value.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchOp {
    /// `None` = no `value` key (upstream compares with "undefined": true only for absent paths).
    Eq(Option<Value>),
    Neq(Option<Value>),
    In(Vec<Value>),
    Nin(Vec<Value>),
    /// `None` = the value is not a number, so the comparison is never true.
    Lt(Option<f64>),
    Lte(Option<f64>),
    Gt(Option<f64>),
    Gte(Option<f64>),
    Regex(Rx),
    Exists,
}

impl MatchOp {
    pub const NAMES: &'static [&'static str] = &[
        "eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "regex", "exists",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            MatchOp::Eq(_) => "eq",
            MatchOp::Neq(_) => "neq",
            MatchOp::In(_) => "in",
            MatchOp::Nin(_) => "nin",
            MatchOp::Lt(_) => "lt",
            MatchOp::Lte(_) => "lte",
            MatchOp::Gt(_) => "gt",
            MatchOp::Gte(_) => "gte",
            MatchOp::Regex(_) => "regex",
            MatchOp::Exists => "exists",
        }
    }
}

/// The `constraints` shortcuts; `None` = not given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub amount_min: Option<f64>,
    pub amount_max: Option<f64>,
    pub currency: Option<Vec<String>>,
    pub merchant_domain: Option<Vec<String>>,
    pub allowed_domains: Option<Vec<String>>,
    pub blocked_domains: Option<Vec<String>>,
}

impl Constraints {
    pub const KEYS: &'static [&'static str] = &[
        "amount_min",
        "amount_max",
        "currency",
        "merchant_domain",
        "allowed_domains",
        "blocked_domains",
    ];

    /// No check at all (`constraints: {}`), so every action passes.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AssuranceLevel {
    Low,
    Substantial,
    High,
}

impl AssuranceLevel {
    pub const NAMES: &'static [&'static str] = &["LOW", "SUBSTANTIAL", "HIGH"];

    pub fn as_str(self) -> &'static str {
        match self {
            AssuranceLevel::Low => "LOW",
            AssuranceLevel::Substantial => "SUBSTANTIAL",
            AssuranceLevel::High => "HIGH",
        }
    }

    pub fn parse(s: &str) -> Option<AssuranceLevel> {
        match s {
            "LOW" => Some(AssuranceLevel::Low),
            "SUBSTANTIAL" => Some(AssuranceLevel::Substantial),
            "HIGH" => Some(AssuranceLevel::High),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requirements {
    pub min_assurance_level: Option<AssuranceLevel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ObligationType {
    HumanApproval,
    StepUpAuth,
    Deposit,
    CounterpartyAttestation,
}

impl ObligationType {
    pub const NAMES: &'static [&'static str] = &[
        "HUMAN_APPROVAL",
        "STEP_UP_AUTH",
        "DEPOSIT",
        "COUNTERPARTY_ATTESTATION",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObligationType::HumanApproval => "HUMAN_APPROVAL",
            ObligationType::StepUpAuth => "STEP_UP_AUTH",
            ObligationType::Deposit => "DEPOSIT",
            ObligationType::CounterpartyAttestation => "COUNTERPARTY_ATTESTATION",
        }
    }

    pub fn parse(s: &str) -> Option<ObligationType> {
        match s {
            "HUMAN_APPROVAL" => Some(ObligationType::HumanApproval),
            "STEP_UP_AUTH" => Some(ObligationType::StepUpAuth),
            "DEPOSIT" => Some(ObligationType::Deposit),
            "COUNTERPARTY_ATTESTATION" => Some(ObligationType::CounterpartyAttestation),
            _ => None,
        }
    }
}

/// One entry of a rule's `obligations`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObligationSpec {
    pub obligation_type: ObligationType,
    /// `params`, or `{}` when absent; becomes the obligation's `details_json`.
    pub params: Value,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProofSpec {
    pub required: Option<bool>,
    pub ttl_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Shared so that every trace entry can carry it without an allocation.
    pub id: Arc<str>,
    pub effect: Effect,
    pub action: ActionPattern,
    pub description: Option<String>,
    pub when: Option<Expr>,
    pub constraints: Option<Constraints>,
    pub requirements: Option<Requirements>,
    pub obligations: Vec<ObligationSpec>,
    pub proof: Option<ProofSpec>,
    /// `limits`: stateful caps over time windows (allow rules only); empty when absent.
    pub limits: Vec<super::limits::Limit>,
    /// `approval_ttl`: how long an approval request of this rule's REQUIRE_APPROVAL stays open,
    /// when shorter than `approval.request_ttl_seconds` (SPEC §16).
    pub approval_ttl_seconds: Option<u64>,
    /// Line of the rule in its file (for messages about it).
    pub line: usize,
}

impl Rule {
    /// A rule that matches every action its pattern matches (no `when`, no constraints).
    pub fn is_unconditional(&self) -> bool {
        self.when.as_ref().is_none_or(Expr::is_trivially_true)
            && self.constraints.as_ref().is_none_or(Constraints::is_empty)
            && self.limits.is_empty()
    }

    pub fn proof_required(&self) -> bool {
        self.proof.as_ref().and_then(|p| p.required) == Some(true)
    }
}

/// A validated, compiled policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPolicy {
    pub default: DefaultEffect,
    pub rules: Vec<Rule>,
}

impl CompiledPolicy {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ActionPattern {
        if s == "*" {
            ActionPattern::Any
        } else if let Some(x) = s.strip_suffix(".*") {
            ActionPattern::Prefix(x.into())
        } else {
            ActionPattern::Exact(s.into())
        }
    }

    #[test]
    fn pattern_matching_follows_upstream() {
        assert!(p("*").matches("anything.at.all"));
        assert!(p("government.*").matches("government"));
        assert!(p("government.*").matches("government.query"));
        assert!(p("government.*").matches("government.a.b"));
        assert!(!p("government.*").matches("governmentx"));
        assert!(!p("government.*").matches("gov"));
        assert!(p("purchase").matches("purchase"));
        assert!(!p("purchase").matches("Purchase"));
        assert!(!p("purchase").matches("purchase.small"));
    }

    #[test]
    fn coverage() {
        assert!(p("*").covers(&p("a.*")));
        assert!(!p("a.*").covers(&p("*")));
        assert!(p("a.*").covers(&p("a")));
        assert!(p("a.*").covers(&p("a.b.*")));
        assert!(p("a.*").covers(&p("a.b")));
        assert!(!p("a.*").covers(&p("ab")));
        assert!(!p("a.b.*").covers(&p("a.*")));
        assert!(!p("a").covers(&p("a.*")));
        assert!(p("a").covers(&p("a")));
        assert!(p("a.b").overlaps(&p("a.*")));
        assert!(!p("a.b").overlaps(&p("c.*")));
    }

    #[test]
    fn trivial_expressions() {
        assert!(Expr::All(vec![]).is_trivially_true());
        assert!(!Expr::Any(vec![]).is_trivially_true());
        assert!(Expr::Not(Box::new(Expr::Any(vec![]))).is_trivially_true());
    }
}
