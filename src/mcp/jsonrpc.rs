//! JSON-RPC 2.0 as the MCP stdio transport carries it: one message per line (a request, a
//! notification, a response, or a batch array of them), UTF-8, no embedded newlines.
//!
//! The proxy forwards most lines byte for byte, so it only needs each message's envelope
//! (`id`, `method`, whether it is a response). [`Envelope`] reads exactly that and skips the rest
//! without building it; a repeated envelope key is an error, so a message cannot mean one thing
//! to the proxy and another to a parser that keeps the first of two `method` keys.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::io::{BufRead, Read};

/// Largest message accepted from either side (64 MiB): bounded memory for a peer that never
/// sends a newline.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// Application error codes the proxy answers with (JSON-RPC reserves -32768..-32000 for the
/// protocol; these sit in the implementation-defined server-error range and are documented).
pub const DENIED: i64 = -32001;
pub const APPROVAL_PENDING: i64 = -32002;
pub const APPROVAL_REFUSED: i64 = -32003;
pub const TOOL_CHANGED: i64 = -32004;
pub const AUTHORIZATION_FAILED: i64 = -32005;
pub const SERVER_EXITED: i64 = -32006;
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;

/// What the proxy needs to know about one message.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    #[serde(default)]
    pub id: Option<Value>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub params: Option<IgnoredAny>,
    #[serde(default)]
    pub result: Option<IgnoredAny>,
    #[serde(default)]
    pub error: Option<IgnoredAny>,
    #[serde(default)]
    pub jsonrpc: Option<IgnoredAny>,
}

impl Envelope {
    /// A request: has a method and a (non-null) id.
    pub fn is_request(&self) -> bool {
        self.method.is_some() && self.id.is_some()
    }

    /// A response: an id and no method.
    pub fn is_response(&self) -> bool {
        self.method.is_none() && self.id.is_some()
    }
}

/// One line, split into its messages.
#[derive(Debug)]
pub enum Parsed<'a> {
    Single(Envelope),
    /// A batch: each element's raw text with its envelope (or why it is not a message).
    Batch(Vec<(&'a RawValue, Result<Envelope, String>)>),
}

/// Parses one line. `Err` = not JSON, or JSON that is not a message object or array.
pub fn parse_line(line: &[u8]) -> Result<Parsed<'_>, String> {
    let first = line
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied()
        .unwrap_or(b' ');
    if first == b'[' {
        let items: Vec<&RawValue> = serde_json::from_slice(line).map_err(describe)?;
        if items.is_empty() {
            return Err("an empty batch".into());
        }
        Ok(Parsed::Batch(
            items
                .into_iter()
                .map(|raw| (raw, envelope(raw.get().as_bytes())))
                .collect(),
        ))
    } else {
        envelope(line).map(Parsed::Single)
    }
}

fn envelope(bytes: &[u8]) -> Result<Envelope, String> {
    serde_json::from_slice::<Envelope>(bytes).map_err(describe)
}

fn describe(e: serde_json::Error) -> String {
    format!("{e}")
}

/// The key under which a request id is remembered (its JSON text: `1` and `"1"` differ).
pub fn id_key(id: &Value) -> String {
    id.to_string()
}

/// An error response to request `id` (`null` when the request could not be read).
pub fn error_response(id: &Value, code: i64, message: &str, data: Option<Value>) -> Value {
    let mut error = json!({ "code": code, "message": message });
    if let Some(d) = data {
        error["data"] = d;
    }
    json!({ "jsonrpc": "2.0", "id": id, "error": error })
}

/// Outcome of reading one line.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A complete line without its `\n` (and `\r`).
    Line(Vec<u8>),
    /// A line longer than the limit; its bytes were skipped up to the next newline.
    TooLong(usize),
}

/// Reads newline-delimited frames; a message split across reads is joined, several messages in
/// one read are split, and blank lines are skipped.
pub struct LineReader<R> {
    inner: std::io::BufReader<R>,
    limit: usize,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        Self::with_limit(inner, MAX_MESSAGE_BYTES)
    }

    pub fn with_limit(inner: R, limit: usize) -> Self {
        LineReader {
            inner: std::io::BufReader::with_capacity(64 * 1024, inner),
            limit,
        }
    }

    /// The next frame, or `None` at end of input (a last line without newline still counts).
    pub fn next_frame(&mut self) -> std::io::Result<Option<Frame>> {
        loop {
            let mut buf = Vec::new();
            let n = (&mut self.inner)
                .take(self.limit as u64 + 1)
                .read_until(b'\n', &mut buf)?;
            if n == 0 {
                return Ok(None);
            }
            if buf.last() != Some(&b'\n') && buf.len() > self.limit {
                let skipped = buf.len() + self.skip_line()?;
                return Ok(Some(Frame::TooLong(skipped)));
            }
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(Frame::Line(buf)));
        }
    }

    /// Discards input up to and including the next newline; returns how many bytes.
    fn skip_line(&mut self) -> std::io::Result<usize> {
        let mut skipped = 0;
        loop {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                return Ok(skipped);
            }
            match memchr::memchr(b'\n', available) {
                Some(i) => {
                    self.inner.consume(i + 1);
                    return Ok(skipped + i + 1);
                }
                None => {
                    let len = available.len();
                    self.inner.consume(len);
                    skipped += len;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `chunk` bytes per read, like a pipe under load.
    struct Trickle {
        data: Vec<u8>,
        pos: usize,
        chunk: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    fn frames(data: &[u8], chunk: usize, limit: usize) -> Vec<Frame> {
        let mut r = LineReader::with_limit(
            Trickle {
                data: data.to_vec(),
                pos: 0,
                chunk,
            },
            limit,
        );
        let mut out = vec![];
        while let Some(f) = r.next_frame().unwrap() {
            out.push(f);
        }
        out
    }

    #[test]
    fn lines_split_across_reads_are_joined_and_blank_lines_skipped() {
        let data = b"{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}";
        for chunk in [1, 2, 3, 7, 100] {
            assert_eq!(
                frames(data, chunk, 1000),
                vec![
                    Frame::Line(b"{\"a\":1}".to_vec()),
                    Frame::Line(b"{\"b\":2}".to_vec()),
                    Frame::Line(b"{\"c\":3}".to_vec()),
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn an_overlong_line_is_skipped_and_reading_continues() {
        let mut data = vec![b'x'; 50];
        data.extend_from_slice(b"\n{\"ok\":true}\n");
        assert_eq!(
            frames(&data, 7, 20),
            vec![Frame::TooLong(51), Frame::Line(b"{\"ok\":true}".to_vec())]
        );
    }

    #[test]
    fn envelopes() {
        let Parsed::Single(e) =
            parse_line(br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":[1]}}"#)
                .unwrap()
        else {
            panic!("single expected")
        };
        assert!(e.is_request());
        assert_eq!(e.method.as_deref(), Some("tools/call"));
        assert_eq!(id_key(e.id.as_ref().unwrap()), "7");

        let Parsed::Single(e) = parse_line(br#"{"jsonrpc":"2.0","id":"7","result":{}}"#).unwrap()
        else {
            panic!("single expected")
        };
        assert!(e.is_response());
        assert_eq!(id_key(e.id.as_ref().unwrap()), "\"7\"");

        let Parsed::Single(e) =
            parse_line(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap()
        else {
            panic!("single expected")
        };
        assert!(!e.is_request() && !e.is_response());
    }

    #[test]
    fn bad_messages_are_errors() {
        for bad in [
            &b"{not json"[..],
            b"42",
            b"\"text\"",
            b"[]",
            br#"{"id":1,"method":"tools/list","method":"tools/call"}"#,
            br#"{"id":1,"method":7}"#,
        ] {
            assert!(parse_line(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn batches_keep_each_element_raw() {
        let Parsed::Batch(items) =
            parse_line(br#"[{"id":1,"method":"a"}, 5, {"method":"n"}]"#).unwrap()
        else {
            panic!("batch expected")
        };
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].0.get(), r#"{"id":1,"method":"a"}"#);
        assert!(items[0].1.as_ref().unwrap().is_request());
        assert!(items[1].1.is_err());
        assert!(!items[2].1.as_ref().unwrap().is_request());
    }

    #[test]
    fn error_responses() {
        let v = error_response(&json!(3), DENIED, "no", Some(json!({"k":1})));
        assert_eq!(
            v,
            json!({"jsonrpc":"2.0","id":3,"error":{"code":-32001,"message":"no","data":{"k":1}}})
        );
        let v = error_response(&Value::Null, PARSE_ERROR, "bad", None);
        assert_eq!(v["id"], Value::Null);
    }
}
