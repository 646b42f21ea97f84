//! Policy groups over HTTP (`/v1/owner/organizations/{org_id}/policy-groups…`) and the group tier
//! in decisions made by the CLI `authorize`.

use crate::common::*;
use crate::server::{Resp, Server, bearer_req, env_value, request, setup};
use serde_json::{Value, json};
use std::path::Path;

fn set_passphrase(data: &Path, owner: &str) {
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

fn login(srv: &Server, owner: &str) -> String {
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

fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap().to_string()
}

const BUY: &str =
    "version: 1\ndefault: deny\nrules:\n  - id: buy\n    effect: allow\n    action: purchase\n";

/// Authorizes a small purchase of `my-agent`: the decision, or the error code.
fn authorize(data: &Path, dir: &Path) -> String {
    let file = crate::approval::action_file(dir, "small.json", "my-agent", 100);
    let out = ol(data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&file)
        .output()
        .unwrap();
    let v = stdout_json(&out);
    v["result"]
        .as_str()
        .or(v["error"]["code"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn policy_groups_over_http_and_the_group_tier() {
    let (tmp, data, _) = setup();
    let ada = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    let bob = crate::orgs::add_user(&data, "Bob");
    for u in [&ada, &bob] {
        set_passphrase(&data, u);
    }
    let agent = s(
        &stdout_json(
            &ol(&data)
                .args(["--json", "agent", "show", "my-agent"])
                .output()
                .unwrap(),
        ),
        "agent_principal_id",
    );
    let srv = Server::start(&data, &[]);
    let (a, b) = (login(&srv, &ada), login(&srv, &bob));
    let org = s(
        &ok(bearer_req(
            &srv,
            "POST",
            "/v1/owner/organizations",
            &a,
            Some(&json!({"display_name": "Acme"})),
        )),
        "org_id",
    );
    ok(bearer_req(
        &srv,
        "POST",
        &format!("/v1/owner/agents/{agent}/transfer"),
        &a,
        Some(&json!({"target_org_id": org})),
    ));
    // The org has no policy yet: the agent gets none.
    assert_eq!(authorize(&data, tmp.path()), "NO_POLICY");

    let groups = format!("/v1/owner/organizations/{org}/policy-groups");
    let g = ok(bearer_req(
        &srv,
        "POST",
        &groups,
        &a,
        Some(&json!({"name": "Buyers", "description": "may buy"})),
    ));
    assert_eq!(g["slug"], "buyers");
    let gid = s(&g, "group_id");
    let r = bearer_req(
        &srv,
        "POST",
        &groups,
        &a,
        Some(&json!({"name": "X", "slug": "buyers"})),
    );
    assert_eq!((r.status, r.code()), (409, "SLUG_TAKEN".into()));
    // A non-member is refused before anything else.
    let r = bearer_req(&srv, "GET", &groups, &b, None);
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN".into()));

    let member = format!("{groups}/{gid}/agents/{agent}");
    assert_eq!(
        ok(bearer_req(&srv, "POST", &member, &a, Some(&json!({}))))["status"],
        "added"
    );
    assert_eq!(
        ok(bearer_req(&srv, "GET", &groups, &a, None))["groups"][0]["member_count"],
        1
    );
    let p = ok(bearer_req(
        &srv,
        "POST",
        &format!("/v1/owner/organizations/{org}/policies"),
        &a,
        Some(&json!({"policy_yaml": BUY, "applies_to_group_id": gid, "name": "buyers"})),
    ));
    assert_eq!(p["applies_to_group_id"], gid.as_str());
    let pid = s(&p, "policy_id");
    let shown = ok(bearer_req(
        &srv,
        "GET",
        &format!("{groups}/{gid}"),
        &a,
        None,
    ));
    assert_eq!(shown["agents"][0]["agent_id"], "my-agent");
    assert_eq!(shown["bound_policies"][0]["policy_id"], pid.as_str());
    let listed = ok(bearer_req(
        &srv,
        "GET",
        &format!("/v1/owner/organizations/{org}/policies"),
        &a,
        None,
    ));
    assert_eq!(listed["policies"][0]["applies_to_group_id"], gid.as_str());

    // The CLI decision reads the agent's memberships: the group's policy decides.
    assert_eq!(authorize(&data, tmp.path()), "ALLOW");
    // The group tier can be ordered like the others.
    let r = ok(bearer_req(
        &srv,
        "PUT",
        &format!("/v1/owner/organizations/{org}/policies/order"),
        &a,
        Some(&json!({"tier": "group", "ordered_policy_ids": [pid]})),
    ));
    assert_eq!(r["reordered"], 1);

    let r = bearer_req(&srv, "DELETE", &format!("{groups}/{gid}"), &a, None);
    assert_eq!((r.status, r.code()), (409, "GROUP_HAS_POLICIES".into()));
    assert_eq!(
        ok(bearer_req(
            &srv,
            "PUT",
            &format!("{groups}/{gid}"),
            &a,
            Some(&json!({"name": "Shoppers"}))
        ))["name"],
        "Shoppers"
    );
    assert_eq!(
        ok(bearer_req(&srv, "DELETE", &member, &a, None))["status"],
        "removed"
    );
    let r = bearer_req(&srv, "DELETE", &member, &a, None);
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND".into()));
    // Out of the group, out of its policies, at the very next decision.
    assert_eq!(authorize(&data, tmp.path()), "NO_POLICY");

    let kinds: Vec<String> = audit_events(&data)
        .into_iter()
        .filter_map(|e| e["event_type"].as_str().map(str::to_string))
        .filter(|k| k.starts_with("POLICY_GROUP_"))
        .collect();
    assert_eq!(
        kinds,
        [
            "POLICY_GROUP_CREATED",
            "POLICY_GROUP_AGENT_ADDED",
            "POLICY_GROUP_UPDATED",
            "POLICY_GROUP_AGENT_REMOVED"
        ]
    );
}

/// `openleash org group …` as the operator and with `--as`, and `policy list --agent` showing
/// the effective chain (agent, group, owner-wide) with its paging options.
#[test]
fn org_group_cli_and_the_effective_chain() {
    let (tmp, data) = init_dir();
    let ada = crate::orgs::first_owner(&data);
    let bob = crate::orgs::add_user(&data, "Bob");
    let org = s(
        &json_ok(&data, &["org", "create", "--name", "Acme", "--as", &ada]),
        "org_id",
    );
    json_ok(
        &data,
        &["org", "member", "add", &org, &bob, "--role", "org_viewer"],
    );
    json_ok(
        &data,
        &["agent", "add", "--agent-id", "bot", "--owner", &org],
    );
    let g = json_ok(
        &data,
        &[
            "org", "group", "create", &org, "--name", "Buyers", "--as", &ada,
        ],
    );
    let gid = s(&g, "group_id");
    // A viewer may look, not change.
    let out = ol(&data)
        .args([
            "--json",
            "org",
            "group",
            "add-agent",
            &org,
            &gid,
            "bot",
            "--as",
            &bob,
        ])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["error"]["code"], "FORBIDDEN");
    assert_eq!(
        json_ok(&data, &["org", "group", "list", &org, "--as", &bob])["groups"][0]["slug"],
        "buyers"
    );
    assert_eq!(
        json_ok(&data, &["org", "group", "add-agent", &org, &gid, "bot"])["status"],
        "added"
    );
    let file = tmp.path().join("buy.yaml");
    std::fs::write(&file, BUY).unwrap();
    let f = file.to_str().unwrap();
    let group_policy = s(
        &json_ok(
            &data,
            &["org", "group", "create-policy", &org, &gid, "--file", f],
        ),
        "policy_id",
    );
    let owner_wide = s(
        &json_ok(
            &data,
            &["policy", "upsert", "--yes", "--owner", &org, "--file", f],
        ),
        "policy_id",
    );
    let own = s(
        &json_ok(
            &data,
            &[
                "policy", "upsert", "--yes", "--owner", &org, "--agent", "bot", "--file", f,
            ],
        ),
        "policy_id",
    );
    let chain = json_ok(&data, &["policy", "list", "--agent", "bot"]);
    let ids: Vec<&str> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["policy_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [own.as_str(), group_policy.as_str(), owner_wide.as_str()]
    );
    let tiers: Vec<&str> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["bindings"][0]["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, ["agent", "group", "owner_wide"]);
    // `policy explain` names the group tier too.
    let explained = json_ok(&data, &["policy", "explain", "--agent", "bot"]).to_string();
    assert!(explained.contains(r#""scope":"group""#), "{explained}");
    // Paged: the same chain one by one.
    let first = json_ok(&data, &["policy", "list", "--agent", "bot", "--limit", "1"]);
    assert_eq!(first["policies"][0]["policy_id"], own.as_str());
    assert_eq!(first["total"], 3);
    let next = json_ok(
        &data,
        &[
            "policy",
            "list",
            "--agent",
            "bot",
            "--limit",
            "1",
            "--cursor",
            first["next_cursor"].as_str().unwrap(),
        ],
    );
    assert_eq!(next["policies"][0]["policy_id"], group_policy.as_str());
    // The whole list still lists every policy; an unknown agent is an error.
    let all = json_ok(&data, &["policy", "list", "--all"]);
    assert!(all.as_array().unwrap().len() >= 4);
    let out = ol(&data)
        .args(["--json", "policy", "list", "--agent", "nobody"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["error"]["code"], "AGENT_NOT_FOUND");
    let shown = json_ok(&data, &["org", "group", "show", &org, &gid]);
    assert_eq!(
        shown["bound_policies"][0]["policy_id"],
        group_policy.as_str()
    );
    let out = ol(&data)
        .args(["--json", "org", "group", "delete", &org, &gid])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["error"]["code"], "GROUP_HAS_POLICIES");
}
