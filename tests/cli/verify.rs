//! `openleash verify`: data-dir keys, `--public-key`, `--keys-file`, stdin, expectations,
//! `--allow-expired`, and every way a token can be bad. Tokens are minted with the library
//! (`openleash::tokens`) from the temp data dir's own keys, so these tests need no `authorize`.

use assert_cmd::Command;
use openleash::store::DataDir;
use openleash::tokens::{self, ApprovalClaims, ProofClaims, SessionClaims};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

pub const VECTOR_TOKEN: &str = "v4.public.eyJpc3MiOiJvcGVubGVhc2giLCJraWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwODgiLCJpYXQiOiIyMDI0LTAxLTE1VDEwOjMwOjAwLjAwMFoiLCJleHAiOiIyMDI0LTAxLTE1VDEwOjMyOjAwLjAwMFoiLCJkZWNpc2lvbl9pZCI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDA3NyIsIm93bmVyX3R5cGUiOiJ1c2VyIiwib3duZXJfaWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDIiLCJhZ2VudF9pZCI6InRlc3QtYWdlbnQiLCJhY3Rpb25fdHlwZSI6InB1cmNoYXNlIiwiYWN0aW9uX2hhc2giOiI1ZmVkNTBkMWFmY2Y1OTg0ODBmNjRjYTA5ZWRiMDQyYThhMDljNmIzM2M4NzEyZTNmYWVlZWEyYWExZDQyOTdkIiwibWF0Y2hlZF9ydWxlX2lkIjoidGVzdC1ydWxlIn0S2DNwkBUtd5TcD4KDcp7d-e--vgS4dTJw7wgFDIY8mpK308X9yIm9-32-wY_NPT5g95TI0Ba_3Ga0bZo0fwMH";
pub const VECTOR_PUBLIC_KEY: &str = "MCowBQYDK2VwAyEAO2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=";
pub const VECTOR_KID: &str = "00000000-0000-0000-0000-000000000088";
pub const HASH: &str = "5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d";

/// A temp dir with an initialised data dir in `<tmp>/data`.
pub struct Env {
    pub tmp: tempfile::TempDir,
    pub data: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        Command::cargo_bin("openleash")
            .unwrap()
            .arg("--data-dir")
            .arg(&data)
            .args(["--quiet", "init", "--agent-id", "test-agent"])
            .env_remove("OPENLEASH_DATA_DIR")
            .assert()
            .success();
        Env { tmp, data }
    }

    /// `openleash --data-dir <data>`.
    pub fn ol(&self) -> Command {
        ol_at(&self.data)
    }

    /// `openleash` pointed at a data dir that does not exist.
    pub fn ol_no_data(&self) -> Command {
        ol_at(&self.tmp.path().join("absent"))
    }

    pub fn dd(&self) -> DataDir {
        DataDir::open(&self.data).unwrap()
    }

    pub fn active_kid(&self) -> String {
        self.dd().active_kid().unwrap()
    }

    /// A proof token from the active key, issued at `now` for `ttl` seconds.
    pub fn proof_at(&self, now: time::OffsetDateTime, ttl: u64) -> String {
        let (meta, sk) = self.dd().active_key().unwrap();
        tokens::issue_proof(&meta.kid, &sk, &proof_claims(), ttl, now)
            .unwrap()
            .token
    }

    pub fn proof(&self) -> String {
        self.proof_at(openleash::timefmt::now(), 300)
    }

    /// The last audit event.
    pub fn last_audit(&self) -> Value {
        let log = std::fs::read_to_string(self.data.join("audit.log.jsonl")).unwrap();
        serde_json::from_str(log.lines().last().unwrap()).unwrap()
    }
}

pub fn ol_at(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("openleash").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("OPENLEASH_DATA_DIR")
        .env("NO_COLOR", "1");
    cmd
}

pub fn proof_claims() -> ProofClaims<'static> {
    ProofClaims {
        decision_id: "11111111-2222-4333-8444-555555555555",
        owner_type: "user",
        owner_id: "00000000-0000-0000-0000-000000000002",
        agent_id: "test-agent",
        action_type: "purchase",
        action_hash: HASH,
        matched_rule_id: Some("purchase_small_allow"),
        trust_profile: Some("HIGH"),
    }
}

pub fn stdout_json(a: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// Replaces the claims that change per run (kid, iat, exp) with placeholders for snapshots.
fn redact(mut v: Value) -> Value {
    if let Some(c) = v.get_mut("claims").and_then(Value::as_object_mut) {
        for k in ["kid", "iat", "exp"] {
            if c.contains_key(k) {
                c.insert(k.into(), json!(format!("[{k}]")));
            }
        }
    }
    v
}

fn verify_json(cmd: &mut Command, code: i32) -> Value {
    let a = cmd.arg("--json").assert().code(code);
    stdout_json(&a)
}

fn t(s: &str) -> time::OffsetDateTime {
    openleash::timefmt::parse(s).unwrap()
}

#[test]
fn valid_token_with_the_data_dir_keys() {
    let env = Env::new();
    let token = env.proof();
    let a = env.ol().args(["verify", &token]).assert().success();
    let out = stdout_of(&a);
    assert!(out.starts_with("VALID proof token\n"), "{out}");
    assert!(out.contains(&format!("signed by key {}", env.active_kid())));
    assert!(
        out.contains("matched_rule_id  purchase_small_allow"),
        "{out}"
    );

    let v = verify_json(env.ol().args(["verify", &token]), 0);
    assert_eq!(v["claims"]["kid"], env.active_kid());
    insta::assert_json_snapshot!("verify_valid_json", redact(v));

    // PROOF_VERIFIED audit event, upstream's metadata keys
    let ev = env.last_audit();
    assert_eq!(ev["event_type"], "PROOF_VERIFIED");
    assert_eq!(ev["decision_id"], "11111111-2222-4333-8444-555555555555");
    assert_eq!(
        ev["metadata_json"],
        json!({
            "valid": true,
            "reason": null,
            "decision_id": "11111111-2222-4333-8444-555555555555",
            "agent_id": "test-agent",
            "action_type": "purchase",
            "action_hash": HASH,
            "expected_action_hash": null,
            "expected_agent_id": null,
        })
    );
}

#[test]
fn token_from_stdin() {
    let env = Env::new();
    let token = env.proof();
    env.ol()
        .args(["verify", "-"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
    // an empty stdin is a missing token, not a crash
    let v = verify_json(env.ol().args(["verify", "-"]).write_stdin(""), 1);
    assert_eq!(v, json!({"valid": false, "reason": "Missing token"}));
}

#[test]
fn expected_hash_and_agent() {
    let env = Env::new();
    let token = env.proof();
    env.ol()
        .args(["verify", &token, "--expected-action-hash", HASH])
        .args(["--expected-agent-id", "test-agent"])
        .assert()
        .success();
    let v = verify_json(
        env.ol()
            .args(["verify", &token, "--expected-action-hash", &"0".repeat(64)]),
        1,
    );
    assert_eq!(v["reason"], "action_hash mismatch");
    assert_eq!(v["claims"]["action_hash"], HASH);
    let v = verify_json(
        env.ol()
            .args(["verify", &token, "--expected-agent-id", "other-agent"]),
        1,
    );
    assert_eq!(v["reason"], "agent_id mismatch");
    let ev = env.last_audit();
    assert_eq!(ev["metadata_json"]["valid"], false);
    assert_eq!(ev["metadata_json"]["reason"], "agent_id mismatch");
    assert_eq!(ev["metadata_json"]["expected_agent_id"], "other-agent");
    // human output names the mismatch
    let a = env
        .ol()
        .args(["verify", &token, "--expected-agent-id", "other-agent"])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert!(out.starts_with("INVALID: agent_id mismatch\n"), "{out}");
    assert!(
        out.contains("agent_id is test-agent, expected other-agent"),
        "{out}"
    );
}

#[test]
fn session_and_approval_tokens_are_not_proofs() {
    let env = Env::new();
    let (meta, sk) = env.dd().active_key().unwrap();
    let now = openleash::timefmt::now();
    let session = tokens::issue_session(
        &meta.kid,
        &sk,
        &SessionClaims {
            sub: "00000000-0000-0000-0000-000000000002",
            system_roles: &[],
            org_memberships: &[],
        },
        600,
        now,
    )
    .unwrap()
    .token;
    let approval = tokens::issue_approval(
        &meta.kid,
        &sk,
        &ApprovalClaims {
            approval_request_id: "00000000-0000-0000-0000-000000000005",
            owner_type: "user",
            owner_id: "00000000-0000-0000-0000-000000000002",
            agent_id: "test-agent",
            action_type: "purchase",
            action_hash: HASH,
        },
        600,
        now,
    )
    .unwrap()
    .token;
    for (token, purpose) in [(&session, "user_session"), (&approval, "approval")] {
        let v = verify_json(env.ol().args(["verify", token]), 1);
        assert_eq!(v["valid"], false);
        assert_eq!(v["reason"], "Invalid token purpose");
        assert_eq!(v["claims"]["purpose"], purpose);
        // the expectations cannot turn it valid either
        let v = verify_json(
            env.ol()
                .args(["verify", token, "--expected-agent-id", "test-agent"]),
            1,
        );
        assert_eq!(v["reason"], "Invalid token purpose");
    }
    let a = env.ol().args(["verify", &session]).assert().code(1);
    assert!(stdout_of(&a).contains("purpose is \"user_session\", expected no purpose"));
}

#[test]
fn revoked_key() {
    let env = Env::new();
    let old_kid = env.active_kid();
    let token = env.proof();
    env.ol().args(["-q", "keys", "rotate"]).assert().success();
    assert_ne!(env.active_kid(), old_kid);
    // rotation alone keeps old tokens verifying
    env.ol().args(["verify", &token]).assert().success();
    env.ol()
        .args(["-q", "keys", "revoke", &old_kid])
        .assert()
        .success();
    let v = verify_json(env.ol().args(["verify", &token]), 1);
    assert_eq!(v["reason"], "Key revoked");
    assert_eq!(v["claims"]["kid"], old_kid.as_str());
    insta::assert_json_snapshot!("verify_revoked_json", redact(v));
    // The human report names the revoked key once (issue 17).
    let a = env.ol().args(["verify", &token]).assert().code(1);
    let text = stdout_of(&a);
    assert_eq!(text.matches("signed by key").count(), 1, "{text}");
    // tokens of the new key are fine
    env.ol().args(["verify", &env.proof()]).assert().success();

    // the /v1/public-keys shape from `keys list --json`, with no data dir: revoked_at honoured
    let a = env.ol().args(["keys", "list", "--json"]).assert().success();
    let keys_path = env.tmp.path().join("public-keys.json");
    std::fs::write(&keys_path, &a.get_output().stdout).unwrap();
    let v = verify_json(
        env.ol_no_data()
            .args(["verify", &token, "--keys-file"])
            .arg(&keys_path),
        1,
    );
    assert_eq!(v["reason"], "Key revoked");
    // a keys file that leaves the revoked key out (the default /v1/public-keys) knows no such kid
    let mut doc = stdout_json(&a);
    doc["keys"]
        .as_array_mut()
        .unwrap()
        .retain(|k| k["revoked_at"].is_null());
    std::fs::write(&keys_path, doc.to_string()).unwrap();
    let v = verify_json(
        env.ol_no_data()
            .args(["verify", &token, "--keys-file"])
            .arg(&keys_path),
        1,
    );
    assert_eq!(v["reason"], "Unknown key id");
}

#[test]
fn expired_token_and_allow_expired() {
    let env = Env::new();
    let token = env.proof_at(t("2020-01-01T00:00:00.000Z"), 60);
    let v = verify_json(env.ol().args(["verify", &token]), 1);
    assert_eq!(v["reason"], "Token expired");
    assert_eq!(v["claims"]["exp"], "2020-01-01T00:01:00.000Z");
    assert!(v.get("expired").is_none());

    let v = verify_json(env.ol().args(["verify", &token, "--allow-expired"]), 0);
    assert_eq!(v["valid"], true);
    assert_eq!(v["expired"], true);
    assert!(v.get("reason").is_none());
    let a = env
        .ol()
        .args(["verify", &token, "--allow-expired"])
        .assert()
        .success();
    assert!(stdout_of(&a).contains("EXPIRED"));
}

#[test]
fn truncated_garbled_and_foreign_tokens() {
    let env = Env::new();
    let token = env.proof();
    let cases: Vec<(String, &str)> = vec![
        (
            token[..token.len() - 20].to_string(),
            "Invalid token format",
        ),
        (token[..30].to_string(), "Invalid token format"),
        ("not-a-token".into(), "Invalid token format"),
        (format!("{token}.eyJraWQiOiJ4In0"), "Invalid token format"),
        (
            token.replacen("v4.public.", "v4.local.", 1),
            "Invalid token format",
        ),
        (garble(&token, token.len() - 20), "Invalid signature"),
        (String::new(), "Missing token"),
    ];
    for (bad, reason) in cases {
        let v = verify_json(env.ol().args(["verify", &bad]), 1);
        assert_eq!(v["valid"], false, "{bad}");
        assert_eq!(v["reason"], reason, "{bad}");
        if reason != "Invalid signature" {
            assert!(v.get("claims").is_none(), "{bad}");
        }
    }
    // a token from another issuer's key
    let v = verify_json(env.ol().args(["verify", VECTOR_TOKEN]), 1);
    assert_eq!(v["reason"], "Unknown key id");
}

/// Changes one base64url character at `at` (in the signature part, so the claims stay readable).
fn garble(token: &str, at: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[test]
fn explicit_public_keys_need_no_data_dir() {
    let env = Env::new();
    let token = env.proof();
    let kid = env.active_kid();
    let b64 = env.dd().server_key(&kid).unwrap().public_key_b64;
    // KID=B64 and bare B64 (tried for any token)
    env.ol_no_data()
        .args(["verify", &token, "--public-key", &format!("{kid}={b64}")])
        .assert()
        .success();
    env.ol_no_data()
        .args(["verify", &token, "--public-key", &b64])
        .assert()
        .success();
    // the right kid with the wrong key
    let v = verify_json(
        env.ol_no_data().args([
            "verify",
            &token,
            "--public-key",
            &format!("{kid}={VECTOR_PUBLIC_KEY}"),
        ]),
        1,
    );
    assert_eq!(v["reason"], "Invalid signature");
    // another kid only
    let v = verify_json(
        env.ol_no_data().args([
            "verify",
            &token,
            "--public-key",
            &format!("{VECTOR_KID}={b64}"),
        ]),
        1,
    );
    assert_eq!(v["reason"], "Unknown key id");
    // several keys: the one with the token's kid is picked
    env.ol_no_data()
        .args(["verify", &token])
        .args(["--public-key", &format!("{VECTOR_KID}={VECTOR_PUBLIC_KEY}")])
        .args(["--public-key", &format!("{kid}={b64}")])
        .assert()
        .success();
    // nothing was audited anywhere: there is no data dir
    assert!(!env.tmp.path().join("absent").exists());
}

#[test]
fn bad_key_arguments_and_files() {
    let env = Env::new();
    let a = env
        .ol_no_data()
        .args(["verify", VECTOR_TOKEN, "--public-key", "kid=notbase64"])
        .assert()
        .code(65);
    assert!(stderr_of(&a).starts_with("error[INVALID_KEY]: --public-key kid=…"));
    let f = env.tmp.path().join("keys.json");
    std::fs::write(&f, "{\"keys\": [\n  {\"kid\": 1,}\n]}").unwrap();
    let a = env
        .ol_no_data()
        .args(["verify", VECTOR_TOKEN, "--keys-file"])
        .arg(&f)
        .assert()
        .code(65);
    assert!(
        stderr_of(&a).contains("malformed JSON at line 2"),
        "{}",
        stderr_of(&a)
    );
    std::fs::write(&f, r#"{"keys":[{"kid":"k"}]}"#).unwrap();
    let a = env
        .ol_no_data()
        .args(["verify", VECTOR_TOKEN, "--keys-file"])
        .arg(&f)
        .assert()
        .code(65);
    assert!(stderr_of(&a).contains("keys[0] has no public_key_b64"));
}

#[test]
fn without_data_dir_or_keys_it_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let a = ol_at(&tmp.path().join("data"))
        .args(["verify", VECTOR_TOKEN])
        .assert()
        .code(66);
    let err = stderr_of(&a);
    assert!(err.starts_with("error[NOT_INITIALIZED]"), "{err}");
    assert!(
        err.contains("openleash init") && err.contains("--public-key"),
        "{err}"
    );
}

#[test]
fn vector_token_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let key = format!("{VECTOR_KID}={VECTOR_PUBLIC_KEY}");
    let mut cmd = ol_at(&tmp.path().join("absent"));
    let v = verify_json(cmd.args(["verify", VECTOR_TOKEN, "--public-key", &key]), 1);
    insta::assert_json_snapshot!("verify_vector_expired_json", v);

    let mut cmd = ol_at(&tmp.path().join("absent"));
    let v = verify_json(
        cmd.args(["verify", VECTOR_TOKEN, "--public-key", &key])
            .args(["--allow-expired", "--expected-action-hash", HASH]),
        0,
    );
    insta::assert_json_snapshot!("verify_vector_allow_expired_json", v);

    let a = ol_at(&tmp.path().join("absent"))
        .args([
            "verify",
            VECTOR_TOKEN,
            "--public-key",
            &key,
            "--allow-expired",
        ])
        .assert()
        .success();
    insta::assert_snapshot!("verify_vector_allow_expired_human", stdout_of(&a));
}
