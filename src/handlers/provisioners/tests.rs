use super::*;
use crate::audit::testutil;
use crate::store::owners::Owner;

fn add_user(dd: &DataDir, name: &str) -> String {
    let o = Owner::new(OwnerType::User, name);
    std::fs::create_dir_all(dd.path("owners")).unwrap();
    let mut txn = Txn::default();
    dd.stage_owner(&mut txn, &o).unwrap();
    txn.commit().unwrap();
    o.owner_id
}

fn code<T>(r: Result<T>) -> ErrorCode {
    r.err()
        .map_or_else(|| panic!("expected an error"), |e| e.code)
}

#[test]
fn tokens_authenticate_until_revoked_and_only_exactly() {
    let (_t, dd) = testutil::data_dir(false);
    let ada = add_user(&dd, "Ada");
    let m = create(&dd, &Actor::User(ada.clone()), &ada, " ci ", None).unwrap();
    assert_eq!(m.provisioner.name, "ci");
    assert_eq!(m.provisioner.created_by.as_deref(), Some(ada.as_str()));
    let p = authenticate(&dd, Some(&m.token)).unwrap();
    assert_eq!(p.provisioner_id, m.provisioner.provisioner_id);
    // The first use is recorded.
    let stored = dd.provisioner(&p.provisioner_id).unwrap().unwrap();
    assert!(stored.last_used_at.is_some());

    for bad in [
        None,
        Some(""),
        Some("olp_"),
        Some("olp_x.y"),
        Some(m.token.trim_start_matches("olp_")),
        Some(&format!("{}x", m.token)),
        Some(&m.token[..m.token.len() - 1]),
    ] {
        assert_eq!(
            code(authenticate(&dd, bad)),
            ErrorCode::ProvisionerUnauthorized,
            "{bad:?}"
        );
    }
    let other = format!("olp_{}.{}", ids::new_id(), secret(&m.token));
    assert_eq!(
        code(authenticate(&dd, Some(&other))),
        ErrorCode::ProvisionerUnauthorized
    );

    // Another user can neither see nor revoke it.
    let bob = add_user(&dd, "Bob");
    let id = m.provisioner.provisioner_id.clone();
    assert_eq!(
        code(revoke(&dd, &Actor::User(bob.clone()), &ada, &id)),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(revoke(&dd, &Actor::User(bob.clone()), &bob, &id)),
        ErrorCode::Forbidden
    );
    assert_eq!(
        list(&dd, &Actor::User(bob.clone()), &bob, &PageRequest::first())
            .unwrap()
            .total,
        0
    );
    revoke(&dd, &Actor::User(ada.clone()), &ada, &id).unwrap();
    assert_eq!(
        code(authenticate(&dd, Some(&m.token))),
        ErrorCode::ProvisionerRevoked
    );
}

fn secret(token: &str) -> &str {
    token.split_once('.').map_or("", |(_, s)| s)
}

#[test]
fn expiry_is_checked_and_must_be_in_the_future() {
    let (_t, dd) = testutil::data_dir(false);
    let ada = add_user(&dd, "Ada");
    let past = "2001-01-01T00:00:00Z";
    assert_eq!(
        code(create(&dd, &Actor::Operator, &ada, "x", Some(past))),
        ErrorCode::InvalidRequest
    );
    let m = create(
        &dd,
        &Actor::Operator,
        &ada,
        "x",
        Some("2999-01-01T00:00:00Z"),
    )
    .unwrap();
    // Expired by hand (as time would): refused with its own code.
    let mut p = dd
        .provisioner(&m.provisioner.provisioner_id)
        .unwrap()
        .unwrap();
    p.expires_at = Some(past.into());
    let mut txn = Txn::default();
    dd.stage_provisioner(&mut txn, &p).unwrap();
    txn.commit().unwrap();
    assert_eq!(
        code(authenticate(&dd, Some(&m.token))),
        ErrorCode::ProvisionerExpired
    );
    assert!(
        !std::fs::read_to_string(dd.provisioner_path(&p.provisioner_id).unwrap())
            .unwrap()
            .contains(secret(&m.token))
    );
}
