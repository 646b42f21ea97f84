//! Line readers over the log file: forwards in large chunks (verify, queries, `tail -f`) and
//! backwards from the end (the appender's tail read, `list --limit`, `tail -n`), so the common
//! operations never read more of a large log than they need.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

const CHUNK: usize = 1 << 20;
const BACK_CHUNK: usize = 8 << 10;

fn find_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

fn rfind_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memrchr(b'\n', bytes)
}

/// One item of a forward scan.
#[derive(Debug)]
pub enum Scanned<'a> {
    /// A complete line (without its `\n`) starting at byte `offset`.
    Line { offset: u64, line: &'a [u8] },
    /// Bytes after the last `\n`: a torn last line.
    Torn { offset: u64, bytes: &'a [u8] },
}

/// Reads `\n`-terminated lines from `reader` (positioned at file offset `offset`).
pub struct Scanner<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// File offset of `buf[start]`.
    offset: u64,
    eof: bool,
}

impl<R: Read> Scanner<R> {
    pub fn new(reader: R, offset: u64) -> Self {
        Self::for_bytes(reader, offset, CHUNK as u64)
    }

    /// A scanner for about `expected` bytes: its buffer starts no larger than needed (it grows
    /// for longer lines), so scanning a short tail does not allocate and zero a whole chunk.
    pub fn for_bytes(reader: R, offset: u64, expected: u64) -> Self {
        let len = expected.clamp(4096, CHUNK as u64) as usize;
        Scanner {
            reader,
            buf: vec![0; len],
            start: 0,
            end: 0,
            offset,
            eof: false,
        }
    }

    /// File offset just after what has been returned so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn next_line(&mut self) -> io::Result<Option<Scanned<'_>>> {
        let mut searched = 0;
        loop {
            if let Some(i) = find_newline(&self.buf[self.start + searched..self.end]) {
                let s = self.start;
                let e = s + searched + i;
                let offset = self.offset;
                self.start = e + 1;
                self.offset += (e + 1 - s) as u64;
                return Ok(Some(Scanned::Line {
                    offset,
                    line: &self.buf[s..e],
                }));
            }
            searched = self.end - self.start;
            if self.eof {
                if searched == 0 {
                    return Ok(None);
                }
                let (s, e, offset) = (self.start, self.end, self.offset);
                self.start = e;
                self.offset += (e - s) as u64;
                return Ok(Some(Scanned::Torn {
                    offset,
                    bytes: &self.buf[s..e],
                }));
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                // A line longer than the buffer: grow rather than split it.
                self.buf.resize(self.buf.len() * 2, 0);
            }
            let n = loop {
                match self.reader.read(&mut self.buf[self.end..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.eof = true;
            }
            self.end += n;
        }
    }
}

fn read_exact_at(f: &File, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    let mut r = f;
    r.seek(SeekFrom::Start(offset))?;
    r.read_exact(buf)
}

/// Offset just past the last `\n` in `f[..end]` (0 when there is none).
pub fn complete_end(f: &File, end: u64) -> io::Result<u64> {
    let mut hi = end;
    let mut buf = vec![0u8; BACK_CHUNK];
    while hi > 0 {
        let lo = hi.saturating_sub(BACK_CHUNK as u64);
        let n = (hi - lo) as usize;
        read_exact_at(f, lo, &mut buf[..n])?;
        if let Some(i) = rfind_newline(&buf[..n]) {
            return Ok(lo + i as u64 + 1);
        }
        hi = lo;
    }
    Ok(0)
}

/// Complete lines of `f[..end]` from the last to the first. `end` must be 0 or just past a `\n`.
pub struct ReverseLines<'f> {
    file: &'f File,
    /// Bytes `[buf_start, buf_start + buf.len())` of the file, not yet returned.
    buf: Vec<u8>,
    buf_start: u64,
    done: bool,
}

impl<'f> ReverseLines<'f> {
    pub fn new(file: &'f File, end: u64) -> Self {
        ReverseLines {
            file,
            buf: Vec::new(),
            // The final `\n` is a terminator, not a separator: leave it out of the region.
            buf_start: end.saturating_sub(1),
            done: end == 0,
        }
    }

    /// The previous line (without `\n`) and its offset.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Vec<u8>)>> {
        if self.done {
            return Ok(None);
        }
        loop {
            if let Some(i) = rfind_newline(&self.buf) {
                let line = self.buf.split_off(i + 1);
                self.buf.truncate(i);
                return Ok(Some((self.buf_start + i as u64 + 1, line)));
            }
            if self.buf_start == 0 {
                self.done = true;
                return Ok(Some((0, std::mem::take(&mut self.buf))));
            }
            let want = BACK_CHUNK.max(self.buf.len()) as u64;
            let lo = self.buf_start.saturating_sub(want);
            let mut chunk = vec![0u8; (self.buf_start - lo) as usize];
            read_exact_at(self.file, lo, &mut chunk)?;
            chunk.extend_from_slice(&self.buf);
            self.buf = chunk;
            self.buf_start = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> (tempfile::TempDir, File) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
        let f = File::open(&p).unwrap();
        (dir, f)
    }

    fn forward(bytes: &[u8]) -> Vec<(u64, String, bool)> {
        let mut s = Scanner::new(bytes, 0);
        s.buf = vec![0; 4]; // tiny buffer: exercises growth and compaction
        let mut out = Vec::new();
        while let Some(item) = s.next_line().unwrap() {
            out.push(match item {
                Scanned::Line { offset, line } => {
                    (offset, String::from_utf8_lossy(line).into_owned(), false)
                }
                Scanned::Torn { offset, bytes } => {
                    (offset, String::from_utf8_lossy(bytes).into_owned(), true)
                }
            });
        }
        assert_eq!(s.offset(), bytes.len() as u64);
        out
    }

    #[test]
    fn forward_scan_reports_lines_and_a_torn_end() {
        assert!(forward(b"").is_empty());
        assert_eq!(
            forward(b"a\nbcdefghij\n\nxy"),
            vec![
                (0, "a".into(), false),
                (2, "bcdefghij".into(), false),
                (12, "".into(), false),
                (13, "xy".into(), true)
            ]
        );
    }

    #[test]
    fn backward_reading_matches_forward() {
        let long = "x".repeat(BACK_CHUNK * 2 + 7);
        let text = format!("one\n{long}\nthree\n\nfive\n");
        let (_d, f) = file_with(text.as_bytes());
        assert_eq!(
            complete_end(&f, text.len() as u64).unwrap(),
            text.len() as u64
        );
        let mut r = ReverseLines::new(&f, text.len() as u64);
        let mut got = Vec::new();
        while let Some((off, l)) = r.next_line().unwrap() {
            got.push((off, String::from_utf8(l).unwrap()));
        }
        got.reverse();
        let want: Vec<(u64, String)> = forward(text.as_bytes())
            .into_iter()
            .map(|(o, l, _)| (o, l))
            .collect();
        assert_eq!(got, want);

        let torn = format!("{text}partial");
        let (_d, f) = file_with(torn.as_bytes());
        assert_eq!(
            complete_end(&f, torn.len() as u64).unwrap(),
            text.len() as u64
        );
        let (_d, f) = file_with(b"no newline at all");
        assert_eq!(complete_end(&f, 17).unwrap(), 0);
        assert!(ReverseLines::new(&f, 0).next_line().unwrap().is_none());
    }
}
