//! The owner portal (SPEC §15) over plain HTTP: security headers, sessions, CSRF and Origin checks,
//! throttling, logout revocation, `--no-gui`, and every form's bad input. The browser flows are in
//! `portal_browser.rs`.

use crate::common::{bin, ol, stdout_json};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

pub const PASS: &str = "correct horse battery";

pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(data: &Path, extra: &[&str]) -> Server {
        let log = data.with_file_name("server.log");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("openleash"))
            .arg("--data-dir")
            .arg(data)
            .args(["start", "--bind", "127.0.0.1:0", "--threads", "4"])
            .args(extra)
            .env_remove("OPENLEASH_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{line:?}");
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A data dir whose owner has a passphrase; `name` is the owner's display name.
pub fn setup(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let pass = tmp.path().join("pass.txt");
    std::fs::write(&pass, PASS).unwrap();
    ol(&data)
        .args([
            "init",
            "--agent-id",
            "my-agent",
            "--owner-name",
            name,
            "--passphrase-file",
        ])
        .arg(&pass)
        .arg("--output-env")
        .arg(tmp.path().join("agent.env"))
        .assert()
        .success();
    (tmp, data)
}

fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

pub(crate) struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.split(';').next().unwrap_or_default().to_string())
            .collect()
    }
}

pub(crate) fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    let a = http();
    let mut resp = if method == "GET" {
        let mut rb = a.get(url);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        rb.call().unwrap()
    } else {
        let mut rb = a.post(url);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        rb.send(body.unwrap_or_default()).unwrap()
    };
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    Resp {
        status: resp.status().as_u16(),
        headers,
        body: resp.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// The value of `name="…" value="…"` in a page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap();
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Logs in through the portal form; returns the `Cookie` header value of the session.
fn portal_login(url: &str) -> String {
    let page = send("GET", &format!("{url}/gui/login"), &[], None);
    let login_cookie = page.cookies().join("; ");
    let token = hidden(&page.body, "login_csrf");
    let form = format!("login_csrf={token}&next=&owner=Alice&passphrase=correct+horse+battery");
    let r = send(
        "POST",
        &format!("{url}/gui/login"),
        &[
            ("Cookie", &login_cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(&form),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = r
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("openleash_session=") && c.len() > 20)
        .unwrap();
    let full = r
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("openleash_session="))
        .unwrap()
        .1
        .clone();
    assert!(
        full.contains("HttpOnly") && full.contains("SameSite=Strict") && full.contains("Path=/")
    );
    c
}

fn pending_ids(data: &Path) -> Vec<String> {
    let out = ol(data)
        .args(["--json", "approval", "list", "--status", "PENDING"])
        .output()
        .unwrap();
    stdout_json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["approval_request_id"].as_str().unwrap().to_string())
        .collect()
}

pub fn approval_status(data: &Path, id: &str) -> String {
    let out = ol(data)
        .args(["--json", "approval", "show", id])
        .output()
        .unwrap();
    stdout_json(&out)["status"].as_str().unwrap().to_string()
}

/// `openleash authorize --request-approval` in the background, as an agent waiting for its owner.
pub fn ask(data: &Path, payload: &str, justification: &str) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("openleash"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            payload,
        ])
        .args(["--request-approval", "--wait", "90", "--poll-ms", "100"])
        .args(["--justification", justification])
        .env_remove("OPENLEASH_DATA_DIR")
        .env("OPENLEASH_USER_CONFIG", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub fn wait_pending(data: &Path, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ids = pending_ids(data);
        if ids.len() >= n {
            return ids;
        }
        assert!(Instant::now() < deadline, "no pending approval appeared");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn portal_security_over_http() {
    let (_tmp, data) = setup("Alice");
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();

    // Unauthenticated pages go to the login page; the login page has the security headers.
    let r = send("GET", &format!("{url}/gui/approvals"), &[], None);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/gui/login?next=/gui/approvals"));
    let r = send("GET", &format!("{url}/gui/login"), &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-security-policy"),
        Some(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(!r.body.contains("style=") && !r.body.contains("<script>"));
    // Assets are content-addressed and cached for long.
    let css = r
        .body
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let a = send("GET", &format!("{url}{css}"), &[], None);
    assert_eq!(a.status, 200);
    assert!(a.header("cache-control").unwrap().contains("immutable"));
    assert!(a.header("content-type").unwrap().starts_with("text/css"));

    // A login form without its double-submit token does nothing.
    let r = send(
        "POST",
        &format!("{url}/gui/login"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("owner=Alice&passphrase=correct+horse+battery"),
    );
    assert_eq!(r.status, 403);

    let cookie = portal_login(url);
    let page = send(
        "GET",
        &format!("{url}/gui/approvals"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No pending approvals"));
    let csrf = hidden(&page.body, "csrf");

    // A pending request to act on.
    let child = ask(
        &data,
        r#"{"amount_minor":125000,"currency":"USD"}"#,
        "laptop",
    );
    let id = wait_pending(&data, 1).remove(0);
    let approve = format!("{url}/gui/approvals/{id}/approve");
    let form = [
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    // No CSRF token, a wrong one, and a right one from a foreign Origin: all 403, nothing changes.
    for (body, origin) in [
        (String::new(), None),
        ("csrf=00".to_string(), None),
        (format!("csrf={csrf}"), Some("http://evil.example")),
    ] {
        let mut hs = form.to_vec();
        if let Some(o) = origin {
            hs.push(("Origin", o));
        }
        let r = send("POST", &approve, &hs, Some(&body));
        assert_eq!(r.status, 403, "{body} {origin:?}");
        assert_eq!(approval_status(&data, &id), "PENDING");
    }
    // A GET never changes anything.
    assert_eq!(
        send("GET", &approve, &[("Cookie", &cookie)], None).status,
        404
    );
    assert_eq!(approval_status(&data, &id), "PENDING");
    // The right token from this origin approves once; the second POST says so and changes nothing.
    let own = url.to_string();
    let mut hs = form.to_vec();
    hs.push(("Origin", &own));
    let r = send("POST", &approve, &hs, Some(&format!("csrf={csrf}")));
    assert_eq!(r.status, 303);
    assert_eq!(approval_status(&data, &id), "APPROVED");
    let r = send("POST", &approve, &hs, Some(&format!("csrf={csrf}")));
    assert_eq!(r.status, 409);
    assert!(r.body.contains("already approved"), "{}", r.body);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout_json(&out)["result"], "ALLOW");

    // Logout revokes the session server-side: the old cookie no longer works.
    let r = send(
        "POST",
        &format!("{url}/gui/logout"),
        &form,
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/gui/login?done=logged_out"));
    let r = send(
        "GET",
        &format!("{url}/gui/dashboard"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(r.status, 303);

    // The owner API: login, logout with an empty body, the token is refused afterwards.
    let owner_id = stdout_json(
        &ol(&data)
            .args(["--json", "owner", "list"])
            .output()
            .unwrap(),
    )[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    let login = |pass: &str| {
        send(
            "POST",
            &format!("{url}/v1/owner/login"),
            &[("Content-Type", "application/json")],
            Some(&serde_json::json!({"owner_id": owner_id, "passphrase": pass}).to_string()),
        )
    };
    let r = login(PASS);
    assert_eq!(r.status, 200, "{}", r.body);
    let token = serde_json::from_str::<Value>(&r.body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let bearer = format!("Bearer {token}");
    assert_eq!(
        send(
            "GET",
            &format!("{url}/v1/owner/profile"),
            &[("Authorization", &bearer)],
            None
        )
        .status,
        200
    );
    let r = send(
        "POST",
        &format!("{url}/v1/owner/logout"),
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = send(
        "GET",
        &format!("{url}/v1/owner/profile"),
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(r.status, 401);
    assert!(r.body.contains("INVALID_SESSION"));

    // Throttling: five failures, then 429 TOO_MANY_ATTEMPTS with Retry-After, even for the
    // right passphrase.
    for _ in 0..5 {
        assert_eq!(login("wrong passphrase").status, 401);
    }
    let r = login(PASS);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("TOO_MANY_ATTEMPTS"));
    let secs: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&secs));

    // /reference renders the OpenAPI document.
    let r = send("GET", &format!("{url}/reference"), &[], None);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("/v1/authorize"));
    let r = send("GET", &format!("{url}/reference/openapi.json"), &[], None);
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["openapi"]
            .as_str()
            .map(|s| s.starts_with('3')),
        Some(true)
    );
}

#[test]
fn no_gui_turns_the_portal_off() {
    let (_tmp, data) = setup("Alice");
    let srv = Server::start(&data, &["--no-gui"]);
    let r = send("GET", &format!("{}/gui/login", srv.url), &[], None);
    assert_eq!(r.status, 404);
    assert!(r.body.contains("NOT_FOUND"));
    assert_eq!(
        send("GET", &format!("{}/reference", srv.url), &[], None).status,
        200
    );
    drop(srv);
    std::fs::write(data.join("config.yaml"), "server:\n  gui: false\n").unwrap();
    let srv = Server::start(&data, &[]);
    assert_eq!(
        send("GET", &format!("{}/gui", srv.url), &[], None).status,
        404
    );
    drop(srv);
    let srv = Server::start(&data, &["--gui"]);
    assert_eq!(
        send("GET", &format!("{}/gui", srv.url), &[], None).status,
        303
    );
    std::fs::write(data.join("config.yaml"), "server:\n  gui: maybe\n").unwrap();
    bin()
        .arg("--data-dir")
        .arg(&data)
        .args(["start", "--bind", "127.0.0.1:0"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("server.gui"));
}

#[test]
fn portal_forms_refuse_bad_input_and_change_nothing() {
    let (tmp, data) = setup("Alice");
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let cookie = portal_login(url);
    let page = send(
        "GET",
        &format!("{url}/gui/approvals"),
        &[("Cookie", &cookie)],
        None,
    );
    let csrf = format!("csrf={}", hidden(&page.body, "csrf"));
    let own = url.to_string();
    let form = [
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", own.as_str()),
    ];
    let post = |path: &str, body: &str| send("POST", &format!("{url}{path}"), &form, Some(body));
    let get = |path: &str| send("GET", &format!("{url}{path}"), &[("Cookie", &cookie)], None);
    let unknown = "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a";
    let before = crate::common::snapshot_tree(&data.join("approvals"));

    for path in [
        format!("/gui/approvals/{unknown}"),
        format!("/gui/drafts/{unknown}"),
        format!("/gui/policies/{unknown}"),
        format!("/gui/agents/{unknown}"),
        "/gui/nothing-here".to_string(),
    ] {
        let r = get(&path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.contains("Not found"), "{path}");
    }
    let r = get("/gui/approvals/..%2F..%2Fconfig");
    assert_eq!(r.status, 400);
    for (path, body, status) in [
        (
            format!("/gui/approvals/{unknown}/approve"),
            csrf.clone(),
            404,
        ),
        (
            format!("/gui/approvals/{unknown}/deny"),
            format!("{csrf}&reason=x"),
            404,
        ),
        (
            "/gui/approvals/not-a-uuid/approve".to_string(),
            csrf.clone(),
            400,
        ),
        (format!("/gui/drafts/{unknown}/approve"), csrf.clone(), 404),
        (format!("/gui/policies/{unknown}/delete"), csrf.clone(), 404),
        (
            format!("/gui/agents/{unknown}/status"),
            format!("{csrf}&status=REVOKED"),
            404,
        ),
    ] {
        let r = post(&path, &body);
        assert_eq!(r.status, status, "{path}: {}", r.body);
    }
    assert_eq!(
        crate::common::snapshot_tree(&data.join("approvals")),
        before
    );

    // An agent status other than ACTIVE/REVOKED is refused.
    let agent_pid = stdout_json(
        &ol(&data)
            .args(["--json", "agent", "list"])
            .output()
            .unwrap(),
    )[0]["agent_principal_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(
        &format!("/gui/agents/{agent_pid}/status"),
        &format!("{csrf}&status=GONE"),
    );
    assert_eq!(r.status, 400);
    // Revoke and activate round trip.
    let r = post(
        &format!("/gui/agents/{agent_pid}/status"),
        &format!("{csrf}&status=REVOKED"),
    );
    assert_eq!(r.status, 303);
    assert!(
        get(&format!("/gui/agents/{agent_pid}"))
            .body
            .contains("REVOKED")
    );
    let r = post(
        &format!("/gui/agents/{agent_pid}/status"),
        &format!("{csrf}&status=ACTIVE"),
    );
    assert_eq!(r.status, 303);

    // A new policy with an error: 422 with the diagnostic, nothing created.
    let policies_before = std::fs::read_dir(data.join("policies")).unwrap().count();
    let r = post(
        "/gui/policies/new",
        &format!("{csrf}&name=x&policy_yaml=version%3A+1%0Adefault%3A+alow%0Arules%3A+%5B%5D%0A"),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("line 2, column"), "{}", r.body);
    assert_eq!(
        std::fs::read_dir(data.join("policies")).unwrap().count(),
        policies_before
    );

    // Create a policy, then move its binding from owner-wide to the agent.
    let r = post(
        "/gui/policies/new",
        &format!(
            "{csrf}&name=travel&policy_yaml=version%3A+1%0Adefault%3A+passthrough%0Arules%3A+%5B%5D%0A"
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let pid = r
        .header("location")
        .unwrap()
        .trim_start_matches("/gui/policies/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let bindings = || {
        let v = stdout_json(
            &ol(&data)
                .args(["--json", "policy", "list"])
                .output()
                .unwrap(),
        );
        v.as_array()
            .unwrap()
            .iter()
            .find(|p| p["policy_id"] == pid.as_str())
            .unwrap()["bindings"]
            .clone()
    };
    assert_eq!(bindings().as_array().unwrap().len(), 1);
    assert!(bindings()[0]["agent_principal_id"].is_null());
    assert_eq!(
        post(
            &format!("/gui/policies/{pid}/bind"),
            &format!("{csrf}&agent={agent_pid}&rank=5")
        )
        .status,
        303
    );
    assert_eq!(
        post(
            &format!("/gui/policies/{pid}/unbind"),
            &format!("{csrf}&agent=")
        )
        .status,
        303
    );
    let b = bindings();
    assert_eq!(b.as_array().unwrap().len(), 1, "{b}");
    assert_eq!(b[0]["agent_principal_id"], agent_pid.as_str());
    assert_eq!(b[0]["rank"], 5);
    assert_eq!(
        post(
            &format!("/gui/policies/{pid}/bind"),
            &format!("{csrf}&agent=&rank=abc")
        )
        .status,
        400
    );
    assert_eq!(
        post(
            &format!("/gui/policies/{pid}/bind"),
            &format!("{csrf}&agent=someone-else")
        )
        .status,
        404
    );
    assert!(get(&format!("/gui/policies/{pid}")).body.contains("Unbind"));

    // The audit page lists the newest event first.
    let audit = get("/gui/audit").body;
    let seqs: Vec<u64> = audit
        .split("<span>#")
        .skip(1)
        .filter_map(|s| s.split('<').next()?.parse().ok())
        .collect();
    assert!(
        seqs.len() > 2 && seqs.windows(2).all(|w| w[0] > w[1]),
        "{seqs:?}"
    );

    // Passphrase change: mismatch and wrong current passphrase change nothing.
    let owner_file = std::fs::read_dir(data.join("owners"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let owner_before = std::fs::read(&owner_file).unwrap();
    let r = post(
        "/gui/profile/passphrase",
        &format!(
            "{csrf}&current=correct+horse+battery&new=new+passphrase+1&confirm=new+passphrase+2"
        ),
    );
    assert_eq!(r.status, 400);
    let r = post(
        "/gui/profile/passphrase",
        &format!("{csrf}&current=wrong+wrong+wrong&new=new+passphrase+1&confirm=new+passphrase+1"),
    );
    assert_eq!(r.status, 401);
    let r = post(
        "/gui/profile/passphrase",
        &format!("{csrf}&current=correct+horse+battery&new=short&confirm=short"),
    );
    assert_eq!(r.status, 400);
    assert_eq!(std::fs::read(&owner_file).unwrap(), owner_before);

    // An expired request: Approve says so and records EXPIRED; nothing is approved. Requests
    // now expire after 3 s (long enough for the agent to create one on a busy machine).
    std::fs::write(
        data.join("config.yaml"),
        "approval:\n  request_ttl_seconds: 3\n",
    )
    .unwrap();
    let child = ask(&data, r#"{"amount_minor":125000,"currency":"USD"}"#, "late");
    let deadline = Instant::now() + Duration::from_secs(30);
    let (id, expires) = loop {
        let out = ol(&data)
            .args(["--json", "approval", "list"])
            .output()
            .unwrap();
        let list = stdout_json(&out);
        if let Some(r) = list
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["justification"] == "late")
        {
            break (
                r["approval_request_id"].as_str().unwrap().to_string(),
                r["expires_at"].as_str().unwrap().to_string(),
            );
        }
        assert!(Instant::now() < deadline, "no approval request appeared");
        std::thread::sleep(Duration::from_millis(100));
    };
    let expires = openleash::timefmt::parse(&expires).unwrap();
    while openleash::timefmt::now() <= expires {
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = post(&format!("/gui/approvals/{id}/approve"), &csrf);
    assert_eq!(r.status, 409);
    assert!(r.body.contains("has expired"), "{}", r.body);
    assert_eq!(approval_status(&data, &id), "EXPIRED");
    let _ = child.wait_with_output();

    // Deny twice: the second changes nothing and says so.
    std::fs::write(data.join("config.yaml"), "").unwrap();
    let child = ask(
        &data,
        r#"{"amount_minor":125000,"currency":"USD"}"#,
        "twice",
    );
    let id = wait_pending(&data, 1).remove(0);
    assert_eq!(
        post(
            &format!("/gui/approvals/{id}/deny"),
            &format!("{csrf}&reason=first")
        )
        .status,
        303
    );
    let r = post(
        &format!("/gui/approvals/{id}/deny"),
        &format!("{csrf}&reason=second"),
    );
    assert_eq!(r.status, 409);
    assert!(r.body.contains("already denied"));
    let shown = stdout_json(
        &ol(&data)
            .args(["--json", "approval", "show", &id])
            .output()
            .unwrap(),
    );
    assert_eq!(shown["denial_reason"], "first");
    let _ = child.wait_with_output();
    drop(tmp);
}

/// The profile's identity forms: add and remove contacts and government IDs through the shared
/// handler; refused values come back with the error next to their field and nothing written;
/// every form refuses a missing CSRF token.
#[test]
fn profile_identity_forms() {
    let (_tmp, data) = setup("Alice");
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let cookie = portal_login(url);
    let get = || {
        send(
            "GET",
            &format!("{url}/gui/profile"),
            &[("Cookie", &cookie)],
            None,
        )
    };
    let page = get();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No contacts yet."), "{}", page.body);
    let csrf = format!("csrf={}", hidden(&page.body, "csrf"));
    let own = url.to_string();
    let form = [
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", own.as_str()),
    ];
    let post = |path: &str, body: &str| send("POST", &format!("{url}{path}"), &form, Some(body));
    let owners = data.join("owners");
    let before = crate::common::snapshot_tree(&owners);

    // Without the token every identity form is refused and nothing changes.
    for path in [
        "/gui/profile/contacts",
        "/gui/profile/contacts/x/remove",
        "/gui/profile/gov-ids",
        "/gui/profile/gov-ids/SE/remove",
        "/gui/profile/company-ids",
        "/gui/profile/company-ids/remove",
    ] {
        let r = post(path, "contact_type=EMAIL&value=a%40example.com&country=SE");
        assert_eq!(r.status, 403, "{path}");
    }
    // Bad values: the page comes back with the message by its field and the typed value kept.
    let r = post(
        "/gui/profile/contacts",
        &format!("{csrf}&contact_type=EMAIL&value=not-an-email"),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("id=\"contact-value-error\""), "{}", r.body);
    assert!(r.body.contains("format validation failed"));
    assert!(r.body.contains("value=\"not-an-email\""));
    let r = post(
        "/gui/profile/contacts",
        &format!("{csrf}&contact_type=PIGEON&value=x"),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("id=\"contact-contact_type-error\""));
    let r = post(
        "/gui/profile/gov-ids",
        &format!("{csrf}&country=NL&value=111222334"),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("id=\"gov-value-error\""));
    let r = post(
        "/gui/profile/gov-ids",
        &format!("{csrf}&country=XX&value=1"),
    );
    assert!(r.body.contains("id=\"gov-country-error\""));
    // A person has no company IDs; unknown entries are 404.
    let r = post(
        "/gui/profile/company-ids",
        &format!("{csrf}&id_type=VAT&value=DE1"),
    );
    assert!(r.status >= 400 && r.status < 500, "{}", r.status);
    assert_eq!(post("/gui/profile/contacts/nope/remove", &csrf).status, 404);
    assert_eq!(post("/gui/profile/gov-ids/SE/remove", &csrf).status, 404);
    assert_eq!(crate::common::snapshot_tree(&owners), before);

    // Good values: POST-redirect-GET, shown (ID masked) on the profile.
    let r = post(
        "/gui/profile/contacts",
        &format!("{csrf}&contact_type=EMAIL&value=alice%40example.com&label=%3Cscript%3Ework"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("Location"),
        Some("/gui/profile?done=identity_added")
    );
    let r = post(
        "/gui/profile/gov-ids",
        &format!("{csrf}&country=SE&value=811218-9876"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = get();
    assert!(page.body.contains("alice@example.com"));
    assert!(page.body.contains("&lt;script&gt;work"));
    assert!(page.body.contains("*******9876") && !page.body.contains("811218"));
    assert!(page.body.contains("ID_FORMAT_VALID"));
    // The second SE ID is refused by the country field.
    let r = post(
        "/gui/profile/gov-ids",
        &format!("{csrf}&country=SE&value=811218-9876"),
    );
    assert_eq!(r.status, 409);
    assert!(r.body.contains("id=\"gov-country-error\""));

    // Remove both again (the contact by its id, taken from the page).
    let at = page.body.find("/gui/profile/contacts/").unwrap();
    let rest = &page.body[at..];
    let action = &rest[..rest.find('"').unwrap()];
    assert!(action.ends_with("/remove"), "{action}");
    assert_eq!(post(action, &csrf).status, 303);
    assert_eq!(post("/gui/profile/gov-ids/SE/remove", &csrf).status, 303);
    let page = get();
    assert!(page.body.contains("No contacts yet.") && page.body.contains("No government IDs yet."));
    let audit = ol(&data)
        .args(["--json", "audit", "list", "--type", "USER_IDENTITY_UPDATED"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&audit.stdout);
    assert!(text.contains("remove_contact") && text.contains("remove_government_id"));
}

/// The dashboard lists limits used to `notifications.near_cap_ratio` (0.8) of their cap, read
/// from the counter files without the writer lock.
#[test]
fn dashboard_shows_limits_near_their_cap() {
    let (tmp, data) = setup("Alice");
    let file = tmp.path().join("capped.yaml");
    std::fs::write(
        &file,
        "version: 1\ndefault: deny\nrules:\n  - id: capped-spend\n    effect: allow\n    action: purchase\n    limits:\n      - { window: 24h, max_amount_minor: 5000, per: owner }\n      - { window: 1h, max_count: 100 }\n",
    )
    .unwrap();
    ol(&data)
        .args(["policy", "upsert", "--yes", "--rank", "1", "--file"])
        .arg(&file)
        .assert()
        .success();
    let buy = |amount: u64| {
        let out = ol(&data)
            .args(["--json", "authorize", "--type", "purchase", "--payload"])
            .arg(format!(r#"{{"amount_minor":{amount},"currency":"USD"}}"#))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    };
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let cookie = portal_login(url);
    let dashboard = || {
        let r = send(
            "GET",
            &format!("{url}/gui/dashboard"),
            &[("Cookie", &cookie)],
            None,
        );
        assert_eq!(r.status, 200);
        let at = r.body.find("id=\"near-cap\"").unwrap();
        r.body[at..].to_string()
    };
    assert!(dashboard().contains("No limit near its cap"));
    buy(2000);
    // 40 % of the amount cap, 1 % of the count cap: nothing near.
    assert!(dashboard().contains("No limit near its cap"));
    buy(2000);
    let card = dashboard();
    assert!(!card.contains("No limit near its cap"), "{card}");
    assert!(card.contains("capped-spend"), "{card}");
    assert!(card.contains("$40.00") && card.contains("$50.00"), "{card}");
    assert!(
        !card.contains("decisions per"),
        "the count cap is far: {card}"
    );
}

/// A pending draft's page offers its replay impact (SPEC §18) and shows it when asked.
#[test]
fn draft_page_shows_the_replay_impact_when_asked() {
    let (tmp, data) = setup("Alice");
    let out = ol(&data)
        .args(["--json", "authorize", "--type", "purchase", "--payload"])
        .arg(r#"{"amount_minor":500000,"currency":"USD"}"#)
        .output()
        .unwrap();
    assert!(stdout_json(&out)["result"].is_string(), "{out:?}");
    let file = tmp.path().join("draft.yaml");
    std::fs::write(
        &file,
        "version: 1\ndefault: deny\nrules:\n  - id: big_purchases_ok\n    effect: allow\n    action: purchase\n",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "draft", "submit", "--owner-wide", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    let id = stdout_json(&out)["policy_draft_id"]
        .as_str()
        .unwrap()
        .to_string();
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let cookie = portal_login(url);
    let page = send(
        "GET",
        &format!("{url}/gui/drafts/{id}"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Show the impact"), "{}", page.body);
    assert!(
        !page.body.contains("would change"),
        "replayed only when asked"
    );
    let page = send(
        "GET",
        &format!("{url}/gui/drafts/{id}?impact=1"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page.status, 200);
    let at = page.body.find("id=\"impact\"").unwrap();
    let card = &page.body[at..];
    assert!(card.contains("would change"), "{card}");
}

/// TOTP in the portal (SPEC §17): enrolment with a server-rendered QR image (a `data:` SVG, no
/// script, CSP unchanged), then the approve form asks for a code and refuses without one.
#[test]
fn portal_totp_enrolment_and_the_code_on_approve() {
    use openleash::handlers::totp::{code_at, decode_secret, step_of};
    let (_tmp, data) = setup("Alice");
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let cookie = portal_login(url);
    let own = url.to_string();
    let form = [
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", own.as_str()),
    ];
    let profile = send(
        "GET",
        &format!("{url}/gui/profile"),
        &[("Cookie", &cookie)],
        None,
    );
    assert!(profile.body.contains("Two-factor authentication"));
    let csrf = hidden(&profile.body, "csrf");
    let r = send(
        "POST",
        &format!("{url}/gui/profile/totp/setup"),
        &form,
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("src=\"data:image/svg+xml;base64,"));
    let csp = r.header("Content-Security-Policy").unwrap();
    assert!(!csp.contains("unsafe-inline") && csp.contains("img-src 'self' data:"));
    let marker = "<code class=\"mono\">";
    let at = r.body.find(marker).unwrap() + marker.len();
    let secret = &r.body[at..at + r.body[at..].find('<').unwrap()];
    let key = decode_secret(secret).unwrap();
    let backup = {
        let at = r.body.find("<ul class=\"mono\"><li>").unwrap() + 20;
        r.body[at..at + r.body[at..].find('<').unwrap()].to_string()
    };
    let step = || step_of(openleash::timefmt::now().unix_timestamp());
    // A wrong code: the profile page says so, nothing is enabled.
    let r = send(
        "POST",
        &format!("{url}/gui/profile/totp/confirm"),
        &form,
        Some(&format!("csrf={csrf}&code=00000a")),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    let code = code_at(&key, step()).unwrap();
    let r = send(
        "POST",
        &format!("{url}/gui/profile/totp/confirm"),
        &form,
        Some(&format!("csrf={csrf}&code={code}")),
    );
    assert_eq!(r.status, 303, "{}", r.body);

    let child = ask(
        &data,
        r#"{"amount_minor":125000,"currency":"USD"}"#,
        "laptop",
    );
    let id = wait_pending(&data, 1).remove(0);
    let page = send(
        "GET",
        &format!("{url}/gui/approvals/{id}"),
        &[("Cookie", &cookie)],
        None,
    );
    assert!(page.body.contains("name=\"totp_code\""));
    let approve = format!("{url}/gui/approvals/{id}/approve");
    let r = send("POST", &approve, &form, Some(&format!("csrf={csrf}")));
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(
        r.body
            .contains("Two-factor authentication code is required")
    );
    assert_eq!(approval_status(&data, &id), "PENDING");
    let next = code_at(&key, step() + 1).unwrap();
    let r = send(
        "POST",
        &approve,
        &form,
        Some(&format!("csrf={csrf}&totp_code={next}")),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(approval_status(&data, &id), "APPROVED");
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout_json(&out)["result"], "ALLOW");

    // Policy forms carry the code field too: deleting without a code changes nothing.
    let out = ol(&data)
        .args(["--json", "policy", "list"])
        .output()
        .unwrap();
    let pid = stdout_json(&out)[0]["policy_id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = send(
        "GET",
        &format!("{url}/gui/policies/{pid}"),
        &[("Cookie", &cookie)],
        None,
    );
    assert!(page.body.contains("id=\"delete_totp\""));
    let delete = format!("{url}/gui/policies/{pid}/delete");
    let r = send("POST", &delete, &form, Some(&format!("csrf={csrf}")));
    assert_ne!(r.status, 303, "{}", r.body);
    assert!(data.join("policies").join(format!("{pid}.yaml")).exists());
    let r = send(
        "POST",
        &delete,
        &form,
        Some(&format!("csrf={csrf}&totp_code={backup}")),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!data.join("policies").join(format!("{pid}.yaml")).exists());
}

/// The approvals history and the agent list page with keyset cursors: "Older →" / "Next →"
/// links, every item exactly once, and an edited cursor refused.
#[test]
fn portal_lists_page_with_cursors() {
    let (tmp, data) = setup("Alice");
    let file = crate::approval::action_file(tmp.path(), "large.json", "my-agent", 500000);
    let first = crate::approval::request(&data, &crate::approval::decide(&data, &file), &file);
    ol(&data)
        .args(["approval", "deny", &first, "--yes"])
        .assert()
        .success();
    let mut ids = crate::paging::clone_requests(&data, &first, 29, |i| {
        format!("2026-01-01T00:00:{i:02}.000Z")
    });
    ids.push(first);
    let srv = Server::start(&data, &[]);
    let cookie = portal_login(&srv.url);
    let ids_on = |html: &str| -> Vec<String> {
        ids.iter()
            .filter(|id| html.contains(&format!("/gui/approvals/{id}\"")))
            .cloned()
            .collect()
    };
    let page1 = send(
        "GET",
        &format!("{}/gui/approvals", srv.url),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page1.status, 200);
    let at = page1
        .body
        .find("/gui/approvals?history=")
        .expect("an Older link");
    let rest = &page1.body[at..];
    let href = rest[..rest.find('"').unwrap()].to_string();
    let page2 = send(
        "GET",
        &format!("{}{href}", srv.url),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page2.status, 200);
    assert!(page2.body.contains("First page"));
    assert!(!page2.body.contains("/gui/approvals?history="));
    let (a, b) = (ids_on(&page1.body), ids_on(&page2.body));
    assert_eq!((a.len(), b.len()), (25, 5));
    let all: std::collections::HashSet<_> = a.into_iter().chain(b).collect();
    assert_eq!(all.len(), 30);
    let bad = send(
        "GET",
        &format!("{}/gui/approvals?history=x{}", srv.url, &href[23..]),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    // One agent: the agent list has no pager.
    let agents = send(
        "GET",
        &format!("{}/gui/agents", srv.url),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(agents.status, 200);
    assert!(!agents.body.contains("?cursor="));
}

/// The audit page links with keyset cursors (`before=` / `after=` a seq): "Older →" walks every
/// event of the owner exactly once, newest first, "← Newer" walks back the same pages, and an
/// old `offset=` link still shows the events from that offset.
#[test]
fn portal_audit_pages_with_keyset_links() {
    let (_tmp, data) = setup("Alice");
    let owner = stdout_json(
        &ol(&data)
            .args(["--json", "owner", "list"])
            .output()
            .unwrap(),
    )[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    let dd = openleash::store::DataDir::open(&data).unwrap();
    let events = (0..120)
        .map(|i| {
            openleash::audit::NewEvent::new(
                "DECISION_CREATED",
                serde_json::json!({"owner_id": owner, "result": "ALLOW", "i": i}),
            )
        })
        .collect();
    dd.append_audit(events).unwrap();
    let srv = Server::start(&data, &[]);
    let cookie = portal_login(&srv.url);
    // What the owner sees, as a scan finds it (the login included).
    let mut all = Vec::new();
    let filter = openleash::audit::Filter {
        owner: Some(owner.clone()),
        ..Default::default()
    };
    dd.audit_scan(&filter, 0, |ev| all.push(ev.seq)).unwrap();
    all.reverse();
    let get = |path: &str| {
        let r = send(
            "GET",
            &format!("{}{path}", srv.url),
            &[("Cookie", &cookie)],
            None,
        );
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.body
    };
    let seqs = |html: &str| -> Vec<u64> {
        html.split("<span>#")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].parse().unwrap())
            .collect()
    };
    let link = |html: &str, label: &str| -> Option<String> {
        let end = html.find(label)?;
        let start = html[..end].rfind("href=\"")? + 6;
        let href = &html[start..end];
        Some(href[..href.find('"').unwrap()].replace("&amp;", "&"))
    };
    let mut pages = vec![get("/gui/audit")];
    assert!(link(&pages[0], "← Newer").is_none());
    while let Some(older) = link(pages.last().unwrap(), "Older →") {
        assert!(older.contains("before="), "{older}");
        pages.push(get(&older));
    }
    let walked: Vec<u64> = pages.iter().flat_map(|p| seqs(p)).collect();
    assert_eq!(walked, all);
    assert!(pages.len() >= 3);
    // Back again from the oldest page: the same pages, newest first on each.
    let mut back = pages.last().unwrap().clone();
    for page in pages.iter().rev().skip(1) {
        let newer = link(&back, "← Newer").expect("a Newer link");
        assert!(newer.contains("after="), "{newer}");
        back = get(&newer);
        assert_eq!(seqs(&back), seqs(page));
    }
    assert!(link(&back, "← Newer").is_none());
    // An old offset link (a bookmark): the events from that offset on.
    assert_eq!(seqs(&get("/gui/audit?offset=7")), all[7..57]);
}

/// The dashboard's "Decisions, last 24 h" counts this owner's decisions only: the first look
/// through the owner's audit index, later looks from where the last one stopped.
#[test]
fn dashboard_counts_the_owners_recent_decisions() {
    let (_tmp, data) = setup("Alice");
    let owner = stdout_json(
        &ol(&data)
            .args(["--json", "owner", "list"])
            .output()
            .unwrap(),
    )[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    let dd = openleash::store::DataDir::open(&data).unwrap();
    let decide = |o: &str, result: &str, n: usize| {
        let evs = (0..n)
            .map(|_| {
                openleash::audit::NewEvent::new(
                    "DECISION_CREATED",
                    serde_json::json!({"owner_id": o, "result": result}),
                )
            })
            .collect();
        dd.append_audit(evs).unwrap();
    };
    decide(&owner, "ALLOW", 3);
    decide("someone-else", "ALLOW", 4);
    decide(&owner, "DENY", 2);
    let srv = Server::start(&data, &[]);
    let cookie = portal_login(&srv.url);
    let dashboard = || {
        let r = send(
            "GET",
            &format!("{}/gui/dashboard", srv.url),
            &[("Cookie", &cookie)],
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    };
    assert!(dashboard().contains("5 decisions in total"));
    decide(&owner, "ALLOW", 2);
    decide("someone-else", "DENY", 1);
    assert!(dashboard().contains("7 decisions in total"));
}
