//! `openleash store …` and `init --store` against a real PostgreSQL (SPEC §19). Each test gets
//! its own database on the cluster `scripts/pg-cluster` starts; without `OPENLEASH_TEST_PG_URL`
//! the tests are skipped with a note on stderr (`scripts/test` always sets it).

use crate::common::*;
use postgres::{Client, NoTls};

pub(crate) struct Db {
    admin: String,
    name: String,
    pub(crate) url: String,
}

impl Db {
    pub(crate) fn new(test: &str) -> Option<Db> {
        let Ok(admin) = std::env::var("OPENLEASH_TEST_PG_URL") else {
            eprintln!(
                "SKIPPED {test}: OPENLEASH_TEST_PG_URL is not set (scripts/test starts a PostgreSQL cluster)"
            );
            return None;
        };
        let name = format!("cli_{}", uuid::Uuid::new_v4().simple());
        Client::connect(&admin, NoTls)
            .unwrap()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let base = &admin[..admin.rfind('/').unwrap()];
        let url = format!("{base}/{name}");
        Some(Db { admin, name, url })
    }

    pub(crate) fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.admin, NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn migrate_schema_is_idempotent_and_refuses_a_newer_schema() {
    let Some(db) = Db::new("migrate_schema_is_idempotent") else {
        return;
    };
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("none");
    let out = ol(&data)
        .args(["--json", "store", "migrate-schema", "--store", &db.url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["from_version"], serde_json::Value::Null);
    assert_eq!(v["applied"], serde_json::json!([1, 2]));
    // Again: nothing to do. The URL may also come from the environment.
    let out = ol(&data)
        .env("OPENLEASH_STORE_URL", &db.url)
        .args(["store", "migrate-schema"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date (version 2)"));
    let out = ol(&data)
        .args(["--json", "store", "status", "--store", &db.url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["state"], "ok");

    db.client()
        .batch_execute("INSERT INTO schema_version (version, name) VALUES (99, 'future')")
        .unwrap();
    let out = ol(&data)
        .args(["store", "migrate-schema", "--store", &db.url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = stderr(&out);
    assert!(
        err.contains("INVALID_CONFIG") && err.contains("version 99"),
        "{err}"
    );
    assert!(err.contains("upgrade openleash"), "{err}");
}

#[test]
fn bad_and_unreachable_stores_are_clear_errors() {
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("none");
    let out = ol(&data)
        .args(["store", "migrate-schema", "--store", "mysql://x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--store: `mysql://x` is not a PostgreSQL URL"),
        "{}",
        stderr(&out)
    );
    let out = ol(&data)
        .args(["store", "migrate-schema"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no PostgreSQL store"),
        "{}",
        stderr(&out)
    );
    let out = ol(&data)
        .env("OPENLEASH_STORE_URL", "http://nope")
        .args(["store", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).contains("OPENLEASH_STORE_URL: "),
        "{}",
        stderr(&out)
    );
    // Nothing listens on port 1.
    let out = ol(&data)
        .args([
            "store",
            "migrate-schema",
            "--store",
            "postgres://x@127.0.0.1:1/db?connect_timeout=1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(69), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("STORE_UNAVAILABLE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_with_a_store_creates_the_schema_and_writes_the_config() {
    let Some(db) = Db::new("init_with_a_store") else {
        return;
    };
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let out = ol(&data)
        .args([
            "--json",
            "init",
            "--agent-id",
            "pg-agent",
            "--store",
            &db.url,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["store"], db.url.as_str());
    let config = std::fs::read_to_string(data.join("config.yaml")).unwrap();
    assert!(config.contains("backend: postgres"), "{config}");
    assert!(config.contains(&format!("url: \"{}\"", db.url)), "{config}");

    let mut c = db.client();
    let kid: String = c
        .query_one("SELECT kid FROM server_keys WHERE active", &[])
        .unwrap()
        .get(0);
    assert_eq!(kid, v["signing_kid"].as_str().unwrap());
    let agent: String = c
        .query_one("SELECT agent_id FROM agents", &[])
        .unwrap()
        .get(0);
    assert_eq!(agent, "pg-agent");
    let text: String = c
        .query_one("SELECT text FROM policies", &[])
        .unwrap()
        .get(0);
    assert!(text.contains("rules:"), "{text}");

    // The store's chain (empty) verifies; the data dir's commands see the store.
    let out = ol(&data)
        .args(["--json", "audit", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r = stdout_json(&out);
    assert!(
        r["log"].as_str().unwrap().starts_with("audit_events in "),
        "{r}"
    );
    let out = ol(&data).args(["store", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // `start` does not serve a postgres store yet, and says so instead of serving files.
    let out = ol(&data)
        .args(["start", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).contains("store.backend: files"),
        "{}",
        stderr(&out)
    );

    // A store that holds an installation is not initialised twice; nothing is written.
    let other = tmp.path().join("other");
    let out = ol(&other)
        .args(["init", "--store", &db.url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(73), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already holds an installation"),
        "{}",
        stderr(&out)
    );
    assert!(!other.exists());
}

#[test]
fn audit_export_reads_the_database_chain_and_resumes_at_its_cursor() {
    let Some(db) = Db::new("audit_export_from_the_store") else {
        return;
    };
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let out = ol(&data)
        .args(["init", "--agent-id", "pg-agent", "--store", &db.url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Real chain lines, written by the file store of another installation, put into the
    // database's chain as its appender stores them (the line exactly, its columns beside it).
    let files = tmp.path().join("files");
    assert!(ol(&files).arg("init").output().unwrap().status.success());
    let log = std::fs::read_to_string(files.join("audit.log.jsonl")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() >= 2, "{log}");
    let mut c = db.client();
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let s = |k: &str| v[k].as_str().unwrap().to_string();
        c.execute(
            "INSERT INTO audit_events (seq, event_id, timestamp, event_type, prev_hash, hash, line)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &v["seq"].as_i64().unwrap(),
                &s("event_id"),
                &s("timestamp"),
                &s("event_type"),
                &s("prev_hash"),
                &s("hash"),
                line,
            ],
        )
        .unwrap();
    }

    let cursor = tmp.path().join("export.cursor");
    let export = || {
        ol(&data)
            .args(["audit", "export", "--cursor"])
            .arg(&cursor)
            .output()
            .unwrap()
    };
    let out = export();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), log);
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cursor).unwrap()).unwrap();
    assert_eq!(saved["seq"], lines.len() as u64);

    // Resumed: nothing new, nothing printed.
    let out = export();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    // OCSF objects, one per event, from the same chain.
    let out = ol(&data)
        .args(["audit", "export", "--format", "ocsf"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let objects: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), lines.len());
    assert_eq!(objects[0]["class_uid"], 6003);
}
