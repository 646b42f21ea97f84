//! Notifications (SPEC §16) against real receivers on loopback: signed agent webhooks for
//! approval and draft outcomes, retries and dead letters with their audit events, delivery
//! across a `kill -9` with the receiver down, owner channels (webhook, Slack, ntfy, email via an
//! SMTP sink, command), the approval lifecycle, the SSE stream, and bad input. Retry delays and
//! timeouts are shortened through environment variables; nothing asserts a duration.

use crate::common::*;
use crate::receivers::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

const SECRET: &str = "whsec-agent-secret";
const TOKEN: &str = "agent-bearer-token";
const FAST: &str = "audit: {fsync: never}\n";

/// `ol` with short retry delays and attempt timeouts.
fn olx(data: &Path) -> assert_cmd::Command {
    let mut c = ol(data);
    c.env("OPENLEASH_NOTIFY_RETRY_BASE_MS", "100")
        .env("OPENLEASH_NOTIFY_TIMEOUT_MS", "2000");
    c
}

fn set_config(data: &Path, yaml: &str) {
    std::fs::write(data.join("config.yaml"), yaml).unwrap();
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(body);
    hex::encode(m.finalize().into_bytes())
}

fn audit(data: &Path) -> Vec<Value> {
    std::fs::read_to_string(data.join("audit.log.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn audit_for(data: &Path, event_type: &str, notification: &str) -> Vec<Value> {
    audit(data)
        .into_iter()
        .filter(|e| {
            e["event_type"] == event_type && e["metadata_json"]["notification_id"] == notification
        })
        .collect()
}

fn notifications(data: &Path, status: &str) -> Vec<Value> {
    let out = ol(data)
        .args(["--json", "notify", "list", "--status", status])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    stdout_json(&out).as_array().unwrap().clone()
}

/// Adds agent `hooked` whose webhook is `url` (secret from a file, token from a flag).
fn add_hooked(tmp: &Path, data: &Path, url: &str) {
    let secret_file = tmp.join("agent.secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    ol(data)
        .args(["agent", "add", "--agent-id", "hooked", "--webhook-url", url])
        .arg("--webhook-secret-file")
        .arg(&secret_file)
        .args(["--webhook-auth-token", TOKEN, "--output-env"])
        .arg(tmp.join("hooked.env"))
        .assert()
        .success();
}

fn action_file(dir: &Path, name: &str, agent: &str, amount: u64) -> PathBuf {
    let path = dir.join(name);
    let action = json!({
        "action_id": openleash::ids::new_id(),
        "action_type": "purchase",
        "requested_at": "2025-01-15T10:30:00.000Z",
        "principal": {"agent_id": agent},
        "subject": {"principal_id": "00000000-0000-0000-0000-000000000001"},
        "payload": {"amount_minor": amount, "currency": "USD"},
    });
    std::fs::write(&path, action.to_string()).unwrap();
    path
}

/// A PENDING approval request of `agent` for a large purchase: (action file, request id).
fn pending(data: &Path, dir: &Path, agent: &str, name: &str) -> (PathBuf, String) {
    let file = action_file(dir, name, agent, 500_000);
    let out = olx(data)
        .args(["--json", "authorize", "--agent", agent, "--action-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let decision = stdout_json(&out)["decision_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = olx(data)
        .args([
            "--json",
            "approval",
            "request",
            "--agent",
            agent,
            "--decision-id",
            &decision,
        ])
        .arg("--action-file")
        .arg(&file)
        .args(["--justification", "the printer is out of toner"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let id = stdout_json(&out)["approval_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    (file, id)
}

/// Runs `notify run --once` until `status` lists `n` entries.
fn deliver_until(data: &Path, status: &str, n: usize) -> Vec<Value> {
    wait_until(&format!("{n} {status} notification(s)"), || {
        let v = notifications(data, status);
        if v.len() >= n {
            return Some(v);
        }
        olx(data)
            .args(["notify", "run", "--once"])
            .assert()
            .success();
        None
    })
}

fn check_signed(hit: &Hit, secret: &str) {
    assert_eq!(hit.method, "POST");
    assert_eq!(hit.header("Content-Type"), Some("application/json"));
    assert_eq!(
        hit.header("X-Webhook-Signature"),
        Some(hmac_hex(secret, &hit.body).as_str())
    );
    assert!(hit.header("X-Webhook-Timestamp").is_some());
    assert!(openleash::ids::is_uuid_shaped(
        hit.header("X-Webhook-Id").unwrap()
    ));
}

fn check_agent_hit(hit: &Hit) -> Value {
    check_signed(hit, SECRET);
    assert_eq!(
        hit.header("Authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let body = hit.json();
    let keys: BTreeSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["event_type", "timestamp", "agent_principal_id", "data"])
    );
    body
}

#[test]
fn agent_webhooks_are_signed_retried_audited_and_dead_lettered() {
    let rx = Receiver::start();
    let (tmp, data) = init_dir();
    set_config(&data, FAST);
    add_hooked(tmp.path(), &data, &rx.url("/hook"));

    // 500, 500, then 200: one notification, three attempts under one id, delivered once.
    rx.script(&[500, 500]);
    let (file, id) = pending(&data, tmp.path(), "hooked", "a.json");
    assert!(
        rx.hits().is_empty(),
        "agents do not hear approval_request.created"
    );
    olx(&data)
        .args(["--json", "approval", "approve", &id, "--yes"])
        .assert()
        .success();
    let delivered = deliver_until(&data, "delivered", 1);
    let nid = delivered[0]["id"].as_str().unwrap().to_string();
    assert_eq!(delivered[0]["attempts"], 3);
    let hits = rx.hits();
    assert_eq!(hits.len(), 3);
    for h in &hits {
        check_agent_hit(h);
        assert_eq!(h.header("X-Webhook-Id"), Some(nid.as_str()));
        assert_eq!(h.body, hits[0].body, "the body is the same on every retry");
    }
    let body = hits[2].json();
    assert_eq!(body["event_type"], "approval_request.approved");
    let data_keys: BTreeSet<&str> = body["data"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        data_keys,
        BTreeSet::from([
            "approval_request_id",
            "status",
            "approval_token",
            "approval_token_expires_at",
            "action_type"
        ])
    );
    assert_eq!(body["data"]["approval_request_id"], id.as_str());
    assert_eq!(body["data"]["status"], "APPROVED");
    assert_eq!(body["data"]["action_type"], "purchase");
    assert_eq!(audit_for(&data, "WEBHOOK_DELIVERY_FAILED", &nid).len(), 2);
    let ok = audit_for(&data, "WEBHOOK_DELIVERED", &nid);
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0]["metadata_json"]["status_code"], 200);
    assert_eq!(
        ok[0]["metadata_json"]["webhook_url"],
        rx.url("/hook").as_str()
    );
    assert_eq!(
        ok[0]["metadata_json"]["event_type"],
        "approval_request.approved"
    );

    // The token from the webhook works for the agent's retry, once.
    let token = body["data"]["approval_token"].as_str().unwrap();
    olx(&data)
        .args(["--json", "authorize", "--agent", "hooked", "--action-file"])
        .arg(&file)
        .args(["--approval-token", token])
        .assert()
        .code(0);

    // 400 is permanent: dead at once, audited; `notify retry --dead` redelivers once fixed.
    rx.script(&[400]);
    let (_, id2) = pending(&data, tmp.path(), "hooked", "b.json");
    olx(&data)
        .args([
            "approval",
            "deny",
            &id2,
            "--reason",
            "too expensive",
            "--yes",
        ])
        .assert()
        .success();
    let dead = notifications(&data, "dead");
    assert_eq!(dead.len(), 1, "{dead:?}");
    let nid2 = dead[0]["id"].as_str().unwrap().to_string();
    assert_eq!(dead[0]["last_status_code"], 400);
    assert_eq!(audit_for(&data, "NOTIFICATION_DEAD", &nid2).len(), 1);
    let out = olx(&data)
        .args(["--json", "notify", "retry", "--dead"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout_json(&out)["requeued"], json!([nid2]));
    deliver_until(&data, "delivered", 2);
    assert!(notifications(&data, "dead").is_empty());
    let last = rx.hits().pop().unwrap();
    assert_eq!(last.header("X-Webhook-Id"), Some(nid2.as_str()));
    let body = check_agent_hit(&last);
    assert_eq!(body["event_type"], "approval_request.denied");
    assert_eq!(body["data"]["status"], "DENIED");
    assert_eq!(body["data"]["denial_reason"], "too expensive");
    let shown = stdout_json(
        &ol(&data)
            .args(["--json", "notify", "show", &nid2])
            .output()
            .unwrap(),
    );
    assert_eq!(shown["status"], "delivered");
    assert_eq!(shown["target"]["kind"], "agent");

    // Draft outcomes.
    let policy = tmp.path().join("draft.yaml");
    std::fs::write(
        &policy,
        "version: 1\ndefault: deny\nrules:\n  - id: reads\n    effect: allow\n    action: read\n",
    )
    .unwrap();
    let mut drafts = Vec::new();
    for _ in 0..2 {
        let out = olx(&data)
            .args(["--json", "draft", "submit", "--agent", "hooked", "--file"])
            .arg(&policy)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        drafts.push(
            stdout_json(&out)["policy_draft_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    olx(&data)
        .args(["draft", "approve", &drafts[0], "--yes"])
        .assert()
        .success();
    olx(&data)
        .args(["draft", "deny", &drafts[1], "--reason", "no", "--yes"])
        .assert()
        .success();
    deliver_until(&data, "delivered", 4);
    let hits = rx.hits();
    let approved = check_agent_hit(&hits[hits.len() - 2]);
    assert_eq!(approved["event_type"], "policy_draft.approved");
    assert_eq!(approved["data"]["policy_draft_id"], drafts[0].as_str());
    assert_eq!(approved["data"]["status"], "APPROVED");
    assert!(approved["data"]["policy_id"].is_string());
    assert!(
        approved["data"]
            .get("applies_to_agent_principal_id")
            .is_some()
    );
    let denied = check_agent_hit(&hits[hits.len() - 1]);
    assert_eq!(denied["event_type"], "policy_draft.denied");
    assert_eq!(denied["data"]["denial_reason"], "no");
}

/// `openleash start` on a free loopback port; killed on drop.
struct Srv {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Srv {
    fn start(data: &Path) -> Srv {
        let log = data.with_file_name(format!("server-{}.log", openleash::ids::new_id()));
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("openleash"))
            .arg("--data-dir")
            .arg(data)
            .args(["start", "--bind", "127.0.0.1:0", "--threads", "2"])
            .env("OPENLEASH_NOTIFY_RETRY_BASE_MS", "200")
            .env("OPENLEASH_NOTIFY_TIMEOUT_MS", "1000")
            .env_remove("OPENLEASH_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        let addr = url
            .trim_start_matches("http://")
            .parse()
            .unwrap_or_else(|_| {
                panic!(
                    "unexpected first line {line:?}: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            });
        Srv { child, addr, log }
    }

    fn kill9(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-9", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }

    /// Names of the server's threads.
    fn threads(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .map(|d| {
                d.filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                    .map(|n| n.trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

impl Drop for Srv {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn every_event_arrives_after_kill_9_and_restart_with_the_receiver_down() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let (tmp, data) = init_dir();
    set_config(&data, FAST);
    add_hooked(tmp.path(), &data, &url);
    let mut srv = Srv::start(&data);
    // CLI-enqueued events: the running server holds the outbox and delivers them.
    let mut expected = BTreeMap::new();
    for (i, verb) in ["approve", "deny", "approve"].iter().enumerate() {
        let (_, id) = pending(&data, tmp.path(), "hooked", &format!("k{i}.json"));
        olx(&data)
            .args(["approval", verb, &id, "--yes"])
            .assert()
            .success();
        expected.insert(
            id,
            if *verb == "approve" {
                "approval_request.approved"
            } else {
                "approval_request.denied"
            },
        );
    }
    // The server tries (receiver down) and keeps them pending.
    wait_until("failed attempts by the server", || {
        let p = notifications(&data, "pending");
        (p.len() == 3 && p.iter().all(|e| e["attempts"].as_u64().unwrap() >= 1)).then_some(())
    });
    srv.kill9();
    let rx = Receiver::start_on(format!("127.0.0.1:{port}").parse().unwrap());
    let _srv = Srv::start(&data);
    let hits = rx.wait_for("three events", |h| {
        h.iter()
            .filter_map(|h| h.header("X-Webhook-Id"))
            .collect::<BTreeSet<_>>()
            .len()
            >= 3
    });
    wait_until("an empty outbox", || {
        notifications(&data, "pending").is_empty().then_some(())
    });
    let hits = rx.hits().into_iter().chain(hits).collect::<Vec<_>>();
    let mut by_id: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
    for h in hits {
        by_id
            .entry(h.header("X-Webhook-Id").unwrap().to_string())
            .or_default()
            .push(h);
    }
    assert_eq!(by_id.len(), 3, "one id per event, none invented");
    let mut got = BTreeMap::new();
    for hs in by_id.values() {
        // At least once: a repeat carries the same id and the same body.
        assert!(hs.iter().all(|h| h.body == hs[0].body));
        let body = check_agent_hit(&hs[0]);
        got.insert(
            body["data"]["approval_request_id"]
                .as_str()
                .unwrap()
                .to_string(),
            body["event_type"].as_str().unwrap().to_string(),
        );
    }
    let expected: BTreeMap<String, String> = expected
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(notifications(&data, "delivered").len(), 3);
}

#[test]
fn owner_channels_get_summary_and_link_in_their_formats() {
    let rx = Receiver::start();
    let smtp = SmtpSink::start();
    let (tmp, data) = init_dir();
    std::fs::write(data.join("hook.secret"), "owner-secret\n").unwrap();
    let cmd_out = tmp.path().join("command-event.json");
    set_config(
        &data,
        &format!(
            r#"server: {{public_url: "https://leash.example.test"}}
audit: {{fsync: never}}
notifications:
  smtp: {{host: 127.0.0.1, port: {}, tls: none, from: "openleash <ol@example.test>"}}
  channels:
    - {{name: hook, type: webhook, url: "{}", secret_file: hook.secret, events: [approval_request.created]}}
    - {{name: chat, type: slack, url: "{}", events: [approval_request.created]}}
    - {{name: phone, type: ntfy, url: "{}", events: [approval_request.created]}}
    - {{name: mail, type: email, to: [owner@example.test], events: [approval_request.created]}}
    - {{name: desk, type: command, command: [sh, -c, "cat > '{}'"], events: [approval_request.created]}}
"#,
            smtp.addr.port(),
            rx.url("/owner"),
            rx.url("/slack/T000/B000/XXXX"),
            rx.url("/ntfy/openleash-alerts"),
            cmd_out.display()
        ),
    );
    let (_, id) = pending(&data, tmp.path(), "my-agent", "o.json");
    let link = format!("https://leash.example.test/gui/approvals/{id}");
    deliver_until(&data, "delivered", 5);
    let hits = rx.hits();
    let on = |p: &str| {
        hits.iter()
            .find(|h| h.path.starts_with(p))
            .unwrap_or_else(|| panic!("nothing at {p}"))
    };

    let owner = on("/owner");
    check_signed(owner, "owner-secret");
    let b = owner.json();
    assert_eq!(b["event_type"], "approval_request.created");
    assert_eq!(b["data"]["approval_request_id"], id.as_str());
    assert_eq!(b["link"], link.as_str());
    let summary = b["summary"].as_str().unwrap().to_string();
    assert!(
        summary.starts_with("my-agent wants to purchase"),
        "{summary}"
    );
    assert!(summary.contains("the printer is out of toner"), "{summary}");

    let slack = on("/slack/").json();
    let text = slack["text"].as_str().unwrap();
    assert!(text.contains(&summary) && text.contains(&link), "{text}");

    let ntfy = on("/ntfy/openleash-alerts");
    assert_eq!(ntfy.header("Title"), Some("Approval needed: purchase"));
    assert_eq!(ntfy.header("Priority"), Some("high"));
    assert!(ntfy.header("Tags").unwrap().contains("bell"));
    assert_eq!(ntfy.header("Click"), Some(link.as_str()));
    assert!(ntfy.text().contains(&summary));

    let mail = wait_until("an email", || smtp.messages().pop());
    let decoded = mail.replace("=\r\n", "").replace("=3D", "=");
    assert!(
        decoded.contains("Subject: Approval needed: purchase"),
        "{mail}"
    );
    assert!(decoded.contains("To: owner@example.test"), "{mail}");
    assert!(
        decoded.contains(&link) && decoded.contains("my-agent wants to purchase"),
        "{mail}"
    );
    assert!(decoded.contains("text/html"), "{mail}");

    let cmd: Value = serde_json::from_str(&std::fs::read_to_string(&cmd_out).unwrap()).unwrap();
    assert_eq!(cmd["event_type"], "approval_request.created");
    assert_eq!(cmd["link"], link.as_str());

    // `notify test` sends a sample and reports the receiver's answer.
    rx.script(&[503]);
    let out = olx(&data)
        .args(["--json", "notify", "test", "chat"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["status_code"], 503);
    let out = olx(&data)
        .args(["--json", "notify", "test", "chat"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout_json(&out)["delivered"], true);
    let out = olx(&data)
        .args(["--json", "notify", "test", "pager"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["error"]["code"], "NOT_FOUND");
}

#[test]
fn bad_channel_config_and_webhook_urls_are_refused() {
    let (tmp, data) = init_dir();
    for (yaml, at, what) in [
        (
            "notifications:\n  channels:\n    - name: a\n      type: pager\n      url: http://x/\n",
            "config.yaml:4:13",
            "unknown type `pager`",
        ),
        (
            "notifications:\n  channels:\n    - name: a\n      type: webhook\n",
            "config.yaml:3:7",
            "needs a `url`",
        ),
        (
            "notifications:\n  channels:\n    - name: a\n      type: webhook\n      url: file:///etc/passwd\n",
            "config.yaml:5:12",
            "http",
        ),
    ] {
        set_config(&data, yaml);
        let out = ol(&data)
            .args(["--json", "notify", "test", "a"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let e = stdout_json(&out);
        assert_eq!(e["error"]["code"], "INVALID_CONFIG", "{e}");
        let msg = e["error"]["message"].as_str().unwrap();
        assert!(msg.contains(at) && msg.contains(what), "{yaml}: {msg}");
    }
    set_config(&data, FAST);
    for (i, bad) in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest",
        "http://127.0.0.1:8787/v1/admin/config",
        "http://[fe80::1]:80/",
    ]
    .iter()
    .enumerate()
    {
        let out = ol(&data)
            .args([
                "--json",
                "agent",
                "add",
                "--agent-id",
                &format!("bad{i}"),
                "--webhook-url",
                bad,
            ])
            .output()
            .unwrap();
        assert_eq!(
            stdout_json(&out)["error"]["code"],
            "INVALID_WEBHOOK_URL",
            "{bad}"
        );
    }
    // "" means no webhook: outcomes are not queued for it.
    ol(&data)
        .args([
            "agent",
            "add",
            "--agent-id",
            "quiet",
            "--webhook-url",
            "",
            "--output-env",
        ])
        .arg(tmp.path().join("quiet.env"))
        .assert()
        .success();
    let (_, id) = pending(&data, tmp.path(), "quiet", "q.json");
    olx(&data)
        .args(["approval", "approve", &id, "--yes"])
        .assert()
        .success();
    assert!(notifications(&data, "pending").is_empty());
    assert!(notifications(&data, "delivered").is_empty());
}

#[test]
fn a_receiver_that_never_answers_times_out_and_is_retried_without_leaking_threads() {
    let rx = Receiver::start();
    rx.hang(true);
    let (tmp, data) = init_dir();
    set_config(&data, FAST);
    add_hooked(tmp.path(), &data, &rx.url("/hook"));
    let srv = Srv::start(&data);
    for i in 0..3 {
        let (_, id) = pending(&data, tmp.path(), "hooked", &format!("h{i}.json"));
        olx(&data)
            .args(["approval", "approve", &id, "--yes"])
            .assert()
            .success();
    }
    wait_until("a first timed-out attempt each", || {
        let p = notifications(&data, "pending");
        (p.len() == 3 && p.iter().all(|e| e["attempts"].as_u64().unwrap() >= 1)).then_some(())
    });
    let before = srv.threads();
    let pending = wait_until("several timed-out attempts each", || {
        let p = notifications(&data, "pending");
        (p.len() == 3 && p.iter().all(|e| e["attempts"].as_u64().unwrap() >= 3)).then_some(p)
    });
    for e in &pending {
        let err = e["last_error"].as_str().unwrap().to_ascii_lowercase();
        assert!(
            err.contains("timeout") || err.contains("timed out"),
            "{err}"
        );
    }
    assert!(
        audit(&data)
            .iter()
            .filter(|e| e["event_type"] == "WEBHOOK_DELIVERY_FAILED")
            .count()
            >= 9
    );
    // Delivery threads are a fixed pool: repeated timeouts do not add threads.
    // (The HTTP side's threads come and go with its accept generations; count ours.)
    let ours = |v: Vec<String>| {
        v.iter()
            .filter(|n| n.starts_with("openleash-notif"))
            .count()
    };
    let (before, after) = (ours(before), ours(srv.threads()));
    assert_eq!(
        before,
        after,
        "delivery threads grew from {before} to {after}; server log: {}",
        std::fs::read_to_string(&srv.log).unwrap_or_default()
    );
    assert!(
        after <= 10,
        "a dispatcher, its 8 delivery threads and its trash janitor, found {after}"
    );
}

#[test]
fn a_request_with_a_short_ttl_expires_and_everyone_hears_it() {
    let rx = Receiver::start();
    let (tmp, data) = init_dir();
    set_config(
        &data,
        &format!(
            "audit: {{fsync: never}}\napproval: {{remind_before_seconds: 0}}\nnotifications:\n  channels:\n    - {{name: owner, type: webhook, url: \"{}\", events: [approval_request.expired]}}\n",
            rx.url("/owner")
        ),
    );
    add_hooked(tmp.path(), &data, &rx.url("/hook"));
    // The rule's approval_ttl (2 s) shortens approval.request_ttl_seconds (a day).
    let policy = tmp.path().join("quick.yaml");
    std::fs::write(
        &policy,
        "version: 1\ndefault: deny\nrules:\n  - id: quick\n    effect: allow\n    action: purchase\n    obligations:\n      - type: HUMAN_APPROVAL\n    approval_ttl: 2s\n",
    )
    .unwrap();
    ol(&data)
        .args([
            "policy", "upsert", "--yes", "--agent", "hooked", "--rank", "1", "--file",
        ])
        .arg(&policy)
        .assert()
        .success();
    let _srv = Srv::start(&data);
    let (_, id) = pending(&data, tmp.path(), "hooked", "e.json");
    let hits = rx.wait_for("expiry notifications", |h| {
        h.iter().any(|h| h.path == "/hook") && h.iter().any(|h| h.path == "/owner")
    });
    let agent = check_agent_hit(hits.iter().find(|h| h.path == "/hook").unwrap());
    assert_eq!(agent["event_type"], "approval_request.expired");
    assert_eq!(agent["data"]["approval_request_id"], id.as_str());
    assert_eq!(agent["data"]["status"], "EXPIRED");
    let owner: Vec<String> = hits
        .iter()
        .filter(|h| h.path == "/owner")
        .map(|h| h.json()["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(owner, ["approval_request.expired"]);
    let out = olx(&data)
        .args(["--json", "approval", "approve", &id, "--yes"])
        .output()
        .unwrap();
    assert_eq!(
        stdout_json(&out)["error"]["code"],
        "REQUEST_EXPIRED",
        "{out:?}"
    );
    let shown = stdout_json(
        &ol(&data)
            .args(["--json", "approval", "show", &id])
            .output()
            .unwrap(),
    );
    assert_eq!(shown["status"], "EXPIRED");
    let expired: Vec<_> = audit(&data)
        .into_iter()
        .filter(|e| e["event_type"] == "APPROVAL_REQUEST_EXPIRED")
        .collect();
    assert_eq!(expired.len(), 1, "expired once, by the sweeper");
}

#[test]
fn reminders_and_escalation_reach_their_channels_once() {
    let rx = Receiver::start();
    let (tmp, data) = init_dir();
    // The reminder is due at once (remind_before = the whole lifetime); escalation after 1 s.
    set_config(
        &data,
        &format!(
            "audit: {{fsync: never}}\napproval: {{remind_before_seconds: 86400, escalate_after_seconds: 1}}\nnotifications:\n  channels:\n    - {{name: owner, type: webhook, url: \"{}\", events: [approval_request.expiring]}}\n    - {{name: pager, type: webhook, url: \"{}\", events: [approval_request.escalated]}}\n  escalation: [pager]\n",
            rx.url("/owner"),
            rx.url("/pager")
        ),
    );
    let _srv = Srv::start(&data);
    let (_, id) = pending(&data, tmp.path(), "my-agent", "r.json");
    let hits = rx.wait_for("a reminder and an escalation", |h| {
        h.iter().any(|h| h.path == "/owner") && h.iter().any(|h| h.path == "/pager")
    });
    for (path, event) in [
        ("/owner", "approval_request.expiring"),
        ("/pager", "approval_request.escalated"),
    ] {
        let b = hits.iter().find(|h| h.path == path).unwrap().json();
        assert_eq!(b["event_type"], event);
        assert_eq!(b["data"]["approval_request_id"], id.as_str());
        assert_eq!(b["data"]["status"], "PENDING");
    }
    let stored: Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("approvals").join(format!("{id}.json"))).unwrap(),
    )
    .unwrap();
    assert!(stored["reminded_at"].is_string() && stored["escalated_at"].is_string());
    wait_until("an empty outbox", || {
        notifications(&data, "pending").is_empty().then_some(())
    });
    let events: Vec<_> = audit(&data)
        .into_iter()
        .map(|e| e["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        events
            .iter()
            .filter(|e| *e == "APPROVAL_REQUEST_EXPIRING")
            .count(),
        1
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| *e == "APPROVAL_REQUEST_ESCALATED")
            .count(),
        1
    );
    assert_eq!(notifications(&data, "delivered").len(), 2, "each once");
}

// ---------------------------------------------------------------------------------------------
// SSE

/// An open event stream: the response head is read; frames are read on demand.
struct Stream {
    r: BufReader<TcpStream>,
}

fn open_stream(addr: SocketAddr, headers: &[(&str, &str)]) -> (u16, Option<Stream>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req =
        "GET /v1/owner/events/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
            .to_string();
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut r = BufReader::new(s);
    let mut status_line = String::new();
    r.read_line(&mut status_line).unwrap();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut content_type = String::new();
    loop {
        let mut l = String::new();
        r.read_line(&mut l).unwrap();
        if l.trim_end().is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-type")
        {
            content_type = v.trim().to_string();
        }
    }
    if status != 200 {
        return (status, None);
    }
    assert_eq!(content_type, "text/event-stream");
    let mut first = String::new();
    r.read_line(&mut first).unwrap();
    assert_eq!(first, "retry: 3000\n");
    (status, Some(Stream { r }))
}

impl Stream {
    /// The next `data:` frame with its `id:`.
    fn next(&mut self) -> (u64, Value) {
        let mut id = 0;
        loop {
            let mut l = String::new();
            assert!(self.r.read_line(&mut l).unwrap() > 0, "stream closed");
            if let Some(v) = l.strip_prefix("id: ") {
                id = v.trim().parse().unwrap();
            } else if let Some(d) = l.strip_prefix("data: ") {
                return (id, serde_json::from_str(d.trim()).unwrap());
            }
        }
    }

    fn next_of(&mut self, kind: &str) -> (u64, Value) {
        loop {
            let (id, v) = self.next();
            if v["type"] == kind {
                return (id, v);
            }
        }
    }
}

#[test]
fn sse_nudges_resume_and_cap_without_starving_decisions() {
    let (tmp, data) = init_dir();
    set_config(&data, FAST);
    let env = std::fs::read_to_string(tmp.path().join("agent.env")).unwrap();
    let val = |k: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let owner = val("OPENLEASH_OWNER_PRINCIPAL_ID");
    let key =
        openleash::crypto::ed25519::parse_private_key(&val("OPENLEASH_AGENT_PRIVATE_KEY_B64"))
            .unwrap();
    ol(&data)
        .args(["owner", "set-passphrase", "--passphrase-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    let srv = Srv::start(&data);
    let base = format!("http://{}", srv.addr);
    let login: Value = serde_json::from_str(
        &ureq::post(format!("{base}/v1/owner/login"))
            .header("Content-Type", "application/json")
            .send(
                json!({"user_principal_id": owner, "passphrase": "correct horse battery"})
                    .to_string(),
            )
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    let session = login["token"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {session}");
    let agent_pid = stdout_json(
        &ol(&data)
            .args(["--json", "agent", "show", "my-agent"])
            .output()
            .unwrap(),
    )["agent_principal_id"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(open_stream(srv.addr, &[]).0, 401);
    assert_eq!(
        open_stream(srv.addr, &[("Authorization", "Bearer v4.public.forged")]).0,
        401
    );

    // A new request is nudged as upstream shapes it, with the audit seq as id.
    let (_, s1) = open_stream(srv.addr, &[("Authorization", &bearer)]);
    let mut s1 = s1.unwrap();
    let (_, id) = pending(&data, tmp.path(), "my-agent", "s.json");
    let (seq, created) = s1.next_of("approval_created");
    assert_eq!(
        created,
        json!({"type": "approval_created", "agent_principal_id": agent_pid})
    );
    assert!(seq > 0);

    // Missed while disconnected: resumed from Last-Event-ID, via the portal's cookie.
    olx(&data)
        .args(["approval", "approve", &id, "--yes"])
        .assert()
        .success();
    let cookie = format!("theme=dark; openleash_session={session}");
    let last = seq.to_string();
    let (_, s2) = open_stream(srv.addr, &[("Cookie", &cookie), ("Last-Event-ID", &last)]);
    let mut s2 = s2.unwrap();
    let (seq2, resolved) = s2.next_of("approval_resolved");
    assert!(seq2 > seq);
    assert_eq!(
        resolved,
        json!({"type": "approval_resolved", "agent_principal_id": agent_pid, "status": "APPROVED"})
    );

    // 32 open streams (the default cap); the 33rd is refused; decisions still flow.
    // (A closed stream frees its slot when its next write fails, at the latest with the next
    // ping; s1 stays open so the count is exact.)
    let mut open = vec![s1, s2];
    for _ in 0..30 {
        let (status, s) = open_stream(srv.addr, &[("Authorization", &bearer)]);
        assert_eq!(status, 200);
        open.push(s.unwrap());
    }
    assert_eq!(open_stream(srv.addr, &[("Authorization", &bearer)]).0, 503);
    for i in 0..5 {
        let action = json!({
            "action_id": openleash::ids::new_id(),
            "action_type": "purchase",
            "requested_at": openleash::timefmt::now_string(),
            "principal": {"agent_id": "my-agent"},
            "subject": {"principal_id": owner},
            "payload": {"amount_minor": 100 + i, "currency": "USD"},
        });
        let body = action.to_string();
        let hs = openleash::server::auth::sign_request(
            &key,
            "my-agent",
            "POST",
            "/v1/authorize",
            Some(body.as_bytes()),
        );
        let mut req =
            ureq::post(format!("{base}/v1/authorize")).header("Content-Type", "application/json");
        for (k, v) in &hs {
            req = req.header(*k, v.as_str());
        }
        let r: Value = serde_json::from_str(
            &req.send(body.as_bytes())
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap(),
        )
        .unwrap();
        assert!(r["decision_id"].is_string(), "{r}");
    }
    // Every open stream sees the decisions (the audit nudges).
    for s in open.iter_mut().take(3) {
        let (_, v) = s.next_of("audit");
        assert!(v["event_type"].is_string());
    }
}

/// A CA and a `localhost` server certificate signed by it (openssl), for the TLS SMTP sink.
fn test_pki(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {out:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=openleash test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("leaf.pem"),
        dir.join("leaf.key"),
    )
}

/// Email over STARTTLS and over implicit TLS, with SMTP AUTH and the password from a file, to a
/// real SMTP server (aiosmtpd in the interop venv) whose certificate only `smtp.ca_file` trusts.
#[test]
fn email_goes_over_starttls_and_tls_with_auth() {
    let Ok(python) = std::env::var("OPENLEASH_INTEROP_PYTHON") else {
        eprintln!("SKIPPED TLS email: set OPENLEASH_INTEROP_PYTHON to the interop venv (aiosmtpd)");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/smtp_sink.py");
    for mode in ["starttls", "tls"] {
        let (tmp, data) = init_dir();
        let (ca, cert, key) = test_pki(tmp.path());
        let outdir = tmp.path().join("mail");
        std::fs::create_dir(&outdir).unwrap();
        let mut sink = std::process::Command::new(&python)
            .arg(&script)
            .args([mode])
            .args([&cert, &key])
            .args(["mailer", "s3cret pass"])
            .arg(&outdir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(sink.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port: u16 = first
            .trim()
            .strip_prefix("PORT ")
            .unwrap_or_else(|| panic!("sink said {first:?}"))
            .parse()
            .unwrap();
        std::fs::write(data.join("smtp.password"), "s3cret pass\n").unwrap();
        set_config(
            &data,
            &format!(
                r#"audit: {{fsync: never}}
notifications:
  smtp: {{host: localhost, port: {port}, tls: {mode}, username: mailer, password_file: smtp.password, ca_file: "{}", from: "openleash <ol@example.test>"}}
  channels:
    - {{name: mail, type: email, to: [owner@example.test], events: [approval_request.created]}}
"#,
                ca.display()
            ),
        );
        let (_, id) = pending(&data, tmp.path(), "my-agent", "o.json");
        let delivered = deliver_until(&data, "delivered", 1);
        assert_eq!(delivered.len(), 1, "{mode}: {delivered:?}");
        let mail = wait_until("the email", || {
            std::fs::read_to_string(outdir.join("1.eml")).ok()
        });
        let _ = sink.kill();
        let _ = sink.wait();
        assert!(
            mail.starts_with("X-Sink-Auth-User: mailer\r\n"),
            "{mode}: {mail}"
        );
        let decoded = mail.replace("=\r\n", "").replace("=3D", "=");
        assert!(
            decoded.contains("Subject: Approval needed: purchase"),
            "{mode}: {mail}"
        );
        assert!(
            decoded.contains(&format!("/gui/approvals/{id}")),
            "{mode}: {mail}"
        );
    }
}
