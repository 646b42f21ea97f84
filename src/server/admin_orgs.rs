//! The instance admin's organization and invite endpoints (`/v1/admin/organizations…`,
//! `/v1/admin/users/{id}/agent-invite`, as upstream's admin routes): the same handlers as the
//! members' routes, acting as [`Actor::Operator`] — whoever passes admin authentication may do
//! what the local operator may, so no org role is checked, and every change is audited as usual.

use super::openapi::{STR, obj, op};
use super::request::Req;
use super::state::AppState;
use super::workflow::{opt_string, req_string};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::org_resources as res;
use crate::handlers::orgs;
use crate::handlers::roles::Actor;
use crate::store::orgs::OrgRole;
use serde_json::{Value, json};

const OPERATOR: Actor = Actor::Operator;

/// A path id, checked for its UUID shape first (400 `INVALID_ID` rather than a lookup).
fn param<'a>(r: &Req<'a>, name: &str) -> Result<&'a str> {
    let v = r
        .param(name)
        .ok_or_else(|| Error::internal(format!("route without a {{{name}}} parameter")))?;
    crate::ids::check_uuid(name, v)?;
    Ok(v)
}

fn role(r: &Req<'_>) -> Result<OrgRole> {
    OrgRole::parse(&req_string(&r.json_object()?, "role")?)
}

/// `GET /v1/admin/organizations`: every organization with its member count.
pub fn list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = super::workflow::page_req(r, crate::handlers::owner::LIST)?;
    orgs::list_all_page(&s.dd, &page)
}

/// `POST /v1/admin/organizations` with `display_name` and `created_by_user_id`, who becomes the
/// new organization's first `org_admin` (as upstream).
pub fn create(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let name = req_string(&m, "display_name")?;
    let creator = req_string(&m, "created_by_user_id")?;
    let user = s.dd.owner(&creator)?;
    if user.owner_type != crate::store::owners::OwnerType::User {
        return Err(Error::new(
            ErrorCode::InvalidBody,
            format!("created_by_user_id {creator} is an organization, not a user"),
        )
        .with_hint("name the user who becomes the organization's first org_admin"));
    }
    let slug = opt_string(&m, "slug")?;
    orgs::create_with_slug(&s.dd, &Actor::User(user.owner_id), &name, slug.as_deref())
}

pub fn show(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::show(&s.dd, &OPERATOR, param(r, "org_id")?)
}

pub fn update(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let name = opt_string(&m, "display_name")?;
    let slug = opt_string(&m, "slug")?;
    orgs::update(
        &s.dd,
        &OPERATOR,
        param(r, "org_id")?,
        name.as_deref(),
        slug.as_deref(),
    )
}

pub fn delete(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::delete(&s.dd, &OPERATOR, param(r, "org_id")?)
}

pub fn members(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::members(&s.dd, &OPERATOR, param(r, "org_id")?)
}

/// `POST …/members` with `user_principal_id` and `role`: added directly (no invitation), as
/// upstream's admin route does.
pub fn add_member(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let user = req_string(&m, "user_principal_id")?;
    let role = OrgRole::parse(&req_string(&m, "role")?)?;
    orgs::add_member(&s.dd, &OPERATOR, param(r, "org_id")?, &user, role)
}

pub fn set_role(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::set_role(
        &s.dd,
        &OPERATOR,
        param(r, "org_id")?,
        param(r, "user_id")?,
        role(r)?,
    )
}

pub fn remove_member(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::remove_member(&s.dd, &OPERATOR, param(r, "org_id")?, param(r, "user_id")?)
}

/// `POST /v1/admin/users/{id}/agent-invite`: an agent invite owned by that user.
pub fn user_agent_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let user = crate::handlers::users::user(&s.dd, param(r, "id")?)?;
    let ttl = super::workflow::invite_ttl(s, r)?;
    crate::handlers::invites::create(&s.dd, &user, ttl, &s.public_url())
}

/// `POST /v1/admin/organizations/{org_id}/agent-invite`: an agent invite owned by the org.
pub fn org_agent_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let ttl = super::workflow::invite_ttl(s, r)?;
    res::create_agent_invite(&s.dd, &OPERATOR, param(r, "org_id")?, ttl, &s.public_url())
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

fn path_params(names: &[&str]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|n| json!({"name": n, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}))
            .collect(),
    )
}

fn admin_op(summary: &str, params: &[&str], body: Option<Value>, extra: &[(&str, &str)]) -> Value {
    let mut errors = vec![
        ("401", "ADMIN_UNAUTHORIZED"),
        (
            "403",
            "ADMIN_REQUIRED (a valid session of a user without the admin role)",
        ),
    ];
    errors.extend_from_slice(extra);
    let mut o = op(summary, json!({"type": "object"}), &errors, body);
    if !params.is_empty() {
        o["parameters"] = path_params(params);
    }
    o["tags"] = json!(["admin"]);
    o
}

const NOT_FOUND: (&str, &str) = (
    "404",
    "NOT_FOUND (400 INVALID_ID for an id that is no UUID)",
);

pub fn doc_list() -> Value {
    super::openapi::with_paging(admin_op(
        "Every organization with its member count, oldest first, a page at a time",
        &[],
        None,
        &[],
    ))
}
pub fn doc_create() -> Value {
    admin_op(
        "Create an organization whose first org_admin is `created_by_user_id` (`slug` optional: made from the name)",
        &[],
        Some(obj(
            json!({"display_name": STR(), "created_by_user_id": STR(), "slug": STR()}),
            &["display_name", "created_by_user_id"],
        )),
        &[("400", "INVALID_BODY"), NOT_FOUND, ("409", "SLUG_TAKEN")],
    )
}
pub fn doc_show() -> Value {
    admin_op("One organization", &["org_id"], None, &[NOT_FOUND])
}
pub fn doc_update() -> Value {
    admin_op(
        "Rename an organization or change its slug",
        &["org_id"],
        Some(obj(json!({"display_name": STR(), "slug": STR()}), &[])),
        &[("400", "INVALID_BODY"), NOT_FOUND, ("409", "SLUG_TAKEN")],
    )
}
pub fn doc_delete() -> Value {
    admin_op(
        "Delete an organization that owns no agents and no policies",
        &["org_id"],
        None,
        &[("409", "ORG_NOT_EMPTY"), NOT_FOUND],
    )
}
pub fn doc_members() -> Value {
    admin_op(
        "An organization's members and roles",
        &["org_id"],
        None,
        &[NOT_FOUND],
    )
}
pub fn doc_add_member() -> Value {
    admin_op(
        "Add a user to an organization directly, with a role",
        &["org_id"],
        Some(obj(
            json!({"user_principal_id": STR(), "role": {"enum": ["org_admin", "org_member", "org_viewer"]}}),
            &["user_principal_id", "role"],
        )),
        &[
            ("400", "INVALID_ROLE"),
            ("409", "ALREADY_MEMBER"),
            NOT_FOUND,
        ],
    )
}
pub fn doc_set_role() -> Value {
    admin_op(
        "Change a member's role (the last org_admin cannot be demoted)",
        &["org_id", "user_id"],
        Some(obj(
            json!({"role": {"enum": ["org_admin", "org_member", "org_viewer"]}}),
            &["role"],
        )),
        &[("400", "INVALID_ROLE | LAST_ADMIN"), NOT_FOUND],
    )
}
pub fn doc_remove_member() -> Value {
    admin_op(
        "Remove a member (not the last org_admin)",
        &["org_id", "user_id"],
        None,
        &[("400", "LAST_ADMIN"), NOT_FOUND],
    )
}
pub fn doc_user_agent_invite() -> Value {
    admin_op(
        "An agent invite owned by the user (`ttl_seconds` optional)",
        &["id"],
        None,
        &[NOT_FOUND],
    )
}
pub fn doc_org_agent_invite() -> Value {
    admin_op(
        "An agent invite owned by the organization (`ttl_seconds` optional)",
        &["org_id"],
        None,
        &[NOT_FOUND],
    )
}
