//! The routing table: HTTP method + path pattern → authentication kind → a library handler
//! `fn(&AppState, &Req) -> Result<Value>`. Routing only translates; handlers do the work and their
//! typed errors become the shared JSON envelope with the status from [`ErrorCode::http_status`].

use super::endpoints as ep;
use super::request::{Auth, Handler, Req, Route};
use super::state::AppState;
use crate::error::Result;
use serde_json::Value;

/// The server's routes. The OpenAPI document is generated from this table.
#[rustfmt::skip]
pub fn routes() -> &'static [Route] {
    use super::openapi as doc;
    use Auth::{Admin, Agent, Owner, Provisioner, Public};
    use super::provisioners as pv;
    use super::workflow as wf;
    use super::admin_orgs as ao;
    use super::orgs as og;
    use super::orgs_openapi as od;
    use super::transformations as tf;
    use super::users as us;
    const fn r(method: &'static str, path: &'static str, auth: Auth, handler: Handler, cacheable: bool, doc: fn() -> Value) -> Route {
        Route { method, path, auth, handler, cacheable, doc }
    }
    const R: &[Route] = &[
        r("GET",  "/v1/health",                        Public, ep::health,                 false, doc::doc_health),
        r("GET",  "/v1/public-keys",                   Public, ep::public_keys,            true,  doc::doc_public_keys),
        r("GET",  "/v1/agents/policy-schema",          Public, ep::policy_schema,          true,  doc::doc_policy_schema),
        r("GET",  "/v1/openapi.json",                  Public, openapi_json,               true,  doc::doc_openapi),
        r("POST", "/v1/verify-proof",                  Public, ep::verify_proof,           false, doc::doc_verify_proof),
        r("POST", "/v1/playground/run",                Public, ep::playground_run,         false, doc::doc_playground_run),
        r("POST", "/v1/agents/registration-challenge", Public, ep::registration_challenge, false, doc::doc_registration_challenge),
        r("POST", "/v1/agents/register",               Public, ep::register,               false, doc::doc_register),
        r("GET",  "/v1/agents/register-with-invite",   Public, ep::invite_instructions,    false, doc::doc_invite_instructions),
        r("POST", "/v1/agents/register-with-invite",   Public, ep::redeem_invite,          false, doc::doc_redeem_invite),
        r("POST", "/v1/authorize",                     Agent,  ep::authorize,              false, doc::doc_authorize),
        r("GET",  "/v1/agent/self",                    Agent,  ep::agent_self,             false, doc::doc_agent_self),
        r("POST", "/v1/agent/approval-requests",       Agent,  wf::agent_create_approval,  false, doc::doc_agent_create_approval),
        r("GET",  "/v1/agent/approval-requests/{id}",  Agent,  wf::agent_get_approval,     false, doc::doc_agent_get_approval),
        r("POST", "/v1/agent/policy-drafts",           Agent,  wf::agent_create_draft,     false, doc::doc_agent_create_draft),
        r("GET",  "/v1/agent/policy-drafts",           Agent,  wf::agent_list_drafts,      false, doc::doc_agent_list_drafts),
        r("GET",  "/v1/agent/policy-drafts/{id}",      Agent,  wf::agent_get_draft,        false, doc::doc_agent_get_draft),
        r("POST", "/v1/owner/login",                   Public, wf::owner_login,            false, doc::doc_owner_login),
        r("POST", "/v1/owner/logout",                  Owner,  wf::owner_logout,           false, doc::doc_owner_logout),
        r("GET",  "/v1/owner/profile",                 Owner,  us::profile,                false, us::doc_profile),
        r("GET",  "/v1/owner/agents",                  Owner,  wf::owner_agents,           false, doc::doc_agents),
        r("PUT",  "/v1/owner/agents/{id}",             Owner,  wf::owner_set_agent_status, false, us::doc_gated_set_agent_status),
        r("POST", "/v1/owner/agent-invites",           Owner,  wf::owner_create_invite,    false, doc::doc_owner_create_invite),
        r("GET",  "/v1/owner/policies",                Owner,  wf::owner_list_policies,    false, doc::doc_owner_list_policies),
        r("POST", "/v1/owner/policies",                Owner,  wf::owner_create_policy,    false, us::doc_gated_create_policy),
        r("GET",  "/v1/owner/policies/{id}",           Owner,  wf::owner_get_policy,       false, doc::doc_owner_get_policy),
        // Before `/policies/{id}`: the first matching route wins.
        r("PUT",  "/v1/owner/policies/order",          Owner,  og::reorder_own,            false, od::reorder),
        r("PUT",  "/v1/owner/policies/{id}",           Owner,  wf::owner_update_policy,    false, us::doc_gated_update_policy),
        r("DELETE", "/v1/owner/policies/{id}",         Owner,  wf::owner_delete_policy,    false, us::doc_gated_delete_policy),
        r("GET",  "/v1/owner/approval-requests",       Owner,  wf::owner_list_approvals,   false, doc::doc_owner_list_approvals),
        r("GET",  "/v1/owner/approvals",               Owner,  og::inbox,                  false, od::inbox),
        r("GET",  "/v1/owner/approval-requests/{id}",  Owner,  wf::owner_get_approval,     false, doc::doc_owner_get_approval),
        r("POST", "/v1/owner/approval-requests/{id}/approve", Owner, wf::owner_approve,    false, us::doc_gated_approve),
        r("POST", "/v1/owner/approval-requests/{id}/deny",    Owner, wf::owner_deny,       false, us::doc_gated_deny),
        r("GET",  "/v1/owner/policy-drafts",           Owner,  wf::owner_list_drafts,      false, doc::doc_owner_list_drafts),
        r("GET",  "/v1/owner/policy-drafts/{id}",      Owner,  wf::owner_get_draft,        false, doc::doc_owner_get_draft),
        r("POST", "/v1/owner/policy-drafts/{id}/approve", Owner, wf::owner_approve_draft,  false, us::doc_gated_approve_draft),
        r("POST", "/v1/owner/policy-drafts/{id}/deny", Owner,  wf::owner_deny_draft,       false, us::doc_gated_deny),
        r("GET",  "/v1/owner/audit",                   Owner,  wf::owner_audit,            false, doc::doc_audit),
        r("POST", "/v1/owner/organizations",           Owner,  og::create,                 false, od::create),
        r("GET",  "/v1/owner/organizations",           Owner,  og::list,                   false, od::list),
        r("GET",  "/v1/owner/organizations/{org_id}",  Owner,  og::show,                   false, od::show),
        r("PUT",  "/v1/owner/organizations/{org_id}",  Owner,  og::update,                 false, od::update),
        r("DELETE", "/v1/owner/organizations/{org_id}", Owner, og::delete,                 false, od::delete),
        r("GET",  "/v1/owner/organizations/{org_id}/members", Owner, og::members,          false, od::members),
        r("POST", "/v1/owner/organizations/{org_id}/members", Owner, og::invite,           false, od::invite_member),
        r("PUT",  "/v1/owner/organizations/{org_id}/members/{user_id}", Owner, og::set_role, false, od::set_role),
        r("DELETE", "/v1/owner/organizations/{org_id}/members/{user_id}", Owner, og::remove_member, false, od::remove_member),
        r("POST", "/v1/owner/organizations/{org_id}/leave", Owner, og::leave,              false, od::leave),
        r("GET",  "/v1/owner/organizations/{org_id}/invites", Owner, og::org_invites,      false, od::org_invites),
        r("DELETE", "/v1/owner/organizations/{org_id}/invites/{invite_id}", Owner, og::revoke_invite, false, od::revoke_invite),
        r("GET",  "/v1/owner/organization-invites",    Owner,  og::my_invites,             false, od::my_invites),
        r("POST", "/v1/owner/organization-invites/{invite_id}/accept", Owner, og::accept_invite, false, od::accept_invite),
        r("POST", "/v1/owner/organization-invites/{invite_id}/decline", Owner, og::decline_invite, false, od::decline_invite),
        r("GET",  "/v1/owner/organizations/{org_id}/agents", Owner, og::agents,            false, od::agents),
        r("POST", "/v1/owner/organizations/{org_id}/agent-invites", Owner, og::agent_invite, false, od::agent_invite),
        r("GET",  "/v1/owner/organizations/{org_id}/policies", Owner, og::policies,        false, od::policies),
        r("POST", "/v1/owner/organizations/{org_id}/policies", Owner, og::create_policy,   false, od::create_policy),
        r("GET",  "/v1/owner/organizations/{org_id}/policies/{id}", Owner, og::get_policy, false, od::get_policy),
        r("PUT",  "/v1/owner/organizations/{org_id}/policies/order", Owner, og::reorder_org, false, od::reorder_org),
        r("PUT",  "/v1/owner/organizations/{org_id}/policies/{id}", Owner, og::update_policy, false, od::update_policy),
        r("DELETE", "/v1/owner/organizations/{org_id}/policies/{id}", Owner, og::delete_policy, false, od::delete_policy),
        r("GET",  "/v1/owner/organizations/{org_id}/approval-requests", Owner, og::approvals, false, od::approvals),
        r("GET",  "/v1/owner/organizations/{org_id}/approval-requests/{id}", Owner, og::get_approval, false, od::get_approval),
        r("POST", "/v1/owner/organizations/{org_id}/approval-requests/{id}/approve", Owner, og::approve, false, od::approve),
        r("POST", "/v1/owner/organizations/{org_id}/approval-requests/{id}/deny", Owner, og::deny, false, od::deny),
        r("GET",  "/v1/owner/organizations/{org_id}/policy-drafts", Owner, og::drafts,     false, od::drafts),
        r("GET",  "/v1/owner/organizations/{org_id}/policy-drafts/{id}", Owner, og::get_draft, false, od::get_draft),
        r("POST", "/v1/owner/organizations/{org_id}/policy-drafts/{id}/approve", Owner, og::approve_draft, false, od::approve_draft),
        r("POST", "/v1/owner/organizations/{org_id}/policy-drafts/{id}/deny", Owner, og::deny_draft, false, od::deny_draft),
        r("GET",  "/v1/owner/organizations/{org_id}/audit", Owner, og::audit,              false, od::audit),
        r("GET",  "/v1/owner/organizations/{org_id}/policy-groups", Owner, super::groups::list, false, od::groups),
        r("POST", "/v1/owner/organizations/{org_id}/policy-groups", Owner, super::groups::create, false, od::create_group),
        r("GET",  "/v1/owner/organizations/{org_id}/policy-groups/{group_id}", Owner, super::groups::show, false, od::group),
        r("PUT",  "/v1/owner/organizations/{org_id}/policy-groups/{group_id}", Owner, super::groups::update, false, od::update_group),
        r("DELETE", "/v1/owner/organizations/{org_id}/policy-groups/{group_id}", Owner, super::groups::delete, false, od::delete_group),
        r("POST", "/v1/owner/organizations/{org_id}/policy-groups/{group_id}/agents/{agent_id}", Owner, super::groups::add_agent, false, od::add_group_agent),
        r("DELETE", "/v1/owner/organizations/{org_id}/policy-groups/{group_id}/agents/{agent_id}", Owner, super::groups::remove_agent, false, od::remove_group_agent),
        r("POST", "/v1/owner/agents/{id}/transfer",    Owner,  og::transfer_to_org,        false, od::transfer_to_org),
        r("POST", "/v1/owner/organizations/{org_id}/agents/{id}/transfer", Owner, og::transfer_to_user, false, od::transfer_to_user),
        r("GET",  "/v1/agent/transformations",         Agent,  tf::agent_list,             false, tf::doc_agent_list),
        r("GET",  "/v1/owner/transformations",         Owner,  tf::owner_list,             false, tf::doc_owner_list),
        r("POST", "/v1/owner/transformations",         Owner,  tf::owner_create,           false, tf::doc_owner_create),
        r("GET",  "/v1/owner/transformations/{id}",    Owner,  tf::owner_get,              false, tf::doc_owner_get),
        r("PUT",  "/v1/owner/transformations/{id}",    Owner,  tf::owner_update,           false, tf::doc_owner_update),
        r("DELETE", "/v1/owner/transformations/{id}",  Owner,  tf::owner_delete,           false, tf::doc_owner_delete),
        r("GET",  "/v1/admin/users",                   Admin,  us::admin_users,            false, us::doc_admin_users),
        r("POST", "/v1/admin/users",                   Admin,  wf::admin_create_user,      false, doc::doc_admin_create_user),
        r("GET",  "/v1/admin/owners",                  Admin,  us::admin_users,            false, us::doc_admin_users),
        r("POST", "/v1/admin/owners",                  Admin,  wf::admin_create_user,      false, doc::doc_admin_create_user),
        r("GET",  "/v1/admin/agents",                  Admin,  wf::admin_agents,           false, doc::doc_agents),
        r("GET",  "/v1/admin/policies",                Admin,  wf::admin_policies,         false, doc::doc_admin_policies),
        r("GET",  "/v1/admin/audit",                   Admin,  wf::admin_audit,            false, doc::doc_audit),
        r("GET",  "/v1/admin/config",                  Admin,  wf::admin_config,           false, doc::doc_admin_config),
        // Users, admins and TOTP (SPEC §17; src/server/users.rs)
        r("POST", "/v1/initial-setup",                 Public, us::initial_setup,          false, us::doc_initial_setup),
        r("POST", "/v1/owner/setup",                   Public, us::owner_setup,            false, us::doc_owner_setup),
        r("POST", "/v1/owner/recover",                 Public, us::owner_recover,          false, us::doc_owner_recover),
        r("POST", "/v1/owner/session/refresh",         Owner,  us::session_refresh,        false, us::doc_session_refresh),
        r("PUT",  "/v1/owner/profile",                 Owner,  us::update_profile,         false, us::doc_update_profile),
        r("POST", "/v1/owner/totp/setup",              Owner,  us::totp_setup,             false, us::doc_totp_setup),
        r("POST", "/v1/owner/totp/confirm",            Owner,  us::totp_confirm,           false, us::doc_totp_confirm),
        r("POST", "/v1/owner/totp/disable",            Owner,  us::totp_disable,           false, us::doc_totp_disable),
        r("POST", "/v1/admin/login",                   Admin,  us::admin_login,            false, us::doc_admin_login),
        r("GET",  "/v1/admin/users/{id}/roles",        Admin,  us::admin_get_roles,        false, us::doc_admin_get_roles),
        r("PUT",  "/v1/admin/users/{id}/roles",        Admin,  us::admin_set_roles,        false, us::doc_admin_set_roles),
        r("POST", "/v1/admin/users/{id}/setup-invite", Admin,  us::admin_setup_invite,     false, us::doc_admin_setup_invite),
        r("POST", "/v1/admin/users/{id}/disable-totp", Admin,  us::admin_disable_totp,     false, us::doc_admin_disable_totp),
        r("GET",  "/v1/admin/policies/{id}",           Admin,  us::admin_policy,           false, us::doc_admin_policy),
        r("DELETE", "/v1/admin/agents/{id}",           Admin,  us::admin_delete_agent,     false, us::doc_admin_delete_agent),
        r("DELETE", "/v1/owner/account",               Owner,  us::delete_account,         false, us::doc_delete_account),
        r("DELETE", "/v1/admin/users/{id}",            Admin,  us::admin_delete_user,      false, us::doc_admin_delete_user),
        r("GET",  "/v1/admin/organizations",           Admin,  ao::list,                   false, ao::doc_list),
        r("POST", "/v1/admin/organizations",           Admin,  ao::create,                 false, ao::doc_create),
        r("GET",  "/v1/admin/organizations/{org_id}",  Admin,  ao::show,                   false, ao::doc_show),
        r("PUT",  "/v1/admin/organizations/{org_id}",  Admin,  ao::update,                 false, ao::doc_update),
        r("DELETE", "/v1/admin/organizations/{org_id}", Admin, ao::delete,                 false, ao::doc_delete),
        r("GET",  "/v1/admin/organizations/{org_id}/members", Admin, ao::members,          false, ao::doc_members),
        r("POST", "/v1/admin/organizations/{org_id}/members", Admin, ao::add_member,       false, ao::doc_add_member),
        r("PUT",  "/v1/admin/organizations/{org_id}/members/{user_id}", Admin, ao::set_role, false, ao::doc_set_role),
        r("DELETE", "/v1/admin/organizations/{org_id}/members/{user_id}", Admin, ao::remove_member, false, ao::doc_remove_member),
        r("POST", "/v1/admin/organizations/{org_id}/agent-invite", Admin, ao::org_agent_invite, false, ao::doc_org_agent_invite),
        r("POST", "/v1/admin/users/{id}/agent-invite", Admin,  ao::user_agent_invite,      false, ao::doc_user_agent_invite),
        r("GET",  "/v1/admin/state",                   Admin,  wf::admin_state,            false, doc::doc_admin_state),
        // Provisioners (issue 22; src/server/provisioners.rs)
        r("POST", "/v1/owner/provisioners",            Owner,  pv::owner_create,           false, pv::doc_owner_create),
        r("GET",  "/v1/owner/provisioners",            Owner,  pv::owner_list,             false, pv::doc_owner_list),
        r("DELETE", "/v1/owner/provisioners/{id}",     Owner,  pv::owner_revoke,           false, pv::doc_owner_revoke),
        r("POST", "/v1/owner/organizations/{org_id}/provisioners", Owner, pv::org_create,  false, pv::doc_org_create),
        r("GET",  "/v1/owner/organizations/{org_id}/provisioners", Owner, pv::org_list,    false, pv::doc_org_list),
        r("DELETE", "/v1/owner/organizations/{org_id}/provisioners/{id}", Owner, pv::org_revoke, false, pv::doc_org_revoke),
        r("GET",  "/v1/provisioner/self",              Provisioner, pv::self_info,         false, pv::doc_self),
        r("GET",  "/v1/provisioner/policies",          Provisioner, pv::policies,          false, pv::doc_policies),
        r("POST", "/v1/provisioner/enrollments",       Provisioner, pv::create_enrollment, false, pv::doc_create_enrollment),
        r("GET",  "/v1/provisioner/enrollments",       Provisioner, pv::enrollments,       false, pv::doc_enrollments),
        r("GET",  "/v1/provisioner/agents",            Provisioner, pv::agents,            false, pv::doc_agents),
        r("GET",  "/v1/provisioner/groups",            Provisioner, pv::groups,            false, pv::doc_groups),
        r("POST", "/v1/provisioner/groups/{group_id}/agents/{id}", Provisioner, pv::group_add_agent, false, pv::doc_group_add_agent),
        r("DELETE", "/v1/provisioner/groups/{group_id}/agents/{id}", Provisioner, pv::group_remove_agent, false, pv::doc_group_remove_agent),
        r("GET",  "/v1/provisioner/agents/{id}/policies", Provisioner, pv::agent_policies, false, pv::doc_agent_policies),
        r("POST", "/v1/provisioner/agents/{id}/policies", Provisioner, pv::bind_policy,    false, pv::doc_bind_policy),
        r("DELETE", "/v1/provisioner/agents/{id}/policies/{policy_id}", Provisioner, pv::unbind_policy, false, pv::doc_unbind_policy),
    ];
    R
}

/// The OpenAPI document of this table, with `base` as the server URL.
pub fn openapi_document(base: &str) -> Value {
    super::openapi::document(routes(), base)
}

/// `GET /v1/openapi.json`: the document generated from the table that serves it.
fn openapi_json(s: &AppState, _r: &Req<'_>) -> Result<Value> {
    Ok(openapi_document(&s.public_url()))
}

/// The outcome of matching a path against the table.
pub enum Match<'r, 'a> {
    Found(&'r Route, Vec<(&'static str, &'a str)>),
    /// The path exists with other methods (for 405 and its `Allow` header).
    WrongMethod(Vec<&'static str>),
    NotFound,
}

pub fn find<'a>(method: &str, path: &'a str) -> Match<'static, 'a> {
    // HEAD is served by the GET route (tiny_http leaves out the body).
    let method = if method == "HEAD" { "GET" } else { method };
    let mut allowed = Vec::new();
    for r in routes() {
        let Some(params) = match_path(r.path, path) else {
            continue;
        };
        if r.method == method {
            return Match::Found(r, params);
        }
        allowed.push(r.method);
    }
    if allowed.is_empty() {
        Match::NotFound
    } else {
        if allowed.contains(&"GET") {
            allowed.push("HEAD");
        }
        Match::WrongMethod(allowed)
    }
}

fn match_path<'a>(pattern: &'static str, path: &'a str) -> Option<Vec<(&'static str, &'a str)>> {
    let mut params = Vec::new();
    let mut ps = pattern.split('/');
    let mut xs = path.split('/');
    loop {
        match (ps.next(), xs.next()) {
            (None, None) => return Some(params),
            (Some(p), Some(x)) => {
                if let Some(name) = p.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
                    if x.is_empty() {
                        return None;
                    }
                    params.push((name, x));
                } else if p != x {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(matches!(find("GET", "/v1/health"), Match::Found(..)));
        assert!(matches!(find("HEAD", "/v1/health"), Match::Found(..)));
        match find("POST", "/v1/health") {
            Match::WrongMethod(m) => assert_eq!(m, vec!["GET", "HEAD"]),
            _ => panic!("expected 405"),
        }
        assert!(matches!(find("GET", "/v1/health/"), Match::NotFound));
        assert!(matches!(find("GET", "/v1/nope"), Match::NotFound));
        assert_eq!(
            match_path("/a/{id}", "/a/x%2f.."),
            Some(vec![("id", "x%2f..")])
        );
        assert_eq!(match_path("/a/{id}", "/a/"), None);
        assert_eq!(match_path("/a/{id}", "/a/b/c"), None);
    }

    proptest::proptest! {
        /// Any method and path a client sends is matched without panicking.
        #[test]
        fn matching_never_panics(method in "[A-Z]{0,7}", path in "\\PC{0,60}") {
            let _ = find(&method, &path);
        }
    }

    #[test]
    fn every_route_is_unique() {
        let rs = routes();
        for (i, a) in rs.iter().enumerate() {
            for b in &rs[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {}",
                    a.method,
                    a.path
                );
            }
        }
    }
}
