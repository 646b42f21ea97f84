//! `audit.head`: the signed statement "the log ends at `seq` with `hash`".
//!
//! A head is one JSON object:
//! `{"seq":N,"hash":"<hex>","kid":"<kid>","signature":"<b64>","timestamp":"<RFC 3339 ms>"}`,
//! plus `"unsealed":[{"from_seq":A,"to_seq":B,"anchor_hash":"<hex>"},…]` when the chain contains
//! lines that no head vouched for when they were written (see [`super::commit`]).
//!
//! **File layout: two slots.** The file is two equal slots (4 KiB each, larger only if a head
//! needs it); each holds one head as a JSON line followed by a line with the SHA-256 (hex) of
//! that JSON, padded with spaces and ending in `\n`, or only padding. A slot whose checksum does
//! not match is a torn write and is ignored. The current head is the readable one with the highest `seq`. A commit overwrites the
//! *other* slot in place and syncs it once (`fdatasync`), instead of the three syncs of
//! write-temp/fsync/rename/fsync-dir: whichever way a crash tears that write, the slot that was
//! current stays intact, so the file always holds the previous head or the new one — the same
//! outcomes as an atomic replacement. A head whose `seq` is not above the current one (a seal that
//! accepts a truncation) replaces the whole file atomically instead. A file holding a single JSON
//! object (earlier versions, or a head written by hand) is read as that one head.
//!
//! The Ed25519 signature (standard base64, by the server key `kid`) is over these exact UTF-8
//! bytes, each line ending in `\n`:
//! ```text
//! openleash-audit-head/v1
//! seq=<decimal seq>
//! hash=<64 lowercase hex>
//! kid=<kid as stored>
//! timestamp=<timestamp as stored>
//! unsealed=<from>-<to>:<anchor_hash>,… (empty after `=` when there are none)
//! ```
//! A fixed text form rather than canonical JSON keeps third-party verification to a few lines of
//! code, and the first line separates these signatures from every other use of the key (proof
//! tokens are PASETO, whose pre-authentication encoding can never start with this text).

use crate::crypto::ed25519;
use crate::error::{ErrorCode, Result};
use crate::store::DataDir;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

pub const HEAD_DOMAIN: &str = "openleash-audit-head/v1";

/// The smallest slot; slots grow in these steps when a head carries many unsealed ranges.
pub const HEAD_SLOT_BYTES: usize = 4096;

/// The slot size of a two-slot head file of `len` bytes; `None` for any other file.
pub(crate) fn slot_len(len: u64) -> Option<usize> {
    let two = 2 * HEAD_SLOT_BYTES as u64;
    (len >= two && len.is_multiple_of(two)).then_some((len / 2) as usize)
}

/// Bytes a slot needs besides the head's JSON line: the checksum line and the final `\n`.
const SLOT_OVERHEAD: usize = 64 + 1 + 1;

/// One slot: the head's JSON line (`json` ends in `\n`), a line with the SHA-256 of that JSON,
/// space padding, a final `\n`; only padding when `json` is empty. The checksum tells a torn
/// write of the slot (ignored: the other slot is current) from a head whose signature is wrong
/// (refused). `json` must fit: `json.len() + SLOT_OVERHEAD <= slot_len`.
pub(crate) fn encode_slot(json: &[u8], slot_len: usize) -> Vec<u8> {
    let mut slot = Vec::with_capacity(slot_len);
    if !json.is_empty() {
        slot.extend_from_slice(json);
        slot.extend_from_slice(crate::crypto::sha256_hex(json.trim_ascii_end()).as_bytes());
        slot.push(b'\n');
    }
    slot.resize(slot_len - 1, b' ');
    slot.push(b'\n');
    slot
}

/// Whether a head of `json_len` bytes fits a slot of `slot_len` bytes.
pub(crate) fn fits_slot(json_len: usize, slot_len: usize) -> bool {
    json_len + SLOT_OVERHEAD <= slot_len
}

/// The slot size a head of `json_len` bytes needs.
pub(crate) fn slot_len_for(json_len: usize) -> usize {
    (json_len + SLOT_OVERHEAD).div_ceil(HEAD_SLOT_BYTES) * HEAD_SLOT_BYTES
}

/// The head in one slot and its JSON line; `Err("empty")` for a slot of padding only.
fn parse_slot(slot: &[u8]) -> std::result::Result<(Head, Vec<u8>), String> {
    let mut lines = slot.split(|&b| b == b'\n');
    let json = lines.next().unwrap_or_default().trim_ascii();
    if json.is_empty() {
        return Err("empty".into());
    }
    let checksum = lines.next().unwrap_or_default().trim_ascii();
    if checksum != crate::crypto::sha256_hex(json).as_bytes() {
        return Err("its checksum does not match (a torn write)".into());
    }
    let mut bytes = json.to_vec();
    bytes.push(b'\n');
    serde_json::from_slice::<Head>(json)
        .map(|h| (h, bytes))
        .map_err(|e| e.to_string())
}

/// The current head of a head file's bytes and the index of its slot (0 for a one-object file).
pub(crate) fn parse_head_file(bytes: &[u8]) -> (HeadFile, Option<usize>) {
    let whole = serde_json::from_slice::<Head>(bytes);
    if let Some(len) = slot_len(bytes.len() as u64) {
        let mut newest: Option<(Head, Vec<u8>, usize)> = None;
        let mut first_problem = None;
        for (i, chunk) in bytes.chunks(len).enumerate() {
            match parse_slot(chunk) {
                Ok((head, json)) => {
                    if newest.as_ref().is_none_or(|(n, _, _)| head.seq > n.seq) {
                        newest = Some((head, json, i));
                    }
                }
                Err(why) if why != "empty" => {
                    first_problem.get_or_insert(format!("slot {}: {why}", i + 1));
                }
                Err(_) => {}
            }
        }
        if let Some((head, json, i)) = newest {
            return (HeadFile::Present(head, json), Some(i));
        }
        if whole.is_err() {
            let why = first_problem.unwrap_or_else(|| "neither slot holds a head".into());
            return (HeadFile::Unreadable(why), None);
        }
    }
    match whole {
        Ok(h) => (HeadFile::Present(h, bytes.to_vec()), Some(0)),
        Err(e) => (HeadFile::Unreadable(e.to_string()), None),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
    pub kid: String,
    pub signature: String,
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsealed: Vec<UnsealedRange>,
}

/// Lines `from_seq..=to_seq` were adopted into the chain without having been vouched for by a
/// head; `anchor_hash` is the signed hash of line `from_seq - 1` at that moment (64 zeros when
/// `from_seq` is 1), so an edit of the line before the range stays detectable too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsealedRange {
    pub from_seq: u64,
    pub to_seq: u64,
    pub anchor_hash: String,
}

impl Head {
    /// The exact bytes the signature covers (module docs).
    pub fn signing_input(&self) -> Vec<u8> {
        let mut s = format!(
            "{HEAD_DOMAIN}\nseq={}\nhash={}\nkid={}\ntimestamp={}\nunsealed=",
            self.seq, self.hash, self.kid, self.timestamp
        );
        for (i, r) in self.unsealed.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(s, "{}-{}:{}", r.from_seq, r.to_seq, r.anchor_hash);
        }
        s.push('\n');
        s.into_bytes()
    }

    /// A new head for `seq`/`hash`, signed with `key`.
    pub fn sign(
        seq: u64,
        hash: String,
        unsealed: Vec<UnsealedRange>,
        kid: &str,
        key: &SigningKey,
    ) -> Head {
        let mut h = Head {
            seq,
            hash,
            kid: kid.to_string(),
            signature: String::new(),
            timestamp: crate::timefmt::now_string(),
            unsealed,
        };
        h.signature = ed25519::sign_b64(key, &h.signing_input());
        h
    }

    /// The current head in the bytes of a head file (either layout), if it has a readable one.
    pub fn current_in(file_bytes: &[u8]) -> Option<Head> {
        match parse_head_file(file_bytes).0 {
            HeadFile::Present(head, _) => Some(head),
            _ => None,
        }
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec(self)
            .map_err(|e| crate::Error::internal(format!("cannot serialise audit.head: {e}")))?;
        v.push(b'\n');
        Ok(v)
    }
}

/// What the head file says, before its signature is checked.
#[derive(Debug)]
pub enum HeadFile {
    Missing,
    Unreadable(String),
    Present(Head, Vec<u8>),
}

/// The outcome of checking a head's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigCheck {
    /// Valid; `revoked` says whether the key has since been revoked (still accepted: SPEC §10).
    Valid {
        revoked: bool,
    },
    UnknownKey,
    Invalid,
}

impl DataDir {
    pub fn audit_head_path(&self) -> std::path::PathBuf {
        self.path("audit.head")
    }

    pub fn read_audit_head(&self) -> Result<HeadFile> {
        let path = self.audit_head_path();
        let Some(bytes) = crate::store::fsio::read_optional(&path)? else {
            return Ok(HeadFile::Missing);
        };
        Ok(parse_head_file(&bytes).0)
    }

    /// Checks `head`'s signature with the data dir's key `head.kid`, revoked keys included.
    pub fn check_audit_head(&self, head: &Head) -> Result<SigCheck> {
        let key = match self.server_key(&head.kid) {
            Ok(k) => k,
            Err(e) if matches!(e.code, ErrorCode::NotFound | ErrorCode::InvalidId) => {
                return Ok(SigCheck::UnknownKey);
            }
            Err(e) => return Err(e),
        };
        let vk = key.verifying_key()?;
        Ok(
            if ed25519::verify_b64(&vk, &head.signing_input(), &head.signature) {
                SigCheck::Valid {
                    revoked: key.is_revoked(),
                }
            } else {
                SigCheck::Invalid
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_input_is_the_documented_text() {
        let key = ed25519::generate();
        let h = Head::sign(
            3,
            "ab".repeat(32),
            vec![UnsealedRange {
                from_seq: 2,
                to_seq: 3,
                anchor_hash: "cd".repeat(32),
            }],
            "00000000-0000-4000-8000-000000000001",
            &key,
        );
        let text = String::from_utf8(h.signing_input()).unwrap();
        assert_eq!(
            text,
            format!(
                "openleash-audit-head/v1\nseq=3\nhash={}\nkid=00000000-0000-4000-8000-000000000001\ntimestamp={}\nunsealed=2-3:{}\n",
                "ab".repeat(32),
                h.timestamp,
                "cd".repeat(32)
            )
        );
        assert!(ed25519::verify_b64(
            &key.verifying_key(),
            &h.signing_input(),
            &h.signature
        ));
        let json = String::from_utf8(h.to_bytes().unwrap()).unwrap();
        assert!(json.starts_with("{\"seq\":3,\"hash\":\""), "{json}");
        let mut no_ranges = h.clone();
        no_ranges.unsealed.clear();
        assert!(
            !String::from_utf8(no_ranges.to_bytes().unwrap())
                .unwrap()
                .contains("unsealed")
        );
        assert!(no_ranges.signing_input().ends_with(b"\nunsealed=\n"));
    }
}
