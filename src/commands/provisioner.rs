//! `openleash provisioner add|list|revoke`: provisioner tokens from the command line, through the
//! same handlers (and role checks) as `/v1/owner/provisioners`. `add` prints the token alone on
//! stdout (it is shown nowhere else) and everything else on stderr.

use super::Ctx;
use crate::cli::{ProvisionerArgs, ProvisionerCommand};
use crate::error::Result;
use crate::handlers::provisioners::{self as pv, LIST};
use crate::handlers::roles::Actor;
use crate::store::DataDir;
use crate::store::provisioners::Provisioner;

/// The owner a command works on: `--owner`, else the `--as` user, else the only owner.
fn owner_id(dd: &DataDir, actor: &Actor, owner: Option<String>) -> Result<String> {
    match (owner, actor.user_id()) {
        (Some(o), _) => Ok(o),
        (None, Some(u)) => Ok(u.to_string()),
        (None, None) => Ok(dd.resolve_owner(None)?.owner_id),
    }
}

pub fn run(args: ProvisionerArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    let actor = match args.as_user {
        Some(u) => Actor::User(u),
        None => Actor::Operator,
    };
    match args.command {
        ProvisionerCommand::Add {
            name,
            owner,
            ttl,
            expires_at,
        } => {
            let owner = owner_id(&dd, &actor, owner)?;
            let expires_at = match ttl {
                Some(secs) => Some(crate::timefmt::format(crate::timefmt::plus_seconds(
                    crate::timefmt::now(),
                    i64::try_from(secs).unwrap_or(i64::MAX),
                ))),
                None => expires_at,
            };
            let m = pv::create(&dd, &actor, &owner, &name, expires_at.as_deref())?;
            if out.json {
                out.json_value(&m.json());
            } else {
                out.data(&m.token);
                out.note(format!(
                    "{} provisioner {} ({}) for owner {}{}. The token above is shown only now; store it as a secret.",
                    out.green("Created"),
                    m.provisioner.name,
                    m.provisioner.provisioner_id,
                    m.provisioner.owner_id,
                    m.provisioner
                        .expires_at
                        .as_deref()
                        .map(|e| format!(", valid until {e}"))
                        .unwrap_or_default(),
                ));
            }
        }
        ProvisionerCommand::List { owner, page } => {
            let owner = owner_id(&dd, &actor, owner)?;
            let mut human = |items: &[Provisioner], _first: bool| -> Result<()> {
                if out.quiet {
                    for p in items {
                        out.data(&p.provisioner_id);
                    }
                    return Ok(());
                }
                let mut t = out.table(&["ID", "NAME", "STATUS", "CREATED", "EXPIRES", "LAST USED"]);
                for p in items {
                    t.add_row(vec![
                        p.provisioner_id.clone(),
                        p.name.clone(),
                        p.status.clone(),
                        p.created_at.clone(),
                        p.expires_at.clone().unwrap_or_else(|| "-".into()),
                        p.last_used_at.clone().unwrap_or_else(|| "-".into()),
                    ]);
                }
                out.print_table(&t);
                Ok(())
            };
            let view = super::paging::ListView {
                list: LIST,
                field: "provisioners",
                to_json: &pv::public_json,
                human: &mut human,
                empty: "No provisioners. Mint one with `openleash provisioner add --name NAME`.",
            };
            return super::paging::run(ctx, &page, view, |req| pv::list(&dd, &actor, &owner, req));
        }
        ProvisionerCommand::Revoke { id, owner } => {
            let owner = owner_id(&dd, &actor, owner)?;
            let p = pv::revoke(&dd, &actor, &owner, &id)?;
            if out.json {
                out.json_value(&pv::public_json(&p));
            } else {
                out.note(format!(
                    "{} provisioner {} ({}); its token no longer works.",
                    out.green("Revoked"),
                    p.name,
                    p.provisioner_id
                ));
            }
        }
    }
    Ok(0)
}
