//! Passphrase recovery end to end: `POST /v1/owner/recover` and the portal's "Forgot your
//! passphrase?" email a single-use link (through a real SMTP conversation) that opens
//! `/gui/setup`, which sets the new passphrase and ends every older session.

use crate::portal::{PASS, Server, hidden, send, setup};
use crate::receivers::{SmtpSink, wait_until};
use crate::server::set_config;
use serde_json::{Value, json};
use std::path::Path;

const NEW_PASS: &str = "a new and longer passphrase";
const FORM: &str = "application/x-www-form-urlencoded";

fn post_json(url: &str, path: &str, body: Value, bearer: Option<&str>) -> (u16, Value) {
    let auth = bearer.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    let r = send(
        "POST",
        &format!("{url}{path}"),
        &headers,
        Some(&body.to_string()),
    );
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

fn login(url: &str, pass: &str) -> (u16, Value) {
    post_json(
        url,
        "/v1/owner/login",
        json!({"owner_id": "Alice", "passphrase": pass}),
        None,
    )
}

/// Alice's data dir with `alice@example.test` on her account and the given SMTP port (none:
/// no SMTP configured).
fn alice(smtp_port: Option<u16>) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, data) = setup("Alice");
    crate::common::ol(&data)
        .args([
            "owner",
            "add-contact",
            "--type",
            "email",
            "--value",
            "alice@example.test",
        ])
        .assert()
        .success();
    let smtp = smtp_port.map_or(String::new(), |p| {
        format!(
            "notifications:\n  smtp: {{host: 127.0.0.1, port: {p}, tls: none, from: \"openleash <ol@example.test>\"}}\n"
        )
    });
    set_config(&data, &format!("audit: {{fsync: never}}\n{smtp}"));
    (tmp, data)
}

fn audit_types(data: &Path) -> Vec<String> {
    std::fs::read_to_string(data.join("audit.log.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["event_type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn an_emailed_link_sets_a_new_passphrase_once_and_ends_old_sessions() {
    let smtp = SmtpSink::start();
    let (_tmp, data) = alice(Some(smtp.addr.port()));
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let (status, old) = login(url, PASS);
    assert_eq!(status, 200, "{old}");
    let old_session = old["token"].as_str().unwrap().to_string();

    // The same answer for a known and an unknown address; bad input is refused.
    let (s1, known) = post_json(
        url,
        "/v1/owner/recover",
        json!({"email": "ALICE@example.test"}),
        None,
    );
    let (s2, unknown) = post_json(
        url,
        "/v1/owner/recover",
        json!({"email": "bob@example.test"}),
        None,
    );
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(known, unknown);
    assert_eq!(known["status"], "ok");
    for bad in [
        json!({}),
        json!({"email": "not an address"}),
        json!({"email": 7}),
    ] {
        let (s, e) = post_json(url, "/v1/owner/recover", bad.clone(), None);
        assert_eq!(s, 400, "{bad} → {e}");
        assert_eq!(e["error"]["code"], "INVALID_BODY");
    }

    let mail = wait_until("the recovery email", || smtp.messages().pop());
    let decoded = mail.replace("=\r\n", "").replace("=3D", "=");
    assert!(decoded.contains("To: alice@example.test"), "{mail}");
    assert!(
        decoded.contains("Subject: Set a new openleash passphrase"),
        "{mail}"
    );
    let start = decoded
        .find(&format!("{url}/gui/setup?invite_id="))
        .expect("the link");
    let link: String = decoded[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
        .collect();
    assert_eq!(smtp.messages().len(), 1, "one email only (none for bob)");

    // The page shows the form for Alice; mismatched passphrases change nothing.
    let page = send("GET", &link, &[], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Set your passphrase") && page.body.contains("Alice"));
    let cookie = page.cookies().join("; ");
    let form = |pass: &str, confirm: &str, csrf: &str| {
        format!(
            "login_csrf={csrf}&invite_id={}&invite_token={}&passphrase={}&confirm={}",
            hidden(&page.body, "invite_id"),
            hidden(&page.body, "invite_token"),
            pass.replace(' ', "+"),
            confirm.replace(' ', "+"),
        )
    };
    let csrf = hidden(&page.body, "login_csrf");
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", FORM)];
    let r = send(
        "POST",
        &format!("{url}/gui/setup"),
        &headers,
        Some(&form(NEW_PASS, "other thing here", &csrf)),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("differ"), "{}", r.body);
    let r = send(
        "POST",
        &format!("{url}/gui/setup"),
        &headers,
        Some(&form("short", "short", &csrf)),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("at least"), "{}", r.body);
    let r = send(
        "POST",
        &format!("{url}/gui/setup"),
        &headers,
        Some(&form(NEW_PASS, NEW_PASS, "forged")),
    );
    assert_eq!(r.status, 403);
    assert_eq!(login(url, PASS).0, 200, "nothing changed yet");

    let r = send(
        "POST",
        &format!("{url}/gui/setup"),
        &headers,
        Some(&form(NEW_PASS, NEW_PASS, &csrf)),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/gui/login?done=passphrase_set"));
    let done = send(
        "GET",
        &format!("{url}/gui/login?done=passphrase_set"),
        &[],
        None,
    );
    assert!(done.body.contains("Your new passphrase is set"));

    // Single use; the old passphrase and the session from before are gone.
    let again = send("GET", &link, &[], None);
    assert!(again.body.contains("already been used"), "{}", again.body);
    assert_eq!(login(url, PASS).0, 401);
    let (status, fresh) = login(url, NEW_PASS);
    assert_eq!(status, 200, "{fresh}");
    let old = send(
        "GET",
        &format!("{url}/v1/owner/profile"),
        &[("Authorization", &format!("Bearer {old_session}"))],
        None,
    );
    assert_eq!(old.status, 401, "{}", old.body);
    let fresh_token = fresh["token"].as_str().unwrap();
    let ok = send(
        "GET",
        &format!("{url}/v1/owner/profile"),
        &[("Authorization", &format!("Bearer {fresh_token}"))],
        None,
    );
    assert_eq!(ok.status, 200, "{}", ok.body);

    // Three requests per address an hour, matched or not.
    for _ in 0..2 {
        assert_eq!(
            post_json(
                url,
                "/v1/owner/recover",
                json!({"email": "alice@example.test"}),
                None
            )
            .0,
            200
        );
    }
    let (s, e) = post_json(
        url,
        "/v1/owner/recover",
        json!({"email": "alice@example.test"}),
        None,
    );
    assert_eq!(s, 429, "{e}");
    assert_eq!(e["error"]["code"], "TOO_MANY_ATTEMPTS");

    let types = audit_types(&data);
    let count = |t: &str| types.iter().filter(|x| *x == t).count();
    assert_eq!(count("USER_RECOVERY_REQUESTED"), 4);
    assert_eq!(count("USER_SETUP_COMPLETED"), 1);
}

#[test]
fn the_portal_form_asks_and_an_operator_without_smtp_is_told() {
    let (_tmp, data) = alice(None);
    let srv = Server::start(&data, &[]);
    let url = srv.url.as_str();
    let login_page = send("GET", &format!("{url}/gui/login"), &[], None);
    assert!(login_page.body.contains("href=\"/gui/recover\""));

    let page = send("GET", &format!("{url}/gui/recover"), &[], None);
    assert_eq!(page.status, 200);
    let cookie = page.cookies().join("; ");
    let csrf = hidden(&page.body, "login_csrf");
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", FORM)];
    let post = |body: String| send("POST", &format!("{url}/gui/recover"), &headers, Some(&body));

    let r = post("login_csrf=forged&email=alice%40example.test".into());
    assert_eq!(r.status, 403);
    let r = post(format!("login_csrf={csrf}&email=nobody"));
    assert_eq!(r.status, 400);
    assert!(r.body.contains("not an email address"), "{}", r.body);
    let r = post(format!("login_csrf={csrf}&email=alice%40example.test"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("a link is on its way"), "{}", r.body);
    let r2 = post(format!("login_csrf={csrf}&email=zed%40example.test"));
    assert_eq!(
        r2.body,
        r.body.replace("alice@example.test", "zed@example.test")
    );

    // No SMTP: no invite was created, and the server's log says why and what to do.
    assert!(
        !data.join("setup_invites").exists()
            || std::fs::read_dir(data.join("setup_invites"))
                .unwrap()
                .next()
                .is_none()
    );
    let log = std::fs::read_to_string(data.with_file_name("server.log")).unwrap();
    assert!(
        log.contains("notifications.smtp.host is not set") && log.contains("admin setup-invite"),
        "{log}"
    );
}

#[test]
fn setup_links_that_do_not_work_say_so() {
    let (_tmp, data) = alice(None);
    let srv = Server::start(&data, &[]);
    for query in [
        String::new(),
        "?invite_id=../../etc&token=x".into(),
        format!(
            "?invite_id={}&token=x",
            "00000000-0000-4000-8000-000000000001"
        ),
    ] {
        let r = send("GET", &format!("{}/gui/setup{query}", srv.url), &[], None);
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        assert!(
            r.body.contains("not valid") && r.body.contains("/gui/recover"),
            "{query}: {}",
            r.body
        );
        assert!(!r.body.contains("name=\"passphrase\""), "{query}");
    }
}
