//! Finding a seq in the log in O(log n) reads: the log is append-only with seq increasing line
//! by line, so the log itself is the sorted seq → byte-offset index. A bisection over byte
//! offsets reads one line per step; there is no separate index file to rebuild, verify or
//! distrust. Every answer is checked against the line found, and a log that is not in seq order
//! (edited by hand) falls back to a scan, so the result is never wrong, only slower.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// How many bytes a probe reads at a time while looking for the end of a line.
const PROBE: usize = 4096;
/// Lines a probe may skip (not events) before it gives up on its half.
const MAX_SKIP: usize = 64;

/// The first line starting at or after byte `pos` (and before `end`) that carries a seq:
/// `(line_start, seq, next_line_start)`.
fn seq_line_from(file: &File, pos: u64, end: u64) -> io::Result<Option<(u64, u64, u64)>> {
    let mut start = if pos == 0 {
        0
    } else {
        // The line containing byte pos-1 ends at the first newline at or after pos-1.
        match next_newline(file, pos - 1, end)? {
            Some(nl) => nl + 1,
            None => return Ok(None),
        }
    };
    for _ in 0..MAX_SKIP {
        if start >= end {
            return Ok(None);
        }
        let Some(nl) = next_newline(file, start, end)? else {
            return Ok(None);
        };
        let mut head = vec![0u8; ((nl - start) as usize).min(64)];
        file.read_exact_at(&mut head, start)?;
        // `parse_raw` wants the whole line; the seq is in its first bytes, so read them alone.
        if let Some(seq) = leading_seq(&head) {
            return Ok(Some((start, seq, nl + 1)));
        }
        start = nl + 1;
    }
    Ok(None)
}

/// The seq at the start of a line (`{"seq":N,`, the layout openleash writes), from its first
/// bytes.
fn leading_seq(head: &[u8]) -> Option<u64> {
    let rest = head.strip_prefix(b"{\"seq\":")?;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 19 || rest.get(digits) != Some(&b',') {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// Offset of the first `\n` at or after `from` (before `end`).
fn next_newline(file: &File, from: u64, end: u64) -> io::Result<Option<u64>> {
    let mut buf = [0u8; PROBE];
    let mut at = from;
    while at < end {
        let want = ((end - at) as usize).min(PROBE);
        let n = file.read_at(&mut buf[..want], at)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(Some(at + i as u64));
        }
        at += n as u64;
    }
    Ok(None)
}

/// Where the first line with seq ≥ `target` starts, in complete lines before `end` (`end` when
/// every seq is smaller). `None` when the log is not in seq order around the answer: the caller
/// then scans.
pub fn lower_bound(file: &File, end: u64, target: u64) -> io::Result<Option<u64>> {
    let (mut lo, mut hi) = (0u64, end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match seq_line_from(file, mid, end)? {
            Some((start, seq, next)) if start < hi && seq < target => lo = next,
            _ => hi = mid,
        }
    }
    // Check the answer against the lines around it: the one found has seq ≥ target and the
    // one before it (if any) seq < target.
    // (Lines that are not events may lie between `lo` and the answer.)
    let lo = match seq_line_from(file, lo, end)? {
        Some((start, seq, _)) if seq >= target => start,
        Some(_) => return Ok(None),
        None => return Ok(Some(end)),
    };
    // The nearest earlier line that is an event (lines that are not are skipped).
    let mut at = lo;
    for _ in 0..MAX_SKIP {
        if at == 0 {
            return Ok(Some(lo));
        }
        at = previous_line_start(file, at)?;
        let nl = next_newline(file, at, lo)?.unwrap_or(lo);
        let mut head = vec![0u8; ((nl - at) as usize).min(64)];
        file.read_exact_at(&mut head, at)?;
        match leading_seq(&head) {
            Some(seq) if seq < target => return Ok(Some(lo)),
            Some(_) => return Ok(None),
            None => continue,
        }
    }
    Ok(None)
}

/// Start of the line that ends just before `line_start` (which follows a `\n`).
fn previous_line_start(file: &File, line_start: u64) -> io::Result<u64> {
    let mut buf = [0u8; PROBE];
    // Skip the `\n` that ends the previous line.
    let mut end = line_start.saturating_sub(1);
    while end > 0 {
        let from = end.saturating_sub(PROBE as u64);
        let n = (end - from) as usize;
        file.read_exact_at(&mut buf[..n], from)?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return Ok(from + i as u64 + 1);
        }
        end = from;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn log(seqs: &[u64], junk_after: Option<u64>) -> (tempfile::NamedTempFile, u64) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        for s in seqs {
            writeln!(
                f,
                "{{\"seq\":{s},\"pad\":\"{}\"}}",
                "x".repeat((*s % 7) as usize * 300)
            )
            .unwrap();
            if junk_after == Some(*s) {
                writeln!(f, "not an event").unwrap();
            }
        }
        let len = f.as_file().metadata().unwrap().len();
        (f, len)
    }

    fn seq_at(f: &File, off: u64, end: u64) -> Option<u64> {
        seq_line_from(f, off, end).unwrap().map(|(s, q, _)| {
            assert_eq!(s, off);
            q
        })
    }

    #[test]
    fn finds_every_seq_and_the_end() {
        let seqs: Vec<u64> = (1..=500).collect();
        let (f, end) = log(&seqs, Some(250));
        for s in &seqs {
            let off = lower_bound(f.as_file(), end, *s)
                .unwrap()
                .unwrap_or_else(|| panic!("seq {s} not found"));
            assert_eq!(seq_at(f.as_file(), off, end), Some(*s), "seq {s}");
        }
        assert_eq!(lower_bound(f.as_file(), end, 501).unwrap(), Some(end));
        assert_eq!(lower_bound(f.as_file(), end, 0).unwrap(), Some(0));
    }

    #[test]
    fn a_log_out_of_order_is_refused_not_misread() {
        let (f, end) = log(&[1, 2, 3, 9, 4, 5, 6], None);
        let r = lower_bound(f.as_file(), end, 4).unwrap();
        // Either refused, or a line with seq ≥ 4 right after one < 4: callers check equality.
        if let Some(off) = r {
            assert!(seq_at(f.as_file(), off, end).unwrap() >= 4);
        }
    }
}
