//! `openleash keys list|rotate|revoke`.

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::KeysCommand;
use crate::error::Result;
use serde_json::json;

pub fn run(cmd: KeysCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        KeysCommand::List => {
            // On a shared store this includes the keys other instances published.
            let (keys, _) = dd.public_keys()?;
            let active = dd.active_kid()?;
            if out.json {
                // The /v1/public-keys shape, revoked keys included, so `verify --keys-file` reads it.
                out.json_value(&crate::keys::public_keys_json(&keys, true));
                return Ok(0);
            }
            if out.quiet {
                // `-q`: the kids alone, the active one first.
                let mut kids: Vec<&str> = keys.iter().map(|k| k.kid.as_str()).collect();
                kids.sort_by_key(|k| !k.eq_ignore_ascii_case(&active));
                for k in kids {
                    out.data(k);
                }
                return Ok(0);
            }
            let local: Vec<String> = dd.server_keys()?.into_iter().map(|k| k.kid).collect();
            let mut t = out.table(&["KID", "STATE", "CREATED", "REVOKED"]);
            for k in &keys {
                let state = if k.kid.eq_ignore_ascii_case(&active) {
                    out.green("active")
                } else if k.is_revoked() {
                    out.red("revoked")
                } else if !local.iter().any(|l| l.eq_ignore_ascii_case(&k.kid)) {
                    // Published by another instance of the shared store; its private part
                    // is not in this data directory.
                    "other instance".into()
                } else {
                    "verify-only".into()
                };
                t.add_row(vec![
                    k.kid.clone(),
                    state,
                    k.created_at.clone(),
                    k.revoked_at.clone().unwrap_or_default(),
                ]);
            }
            out.print_table(&t);
        }
        KeysCommand::Rotate => {
            let key = dd.rotate_key()?;
            dd.append_audit(vec![NewEvent::new(
                "KEY_ROTATED",
                json!({"new_kid": key.kid}),
            )])?;
            if out.json {
                out.json_value(&json!({"kid": key.kid, "public_key_b64": key.public_key_b64, "created_at": key.created_at}));
            } else {
                out.note(format!(
                    "{} new signing key {}; older keys keep verifying",
                    out.green("Active:"),
                    key.kid
                ));
                out.data(&key.kid);
            }
        }
        KeysCommand::Revoke { kid } => {
            let key = dd.revoke_key(&kid)?;
            dd.append_audit(vec![NewEvent::new("KEY_REVOKED", json!({"kid": key.kid}))])?;
            if out.json {
                out.json_value(&json!({"kid": key.kid, "revoked_at": key.revoked_at}));
            } else {
                out.note(format!(
                    "Revoked key {}: tokens signed with it no longer verify",
                    key.kid
                ));
            }
        }
    }
    Ok(0)
}
