//! The portal's organization pages (`/gui/orgs…`, SPEC §15/§17) over plain HTTP: every form with
//! and without its CSRF token, role refusals shown in words, buttons only for the roles that can
//! use them, and an org agent's request approved from the org's approvals tab.

use crate::common::{ol, stdout_json};
use crate::portal::{PASS, Resp, Server, ask, hidden, send, setup, wait_pending};
use serde_json::{Value, json};
use std::path::Path;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

fn owner_id(data: &Path, name: &str) -> String {
    let out = ol(data).args(["--json", "owner", "list"]).output().unwrap();
    stdout_json(&out)
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["display_name"] == name)
        .unwrap()["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn add_user(data: &Path, name: &str) -> String {
    let out = ol(data)
        .args(["--json", "owner", "add", "--name", name])
        .output()
        .unwrap();
    let id = stdout_json(&out)["owner_id"].as_str().unwrap().to_string();
    ol(data)
        .args([
            "owner",
            "set-passphrase",
            "--owner",
            &id,
            "--passphrase-stdin",
        ])
        .write_stdin(format!("{PASS}\n"))
        .assert()
        .success();
    id
}

/// A portal session of `owner` (an owner id): its cookie and the CSRF token of its forms.
struct Session {
    url: String,
    cookie: String,
    csrf: String,
}

impl Session {
    fn login(url: &str, owner: &str) -> Session {
        let page = send("GET", &format!("{url}/gui/login"), &[], None);
        let login_cookie = page.cookies().join("; ");
        let token = hidden(&page.body, "login_csrf");
        let form =
            format!("login_csrf={token}&next=&owner={owner}&passphrase=correct+horse+battery");
        let r = send(
            "POST",
            &format!("{url}/gui/login"),
            &[("Cookie", &login_cookie), FORM],
            Some(&form),
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let cookie = r
            .cookies()
            .into_iter()
            .find(|c| c.starts_with("openleash_session=") && c.len() > 20)
            .unwrap();
        let dash = send(
            "GET",
            &format!("{url}/gui/dashboard"),
            &[("Cookie", &cookie)],
            None,
        );
        let csrf = hidden(&dash.body, "csrf");
        Session {
            url: url.to_string(),
            cookie,
            csrf,
        }
    }

    fn get(&self, path: &str) -> Resp {
        send(
            "GET",
            &format!("{}{path}", self.url),
            &[("Cookie", &self.cookie)],
            None,
        )
    }

    /// Posts `form` with this session's CSRF token and the portal's own Origin.
    fn post(&self, path: &str, form: &str) -> Resp {
        let body = if form.is_empty() {
            format!("csrf={}", self.csrf)
        } else {
            format!("csrf={}&{form}", self.csrf)
        };
        self.post_raw(path, &body)
    }

    fn post_raw(&self, path: &str, body: &str) -> Resp {
        send(
            "POST",
            &format!("{}{path}", self.url),
            &[("Cookie", &self.cookie), ("Origin", &self.url), FORM],
            Some(body),
        )
    }
}

fn location(r: &Resp) -> String {
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("Location").unwrap().to_string()
}

fn api(url: &str, method: &str, path: &str, token: &str, body: &Value) -> Value {
    let r = send(
        method,
        &format!("{url}{path}"),
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Content-Type", "application/json"),
        ],
        Some(&body.to_string()),
    );
    assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// The id of the organization whose slug is `slug` (from `org list`).
fn org_id_of(data: &Path, slug: &str) -> String {
    let out = ol(data).args(["--json", "org", "list"]).output().unwrap();
    stdout_json(&out)["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == slug)
        .unwrap()["org_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn members(data: &Path, org: &str) -> Value {
    let out = ol(data)
        .args(["--json", "org", "member", "list", org])
        .output()
        .unwrap();
    stdout_json(&out)
}

const APPROVAL_POLICY: &str = "version: 1\ndefault: deny\nrules:\n  - id: large_needs_approval\n    effect: allow\n    action: purchase\n    obligations:\n      - type: HUMAN_APPROVAL\n";

#[test]
fn org_pages_forms_roles_and_an_approval() {
    let (_tmp, data) = setup("Alice");
    let alice = owner_id(&data, "Alice");
    let bob = add_user(&data, "Bob");
    let srv = Server::start(&data, &[]);
    let a = Session::login(&srv.url, &alice);
    let b = Session::login(&srv.url, &bob);

    // Nobody belongs to an org yet: no navigation entry, an empty list with the create form.
    assert!(!a.get("/gui/dashboard").body.contains("href=\"/gui/orgs\""));
    let r = a.get("/gui/orgs");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("No organizations yet") && r.body.contains("Create organization"));

    // Create: without the CSRF token nothing happens; an empty name is explained on the page.
    let r = a.post_raw("/gui/orgs", "display_name=Team");
    assert_eq!(r.status, 403, "{}", r.body);
    let r = a.post("/gui/orgs", "display_name=+");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("display_name is required"), "{}", r.body);
    assert!(a.get("/gui/orgs").body.contains("No organizations yet"));
    let to = location(&a.post("/gui/orgs", "display_name=Team+%3Cb%3E"));
    // The org's pages are under its slug, made from the name.
    assert_eq!(to, "/gui/orgs/team-b?done=org_created");
    let org = org_id_of(&data, "team-b");
    let r = a.get(&to);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Organization created"), "{}", r.body);
    assert!(r.body.contains("Team &lt;b&gt;"), "names are escaped");
    assert!(r.body.contains("href=\"/gui/orgs\""), "navigation entry");
    let base = "/gui/orgs/team-b".to_string();

    // Invite Bob as a viewer (CSRF checked; a bad role and an unknown user are explained).
    let invite = format!("user_principal_id={bob}&role=org_viewer");
    assert_eq!(a.post_raw(&format!("{base}/invites"), &invite).status, 403);
    let r = a.post(
        &format!("{base}/invites"),
        &format!("user_principal_id={bob}&role=boss"),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("invalid role"), "{}", r.body);
    assert_ne!(
        a.post(
            &format!("{base}/invites"),
            "user_principal_id=00000000-0000-4000-8000-000000000000&role=org_viewer"
        )
        .status,
        303
    );
    location(&a.post(&format!("{base}/invites"), &invite));
    let r = a.post(&format!("{base}/invites"), &invite);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("already has a pending invitation"),
        "{}",
        r.body
    );
    let page = a.get(&format!("{base}/members")).body;
    assert!(
        page.contains("Revoke") && page.contains("Bob as Viewer"),
        "{page}"
    );

    // Bob now has an "Orgs" entry in the navigation and sees the invite on /gui/orgs; Alice cannot answer Bob's invite; Bob accepts (CSRF checked).
    assert!(b.get("/gui/dashboard").body.contains("href=\"/gui/orgs\""));
    let r = b.get("/gui/orgs");
    assert!(r.body.contains("Invitations for you") && r.body.contains("Accept"));
    let accept_at = r.body.find("/gui/orgs/invites/").unwrap();
    let inv_path = r.body[accept_at..].split('"').next().unwrap().to_string();
    assert!(inv_path.ends_with("/accept"), "{inv_path}");
    let r = a.post(&inv_path, "");
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("not for you"), "{}", r.body);
    assert_eq!(b.post_raw(&inv_path, "").status, 403);
    let to = location(&b.post(&inv_path, ""));
    assert_eq!(to, format!("{base}?done=accepted"));
    assert!(b.get(&to).body.contains("you are now a member"));
    assert_eq!(members(&data, &org)["members"].as_array().unwrap().len(), 2);

    // Bob, a viewer: no admin buttons, no approvals tab, and a forged form is refused in words.
    let page = b.get(&format!("{base}/members")).body;
    assert!(
        !page.contains("Change role")
            && !page.contains("Remove")
            && !page.contains("Invite a user")
    );
    assert!(!b.get(&base).body.contains(&format!("{base}/approvals\"")));
    assert_eq!(b.get(&format!("{base}/approvals")).status, 403);
    let r = b.post(&format!("{base}/members/{alice}/role"), "role=org_viewer");
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body
            .contains("Your role in this organization does not allow that")
    );
    assert_eq!(members(&data, &org)["members"][0]["role"], "org_admin");

    // The last admin cannot step down; the refusal says so on the members page.
    let r = a.post(&format!("{base}/members/{alice}/role"), "role=org_member");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("always keeps at least one admin"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Change role"), "shown on the members tab");

    // Revoke a pending invite: Carol is invited, then revoked.
    let carol = add_user(&data, "Carol");
    location(&a.post(
        &format!("{base}/invites"),
        &format!("user_principal_id={carol}&role=org_member"),
    ));
    let c = Session::login(&srv.url, &carol);
    let page = a.get(&format!("{base}/members")).body;
    let at = page.find("/revoke\"").unwrap();
    let start = page[..at].rfind('"').unwrap() + 1;
    let revoke = page[start..at + 7].to_string();
    assert_eq!(a.post_raw(&revoke, "").status, 403);
    assert_eq!(
        location(&a.post(&revoke, "")),
        format!("{base}/members?done=invite_revoked")
    );
    assert!(!c.get("/gui/orgs").body.contains("Invitations for you"));

    // An org agent's request: Alice moves her agent into the org, which requires approval.
    let token = api(
        &srv.url,
        "POST",
        "/v1/owner/login",
        "",
        &json!({"user_principal_id": alice, "passphrase": PASS}),
    )["token"]
        .as_str()
        .unwrap()
        .to_string();
    let agents = api(&srv.url, "GET", "/v1/owner/agents", &token, &json!({}));
    let agent = agents["agents"][0]["agent_principal_id"]
        .as_str()
        .unwrap()
        .to_string();
    api(
        &srv.url,
        "POST",
        &format!("/v1/owner/agents/{agent}/transfer"),
        &token,
        &json!({"target_org_id": org}),
    );
    api(
        &srv.url,
        "POST",
        &format!("/v1/owner/organizations/{org}/policies"),
        &token,
        &json!({"policy_yaml": APPROVAL_POLICY}),
    );
    let page = a.get(&format!("{base}/agents")).body;
    assert!(page.contains("my-agent"), "{page}");
    assert!(
        a.get(&format!("{base}/policies"))
            .body
            .contains("large_needs_approval")
    );
    let waiting = ask(
        &data,
        r#"{"amount_minor":90000,"currency":"EUR"}"#,
        "team offsite",
    );
    let id = wait_pending(&data, 1).remove(0);

    // Bob (viewer) cannot approve; promoted to member he sees the request but no buttons.
    let approve = format!("{base}/approvals/{id}/approve");
    let r = b.post(&approve, "");
    assert_eq!(r.status, 403, "{}", r.body);
    location(&a.post(&format!("{base}/members/{bob}/role"), "role=org_member"));
    let page = b.get(&format!("{base}/approvals")).body;
    assert!(
        page.contains("team offsite") && !page.contains(">Approve<"),
        "{page}"
    );

    // An org agent proposes a policy: a member sees it without buttons; the admin approves it.
    let draft = data.with_file_name("draft.yaml");
    std::fs::write(
        &draft,
        "version: 1\ndefault: passthrough\nrules:\n  - id: travel_ok\n    effect: allow\n    action: travel.book\n",
    )
    .unwrap();
    let out = ol(&data)
        .args([
            "--json",
            "draft",
            "submit",
            "--owner-wide",
            "--name",
            "Travel",
            "--file",
        ])
        .arg(&draft)
        .args(["--justification", "I book trips"])
        .output()
        .unwrap();
    let draft_id = stdout_json(&out)["policy_draft_id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = b.get(&format!("{base}/drafts")).body;
    assert!(
        page.contains("I book trips") && !page.contains(">Approve<"),
        "{page}"
    );
    let approve_draft = format!("{base}/drafts/{draft_id}/approve");
    assert_eq!(b.post(&approve_draft, "").status, 403);
    assert!(
        a.get(&format!("{base}/drafts"))
            .body
            .contains(&approve_draft)
    );
    assert_eq!(a.post_raw(&approve_draft, "").status, 403);
    assert_eq!(
        location(&a.post(&approve_draft, "")),
        format!("{base}/drafts?done=draft_approved")
    );
    assert!(
        a.get(&format!("{base}/policies"))
            .body
            .contains("travel_ok")
    );

    // Alice turns on two-factor authentication; the org's approve form then asks for a code.
    use openleash::handlers::totp::{code_at, decode_secret, step_of};
    let r = a.post("/gui/profile/totp/setup", "");
    assert_eq!(r.status, 200, "{}", r.body);
    let marker = "<code class=\"mono\">";
    let at = r.body.find(marker).unwrap() + marker.len();
    let key = decode_secret(&r.body[at..at + r.body[at..].find('<').unwrap()]).unwrap();
    let backup = {
        let at = r.body.find("<ul class=\"mono\"><li>").unwrap() + 20;
        r.body[at..at + r.body[at..].find('<').unwrap()].to_string()
    };
    let step = || step_of(openleash::timefmt::now().unix_timestamp());
    let code = code_at(&key, step()).unwrap();
    location(&a.post("/gui/profile/totp/confirm", &format!("code={code}")));

    // Alice approves from the org's approvals tab (CSRF and code checked); the agent's wait ends
    // ALLOWed.
    let page = a.get(&format!("{base}/approvals")).body;
    assert!(
        page.contains(&approve) && page.contains(">Approve<"),
        "{page}"
    );
    assert!(page.contains("name=\"totp_code\""), "{page}");
    assert_eq!(a.post_raw(&approve, "").status, 403);
    let r = a.post(&approve, "");
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(
        r.body
            .contains("Two-factor authentication code is required"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("team offsite"),
        "shown on the approvals tab"
    );
    let next = code_at(&key, step() + 1).unwrap();
    assert_eq!(
        location(&a.post(&approve, &format!("totp_code={next}"))),
        format!("{base}/approvals?done=approved")
    );
    let out = waiting.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"], "ALLOW", "{v}");
    // Twice is refused on the page, and nothing changes.
    let r = a.post(&approve, &format!("totp_code={backup}"));
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("with status APPROVED"), "{}", r.body);
    let r = a.post(
        &format!("{base}/approvals/{id}/deny"),
        &format!("totp_code={backup}"),
    );
    assert_ne!(r.status, 303, "{}", r.body);
    assert_eq!(crate::portal::approval_status(&data, &id), "APPROVED");

    // Remove Bob; the org's audit tab shows the history; Bob no longer sees the org.
    assert_eq!(
        location(&a.post(&format!("{base}/members/{bob}/remove"), "")),
        format!("{base}/members?done=removed")
    );
    let audit = a.get(&format!("{base}/audit")).body;
    for k in [
        "ORG_CREATED",
        "ORG_INVITE_ACCEPTED",
        "APPROVAL_REQUEST_APPROVED",
    ] {
        assert!(audit.contains(k), "no {k}");
    }
    assert_eq!(b.get(&base).status, 403);
    assert!(b.get("/gui/orgs").body.contains("No organizations yet"));
}

#[test]
fn declining_an_invite_and_an_unknown_org() {
    let (_tmp, data) = setup("Alice");
    let alice = owner_id(&data, "Alice");
    let bob = add_user(&data, "Bob");
    let srv = Server::start(&data, &[]);
    let a = Session::login(&srv.url, &alice);
    let b = Session::login(&srv.url, &bob);
    let to = location(&a.post("/gui/orgs", "display_name=Crew"));
    let base = to.split('?').next().unwrap().to_string();
    location(&a.post(
        &format!("{base}/invites"),
        &format!("user_principal_id={bob}&role=org_admin"),
    ));
    let r = b.get("/gui/orgs");
    let at = r.body.find("/decline\"").unwrap();
    let start = r.body[..at].rfind('"').unwrap() + 1;
    let decline = r.body[start..at + 8].to_string();
    assert_eq!(location(&b.post(&decline, "")), "/gui/orgs?done=declined");
    // Answering twice is explained, not an error page.
    let r = b.post(&decline, "");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Invite is already declined"), "{}", r.body);
    // A non-member learns nothing about an org, existing or not; a bad tab is 404.
    assert_eq!(b.get(&base).status, 403);
    assert_eq!(
        b.get("/gui/orgs/00000000-0000-4000-8000-000000000000")
            .status,
        403
    );
    assert_eq!(a.get(&format!("{base}/nope")).status, 404);
}

/// Org pages by slug (SPEC §17): the id and a former slug redirect to the current address, but
/// only for someone allowed to see the page; a form posted to an old address still acts.
#[test]
fn org_pages_live_at_their_slug() {
    let (_tmp, data) = setup("Alice");
    let alice = owner_id(&data, "Alice");
    let bob = add_user(&data, "Bob");
    let out = ol(&data)
        .args(["--json", "org", "create", "--name", "Acme", "--as", &alice])
        .output()
        .unwrap();
    let org = stdout_json(&out)["org_id"].as_str().unwrap().to_string();
    assert_eq!(stdout_json(&out)["slug"], "acme");
    let srv = Server::start(&data, &[]);
    let a = Session::login(&srv.url, &alice);
    let b = Session::login(&srv.url, &bob);
    let r = a.get("/gui/orgs");
    assert!(r.body.contains("href=\"/gui/orgs/acme\""), "{}", r.body);
    let r = a.get("/gui/orgs/acme");
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("href=\"/gui/orgs/acme/members\""),
        "tabs use the slug"
    );
    // By id (any case): a redirect to the slug, tab kept.
    assert_eq!(
        location(&a.get(&format!("/gui/orgs/{org}"))),
        "/gui/orgs/acme"
    );
    assert_eq!(
        location(&a.get(&format!("/gui/orgs/{}/members", org.to_ascii_uppercase()))),
        "/gui/orgs/acme/members"
    );
    // A non-member learns nothing: the same refusal by id and by slug, no redirect.
    let by_id = b.get(&format!("/gui/orgs/{org}"));
    let by_slug = b.get("/gui/orgs/acme");
    assert_eq!(by_id.status, 403, "{}", by_id.body);
    assert_eq!(by_slug.status, 403, "{}", by_slug.body);
    assert!(by_id.header("Location").is_none());
    for missing in ["/gui/orgs/nope", "/gui/orgs/Acme", "/gui/orgs/acme/nope"] {
        assert_eq!(a.get(missing).status, 404, "{missing}");
    }
    // A new slug: the old one redirects, the new one is the page.
    let out = ol(&data)
        .args(["--json", "org", "update", &org, "--slug", "acme-inc"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["slug"], "acme-inc");
    assert_eq!(
        location(&a.get("/gui/orgs/acme/members")),
        "/gui/orgs/acme-inc/members"
    );
    assert_eq!(a.get("/gui/orgs/acme-inc").status, 200);
    // A form posted to the old address acts, and returns to the new one.
    let r = a.post(
        "/gui/orgs/acme/invites",
        &format!("user_principal_id={bob}&role=org_viewer"),
    );
    assert_eq!(location(&r), "/gui/orgs/acme-inc/members?done=invited");
}
