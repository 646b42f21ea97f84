//! OpenAPI operations of the organization routes (`super::orgs`), kept beside the shared
//! document so the org endpoints read as one family. Every org route answers 403 `FORBIDDEN`
//! before anything else when the session's user lacks the role (docs/roles.md).

use serde_json::{Value, json};

fn s() -> Value {
    json!({"type": "string"})
}

fn os() -> Value {
    json!({"type": ["string", "null"]})
}

fn obj(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

fn list_of(key: &str, item: Value) -> Value {
    obj(json!({ key: {"type": "array", "items": item} }), &[key])
}

fn any_object() -> Value {
    json!({"type": "object"})
}

/// An operation: path parameters `params` (uuids), the 200 schema, the error codes beyond
/// 401 `INVALID_SESSION` and 403 `FORBIDDEN`, and an optional JSON body.
fn op(
    summary: &str,
    params: &[&str],
    ok: Value,
    errors: &[(&str, &str)],
    body: Option<Value>,
) -> Value {
    let mut responses = serde_json::Map::new();
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    responses.insert(
        "200".into(),
        json!({"description": "OK", "content": {"application/json": {"schema": ok}}}),
    );
    responses.insert("401".into(), err("INVALID_SESSION"));
    responses.insert(
        "403".into(),
        err("FORBIDDEN (not a member, or the role is too low; checked first)"),
    );
    for (status, d) in errors {
        responses.insert((*status).into(), err(d));
    }
    let mut o = json!({"summary": summary, "tags": ["organizations"], "responses": responses});
    if !params.is_empty() {
        o["parameters"] = Value::Array(
            params
                .iter()
                .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}))
                .collect(),
        );
    }
    if let Some(b) = body {
        o["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": b}}});
    }
    o
}

fn role() -> Value {
    json!({"enum": ["org_admin", "org_member", "org_viewer"]})
}

fn org() -> Value {
    obj(
        json!({"org_id": s(), "slug": s(), "display_name": s(), "status": s(), "created_at": s(), "role": role(), "your_role": role(), "member_count": {"type": "integer"}}),
        &["org_id", "display_name", "status"],
    )
}

fn invite() -> Value {
    obj(
        json!({"invite_id": s(), "org_id": s(), "user_principal_id": s(), "role": role(), "status": {"enum": ["pending", "accepted", "declined", "expired", "revoked"]}, "invited_by_user_id": s(), "expires_at": s(), "responded_at": os(), "created_at": s(), "org_display_name": os(), "invited_by_name": os()}),
        &["invite_id", "org_id", "user_principal_id", "role", "status"],
    )
}

const NF: (&str, &str) = ("404", "NOT_FOUND");

pub fn create() -> Value {
    op(
        "Create an organization; the caller becomes its org_admin. `slug` (2-64 of a-z, 0-9, -) names its portal pages; without it one is made from the name",
        &[],
        org(),
        &[("400", "INVALID_BODY"), ("409", "SLUG_TAKEN")],
        Some(obj(
            json!({"display_name": s(), "slug": s()}),
            &["display_name"],
        )),
    )
}
pub fn list() -> Value {
    op(
        "The caller's organizations with their role",
        &[],
        list_of("organizations", org()),
        &[],
        None,
    )
}
pub fn show() -> Value {
    op(
        "One organization (org_viewer)",
        &["org_id"],
        org(),
        &[],
        None,
    )
}
pub fn update() -> Value {
    op(
        "Rename an organization or change its slug (org_admin); a former slug keeps redirecting",
        &["org_id"],
        any_object(),
        &[("400", "INVALID_BODY"), ("409", "SLUG_TAKEN")],
        Some(obj(json!({"display_name": s(), "slug": s()}), &[])),
    )
}
pub fn delete() -> Value {
    op(
        "Delete an organization that owns no agents and no policies (org_admin)",
        &["org_id"],
        any_object(),
        &[("409", "ORG_NOT_EMPTY")],
        None,
    )
}
pub fn members() -> Value {
    op(
        "Members and roles (org_viewer)",
        &["org_id"],
        list_of(
            "members",
            obj(
                json!({"membership_id": s(), "user_principal_id": s(), "display_name": os(), "role": role(), "status": s(), "created_at": s()}),
                &["membership_id", "user_principal_id", "role"],
            ),
        ),
        &[],
        None,
    )
}
pub fn invite_member() -> Value {
    op(
        "Invite a user with a role, valid 7 days (org_admin)",
        &["org_id"],
        invite(),
        &[
            ("400", "INVALID_BODY, INVALID_ROLE"),
            ("404", "OWNER_NOT_FOUND"),
            ("409", "ALREADY_MEMBER, ALREADY_INVITED"),
        ],
        Some(obj(
            json!({"user_principal_id": s(), "role": role()}),
            &["user_principal_id", "role"],
        )),
    )
}
pub fn set_role() -> Value {
    op(
        "Set a member's role (org_admin; not demoting the last org_admin)",
        &["org_id", "user_id"],
        any_object(),
        &[("400", "INVALID_ROLE, LAST_ADMIN"), NF],
        Some(obj(json!({"role": role()}), &["role"])),
    )
}
pub fn remove_member() -> Value {
    op(
        "Remove a member (org_admin; not the last org_admin)",
        &["org_id", "user_id"],
        any_object(),
        &[("400", "LAST_ADMIN"), NF],
        None,
    )
}
pub fn leave() -> Value {
    op(
        "Leave the organization (any member; not the last org_admin)",
        &["org_id"],
        any_object(),
        &[("400", "LAST_ADMIN")],
        None,
    )
}
pub fn org_invites() -> Value {
    op(
        "Every invite of the organization, any status (org_admin)",
        &["org_id"],
        list_of("invites", invite()),
        &[],
        None,
    )
}
pub fn revoke_invite() -> Value {
    op(
        "Revoke a pending invite (org_admin)",
        &["org_id", "invite_id"],
        any_object(),
        &[("400", "INVITE_NOT_PENDING"), NF],
        None,
    )
}
pub fn my_invites() -> Value {
    op(
        "The caller's pending, unexpired organization invites",
        &[],
        list_of("invites", invite()),
        &[],
        None,
    )
}
pub fn accept_invite() -> Value {
    op(
        "Accept an invite addressed to the caller",
        &["invite_id"],
        any_object(),
        &[
            ("400", "INVITE_NOT_PENDING, INVITE_EXPIRED"),
            NF,
            ("409", "ALREADY_MEMBER"),
        ],
        None,
    )
}
pub fn decline_invite() -> Value {
    op(
        "Decline an invite addressed to the caller",
        &["invite_id"],
        any_object(),
        &[("400", "INVITE_NOT_PENDING"), NF],
        None,
    )
}
pub fn agents() -> Value {
    op(
        "The organization's agents (org_viewer)",
        &["org_id"],
        list_of("agents", any_object()),
        &[],
        None,
    )
}
pub fn agent_invite() -> Value {
    op(
        "An agent invite for the organization (org_admin)",
        &["org_id"],
        any_object(),
        &[("400", "INVALID_REQUEST")],
        Some(obj(json!({"ttl_seconds": {"type": "integer"}}), &[])),
    )
}
pub fn policies() -> Value {
    super::openapi::with_paging(op(
        "The organization's policies (org_viewer), a page at a time, in the owner list's order",
        &["org_id"],
        super::openapi::page_of("policies", any_object()),
        &[],
        None,
    ))
}
pub fn get_policy() -> Value {
    op(
        "One policy of the organization (org_viewer)",
        &["org_id", "id"],
        any_object(),
        &[NF],
        None,
    )
}
pub fn create_policy() -> Value {
    op(
        "Create an organization policy (org_admin)",
        &["org_id"],
        any_object(),
        &[
            (
                "400",
                "INVALID_POLICY, INVALID_REQUEST, INVALID_BODY, INVALID_GROUP",
            ),
            NF,
        ],
        Some(obj(
            json!({"policy_yaml": s(), "applies_to_agent_principal_id": os(), "applies_to_group_id": os(), "name": os(), "description": os()}),
            &["policy_yaml"],
        )),
    )
}
pub fn update_policy() -> Value {
    op(
        "Update an organization policy (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[("400", "INVALID_POLICY"), NF],
        Some(obj(
            json!({"policy_yaml": s(), "name": os(), "description": os()}),
            &[],
        )),
    )
}
pub fn delete_policy() -> Value {
    op(
        "Delete an organization policy (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[NF],
        None,
    )
}
pub fn approvals() -> Value {
    let mut o = op(
        "The organization's approval requests (org_member)",
        &["org_id"],
        list_of("approval_requests", any_object()),
        &[],
        None,
    );
    if let Some(ps) = o["parameters"].as_array_mut() {
        for q in ["status", "agent_principal_id"] {
            ps.push(
                json!({"name": q, "in": "query", "required": false, "schema": {"type": "string"}}),
            );
        }
    }
    o
}
pub fn get_approval() -> Value {
    op(
        "One approval request of the organization (org_member)",
        &["org_id", "id"],
        any_object(),
        &[NF],
        None,
    )
}
pub fn approve() -> Value {
    op(
        "Approve an organization's request (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[("400", "INVALID_STATUS, REQUEST_EXPIRED"), NF],
        None,
    )
}
pub fn deny() -> Value {
    op(
        "Deny an organization's request (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[("400", "INVALID_STATUS"), NF],
        Some(obj(json!({"reason": os()}), &[])),
    )
}
pub fn drafts() -> Value {
    op(
        "The organization's policy drafts (org_member)",
        &["org_id"],
        list_of("policy_drafts", any_object()),
        &[],
        None,
    )
}
pub fn get_draft() -> Value {
    op(
        "One policy draft of the organization (org_member)",
        &["org_id", "id"],
        any_object(),
        &[NF],
        None,
    )
}
pub fn approve_draft() -> Value {
    op(
        "Approve an organization's policy draft (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[("400", "INVALID_STATUS"), NF],
        None,
    )
}
pub fn deny_draft() -> Value {
    op(
        "Deny an organization's policy draft (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[("400", "INVALID_STATUS"), NF],
        Some(obj(json!({"reason": os()}), &[])),
    )
}
pub fn audit() -> Value {
    op(
        "The organization's audit trail, newest first (org_viewer); limit and cursor as /v1/owner/audit",
        &["org_id"],
        obj(
            json!({"items": {"type": "array"}, "next_cursor": os()}),
            &["items"],
        ),
        &[("400", "INVALID_REQUEST")],
        None,
    )
}
pub fn transfer_to_org() -> Value {
    op(
        "Move one of the caller's agents to an organization the caller administers",
        &["id"],
        any_object(),
        &[("400", "INVALID_BODY"), NF],
        Some(obj(json!({"target_org_id": s()}), &["target_org_id"])),
    )
}
pub fn transfer_to_user() -> Value {
    op(
        "Move the organization's agent to the caller (org_admin)",
        &["org_id", "id"],
        any_object(),
        &[NF],
        None,
    )
}
pub fn reorder() -> Value {
    let mut o = op(
        "Set the order of every policy of one tier (ranks become 100, 200, …)",
        &[],
        obj(json!({"reordered": {"type": "integer"}}), &["reordered"]),
        &[("400", "INVALID_BODY")],
        Some(obj(
            json!({"tier": {"enum": ["agent", "group", "owner_wide"]}, "ordered_policy_ids": {"type": "array", "items": s()}}),
            &["tier", "ordered_policy_ids"],
        )),
    );
    if let Some(r) = o["responses"].as_object_mut() {
        r.remove("403");
    }
    o
}
pub fn reorder_org() -> Value {
    op(
        "Set the order of every org policy of one tier (org_admin)",
        &["org_id"],
        obj(json!({"reordered": {"type": "integer"}}), &["reordered"]),
        &[("400", "INVALID_BODY")],
        Some(obj(
            json!({"tier": {"enum": ["agent", "group", "owner_wide"]}, "ordered_policy_ids": {"type": "array", "items": s()}}),
            &["tier", "ordered_policy_ids"],
        )),
    )
}

/// `GET /v1/owner/approvals`: the cross-scope inbox.
pub fn inbox() -> Value {
    let scope = obj(
        json!({"owner_type": {"enum": ["user", "org"]}, "owner_id": s(), "display_name": s(), "slug": os()}),
        &["owner_type", "owner_id", "display_name"],
    );
    let item = json!({"type": "object", "properties": {"scope": scope}, "required": ["scope"]});
    let mut o = op(
        "Approval requests across every scope the user can act in: their own and each organization whose approvals their role may list, newest first, each with its `scope`; PENDING past expiry reads EXPIRED",
        &[],
        super::openapi::page_of("approval_requests", item),
        &[("400", "INVALID_REQUEST (bad status, limit or cursor)")],
        None,
    );
    o["responses"].as_object_mut().map(|r| r.remove("403"));
    // `op` adds no parameters for a path without any: the status filter is the first.
    o["parameters"] = json!([{"name": "status", "in": "query", "required": false, "schema": {"enum": ["PENDING", "APPROVED", "DENIED", "EXPIRED"]}}]);
    super::openapi::with_paging(o)
}

// Policy groups (`super::groups`).

fn group_summary() -> Value {
    obj(
        json!({"group_id": s(), "name": s(), "slug": s(), "description": os()}),
        &["group_id", "name", "slug", "description"],
    )
}

fn group_body(required: &[&str]) -> Value {
    obj(
        json!({"name": s(), "slug": s(), "description": os()}),
        required,
    )
}

pub fn groups() -> Value {
    op(
        "The organization's policy groups with member counts (org_viewer)",
        &["org_id"],
        list_of("groups", any_object()),
        &[],
        None,
    )
}
pub fn create_group() -> Value {
    op(
        "Create a policy group; the slug is made from the name unless given (org_admin)",
        &["org_id"],
        group_summary(),
        &[
            ("400", "INVALID_BODY, INVALID_SLUG"),
            ("409", "SLUG_TAKEN"),
            NF,
        ],
        Some(group_body(&["name"])),
    )
}
pub fn group() -> Value {
    op(
        "One policy group with its agents and bound policies (org_viewer)",
        &["org_id", "group_id"],
        obj(
            json!({"group_id": s(), "name": s(), "slug": s(), "description": os(), "agents": {"type": "array"}, "bound_policies": {"type": "array"}}),
            &["group_id", "agents", "bound_policies"],
        ),
        &[NF],
        None,
    )
}
pub fn update_group() -> Value {
    op(
        "Rename a policy group, change its slug or description (org_admin)",
        &["org_id", "group_id"],
        group_summary(),
        &[
            ("400", "INVALID_BODY, INVALID_SLUG"),
            ("409", "SLUG_TAKEN"),
            NF,
        ],
        Some(group_body(&[])),
    )
}
pub fn delete_group() -> Value {
    op(
        "Delete a policy group and its memberships; refused while policies are bound to it (org_admin)",
        &["org_id", "group_id"],
        obj(
            json!({"group_id": s(), "status": {"const": "deleted"}}),
            &["group_id", "status"],
        ),
        &[("409", "GROUP_HAS_POLICIES"), NF],
        None,
    )
}
pub fn add_group_agent() -> Value {
    op(
        "Add an org agent to a policy group; idempotent (org_admin)",
        &["org_id", "group_id", "agent_id"],
        obj(
            json!({"membership_id": s(), "status": {"enum": ["added", "already_member"]}}),
            &["membership_id", "status"],
        ),
        &[NF],
        None,
    )
}
pub fn remove_group_agent() -> Value {
    op(
        "Remove an agent from a policy group (org_admin)",
        &["org_id", "group_id", "agent_id"],
        obj(
            json!({"membership_id": s(), "status": {"const": "removed"}}),
            &["membership_id", "status"],
        ),
        &[NF],
        None,
    )
}
