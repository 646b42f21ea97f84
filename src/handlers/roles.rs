//! Who may do what in an organization (SPEC §17): the acting user ([`Actor`]), the one permission
//! table ([`Op::min_role`], written out in `docs/roles.md` by [`markdown_table`]) and the one
//! check every face goes through ([`require`]). The CLI, the HTTP API and the portal call the
//! handlers, and the handlers call [`require`] first, so they cannot disagree.
//!
//! The role check comes before anything else: a non-member, or a member whose role is too low,
//! gets `FORBIDDEN` whether or not the organization or the named record exists; only a
//! sufficiently privileged member can learn that an id is unknown (404).

use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::OwnerScope;
use crate::ids;
use crate::store::DataDir;
use crate::store::orgs::{Membership, OrgRole};
use crate::store::owners::{Owner, OwnerType};

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The local operator: the CLI on the data directory without `--as` (whoever can write the
    /// files already has every right; role checks would only be theatre).
    Operator,
    /// A user (an owner of type `user`): an HTTP session, the portal, or the CLI with `--as`.
    User(String),
}

impl Actor {
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Actor::Operator => None,
            Actor::User(id) => Some(id),
        }
    }

    /// The acting user, or `FORBIDDEN` for operations only a user can do (accepting an invite).
    pub fn require_user(&self, what: &str) -> Result<&str> {
        self.user_id().ok_or_else(|| {
            Error::new(ErrorCode::Forbidden, format!("{what} needs an acting user"))
                .with_hint("pass --as <user_id> (see `openleash owner list`)")
        })
    }
}

/// Whose records an operation works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The acting user's own records.
    User,
    /// An organization's records (the actor's role in it decides).
    Org(String),
}

/// Every operation that needs a role in an organization. Creating an organization, listing
/// one's own organizations and invites, and answering one's own invite need no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    OrgShow,
    OrgUpdate,
    OrgDelete,
    MembersList,
    MemberInvite,
    MemberSetRole,
    MemberRemove,
    InvitesList,
    InviteRevoke,
    Leave,
    AgentsList,
    AgentInviteCreate,
    AgentTransfer,
    PoliciesList,
    PolicyShow,
    PolicyCreate,
    PolicyUpdate,
    PolicyDelete,
    PoliciesOrder,
    ApprovalsList,
    ApprovalShow,
    ApprovalApprove,
    ApprovalDeny,
    DraftsList,
    DraftShow,
    DraftApprove,
    DraftDeny,
    AuditRead,
    ProvisionersList,
    ProvisionerCreate,
    ProvisionerRevoke,
    GroupsList,
    GroupShow,
    GroupCreate,
    GroupUpdate,
    GroupDelete,
    GroupAgentAdd,
    GroupAgentRemove,
}

/// One row of the permission table: the operation, its HTTP route, its CLI command (`—` when the
/// operation has no org-specific command) and the lowest role allowed.
pub struct Row {
    pub op: Op,
    pub http: &'static str,
    pub cli: &'static str,
    pub min_role: OrgRole,
}

const fn row(op: Op, http: &'static str, cli: &'static str, min_role: OrgRole) -> Row {
    Row {
        op,
        http,
        cli,
        min_role,
    }
}

/// The permission table, derived from upstream's `requireOrgRole` calls in `routes/owner.ts`
/// (rows marked Δ are openleash additions). Paths are under `/v1/owner/organizations/{org_id}`.
#[rustfmt::skip]
pub const TABLE: &[Row] = &[
    row(Op::OrgShow,           "GET …/{org_id}",                              "org show",           OrgRole::OrgViewer),
    row(Op::OrgUpdate,         "PUT …/{org_id}",                              "org update",         OrgRole::OrgAdmin),
    row(Op::OrgDelete,         "DELETE …/{org_id}",                           "org delete",         OrgRole::OrgAdmin),
    row(Op::MembersList,       "GET …/members",                               "org member list",    OrgRole::OrgViewer),
    row(Op::MemberInvite,      "POST …/members",                              "org invite create",  OrgRole::OrgAdmin),
    row(Op::MemberSetRole,     "PUT …/members/{user_id}",                     "org member role",    OrgRole::OrgAdmin),
    row(Op::MemberRemove,      "DELETE …/members/{user_id}",                  "org member remove",  OrgRole::OrgAdmin),
    row(Op::InvitesList,       "GET …/invites (Δ)",                           "org invite list --org", OrgRole::OrgAdmin),
    row(Op::InviteRevoke,      "DELETE …/invites/{invite_id}",                "org invite revoke",  OrgRole::OrgAdmin),
    row(Op::Leave,             "POST …/leave",                                "org leave",          OrgRole::OrgViewer),
    row(Op::AgentsList,        "GET …/agents",                                "—",                  OrgRole::OrgViewer),
    row(Op::AgentInviteCreate, "POST …/agent-invites",                        "—",                  OrgRole::OrgAdmin),
    row(Op::AgentTransfer,     "POST /v1/owner/agents/{id}/transfer, POST …/agents/{id}/transfer (Δ)", "—", OrgRole::OrgAdmin),
    row(Op::PoliciesList,      "GET …/policies",                              "—",                  OrgRole::OrgViewer),
    row(Op::PolicyShow,        "GET …/policies/{policy_id} (Δ)",              "—",                  OrgRole::OrgViewer),
    row(Op::PolicyCreate,      "POST …/policies",                             "—",                  OrgRole::OrgAdmin),
    row(Op::PolicyUpdate,      "PUT …/policies/{policy_id}",                  "—",                  OrgRole::OrgAdmin),
    row(Op::PolicyDelete,      "DELETE …/policies/{policy_id}",               "—",                  OrgRole::OrgAdmin),
    row(Op::PoliciesOrder,     "PUT …/policies/order",                        "—",                  OrgRole::OrgAdmin),
    row(Op::ApprovalsList,     "GET …/approval-requests",                     "—",                  OrgRole::OrgMember),
    row(Op::ApprovalShow,      "GET …/approval-requests/{id} (Δ)",            "—",                  OrgRole::OrgMember),
    row(Op::ApprovalApprove,   "POST …/approval-requests/{id}/approve",       "—",                  OrgRole::OrgAdmin),
    row(Op::ApprovalDeny,      "POST …/approval-requests/{id}/deny",          "—",                  OrgRole::OrgAdmin),
    row(Op::DraftsList,        "GET …/policy-drafts",                         "—",                  OrgRole::OrgMember),
    row(Op::DraftShow,         "GET …/policy-drafts/{id}",                    "—",                  OrgRole::OrgMember),
    row(Op::DraftApprove,      "POST …/policy-drafts/{id}/approve",           "—",                  OrgRole::OrgAdmin),
    row(Op::DraftDeny,         "POST …/policy-drafts/{id}/deny",              "—",                  OrgRole::OrgAdmin),
    row(Op::AuditRead,         "GET …/audit",                                 "—",                  OrgRole::OrgViewer),
    row(Op::ProvisionersList,  "GET …/provisioners",                          "provisioner list --owner", OrgRole::OrgViewer),
    row(Op::ProvisionerCreate, "POST …/provisioners",                         "provisioner add --owner",  OrgRole::OrgAdmin),
    row(Op::ProvisionerRevoke, "DELETE …/provisioners/{provisioner_id}",      "provisioner revoke --owner", OrgRole::OrgAdmin),
    row(Op::GroupsList,        "GET …/policy-groups",                         "org group list",     OrgRole::OrgViewer),
    row(Op::GroupShow,         "GET …/policy-groups/{group_id}",              "org group show",     OrgRole::OrgViewer),
    row(Op::GroupCreate,       "POST …/policy-groups",                        "org group create",   OrgRole::OrgAdmin),
    row(Op::GroupUpdate,       "PUT …/policy-groups/{group_id}",              "org group update",   OrgRole::OrgAdmin),
    row(Op::GroupDelete,       "DELETE …/policy-groups/{group_id}",           "org group delete",   OrgRole::OrgAdmin),
    row(Op::GroupAgentAdd,     "POST …/policy-groups/{group_id}/agents/{agent_id}", "org group add-agent", OrgRole::OrgAdmin),
    row(Op::GroupAgentRemove,  "DELETE …/policy-groups/{group_id}/agents/{agent_id}", "org group remove-agent", OrgRole::OrgAdmin),
];

impl Op {
    /// The lowest role allowed to do `self` (from [`TABLE`]).
    pub fn min_role(self) -> OrgRole {
        TABLE
            .iter()
            .find(|r| r.op == self)
            .map_or(OrgRole::OrgAdmin, |r| r.min_role)
    }
}

/// The organization `org_id` (an owner of type `org`), `NOT_FOUND` otherwise.
pub fn org(dd: &DataDir, org_id: &str) -> Result<Owner> {
    let not_found = || {
        Error::new(
            ErrorCode::NotFound,
            format!("no organization with id {org_id}"),
        )
        .with_hint("list your organizations with `openleash org list`")
    };
    if !ids::is_uuid_shaped(org_id) {
        return Err(not_found());
    }
    match dd.owner(org_id) {
        Ok(o) if o.owner_type == OwnerType::Org => Ok(o),
        Ok(_) => Err(not_found()),
        Err(e) if e.code == ErrorCode::OwnerNotFound => Err(not_found()),
        Err(e) => Err(e),
    }
}

/// The check: `actor` may do `op` in `org_id`. Returns the actor's membership (`None` for the
/// operator). A user who is not an active member with at least [`Op::min_role`] gets
/// `FORBIDDEN`, before anything is said about whether the org exists.
pub fn require(dd: &DataDir, actor: &Actor, org_id: &str, op: Op) -> Result<Option<Membership>> {
    match actor {
        Actor::Operator => {
            org(dd, org_id)?;
            Ok(None)
        }
        Actor::User(user_id) => {
            let need = op.min_role();
            let membership = if ids::is_uuid_shaped(org_id) {
                dd.org_members(org_id)?.active(user_id).cloned()
            } else {
                None
            };
            match membership {
                Some(m) if m.role >= need => Ok(Some(m)),
                Some(m) => Err(Error::new(
                    ErrorCode::Forbidden,
                    "Insufficient organization permissions",
                )
                .with_details(serde_json::json!({"required_role": need.as_str(), "your_role": m.role.as_str()}))
                .with_hint(format!("this needs the {} role; ask an org_admin", need.as_str()))),
                None => Err(Error::new(
                    ErrorCode::Forbidden,
                    "Insufficient organization permissions",
                )
                .with_details(serde_json::json!({"required_role": need.as_str()}))
                .with_hint("you are not a member of this organization; ask an org_admin for an invite")),
            }
        }
    }
}

/// The scope for an existing owner-side handler (approvals, drafts, agents) acting on `org_id`'s
/// records, after [`require`]: the only way the org faces obtain an org scope.
pub fn org_scope<'a>(
    dd: &DataDir,
    actor: &'a Actor,
    org_id: &'a str,
    op: Op,
) -> Result<OwnerScope<'a>> {
    require(dd, actor, org_id, op)?;
    Ok(match actor.user_id() {
        Some(user_id) => OwnerScope::Member { org_id, user_id },
        None => OwnerScope::Owner(org_id),
    })
}

/// `docs/roles.md`'s table, generated from [`TABLE`] (a test keeps the file in step).
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| operation | HTTP | CLI | org_viewer | org_member | org_admin |\n|---|---|---|---|---|---|\n",
    );
    for r in TABLE {
        let cell = |role: OrgRole| if role >= r.min_role { "yes" } else { "403" };
        s.push_str(&format!(
            "| {:?} | `{}` | {} | {} | {} | {} |\n",
            r.op,
            r.http,
            if r.cli == "—" {
                "—".to_string()
            } else {
                format!("`openleash {}`", r.cli)
            },
            cell(OrgRole::OrgViewer),
            cell(OrgRole::OrgMember),
            cell(OrgRole::OrgAdmin),
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_has_exactly_one_row() {
        for r in TABLE {
            assert_eq!(
                TABLE.iter().filter(|x| x.op == r.op).count(),
                1,
                "{:?}",
                r.op
            );
        }
    }

    #[test]
    fn upstream_examples() {
        assert_eq!(Op::ApprovalApprove.min_role(), OrgRole::OrgAdmin);
        assert_eq!(Op::ApprovalDeny.min_role(), OrgRole::OrgAdmin);
        assert_eq!(Op::ApprovalsList.min_role(), OrgRole::OrgMember);
        assert_eq!(Op::MembersList.min_role(), OrgRole::OrgViewer);
        assert_eq!(Op::AuditRead.min_role(), OrgRole::OrgViewer);
    }

    #[test]
    fn docs_roles_md_holds_the_table() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/roles.md"),
        )
        .unwrap_or_default();
        assert!(
            doc.contains(&markdown_table()),
            "docs/roles.md is out of date; paste handlers::roles::markdown_table() into it:\n{}",
            markdown_table()
        );
    }
}
