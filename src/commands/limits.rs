//! `openleash limits [--agent X]`: every limit of the agents' effective policies with its current
//! use, remainder and when the window frees up; `openleash limits reset-index`: rebuild the
//! counter index from the whole (verified) audit log.

use super::{Ctx, confirm};
use crate::cli::{LimitsArgs, LimitsCommand};
use crate::error::Result;
use crate::store::DataDir;
use serde_json::json;

pub fn run(args: LimitsArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    match args.command {
        Some(LimitsCommand::ResetIndex { yes }) => reset(&dd, ctx, yes),
        None => show(&dd, ctx, args.agent.as_deref()),
    }
}

fn show(dd: &DataDir, ctx: &Ctx, only: Option<&str>) -> Result<u8> {
    let agents = match only {
        Some(a) => vec![dd.agent(a)?],
        None => dd.agents()?,
    };
    let rows = crate::handlers::limits::usage_for(dd, &agents)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!(rows));
        return Ok(0);
    }
    if rows.is_empty() {
        out.note("No limits: no effective policy has a rule with `limits:`.");
        return Ok(0);
    }
    let mut t = out.table(&[
        "AGENT",
        "RULE",
        "LIMIT",
        "SCOPE",
        "USED",
        "REMAINING",
        "FREES UP",
    ]);
    for r in &rows {
        let unit = match (r.measure, &r.currency) {
            ("max_count", _) => " decisions".to_string(),
            (_, Some(c)) => format!(" {c}"),
            _ => String::new(),
        };
        let scope: Vec<String> = r
            .scope
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect();
        t.add_row(vec![
            r.agent_id.clone(),
            r.rule_id.clone(),
            format!("#{} {}{} / {}", r.limit_index, r.max, unit, r.window),
            scope.join(", "),
            r.used.to_string(),
            r.remaining.to_string(),
            r.frees_at.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    out.print_table(&t);
    Ok(0)
}

fn reset(dd: &DataDir, ctx: &Ctx, yes: bool) -> Result<u8> {
    let out = &ctx.out;
    if !confirm(
        ctx,
        "Verify the audit log and rebuild every limit counter from it?",
        yes,
    )? {
        out.note("Nothing changed.");
        return Ok(1);
    }
    let (state, counters) = crate::store::limits::reset_index(dd)?;
    if out.json {
        out.json_value(
            &json!({"rebuilt": true, "seq": state.seq, "hash": state.hash, "counters": counters}),
        );
    } else {
        out.note(format!(
            "{} Rebuilt the limit counters from the audit log (up to seq {}, {counters} counters).",
            out.green("✓"),
            state.seq
        ));
    }
    Ok(0)
}
