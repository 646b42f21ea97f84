//! `openleash admin …` (instance admins: list, grant, revoke, TOTP reset, setup invites) and
//! `openleash totp …` (a user's second factor), on the local data directory. The rules are in
//! `handlers::users` and `handlers::totp`, shared with the HTTP API and the portal.

use super::Ctx;
use crate::cli::{AdminCommand, TotpCommand};
use crate::error::Result;
use crate::handlers::{totp as t, users};
use serde_json::{Value, json};

fn who(v: &Value) -> String {
    let id = v["user_principal_id"].as_str().unwrap_or("?");
    let label = v["email"]
        .as_str()
        .or(v["display_name"].as_str())
        .unwrap_or("?");
    format!("{id} ({label})")
}

pub fn run(cmd: AdminCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        AdminCommand::List(page) => {
            let mut human = |list: &[Value], _first: bool| -> Result<()> {
                if out.quiet {
                    for u in list {
                        out.data(u["user_principal_id"].as_str().unwrap_or(""));
                    }
                    return Ok(());
                }
                let mut table = out.table(&["ID", "Email", "Name", "Roles", "TOTP"]);
                for u in list {
                    let roles: Vec<&str> = u["system_roles"]
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    table.add_row(vec![
                        u["user_principal_id"].as_str().unwrap_or("").to_string(),
                        u["email"].as_str().unwrap_or("-").to_string(),
                        u["display_name"].as_str().unwrap_or("").to_string(),
                        if roles.is_empty() {
                            "-".to_string()
                        } else {
                            roles.join(",")
                        },
                        if u["totp_enabled"] == true {
                            "on"
                        } else {
                            "off"
                        }
                        .to_string(),
                    ]);
                }
                out.line(table.to_string());
                Ok(())
            };
            let view = super::paging::ListView {
                list: crate::handlers::owner::LIST,
                field: "users",
                to_json: &Value::clone,
                human: &mut human,
                empty: "No users registered.",
            };
            return super::paging::run(ctx, &page, view, |req| users::list_users_page(&dd, req));
        }
        AdminCommand::Grant { user } => grant_or_revoke(ctx, &dd, &user, true)?,
        AdminCommand::Revoke { user } => grant_or_revoke(ctx, &dd, &user, false)?,
        AdminCommand::DisableTotp { user } => {
            let u = users::find_user(&dd, &user)?;
            let v = t::admin_disable(&dd, &u.owner_id, None)?;
            if out.json {
                out.json_value(&v);
            } else {
                out.note(format!(
                    "Two-factor authentication disabled for {}; they can enrol again with `openleash totp setup`.",
                    u.owner_id
                ));
            }
        }
        AdminCommand::SetupInvite { user } => {
            let u = users::find_user(&dd, &user)?;
            let v = users::create_setup_invite(&dd, &u.owner_id, None)?;
            if out.json {
                out.json_value(&v);
            } else {
                out.note(format!(
                    "Setup invite for {} (single use, expires {}). Send the user both values; they set a passphrase with POST /v1/owner/setup:",
                    u.owner_id,
                    v["expires_at"].as_str().unwrap_or("?")
                ));
                out.data(format!(
                    "invite_id={}\ninvite_token={}",
                    v["invite_id"].as_str().unwrap_or(""),
                    v["invite_token"].as_str().unwrap_or("")
                ));
            }
        }
        AdminCommand::DeleteAgent { id, yes } => {
            let a = dd.agent(&id)?;
            if !super::confirm(
                ctx,
                &format!(
                    "Delete agent {} ({}) for good? Its key stops working and it leaves its policy groups.",
                    a.agent_id, a.agent_principal_id
                ),
                yes,
            )? {
                out.note("Nothing changed.");
                return Ok(1);
            }
            let v = crate::handlers::agents::admin_delete(&dd, &a.agent_principal_id, None)?;
            if out.json {
                out.json_value(&v);
            } else {
                out.note(format!(
                    "Agent deleted: {} ({}); {} binding(s) and {} policy(ies) removed, left {} policy group(s).",
                    a.agent_id,
                    a.agent_principal_id,
                    v["bindings_removed"],
                    v["policies_removed"],
                    v["memberships_removed"]
                ));
            }
        }
    }
    Ok(0)
}

fn grant_or_revoke(ctx: &Ctx, dd: &crate::store::DataDir, user: &str, grant: bool) -> Result<()> {
    let v = users::grant_or_revoke(dd, user, grant)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&v);
        return Ok(());
    }
    let msg = match (grant, v["changed"] == true) {
        (true, true) => format!("Granted admin role to {}.", who(&v)),
        (true, false) => format!("User {} already has admin role.", who(&v)),
        (false, true) => format!("Revoked admin role from {}.", who(&v)),
        (false, false) => format!(
            "User {} does not have admin role.",
            v["user_principal_id"].as_str().unwrap_or("?")
        ),
    };
    out.note(msg);
    Ok(())
}

pub fn totp(cmd: TotpCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        TotpCommand::Setup { owner } => {
            let o = dd.resolve_owner(owner.as_deref())?;
            let v = t::setup(&dd, &o.owner_id)?;
            let uri = v["uri"].as_str().unwrap_or_default();
            if out.json {
                let mut v = v.clone();
                if let Value::Object(m) = &mut v {
                    m.remove("qr_svg");
                }
                out.json_value(&v);
                return Ok(0);
            }
            // The QR code is for a person at a terminal; scripts get the URI on stdout.
            if crate::output::interactive() {
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    format!("{}\n", t::qr_terminal(uri)?).as_bytes(),
                );
            }
            out.note("Scan the QR code (or add the URI below) in your authenticator app, then run `openleash totp confirm --code <6 digits>`.");
            out.data(uri);
            out.note("Backup codes (each works once; shown only now — keep them somewhere safe):");
            let codes: Vec<&str> = v["backup_codes"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            out.data(codes.join("\n"));
        }
        TotpCommand::Confirm { owner, code } => {
            let o = dd.resolve_owner(owner.as_deref())?;
            let v = t::confirm(&dd, &o.owner_id, &code)?;
            if out.json {
                out.json_value(&v);
            } else {
                out.note(format!(
                    "Two-factor authentication enabled for {}: approvals, denials, policy changes and agent revocation now need a code (--totp-code).",
                    o.owner_id
                ));
            }
        }
        TotpCommand::Disable { owner, code } => {
            let o = dd.resolve_owner(owner.as_deref())?;
            let v = t::disable(&dd, &o.owner_id, &code)?;
            if out.json {
                out.json_value(&v);
            } else {
                out.note(format!(
                    "Two-factor authentication disabled for {}.",
                    o.owner_id
                ));
            }
        }
        TotpCommand::Status { owner } => {
            let o = dd.resolve_owner(owner.as_deref())?;
            let s = t::load(&dd, &o.owner_id)?;
            let v = json!({
                "user_principal_id": o.owner_id,
                "totp_enabled": s.as_ref().is_some_and(|s| s.enabled),
                "enabled_at": s.as_ref().and_then(|s| s.enabled_at.clone()),
                "backup_codes_remaining": s.as_ref().filter(|s| s.enabled).map(|s| s.backup_codes_hash.len()),
                "required": dd.config()?.security.require_totp,
            });
            if out.json {
                out.json_value(&v);
            } else {
                out.line(format!(
                    "TOTP: {}{}",
                    if v["totp_enabled"] == true {
                        "enabled"
                    } else {
                        "not enabled"
                    },
                    v["backup_codes_remaining"]
                        .as_u64()
                        .map(|n| format!(" ({n} backup codes left)"))
                        .unwrap_or_default()
                ));
            }
        }
    }
    Ok(0)
}
