//! `openleash authorize`: build an ActionRequest (from a file or from flags), ask the authorize
//! handler, print the decision, and exit with the decision's code so shell scripts can branch.

use super::Ctx;
use super::approval::Approvals;
use crate::action::ValidatedAction;
use crate::cli::AuthorizeArgs;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::authorize::{AuthorizeResponse, authorize_with};
use crate::policy::engine::DecisionResult;
use crate::remote::Client;
use serde_json::{Map, Value, json};

pub fn run(args: AuthorizeArgs, ctx: &Ctx) -> Result<u8> {
    if let Some(url) = super::agent::remote_url(&args.remote)? {
        return remote(&args, &url, ctx);
    }
    let dd = ctx.data()?;
    let config = dd.config()?;
    let (action, looked_up) = build_action(&args, &dd)?;
    // The agent found while building the action is reused: one index read per decision.
    let agent = match looked_up {
        // (Looked up by agent_id or as the only active one: what `dd.agent` would return.)
        Some(a)
            if a.agent_id == action.agent_id()
                && args.agent.as_deref().is_none_or(|x| x == a.agent_id) =>
        {
            a
        }
        _ => dd.agent(action.agent_id())?,
    };
    let response = authorize_with(
        &dd,
        &config,
        &agent,
        &action,
        args.approval_token.as_deref(),
    )?;
    if args.request_approval && response.result == DecisionResult::RequireApproval {
        return request_and_wait(
            &args,
            ctx,
            &Approvals::Local(&dd),
            &action,
            &response,
            |token| {
                let agent = dd.agent(action.agent_id())?;
                authorize_with(&dd, &dd.config()?, &agent, &action, Some(token))
            },
        );
    }
    print_response(ctx, &response, action.action_type());
    hint_approval(ctx, &args, &response, action.agent_id());
    Ok(response.result.exit_code())
}

/// `--request-approval` (local or remote): turn the REQUIRE_APPROVAL decision `first` into an
/// approval request, wait for the owner, and re-authorize the same action with the token
/// (`reauthorize`). Exit code of the final decision; 1 when denied or expired, 3 (printing the
/// approval id) when nobody answered in time.
fn request_and_wait(
    args: &AuthorizeArgs,
    ctx: &Ctx,
    approvals: &Approvals<'_>,
    action: &ValidatedAction,
    first: &AuthorizeResponse,
    reauthorize: impl FnOnce(&str) -> Result<AuthorizeResponse>,
) -> Result<u8> {
    let out = &ctx.out;
    let created = approvals.create(
        &first.decision_id,
        action.value().clone(),
        args.justification.clone(),
    )?;
    let id = created["approval_request_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if !out.json && !out.quiet {
        eprintln!(
            "REQUIRE_APPROVAL ({}): waiting up to {} s for the owner to approve request {id}",
            first.reason, args.wait
        );
    }
    let view = approvals.wait_for(
        &id,
        std::time::Duration::from_secs(args.wait),
        std::time::Duration::from_millis(args.poll_ms),
    )?;
    let code = super::approval::wait_exit_code(&view);
    if code != 0 {
        if out.json {
            out.json_value(&view);
        } else if code == 3 {
            out.note(format!(
                "{}: no answer within {} s; wait again with `openleash approval wait {id}{}`",
                out.yellow("PENDING"),
                args.wait,
                super::agent::remote_hint_flags(&args.remote, Some(action.agent_id())),
            ));
            out.data(&id);
        } else {
            out.note(format!(
                "{} approval request {id}{}",
                out.red(view["status"].as_str().unwrap_or("?")),
                view["denial_reason"]
                    .as_str()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ));
        }
        return Ok(code);
    }
    let token = view["approval_token"].as_str().unwrap_or_default();
    let response = reauthorize(token)?;
    print_response(ctx, &response, action.action_type());
    Ok(response.result.exit_code())
}

/// The action to decide and, when flags named or implied it, the agent already looked up.
fn build_action(
    args: &AuthorizeArgs,
    dd: &crate::store::DataDir,
) -> Result<(ValidatedAction, Option<crate::store::agents::Agent>)> {
    if let Some(path) = &args.action_file {
        let action = super::action::read_action(path)?;
        super::agent::check_action_agent(args.agent.as_deref(), &action, path)?;
        return Ok((action, None));
    }
    let agent = match &args.agent {
        Some(a) => dd.agent(a)?,
        None => dd.only_active_agent()?,
    };
    let subject = subject_flag(args).unwrap_or_else(|| agent.owner_id.clone());
    let action = action_from_flags(args, &agent.agent_id, &subject)?;
    Ok((action, Some(agent)))
}

/// `--subject` (or `OPENLEASH_OWNER_PRINCIPAL_ID`), else upstream's `USER_PRINCIPAL_ID`.
fn subject_flag(args: &AuthorizeArgs) -> Option<String> {
    args.subject.clone().or_else(|| {
        std::env::var("USER_PRINCIPAL_ID")
            .ok()
            .filter(|s| !s.is_empty())
    })
}

/// The ActionRequest the flags describe, for `agent_id` acting on behalf of `subject`.
fn action_from_flags(
    args: &AuthorizeArgs,
    agent_id: &str,
    subject: &str,
) -> Result<ValidatedAction> {
    let action_type = args.action_type.clone().unwrap_or_default();
    let payload: Value = match (&args.payload, &args.payload_file) {
        (Some(text), _) => parse_json_arg("--payload", text)?,
        (None, Some(path)) => {
            let text = super::read_text(path)?;
            parse_json_arg(&path.display().to_string(), &text)?
        }
        (None, None) => Value::Object(Map::new()),
    };
    let mut action = json!({
        "action_id": args.action_id.clone().unwrap_or_else(crate::ids::new_id),
        "action_type": action_type,
        "requested_at": crate::timefmt::now_string(),
        "principal": { "agent_id": agent_id },
        "subject": { "principal_id": subject },
        "payload": payload,
    });
    if args.rp_domain.is_some() || args.rp_id.is_some() || args.trust_profile.is_some() {
        let mut rp = Map::new();
        if let Some(id) = &args.rp_id {
            rp.insert("rp_id".into(), json!(id));
        }
        if let Some(d) = &args.rp_domain {
            rp.insert("domain".into(), json!(d));
        }
        if let Some(t) = args.trust_profile {
            rp.insert("trust_profile".into(), json!(t.as_str()));
        }
        action["relying_party"] = Value::Object(rp);
    }
    ValidatedAction::from_value(action)
}

/// Remote mode: the request is signed with the agent's key and decided by the server (which
/// issues the proof and writes the audit log); the output and exit code are the same as local.
fn remote(args: &AuthorizeArgs, url: &str, ctx: &Ctx) -> Result<u8> {
    let file_action = match &args.action_file {
        Some(path) => {
            let a = super::action::read_action(path)?;
            super::agent::check_action_agent(args.agent.as_deref(), &a, path)?;
            Some(a)
        }
        None => None,
    };
    let agent = match &file_action {
        Some(a) => Some(a.agent_id().to_string()),
        None => args.agent.clone(),
    };
    let (client, agent_id) = super::agent::signed_client(url, &args.remote, agent)?;
    let action = match file_action {
        Some(a) => a,
        None => {
            let subject = match subject_flag(args) {
                Some(s) => s,
                None => {
                    let me = client.get("/v1/agent/self")?;
                    me["owner_id"].as_str().unwrap_or_default().to_string()
                }
            };
            action_from_flags(args, &agent_id, &subject)?
        }
    };
    let ask = |token: Option<&str>| remote_authorize(&client, &action, token);
    let response = ask(args.approval_token.as_deref())?;
    if args.request_approval && response.result == DecisionResult::RequireApproval {
        return request_and_wait(
            args,
            ctx,
            &Approvals::Remote(&client),
            &action,
            &response,
            |token| ask(Some(token)),
        );
    }
    print_response(ctx, &response, action.action_type());
    hint_approval(ctx, args, &response, action.agent_id());
    Ok(response.result.exit_code())
}

/// `POST /v1/authorize` with `action` (and the approval token, when re-authorizing).
pub(crate) fn remote_authorize(
    client: &Client,
    action: &ValidatedAction,
    approval_token: Option<&str>,
) -> Result<AuthorizeResponse> {
    let mut body = action.value().clone();
    if let (Some(token), Value::Object(m)) = (approval_token, &mut body) {
        m.insert("approval_token".into(), json!(token));
    }
    let v = client.post("/v1/authorize", &body)?;
    serde_json::from_value(v).map_err(|e| {
        Error::new(
            ErrorCode::RemoteUnavailable,
            format!(
                "{}/v1/authorize answered an unexpected shape: {e}",
                client.base()
            ),
        )
    })
}

fn parse_json_arg(what: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "{what}: invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
        .with_hint(
            "pass a JSON object, e.g. --payload '{\"amount_minor\":5000,\"currency\":\"USD\"}'",
        )
    })
}

/// After a REQUIRE_APPROVAL: how to ask the owner, with the real decision id and the flags given.
fn hint_approval(ctx: &Ctx, args: &AuthorizeArgs, r: &AuthorizeResponse, agent_id: &str) {
    if ctx.out.json || r.result != DecisionResult::RequireApproval {
        return;
    }
    let remote = super::agent::remote_hint_flags(&args.remote, Some(agent_id));
    ctx.out.note(match &args.action_file {
        Some(f) if f.as_os_str() != "-" => format!(
            "To ask the owner: `openleash approval request --decision-id {} --action-file {}{remote}`, \
             or run this command again with --request-approval to ask and wait.",
            r.decision_id,
            super::agent::shell_word(&f.display().to_string())
        ),
        _ => "To ask the owner and wait for the answer, run this command again with --request-approval.".to_string(),
    });
}

fn print_response(ctx: &Ctx, r: &AuthorizeResponse, action_type: &str) {
    let out = &ctx.out;
    if out.json {
        out.json_value(&serde_json::to_value(r).unwrap_or_default());
        return;
    }
    let label = r.result.as_str();
    let label = match r.result {
        DecisionResult::Allow => out.green(label),
        DecisionResult::Deny => out.red(label),
        _ => out.yellow(label),
    };
    let rule = r
        .matched_rule_id
        .as_deref()
        .map(|id| format!(" (rule {id})"))
        .unwrap_or_default();
    out.line(format!("{label} {action_type}{rule}"));
    out.line(format!("  reason:      {}", r.reason));
    for o in &r.obligations {
        out.line(format!(
            "  obligation:  {}",
            super::playground::obligation_text(o)
        ));
    }
    out.line(format!("  decision_id: {}", r.decision_id));
    out.line(format!("  action_hash: {}", r.action_hash));
    if let (Some(t), Some(exp)) = (&r.proof_token, &r.proof_expires_at) {
        out.line(format!("  proof token (expires {exp}):"));
        out.data(t);
    } else if out.quiet {
        // `-q` prints one value to capture: the proof token, else the decision id (what
        // `approval request --decision-id` needs after a REQUIRE_APPROVAL).
        out.data(&r.decision_id);
    }
}
