//! A local program per event (a desktop notifier, a pager script): argv from the config, the
//! owner body JSON on stdin, exit 0 = delivered, anything else or a timeout = retry later.

use super::dispatch::Attempt;
use super::event::Event;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn run(argv: &[String], e: &Event, id: &str, timeout: Duration) -> Attempt {
    let Some((program, args)) = argv.split_first() else {
        return Attempt::permanent(None, "empty command".into());
    };
    let mut child = match Command::new(program)
        .args(args)
        .env("OPENLEASH_EVENT_TYPE", &e.event_type)
        .env("OPENLEASH_NOTIFICATION_ID", id)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(err) => return Attempt::temporary(None, format!("cannot run {program}: {err}"), None),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input is fine; it just does not get it.
        let _ = stdin.write_all(e.owner_body().as_bytes());
    }
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Attempt::delivered(0),
            Ok(Some(status)) => {
                return Attempt::temporary(None, format!("{program} exited with {status}"), None);
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Attempt::temporary(
                    None,
                    format!("{program} did not finish within {timeout:?}"),
                    None,
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(err) => {
                return Attempt::temporary(None, format!("waiting for {program}: {err}"), None);
            }
        }
    }
}
