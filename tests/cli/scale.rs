//! Issue 18: growing data must not make the data directory unusable. Bulk data is made through the
//! library's handlers (spawning a process per policy would take minutes); what is checked runs
//! through the real binary.

use crate::common::*;
use openleash::handlers::policies::{NewPolicy, create};
use openleash::store::DataDir;
use openleash::store::owners::OwnerType;
use std::fs;
use std::path::Path;

const SMALL: &str = r#"{"amount_minor":5000,"currency":"USD"}"#;
const DENY_GIFTS: &str = "version: 1\ndefault: passthrough\nrules:\n  - id: no-gifts\n    effect: deny\n    action: gift\n";

fn owner_id(data: &Path) -> String {
    stdout_json(&ol(data).args(["--json", "owner", "list"]).output().unwrap())[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn synthetic_owner(i: usize) -> String {
    format!("00000000-0000-4000-8000-{:012x}", i)
}

fn authorize(data: &Path, action_type: &str) -> serde_json::Value {
    let out = ol(data)
        .args([
            "--json",
            "authorize",
            "--type",
            action_type,
            "--payload",
            SMALL,
        ])
        .output()
        .unwrap();
    // DENY and REQUIRE_APPROVAL have their own exit codes; the JSON says which.
    assert!(
        out.status.code().is_some_and(|c| c < 64),
        "authorize failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

fn policy_count(data: &Path) -> usize {
    let out = ol(data)
        .args(["--json", "policy", "list", "--limit", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One page of one: `total` counts the whole catalogue without listing it.
    stdout_json(&out)["total"].as_u64().unwrap() as usize
}

/// Past 9,616 policies the single `bindings.yaml` crossed the YAML parser's node budget and
/// every command, `policy delete` included, failed with DATA_CORRUPT.
#[test]
fn twelve_thousand_policies_keep_authorize_list_and_delete_working() {
    let (_tmp, data) = init_dir();
    let owner = owner_id(&data);
    let before = authorize(&data, "purchase")["result"].clone();
    let dd = DataDir::open(&data).unwrap();
    let t = std::time::Instant::now();
    let mut mine = Vec::new();
    for i in 0..12_000 {
        // Most belong to other owners; every 1,000th is the agent's owner's, owner-wide.
        let own = i % 1_000 == 0;
        let id = create(
            &dd,
            &NewPolicy {
                policy_id: None,
                owner_type: OwnerType::User,
                owner_id: if own {
                    owner.clone()
                } else {
                    synthetic_owner(i % 97)
                },
                agent_principal_id: None,
                name: Some(format!("p{i}")),
                description: None,
                rank: Some(1_000),
                text: DENY_GIFTS.to_string(),
            },
        )
        .unwrap();
        if own {
            mine.push(id);
        }
    }
    eprintln!("created in {:?}", t.elapsed());
    assert_eq!(policy_count(&data), 12_001);
    eprintln!("listed in {:?}", t.elapsed());
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(authorize(&data, "gift")["result"], "DENY");
    for id in &mine {
        ol(&data)
            .args(["policy", "delete", "--yes", "--policy-id", id])
            .assert()
            .success();
    }
    assert_eq!(policy_count(&data), 12_001 - mine.len());
    assert_ne!(authorize(&data, "gift")["matched_rule_id"], "no-gifts");
}

/// Writes the format-1 `bindings.yaml` that today's main writes, from the current catalogue,
/// and removes the format-2 files: a data dir exactly as an older openleash left it.
fn make_format_1(data: &Path, extra: &str) {
    let dd = DataDir::open(data).unwrap();
    let b = dd.bindings().unwrap();
    let mut yaml = String::from("policies:\n");
    for p in &b.policies {
        yaml += &format!(
            "- policy_id: {}\n  owner_type: user\n  owner_id: {}\n  name: {}\n  description: null\n  created_at: '{}'\n  updated_at: null\n",
            p.policy_id,
            p.owner_id,
            p.name.as_deref().unwrap_or("x"),
            p.created_at
        );
    }
    yaml += extra;
    yaml += "bindings:\n";
    for x in &b.bindings {
        yaml += &format!(
            "- policy_id: {}\n  owner_type: user\n  owner_id: {}\n  agent_principal_id: {}\n  rank: null\n",
            x.policy_id,
            x.owner_id,
            x.agent_principal_id.as_deref().unwrap_or("null"),
        );
    }
    fs::write(data.join("bindings.yaml"), yaml).unwrap();
    fs::remove_dir_all(data.join("bindings")).unwrap();
    for e in fs::read_dir(data.join("policies")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            fs::remove_file(p).unwrap();
        }
    }
}

#[test]
fn a_format_1_data_dir_is_read_and_converted_on_the_next_write() {
    let (tmp, data) = init_dir();
    let before = authorize(&data, "purchase")["result"].clone();
    make_format_1(&data, "");
    assert!(!data.join("bindings/meta.json").exists());
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(policy_count(&data), 1);
    // A write converts it: the YAML file goes, the same decisions come out.
    let file = tmp.path().join("gifts.yaml");
    fs::write(&file, DENY_GIFTS).unwrap();
    ol(&data)
        .args(["policy", "upsert", "--file"])
        .arg(&file)
        .assert()
        .success();
    assert!(!data.join("bindings.yaml").exists());
    assert!(data.join("bindings/meta.json").is_file());
    assert_eq!(policy_count(&data), 2);
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(authorize(&data, "gift")["result"], "DENY");
}

/// A format-1 catalogue past the parser's node budget (what today's main cannot read at all)
/// still decides, lists, and lets `policy delete` convert it.
#[test]
fn an_oversized_format_1_catalogue_still_works_and_delete_converts_it() {
    let (_tmp, data) = init_dir();
    let before = authorize(&data, "purchase")["result"].clone();
    let mut extra = String::new();
    for i in 0..20_000 {
        extra += &format!(
            "- policy_id: 00000000-0000-4000-9000-{i:012x}\n  owner_type: user\n  owner_id: {}\n  name: bulk\n  description: null\n  created_at: '2026-01-01T00:00:00.000Z'\n  updated_at: null\n",
            synthetic_owner(i % 7)
        );
    }
    make_format_1(&data, &extra);
    assert!(fs::metadata(data.join("bindings.yaml")).unwrap().len() > 2_000_000);
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(policy_count(&data), 20_001);
    ol(&data)
        .args([
            "policy",
            "delete",
            "--yes",
            "--policy-id",
            "00000000-0000-4000-9000-000000000005",
        ])
        .assert()
        .success();
    assert!(!data.join("bindings.yaml").exists());
    assert_eq!(policy_count(&data), 20_000);
    assert_eq!(authorize(&data, "purchase")["result"], before);
}

/// Peak resident memory (VmHWM, kB) of a running process.
fn vm_hwm_kb(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// `audit list` held the whole listing in memory (5× the log's size on disk); it now streams,
/// and so does every other audit command that prints events, whatever `--limit` / `-n`:
/// unfiltered, filtered through an index (agent), filtered by reading (decision), `audit tail`
/// and `audit export`. Checked by the child's peak RSS while it is blocked writing its output,
/// past the middle.
#[test]
fn audit_list_memory_stays_bounded_on_a_200_000_event_log() {
    use std::io::Read;
    let (_tmp, data) = init_dir();
    let dd = DataDir::open(&data).unwrap();
    let pad = "x".repeat(300);
    for batch in 0..200 {
        let events = (0..1_000)
            .map(|i| {
                openleash::audit::NewEvent::new(
                    "DECISION_CREATED",
                    serde_json::json!({"result": "ALLOW", "agent_id": "bulk", "i": batch * 1_000 + i, "note": pad}),
                )
            })
            .collect();
        dd.append_audit(events).unwrap();
    }
    let log_kb = fs::metadata(data.join("audit.log.jsonl")).unwrap().len() / 1024;
    assert!(log_kb > 60_000, "log is only {log_kb} kB");
    let runs: [&[&str]; 7] = [
        &["audit", "list", "--limit", "0"],
        &["audit", "list", "--limit", "1000000"],
        &["audit", "list", "--limit", "0", "--agent", "bulk"],
        &[
            "audit",
            "list",
            "--limit",
            "150000",
            "--type",
            "DECISION_CREATED",
        ],
        &["audit", "list", "--limit", "0", "--decision", "ALLOW"],
        &["audit", "tail", "-n", "1000000"],
        &["audit", "export"],
    ];
    for args in runs {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_openleash"))
            .args(["--data-dir"])
            .arg(&data)
            .arg("--json")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // Read a bit more than half of the output, then look while the child waits on the pipe.
        let mut buf = vec![0u8; 1 << 16];
        let mut read = 0u64;
        while read < log_kb * 1024 * 6 / 10 {
            let n = stdout.read(&mut buf).unwrap();
            assert!(n > 0, "{args:?}: output ended early");
            read += n as u64;
        }
        let peak = vm_hwm_kb(child.id());
        std::io::copy(&mut stdout, &mut std::io::sink()).unwrap();
        assert!(child.wait().unwrap().success(), "{args:?}");
        assert!(
            peak < 100_000,
            "{args:?} peaked at {peak} kB on a {log_kb} kB log"
        );
    }
}

/// A damaged record (edited by hand) fails only what reads it: `policy delete` of another
/// policy, and decisions of agents not bound to it, still work, so the CLI always has a way out.
#[test]
fn a_damaged_record_leaves_the_rest_usable() {
    let (tmp, data) = init_dir();
    let owner = owner_id(&data);
    let before = authorize(&data, "purchase")["result"].clone();
    let dd = DataDir::open(&data).unwrap();
    let new = |owner_id: String| NewPolicy {
        policy_id: None,
        owner_type: OwnerType::User,
        owner_id,
        agent_principal_id: None,
        name: None,
        description: None,
        rank: Some(1_000),
        text: DENY_GIFTS.to_string(),
    };
    let elsewhere = create(&dd, &new(synthetic_owner(1))).unwrap();
    let mine = create(&dd, &new(owner)).unwrap();
    fs::write(
        data.join("policies").join(format!("{elsewhere}.json")),
        "{oops",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "policy", "list"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["error"]["code"], "DATA_CORRUPT");
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(authorize(&data, "gift")["result"], "DENY");
    ol(&data)
        .args(["policy", "delete", "--yes", "--policy-id", &mine])
        .assert()
        .success();
    assert_ne!(authorize(&data, "gift")["matched_rule_id"], "no-gifts");
    // The damaged one can be deleted too once its record is restored or removed by hand; the
    // error names the file.
    let err = ol(&data)
        .args([
            "--json",
            "policy",
            "delete",
            "--yes",
            "--policy-id",
            &elsewhere,
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stdout).contains(&format!("{elsewhere}.json")));
    drop(tmp);
}

/// Owner audit pages come from the per-owner index: a first page and every keyset cursor read
/// O(page), and paging while the log grows (events of this owner and of others appended between
/// pages) returns every event that existed at the first page exactly once, newest first.
#[test]
fn owner_audit_cursor_paging_over_a_growing_log_returns_each_event_once() {
    use crate::server::{Server, env_value, request};
    use serde_json::json;
    let (tmp, data) = init_dir();
    let owner = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    ol(&data)
        .args(["owner", "set-passphrase", "--passphrase-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    let dd = DataDir::open(&data).unwrap();
    let other = synthetic_owner(7);
    let append = |n: usize, tag: &str| {
        let evs = (0..n)
            .map(|i| {
                let o = if i % 2 == 0 {
                    owner.as_str()
                } else {
                    other.as_str()
                };
                openleash::audit::NewEvent::new(
                    "DECISION_CREATED",
                    json!({"owner_id": o, "tag": tag, "i": i}),
                )
            })
            .collect();
        dd.append_audit(evs).unwrap();
    };
    append(300, "before");
    let srv = Server::start(&data, &[]);
    let login = srv_post_login(&srv, &owner);
    let auth = format!("Bearer {login}");
    let get = |path: &str| {
        let r = request(
            srv.addr,
            "GET",
            path,
            &[("Authorization", auth.as_str())],
            None,
        );
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        r.json()
    };
    let first = get("/v1/owner/audit?limit=40");
    let mut seen: Vec<u64> = Vec::new();
    let mut page = first;
    loop {
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_u64().unwrap()),
        );
        append(10, "between");
        let Some(next) = page["next_cursor"].as_str().map(str::to_string) else {
            break;
        };
        page = get(&format!("/v1/owner/audit?limit=40&cursor={next}"));
    }
    // What the owner may see, as a scan finds it: every event up to the first page's newest
    // (init's, ours, the login), each once, newest first.
    let mut expected = Vec::new();
    let filter = openleash::audit::Filter {
        owner: Some(owner.clone()),
        ..Default::default()
    };
    dd.audit_scan(&filter, 0, |ev| expected.push(ev.seq))
        .unwrap();
    expected.reverse();
    let newest = seen[0];
    let want: Vec<u64> = expected.into_iter().filter(|s| *s <= newest).collect();
    assert_eq!(seen, want);
    assert!(data.join("audit.idx/state.json").is_file());
}

/// Upstream's numeric audit cursors (offsets) still page the owner's and the admin's audit the
/// way reading would (the offset-th newest event on), but are found by counting the owner's
/// index records or by seq arithmetic instead of by reading the events they skip.
#[test]
fn old_numeric_audit_cursors_page_as_offsets() {
    use crate::server::{Server, env_value, request};
    use serde_json::json;
    let (tmp, data) = init_dir();
    let owner = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    ol(&data)
        .args(["owner", "set-passphrase", "--passphrase-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    let dd = DataDir::open(&data).unwrap();
    let other = synthetic_owner(3);
    let evs = (0..200)
        .map(|i| {
            let o = if i % 3 == 0 { &owner } else { &other };
            openleash::audit::NewEvent::new("DECISION_CREATED", json!({"owner_id": o, "i": i}))
        })
        .collect();
    dd.append_audit(evs).unwrap();
    let srv = Server::start(&data, &[]);
    let auth = format!("Bearer {}", srv_post_login(&srv, &owner));
    let mut mine = Vec::new();
    let filter = openleash::audit::Filter {
        owner: Some(owner.clone()),
        ..Default::default()
    };
    dd.audit_scan(&filter, 0, |ev| mine.push(ev.seq)).unwrap();
    mine.reverse();
    for offset in [0, 1, 10, mine.len() - 3, mine.len(), mine.len() + 5] {
        let r = request(
            srv.addr,
            "GET",
            &format!("/v1/owner/audit?limit=20&cursor={offset}"),
            &[("Authorization", auth.as_str())],
            None,
        );
        assert_eq!(r.status, 200);
        let got: Vec<u64> = r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["seq"].as_u64().unwrap())
            .collect();
        let want: Vec<u64> = mine.iter().copied().skip(offset).take(20).collect();
        assert_eq!(got, want, "offset {offset}");
        // A page that is not the last hands out a keyset cursor for the next one.
        let next = r.json()["next_cursor"].clone();
        assert_eq!(
            next.is_string(),
            mine.len() > offset + 20,
            "offset {offset}"
        );
    }
    // Not a number and not a keyset cursor: refused, with what to do.
    let r = request(
        srv.addr,
        "GET",
        "/v1/owner/audit?cursor=kx",
        &[("Authorization", auth.as_str())],
        None,
    );
    assert_eq!(r.status, 400);
}

fn srv_post_login(srv: &crate::server::Server, owner: &str) -> String {
    let body =
        serde_json::json!({"user_principal_id": owner, "passphrase": "correct horse battery"})
            .to_string();
    let r = crate::server::request(
        srv.addr,
        "POST",
        "/v1/owner/login",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    r.json()["token"].as_str().unwrap().to_string()
}

/// The audit indexes are a cache that is never trusted over the log: deleted, they are rebuilt;
/// a record pointing at the wrong line, or a state that does not match the log, is detected and
/// the answer is the same as a scan's.
#[test]
fn filtered_audit_list_survives_a_deleted_or_corrupted_index() {
    let (_tmp, data) = init_dir();
    let dd = DataDir::open(&data).unwrap();
    let evs = (0..200)
        .map(|i| {
            openleash::audit::NewEvent::new(
                if i % 3 == 0 {
                    "POLICY_UPSERTED"
                } else {
                    "DECISION_CREATED"
                },
                serde_json::json!({"agent_id": format!("bot{}", i % 4), "i": i}),
            )
        })
        .collect();
    dd.append_audit(evs).unwrap();
    let list = |args: &[&str]| -> Vec<u64> {
        let out = ol(&data)
            .args(["--json", "audit", "list"])
            .args(if args.contains(&"--limit") {
                &[][..]
            } else {
                &["--limit", "0"][..]
            })
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .flat_map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                match v {
                    serde_json::Value::Array(a) => {
                        a.iter().map(|e| e["seq"].as_u64().unwrap()).collect()
                    }
                    e => vec![e["seq"].as_u64().unwrap()],
                }
            })
            .collect()
    };
    let by_agent = list(&["--agent", "bot1"]);
    let by_type = list(&["--type", "POLICY_UPSERTED"]);
    assert_eq!(by_agent.len(), 50);
    assert!(by_type.len() >= 67);
    assert!(data.join("audit.idx/p/bot1").is_file());
    fs::remove_dir_all(data.join("audit.idx")).unwrap();
    assert_eq!(list(&["--agent", "bot1"]), by_agent);
    // Every record of bot1's file points at the log's first line.
    let p = data.join("audit.idx/p/bot1");
    let mut b = fs::read(&p).unwrap();
    for rec in b.chunks_mut(16) {
        rec[8..].copy_from_slice(&0u64.to_le_bytes());
    }
    fs::write(&p, b).unwrap();
    assert_eq!(list(&["--agent", "bot1"]), by_agent);
    assert_eq!(list(&["--agent", "bot1"]), by_agent);
    // The state says the log ends elsewhere (a repaired or replaced log): rebuilt.
    fs::write(
        data.join("audit.idx/state.json"),
        r#"{"version":1,"end":5,"last_seq":1,"last_line_sha256":"00"}"#,
    )
    .unwrap();
    assert_eq!(list(&["--type", "POLICY_UPSERTED"]), by_type);
    // Limited listings through the index: the newest N, oldest first.
    let newest = list(&["--agent", "bot1", "--limit", "7"]);
    assert_eq!(newest, by_agent[by_agent.len() - 7..]);
}
