//! Reading the database's audit chain in `seq` order for `audit export`: keyset pages on the
//! primary key, so each round trip costs O(page) whatever the chain's length, and memory stays
//! bounded however much is exported.

use super::{PgStore, db_error};
use crate::error::Result;

/// Rows fetched per round trip.
const PAGE: i64 = 1024;

/// Calls `each(seq, line)` for every event after `after`, oldest first. Each page is its own
/// query, so an export of a long chain holds no transaction open while it writes its output,
/// and events committed while it runs are included when they land after the last page read.
pub fn lines_after(
    store: &PgStore,
    after: u64,
    each: &mut dyn FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    let mut conn = store.conn()?;
    let mut last = i64::try_from(after).unwrap_or(i64::MAX);
    loop {
        let rows = conn
            .query(
                "SELECT seq, line FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&last, &PAGE],
            )
            .map_err(|e| db_error("read the audit chain", e))?;
        for r in &rows {
            let seq: i64 = r.get(0);
            last = seq;
            each(seq as u64, r.get::<_, &str>(1))?;
        }
        if (rows.len() as i64) < PAGE {
            return Ok(());
        }
    }
}
