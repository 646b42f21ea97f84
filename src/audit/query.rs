//! Reading the log: filtered listing (newest N, read backwards so a short listing of a large log
//! stays cheap), lookup by seq or event id, and following appended events (`tail -f`).
//!
//! Readers take no lock: the log is append-only and a torn last line is skipped, so a reader
//! sees a prefix of complete lines. Lines that do not parse as events are skipped and counted
//! (`audit verify` is the place that reports them).

use super::AuditEvent;
use super::index::{Indexed, files_indexed};
use super::line::parse_raw;
use super::lines::{ReverseLines, Scanned, Scanner, complete_end};
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use serde_json::Value;
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::time::Duration;
use time::OffsetDateTime;

/// Which events to show. Empty fields match everything; all given fields must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Event types (any of them; compared case-insensitively).
    pub types: Vec<String>,
    /// Ids of one agent (its agent_id and/or principal id), matched against `principal_id` and
    /// metadata `agent_id` / `agent_principal_id`.
    pub agent: Vec<String>,
    /// An owner id, matched against `principal_id` and metadata `owner_id`, `user_principal_id`,
    /// `owner_principal_id`.
    pub owner: Option<String>,
    /// `timestamp >= since`.
    pub since: Option<OffsetDateTime>,
    /// `timestamp < until`.
    pub until: Option<OffsetDateTime>,
    /// Metadata `result` (ALLOW, DENY, …; case-insensitive).
    pub decision: Option<String>,
}

fn meta_str<'a>(ev: &'a AuditEvent, key: &str) -> Option<&'a str> {
    ev.metadata_json.get(key).and_then(Value::as_str)
}

impl Filter {
    /// No condition at all: every event.
    pub fn is_everything(&self) -> bool {
        self.types.is_empty()
            && self.agent.is_empty()
            && self.owner.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && self.decision.is_none()
    }

    pub fn matches(&self, ev: &AuditEvent) -> bool {
        if !self.types.is_empty()
            && !self
                .types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&ev.event_type))
        {
            return false;
        }
        if !self.agent.is_empty() {
            let ids = [
                ev.principal_id.as_deref(),
                meta_str(ev, "agent_id"),
                meta_str(ev, "agent_principal_id"),
            ];
            if !ids
                .iter()
                .flatten()
                .any(|id| self.agent.iter().any(|a| a.eq_ignore_ascii_case(id)))
            {
                return false;
            }
        }
        if let Some(owner) = &self.owner {
            let ids = [
                ev.principal_id.as_deref(),
                meta_str(ev, "owner_id"),
                meta_str(ev, "user_principal_id"),
                meta_str(ev, "owner_principal_id"),
            ];
            if !ids
                .iter()
                .flatten()
                .any(|id| owner.eq_ignore_ascii_case(id))
            {
                return false;
            }
        }
        if let Some(d) = &self.decision
            && !meta_str(ev, "result").is_some_and(|r| r.eq_ignore_ascii_case(d))
        {
            return false;
        }
        if self.since.is_some() || self.until.is_some() {
            let Some(t) = crate::timefmt::parse(&ev.timestamp) else {
                return false;
            };
            if self.since.is_some_and(|s| t < s) || self.until.is_some_and(|u| t >= u) {
                return false;
            }
        }
        true
    }
}

/// The result of a listing.
#[derive(Debug, Default)]
pub struct Page {
    /// Oldest first.
    pub events: Vec<AuditEvent>,
    /// Lines skipped because they are not events.
    pub malformed: u64,
    /// Just past the last complete line seen: where following continues.
    pub end_offset: u64,
    /// [`DataDir::audit_page`]: older matching events remain.
    pub more: bool,
}

fn open_log(dd: &DataDir) -> Result<Option<File>> {
    let path = dd.audit_log_path();
    match crate::store::fsio::open_read_nofollow(&path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::store::fsio::open_error("open", &path, e)),
    }
}

impl DataDir {
    /// The newest `limit` events matching `filter` (all of them when `limit` is 0), oldest first.
    pub fn audit_query(&self, filter: &Filter, limit: usize) -> Result<Page> {
        if limit == 0 {
            let mut page = Page::default();
            let (end, malformed) = self.audit_scan(filter, 0, |ev| page.events.push(ev))?;
            page.end_offset = end;
            page.malformed = malformed;
            return Ok(page);
        }
        let mut page = self.audit_page(filter, 0, limit)?;
        page.events.reverse();
        Ok(page)
    }

    /// Newest first: skips the `offset` newest matching events and returns up to `limit` more
    /// (0 = all), reading backwards from the end (the HTTP endpoints' cursor paging); `more` says
    /// whether older matches remain.
    ///
    /// An offset is turned into a keyset start in O(1) or O(log n) reads where it can be: over
    /// the whole log, seqs are consecutive (the appender numbers every line; `audit verify`
    /// reports a gap), so the `offset`-th newest is `last seq - offset`, found by bisection;
    /// for one owner, agent or type, its index file is counted instead. Other filters (several
    /// conditions) skip `offset` matches reading backwards: O(offset), for the old numeric
    /// cursors only, since every page hands out keyset cursors ([`DataDir::audit_page_before`]).
    pub fn audit_page(&self, filter: &Filter, offset: usize, limit: usize) -> Result<Page> {
        if offset == 0
            && let Some(page) = self.audit_page_indexed(filter, u64::MAX, limit)?
        {
            return Ok(page);
        }
        if offset > 0
            && let Some(start) = self.audit_seq_at_offset(filter, offset as u64)?
        {
            return match start {
                Some(seq) => self.audit_page_before(filter, seq.saturating_add(1), limit),
                None => Ok(Page {
                    end_offset: self.audit_end()?,
                    ..Page::default()
                }),
            };
        }
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(file) = open_log(self)? else {
            return Ok(Page::default());
        };
        let len = file.metadata().map_err(io)?.len();
        let end = complete_end(&file, len).map_err(io)?;
        let mut page = Page {
            end_offset: end,
            ..Page::default()
        };
        let mut skipped = 0;
        let mut rev = ReverseLines::new(&file, end);
        while let Some((_, line)) = rev.next_line().map_err(io)? {
            match serde_json::from_slice::<AuditEvent>(&line) {
                Ok(ev) if filter.matches(&ev) => {
                    if skipped < offset {
                        skipped += 1;
                    } else if limit == 0 || page.events.len() < limit {
                        page.events.push(ev);
                    } else {
                        page.more = true;
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => page.malformed += 1,
            }
        }
        Ok(page)
    }

    /// The seq of the `offset`-th newest event matching `filter` (0 = the newest) without
    /// reading the events in between: `None` when that cannot be known so (the caller skips
    /// them reading), `Some(None)` when there are not that many.
    fn audit_seq_at_offset(&self, filter: &Filter, offset: u64) -> Result<Option<Option<u64>>> {
        if !filter.is_everything() {
            return self.audit_indexed_nth_newest(filter, offset);
        }
        let Some(file) = open_log(self)? else {
            return Ok(Some(None));
        };
        // A last line that is not an event (the appender refuses to continue after it): read.
        let Ok(tail) = super::commit::read_tail(self, &file) else {
            return Ok(None);
        };
        let last = tail.last.map_or(0, |(seq, _)| seq);
        // A log whose seqs are not 1..=last (edited by hand) is caught by the bisection's check
        // of the line it lands on, and then read from its end.
        Ok(Some(last.checked_sub(offset).filter(|seq| *seq >= 1)))
    }

    /// Newest first, the events matching `filter` until `f` returns false, through the index
    /// (O(events given)); returns the offset just past the log the index covered, where a
    /// forward read (`audit_scan`) continues without missing or repeating an event. `None` when
    /// no index answers `filter` (or it was found wrong midway): nothing useful was given, and
    /// the caller reads the log instead.
    pub fn audit_newest_indexed(
        &self,
        filter: &Filter,
        f: impl FnMut(AuditEvent) -> bool,
    ) -> Result<Option<u64>> {
        Ok(match self.audit_indexed(filter, true, u64::MAX, f)? {
            Indexed::Done { end } => Some(end),
            Indexed::Unavailable | Indexed::Discarded => None,
        })
    }

    /// Newest first, the `limit` events matching `filter` with seq > `after` nearest to it (the
    /// page before a keyset cursor: a "newer" link); `more` says whether newer ones remain.
    /// Through the index for an owner, agent or type; otherwise from a bisection to `after`,
    /// reading forwards until the page is full.
    pub fn audit_page_after(&self, filter: &Filter, after: u64, limit: usize) -> Result<Page> {
        let limit = limit.max(1);
        let mut page = Page::default();
        let from = after.saturating_add(1);
        let r = self.audit_indexed(filter, false, from, |ev| {
            if page.events.len() < limit {
                page.events.push(ev);
                true
            } else {
                page.more = true;
                false
            }
        })?;
        if let Indexed::Done { end } = r {
            page.end_offset = end;
            page.events.reverse();
            return Ok(page);
        }
        let mut page = Page::default();
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(mut file) = open_log(self)? else {
            return Ok(page);
        };
        let start = self.audit_offset_after_seq(after)?.unwrap_or(0);
        file.seek(SeekFrom::Start(start)).map_err(io)?;
        let mut scanner = Scanner::new(file, start);
        page.end_offset = start;
        while let Some(item) = scanner.next_line().map_err(io)? {
            let Scanned::Line { offset, line } = item else {
                break;
            };
            page.end_offset = offset + line.len() as u64 + 1;
            match serde_json::from_slice::<AuditEvent>(line) {
                Ok(ev) if ev.seq > after && filter.matches(&ev) => {
                    if page.events.len() < limit {
                        page.events.push(ev);
                    } else {
                        page.more = true;
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => page.malformed += 1,
            }
        }
        page.events.reverse();
        Ok(page)
    }

    /// Newest first, only events with seq < `before` (a keyset cursor: the seq of the oldest
    /// event of the previous page), up to `limit` (0 = all). Stays valid while the log grows.
    /// The start is found by bisection (O(log n) reads) and checked against the line found; a
    /// log out of seq order is read from its end instead.
    pub fn audit_page_before(&self, filter: &Filter, before: u64, limit: usize) -> Result<Page> {
        if before <= 1 {
            // Nothing is older than the first event (and a bisection to seq 0 would not
            // land on a line carrying it, sending the read to the end of the log).
            return Ok(Page {
                end_offset: self.audit_end()?,
                ..Page::default()
            });
        }
        if let Some(page) = self.audit_page_indexed(filter, before, limit)? {
            return Ok(page);
        }
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(file) = open_log(self)? else {
            return Ok(Page::default());
        };
        let len = file.metadata().map_err(io)?.len();
        let end = complete_end(&file, len).map_err(io)?;
        let start = match super::seek::lower_bound(&file, end, before).map_err(io)? {
            Some(off) if off == end || self.seq_at(&file, off, end)? == Some(before) => Some(off),
            _ => None,
        };
        let mut page = Page {
            end_offset: end,
            ..Page::default()
        };
        let mut rev = ReverseLines::new(&file, start.unwrap_or(end));
        while let Some((_, line)) = rev.next_line().map_err(io)? {
            match serde_json::from_slice::<AuditEvent>(&line) {
                Ok(ev) if ev.seq < before && filter.matches(&ev) => {
                    if limit == 0 || page.events.len() < limit {
                        page.events.push(ev);
                    } else {
                        page.more = true;
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => page.malformed += 1,
            }
        }
        Ok(page)
    }

    /// Newest first, seq < `before`, up to `limit` (0 = all), through the per-principal and
    /// per-type indexes: O(page) reads plus a bisection. `None` when the filter names nothing
    /// indexed or the index could not be used (the caller scans).
    fn audit_page_indexed(
        &self,
        filter: &Filter,
        before: u64,
        limit: usize,
    ) -> Result<Option<Page>> {
        let mut page = Page::default();
        let r = self.audit_indexed(filter, true, before, |ev| {
            if limit == 0 || page.events.len() < limit {
                page.events.push(ev);
                true
            } else {
                page.more = true;
                false
            }
        })?;
        Ok(match r {
            Indexed::Done { end } => {
                page.end_offset = end;
                Some(page)
            }
            Indexed::Unavailable | Indexed::Discarded => None,
        })
    }

    /// Calls `f` for the newest `limit` events matching `filter` (all when 0), oldest first,
    /// with bounded memory whatever `limit`; returns the offset just past the last complete
    /// line read and the number of lines that are not events. A filter by principal or type
    /// goes through the indexes (O(result)); anything else reads backwards to where the newest
    /// `limit` matches begin, then streams forwards from there.
    pub fn audit_stream_newest(
        &self,
        filter: &Filter,
        limit: usize,
        mut f: impl FnMut(AuditEvent),
    ) -> Result<(u64, u64)> {
        // The seq the newest `limit` matches start at (counting only, nothing kept).
        let mut start = 0u64;
        let mut seen = 0usize;
        let counted = if limit == 0 {
            // Everything: the forward pass alone (an unindexed filter scans).
            if files_indexed(filter) {
                Indexed::Done { end: 0 }
            } else {
                Indexed::Unavailable
            }
        } else {
            self.audit_indexed(filter, true, u64::MAX, |ev| {
                seen += 1;
                start = ev.seq;
                seen < limit
            })?
        };
        if let Indexed::Done { .. } = counted {
            let mut taken = 0usize;
            if let Indexed::Done { end } = self.audit_indexed(filter, false, start, |ev| {
                if limit != 0 && taken >= limit {
                    return false; // appended after the start was found
                }
                taken += 1;
                f(ev);
                true
            })? {
                return Ok((end, 0));
            }
            // Discarded between the two passes (the log changed under it): scan, skipping
            // what was already given.
            let mut skip = taken;
            let from = match limit {
                0 => 0,
                n => self.audit_start_of_newest(filter, n)?,
            };
            let mut given = 0usize;
            return self.audit_scan(filter, from, |ev| {
                if skip > 0 {
                    skip -= 1;
                    given += 1;
                    return;
                }
                if limit != 0 && given >= limit {
                    return;
                }
                given += 1;
                f(ev);
            });
        }
        let from = match limit {
            0 => 0,
            n => self.audit_start_of_newest(filter, n)?,
        };
        let mut taken = 0usize;
        self.audit_scan(filter, from, |ev| {
            if limit != 0 && taken >= limit {
                return; // appended after the start was found
            }
            taken += 1;
            f(ev);
        })
    }

    /// Where the events with seq > `seq` begin, by bisection (O(log n) reads), for resuming a
    /// stream after the last event a client saw (SSE `Last-Event-ID`); `None` when the log is
    /// not in seq order around it (the caller then scans).
    pub fn audit_offset_after_seq(&self, seq: u64) -> Result<Option<u64>> {
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(file) = open_log(self)? else {
            return Ok(Some(0));
        };
        let len = file.metadata().map_err(io)?.len();
        let end = complete_end(&file, len).map_err(io)?;
        let target = seq.saturating_add(1);
        Ok(
            match super::seek::lower_bound(&file, end, target).map_err(io)? {
                Some(off) if off == end => Some(off),
                Some(off) => match self.seq_at(&file, off, end)? {
                    Some(s) if s >= target => Some(off),
                    _ => None,
                },
                None => None,
            },
        )
    }

    fn seq_at(&self, file: &File, off: u64, end: u64) -> Result<Option<u64>> {
        let path = self.audit_log_path();
        let mut reader = file;
        reader
            .seek(SeekFrom::Start(off))
            .map_err(|e| Error::io("read", &path, e))?;
        let mut scanner = Scanner::for_bytes(reader, off, end.saturating_sub(off).min(4096));
        match scanner
            .next_line()
            .map_err(|e| Error::io("read", &path, e))?
        {
            Some(Scanned::Line { line, .. }) => Ok(parse_raw(line).ok().map(|r| r.seq)),
            _ => Ok(None),
        }
    }

    /// Where the newest `limit` events matching `filter` begin (reading backwards, keeping
    /// nothing): a listing then streams forwards from there with bounded memory.
    pub fn audit_start_of_newest(&self, filter: &Filter, limit: usize) -> Result<u64> {
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(file) = open_log(self)? else {
            return Ok(0);
        };
        let len = file.metadata().map_err(io)?.len();
        let end = complete_end(&file, len).map_err(io)?;
        let mut rev = ReverseLines::new(&file, end);
        let (mut seen, mut start) = (0, end);
        while seen < limit
            && let Some((offset, line)) = rev.next_line().map_err(io)?
        {
            if let Ok(ev) = serde_json::from_slice::<AuditEvent>(&line)
                && filter.matches(&ev)
            {
                seen += 1;
                start = offset;
            }
        }
        Ok(if seen < limit { 0 } else { start })
    }

    /// Just past the last complete line: where [`DataDir::audit_follow`] starts for new events.
    pub fn audit_end(&self) -> Result<u64> {
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(file) = open_log(self)? else {
            return Ok(0);
        };
        let len = file.metadata().map_err(io)?.len();
        complete_end(&file, len).map_err(io)
    }

    /// Calls `f` for each matching event in complete lines from byte `from` on; returns the
    /// offset just past the last complete line (a torn end is left for the next call) and the
    /// number of lines that are not events.
    pub fn audit_scan(
        &self,
        filter: &Filter,
        from: u64,
        mut f: impl FnMut(AuditEvent),
    ) -> Result<(u64, u64)> {
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(mut file) = open_log(self)? else {
            return Ok((0, 0));
        };
        let mut malformed = 0;
        file.seek(SeekFrom::Start(from)).map_err(io)?;
        let mut scanner = Scanner::new(file, from);
        let mut end = from;
        while let Some(item) = scanner.next_line().map_err(io)? {
            let Scanned::Line { offset, line } = item else {
                break;
            };
            end = offset + line.len() as u64 + 1;
            match serde_json::from_slice::<AuditEvent>(line) {
                Ok(ev) if filter.matches(&ev) => f(ev),
                Ok(_) => {}
                Err(_) => malformed += 1,
            }
        }
        Ok((end, malformed))
    }

    /// The event with seq `seq` by bisection (O(log n) reads); `None` when not found that way
    /// (absent, or a log out of seq order, which the caller then scans).
    fn audit_find_seq(&self, seq: u64) -> Result<Option<AuditEvent>> {
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let Some(file) = open_log(self)? else {
            return Ok(None);
        };
        let len = file.metadata().map_err(io)?.len();
        let end = complete_end(&file, len).map_err(io)?;
        let Some(off) = super::seek::lower_bound(&file, end, seq).map_err(io)? else {
            return Ok(None);
        };
        let mut reader = &file;
        reader.seek(SeekFrom::Start(off)).map_err(io)?;
        let mut scanner = Scanner::for_bytes(reader, off, 4096);
        if let Some(Scanned::Line { line, .. }) = scanner.next_line().map_err(io)?
            && let Ok(ev) = serde_json::from_slice::<AuditEvent>(line)
            && ev.seq == seq
        {
            return Ok(Some(ev));
        }
        Ok(None)
    }

    /// The event with seq `id` (digits) or event id `id`. A seq is found by bisection (O(log n)
    /// reads); an event id by reading the log until it appears (ids are random UUIDs, so
    /// neither the log's order nor the principal/type indexes narrow the search; a cheap
    /// substring test skips non-matching lines without parsing them).
    pub fn audit_find(&self, id: &str) -> Result<AuditEvent> {
        let by_seq = id.parse::<u64>().ok();
        if by_seq.is_none() {
            crate::ids::check_uuid("event id", id)?;
        }
        let path = self.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        if let Some(seq) = by_seq
            && let Some(ev) = self.audit_find_seq(seq)?
        {
            return Ok(ev);
        }
        if let Some(file) = open_log(self)? {
            let mut scanner = Scanner::new(file, 0);
            let needle = format!("\"event_id\":\"{}\"", id.to_ascii_lowercase());
            while let Some(item) = scanner.next_line().map_err(io)? {
                let Scanned::Line { line, .. } = item else {
                    break;
                };
                // Cheap pre-checks first; only a candidate line is parsed in full.
                let candidate = match by_seq {
                    Some(seq) => parse_raw(line).is_ok_and(|r| r.seq == seq),
                    None => memchr::memmem::find(line, needle.as_bytes()).is_some(),
                };
                if !candidate {
                    continue;
                }
                if let Ok(ev) = serde_json::from_slice::<AuditEvent>(line)
                    && (by_seq.is_some() || ev.event_id.eq_ignore_ascii_case(id))
                {
                    return Ok(ev);
                }
            }
        }
        let what = if by_seq.is_some() { "seq" } else { "event id" };
        Err(Error::new(
            ErrorCode::NotFound,
            format!("no audit event with {what} {id}"),
        )
        .with_hint("list events with `openleash audit list`"))
    }

    /// Follows the log from byte `from` (a [`Page::end_offset`]), calling `f` for every matching
    /// event appended later, polling every `poll`. Runs until `f` returns false or an error; a
    /// log that shrinks (repair) is followed from its new end.
    pub fn audit_follow(
        &self,
        filter: &Filter,
        from: u64,
        poll: Duration,
        mut f: impl FnMut(AuditEvent) -> bool,
    ) -> Result<()> {
        let path = self.audit_log_path();
        let mut offset = from;
        loop {
            let len = match std::fs::metadata(&path) {
                Ok(m) => m.len(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
                Err(e) => return Err(Error::io("read", &path, e)),
            };
            if len < offset {
                offset = match open_log(self)? {
                    Some(file) => {
                        complete_end(&file, len).map_err(|e| Error::io("read", &path, e))?
                    }
                    None => 0,
                };
            } else if len > offset {
                let mut keep = true;
                offset = self
                    .audit_scan(filter, offset, |ev| {
                        if keep {
                            keep = f(ev);
                        }
                    })?
                    .0;
                if !keep {
                    return Ok(());
                }
            }
            std::thread::sleep(poll);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    fn sample() -> (tempfile::TempDir, DataDir) {
        let (t, dd) = data_dir(false);
        dd.append_audit(vec![
            NewEvent::new("USER_CREATED", json!({"owner_id": "o1"})).principal("o1"),
            NewEvent::new(
                "AGENT_REGISTERED",
                json!({"agent_id": "bot", "agent_principal_id": "p1", "owner_id": "o1"}),
            )
            .principal("p1"),
            NewEvent::new(
                "DECISION_CREATED",
                json!({"result": "ALLOW", "agent_id": "bot", "owner_id": "o1"}),
            ),
            NewEvent::new(
                "DECISION_CREATED",
                json!({"result": "DENY", "agent_id": "other", "owner_id": "o2"}),
            ),
            NewEvent::new("KEY_ROTATED", json!({"new_kid": "k"})),
        ])
        .unwrap();
        (t, dd)
    }

    fn seqs(p: &Page) -> Vec<u64> {
        p.events.iter().map(|e| e.seq).collect()
    }

    /// What skipping `offset` matches while reading backwards returns (the answer an offset
    /// cursor must keep giving however it is found).
    fn by_reading(dd: &DataDir, filter: &Filter, offset: usize, limit: usize) -> Vec<u64> {
        let mut all = Vec::new();
        dd.audit_scan(filter, 0, |ev| all.push(ev.seq)).unwrap();
        all.reverse();
        all.into_iter().skip(offset).take(limit).collect()
    }

    fn many(n: usize) -> (tempfile::TempDir, DataDir) {
        let (t, dd) = data_dir(false);
        let evs = (0..n)
            .map(|i| {
                let kind = if i % 4 == 0 {
                    "POLICY_UPSERTED"
                } else {
                    "DECISION_CREATED"
                };
                NewEvent::new(kind, json!({"owner_id": format!("o{}", i % 3), "i": i}))
            })
            .collect();
        dd.append_audit(evs).unwrap();
        (t, dd)
    }

    #[test]
    fn offsets_are_found_without_reading_what_they_skip_and_answer_as_reading_would() {
        let (_t, dd) = many(120);
        let owner = Filter {
            owner: Some("O1".into()),
            ..Filter::default()
        };
        let kind = Filter {
            types: vec!["policy_upserted".into()],
            ..Filter::default()
        };
        let both = Filter {
            owner: Some("o1".into()),
            types: vec!["DECISION_CREATED".into()],
            ..Filter::default()
        };
        for f in [Filter::default(), owner.clone(), kind, both] {
            for offset in [1, 2, 7, 39, 40, 41, 119, 120, 121, 500] {
                let p = dd.audit_page(&f, offset, 10).unwrap();
                let want = by_reading(&dd, &f, offset, 10);
                assert_eq!(seqs(&p), want, "{f:?} offset {offset}");
                assert_eq!(p.more, by_reading(&dd, &f, offset, 11).len() > 10);
            }
        }
        // Found by arithmetic (everything) or by counting the owner's index file.
        assert_eq!(
            dd.audit_seq_at_offset(&Filter::default(), 5).unwrap(),
            Some(Some(115))
        );
        assert_eq!(
            dd.audit_seq_at_offset(&Filter::default(), 120).unwrap(),
            Some(None)
        );
        let newest_o1 = by_reading(&dd, &owner, 3, 1)[0];
        assert_eq!(
            dd.audit_seq_at_offset(&owner, 3).unwrap(),
            Some(Some(newest_o1))
        );
    }

    #[test]
    fn pages_after_a_seq_are_the_nearest_newer_events_newest_first() {
        let (_t, dd) = many(60);
        let owner = Filter {
            owner: Some("o2".into()),
            ..Filter::default()
        };
        // Unindexed (a decision filter) and indexed (owner) give what a scan gives.
        let deny = Filter {
            decision: Some("none".into()),
            ..Filter::default()
        };
        for f in [Filter::default(), owner, deny] {
            let mut all = Vec::new();
            dd.audit_scan(&f, 0, |ev| all.push(ev.seq)).unwrap();
            for after in [0, 1, 10, 30, 59, 60, 100] {
                let p = dd.audit_page_after(&f, after, 5).unwrap();
                let newer: Vec<u64> = all.iter().copied().filter(|s| *s > after).collect();
                let mut want: Vec<u64> = newer.iter().copied().take(5).collect();
                want.reverse();
                assert_eq!(seqs(&p), want, "{f:?} after {after}");
                assert_eq!(p.more, newer.len() > 5);
            }
        }
    }

    #[test]
    fn filters_and_limits() {
        let (_t, dd) = sample();
        let all = Filter::default();
        assert_eq!(seqs(&dd.audit_query(&all, 0).unwrap()), [1, 2, 3, 4, 5]);
        assert_eq!(seqs(&dd.audit_query(&all, 2).unwrap()), [4, 5]);
        let f = Filter {
            types: vec!["decision_created".into()],
            ..Filter::default()
        };
        assert_eq!(seqs(&dd.audit_query(&f, 0).unwrap()), [3, 4]);
        assert_eq!(seqs(&dd.audit_query(&f, 1).unwrap()), [4]);
        let f = Filter {
            agent: vec!["bot".into()],
            ..Filter::default()
        };
        assert_eq!(seqs(&dd.audit_query(&f, 0).unwrap()), [2, 3]);
        let f = Filter {
            agent: vec!["p1".into()],
            ..Filter::default()
        };
        assert_eq!(seqs(&dd.audit_query(&f, 0).unwrap()), [2]);
        let f = Filter {
            owner: Some("o1".into()),
            ..Filter::default()
        };
        assert_eq!(seqs(&dd.audit_query(&f, 0).unwrap()), [1, 2, 3]);
        let f = Filter {
            decision: Some("deny".into()),
            ..Filter::default()
        };
        assert_eq!(seqs(&dd.audit_query(&f, 10).unwrap()), [4]);
        let future = crate::timefmt::parse("2999-01-01T00:00:00Z");
        let f = Filter {
            since: future,
            ..Filter::default()
        };
        assert!(dd.audit_query(&f, 0).unwrap().events.is_empty());
        let f = Filter {
            until: future,
            ..Filter::default()
        };
        assert_eq!(dd.audit_query(&f, 0).unwrap().events.len(), 5);
    }

    #[test]
    fn pages_go_backwards_from_the_newest() {
        let (_t, dd) = sample();
        let all = Filter::default();
        let p = dd.audit_page(&all, 0, 2).unwrap();
        assert_eq!((seqs(&p), p.more), (vec![5, 4], true));
        let p = dd.audit_page(&all, 2, 2).unwrap();
        assert_eq!((seqs(&p), p.more), (vec![3, 2], true));
        let p = dd.audit_page(&all, 4, 2).unwrap();
        assert_eq!((seqs(&p), p.more), (vec![1], false));
        let p = dd.audit_page(&all, 9, 2).unwrap();
        assert!(p.events.is_empty() && !p.more);
        let f = Filter {
            owner: Some("o1".into()),
            ..Filter::default()
        };
        let p = dd.audit_page(&f, 1, 0).unwrap();
        assert_eq!((seqs(&p), p.more), (vec![2, 1], false));
    }

    #[test]
    fn keyset_pages_return_every_event_once_while_the_log_grows() {
        let (_t, dd) = sample();
        let all = Filter::default();
        let first = dd.audit_page(&all, 0, 2).unwrap();
        assert_eq!(seqs(&first), [5, 4]);
        let mut seen = seqs(&first);
        let mut before = first.events.last().unwrap().seq;
        let mut grown = 0;
        loop {
            // The log grows between pages: an offset cursor would shift, a keyset one does not.
            dd.append_audit(vec![NewEvent::new("LATER", json!({"i": grown}))])
                .unwrap();
            grown += 1;
            let p = dd.audit_page_before(&all, before, 2).unwrap();
            seen.extend(seqs(&p));
            if !p.more {
                break;
            }
            before = p.events.last().unwrap().seq;
        }
        assert_eq!(seen, [5, 4, 3, 2, 1]);
        let f = Filter {
            owner: Some("o1".into()),
            ..Filter::default()
        };
        let p = dd.audit_page_before(&f, 3, 0).unwrap();
        assert_eq!((seqs(&p), p.more), (vec![2, 1], false));
        // A cursor past the end reads from the end.
        let p = dd.audit_page_before(&all, 1_000, 1).unwrap();
        assert_eq!((seqs(&p), p.more), (vec![5 + grown], true));
    }

    #[test]
    fn find_by_seq_and_event_id_and_skip_junk() {
        let (_t, dd) = sample();
        let third = dd.audit_find("3").unwrap();
        assert_eq!(third.event_type, "DECISION_CREATED");
        let again = dd.audit_find(&third.event_id.to_uppercase()).unwrap();
        assert_eq!(again, third);
        assert_eq!(dd.audit_find("99").unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(
            dd.audit_find("../x").unwrap_err().code,
            ErrorCode::InvalidId
        );
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dd.audit_log_path())
            .unwrap();
        std::io::Write::write_all(&mut f, b"junk\n{\"seq\":6,\"torn").unwrap();
        let page = dd.audit_query(&Filter::default(), 3).unwrap();
        assert_eq!((seqs(&page), page.malformed), (vec![3, 4, 5], 1));
    }

    #[test]
    fn follow_sees_appended_events() {
        let (_t, dd) = sample();
        let page = dd.audit_query(&Filter::default(), 1).unwrap();
        let writer = dd.clone();
        let handle = std::thread::spawn(move || {
            for i in 0..3 {
                std::thread::sleep(Duration::from_millis(5));
                writer
                    .append_audit(vec![NewEvent::new("LATER", json!({"i": i}))])
                    .unwrap();
            }
        });
        let mut seen = Vec::new();
        let f = Filter {
            types: vec!["LATER".into()],
            ..Filter::default()
        };
        dd.audit_follow(&f, page.end_offset, Duration::from_millis(2), |ev| {
            seen.push(ev.seq);
            seen.len() < 3
        })
        .unwrap();
        handle.join().unwrap();
        assert_eq!(seen, [6, 7, 8]);
    }
}
