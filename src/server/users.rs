//! HTTP adapters for users, admins and TOTP (SPEC §17): each parses its input and calls the
//! library handler in `handlers::users` / `handlers::totp` that the CLI and portal use too.

use super::openapi::{OPT_STR, STR, obj, op, page_of, session_errors, with_id, with_paging};
use super::request::Req;
use super::state::AppState;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::{totp, users};
use crate::store::owners::Owner;
use serde_json::{Map, Value, json};

fn opt_str(m: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::new(
            ErrorCode::InvalidBody,
            format!("`{key}` must be a string"),
        )),
    }
}

fn req_str(m: &Map<String, Value>, key: &str) -> Result<String> {
    opt_str(m, key)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| Error::new(ErrorCode::InvalidBody, format!("`{key}` is required")))
}

fn owner<'a>(r: &'a Req<'_>) -> Result<&'a Owner> {
    r.owner
        .as_ref()
        .ok_or_else(|| Error::internal("owner route without a session"))
}

fn id<'a>(r: &Req<'a>) -> Result<&'a str> {
    r.param("id")
        .ok_or_else(|| Error::internal("route without an {id} parameter"))
}

/// The admin user behind an admin call, when it came with an admin-role session.
fn admin_principal<'a>(r: &'a Req<'_>) -> Option<&'a str> {
    r.owner.as_ref().map(|o| o.owner_id.as_str())
}

// ---------------------------------------------------------------------------------------------
// Public and owner routes

pub fn initial_setup(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    users::initial_setup(
        &s.dd,
        r.peer_is_loopback(),
        opt_str(&m, "setup_token")?.as_deref(),
        &req_str(&m, "display_name")?,
        &req_str(&m, "passphrase")?,
    )
}

pub fn owner_setup(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    users::complete_setup(
        &s.dd,
        &req_str(&m, "invite_id")?,
        &req_str(&m, "invite_token")?,
        &req_str(&m, "passphrase")?,
    )
}

/// `POST /v1/owner/recover` `{email}`: the same answer whoever asks (see `handlers::recovery`);
/// a match the server cannot email is told to the operator on stderr.
pub fn owner_recover(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let out = crate::handlers::recovery::request(
        &s.dd,
        &*r.config(s)?,
        &s.public_url(),
        &s.recovery_throttle,
        r.peer.map(|p| p.ip()),
        &req_str(&m, "email")?,
    )?;
    if let Some(note) = &out.operator_note {
        super::log::log_line(note);
    }
    Ok(out.response)
}

pub fn session_refresh(s: &AppState, r: &Req<'_>) -> Result<Value> {
    users::refresh_session(&s.dd, &*r.config(s)?, owner(r)?)
}

pub fn profile(s: &AppState, r: &Req<'_>) -> Result<Value> {
    users::profile(&s.dd, owner(r)?)
}

pub fn update_profile(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    for k in m.keys() {
        if k != "display_name" {
            return Err(Error::new(
                ErrorCode::InvalidBody,
                format!("`{k}` cannot be changed here"),
            )
            .with_hint("PUT /v1/owner/profile takes `display_name`; contacts and IDs are managed with `openleash owner add-contact|add-gov-id`"));
        }
    }
    users::update_profile(&s.dd, owner(r)?, opt_str(&m, "display_name")?.as_deref())
}

/// `DELETE /v1/owner/account` (a body with `totp_code` when TOTP is on).
pub fn delete_account(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = if r.body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        r.json_object()?
    };
    let o = owner(r)?;
    let code = opt_str(&m, "totp_code")?;
    users::delete_user(
        &s.dd,
        &*r.config(s)?,
        &o.owner_id,
        Some(&o.owner_id),
        Some(code.as_deref()),
    )
}

pub fn totp_setup(s: &AppState, r: &Req<'_>) -> Result<Value> {
    totp::setup(&s.dd, &owner(r)?.owner_id)
}

pub fn totp_confirm(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    totp::confirm(&s.dd, &owner(r)?.owner_id, &req_str(&m, "code")?)
}

pub fn totp_disable(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    totp::disable(&s.dd, &owner(r)?.owner_id, &req_str(&m, "code")?)
}

// ---------------------------------------------------------------------------------------------
// Admin routes

/// `POST /v1/admin/login`: no credential of its own; it confirms what admitted the caller.
pub fn admin_login(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let cfg = r.config(s)?;
    let by_token = !cfg.admin.token.is_empty()
        && r.header("authorization")
            .and_then(|h| h.trim().split_once(' '))
            .is_some_and(|(scheme, t)| {
                scheme.eq_ignore_ascii_case("bearer")
                    && crate::crypto::ct_eq(t.trim().as_bytes(), cfg.admin.token.as_bytes())
            });
    let method = if r.owner.is_some() {
        "session"
    } else if by_token {
        "token"
    } else if r.peer_is_loopback() {
        "localhost"
    } else {
        "token"
    };
    Ok(json!({"ok": true, "principal_id": admin_principal(r), "auth_method": method}))
}

pub fn admin_users(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = super::workflow::page_req(r, crate::handlers::owner::LIST)?;
    Ok(users::list_users_page(&s.dd, &page)?.json("users"))
}

pub fn admin_get_roles(s: &AppState, r: &Req<'_>) -> Result<Value> {
    users::roles(&s.dd, id(r)?)
}

pub fn admin_set_roles(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let roles = match m.get("system_roles") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidRole,
                        format!("Invalid role: {v}. Valid roles: admin"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?,
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidBody,
                "system_roles must be an array",
            ));
        }
    };
    let mut v = users::set_roles(&s.dd, id(r)?, &roles, admin_principal(r), None)?;
    if let Value::Object(o) = &mut v {
        o.remove("previous_system_roles");
    }
    Ok(v)
}

pub fn admin_setup_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    users::create_setup_invite(&s.dd, id(r)?, admin_principal(r))
}

pub fn admin_disable_totp(s: &AppState, r: &Req<'_>) -> Result<Value> {
    users::user(&s.dd, id(r)?)?;
    totp::admin_disable(&s.dd, id(r)?, admin_principal(r))
}

pub fn admin_delete_user(s: &AppState, r: &Req<'_>) -> Result<Value> {
    users::delete_user(&s.dd, &*r.config(s)?, id(r)?, admin_principal(r), None)
}

pub fn admin_delete_agent(s: &AppState, r: &Req<'_>) -> Result<Value> {
    crate::handlers::agents::admin_delete(&s.dd, id(r)?, admin_principal(r))
}

pub fn admin_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let pid = id(r)?;
    crate::ids::check_uuid("policy id", pid)?;
    let b = s.dd.policy_view(pid)?;
    let entry = b
        .policy(pid)
        .cloned()
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("Policy {pid} not found")))?;
    let mut v = serde_json::to_value(&entry).unwrap_or(Value::Null);
    match s.dd.policy_text(&entry.policy_id) {
        Ok(t) => v["policy_yaml"] = json!(t),
        Err(_) => v["error"] = json!("file_not_found"),
    }
    v["bindings"] = serde_json::to_value(&b.bindings).unwrap_or(Value::Null);
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

fn user_record() -> Value {
    obj(
        json!({"user_principal_id": STR(), "owner_id": STR(), "display_name": STR(), "status": STR(), "created_at": STR(), "system_roles": {"type": "array", "items": STR()}, "totp_enabled": {"type": "boolean"}, "email": OPT_STR()}),
        &["user_principal_id", "display_name"],
    )
}

fn roles_body() -> Value {
    obj(
        json!({"user_principal_id": STR(), "system_roles": {"type": "array", "items": {"enum": ["admin"]}}}),
        &["user_principal_id", "system_roles"],
    )
}

fn admin_errors() -> [(&'static str, &'static str); 2] {
    [
        ("401", "ADMIN_UNAUTHORIZED"),
        (
            "403",
            "ADMIN_REQUIRED (a valid session of a user without the admin role)",
        ),
    ]
}

fn admin_errors_404() -> [(&'static str, &'static str); 4] {
    [
        ("400", "INVALID_ID"),
        ("401", "ADMIN_UNAUTHORIZED"),
        ("403", "ADMIN_REQUIRED"),
        ("404", "NOT_FOUND"),
    ]
}

pub fn doc_initial_setup() -> Value {
    op(
        "Create the first user (admin) of an instance without users: only from a loopback peer or with the one-time `setup_token` printed by `openleash start`",
        obj(
            json!({"status": {"const": "setup_complete"}, "user_principal_id": STR(), "display_name": STR()}),
            &["status", "user_principal_id"],
        ),
        &[
            ("400", "INVALID_BODY, WEAK_PASSPHRASE"),
            (
                "403",
                "SETUP_ALREADY_COMPLETED (a user exists), FORBIDDEN (remote peer without a valid setup_token)",
            ),
        ],
        Some(obj(
            json!({"display_name": STR(), "passphrase": STR(), "setup_token": STR()}),
            &["display_name", "passphrase"],
        )),
    )
}

pub fn doc_owner_setup() -> Value {
    op(
        "Set a passphrase with a setup invite from an admin (single use, 24 h)",
        obj(
            json!({"status": {"const": "setup_complete"}, "user_principal_id": STR()}),
            &["status", "user_principal_id"],
        ),
        &[
            (
                "400",
                "INVALID_BODY, INVALID_ID, WEAK_PASSPHRASE, INVITE_USED, INVITE_EXPIRED",
            ),
            ("401", "INVALID_INVITE_TOKEN"),
            ("404", "INVITE_NOT_FOUND"),
        ],
        Some(obj(
            json!({"invite_id": STR(), "invite_token": STR(), "passphrase": STR()}),
            &["invite_id", "invite_token", "passphrase"],
        )),
    )
}

pub fn doc_owner_recover() -> Value {
    op(
        "Ask for a passphrase reset link by email: the same answer whether or not an account has the address",
        obj(
            json!({"status": {"const": "ok"}, "message": STR()}),
            &["status", "message"],
        ),
        &[
            ("400", "INVALID_BODY"),
            (
                "429",
                "TOO_MANY_ATTEMPTS (3 per address, 10 per client an hour)",
            ),
        ],
        Some(obj(json!({"email": STR()}), &["email"])),
    )
}

pub fn doc_session_refresh() -> Value {
    op(
        "A new session token with the user's current roles",
        obj(
            json!({"token": STR(), "expires_at": STR(), "user_principal_id": STR(), "system_roles": {"type": "array", "items": STR()}, "org_memberships": {"type": "array"}}),
            &["token", "expires_at", "user_principal_id"],
        ),
        &session_errors(),
        None,
    )
}

pub fn doc_profile() -> Value {
    op(
        "The user's record, without secrets, with system_roles and totp_enabled",
        user_record(),
        &session_errors(),
        None,
    )
}

pub fn doc_update_profile() -> Value {
    op(
        "Change the display name",
        user_record(),
        &[("400", "INVALID_BODY"), ("401", "INVALID_SESSION")],
        Some(obj(json!({"display_name": STR()}), &[])),
    )
}

pub fn doc_totp_setup() -> Value {
    op(
        "Start TOTP enrolment: a new secret, its otpauth:// URI, a QR code (SVG) and 10 backup codes shown once",
        obj(
            json!({"secret": STR(), "uri": STR(), "qr_svg": STR(), "backup_codes": {"type": "array", "items": STR()}}),
            &["secret", "uri", "qr_svg", "backup_codes"],
        ),
        &[("401", "INVALID_SESSION"), ("409", "TOTP_ALREADY_ENABLED")],
        None,
    )
}

pub fn doc_totp_confirm() -> Value {
    op(
        "Enable TOTP with the first code from the authenticator app",
        obj(json!({"status": {"const": "totp_enabled"}}), &["status"]),
        &[
            ("400", "INVALID_BODY, TOTP_NOT_SETUP"),
            ("401", "INVALID_SESSION, INVALID_TOTP"),
            ("409", "TOTP_ALREADY_ENABLED"),
            ("429", "TOO_MANY_ATTEMPTS"),
        ],
        Some(obj(json!({"code": STR()}), &["code"])),
    )
}

pub fn doc_totp_disable() -> Value {
    op(
        "Disable TOTP with a current code or a backup code",
        obj(json!({"status": {"const": "totp_disabled"}}), &["status"]),
        &[
            ("400", "INVALID_BODY, TOTP_NOT_ENABLED"),
            ("401", "INVALID_SESSION, INVALID_TOTP"),
            ("429", "TOO_MANY_ATTEMPTS"),
        ],
        Some(obj(json!({"code": STR()}), &["code"])),
    )
}

pub fn doc_admin_login() -> Value {
    op(
        "Confirm admin access (an admin-role session, the admin token or a loopback peer)",
        obj(
            json!({"ok": {"const": true}, "principal_id": OPT_STR(), "auth_method": {"enum": ["session", "token", "localhost"]}}),
            &["ok", "principal_id", "auth_method"],
        ),
        &admin_errors(),
        None,
    )
}

pub fn doc_admin_users() -> Value {
    with_paging(op(
        "Users with their system roles, oldest first, a page at a time; /v1/admin/owners is an alias",
        page_of("users", user_record()),
        &admin_errors(),
        None,
    ))
}

pub fn doc_admin_get_roles() -> Value {
    with_id(op(
        "A user's system roles",
        roles_body(),
        &admin_errors_404(),
        None,
    ))
}

pub fn doc_admin_set_roles() -> Value {
    with_id(op(
        "Replace a user's system roles (each must be `admin`)",
        roles_body(),
        &[
            ("400", "INVALID_BODY, INVALID_ROLE, INVALID_ID"),
            ("401", "ADMIN_UNAUTHORIZED"),
            ("403", "ADMIN_REQUIRED"),
            ("404", "NOT_FOUND"),
        ],
        Some(obj(
            json!({"system_roles": {"type": "array", "items": STR()}}),
            &["system_roles"],
        )),
    ))
}

pub fn doc_admin_setup_invite() -> Value {
    with_id(op(
        "A single-use setup invite (24 h) for the user to set a passphrase with POST /v1/owner/setup",
        obj(
            json!({"invite_id": STR(), "invite_token": STR(), "expires_at": STR()}),
            &["invite_id", "invite_token", "expires_at"],
        ),
        &admin_errors_404(),
        None,
    ))
}

pub fn doc_admin_disable_totp() -> Value {
    with_id(op(
        "Reset a user's TOTP (lost device)",
        obj(
            json!({"user_principal_id": STR(), "status": {"const": "totp_disabled"}}),
            &["user_principal_id", "status"],
        ),
        &[
            ("400", "TOTP_NOT_ENABLED, INVALID_ID"),
            ("401", "ADMIN_UNAUTHORIZED"),
            ("403", "ADMIN_REQUIRED"),
            ("404", "NOT_FOUND"),
        ],
        None,
    ))
}

pub fn doc_admin_policy() -> Value {
    with_id(op(
        "One policy with its YAML and bindings",
        obj(
            json!({"policy_id": STR(), "owner_id": STR(), "policy_yaml": STR(), "bindings": {"type": "array"}}),
            &["policy_id"],
        ),
        &admin_errors_404(),
        None,
    ))
}

fn deleted() -> Value {
    obj(
        json!({"user_principal_id": STR(), "status": {"const": "deleted"}, "agents_revoked": {"type": "integer"}, "policies_deleted": {"type": "integer"}, "bindings_removed": {"type": "integer"}}),
        &["user_principal_id", "status"],
    )
}

pub fn doc_delete_account() -> Value {
    let mut o = op(
        "Delete your account: your agents are revoked, your policies deleted (totp_code needed when TOTP is on)",
        deleted(),
        &[
            ("401", "INVALID_SESSION, TOTP_REQUIRED, INVALID_TOTP"),
            ("429", "TOO_MANY_ATTEMPTS"),
        ],
        Some(obj(json!({"totp_code": STR()}), &[])),
    );
    o["requestBody"]["required"] = json!(false);
    o
}

pub fn doc_admin_delete_user() -> Value {
    with_id(op(
        "Delete a user: their agents are revoked, their policies deleted",
        deleted(),
        &admin_errors_404(),
        None,
    ))
}

pub fn doc_admin_delete_agent() -> Value {
    let n = || json!({"type": "integer"});
    with_id(op(
        "Delete an agent: its record, key and agent_id go, it leaves its policy groups, its bindings are removed and a policy bound to it alone is deleted (approval requests, drafts and the audit log stay)",
        obj(
            json!({"agent_principal_id": STR(), "status": {"const": "deleted"}, "agents_removed": n(), "policies_removed": n(), "bindings_removed": n(),
                   "approval_requests_removed": n(), "policy_drafts_removed": n(), "memberships_removed": n(), "org_invites_removed": n()}),
            &["agent_principal_id", "status"],
        ),
        &admin_errors_404(),
        None,
    ))
}

/// Adds the second factor to the document of a gated operation: an optional `totp_code` in the
/// body and the errors of [`totp::gate`].
fn second_factor(mut o: Value) -> Value {
    let body = &mut o["requestBody"];
    if body.is_null() {
        *body = json!({"required": false, "content": {"application/json": {"schema": obj(json!({}), &[])}}});
    }
    let schema = &mut body["content"]["application/json"]["schema"];
    schema["properties"]["totp_code"] = json!({"type": "string", "description": "The acting user's current TOTP code or a backup code; needed when the user has TOTP enabled (each code works once)"});
    let responses = &mut o["responses"];
    let desc = responses["401"]["description"]
        .as_str()
        .unwrap_or("INVALID_SESSION")
        .to_string();
    responses["401"] = json!({"description": format!("{desc}, TOTP_REQUIRED (no code, or security.require_totp and no TOTP), INVALID_TOTP"), "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    responses["429"] = json!({"description": "TOO_MANY_ATTEMPTS (wrong two-factor codes)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    o
}

pub fn doc_gated_approve() -> Value {
    second_factor(super::openapi::doc_owner_approve())
}

pub fn doc_gated_deny() -> Value {
    second_factor(super::openapi::doc_owner_deny())
}

pub fn doc_gated_approve_draft() -> Value {
    second_factor(super::openapi::doc_owner_approve_draft())
}

pub fn doc_gated_set_agent_status() -> Value {
    second_factor(super::openapi::doc_owner_set_agent_status())
}

pub fn doc_gated_create_policy() -> Value {
    second_factor(super::openapi::doc_owner_create_policy())
}

pub fn doc_gated_update_policy() -> Value {
    second_factor(super::openapi::doc_owner_update_policy())
}

pub fn doc_gated_delete_policy() -> Value {
    second_factor(super::openapi::doc_owner_delete_policy())
}
