//! `openleash playground list|run`: evaluate an action against a policy and show the per-rule
//! trace, without changing any state (with a data directory the one write is a
//! `PLAYGROUND_RUN` audit event).

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::{PlaygroundCommand, PlaygroundRunArgs};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{self, CompiledPolicy, DecisionResult, Evaluation};
use crate::store::DataDir;
use serde_json::{Value, json};
use std::sync::Arc;

/// The scenarios shipped with openleash (upstream's six, with valid UUIDs).
const BUNDLED: &[(&str, &str)] = &[
    (
        "communication_new_domain_denied",
        include_str!("../../playground/scenarios/communication_new_domain_denied.json"),
    ),
    (
        "doctor_booking_requires_stepup",
        include_str!("../../playground/scenarios/doctor_booking_requires_stepup.json"),
    ),
    (
        "government_submit_requires_high",
        include_str!("../../playground/scenarios/government_submit_requires_high.json"),
    ),
    (
        "hairdresser_booking_allowed",
        include_str!("../../playground/scenarios/hairdresser_booking_allowed.json"),
    ),
    (
        "large_purchase_requires_approval",
        include_str!("../../playground/scenarios/large_purchase_requires_approval.json"),
    ),
    (
        "small_purchase_allowed",
        include_str!("../../playground/scenarios/small_purchase_allowed.json"),
    ),
];

const SCENARIO_DIR: &str = "playground/scenarios";

pub fn run(cmd: PlaygroundCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        PlaygroundCommand::List => list(ctx),
        PlaygroundCommand::Run(args) => run_one(args, ctx),
    }
}

struct Scenario {
    name: String,
    /// `None` = bundled.
    path: Option<std::path::PathBuf>,
    text: String,
}

/// Data-directory scenarios first (they override bundled ones of the same name), by name.
fn scenarios(dd: Option<&DataDir>) -> Result<Vec<Scenario>> {
    let mut out: Vec<Scenario> = Vec::new();
    if let Some(dd) = dd {
        for name in dd.list_ids(SCENARIO_DIR, "json")? {
            if !valid_name(&name) {
                continue;
            }
            let path = dd.path(SCENARIO_DIR).join(format!("{name}.json"));
            let text = super::read_text(&path)?;
            out.push(Scenario {
                name,
                path: Some(path),
                text,
            });
        }
    }
    for (name, text) in BUNDLED {
        if !out.iter().any(|s| s.name == *name) {
            out.push(Scenario {
                name: name.to_string(),
                path: None,
                text: text.to_string(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Scenario names become file names: keep them to a safe alphabet.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_.-".contains(&c))
}

fn list(ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data_if_present();
    let all = scenarios(dd.as_ref())?;
    let out = &ctx.out;
    let action_type = |s: &Scenario| {
        serde_json::from_str::<Value>(&s.text)
            .ok()
            .and_then(|v| {
                v.get("action_type")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "?".into())
    };
    if out.json {
        out.json_value(&Value::Array(
            all.iter()
                .map(|s| {
                    json!({
                        "name": s.name,
                        "source": if s.path.is_some() { "data_dir" } else { "bundled" },
                        "path": s.path.as_ref().map(|p| p.display().to_string()),
                        "action_type": action_type(s),
                    })
                })
                .collect(),
        ));
        return Ok(0);
    }
    out.line("Available scenarios:");
    out.line("");
    let mut t = out.table(&["NAME", "ACTION TYPE", "SOURCE"]);
    for s in &all {
        t.add_row(vec![
            s.name.clone(),
            action_type(s),
            s.path
                .as_ref()
                .map_or_else(|| "bundled".to_string(), |p| p.display().to_string()),
        ]);
    }
    out.print_table(&t);
    out.line("");
    out.line("Run one with `openleash playground run NAME` (add --policy FILE to try a draft).");
    Ok(0)
}

/// What the evaluation runs against, and how to name it.
struct Target {
    label: String,
    layers: Vec<Arc<CompiledPolicy>>,
    layer_ids: Vec<String>,
}

fn run_one(args: PlaygroundRunArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data_if_present();
    let (label, raw) = match (&args.action, &args.scenario) {
        (Some(file), _) => {
            let text = super::read_text(file)?;
            let v = serde_json::from_str::<Value>(&text).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidJson,
                    format!(
                        "{}: not valid JSON: {e} (line {}, column {})",
                        file.display(),
                        e.line(),
                        e.column()
                    ),
                )
            })?;
            (file.display().to_string(), v)
        }
        (None, Some(name)) => (name.clone(), load_scenario(dd.as_ref(), name)?),
        (None, None) => {
            return Err(
                Error::new(ErrorCode::Usage, "name a scenario or pass --action FILE")
                    .with_hint("see `openleash playground list`"),
            );
        }
    };
    let action = action::prepare(raw)?;
    let target = select_policy(ctx, dd.as_ref(), &args, &action.value)?;
    let layers: Vec<&CompiledPolicy> = target.layers.iter().map(|p| &**p).collect();
    let eval = policy::evaluate(&layers, &action.value);
    let decision_id = crate::ids::new_id();
    let action_id = action
        .value
        .get("action_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let decision = eval.response_json(&decision_id, action_id, &action.hash, None, None);

    if let Some(dd) = &dd {
        // Best effort: an inspection must not fail because the log is busy; say so, though.
        let ev = NewEvent::new(
            "PLAYGROUND_RUN",
            json!({
                "scenario": args.scenario,
                "action_file": args.action.as_ref().map(|p| p.display().to_string()),
                "policy": target.label,
                "result": eval.result,
                "matched_rule_id": eval.matched_rule_id,
                "action_hash": action.hash,
            }),
        )
        .action(action_id);
        if let Err(e) = dd.append_audit(vec![ev]) {
            crate::output::warn(&format!(
                "could not record PLAYGROUND_RUN in the audit log: {e}"
            ));
        }
    }

    let out = &ctx.out;
    if out.json {
        out.json_value(&json!({
            "action_hash": action.hash,
            "decision": decision,
            "debug": { "trace": eval.trace },
            "proof_required": eval.proof_required,
        }));
        return Ok(0);
    }
    print_human(ctx, &label, &target, &eval, &action.hash);
    Ok(0)
}

fn load_scenario(dd: Option<&DataDir>, name: &str) -> Result<Value> {
    let all = scenarios(dd)?;
    let Some(s) = all.iter().find(|s| s.name == name) else {
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        let hint = match crate::yaml::did_you_mean(name, &names) {
            Some(n) => format!("did you mean `{n}`? (see `openleash playground list`)"),
            None => "see `openleash playground list`, or pass --action FILE".into(),
        };
        return Err(
            Error::new(ErrorCode::NotFound, format!("Scenario not found: {name}")).with_hint(hint),
        );
    };
    serde_json::from_str::<Value>(&s.text).map_err(|e| {
        let at = s.path.as_ref().map_or_else(
            || format!("bundled scenario {name}"),
            |p| p.display().to_string(),
        );
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "{at}: not valid JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

fn select_policy(
    ctx: &Ctx,
    dd: Option<&DataDir>,
    args: &PlaygroundRunArgs,
    action: &Value,
) -> Result<Target> {
    if let Some(file) = &args.policy {
        let (_, p) = super::policy::load_policy(ctx, file, ErrorCode::InvalidPolicy)?;
        return Ok(Target {
            label: format!("file {}", super::policy::display_name(file)),
            layers: vec![Arc::new(p)],
            layer_ids: vec![super::policy::display_name(file)],
        });
    }
    let need_dd = || -> Result<&DataDir> {
        dd.ok_or_else(|| {
            let mut e = Error::not_initialized(&ctx.data_dir);
            e.hint = Some(format!(
                "pass --policy FILE to evaluate without a data directory, or {}",
                e.hint.clone().unwrap_or_default()
            ));
            e
        })
    };
    if let Some(id) = &args.policy_id {
        let dd = need_dd()?;
        let path = dd.policy_path(id)?;
        let p = policy::compile_file(&path).map_err(|e| {
            if e.code == ErrorCode::NotFound {
                crate::store::bindings::policy_not_found(id)
            } else {
                e
            }
        })?;
        return Ok(Target {
            label: format!("policy {}", id.to_ascii_lowercase()),
            layers: vec![p],
            layer_ids: vec![id.to_ascii_lowercase()],
        });
    }
    let dd = need_dd()?;
    let agent = match &args.agent {
        Some(a) => dd.agent(a)?,
        None => {
            let agent_id = action
                .get("principal")
                .and_then(|p| p.get("agent_id"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            dd.agent(agent_id).map_err(|mut e| {
                e.hint = Some(format!(
                    "the action's principal.agent_id is {agent_id:?}; pass --agent ID, --policy-id ID or --policy FILE to choose the policy"
                ));
                e
            })?
        }
    };
    let eff = policy::resolve_for_agent(dd, &agent)?;
    Ok(Target {
        label: format!("effective policy of agent {}", agent.agent_id),
        layer_ids: eff.layers.iter().map(|l| l.policy_id.clone()).collect(),
        layers: eff.layers.into_iter().map(|l| l.policy).collect(),
    })
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "YES",
        Some(false) => "NO",
        None => "N/A",
    }
}

fn print_human(ctx: &Ctx, name: &str, target: &Target, eval: &Evaluation, hash: &str) {
    let out = &ctx.out;
    let result = match eval.result {
        DecisionResult::Allow => out.green(eval.result.as_str()),
        DecisionResult::Deny => out.red(eval.result.as_str()),
        _ => out.yellow(eval.result.as_str()),
    };
    let obligations =
        serde_json::to_string_pretty(&eval.obligations).unwrap_or_else(|_| "[]".into());
    out.line("");
    out.line(format!("=== Playground: {name} ==="));
    out.line("");
    out.line(format!("Policy:          {}", target.label));
    out.line(format!("Action Hash:     {hash}"));
    out.line(format!(
        "Matched Rule:    {}",
        eval.matched_rule_id.as_deref().unwrap_or("(none)")
    ));
    out.line(format!("Decision:        {result}"));
    out.line(format!("Reason:          {}", eval.reason));
    out.line(format!("Obligations:     {obligations}"));
    out.line("Proof Token:     (none)");
    out.line(format!(
        "Proof Required:  {}",
        if eval.proof_required { "yes" } else { "no" }
    ));
    out.line("");
    out.line("Evaluation Trace:");
    let layered = target.layers.len() > 1;
    for t in &eval.trace {
        let from = if layered {
            target
                .layer_ids
                .get(t.policy_index)
                .map(|id| format!("  (policy {id})"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        out.line(format!("  Rule: {}{from}", t.rule_id));
        out.line(format!(
            "    pattern_match:     {}",
            yes_no(Some(t.pattern_match))
        ));
        out.line(format!("    when_match:        {}", yes_no(t.when_match)));
        out.line(format!(
            "    constraints_match: {}",
            yes_no(t.constraints_match)
        ));
        out.line(format!(
            "    final_match:       {}",
            yes_no(Some(t.final_match))
        ));
    }
}

/// A minimal ActionRequest check, stripping and hash for the playground. The full validated
/// form lives in `src/action.rs` (built separately); this stays private so it can be swapped.
mod action {
    use crate::error::{Error, ErrorCode, Result};
    use serde_json::{Map, Value, json};

    #[derive(Debug)]
    pub struct Prepared {
        pub value: Value,
        pub hash: String,
    }

    const TOP: &[&str] = &[
        "action_id",
        "action_type",
        "requested_at",
        "principal",
        "subject",
        "relying_party",
        "payload",
    ];

    fn keep(v: &Value, keys: &[&str]) -> Value {
        let mut m = Map::new();
        if let Some(o) = v.as_object() {
            for k in keys {
                if let Some(x) = o.get(*k) {
                    m.insert((*k).to_string(), x.clone());
                }
            }
        }
        Value::Object(m)
    }

    pub fn prepare(raw: Value) -> Result<Prepared> {
        let Some(obj) = raw.as_object() else {
            return Err(Error::new(
                ErrorCode::InvalidActionRequest,
                "Invalid action request: expected a JSON object",
            ));
        };
        let mut problems: Vec<String> = Vec::new();
        fn s(v: Option<&Value>) -> Option<&str> {
            v.and_then(Value::as_str)
        }
        let uuid = |v: Option<&Value>| s(v).is_some_and(crate::ids::is_uuid_shaped);
        if !uuid(obj.get("action_id")) {
            problems.push("action_id: expected a UUID".into());
        }
        if s(obj.get("action_type")).is_none_or(str::is_empty) {
            problems.push("action_type: expected a non-empty string".into());
        }
        if s(obj.get("requested_at")).is_none() {
            problems.push("requested_at: expected a string".into());
        }
        if s(obj.get("principal").and_then(|p| p.get("agent_id"))).is_none_or(str::is_empty) {
            problems.push("principal.agent_id: expected a non-empty string".into());
        }
        if !uuid(obj.get("subject").and_then(|p| p.get("principal_id"))) {
            problems.push("subject.principal_id: expected a UUID".into());
        }
        if !obj.get("payload").is_some_and(Value::is_object) {
            problems.push("payload: expected an object".into());
        }
        let mut value = keep(&raw, TOP);
        if let Some(rp) = obj.get("relying_party") {
            if !rp.is_object() {
                problems.push("relying_party: expected an object".into());
            }
            if rp.get("rp_id").is_some() && !uuid(rp.get("rp_id")) {
                problems.push("relying_party.rp_id: expected a UUID".into());
            }
            if let Some(t) = rp.get("trust_profile")
                && !matches!(t.as_str(), Some("LOW" | "MEDIUM" | "HIGH" | "REGULATED"))
            {
                problems.push(
                    "relying_party.trust_profile: expected LOW, MEDIUM, HIGH or REGULATED".into(),
                );
            }
            value["relying_party"] = keep(rp, &["rp_id", "domain", "trust_profile"]);
        }
        if !problems.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidActionRequest,
                format!("Invalid action request: {}", problems.join("; ")),
            )
            .with_details(json!({ "problems": problems })));
        }
        value["principal"] = keep(&raw["principal"], &["agent_id"]);
        value["subject"] = keep(&raw["subject"], &["principal_id"]);
        let canonical = serde_json_canonicalizer::to_string(&value)
            .map_err(|e| Error::internal(format!("cannot canonicalise the action: {e}")))?;
        Ok(Prepared {
            hash: crate::crypto::sha256_hex(canonical.as_bytes()),
            value,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scenarios_are_valid_actions() {
        for (name, text) in BUNDLED {
            let v: Value = serde_json::from_str(text).unwrap();
            let p = action::prepare(v).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.hash.len(), 64);
            assert!(valid_name(name));
        }
    }

    #[test]
    fn hash_matches_the_upstream_test_vector() {
        let v = json!({"action_id": "00000000-0000-0000-0000-000000000001", "action_type": "purchase", "requested_at": "2024-01-15T10:30:00.000Z", "principal": {"agent_id": "test-agent"}, "subject": {"principal_id": "00000000-0000-0000-0000-000000000002"}, "relying_party": {"domain": "example.com", "trust_profile": "LOW"}, "payload": {"amount_minor": 5000, "currency": "USD", "merchant_domain": "example.com"}});
        assert_eq!(
            action::prepare(v).unwrap().hash,
            "5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d"
        );
    }

    #[test]
    fn hash_ignores_unknown_keys_but_not_payload_keys() {
        let base: Value = serde_json::from_str(BUNDLED[0].1).unwrap();
        let h = action::prepare(base.clone()).unwrap().hash;
        let mut extra = base.clone();
        extra["unknown"] = json!(1);
        extra["principal"]["x"] = json!(2);
        assert_eq!(action::prepare(extra).unwrap().hash, h);
        let mut payload = base;
        payload["payload"]["x"] = json!(1);
        assert_ne!(action::prepare(payload).unwrap().hash, h);
    }

    #[test]
    fn invalid_actions_list_every_problem() {
        let e = action::prepare(json!({"action_type": "", "payload": 1})).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidActionRequest);
        for field in [
            "action_id",
            "action_type",
            "requested_at",
            "principal.agent_id",
            "subject",
            "payload",
        ] {
            assert!(e.message.contains(field), "{field}: {}", e.message);
        }
    }

    #[test]
    fn names_are_safe() {
        assert!(valid_name("small_purchase-2.v1"));
        for bad in ["", "../x", "a/b", ".hidden"] {
            assert!(!valid_name(bad));
        }
    }
}
