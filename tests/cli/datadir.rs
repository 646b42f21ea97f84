//! The data directory against other local users and other processes (issue 16): file modes of
//! secrets, one server per directory, no symbolic links followed, and the server's background
//! `audit verify`.

use crate::approval::{action_file, decide, request};
use crate::common::*;
use crate::server::Server;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.ends_with("index.json"))
        .collect()
}

#[test]
fn secrets_are_private_after_init_wizard_and_an_approval() {
    let (tmp, data) = init_dir();
    assert_eq!(mode(&data), 0o700, "data directory");
    assert_eq!(mode(&data.join("config.yaml")), 0o600);
    for f in files_in(&data.join("agents")) {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    let file = action_file(tmp.path(), "large.json", "my-agent", 500000);
    let decision = decide(&data, &file);
    request(&data, &decision, &file);
    let approvals = files_in(&data.join("approvals"));
    assert!(!approvals.is_empty());
    for f in approvals {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }

    let wiz = tempfile::TempDir::new().unwrap();
    let wdata = wiz.path().join("data");
    let out = ol(&wdata)
        .args([
            "wizard",
            "--owner-name",
            "Ada",
            "--agent-id",
            "shopper",
            "--policy-profile",
            "balanced",
            "--admin-token",
            "generate",
            "--output-env",
        ])
        .arg(wiz.path().join("agent.env"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&wdata), 0o700);
    let config = wdata.join("config.yaml");
    assert!(
        !std::fs::read_to_string(&config)
            .unwrap()
            .contains("token: \"\"")
    );
    assert_eq!(mode(&config), 0o600);

    // the server warns about secrets others can read
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = ol(&wdata)
        .args(["start", "--bind", "127.0.0.1:0", "--run-for-ms", "300"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.yaml is readable by other users (mode 644)")
            && err.contains("chmod 600"),
        "{err}"
    );
}

#[test]
fn a_second_server_on_one_data_dir_is_refused() {
    let (_tmp, data) = init_dir();
    let srv = Server::start(&data, &[]);
    let out = ol(&data)
        .args(["start", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(73), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("pid {}", srv.pid())) && err.contains(&srv.addr.to_string()),
        "{err}"
    );
    // CLI processes keep sharing the directory with the server
    ol(&data).args(["audit", "verify"]).assert().success();
    assert_eq!(srv.get("/v1/health").status, 200);
    drop(srv);
    // once it is gone, another server starts
    let again = Server::start(&data, &[]);
    assert_eq!(again.get("/v1/health").status, 200);
}

#[test]
fn a_symlinked_audit_log_is_data_corrupt() {
    let (tmp, data) = init_dir();
    let log = data.join("audit.log.jsonl");
    let outside = tmp.path().join("elsewhere.jsonl");
    std::fs::copy(&log, &outside).unwrap();
    std::fs::remove_file(&log).unwrap();
    std::os::unix::fs::symlink(&outside, &log).unwrap();
    let before = std::fs::read(&outside).unwrap();
    let file = action_file(tmp.path(), "small.json", "my-agent", 100);
    for args in [
        &["--json", "audit", "verify"][..],
        &[
            "--json",
            "authorize",
            "--action-file",
            file.to_str().unwrap(),
        ],
    ] {
        let out = ol(&data).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}: {out:?}");
        let v = stdout_json(&out);
        assert_eq!(v["error"]["code"], "DATA_CORRUPT", "{args:?}: {v}");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains("audit.log.jsonl") && msg.contains("symbolic link"),
            "{msg}"
        );
    }
    assert_eq!(
        std::fs::read(&outside).unwrap(),
        before,
        "the link was followed"
    );
}

#[test]
fn the_server_notices_an_edit_in_the_middle_of_the_log() {
    let (tmp, data) = init_dir();
    let cfg = data.join("config.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    // An owner channel (filtered to another owner: an instance-wide event reaches it anyway)
    // hears the failure as `audit.integrity_failed`.
    let rx = crate::receivers::Receiver::start();
    let text = text
        .replace(
            "verify_interval_seconds: 3600",
            "verify_interval_seconds: 1",
        )
        .replace(
            "  channels: []",
            &format!(
                "  channels:\n    - {{name: alarm, type: webhook, url: \"{}\", owners: [someone-else], events: [audit.integrity_failed]}}",
                rx.url("/alarm")
            ),
        );
    assert!(text.contains("name: alarm"), "{text}");
    std::fs::write(&cfg, text).unwrap();
    // a few more events so there is a middle to edit
    for amount in [100, 200, 300] {
        let file = action_file(tmp.path(), &format!("a{amount}.json"), "my-agent", amount);
        ol(&data)
            .args(["authorize", "--action-file"])
            .arg(&file)
            .assert()
            .success();
    }
    let srv = Server::start(&data, &[]);
    let log = data.join("audit.log.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mid = lines.len() / 2;
    let mut edited = lines.clone();
    let (a, b) = ("\"seq\":", "\"seq\": ");
    assert!(edited[mid].contains(a));
    edited[mid] = edited[mid].replacen(a, b, 1);
    std::fs::write(&log, edited.join("\n") + "\n").unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    while !srv.log().contains("audit integrity check failed") && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        srv.log().contains("audit integrity check failed"),
        "{}",
        srv.log()
    );
    // The server records the failure before it logs it; waiting for the line as well keeps this
    // test independent of that order.
    let audited = || {
        std::fs::read_to_string(&log)
            .unwrap()
            .matches("AUDIT_INTEGRITY_FAILED")
            .count()
    };
    while audited() == 0 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    let hits = rx.wait_for("the integrity alarm", |h| !h.is_empty());
    assert_eq!(audited(), 1, "audited once, not at every interval");
    let body = hits[0].json();
    assert_eq!(body["event_type"], "audit.integrity_failed", "{body}");
    assert!(body["data"]["problems"].as_u64().unwrap() >= 1, "{body}");
    assert!(
        body["link"].as_str().unwrap().ends_with("/gui/audit"),
        "{body}"
    );
}
