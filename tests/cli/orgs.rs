//! Organizations: `openleash org …` on a data directory, and the org endpoints of `openleash
//! start` (membership, invites, the role matrix and a whole team flow over HTTP).

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn json_ok(data: &Path, args: &[&str]) -> Value {
    let out = ol(data).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

/// Runs a command that must fail; returns (exit code, error code).
fn json_err(data: &Path, args: &[&str]) -> (i32, String) {
    let out = ol(data).arg("--json").args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    let v = stdout_json(&out);
    (
        out.status.code().unwrap_or(-1),
        v["error"]["code"].as_str().unwrap_or_default().to_string(),
    )
}

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
