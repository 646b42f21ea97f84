//! Owner accounts: passphrase login issuing a PASETO session token (purpose `user_session`),
//! session verification for the owner API, logout and the profile (never any secret).

use crate::audit::NewEvent;
use crate::config::Config;
use crate::crypto::passphrase::{self, PassphraseHash};
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::owners::Owner;
use crate::timefmt;
use serde_json::{Value, json};
use std::sync::LazyLock;

/// Verified against when the owner is unknown or has no passphrase, so every failed login costs
/// one scrypt and timing does not tell which owners exist.
static DUMMY_HASH: LazyLock<Option<PassphraseHash>> =
    LazyLock::new(|| passphrase::hash("openleash-timing-equaliser").ok());

fn invalid_credentials() -> Error {
    Error::new(ErrorCode::InvalidCredentials, "Invalid credentials").with_hint(
        "check the owner id and passphrase (set one with `openleash owner set-passphrase`)",
    )
}

/// Checks an owner's passphrase and issues a session token (TTL `sessions.ttl_seconds`). An
/// unknown owner, an owner without a passphrase, an inactive owner and a wrong passphrase all
/// get the same `INVALID_CREDENTIALS` after the same work.
pub fn login(dd: &DataDir, config: &Config, owner_id: &str, pass: &str) -> Result<Value> {
    let owner = if crate::ids::is_uuid_shaped(owner_id) {
        dd.owner(owner_id).ok()
    } else {
        None
    };
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
    let now = timefmt::now();
    let (key, signing_key) = dd.active_key()?;
    let claims = crate::tokens::SessionClaims {
        sub: &owner.owner_id,
        system_roles: &[],
        org_memberships: &[],
    };
    let issued = crate::tokens::issue_session(
        &key.kid,
        &signing_key,
        &claims,
        config.sessions.ttl_seconds,
        now,
    )?;
    dd.append_audit(vec![
        NewEvent::new(
            "USER_LOGIN",
            json!({"user_principal_id": owner.owner_id, "expires_at": issued.expires_at}),
        )
        .principal(&owner.owner_id),
    ])?;
    Ok(json!({
        "token": issued.token,
        "expires_at": issued.expires_at,
        "user_principal_id": owner.owner_id,
        "system_roles": [],
        "org_memberships": [],
    }))
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
    let sub = v.claim_str("sub").unwrap_or_default();
    let owner = crate::ids::is_uuid_shaped(sub)
        .then(|| dd.owner(sub).ok())
        .flatten()
        .filter(|o| o.status == "ACTIVE");
    owner.ok_or_else(|| Error::new(ErrorCode::InvalidSession, "Session owner is not active"))
}

/// Logout is stateless (the token stays valid until it expires, as upstream); it is audited.
pub fn logout(dd: &DataDir, owner: &Owner) -> Result<Value> {
    dd.append_audit(vec![
        NewEvent::new("USER_LOGOUT", json!({"user_principal_id": owner.owner_id}))
            .principal(&owner.owner_id),
    ])?;
    Ok(json!({"status": "logged_out"}))
}

/// The owner record without passphrase hash or salt.
pub fn profile(owner: &Owner) -> Value {
    let mut v = owner.public_json();
    v["user_principal_id"] = json!(owner.owner_id);
    v["totp_enabled"] = json!(false);
    v
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
        let v = login(&dd, &config, &o.owner_id, "correct horse").unwrap();
        assert_eq!(v["user_principal_id"], o.owner_id.as_str());
        let token = v["token"].as_str().unwrap();
        assert_eq!(authenticate(&dd, token).unwrap().owner_id, o.owner_id);
        let p = profile(&o);
        let text = p.to_string();
        assert!(!text.contains("passphrase_hash") && !text.contains("passphrase_salt"));
        assert_eq!(logout(&dd, &o).unwrap()["status"], "logged_out");
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
            let e = login(&dd, &config, id, pass).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCredentials, "{id}");
            assert_eq!(e.message, "Invalid credentials");
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
}
