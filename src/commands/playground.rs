//! `openleash playground list|run`: evaluate an action against a policy and show the per-rule
//! trace, without changing any state (with a data directory the one write is a
//! `PLAYGROUND_RUN` audit event).

use super::Ctx;
use crate::action::ValidatedAction;
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
    out.note("Available scenarios:");
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
    out.note("Run one with `openleash playground run NAME` (add --policy FILE to try a draft).");
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
    let (label, action) = match (&args.action, &args.scenario) {
        (Some(file), _) => (
            file.display().to_string(),
            super::action::read_action(file)?,
        ),
        (None, Some(name)) => {
            let raw = load_scenario(dd.as_ref(), name)?;
            let action = ValidatedAction::from_value(raw).map_err(|mut e| {
                e.message = format!("scenario {name}: {}", e.message);
                e
            })?;
            (name.clone(), action)
        }
        (None, None) => {
            return Err(
                Error::new(ErrorCode::Usage, "name a scenario or pass --action FILE")
                    .with_hint("see `openleash playground list`"),
            );
        }
    };
    let target = select_policy(ctx, dd.as_ref(), &args, action.value())?;
    let layers: Vec<&CompiledPolicy> = target.layers.iter().map(|p| &**p).collect();
    let eval = match &args.history {
        None => policy::evaluate(&layers, action.value()),
        Some(file) => {
            let text = super::read_text(file)?;
            let bad = |msg: String| {
                Error::new(ErrorCode::InvalidBody, format!("{}: {msg}", file.display()))
                    .with_hint("a history file is a list of earlier decisions, e.g. `- {at: -2h, payload: {amount_minor: 2000, currency: USD}}` (see docs/policy.md)")
            };
            let v: Value = serde_saphyr::from_str(&text).map_err(|e| bad(e.to_string()))?;
            let items = policy::suite::history_from_json(&v).map_err(bad)?;
            policy::suite::evaluate_after(&layers, action.value(), &items).map_err(bad)?
        }
    };
    let decision_id = crate::ids::new_id();
    let action_id = action.action_id();
    let decision = eval.response_json(&decision_id, action_id, action.action_hash(), None, None);

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
                "action_hash": action.action_hash(),
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
            "action_hash": action.action_hash(),
            "decision": decision,
            "debug": { "trace": eval.trace },
            "proof_required": eval.proof_required,
        }));
        return Ok(0);
    }
    print_human(ctx, &label, &target, &eval, action.action_hash());
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
        layers: eff.layers.iter().map(|l| l.policy.clone()).collect(),
    })
}

/// `HUMAN_APPROVAL (reason: Large purchase)`: the type and its details as `key: value`.
pub(crate) fn obligation_text(o: &crate::policy::Obligation) -> String {
    let details: Vec<String> = match &o.details_json {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    };
    if details.is_empty() {
        o.obligation_type.as_str().to_string()
    } else {
        format!("{} ({})", o.obligation_type.as_str(), details.join(", "))
    }
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
    let obligations = if eval.obligations.is_empty() {
        "(none)".to_string()
    } else {
        eval.obligations
            .iter()
            .map(obligation_text)
            .collect::<Vec<_>>()
            .join("\n                 ")
    };
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
    // Only an ALLOW carries a proof; a rule's `proof.required` means nothing on other results.
    out.line(format!(
        "Proof Required:  {}",
        if eval.proof_required && eval.result == DecisionResult::Allow {
            "yes"
        } else {
            "no"
        }
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
        if t.limits_match.is_some() {
            out.line(format!("    limits_match:      {}", yes_no(t.limits_match)));
        }
        if let Some(f) = &t.limit_failure {
            out.line(format!("      {}", f.message));
            if let Some(at) = &f.frees_at {
                out.line(format!("      window frees up from {at}"));
            }
        }
        out.line(format!(
            "    final_match:       {}",
            yes_no(Some(t.final_match))
        ));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scenarios_are_valid_actions() {
        for (name, text) in BUNDLED {
            let a = ValidatedAction::from_str_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(a.action_hash().len(), 64);
            assert!(valid_name(name));
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
