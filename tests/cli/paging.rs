//! Keyset paging of the list commands and list endpoints: `--limit/--cursor/--all` and
//! `?limit=&cursor=`, pages that neither skip nor repeat while records are added, and bad limits
//! and cursors refused with a message.

use crate::approval::{action_file, decide, request};
use crate::common::*;
use crate::server::{Server, request as http};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::Path;

/// Copies approval request `template` as `n` more PENDING requests created at `stamp(i)`;
/// returns their ids.
pub(crate) fn clone_requests(
    data: &Path,
    template: &str,
    n: usize,
    stamp: impl Fn(usize) -> String,
) -> Vec<String> {
    let text =
        std::fs::read_to_string(data.join("approvals").join(format!("{template}.json"))).unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    // Records written by hand are not in the list index (a cache of the records): removing it
    // has the next list rebuild it from the files, these included.
    let _ = std::fs::remove_dir_all(data.join("indexes").join("lists").join("approvals"));
    (0..n)
        .map(|i| {
            let mut v = base.clone();
            let id = openleash::ids::new_id();
            v["approval_request_id"] = json!(id);
            v["decision_id"] = json!(openleash::ids::new_id());
            v["created_at"] = json!(stamp(i));
            std::fs::write(
                data.join("approvals").join(format!("{id}.json")),
                serde_json::to_vec_pretty(&v).unwrap(),
            )
            .unwrap();
            id
        })
        .collect()
}

fn ids_of(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["approval_request_id"].as_str().unwrap().to_string())
        .collect()
}

/// One `--json approval list` page: (ids, next_cursor, total).
fn cli_page(data: &Path, limit: &str, cursor: Option<&str>) -> (Vec<String>, Option<String>, u64) {
    let mut c = ol(data);
    c.args([
        "--json", "approval", "list", "--status", "PENDING", "--limit", limit,
    ]);
    if let Some(cur) = cursor {
        c.args(["--cursor", cur]);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(&out);
    (
        ids_of(&v["approval_requests"]),
        v["next_cursor"].as_str().map(String::from),
        v["total"].as_u64().unwrap(),
    )
}

/// 250 pending requests (one real, 249 copies; pairs share a timestamp so that ties are broken
/// by id).
fn with_250_pending() -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
    let (tmp, data) = init_dir();
    let file = action_file(tmp.path(), "large.json", "my-agent", 500000);
    let first = request(&data, &decide(&data, &file), &file);
    let mut ids = clone_requests(&data, &first, 249, |i| {
        format!("2026-01-01T00:{:02}:{:02}.000Z", i / 120, (i / 2) % 60)
    });
    ids.push(first);
    (tmp, data, ids)
}

#[test]
fn approval_list_pages_every_request_once_while_requests_are_added() {
    let (tmp, data, ids) = with_250_pending();
    let want: HashSet<String> = ids.iter().cloned().collect();

    let (p1, c1, total) = cli_page(&data, "100", None);
    assert_eq!((p1.len(), total), (100, 250));
    // Newer requests arrive between pages: the cursor still continues where it was.
    let file = action_file(tmp.path(), "later.json", "my-agent", 600000);
    request(&data, &decide(&data, &file), &file);
    clone_requests(&data, &ids[0], 4, |i| format!("2099-01-01T00:00:0{i}.000Z"));
    let (p2, c2, total) = cli_page(&data, "100", c1.as_deref());
    assert_eq!((p2.len(), total), (100, 255));
    let (p3, c3, _) = cli_page(&data, "100", c2.as_deref());
    assert_eq!((p3.len(), c3), (50, None));
    let got: Vec<String> = [p1, p2, p3].concat();
    assert_eq!(got.len(), 250);
    assert_eq!(got.iter().cloned().collect::<HashSet<_>>(), want);

    // --all streams every page: the same as following the cursors, in the same order.
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let (p, next, _) = cli_page(&data, "100", cursor.as_deref());
        paged.extend(p);
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let out = ol(&data)
        .args([
            "--json", "approval", "list", "--status", "PENDING", "--all", "--limit", "100",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let all = ids_of(&stdout_json(&out));
    assert_eq!(all.len(), 255);
    assert_eq!(all, paged);
    // Newest first.
    let created: Vec<String> = stdout_json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["created_at"].as_str().unwrap().to_string())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));

    // Without paging flags: the first 100 as a plain array, the next cursor as a hint on stderr.
    let out = ol(&data)
        .args(["--json", "approval", "list"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out).as_array().unwrap().len(), 100);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("100 of 255 shown; next page: --cursor "),
        "{stderr}"
    );
    let human = ol(&data)
        .args(["approval", "list", "--all"])
        .output()
        .unwrap();
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert_eq!(
        ids.iter().filter(|id| text.contains(id.as_str())).count(),
        250
    );
}

#[test]
fn bad_limits_and_cursors_are_refused_with_a_message() {
    let (_tmp, data) = init_dir();
    for (args, what) in [
        (vec!["approval", "list", "--limit", "0"], "limit"),
        (vec!["agent", "list", "--limit", "1001"], "limit"),
        (
            vec!["policy", "list", "--cursor", "bm90LWEtY3Vyc29y"],
            "cursor",
        ),
        (vec!["owner", "list", "--cursor", "!!"], "cursor"),
    ] {
        let out = ol(&data).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(65), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("INVALID_REQUEST"), "{stderr}");
        assert!(stderr.contains(what), "{stderr}");
    }
    // A cursor of one list is refused by another.
    let out = ol(&data)
        .args(["--json", "agent", "list", "--limit", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    ol(&data)
        .args(["agent", "add", "--agent-id", "second"])
        .assert()
        .success();
    let out = ol(&data)
        .args(["--json", "agent", "list", "--limit", "1"])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(v["agents"].as_array().unwrap().len(), 1);
    assert_eq!(v["total"], 2);
    let cursor = v["next_cursor"].as_str().unwrap().to_string();
    let out = ol(&data)
        .args(["--json", "agent", "list", "--cursor", &cursor])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["agents"][0]["agent_id"], "second");
    let out = ol(&data)
        .args(["--json", "owner", "list", "--cursor", &cursor])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(stdout_json(&out)["error"]["code"], "INVALID_REQUEST");
    // --cursor and --all do not go together.
    ol(&data)
        .args(["agent", "list", "--all", "--cursor", &cursor])
        .assert()
        .failure();
}

fn bearer_get(srv: &Server, path: &str, token: &str) -> crate::server::Resp {
    http(
        srv.addr,
        "GET",
        path,
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    )
}

#[test]
fn list_endpoints_page_with_limit_and_cursor() {
    let (tmp, data, ids) = with_250_pending();
    let owner = crate::server::env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    ol(&data)
        .args(["owner", "set-passphrase", "--passphrase-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    let srv = Server::start(&data, &[]);
    let login = http(
        srv.addr,
        "POST",
        "/v1/owner/login",
        &[("Content-Type", "application/json")],
        Some(
            json!({"user_principal_id": owner, "passphrase": "correct horse battery"})
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(login.status, 200);
    let token = login.json()["token"].as_str().unwrap().to_string();

    let mut got = Vec::new();
    let mut path = "/v1/owner/approval-requests?limit=100".to_string();
    let mut pages = 0;
    loop {
        let r = bearer_get(&srv, &path, &token);
        assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        assert_eq!(
            (v["total"].as_u64(), v["limit"].as_u64()),
            (Some(250), Some(100))
        );
        got.extend(ids_of(&v["approval_requests"]));
        pages += 1;
        match v["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/owner/approval-requests?limit=100&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(got.len(), 250);
    assert_eq!(
        got.into_iter().collect::<HashSet<_>>(),
        ids.into_iter().collect::<HashSet<_>>()
    );
    // The default page is 100.
    let v = bearer_get(&srv, "/v1/owner/approval-requests", &token).json();
    assert_eq!(v["approval_requests"].as_array().unwrap().len(), 100);

    for path in [
        "/v1/owner/approval-requests?limit=0",
        "/v1/owner/approval-requests?limit=1001",
        "/v1/owner/agents?limit=abc",
        "/v1/owner/policies?cursor=garbage",
        "/v1/owner/policy-drafts?cursor=bm90LWEtY3Vyc29y",
    ] {
        let r = bearer_get(&srv, path, &token);
        assert_eq!(
            (r.status, r.code()),
            (400, "INVALID_REQUEST".into()),
            "{path}"
        );
        let msg = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(msg.contains("limit") || msg.contains("cursor"), "{msg}");
    }
    // Admin lists page the same way (loopback is admin by default).
    let v = srv.get("/v1/admin/agents?limit=1").json();
    assert_eq!(v["agents"].as_array().unwrap().len(), 1);
    assert_eq!(v["next_cursor"], Value::Null);
    let v = srv.get("/v1/admin/users?limit=1").json();
    assert_eq!(v["users"][0]["owner_id"], owner.as_str());
    let v = srv.get("/v1/admin/policies?limit=1").json();
    assert_eq!(v["policies"].as_array().unwrap().len(), 1);
    assert!(v["bindings"].is_array());
    let r = srv.get("/v1/admin/owners?limit=-1");
    assert_eq!(r.status, 400);
    let v = bearer_get(&srv, "/v1/owner/policies?limit=1", &token).json();
    assert_eq!(v["policies"].as_array().unwrap().len(), 1);
}
