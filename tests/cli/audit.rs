//! `openleash audit …` end to end: queries, tamper detection (each with the right seq), seal and
//! repair flows, `tail -f`, and many processes and threads appending to one chain.

use crate::common::{init_dir as init, ol, stdout_json};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn log_path(data: &Path) -> PathBuf {
    data.join("audit.log.jsonl")
}

fn read_lines(data: &Path) -> Vec<String> {
    std::fs::read_to_string(log_path(data))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn write_lines(data: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(log_path(data), text).unwrap();
}

/// `audit verify --json`: (exit code, report).
fn verify(data: &Path) -> (i32, Value) {
    let out = ol(data)
        .args(["--json", "audit", "verify"])
        .output()
        .unwrap();
    (out.status.code().unwrap(), stdout_json(&out))
}

fn first_problem(data: &Path) -> Value {
    let (code, r) = verify(data);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["ok"], false);
    r["problems"][0].clone()
}

fn list_json(data: &Path, args: &[&str]) -> Vec<Value> {
    let out = ol(data)
        .args(["--json", "audit", "list"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn seqs(events: &[Value]) -> Vec<u64> {
    events.iter().map(|e| e["seq"].as_u64().unwrap()).collect()
}

/// A line with a correct hash chained after `prev`, as a forger who knows the format would write.
fn forged_line(seq: u64, prev: &str) -> String {
    let prefix = format!(
        r#"{{"seq":{seq},"event_id":"00000000-0000-4000-8000-000000000001","timestamp":"2024-01-15T10:30:00.000Z","event_type":"DECISION_CREATED","principal_id":null,"action_id":null,"decision_id":null,"metadata_json":{{"result":"ALLOW"}},"prev_hash":"{prev}""#
    );
    let hash = openleash::audit::line::sha256_hex(prefix.as_bytes());
    format!(r#"{prefix},"hash":"{hash}"}}"#)
}

fn hash_of(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    v["hash"].as_str().unwrap().to_string()
}

#[test]
fn list_show_tail_and_filters() {
    let (_t, data) = init();
    ol(&data).args(["keys", "rotate"]).assert().success();
    let all = list_json(&data, &[]);
    assert_eq!(seqs(&all), [1, 2, 3, 4, 5, 6]);
    // Every JSON line has the fields of the log, in the log's order.
    let keys: Vec<&str> = all[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "seq",
            "event_id",
            "timestamp",
            "event_type",
            "principal_id",
            "action_id",
            "decision_id",
            "metadata_json",
            "prev_hash",
            "hash"
        ]
    );
    assert_eq!(seqs(&list_json(&data, &["--limit", "2"])), [5, 6]);
    assert_eq!(seqs(&list_json(&data, &["--type", "KEY_ROTATED"])), [2, 6]);
    assert_eq!(
        seqs(&list_json(
            &data,
            &["--type", "KEY_ROTATED", "--type", "AGENT_REGISTERED"]
        )),
        [2, 3, 6]
    );
    let agent_events = list_json(&data, &["--agent", "my-agent"]);
    assert_eq!(seqs(&agent_events), [3]);
    let principal = agent_events[0]["principal_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(seqs(&list_json(&data, &["--agent", &principal])), [3]);
    let owner = all[0]["principal_id"].as_str().unwrap().to_string();
    assert_eq!(seqs(&list_json(&data, &["--owner", &owner])), [1, 3, 4, 5]);
    assert!(list_json(&data, &["--since", "2999-01-01T00:00:00Z"]).is_empty());
    assert_eq!(
        list_json(&data, &["--until", "2999-01-01T00:00:00+02:00"]).len(),
        6
    );
    assert!(list_json(&data, &["--decision", "ALLOW"]).is_empty());
    ol(&data)
        .args(["audit", "list", "--since", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("RFC 3339"));

    let human = ol(&data).args(["audit", "list"]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("SEQ")
            && text.contains("AGENT_REGISTERED")
            && text.contains("agent_id=my-agent"),
        "{text}"
    );

    let out = ol(&data)
        .args(["--json", "audit", "show", "3"])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown, all[2]);
    let id = all[2]["event_id"].as_str().unwrap();
    let out = ol(&data)
        .args(["--json", "audit", "show", id])
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        all[2]
    );
    ol(&data).args(["audit", "show", "99"]).assert().code(66);
    ol(&data)
        .args(["audit", "show", "../../etc"])
        .assert()
        .code(65);

    let out = ol(&data)
        .args(["--json", "audit", "tail", "-n", "2"])
        .output()
        .unwrap();
    let tailed: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(seqs(&tailed), [5, 6]);
}

#[test]
fn uninitialised_dir_names_init() {
    let tmp = tempfile::tempdir().unwrap();
    ol(&tmp.path().join("nope"))
        .args(["audit", "verify"])
        .assert()
        .code(66)
        .stderr(predicates::str::contains("openleash init"));
}

#[test]
fn intact_log_verifies() {
    let (_t, data) = init();
    let (code, r) = verify(&data);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["events"], 5);
    assert_eq!(r["head"]["seq"], 5);
    assert_eq!(r["head"]["signature"], "valid");
    ol(&data)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicates::str::contains("chain intact"));
}

#[test]
fn edited_line_is_detected_at_its_seq() {
    let (_t, data) = init();
    let mut lines = read_lines(&data);
    lines[2] = lines[2].replace("my-agent", "your-agent");
    write_lines(&data, &lines);
    let p = first_problem(&data);
    assert_eq!(p["kind"], "broken_link");
    assert_eq!((p["seq"].as_u64(), p["line"].as_u64()), (Some(3), Some(3)));
    assert_eq!(p["field"], "hash");
    ol(&data)
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("line 3 (seq 3)"));
}

#[test]
fn deleted_line_is_detected_at_its_seq() {
    let (_t, data) = init();
    let mut lines = read_lines(&data);
    lines.remove(1);
    write_lines(&data, &lines);
    let p = first_problem(&data);
    assert_eq!(p["kind"], "broken_link");
    assert_eq!(p["field"], "seq");
    assert_eq!((p["line"].as_u64(), p["seq"].as_u64()), (Some(2), Some(3)));
    assert_eq!(p["expected"], "seq 2");
    assert!(p["message"].as_str().unwrap().contains("seq 2 is missing"));
}

#[test]
fn reordered_lines_are_detected() {
    let (_t, data) = init();
    let mut lines = read_lines(&data);
    lines.swap(2, 3);
    write_lines(&data, &lines);
    let p = first_problem(&data);
    assert_eq!(p["kind"], "broken_link");
    assert_eq!((p["line"].as_u64(), p["seq"].as_u64()), (Some(3), Some(4)));
    assert_eq!(p["expected"], "seq 3");
}

#[test]
fn lines_appended_by_hand_are_an_unsigned_tail_or_a_broken_link() {
    let (_t, data) = init();
    let mut lines = read_lines(&data);
    let prev = hash_of(&lines[4]);
    lines.push(forged_line(6, &prev));
    write_lines(&data, &lines);
    let (code, r) = verify(&data);
    assert_eq!(code, 1);
    assert_eq!(r["broken_links"], 0);
    let p = &r["problems"][0];
    assert_eq!(p["kind"], "unsigned_tail");
    assert_eq!(
        (p["from_seq"].as_u64(), p["to_seq"].as_u64()),
        (Some(6), Some(6))
    );

    // Appending after it continues the chain but keeps the forged line flagged, signed.
    ol(&data).args(["keys", "rotate"]).assert().success();
    let (code, r) = verify(&data);
    assert_eq!(code, 1);
    let p = &r["problems"][0];
    assert_eq!(p["kind"], "unsealed_range");
    assert_eq!(
        (p["from_seq"].as_u64(), p["to_seq"].as_u64()),
        (Some(6), Some(6))
    );

    // A hand-written line that does not even chain is a broken link.
    let (_t, data) = init();
    let mut lines = read_lines(&data);
    lines.push(forged_line(6, &"0".repeat(64)));
    write_lines(&data, &lines);
    let p = first_problem(&data);
    assert_eq!(
        (p["kind"].as_str(), p["seq"].as_u64()),
        (Some("broken_link"), Some(6))
    );
    assert_eq!(p["field"], "prev_hash");
}

#[test]
fn truncated_tail_is_detected() {
    let (_t, data) = init();
    let lines = read_lines(&data);
    write_lines(&data, &lines[..3]);
    let p = first_problem(&data);
    assert_eq!(p["kind"], "truncated");
    assert_eq!(p["seq"], 5);
    assert_eq!(p["found"], "seq 3");
    // Appending would sign over the loss: refused, nothing written.
    ol(&data)
        .args(["keys", "rotate"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains("signed head is at seq 5"));
    assert_eq!(read_lines(&data).len(), 3);
    // The owner may accept the loss after review; the seal records what the old head said.
    let out = ol(&data)
        .args(["--json", "audit", "seal", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let meta = &stdout_json(&out)["event"]["metadata_json"];
    assert_eq!(meta["reasons"][0], "truncated");
    assert_eq!(meta["prior_head"]["seq"], 5);
    assert_eq!(
        (meta["from_seq"].as_u64(), meta["to_seq"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(verify(&data).0, 0);
    ol(&data).args(["keys", "rotate"]).assert().success();
}

#[test]
fn torn_last_line_is_detected_refused_and_repaired() {
    let (_t, data) = init();
    let good = std::fs::read(log_path(&data)).unwrap();
    let mut torn = good.clone();
    torn.extend_from_slice(br#"{"seq":6,"event_id":"abc"#);
    std::fs::write(log_path(&data), &torn).unwrap();
    let p = first_problem(&data);
    assert_eq!(p["kind"], "torn_last_line");
    assert_eq!(p["line"], 6);
    assert_eq!(p["offset"].as_u64(), Some(good.len() as u64));

    ol(&data)
        .args(["keys", "rotate"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains("openleash audit repair"));
    ol(&data)
        .args(["audit", "seal", "--yes"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains("audit repair"));
    // No TTY and no --yes: a usage error, not a hang.
    ol(&data).args(["audit", "repair"]).assert().code(2);

    let out = ol(&data)
        .args(["--json", "audit", "repair", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["repaired"], true);
    assert_eq!(r["event"]["event_type"], "AUDIT_REPAIRED");
    assert_eq!(r["event"]["seq"], 6);
    let torn_file = PathBuf::from(r["torn_file"].as_str().unwrap());
    assert!(
        torn_file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("audit.log.jsonl.torn-")
    );
    assert_eq!(
        std::fs::read(&torn_file).unwrap(),
        br#"{"seq":6,"event_id":"abc"#
    );
    assert!(std::fs::read(log_path(&data)).unwrap().starts_with(&good));
    assert_eq!(verify(&data).0, 0);
    ol(&data)
        .args(["audit", "repair", "--yes"])
        .assert()
        .success()
        .stderr(predicates::str::contains("Nothing to repair"));
}

#[test]
fn crash_before_head_update_then_seal() {
    let (_t, data) = init();
    let head = std::fs::read(data.join("audit.head")).unwrap();
    ol(&data).args(["keys", "rotate"]).assert().success();
    // What a crash between the fsync of the line and the head update leaves behind.
    std::fs::write(data.join("audit.head"), &head).unwrap();
    let p = first_problem(&data);
    assert_eq!(p["kind"], "unsigned_tail");
    assert_eq!(
        (p["from_seq"].as_u64(), p["to_seq"].as_u64()),
        (Some(6), Some(6))
    );

    // The service keeps working; the adopted line stays flagged under signature.
    ol(&data).args(["keys", "rotate"]).assert().success();
    let p = first_problem(&data);
    assert_eq!(p["kind"], "unsealed_range");

    ol(&data).args(["audit", "seal"]).assert().code(2);
    ol(&data)
        .args(["audit", "seal", "--yes"])
        .assert()
        .success()
        .stdout(predicates::str::contains("KEY_ROTATED"))
        .stderr(predicates::str::contains("Sealed:"));
    assert_eq!(verify(&data).0, 0);
    let sealed = list_json(&data, &["--type", "AUDIT_SEALED"]);
    assert_eq!(seqs(&sealed), [8]);
    let meta = &sealed[0]["metadata_json"];
    assert_eq!(
        (meta["from_seq"].as_u64(), meta["to_seq"].as_u64()),
        (Some(6), Some(6))
    );
    assert_eq!(meta["reasons"][0], "unsealed_range");
    ol(&data)
        .args(["audit", "seal", "--yes"])
        .assert()
        .success()
        .stderr(predicates::str::contains("Nothing to seal"));
}

#[test]
fn missing_or_forged_head_is_reported_and_sealable() {
    let (_t, data) = init();
    let head_path = data.join("audit.head");
    let mut head = current_head(&head_path);
    head["seq"] = 4.into();
    std::fs::write(&head_path, serde_json::to_vec(&head).unwrap()).unwrap();
    assert_eq!(first_problem(&data)["kind"], "head_signature_invalid");
    ol(&data).args(["keys", "rotate"]).assert().code(65);

    std::fs::remove_file(&head_path).unwrap();
    assert_eq!(first_problem(&data)["kind"], "head_missing");
    let out = ol(&data)
        .args(["--json", "audit", "seal", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["event"]["metadata_json"]["from_seq"], 1);
    assert_eq!(r["event"]["metadata_json"]["to_seq"], 5);
    assert_eq!(verify(&data).0, 0);
}

#[test]
fn heads_signed_by_a_later_revoked_key_still_verify() {
    let (_t, data) = init();
    let old_kid = {
        let head = current_head(&data.join("audit.head"));
        head["kid"].as_str().unwrap().to_string()
    };
    let head = std::fs::read(data.join("audit.head")).unwrap();
    let log = std::fs::read(log_path(&data)).unwrap();
    ol(&data).args(["keys", "rotate"]).assert().success();
    ol(&data)
        .args(["keys", "revoke", &old_kid])
        .assert()
        .success();
    // Put back the log and head as they were when the old key signed it.
    std::fs::write(log_path(&data), &log).unwrap();
    std::fs::write(data.join("audit.head"), &head).unwrap();
    let (code, r) = verify(&data);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["head"]["key_revoked"], true);
}

#[test]
fn tail_follow_prints_new_events_and_ends_on_a_closed_pipe() {
    let (_t, data) = init();
    let bin = assert_cmd::cargo::cargo_bin("openleash");
    let mut child = std::process::Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .args([
            "--json",
            "audit",
            "tail",
            "-n",
            "1",
            "-f",
            "--poll-ms",
            "10",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&line).unwrap()["seq"], 5);
    ol(&data).args(["keys", "rotate"]).assert().success();
    line.clear();
    reader.read_line(&mut line).unwrap();
    let ev: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (ev["seq"].as_u64(), ev["event_type"].as_str()),
        (Some(6), Some("KEY_ROTATED"))
    );

    // Close our end; the next event it prints hits a broken pipe and it exits successfully.
    drop(reader);
    ol(&data).args(["keys", "rotate"]).assert().success();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("tail -f did not exit after its stdout was closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn many_processes_and_threads_append_to_one_chain() {
    const PROCS: usize = 8;
    const ROTATIONS: usize = 50;
    const THREADS: usize = 4;
    const THREAD_APPENDS: usize = 50;
    let (_t, data) = init();
    let bin = assert_cmd::cargo::cargo_bin("openleash");
    std::thread::scope(|s| {
        for _ in 0..PROCS {
            let (bin, data) = (&bin, &data);
            s.spawn(move || {
                for _ in 0..ROTATIONS {
                    let out = std::process::Command::new(bin)
                        .arg("--data-dir")
                        .arg(data)
                        .args(["-q", "keys", "rotate"])
                        .env("OPENLEASH_LOCK_TIMEOUT_MS", "60000")
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{out:?}");
                }
            });
        }
        // Threads of this process append through the library at the same time.
        for t in 0..THREADS {
            let data = &data;
            s.spawn(move || {
                let dd = openleash::store::DataDir::open(data).unwrap();
                for i in 0..THREAD_APPENDS {
                    let evs = dd
                        .append_audit(vec![openleash::audit::NewEvent::new(
                            "TEST_EVENT",
                            serde_json::json!({"thread": t, "i": i}),
                        )])
                        .unwrap();
                    assert_eq!(evs.len(), 1);
                }
            });
        }
    });
    let expected = 5 + PROCS * ROTATIONS + THREADS * THREAD_APPENDS;
    let (code, r) = verify(&data);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["events"].as_u64(), Some(expected as u64));
    assert_eq!(
        list_json(&data, &["--limit", "0", "--type", "KEY_ROTATED"]).len(),
        1 + PROCS * ROTATIONS
    );
    assert_eq!(
        list_json(&data, &["--limit", "0", "--type", "TEST_EVENT"]).len(),
        THREADS * THREAD_APPENDS
    );
}

#[test]
fn seal_lists_what_it_signs_and_a_declined_prompt_is_not_a_hang() {
    let (_t, data) = init();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(log_path(&data))
        .unwrap();
    let prev = hash_of(read_lines(&data).last().unwrap());
    writeln!(f, "{}", forged_line(6, &prev)).unwrap();
    drop(f);
    ol(&data)
        .args(["audit", "seal"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("seq 6..=6"))
        .stdout(predicates::str::contains("DECISION_CREATED"))
        .stderr(predicates::str::contains("--yes"));
    assert_eq!(verify(&data).0, 1);
}

#[test]
fn a_failed_head_write_leaves_the_log_as_it_was() {
    let (_t, data) = init();
    let before = std::fs::read(log_path(&data)).unwrap();
    // `keys rotate` stages two files; the third staged write is the new audit head: fail it.
    ol(&data)
        .args(["keys", "rotate"])
        .env("OPENLEASH_FAULT_WRITES_BEFORE_FAILURE", "2")
        .assert()
        .code(74);
    assert_eq!(std::fs::read(log_path(&data)).unwrap(), before);
    assert_eq!(verify(&data).0, 0);
    ol(&data).args(["keys", "rotate"]).assert().success();
    assert_eq!(verify(&data).1["events"], 6);
}

/// The current head of an `audit.head` file (either layout) as JSON.
fn current_head(path: &std::path::Path) -> Value {
    let head = openleash::audit::Head::current_in(&std::fs::read(path).unwrap()).unwrap();
    serde_json::to_value(head).unwrap()
}

/// Issue 17: a line in another layout is reported in a sentence that reads.
#[test]
fn a_foreign_line_is_reported_in_plain_words() {
    let (_tmp, data) = crate::common::init_dir();
    let mut lines = read_lines(&data);
    lines.push(r#"{"seq": 999}"#.to_string());
    write_lines(&data, &lines);
    let out = ol(&data).args(["audit", "verify"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("is not an audit event: it has no seq number right after"),
        "{text}"
    );
}
