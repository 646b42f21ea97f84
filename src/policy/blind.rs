//! Static questions about a policy that do not need an action: "is this action type denied
//! whatever its payload?" (`mcp-proxy --hide-denied` hides such tools from `tools/list`).
//!
//! The answer must never be "denied" when some action of that type could get another result,
//! so anything that could depend on the action beyond its type counts as "might match".

use super::model::{CompiledPolicy, DefaultEffect, Effect, Rule};

/// True only when every action of `action_type` is denied by `layers` (evaluated as
/// [`super::evaluate`] does: rules of all layers in order, first match wins, then the first
/// non-passthrough default). Conservative: a conditional deny rule may or may not match, so the
/// walk goes on past it; any allow rule that could match makes the answer `false`.
pub fn denied_for_every_payload(layers: &[&CompiledPolicy], action_type: &str) -> bool {
    if layers.is_empty() {
        return false;
    }
    for rule in layers.iter().flat_map(|p| p.rules.iter()) {
        // Every field is named so that a new rule feature fails to compile here until someone
        // decides whether it can make a rule's match depend on the action.
        let Rule {
            id: _,
            effect,
            action,
            description: _,
            when: _,
            constraints: _,
            requirements: _,
            obligations: _,
            proof: _,
            // Only allow rules carry limits, and an allow rule that could match already shows
            // the tool; whether its limits are used up does not matter here.
            limits: _,
            approval_ttl_seconds: _,
            line: _,
        } = rule;
        if !action.matches(action_type) {
            continue;
        }
        match effect {
            Effect::Allow => return false,
            Effect::Deny if rule.is_unconditional() => return true,
            Effect::Deny => continue,
        }
    }
    match layers
        .iter()
        .map(|p| p.default)
        .find(|d| *d != DefaultEffect::Passthrough)
    {
        Some(DefaultEffect::Deny) | None => true,
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::check_policy;

    fn compile(yaml: &str) -> CompiledPolicy {
        check_policy("p.yaml", yaml.as_bytes())
            .policy
            .unwrap_or_else(|| panic!("invalid test policy:\n{yaml}"))
    }

    fn denied(yaml: &str, t: &str) -> bool {
        let p = compile(yaml);
        denied_for_every_payload(&[&p], t)
    }

    #[test]
    fn default_deny_without_rules_hides() {
        let y = "version: 1\ndefault: deny\nrules: []\n";
        assert!(denied(y, "mcp.fs.write_file"));
        let y = "version: 1\ndefault: allow\nrules: []\n";
        assert!(!denied(y, "mcp.fs.write_file"));
        let y = "version: 1\ndefault: require_approval\nrules: []\n";
        assert!(!denied(y, "mcp.fs.write_file"));
    }

    #[test]
    fn unconditional_deny_hides_and_allow_first_shows() {
        let y = r#"version: 1
default: allow
rules:
  - id: no_writes
    effect: deny
    action: mcp.fs.write_file
  - id: rest
    effect: allow
    action: mcp.fs.*
"#;
        assert!(denied(y, "mcp.fs.write_file"));
        assert!(!denied(y, "mcp.fs.read_file"));
    }

    #[test]
    fn argument_dependent_decisions_are_shown() {
        // A conditional allow: some arguments are allowed.
        let y = r#"version: 1
default: deny
rules:
  - id: tmp_only
    effect: allow
    action: mcp.fs.write_file
    when:
      match: { path: "$.payload.arguments.path", op: regex, value: "^/tmp/" }
"#;
        assert!(!denied(y, "mcp.fs.write_file"));
        assert!(denied(y, "mcp.fs.read_file"));
        // A conditional deny followed by the allow default: some arguments pass.
        let y = r#"version: 1
default: allow
rules:
  - id: no_etc
    effect: deny
    action: mcp.fs.*
    when:
      match: { path: "$.payload.arguments.path", op: regex, value: "^/etc/" }
"#;
        assert!(!denied(y, "mcp.fs.read_file"));
        // A conditional deny followed by default deny: denied either way.
        let y = y.replace("default: allow", "default: deny");
        assert!(denied(&y, "mcp.fs.read_file"));
    }

    #[test]
    fn layers_and_passthrough() {
        let top = compile("version: 1\ndefault: passthrough\nrules: []\n");
        let allow = compile(
            "version: 1\ndefault: deny\nrules:\n  - id: a\n    effect: allow\n    action: mcp.*\n",
        );
        assert!(!denied_for_every_payload(&[&top, &allow], "mcp.fs.x"));
        assert!(denied_for_every_payload(&[&top], "mcp.fs.x"));
        assert!(!denied_for_every_payload(&[], "mcp.fs.x"));
    }
}
