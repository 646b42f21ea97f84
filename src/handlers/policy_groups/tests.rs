use super::*;
use crate::audit::testutil;
use crate::handlers::orgs::{self, INVITE_TTL_SECONDS};
use crate::store::agents::Agent;
use crate::store::bindings::{Binding, PolicyEntry};
use crate::store::orgs::OrgRole;
use crate::store::owners::{Owner, OwnerType};

fn add_user(dd: &DataDir, name: &str) -> String {
    let o = Owner::new(OwnerType::User, name);
    let mut txn = Txn::default();
    std::fs::create_dir_all(dd.path("owners")).unwrap();
    dd.stage_owner(&mut txn, &o).unwrap();
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

fn event_types(dd: &DataDir) -> Vec<String> {
    dd.audit_query(&crate::audit::Filter::default(), 10_000)
        .unwrap()
        .events
        .into_iter()
        .map(|e| e.event_type)
        .collect()
}

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
    for d in crate::store::SUBDIRS {
        std::fs::create_dir_all(dd.path(d)).unwrap();
    }
    let admin = add_user(&dd, "Ada");
    let member = add_user(&dd, "Max");
    let viewer = add_user(&dd, "Vera");
    let outsider = add_user(&dd, "Otto");
    let org = orgs::create(&dd, &user(&admin), "Acme").unwrap()["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    let now = crate::timefmt::now();
    for (u, role) in [(&member, OrgRole::OrgMember), (&viewer, OrgRole::OrgViewer)] {
        let inv = orgs::invite(&dd, &user(&admin), &org, u, role, now, INVITE_TTL_SECONDS).unwrap();
        orgs::accept(&dd, &user(u), inv["invite_id"].as_str().unwrap(), now).unwrap();
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

fn agent(dd: &DataDir, owner_id: &str, name: &str) -> String {
    let owner = dd.owner(owner_id).unwrap();
    let a = Agent::new(name, &owner, "AAAA".into());
    dd.register_agent(&a, |_| Ok(())).unwrap();
    a.agent_principal_id
}

fn new_group(name: &str) -> NewGroup {
    NewGroup {
        name: name.to_string(),
        ..NewGroup::default()
    }
}

#[test]
fn crud_slugs_membership_and_audit() {
    let t = team();
    let admin = user(&t.admin);
    let g = org_create(&t.dd, &admin, &t.org, new_group("Data Science")).unwrap();
    assert_eq!(g["slug"], "data-science");
    let gid = g["group_id"].as_str().unwrap().to_string();
    // Same name again: a unique slug is made; an explicit taken slug is refused.
    let g2 = org_create(&t.dd, &admin, &t.org, new_group("Data Science")).unwrap();
    assert_eq!(g2["slug"], "data-science-2");
    let taken = NewGroup {
        slug: Some("data-science".into()),
        ..new_group("Other")
    };
    assert_eq!(
        code(org_create(&t.dd, &admin, &t.org, taken)),
        ErrorCode::SlugTaken
    );
    let bad = NewGroup {
        slug: Some("Bad Slug".into()),
        ..new_group("Other")
    };
    assert_eq!(
        code(org_create(&t.dd, &admin, &t.org, bad)),
        ErrorCode::InvalidSlug
    );
    assert_eq!(
        code(org_create(&t.dd, &admin, &t.org, new_group("  "))),
        ErrorCode::InvalidBody
    );

    let bot = agent(&t.dd, &t.org, "bot");
    let added = org_add_agent(&t.dd, &admin, &t.org, &gid, &bot).unwrap();
    assert_eq!(added["status"], "added");
    let again = org_add_agent(&t.dd, &admin, &t.org, &gid, &bot).unwrap();
    assert_eq!(again["status"], "already_member");
    assert_eq!(again["membership_id"], added["membership_id"]);
    assert_eq!(t.dd.agent_group_ids(&bot).unwrap(), vec![gid.clone()]);
    // An agent of another owner cannot join.
    let foreign = agent(&t.dd, &t.admin, "mine");
    assert_eq!(
        code(org_add_agent(&t.dd, &admin, &t.org, &gid, &foreign)),
        ErrorCode::NotFound
    );

    let listed = org_list(&t.dd, &user(&t.viewer), &t.org).unwrap();
    assert_eq!(listed["groups"].as_array().unwrap().len(), 2);
    let shown = org_show(&t.dd, &user(&t.viewer), &t.org, &gid).unwrap();
    assert_eq!(shown["agents"][0]["agent_principal_id"], bot.as_str());
    assert_eq!(shown["agents"][0]["agent_id"], "bot");

    let u = GroupUpdate {
        name: Some("DS".into()),
        slug: Some("ds".into()),
        description: Some("the lab".into()),
    };
    let updated = org_update(&t.dd, &admin, &t.org, &gid, u).unwrap();
    assert_eq!(updated["slug"], "ds");
    assert_eq!(updated["description"], "the lab");
    let clash = GroupUpdate {
        slug: Some("data-science-2".into()),
        ..GroupUpdate::default()
    };
    assert_eq!(
        code(org_update(&t.dd, &admin, &t.org, &gid, clash)),
        ErrorCode::SlugTaken
    );

    // A policy bound to the group blocks its deletion until removed.
    let org = roles::org(&t.dd, &t.org).unwrap();
    let p = create_group_policy(
        &t.dd,
        &org,
        crate::profiles::BALANCED,
        &gid,
        Some("ds rules".into()),
        None,
    )
    .unwrap();
    let pid = p["policy_id"].as_str().unwrap().to_string();
    assert_eq!(p["applies_to_group_id"], gid.as_str());
    let shown = org_show(&t.dd, &admin, &t.org, &gid).unwrap();
    assert_eq!(shown["bound_policies"][0]["policy_id"], pid.as_str());
    let err = org_delete(&t.dd, &admin, &t.org, &gid).unwrap_err();
    assert_eq!(err.code, ErrorCode::GroupHasPolicies);
    crate::handlers::policies::delete(&t.dd, Some(&t.org), &pid, None).unwrap();

    let removed = org_remove_agent(&t.dd, &admin, &t.org, &gid, &bot).unwrap();
    assert_eq!(removed["status"], "removed");
    assert!(t.dd.agent_group_ids(&bot).unwrap().is_empty());
    assert_eq!(
        code(org_remove_agent(&t.dd, &admin, &t.org, &gid, &bot)),
        ErrorCode::NotFound
    );
    org_add_agent(&t.dd, &admin, &t.org, &gid, &bot).unwrap();
    let deleted = org_delete(&t.dd, &admin, &t.org, &gid).unwrap();
    assert_eq!(deleted["status"], "deleted");
    // Memberships go with the group.
    assert!(t.dd.agent_group_ids(&bot).unwrap().is_empty());
    assert_eq!(
        code(org_show(&t.dd, &admin, &t.org, &gid)),
        ErrorCode::NotFound
    );

    let types = event_types(&t.dd);
    for kind in [
        "POLICY_GROUP_CREATED",
        "POLICY_GROUP_UPDATED",
        "POLICY_GROUP_AGENT_ADDED",
        "POLICY_GROUP_AGENT_REMOVED",
        "POLICY_GROUP_DELETED",
    ] {
        assert!(types.iter().any(|t| t == kind), "{kind} missing: {types:?}");
    }
}

#[test]
fn group_policy_validation() {
    let t = team();
    let org = roles::org(&t.dd, &t.org).unwrap();
    let unknown = crate::ids::new_id();
    let e = create_group_policy(&t.dd, &org, crate::profiles::BALANCED, &unknown, None, None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidGroup);
    // A group of another owner is not this org's.
    let mine = crate::store::owners::Owner::new(OwnerType::User, "x");
    let other = create(&t.dd, &mine, new_group("Solo"), None).unwrap();
    let e = create_group_policy(
        &t.dd,
        &org,
        crate::profiles::BALANCED,
        other["group_id"].as_str().unwrap(),
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidGroup);
    // Both tiers at once is refused by the org face.
    let g = org_create(&t.dd, &user(&t.admin), &t.org, new_group("G")).unwrap();
    let bot = agent(&t.dd, &t.org, "bot");
    let p = crate::handlers::org_resources::NewOrgPolicy {
        text: crate::profiles::BALANCED,
        agent_principal_id: Some(&bot),
        group_id: g["group_id"].as_str(),
        name: None,
        description: None,
    };
    let e = crate::handlers::org_resources::create_policy(&t.dd, &Actor::Operator, &t.org, p, None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidBody);
}

/// One cell per (group operation, role): viewers read, only admins change, outsiders nothing.
#[test]
fn role_matrix() {
    let t = team();
    let gid = org_create(&t.dd, &user(&t.admin), &t.org, new_group("G")).unwrap()["group_id"]
        .as_str()
        .unwrap()
        .to_string();
    let bot = agent(&t.dd, &t.org, "bot");
    let who = [
        (&t.viewer, OrgRole::OrgViewer),
        (&t.member, OrgRole::OrgMember),
        (&t.admin, OrgRole::OrgAdmin),
    ];
    let ops = [
        Op::GroupsList,
        Op::GroupShow,
        Op::GroupCreate,
        Op::GroupUpdate,
        Op::GroupAgentAdd,
        Op::GroupAgentRemove,
        Op::GroupDelete,
    ];
    let run = |actor: &Actor, op: Op| -> Result<Value> {
        match op {
            Op::GroupsList => org_list(&t.dd, actor, &t.org),
            Op::GroupShow => org_show(&t.dd, actor, &t.org, &gid),
            Op::GroupCreate => org_create(&t.dd, actor, &t.org, new_group("New")),
            Op::GroupUpdate => org_update(&t.dd, actor, &t.org, &gid, GroupUpdate::default()),
            Op::GroupAgentAdd => org_add_agent(&t.dd, actor, &t.org, &gid, &bot),
            Op::GroupAgentRemove => {
                org_add_agent(&t.dd, &user(&t.admin), &t.org, &gid, &bot)?;
                org_remove_agent(&t.dd, actor, &t.org, &gid, &bot)
            }
            Op::GroupDelete => {
                let g = org_create(&t.dd, &user(&t.admin), &t.org, new_group("Doomed"))?;
                org_delete(
                    &t.dd,
                    actor,
                    &t.org,
                    g["group_id"].as_str().unwrap_or_default(),
                )
            }
            _ => unreachable!(),
        }
    };
    for op in ops {
        for (u, role) in who {
            let r = run(&user(u), op);
            if role >= op.min_role() {
                assert!(r.is_ok(), "{op:?} as {role:?}: {:?}", r.err());
            } else {
                assert_eq!(code(r), ErrorCode::Forbidden, "{op:?} as {role:?}");
            }
        }
        assert_eq!(
            code(run(&user(&t.outsider), op)),
            ErrorCode::Forbidden,
            "{op:?} as outsider"
        );
    }
    // The role check comes first: a viewer learns nothing about an unknown group.
    let unknown = crate::ids::new_id();
    assert_eq!(
        code(org_update(
            &t.dd,
            &user(&t.viewer),
            &t.org,
            &unknown,
            GroupUpdate::default()
        )),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(org_show(&t.dd, &user(&t.admin), &t.org, &unknown)),
        ErrorCode::NotFound
    );
}

/// Upstream `policy-resolution.test.ts` (`orderBindingsBySpecificity`), case by case: each row
/// is the bindings (name, tier, rank) in insertion order, the agent's groups, and the expected
/// chain. Checked on the in-memory catalogue and on the per-agent indexes a decision reads.
#[test]
fn resolution_follows_upstream_examples() {
    #[derive(Clone, Copy)]
    enum T {
        Owner,
        Agent(&'static str),
        Group(&'static str),
    }
    type Case = (
        &'static str,
        &'static [(&'static str, T, Option<i64>)],
        &'static [&'static str],
        &'static [&'static str],
    );
    use T::*;
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("empty", &[], &[], &[]),
        ("single owner-wide", &[("p-1", Owner, None)], &[], &["p-1"]),
        ("agent > group > owner", &[("p-owner", Owner, None), ("p-hr", Group("hr"), None), ("p-agent", Agent("a"), None)], &["hr"], &["p-agent", "p-hr", "p-owner"]),
        ("skips groups the agent is not in", &[("p-hr", Group("hr"), None), ("p-fin", Group("fin"), None)], &["hr"], &["p-hr"]),
        ("skips other agents", &[("p-b", Agent("b"), None), ("p-owner", Owner, None)], &[], &["p-owner"]),
        ("multiple groups", &[("p-owner", Owner, None), ("p-hr", Group("hr"), Some(100)), ("p-finance", Group("fin"), Some(200))], &["hr", "fin"], &["p-hr", "p-finance", "p-owner"]),
        ("owner-wide by rank", &[("p-late", Owner, Some(300)), ("p-early", Owner, Some(100)), ("p-middle", Owner, Some(200))], &[], &["p-early", "p-middle", "p-late"]),
        ("tier dominates rank", &[("p-grp-late", Group("hr"), Some(999)), ("p-grp-early", Group("hr"), Some(1)), ("p-agent", Agent("a"), Some(9999))], &["hr"], &["p-agent", "p-grp-early", "p-grp-late"]),
        ("absent rank is 100", &[("p-200", Owner, Some(200)), ("p-default", Owner, None), ("p-50", Owner, Some(50))], &[], &["p-50", "p-default", "p-200"]),
        ("equal ranks keep insertion order", &[("p-a", Owner, Some(100)), ("p-b", Owner, Some(100)), ("p-c", Owner, Some(100))], &[], &["p-a", "p-b", "p-c"]),
        ("group rank is global across groups", &[("p-fin", Group("fin"), Some(200)), ("p-eng", Group("hr"), Some(100)), ("p-eng-2", Group("hr"), Some(300))], &["hr", "fin"], &["p-eng", "p-fin", "p-eng-2"]),
    ];
    for (name, bindings, groups, expected) in cases {
        let (_t, dd) = testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let owner = crate::store::owners::Owner::new(OwnerType::Org, "Acme");
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &owner).unwrap();
        txn.commit().unwrap();
        let a = agent(&dd, &owner.owner_id, "a");
        let b = agent(&dd, &owner.owner_id, "b");
        let mut gids = std::collections::HashMap::new();
        for g in ["hr", "fin"] {
            let r = create(&dd, &owner, new_group(g), None).unwrap();
            gids.insert(g, r["group_id"].as_str().unwrap().to_string());
        }
        for g in *groups {
            add_agent(&dd, &owner.owner_id, &gids[g], &a, None).unwrap();
        }
        let mut names = std::collections::HashMap::new();
        let mut cat = Bindings::default();
        for (pname, tier, rank) in *bindings {
            let id = crate::ids::new_id();
            names.insert(id.clone(), *pname);
            cat.policies.push(PolicyEntry {
                policy_id: id.clone(),
                owner_type: OwnerType::Org,
                owner_id: owner.owner_id.clone(),
                name: None,
                description: None,
                created_at: crate::timefmt::now_string(),
                updated_at: None,
            });
            let (agent_pid, group_id) = match tier {
                Owner => (None, None),
                Agent("a") => (Some(a.clone()), None),
                Agent(_) => (Some(b.clone()), None),
                Group(g) => (None, Some(gids[g].clone())),
            };
            cat.bindings.push(Binding {
                policy_id: id,
                owner_type: OwnerType::Org,
                owner_id: owner.owner_id.clone(),
                agent_principal_id: agent_pid,
                group_id,
                rank: *rank,
            });
        }
        let mut txn = Txn::default();
        dd.stage_bindings(&mut txn, &cat).unwrap();
        txn.commit().unwrap();
        let my_groups = dd.agent_group_ids(&a).unwrap();
        let in_memory: Vec<&str> = cat
            .layers_for_agent(&owner.owner_id, &a, &my_groups)
            .iter()
            .map(|x| names[&x.policy_id])
            .collect();
        assert_eq!(&in_memory, expected, "{name} (catalogue)");
        let indexed: Vec<&str> = dd
            .bindings_for_agent(&owner.owner_id, &a)
            .unwrap()
            .iter()
            .map(|x| names[&x.policy_id])
            .collect();
        assert_eq!(&indexed, expected, "{name} (indexes)");
    }
}

/// A decision for an org agent picks up its group's policy; one outside the group does not;
/// removing the agent from the group takes effect at the next decision.
#[test]
fn authorize_uses_the_group_tier() {
    let t = team();
    let admin = user(&t.admin);
    let org = roles::org(&t.dd, &t.org).unwrap();
    let gid = org_create(&t.dd, &admin, &t.org, new_group("G")).unwrap()["group_id"]
        .as_str()
        .unwrap()
        .to_string();
    let inside = agent(&t.dd, &t.org, "inside");
    let outside = agent(&t.dd, &t.org, "outside");
    org_add_agent(&t.dd, &admin, &t.org, &gid, &inside).unwrap();
    let p = create_group_policy(&t.dd, &org, crate::profiles::BALANCED, &gid, None, None).unwrap();
    let resolve = |pid: &str| {
        let a = t.dd.agent_by_principal(pid).unwrap();
        crate::policy::resolve::resolve_for_agent(&t.dd, &a)
    };
    let eff = resolve(&inside).unwrap();
    assert_eq!(eff.layers.len(), 1);
    assert_eq!(eff.layers[0].policy_id, p["policy_id"].as_str().unwrap());
    assert_eq!(
        resolve(&outside).err().map(|e| e.code),
        Some(ErrorCode::NoPolicy)
    );
    org_remove_agent(&t.dd, &admin, &t.org, &gid, &inside).unwrap();
    assert_eq!(
        resolve(&inside).err().map(|e| e.code),
        Some(ErrorCode::NoPolicy)
    );
}

/// Binding a group's policy owner-wide adds an owner-wide binding beside the group one: the group
/// binding is never mistaken for it (both have no agent).
#[test]
fn owner_wide_bind_of_a_group_policy_adds_a_binding() {
    let t = team();
    let org = roles::org(&t.dd, &t.org).unwrap();
    let gid = org_create(&t.dd, &user(&t.admin), &t.org, new_group("G")).unwrap()["group_id"]
        .as_str()
        .unwrap()
        .to_string();
    let pid = create_group_policy(&t.dd, &org, crate::profiles::BALANCED, &gid, None, None)
        .unwrap()["policy_id"]
        .as_str()
        .unwrap()
        .to_string();
    let outside = agent(&t.dd, &t.org, "outside");
    assert!(crate::handlers::policies::bind(&t.dd, &org, &pid, None, Some(500), None).unwrap());
    let view = t.dd.policy_view(&pid).unwrap();
    assert_eq!(view.bindings.len(), 2);
    assert_eq!(
        t.dd.bindings_for_group(&t.org, &gid).unwrap()[0].rank,
        Some(100)
    );
    let a = t.dd.agent_by_principal(&outside).unwrap();
    assert_eq!(
        crate::policy::resolve::resolve_for_agent(&t.dd, &a)
            .unwrap()
            .layers
            .len(),
        1
    );
}

/// A policy of `owner` bound to `agent` only, or (with `owner_wide`) also owner-wide.
fn agent_policy(dd: &DataDir, owner: &str, agent: &str, owner_wide: bool) -> String {
    let o = dd.owner(owner).unwrap();
    let p = crate::handlers::policies::NewPolicy {
        policy_id: None,
        owner_type: o.owner_type,
        owner_id: o.owner_id.clone(),
        agent_principal_id: Some(agent.to_string()),
        name: None,
        description: None,
        rank: None,
        text: crate::profiles::BALANCED.to_string(),
    };
    let id = crate::handlers::policies::create(dd, &p).unwrap();
    if owner_wide {
        let lock = dd.lock().unwrap();
        let before = dd.policy_view(&id).unwrap();
        let mut after = before.clone();
        let mut b = after.bindings[0].clone();
        b.agent_principal_id = None;
        after.bindings.push(b);
        let mut txn = Txn::default();
        dd.stage_policy_change(&mut txn, &before, &after).unwrap();
        txn.commit().unwrap();
        drop(lock);
    }
    id
}

#[test]
fn admin_delete_removes_the_agent_its_memberships_and_its_own_policies() {
    let t = team();
    let admin = user(&t.admin);
    let bot = agent(&t.dd, &t.org, "bot");
    let other = agent(&t.dd, &t.org, "other");
    let mut gids = Vec::new();
    for name in ["Ops", "Lab"] {
        let g = org_create(&t.dd, &admin, &t.org, new_group(name)).unwrap();
        let gid = g["group_id"].as_str().unwrap().to_string();
        org_add_agent(&t.dd, &admin, &t.org, &gid, &bot).unwrap();
        org_add_agent(&t.dd, &admin, &t.org, &gid, &other).unwrap();
        gids.push(gid);
    }
    let own = agent_policy(&t.dd, &t.org, &bot, false);
    let shared = agent_policy(&t.dd, &t.org, &bot, true);
    let kept = agent_policy(&t.dd, &t.org, &other, false);

    let out =
        crate::handlers::agents::admin_delete(&t.dd, &bot.to_ascii_uppercase(), Some(&t.admin))
            .unwrap();
    assert_eq!(out["agent_principal_id"], bot.as_str());
    assert_eq!(out["status"], "deleted");
    assert_eq!(out["policies_removed"], 1);
    assert_eq!(out["bindings_removed"], 2);
    assert_eq!(out["memberships_removed"], 2);
    assert_eq!(out["approval_requests_removed"], 0);

    assert_eq!(
        t.dd.agent_by_principal(&bot).unwrap_err().code,
        ErrorCode::AgentNotFound
    );
    assert!(t.dd.agent_group_ids(&bot).unwrap().is_empty());
    for gid in &gids {
        let g = t.dd.group(gid).unwrap().unwrap();
        assert!(g.member(&bot).is_none());
        assert!(g.member(&other).is_some(), "other members stay");
    }
    // The policy bound to it alone is gone with its file; the shared one lost only its binding.
    assert!(t.dd.policy_entry(&own).unwrap().is_none());
    assert!(!t.dd.policy_path(&own).unwrap().exists());
    let v = t.dd.policy_view(&shared).unwrap();
    assert_eq!(v.bindings.len(), 1);
    assert!(v.bindings[0].is_owner_wide());
    assert!(t.dd.policy_entry(&kept).unwrap().is_some());
    // Its ACTIVE marker and agent_id went too: the id can be registered again at once.
    assert!(!t.dd.path("agents").join("active").join(&bot).exists());
    assert_eq!(t.dd.agent_principal_for("bot").unwrap(), None);
    agent(&t.dd, &t.org, "bot");

    let ev =
        t.dd.audit_query(&crate::audit::Filter::default(), 10_000)
            .unwrap()
            .events
            .into_iter()
            .rfind(|e| e.event_type == "AGENT_DELETED")
            .unwrap();
    assert_eq!(ev.metadata_json["agent_id"], "bot");
    assert_eq!(ev.metadata_json["owner_id"], t.org.as_str());
    assert_eq!(ev.metadata_json["deleted_by"], t.admin.as_str());
    assert_eq!(ev.metadata_json["policy_ids_removed"], json!([own]));
    assert_eq!(
        ev.metadata_json["group_ids_left"].as_array().unwrap().len(),
        2
    );

    // Gone or unknown: NOT_FOUND, as upstream; not an id: INVALID_ID.
    for (id, want) in [
        (bot.as_str(), ErrorCode::NotFound),
        ("3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a", ErrorCode::NotFound),
        ("bot", ErrorCode::InvalidId),
        ("../x", ErrorCode::InvalidId),
    ] {
        assert_eq!(
            code(crate::handlers::agents::admin_delete(&t.dd, id, None)),
            want,
            "{id}"
        );
    }
}

#[test]
fn a_transferred_agent_leaves_its_old_owners_groups() {
    let t = team();
    let admin = user(&t.admin);
    let bot = agent(&t.dd, &t.org, "bot");
    let g = org_create(&t.dd, &admin, &t.org, new_group("Ops")).unwrap();
    let gid = g["group_id"].as_str().unwrap().to_string();
    org_add_agent(&t.dd, &admin, &t.org, &gid, &bot).unwrap();
    let org = roles::org(&t.dd, &t.org).unwrap();
    create_group_policy(&t.dd, &org, crate::profiles::BALANCED, &gid, None, None).unwrap();

    let out =
        crate::handlers::org_resources::transfer_to_user(&t.dd, &admin, &t.org, &bot).unwrap();
    assert_eq!(out["owner_id"], t.admin.as_str());
    assert!(t.dd.agent_group_ids(&bot).unwrap().is_empty());
    assert!(t.dd.group(&gid).unwrap().unwrap().members.is_empty());
    // The org's group policy no longer reaches it.
    let a = t.dd.agent_by_principal(&bot).unwrap();
    assert!(
        t.dd.bindings_for_agent(&a.owner_id, &a.agent_principal_id)
            .unwrap()
            .iter()
            .all(|b| b.group_id.is_none())
    );
    let ev =
        t.dd.audit_query(&crate::audit::Filter::default(), 10_000)
            .unwrap()
            .events
            .into_iter()
            .rfind(|e| e.event_type == "AGENT_TRANSFERRED")
            .unwrap();
    assert_eq!(ev.metadata_json["group_ids_left"], json!([gid]));
    // And back: it is in no group of the org until someone adds it again.
    crate::handlers::org_resources::transfer_to_org(&t.dd, &admin, &bot, &t.org).unwrap();
    assert!(t.dd.agent_group_ids(&bot).unwrap().is_empty());
}

/// Backdates every file and directory under `dir`, so that the chain resolved next counts as
/// settled and is kept (inputs changed within 2 s are never cached).
fn settle(dir: &std::path::Path) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            settle(&path);
        }
        std::fs::File::open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
}

/// A policy allowing action `rule` by a rule of that id (so layers tell their source).
fn allow(rule: &str) -> String {
    format!(
        "version: 1\ndefault: passthrough\nrules:\n  - id: {rule}\n    effect: allow\n    action: {rule}\n"
    )
}

/// The cached chain of an agent is reused while its inputs are unchanged, and every kind of
/// change to them, made the way another process (the CLI) makes it, is seen at the next
/// resolution: memberships, group and owner-wide and agent bindings, ranks, policy texts,
/// records deleted by hand, and the agent's owner.
#[test]
fn a_cached_chain_sees_every_change_to_its_inputs() {
    use crate::policy::resolve::resolve_for_agent;
    let t = team();
    let admin = user(&t.admin);
    let org = roles::org(&t.dd, &t.org).unwrap();
    let group = |name: &str| {
        org_create(&t.dd, &admin, &t.org, new_group(name)).unwrap()["group_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (g1, g2) = (group("G1"), group("G2"));
    let policy_of_group = |gid: &str, rule: &str| {
        create_group_policy(&t.dd, &org, &allow(rule), gid, None, None).unwrap()["policy_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let p1 = policy_of_group(&g1, "one");
    let p2 = policy_of_group(&g2, "two");
    let owner_wide = crate::handlers::policies::create(
        &t.dd,
        &crate::handlers::policies::NewPolicy {
            policy_id: None,
            owner_type: org.owner_type,
            owner_id: org.owner_id.clone(),
            agent_principal_id: None,
            name: None,
            description: None,
            rank: None,
            text: allow("wide"),
        },
    )
    .unwrap();
    let pid = agent(&t.dd, &t.org, "bot");
    org_add_agent(&t.dd, &admin, &t.org, &g1, &pid).unwrap();
    let a = t.dd.agent_by_principal(&pid).unwrap();
    let rules = |eff: &crate::policy::EffectivePolicy| -> Vec<String> {
        eff.layers
            .iter()
            .map(|l| l.policy.rules[0].id.to_string())
            .collect()
    };
    // Resolves twice after settling: the second is the first, shared (nothing re-read).
    let settled = || {
        settle(t.dd.root());
        let first = resolve_for_agent(&t.dd, &a).unwrap();
        let again = resolve_for_agent(&t.dd, &a).unwrap();
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "a settled chain is reused"
        );
        rules(&first)
    };
    assert_eq!(settled(), ["one", "wide"]);

    // Joining a group (a new entry in the agent's membership directory).
    org_add_agent(&t.dd, &admin, &t.org, &g2, &pid).unwrap();
    let fresh = resolve_for_agent(&t.dd, &a).unwrap();
    assert_eq!(rules(&fresh), ["one", "two", "wide"]);
    // Changed just now: not kept, so a second change within the same tick cannot hide.
    assert!(!std::sync::Arc::ptr_eq(
        &fresh,
        &resolve_for_agent(&t.dd, &a).unwrap()
    ));
    assert_eq!(settled(), ["one", "two", "wide"]);

    // A new rank order in the group tier (only the two policy records change).
    crate::handlers::groups::reorder(
        &t.dd,
        &t.org,
        crate::handlers::groups::Tier::Group,
        &[p2.clone(), p1.clone()],
        None,
    )
    .unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["two", "one", "wide"]
    );
    settled();

    // The owner-wide policy's text edited in place by hand (a new inode, same record).
    crate::store::write_atomic(
        &t.dd.policy_path(&owner_wide).unwrap(),
        allow("edited").as_bytes(),
    )
    .unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["two", "one", "edited"]
    );
    settled();

    // Leaving a group.
    org_remove_agent(&t.dd, &admin, &t.org, &g2, &pid).unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["one", "edited"]
    );
    settled();

    // A group's policy deleted (the group's binding index changes).
    crate::handlers::policies::delete(&t.dd, Some(&t.org), &p1, None).unwrap();
    assert_eq!(rules(&resolve_for_agent(&t.dd, &a).unwrap()), ["edited"]);
    settled();

    // A policy bound to the agent itself comes first.
    let own = crate::handlers::policies::NewPolicy {
        policy_id: None,
        owner_type: org.owner_type,
        owner_id: org.owner_id.clone(),
        agent_principal_id: Some(pid.clone()),
        name: None,
        description: None,
        rank: None,
        text: allow("mine"),
    };
    crate::handlers::policies::create(&t.dd, &own).unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["mine", "edited"]
    );
    settled();

    // A new owner-wide binding after the existing one.
    crate::handlers::policies::bind(&t.dd, &org, &p2, None, Some(500), None).unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["mine", "edited", "two"]
    );
    settled();

    // The owner-wide policy's record removed by hand: its index entry no longer counts.
    std::fs::remove_file(t.dd.root().join(format!("policies/{owner_wide}.json"))).unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["mine", "two"]
    );
    settled();

    // The same agent under another owner (moved): its chain is not the cached one.
    let moved = Agent {
        owner_id: t.admin.clone(),
        ..a.clone()
    };
    assert_eq!(
        resolve_for_agent(&t.dd, &moved).err().map(|e| e.code),
        Some(ErrorCode::NoPolicy)
    );
    // A broken policy text fails closed at once, and a fixed one is picked up.
    let p2_path = t.dd.policy_path(&p2).unwrap();
    crate::store::write_atomic(&p2_path, b"version: 1\ndefault: maybe\n").unwrap();
    assert_eq!(
        resolve_for_agent(&t.dd, &a).err().map(|e| e.code),
        Some(ErrorCode::PolicyInvalid)
    );
    crate::store::write_atomic(&p2_path, allow("fixed").as_bytes()).unwrap();
    assert_eq!(
        rules(&resolve_for_agent(&t.dd, &a).unwrap()),
        ["mine", "fixed"]
    );
    assert_eq!(settled(), ["mine", "fixed"]);
}
