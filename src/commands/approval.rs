//! `openleash approval …`: the owner side of human approval on the local data directory (list,
//! show, approve, deny) and the agent side for shell scripts (request, wait), locally or, with
//! `--url`/`--remote`, against a server signed as the agent.

use super::Ctx;
use crate::cli::{ApprovalCommand, ApprovalRequestArgs, ApprovalWaitArgs, RemoteAgentArgs};
use crate::error::Result;
use crate::handlers::approvals::{self, CreateApprovalRequest, ListFilter, OwnerScope};
use crate::remote::Client;
use crate::store::DataDir;
use crate::store::approvals::{APPROVED, ApprovalRequest, PENDING};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub fn run(cmd: ApprovalCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        ApprovalCommand::Request(a) => request(ctx, a),
        ApprovalCommand::Wait(a) => wait_command(ctx, a),
        cmd => owner(cmd, ctx),
    }
}

/// The owner side, always on the local data directory.
fn owner(cmd: ApprovalCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    match cmd {
        ApprovalCommand::List(a) => list(
            &dd,
            ctx,
            &ListFilter {
                status: a.status.map(|s| s.as_str().to_string()),
                agent: a.agent,
            },
            &a.page,
        ),
        ApprovalCommand::Show { id } => {
            let r = approvals::get(&dd, OwnerScope::All, &id)?;
            if ctx.out.json {
                ctx.out.json_value(&record_json(&r));
            } else {
                print_request(ctx, &r);
            }
            Ok(0)
        }
        ApprovalCommand::Approve { id, yes, totp_code } => {
            let r = approvals::get(&dd, OwnerScope::All, &id)?;
            print_for_confirmation(ctx, &r);
            if !super::confirm(
                ctx,
                &format!("Approve {} for agent {}?", r.action_type, r.agent_id),
                yes,
            )? {
                ctx.out.note("Not approved.");
                return Ok(1);
            }
            let code = super::prompt::totp_code(ctx, &dd, &r.owner_id, totp_code)?;
            let v = approvals::approve(&dd, &dd.config()?, OwnerScope::All, &id, code.as_deref())?;
            if ctx.out.json {
                ctx.out.json_value(&v);
            } else {
                ctx.out.note(format!(
                    "{} {id}: the agent can now re-authorize once (token expires {}).",
                    ctx.out.green("Approved"),
                    v["approval_token_expires_at"].as_str().unwrap_or("?")
                ));
            }
            Ok(0)
        }
        ApprovalCommand::Deny {
            id,
            reason,
            yes,
            totp_code,
        } => {
            let r = approvals::get(&dd, OwnerScope::All, &id)?;
            print_for_confirmation(ctx, &r);
            // Denying is the safe answer: without a terminal it needs no --yes (on one it asks).
            if !super::confirm(
                ctx,
                &format!("Deny {} for agent {}?", r.action_type, r.agent_id),
                yes || !crate::output::interactive(),
            )? {
                ctx.out.note("Not denied.");
                return Ok(1);
            }
            let code = super::prompt::totp_code(ctx, &dd, &r.owner_id, totp_code)?;
            let v = approvals::deny(
                &dd,
                OwnerScope::All,
                &id,
                reason.as_deref(),
                code.as_deref(),
            )?;
            if ctx.out.json {
                ctx.out.json_value(&v);
            } else {
                ctx.out.note(format!("{} {id}.", ctx.out.red("Denied")));
            }
            Ok(0)
        }
        ApprovalCommand::Request(_) | ApprovalCommand::Wait(_) => {
            unreachable!("the agent side is dispatched by run")
        }
    }
}

/// The stored record with its effective status, as the owner API returns it.
fn record_json(r: &ApprovalRequest) -> Value {
    serde_json::to_value(r).unwrap_or(Value::Null)
}

fn list(dd: &DataDir, ctx: &Ctx, filter: &ListFilter, page: &crate::cli::PageArgs) -> Result<u8> {
    let out = &ctx.out;
    let mut human = |rs: &[ApprovalRequest], _first: bool| -> Result<()> {
        let mut t = out.table(&["ID", "STATUS", "AGENT", "ACTION", "CREATED", "EXPIRES"]);
        for r in rs {
            t.add_row(vec![
                r.approval_request_id.clone(),
                r.status.clone(),
                r.agent_id.clone(),
                r.action_type.clone(),
                r.created_at.clone(),
                r.expires_at.clone(),
            ]);
        }
        out.print_table(&t);
        Ok(())
    };
    let view = super::paging::ListView {
        list: approvals::LIST,
        field: "approval_requests",
        to_json: &record_json,
        human: &mut human,
        empty: "No approval requests.",
    };
    super::paging::run(ctx, page, view, |req| {
        approvals::list_page(dd, OwnerScope::All, filter, req)
    })
}

fn print_request(ctx: &Ctx, r: &ApprovalRequest) {
    let out = &ctx.out;
    out.line(format!("Approval request {}", r.approval_request_id));
    out.line(format!("  status:        {}", r.status));
    out.line(format!(
        "  agent:         {} ({})",
        r.agent_id, r.agent_principal_id
    ));
    out.line(format!("  owner:         {}", r.owner_id));
    out.line(format!("  action:        {}", r.action_type));
    out.line(format!("  action_hash:   {}", r.action_hash));
    out.line(format!("  decision_id:   {}", r.decision_id));
    if let Some(j) = &r.justification {
        out.line(format!("  justification: {j}"));
    }
    out.line(format!("  created:       {}", r.created_at));
    out.line(format!("  expires:       {}", r.expires_at));
    if let Some(t) = &r.resolved_at {
        out.line(format!(
            "  resolved:      {t} by {}",
            r.resolved_by.as_deref().unwrap_or("?")
        ));
    }
    if let Some(reason) = &r.denial_reason {
        out.line(format!("  denial reason: {reason}"));
    }
    if let Some(t) = &r.consumed_at {
        out.line(format!("  token used:    {t}"));
    }
    out.line("  request:");
    let pretty = serde_json::to_string_pretty(&r.action).unwrap_or_default();
    for l in pretty.lines() {
        out.line(format!("    {l}"));
    }
}

/// What the owner is about to approve or deny, on stderr so `--json` output stays one document.
fn print_for_confirmation(ctx: &Ctx, r: &ApprovalRequest) {
    if ctx.out.json || ctx.out.quiet || !crate::output::interactive() {
        return;
    }
    let pretty = serde_json::to_string_pretty(&r.action).unwrap_or_default();
    eprintln!(
        "Agent {} asks to perform `{}`{}:\n{pretty}",
        r.agent_id,
        r.action_type,
        r.justification
            .as_deref()
            .map(|j| format!(" (justification: {j})"))
            .unwrap_or_default()
    );
}

/// Where the agent side of the workflow runs: the local data directory (as the agent named in
/// the action), or an `openleash start` server through a client signed as the agent.
pub(crate) enum Approvals<'a> {
    Local(&'a DataDir),
    Remote(&'a Client),
}

impl Approvals<'_> {
    /// Creates an approval request for the REQUIRE_APPROVAL decision `decision_id` of `action`.
    pub(crate) fn create(
        &self,
        decision_id: &str,
        action: Value,
        justification: Option<String>,
    ) -> Result<Value> {
        match self {
            Approvals::Local(dd) => {
                let agent_id = action["principal"]["agent_id"].as_str().unwrap_or_default();
                let agent = dd.agent(agent_id)?;
                approvals::create(
                    dd,
                    &dd.config()?,
                    &agent,
                    CreateApprovalRequest {
                        decision_id: decision_id.to_string(),
                        action,
                        justification,
                        context: None,
                    },
                )
            }
            Approvals::Remote(client) => {
                let mut body = json!({ "decision_id": decision_id, "action": action });
                if let Some(j) = justification {
                    body["justification"] = json!(j);
                }
                client.post("/v1/agent/approval-requests", &body)
            }
        }
    }

    /// The agent's view of request `id` (status, and the approval token once APPROVED).
    fn view(&self, id: &str) -> Result<Value> {
        match self {
            Approvals::Local(dd) => {
                let r = approvals::get(dd, OwnerScope::All, id)?;
                Ok(approvals::agent_view(&r, crate::timefmt::now()))
            }
            Approvals::Remote(client) => client.get(&format!("/v1/agent/approval-requests/{id}")),
        }
    }

    /// Polls request `id` until it leaves PENDING or `timeout` passes; returns the agent's view.
    pub(crate) fn wait_for(&self, id: &str, timeout: Duration, poll: Duration) -> Result<Value> {
        let start = Instant::now();
        loop {
            let view = self.view(id)?;
            if view["status"] != PENDING || start.elapsed() >= timeout {
                return Ok(view);
            }
            let left = timeout.saturating_sub(start.elapsed());
            std::thread::sleep(poll.min(left).max(Duration::from_millis(1)));
        }
    }
}

/// Runs `f` on the local data directory, or remotely with `--url`/`--remote` signed as the
/// agent (`agent`: from `--agent` or the action file, else the per-user config).
fn with_approvals<T>(
    ctx: &Ctx,
    remote: &RemoteAgentArgs,
    agent: Option<String>,
    f: impl FnOnce(&Approvals<'_>) -> Result<T>,
) -> Result<T> {
    match super::agent::remote_url(remote)? {
        Some(url) => {
            let (client, _) = super::agent::signed_client(&url, remote, agent)?;
            f(&Approvals::Remote(&client))
        }
        None => f(&Approvals::Local(&ctx.data()?)),
    }
}

fn request(ctx: &Ctx, a: ApprovalRequestArgs) -> Result<u8> {
    let action = super::action::read_action(&a.action_file)?;
    super::agent::check_action_agent(a.agent.as_deref(), &action, &a.action_file)?;
    let agent = action.agent_id().to_string();
    let v = with_approvals(ctx, &a.remote, Some(agent.clone()), |ap| {
        ap.create(&a.decision_id, action.into_value(), a.justification)
    })?;
    if ctx.out.json {
        ctx.out.json_value(&v);
    } else {
        let id = v["approval_request_id"].as_str().unwrap_or_default();
        ctx.out.note(format!(
            "Approval request created (expires {}); wait for the owner with:\n  openleash approval wait {id}{}",
            v["expires_at"].as_str().unwrap_or("?"),
            super::agent::remote_hint_flags(&a.remote, Some(&agent)),
        ));
        ctx.out.data(id);
    }
    Ok(0)
}

/// Exit code of a finished wait: 0 approved, 3 still pending, 1 denied or expired.
pub(crate) fn wait_exit_code(view: &Value) -> u8 {
    match view["status"].as_str() {
        Some(APPROVED) => 0,
        Some(PENDING) => 3,
        _ => 1,
    }
}

fn wait_command(ctx: &Ctx, a: ApprovalWaitArgs) -> Result<u8> {
    crate::ids::check_uuid("approval request id", &a.id)?;
    let view = with_approvals(ctx, &a.remote, a.agent.clone(), |ap| {
        ap.wait_for(
            &a.id,
            Duration::from_secs(a.timeout),
            Duration::from_millis(a.poll_ms),
        )
    })?;
    let code = wait_exit_code(&view);
    let out = &ctx.out;
    if out.json {
        out.json_value(&view);
        return Ok(code);
    }
    match code {
        0 => {
            out.note(format!(
                "{} (token expires {}); re-authorize the same action with `openleash authorize --approval-token TOKEN` and this token:",
                out.green("APPROVED"),
                view["approval_token_expires_at"].as_str().unwrap_or("?")
            ));
            out.data(view["approval_token"].as_str().unwrap_or_default());
        }
        3 => out.note(format!(
            "{}: no answer after {} s; wait again with `openleash approval wait {}{}`",
            out.yellow("PENDING"),
            a.timeout,
            a.id,
            super::agent::remote_hint_flags(&a.remote, a.agent.as_deref()),
        )),
        _ => out.note(format!(
            "{}{}",
            out.red(view["status"].as_str().unwrap_or("?")),
            view["denial_reason"]
                .as_str()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        )),
    }
    Ok(code)
}
