//! Passphrase recovery (`POST /v1/owner/recover` and the portal's "Forgot your passphrase?"):
//! a user who forgot their passphrase asks with the email address on their account and gets a
//! single-use setup link (the invite of `POST /v1/owner/setup`, 24 h) at that address.
//!
//! The answer is the same whether or not an account has the address, so the endpoint tells
//! nobody which addresses have accounts; what happened is in the audit log
//! (`USER_RECOVERY_REQUESTED`) for the instance's admins. Every request counts against a limit
//! per address and per client ([`LoginThrottle::recovery`]) so openleash cannot be used to flood
//! an inbox. The email goes through the durable outbox (`notifications.smtp`), written in the
//! same critical section as the invite and the audit event: a crash leaves all three or none.

use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::owner::LoginThrottle;
use crate::handlers::users;
use crate::notify::event::Event;
use crate::notify::outbox;
use crate::store::owners::OwnerType;
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};
use std::net::IpAddr;

/// The one answer to every well-formed request.
pub const GENERIC_MESSAGE: &str =
    "If an account exists for that address, a recovery link has been sent.";

/// What a request did: the body to answer with, and a line for the server operator when a
/// matching user could not be emailed (said on the server's stderr, never to the requester).
#[derive(Debug)]
pub struct Outcome {
    pub response: Value,
    pub operator_note: Option<String>,
}

fn invalid_email(given: &str) -> Error {
    let shown: String = given.chars().take(80).collect();
    Error::new(
        ErrorCode::InvalidBody,
        format!("`email` {shown:?} is not an email address"),
    )
    .with_hint("send the address on your account, like name@example.com")
    .with_details(json!({"field": "email"}))
}

/// The portal page that completes a setup invite (`/gui/setup`), with the invite in its query;
/// `base` is the server's public URL (`server.public_url`, else the address it listens on).
pub fn setup_link(base: &str, invite_id: &str, token: &str) -> String {
    format!(
        "{}/gui/setup?invite_id={invite_id}&token={token}",
        base.trim_end_matches('/')
    )
}

/// Handles one recovery request for `email` from `peer`; the emailed link starts with `base`.
pub fn request(
    dd: &DataDir,
    config: &Config,
    base: &str,
    throttle: &LoginThrottle,
    peer: Option<IpAddr>,
    email: &str,
) -> Result<Outcome> {
    let email = crate::store::contact_index::normalize_email(email);
    if email.len() > 254 || crate::identity::validate_contact("EMAIL", &email).is_err() {
        return Err(invalid_email(&email));
    }
    throttle.check(&email, peer)?;
    throttle.fail(&email, peer);
    let target = dd
        .owners_with_email(&email)?
        .into_iter()
        .find(|o| o.owner_type == OwnerType::User && o.status == "ACTIVE");
    let smtp_ready = !config.notifications.smtp.host.is_empty();
    let lock = dd.lock()?;
    let mut txn = Txn::default();
    let mut enqueued = Vec::new();
    let mut details = json!({
        "email": email,
        "matched": target.is_some(),
        "user_principal_id": target.as_ref().map(|u| u.owner_id.clone()),
    });
    let mut operator_note = None;
    let mut event = NewEvent::new("USER_RECOVERY_REQUESTED", Value::Null);
    if let Some(user) = &target {
        event = event.principal(&user.owner_id);
        if smtp_ready {
            let (inv, token) = users::new_setup_invite(user, None);
            users::stage_invite(dd, &mut txn, &inv)?;
            let link = setup_link(base, &inv.invite_id, &token);
            let mail = Event::setup_invite(user, &inv.invite_id, &inv.expires_at, link);
            enqueued = outbox::stage_email(dd, &mut txn, &mail, &email)?;
            details["invite_id"] = json!(inv.invite_id);
            details["expires_at"] = json!(inv.expires_at);
            details["emailed"] = json!(true);
        } else {
            details["emailed"] = json!(false);
            operator_note = Some(format!(
                "passphrase recovery was requested for user {} ({}), but no email was sent: \
                 notifications.smtp.host is not set in config.yaml. Set it, or give the user a \
                 link with `openleash admin setup-invite {}`",
                user.owner_id, user.display_name, user.owner_id
            ));
        }
    }
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![NewEvent {
            metadata: details,
            ..event
        }],
    )?;
    drop(lock);
    crate::notify::enqueued(dd, enqueued);
    Ok(Outcome {
        response: json!({"status": "ok", "message": GENERIC_MESSAGE}),
        operator_note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::owners::Owner;

    struct T {
        _dir: tempfile::TempDir,
        dd: DataDir,
        config: Config,
        user: Owner,
    }

    /// A data dir with one user whose account has `Ann@Example.org`; SMTP configured or not.
    fn setup(smtp: bool) -> T {
        let (dir, dd) = crate::audit::testutil::data_dir(false);
        std::fs::create_dir_all(dd.path("owners")).unwrap();
        let mut user = Owner::new(OwnerType::User, "Ann");
        user.contact_identities.push(
            serde_json::from_value(json!({
                "contact_id": crate::ids::new_id(), "type": "EMAIL", "value": "Ann@Example.org",
                "added_at": "2026-01-01T00:00:00.000Z",
            }))
            .unwrap(),
        );
        user.set_passphrase("the old passphrase").unwrap();
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &user).unwrap();
        txn.commit().unwrap();
        let mut config = dd.config().unwrap();
        if smtp {
            config.notifications.smtp.host = "127.0.0.1".into();
            config.notifications.smtp.from = "openleash@example.org".into();
        }
        T {
            _dir: dir,
            dd,
            config,
            user,
        }
    }

    /// One request as the server makes it (base URL `http://leash.test`).
    fn ask(t: &T, th: &LoginThrottle, peer: Option<IpAddr>, email: &str) -> Result<Outcome> {
        request(&t.dd, &t.config, "http://leash.test", th, peer, email)
    }

    fn audit_details(dd: &DataDir) -> Vec<Value> {
        std::fs::read_to_string(dd.audit_log_path())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<crate::audit::AuditEvent>(l).unwrap())
            .filter(|e| e.event_type == "USER_RECOVERY_REQUESTED")
            .map(|e| e.metadata_json)
            .collect()
    }

    #[test]
    fn a_known_address_gets_a_link_that_sets_a_new_passphrase() {
        let t = setup(true);
        let th = LoginThrottle::recovery();
        let out = ask(&t, &th, None, " ann@EXAMPLE.org ").unwrap();
        assert_eq!(out.response["message"], GENERIC_MESSAGE);
        assert!(out.operator_note.is_none());
        let entries = outbox::list(&t.dd, Some(outbox::PENDING)).unwrap();
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(
            e.target,
            outbox::Target::Email {
                to: "ann@example.org".into()
            }
        );
        let link = &e.event.link;
        let q = link.split_once("/gui/setup?").unwrap().1;
        let (id, token) = q
            .strip_prefix("invite_id=")
            .unwrap()
            .split_once("&token=")
            .unwrap();
        users::complete_setup(&t.dd, id, token, "a brand new passphrase").unwrap();
        // Single use.
        let again = users::complete_setup(&t.dd, id, token, "another new passphrase").unwrap_err();
        assert_eq!(again.code, ErrorCode::InviteUsed);
        let d = audit_details(&t.dd);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0]["matched"], true);
        assert_eq!(d[0]["emailed"], true);
        assert_eq!(d[0]["user_principal_id"], json!(t.user.owner_id));
        assert_eq!(d[0]["invite_id"], json!(id));
    }

    #[test]
    fn an_unknown_address_gets_the_same_answer_and_no_email() {
        let t = setup(true);
        let th = LoginThrottle::recovery();
        let out = ask(&t, &th, None, "bob@example.org").unwrap();
        assert_eq!(out.response["message"], GENERIC_MESSAGE);
        assert!(outbox::list(&t.dd, None).unwrap().is_empty());
        let d = audit_details(&t.dd);
        assert_eq!(d[0]["matched"], false);
        assert_eq!(d[0]["user_principal_id"], Value::Null);
    }

    #[test]
    fn without_smtp_nothing_is_sent_and_the_operator_is_told() {
        let t = setup(false);
        let th = LoginThrottle::recovery();
        let out = ask(&t, &th, None, "ann@example.org").unwrap();
        assert_eq!(out.response["message"], GENERIC_MESSAGE);
        let note = out.operator_note.unwrap();
        assert!(
            note.contains(&t.user.owner_id) && note.contains("smtp"),
            "{note}"
        );
        assert!(outbox::list(&t.dd, None).unwrap().is_empty());
        assert_eq!(audit_details(&t.dd)[0]["emailed"], false);
    }

    #[test]
    fn disabled_users_and_orgs_are_not_matched() {
        let t = setup(true);
        let mut u = t.user.clone();
        u.status = "DISABLED".into();
        {
            let _l = t.dd.lock().unwrap();
            let mut txn = Txn::default();
            t.dd.stage_owner(&mut txn, &u).unwrap();
            txn.commit().unwrap();
        }
        let th = LoginThrottle::recovery();
        ask(&t, &th, None, "ann@example.org").unwrap();
        assert!(outbox::list(&t.dd, None).unwrap().is_empty());
        assert_eq!(audit_details(&t.dd)[0]["matched"], false);
    }

    #[test]
    fn bad_addresses_are_refused_and_floods_are_throttled() {
        let t = setup(true);
        let th = LoginThrottle::recovery();
        for bad in [
            "",
            "ann",
            "ann@",
            "a b@example.org",
            &format!("{}@x.org", "a".repeat(260)),
        ] {
            let e = ask(&t, &th, None, bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidBody, "{bad}");
        }
        for _ in 0..3 {
            ask(&t, &th, None, "bob@example.org").unwrap();
        }
        let e = ask(&t, &th, None, "BOB@example.org").unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyAttempts);
        assert!(e.message.contains("recovery"), "{}", e.message);
        // Per client too: ten different addresses from one peer, then refused.
        let peer: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..10 {
            ask(&t, &th, Some(peer), &format!("p{i}@example.org")).unwrap();
        }
        let e = ask(&t, &th, Some(peer), "p99@example.org").unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyAttempts);
    }
}
