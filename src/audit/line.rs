//! The byte layout of one audit line (SPEC §10) and the fast, allocation-free parser `audit
//! verify` runs on every line.
//!
//! A line is the compact JSON object
//! `{"seq":…,"event_id":…,"timestamp":…,"event_type":…,"principal_id":…,"action_id":…,"decision_id":…,"metadata_json":…,"prev_hash":"<64 hex>","hash":"<64 hex>"}`
//! followed by `\n`. `hash` is the lowercase hex SHA-256 of the bytes before `,"hash":"`.
//! Because `hash` is always the last member and has a fixed length, the verifier finds it (and
//! `prev_hash` just before it) at fixed offsets from the end of the line: a `,"hash":"` inside
//! `metadata_json` (a nested key) can never be mistaken for it.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::Write as _;

/// `prev_hash` of seq 1.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const SEQ_MARK: &[u8] = b"{\"seq\":";
const PREV_MARK: &[u8] = b",\"prev_hash\":\"";
const HASH_MARK: &[u8] = b",\"hash\":\"";
/// `,"hash":"` + 64 hex + `"}`.
const HASH_SUFFIX_LEN: usize = HASH_MARK.len() + 64 + 2;
/// `,"prev_hash":"` + 64 hex + `"`.
const PREV_SUFFIX_LEN: usize = PREV_MARK.len() + 64 + 1;

/// Everything of a line but `hash`, in the order of SPEC §10. Serialising it and dropping the
/// closing brace gives exactly the hashed prefix.
///
/// The tests' reference for [`Prepared::encode`].
#[cfg(test)]
#[derive(Serialize)]
pub(crate) struct Body<'a> {
    pub seq: u64,
    pub event_id: &'a str,
    pub timestamp: &'a str,
    pub event_type: &'a str,
    pub principal_id: Option<&'a str>,
    pub action_id: Option<&'a str>,
    pub decision_id: Option<&'a str>,
    pub metadata_json: &'a Value,
    pub prev_hash: &'a str,
}

/// Appends the full line (with `\n`) for `body` to `out` and returns its hash.
#[cfg(test)]
pub(crate) fn encode(body: &Body<'_>, out: &mut Vec<u8>) -> crate::Result<String> {
    let start = out.len();
    serde_json::to_writer(&mut *out, body)
        .map_err(|e| crate::Error::internal(format!("cannot serialise an audit event: {e}")))?;
    // The serialiser always ends an object with `}`; the hash covers what comes before it.
    if out.pop() != Some(b'}') {
        return Err(crate::Error::internal(
            "audit event did not serialise to a JSON object",
        ));
    }
    let hash = sha256_hex(&out[start..]);
    out.extend_from_slice(HASH_MARK);
    out.extend_from_slice(hash.as_bytes());
    out.extend_from_slice(b"\"}\n");
    Ok(hash)
}

/// Appends the line of `ev` as event `seq` after `prev` to `out` (a fresh event id and the
/// current time) and returns the event as written: the one way every appender, the file log's
/// and the database's, turns a new event into its chained line.
pub(crate) fn encode_new(
    seq: u64,
    prev: &str,
    ev: super::NewEvent,
    out: &mut Vec<u8>,
) -> crate::Result<super::AuditEvent> {
    Ok(Prepared::new(ev)?.encode(seq, prev, out))
}

/// The members of a line between `timestamp` and `prev_hash`, in line order.
#[derive(Serialize)]
struct Middle<'a> {
    event_type: &'a str,
    principal_id: Option<&'a str>,
    action_id: Option<&'a str>,
    decision_id: Option<&'a str>,
    metadata_json: &'a Value,
}

/// An event serialised ahead of its place in the chain: all of its line but `seq`,
/// `timestamp`, `prev_hash` and `hash`. Serialising the metadata is most of the cost of a line;
/// done by each request's own thread, it leaves a group committer only the chain-dependent
/// splice and the hash, so a batch waits less for the one thread that encodes it.
pub(crate) struct Prepared {
    event: super::NewEvent,
    event_id: String,
    /// The [`Middle`] object, `{"event_type":…,"metadata_json":{…}}`; the line takes it without
    /// its braces.
    middle: Vec<u8>,
}

impl Prepared {
    /// Serialises `ev` under a fresh event id.
    pub(crate) fn new(mut ev: super::NewEvent) -> crate::Result<Prepared> {
        if ev.metadata.is_null() {
            ev.metadata = serde_json::json!({});
        }
        let middle = serde_json::to_vec(&Middle {
            event_type: &ev.event_type,
            principal_id: ev.principal_id.as_deref(),
            action_id: ev.action_id.as_deref(),
            decision_id: ev.decision_id.as_deref(),
            metadata_json: &ev.metadata,
        })
        .map_err(|e| crate::Error::internal(format!("cannot serialise an audit event: {e}")))?;
        Ok(Prepared {
            event: ev,
            event_id: crate::ids::new_id(),
            middle,
        })
    }

    /// Appends the line as event `seq` after `prev`, stamped with the current time, to `out`
    /// (with its `\n`) and returns the event as written: the same bytes as serialising the whole
    /// line at once (tested against the whole-body encoder), since each string member goes
    /// through the same serialiser.
    pub(crate) fn encode(self, seq: u64, prev: &str, out: &mut Vec<u8>) -> super::AuditEvent {
        let timestamp = crate::timefmt::now_string();
        let start = out.len();
        out.extend_from_slice(SEQ_MARK);
        // Writing into a `Vec` cannot fail.
        let _ = write!(out, "{seq}");
        out.extend_from_slice(b",\"event_id\":");
        json_string(out, &self.event_id);
        out.extend_from_slice(b",\"timestamp\":");
        json_string(out, &timestamp);
        out.push(b',');
        // `{…}` → `…`: a struct always serialises to an object.
        out.extend_from_slice(&self.middle[1..self.middle.len() - 1]);
        out.extend_from_slice(b",\"prev_hash\":");
        json_string(out, prev);
        let hash = sha256_hex(&out[start..]);
        out.extend_from_slice(HASH_MARK);
        out.extend_from_slice(hash.as_bytes());
        out.extend_from_slice(b"\"}\n");
        let ev = self.event;
        super::AuditEvent {
            seq,
            event_id: self.event_id,
            timestamp,
            event_type: ev.event_type,
            principal_id: ev.principal_id,
            action_id: ev.action_id,
            decision_id: ev.decision_id,
            metadata_json: ev.metadata,
            prev_hash: prev.to_string(),
            hash,
        }
    }
}

/// `s` as a JSON string, escaped exactly as serde_json escapes it.
fn json_string(out: &mut Vec<u8>, s: &str) {
    // Writing a `str` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The parts of a line the chain check needs, borrowed from the line.
#[derive(Debug, Clone, Copy)]
pub struct RawLine<'a> {
    pub seq: u64,
    /// The hashed bytes: the line up to (excluding) `,"hash":"`.
    pub prefix: &'a [u8],
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
}

impl RawLine<'_> {
    /// True when `hash` is the lowercase hex SHA-256 of `prefix`.
    pub fn hash_matches(&self) -> bool {
        let digest = Sha256::digest(self.prefix);
        let mut hexed = [0u8; 64];
        // Encoding into a stack buffer keeps the per-line cost at one hash and one compare.
        if hex::encode_to_slice(digest, &mut hexed).is_err() {
            return false;
        }
        hexed[..] == *self.hash
    }

    pub fn computed_hash(&self) -> String {
        sha256_hex(self.prefix)
    }
}

fn is_lower_hex(b: &[u8]) -> bool {
    b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// Parses a line (without its `\n`) written in the layout above; `Err` says what is off, as a
/// verb phrase that reads after "it" ("it has no seq number …").
pub fn parse_raw(line: &[u8]) -> Result<RawLine<'_>, &'static str> {
    let rest = line
        .strip_prefix(SEQ_MARK)
        .ok_or("does not start with {\"seq\":")?;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 19 || rest.get(digits) != Some(&b',') {
        return Err("has no seq number right after {\"seq\": (the layout openleash writes)");
    }
    let seq = rest[..digits]
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    let n = line.len();
    if n < SEQ_MARK.len() + digits + PREV_SUFFIX_LEN + HASH_SUFFIX_LEN || !line.ends_with(b"\"}") {
        return Err("does not end with the hash field");
    }
    let hash_mark_at = n - HASH_SUFFIX_LEN;
    if &line[hash_mark_at..hash_mark_at + HASH_MARK.len()] != HASH_MARK {
        return Err("does not end with the hash field");
    }
    let hash = &line[hash_mark_at + HASH_MARK.len()..n - 2];
    let prev_mark_at = hash_mark_at - PREV_SUFFIX_LEN;
    if &line[prev_mark_at..prev_mark_at + PREV_MARK.len()] != PREV_MARK
        || line[hash_mark_at - 1] != b'"'
    {
        return Err("has no prev_hash field just before the hash");
    }
    let prev_hash = &line[prev_mark_at + PREV_MARK.len()..hash_mark_at - 1];
    if !is_lower_hex(hash) || !is_lower_hex(prev_hash) {
        return Err("has a hash or prev_hash that is not 64 lowercase hex digits");
    }
    Ok(RawLine {
        seq,
        prefix: &line[..hash_mark_at],
        prev_hash,
        hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(seq: u64, meta: &Value, prev: &str) -> (Vec<u8>, String) {
        let mut out = Vec::new();
        let h = encode(
            &Body {
                seq,
                event_id: "e",
                timestamp: "2024-01-15T10:30:00.000Z",
                event_type: "T",
                principal_id: None,
                action_id: Some("a"),
                decision_id: None,
                metadata_json: meta,
                prev_hash: prev,
            },
            &mut out,
        )
        .unwrap();
        (out, h)
    }

    #[test]
    fn a_prepared_event_encodes_to_the_bytes_of_the_whole_body() {
        let events = [
            crate::audit::NewEvent::new("T", Value::Null),
            crate::audit::NewEvent {
                event_type: "DECISION_CREATED".into(),
                principal_id: Some("p-\"quoted\"\\".into()),
                action_id: None,
                decision_id: Some("d\u{1}\n".into()),
                metadata: json!({"z": [1, 2.5, null, true], "a": {"é": "\u{2028}</script>"}, "k": "tab\t"}),
            },
        ];
        for (i, ev) in events.into_iter().enumerate() {
            for prev in [GENESIS_HASH, "odd \"prev\" \\"] {
                let mut spliced = b"earlier bytes".to_vec();
                let written =
                    Prepared::new(ev.clone())
                        .unwrap()
                        .encode(7 + i as u64, prev, &mut spliced);
                let mut whole = b"earlier bytes".to_vec();
                let hash = encode(
                    &Body {
                        seq: written.seq,
                        event_id: &written.event_id,
                        timestamp: &written.timestamp,
                        event_type: &written.event_type,
                        principal_id: written.principal_id.as_deref(),
                        action_id: written.action_id.as_deref(),
                        decision_id: written.decision_id.as_deref(),
                        metadata_json: &written.metadata_json,
                        prev_hash: prev,
                    },
                    &mut whole,
                )
                .unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&spliced),
                    String::from_utf8_lossy(&whole)
                );
                assert_eq!(written.hash, hash);
                assert_eq!(written.prev_hash, prev);
            }
        }
    }

    #[test]
    fn layout_and_hash_are_exact() {
        let (l, h) = line(1, &json!({"b":1,"a":"x"}), GENESIS_HASH);
        let text = String::from_utf8(l.clone()).unwrap();
        let prefix = format!(
            "{{\"seq\":1,\"event_id\":\"e\",\"timestamp\":\"2024-01-15T10:30:00.000Z\",\"event_type\":\"T\",\"principal_id\":null,\"action_id\":\"a\",\"decision_id\":null,\"metadata_json\":{{\"b\":1,\"a\":\"x\"}},\"prev_hash\":\"{GENESIS_HASH}\""
        );
        assert_eq!(h, sha256_hex(prefix.as_bytes()));
        assert_eq!(text, format!("{prefix},\"hash\":\"{h}\"}}\n"));
        let raw = parse_raw(&l[..l.len() - 1]).unwrap();
        assert_eq!(raw.seq, 1);
        assert_eq!(raw.prefix, prefix.as_bytes());
        assert_eq!(raw.hash, h.as_bytes());
        assert_eq!(raw.prev_hash, GENESIS_HASH.as_bytes());
        assert!(raw.hash_matches());
    }

    #[test]
    fn a_hash_key_inside_metadata_is_not_the_hash_field() {
        let meta = json!({"x": {"a": 1, "hash": "ffff", "prev_hash": "00"}});
        let (l, h) = line(42, &meta, &"ab".repeat(32));
        let raw = parse_raw(&l[..l.len() - 1]).unwrap();
        assert_eq!((raw.seq, raw.hash), (42, h.as_bytes()));
        assert!(raw.hash_matches());
        let parsed: Value = serde_json::from_slice(&l).unwrap();
        assert_eq!(parsed["metadata_json"], meta);
    }

    #[test]
    fn malformed_lines_are_rejected() {
        let (l, _) = line(7, &json!({}), GENESIS_HASH);
        let good = &l[..l.len() - 1];
        assert!(parse_raw(good).is_ok());
        for bad in [
            &b""[..],
            b"hello",
            b"{\"seq\":x}",
            &good[1..],
            &good[..good.len() - 1],
            &good[..good.len() - 3],
        ] {
            assert!(parse_raw(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let upper = String::from_utf8(good.to_vec()).unwrap().replace(
            &format!("\"prev_hash\":\"{GENESIS_HASH}\""),
            &format!("\"prev_hash\":\"{}\"", "A".repeat(64)),
        );
        assert!(parse_raw(upper.as_bytes()).is_err());
        let mut edited = good.to_vec();
        edited[20] ^= 1;
        assert!(!parse_raw(&edited).unwrap().hash_matches());
    }
}
