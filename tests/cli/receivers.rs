//! Real receivers on loopback for the notification tests: an HTTP receiver with a scripted
//! sequence of answers (and a mode that never answers), and a minimal SMTP sink.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Default)]
struct Shared {
    hits: Mutex<Vec<Hit>>,
    script: Mutex<VecDeque<u16>>,
    default_status: AtomicU16,
    hang: AtomicBool,
    stop: AtomicBool,
}

/// An HTTP receiver: records every request, answers with the next scripted status (else the
/// default, 200), or holds the request unanswered in hang mode.
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        Receiver::start_on("127.0.0.1:0".parse().unwrap())
    }

    pub fn start_on(addr: SocketAddr) -> Receiver {
        let server = tiny_http::Server::http(addr).unwrap();
        let addr = server.server_addr().to_ip().unwrap();
        let shared = Arc::new(Shared::default());
        shared.default_status.store(200, Ordering::SeqCst);
        let s = shared.clone();
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !s.stop.load(Ordering::SeqCst) {
                let Ok(Some(mut rq)) = server.recv_timeout(Duration::from_millis(20)) else {
                    continue;
                };
                let mut body = Vec::new();
                let _ = rq.as_reader().read_to_end(&mut body);
                s.hits.lock().unwrap().push(Hit {
                    method: rq.method().as_str().to_string(),
                    path: rq.url().to_string(),
                    headers: rq
                        .headers()
                        .iter()
                        .map(|h| {
                            (
                                h.field.as_str().as_str().to_string(),
                                h.value.as_str().to_string(),
                            )
                        })
                        .collect(),
                    body,
                });
                if s.hang.load(Ordering::SeqCst) {
                    held.push(rq);
                    continue;
                }
                let status = s
                    .script
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or_else(|| s.default_status.load(Ordering::SeqCst));
                let _ = rq.respond(tiny_http::Response::empty(status));
            }
        });
        Receiver {
            addr,
            shared,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The next answers, in order; afterwards the default.
    pub fn script(&self, statuses: &[u16]) {
        self.shared.script.lock().unwrap().extend(statuses);
    }

    pub fn set_default(&self, status: u16) {
        self.shared.default_status.store(status, Ordering::SeqCst);
    }

    pub fn hang(&self, on: bool) {
        self.shared.hang.store(on, Ordering::SeqCst);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// Waits (up to 60 s) until `pred` holds for the hits so far.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        wait_until(what, || {
            let h = self.hits();
            pred(&h).then_some(h)
        })
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Polls `f` until it returns `Some`, for at most 60 s (a bound against hangs, not a timing
/// assertion).
pub fn wait_until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A minimal SMTP server that accepts every message (no TLS, no auth).
pub struct SmtpSink {
    pub addr: SocketAddr,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let m = messages.clone();
        // Accepts for the rest of the test process; each session on its own thread.
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let m = m.clone();
                std::thread::spawn(move || {
                    let _ = session(conn, &m);
                });
            }
        });
        SmtpSink { addr, messages }
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}

fn session(conn: std::net::TcpStream, messages: &Mutex<Vec<String>>) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut w = conn.try_clone()?;
    let mut r = BufReader::new(conn);
    w.write_all(b"220 sink ESMTP\r\n")?;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => w.write_all(b"250-sink\r\n250 8BITMIME\r\n")?,
            "MAIL" | "RCPT" | "RSET" | "NOOP" => w.write_all(b"250 OK\r\n")?,
            "DATA" => {
                w.write_all(b"354 go ahead\r\n")?;
                let mut msg = String::new();
                loop {
                    let mut l = String::new();
                    if r.read_line(&mut l)? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    msg.push_str(&l);
                }
                messages.lock().unwrap().push(msg);
                w.write_all(b"250 queued\r\n")?;
            }
            "QUIT" => {
                w.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => w.write_all(b"502 not implemented\r\n")?,
        }
    }
}
