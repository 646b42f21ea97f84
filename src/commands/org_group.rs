//! `openleash org group list|create|show|update|delete|add-agent|remove-agent|create-policy`: a
//! thin face over `handlers::policy_groups` (role checks there, as for HTTP).

use super::org::{done, id, table, text};
use crate::cli::OrgGroupCommand;
use crate::error::{Error, Result};
use crate::handlers::org_resources::{self as res, NewOrgPolicy};
use crate::handlers::policy_groups::{self as pg, GroupUpdate, NewGroup};
use crate::handlers::roles::Actor;
use crate::output::Output;
use crate::store::DataDir;

pub fn run(dd: &DataDir, actor: &Actor, c: OrgGroupCommand, out: &Output) -> Result<u8> {
    // An agent named by its id or its principal id (the handler checks it is the org's).
    let agent_pid = |a: &str| -> String {
        dd.agent(a)
            .map(|x| x.agent_principal_id)
            .unwrap_or_else(|_| a.to_string())
    };
    match c {
        OrgGroupCommand::List { org_id } => {
            let v = pg::org_list(dd, actor, &org_id)?;
            table(
                out,
                &v,
                "groups",
                &[
                    ("GROUP ID", "group_id"),
                    ("NAME", "name"),
                    ("SLUG", "slug"),
                    ("AGENTS", "member_count"),
                    ("DESCRIPTION", "description"),
                ],
                "group_id",
            );
        }
        OrgGroupCommand::Create {
            org_id,
            name,
            slug,
            description,
        } => {
            let g = NewGroup {
                name,
                slug,
                description,
            };
            let v = pg::org_create(dd, actor, &org_id, g)?;
            done(
                out,
                &v,
                &format!(
                    "Created policy group {} ({})",
                    text(&v["slug"]),
                    id(&v, "group_id")
                ),
                "group_id",
            );
        }
        OrgGroupCommand::Show { org_id, group_id } => {
            let v = pg::org_show(dd, actor, &org_id, &group_id)?;
            if out.json {
                out.json_value(&v);
            } else {
                for (label, key) in [
                    ("Group ID", "group_id"),
                    ("Name", "name"),
                    ("Slug", "slug"),
                    ("About", "description"),
                    ("Created", "created_at"),
                ] {
                    out.line(format!("{:<10}{}", format!("{label}:"), text(&v[key])));
                }
                let empty = Vec::new();
                out.line("Agents:");
                for a in v["agents"].as_array().unwrap_or(&empty) {
                    out.line(format!(
                        "  {} ({})",
                        text(&a["agent_id"]),
                        text(&a["agent_principal_id"])
                    ));
                }
                out.line("Policies (group tier, by rank):");
                for p in v["bound_policies"].as_array().unwrap_or(&empty) {
                    out.line(format!(
                        "  {} rank {} {}",
                        text(&p["policy_id"]),
                        text(&p["rank"]),
                        text(&p["name"])
                    ));
                }
            }
        }
        OrgGroupCommand::Update {
            org_id,
            group_id,
            name,
            slug,
            description,
        } => {
            let u = GroupUpdate {
                name,
                slug,
                description,
            };
            let v = pg::org_update(dd, actor, &org_id, &group_id, u)?;
            done(
                out,
                &v,
                &format!("Updated policy group {group_id}"),
                "group_id",
            );
        }
        OrgGroupCommand::Delete { org_id, group_id } => {
            let v = pg::org_delete(dd, actor, &org_id, &group_id)?;
            done(
                out,
                &v,
                &format!("Deleted policy group {group_id}"),
                "group_id",
            );
        }
        OrgGroupCommand::AddAgent {
            org_id,
            group_id,
            agent,
        } => {
            let v = pg::org_add_agent(dd, actor, &org_id, &group_id, &agent_pid(&agent))?;
            let sentence = if v["status"] == "already_member" {
                format!("{agent} is already in group {group_id}")
            } else {
                format!("Added {agent} to group {group_id}")
            };
            done(out, &v, &sentence, "membership_id");
        }
        OrgGroupCommand::RemoveAgent {
            org_id,
            group_id,
            agent,
        } => {
            let v = pg::org_remove_agent(dd, actor, &org_id, &group_id, &agent_pid(&agent))?;
            done(
                out,
                &v,
                &format!("Removed {agent} from group {group_id}"),
                "membership_id",
            );
        }
        OrgGroupCommand::CreatePolicy {
            org_id,
            group_id,
            file,
            name,
        } => {
            let yaml = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
            let p = NewOrgPolicy {
                text: &yaml,
                agent_principal_id: None,
                group_id: Some(&group_id),
                name,
                description: None,
            };
            let v = res::create_policy(dd, actor, &org_id, p, None)?;
            done(
                out,
                &v,
                &format!(
                    "Created policy {} for group {group_id} (rank {})",
                    id(&v, "policy_id"),
                    text(&v["rank"])
                ),
                "policy_id",
            );
        }
    }
    Ok(0)
}
