//! `openleash audit export`: prints events (NDJSON lines as written, or OCSF objects one per
//! line) and keeps the cursor file; the work is in handlers::export (the file log, or the
//! database's chain with `store.backend: postgres`).

use crate::cli::ExportFormat;
use crate::error::{Error, Result};
use crate::handlers::export::{self, Bounds, Cursor};
use crate::handlers::replay::parse_time_arg;
use crate::store::DataDir;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

pub struct Args {
    pub format: ExportFormat,
    pub since: Option<String>,
    pub until: Option<String>,
    pub cursor: Option<PathBuf>,
    pub follow: bool,
    pub poll: Duration,
}

pub fn run(dd: &DataDir, a: Args) -> Result<u8> {
    let now = crate::timefmt::now();
    let bounds = Bounds {
        since_ms: a
            .since
            .as_deref()
            .map(|s| parse_time_arg("since", s, now))
            .transpose()?,
        until_ms: a
            .until
            .as_deref()
            .map(|s| parse_time_arg("until", s, now))
            .transpose()?,
    };
    let mut cursor = match &a.cursor {
        Some(p) => Cursor::load(p)?,
        None => Cursor::default(),
    };
    // With `store.backend: postgres` the chain is the database's (SPEC §19); a data dir whose
    // config cannot be read still has a file log to export, as for `audit verify`.
    let store = dd.config().map(|c| c.store).unwrap_or_default();
    let db = if store.is_postgres() {
        Some(crate::store::pg::PgStore::connect(&store)?)
    } else {
        None
    };
    let stdout = std::io::stdout();
    loop {
        let mut out = stdout.lock();
        let mut emit = |ev: &crate::audit::AuditEvent, line: &[u8]| -> Result<()> {
            let r = match a.format {
                ExportFormat::Ndjson => out.write_all(line).and_then(|_| out.write_all(b"\n")),
                ExportFormat::Ocsf => serde_json::to_writer(&mut out, &export::ocsf(ev))
                    .map_err(std::io::Error::other)
                    .and_then(|_| out.write_all(b"\n")),
            };
            r.map_err(|e| Error::io("write", std::path::Path::new("<stdout>"), e))
        };
        let next = match &db {
            Some(db) => export::export_from_store(db, &cursor, bounds, &mut emit)?,
            None => export::export_from(dd, &cursor, bounds, &mut emit)?,
        };
        // The events are out before the cursor moves past them.
        out.flush()
            .map_err(|e| Error::io("write", std::path::Path::new("<stdout>"), e))?;
        drop(out);
        if let Some(p) = &a.cursor
            && next != cursor
        {
            next.save(p)?;
        }
        cursor = next;
        if !a.follow {
            return Ok(0);
        }
        std::thread::sleep(a.poll);
    }
}
