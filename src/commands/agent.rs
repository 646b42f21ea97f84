//! `openleash agent list|show|add|revoke|activate`.

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::{
    AgentAddArgs, AgentCommand, AgentInviteArgs, AgentSignArgs, RemoteAgentArgs, SignFormat,
};
use crate::crypto::ed25519;
use crate::error::{Error, ErrorCode, Result};
use crate::store::agents::{ACTIVE, Agent, REVOKED};
use serde_json::json;

pub fn run(cmd: AgentCommand, ctx: &Ctx) -> Result<u8> {
    if let AgentCommand::Sign(args) = cmd {
        return sign(args, ctx);
    }
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        AgentCommand::List(page) => {
            let mut human = |agents: &[Agent], _first: bool| -> Result<()> {
                if out.quiet {
                    for a in agents {
                        out.data(&a.agent_id);
                    }
                    return Ok(());
                }
                // Owner names and no principal ids (in `agent show` and --json), so the table
                // fits a terminal; commands address agents by agent_id. Only the page's owners
                // are read.
                let mut owners: std::collections::HashMap<String, String> = Default::default();
                for a in agents {
                    if !owners.contains_key(&a.owner_id)
                        && let Ok(o) = dd.owner(&a.owner_id)
                    {
                        owners.insert(a.owner_id.clone(), o.display_name);
                    }
                }
                let mut t = out.table(&["AGENT ID", "STATUS", "OWNER", "CREATED"]);
                for a in agents {
                    t.add_row(vec![
                        a.agent_id.clone(),
                        status_cell(out, &a.status),
                        owners
                            .get(&a.owner_id)
                            .cloned()
                            .unwrap_or_else(|| a.owner_id.clone()),
                        a.created_at.clone(),
                    ]);
                }
                out.print_table(&t);
                Ok(())
            };
            let view = super::paging::ListView {
                list: crate::handlers::agents::LIST,
                field: "agents",
                to_json: &Agent::public_json,
                human: &mut human,
                empty: "No agents. Add one with `openleash agent add --agent-id NAME`.",
            };
            return super::paging::run(ctx, &page, view, |req| {
                crate::handlers::agents::list_page(
                    &dd,
                    crate::handlers::approvals::OwnerScope::All,
                    req,
                )
            });
        }
        AgentCommand::Show { id } => {
            let a = dd.agent(&id)?;
            if out.json {
                out.json_value(&a.public_json());
                return Ok(0);
            }
            out.line(format!("Agent ID:      {}", a.agent_id));
            out.line(format!("Principal ID:  {}", a.agent_principal_id));
            out.line(format!("Status:        {}", status_cell(out, &a.status)));
            out.line(format!(
                "Owner:         {} ({})",
                a.owner_id,
                a.owner_type.as_str()
            ));
            out.line(format!("Public key:    {}", a.public_key_b64));
            out.line(format!("Created:       {}", a.created_at));
            if let Some(r) = &a.revoked_at {
                out.line(format!("Revoked:       {r}"));
            }
        }
        AgentCommand::Add(args) => return add(args, ctx),
        AgentCommand::Invite(args) => return invite(args, ctx),
        AgentCommand::Sign(args) => return sign(args, ctx),
        AgentCommand::Revoke { id, totp_code } => {
            let owner_id = dd.agent(&id)?.owner_id;
            let code = super::prompt::totp_code(ctx, &dd, &owner_id, totp_code)?;
            crate::handlers::totp::gate(&dd, &dd.config()?, &owner_id, code.as_deref())?;
            let a = dd.set_agent_status(&id, REVOKED)?;
            dd.append_audit(vec![NewEvent::new("AGENT_REVOKED", json!({"agent_principal_id": a.agent_principal_id, "agent_id": a.agent_id, "owner_id": a.owner_id, "owner_type": a.owner_type.as_str()})).principal(&a.agent_principal_id)])?;
            report_status(ctx, &a, "Revoked");
        }
        AgentCommand::Activate { id } => {
            let a = dd.set_agent_status(&id, ACTIVE)?;
            dd.append_audit(vec![NewEvent::new("AGENT_ACTIVATED", json!({"agent_principal_id": a.agent_principal_id, "agent_id": a.agent_id, "owner_id": a.owner_id, "owner_type": a.owner_type.as_str()})).principal(&a.agent_principal_id)])?;
            report_status(ctx, &a, "Activated");
        }
    }
    Ok(0)
}

fn status_cell(out: &crate::output::Output, status: &str) -> String {
    match status {
        ACTIVE => out.green(status),
        REVOKED => out.red(status),
        _ => out.yellow(status),
    }
}

fn report_status(ctx: &Ctx, a: &Agent, verb: &str) {
    if ctx.out.json {
        ctx.out.json_value(&a.public_json());
    } else {
        ctx.out.note(format!(
            "{verb} agent {} ({})",
            a.agent_id, a.agent_principal_id
        ));
    }
}

fn add(args: AgentAddArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    crate::ids::check_agent_id(&args.agent_id)?;
    let (public_key_b64, private_key_b64) = match &args.public_key {
        Some(pk) => (
            ed25519::public_key_b64(&ed25519::parse_public_key(pk)?),
            None,
        ),
        None => {
            let sk = ed25519::generate();
            (
                ed25519::public_key_b64(&sk.verifying_key()),
                Some(ed25519::private_key_b64(&sk)),
            )
        }
    };
    let owner = dd.resolve_owner(args.owner.as_deref())?;
    let mut agent = Agent::new(&args.agent_id, &owner, public_key_b64);
    set_webhook(&dd, &mut agent, &args)?;
    dd.register_agent(&agent, |_| Ok(()))?;
    dd.append_audit(vec![NewEvent::new(
        "AGENT_REGISTERED",
        json!({"agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id, "owner_id": agent.owner_id, "owner_type": agent.owner_type.as_str()}),
    )
    .principal(&agent.agent_principal_id)])?;
    if let (Some(path), Some(sk)) = (&args.output_env, &private_key_b64) {
        super::write_env_file(path, &agent.agent_id, sk, &agent.owner_id)?;
    }
    let out = &ctx.out;
    if out.json {
        let mut v = agent.public_json();
        if args.output_env.is_none() {
            v["private_key_b64"] = json!(private_key_b64);
        }
        out.json_value(&v);
        return Ok(0);
    }
    out.note(format!(
        "{} agent {} ({})",
        out.green("Registered"),
        agent.agent_id,
        agent.agent_principal_id
    ));
    match (&private_key_b64, &args.output_env) {
        (Some(_), Some(p)) => out.note(format!(
            "Private key written to {} (mode 0600)",
            p.display()
        )),
        (Some(sk), None) => {
            out.note("Private key (shown only now; store it where the agent can read it):");
            out.data(sk);
        }
        (None, _) => {}
    }
    Ok(0)
}

/// `--webhook-url` and its secret and token (each from a flag or a file).
fn set_webhook(dd: &crate::store::DataDir, agent: &mut Agent, args: &AgentAddArgs) -> Result<()> {
    let url = args.webhook_url.clone().unwrap_or_default();
    if !url.is_empty() {
        let own = dd.config()?.server.bind_address.parse().ok();
        crate::notify::url::check(&url, own).map_err(|why| {
            Error::new(
                ErrorCode::InvalidWebhookUrl,
                format!("--webhook-url: {why}"),
            )
            .with_hint("pass the http:// or https:// URL of the agent's receiver")
        })?;
    }
    let from_file = |p: &Option<std::path::PathBuf>| -> Result<Option<String>> {
        p.as_ref()
            .map(|p| {
                crate::notify::read_secret_file(std::path::Path::new(""), &p.to_string_lossy())
                    .map_err(|why| Error::new(crate::error::ErrorCode::Usage, why))
            })
            .transpose()
    };
    agent.webhook_url = url;
    agent.webhook_secret = from_file(&args.webhook_secret_file)?
        .or_else(|| args.webhook_secret.clone())
        .unwrap_or_default();
    agent.webhook_auth_token = from_file(&args.webhook_auth_token_file)?
        .or_else(|| args.webhook_auth_token.clone())
        .unwrap_or_default();
    Ok(())
}

/// The base URL agents reach the server at: `--url`, else `server.public_url`, else the bind
/// address (refused when it is a wildcard: the link would not name a reachable host).
pub fn invite_base_url(flag: Option<&str>, config: &crate::config::Config) -> Result<String> {
    if let Some(u) = flag.filter(|u| !u.is_empty()) {
        return Ok(u.trim_end_matches('/').to_string());
    }
    if !config.server.public_url.is_empty() {
        return Ok(config.server.public_url.trim_end_matches('/').to_string());
    }
    let bind: std::net::SocketAddr = config.server.bind_address.parse().map_err(|_| {
        Error::new(
            ErrorCode::InvalidConfig,
            format!(
                "server.bind_address {:?} is not host:port",
                config.server.bind_address
            ),
        )
    })?;
    if bind.ip().is_unspecified() {
        return Err(Error::new(
            ErrorCode::Usage,
            format!("the server binds the wildcard address {bind}, which agents cannot connect to"),
        )
        .with_hint("pass --url http://<host>:<port>, or set server.public_url in config.yaml"));
    }
    Ok(format!("http://{bind}"))
}

fn invite(args: AgentInviteArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let config = dd.config()?;
    let base = invite_base_url(args.url.as_deref(), &config)?;
    let owner = dd.resolve_owner(args.owner.as_deref())?;
    let ttl = args.ttl.unwrap_or(config.invites.ttl_seconds);
    if ttl == 0 {
        return Err(Error::new(
            ErrorCode::Usage,
            "--ttl must be at least 1 second",
        ));
    }
    let v = crate::handlers::invites::create(&dd, &owner, ttl, &base)?;
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    let out = &ctx.out;
    if out.json {
        out.json_value(&v);
        return Ok(0);
    }
    out.note(format!(
        "Invite {} for owner {} (single use, expires {}); give the URL below to the agent, it contains the credential.",
        text("invite_id"),
        text("owner_id"),
        text("expires_at")
    ));
    out.note(format!(
        "With the Python SDK (openleash-sdk 0.3.0), the agent redeems it with:\n{}",
        python_redeem_snippet(&text("invite_url"), &free_agent_id(&dd, &text("invite_id")))
    ));
    out.data(text("invite_url"));
    Ok(0)
}

/// An agent id for the snippet that no agent has yet (`agent-<first 8 of the invite id>`).
fn free_agent_id(dd: &crate::store::DataDir, invite_id: &str) -> String {
    let short: String = invite_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let mut id = format!("agent-{short}");
    let mut n = 2;
    while dd.agent(&id).is_ok() {
        id = format!("agent-{short}-{n}");
        n += 1;
    }
    id
}

/// A shell command that redeems `url` with the official Python SDK as printed: the SDK's
/// `redeem_agent_invite` is async and takes the three webhook arguments (empty for none).
pub fn python_redeem_snippet(url: &str, agent_id: &str) -> String {
    let program = format!(
        "import asyncio, openleash; \
         inv = asyncio.run(openleash.redeem_agent_invite(invite_url=\"{url}\", agent_id=\"{agent_id}\", \
         webhook_url=\"\", webhook_secret=\"\", webhook_auth_token=\"\")); \
         print(\"OPENLEASH_AGENT_ID=\" + inv[\"agent_id\"]); \
         print(\"OPENLEASH_AGENT_PRIVATE_KEY_B64=\" + inv[\"private_key_b64\"])"
    );
    format!("python3 -c {}", shell_word(&program))
}

/// Reads the agent's private key: `--key-file` (a bare base64 key or an env file), else
/// `OPENLEASH_AGENT_PRIVATE_KEY_B64`.
/// Remote mode of an agent-side command, only when asked for explicitly: `--url`, or `--remote`
/// with `OPENLEASH_URL` (which alone, e.g. from an env file, never switches the CLI to remote
/// mode), else `url` of the per-user config.
pub(crate) fn remote_url(r: &RemoteAgentArgs) -> Result<Option<String>> {
    if let Some(u) = &r.url {
        return Ok(Some(u.clone()));
    }
    if !r.remote {
        return Ok(None);
    }
    match std::env::var("OPENLEASH_URL") {
        Ok(u) if !u.trim().is_empty() => Ok(Some(u)),
        _ => match crate::userconfig::load()?.url {
            Some(u) if !u.trim().is_empty() => Ok(Some(u)),
            _ => Err(Error::new(ErrorCode::Usage, "--remote needs a server URL")
                .with_hint("set OPENLEASH_URL=http://HOST:PORT, put url in the per-user config, or pass --url")),
        },
    }
}

/// The remote flags of an agent-side command as a hint repeats them (` --url U --key-file F`),
/// so "wait again with …" works when pasted as printed.
pub(crate) fn remote_hint_flags(r: &RemoteAgentArgs, agent: Option<&str>) -> String {
    let mut s = String::new();
    match (&r.url, r.remote) {
        (Some(u), _) => s.push_str(&format!(" --url {}", shell_word(u))),
        (None, true) => s.push_str(" --remote"),
        (None, false) => return s,
    }
    if let Some(k) = &r.key_file {
        s.push_str(&format!(
            " --key-file {}",
            shell_word(&k.display().to_string())
        ));
    }
    if let Some(a) = agent {
        s.push_str(&format!(" --agent {}", shell_word(a)));
    }
    s
}

/// `w` quoted for a POSIX shell when it holds anything but plain characters.
pub(crate) fn shell_word(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The client of an agent-side remote command, signed with the agent's key (`--key-file`,
/// `OPENLEASH_AGENT_PRIVATE_KEY_B64` or the per-user config) as `agent_id` (from `--agent` or the
/// action file; else `agent_id` of the per-user config). Returns the client and the agent id.
pub(crate) fn signed_client(
    url: &str,
    r: &RemoteAgentArgs,
    agent_id: Option<String>,
) -> Result<(crate::remote::Client, String)> {
    let key = load_agent_key(r.key_file.as_deref())?;
    let agent_id = match agent_id.or(key_file_agent_id(r.key_file.as_deref())?) {
        Some(a) => a,
        None => crate::userconfig::load()?.agent_id.ok_or_else(|| {
            Error::new(ErrorCode::Usage, "remote mode needs the agent's id")
                .with_hint("pass --agent AGENT_ID, set OPENLEASH_AGENT_ID, or put agent_id in the per-user config")
        })?,
    };
    let client = crate::remote::Client::new(url)?.signed_as(&agent_id, key);
    Ok((client, agent_id))
}

/// An `--agent` (or `OPENLEASH_AGENT_ID`) that names another agent than the action file's
/// `principal.agent_id` is `AGENT_MISMATCH`.
pub(crate) fn check_action_agent(
    flag: Option<&str>,
    action: &crate::action::ValidatedAction,
    path: &std::path::Path,
) -> Result<()> {
    match flag {
        Some(agent) if agent != action.agent_id() => Err(Error::new(
            ErrorCode::AgentMismatch,
            format!(
                "--agent {agent:?} differs from principal.agent_id {:?} in {}",
                action.agent_id(),
                path.display()
            ),
        )
        .with_hint("drop --agent (and OPENLEASH_AGENT_ID) or fix the action file")),
        _ => Ok(()),
    }
}

/// The agent id an env file names (`OPENLEASH_AGENT_ID=…`, as `init --output-env` writes it), so
/// `--key-file agent.env` alone says who signs. A bare key file names no agent.
pub(crate) fn key_file_agent_id(key_file: Option<&std::path::Path>) -> Result<Option<String>> {
    let Some(p) = key_file else {
        return Ok(None);
    };
    Ok(super::read_text(p)?
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("OPENLEASH_AGENT_ID="))
        .map(|v| v.trim_matches('"').to_string())
        .filter(|v| !v.is_empty()))
}

pub fn load_agent_key(key_file: Option<&std::path::Path>) -> Result<ed25519_dalek::SigningKey> {
    let env = std::env::var("OPENLEASH_AGENT_PRIVATE_KEY_B64")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let text = match (key_file, env) {
        (Some(p), _) => super::read_text(p)?,
        (None, Some(v)) => v,
        (None, None) => match crate::userconfig::load()?.key_file {
            Some(p) => super::read_text(&p)?,
            None => {
                return Err(Error::new(ErrorCode::Usage, "no agent private key given")
                    .with_hint("pass --key-file FILE, set OPENLEASH_AGENT_PRIVATE_KEY_B64 (see the env file `openleash init --output-env` wrote), or put key_file in the per-user config"));
            }
        },
    };
    let key = text
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("OPENLEASH_AGENT_PRIVATE_KEY_B64="))
        .unwrap_or(text.trim());
    ed25519::parse_private_key(key.trim_matches('"'))
}

fn sign(args: AgentSignArgs, ctx: &Ctx) -> Result<u8> {
    let agent = match args
        .agent
        .clone()
        .or(key_file_agent_id(args.key_file.as_deref())?)
    {
        Some(a) => a,
        None => crate::userconfig::load()?.agent_id.ok_or_else(|| {
            Error::new(ErrorCode::Usage, "which agent signs?")
                .with_hint("pass --agent AGENT_ID, set OPENLEASH_AGENT_ID, or put agent_id in the per-user config")
        })?,
    };
    crate::ids::check_agent_id(&agent)?;
    let key = load_agent_key(args.key_file.as_deref())?;
    let body = match &args.body_file {
        Some(p) => Some(super::read_input(p)?),
        None => None,
    };
    if !args.path.starts_with('/') {
        return Err(Error::new(
            ErrorCode::Usage,
            format!("--path {:?} must start with /", args.path),
        )
        .with_hint("give the path as sent, e.g. /v1/authorize"));
    }
    let headers = crate::crypto::request_signing::signed_headers(
        &key,
        &agent,
        &args.method,
        &args.path,
        body.as_deref(),
    );
    let out = &ctx.out;
    if out.json {
        let m: serde_json::Map<String, serde_json::Value> = headers
            .iter()
            .map(|(k, v)| ((*k).to_string(), json!(v)))
            .collect();
        out.json_value(&serde_json::Value::Object(m));
        return Ok(0);
    }
    match args.format {
        SignFormat::Headers => {
            for (k, v) in &headers {
                out.data(format!("{k}: {v}"));
            }
        }
        SignFormat::Curl => {
            let parts: Vec<String> = headers.iter().map(|(k, v)| format!("-H {k}:{v}")).collect();
            out.data(parts.join(" "));
        }
    }
    Ok(0)
}
