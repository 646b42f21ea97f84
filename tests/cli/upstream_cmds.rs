//! Issue 22 item 4, the small upstream commands and endpoint: `owner add-signatory`,
//! `GET /v1/admin/state` and `testvectors --check`.

use crate::common::*;
use crate::server::{Server, env_value, request, set_config};
use serde_json::{Value, json};

fn json_out(args: &[&str], data: &std::path::Path) -> (Option<i32>, Value) {
    let out = ol(data).arg("--json").args(args).output().unwrap();
    (out.status.code(), stdout_json(&out))
}

#[test]
fn add_signatory_adds_a_person_to_an_org_and_refuses_bad_input() {
    let (tmp, data) = init_dir();
    let user = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let (code, org) = json_out(
        &["owner", "add", "--type", "org", "--name", "Acme AB"],
        &data,
    );
    assert_eq!(code, Some(0), "{org}");
    let org = org["owner_id"].as_str().unwrap().to_string();

    let (code, v) = json_out(
        &[
            "owner",
            "add-signatory",
            &org,
            "--person",
            &user,
            "--role",
            "managing-director",
            "--authority",
            "joint",
            "--scope",
            "contracts up to 100k",
        ],
        &data,
    );
    assert_eq!(code, Some(0), "{v}");
    let s = &v["signatories"][0];
    assert_eq!(s["human_owner_principal_id"], user.as_str());
    assert_eq!(s["role"], "MANAGING_DIRECTOR");
    assert_eq!(s["signing_authority"], "JOINT");
    assert_eq!(s["scope_description"], "contracts up to 100k");
    assert!(s["valid_until"].is_null());
    let shown = ol(&data).args(["owner", "show", &org]).output().unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains(&format!("{user} as MANAGING_DIRECTOR (JOINT)")),
        "{text}"
    );
    let audited: Vec<Value> = audit_events(&data)
        .into_iter()
        .filter(|e| e["event_type"] == "ORG_UPDATED")
        .collect();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["metadata_json"]["action"], "add_signatory");
    assert_eq!(
        audited[0]["metadata_json"]["human_owner_principal_id"],
        user.as_str()
    );

    for (args, code) in [
        // A user owner has no signatories.
        (
            vec![
                user.as_str(),
                "--person",
                &user,
                "--role",
                "CEO",
                "--authority",
                "SOLE",
            ],
            "WRONG_OWNER_TYPE",
        ),
        // A signatory is a person, not an organization.
        (
            vec![
                org.as_str(),
                "--person",
                &org,
                "--role",
                "CEO",
                "--authority",
                "SOLE",
            ],
            "WRONG_OWNER_TYPE",
        ),
        (
            vec![
                org.as_str(),
                "--person",
                &user,
                "--role",
                "king",
                "--authority",
                "SOLE",
            ],
            "INVALID_IDENTITY",
        ),
        (
            vec![
                org.as_str(),
                "--person",
                &user,
                "--role",
                "CEO",
                "--authority",
                "alone",
            ],
            "INVALID_IDENTITY",
        ),
        (
            vec![
                org.as_str(),
                "--person",
                "00000000-0000-4000-8000-000000000009",
                "--role",
                "CEO",
                "--authority",
                "SOLE",
            ],
            "OWNER_NOT_FOUND",
        ),
    ] {
        let mut a = vec!["owner", "add-signatory"];
        a.extend(args.iter().copied());
        let (exit, v) = json_out(&a, &data);
        assert_ne!(exit, Some(0), "{args:?}");
        assert_eq!(v["error"]["code"], code, "{args:?}: {v}");
    }
    // Without a terminal, missing answers are named.
    let out = ol(&data)
        .args(["owner", "add-signatory", &org, "--person", &user])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--role") && err.contains("--authority"),
        "{err}"
    );
}

#[test]
fn admin_state_counts_records_as_upstream() {
    let (_tmp, data) = init_dir();
    ol(&data)
        .args(["agent", "add", "--agent-id", "second"])
        .assert()
        .success();
    ol(&data)
        .args(["owner", "add", "--type", "org", "--name", "Acme"])
        .assert()
        .success();
    let srv = Server::start(&data, &[]);
    let r = request(srv.addr, "GET", "/v1/admin/state", &[], None);
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["version"], 2);
    assert_eq!(v["counts"]["users"], 1);
    assert_eq!(v["counts"]["organizations"], 1);
    assert_eq!(v["counts"]["agents"], 2);
    assert_eq!(v["counts"]["keys"], 1);
    assert!(v["counts"]["policies"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["counts"]["bindings"].as_u64().unwrap() >= 1, "{v}");
    let (_, keys) = json_out(&["keys", "list"], &data);
    assert!(keys.to_string().contains(v["active_kid"].as_str().unwrap()));
    drop(srv);

    // Admin auth as the other admin endpoints: with admin.mode token, loopback is not enough.
    set_config(
        &data,
        "admin:\n  mode: token\n  token: adm-0123456789abcdef0123456789abcdef\n",
    );
    let srv = Server::start(&data, &[]);
    let r = request(srv.addr, "GET", "/v1/admin/state", &[], None);
    assert_eq!(
        (r.status, r.code()),
        (401, "ADMIN_UNAUTHORIZED".to_string())
    );
    let r = request(
        srv.addr,
        "GET",
        "/v1/admin/state",
        &[(
            "Authorization",
            "Bearer adm-0123456789abcdef0123456789abcdef",
        )],
        None,
    );
    assert_eq!(r.status, 200);
}

#[test]
fn testvectors_check_accepts_ours_and_upstreams_and_names_what_is_wrong() {
    let tmp = tempfile::TempDir::new().unwrap();
    let ours = tmp.path().join("ours.json");
    bin()
        .args(["testvectors", "--out"])
        .arg(&ours)
        .assert()
        .success();
    let upstream = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/testvectors.json");
    for f in [&ours, &upstream] {
        let out = bin()
            .args(["--json", "testvectors", "--check"])
            .arg(f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert_eq!(stdout_json(&out)["ok"], true);
    }
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&ours).unwrap()).unwrap();
    v["action_hash"] = json!("00".repeat(32));
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = bin()
        .args(["--json", "testvectors", "--check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let failed: Vec<String> = stdout_json(&out)["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    // The token's action_hash claim no longer matches either.
    assert_eq!(failed, ["action_hash", "paseto_token", "same_as_openleash"]);
    let out = bin()
        .args(["testvectors", "--check"])
        .arg(&bad)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAIL  action_hash: SHA-256 of canonical_json is 5fed50d1"),
        "{text}"
    );
    std::fs::write(&bad, "{not json").unwrap();
    let out = bin()
        .args(["testvectors", "--check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65), "{out:?}");
}
