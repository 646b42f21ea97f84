//! Overhead of `openleash mcp-proxy` per allowed tool call (target: median ≤ 1 ms).
//!
//! `cargo bench --bench mcp_proxy` initialises a data directory whose policy allows
//! `mcp.fake.echo`, then times request → response round trips of a client on the same machine,
//! once talking to the fake MCP server (`tests/fixtures/mcp/fake_server.py`) directly and once
//! through the release `openleash mcp-proxy` in front of the same server. The overhead is the
//! difference of the medians. Measured for `tools/call` (decided and audited: one durable audit
//! commit per call, with `audit.fsync` `never` and `always`) and for `ping` (forwarded byte for
//! byte). Under `cargo test` it runs 20 calls per case and only the `never` variant.

// A benchmark that cannot set up its data should stop loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_openleash");

fn fake_server() -> String {
    format!(
        "{}/tests/fixtures/mcp/fake_server.py",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn ol(data: &Path, args: &[&str]) {
    let out = Command::new(EXE)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("OPENLEASH_USER_CONFIG", "")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
}

fn set_fsync(data: &Path, mode: &str) {
    let path = data.join("config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("fsync: always", &format!("fsync: {mode}"))
        .replace("fsync: never", &format!("fsync: {mode}"));
    std::fs::write(&path, text).unwrap();
}

/// Round-trip times of `n` requests built by `make` (after `warm` untimed ones), sorted.
fn measure(cmd: &[String], n: usize, warm: usize, make: &dyn Fn(u64) -> Value) -> Vec<Duration> {
    let mut child = Command::new(&cmd[0])
        .args(&cmd[1..])
        .env("OPENLEASH_USER_CONFIG", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut round_trip = |v: &Value| -> Duration {
        let start = Instant::now();
        stdin.write_all(format!("{v}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let elapsed = start.elapsed();
        let r: Value = serde_json::from_str(&line).unwrap();
        assert!(r.get("result").is_some(), "{r}");
        elapsed
    };
    round_trip(
        &json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
        "protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}),
    );
    let mut times = Vec::with_capacity(n);
    for i in 0..(warm + n) as u64 {
        let t = round_trip(&make(i + 1));
        if i as usize >= warm {
            times.push(t);
        }
    }
    drop(stdin);
    let _ = child.wait();
    times.sort();
    times
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (n, warm) = if full { (2000, 200) } else { (20, 5) };
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let d = data.to_str().unwrap().to_string();
    ol(&data, &["init", "--agent-id", "bench-agent"]);
    let policy = tmp.path().join("mcp.yaml");
    std::fs::write(
        &policy,
        "version: 1\ndefault: deny\nrules:\n  - id: echo\n    effect: allow\n    action: mcp.fake.echo\n",
    )
    .unwrap();
    ol(
        &data,
        &[
            "policy",
            "upsert",
            "--yes",
            "--agent",
            "bench-agent",
            "--file",
            policy.to_str().unwrap(),
        ],
    );

    let call = |i: u64| {
        json!({"jsonrpc":"2.0","id":i,"method":"tools/call",
               "params":{"name":"echo","arguments":{"text":"hello","n":i}}})
    };
    let ping = |i: u64| json!({"jsonrpc":"2.0","id":i,"method":"ping"});
    let direct: Vec<String> = vec!["python3".into(), fake_server()];
    let proxied: Vec<String> = [
        EXE,
        "--data-dir",
        &d,
        "mcp-proxy",
        "--agent",
        "bench-agent",
        "--",
        "python3",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([fake_server()])
    .collect();

    println!("mcp_proxy: {n} timed round trips per case (after {warm} warm-up)");
    println!(
        "| case | direct p50 | proxied p50 | proxied p90 | proxied p99 | overhead (p50 diff) |"
    );
    println!("|---|---|---|---|---|---|");
    let report = |name: &str, base: &[Duration], via: &[Duration]| {
        let overhead = pct(via, 0.5).saturating_sub(pct(base, 0.5));
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            us(pct(base, 0.5)),
            us(pct(via, 0.5)),
            us(pct(via, 0.9)),
            us(pct(via, 0.99)),
            us(overhead)
        );
    };
    let base_ping = measure(&direct, n, warm, &ping);
    set_fsync(&data, "never");
    let via_ping = measure(&proxied, n, warm, &ping);
    report("ping (forwarded as is)", &base_ping, &via_ping);
    let base_call = measure(&direct, n, warm, &call);
    let via_call = measure(&proxied, n, warm, &call);
    report(
        "tools/call, allowed, audit.fsync never",
        &base_call,
        &via_call,
    );
    if full {
        set_fsync(&data, "always");
        let via_call = measure(&proxied, n, warm, &call);
        report(
            "tools/call, allowed, audit.fsync always",
            &base_call,
            &via_call,
        );
    }
}
