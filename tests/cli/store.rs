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
    assert_eq!(v["applied"], serde_json::json!([1, 2, 3, 4, 5]));
    // Again: nothing to do. The URL may also come from the environment.
    let out = ol(&data)
        .env("OPENLEASH_STORE_URL", &db.url)
        .args(["store", "migrate-schema"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date (version 5)"));
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
    assert_eq!(v["store"], db.url.as_str(), "{v}");
    let config = std::fs::read_to_string(data.join("config.yaml")).unwrap();
    assert!(config.contains("backend: postgres"), "{config}");
    assert!(config.contains(&format!("url: \"{}\"", db.url)), "{config}");

    let mut c = db.client();
    let kid: String = c
        .query_one("SELECT kid FROM server_keys WHERE active", &[])
        .unwrap()
        .get(0);
    assert_eq!(kid, v["signing_kid"].as_str().unwrap());
    // The records went into the store byte for byte; private keys and the config did not.
    let agent: i64 = c
        .query_one(
            "SELECT count(*) FROM tree_records WHERE path = 'agents/ids/pg-agent'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(agent, 1);
    let policy_id = v["policy_id"].as_str().unwrap();
    let text: Vec<u8> = c
        .query_one(
            "SELECT body FROM tree_records WHERE path = $1",
            &[&format!("policies/{policy_id}.yaml")],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        text,
        std::fs::read(data.join(format!("policies/{policy_id}.yaml"))).unwrap()
    );
    let local_only: i64 = c
        .query_one(
            "SELECT count(*) FROM tree_records WHERE path LIKE 'keys%' OR path = 'config.yaml' OR path LIKE 'audit%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(local_only, 0);

    // The store's chain holds init's events and verifies; the data dir's commands see the store.
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
    assert!(r["events"].as_u64().unwrap() >= 3, "{r}");
    let out = ol(&data).args(["store", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

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
    // The chain `init` wrote into the store; the replica's log holds the same lines.
    let log = std::fs::read_to_string(data.join("audit.log.jsonl")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() >= 2, "{log}");
    let rows: i64 = Client::connect(&db.url, NoTls)
        .unwrap()
        .query_one("SELECT count(*) FROM audit_events", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows as usize, lines.len());

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

/// A second data directory with the config and keys of `data` (how a new instance joins).
fn join_instance(data: &std::path::Path, other: &std::path::Path) {
    std::fs::create_dir_all(other.join("keys")).unwrap();
    std::fs::copy(data.join("config.yaml"), other.join("config.yaml")).unwrap();
    for e in std::fs::read_dir(data.join("keys")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), other.join("keys").join(e.file_name())).unwrap();
    }
}

#[test]
fn instances_share_records_and_one_chain_through_the_store() {
    let Some(db) = Db::new("instances_share_records") else {
        return;
    };
    let tmp = tempfile::TempDir::new().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let out = ol(&a).args(["init", "--store", &db.url]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    join_instance(&a, &b);

    // B's replica is built from the store on first use.
    let listed = json_ok(&b, &["agent", "list"]);
    assert_eq!(listed[0]["agent_id"], "my-agent", "{listed}");
    // A change made through B is a change of the installation: A sees it.
    let out = ol(&b)
        .args(["agent", "add", "--agent-id", "from-b"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = json_ok(&a, &["agent", "list"]);
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["agent_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"from-b"), "{listed}");
    // agent_id stays unique across instances: A cannot take B's.
    let (code, err) = json_err(&a, &["agent", "add", "--agent-id", "from-b"]);
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("AGENT_ID_TAKEN") || err.contains("already"),
        "{err}"
    );

    // Decisions on both append to one chain, which both replicas hold.
    for dir in [&a, &b, &a] {
        let out = ol(dir)
            .args([
                "--json",
                "authorize",
                "--agent",
                "my-agent",
                "--type",
                "purchase",
                "--payload",
                r#"{"amount_minor":500,"currency":"USD"}"#,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let verify = json_ok(&b, &["audit", "verify"]);
    assert_eq!(verify["ok"], true, "{verify}");
    let events = verify["events"].as_u64().unwrap();
    let mut c = db.client();
    let rows: i64 = c
        .query_one("SELECT count(*) FROM audit_events", &[])
        .unwrap()
        .get(0);
    assert_eq!(events, rows as u64);
    for dir in [&a, &b] {
        // Touch the replica so it catches up, then compare its local log with the chain.
        json_ok(dir, &["agent", "list"]);
        let local = std::fs::read_to_string(dir.join("audit.log.jsonl")).unwrap();
        assert_eq!(local.lines().count() as u64, events, "{}", dir.display());
    }
    let out = ol(&b)
        .args(["--json", "audit", "list", "--type", "DECISION_CREATED"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let decisions = text
        .lines()
        .filter(|l| l.contains("\"DECISION_CREATED\""))
        .count();
    assert_eq!(decisions, 3, "{text}");
}

#[test]
fn store_copy_files_to_postgres_to_files_verifies_identically() {
    let Some(db) = Db::new("store_copy_roundtrip") else {
        return;
    };
    let (tmp, data) = init_dir();
    for amount in [500, 900_000] {
        let out = ol(&data)
            .args([
                "authorize",
                "--type",
                "purchase",
                "--payload",
                &format!(r#"{{"amount_minor":{amount},"currency":"USD"}}"#),
            ])
            .output()
            .unwrap();
        assert!(out.status.code().is_some(), "{}", stderr(&out));
    }
    let source = json_ok(&data, &["audit", "verify"]);
    assert_eq!(source["ok"], true);

    let data_s = data.to_str().unwrap();
    let copied = json_ok(&data, &["store", "copy", "--from", data_s, "--to", &db.url]);
    assert_eq!(copied["verified"], true, "{copied}");
    assert_eq!(copied["events"], source["events"], "{copied}");
    assert_eq!(copied["target"]["last_hash"], source["last_hash"]);
    // The source stays a plain data directory.
    assert!(!data.join(".replica.json").exists());
    // A store that holds an installation is not copied into.
    let (code, err) = json_err(&data, &["store", "copy", "--from", data_s, "--to", &db.url]);
    assert_eq!(code, 73, "{err}");

    // Back to files: a new directory with this instance's config and keys.
    let back = tmp.path().join("back");
    let back_s = back.to_str().unwrap();
    let restored = json_ok(&data, &["store", "copy", "--from", &db.url, "--to", back_s]);
    assert_eq!(restored["verified"], true, "{restored}");
    let verify = json_ok(&back, &["audit", "verify"]);
    assert_eq!(verify["ok"], true, "{verify}");
    assert_eq!(verify["events"], source["events"]);
    assert_eq!(verify["last_hash"], source["last_hash"]);
    let config = std::fs::read_to_string(back.join("config.yaml")).unwrap();
    assert!(config.contains("backend: files"), "{config}");
    // Every record came back byte for byte.
    for rel in ["owners", "agents", "policies", "bindings"] {
        let relative = |root: &std::path::Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
            snapshot_tree(&root.join(rel))
                .into_iter()
                .map(|(p, b)| (p.strip_prefix(root).unwrap().to_path_buf(), b))
                .collect()
        };
        assert_eq!(relative(&data), relative(&back), "{rel}");
    }
    // The copy serves decisions as a plain data directory.
    let out = ol(&back)
        .args([
            "authorize",
            "--type",
            "purchase",
            "--payload",
            r#"{"amount_minor":500,"currency":"USD"}"#,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_ok(&back, &["audit", "verify"])["ok"], true);

    // Bad pairs are usage errors.
    let (code, _) = json_err(&data, &["store", "copy", "--from", data_s, "--to", back_s]);
    assert_eq!(code, 2);
    let (code, err) = json_err(&data, &["store", "copy", "--from", &db.url, "--to", back_s]);
    assert_eq!(code, 73, "{err}");
}

/// A private throw-away cluster (restarting the suite's shared one would break other tests).
struct OwnCluster {
    dir: String,
    url: String,
}

impl OwnCluster {
    fn script() -> &'static str {
        concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-cluster")
    }

    fn start() -> OwnCluster {
        let out = std::process::Command::new(Self::script())
            .arg("start")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        let get = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .unwrap()
                .to_string()
        };
        OwnCluster {
            dir: get("OPENLEASH_PG_CLUSTER_DIR"),
            url: get("OPENLEASH_TEST_PG_URL"),
        }
    }

    /// An immediate shutdown (as a crash), `down` seconds without a database, a start.
    fn restart(&self, down: u32) {
        let st = std::process::Command::new(Self::script())
            .args(["restart", &self.dir])
            .env("DOWN_SECONDS", down.to_string())
            .status()
            .unwrap();
        assert!(st.success());
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(Self::script())
            .args(["stop", &self.dir])
            .status();
    }
}

#[test]
fn a_store_restarted_under_load_answers_503_then_resumes_with_every_answer_in_the_chain() {
    use crate::server::{Server, authorize_action, env_value, signed_post};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};
    if std::env::var("OPENLEASH_TEST_PG_URL").is_err() {
        eprintln!("SKIPPED a_store_restarted_under_load: OPENLEASH_TEST_PG_URL is not set");
        return;
    }
    let cluster = OwnCluster::start();
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let env = tmp.path().join("agent.env");
    let out = ol(&data)
        .args(["init", "--store", &cluster.url, "--output-env"])
        .arg(&env)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let key = openleash::crypto::ed25519::parse_private_key(&env_value(
        &env,
        "OPENLEASH_AGENT_PRIVATE_KEY_B64",
    ))
    .unwrap();
    let owner = env_value(&env, "OPENLEASH_OWNER_PRINCIPAL_ID");
    let srv = Server::start(&data, &["--threads", "8"]);

    // (status, error code, decision_id) of every answer, in the order they came.
    let answers: Mutex<Vec<(u16, String, Option<String>)>> = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    let ok_count = || {
        answers
            .lock()
            .unwrap()
            .iter()
            .filter(|a| a.0 == 200)
            .count()
    };
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let body = authorize_action(500, "my-agent", &owner).to_string();
                    let r = signed_post(&srv, &key, "my-agent", "/v1/authorize", body.as_bytes());
                    let id = (r.status == 200)
                        .then(|| r.json()["decision_id"].as_str().unwrap().to_string());
                    let code = if r.status == 200 {
                        String::new()
                    } else {
                        r.code()
                    };
                    answers.lock().unwrap().push((r.status, code, id));
                }
            });
        }
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while ok_count() < 20 && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        cluster.restart(2);
        let before = ok_count();
        while ok_count() < before + 20 && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        stop.store(true, Ordering::Relaxed);
    });
    let answers = answers.into_inner().unwrap();
    // While the database was down: 503 STORE_UNAVAILABLE, nothing else.
    let failed: Vec<_> = answers.iter().filter(|a| a.0 != 200).collect();
    assert!(
        !failed.is_empty(),
        "no request failed while the store was down"
    );
    for (status, code, _) in &failed {
        assert_eq!(
            (*status, code.as_str()),
            (503, "STORE_UNAVAILABLE"),
            "{failed:?}"
        );
    }
    // Service resumed by itself.
    let last_failure = answers.iter().rposition(|a| a.0 != 200).unwrap();
    assert!(
        answers[last_failure..]
            .iter()
            .filter(|a| a.0 == 200)
            .count()
            >= 10,
        "{} answers after the last failure",
        answers.len() - last_failure
    );
    // Every decision answered 200 is in the chain, and the chain verifies.
    let verify = json_ok(&data, &["audit", "verify"]);
    assert_eq!(verify["ok"], true, "{verify}");
    let mut c = Client::connect(&cluster.url, NoTls).unwrap();
    let in_chain: std::collections::HashSet<String> = c
        .query(
            "SELECT line::jsonb ->> 'decision_id' FROM audit_events
              WHERE line::jsonb ->> 'event_type' = 'DECISION_CREATED'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for (_, _, id) in &answers {
        if let Some(id) = id {
            assert!(
                in_chain.contains(id),
                "decision {id} was answered but is not in the chain"
            );
        }
    }
    drop(srv);
}
