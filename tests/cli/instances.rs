//! Two `openleash start` instances on one PostgreSQL store (SPEC §19, issue #21): every
//! guarantee that holds inside one data directory must hold across instances — a nonce used
//! once, a cap never exceeded, an approval token consumed once, `agent_id` unique, one audit
//! chain, proofs verifiable anywhere, rotation seen everywhere, no answered decision lost when an
//! instance dies. Each test gets its own database on the cluster `scripts/pg-cluster` starts and
//! is skipped (with a note on stderr) where the other PostgreSQL tests are: without
//! `OPENLEASH_TEST_PG_URL` (`scripts/test` always sets it).

use crate::common::*;
use crate::server::{
    Resp, Server, authorize_action, env_value, header_pairs, request, signed_json_headers,
    signed_post,
};
use crate::store::Db;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A store, its first data directory `a` (made by `init --store`), a second one `b` made the
/// documented way (its `config.yaml` and `keys/` copied from `a`), and a server on each.
struct Pair {
    db: Db,
    tmp: tempfile::TempDir,
    a_dir: PathBuf,
    b_dir: PathBuf,
    a: Server,
    b: Server,
    key: ed25519_dalek::SigningKey,
    owner: String,
}

const AGENT: &str = "inst-agent";

/// Allows 5 purchases per hour; a purchase over the cap falls through to the next rule, which
/// denies it (rather than to the profile's policy, which would allow it).
const CAP_OF_5: &str = "version: 1
default: deny
rules:
  - id: capped
    effect: allow
    action: purchase
    limits:
      - { window: 1h, max_count: 5 }
  - id: over_cap
    effect: deny
    action: purchase
";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            // `fs::copy` keeps the mode: private keys stay 0600.
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

impl Pair {
    /// `None` (the test is skipped) without a test cluster. `policy`, when given, is bound
    /// owner-wide ahead of the profile's before the servers start.
    fn start(test: &str, policy: Option<&str>) -> Option<Pair> {
        let db = Db::new(test)?;
        let tmp = tempfile::TempDir::new().unwrap();
        let a_dir = tmp.path().join("a");
        let env = tmp.path().join("agent.env");
        let out = ol(&a_dir)
            .args([
                "init",
                "--agent-id",
                AGENT,
                "--store",
                &db.url,
                "--output-env",
            ])
            .arg(&env)
            .output()
            .unwrap();
        assert!(out.status.success(), "init: {}", stderr(&out));
        if let Some(p) = policy {
            let file = tmp.path().join("policy.yaml");
            std::fs::write(&file, p).unwrap();
            let out = ol(&a_dir)
                .args(["policy", "upsert", "--yes", "--rank", "1", "--file"])
                .arg(&file)
                .output()
                .unwrap();
            assert!(out.status.success(), "policy upsert: {}", stderr(&out));
        }
        // A further instance: config.yaml (which names the store) and keys/ — the rest of the
        // data directory is the store's, caught up by the instance itself.
        let b_dir = tmp.path().join("b");
        std::fs::create_dir_all(&b_dir).unwrap();
        std::fs::copy(a_dir.join("config.yaml"), b_dir.join("config.yaml")).unwrap();
        copy_dir(&a_dir.join("keys"), &b_dir.join("keys"));
        let key = openleash::crypto::ed25519::parse_private_key(&env_value(
            &env,
            "OPENLEASH_AGENT_PRIVATE_KEY_B64",
        ))
        .unwrap();
        let owner = env_value(&env, "OPENLEASH_OWNER_PRINCIPAL_ID");
        let threads = ["--threads", "8"];
        let a = Server::start(&a_dir, &threads);
        let b = Server::start(&b_dir, &threads);
        Some(Pair {
            db,
            tmp,
            a_dir,
            b_dir,
            a,
            b,
            key,
            owner,
        })
    }

    /// The instance `i % 2` (clients are split across both).
    fn server(&self, i: usize) -> &Server {
        if i.is_multiple_of(2) {
            &self.a
        } else {
            &self.b
        }
    }

    fn authorize(&self, srv: &Server, amount: u64) -> Resp {
        let body = authorize_action(amount, AGENT, &self.owner).to_string();
        signed_post(srv, &self.key, AGENT, "/v1/authorize", body.as_bytes())
    }

    /// The decision ids of the chain's `DECISION_CREATED` events.
    fn decisions_in_chain(&self) -> Vec<String> {
        self.db
            .client()
            .query(
                "SELECT line::jsonb ->> 'decision_id' FROM audit_events
                  WHERE line::jsonb ->> 'event_type' = 'DECISION_CREATED'",
                &[],
            )
            .unwrap()
            .into_iter()
            .filter_map(|r| r.get(0))
            .collect()
    }

    /// `audit verify --json` on `dir` (against the store): must be ok; the report.
    fn verify(&self, dir: &Path) -> Value {
        let out = ol(dir)
            .args(["--json", "audit", "verify"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        );
        stdout_json(&out)
    }

    fn rows(&self) -> i64 {
        self.db
            .client()
            .query_one("SELECT count(*) FROM audit_events", &[])
            .unwrap()
            .get(0)
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn post_json(srv: &Server, path: &str, body: &Value) -> Resp {
    request(
        srv.addr,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        Some(body.to_string().as_bytes()),
    )
}

/// Runs `f(i)` on `n` threads at once (released together) and collects the answers in order.
fn race<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (f, barrier) = (&f, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    f(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn one_signed_request_sent_to_both_instances_is_answered_once() {
    let Some(p) = Pair::start("instances_nonce_once", None) else {
        return;
    };
    for _ in 0..10 {
        // One signature (one nonce), the same bytes to both instances at once.
        let body = authorize_action(100, AGENT, &p.owner).to_string();
        let hs = signed_json_headers(
            &p.key,
            AGENT,
            "POST",
            "/v1/authorize",
            Some(body.as_bytes()),
        );
        let headers = header_pairs(&hs);
        let answers = race(2, |i| {
            request(
                p.server(i).addr,
                "POST",
                "/v1/authorize",
                &headers,
                Some(body.as_bytes()),
            )
        });
        let ok: Vec<&Resp> = answers.iter().filter(|r| r.status == 200).collect();
        assert_eq!(ok.len(), 1, "{answers:?}");
        assert_eq!(ok[0].json()["result"], "ALLOW");
        let replay = answers.iter().find(|r| r.status != 200).unwrap();
        assert_eq!((replay.status, replay.code()), (401, "NONCE_REPLAY".into()));
        // The same error as a single instance gives.
        assert_eq!(
            replay.json()["error"]["message"],
            "Nonce has already been used"
        );
    }
}

#[test]
fn a_cap_of_5_holds_for_8_clients_split_across_instances() {
    let Some(p) = Pair::start("instances_cap_of_5", Some(CAP_OF_5)) else {
        return;
    };
    let answers = race(8, |i| p.authorize(p.server(i), 100));
    let results: Vec<String> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{r:?}");
            r.json()["result"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        results.iter().filter(|r| *r == "ALLOW").count(),
        5,
        "{results:?}"
    );
    assert_eq!(results.iter().filter(|r| *r == "DENY").count(), 3);
    // And the cap stays reached on both.
    for srv in [&p.a, &p.b] {
        assert_eq!(p.authorize(srv, 100).json()["result"], "DENY");
    }
}

#[test]
fn an_approval_token_raced_on_both_instances_is_used_once() {
    let Some(p) = Pair::start("instances_token_once", None) else {
        return;
    };
    // A large purchase needs approval (balanced profile); the owner approves it with the CLI.
    let file = crate::approval::action_file(p.tmp.path(), "large.json", AGENT, 500_000);
    let decision = crate::approval::decide(&p.a_dir, &file);
    let id = crate::approval::request(&p.a_dir, &decision, &file);
    let token = crate::approval::approve(&p.a_dir, &id);
    let mut action: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    action["approval_token"] = json!(token);
    let body = action.to_string();
    let answers = race(8, |i| {
        signed_post(p.server(i), &p.key, AGENT, "/v1/authorize", body.as_bytes())
    });
    let allowed = answers.iter().filter(|r| r.status == 200).count();
    assert_eq!(allowed, 1, "{answers:?}");
    for r in answers.iter().filter(|r| r.status != 200) {
        assert_eq!(r.code(), "APPROVAL_TOKEN_CONSUMED", "{r:?}");
    }
    let used: i64 =
        p.db.client()
            .query_one(
                "SELECT count(*) FROM audit_events
                  WHERE line::jsonb ->> 'event_type' = 'APPROVAL_TOKEN_USED'",
                &[],
            )
            .unwrap()
            .get(0);
    assert_eq!(used, 1);
}

#[test]
fn an_agent_id_registered_on_both_instances_at_once_has_one_winner() {
    let Some(p) = Pair::start("instances_agent_id_once", None) else {
        return;
    };
    for round in 0..3 {
        let agent_id = format!("raced-{round}");
        // A challenge from each instance (challenges live in the instance that issued them),
        // each for its own key, then both registrations at once.
        let bodies: Vec<(usize, Value)> = (0..2)
            .map(|i| {
                let sk = openleash::crypto::ed25519::generate();
                let pk = openleash::crypto::ed25519::public_key_b64(&sk.verifying_key());
                let c = post_json(
                    p.server(i),
                    "/v1/agents/registration-challenge",
                    &json!({"agent_id": agent_id, "agent_pubkey_b64": pk}),
                );
                assert_eq!(c.status, 200, "{c:?}");
                let c = c.json();
                let bytes =
                    openleash::crypto::b64_decode(c["challenge_b64"].as_str().unwrap()).unwrap();
                let sig = openleash::crypto::ed25519::sign_b64(&sk, &bytes);
                (
                    i,
                    json!({"challenge_id": c["challenge_id"], "agent_id": agent_id,
                           "agent_pubkey_b64": pk, "signature_b64": sig}),
                )
            })
            .collect();
        let answers = race(2, |i| {
            post_json(p.server(bodies[i].0), "/v1/agents/register", &bodies[i].1)
        });
        let won = answers.iter().filter(|r| r.status == 200).count();
        assert_eq!(won, 1, "{answers:?}");
        let lost = answers.iter().find(|r| r.status != 200).unwrap();
        assert_eq!(lost.code(), "AGENT_ID_TAKEN", "{lost:?}");
    }
}

#[test]
fn the_shared_chain_verifies_with_the_exact_event_count_after_mixed_load() {
    let Some(p) = Pair::start("instances_chain_after_load", None) else {
        return;
    };
    let before = p.decisions_in_chain().len();
    // Decisions of every kind on both instances at once, a CLI policy change in between.
    let answers = race(8, |i| {
        let mut ids = Vec::new();
        for n in 0..6u64 {
            // 100: ALLOW; 500000: REQUIRE_APPROVAL (balanced profile).
            let amount = if (i as u64 + n).is_multiple_of(3) {
                500_000
            } else {
                100
            };
            let r = p.authorize(p.server(i), amount);
            assert_eq!(r.status, 200, "{r:?}");
            ids.push(r.json()["decision_id"].as_str().unwrap().to_string());
        }
        ids
    });
    let answered: Vec<String> = answers.into_iter().flatten().collect();
    assert_eq!(answered.len(), 48);
    let in_chain = p.decisions_in_chain();
    assert_eq!(in_chain.len(), before + answered.len());
    for id in &answered {
        assert!(
            in_chain.contains(id),
            "decision {id} answered but not in the chain"
        );
    }
    let rows = p.rows();
    for dir in [&p.a_dir, &p.b_dir] {
        let r = p.verify(dir);
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["events"], rows, "{r}");
        // Each instance's replica of the log catches up with the shared chain (no timing is
        // asserted: this waits up to 10 s).
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let local = std::fs::read_to_string(dir.join("audit.log.jsonl"))
                .unwrap_or_default()
                .lines()
                .count();
            if local as i64 == rows {
                break;
            }
            assert!(
                Instant::now() < until,
                "{} holds {local} events, the store {rows}",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn a_proof_from_one_instance_verifies_with_the_other_and_a_rotation_is_seen() {
    let Some(p) = Pair::start("instances_keys", None) else {
        return;
    };
    let b_url = format!("http://{}", p.b.addr);
    let verify_on_b = |token: &str| {
        let out = ol(&p.b_dir)
            .args(["--json", "verify", token, "--url", &b_url])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v = stdout_json(&out);
        assert_eq!(v["valid"], true, "{v}");
    };
    let r = p.authorize(&p.a, 100).json();
    verify_on_b(r["proof_token"].as_str().unwrap());

    let out = ol(&p.a_dir)
        .args(["--json", "keys", "rotate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let kid = stdout_json(&out)["kid"].as_str().unwrap().to_string();
    // Published at once; b re-reads the store's keys at most a second later (no timing is
    // asserted: this waits up to 10 s).
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let keys = p.b.get("/v1/public-keys").json();
        if keys["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == kid.as_str())
        {
            break;
        }
        assert!(Instant::now() < until, "b never listed a's new key: {keys}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // a signs with the new key now — proofs and the chain's head — and b verifies it.
    let r = p.authorize(&p.a, 100).json();
    let head_kid: String =
        p.db.client()
            .query_one("SELECT kid FROM audit_head WHERE id = 1", &[])
            .unwrap()
            .get(0);
    assert_eq!(
        head_kid, kid,
        "the head after a's decision is signed by a's new key"
    );
    assert_eq!(p.verify(&p.b_dir)["ok"], true);
    let token = r["proof_token"].as_str().unwrap();
    verify_on_b(token);
    // ... signed by the key a rotated to.
    let out = ol(&p.b_dir)
        .args(["verify", token, "--url", &b_url])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("signed by key {kid}")), "{text}");
    // `keys list` on b shows the key a holds, as another instance's.
    let out = ol(&p.b_dir).args(["keys", "list"]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    let row = table.lines().find(|l| l.contains(&kid)).unwrap_or_default();
    assert!(row.contains("other instance"), "{table}");
    let listed = json_ok(&p.b_dir, &["keys", "list"]);
    assert!(
        listed["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == kid.as_str())
    );

    // Both report the store.
    for srv in [&p.a, &p.b] {
        let h = srv.get("/v1/health").json();
        assert_eq!(h["store"]["backend"], "postgres", "{h}");
        assert_eq!(h["store"]["state"], "ok", "{h}");
        assert!(h["store"]["schema_version"].as_i64().unwrap() >= 2, "{h}");
    }
}

#[test]
fn an_instance_killed_under_load_loses_no_answered_decision() {
    let Some(mut p) = Pair::start("instances_kill_9", None) else {
        return;
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    let answered = std::sync::Mutex::new(Vec::<String>::new());
    let a_pid = p.a.pid();
    std::thread::scope(|s| {
        for i in 0..8 {
            let (p, stop, answered) = (&p, &stop, &answered);
            s.spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let srv = p.server(i);
                    let body = authorize_action(100, AGENT, &p.owner).to_string();
                    let hs = signed_json_headers(
                        &p.key,
                        AGENT,
                        "POST",
                        "/v1/authorize",
                        Some(body.as_bytes()),
                    );
                    let headers = header_pairs(&hs);
                    // The killed instance's clients see connection errors: not answers.
                    if let Ok(r) = crate::server::try_request(
                        srv.addr,
                        "POST",
                        "/v1/authorize",
                        &headers,
                        Some(body.as_bytes()),
                    ) && r.status == 200
                    {
                        let id = r.json()["decision_id"].as_str().unwrap().to_string();
                        answered.lock().unwrap().push(id);
                    }
                }
            });
        }
        std::thread::sleep(Duration::from_millis(1500));
        let status = std::process::Command::new("kill")
            .args(["-KILL", &a_pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(1000));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    p.a.wait_exit();
    let answered = answered.into_inner().unwrap();
    assert!(!answered.is_empty());
    let in_chain = p.decisions_in_chain();
    for id in &answered {
        assert!(
            in_chain.contains(id),
            "decision {id} was answered 200 but is not in the chain"
        );
    }
    // The chain is whole; the surviving instance carries on.
    let r = p.verify(&p.b_dir);
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(p.authorize(&p.b, 100).json()["result"], "ALLOW");
}
