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

/// The ids of a `--json policy list` page or array.
fn policy_ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["policy_id"].as_str().unwrap().to_string())
        .collect()
}

/// `policy list` pages the catalogue from its sorted index: `--limit/--cursor` pages oldest
/// first with the bindings of each policy, a policy added between pages comes last, a deleted
/// one is not shown, `--all` streams them all, and a removed index is rebuilt.
#[test]
fn policy_list_pages_the_catalogue_with_limit_cursor_and_all() {
    let (tmp, data) = init_dir();
    let owner = json_ok(&data, &["owner", "list"])[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    let dd = openleash::store::DataDir::open(&data).unwrap();
    let mut made = vec![policy_ids(&json_ok(&data, &["policy", "list"]))[0].clone()];
    for i in 0..24 {
        made.push(
            openleash::handlers::policies::create(
                &dd,
                &openleash::handlers::policies::NewPolicy {
                    policy_id: None,
                    owner_type: openleash::store::owners::OwnerType::User,
                    owner_id: owner.clone(),
                    agent_principal_id: None,
                    name: Some(format!("p{i}")),
                    description: None,
                    rank: Some(200 + i),
                    text: "version: 1\ndefault: deny\nrules: []\n".into(),
                },
            )
            .unwrap(),
        );
    }
    let page1 = json_ok(&data, &["policy", "list", "--limit", "10"]);
    assert_eq!(page1["total"], 25);
    assert_eq!(policy_ids(&page1["policies"]), made[..10]);
    assert_eq!(page1["policies"][3]["bindings"][0]["tier"], "owner_wide");
    let c1 = page1["next_cursor"].as_str().unwrap().to_string();
    // Between pages: one added through the CLI, one not yet seen deleted.
    let file = tmp.path().join("late.yaml");
    std::fs::write(&file, "version: 1\ndefault: deny\nrules: []\n").unwrap();
    let late = json_ok(
        &data,
        &["policy", "upsert", "--file", file.to_str().unwrap()],
    )["policy_id"]
        .as_str()
        .unwrap()
        .to_string();
    ol(&data)
        .args(["policy", "delete", "--yes", "--policy-id", &made[15]])
        .assert()
        .success();
    let page2 = json_ok(&data, &["policy", "list", "--limit", "10", "--cursor", &c1]);
    assert_eq!(page2["total"], 25);
    let c2 = page2["next_cursor"].as_str().unwrap().to_string();
    let page3 = json_ok(&data, &["policy", "list", "--limit", "10", "--cursor", &c2]);
    assert!(page3["next_cursor"].is_null());
    let mut want: Vec<String> = made.clone();
    want.remove(15);
    want.push(late);
    let got = [
        policy_ids(&page1["policies"]),
        policy_ids(&page2["policies"]),
        policy_ids(&page3["policies"]),
    ]
    .concat();
    assert_eq!(got, want);
    // --all: every policy, in the same order, as one array.
    let all = json_ok(&data, &["policy", "list", "--all", "--limit", "7"]);
    assert_eq!(policy_ids(&all), want);
    // The index is a cache: removed, the next list rebuilds it from the records.
    std::fs::remove_dir_all(data.join("indexes").join("lists")).unwrap();
    let again = json_ok(&data, &["policy", "list", "--limit", "10", "--cursor", &c1]);
    assert_eq!(again["policies"], page2["policies"]);
    // People get a table of the page and the next cursor on stderr.
    let out = ol(&data)
        .args(["policy", "list", "--limit", "5"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&want[4]) && !text.contains(&want[5]),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("5 of 25 shown; next page: --cursor "));
}

/// `admin list` (users) and `owner list` page through the owner index; organizations are in
/// the owner list but not the user list.
#[test]
fn admin_and_owner_lists_page_with_limit_cursor_and_all() {
    let (_tmp, data) = init_dir();
    for name in ["Bea", "Cy", "Dee"] {
        ol(&data)
            .args(["owner", "add", "--name", name])
            .assert()
            .success();
    }
    ol(&data)
        .args(["owner", "add", "--type", "org", "--name", "Acme"])
        .assert()
        .success();
    let users = json_ok(&data, &["admin", "list", "--limit", "2"]);
    assert_eq!(users["total"], 4);
    assert_eq!(users["users"].as_array().unwrap().len(), 2);
    let c = users["next_cursor"].as_str().unwrap().to_string();
    let rest = json_ok(&data, &["admin", "list", "--cursor", &c]);
    let names: Vec<&str> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["users"].as_array().unwrap())
        .map(|u| u["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names[1..], ["Bea", "Cy", "Dee"]);
    assert!(rest["next_cursor"].is_null());
    // Without paging flags: the array it always was.
    let all = json_ok(&data, &["admin", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 4);
    let owners = json_ok(&data, &["owner", "list", "--all", "--limit", "2"]);
    assert_eq!(owners.as_array().unwrap().len(), 5);
    assert_eq!(owners[4]["display_name"], "Acme");
    // A cursor of the owner list pages the user list too (same order and key), and a bad one
    // is refused.
    let (code, err) = json_err(&data, &["admin", "list", "--cursor", "bm90LWEtY3Vyc29y"]);
    assert_eq!((code, err.as_str()), (65, "INVALID_REQUEST"));
}
