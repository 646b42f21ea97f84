//! Proof-token interop with the official Python SDK (`openleash-sdk==0.3.0`) and pyseto, through
//! `tests/interop/proof_interop.py`. Runs with the Python named by `OPENLEASH_INTEROP_PYTHON` (a
//! venv with `openleash-sdk==0.3.0` and `pyseto`); skipped, saying so, when that is unset.

use super::verify::{Env, proof_claims, stdout_json};
use openleash::tokens::{self, ProofClaims};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command as Process;

const ENV_VAR: &str = "OPENLEASH_INTEROP_PYTHON";

fn python() -> Option<String> {
    match std::env::var(ENV_VAR) {
        Ok(p) if !p.trim().is_empty() => Some(p),
        _ => {
            eprintln!(
                "SKIPPED Python SDK interop: set {ENV_VAR} to a python with openleash-sdk==0.3.0 and pyseto installed"
            );
            None
        }
    }
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/proof_interop.py")
}

/// Runs the script; returns its JSON line, failing the test with its output on a non-zero exit.
fn run_script(python: &str, args: &[&str]) -> Value {
    let out = Process::new(python)
        .arg(script())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "proof_interop.py {args:?} failed ({}):\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("bad JSON {stdout}: {e}"))
}

#[test]
fn python_sdk_accepts_our_proof_tokens() {
    let Some(py) = python() else { return };
    let env = Env::new();
    let a = env.ol().args(["keys", "list", "--json"]).assert().success();
    let keys_file = env.tmp.path().join("public-keys.json");
    std::fs::write(&keys_file, &a.get_output().stdout).unwrap();

    let (meta, sk) = env.dd().active_key().unwrap();
    let now = openleash::timefmt::now();
    let with_rule = proof_claims();
    let without_rule = ProofClaims {
        matched_rule_id: None,
        trust_profile: None,
        ..proof_claims()
    };
    for claims in [with_rule, without_rule] {
        let issued = tokens::issue_proof(&meta.kid, &sk, &claims, 300, now).unwrap();
        let expected =
            tokens::proof_claims(&meta.kid, &issued.issued_at, &issued.expires_at, &claims);
        let out = run_script(
            &py,
            &[
                "verify-ours",
                "--token",
                &issued.token,
                "--keys-file",
                &keys_file.to_string_lossy(),
                "--expect-claims",
                &expected.to_string(),
            ],
        );
        assert_eq!(out["ok"], true, "{out}");
    }
}

#[test]
fn openleash_verify_accepts_pyseto_tokens() {
    let Some(py) = python() else { return };
    let made = run_script(&py, &["make", "--ttl-seconds", "300"]);
    let key = format!(
        "{}={}",
        made["kid"].as_str().unwrap(),
        made["public_key_b64"].as_str().unwrap()
    );
    let env = Env::new();
    let verify = |token: &str, code: i32, extra: &[&str]| -> Value {
        let a = env
            .ol_no_data()
            .args(["--json", "verify", token, "--public-key", &key])
            .args(extra)
            .assert()
            .code(code);
        stdout_json(&a)
    };
    let tok = |name: &str| made[name].as_str().unwrap().to_string();

    let v = verify(&tok("token"), 0, &["--expected-agent-id", "py-agent"]);
    assert_eq!(v, json!({"valid": true, "claims": made["claims"]}));
    // the bare key (no kid) is tried for any token
    let bare = made["public_key_b64"].as_str().unwrap();
    env.ol_no_data()
        .args(["verify", &tok("token"), "--public-key", bare])
        .assert()
        .success();
    // pyseto's own JSON spacing and exp format
    let v = verify(&tok("token_pyseto_dict"), 0, &[]);
    assert_eq!(v["claims"]["agent_id"], "py-agent");

    assert_eq!(
        verify(&tok("token_expired"), 1, &[])["reason"],
        "Token expired"
    );
    assert_eq!(
        verify(&tok("token_wrong_purpose"), 1, &[])["reason"],
        "Invalid token purpose"
    );
    assert_eq!(
        verify(&tok("token_with_footer"), 1, &[])["reason"],
        "Invalid token format"
    );
}

#[test]
fn python_sdk_reads_the_vector_token() {
    let Some(py) = python() else { return };
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/testvectors.json");
    let out = run_script(&py, &["vector", "--file", &file.to_string_lossy()]);
    assert_eq!(out["ok"], true, "{out}");
}

#[test]
fn python_sdk_accepts_tokens_from_openleash_authorize() {
    let Some(py) = python() else { return };
    let (tmp, data) = crate::common::init_dir();
    let out = crate::common::ol(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            r#"{"amount_minor":5000,"currency":"USD"}"#,
            "--rp-domain",
            "shop.example",
            "--trust-profile",
            "HIGH",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let token = crate::common::stdout_json(&out)["proof_token"]
        .as_str()
        .unwrap()
        .to_string();
    let keys_file = tmp.path().join("public-keys.json");
    std::fs::write(
        &keys_file,
        crate::common::ol(&data)
            .args(["--json", "keys", "list"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let result = run_script(
        &py,
        &[
            "verify-ours",
            "--token",
            &token,
            "--keys-file",
            &keys_file.to_string_lossy(),
        ],
    );
    assert_eq!(result["ok"], true, "{result}");
}
