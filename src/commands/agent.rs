//! `openleash agent list|show|add|revoke|activate`.

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::{AgentAddArgs, AgentCommand};
use crate::crypto::ed25519;
use crate::error::Result;
use crate::store::Txn;
use crate::store::agents::{ACTIVE, Agent, REVOKED};
use serde_json::json;

pub fn run(cmd: AgentCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        AgentCommand::List => {
            let agents = dd.agents()?;
            if out.json {
                out.json_value(&json!(
                    agents.iter().map(Agent::public_json).collect::<Vec<_>>()
                ));
                return Ok(0);
            }
            if agents.is_empty() {
                out.line("No agents. Add one with `openleash agent add --agent-id NAME`.");
                return Ok(0);
            }
            let mut t = out.table(&["AGENT ID", "STATUS", "PRINCIPAL ID", "OWNER", "CREATED"]);
            for a in &agents {
                t.add_row(vec![
                    a.agent_id.clone(),
                    status_cell(out, &a.status),
                    a.agent_principal_id.clone(),
                    a.owner_id.clone(),
                    a.created_at.clone(),
                ]);
            }
            out.print_table(&t);
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
        AgentCommand::Revoke { id } => {
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
        ctx.out.line(format!(
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
    let agent = {
        let _lock = dd.lock()?;
        let owner = dd.resolve_owner(args.owner.as_deref())?;
        let agent = Agent::new(&args.agent_id, &owner, public_key_b64);
        let mut index = dd.agent_index()?;
        let mut txn = Txn::default();
        dd.stage_new_agent(&mut txn, &mut index, &agent)?;
        txn.commit()?;
        agent
    };
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
    out.line(format!(
        "{} agent {} ({})",
        out.green("Registered"),
        agent.agent_id,
        agent.agent_principal_id
    ));
    match (&private_key_b64, &args.output_env) {
        (Some(_), Some(p)) => out.line(format!(
            "Private key written to {} (mode 0600)",
            p.display()
        )),
        (Some(sk), None) => {
            out.line("Private key (shown only now; store it where the agent can read it):");
            out.data(sk);
        }
        (None, _) => {}
    }
    Ok(0)
}
