//! HTTP adapters for provisioners: the owner's token management under
//! `/v1/owner/provisioners` and `/v1/owner/organizations/{org_id}/provisioners`, and the
//! provisioner's own API under `/v1/provisioner/*` (upstream `routes/provisioner.ts`). The rules
//! — role checks, scope, audit — live in [`crate::handlers::provisioners`] and
//! [`crate::handlers::provisioner_scope`]; this only translates JSON, and the OpenAPI operations
//! of these routes are kept here beside them.

use super::request::Req;
use super::state::AppState;
use super::workflow::{opt_string, optional_body, page_req};
use crate::error::{Error, Result};
use crate::handlers::provisioner_scope::{self as ps, NewEnrollment};
use crate::handlers::provisioners::{self as pv, LIST};
use crate::handlers::roles::Actor;
use crate::store::provisioners::Provisioner;
use serde_json::{Value, json};

fn param<'a>(r: &Req<'a>, name: &str) -> Result<&'a str> {
    r.param(name)
        .ok_or_else(|| Error::internal(format!("route without a {{{name}}} parameter")))
}

fn actor(r: &Req<'_>) -> Result<Actor> {
    let o = r
        .owner
        .as_ref()
        .ok_or_else(|| Error::internal("owner route without a session"))?;
    Ok(Actor::User(o.owner_id.clone()))
}

fn me(r: &Req<'_>) -> Result<String> {
    Ok(r.owner
        .as_ref()
        .ok_or_else(|| Error::internal("owner route without a session"))?
        .owner_id
        .clone())
}

fn prov<'a>(r: &'a Req<'_>) -> Result<&'a Provisioner> {
    r.provisioner
        .as_ref()
        .ok_or_else(|| Error::internal("provisioner route without a provisioner"))
}

fn create(s: &AppState, r: &Req<'_>, owner_id: &str) -> Result<Value> {
    let m = optional_body(r)?;
    let name = opt_string(&m, "name")?.unwrap_or_default();
    let expires_at = opt_string(&m, "expires_at")?;
    Ok(pv::create(&s.dd, &actor(r)?, owner_id, &name, expires_at.as_deref())?.json())
}

fn list(s: &AppState, r: &Req<'_>, owner_id: &str) -> Result<Value> {
    let page = pv::list(&s.dd, &actor(r)?, owner_id, &page_req(r, LIST)?)?;
    Ok(page.map(|p| pv::public_json(&p)).json("provisioners"))
}

fn revoke(s: &AppState, r: &Req<'_>, owner_id: &str) -> Result<Value> {
    let p = pv::revoke(&s.dd, &actor(r)?, owner_id, param(r, "id")?)?;
    Ok(json!({"provisioner_id": p.provisioner_id, "status": p.status, "revoked_at": p.revoked_at}))
}

pub fn owner_create(s: &AppState, r: &Req<'_>) -> Result<Value> {
    create(s, r, &me(r)?)
}
pub fn owner_list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    list(s, r, &me(r)?)
}
pub fn owner_revoke(s: &AppState, r: &Req<'_>) -> Result<Value> {
    revoke(s, r, &me(r)?)
}
pub fn org_create(s: &AppState, r: &Req<'_>) -> Result<Value> {
    create(s, r, param(r, "org_id")?)
}
pub fn org_list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    list(s, r, param(r, "org_id")?)
}
pub fn org_revoke(s: &AppState, r: &Req<'_>) -> Result<Value> {
    revoke(s, r, param(r, "org_id")?)
}

// ---------------------------------------------------------------------------------------------
// /v1/provisioner/*

pub fn self_info(_s: &AppState, r: &Req<'_>) -> Result<Value> {
    Ok(ps::self_json(prov(r)?))
}

pub fn policies(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::policies(
        &s.dd,
        prov(r)?,
        &page_req(r, crate::handlers::policies::LIST)?,
    )
}

pub fn create_enrollment(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = optional_body(r)?;
    let n = NewEnrollment {
        agent_name: opt_string(&m, "agent_name")?.unwrap_or_default(),
        policy_id: opt_string(&m, "policy_id")?,
        group_id: opt_string(&m, "group_id")?,
    };
    ps::create_enrollment(&s.dd, prov(r)?, n, &s.public_url())
}

pub fn enrollments(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::enrollments(&s.dd, prov(r)?, &page_req(r, ps::ENROLLMENTS)?)
}

pub fn agents(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::agents(
        &s.dd,
        prov(r)?,
        &page_req(r, crate::handlers::agents::LIST)?,
    )
}

pub fn groups(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::groups(&s.dd, prov(r)?)
}

pub fn group_add_agent(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::group_add_agent(&s.dd, prov(r)?, param(r, "group_id")?, param(r, "id")?)
}

pub fn group_remove_agent(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::group_remove_agent(&s.dd, prov(r)?, param(r, "group_id")?, param(r, "id")?)
}

pub fn agent_policies(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::agent_policies(&s.dd, prov(r)?, param(r, "id")?)
}

pub fn bind_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = optional_body(r)?;
    let policy_id = opt_string(&m, "policy_id")?.unwrap_or_default();
    ps::bind_policy(&s.dd, prov(r)?, param(r, "id")?, &policy_id)
}

pub fn unbind_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    ps::unbind_policy(&s.dd, prov(r)?, param(r, "id")?, param(r, "policy_id")?)
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

fn s() -> Value {
    json!({"type": "string"})
}
fn os() -> Value {
    json!({"type": ["string", "null"]})
}
fn obj(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}
fn paged(key: &str, item: Value) -> Value {
    obj(
        json!({key: {"type": "array", "items": item}, "next_cursor": os(), "total": {"type": "integer"}, "limit": {"type": "integer"}}),
        &[key, "next_cursor", "total", "limit"],
    )
}

/// An operation with path parameters `params`, the 200 schema, its errors and an optional body.
fn op(
    summary: &str,
    params: &[&str],
    ok: Value,
    errors: &[(&str, &str)],
    body: Option<Value>,
    paging: bool,
) -> Value {
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut responses = serde_json::Map::new();
    responses.insert(
        "200".into(),
        json!({"description": "OK", "content": {"application/json": {"schema": ok}}}),
    );
    for (status, d) in errors {
        responses.insert((*status).into(), err(d));
    }
    let mut ps: Vec<Value> = params
        .iter()
        .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    if paging {
        ps.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}));
        ps.push(json!({"name": "cursor", "in": "query", "required": false, "schema": {"type": "string"}}));
    }
    let mut o = json!({"summary": summary, "tags": ["provisioners"], "responses": responses});
    if !ps.is_empty() {
        o["parameters"] = Value::Array(ps);
    }
    if let Some(b) = body {
        o["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": b}}});
    }
    o
}

const SESSION: (&str, &str) = ("401", "INVALID_SESSION");
const ORG_FORBIDDEN: (&str, &str) = (
    "403",
    "FORBIDDEN (not a member, or the role is too low; checked first)",
);
const PROV_AUTH: (&str, &str) = (
    "401",
    "PROVISIONER_UNAUTHORIZED (no, malformed or wrong token), PROVISIONER_REVOKED, PROVISIONER_EXPIRED",
);

fn record() -> Value {
    obj(
        json!({"provisioner_id": s(), "name": s(), "owner_type": {"enum": ["user", "org"]}, "owner_id": s(), "status": {"enum": ["ACTIVE", "REVOKED"]}, "created_at": s(), "expires_at": os(), "revoked_at": os(), "last_used_at": os()}),
        &["provisioner_id", "name", "status", "created_at"],
    )
}

fn minted() -> Value {
    obj(
        json!({"provisioner_id": s(), "name": s(), "token": {"type": "string", "description": "olp_<provisioner_id>.<secret>; shown only here"}, "created_at": s(), "expires_at": os()}),
        &["provisioner_id", "name", "token", "created_at"],
    )
}

fn create_body() -> Value {
    obj(
        json!({"name": s(), "expires_at": {"type": ["string", "null"], "format": "date-time", "description": "Δ: optional end of validity (RFC 3339, in the future)"}}),
        &["name"],
    )
}

fn revoked() -> Value {
    obj(
        json!({"provisioner_id": s(), "status": {"const": "REVOKED"}, "revoked_at": os()}),
        &["provisioner_id", "status"],
    )
}

pub fn doc_owner_create() -> Value {
    op(
        "Mint a provisioner token for the session's user (the token is shown once)",
        &[],
        minted(),
        &[
            (
                "400",
                "INVALID_REQUEST (name missing or too long, expires_at not a future RFC 3339 time)",
            ),
            SESSION,
        ],
        Some(create_body()),
        false,
    )
}

pub fn doc_owner_list() -> Value {
    op(
        "The session user's provisioners (active and revoked), oldest first",
        &[],
        paged("provisioners", record()),
        &[SESSION],
        None,
        true,
    )
}

pub fn doc_owner_revoke() -> Value {
    op(
        "Revoke one of the session user's provisioners (idempotent)",
        &["id"],
        revoked(),
        &[
            SESSION,
            ("403", "FORBIDDEN (another owner's provisioner)"),
            ("404", "PROVISIONER_NOT_FOUND"),
        ],
        None,
        false,
    )
}

pub fn doc_org_create() -> Value {
    op(
        "Mint a provisioner token for an organization (org_admin; the token is shown once)",
        &["org_id"],
        minted(),
        &[("400", "INVALID_REQUEST"), SESSION, ORG_FORBIDDEN],
        Some(create_body()),
        false,
    )
}

pub fn doc_org_list() -> Value {
    op(
        "An organization's provisioners (org_viewer)",
        &["org_id"],
        paged("provisioners", record()),
        &[SESSION, ORG_FORBIDDEN, ("404", "NOT_FOUND (organization)")],
        None,
        true,
    )
}

pub fn doc_org_revoke() -> Value {
    op(
        "Revoke one of an organization's provisioners (org_admin; idempotent)",
        &["org_id", "id"],
        revoked(),
        &[SESSION, ORG_FORBIDDEN, ("404", "PROVISIONER_NOT_FOUND")],
        None,
        false,
    )
}

pub fn doc_self() -> Value {
    op(
        "The calling provisioner (a connection test)",
        &[],
        obj(
            json!({"provisioner_id": s(), "name": s(), "owner_type": {"enum": ["user", "org"]}, "owner_id": s(), "status": {"const": "ACTIVE"}, "created_at": s(), "expires_at": os()}),
            &[
                "provisioner_id",
                "name",
                "owner_type",
                "owner_id",
                "status",
                "created_at",
            ],
        ),
        &[PROV_AUTH],
        None,
        false,
    )
}

pub fn doc_policies() -> Value {
    op(
        "The owner's policies, which enrollments and bindings may reference",
        &[],
        paged(
            "policies",
            obj(
                json!({"policy_id": s(), "name": os(), "description": os(), "applies_to_agent_principal_id": os(), "applies_to_group_id": os()}),
                &["policy_id"],
            ),
        ),
        &[PROV_AUTH],
        None,
        true,
    )
}

pub fn doc_create_enrollment() -> Value {
    op(
        "Create an enrollment: a single-use agent invite of the owner, valid 24 hours, that binds policy_id to the agent that redeems it",
        &[],
        obj(
            json!({"enrollment_id": s(), "invite_id": s(), "invite_token": s(), "invite_url": s(), "expires_at": s(), "agent_name": s(), "policy_id": os(), "group_id": os()}),
            &[
                "enrollment_id",
                "invite_id",
                "invite_token",
                "invite_url",
                "expires_at",
                "agent_name",
            ],
        ),
        &[
            (
                "400",
                "INVALID_REQUEST (agent_name missing), INVALID_POLICY (not a policy of this owner), INVALID_GROUP",
            ),
            PROV_AUTH,
        ],
        Some(obj(
            json!({"agent_name": s(), "policy_id": os(), "group_id": os()}),
            &["agent_name"],
        )),
        false,
    )
}

pub fn doc_enrollments() -> Value {
    op(
        "This provisioner's enrollments, newest first",
        &[],
        paged(
            "enrollments",
            obj(
                json!({"enrollment_id": s(), "agent_name": os(), "policy_id": os(), "group_id": os(), "status": {"enum": ["pending", "used", "expired"]}, "created_at": s(), "expires_at": s(), "used_at": os(), "agent": {"type": ["object", "null"]}}),
                &["enrollment_id", "status", "created_at", "expires_at"],
            ),
        ),
        &[PROV_AUTH],
        None,
        true,
    )
}

pub fn doc_agents() -> Value {
    op(
        "The owner's agents",
        &[],
        paged(
            "agents",
            obj(
                json!({"agent_principal_id": s(), "agent_id": s(), "status": s(), "created_at": s()}),
                &["agent_principal_id", "agent_id", "status", "created_at"],
            ),
        ),
        &[PROV_AUTH],
        None,
        true,
    )
}

pub fn doc_groups() -> Value {
    op(
        "The owner's policy groups (none until policy groups are stored)",
        &[],
        obj(json!({"groups": {"type": "array"}}), &["groups"]),
        &[PROV_AUTH],
        None,
        false,
    )
}

pub fn doc_group_add_agent() -> Value {
    op(
        "Add one of the owner's agents to one of its policy groups (idempotent)",
        &["group_id", "id"],
        obj(
            json!({"membership_id": s(), "status": {"enum": ["added", "already_member"]}}),
            &["membership_id", "status"],
        ),
        &[
            PROV_AUTH,
            ("404", "NOT_FOUND (group or agent not the owner's)"),
        ],
        None,
        false,
    )
}

pub fn doc_group_remove_agent() -> Value {
    op(
        "Remove an agent from one of the owner's policy groups",
        &["group_id", "id"],
        obj(
            json!({"membership_id": s(), "status": {"const": "removed"}}),
            &["membership_id", "status"],
        ),
        &[
            PROV_AUTH,
            (
                "404",
                "NOT_FOUND (group not the owner's, or agent not a member)",
            ),
        ],
        None,
        false,
    )
}

pub fn doc_agent_policies() -> Value {
    op(
        "One of the owner's agents: its agent-tier policies by rank and its group memberships",
        &["id"],
        obj(
            json!({"agent_principal_id": s(), "policies": {"type": "array", "items": obj(json!({"policy_id": s(), "name": os(), "rank": {"type": "integer"}}), &["policy_id", "rank"])}, "groups": {"type": "array"}}),
            &["agent_principal_id", "policies", "groups"],
        ),
        &[PROV_AUTH, ("404", "NOT_FOUND (not an agent of this owner)")],
        None,
        false,
    )
}

fn bind_result(words: &[&str]) -> Value {
    obj(
        json!({"policy_id": s(), "agent_principal_id": s(), "status": {"enum": words}}),
        &["policy_id", "agent_principal_id", "status"],
    )
}

pub fn doc_bind_policy() -> Value {
    op(
        "Bind one of the owner's policies to one of its agents, after the agent's other agent-tier policies (idempotent)",
        &["id"],
        bind_result(&["bound", "already_bound"]),
        &[
            (
                "400",
                "INVALID_REQUEST (policy_id missing), INVALID_POLICY (not a policy of this owner)",
            ),
            PROV_AUTH,
            ("404", "NOT_FOUND (not an agent of this owner)"),
        ],
        Some(obj(json!({"policy_id": s()}), &["policy_id"])),
        false,
    )
}

pub fn doc_unbind_policy() -> Value {
    op(
        "Remove a policy's agent-tier binding from one of the owner's agents (the policy stays)",
        &["id", "policy_id"],
        bind_result(&["unbound"]),
        &[
            PROV_AUTH,
            (
                "404",
                "NOT_FOUND (not the owner's agent, or the policy is not bound to it)",
            ),
        ],
        None,
        false,
    )
}
