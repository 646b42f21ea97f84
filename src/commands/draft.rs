//! `openleash draft …`: the owner side of policy drafts on the local data directory (list, show
//! with diagnostics and the widening summary, approve, deny) and `submit` for agents.

use super::Ctx;
use super::policy::diff::print_summary;
use super::policy::manage::highlight_yaml;
use crate::cli::{DraftCommand, DraftSubmitArgs};
use crate::error::{ErrorCode, Result};
use crate::handlers::approvals::OwnerScope;
use crate::handlers::drafts::{self, AppliesTo, Review, SubmitDraft};
use crate::store::DataDir;
use crate::store::approvals::PolicyDraft;
use serde_json::{Value, json};

pub fn run(cmd: DraftCommand, ctx: &Ctx) -> Result<u8> {
    if let DraftCommand::Submit(a) = cmd {
        return submit(ctx, a);
    }
    let dd = ctx.data()?;
    match cmd {
        DraftCommand::List(a) => list(
            &dd,
            ctx,
            a.status.map(|s| s.as_str()),
            a.agent.as_deref(),
            &a.page,
        ),
        DraftCommand::Show { id } => {
            let d = drafts::get(&dd, OwnerScope::All, &id)?;
            let review = drafts::review(&dd, &d)?;
            let impact = crate::handlers::replay::draft_impact(&dd, &d)?;
            if ctx.out.json {
                let mut v = serde_json::to_value(&d).unwrap_or(Value::Null);
                v["review"] = review_json(&review);
                v["replay_impact"] = serde_json::to_value(&impact).unwrap_or(Value::Null);
                ctx.out.json_value(&v);
            } else {
                show(ctx, &d, &review);
                show_impact(ctx, impact.as_ref());
            }
            Ok(0)
        }
        DraftCommand::Approve { id, yes, totp_code } => {
            let d = drafts::get(&dd, OwnerScope::All, &id)?;
            preview(ctx, &dd, &d)?;
            if !super::confirm(
                ctx,
                &format!("Approve draft {id} and bind its policy?"),
                yes,
            )? {
                ctx.out.note("Not approved.");
                return Ok(1);
            }
            let code = super::prompt::totp_code(ctx, &dd, &d.owner_id, totp_code)?;
            let v = drafts::approve(&dd, OwnerScope::All, &id, code.as_deref())?;
            if ctx.out.json {
                ctx.out.json_value(&v);
            } else {
                ctx.out.note(format!(
                    "{} draft {id}: policy {} created and bound to {}.",
                    ctx.out.green("Approved"),
                    v["policy_id"].as_str().unwrap_or("?"),
                    v["applies_to_agent_principal_id"]
                        .as_str()
                        .map(|a| format!("agent {a}"))
                        .unwrap_or_else(|| "all agents of the owner".into())
                ));
            }
            Ok(0)
        }
        DraftCommand::Deny {
            id,
            reason,
            yes,
            totp_code,
        } => {
            let d = drafts::get(&dd, OwnerScope::All, &id)?;
            preview(ctx, &dd, &d)?;
            // Denying is the safe answer: without a terminal it needs no --yes (on one it asks).
            let yes = yes || !crate::output::interactive();
            if !super::confirm(ctx, &format!("Deny draft {id}?"), yes)? {
                ctx.out.note("Not denied.");
                return Ok(1);
            }
            let code = super::prompt::totp_code(ctx, &dd, &d.owner_id, totp_code)?;
            let v = drafts::deny(
                &dd,
                OwnerScope::All,
                &id,
                reason.as_deref(),
                code.as_deref(),
            )?;
            if ctx.out.json {
                ctx.out.json_value(&v);
            } else {
                ctx.out
                    .note(format!("{} draft {id}.", ctx.out.red("Denied")));
            }
            Ok(0)
        }
        DraftCommand::Submit(_) => unreachable!("submit is dispatched above"),
    }
}

fn list(
    dd: &DataDir,
    ctx: &Ctx,
    status: Option<&str>,
    agent: Option<&str>,
    page: &crate::cli::PageArgs,
) -> Result<u8> {
    let out = &ctx.out;
    let mut human = |ds: &[PolicyDraft], _first: bool| -> Result<()> {
        let mut t = out.table(&["ID", "STATUS", "AGENT", "APPLIES TO", "NAME", "CREATED"]);
        for d in ds {
            t.add_row(vec![
                d.policy_draft_id.clone(),
                d.status.clone(),
                d.agent_id.clone(),
                match &d.applies_to_agent_principal_id {
                    // The agent's name where it still exists; the raw id otherwise.
                    Some(p) => dd
                        .agent_by_principal(p)
                        .map(|a| a.agent_id)
                        .unwrap_or_else(|_| p.clone()),
                    None => "all agents".into(),
                },
                d.name.clone().unwrap_or_default(),
                d.created_at.clone(),
            ]);
        }
        out.print_table(&t);
        Ok(())
    };
    let to_json = |d: &PolicyDraft| serde_json::to_value(d).unwrap_or(Value::Null);
    let view = super::paging::ListView {
        list: drafts::LIST,
        field: "policy_drafts",
        to_json: &to_json,
        human: &mut human,
        empty: "No policy drafts.",
    };
    super::paging::run(ctx, page, view, |req| {
        drafts::list_page(dd, OwnerScope::All, status, agent, req)
    })
}

/// The draft's replay impact over the recorded traffic (SPEC §18).
fn show_impact(ctx: &Ctx, impact: Option<&crate::handlers::replay::DraftImpact>) {
    let out = &ctx.out;
    let Some(i) = impact else {
        return;
    };
    out.line("");
    out.line(format!(
        "Replay over the last {} days: {} decisions replayed, {} would change ({} widening), {} skipped.",
        i.days, i.replayed, i.changed, i.widening, i.skipped
    ));
    for (t, n) in &i.transitions {
        out.line(format!("  {t}: {n}"));
    }
    for c in &i.changes {
        out.line(format!(
            "  {} {} {} {} -> {}",
            c.requested_at,
            c.agent_id,
            c.action_type,
            c.before.result.as_str(),
            c.after.result.as_str()
        ));
    }
}

fn review_json(r: &Review) -> Value {
    json!({
        "agent_id": r.agent_id,
        "valid": !r.diagnostics.iter().any(|d| d.severity == crate::policy::Severity::Error),
        "diagnostics": crate::policy::diag::render_json(&r.diagnostics),
        "diff": r.diff.as_ref().map(|d| json!({
            "default": d.default_changed.map(|(a, b)| json!({"old": a, "new": b})),
            "added": d.added,
            "removed": d.removed,
            "changed": d.changed,
            "widening": d.widening,
            "widened": !d.widening.is_empty(),
        })),
    })
}

fn show(ctx: &Ctx, d: &PolicyDraft, review: &Review) {
    let out = &ctx.out;
    if out.json {
        let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
        v["review"] = review_json(review);
        out.json_value(&v);
        return;
    }
    out.line(format!("Policy draft {}", d.policy_draft_id));
    out.line(format!("  status:        {}", d.status));
    out.line(format!(
        "  submitted by:  {} ({})",
        d.agent_id, d.agent_principal_id
    ));
    out.line(format!(
        "  applies to:    {}",
        d.applies_to_agent_principal_id
            .as_deref()
            .map(|a| format!("agent {a}"))
            .unwrap_or_else(|| format!("all agents of owner {}", d.owner_id))
    ));
    for (label, v) in [
        ("name", &d.name),
        ("description", &d.description),
        ("justification", &d.justification),
        ("policy", &d.resulting_policy_id),
        ("denial reason", &d.denial_reason),
    ] {
        if let Some(v) = v {
            out.line(format!("  {:<14} {v}", format!("{label}:")));
        }
    }
    out.line(format!("  created:       {}", d.created_at));
    out.line("");
    let body = if out.color {
        highlight_yaml(out, &d.policy_yaml)
    } else {
        d.policy_yaml.clone()
    };
    out.data(body.trim_end_matches('\n'));
    out.line("");
    if review.diagnostics.is_empty() {
        out.line(out.green("Diagnostics: none"));
    } else {
        out.line(out.bold("Diagnostics:"));
        super::policy::report_diagnostics_to_stdout(ctx, &review.diagnostics, &d.policy_yaml);
    }
    out.line("");
    match &review.diff {
        Some(diff) => {
            out.line(format!(
                "Effective rules of agent {} before \u{2192} after approval:",
                review.agent_id
            ));
            print_summary(ctx, diff);
        }
        None => out.line(format!(
            "No diff: the draft or agent {}'s current policy does not validate.",
            review.agent_id
        )),
    }
}

/// Before approve/deny on a terminal: the draft and its review, so the owner sees what they
/// confirm (stdout stays clean with --json or without a TTY).
fn preview(ctx: &Ctx, dd: &DataDir, d: &PolicyDraft) -> Result<()> {
    if ctx.out.json || ctx.out.quiet || !crate::output::interactive() {
        return Ok(());
    }
    let review = drafts::review(dd, d)?;
    show(ctx, d, &review);
    Ok(())
}

/// Agent side: locally as the agent, or with `--url`/`--remote` signed as the agent
/// (`POST /v1/agent/policy-drafts`), validated here first either way.
fn submit(ctx: &Ctx, a: DraftSubmitArgs) -> Result<u8> {
    // Every diagnostic with its code frame on stderr; an invalid file stops here, unwritten.
    let (policy_yaml, _) = super::policy::load_policy(ctx, &a.file, ErrorCode::InvalidPolicy)?;
    let applies_to = match (a.owner_wide, a.applies_to) {
        (true, _) => AppliesTo::OwnerWide,
        (false, Some(id)) => AppliesTo::Agent(id),
        (false, None) => AppliesTo::CallingAgent,
    };
    let v = match super::agent::remote_url(&a.remote)? {
        Some(url) => {
            let (client, _) = super::agent::signed_client(&url, &a.remote, a.agent.clone())?;
            let mut body = json!({ "policy_yaml": policy_yaml });
            match applies_to {
                AppliesTo::OwnerWide => body["applies_to_agent_principal_id"] = Value::Null,
                AppliesTo::Agent(id) => body["applies_to_agent_principal_id"] = json!(id),
                AppliesTo::CallingAgent => {}
            }
            for (k, v) in [
                ("name", a.name),
                ("description", a.description),
                ("justification", a.justification),
            ] {
                if let Some(v) = v {
                    body[k] = json!(v);
                }
            }
            client.post("/v1/agent/policy-drafts", &body)?
        }
        None => {
            let dd = ctx.data()?;
            let agent = match &a.agent {
                Some(id) => dd.agent(id)?,
                None => dd.only_active_agent()?,
            };
            drafts::submit(
                &dd,
                &agent,
                SubmitDraft {
                    policy_yaml,
                    applies_to,
                    name: a.name,
                    description: a.description,
                    justification: a.justification,
                },
            )?
        }
    };
    if ctx.out.json {
        ctx.out.json_value(&v);
    } else {
        ctx.out.note(format!(
            "Draft submitted; an owner reviews it with `openleash draft show {}`",
            v["policy_draft_id"].as_str().unwrap_or("?")
        ));
        ctx.out
            .data(v["policy_draft_id"].as_str().unwrap_or_default());
    }
    Ok(0)
}
