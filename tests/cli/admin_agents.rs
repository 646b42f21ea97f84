//! `DELETE /v1/admin/agents/{id}` and `openleash admin delete-agent` (upstream admin.ts): the
//! agent, its key and its group memberships go in one audited step; and organization slugs over
//! the owner and admin APIs.

use crate::common::*;
use crate::orgs::{login, set_passphrase};
use crate::server::{Server, bearer_req, env_value, request, setup, signed_get};
use serde_json::{Value, json};
use std::path::Path;

/// An org with a group holding a new org agent `bot`: (org id, group id, bot's principal id).
fn org_with_grouped_agent(data: &Path) -> (String, String, String) {
    let org = json_ok(data, &["org", "create", "--name", "Acme"])["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    let bot = json_ok(
        data,
        &["agent", "add", "--agent-id", "bot", "--owner", &org],
    );
    let bot = bot["agent_principal_id"].as_str().unwrap().to_string();
    let g = json_ok(data, &["org", "group", "create", &org, "--name", "Ops"]);
    let gid = g["group_id"].as_str().unwrap().to_string();
    json_ok(data, &["org", "group", "add-agent", &org, &gid, &bot]);
    (org, gid, bot)
}

#[test]
fn admin_delete_agent_over_the_cli() {
    let (_t, data) = init_dir();
    let (org, gid, bot) = org_with_grouped_agent(&data);
    // Not on a terminal and without --yes: nothing happens.
    let (exit, code) = json_err(&data, &["admin", "delete-agent", "bot"]);
    assert_eq!((exit, code.as_str()), (2, "USAGE"));
    assert_eq!(
        json_ok(&data, &["agent", "show", "bot"])["status"],
        "ACTIVE"
    );
    let (_, code) = json_err(&data, &["admin", "delete-agent", "nobody", "--yes"]);
    assert_eq!(code, "AGENT_NOT_FOUND");

    let out = json_ok(&data, &["admin", "delete-agent", "bot", "--yes"]);
    assert_eq!(out["agent_principal_id"], bot.as_str());
    assert_eq!(out["status"], "deleted");
    assert_eq!(out["memberships_removed"], 1);
    let (_, code) = json_err(&data, &["agent", "show", "bot"]);
    assert_eq!(code, "AGENT_NOT_FOUND");
    let g = json_ok(&data, &["org", "group", "show", &org, &gid]);
    assert_eq!(g["agents"], json!([]));
    let ev = audit_events(&data)
        .into_iter()
        .rfind(|e| e["event_type"] == "AGENT_DELETED")
        .unwrap();
    assert_eq!(ev["metadata_json"]["agent_principal_id"], bot.as_str());
    assert_eq!(ev["metadata_json"]["group_ids_left"], json!([gid]));
    // The agent_id is free again.
    json_ok(
        &data,
        &["agent", "add", "--agent-id", "bot", "--owner", &org],
    );
    // Human output names what went.
    let out = ol(&data)
        .args(["admin", "delete-agent", "bot", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Agent deleted: bot"), "{err}");
}

#[test]
fn admin_delete_agent_over_http() {
    let (tmp, data, key) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let mine = json_ok(&data, &["agent", "show", "my-agent"])["agent_principal_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (org, gid, bot) = org_with_grouped_agent(&data);
    let bob = json_ok(&data, &["owner", "add", "--name", "Bob"])["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    set_passphrase(&data, &bob);
    set_passphrase(&data, &ada);
    let srv = Server::start(&data, &[]);
    assert_eq!(
        signed_get(&srv, &key, "my-agent", "/v1/agent/self").status,
        200
    );
    let delete = |id: &str| {
        request(
            srv.addr,
            "DELETE",
            &format!("/v1/admin/agents/{id}"),
            &[],
            None,
        )
    };
    // Loopback is admin (admin.mode: localhost_or_token).
    let r = delete(&bot);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(
        v,
        json!({"agent_principal_id": bot, "status": "deleted", "agents_removed": 1, "policies_removed": 0,
               "bindings_removed": 0, "approval_requests_removed": 0, "policy_drafts_removed": 0,
               "memberships_removed": 1, "org_invites_removed": 0})
    );
    let g = json_ok(&data, &["org", "group", "show", &org, &gid]);
    assert_eq!(g["agents"], json!([]));
    for id in [bot.as_str(), "00000000-0000-4000-8000-000000000000"] {
        let r = delete(id);
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND".into()), "{id}");
    }
    let r = delete("bot");
    assert_eq!((r.status, r.code()), (400, "INVALID_ID".into()));
    // A user without the admin role is refused, whatever the agent (Bob's session, and the
    // loopback exemption switched off by a token-only admin API).
    drop(srv);
    let cfg = data.join("config.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("mode: localhost_or_token", "mode: token"),
    )
    .unwrap();
    let srv = Server::start(&data, &[]);
    let b = login(&srv, &bob);
    let path = format!("/v1/admin/agents/{mine}");
    let r = bearer_req(&srv, "DELETE", &path, &b, None);
    assert_eq!((r.status, r.code()), (403, "ADMIN_REQUIRED".into()));
    let r = request(srv.addr, "DELETE", &path, &[], None);
    assert_eq!((r.status, r.code()), (401, "ADMIN_UNAUTHORIZED".into()));
    assert_eq!(
        signed_get(&srv, &key, "my-agent", "/v1/agent/self").status,
        200
    );
    // Ada (the first user, an admin) may; the agent's key stops working at once.
    let a = login(&srv, &ada);
    let r = bearer_req(&srv, "DELETE", &path, &a, None);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_ne!(
        signed_get(&srv, &key, "my-agent", "/v1/agent/self").status,
        200
    );
    let ev = audit_events(&data)
        .into_iter()
        .rfind(|e| e["event_type"] == "AGENT_DELETED")
        .unwrap();
    assert_eq!(ev["principal_id"], ada.as_str());
    assert_eq!(ev["metadata_json"]["deleted_by"], ada.as_str());
}

#[test]
fn org_slugs_over_http() {
    let (tmp, data, _) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let bob = json_ok(&data, &["owner", "add", "--name", "Bob"])["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    set_passphrase(&data, &ada);
    set_passphrase(&data, &bob);
    let srv = Server::start(&data, &[]);
    let a = login(&srv, &ada);
    let b = login(&srv, &bob);
    let create = |tok: &str, body: Value| {
        bearer_req(&srv, "POST", "/v1/owner/organizations", tok, Some(&body))
    };
    let r = create(&a, json!({"display_name": "Acme Corp"}));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let acme = r.json();
    assert_eq!(acme["slug"], "acme-corp");
    let org = acme["org_id"].as_str().unwrap().to_string();
    let r = create(&b, json!({"display_name": "Other", "slug": "acme-corp"}));
    assert_eq!((r.status, r.code()), (409, "SLUG_TAKEN".into()));
    let r = create(&b, json!({"display_name": "Other", "slug": "Not valid!"}));
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    let r = create(&b, json!({"display_name": "Acme Corp"}));
    assert_eq!(r.json()["slug"], "acme-corp-2");
    let base = format!("/v1/owner/organizations/{org}");
    // Only an org_admin changes it; the new slug shows everywhere.
    let r = bearer_req(&srv, "PUT", &base, &b, Some(&json!({"slug": "mine"})));
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));
    let r = bearer_req(
        &srv,
        "PUT",
        &base,
        &a,
        Some(&json!({"slug": "acme-corp-2"})),
    );
    assert_eq!((r.status, r.code()), (409, "SLUG_TAKEN".into()));
    let r = bearer_req(&srv, "PUT", &base, &a, Some(&json!({"slug": "ACME"})));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["slug"], "acme");
    let shown = bearer_req(&srv, "GET", &base, &a, None).json();
    assert_eq!(shown["slug"], "acme");
    let listed = bearer_req(&srv, "GET", "/v1/owner/organizations", &a, None).json();
    assert_eq!(listed["organizations"][0]["slug"], "acme");
    // The admin API takes a slug at create and update too.
    let admin = |method: &str, path: &str, body: Value| {
        request(
            srv.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            Some(body.to_string().as_bytes()),
        )
    };
    let r = admin(
        "POST",
        "/v1/admin/organizations",
        json!({"display_name": "Admin Made", "created_by_user_id": ada, "slug": "acme"}),
    );
    assert_eq!((r.status, r.code()), (409, "SLUG_TAKEN".into()));
    let r = admin(
        "POST",
        "/v1/admin/organizations",
        json!({"display_name": "Admin Made", "created_by_user_id": ada}),
    );
    let made = r.json();
    assert_eq!(made["slug"], "admin-made");
    let r = admin(
        "PUT",
        &format!(
            "/v1/admin/organizations/{}",
            made["org_id"].as_str().unwrap()
        ),
        json!({"slug": "made-by-admin"}),
    );
    assert_eq!(r.json()["slug"], "made-by-admin");
}
