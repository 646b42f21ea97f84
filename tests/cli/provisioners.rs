//! Provisioners: `openleash provisioner add|list|revoke`, the owner and org routes that mint and
//! revoke tokens, and the `/v1/provisioner/*` API — scope (another owner's agents and policies),
//! revoked and expired tokens, tokens never stored in clear, and an enrollment an agent redeems
//! and then authorizes with.

use crate::common::*;
use crate::server::{Resp, Server, bearer_req, env_value, request, setup, signed_post};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

fn ok(r: Resp) -> Value {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

fn err(r: &Resp) -> (u16, String) {
    (r.status, r.code())
}

/// Every file under `dir`, with its bytes.
fn all_files(dir: &Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
        }
    }
}

/// Asserts that no file of the data directory holds `secret`.
fn nowhere_in(data: &Path, secret: &str) {
    let mut files = Vec::new();
    all_files(data, &mut files);
    for (p, bytes) in files {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{} holds a secret in clear",
            p.display()
        );
    }
}

fn secret_of(token: &str) -> &str {
    token.split_once('.').unwrap().1
}

#[test]
fn cli_mints_lists_and_revokes_and_stores_only_a_hash() {
    let (_t, data) = init_dir();
    // Plain output: the token alone on stdout, the rest on stderr.
    let out = ol(&data)
        .args(["provisioner", "add", "--name", "ci-deploy"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.trim();
    assert!(
        token.starts_with("olp_") && !token.contains(' '),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("shown only now"));
    let id = token
        .trim_start_matches("olp_")
        .split_once('.')
        .unwrap()
        .0
        .to_string();

    let list = json_ok(&data, &["provisioner", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["provisioner_id"], id.as_str());
    assert_eq!(list[0]["status"], "ACTIVE");
    assert!(list[0].get("token").is_none() && list[0].get("token_sha256").is_none());

    // Only the secret's SHA-256 is stored, in a 0600 file.
    nowhere_in(&data, secret_of(token));
    let file = data.join("provisioners").join(format!("{id}.json"));
    let stored = std::fs::read_to_string(&file).unwrap();
    assert!(stored.contains(&openleash::crypto::sha256_hex(secret_of(token).as_bytes())));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Bad input.
    assert_eq!(
        json_err(&data, &["provisioner", "add", "--name", "  "]),
        (65, "INVALID_REQUEST".into())
    );
    assert_eq!(
        json_err(
            &data,
            &[
                "provisioner",
                "add",
                "--name",
                "x",
                "--expires-at",
                "2001-01-01T00:00:00Z"
            ]
        ),
        (65, "INVALID_REQUEST".into())
    );
    assert_eq!(
        json_err(
            &data,
            &[
                "provisioner",
                "add",
                "--name",
                "x",
                "--expires-at",
                "tomorrow"
            ]
        ),
        (65, "INVALID_REQUEST".into())
    );
    assert_eq!(
        json_err(
            &data,
            &[
                "provisioner",
                "revoke",
                "00000000-0000-4000-8000-000000000000"
            ]
        ),
        (66, "PROVISIONER_NOT_FOUND".into())
    );

    let minted = json_ok(
        &data,
        &["provisioner", "add", "--name", "launchpad", "--ttl", "3600"],
    );
    assert!(minted["token"].as_str().unwrap().starts_with("olp_"));
    assert!(minted["expires_at"].is_string());

    let revoked = json_ok(&data, &["provisioner", "revoke", &id]);
    assert_eq!(revoked["status"], "REVOKED");
    assert!(revoked["revoked_at"].is_string());
    // Idempotent.
    assert_eq!(
        json_ok(&data, &["provisioner", "revoke", &id])["status"],
        "REVOKED"
    );

    let types: Vec<String> = audit_events(&data)
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        types.iter().filter(|t| *t == "PROVISIONER_CREATED").count(),
        2
    );
    assert_eq!(
        types.iter().filter(|t| *t == "PROVISIONER_REVOKED").count(),
        2
    );
    ol(&data).args(["audit", "verify"]).assert().success();
}

#[test]
fn org_provisioners_need_the_org_admin_role() {
    let (_t, data) = init_dir();
    let ada = crate::orgs::first_owner(&data);
    let bob = crate::orgs::add_user(&data, "Bob");
    let org = json_ok(&data, &["org", "create", "--name", "Acme", "--as", &ada]);
    let org = org["org_id"].as_str().unwrap().to_string();

    // A non-member is refused before anything is said about the org.
    assert_eq!(
        json_err(
            &data,
            &[
                "provisioner",
                "add",
                "--name",
                "ci",
                "--owner",
                &org,
                "--as",
                &bob
            ]
        ),
        (77, "FORBIDDEN".into())
    );
    assert_eq!(
        json_err(
            &data,
            &["provisioner", "list", "--owner", &org, "--as", &bob]
        ),
        (77, "FORBIDDEN".into())
    );
    // Nor may one user mint for another.
    assert_eq!(
        json_err(
            &data,
            &[
                "provisioner",
                "add",
                "--name",
                "ci",
                "--owner",
                &ada,
                "--as",
                &bob
            ]
        ),
        (77, "FORBIDDEN".into())
    );
    let m = json_ok(
        &data,
        &[
            "provisioner",
            "add",
            "--name",
            "org-ci",
            "--owner",
            &org,
            "--as",
            &ada,
        ],
    );
    assert_eq!(m["name"], "org-ci");
    let list = json_ok(
        &data,
        &["provisioner", "list", "--owner", &org, "--as", &ada],
    );
    assert_eq!(list[0]["owner_type"], "org");
    // Bob's own list is empty; his provisioner cannot be revoked through the org.
    let bobs = json_ok(&data, &["provisioner", "add", "--name", "b", "--as", &bob]);
    assert_eq!(
        json_ok(
            &data,
            &["provisioner", "list", "--owner", &org, "--as", &ada]
        )
        .as_array()
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        json_err(
            &data,
            &[
                "provisioner",
                "revoke",
                bobs["provisioner_id"].as_str().unwrap(),
                "--owner",
                &org,
                "--as",
                &ada
            ]
        ),
        (66, "PROVISIONER_NOT_FOUND".into())
    );
    let events = audit_events(&data);
    let created = events
        .iter()
        .find(|e| {
            e["event_type"] == "PROVISIONER_CREATED" && e["metadata_json"]["org_id"] == org.as_str()
        })
        .unwrap();
    assert_eq!(created["metadata_json"]["created_by"], ada.as_str());
}

const ALLOW_SMALL: &str = "version: 1\ndefault: deny\nrules:\n  - id: small\n    effect: allow\n    action: purchase\n    constraints:\n      amount_max: 50000\n";

fn upsert(data: &Path, owner: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.yaml");
    std::fs::write(&f, ALLOW_SMALL).unwrap();
    json_ok(
        data,
        &[
            "policy",
            "upsert",
            "--file",
            f.to_str().unwrap(),
            "--owner",
            owner,
            "--name",
            name,
        ],
    )["policy_id"]
        .as_str()
        .unwrap()
        .to_string()
}

use crate::orgs::{login, set_passphrase};

#[test]
fn provisioner_api_stays_in_its_owners_scope() {
    let (tmp, data, _key) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let bob = crate::orgs::add_user(&data, "Bob");
    let bob_agent = json_ok(
        &data,
        &["agent", "add", "--agent-id", "bob-agent", "--owner", &bob],
    );
    let bob_agent = bob_agent["agent_principal_id"]
        .as_str()
        .unwrap()
        .to_string();
    let bob_policy = upsert(&data, &bob, "bob's");
    let ada_policy = upsert(&data, &ada, "small purchases");
    let my_agent = json_ok(&data, &["agent", "show", "my-agent"]);
    let my_agent = my_agent["agent_principal_id"].as_str().unwrap().to_string();
    set_passphrase(&data, &ada);
    set_passphrase(&data, &bob);
    let srv = Server::start(&data, &[]);
    let ada_s = login(&srv, &ada);
    let bob_s = login(&srv, &bob);

    // The owner mints over HTTP; the token is shown once, the list never has it.
    let minted = ok(bearer_req(
        &srv,
        "POST",
        "/v1/owner/provisioners",
        &ada_s,
        Some(&json!({"name": "launchpad"})),
    ));
    let token = minted["token"].as_str().unwrap().to_string();
    let pid = minted["provisioner_id"].as_str().unwrap().to_string();
    assert_eq!(
        err(&bearer_req(
            &srv,
            "POST",
            "/v1/owner/provisioners",
            &ada_s,
            Some(&json!({}))
        )),
        (400, "INVALID_REQUEST".into())
    );
    let list = ok(bearer_req(
        &srv,
        "GET",
        "/v1/owner/provisioners",
        &ada_s,
        None,
    ));
    assert_eq!(list["provisioners"][0]["provisioner_id"], pid.as_str());
    assert!(list["provisioners"][0].get("token").is_none());
    assert_eq!(
        ok(bearer_req(
            &srv,
            "GET",
            "/v1/owner/provisioners",
            &bob_s,
            None
        ))["provisioners"],
        json!([])
    );

    // An organization's provisioners: org_admin mints, an outsider is refused first.
    let org = json_ok(&data, &["org", "create", "--name", "Acme", "--as", &ada]);
    let org_path = format!(
        "/v1/owner/organizations/{}/provisioners",
        org["org_id"].as_str().unwrap()
    );
    assert_eq!(
        err(&bearer_req(
            &srv,
            "POST",
            &org_path,
            &bob_s,
            Some(&json!({"name": "x"}))
        )),
        (403, "FORBIDDEN".into())
    );
    let org_minted = ok(bearer_req(
        &srv,
        "POST",
        &org_path,
        &ada_s,
        Some(&json!({"name": "org-ci"})),
    ));
    let org_list = ok(bearer_req(&srv, "GET", &org_path, &ada_s, None));
    assert_eq!(org_list["provisioners"][0]["owner_type"], "org");
    let org_token = org_minted["token"].as_str().unwrap();
    let org_self = ok(bearer_req(
        &srv,
        "GET",
        "/v1/provisioner/self",
        org_token,
        None,
    ));
    assert_eq!(org_self["owner_id"], org["org_id"]);
    // The org's provisioner sees none of Ada's own agents.
    assert_eq!(
        ok(bearer_req(
            &srv,
            "GET",
            "/v1/provisioner/agents",
            org_token,
            None
        ))["agents"],
        json!([])
    );
    assert_eq!(
        err(&bearer_req(
            &srv,
            "GET",
            &format!("/v1/provisioner/agents/{my_agent}/policies"),
            org_token,
            None
        )),
        (404, "NOT_FOUND".into())
    );
    let org_revoke = format!(
        "{org_path}/{}",
        org_minted["provisioner_id"].as_str().unwrap()
    );
    assert_eq!(
        err(&bearer_req(&srv, "DELETE", &org_revoke, &bob_s, None)),
        (403, "FORBIDDEN".into())
    );
    assert_eq!(
        ok(bearer_req(&srv, "DELETE", &org_revoke, &ada_s, None))["status"],
        "REVOKED"
    );

    let p = |method: &str, path: &str, body: Option<&Value>| {
        bearer_req(&srv, method, path, &token, body)
    };

    // Authentication.
    let me = ok(p("GET", "/v1/provisioner/self", None));
    assert_eq!(
        (me["provisioner_id"].as_str(), me["owner_id"].as_str()),
        (Some(pid.as_str()), Some(ada.as_str()))
    );
    assert_eq!(
        err(&request(srv.addr, "GET", "/v1/provisioner/self", &[], None)),
        (401, "PROVISIONER_UNAUTHORIZED".into())
    );
    let forged = format!("olp_{pid}.{}", "A".repeat(43));
    for bad in [forged.as_str(), "olp_nonsense", ada_s.as_str()] {
        assert_eq!(
            err(&bearer_req(&srv, "GET", "/v1/provisioner/self", bad, None)),
            (401, "PROVISIONER_UNAUTHORIZED".into()),
            "{bad}"
        );
    }
    // A provisioner token is no owner session.
    assert_eq!(
        bearer_req(&srv, "GET", "/v1/owner/agents", &token, None).status,
        401
    );

    // Reads: the owner's policies and agents only.
    let pols = ok(p("GET", "/v1/provisioner/policies", None));
    let ids: Vec<&str> = pols["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["policy_id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&ada_policy.as_str()) && !ids.contains(&bob_policy.as_str()),
        "{ids:?}"
    );
    assert_eq!(pols["policies"][0]["applies_to_group_id"], Value::Null);
    let agents = ok(p("GET", "/v1/provisioner/agents", None));
    let names: Vec<&str> = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["agent_id"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["my-agent"]);
    assert_eq!(
        ok(p("GET", "/v1/provisioner/groups", None))["groups"],
        json!([])
    );

    // Another owner's agent is not found; another owner's policy is invalid.
    let bob_agent_path = format!("/v1/provisioner/agents/{bob_agent}/policies");
    assert_eq!(
        err(&p("GET", &bob_agent_path, None)),
        (404, "NOT_FOUND".into())
    );
    assert_eq!(
        err(&p(
            "POST",
            &bob_agent_path,
            Some(&json!({"policy_id": ada_policy}))
        )),
        (404, "NOT_FOUND".into())
    );
    assert_eq!(
        err(&p(
            "DELETE",
            &format!("{bob_agent_path}/{bob_policy}"),
            None
        )),
        (404, "NOT_FOUND".into())
    );
    let my_path = format!("/v1/provisioner/agents/{my_agent}/policies");
    assert_eq!(
        err(&p(
            "POST",
            &my_path,
            Some(&json!({"policy_id": bob_policy}))
        )),
        (400, "INVALID_POLICY".into())
    );
    assert_eq!(
        err(&p("POST", &my_path, Some(&json!({})))),
        (400, "INVALID_REQUEST".into())
    );
    assert_eq!(
        err(&p(
            "POST",
            &format!(
                "/v1/provisioner/groups/{}/agents/{my_agent}",
                openleash::ids::new_id()
            ),
            Some(&json!({}))
        )),
        (404, "NOT_FOUND".into())
    );
    // Bob's agent's bindings are untouched.
    let bob_bindings = json_ok(&data, &["policy", "show", &bob_policy]);
    assert!(!bob_bindings.to_string().contains(&ada_policy));

    // Bind, idempotently, and unbind on the owner's own agent.
    assert_eq!(
        ok(p("POST", &my_path, Some(&json!({"policy_id": ada_policy}))))["status"],
        "bound"
    );
    assert_eq!(
        ok(p("POST", &my_path, Some(&json!({"policy_id": ada_policy}))))["status"],
        "already_bound"
    );
    let mine = ok(p("GET", &my_path, None));
    assert_eq!(mine["policies"][0]["policy_id"], ada_policy.as_str());
    assert_eq!(mine["policies"][0]["name"], "small purchases");
    assert_eq!(
        ok(p("DELETE", &format!("{my_path}/{ada_policy}"), None))["status"],
        "unbound"
    );
    assert_eq!(
        err(&p("DELETE", &format!("{my_path}/{ada_policy}"), None)),
        (404, "NOT_FOUND".into())
    );

    // Enrollment input.
    let enroll = "/v1/provisioner/enrollments";
    assert_eq!(
        err(&p("POST", enroll, Some(&json!({})))),
        (400, "INVALID_REQUEST".into())
    );
    assert_eq!(
        err(&p(
            "POST",
            enroll,
            Some(&json!({"agent_name": "x", "policy_id": bob_policy}))
        )),
        (400, "INVALID_POLICY".into())
    );
    assert_eq!(
        err(&p(
            "POST",
            enroll,
            Some(&json!({"agent_name": "x", "group_id": openleash::ids::new_id()}))
        )),
        (400, "INVALID_GROUP".into())
    );

    // Revocation: by the owner; another owner cannot.
    let del = format!("/v1/owner/provisioners/{pid}");
    assert_eq!(
        err(&bearer_req(&srv, "DELETE", &del, &bob_s, None)),
        (403, "FORBIDDEN".into())
    );
    assert_eq!(
        ok(p("GET", "/v1/provisioner/self", None))["status"],
        "ACTIVE"
    );
    assert_eq!(
        ok(bearer_req(&srv, "DELETE", &del, &ada_s, None))["status"],
        "REVOKED"
    );
    assert_eq!(
        err(&p("GET", "/v1/provisioner/self", None)),
        (401, "PROVISIONER_REVOKED".into())
    );
    assert_eq!(
        err(&p("POST", enroll, Some(&json!({"agent_name": "x"})))),
        (401, "PROVISIONER_REVOKED".into())
    );

    // Expiry (a one-second token).
    let short = json_ok(
        &data,
        &[
            "provisioner",
            "add",
            "--name",
            "short",
            "--ttl",
            "1",
            "--owner",
            &ada,
        ],
    );
    let short = short["token"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        err(&bearer_req(
            &srv,
            "GET",
            "/v1/provisioner/self",
            &short,
            None
        )),
        (401, "PROVISIONER_EXPIRED".into())
    );

    for t in [&token, &short] {
        nowhere_in(&data, secret_of(t));
    }
    drop(srv);
    ol(&data).args(["audit", "verify"]).assert().success();
}

#[test]
fn an_enrollment_is_redeemed_by_an_agent_that_then_authorizes() {
    let (tmp, data, _key) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let policy = upsert(&data, &ada, "small purchases");
    let token = json_ok(&data, &["provisioner", "add", "--name", "launchpad"]);
    let pid = token["provisioner_id"].as_str().unwrap().to_string();
    let token = token["token"].as_str().unwrap().to_string();
    let srv = Server::start(&data, &[]);
    let p = |method: &str, path: &str, body: Option<&Value>| {
        bearer_req(&srv, method, path, &token, body)
    };

    let e = ok(p(
        "POST",
        "/v1/provisioner/enrollments",
        Some(&json!({"agent_name": "ci-bot", "policy_id": policy})),
    ));
    assert_eq!(
        (e["agent_name"].as_str(), e["policy_id"].as_str()),
        (Some("ci-bot"), Some(policy.as_str()))
    );
    let url = e["invite_url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!(
            "http://{}/v1/agents/register-with-invite?invite_id=",
            srv.addr
        )),
        "{url}"
    );
    let invite_token = e["invite_token"].as_str().unwrap().to_string();
    nowhere_in(&data, &invite_token);
    let listed = ok(p("GET", "/v1/provisioner/enrollments", None));
    assert_eq!(listed["enrollments"][0]["status"], "pending");

    // The agent redeems the invite with its own key...
    let sk = openleash::crypto::ed25519::generate();
    let pk = openleash::crypto::ed25519::public_key_b64(&sk.verifying_key());
    let body = json!({"invite_id": e["invite_id"], "invite_token": invite_token, "agent_id": "ci-bot", "agent_pubkey_b64": pk});
    let reg = ok(request(
        srv.addr,
        "POST",
        "/v1/agents/register-with-invite",
        &[("Content-Type", "application/json")],
        Some(body.to_string().as_bytes()),
    ));
    let agent_pid = reg["agent_principal_id"].as_str().unwrap().to_string();
    assert_eq!(reg["owner_id"], ada.as_str());

    // ...and is bound to the enrollment's policy, which decides its requests.
    let bound = ok(p(
        "GET",
        &format!("/v1/provisioner/agents/{agent_pid}/policies"),
        None,
    ));
    assert_eq!(bound["policies"][0]["policy_id"], policy.as_str());
    let ask = |amount: u64| {
        let action = crate::server::authorize_action(amount, "ci-bot", &ada);
        ok(signed_post(
            &srv,
            &sk,
            "ci-bot",
            "/v1/authorize",
            action.to_string().as_bytes(),
        ))
    };
    let d = ask(1000);
    assert_eq!(
        (d["result"].as_str(), d["matched_rule_id"].as_str()),
        (Some("ALLOW"), Some("small")),
        "{d}"
    );

    let listed = ok(p("GET", "/v1/provisioner/enrollments", None));
    let first = &listed["enrollments"][0];
    assert_eq!(first["status"], "used");
    assert_eq!(first["agent"]["agent_id"], "ci-bot");
    let agents = ok(p("GET", "/v1/provisioner/agents", None));
    assert_eq!(agents["agents"].as_array().unwrap().len(), 2);
    let record =
        std::fs::read_to_string(data.join("agents").join(format!("{agent_pid}.yaml"))).unwrap();
    assert!(
        record.contains(&format!("enrolled_by_provisioner_id: {pid}")),
        "{record}"
    );

    // Audited with the provisioner's id.
    let events = audit_events(&data);
    let by_type = |t: &str| {
        events
            .iter()
            .find(|e| e["event_type"] == t)
            .unwrap_or_else(|| panic!("no {t}"))
    };
    assert_eq!(
        by_type("PROVISIONER_ENROLLMENT_CREATED")["metadata_json"]["provisioner_id"],
        pid.as_str()
    );
    assert_eq!(
        by_type("PROVISIONER_ENROLLMENT_CREATED")["principal_id"],
        pid.as_str()
    );
    let reg_ev = by_type("AGENT_REGISTERED_VIA_INVITE");
    assert_eq!(reg_ev["metadata_json"]["provisioner_id"], pid.as_str());
    assert_eq!(reg_ev["metadata_json"]["bound_policy_id"], policy.as_str());
    drop(srv);
    ol(&data).args(["audit", "verify"]).assert().success();
}

/// An org's provisioner lists the org's policy groups and moves the org's agents in and out of
/// them (upstream's `/v1/provisioner/groups…`), audited with the provisioner's id; an enrollment
/// naming a group makes the agent join it when it registers.
#[test]
fn an_org_provisioner_manages_group_membership() {
    let (_t, data) = init_dir();
    let ada = crate::orgs::first_owner(&data);
    let org = json_ok(&data, &["org", "create", "--name", "Acme", "--as", &ada]);
    let org = org["org_id"].as_str().unwrap().to_string();
    let agent = json_ok(
        &data,
        &["agent", "add", "--agent-id", "org-bot", "--owner", &org],
    );
    let agent = agent["agent_principal_id"].as_str().unwrap().to_string();
    let g = json_ok(
        &data,
        &[
            "org", "group", "create", &org, "--name", "Buyers", "--as", &ada,
        ],
    );
    let gid = g["group_id"].as_str().unwrap().to_string();
    let out = ol(&data)
        .args([
            "provisioner",
            "add",
            "--name",
            "ci",
            "--owner",
            &org,
            "--as",
            &ada,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let pid = token
        .trim_start_matches("olp_")
        .split_once('.')
        .unwrap()
        .0
        .to_string();
    let srv = Server::start(&data, &[]);
    let groups = ok(bearer_req(
        &srv,
        "GET",
        "/v1/provisioner/groups",
        &token,
        None,
    ));
    assert_eq!(groups["groups"][0]["group_id"], gid.as_str(), "{groups}");
    let path = format!("/v1/provisioner/groups/{gid}/agents/{agent}");
    ok(bearer_req(&srv, "POST", &path, &token, Some(&json!({}))));
    let pol = ok(bearer_req(
        &srv,
        "GET",
        &format!("/v1/provisioner/agents/{agent}/policies"),
        &token,
        None,
    ));
    assert_eq!(pol["groups"][0]["group_id"], gid.as_str(), "{pol}");
    assert_eq!(pol["groups"][0]["name"], "Buyers", "{pol}");
    ok(bearer_req(&srv, "DELETE", &path, &token, None));
    let pol = ok(bearer_req(
        &srv,
        "GET",
        &format!("/v1/provisioner/agents/{agent}/policies"),
        &token,
        None,
    ));
    assert_eq!(pol["groups"], json!([]), "{pol}");
    // An unknown group is refused; an enrollment into a known one joins it at redemption.
    let r = bearer_req(
        &srv,
        "POST",
        &format!("/v1/provisioner/groups/00000000-0000-4000-8000-000000000000/agents/{agent}"),
        &token,
        Some(&json!({})),
    );
    assert_eq!(r.status, 404);
    let r = bearer_req(
        &srv,
        "POST",
        "/v1/provisioner/enrollments",
        &token,
        Some(
            &json!({"agent_name": "next-bot", "group_id": "00000000-0000-4000-8000-000000000000"}),
        ),
    );
    assert_eq!(err(&r), (400, "INVALID_GROUP".into()));
    let e = ok(bearer_req(
        &srv,
        "POST",
        "/v1/provisioner/enrollments",
        &token,
        Some(&json!({"agent_name": "next-bot", "group_id": gid})),
    ));
    assert_eq!(e["group_id"], gid.as_str());
    let sk = openleash::crypto::ed25519::generate();
    let pk = openleash::crypto::ed25519::public_key_b64(&sk.verifying_key());
    let body = json!({"invite_id": e["invite_id"], "invite_token": e["invite_token"], "agent_id": "next-bot", "agent_pubkey_b64": pk});
    let reg = ok(request(
        srv.addr,
        "POST",
        "/v1/agents/register-with-invite",
        &[("Content-Type", "application/json")],
        Some(body.to_string().as_bytes()),
    ));
    let next = reg["agent_principal_id"].as_str().unwrap().to_string();
    let pol = ok(bearer_req(
        &srv,
        "GET",
        &format!("/v1/provisioner/agents/{next}/policies"),
        &token,
        None,
    ));
    assert_eq!(pol["groups"][0]["group_id"], gid.as_str(), "{pol}");
    drop(srv);
    let events = audit_events(&data);
    assert!(
        events.iter().any(|e| e["event_type"]
            .as_str()
            .is_some_and(|t| t.starts_with("POLICY_GROUP_"))
            && e["principal_id"] == pid.as_str()),
        "group membership changes carry the provisioner's id"
    );
}
