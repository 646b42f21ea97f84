//! Provisioner tokens (upstream `routes/owner.ts` "Provisioners" and
//! `middleware/provisioner-auth.ts`): an owner — a user for themself, or an org_admin for an
//! organization — mints a token for a machine (a CI pipeline, an agent launchpad) that then
//! enrolls and manages agents for that owner only, through `/v1/provisioner/*`
//! ([`super::provisioner_scope`]). The CLI (`openleash provisioner …`) and the HTTP API call
//! these functions, so the role checks ([`roles::require`]) hold for both.
//!
//! The token is `olp_<provisioner_id>.<secret>` with a 256-bit random secret, shown once; only
//! the secret's SHA-256 is stored. Minting and revoking are audited in the same critical section
//! as the file write.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::page::{self, Order, Page, PageRequest};
use crate::handlers::roles::{self, Actor, Op};
use crate::ids;
use crate::store::owners::{Owner, OwnerType};
use crate::store::provisioners::{ACTIVE, Provisioner, REVOKED};
use crate::store::{DataDir, Txn};
use base64::Engine;
use serde_json::{Value, json};

/// Every provisioner token starts with this (as upstream), so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "olp_";
/// The name of the provisioner lists in cursors.
pub const LIST: &str = "provisioners";
const MAX_NAME: usize = 120;
/// `last_used_at` is written at most this often (seconds), so polling costs no write per call.
const LAST_USED_EVERY: i64 = 60;

/// The owner whose provisioners `actor` works on, after the role check: a user acts on their
/// own; for an organization `op`'s role is required ([`roles::require`], `FORBIDDEN` before
/// anything is said about the org); the local operator may act for any owner.
pub fn owner_for(dd: &DataDir, actor: &Actor, owner_id: &str, op: Op) -> Result<Owner> {
    match actor {
        Actor::User(u) if u.eq_ignore_ascii_case(owner_id) => dd.owner(owner_id),
        Actor::User(_) => {
            roles::require(dd, actor, owner_id, op)?;
            roles::org(dd, owner_id)
        }
        Actor::Operator => {
            ids::check_uuid("owner id", owner_id)?;
            dd.owner(owner_id)
        }
    }
}

/// A provisioner as listed (never the token hash).
pub fn public_json(p: &Provisioner) -> Value {
    json!({
        "provisioner_id": p.provisioner_id,
        "name": p.name,
        "owner_type": p.owner_type.as_str(),
        "owner_id": p.owner_id,
        "status": p.status,
        "created_at": p.created_at,
        "expires_at": p.expires_at,
        "revoked_at": p.revoked_at,
        "last_used_at": p.last_used_at,
    })
}

/// What [`create`] returns: the record and the token, which exists nowhere else.
pub struct Minted {
    pub provisioner: Provisioner,
    pub token: String,
}

impl Minted {
    /// The answer of `POST …/provisioners` (upstream's fields plus `expires_at`).
    pub fn json(&self) -> Value {
        json!({
            "provisioner_id": self.provisioner.provisioner_id,
            "name": self.provisioner.name,
            "token": self.token,
            "created_at": self.provisioner.created_at,
            "expires_at": self.provisioner.expires_at,
        })
    }
}

/// Mints a provisioner for `owner_id` named `name`, valid until `expires_at` (RFC 3339, in the
/// future) or until revoked. Audited `PROVISIONER_CREATED`.
pub fn create(
    dd: &DataDir,
    actor: &Actor,
    owner_id: &str,
    name: &str,
    expires_at: Option<&str>,
) -> Result<Minted> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::new(ErrorCode::InvalidRequest, "name is required")
            .with_hint("name the machine that will use the token, e.g. \"ci-deploy\""));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("name is longer than {MAX_NAME} characters"),
        ));
    }
    let expires_at = match expires_at.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let t = crate::timefmt::parse(s).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    format!("expires_at {s:?} is not an RFC 3339 time"),
                )
                .with_hint("e.g. 2030-01-31T00:00:00Z, or omit it for a token valid until revoked")
            })?;
            if t <= crate::timefmt::now() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("expires_at {s} is not in the future"),
                ));
            }
            Some(crate::timefmt::format(t))
        }
    };
    let owner = owner_for(dd, actor, owner_id, Op::ProvisionerCreate)?;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(crate::crypto::random_bytes::<32>());
    let p = Provisioner {
        provisioner_id: ids::new_id(),
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        name: name.to_string(),
        token_sha256: crate::crypto::sha256_hex(secret.as_bytes()),
        status: ACTIVE.into(),
        created_at: crate::timefmt::now_string(),
        created_by: actor.user_id().map(str::to_string),
        expires_at,
        revoked_at: None,
        last_used_at: None,
    };
    let token = format!("{TOKEN_PREFIX}{}.{secret}", p.provisioner_id);
    let lock = dd.lock()?;
    let mut txn = Txn::default();
    dd.stage_provisioner(&mut txn, &p)?;
    txn.commit()?;
    let mut ev = NewEvent::new("PROVISIONER_CREATED", owner_meta(&p, actor, "created_by"));
    if let Some(u) = actor.user_id() {
        ev = ev.principal(u);
    }
    dd.append_audit_locked(&lock, vec![ev])?;
    Ok(Minted {
        provisioner: p,
        token,
    })
}

/// Upstream's audit metadata: `user_principal_id` for a user's provisioner, `org_id` and who
/// acted for an organization's.
fn owner_meta(p: &Provisioner, actor: &Actor, by: &str) -> Value {
    let mut m = json!({
        "provisioner_id": p.provisioner_id,
        "name": p.name,
        "owner_type": p.owner_type.as_str(),
        "owner_id": p.owner_id,
    });
    match p.owner_type {
        OwnerType::User => m["user_principal_id"] = json!(p.owner_id),
        OwnerType::Org => {
            m["org_id"] = json!(p.owner_id);
            m[by] = json!(actor.user_id());
        }
    }
    if p.expires_at.is_some() {
        m["expires_at"] = json!(p.expires_at);
    }
    m
}

/// The provisioner's sort key in lists (oldest first).
fn key(p: &Provisioner) -> String {
    format!("{}\u{1f}{}", p.created_at, p.provisioner_id)
}

/// One page of `owner_id`'s provisioners (active and revoked), oldest first.
pub fn list(
    dd: &DataDir,
    actor: &Actor,
    owner_id: &str,
    req: &PageRequest,
) -> Result<Page<Provisioner>> {
    let owner = owner_for(dd, actor, owner_id, Op::ProvisionersList)?;
    let mine = dd
        .provisioners()?
        .into_iter()
        .filter(|p| p.owner_id.eq_ignore_ascii_case(&owner.owner_id));
    Ok(page::collect(LIST, mine, key, Order::Asc, req))
}

fn not_found(id: &str) -> Error {
    Error::new(
        ErrorCode::ProvisionerNotFound,
        format!("Provisioner {id} not found"),
    )
    .with_hint("list them with `openleash provisioner list` or GET /v1/owner/provisioners")
}

/// Revokes provisioner `id` of `owner_id` (idempotent; audited `PROVISIONER_REVOKED` each time,
/// as upstream). Another user's provisioner is `FORBIDDEN` (upstream's personal route); another
/// owner's, seen from an organization, is not found (upstream's org route).
pub fn revoke(dd: &DataDir, actor: &Actor, owner_id: &str, id: &str) -> Result<Provisioner> {
    let owner = owner_for(dd, actor, owner_id, Op::ProvisionerRevoke)?;
    if !ids::is_uuid_shaped(id) {
        return Err(not_found(id));
    }
    let lock = dd.lock()?;
    let mut p = dd.provisioner(id)?.ok_or_else(|| not_found(id))?;
    if !p.owner_id.eq_ignore_ascii_case(&owner.owner_id) {
        return Err(match owner.owner_type {
            OwnerType::User => Error::new(
                ErrorCode::Forbidden,
                "Provisioner belongs to a different owner",
            ),
            OwnerType::Org => not_found(id),
        });
    }
    if p.status != REVOKED {
        p.status = REVOKED.into();
        p.revoked_at = Some(crate::timefmt::now_string());
        let mut txn = Txn::default();
        dd.stage_provisioner(&mut txn, &p)?;
        txn.commit()?;
    }
    let mut ev = NewEvent::new("PROVISIONER_REVOKED", owner_meta(&p, actor, "revoked_by"));
    if let Some(u) = actor.user_id() {
        ev = ev.principal(u);
    }
    dd.append_audit_locked(&lock, vec![ev])?;
    Ok(p)
}

fn unauthorized(msg: &str) -> Error {
    Error::new(ErrorCode::ProvisionerUnauthorized, msg).with_hint(
        "send Authorization: Bearer olp_<provisioner_id>.<secret>, the token shown when the provisioner was created",
    )
}

/// The provisioner a bearer token names, if the token is right, the provisioner active and
/// unexpired and its owner still there. Refusals are 401: `PROVISIONER_UNAUTHORIZED` (no,
/// malformed or wrong token), `PROVISIONER_REVOKED`, `PROVISIONER_EXPIRED`.
pub fn authenticate(dd: &DataDir, bearer: Option<&str>) -> Result<Provisioner> {
    let token = bearer.ok_or_else(|| unauthorized("Provisioner access requires a Bearer token"))?;
    let (id, secret) = token
        .strip_prefix(TOKEN_PREFIX)
        .and_then(|rest| rest.split_once('.'))
        .filter(|(id, secret)| ids::is_uuid_shaped(id) && !secret.is_empty())
        .ok_or_else(|| unauthorized("Malformed provisioner token"))?;
    // Unknown id and wrong secret read alike, so a caller cannot probe which ids exist.
    let p = dd
        .provisioner(id)?
        .ok_or_else(|| unauthorized("Invalid provisioner token"))?;
    let given = crate::crypto::sha256_hex(secret.as_bytes());
    if !crate::crypto::ct_eq(given.as_bytes(), p.token_sha256.as_bytes()) {
        return Err(unauthorized("Invalid provisioner token"));
    }
    if p.status != ACTIVE {
        return Err(Error::new(
            ErrorCode::ProvisionerRevoked,
            "Provisioner has been revoked",
        )
        .with_hint("ask the owner for a new provisioner token"));
    }
    let now = crate::timefmt::now();
    if let Some(exp) = &p.expires_at
        && crate::timefmt::parse(exp).is_none_or(|t| t <= now)
    {
        return Err(Error::new(
            ErrorCode::ProvisionerExpired,
            format!("Provisioner token expired at {exp}"),
        )
        .with_hint("ask the owner for a new provisioner token"));
    }
    match dd.owner(&p.owner_id) {
        Ok(_) => {}
        Err(e) if e.code == ErrorCode::OwnerNotFound => {
            return Err(unauthorized("The provisioner's owner no longer exists"));
        }
        Err(e) => return Err(e),
    }
    let stale = p
        .last_used_at
        .as_deref()
        .and_then(crate::timefmt::parse)
        .is_none_or(|t| (now - t).whole_seconds() >= LAST_USED_EVERY);
    if stale {
        touch(dd, &p.provisioner_id)?;
    }
    Ok(p)
}

/// Records `last_used_at` (re-read under the lock so a concurrent revocation is kept).
fn touch(dd: &DataDir, id: &str) -> Result<()> {
    let _lock = dd.lock()?;
    if let Some(mut p) = dd.provisioner(id)? {
        p.last_used_at = Some(crate::timefmt::now_string());
        let mut txn = Txn::default();
        dd.stage_provisioner(&mut txn, &p)?;
        txn.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
