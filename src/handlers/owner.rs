//! Owner accounts: passphrase login issuing a PASETO session token (purpose `user_session`),
//! session verification for the owner API and the portal, logout (server-side revocation), failed
//! login throttling and the profile (never any secret).

use crate::audit::NewEvent;
use crate::config::Config;
use crate::crypto::passphrase::{self, PassphraseHash};
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::owners::Owner;
use crate::timefmt;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Verified against when the owner is unknown or has no passphrase, so every failed login costs
/// one scrypt and timing does not tell which owners exist.
static DUMMY_HASH: LazyLock<Option<PassphraseHash>> =
    LazyLock::new(|| passphrase::hash("openleash-timing-equaliser").ok());

fn invalid_credentials() -> Error {
    Error::new(ErrorCode::InvalidCredentials, "Invalid credentials").with_hint(
        "check the owner id and passphrase (set one with `openleash owner set-passphrase`)",
    )
}

/// Failed-login throttling (SPEC §15): within `window`, at most `per_owner` failures for one owner
/// (or one unknown name) and `per_peer` for one client address; then `TOO_MANY_ATTEMPTS` with the
/// seconds until the oldest failure leaves the window. Successful logins do not count. Kept in
/// memory: a restart forgets it, which is no worse than the attacker waiting out the window.
pub struct LoginThrottle {
    window: Duration,
    per_owner: usize,
    per_peer: usize,
    failures: Mutex<Failures>,
    /// What is counted, for the error message ("failed login attempts").
    what: &'static str,
    hint: &'static str,
}

#[derive(Default)]
struct Failures {
    owners: HashMap<String, VecDeque<Instant>>,
    peers: HashMap<IpAddr, VecDeque<Instant>>,
}

/// Beyond this many tracked keys, keys whose failures all left the window are dropped.
const MAX_TRACKED: usize = 10_000;

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

impl LoginThrottle {
    pub fn new(window: Duration, per_owner: usize, per_peer: usize) -> LoginThrottle {
        LoginThrottle {
            window,
            per_owner,
            per_peer,
            failures: Mutex::new(Failures::default()),
            what: "failed login attempts",
            hint: "wait, then check the owner id and passphrase",
        }
    }

    /// Passphrase recovery requests (`POST /v1/owner/recover`): every request counts, matched
    /// or not (so the limit tells nothing about which addresses have accounts): 3 per address
    /// and 10 per client address an hour, so nobody can flood an inbox through openleash.
    pub fn recovery() -> LoginThrottle {
        LoginThrottle {
            what: "passphrase recovery requests",
            hint: "wait, then ask again; the email can take a few minutes to arrive",
            ..LoginThrottle::new(Duration::from_secs(3600), 3, 10)
        }
    }

    /// Seconds to wait when `list` already holds `max` failures within the window.
    fn wait(&self, list: Option<&VecDeque<Instant>>, max: usize, now: Instant) -> Option<u64> {
        let list = list?;
        let recent: Vec<&Instant> = list
            .iter()
            .filter(|t| now.duration_since(**t) < self.window)
            .collect();
        if recent.len() < max {
            return None;
        }
        let oldest = recent.first()?;
        let left = self.window.saturating_sub(now.duration_since(**oldest));
        Some(left.as_secs().max(1))
    }

    /// `TOO_MANY_ATTEMPTS` (with `details.retry_after_seconds`) when either limit is reached.
    pub fn check(&self, owner_key: &str, peer: Option<IpAddr>) -> Result<()> {
        let now = Instant::now();
        let Ok(f) = self.failures.lock() else {
            return Ok(());
        };
        let by_owner = self.wait(f.owners.get(owner_key), self.per_owner, now);
        let by_peer = peer.and_then(|p| self.wait(f.peers.get(&p), self.per_peer, now));
        match by_owner.max(by_peer) {
            None => Ok(()),
            Some(secs) => Err(Error::new(
                ErrorCode::TooManyAttempts,
                format!("Too many {}; try again in {secs} s", self.what),
            )
            .with_details(json!({ "retry_after_seconds": secs }))
            .with_hint(self.hint)),
        }
    }

    /// Records one failed login (or one counted request).
    pub fn fail(&self, owner_key: &str, peer: Option<IpAddr>) {
        let now = Instant::now();
        let window = self.window;
        let Ok(mut f) = self.failures.lock() else {
            return;
        };
        let push = |list: &mut VecDeque<Instant>| {
            while list
                .front()
                .is_some_and(|t| now.duration_since(*t) >= window)
            {
                list.pop_front();
            }
            list.push_back(now);
        };
        push(f.owners.entry(owner_key.to_string()).or_default());
        if let Some(p) = peer {
            push(f.peers.entry(p).or_default());
        }
        if f.owners.len() + f.peers.len() > MAX_TRACKED {
            let live = |l: &mut VecDeque<Instant>| {
                l.back().is_some_and(|t| now.duration_since(*t) < window)
            };
            f.owners.retain(|_, l| live(l));
            f.peers.retain(|_, l| live(l));
        }
    }
}

/// The owner a login names: an owner id, or a display name that exactly one owner has (any case).
fn find_login_owner(dd: &DataDir, who: &str) -> Option<Owner> {
    let who = who.trim();
    if crate::ids::is_uuid_shaped(who) {
        return dd.owner(who).ok();
    }
    let owners = dd.owners().ok()?;
    let mut named = owners
        .into_iter()
        .filter(|o| o.display_name.eq_ignore_ascii_case(who));
    let first = named.next()?;
    named.next().is_none().then_some(first)
}

/// Concurrent passphrase checks are bounded inside [`passphrase`]; this adds the throttle.
pub fn login(
    dd: &DataDir,
    config: &Config,
    throttle: &LoginThrottle,
    peer: Option<IpAddr>,
    who: &str,
    pass: &str,
) -> Result<Value> {
    let owner = find_login_owner(dd, who);
    let key = owner
        .as_ref()
        .map_or_else(|| who.trim().to_lowercase(), |o| o.owner_id.to_lowercase());
    throttle.check(&key, peer)?;
    let result = login_checked(dd, config, owner, pass);
    if result
        .as_ref()
        .is_err_and(|e| e.code == ErrorCode::InvalidCredentials)
    {
        throttle.fail(&key, peer);
    }
    result
}

/// Checks an owner's passphrase and issues a session token (TTL `sessions.ttl_seconds`). An
/// unknown owner, an owner without a passphrase, an inactive owner and a wrong passphrase all
/// get the same `INVALID_CREDENTIALS` after the same work.
fn login_checked(dd: &DataDir, config: &Config, owner: Option<Owner>, pass: &str) -> Result<Value> {
    let stored = owner.as_ref().and_then(|o| {
        Some(PassphraseHash {
            passphrase_hash: o.passphrase_hash.clone()?,
            passphrase_salt: o.passphrase_salt.clone()?,
        })
    });
    let ok = match (&stored, DUMMY_HASH.as_ref()) {
        (Some(h), _) => passphrase::verify(pass, h)?,
        (None, Some(dummy)) => {
            passphrase::verify(pass, dummy)?;
            false
        }
        (None, None) => false,
    };
    let owner = match owner {
        Some(o) if ok && o.status == "ACTIVE" => o,
        _ => return Err(invalid_credentials()),
    };
    let body = super::users::issue_session(dd, config, &owner)?;
    dd.append_audit(vec![
        NewEvent::new(
            "USER_LOGIN",
            json!({"user_principal_id": owner.owner_id, "expires_at": body["expires_at"]}),
        )
        .principal(&owner.owner_id),
    ])?;
    Ok(body)
}

/// The owner a session token speaks for. A bad signature, an expired token, a token of another
/// purpose (proof, approval) and an unknown or inactive owner are all `INVALID_SESSION`.
pub fn authenticate(dd: &DataDir, token: &str) -> Result<Owner> {
    let v = crate::tokens::verify_session(token, &dd.verification_keys()?, timefmt::now());
    if !v.valid {
        return Err(Error::new(
            ErrorCode::InvalidSession,
            v.reason.unwrap_or_else(|| "Invalid session".into()),
        )
        .with_hint("log in again with POST /v1/owner/login"));
    }
    if is_revoked(dd, token)? {
        return Err(
            Error::new(ErrorCode::InvalidSession, "Session has been logged out")
                .with_hint("log in again with POST /v1/owner/login"),
        );
    }
    let sub = v.claim_str("sub").unwrap_or_default();
    let owner = crate::ids::is_uuid_shaped(sub)
        .then(|| dd.owner(sub).ok())
        .flatten()
        .filter(|o| o.status == "ACTIVE");
    let owner = owner
        .ok_or_else(|| Error::new(ErrorCode::InvalidSession, "Session owner is not active"))?;
    // A new passphrase (a recovery, or a suspected leak) ends every session issued before it.
    let issued = v.claim_str("iat").and_then(timefmt::parse);
    let changed = owner.passphrase_set_at.as_deref().and_then(timefmt::parse);
    if let (Some(issued), Some(changed)) = (issued, changed)
        && issued < changed
    {
        return Err(Error::new(
            ErrorCode::InvalidSession,
            "Session ended: the passphrase was changed after it was issued",
        )
        .with_hint("log in again with the new passphrase"));
    }
    Ok(owner)
}

/// `revoked_sessions.json`: SHA-256 (hex) of logged-out session tokens → their expiry. Entries
/// are dropped once the token would have expired anyway, so the file stays small.
const REVOKED_FILE: &str = "revoked_sessions.json";

fn token_digest(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

fn revoked(dd: &DataDir) -> Result<BTreeMap<String, String>> {
    Ok(dd.read_json(&dd.path(REVOKED_FILE))?.unwrap_or_default())
}

fn is_revoked(dd: &DataDir, token: &str) -> Result<bool> {
    let path = dd.path(REVOKED_FILE);
    // The common case (nobody ever logged out) costs one failed stat.
    if !path.exists() {
        return Ok(false);
    }
    Ok(revoked(dd)?.contains_key(&token_digest(token)))
}

/// Logout revokes the session server-side (Δ: upstream's logout is stateless): the token is refused
/// from now on by the owner API and the portal alike. Revocation and its audit event are written
/// under one writer lock.
pub fn logout(dd: &DataDir, owner: &Owner, token: &str) -> Result<Value> {
    let v = crate::tokens::verify_session(token, &dd.verification_keys()?, timefmt::now());
    let expires = v
        .claim_str("exp")
        .map(str::to_string)
        .unwrap_or_else(|| timefmt::format(timefmt::plus_seconds(timefmt::now(), 86_400)));
    let lock = dd.lock()?;
    let now = timefmt::now();
    let mut list = revoked(dd)?;
    list.retain(|_, exp| timefmt::parse(exp).is_some_and(|t| t > now));
    list.insert(token_digest(token), expires);
    let mut txn = crate::store::Txn::default();
    txn.write(&dd.path(REVOKED_FILE), crate::store::to_json_pretty(&list)?);
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new("USER_LOGOUT", json!({"user_principal_id": owner.owner_id}))
                .principal(&owner.owner_id),
        ],
    )?;
    Ok(json!({"status": "logged_out"}))
}

/// Changes an owner's passphrase after checking the current one (throttled like a login, since
/// it is a passphrase oracle too). Audited `USER_UPDATED` in the same critical section.
pub fn change_passphrase(
    dd: &DataDir,
    throttle: &LoginThrottle,
    peer: Option<IpAddr>,
    owner: &Owner,
    current: &str,
    new: &str,
) -> Result<()> {
    let key = owner.owner_id.to_lowercase();
    throttle.check(&key, peer)?;
    passphrase::check_strength(new)?;
    let stored = match (&owner.passphrase_hash, &owner.passphrase_salt) {
        (Some(h), Some(s)) => Some(PassphraseHash {
            passphrase_hash: h.clone(),
            passphrase_salt: s.clone(),
        }),
        _ => None,
    };
    let ok = match &stored {
        Some(h) => passphrase::verify(current, h)?,
        None => false,
    };
    if !ok {
        throttle.fail(&key, peer);
        return Err(invalid_credentials());
    }
    let lock = dd.lock()?;
    let mut o = dd.owner(&owner.owner_id)?;
    o.set_passphrase(new)?;
    let mut txn = crate::store::Txn::default();
    dd.stage_owner(&mut txn, &o)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "USER_UPDATED",
                json!({"owner_id": o.owner_id, "changed": ["passphrase"]}),
            )
            .principal(&o.owner_id),
        ],
    )?;
    Ok(())
}

/// Rotates the server signing key on an owner's behalf (the portal's admin page), audited
/// `KEY_ROTATED` like `openleash keys rotate`.
pub fn rotate_key(dd: &DataDir, by: &Owner) -> Result<crate::keys::ServerKey> {
    let key = dd.rotate_key()?;
    dd.append_audit(vec![
        NewEvent::new("KEY_ROTATED", json!({"new_kid": key.kid})).principal(&by.owner_id),
    ])?;
    Ok(key)
}

/// The owner record without passphrase hash or salt.
pub fn profile(owner: &Owner) -> Value {
    let mut v = owner.public_json();
    v["user_principal_id"] = json!(owner.owner_id);
    v["totp_enabled"] = json!(false);
    v
}

/// The name of the owner list in cursors.
pub const LIST: &str = "owners";

/// Which owners an owner list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKinds {
    All,
    Users,
    Orgs,
}

impl OwnerKinds {
    fn scope(self) -> &'static str {
        match self {
            OwnerKinds::All => crate::store::listindex::ALL,
            OwnerKinds::Users => crate::store::listindex::USERS,
            OwnerKinds::Orgs => crate::store::listindex::ORGS,
        }
    }

    fn includes(self, o: &Owner) -> bool {
        match self {
            OwnerKinds::All => true,
            OwnerKinds::Users => o.owner_type == crate::store::owners::OwnerType::User,
            OwnerKinds::Orgs => o.owner_type == crate::store::owners::OwnerType::Org,
        }
    }
}

/// One page of every owner, oldest first (`openleash owner list`).
pub fn list_page(
    dd: &DataDir,
    req: &crate::handlers::page::PageRequest,
) -> Result<crate::handlers::page::Page<Owner>> {
    owners_page(dd, OwnerKinds::All, req)
}

/// One page of the owners of `kinds`, oldest first, with the owner list's cursors: walks the
/// sorted owner index and reads only the page's owner records, whatever the number of owners.
pub fn owners_page(
    dd: &DataDir,
    kinds: OwnerKinds,
    req: &crate::handlers::page::PageRequest,
) -> Result<crate::handlers::page::Page<Owner>> {
    use crate::handlers::page;
    use crate::store::listindex;
    let load = |e: &listindex::Entry| -> Result<Option<Owner>> {
        if !crate::ids::is_uuid_shaped(&e.id) {
            return Ok(None);
        }
        // The record is the truth: one removed since (or by hand) is skipped.
        match dd.owner(&e.id) {
            Ok(o) => Ok(Some(o).filter(|o| kinds.includes(o))),
            Err(err) if err.code == ErrorCode::OwnerNotFound => Ok(None),
            Err(err) => Err(err),
        }
    };
    let spec = page::Indexed {
        kind: listindex::Kind::Owners,
        scopes: vec![kinds.scope().to_string()],
        order: page::Order::Asc,
        visit: &|_| true,
        matches: &|_| true,
        count: &|m| Some(m.count),
        load: &load,
    };
    if let Some(p) = page::indexed(dd, LIST, &spec, req)? {
        return Ok(p);
    }
    // The index cannot be built now (writer lock busy, read-only directory): one pass.
    let owners = dd.owners()?.into_iter().filter(|o| kinds.includes(o));
    Ok(page::collect(
        LIST,
        owners,
        crate::store::owners::owner_key,
        page::Order::Asc,
        req,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Txn;

    fn owner_with_passphrase(dd: &DataDir, pass: Option<&str>) -> Owner {
        let mut o = Owner::new(crate::store::owners::OwnerType::User, "Alice");
        if let Some(p) = pass {
            let h = passphrase::hash(p).unwrap();
            o.passphrase_hash = Some(h.passphrase_hash);
            o.passphrase_salt = Some(h.passphrase_salt);
        }
        std::fs::create_dir_all(dd.path("owners")).unwrap();
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &o).unwrap();
        txn.commit().unwrap();
        o
    }

    #[test]
    fn login_issues_a_session_that_authenticates() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let config = dd.config().unwrap();
        let o = owner_with_passphrase(&dd, Some("correct horse"));
        let t = LoginThrottle::default();
        let v = login(&dd, &config, &t, None, &o.owner_id, "correct horse").unwrap();
        assert_eq!(v["user_principal_id"], o.owner_id.as_str());
        let token = v["token"].as_str().unwrap();
        assert_eq!(authenticate(&dd, token).unwrap().owner_id, o.owner_id);
        let p = profile(&o);
        let text = p.to_string();
        assert!(!text.contains("passphrase_hash") && !text.contains("passphrase_salt"));
        assert_eq!(logout(&dd, &o, token).unwrap()["status"], "logged_out");
        let e = authenticate(&dd, token).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidSession);
        // A second login gets a fresh, working session.
        let v = login(&dd, &config, &t, None, "alice", "correct horse").unwrap();
        assert!(authenticate(&dd, v["token"].as_str().unwrap()).is_ok());
    }

    #[test]
    fn every_failed_login_is_the_same_error() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let config = dd.config().unwrap();
        let o = owner_with_passphrase(&dd, Some("correct horse"));
        let none = owner_with_passphrase(&dd, None);
        for (id, pass) in [
            (o.owner_id.as_str(), "wrong horse!"),
            ("3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a", "correct horse"),
            ("../../etc/passwd", "correct horse"),
            (none.owner_id.as_str(), "anything at all"),
        ] {
            let e = login(&dd, &config, &LoginThrottle::default(), None, id, pass).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCredentials, "{id}");
            assert_eq!(e.message, "Invalid credentials");
        }
    }

    #[test]
    fn failed_logins_are_throttled_per_owner_and_per_peer() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let config = dd.config().unwrap();
        let o = owner_with_passphrase(&dd, Some("correct horse"));
        let t = LoginThrottle::new(Duration::from_secs(60), 2, 3);
        let peer: Option<IpAddr> = Some([10, 0, 0, 1].into());
        for _ in 0..2 {
            let e = login(&dd, &config, &t, peer, &o.owner_id, "wrong horse!").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCredentials);
        }
        // The owner is now locked, even with the right passphrase and from another peer.
        let e = login(&dd, &config, &t, None, &o.owner_id, "correct horse").unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyAttempts);
        assert_eq!(e.http_status(), 429);
        let secs = e.details.as_ref().unwrap()["retry_after_seconds"]
            .as_u64()
            .unwrap();
        assert!((1..=60).contains(&secs));
        // One more failure from the same peer for an unknown name reaches the peer limit.
        let e = login(&dd, &config, &t, peer, "nobody", "x").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidCredentials);
        let e = login(&dd, &config, &t, peer, "someone-else", "x").unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyAttempts);
        // Successful logins do not count.
        let t = LoginThrottle::new(Duration::from_secs(60), 2, 3);
        for _ in 0..4 {
            login(&dd, &config, &t, peer, "Alice", "correct horse").unwrap();
        }
    }

    #[test]
    fn other_tokens_are_not_sessions() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let o = owner_with_passphrase(&dd, Some("correct horse"));
        let (key, sk) = dd.active_key().unwrap();
        let now = timefmt::now();
        let approval = crate::tokens::issue_approval(
            &key.kid,
            &sk,
            &crate::tokens::ApprovalClaims {
                approval_request_id: &crate::ids::new_id(),
                owner_type: "user",
                owner_id: &o.owner_id,
                agent_id: "a",
                action_type: "purchase",
                action_hash: "00",
            },
            60,
            now,
        )
        .unwrap();
        let proof = crate::tokens::issue_proof(
            &key.kid,
            &sk,
            &crate::tokens::ProofClaims {
                decision_id: &crate::ids::new_id(),
                owner_type: "user",
                owner_id: &o.owner_id,
                agent_id: "a",
                action_type: "purchase",
                action_hash: "00",
                matched_rule_id: None,
                trust_profile: None,
            },
            60,
            now,
        )
        .unwrap();
        let expired = crate::tokens::issue_session(
            &key.kid,
            &sk,
            &crate::tokens::SessionClaims {
                sub: &o.owner_id,
                system_roles: &[],
                org_memberships: &[],
            },
            1,
            timefmt::plus_seconds(now, -10),
        )
        .unwrap();
        for t in [
            approval.token,
            proof.token,
            expired.token,
            "v4.public.forged".into(),
        ] {
            assert_eq!(
                authenticate(&dd, &t).unwrap_err().code,
                ErrorCode::InvalidSession
            );
        }
    }

    #[test]
    fn owner_lists_page_from_the_index_by_type_and_follow_removals() {
        use crate::handlers::page::{self, PageRequest};
        use crate::store::owners::OwnerType;
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let add = |dd: &DataDir, t: OwnerType, name: &str, i: usize| {
            let mut o = Owner::new(t, name);
            o.created_at = format!("2026-01-01T00:{:02}:{:02}.000Z", i / 60, i % 60);
            let _lock = dd.lock().unwrap();
            let mut txn = Txn::default();
            dd.stage_owner(&mut txn, &o).unwrap();
            txn.commit().unwrap();
            o
        };
        let only = add(&dd, OwnerType::User, "U0", 0);
        // The index is built by the first list; one owner is the default owner.
        let all = |dd: &DataDir, kinds: OwnerKinds, limit: usize| -> Vec<String> {
            let mut req = PageRequest::new(LIST, Some(limit), None).unwrap();
            let mut out = Vec::new();
            loop {
                let p = owners_page(dd, kinds, &req).unwrap();
                out.extend(p.items.into_iter().map(|o| o.display_name));
                match p.next_cursor {
                    Some(c) => req.after = Some(page::decode(LIST, &c).unwrap()),
                    None => return out,
                }
            }
        };
        assert_eq!(all(&dd, OwnerKinds::All, 10), ["U0"]);
        assert_eq!(dd.resolve_owner(None).unwrap().owner_id, only.owner_id);
        let mut orgs = Vec::new();
        for i in 1..40 {
            if i % 4 == 0 {
                orgs.push(add(&dd, OwnerType::Org, &format!("O{i}"), i));
            } else {
                add(&dd, OwnerType::User, &format!("U{i}"), i);
            }
        }
        let users = all(&dd, OwnerKinds::Users, 7);
        assert_eq!(users.len(), 31);
        assert!(users.iter().all(|n| n.starts_with('U')));
        assert_eq!(
            all(&dd, OwnerKinds::Orgs, 3),
            ["O4", "O8", "O12", "O16", "O20", "O24", "O28", "O32", "O36"]
        );
        assert_eq!(all(&dd, OwnerKinds::All, 1000).len(), 40);
        let e = dd.resolve_owner(None).unwrap_err();
        assert!(e.message.contains("there are 40 owners"), "{}", e.message);
        // No user has roles recorded: the first user is the admin, read from the index.
        use crate::handlers::users::system_roles;
        let u1 = dd
            .resolve_owner(Some(
                &owners_page(
                    &dd,
                    OwnerKinds::Users,
                    &PageRequest::new(LIST, Some(2), None).unwrap(),
                )
                .unwrap()
                .items[1]
                    .owner_id,
            ))
            .unwrap();
        assert_eq!(system_roles(&dd, &only).unwrap(), ["admin"]);
        assert!(system_roles(&dd, &u1).unwrap().is_empty());
        let mut recorded = u1.clone();
        recorded.system_roles = Some(vec![]);
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &recorded).unwrap();
        txn.commit().unwrap();
        assert!(system_roles(&dd, &only).unwrap().is_empty());
        // A removed owner leaves its lists (and the total) in the same transaction.
        {
            let _lock = dd.lock().unwrap();
            let mut txn = Txn::default();
            dd.stage_owner_removal(&mut txn, &orgs[0]).unwrap();
            txn.commit().unwrap();
        }
        let p = owners_page(&dd, OwnerKinds::Orgs, &PageRequest::first()).unwrap();
        assert_eq!(p.total, 8);
        assert_eq!(p.items[0].display_name, "O8");
        // Renaming changes no entry; the index, removed, is rebuilt with the same pages.
        let mut o = dd.owner(&orgs[1].owner_id).unwrap();
        o.display_name = "O8 renamed".into();
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &o).unwrap();
        txn.commit().unwrap();
        let before = all(&dd, OwnerKinds::All, 9);
        std::fs::remove_dir_all(dd.root().join("indexes").join("lists")).unwrap();
        assert_eq!(all(&dd, OwnerKinds::All, 9), before);
        assert!(before.contains(&"O8 renamed".to_string()));
    }
}
