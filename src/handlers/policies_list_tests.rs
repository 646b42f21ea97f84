//! Policy lists paged from the sorted indexes (issue #18): the catalogue (`policy list`) and an
//! owner's list (`GET /v1/owner/policies`) hand out every policy exactly once while policies are
//! added, deleted and rebound between pages, at 12,000 policies; the index is rebuilt when it is
//! missing (a data directory from before it) and stays right through an agent's deletion.

use super::*;
use crate::store::agents::Agent;
use crate::store::bindings::{catalogue_key, owner_list_key};
use crate::store::listindex::{self, Kind};
use crate::store::owners::Owner;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One page: its ids, the list's total and the next cursor.
type Ids = (Vec<String>, usize, Option<String>);

struct Fixture {
    _t: tempfile::TempDir,
    dd: DataDir,
    ann: Owner,
    bob: Owner,
    agents: Vec<Agent>,
}

fn fixture() -> Fixture {
    let (t, dd) = crate::audit::testutil::data_dir(false);
    for d in crate::store::SUBDIRS {
        std::fs::create_dir_all(dd.path(d)).unwrap();
    }
    let ann = Owner::new(OwnerType::User, "Ann");
    let bob = Owner::new(OwnerType::User, "Bob");
    let mut txn = Txn::default();
    dd.stage_owner(&mut txn, &ann).unwrap();
    dd.stage_owner(&mut txn, &bob).unwrap();
    txn.commit().unwrap();
    let agents: Vec<Agent> = (0..3)
        .map(|i| {
            let a = Agent::new(&format!("bot-{i}"), &ann, "AAAA".into());
            dd.register_agent(&a, |_| Ok(())).unwrap();
            a
        })
        .collect();
    Fixture {
        _t: t,
        dd,
        ann,
        bob,
        agents,
    }
}

impl Fixture {
    /// Policy `i`: a third Bob's, the rest Ann's, of those some bound to one of her agents, with
    /// ranks that tie.
    fn policy(&self, i: usize) -> NewPolicy {
        let owner = if i.is_multiple_of(3) {
            &self.bob
        } else {
            &self.ann
        };
        let agent = (owner.owner_id == self.ann.owner_id && i % 5 < 2).then(|| {
            self.agents[i % self.agents.len()]
                .agent_principal_id
                .clone()
        });
        NewPolicy {
            policy_id: None,
            owner_type: OwnerType::User,
            owner_id: owner.owner_id.clone(),
            agent_principal_id: agent,
            name: Some(format!("p{i}")),
            description: None,
            rank: Some((i % 7) as i64 * 10),
            text: "version: 1\ndefault: deny\nrules: []\n".into(),
        }
    }

    /// Every policy's key in a list, straight from the records (what the index must agree with).
    fn keys(&self, kind: Kind, owner: Option<&str>) -> BTreeMap<String, String> {
        let b = self.dd.bindings().unwrap();
        let mut first: HashMap<String, &Binding> = HashMap::new();
        for x in &b.bindings {
            first.entry(x.policy_id.to_ascii_lowercase()).or_insert(x);
        }
        b.policies
            .iter()
            .filter(|p| owner.is_none_or(|o| p.owner_id == o))
            .map(|p| {
                let key = match kind {
                    Kind::Catalogue => catalogue_key(p),
                    _ => owner_list_key(p, first.get(&p.policy_id).copied()),
                };
                (key, p.policy_id.clone())
            })
            .collect()
    }
}

/// Creates policies `range` through the handler's staging, 500 to a transaction (12,000
/// single `create` calls, each synced, would take minutes; a transaction of many puts its index
/// entries together, which exercises chunk splits).
fn create_many(f: &Fixture, range: std::ops::Range<usize>) {
    let ps: Vec<NewPolicy> = range.map(|i| f.policy(i)).collect();
    for batch in ps.chunks(500) {
        let _lock = f.dd.lock().unwrap();
        let before = Bindings::default();
        let mut b = before.clone();
        let mut txn = Txn::default();
        for p in batch {
            stage_create(&f.dd, &mut b, &mut txn, p).unwrap();
        }
        f.dd.stage_policy_change(&mut txn, &before, &b).unwrap();
        txn.commit().unwrap();
    }
}

/// One page of the catalogue as (ids, total, next cursor).
fn catalogue(dd: &DataDir, req: &PageRequest) -> Ids {
    let p = catalogue_page(dd, req).unwrap();
    for (e, bindings) in &p.items {
        assert!(
            bindings.iter().all(|b| b.policy_id == e.policy_id),
            "a row carries only its own bindings"
        );
    }
    let ids = p.items.into_iter().map(|(e, _)| e.policy_id).collect();
    (ids, p.total, p.next_cursor)
}

/// One page of an owner's list as (ids, total, next cursor).
fn owner_page(dd: &DataDir, owner: &str, req: &PageRequest) -> Ids {
    let v = list_for_owner_page(dd, owner, req).unwrap();
    let ids = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["owner_id"], owner);
            assert!(p["policy_yaml"].as_str().unwrap().contains("default: deny"));
            p["policy_id"].as_str().unwrap().to_string()
        })
        .collect();
    (
        ids,
        v["total"].as_u64().unwrap() as usize,
        v["next_cursor"].as_str().map(String::from),
    )
}

/// Every page of a list from the start, unchanged data: the ids in list order.
fn walk(
    f: &Fixture,
    list: &str,
    limit: usize,
    page: &dyn Fn(&DataDir, &PageRequest) -> Ids,
) -> Vec<String> {
    let mut req = PageRequest::new(list, Some(limit), None).unwrap();
    let mut out = Vec::new();
    loop {
        let (ids, _, next) = page(&f.dd, &req);
        out.extend(ids);
        match next {
            Some(c) => req = PageRequest::new(list, Some(limit), Some(&c)).unwrap(),
            None => return out,
        }
    }
}

#[test]
fn twelve_thousand_policies_page_once_each_while_the_catalogue_changes() {
    let f = fixture();
    let dd = &f.dd;
    // Half before the index exists (the first page builds it from the records), half through
    // it (each create puts its entries in the same transaction).
    create_many(&f, 0..6_000);
    assert!(!listindex::is_built(dd.root(), Kind::Catalogue));
    let (first, total, _) = catalogue(dd, &PageRequest::first());
    assert_eq!((first.len(), total), (100, 6_000));
    assert!(listindex::is_built(dd.root(), Kind::Catalogue));
    create_many(&f, 6_000..11_900);
    for i in 11_900..12_000 {
        create(dd, &f.policy(i)).unwrap();
    }

    // The catalogue (oldest first), pages of 1,000: between pages a policy is created (it sorts
    // last: seen once), one not yet seen is deleted (never seen) and one not yet seen is rebound
    // (it keeps its place: seen once, with its new binding).
    let mut keys = f.keys(Kind::Catalogue, None);
    assert_eq!(keys.len(), 12_000);
    let mut deleted = BTreeSet::new();
    let mut rebound = BTreeSet::new();
    let mut seen: Vec<String> = Vec::new();
    let mut req = PageRequest::new(CATALOGUE_LIST, Some(1_000), None).unwrap();
    let mut n = 12_000;
    loop {
        let (ids, total, next) = catalogue(dd, &req);
        assert_eq!(total, keys.len(), "the total follows the catalogue");
        seen.extend(ids);
        let Some(c) = next else { break };
        let cursor = page::decode(CATALOGUE_LIST, &c).unwrap();
        let id = create(dd, &f.policy(n)).unwrap();
        n += 1;
        keys.insert(catalogue_key(&dd.policy_entry(&id).unwrap().unwrap()), id);
        let ahead: Vec<(String, String)> = keys
            .range(cursor.clone()..)
            .filter(|(k, _)| **k != cursor)
            .take(2)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let [(gone_key, gone), (_, moved)] = &ahead[..] {
            delete(dd, None, gone, None).unwrap();
            keys.remove(gone_key);
            deleted.insert(gone.clone());
            let owner = dd
                .owner(&dd.policy_entry(moved).unwrap().unwrap().owner_id)
                .unwrap();
            unbind(dd, moved, None, None, None).unwrap();
            bind(dd, &owner, moved, None, Some(5), None).unwrap();
            rebound.insert(moved.clone());
        }
        req = PageRequest::new(CATALOGUE_LIST, Some(1_000), Some(&c)).unwrap();
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no policy twice");
    assert!(seen.iter().all(|id| !deleted.contains(id)));
    let want: Vec<String> = keys.values().cloned().collect();
    assert_eq!(seen, want, "every policy once, oldest first");
    assert!(rebound.len() >= 10);

    // Ann's list (the owner API's order), pages of 500: a policy created between pages, one
    // not yet seen deleted, one not yet seen rebound to another agent. A rebound policy moves
    // in this order, so it is seen once if its new place is still ahead and not at all if it
    // moved behind; every other policy exactly once.
    let ann = f.ann.owner_id.clone();
    let mut keys = f.keys(Kind::OwnerPolicies, Some(&ann));
    let mut seen: Vec<String> = Vec::new();
    let mut moved_behind = BTreeSet::new();
    let mut deleted = BTreeSet::new();
    let mut req = PageRequest::new(LIST, Some(500), None).unwrap();
    loop {
        let (ids, total, next) = owner_page(dd, &ann, &req);
        assert_eq!(total, keys.len());
        seen.extend(ids);
        let Some(c) = next else { break };
        let cursor = page::decode(LIST, &c).unwrap();
        create(dd, &f.policy(n + 1)).unwrap();
        n += 3;
        let ahead: Vec<String> = keys
            .range(cursor.clone()..)
            .filter(|(k, _)| **k != cursor)
            .take(2)
            .map(|(_, v)| v.clone())
            .collect();
        if let [gone, moved] = &ahead[..] {
            delete(dd, Some(&ann), gone, None).unwrap();
            deleted.insert(gone.clone());
            unbind(dd, moved, Some(&ann), None, None).unwrap();
            let to = &f.agents[n % f.agents.len()].agent_principal_id;
            bind(dd, &f.ann, moved, Some(to), Some(1), None).unwrap();
        }
        keys = f.keys(Kind::OwnerPolicies, Some(&ann));
        if let [_, moved] = &ahead[..]
            && keys.iter().any(|(k, v)| v == moved && *k <= cursor)
        {
            moved_behind.insert(moved.clone());
        }
        req = PageRequest::new(LIST, Some(500), Some(&c)).unwrap();
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no policy twice");
    assert!(seen.iter().all(|id| !deleted.contains(id)));
    let mut want: Vec<String> = Vec::new();
    for id in f.keys(Kind::OwnerPolicies, Some(&ann)).into_values() {
        if !moved_behind.contains(&id) {
            want.push(id);
        }
    }
    let mut got = seen.clone();
    got.sort();
    want.sort();
    // Policies created behind the cursor (Ann's new agent-bound ones sort early) are the
    // only others a walk may miss; each policy that existed from the start is seen.
    let got_set: BTreeSet<&String> = got.iter().collect();
    let missing: Vec<&String> = want.iter().filter(|id| !got_set.contains(id)).collect();
    for id in &missing {
        let e = dd.policy_entry(id).unwrap().unwrap();
        assert!(
            e.name
                .as_deref()
                .is_some_and(|n| n[1..].parse::<usize>().unwrap() >= 12_000),
            "{id} ({:?}) existed before the walk and was not seen",
            e.name
        );
    }
    // The index agrees with the records, key for key, in both lists.
    let ids = walk(&f, CATALOGUE_LIST, 1_000, &|dd, r| catalogue(dd, r));
    assert_eq!(
        ids,
        f.keys(Kind::Catalogue, None)
            .into_values()
            .collect::<Vec<_>>()
    );
    let ids = walk(&f, LIST, 1_000, &|dd, r| owner_page(dd, &ann, r));
    assert_eq!(
        ids,
        f.keys(Kind::OwnerPolicies, Some(&ann))
            .into_values()
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_missing_index_is_rebuilt_and_agent_deletion_keeps_it_right() {
    let f = fixture();
    let dd = &f.dd;
    create_many(&f, 0..650);
    for i in 650..700 {
        create(dd, &f.policy(i)).unwrap();
    }
    let ann = f.ann.owner_id.clone();
    let bob = f.bob.owner_id.clone();
    let lists = |f: &Fixture| {
        (
            walk(f, CATALOGUE_LIST, 300, &|dd, r| catalogue(dd, r)),
            walk(f, LIST, 300, &|dd, r| owner_page(dd, &ann, r)),
            walk(f, LIST, 300, &|dd, r| owner_page(dd, &bob, r)),
        )
    };
    let before = lists(&f);
    assert_eq!(before.0.len(), 700);
    assert_eq!(before.1.len() + before.2.len(), 700);
    // A data directory from before the index, or one whose index was removed: rebuilt from the
    // records on the next read, with the same pages (and the cursors handed out before work).
    let (_, _, cursor) = owner_page(dd, &ann, &PageRequest::new(LIST, Some(300), None).unwrap());
    std::fs::remove_dir_all(dd.root().join("indexes").join("lists")).unwrap();
    let (ids, _, _) = owner_page(
        dd,
        &ann,
        &PageRequest::new(LIST, Some(300), cursor.as_deref()).unwrap(),
    );
    assert_eq!(ids[..], before.1[300..before.1.len().min(600)]);
    assert_eq!(lists(&f), before);
    // A damaged chunk is a cache problem: the list rebuilds the index and answers.
    let m = listindex::manifest(dd.root(), Kind::Catalogue, listindex::ALL)
        .unwrap()
        .unwrap();
    let chunk = dd
        .root()
        .join("indexes/lists/policies/all")
        .join(&m.chunks[0].file);
    std::fs::write(&chunk, "not\tan index line\n").unwrap();
    assert_eq!(lists(&f), before);

    // Deleting an agent removes its bindings and the policies bound to it alone: they leave
    // both lists, and the rest keep their places.
    let gone = &f.agents[1];
    let bound: BTreeSet<String> = dd
        .policies_bound_to_agent(&gone.agent_principal_id)
        .unwrap()
        .policies
        .into_iter()
        .map(|p| p.policy_id)
        .collect();
    assert!(!bound.is_empty());
    let out = super::super::agents::admin_delete(dd, &gone.agent_principal_id, None).unwrap();
    assert_eq!(out["policies_removed"], bound.len());
    let after = lists(&f);
    let keep = |v: &Vec<String>| -> Vec<String> {
        v.iter()
            .filter(|id| !bound.contains(*id))
            .cloned()
            .collect()
    };
    assert_eq!(after.0, keep(&before.0));
    assert_eq!(after.2, before.2);
    let mut ann_ids = after.1.clone();
    ann_ids.sort();
    let mut want = keep(&before.1);
    want.sort();
    assert_eq!(ann_ids, want);
    assert_eq!(
        after.1,
        f.keys(Kind::OwnerPolicies, Some(&ann))
            .into_values()
            .collect::<Vec<_>>()
    );
    // A garbage collection leaves the lists alone.
    super::super::gc::run(dd, &dd.config().unwrap(), crate::timefmt::now(), false).unwrap();
    assert_eq!(lists(&f), after);
    // Deleting a user deletes their policies (found through their scope of the index): they
    // leave the catalogue in the same transaction.
    super::super::users::delete_user(dd, &dd.config().unwrap(), &bob, None, None).unwrap();
    let (catalogue_ids, ann_ids, bob_ids) = lists(&f);
    assert!(bob_ids.is_empty());
    assert_eq!(ann_ids, after.1);
    assert_eq!(
        catalogue_ids,
        after
            .0
            .iter()
            .filter(|id| !after.2.contains(id))
            .cloned()
            .collect::<Vec<_>>()
    );
}

#[test]
fn bad_cursors_and_limits_are_refused() {
    let f = fixture();
    let dd = &f.dd;
    create(dd, &f.policy(1)).unwrap();
    // A cursor of another list, an edited one, a limit out of range.
    let agents_cursor = page::encode("agents", "x");
    for (limit, cursor) in [
        (Some(10), Some(agents_cursor.as_str())),
        (Some(10), Some("bm90LWEtY3Vyc29y")),
        (Some(0), None),
        (Some(1_001), None),
    ] {
        let e = PageRequest::new(LIST, limit, cursor).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
    }
    // A cursor of the catalogue is not one of the owner list, and the reverse.
    let c = page::encode(CATALOGUE_LIST, "k");
    assert_eq!(
        PageRequest::new(LIST, None, Some(&c)).unwrap_err().code,
        ErrorCode::InvalidRequest
    );
    // A cursor past the end: an empty last page.
    let req = PageRequest::new(LIST, None, Some(&page::encode(LIST, "\u{10ffff}"))).unwrap();
    let (ids, total, next) = owner_page(dd, &f.ann.owner_id, &req);
    assert!(ids.is_empty() && next.is_none());
    assert_eq!(total, 1);
}
