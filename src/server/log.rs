//! The server's log: one line per event on stderr. A leaf, so route modules and the portal can
//! log without importing the serve loop that calls them.

use std::io::Write;

/// One line on stderr, prefixed with the time.
pub fn log_line(msg: &str) {
    let line = format!("{} {msg}\n", crate::timefmt::now_string());
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
