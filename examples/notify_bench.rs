//! Outbox dispatch throughput (SPEC §16, BENCHMARKS.md): stages N notifications for an owner
//! webhook channel in an initialised data directory, then runs one dispatcher pass
//! (`notify run --once`) against a local receiver answering 204 and reports deliveries/s. Every
//! delivery is a signed HTTP POST, a line in `outbox/delivered.jsonl`, the removal of its pending
//! file and a `WEBHOOK_DELIVERED` audit event.
//!
//! ```text
//! openleash --data-dir /tmp/nb/data init -q
//! cargo run --release --example notify_bench -- /tmp/nb/data 5000
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::notify::{dispatch, event::Event, outbox};
use openleash::store::{DataDir, Txn};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let data = args.next().expect("usage: notify_bench DATA_DIR [N]");
    let n: usize = args.next().map(|v| v.parse().unwrap()).unwrap_or(5000);
    let threads: usize = std::env::var("THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);

    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", server.server_addr().to_ip().unwrap());
    let receiver = std::thread::spawn(move || {
        let mut got = 0usize;
        while got < n {
            let Ok(rq) = server.recv() else { break };
            got += 1;
            let _ = rq.respond(tiny_http::Response::empty(204));
        }
    });

    let dd = DataDir::open(&data).unwrap();
    let cfg_path = dd.config_path();
    let text = std::fs::read_to_string(&cfg_path).unwrap();
    // The file `init` writes ends with `notifications:` and `  channels: []`.
    assert!(
        text.contains("\n  channels: []\n"),
        "use a freshly initialised data dir"
    );
    let text = text.replace(
        "\n  channels: []\n",
        &format!(
            "\n  channels:\n    - {{name: bench, type: webhook, url: \"{url}\", secret: s}}\n"
        ),
    );
    std::fs::write(&cfg_path, text).unwrap();
    let config = dd.config().unwrap();

    let t = Instant::now();
    let event = Event::sample(&config);
    let mut txn = Txn::default();
    for _ in 0..n {
        outbox::stage(&dd, &mut txn, &config, &event).unwrap();
    }
    txn.commit().unwrap();
    let staged = t.elapsed();

    let lock = dispatch::try_dispatch_lock(&dd).unwrap().unwrap();
    let mut opts = dispatch::Options::once(None);
    opts.threads = threads;
    opts.sweep = false;
    let t = Instant::now();
    let stats = dispatch::run(&dd, opts).unwrap();
    let took = t.elapsed();
    drop(lock);
    receiver.join().unwrap();
    assert_eq!(stats.delivered as usize, n, "{stats:?}");
    println!(
        "staged {n} in {:.2} s; delivered {} in {:.2} s = {:.0} deliveries/s ({threads} threads, audit.fsync {})",
        staged.as_secs_f64(),
        stats.delivered,
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        config.audit.fsync
    );
}
