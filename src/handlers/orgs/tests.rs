use super::*;
use crate::audit::testutil;
use crate::handlers::roles::{self, Actor, Op, TABLE};
use crate::store::owners::{Owner, OwnerType};

fn add_user(dd: &DataDir, name: &str) -> String {
    let o = Owner::new(OwnerType::User, name);
    let mut txn = Txn::default();
    dd.stage_owner(&mut txn, &o).unwrap();
    std::fs::create_dir_all(dd.path("owners")).unwrap();
    txn.commit().unwrap();
    o.owner_id
}

fn user(id: &str) -> Actor {
    Actor::User(id.to_string())
}

fn code(r: Result<Value>) -> ErrorCode {
    r.err()
        .map_or_else(|| panic!("expected an error"), |e| e.code)
}

fn events(dd: &DataDir) -> Vec<crate::audit::AuditEvent> {
    dd.audit_query(&crate::audit::Filter::default(), 10_000)
        .unwrap()
        .events
}

/// An org with an admin, a member and a viewer (all through invites), and an outsider.
struct Team {
    dd: DataDir,
    _t: tempfile::TempDir,
    org: String,
    admin: String,
    member: String,
    viewer: String,
    outsider: String,
}

fn team() -> Team {
    let (t, dd) = testutil::data_dir(false);
    let admin = add_user(&dd, "Ada");
    let member = add_user(&dd, "Max");
    let viewer = add_user(&dd, "Vera");
    let outsider = add_user(&dd, "Otto");
    let org = create(&dd, &user(&admin), "Acme").unwrap()["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    let now = crate::timefmt::now();
    for (u, role) in [(&member, OrgRole::OrgMember), (&viewer, OrgRole::OrgViewer)] {
        let inv = invite(&dd, &user(&admin), &org, u, role, now, INVITE_TTL_SECONDS).unwrap();
        accept(&dd, &user(u), inv["invite_id"].as_str().unwrap(), now).unwrap();
    }
    Team {
        dd,
        _t: t,
        org,
        admin,
        member,
        viewer,
        outsider,
    }
}

#[test]
fn create_makes_the_creator_admin_and_lists_it() {
    let t = team();
    let listed = list(&t.dd, &user(&t.admin)).unwrap();
    assert_eq!(listed["organizations"][0]["org_id"], t.org.as_str());
    assert_eq!(listed["organizations"][0]["role"], "org_admin");
    assert_eq!(
        list(&t.dd, &user(&t.outsider)).unwrap()["organizations"],
        json!([])
    );
    let shown = show(&t.dd, &user(&t.viewer), &t.org).unwrap();
    assert_eq!(shown["member_count"], 3);
    assert_eq!(shown["your_role"], "org_viewer");
    assert_eq!(shown["owner_type"], "org");
    assert_eq!(
        code(create(&t.dd, &user(&t.admin), "  ")),
        ErrorCode::InvalidBody
    );
}

#[test]
fn invite_lifecycle() {
    let t = team();
    let now = crate::timefmt::now();
    let a = user(&t.admin);
    let inv = invite(
        &t.dd,
        &a,
        &t.org,
        &t.outsider,
        OrgRole::OrgMember,
        now,
        INVITE_TTL_SECONDS,
    )
    .unwrap();
    assert_eq!(inv["status"], "pending");
    let id = inv["invite_id"].as_str().unwrap().to_string();
    // Seven days.
    let exp = crate::timefmt::parse(inv["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!((exp - now).whole_days(), 7);
    // A second pending invite for the same user is refused; so is inviting a member.
    assert_eq!(
        code(invite(
            &t.dd,
            &a,
            &t.org,
            &t.outsider,
            OrgRole::OrgViewer,
            now,
            60
        )),
        ErrorCode::AlreadyInvited
    );
    assert_eq!(
        code(invite(
            &t.dd,
            &a,
            &t.org,
            &t.member,
            OrgRole::OrgViewer,
            now,
            60
        )),
        ErrorCode::AlreadyMember
    );
    // The invitee sees it; nobody else may answer it.
    let mine = my_invites(&t.dd, &user(&t.outsider), now).unwrap();
    assert_eq!(mine["invites"][0]["invite_id"], id.as_str());
    assert_eq!(mine["invites"][0]["org_display_name"], "Acme");
    assert_eq!(
        code(accept(&t.dd, &user(&t.member), &id, now)),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(accept(&t.dd, &Actor::Operator, &id, now)),
        ErrorCode::Forbidden
    );
    // Declined once, it cannot be accepted.
    decline(&t.dd, &user(&t.outsider), &id, now).unwrap();
    assert_eq!(
        code(accept(&t.dd, &user(&t.outsider), &id, now)),
        ErrorCode::InviteNotPending
    );
    assert_eq!(
        code(revoke(&t.dd, &a, &t.org, &id)),
        ErrorCode::InviteNotPending
    );
}

#[test]
fn an_expired_invite_cannot_be_accepted() {
    let t = team();
    let now = crate::timefmt::now();
    let inv = invite(
        &t.dd,
        &user(&t.admin),
        &t.org,
        &t.outsider,
        OrgRole::OrgViewer,
        now,
        60,
    )
    .unwrap();
    let id = inv["invite_id"].as_str().unwrap();
    let later = crate::timefmt::plus_seconds(now, 61);
    assert_eq!(
        my_invites(&t.dd, &user(&t.outsider), later).unwrap()["invites"],
        json!([])
    );
    let listed = org_invites(&t.dd, &user(&t.admin), &t.org, later).unwrap();
    let this = listed["invites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["invite_id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(this["status"], "expired");
    assert_eq!(
        code(accept(&t.dd, &user(&t.outsider), id, later)),
        ErrorCode::InviteExpired
    );
    // Marked expired: a retry says so instead of expiring again.
    assert_eq!(
        code(accept(&t.dd, &user(&t.outsider), id, now)),
        ErrorCode::InviteNotPending
    );
    // An expired invite does not block a new one.
    invite(
        &t.dd,
        &user(&t.admin),
        &t.org,
        &t.outsider,
        OrgRole::OrgViewer,
        later,
        60,
    )
    .unwrap();
}

#[test]
fn a_revoked_invite_cannot_be_accepted() {
    let t = team();
    let now = crate::timefmt::now();
    let inv = invite(
        &t.dd,
        &user(&t.admin),
        &t.org,
        &t.outsider,
        OrgRole::OrgAdmin,
        now,
        60,
    )
    .unwrap();
    let id = inv["invite_id"].as_str().unwrap();
    // Only an admin of that org may revoke it.
    assert_eq!(
        code(revoke(&t.dd, &user(&t.member), &t.org, id)),
        ErrorCode::Forbidden
    );
    assert_eq!(
        revoke(&t.dd, &user(&t.admin), &t.org, id).unwrap()["status"],
        "revoked"
    );
    assert_eq!(
        code(accept(&t.dd, &user(&t.outsider), id, now)),
        ErrorCode::InviteNotPending
    );
    assert!(
        t.dd.org_members(&t.org)
            .unwrap()
            .find(&t.outsider)
            .is_none()
    );
}

#[test]
fn the_last_admin_can_neither_leave_nor_be_demoted_nor_removed() {
    let t = team();
    let a = user(&t.admin);
    assert_eq!(code(leave(&t.dd, &a, &t.org)), ErrorCode::LastAdmin);
    assert_eq!(
        code(set_role(&t.dd, &a, &t.org, &t.admin, OrgRole::OrgMember)),
        ErrorCode::LastAdmin
    );
    assert_eq!(
        code(remove_member(&t.dd, &a, &t.org, &t.admin)),
        ErrorCode::LastAdmin
    );
    // With a second admin, the first may step down, and then leave.
    set_role(&t.dd, &a, &t.org, &t.member, OrgRole::OrgAdmin).unwrap();
    set_role(&t.dd, &a, &t.org, &t.admin, OrgRole::OrgViewer).unwrap();
    leave(&t.dd, &a, &t.org).unwrap();
    assert_eq!(list(&t.dd, &a).unwrap()["organizations"], json!([]));
    assert_eq!(code(show(&t.dd, &a, &t.org)), ErrorCode::Forbidden);
    // The new last admin is protected in turn.
    assert_eq!(
        code(leave(&t.dd, &user(&t.member), &t.org)),
        ErrorCode::LastAdmin
    );
    // A viewer leaves freely.
    leave(&t.dd, &user(&t.viewer), &t.org).unwrap();
}

#[test]
fn every_membership_and_role_change_is_audited() {
    let t = team();
    let a = user(&t.admin);
    set_role(&t.dd, &a, &t.org, &t.viewer, OrgRole::OrgMember).unwrap();
    remove_member(&t.dd, &a, &t.org, &t.viewer).unwrap();
    leave(&t.dd, &user(&t.member), &t.org).unwrap();
    let now = crate::timefmt::now();
    let inv = invite(&t.dd, &a, &t.org, &t.outsider, OrgRole::OrgViewer, now, 60).unwrap();
    revoke(&t.dd, &a, &t.org, inv["invite_id"].as_str().unwrap()).unwrap();
    let inv = invite(&t.dd, &a, &t.org, &t.outsider, OrgRole::OrgViewer, now, 60).unwrap();
    decline(
        &t.dd,
        &user(&t.outsider),
        inv["invite_id"].as_str().unwrap(),
        now,
    )
    .unwrap();
    add_member(
        &t.dd,
        &Actor::Operator,
        &t.org,
        &t.outsider,
        OrgRole::OrgViewer,
    )
    .unwrap();
    update(&t.dd, &a, &t.org, Some("Acme Ltd"), None).unwrap();
    let kinds: Vec<String> = events(&t.dd).into_iter().map(|e| e.event_type).collect();
    for k in [
        "ORG_CREATED",
        "ORG_INVITE_CREATED",
        "ORG_INVITE_ACCEPTED",
        "ORG_MEMBER_UPDATED",
        "ORG_MEMBER_REMOVED",
        "ORG_MEMBER_LEFT",
        "ORG_INVITE_CANCELLED",
        "ORG_INVITE_DECLINED",
        "ORG_MEMBER_ADDED",
        "ORG_UPDATED",
    ] {
        assert!(kinds.iter().any(|x| x == k), "no {k} in {kinds:?}");
    }
    let updated = events(&t.dd)
        .into_iter()
        .find(|e| e.event_type == "ORG_MEMBER_UPDATED")
        .unwrap();
    assert_eq!(updated.principal_id.as_deref(), Some(t.admin.as_str()));
    assert_eq!(updated.metadata_json["previous_role"], "org_viewer");
    assert_eq!(updated.metadata_json["new_role"], "org_member");
}

#[test]
fn users_invite_only_the_operator_adds_directly() {
    let t = team();
    assert_eq!(
        code(add_member(
            &t.dd,
            &user(&t.admin),
            &t.org,
            &t.outsider,
            OrgRole::OrgViewer
        )),
        ErrorCode::Forbidden
    );
    add_member(
        &t.dd,
        &Actor::Operator,
        &t.org,
        &t.outsider,
        OrgRole::OrgViewer,
    )
    .unwrap();
    assert_eq!(
        code(add_member(
            &t.dd,
            &Actor::Operator,
            &t.org,
            &t.outsider,
            OrgRole::OrgViewer
        )),
        ErrorCode::AlreadyMember
    );
    assert_eq!(
        list(&t.dd, &user(&t.outsider)).unwrap()["organizations"][0]["role"],
        "org_viewer"
    );
}

#[test]
fn an_org_from_owner_add_reads_as_an_org_without_members() {
    let (_t, dd) = testutil::data_dir(false);
    let o = Owner::new(OwnerType::Org, "Legacy");
    std::fs::create_dir_all(dd.path("owners")).unwrap();
    let mut txn = Txn::default();
    dd.stage_owner(&mut txn, &o).unwrap();
    txn.commit().unwrap();
    let u = add_user(&dd, "Ada");
    assert_eq!(
        list(&dd, &Actor::Operator).unwrap()["organizations"][0]["member_count"],
        0
    );
    assert_eq!(
        code(show(&dd, &user(&u), &o.owner_id)),
        ErrorCode::Forbidden
    );
    add_member(&dd, &Actor::Operator, &o.owner_id, &u, OrgRole::OrgAdmin).unwrap();
    assert_eq!(
        show(&dd, &user(&u), &o.owner_id).unwrap()["your_role"],
        "org_admin"
    );
}

#[test]
fn delete_refuses_an_org_with_agents_and_cleans_up_memberships() {
    let t = team();
    assert_eq!(
        code(delete(&t.dd, &user(&t.member), &t.org)),
        ErrorCode::Forbidden
    );
    let org_owner = t.dd.owner(&t.org).unwrap();
    let key = crate::crypto::ed25519::public_key_b64(
        &ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key(),
    );
    let agent = crate::store::agents::Agent::new("bot", &org_owner, key);
    std::fs::create_dir_all(t.dd.path("agents")).unwrap();
    t.dd.register_agent(&agent, |_| Ok(())).unwrap();
    assert_eq!(
        code(delete(&t.dd, &user(&t.admin), &t.org)),
        ErrorCode::OrgNotEmpty
    );
    crate::handlers::agents::set_status(
        &t.dd,
        crate::handlers::approvals::OwnerScope::All,
        &agent.agent_principal_id,
        "REVOKED",
        None,
    )
    .unwrap();
    // Revoked agents still belong to it.
    assert_eq!(
        code(delete(&t.dd, &user(&t.admin), &t.org)),
        ErrorCode::OrgNotEmpty
    );
}

#[test]
fn delete_an_empty_org() {
    let t = team();
    let out = delete(&t.dd, &user(&t.admin), &t.org).unwrap();
    assert_eq!(out["members_removed"], 3);
    assert_eq!(
        list(&t.dd, &user(&t.member)).unwrap()["organizations"],
        json!([])
    );
    // The org is gone: even its former admin gets FORBIDDEN, not a hint that it existed.
    assert_eq!(
        code(show(&t.dd, &user(&t.admin), &t.org)),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(show(&t.dd, &Actor::Operator, &t.org)),
        ErrorCode::NotFound
    );
}

/// The role matrix at the check: every row × every role (and a non-member), through the one
/// function every handler calls.
#[test]
fn role_matrix() {
    let t = team();
    let cases = [
        (&t.viewer, Some(OrgRole::OrgViewer)),
        (&t.member, Some(OrgRole::OrgMember)),
        (&t.admin, Some(OrgRole::OrgAdmin)),
        (&t.outsider, None),
    ];
    for row in TABLE {
        for (who, role) in &cases {
            let got = roles::require(&t.dd, &user(who), &t.org, row.op);
            let allowed = role.is_some_and(|r| r >= row.min_role);
            match got {
                Ok(m) => assert!(allowed && m.is_some(), "{:?} as {role:?} allowed", row.op),
                Err(e) => {
                    assert!(!allowed, "{:?} as {role:?} refused: {e}", row.op);
                    assert_eq!(e.code, ErrorCode::Forbidden);
                }
            }
        }
        // An unknown org: FORBIDDEN for a user, NOT_FOUND for the operator.
        let unknown = crate::ids::new_id();
        let e = roles::require(&t.dd, &user(&t.admin), &unknown, row.op)
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = roles::require(&t.dd, &Actor::Operator, &unknown, row.op)
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::NotFound);
    }
    assert_eq!(Op::Leave.min_role(), OrgRole::OrgViewer);
}

fn slug_entry(dd: &DataDir, slug: &str) -> Option<String> {
    dd.org_id_for_slug(slug).unwrap()
}

#[test]
fn slugs_are_derived_unique_and_validated() {
    let t = team();
    let a = user(&t.admin);
    assert_eq!(show(&t.dd, &a, &t.org).unwrap()["slug"], "acme");
    assert_eq!(slug_entry(&t.dd, "acme").as_deref(), Some(t.org.as_str()));
    // The same name again: the next free suffix.
    let second = create(&t.dd, &a, "ACME!").unwrap();
    assert_eq!(second["slug"], "acme-2");
    let third = create(&t.dd, &a, "Acme").unwrap();
    assert_eq!(third["slug"], "acme-3");
    // A name with nothing sluggable falls back to "org".
    assert_eq!(create(&t.dd, &a, "ü").unwrap()["slug"], "org");
    // Explicit slugs: trimmed and lower-cased, refused when taken or malformed (as upstream).
    let e = create_with_slug(&t.dd, &a, "Other", Some(" Team-X ")).unwrap();
    assert_eq!(e["slug"], "team-x");
    assert_eq!(
        code(create_with_slug(&t.dd, &a, "Other", Some("acme"))),
        ErrorCode::SlugTaken
    );
    for bad in ["a", "-acme", "acme-", "ac/me", "ac.me", &"x".repeat(65)] {
        assert_eq!(
            code(create_with_slug(&t.dd, &a, "Other", Some(bad))),
            ErrorCode::InvalidBody,
            "{bad:?}"
        );
    }
    let listed = list(&t.dd, &a).unwrap();
    let slugs: Vec<&str> = listed["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert!(
        slugs.contains(&"acme") && slugs.contains(&"team-x"),
        "{slugs:?}"
    );
}

#[test]
fn a_slug_change_keeps_old_links_and_frees_nothing_it_should_not() {
    let t = team();
    let a = user(&t.admin);
    // Only an org_admin may change it.
    assert_eq!(
        code(update(
            &t.dd,
            &user(&t.member),
            &t.org,
            None,
            Some("acme-inc")
        )),
        ErrorCode::Forbidden
    );
    let out = update(&t.dd, &a, &t.org, None, Some("acme-inc")).unwrap();
    assert_eq!(out["slug"], "acme-inc");
    assert_eq!(
        resolve_ref(&t.dd, "acme-inc").unwrap(),
        OrgRef::Canonical(t.org.clone())
    );
    // The old slug and the id both lead to the org, to be redirected.
    assert_eq!(
        resolve_ref(&t.dd, "acme").unwrap(),
        OrgRef::Moved(t.org.clone())
    );
    assert_eq!(
        resolve_ref(&t.dd, &t.org.to_ascii_uppercase()).unwrap(),
        OrgRef::Moved(t.org.clone())
    );
    for missing in ["nope", "../acme", "ACME"] {
        assert_eq!(
            resolve_ref(&t.dd, missing).map_err(|e| e.code),
            Err(ErrorCode::NotFound),
            "{missing:?}"
        );
    }
    let ev = events(&t.dd)
        .into_iter()
        .rfind(|e| e.event_type == "ORG_UPDATED")
        .unwrap();
    assert_eq!(ev.metadata_json["previous_slug"], "acme");
    assert_eq!(ev.metadata_json["new_slug"], "acme-inc");
    // A renamed org does not change its slug; a new org named like it avoids the old slug too.
    update(&t.dd, &a, &t.org, Some("Acme Incorporated"), None).unwrap();
    assert_eq!(show(&t.dd, &a, &t.org).unwrap()["slug"], "acme-inc");
    let other = create(&t.dd, &a, "Acme").unwrap();
    assert_eq!(other["slug"], "acme-2");
    // Another org may claim a former slug explicitly (as upstream): the link is then theirs.
    let other_id = other["org_id"].as_str().unwrap().to_string();
    update(&t.dd, &a, &other_id, None, Some("acme")).unwrap();
    assert_eq!(
        resolve_ref(&t.dd, "acme").unwrap(),
        OrgRef::Canonical(other_id.clone())
    );
    // …but not a current one.
    assert_eq!(
        code(update(&t.dd, &a, &other_id, None, Some("acme-inc"))),
        ErrorCode::SlugTaken
    );
    // Back to a former slug of its own: allowed, and it leaves the history.
    update(&t.dd, &a, &other_id, None, Some("acme-2")).unwrap();
    let o = t.dd.owner(&other_id).unwrap();
    assert_eq!(o.slug.as_deref(), Some("acme-2"));
    assert_eq!(o.slug_history, vec!["acme".to_string()]);
    // The history is bounded; dropped entries leave the index.
    for i in 0..12 {
        update(&t.dd, &a, &t.org, None, Some(&format!("acme-v{i}"))).unwrap();
    }
    let o = t.dd.owner(&t.org).unwrap();
    assert_eq!(o.slug_history.len(), 10);
    assert_eq!(o.slug_history[0], "acme-v10");
    assert_eq!(slug_entry(&t.dd, "acme-inc"), None);
    assert_eq!(
        slug_entry(&t.dd, "acme-v1").as_deref(),
        Some(t.org.as_str())
    );
    // Deleting the org frees its slugs.
    delete(&t.dd, &a, &t.org).unwrap();
    assert_eq!(slug_entry(&t.dd, "acme-v11"), None);
    assert_eq!(slug_entry(&t.dd, "acme-v1"), None);
}

#[test]
fn an_org_from_before_slugs_gets_one_on_first_need() {
    let (_t, dd) = testutil::data_dir(false);
    std::fs::create_dir_all(dd.path("owners")).unwrap();
    let mut txn = Txn::default();
    let first = Owner::new(OwnerType::Org, "Legacy Co");
    let second = Owner::new(OwnerType::Org, "Legacy Co");
    dd.stage_owner(&mut txn, &first).unwrap();
    dd.stage_owner(&mut txn, &second).unwrap();
    txn.commit().unwrap();
    // A file written before slugs has no field: it still reads.
    let text = std::fs::read_to_string(dd.owner_path(&first.owner_id).unwrap()).unwrap();
    assert!(!text.contains("slug"), "{text}");
    let s1 = show(&dd, &Actor::Operator, &first.owner_id).unwrap()["slug"].clone();
    assert_eq!(s1, "legacy-co");
    // Stored, with its index entry: asked again, the same answer without a write.
    assert_eq!(
        dd.owner(&first.owner_id).unwrap().slug.as_deref(),
        Some("legacy-co")
    );
    assert_eq!(
        resolve_ref(&dd, "legacy-co").unwrap(),
        OrgRef::Canonical(first.owner_id.clone())
    );
    let listed = list(&dd, &Actor::Operator).unwrap();
    let mut slugs: Vec<String> = listed["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap().to_string())
        .collect();
    slugs.sort();
    assert_eq!(slugs, ["legacy-co", "legacy-co-2"]);
    // The first write (a rename) also assigns one when still missing.
    let mut txn = Txn::default();
    let third = Owner::new(OwnerType::Org, "Third");
    dd.stage_owner(&mut txn, &third).unwrap();
    txn.commit().unwrap();
    update(
        &dd,
        &Actor::Operator,
        &third.owner_id,
        Some("Third Ltd"),
        None,
    )
    .unwrap();
    assert_eq!(
        dd.owner(&third.owner_id).unwrap().slug.as_deref(),
        Some("third-ltd")
    );
}
