//! The server's front door under attack (issue 16): the patched tiny_http in `vendor/tiny_http`
//! and the connection limits. Every case checks that legitimate signed `authorize` calls keep
//! succeeding during the attack. Memory and thread counts come from /proc; nothing asserts a
//! duration.

use crate::server::{Server, authorize_action, env_value, read_response, setup, signed_post};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// A signed `POST /v1/authorize` that must be allowed.
fn authorize_ok(srv: &Server, tmp: &Path, key: &ed25519_dalek::SigningKey) {
    let owner = env_value(&tmp.join("agent.env"), "OPENLEASH_OWNER_PRINCIPAL_ID");
    let body = authorize_action(5000, "my-agent", &owner).to_string();
    let r = signed_post(srv, key, "my-agent", "/v1/authorize", body.as_bytes());
    assert_eq!(
        r.status,
        200,
        "a legitimate authorize failed: {:?}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["result"], "ALLOW");
}

/// `Name:` value from /proc/<pid>/status (kB for memory lines).
fn proc_status(pid: u32, name: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// Waits (polling, at most 30 s) until `f` holds; false when it never did.
fn eventually(mut f: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    f()
}

/// Sends raw bytes (write errors ignored: the server may close early) and reads all it answers.
fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn http2_request_lines_do_not_leak_connections() {
    let (tmp, data, key) = setup();
    let srv = Server::start(&data, &["--max-connections", "5"]);
    authorize_ok(&srv, tmp.path(), &key);
    let pid = srv.pid();
    let (threads0, fds0) = (proc_status(pid, "Threads"), open_fds(pid));
    let lines: [&[u8]; 3] = [
        b"GET /v1/health HTTP/2.0\r\n\r\n",
        b"GET /v1/health HTTP/3.0\r\nHost: x\r\n\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ];
    for i in 0..1100 {
        let answer = exchange(srv.addr, lines[i % 3]);
        assert_eq!(status_of(&answer), 505, "{answer}");
        assert!(answer.contains("Connection: close"), "{answer}");
        if i % 250 == 0 {
            authorize_ok(&srv, tmp.path(), &key);
        }
    }
    assert_eq!(srv.get("/v1/health").status, 200);
    authorize_ok(&srv, tmp.path(), &key);
    // connection threads end and their descriptors close
    assert!(
        eventually(|| proc_status(pid, "Threads") <= threads0 + 8 && open_fds(pid) <= fds0 + 8),
        "threads {} (baseline {threads0}), descriptors {} (baseline {fds0})",
        proc_status(pid, "Threads"),
        open_fds(pid)
    );
}

#[test]
fn oversized_heads_are_refused_and_memory_stays_bounded() {
    let (tmp, data, key) = setup();
    let srv = Server::start(&data, &["--idle-timeout-ms", "5000"]);
    let pid = srv.pid();
    let long_url = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(1 << 20));
    assert_eq!(status_of(&exchange(srv.addr, long_url.as_bytes())), 414);
    let long_header = format!(
        "GET /v1/health HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    assert_eq!(status_of(&exchange(srv.addr, long_header.as_bytes())), 431);
    let many: String = (0..20_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let many = format!("GET /v1/health HTTP/1.1\r\n{many}\r\n");
    assert_eq!(status_of(&exchange(srv.addr, many.as_bytes())), 431);
    // a request line and a header line just under the limit are served
    let ok = format!(
        "GET /v1/health?{} HTTP/1.1\r\nConnection: close\r\nX-Fill: {}\r\n\r\n",
        "a".repeat(8000),
        "b".repeat(8000)
    );
    assert_eq!(status_of(&exchange(srv.addr, ok.as_bytes())), 200);
    authorize_ok(&srv, tmp.path(), &key);

    // four clients streaming 200 MB header lines at once
    let rss0 = proc_status(pid, "VmRSS");
    let attackers: Vec<_> = (0..4)
        .map(|_| {
            let addr = srv.addr;
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
                let _ = s.write_all(b"GET /v1/health HTTP/1.1\r\nX-Endless: ");
                let chunk = vec![b'a'; 1 << 20];
                let mut sent = 0;
                for _ in 0..200 {
                    match s.write_all(&chunk) {
                        Ok(()) => sent += 1,
                        Err(_) => break,
                    }
                }
                sent
            })
        })
        .collect();
    authorize_ok(&srv, tmp.path(), &key);
    for a in attackers {
        let sent = a.join().unwrap();
        assert!(sent < 200, "the server read a 200 MB header line");
    }
    authorize_ok(&srv, tmp.path(), &key);
    let grown_kb = proc_status(pid, "VmRSS").saturating_sub(rss0);
    assert!(grown_kb < 20 * 1024, "RSS grew by {grown_kb} kB");
}

#[test]
fn trickled_heads_and_small_bodies_time_out() {
    let (tmp, data, key) = setup();
    let srv = Server::start(
        &data,
        &[
            "--idle-timeout-ms",
            "2000",
            "--header-timeout-ms",
            "1000",
            "--body-timeout-ms",
            "1000",
        ],
    );
    // a header line every 300 ms never trips the idle timeout, but the head deadline closes it
    let trickle = |head: &'static [u8], then: &'static [u8]| {
        let addr = srv.addr;
        std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            s.write_all(head).unwrap();
            let mut reader = s.try_clone().unwrap();
            let writer = std::thread::spawn(move || {
                for _ in 0..200 {
                    for b in then {
                        if s.write_all(&[*b]).is_err() {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            });
            let mut buf = Vec::new();
            let _ = reader.read_to_end(&mut buf);
            drop(writer);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let head = trickle(b"GET /v1/health HTTP/1.1\r\n", b"X-A: b\r\n");
    let body = trickle(
        b"POST /v1/agents/registration-challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n",
        b"          ",
    );
    authorize_ok(&srv, tmp.path(), &key);
    let head = head.join().unwrap();
    assert_eq!(status_of(&head), 408, "{head}");
    assert!(head.contains("Connection: close"), "{head}");
    let body = body.join().unwrap();
    assert_eq!(status_of(&body), 408, "{body}");
    authorize_ok(&srv, tmp.path(), &key);
}

#[test]
fn protocol_errors_get_an_answer_and_a_close() {
    let (tmp, data, key) = setup();
    let srv = Server::start(&data, &[]);
    for (raw, want) in [
        (&b"GET /v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"[..], 400),
        (b"GET /v1/health HTTP/1.1\r\nX-Name: caf\xc3\xa9\r\n\r\n", 400),
        (b"GET /v1/health HTTP/1.1\nHost: x\n\n", 400),
        (b"GET /v1/health HTTP/1.1\r\nHost: x\n\r\n", 400),
        (b"get /v1/health HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"Get /v1/health HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (
            b"POST /v1/agents/registration-challenge HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
            400,
        ),
        (
            b"POST /v1/agents/registration-challenge HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
            400,
        ),
        (b"POST /v1/agents/registration-challenge HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n{}", 400),
        (b"GET /v1/health HTTP/2.0\r\n\r\n", 505),
    ] {
        let answer = exchange(srv.addr, raw);
        assert_eq!(status_of(&answer), want, "{:?} -> {answer}", String::from_utf8_lossy(raw));
        assert!(answer.contains("Connection: close"), "{answer}");
    }
    // an absurd declared body: 413 with Connection: close, and the connection really ends
    let answer = exchange(
        srv.addr,
        b"POST /v1/agents/registration-challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000\r\n\r\n{",
    );
    assert_eq!(status_of(&answer), 413, "{answer}");
    assert!(answer.contains("Connection: close"), "{answer}");
    assert!(!answer.to_ascii_lowercase().contains("upgrade"), "{answer}");
    authorize_ok(&srv, tmp.path(), &key);
    assert!(!srv.log().contains("kept"), "{}", srv.log());
}

/// A connection from `ip` (any 127.0.0.0/8 address reaches a loopback listener on Linux).
fn connect_from(ip: &str, to: SocketAddr) -> TcpStream {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let from: SocketAddr = format!("{ip}:0").parse().unwrap();
    s.bind(&from.into()).unwrap();
    s.connect(&to.into()).unwrap();
    let s: TcpStream = s.into();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

#[test]
fn one_peer_cannot_take_every_connection() {
    let (tmp, data, key) = setup();
    let srv = Server::start(&data, &["--idle-timeout-ms", "30000"]);
    let mut held = Vec::new();
    let mut refused_at = None;
    // the attacker is 127.0.0.2; the legitimate agent calls from 127.0.0.1 meanwhile
    for i in 1..=300 {
        let mut s = connect_from("127.0.0.2", srv.addr);
        s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let r = read_response(&mut s).unwrap();
        if r.status == 503 {
            assert_eq!(r.code(), "BUSY");
            assert_eq!(r.header("Connection"), Some("close"));
            refused_at.get_or_insert(i);
            // the refused connection is closed by the server
            let mut rest = Vec::new();
            assert_eq!(s.read_to_end(&mut rest).unwrap_or(0), 0);
        } else {
            assert_eq!(r.status, 200, "connection {i}");
            held.push(s);
        }
    }
    assert_eq!(refused_at, Some(257));
    assert_eq!(held.len(), 256);
    // other clients are served meanwhile
    authorize_ok(&srv, tmp.path(), &key);
    let mut other = connect_from("127.0.0.3", srv.addr);
    other
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut other).unwrap().status, 200);
    // the held connections keep being served
    for s in held.iter_mut().take(3) {
        s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(s).unwrap().status, 200);
    }
    drop(held);
    // once they are closed, the peer is served again
    assert!(eventually(|| {
        let mut s = connect_from("127.0.0.2", srv.addr);
        s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        read_response(&mut s).is_ok_and(|r| r.status == 200)
    }));
    authorize_ok(&srv, tmp.path(), &key);
}

#[test]
fn a_burst_of_keep_alive_connections_is_served_at_once() {
    let (tmp, data, key) = setup();
    let srv = Server::start(&data, &["--idle-timeout-ms", "30000"]);
    // Opened together and all kept open: each needs a connection thread of its own (tiny_http's
    // pool used to queue several behind one idle thread until another connection closed).
    let mut conns: Vec<TcpStream> = (0..32)
        .map(|_| TcpStream::connect(srv.addr).unwrap())
        .collect();
    for s in &mut conns {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
    }
    for (i, s) in conns.iter_mut().enumerate() {
        let r = read_response(s).unwrap_or_else(|e| {
            panic!("connection {i} was not served while the others stayed open: {e}")
        });
        assert_eq!(r.status, 200);
    }
    authorize_ok(&srv, tmp.path(), &key);
}
