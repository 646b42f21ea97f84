//! `openleash transform add|list|show|update|delete|apply`: output transformations from the
//! command line, through the same handlers as `/v1/owner/transformations`.

use super::Ctx;
use crate::cli::{TransformCommand, TransformRuleArgs};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::transformations::{self as tf, NewTransformation, TransformationPatch};
use crate::store::DataDir;
use crate::store::transformations::Transformation;
use serde_json::{Value, json};
use std::io::Read;

pub fn run(cmd: TransformCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        TransformCommand::Add(a) => {
            let owner = dd.resolve_owner(a.owner.as_deref())?;
            let rule = rule_value(&a.rule)?.ok_or_else(|| {
                Error::new(ErrorCode::Usage, "say what the rule does")
                    .with_hint("pass --max-characters N and/or --max-lines N, or --from REGEX --to TEXT, or --rule JSON")
            })?;
            let agent = a
                .agent
                .map(|id| dd.agent(&id).map(|ag| ag.agent_principal_id))
                .transpose()?;
            let t = tf::create(
                &dd,
                &owner,
                NewTransformation {
                    rule,
                    name: a.name,
                    description: a.description,
                    applies_to_agent_principal_id: agent,
                    enabled: Some(!a.disabled),
                    rank: a.rank,
                },
            )?;
            if out.json {
                out.json_value(&record(&t));
            } else {
                out.data(&t.transformation_id);
                out.note(format!(
                    "{} {} at rank {}",
                    out.green("Added"),
                    describe(&t),
                    t.rank
                ));
            }
        }
        TransformCommand::List { owner, agent } => {
            let list: Vec<Transformation> = match agent {
                Some(a) => tf::for_agent(&dd, &dd.agent(&a)?)?
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect(),
                None => tf::list_for_owner(&dd, &dd.resolve_owner(owner.as_deref())?.owner_id)?,
            };
            if out.json {
                out.json_value(&Value::Array(list.iter().map(record).collect()));
                return Ok(0);
            }
            let mut table = out.table(&["ID", "RANK", "ON", "APPLIES TO", "RULE", "NAME"]);
            for t in &list {
                table.add_row(vec![
                    t.transformation_id.clone(),
                    t.rank.to_string(),
                    if t.enabled { "yes".into() } else { "no".into() },
                    applies_to(&dd, t),
                    describe(t),
                    t.name.clone().unwrap_or_default(),
                ]);
            }
            out.print_table(&table);
        }
        TransformCommand::Show { id, owner } => {
            let owner = dd.resolve_owner(owner.as_deref())?;
            let t = tf::get_for_owner(&dd, &owner.owner_id, &id)?;
            if out.json {
                out.json_value(&record(&t));
            } else {
                out.line(format!("{}  {}", t.transformation_id, describe(&t)));
                out.line(format!(
                    "  name:        {}",
                    t.name.as_deref().unwrap_or("-")
                ));
                out.line(format!(
                    "  description: {}",
                    t.description.as_deref().unwrap_or("-")
                ));
                out.line(format!("  applies to:  {}", applies_to(&dd, &t)));
                out.line(format!("  rank:        {}", t.rank));
                out.line(format!("  enabled:     {}", t.enabled));
                out.line(format!("  rule:        {}", t.rule));
            }
        }
        TransformCommand::Update(a) => {
            let owner = dd.resolve_owner(a.owner.as_deref())?;
            let patch = TransformationPatch {
                rule: rule_value(&a.rule)?,
                name: a.name.map(Some),
                description: a.description.map(Some),
                enabled: if a.enable {
                    Some(true)
                } else if a.disable {
                    Some(false)
                } else {
                    None
                },
                rank: a.rank,
            };
            let t = tf::update(&dd, &owner.owner_id, &a.id, patch)?;
            if out.json {
                out.json_value(&record(&t));
            } else {
                out.note(format!("{} {}", out.green("Updated"), describe(&t)));
            }
        }
        TransformCommand::Delete { id, owner } => {
            let owner = dd.resolve_owner(owner.as_deref())?;
            let t = tf::delete(&dd, &owner.owner_id, &id)?;
            if out.json {
                out.json_value(
                    &json!({"transformation_id": t.transformation_id, "status": "deleted"}),
                );
            } else {
                out.note(format!("{} {}", out.green("Deleted"), describe(&t)));
            }
        }
        TransformCommand::Apply { agent, input } => {
            let agent = match agent {
                Some(a) => dd.agent(&a)?,
                None => dd.only_active_agent()?,
            };
            let text = read_input(input.as_deref())?;
            let rules = tf::for_agent(&dd, &agent)?;
            let applied = tf::apply(&rules, &text);
            if out.json {
                out.json_value(&json!({
                    "agent_id": agent.agent_id,
                    "output": applied.output,
                    "changed": !applied.changed_by.is_empty(),
                    "changed_by": applied.changed_by,
                    "rules": rules.len(),
                }));
            } else {
                // The transformed text exactly (no newline added), like a filter.
                crate::output::print_stdout(&applied.output);
            }
        }
    }
    Ok(0)
}

/// The rule from `--rule JSON` or the type flags; `None` when none was given.
fn rule_value(a: &TransformRuleArgs) -> Result<Option<Value>> {
    if let Some(text) = &a.rule {
        return serde_json::from_str(text).map(Some).map_err(|e| {
            Error::new(
                ErrorCode::InvalidJson,
                format!("--rule is not valid JSON: {e}"),
            )
        });
    }
    if a.max_characters.is_some() || a.max_lines.is_some() {
        return Ok(Some(json!({
            "type": "cap_output_length",
            "max_characters": a.max_characters,
            "max_lines": a.max_lines,
        })));
    }
    Ok(match (&a.from, &a.to) {
        (Some(from), Some(to)) => {
            Some(json!({"type": "regex_replace", "from_pattern": from, "to_pattern": to}))
        }
        _ => None,
    })
}

fn read_input(file: Option<&std::path::Path>) -> Result<String> {
    let mut bytes = Vec::new();
    match file {
        Some(p) => bytes = std::fs::read(p).map_err(|e| Error::io("read", p, e))?,
        None => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io("read", std::path::Path::new("<stdin>"), e))?;
        }
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "the output to transform is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn record(t: &Transformation) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

fn applies_to(dd: &DataDir, t: &Transformation) -> String {
    match &t.applies_to_agent_principal_id {
        None => "all agents".into(),
        Some(id) => dd
            .agent_by_principal(id)
            .map(|a| a.agent_id)
            .unwrap_or_else(|_| id.clone()),
    }
}

fn describe(t: &Transformation) -> String {
    let r = &t.rule;
    match r["type"].as_str() {
        Some("cap_output_length") => {
            let mut parts = vec![];
            if let Some(n) = r["max_characters"].as_u64() {
                parts.push(format!("{n} characters"));
            }
            if let Some(n) = r["max_lines"].as_u64() {
                parts.push(format!("{n} lines"));
            }
            format!("cap at {}", parts.join(" and "))
        }
        Some("regex_replace") => format!(
            "replace /{}/ with {:?}",
            r["from_pattern"].as_str().unwrap_or_default(),
            r["to_pattern"].as_str().unwrap_or_default()
        ),
        _ => r.to_string(),
    }
}
