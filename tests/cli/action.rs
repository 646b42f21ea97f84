//! `openleash action hash`: hashing, canonical output, and every kind of bad input (exit 65).

use assert_cmd::Command;
use serde_json::{Value, json};

const VECTOR_HASH: &str = "5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d";

fn vector_action() -> Value {
    json!({
        "action_id": "00000000-0000-0000-0000-000000000001",
        "action_type": "purchase",
        "requested_at": "2024-01-15T10:30:00.000Z",
        "principal": {"agent_id": "test-agent"},
        "subject": {"principal_id": "00000000-0000-0000-0000-000000000002"},
        "relying_party": {"domain": "example.com", "trust_profile": "LOW"},
        "payload": {"amount_minor": 5000, "currency": "USD", "merchant_domain": "example.com"}
    })
}

/// `openleash` with a data dir that does not exist: `action hash` must never need one.
fn ol(tmp: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("openleash").unwrap();
    cmd.arg("--data-dir")
        .arg(tmp.path().join("no-such-data-dir"))
        .env_remove("OPENLEASH_DATA_DIR")
        .env("NO_COLOR", "1");
    cmd
}

fn write(tmp: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = tmp.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// Runs `action hash` on `text` from stdin with `--json` and returns the error envelope.
fn json_error(text: &str) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let a = ol(&tmp)
        .args(["--json", "action", "hash", "-"])
        .write_stdin(text)
        .assert()
        .code(65);
    serde_json::from_str(&stdout_of(&a)).unwrap()
}

#[test]
fn hashes_the_vector_from_a_file_and_stdin() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        &tmp,
        "a.json",
        &serde_json::to_string_pretty(&vector_action()).unwrap(),
    );
    ol(&tmp)
        .args(["action", "hash"])
        .arg(&f)
        .assert()
        .success()
        .stdout(format!("{VECTOR_HASH}\n"));
    ol(&tmp)
        .args(["action", "hash", "-"])
        .write_stdin(vector_action().to_string())
        .assert()
        .success()
        .stdout(format!("{VECTOR_HASH}\n"));
    // no FILE = stdin; --quiet still prints the data
    ol(&tmp)
        .args(["-q", "action", "hash"])
        .write_stdin(vector_action().to_string())
        .assert()
        .success()
        .stdout(format!("{VECTOR_HASH}\n"));
}

#[test]
fn canonical_and_json_output() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(&tmp, "a.json", &vector_action().to_string());
    let a = ol(&tmp)
        .args(["action", "hash", "--canonical"])
        .arg(&f)
        .assert()
        .success();
    insta::assert_snapshot!("action_hash_canonical", stdout_of(&a));

    let a = ol(&tmp)
        .args(["--json", "action", "hash"])
        .arg(&f)
        .assert()
        .success();
    let v: Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v["action_hash"], VECTOR_HASH);
    insta::assert_json_snapshot!("action_hash_json", v);
}

#[test]
fn unknown_keys_are_dropped_before_hashing_but_payload_keys_count() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = vector_action();
    v["approval_token"] = json!("v4.public.xyz");
    v["principal"]["display"] = json!("Bot");
    v["relying_party"]["note"] = json!(1);
    ol(&tmp)
        .args(["action", "hash"])
        .write_stdin(v.to_string())
        .assert()
        .success()
        .stdout(format!("{VECTOR_HASH}\n"));
    v["payload"]["note"] = json!(1);
    let a = ol(&tmp)
        .args(["action", "hash"])
        .write_stdin(v.to_string())
        .assert()
        .success();
    assert_ne!(stdout_of(&a).trim(), VECTOR_HASH);
}

#[test]
fn malformed_json_names_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        &tmp,
        "bad.json",
        "{\n  \"action_id\": \"00000000-0000-0000-0000-000000000001\",\n  \"action_type\": purchase\n}\n",
    );
    let a = ol(&tmp)
        .args(["action", "hash"])
        .arg(&f)
        .assert()
        .code(65)
        .stdout("");
    let err = stderr_of(&a);
    assert!(err.starts_with("error[INVALID_JSON]: "), "{err}");
    assert!(
        err.contains("bad.json: malformed JSON at line 3, column 18"),
        "{err}"
    );

    let v = json_error("{\"action_id\": 1,");
    insta::assert_json_snapshot!("action_hash_malformed_json", v);
}

#[test]
fn missing_and_empty_fields_are_all_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let a = ol(&tmp)
        .args(["action", "hash"])
        .write_stdin(
            r#"{"action_id":"00000000-0000-0000-0000-000000000001","action_type":"","principal":{"agent_id":""},"payload":{}}"#,
        )
        .assert()
        .code(65);
    let err = stderr_of(&a);
    assert!(
        err.starts_with("error[INVALID_ACTION_REQUEST]: <stdin>: Invalid action request: "),
        "{err}"
    );
    for needle in [
        "action_type must not be empty",
        "requested_at is required",
        "principal.agent_id must not be empty",
        "subject is required",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }

    let v = json_error(r#"{"payload":{}}"#);
    insta::assert_json_snapshot!("action_hash_missing_fields", v);
}

#[test]
fn non_uuid_ids_are_rejected() {
    let mut v = vector_action();
    v["action_id"] = json!("act-1");
    v["subject"]["principal_id"] = json!("../../etc/passwd");
    v["relying_party"]["rp_id"] = json!("00000000-0000-0000-0000-00000000000");
    let e = json_error(&v.to_string());
    assert_eq!(e["error"]["code"], "INVALID_ACTION_REQUEST");
    assert_eq!(
        e["error"]["details"],
        json!({
            "formErrors": [],
            "fieldErrors": {
                "action_id": ["Invalid UUID"],
                "subject": ["Invalid UUID"],
                "relying_party": ["Invalid UUID"]
            }
        })
    );
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains("action_id must be a UUID"), "{msg}");
    assert!(msg.contains("subject.principal_id must be a UUID"), "{msg}");
    assert!(msg.contains("relying_party.rp_id must be a UUID"), "{msg}");

    // any version and either case pass (SPEC §7: UUID-shaped)
    let tmp = tempfile::tempdir().unwrap();
    let mut v = vector_action();
    v["action_id"] = json!("ABCDEF01-2345-6789-ABCD-EF0123456789");
    ol(&tmp)
        .args(["action", "hash"])
        .write_stdin(v.to_string())
        .assert()
        .success();
}

#[test]
fn payload_must_be_an_object() {
    for (payload, got) in [
        (json!([1, 2]), "array"),
        (json!("x"), "string"),
        (json!(null), "null"),
        (json!(5), "number"),
    ] {
        let mut v = vector_action();
        v["payload"] = payload;
        let e = json_error(&v.to_string());
        assert_eq!(
            e["error"]["details"]["fieldErrors"],
            json!({ "payload": [format!("Invalid input: expected record, received {got}")] })
        );
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("payload must be a JSON object, got {got}"))
        );
    }
    let e = json_error("[1]");
    assert_eq!(
        e["error"]["details"]["formErrors"],
        json!(["Invalid input: expected object, received array"])
    );
}

#[test]
fn missing_file_is_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let a = ol(&tmp)
        .args(["action", "hash"])
        .arg(tmp.path().join("nope.json"))
        .assert()
        .code(66);
    assert!(stderr_of(&a).contains("nope.json: no such file"));
}
