//! Organizations: `openleash org …` on a data directory, and the org endpoints of `openleash
//! start` (membership, invites, the role matrix and a whole team flow over HTTP).

use crate::common::*;
use serde_json::Value;
use std::path::Path;

pub(crate) fn add_user(data: &Path, name: &str) -> String {
    json_ok(data, &["owner", "add", "--name", name])["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn first_owner(data: &Path) -> String {
    json_ok(data, &["owner", "list"])[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn org_membership_over_the_cli() {
    let (_t, data) = init_dir();
    let ada = first_owner(&data);
    let bob = add_user(&data, "Bob");
    let carol = add_user(&data, "Carol");

    let org = json_ok(&data, &["org", "create", "--name", "Acme", "--as", &ada]);
    assert_eq!(org["your_role"], "org_admin");
    let org = org["org_id"].as_str().unwrap().to_string();

    // Invite, list, accept.
    let inv = json_ok(
        &data,
        &[
            "org",
            "invite",
            "create",
            &org,
            &bob,
            "--role",
            "org_viewer",
            "--as",
            &ada,
        ],
    );
    let inv = inv["invite_id"].as_str().unwrap().to_string();
    let mine = json_ok(&data, &["org", "invite", "list", "--as", &bob]);
    assert_eq!(mine["invites"][0]["invite_id"], inv.as_str());
    let accepted = json_ok(&data, &["org", "invite", "accept", &inv, "--as", &bob]);
    assert_eq!(accepted["role"], "org_viewer");
    let members = json_ok(&data, &["org", "member", "list", &org, "--as", &bob]);
    assert_eq!(members["members"].as_array().unwrap().len(), 2);

    // A viewer cannot change roles; the last admin can neither leave nor be demoted.
    assert_eq!(
        json_err(
            &data,
            &[
                "org",
                "member",
                "role",
                &org,
                &bob,
                "org_admin",
                "--as",
                &bob
            ]
        ),
        (77, "FORBIDDEN".into())
    );
    assert_eq!(
        json_err(&data, &["org", "leave", &org, "--as", &ada]),
        (65, "LAST_ADMIN".into())
    );
    assert_eq!(
        json_err(
            &data,
            &[
                "org",
                "member",
                "role",
                &org,
                &ada,
                "org_member",
                "--as",
                &ada
            ]
        ),
        (65, "LAST_ADMIN".into())
    );
    // A non-member gets FORBIDDEN, the same as for an org that does not exist.
    assert_eq!(
        json_err(&data, &["org", "show", &org, "--as", &carol]),
        (77, "FORBIDDEN".into())
    );
    let nowhere = "6f1c1c1e-0000-4000-8000-000000000000";
    assert_eq!(
        json_err(&data, &["org", "show", nowhere, "--as", &carol]),
        (77, "FORBIDDEN".into())
    );
    assert_eq!(
        json_err(&data, &["org", "show", nowhere]),
        (66, "NOT_FOUND".into())
    );

    // A revoked invite cannot be accepted.
    let inv2 = json_ok(
        &data,
        &["org", "invite", "create", &org, &carol, "--as", &ada],
    );
    let inv2 = inv2["invite_id"].as_str().unwrap().to_string();
    json_ok(
        &data,
        &["org", "invite", "revoke", &org, &inv2, "--as", &ada],
    );
    assert_eq!(
        json_err(&data, &["org", "invite", "accept", &inv2, "--as", &carol]),
        (65, "INVITE_NOT_PENDING".into())
    );

    // Promote, step down, leave.
    json_ok(
        &data,
        &[
            "org",
            "member",
            "role",
            &org,
            &bob,
            "org_admin",
            "--as",
            &ada,
        ],
    );
    json_ok(&data, &["org", "leave", &org, "--as", &ada]);
    let orgs = json_ok(&data, &["org", "list", "--as", &ada]);
    assert_eq!(orgs["organizations"].as_array().unwrap().len(), 0);

    // Human output: a table for the operator, ids alone with -q.
    let out = ol(&data).args(["org", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Acme"));
    let out = ol(&data)
        .args(["-q", "org", "member", "list", &org])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), bob);

    // Every membership and role change is in the audit log, attributed to its actor.
    let kinds: Vec<(String, Value)> = audit_events(&data)
        .into_iter()
        .map(|e| {
            (
                e["event_type"].as_str().unwrap().to_string(),
                e["principal_id"].clone(),
            )
        })
        .collect();
    for (k, who) in [
        ("ORG_CREATED", &ada),
        ("ORG_INVITE_CREATED", &ada),
        ("ORG_INVITE_ACCEPTED", &bob),
        ("ORG_INVITE_CANCELLED", &ada),
        ("ORG_MEMBER_UPDATED", &ada),
        ("ORG_MEMBER_LEFT", &ada),
    ] {
        assert!(
            kinds.iter().any(|(kind, p)| kind == k && p == who.as_str()),
            "no {k} by {who} in {kinds:?}"
        );
    }
}

#[test]
fn an_org_from_owner_add_can_be_given_members() {
    let (_t, data) = init_dir();
    let ada = first_owner(&data);
    let org = json_ok(
        &data,
        &["owner", "add", "--name", "Legacy", "--type", "org"],
    )["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    // Users invite; only the operator adds directly.
    assert_eq!(
        json_err(
            &data,
            &[
                "org",
                "member",
                "add",
                &org,
                &ada,
                "--role",
                "org_admin",
                "--as",
                &ada
            ]
        ),
        (77, "FORBIDDEN".into())
    );
    json_ok(
        &data,
        &["org", "member", "add", &org, &ada, "--role", "org_admin"],
    );
    assert_eq!(
        json_ok(&data, &["org", "show", &org, "--as", &ada])["your_role"],
        "org_admin"
    );
    assert_eq!(
        json_err(
            &data,
            &[
                "org",
                "invite",
                "accept",
                "6f1c1c1e-0000-4000-8000-000000000000"
            ]
        ),
        (77, "FORBIDDEN".into())
    );
}

// ---------------------------------------------------------------------------------------------
// Over HTTP

use crate::server::{Resp, Server, bearer_req, env_value, request, setup, signed_get, signed_post};
use serde_json::json;

pub(crate) fn set_passphrase(data: &Path, owner: &str) {
    ol(data)
        .args([
            "owner",
            "set-passphrase",
            "--owner",
            owner,
            "--passphrase-stdin",
        ])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
}

pub(crate) fn login(srv: &Server, owner: &str) -> String {
    let body =
        json!({"user_principal_id": owner, "passphrase": "correct horse battery"}).to_string();
    let r = request(
        srv.addr,
        "POST",
        "/v1/owner/login",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    r.json()["token"].as_str().unwrap().to_string()
}

fn ok(r: Resp) -> Value {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

const APPROVAL_POLICY: &str = "version: 1\ndefault: deny\nrules:\n  - id: small\n    effect: allow\n    action: purchase\n    constraints:\n      amount_max: 50000\n  - id: large_needs_approval\n    effect: allow\n    action: purchase\n    constraints:\n      amount_min: 50001\n    obligations:\n      - type: HUMAN_APPROVAL\n";

/// The issue's team flow: create an org → invite a user → accept → a viewer cannot approve →
/// promoted to org_admin → logs in again → approves an org agent's request → the agent's retry
/// is ALLOWed.
#[test]
fn team_flow_over_http() {
    let (tmp, data, _) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let bob = add_user(&data, "Bob");
    let carol = add_user(&data, "Carol");
    for u in [&ada, &bob, &carol] {
        set_passphrase(&data, u);
    }
    let srv = Server::start(&data, &[]);
    let (ada_s, bob_s, carol_s) = (login(&srv, &ada), login(&srv, &bob), login(&srv, &carol));

    let org = ok(bearer_req(
        &srv,
        "POST",
        "/v1/owner/organizations",
        &ada_s,
        Some(&json!({"display_name": "Team"})),
    ));
    assert_eq!(org["your_role"], "org_admin");
    let org = org["org_id"].as_str().unwrap().to_string();
    let base = format!("/v1/owner/organizations/{org}");

    // Invite Bob as a viewer; Bob sees and accepts it; Carol cannot.
    let inv = ok(bearer_req(
        &srv,
        "POST",
        &format!("{base}/members"),
        &ada_s,
        Some(&json!({"user_principal_id": bob, "role": "org_viewer"})),
    ));
    let inv = inv["invite_id"].as_str().unwrap().to_string();
    let mine = ok(bearer_req(
        &srv,
        "GET",
        "/v1/owner/organization-invites",
        &bob_s,
        None,
    ));
    assert_eq!(mine["invites"][0]["invite_id"], inv.as_str());
    assert_eq!(mine["invites"][0]["org_display_name"], "Team");
    let r = bearer_req(
        &srv,
        "POST",
        &format!("/v1/owner/organization-invites/{inv}/accept"),
        &carol_s,
        Some(&json!({})),
    );
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
    ok(bearer_req(
        &srv,
        "POST",
        &format!("/v1/owner/organization-invites/{inv}/accept"),
        &bob_s,
        Some(&json!({})),
    ));
    let orgs = ok(bearer_req(
        &srv,
        "GET",
        "/v1/owner/organizations",
        &bob_s,
        None,
    ));
    assert_eq!(orgs["organizations"][0]["role"], "org_viewer");

    // The org's policy and agent (through an org agent invite).
    ok(bearer_req(
        &srv,
        "POST",
        &format!("{base}/policies"),
        &ada_s,
        Some(&json!({"policy_yaml": APPROVAL_POLICY})),
    ));
    let ai = ok(bearer_req(
        &srv,
        "POST",
        &format!("{base}/agent-invites"),
        &ada_s,
        Some(&json!({})),
    ));
    assert_eq!(ai["owner_id"], org.as_str());
    let sk = openleash::crypto::ed25519::generate();
    let pk = openleash::crypto::ed25519::public_key_b64(&sk.verifying_key());
    let body = json!({"invite_id": ai["invite_id"], "invite_token": ai["invite_token"], "agent_id": "team-bot", "agent_pubkey_b64": pk}).to_string();
    let r = request(
        srv.addr,
        "POST",
        "/v1/agents/register-with-invite",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let agents = ok(bearer_req(
        &srv,
        "GET",
        &format!("{base}/agents"),
        &bob_s,
        None,
    ));
    assert_eq!(agents["agents"][0]["agent_id"], "team-bot");

    // The agent needs approval for a large purchase and asks for it.
    let action = crate::server::authorize_action(90000, "team-bot", &org);
    let post =
        |path: &str, v: &Value| signed_post(&srv, &sk, "team-bot", path, v.to_string().as_bytes());
    let d = ok(post("/v1/authorize", &action));
    assert_eq!(d["result"], "REQUIRE_APPROVAL");
    let ar = ok(post(
        "/v1/agent/approval-requests",
        &json!({"decision_id": d["decision_id"], "action": action}),
    ));
    let ar = ar["approval_request_id"].as_str().unwrap().to_string();

    // A viewer can neither list nor approve the org's requests; an outsider neither.
    for s in [&bob_s, &carol_s] {
        let r = bearer_req(
            &srv,
            "POST",
            &format!("{base}/approval-requests/{ar}/approve"),
            s,
            Some(&json!({})),
        );
        assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
        let r = bearer_req(&srv, "GET", &format!("{base}/approval-requests"), s, None);
        assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
    }
    // The cross-scope inbox (GET /v1/owner/approvals): the org's request is in Ada's, with its
    // scope, and not in Bob's while his role may not list the org's approvals.
    let has_it = |v: &Value| {
        v["approval_requests"].as_array().unwrap().iter().any(|a| {
            a["approval_request_id"] == ar.as_str()
                && a["scope"]["owner_type"] == "org"
                && a["scope"]["owner_id"] == org.as_str()
        })
    };
    let inbox = ok(bearer_req(
        &srv,
        "GET",
        "/v1/owner/approvals?status=PENDING",
        &ada_s,
        None,
    ));
    assert!(has_it(&inbox), "{inbox}");
    let inbox = ok(bearer_req(&srv, "GET", "/v1/owner/approvals", &bob_s, None));
    assert!(!has_it(&inbox), "{inbox}");
    for bad in ["status=NOPE", "limit=0", "cursor=forged"] {
        let r = bearer_req(
            &srv,
            "GET",
            &format!("/v1/owner/approvals?{bad}"),
            &ada_s,
            None,
        );
        assert_eq!(r.status, 400, "{bad}");
    }
    // Nor through the personal owner routes: the request is the org's, not Bob's.
    let r = bearer_req(
        &srv,
        "POST",
        &format!("/v1/owner/approval-requests/{ar}/approve"),
        &bob_s,
        Some(&json!({})),
    );
    assert_ne!(r.status, 200);

    // Promoted to org_admin, Bob logs in again and approves.
    ok(bearer_req(
        &srv,
        "PUT",
        &format!("{base}/members/{bob}"),
        &ada_s,
        Some(&json!({"role": "org_admin"})),
    ));
    let bob_s = login(&srv, &bob);
    let inbox = ok(bearer_req(&srv, "GET", "/v1/owner/approvals", &bob_s, None));
    assert!(has_it(&inbox), "{inbox}");
    // The session names the membership as upstream's claim does (informational: roles are
    // checked afresh on every org request).
    let refreshed = ok(bearer_req(
        &srv,
        "POST",
        "/v1/owner/session/refresh",
        &bob_s,
        Some(&json!({})),
    ));
    assert_eq!(
        refreshed["org_memberships"],
        json!([{"org_id": org, "role": "org_admin"}]),
        "{refreshed}"
    );
    let pending = ok(bearer_req(
        &srv,
        "GET",
        &format!("{base}/approval-requests?status=PENDING"),
        &bob_s,
        None,
    ));
    assert_eq!(
        pending["approval_requests"][0]["approval_request_id"],
        ar.as_str()
    );
    let r = ok(bearer_req(
        &srv,
        "POST",
        &format!("{base}/approval-requests/{ar}/approve"),
        &bob_s,
        Some(&json!({})),
    ));
    assert_eq!(r["status"], "APPROVED");
    // Resolved by the member who approved, not by "the org".
    let got = ok(bearer_req(
        &srv,
        "GET",
        &format!("{base}/approval-requests/{ar}"),
        &bob_s,
        None,
    ));
    assert_eq!(got["resolved_by"], bob.as_str());

    // The agent's retry with the approval token is allowed.
    let view = ok(signed_get(
        &srv,
        &sk,
        "team-bot",
        &format!("/v1/agent/approval-requests/{ar}"),
    ));
    let mut retry = action.clone();
    retry["approval_token"] = view["approval_token"].clone();
    let r = ok(post("/v1/authorize", &retry));
    assert_eq!(r["result"], "ALLOW");

    // The org's audit trail holds the membership history and the approval.
    let audit = ok(bearer_req(
        &srv,
        "GET",
        &format!("{base}/audit?limit=1000"),
        &bob_s,
        None,
    ));
    let kinds: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    for k in [
        "ORG_CREATED",
        "ORG_INVITE_CREATED",
        "ORG_INVITE_ACCEPTED",
        "ORG_MEMBER_UPDATED",
        "APPROVAL_REQUEST_APPROVED",
    ] {
        assert!(kinds.contains(&k), "no {k} in {kinds:?}");
    }
    let r = bearer_req(&srv, "GET", &format!("{base}/audit"), &carol_s, None);
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
}

/// Every org route × every role (and a non-member): 403 `FORBIDDEN` exactly when the role is
/// too low, whatever the ids; a sufficient role gets past the check (200, or 4xx about the
/// bogus ids and bodies). Expected roles as upstream's `requireOrgRole` calls.
#[test]
fn role_matrix_over_http() {
    let (tmp, data, _) = setup();
    let admin = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let member = add_user(&data, "Mia");
    let viewer = add_user(&data, "Vic");
    let outsider = add_user(&data, "Oz");
    let org = json_ok(
        &data,
        &["org", "create", "--name", "Matrix", "--as", &admin],
    )["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    json_ok(
        &data,
        &[
            "org",
            "member",
            "add",
            &org,
            &member,
            "--role",
            "org_member",
        ],
    );
    json_ok(
        &data,
        &[
            "org",
            "member",
            "add",
            &org,
            &viewer,
            "--role",
            "org_viewer",
        ],
    );
    for u in [&admin, &member, &viewer, &outsider] {
        set_passphrase(&data, u);
    }
    let srv = Server::start(&data, &[]);
    let base = format!("/v1/owner/organizations/{org}");
    // The org owns a policy, so DELETE of the org answers ORG_NOT_EMPTY rather than deleting.
    let admin_s = login(&srv, &admin);
    ok(bearer_req(
        &srv,
        "POST",
        &format!("{base}/policies"),
        &admin_s,
        Some(&json!({"policy_yaml": APPROVAL_POLICY})),
    ));
    let users = [
        (outsider.as_str(), 0),
        (viewer.as_str(), 1),
        (member.as_str(), 2),
        (admin.as_str(), 3),
    ];
    let sessions: Vec<String> = users.iter().map(|(u, _)| login(&srv, u)).collect();
    let x = "6f1c1c1e-0000-4000-8000-000000000000";
    let (v, m, a) = (1, 2, 3);
    let rows: Vec<(&str, String, Option<Value>, i32)> = vec![
        ("GET", base.clone(), None, v),
        (
            "PUT",
            base.clone(),
            Some(json!({"display_name": "Matrix"})),
            a,
        ),
        ("DELETE", base.clone(), None, a),
        ("GET", format!("{base}/members"), None, v),
        (
            "POST",
            format!("{base}/members"),
            Some(json!({"user_principal_id": x, "role": "org_viewer"})),
            a,
        ),
        (
            "PUT",
            format!("{base}/members/{x}"),
            Some(json!({"role": "org_viewer"})),
            a,
        ),
        ("DELETE", format!("{base}/members/{x}"), None, a),
        ("GET", format!("{base}/invites"), None, a),
        ("DELETE", format!("{base}/invites/{x}"), None, a),
        ("GET", format!("{base}/agents"), None, v),
        (
            "POST",
            format!("{base}/agent-invites"),
            Some(json!({"ttl_seconds": 0})),
            a,
        ),
        ("GET", format!("{base}/policies"), None, v),
        ("GET", format!("{base}/policies/{x}"), None, v),
        (
            "POST",
            format!("{base}/policies"),
            Some(json!({"policy_yaml": "version: 3"})),
            a,
        ),
        (
            "PUT",
            format!("{base}/policies/{x}"),
            Some(json!({"name": "n"})),
            a,
        ),
        ("DELETE", format!("{base}/policies/{x}"), None, a),
        (
            "PUT",
            format!("{base}/policies/order"),
            Some(json!({"tier": "agent", "ordered_policy_ids": []})),
            a,
        ),
        ("GET", format!("{base}/approval-requests"), None, m),
        ("GET", format!("{base}/approval-requests/{x}"), None, m),
        (
            "POST",
            format!("{base}/approval-requests/{x}/approve"),
            Some(json!({})),
            a,
        ),
        (
            "POST",
            format!("{base}/approval-requests/{x}/deny"),
            Some(json!({})),
            a,
        ),
        ("GET", format!("{base}/policy-drafts"), None, m),
        ("GET", format!("{base}/policy-drafts/{x}"), None, m),
        (
            "POST",
            format!("{base}/policy-drafts/{x}/approve"),
            Some(json!({})),
            a,
        ),
        (
            "POST",
            format!("{base}/policy-drafts/{x}/deny"),
            Some(json!({})),
            a,
        ),
        ("GET", format!("{base}/audit"), None, v),
        (
            "POST",
            format!("{base}/agents/{x}/transfer"),
            Some(json!({})),
            a,
        ),
        (
            "POST",
            format!("/v1/owner/agents/{x}/transfer"),
            Some(json!({"target_org_id": org})),
            a,
        ),
        // Last, as it changes membership: viewer and member leave, the admin is the last one.
        ("POST", format!("{base}/leave"), Some(json!({})), v),
    ];
    for (method, path, body, need) in &rows {
        for ((_, level), session) in users.iter().zip(&sessions) {
            let r = bearer_req(&srv, method, path, session, body.as_ref());
            if level < need {
                assert_eq!(
                    (r.status, r.code()),
                    (403, "FORBIDDEN".into()),
                    "{method} {path} at level {level}"
                );
            } else {
                assert_ne!(
                    r.status,
                    403,
                    "{method} {path} at level {level}: {}",
                    String::from_utf8_lossy(&r.body)
                );
                assert!(
                    r.status == 200 || (400..500).contains(&r.status),
                    "{method} {path}: {}",
                    r.status
                );
            }
        }
    }
    // An org that does not exist: FORBIDDEN for everyone, as for a non-member.
    let r = bearer_req(
        &srv,
        "GET",
        &format!("/v1/owner/organizations/{x}"),
        &sessions[3],
        None,
    );
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
    let r = bearer_req(
        &srv,
        "GET",
        "/v1/owner/organizations/not-a-uuid/members",
        &sessions[3],
        None,
    );
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
}

/// A data directory written by the release before organizations (`tests/fixtures/datadir-v0`:
/// `init`, an org from `owner add --type org`, its agent and policy; as git stores it, without
/// empty directories) keeps working, and its org can be given members.
#[test]
fn a_data_dir_from_before_organizations_keeps_working() {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/datadir-v0/data"),
        &data,
    );
    let (user, org) = (
        "ed6fe3b2-a13a-4494-b91e-ae80c775fdf8",
        "d90537c9-2445-4911-a32c-95a98d09aa74",
    );
    let orgs = json_ok(&data, &["org", "list"]);
    assert_eq!(orgs["organizations"][0]["org_id"], org);
    assert_eq!(orgs["organizations"][0]["member_count"], 0);
    let d = json_ok(
        &data,
        &[
            "authorize",
            "--agent",
            "org-bot",
            "--type",
            "purchase",
            "--payload",
            r#"{"amount_minor":500,"currency":"USD"}"#,
        ],
    );
    assert_eq!(d["result"], "ALLOW");
    json_ok(
        &data,
        &["org", "member", "add", org, user, "--role", "org_admin"],
    );
    assert_eq!(
        json_ok(&data, &["org", "show", org, "--as", user])["your_role"],
        "org_admin"
    );
    let bob = add_user(&data, "Bob");
    json_ok(&data, &["org", "invite", "create", org, &bob, "--as", user]);
    ol(&data).args(["audit", "verify"]).assert().success();
}

/// Agent transfer: a user's own agent to an org the user administers, and back.
#[test]
fn agent_transfer_between_a_user_and_an_org() {
    let (tmp, data, _) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let bob = add_user(&data, "Bob");
    let org = json_ok(&data, &["org", "create", "--name", "Team", "--as", &ada])["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    json_ok(
        &data,
        &["org", "member", "add", &org, &bob, "--role", "org_member"],
    );
    let bobs_org = json_ok(&data, &["org", "create", "--name", "Bob's", "--as", &bob])["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    let agent = json_ok(&data, &["agent", "show", "my-agent"])["agent_principal_id"]
        .as_str()
        .unwrap()
        .to_string();
    for u in [&ada, &bob] {
        set_passphrase(&data, u);
    }
    let srv = Server::start(&data, &[]);
    let (ada_s, bob_s) = (login(&srv, &ada), login(&srv, &bob));
    let to_org = format!("/v1/owner/agents/{agent}/transfer");
    // Only to an org Ada administers; Bob cannot move Ada's agent, even into his own org.
    let r = bearer_req(
        &srv,
        "POST",
        &to_org,
        &ada_s,
        Some(&json!({"target_org_id": bobs_org})),
    );
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
    let r = bearer_req(
        &srv,
        "POST",
        &to_org,
        &bob_s,
        Some(&json!({"target_org_id": bobs_org})),
    );
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND".into()));
    let r = bearer_req(&srv, "POST", &to_org, &ada_s, Some(&json!({})));
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    let moved = ok(bearer_req(
        &srv,
        "POST",
        &to_org,
        &ada_s,
        Some(&json!({"target_org_id": org})),
    ));
    assert_eq!(
        (moved["owner_type"].as_str(), moved["owner_id"].as_str()),
        (Some("org"), Some(org.as_str()))
    );
    let listed = ok(bearer_req(
        &srv,
        "GET",
        &format!("/v1/owner/organizations/{org}/agents"),
        &bob_s,
        None,
    ));
    assert_eq!(listed["agents"][0]["agent_principal_id"], agent.as_str());
    assert_eq!(
        ok(bearer_req(&srv, "GET", "/v1/owner/agents", &ada_s, None))["agents"],
        json!([])
    );
    // Back: an org_member may not, the org_admin may.
    let back = format!("/v1/owner/organizations/{org}/agents/{agent}/transfer");
    let r = bearer_req(&srv, "POST", &back, &bob_s, Some(&json!({})));
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
    let moved = ok(bearer_req(&srv, "POST", &back, &ada_s, Some(&json!({}))));
    assert_eq!(moved["owner_id"], ada.as_str());
    let kinds: Vec<Value> = audit_events(&data)
        .into_iter()
        .filter(|e| e["event_type"] == "AGENT_TRANSFERRED")
        .collect();
    assert_eq!(kinds.len(), 2);
    assert_eq!(kinds[0]["metadata_json"]["to_owner_id"], org.as_str());
    assert_eq!(kinds[0]["principal_id"], ada.as_str());
}

/// `PUT /v1/owner/policies/order`: every policy of the tier, in order; ranks become 100, 200, …
/// and resolution follows them.
#[test]
fn policy_order_per_tier_over_http() {
    let (tmp, data, _) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    set_passphrase(&data, &ada);
    let srv = Server::start(&data, &[]);
    let s = login(&srv, &ada);
    let first =
        ok(bearer_req(&srv, "GET", "/v1/owner/policies", &s, None))["policies"][0]["policy_id"]
            .as_str()
            .unwrap()
            .to_string();
    let second = ok(bearer_req(
        &srv,
        "POST",
        "/v1/owner/policies",
        &s,
        Some(&json!({"policy_yaml": APPROVAL_POLICY, "name": "second"})),
    ))["policy_id"]
        .as_str()
        .unwrap()
        .to_string();
    let order = |ids: Value, tier: &str| {
        bearer_req(
            &srv,
            "PUT",
            "/v1/owner/policies/order",
            &s,
            Some(&json!({"tier": tier, "ordered_policy_ids": ids})),
        )
    };
    for (ids, tier, why) in [
        (json!([second, second]), "owner_wide", "duplicates"),
        (json!([second]), "owner_wide", "Expected 2"),
        (json!([second, first]), "agent", "not in the specified tier"),
        (json!([second, first]), "everything", "tier must be"),
        (json!([second, 7]), "owner_wide", "only strings"),
    ] {
        let r = order(ids, tier);
        assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
        assert!(
            r.json()["error"]["message"].as_str().unwrap().contains(why),
            "{:?}",
            r.json()
        );
    }
    assert_eq!(
        ok(order(json!([second, first]), "owner_wide"))["reordered"],
        2
    );
    let chain = json_ok(&data, &["policy", "explain", "--agent", "my-agent"]);
    let text = chain.to_string();
    assert!(
        text.find(&second).unwrap() < text.find(&first).unwrap(),
        "{text}"
    );
    let ev = audit_events(&data)
        .into_iter()
        .find(|e| e["event_type"] == "POLICIES_REORDERED")
        .unwrap();
    assert_eq!(ev["metadata_json"]["tier"], "owner_wide");
    assert_eq!(ev["principal_id"], ada.as_str());
    // The org variant needs org_admin (in the role matrix); here: an org with no agent-tier
    // policies accepts the empty order.
    let org = ok(bearer_req(
        &srv,
        "POST",
        "/v1/owner/organizations",
        &s,
        Some(&json!({"display_name": "O"})),
    ))["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = ok(bearer_req(
        &srv,
        "PUT",
        &format!("/v1/owner/organizations/{org}/policies/order"),
        &s,
        Some(&json!({"tier": "agent", "ordered_policy_ids": []})),
    ));
    assert_eq!(r["reordered"], 0);
}

/// The admin's organization routes (upstream's `/v1/admin/organizations…` and agent-invite
/// routes): no org role is needed and the same rules (last admin, duplicates) still hold. Who is
/// an admin is `server::authenticate_admin`'s matter, tested with the users.
#[test]
fn the_admin_manages_organizations_over_http() {
    let (tmp, data, _) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let bob = add_user(&data, "Bob");
    let srv = Server::start(&data, &[]);
    // Loopback is admin by default (admin.mode: localhost).
    let call = |method: &str, path: &str, body: Option<Value>| {
        let body = body.map(|b| b.to_string());
        request(
            srv.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            body.as_deref().map(str::as_bytes),
        )
    };
    let org = ok(call(
        "POST",
        "/v1/admin/organizations",
        Some(json!({"display_name": "Acme", "created_by_user_id": ada})),
    ));
    let org = org["org_id"].as_str().unwrap().to_string();
    let base = format!("/v1/admin/organizations/{org}");
    let list = ok(call("GET", "/v1/admin/organizations", None));
    assert!(list.to_string().contains(&org), "{list}");
    ok(call(
        "POST",
        &format!("{base}/members"),
        Some(json!({"user_principal_id": bob, "role": "org_viewer"})),
    ));
    let r = call(
        "POST",
        &format!("{base}/members"),
        Some(json!({"user_principal_id": bob, "role": "org_viewer"})),
    );
    assert_eq!((r.status, r.code()), (409, "ALREADY_MEMBER".into()));
    ok(call(
        "PUT",
        &format!("{base}/members/{bob}"),
        Some(json!({"role": "org_member"})),
    ));
    let members = ok(call("GET", &format!("{base}/members"), None));
    assert!(members.to_string().contains("org_member"), "{members}");
    // The last org_admin stays, even for the admin.
    let r = call(
        "PUT",
        &format!("{base}/members/{ada}"),
        Some(json!({"role": "org_viewer"})),
    );
    assert_eq!(r.code(), "LAST_ADMIN");
    ok(call(
        "PUT",
        &base,
        Some(json!({"display_name": "Acme Corp"})),
    ));
    assert_eq!(ok(call("GET", &base, None))["display_name"], "Acme Corp");
    // Agent invites owned by the org and by a user.
    let inv = ok(call(
        "POST",
        &format!("{base}/agent-invite"),
        Some(json!({})),
    ));
    assert_eq!(inv["owner_id"], org.as_str());
    assert!(inv["invite_token"].as_str().is_some());
    let inv = ok(call(
        "POST",
        &format!("/v1/admin/users/{bob}/agent-invite"),
        Some(json!({"ttl_seconds": 60})),
    ));
    assert_eq!(inv["owner_id"], bob.as_str());
    let r = call(
        "POST",
        &format!("/v1/admin/users/{}/agent-invite", uuid_like()),
        Some(json!({})),
    );
    assert_eq!(r.status, 404);
    ok(call("DELETE", &format!("{base}/members/{bob}"), None));
    ok(call("DELETE", &base, None));
    assert_eq!(call("GET", &base, None).status, 404);
}

fn uuid_like() -> &'static str {
    "00000000-0000-4000-8000-000000000000"
}
