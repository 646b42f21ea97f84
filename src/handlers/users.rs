//! Users and admins (SPEC §17): the instance's first user (`POST /v1/initial-setup`), the system
//! `admin` role and its checks, setup invites (`POST /v1/admin/users/{id}/setup-invite` →
//! `POST /v1/owner/setup`), session refresh, profile update and the admin's user management.
//! A user is an owner of type `user`.

use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, Txn};
use crate::timefmt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The one system role upstream knows.
pub const ADMIN_ROLE: &str = "admin";
/// Setup invites live this long (as upstream).
pub const SETUP_INVITE_TTL_SECONDS: i64 = 24 * 3600;
/// The one-time token `openleash start` prints while the instance has no user.
const SETUP_TOKEN_FILE: &str = "setup_token.json";

fn not_found_user(id: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("User {id} not found"))
        .with_hint("list users with `openleash admin list` or GET /v1/admin/users")
}

/// The user `id` (404 `NOT_FOUND` for an unknown id or an organization).
pub fn user(dd: &DataDir, id: &str) -> Result<Owner> {
    crate::ids::check_uuid("user id", id)?;
    match dd.owner(id) {
        Ok(o) if o.owner_type == OwnerType::User => Ok(o),
        Ok(_) => Err(not_found_user(id)),
        Err(e) if e.code == ErrorCode::OwnerNotFound => Err(not_found_user(id)),
        Err(e) => Err(e),
    }
}

fn users(dd: &DataDir) -> Result<Vec<Owner>> {
    Ok(dd
        .owners()?
        .into_iter()
        .filter(|o| o.owner_type == OwnerType::User)
        .collect())
}

/// The system roles of `owner`. Owner files written before roles existed carry none; in such a
/// data directory (no user has roles recorded) the first user — on a single-user install, the
/// only one — is the admin, so an existing install keeps every page (SPEC §17 Δ).
pub fn system_roles(dd: &DataDir, owner: &Owner) -> Result<Vec<String>> {
    system_roles_with(dd, owner, &mut FirstUser::default())
}

/// The first user of the owner list, looked up at most once for the rows of one page.
#[derive(Default)]
struct FirstUser(Option<Option<String>>);

impl FirstUser {
    fn is(&mut self, dd: &DataDir, owner: &Owner) -> Result<bool> {
        if self.0.is_none() {
            self.0 = Some(first_user_id(dd)?);
        }
        Ok(self
            .0
            .as_ref()
            .and_then(Option::as_deref)
            .is_some_and(|f| f.eq_ignore_ascii_case(&owner.owner_id)))
    }
}

/// The first user in the owner list's order: the only one who can hold the implicit role.
fn first_user_id(dd: &DataDir) -> Result<Option<String>> {
    // Answered from one entry of the owner index. Callers may hold the writer lock, which
    // building the index would wait for: without it, the users are read.
    let first =
        if crate::store::listindex::is_built(dd.root(), crate::store::listindex::Kind::Owners) {
            super::owner::owners_page(
                dd,
                super::owner::OwnerKinds::Users,
                &crate::handlers::page::PageRequest {
                    limit: 1,
                    after: None,
                },
            )?
            .items
            .into_iter()
            .next()
        } else {
            users(dd)?.into_iter().next()
        };
    Ok(first.map(|f| f.owner_id))
}

fn system_roles_with(dd: &DataDir, owner: &Owner, first: &mut FirstUser) -> Result<Vec<String>> {
    if owner.owner_type != OwnerType::User {
        return Ok(Vec::new());
    }
    if let Some(r) = &owner.system_roles {
        return Ok(r.clone());
    }
    // Only the first user can hold the implicit role, so every other user (a row of the user
    // list, a session) is answered without reading the users.
    if !first.is(dd, owner)? {
        return Ok(Vec::new());
    }
    // The first user of a data directory from before roles: whether any user has roles
    // recorded is read from the records themselves (a role must not follow a stale cache).
    let all = users(dd)?;
    let legacy = all.iter().all(|u| u.system_roles.is_none())
        && all
            .first()
            .is_some_and(|f| f.owner_id.eq_ignore_ascii_case(&owner.owner_id));
    Ok(if legacy {
        vec![ADMIN_ROLE.to_string()]
    } else {
        Vec::new()
    })
}

pub fn is_admin(dd: &DataDir, owner: &Owner) -> Result<bool> {
    Ok(system_roles(dd, owner)?.iter().any(|r| r == ADMIN_ROLE))
}

/// `GET /v1/owner/profile`: the record without secrets, with `system_roles` and `totp_enabled`.
pub fn profile(dd: &DataDir, owner: &Owner) -> Result<Value> {
    let mut v = super::owner::profile(owner);
    v["system_roles"] = json!(system_roles(dd, owner)?);
    v["totp_enabled"] = json!(super::totp::is_enabled(dd, &owner.owner_id)?);
    Ok(v)
}

/// `PUT /v1/owner/profile`: `display_name` (trimmed, 1–200 characters). Audited `USER_UPDATED`.
pub fn update_profile(dd: &DataDir, owner: &Owner, display_name: Option<&str>) -> Result<Value> {
    let lock = dd.lock()?;
    let mut o = dd.owner(&owner.owner_id)?;
    let mut changed = Vec::new();
    if let Some(n) = display_name {
        let n = n.trim();
        if n.is_empty() || n.chars().count() > 200 {
            return Err(Error::new(
                ErrorCode::InvalidBody,
                "`display_name` must be 1 to 200 characters",
            ));
        }
        if n != o.display_name {
            o.display_name = n.to_string();
            changed.push("display_name");
        }
    }
    if !changed.is_empty() {
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &o)?;
        txn.commit()?;
        dd.append_audit_locked(
            &lock,
            vec![
                NewEvent::new(
                    "USER_UPDATED",
                    json!({"user_principal_id": o.owner_id, "changed": changed}),
                )
                .principal(&o.owner_id),
            ],
        )?;
    }
    drop(lock);
    profile(dd, &o)
}

/// Issues a session for `owner` with its current roles: the body of a login or a refresh.
pub fn issue_session(dd: &DataDir, config: &Config, owner: &Owner) -> Result<Value> {
    let roles = system_roles(dd, owner)?;
    let memberships = active_memberships(dd, &owner.owner_id)?;
    let (key, signing_key) = dd.active_key()?;
    let claims = crate::tokens::SessionClaims {
        sub: &owner.owner_id,
        system_roles: &roles.iter().map(String::as_str).collect::<Vec<_>>(),
        org_memberships: &memberships
            .iter()
            .map(|(org_id, role)| crate::tokens::OrgMembershipClaim {
                org_id,
                role: role.as_str(),
            })
            .collect::<Vec<_>>(),
    };
    let issued = crate::tokens::issue_session(
        &key.kid,
        &signing_key,
        &claims,
        config.sessions.ttl_seconds,
        timefmt::now(),
    )?;
    Ok(json!({
        "token": issued.token,
        "expires_at": issued.expires_at,
        "user_principal_id": owner.owner_id,
        "system_roles": roles,
        "org_memberships": memberships
            .iter()
            .map(|(org_id, role)| json!({"org_id": org_id, "role": role.as_str()}))
            .collect::<Vec<_>>(),
    }))
}

/// The organizations a user is an active member of, with the role (upstream's session claim
/// `org_memberships`). Informational: every org operation checks the role afresh
/// (`handlers::roles::require`), so a token never grants more than the membership files do.
fn active_memberships(
    dd: &DataDir,
    user_id: &str,
) -> Result<Vec<(String, crate::store::orgs::OrgRole)>> {
    let mut out = Vec::new();
    for org_id in dd.user_orgs(user_id)?.org_ids {
        if let Some(m) = dd.org_members(&org_id)?.active(user_id) {
            out.push((m.org_id.clone(), m.role));
        }
    }
    Ok(out)
}

/// `POST /v1/owner/session/refresh`: a new token reflecting the user's current roles (the old
/// one stays valid until it expires or is logged out, as upstream).
pub fn refresh_session(dd: &DataDir, config: &Config, owner: &Owner) -> Result<Value> {
    let fresh = dd.owner(&owner.owner_id)?;
    issue_session(dd, config, &fresh)
}

// ---------------------------------------------------------------------------------------------
// Initial setup

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SetupToken {
    token_sha256: String,
    created_at: String,
}

/// Creates (or replaces) the one-time initial-setup token and returns it; `openleash start`
/// prints it to stderr while the instance has no user. Stored as SHA-256 only (0600).
pub fn new_setup_token(dd: &DataDir) -> Result<String> {
    let token = data_encoding::BASE64URL_NOPAD.encode(&crate::crypto::random_bytes::<32>());
    let rec = SetupToken {
        token_sha256: crate::crypto::sha256_hex(token.as_bytes()),
        created_at: timefmt::now_string(),
    };
    let _lock = dd.lock()?;
    let mut txn = Txn::default();
    txn.write_mode(
        &dd.path(SETUP_TOKEN_FILE),
        crate::store::to_json_pretty(&rec)?,
        crate::store::SECRET_MODE,
    );
    txn.commit()?;
    Ok(token)
}

/// Whether the instance has no user yet (initial setup is possible).
pub fn needs_initial_setup(dd: &DataDir) -> Result<bool> {
    Ok(users(dd)?.is_empty())
}

/// `POST /v1/initial-setup`: the first user, with the `admin` role. Only while no user exists
/// (403 `SETUP_ALREADY_COMPLETED`), and (Δ) only from a loopback peer or with the one-time token
/// `openleash start` printed. Audited `INITIAL_SETUP_COMPLETED`.
pub fn initial_setup(
    dd: &DataDir,
    loopback: bool,
    setup_token: Option<&str>,
    display_name: &str,
    passphrase: &str,
) -> Result<Value> {
    let name = display_name.trim();
    if name.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidBody,
            "`display_name` is required",
        ));
    }
    crate::crypto::passphrase::check_strength(passphrase)?;
    if !needs_initial_setup(dd)? {
        return Err(already_completed());
    }
    if !loopback {
        let stored: Option<SetupToken> = dd.read_json(&dd.path(SETUP_TOKEN_FILE))?;
        let ok = match (stored, setup_token) {
            (Some(s), Some(t)) => crate::crypto::ct_eq(
                s.token_sha256.as_bytes(),
                crate::crypto::sha256_hex(t.trim().as_bytes()).as_bytes(),
            ),
            _ => false,
        };
        if !ok {
            return Err(Error::new(
                ErrorCode::Forbidden,
                "Initial setup from another machine needs the one-time setup token",
            )
            .with_hint("send `setup_token` as printed by `openleash start` on its standard error, or call from the server's machine"));
        }
    }
    let mut o = Owner::new(OwnerType::User, name);
    o.set_passphrase(passphrase)?;
    o.system_roles = Some(vec![ADMIN_ROLE.to_string()]);
    let lock = dd.lock()?;
    // Checked again under the lock: two concurrent setups create one user.
    if !needs_initial_setup(dd)? {
        return Err(already_completed());
    }
    let mut txn = Txn::default();
    dd.stage_owner(&mut txn, &o)?;
    txn.remove(&dd.path(SETUP_TOKEN_FILE));
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "INITIAL_SETUP_COMPLETED",
                json!({"user_principal_id": o.owner_id, "display_name": o.display_name}),
            )
            .principal(&o.owner_id),
        ],
    )?;
    Ok(json!({
        "status": "setup_complete",
        "user_principal_id": o.owner_id,
        "display_name": o.display_name,
    }))
}

fn already_completed() -> Error {
    Error::new(
        ErrorCode::SetupAlreadyCompleted,
        "Initial setup has already been completed",
    )
    .with_hint("log in with POST /v1/owner/login; an admin can invite more users")
}

// ---------------------------------------------------------------------------------------------
// Setup invites

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetupInvite {
    pub invite_id: String,
    pub user_principal_id: String,
    pub token_sha256: String,
    pub expires_at: String,
    pub used: bool,
    pub used_at: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
}

fn invite_path(dd: &DataDir, id: &str) -> Result<PathBuf> {
    crate::ids::check_uuid("invite_id", id)?;
    Ok(dd
        .root()
        .join("setup_invites")
        .join(format!("{}.json", id.to_ascii_lowercase())))
}

/// A fresh setup invite for `user` (24 h) and its token, which is stored only as SHA-256.
pub(crate) fn new_setup_invite(user: &Owner, by: Option<&str>) -> (SetupInvite, String) {
    let token = data_encoding::BASE64URL_NOPAD.encode(&crate::crypto::random_bytes::<32>());
    let now = timefmt::now();
    let inv = SetupInvite {
        invite_id: crate::ids::new_id(),
        user_principal_id: user.owner_id.clone(),
        token_sha256: crate::crypto::sha256_hex(token.as_bytes()),
        expires_at: timefmt::format(timefmt::plus_seconds(now, SETUP_INVITE_TTL_SECONDS)),
        used: false,
        used_at: None,
        created_at: timefmt::format(now),
        created_by: by.map(str::to_string),
    };
    (inv, token)
}

pub(crate) fn stage_invite(dd: &DataDir, txn: &mut Txn, inv: &SetupInvite) -> Result<()> {
    let p = invite_path(dd, &inv.invite_id)?;
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    txn.write_mode(
        &p,
        crate::store::to_json_pretty(inv)?,
        crate::store::SECRET_MODE,
    );
    Ok(())
}

/// `POST /v1/admin/users/{id}/setup-invite`: a single-use link for the user to set a passphrase
/// (24 h). The token is returned once and stored as SHA-256.
pub fn create_setup_invite(dd: &DataDir, user_id: &str, by: Option<&str>) -> Result<Value> {
    let u = user(dd, user_id)?;
    let (inv, token) = new_setup_invite(&u, by);
    let lock = dd.lock()?;
    let mut txn = Txn::default();
    stage_invite(dd, &mut txn, &inv)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "USER_SETUP_INVITE_CREATED",
                json!({"user_principal_id": u.owner_id, "invite_id": inv.invite_id, "expires_at": inv.expires_at}),
            )
            .principal(by.unwrap_or(&u.owner_id)),
        ],
    )?;
    Ok(json!({
        "invite_id": inv.invite_id,
        "invite_token": token,
        "expires_at": inv.expires_at,
    }))
}

/// The user a setup invite is for, when `token` opens it (unused, unexpired): what the portal's
/// set-passphrase page checks before it shows its form. Changes nothing.
pub fn setup_invite_user(dd: &DataDir, invite_id: &str, token: &str) -> Result<Owner> {
    let inv = checked_invite(dd, invite_id, token)?;
    user(dd, &inv.user_principal_id)
}

fn checked_invite(dd: &DataDir, invite_id: &str, token: &str) -> Result<SetupInvite> {
    let p = invite_path(dd, invite_id)?;
    let inv: SetupInvite = dd.read_json(&p)?.ok_or_else(|| {
        Error::new(ErrorCode::InviteNotFound, "Setup invite not found").with_hint(NEW_LINK_HINT)
    })?;
    if inv.used {
        return Err(
            Error::new(ErrorCode::InviteUsed, "Setup invite has already been used")
                .with_hint(NEW_LINK_HINT),
        );
    }
    if timefmt::parse(&inv.expires_at).is_none_or(|t| t < timefmt::now()) {
        return Err(
            Error::new(ErrorCode::InviteExpired, "Setup invite has expired")
                .with_hint(NEW_LINK_HINT),
        );
    }
    let presented = crate::crypto::sha256_hex(token.trim().as_bytes());
    if !crate::crypto::ct_eq(presented.as_bytes(), inv.token_sha256.as_bytes()) {
        return Err(Error::new(
            ErrorCode::InvalidInviteToken,
            "Invalid invite token",
        ));
    }
    Ok(inv)
}

const NEW_LINK_HINT: &str = "ask an admin for a new setup invite, or ask for a new link with POST /v1/owner/recover (the portal's \"Forgot your passphrase?\")";

/// `POST /v1/owner/setup`: `invite_id`, `invite_token`, `passphrase`. Sets the user's passphrase
/// and uses up the invite, in one critical section.
pub fn complete_setup(
    dd: &DataDir,
    invite_id: &str,
    token: &str,
    passphrase: &str,
) -> Result<Value> {
    invite_path(dd, invite_id)?;
    crate::crypto::passphrase::check_strength(passphrase)?;
    let lock = dd.lock()?;
    let mut inv = checked_invite(dd, invite_id, token)?;
    let now = timefmt::now();
    let mut u = user(dd, &inv.user_principal_id)?;
    u.set_passphrase(passphrase)?;
    inv.used = true;
    inv.used_at = Some(timefmt::format(now));
    let mut txn = Txn::default();
    dd.stage_owner(&mut txn, &u)?;
    stage_invite(dd, &mut txn, &inv)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "USER_SETUP_COMPLETED",
                json!({"user_principal_id": u.owner_id, "invite_id": inv.invite_id}),
            )
            .principal(&u.owner_id),
        ],
    )?;
    Ok(json!({"status": "setup_complete", "user_principal_id": u.owner_id}))
}

// ---------------------------------------------------------------------------------------------
// Admin: users and roles

/// One user as the admin API and `openleash admin list` show it.
fn user_json_with(dd: &DataDir, o: &Owner, first: &mut FirstUser) -> Result<Value> {
    let mut v = o.public_json();
    v["user_principal_id"] = json!(o.owner_id);
    v["system_roles"] = json!(system_roles_with(dd, o, first)?);
    v["totp_enabled"] = json!(super::totp::is_enabled(dd, &o.owner_id)?);
    v["email"] = json!(email(o));
    Ok(v)
}

fn email(o: &Owner) -> Option<String> {
    o.contact_identities
        .iter()
        .find(|c| c.contact_type.eq_ignore_ascii_case("EMAIL"))
        .map(|c| c.value.clone())
}

/// One page of users with their system roles (`GET /v1/admin/users`), in the order and with the
/// cursors of the owner list (`handlers::owner::LIST`); reads only the page's records.
pub fn list_users_page(
    dd: &DataDir,
    req: &crate::handlers::page::PageRequest,
) -> Result<crate::handlers::page::Page<Value>> {
    let p = super::owner::owners_page(dd, super::owner::OwnerKinds::Users, req)?;
    // The first user is looked up once for the page, not once per row without roles.
    let mut first = FirstUser::default();
    let items = p
        .items
        .iter()
        .map(|o| user_json_with(dd, o, &mut first))
        .collect::<Result<Vec<_>>>()?;
    Ok(crate::handlers::page::Page {
        items,
        next_cursor: p.next_cursor,
        total: p.total,
        limit: p.limit,
    })
}

/// A user named by principal id or (case-insensitively) by an EMAIL contact, as upstream's
/// `openleash admin grant|revoke` look them up.
pub fn find_user(dd: &DataDir, who: &str) -> Result<Owner> {
    let who = who.trim();
    if crate::ids::is_uuid_shaped(who) {
        return user(dd, who);
    }
    users(dd)?
        .into_iter()
        .find(|o| email(o).is_some_and(|e| e.trim().eq_ignore_ascii_case(who)))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("No user found matching {who:?}"),
            )
            .with_hint("pass a user principal id or an email address (see `openleash admin list`)")
        })
}

/// `GET /v1/admin/users/{id}/roles`.
pub fn roles(dd: &DataDir, user_id: &str) -> Result<Value> {
    let u = user(dd, user_id)?;
    Ok(json!({"user_principal_id": u.owner_id, "system_roles": system_roles(dd, &u)?}))
}

/// `PUT /v1/admin/users/{id}/roles` with `system_roles` (each `admin`; 400 `INVALID_ROLE`
/// otherwise). Audited `USER_UPDATED` with the roles before and after. `source` is `cli` for
/// `openleash admin grant|revoke`.
pub fn set_roles(
    dd: &DataDir,
    user_id: &str,
    roles: &[String],
    by: Option<&str>,
    source: Option<&str>,
) -> Result<Value> {
    let mut wanted: Vec<String> = Vec::new();
    for r in roles {
        if r != ADMIN_ROLE {
            return Err(Error::new(
                ErrorCode::InvalidRole,
                format!("Invalid role: {r}. Valid roles: {ADMIN_ROLE}"),
            ));
        }
        if !wanted.contains(r) {
            wanted.push(r.clone());
        }
    }
    let lock = dd.lock()?;
    let mut u = user(dd, user_id)?;
    let previous = system_roles(dd, &u)?;
    // Recording roles on one user ends the legacy reading for all: keep the implicit admin.
    let mut txn = Txn::default();
    for other in users(dd)? {
        if other.system_roles.is_none() && !other.owner_id.eq_ignore_ascii_case(&u.owner_id) {
            let mut o = other.clone();
            o.system_roles = Some(system_roles(dd, &other)?);
            dd.stage_owner(&mut txn, &o)?;
        }
    }
    u.system_roles = Some(wanted.clone());
    dd.stage_owner(&mut txn, &u)?;
    txn.commit()?;
    let mut meta = json!({
        "user_principal_id": u.owner_id,
        "previous_system_roles": previous,
        "new_system_roles": wanted,
    });
    if let Some(s) = source {
        meta["source"] = json!(s);
    }
    let mut ev = NewEvent::new("USER_UPDATED", meta);
    if let Some(b) = by {
        ev = ev.principal(b);
    }
    dd.append_audit_locked(&lock, vec![ev])?;
    Ok(
        json!({"user_principal_id": u.owner_id, "system_roles": wanted, "previous_system_roles": previous}),
    )
}

/// Adds or removes the `admin` role (`openleash admin grant|revoke`); `changed: false` when the
/// user already had (or lacked) it.
pub fn grant_or_revoke(dd: &DataDir, who: &str, grant: bool) -> Result<Value> {
    let u = find_user(dd, who)?;
    let mut roles = system_roles(dd, &u)?;
    let has = roles.iter().any(|r| r == ADMIN_ROLE);
    if has == grant {
        return Ok(json!({
            "user_principal_id": u.owner_id,
            "display_name": u.display_name,
            "email": email(&u),
            "system_roles": roles,
            "changed": false,
        }));
    }
    if grant {
        roles.push(ADMIN_ROLE.to_string());
    } else {
        roles.retain(|r| r != ADMIN_ROLE);
    }
    let mut v = set_roles(dd, &u.owner_id, &roles, None, Some("cli"))?;
    v["display_name"] = json!(u.display_name);
    v["email"] = json!(email(&u));
    v["changed"] = json!(true);
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// Deleting a user

/// `DELETE /v1/owner/account` (`self_delete`, with `totp_code` when the user has TOTP, as
/// upstream) and `DELETE /v1/admin/users/{id}`: the user's agents are revoked first (their keys
/// stop working at once), then the user's policies with their bindings, the TOTP state and the
/// owner file are removed and `USER_DELETED` recorded, in one critical section. Agent files,
/// approval requests and the audit log stay (history is never silently erased).
pub fn delete_user(
    dd: &DataDir,
    config: &Config,
    user_id: &str,
    by: Option<&str>,
    totp: Option<Option<&str>>,
) -> Result<Value> {
    let u = user(dd, user_id)?;
    if let Some(code) = totp
        && super::totp::is_enabled(dd, &u.owner_id)?
    {
        super::totp::gate(dd, config, &u.owner_id, code)?;
    }
    let mut revoked = Vec::new();
    for a in dd.agents()? {
        if a.owner_id.eq_ignore_ascii_case(&u.owner_id) && a.status != crate::store::agents::REVOKED
        {
            dd.set_agent_status(&a.agent_principal_id, crate::store::agents::REVOKED)?;
            revoked.push(a.agent_principal_id);
        }
    }
    let lock = dd.lock()?;
    let mut before = crate::store::bindings::Bindings::default();
    for id in dd.owner_policy_ids(&u.owner_id)? {
        let v = dd.policy_view(&id)?;
        if v.policy(&id)
            .is_some_and(|e| e.owner_id.eq_ignore_ascii_case(&u.owner_id))
        {
            before.policies.extend(v.policies);
            before.bindings.extend(v.bindings);
        }
    }
    let mut txn = Txn::default();
    dd.stage_policy_change(
        &mut txn,
        &before,
        &crate::store::bindings::Bindings::default(),
    )?;
    for e in &before.policies {
        txn.remove(&dd.policy_path(&e.policy_id)?);
    }
    dd.stage_owner_removal(&mut txn, &u)?;
    let totp_file = dd
        .root()
        .join("totp")
        .join(format!("{}.json", u.owner_id.to_ascii_lowercase()));
    // Only when present: a removal syncs its directory, which older data dirs do not have.
    if totp_file.exists() {
        txn.remove(&totp_file);
    }
    txn.commit()?;
    let summary = json!({
        "agents_revoked": revoked.len(),
        "policies_deleted": before.policies.len(),
        "bindings_removed": before.bindings.len(),
    });
    let mut meta = json!({"user_principal_id": u.owner_id, "self_delete": by.is_none_or(|b| b.eq_ignore_ascii_case(&u.owner_id))});
    if let (Value::Object(m), Value::Object(s)) = (&mut meta, &summary) {
        m.extend(s.clone());
    }
    dd.append_audit_locked(
        &lock,
        vec![NewEvent::new("USER_DELETED", meta).principal(by.unwrap_or(&u.owner_id))],
    )?;
    let mut out = json!({"user_principal_id": u.owner_id, "status": "deleted"});
    if let (Value::Object(m), Value::Object(s)) = (&mut out, summary) {
        m.extend(s);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(users: &[(&str, Option<Vec<String>>)]) -> (tempfile::TempDir, DataDir, Vec<Owner>) {
        let (t, dd) = crate::audit::testutil::data_dir(false);
        std::fs::create_dir_all(dd.path("owners")).unwrap();
        let mut out = Vec::new();
        for (i, (name, roles)) in users.iter().enumerate() {
            let mut o = Owner::new(OwnerType::User, name);
            o.created_at = format!("2026-01-0{}T00:00:00.000Z", i + 1);
            o.system_roles = roles.clone();
            let mut txn = Txn::default();
            dd.stage_owner(&mut txn, &o).unwrap();
            txn.commit().unwrap();
            out.push(o);
        }
        (t, dd, out)
    }

    #[test]
    fn legacy_dirs_make_the_first_user_admin() {
        let (_t, dd, us) = dir_with(&[("A", None), ("B", None)]);
        assert!(is_admin(&dd, &us[0]).unwrap());
        assert!(!is_admin(&dd, &us[1]).unwrap());
        // Once any user has roles recorded, nobody is admin implicitly.
        let (_t, dd, us) = dir_with(&[("A", None), ("B", Some(vec!["admin".into()]))]);
        assert!(!is_admin(&dd, &us[0]).unwrap());
        assert!(is_admin(&dd, &us[1]).unwrap());
    }

    #[test]
    fn roles_are_validated_and_setting_them_keeps_the_implicit_admin() {
        let (_t, dd, us) = dir_with(&[("A", None), ("B", None)]);
        let e = set_roles(&dd, &us[1].owner_id, &["root".into()], None, None).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRole);
        assert_eq!(e.http_status(), 400);
        set_roles(&dd, &us[1].owner_id, &["admin".into()], None, None).unwrap();
        assert!(is_admin(&dd, &dd.owner(&us[0].owner_id).unwrap()).unwrap());
        assert!(is_admin(&dd, &dd.owner(&us[1].owner_id).unwrap()).unwrap());
        let v = grant_or_revoke(&dd, &us[0].owner_id, false).unwrap();
        assert_eq!(v["changed"], true);
        assert!(!is_admin(&dd, &dd.owner(&us[0].owner_id).unwrap()).unwrap());
        let v = grant_or_revoke(&dd, &us[0].owner_id, false).unwrap();
        assert_eq!(v["changed"], false);
        assert_eq!(
            find_user(&dd, "nobody@example.com").unwrap_err().code,
            ErrorCode::NotFound
        );
        assert_eq!(
            roles(&dd, "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a")
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
    }

    #[test]
    fn initial_setup_once_and_only_from_loopback_or_with_the_token() {
        let (_t, dd, _) = dir_with(&[]);
        assert!(needs_initial_setup(&dd).unwrap());
        let e = initial_setup(&dd, false, None, "Ann", "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let token = new_setup_token(&dd).unwrap();
        let e = initial_setup(&dd, false, Some("wrong"), "Ann", "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = initial_setup(&dd, true, None, "Ann", "short").unwrap_err();
        assert_eq!(e.code, ErrorCode::WeakPassphrase);
        let v = initial_setup(&dd, false, Some(&token), "Ann", "correct horse").unwrap();
        let ann = dd.owner(v["user_principal_id"].as_str().unwrap()).unwrap();
        assert_eq!(ann.system_roles, Some(vec!["admin".to_string()]));
        for loopback in [true, false] {
            let e = initial_setup(&dd, loopback, Some(&token), "Bob", "correct horse").unwrap_err();
            assert_eq!(e.code, ErrorCode::SetupAlreadyCompleted);
            assert_eq!(e.http_status(), 403);
        }
    }

    #[test]
    fn setup_invites_are_single_use_and_checked() {
        let (_t, dd, us) = dir_with(&[("A", None)]);
        let v = create_setup_invite(&dd, &us[0].owner_id, None).unwrap();
        let id = v["invite_id"].as_str().unwrap();
        let token = v["invite_token"].as_str().unwrap();
        let e = complete_setup(&dd, id, "nope", "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInviteToken);
        let e = complete_setup(&dd, "../x", token, "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidId);
        let e = complete_setup(&dd, &crate::ids::new_id(), token, "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::InviteNotFound);
        complete_setup(&dd, id, token, "correct horse").unwrap();
        assert!(dd.owner(&us[0].owner_id).unwrap().passphrase_hash.is_some());
        let e = complete_setup(&dd, id, token, "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::InviteUsed);
        // Expired.
        let v = create_setup_invite(&dd, &us[0].owner_id, None).unwrap();
        let id = v["invite_id"].as_str().unwrap();
        let p = invite_path(&dd, id).unwrap();
        let mut inv: SetupInvite = dd.read_json(&p).unwrap().unwrap();
        inv.expires_at = "2020-01-01T00:00:00.000Z".into();
        std::fs::write(&p, serde_json::to_vec(&inv).unwrap()).unwrap();
        let e = complete_setup(
            &dd,
            id,
            v["invite_token"].as_str().unwrap(),
            "correct horse",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InviteExpired);
    }
}
