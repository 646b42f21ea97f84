//! Load generator for `openleash start` (SPEC §12): pre-signs requests, then drives them over N
//! keep-alive connections and reports throughput and latency percentiles.
//!
//! ```text
//! cargo run --release --example loadgen -- --url http://127.0.0.1:8787 \
//!     --agent-id my-agent --key-file agent.env --connections 4 --duration 60 \
//!     [--method POST --path /v1/authorize --body-file action.json] [--server-pid PID]
//! ```
//! Without `--body-file` it sends signed `GET /v1/agent/self` (authentication cost only). With
//! `--path /v1/authorize` and no body file it sends a small purchase ActionRequest for the agent.
//! `--mode storm` opens and drops `--requests` connections instead; `--mode slowloris` holds
//! `--connections` connections that trickle header bytes while it measures /v1/health.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::server::auth::sign_request;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Args {
    addr: SocketAddr,
    agent_id: String,
    key_file: Option<String>,
    connections: usize,
    duration: Duration,
    requests: usize,
    method: String,
    path: String,
    body_file: Option<String>,
    server_pid: Option<u32>,
    mode: String,
    subject: String,
}

fn parse_args() -> Args {
    let mut a = Args {
        addr: "127.0.0.1:8787".parse().unwrap(),
        agent_id: std::env::var("OPENLEASH_AGENT_ID").unwrap_or_else(|_| "my-agent".into()),
        key_file: None,
        connections: 4,
        duration: Duration::from_secs(10),
        requests: 200_000,
        method: "GET".into(),
        path: "/v1/agent/self".into(),
        body_file: None,
        server_pid: None,
        mode: "load".into(),
        subject: "00000000-0000-4000-8000-000000000001".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => {
                a.addr = val()
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .parse()
                    .expect("--url http://IP:PORT")
            }
            "--agent-id" => a.agent_id = val(),
            "--key-file" => a.key_file = Some(val()),
            "--connections" => a.connections = val().parse().unwrap(),
            "--duration" => a.duration = Duration::from_secs_f64(val().parse().unwrap()),
            "--requests" => a.requests = val().parse().unwrap(),
            "--method" => a.method = val().to_ascii_uppercase(),
            "--path" => a.path = val(),
            "--body-file" => a.body_file = Some(val()),
            "--server-pid" => a.server_pid = Some(val().parse().unwrap()),
            "--mode" => a.mode = val(),
            "--subject" => a.subject = val(),
            "-h" | "--help" => {
                println!("see the header of examples/loadgen.rs");
                std::process::exit(0);
            }
            other => panic!("unknown flag {other}"),
        }
    }
    if a.path == "/v1/authorize" && a.method == "GET" {
        a.method = "POST".into();
    }
    a
}

fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<u16> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::Error::other("connection closed"));
    }
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(status)
}

fn main() {
    let a = parse_args();
    match a.mode.as_str() {
        "storm" => return storm(&a),
        "slowloris" => return slowloris(&a),
        _ => {}
    }
    let key =
        openleash::commands::agent::load_agent_key(a.key_file.as_deref().map(std::path::Path::new))
            .expect("agent key");
    let body: Option<Vec<u8>> = match (&a.body_file, a.method.as_str()) {
        (Some(f), _) => Some(std::fs::read(f).unwrap()),
        (None, "POST") => Some(
            serde_json::json!({
                "action_id": "00000000-0000-4000-8000-00000000a001",
                "action_type": "purchase",
                "requested_at": openleash::timefmt::now_string(),
                "principal": {"agent_id": a.agent_id},
                "subject": {"principal_id": a.subject},
                "payload": {"amount_minor": 5000, "currency": "USD", "merchant_domain": "example.com"}
            })
            .to_string()
            .into_bytes(),
        ),
        _ => None,
    };
    // Pre-sign every request so the measured run spends no client CPU on signatures.
    eprintln!("pre-signing {} requests…", a.requests);
    let t = Instant::now();
    let mut reqs: Vec<Vec<u8>> = (0..a.requests)
        .map(|_| {
            let hs = sign_request(&key, &a.agent_id, &a.method, &a.path, body.as_deref());
            let mut r = format!(
                "{} {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n",
                a.method, a.path, a.addr
            );
            for (k, v) in hs {
                r.push_str(&format!("{k}: {v}\r\n"));
            }
            if let Some(b) = &body {
                r.push_str(&format!("Content-Length: {}\r\n", b.len()));
            }
            r.push_str("\r\n");
            let mut bytes = r.into_bytes();
            if let Some(b) = &body {
                bytes.extend_from_slice(b);
            }
            bytes
        })
        .collect();
    eprintln!(
        "pre-signed in {:.1}s; running {} connections for up to {:?}",
        t.elapsed().as_secs_f64(),
        a.connections,
        a.duration
    );

    let per_conn = reqs.len() / a.connections.max(1);
    let stop = Arc::new(AtomicBool::new(false));
    let non_200 = Arc::new(AtomicUsize::new(0));
    let rss_start = a.server_pid.and_then(rss_kib);
    let mut handles = Vec::new();
    // Connections are opened one after another, each answered once before the next: a burst of
    // simultaneous connects can leave one queued in tiny_http's connection pool behind
    // long-lived keep-alive connections (docs/tiny_http.md), which would measure that instead.
    let mut conns = Vec::new();
    for _ in 0..a.connections {
        let s = TcpStream::connect(a.addr).unwrap();
        s.set_nodelay(true).unwrap();
        let mut w = s.try_clone().unwrap();
        let mut r = BufReader::new(s);
        w.write_all(format!("GET /v1/health HTTP/1.1\r\nHost: {}\r\n\r\n", a.addr).as_bytes())
            .unwrap();
        read_response(&mut r).unwrap();
        conns.push((w, r));
    }
    let start = Instant::now();
    for (mut w, mut r) in conns {
        let mine: Vec<Vec<u8>> = reqs.drain(..per_conn.min(reqs.len())).collect();
        let (stop, non_200, duration) = (stop.clone(), non_200.clone(), a.duration);
        handles.push(std::thread::spawn(move || {
            let mut lat = Vec::with_capacity(mine.len());
            for req in &mine {
                if stop.load(Ordering::Relaxed) || start.elapsed() >= duration {
                    break;
                }
                let t = Instant::now();
                w.write_all(req).unwrap();
                let status = read_response(&mut r).unwrap();
                lat.push(t.elapsed());
                if status != 200 {
                    non_200.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        }));
    }
    let mut rss_samples = Vec::new();
    while handles.iter().any(|h| !h.is_finished()) {
        std::thread::sleep(Duration::from_millis(500));
        if let Some(pid) = a.server_pid
            && let Some(k) = rss_kib(pid)
        {
            rss_samples.push(k);
        }
    }
    let elapsed = start.elapsed();
    let mut all: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    let n = all.len();
    let pct = |p: f64| {
        all.get(((n as f64 * p) as usize).min(n.saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "requests      {n} ({} not 200) over {:.1}s, {} connections, {} {}",
        non_200.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        a.connections,
        a.method,
        a.path
    );
    println!(
        "throughput    {:.0} requests/s",
        n as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency (ms)  p50 {:.3}  p90 {:.3}  p99 {:.3}  p99.9 {:.3}  max {:.3}",
        ms(pct(0.5)),
        ms(pct(0.9)),
        ms(pct(0.99)),
        ms(pct(0.999)),
        ms(pct(1.0))
    );
    if let (Some(s), Some(e)) = (rss_start, rss_samples.last()) {
        let max = rss_samples.iter().max().copied().unwrap_or(0);
        println!(
            "server RSS    start {s} KiB, end {e} KiB, max {max} KiB ({} samples)",
            rss_samples.len()
        );
    }
    if n == per_conn * a.connections {
        eprintln!(
            "note: all pre-signed requests were used before --duration ended; raise --requests"
        );
    }
}

/// Opens and drops connections as fast as possible, then checks the server still answers.
fn storm(a: &Args) {
    let t = Instant::now();
    let mut failed = 0;
    for chunk in 0..a.requests.div_ceil(500) {
        let conns: Vec<_> = (0..500.min(a.requests - chunk * 500))
            .filter_map(|_| TcpStream::connect(a.addr).map_err(|_| failed += 1).ok())
            .collect();
        drop(conns);
    }
    println!(
        "opened and dropped {} connections in {:.1}s ({failed} connects failed)",
        a.requests,
        t.elapsed().as_secs_f64()
    );
    health_check(a.addr);
}

/// Holds connections that send one header byte per second while timing /v1/health.
fn slowloris(a: &Args) {
    let stop = Arc::new(AtomicBool::new(false));
    let mut hs = Vec::new();
    for _ in 0..a.connections {
        let (stop, addr) = (stop.clone(), a.addr);
        hs.push(std::thread::spawn(move || {
            let Ok(mut s) = TcpStream::connect(addr) else {
                return 0;
            };
            let _ = s.write_all(b"POST /v1/authorize HTTP/1.1\r\nHost: x\r\n");
            let mut closed_by_server = 0;
            while !stop.load(Ordering::Relaxed) {
                if s.write_all(b"X").is_err() {
                    closed_by_server = 1;
                    break;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
            closed_by_server
        }));
    }
    let t = Instant::now();
    while t.elapsed() < a.duration {
        health_check(a.addr);
        std::thread::sleep(Duration::from_secs(1));
    }
    stop.store(true, Ordering::Relaxed);
    let closed: i32 = hs.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    println!(
        "{} slow connections held for {:?}; {closed} were closed by the server",
        a.connections, a.duration
    );
}

fn health_check(addr: SocketAddr) {
    let t = Instant::now();
    let mut s = TcpStream::connect(addr).expect("server unreachable");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut r = BufReader::new(s);
    let status = read_response(&mut r).expect("no health response");
    println!(
        "health        {status} in {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(status, 200);
}
