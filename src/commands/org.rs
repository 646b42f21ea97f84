//! `openleash org create|list|show|update|delete|member …|invite …|leave`: a thin face over
//! `handlers::orgs`. With `--as USER_ID` the command acts as that user and the role checks of
//! `docs/roles.md` apply; without it, as the local operator.

use super::Ctx;
use crate::cli::{OrgArgs, OrgCommand, OrgInviteCommand, OrgMemberCommand};
use crate::error::Result;
use crate::handlers::orgs;
use crate::handlers::roles::Actor;
use crate::output::Output;
use serde_json::Value;

pub fn run(args: OrgArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    let actor = match args.as_user {
        Some(u) => Actor::User(u),
        None => Actor::Operator,
    };
    let now = crate::timefmt::now();
    match args.command {
        OrgCommand::Create { name, slug } => {
            let v = orgs::create_with_slug(&dd, &actor, &name, slug.as_deref())?;
            done(
                out,
                &v,
                &format!(
                    "Created organization {} ({}, slug {})",
                    v["display_name"].as_str().unwrap_or_default(),
                    id(&v, "org_id"),
                    v["slug"].as_str().unwrap_or_default()
                ),
                "org_id",
            );
        }
        OrgCommand::List => {
            let v = orgs::list(&dd, &actor)?;
            table(
                out,
                &v,
                "organizations",
                &[
                    ("ORG ID", "org_id"),
                    ("SLUG", "slug"),
                    ("NAME", "display_name"),
                    ("ROLE", "role"),
                    ("MEMBERS", "member_count"),
                    ("CREATED", "created_at"),
                ],
                "org_id",
            );
        }
        OrgCommand::Show { org_id } => {
            let v = orgs::show(&dd, &actor, &org_id)?;
            if out.json {
                out.json_value(&v);
            } else {
                for (label, key) in [
                    ("Org ID", "org_id"),
                    ("Slug", "slug"),
                    ("Name", "display_name"),
                    ("Status", "status"),
                    ("Members", "member_count"),
                    ("Your role", "your_role"),
                    ("Created", "created_at"),
                ] {
                    out.line(format!("{:<11}{}", format!("{label}:"), text(&v[key])));
                }
            }
        }
        OrgCommand::Update { org_id, name, slug } => {
            let v = orgs::update(&dd, &actor, &org_id, name.as_deref(), slug.as_deref())?;
            done(
                out,
                &v,
                &format!(
                    "Updated organization {org_id}: name {}, slug {}",
                    v["display_name"].as_str().unwrap_or_default(),
                    v["slug"].as_str().unwrap_or_default()
                ),
                "org_id",
            );
        }
        OrgCommand::Delete { org_id } => {
            let v = orgs::delete(&dd, &actor, &org_id)?;
            done(out, &v, &format!("Deleted organization {org_id}"), "org_id");
        }
        OrgCommand::Group(c) => return super::org_group::run(&dd, &actor, c, out),
        OrgCommand::Leave { org_id } => {
            let v = orgs::leave(&dd, &actor, &org_id)?;
            done(out, &v, &format!("Left organization {org_id}"), "org_id");
        }
        OrgCommand::Member(c) => match c {
            OrgMemberCommand::Add {
                org_id,
                user_id,
                role,
            } => {
                let v = orgs::add_member(&dd, &actor, &org_id, &user_id, role.into())?;
                done(
                    out,
                    &v,
                    &format!("Added {user_id} to {org_id} as {}", text(&v["role"])),
                    "membership_id",
                );
            }
            OrgMemberCommand::List { org_id } => {
                let v = orgs::members(&dd, &actor, &org_id)?;
                table(
                    out,
                    &v,
                    "members",
                    &[
                        ("USER ID", "user_principal_id"),
                        ("NAME", "display_name"),
                        ("ROLE", "role"),
                        ("STATUS", "status"),
                        ("SINCE", "created_at"),
                    ],
                    "user_principal_id",
                );
            }
            OrgMemberCommand::Role {
                org_id,
                user_id,
                role,
            } => {
                let v = orgs::set_role(&dd, &actor, &org_id, &user_id, role.into())?;
                done(
                    out,
                    &v,
                    &format!("{user_id} is now {} in {org_id}", text(&v["role"])),
                    "membership_id",
                );
            }
            OrgMemberCommand::Remove { org_id, user_id } => {
                let v = orgs::remove_member(&dd, &actor, &org_id, &user_id)?;
                done(
                    out,
                    &v,
                    &format!("Removed {user_id} from {org_id}"),
                    "membership_id",
                );
            }
        },
        OrgCommand::Invite(c) => match c {
            OrgInviteCommand::Create {
                org_id,
                user_id,
                role,
            } => {
                let v = orgs::invite(
                    &dd,
                    &actor,
                    &org_id,
                    &user_id,
                    role.into(),
                    now,
                    orgs::INVITE_TTL_SECONDS,
                )?;
                done(
                    out,
                    &v,
                    &format!(
                        "Invited {user_id} to {org_id} as {} until {} (invite {})",
                        text(&v["role"]),
                        text(&v["expires_at"]),
                        id(&v, "invite_id")
                    ),
                    "invite_id",
                );
                if !out.json && !out.quiet {
                    out.note(format!("the user accepts with `openleash org --as {user_id} invite accept {}` (or POST /v1/owner/organization-invites/{}/accept)", id(&v, "invite_id"), id(&v, "invite_id")));
                }
            }
            OrgInviteCommand::List { org } => {
                let v = match org {
                    Some(org_id) => orgs::org_invites(&dd, &actor, &org_id, now)?,
                    None => orgs::my_invites(&dd, &actor, now)?,
                };
                table(
                    out,
                    &v,
                    "invites",
                    &[
                        ("INVITE ID", "invite_id"),
                        ("ORG", "org_display_name"),
                        ("USER ID", "user_principal_id"),
                        ("ROLE", "role"),
                        ("STATUS", "status"),
                        ("EXPIRES", "expires_at"),
                    ],
                    "invite_id",
                );
            }
            OrgInviteCommand::Accept { invite_id } => {
                let v = orgs::accept(&dd, &actor, &invite_id, now)?;
                done(
                    out,
                    &v,
                    &format!("Joined {} as {}", text(&v["org_id"]), text(&v["role"])),
                    "membership_id",
                );
            }
            OrgInviteCommand::Decline { invite_id } => {
                let v = orgs::decline(&dd, &actor, &invite_id, now)?;
                done(out, &v, &format!("Declined invite {invite_id}"), "org_id");
            }
            OrgInviteCommand::Revoke { org_id, invite_id } => {
                let v = orgs::revoke(&dd, &actor, &org_id, &invite_id)?;
                done(out, &v, &format!("Revoked invite {invite_id}"), "invite_id");
            }
        },
    }
    Ok(0)
}

pub(super) fn id<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

pub(super) fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The result of a change: JSON, the id alone with `-q`, or a sentence.
pub(super) fn done(out: &Output, v: &Value, sentence: &str, quiet_key: &str) {
    if out.json {
        out.json_value(v);
    } else if out.quiet {
        out.data(id(v, quiet_key));
    } else {
        out.line(sentence);
    }
}

/// A list: JSON (the handler's object), the ids alone with `-q`, or a table.
pub(super) fn table(out: &Output, v: &Value, field: &str, cols: &[(&str, &str)], quiet_key: &str) {
    let empty = Vec::new();
    let rows = v[field].as_array().unwrap_or(&empty);
    if out.json {
        out.json_value(v);
        return;
    }
    if out.quiet {
        for r in rows {
            out.data(id(r, quiet_key));
        }
        return;
    }
    let headers: Vec<&str> = cols.iter().map(|(h, _)| *h).collect();
    let mut t = out.table(&headers);
    for r in rows {
        t.add_row(cols.iter().map(|(_, k)| text(&r[*k])).collect::<Vec<_>>());
    }
    out.print_table(&t);
}
