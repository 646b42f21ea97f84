//! Approval lists paged from the sorted index: the same items as a pass over every record, each
//! exactly once while requests are added between pages, at 10,000+ requests without reading
//! them all, after the index is removed, and with records deleted by hand.

use super::*;
use crate::store::approvals::EXPIRED;
use crate::store::owners::OwnerType;

/// A request of `owner`'s agent `agent`, created `n` ms after a fixed instant.
pub(crate) fn request(
    owner: &str,
    agent: &str,
    n: i64,
    status: &str,
    expires_in: i64,
) -> ApprovalRequest {
    let base = timefmt::parse("2026-01-01T00:00:00.000Z").unwrap();
    let now = timefmt::now();
    ApprovalRequest {
        approval_request_id: crate::ids::new_id(),
        decision_id: crate::ids::new_id(),
        agent_principal_id: format!("00000000-0000-4000-8000-{:012}", agent.len()),
        agent_id: agent.into(),
        owner_type: OwnerType::User,
        owner_id: owner.into(),
        action_type: "purchase".into(),
        action_hash: "0".repeat(64),
        action: json!({}),
        justification: None,
        context: None,
        status: status.into(),
        approval_token: None,
        approval_token_expires_at: None,
        resolved_at: (status != PENDING).then(|| timefmt::format(now)),
        resolved_by: None,
        denial_reason: None,
        consumed_at: None,
        created_at: timefmt::format(base + time::Duration::milliseconds(n)),
        expires_at: timefmt::format(timefmt::plus_seconds(now, expires_in)),
        matched_rule_id: None,
        reminded_at: None,
        escalated_at: None,
    }
}

/// Stores `rs` through the store's staging (as `create`, `approve` and import do), in
/// transactions of 1,000.
pub(crate) fn store(dd: &DataDir, rs: &[ApprovalRequest]) {
    let _lock = dd.lock().unwrap();
    for batch in rs.chunks(1000) {
        let mut txn = Txn::default();
        for r in batch {
            dd.stage_approval_request(&mut txn, r).unwrap();
        }
        txn.commit().unwrap();
    }
}

fn dir() -> (tempfile::TempDir, DataDir) {
    let (t, dd) = crate::audit::testutil::data_dir(false);
    for d in crate::store::SUBDIRS {
        std::fs::create_dir_all(dd.path(d)).unwrap();
    }
    dd.ensure_list_index(crate::store::listindex::Kind::Approvals)
        .unwrap();
    (t, dd)
}

/// Every page of a list, following cursors; `between` runs before each next page.
fn pages(
    mut page: impl FnMut(&PageRequest) -> Page<ApprovalRequest>,
    limit: usize,
    list: &str,
    mut between: impl FnMut(),
) -> (Vec<(String, String)>, usize) {
    let mut req = PageRequest::new(list, Some(limit), None).unwrap();
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let p = page(&req);
        total.get_or_insert(p.total);
        seen.extend(
            p.items
                .into_iter()
                .map(|r| (r.approval_request_id, r.status)),
        );
        match p.next_cursor {
            Some(c) => req = PageRequest::new(list, Some(limit), Some(&c)).unwrap(),
            None => break,
        }
        between();
    }
    (seen, total.unwrap_or(0))
}

/// A mixed set: two owners, two agents, every status, pending ones both live and past expiry.
fn mixed(alice: &str, bob: &str) -> Vec<ApprovalRequest> {
    (0..1_300)
        .map(|i| {
            let owner = if i % 3 == 0 { bob } else { alice };
            let agent = if i % 5 == 0 { "scout" } else { "bot" };
            let (status, expires_in) = match i % 7 {
                0 => (APPROVED, 600),
                1 => (DENIED, 600),
                2 => (EXPIRED, -600),
                3 => (PENDING, -60),
                _ => (PENDING, 600),
            };
            request(owner, agent, i, status, expires_in)
        })
        .collect()
}

#[test]
fn indexed_pages_match_a_pass_over_every_record() {
    let (_t, dd) = dir();
    let (alice, bob) = (crate::ids::new_id(), crate::ids::new_id());
    store(&dd, &mixed(&alice, &bob));
    let statuses = [
        None,
        Some(PENDING),
        Some(APPROVED),
        Some(DENIED),
        Some(EXPIRED),
    ];
    for scope in [
        OwnerScope::All,
        OwnerScope::Owner(&alice),
        OwnerScope::Owner(&bob),
    ] {
        for status in statuses {
            for agent in [
                None,
                Some("scout"),
                Some("00000000-0000-4000-8000-000000000003"),
            ] {
                let filter = ListFilter {
                    status: status.map(String::from),
                    agent: agent.map(String::from),
                };
                let want: Vec<(String, String)> = list(&dd, scope, &filter)
                    .unwrap()
                    .into_iter()
                    .map(|r| (r.approval_request_id, r.status))
                    .collect();
                let (got, total) = pages(
                    |r| list_page(&dd, scope, &filter, r).unwrap(),
                    97,
                    LIST,
                    || {},
                );
                assert_eq!(got, want, "{scope:?} {filter:?}");
                assert_eq!(total, want.len(), "{scope:?} {filter:?}");
            }
        }
        let want: Vec<String> = list(&dd, scope, &ListFilter::default())
            .unwrap()
            .into_iter()
            .filter(|r| r.status != PENDING)
            .map(|r| r.approval_request_id)
            .collect();
        let (got, total) = pages(
            |r| history_page(&dd, scope, r).unwrap(),
            100,
            HISTORY,
            || {},
        );
        assert_eq!(got.into_iter().map(|(id, _)| id).collect::<Vec<_>>(), want);
        assert_eq!(total, want.len());
    }
    // The inbox merges both owners' indexes into one newest-first list.
    let owners = [alice.to_ascii_lowercase(), bob.to_ascii_lowercase()].into();
    for status in statuses {
        let filter = ListFilter {
            status: status.map(String::from),
            agent: None,
        };
        let want: Vec<(String, String)> = list(&dd, OwnerScope::All, &filter)
            .unwrap()
            .into_iter()
            .map(|r| (r.approval_request_id, r.status))
            .collect();
        let (got, total) = pages(
            |r| inbox_page(&dd, &owners, status, r).unwrap(),
            64,
            INBOX,
            || {},
        );
        assert_eq!(got, want, "{status:?}");
        assert_eq!(total, want.len());
    }
}

#[test]
fn requests_added_and_resolved_between_pages_keep_every_item_once() {
    let (_t, dd) = dir();
    let owner = crate::ids::new_id();
    let first: Vec<ApprovalRequest> = (0..1_000)
        .map(|i| request(&owner, "bot", i * 10, PENDING, 600))
        .collect();
    store(&dd, &first);
    let mut n = 0;
    let (seen, _) = pages(
        |r| list_page(&dd, OwnerScope::Owner(&owner), &ListFilter::default(), r).unwrap(),
        100,
        LIST,
        || {
            // A newer request (after the cursor in a newest-first list), an older one
            // squeezed between existing keys, and a resolution of one not yet seen.
            n += 1;
            store(
                &dd,
                &[
                    request(&owner, "bot", 1_000_000 + n, PENDING, 600),
                    request(&owner, "bot", n * 10 + 5, PENDING, 600),
                ],
            );
            let mut r = first[n as usize].clone();
            r.status = DENIED.into();
            store(&dd, &[r]);
        },
    );
    let ids: Vec<&String> = seen.iter().map(|(id, _)| id).collect();
    let unique: std::collections::HashSet<&String> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an item was repeated");
    for r in &first {
        assert!(
            unique.contains(&r.approval_request_id),
            "lost {}",
            r.created_at
        );
    }
}

#[test]
fn ten_thousand_requests_page_without_reading_every_record() {
    let (_t, dd) = dir();
    let owner = crate::ids::new_id();
    // Mostly resolved, a few pending at the far (oldest) end.
    let rs: Vec<ApprovalRequest> = (0..10_000)
        .map(|i| {
            let status = if i < 5 { PENDING } else { APPROVED };
            request(&owner, "bot", i, status, 600)
        })
        .collect();
    store(&dd, &rs);
    // Damage records that no page below needs: a pass over every record would fail with
    // DATA_CORRUPT, the index reads only what it hands out.
    for r in rs[5..9_000].iter().step_by(100) {
        std::fs::write(dd.approval_path(&r.approval_request_id).unwrap(), b"{").unwrap();
    }
    let scope = OwnerScope::Owner(&owner);
    let p = list_page(&dd, scope, &ListFilter::default(), &PageRequest::first()).unwrap();
    assert_eq!(p.total, 10_000);
    assert_eq!(
        p.items[0].approval_request_id,
        rs[9_999].approval_request_id
    );
    let next = PageRequest::new(LIST, Some(100), p.next_cursor.as_deref()).unwrap();
    let p2 = list_page(&dd, scope, &ListFilter::default(), &next).unwrap();
    assert_eq!(
        p2.items[0].approval_request_id,
        rs[9_899].approval_request_id
    );
    // The pending filter skips the chunks of resolved requests from the manifest alone.
    let pending = ListFilter {
        status: Some("pending".into()),
        agent: None,
    };
    let p = list_page(&dd, OwnerScope::All, &pending, &PageRequest::first()).unwrap();
    assert_eq!(p.total, 5);
    let got: Vec<&str> = p
        .items
        .iter()
        .map(|r| r.approval_request_id.as_str())
        .collect();
    let want: Vec<&str> = rs[..5]
        .iter()
        .rev()
        .map(|r| r.approval_request_id.as_str())
        .collect();
    assert_eq!(got, want);
    assert!(p.next_cursor.is_none());
}

#[test]
fn a_missing_index_is_rebuilt_and_hand_deleted_records_are_skipped() {
    let (_t, dd) = dir();
    let owner = crate::ids::new_id();
    let rs: Vec<ApprovalRequest> = (0..700)
        .map(|i| request(&owner, "bot", i, PENDING, 600))
        .collect();
    // Records written before the index existed (an older data directory): no index files.
    std::fs::remove_dir_all(dd.path("indexes")).unwrap();
    for r in &rs {
        std::fs::write(
            dd.approval_path(&r.approval_request_id).unwrap(),
            serde_json::to_vec(r).unwrap(),
        )
        .unwrap();
    }
    assert!(!dd.path("indexes/lists/approvals/VERSION").exists());
    let scope = OwnerScope::Owner(&owner);
    let all = |dd: &DataDir| {
        pages(
            |r| list_page(dd, scope, &ListFilter::default(), r).unwrap(),
            100,
            LIST,
            || {},
        )
    };
    let (seen, total) = all(&dd);
    assert_eq!((seen.len(), total), (700, 700));
    assert!(dd.path("indexes/lists/approvals/VERSION").exists());
    // A write now goes into the index too; removing the index rebuilds it with everything.
    store(&dd, &[request(&owner, "bot", 5_000, PENDING, 600)]);
    assert_eq!(all(&dd).0.len(), 701);
    std::fs::remove_dir_all(dd.path("indexes/lists/approvals")).unwrap();
    assert_eq!(all(&dd).0.len(), 701);
    // A damaged index file is rebuilt too (it is a cache).
    let m = dd.path(&format!(
        "indexes/lists/approvals/{}/manifest",
        crate::store::listindex::owner_scope(&owner)
    ));
    std::fs::write(&m, "garbage").unwrap();
    assert_eq!(all(&dd).0.len(), 701);
    // A record deleted by hand is skipped, not an error.
    std::fs::remove_file(dd.approval_path(&rs[300].approval_request_id).unwrap()).unwrap();
    let (seen, _) = all(&dd);
    assert_eq!(seen.len(), 700);
    assert!(
        !seen
            .iter()
            .any(|(id, _)| *id == rs[300].approval_request_id)
    );
}
