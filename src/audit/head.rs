//! `audit.head`: the signed statement "the log ends at `seq` with `hash`".
//!
//! A head is one JSON object:
//! `{"seq":N,"hash":"<hex>","kid":"<kid>","signature":"<b64>","timestamp":"<RFC 3339 ms>"}`,
//! plus `"unsealed":[{"from_seq":A,"to_seq":B,"anchor_hash":"<hex>"},…]` when the chain contains
//! lines that no head vouched for when they were written (see [`super::commit`]).
//!
//! **File layout: two slots.** The file is two equal slots (4 KiB each for heads written without
//! lines, [`CARRY_SLOT_BYTES`] once the server carries lines, larger only if a head needs it);
//! each holds one head as a JSON line followed by a line with the SHA-256 (hex) of that JSON,
//! padded with spaces and ending in `\n`, or only padding. A slot whose checksum does not match is
//! a torn write and is ignored. The current head is the readable one with the highest `seq`. A
//! commit overwrites the *other* slot in place and syncs it once (`fdatasync`), instead of the
//! three syncs of write-temp/fsync/rename/fsync-dir: whichever way a crash tears that write, the
//! slot that was current stays intact, so the file always holds the previous head or the new one —
//! the same outcomes as an atomic replacement. A head whose `seq` is not above the current one (a
//! seal that accepts a truncation) replaces the whole file atomically instead. A file holding a
//! single JSON object (earlier versions, or a head written by hand) is read as that one head.
//!
//! **Carried lines.** A slot may also carry the log's most recent lines, the ones not yet known
//! to be durable in the log itself: after the head's JSON line comes a frame line
//! `{"log_offset":O,"bytes":N}`, then the N bytes that the log holds (or will hold after a crash
//! is repaired) from byte offset O, then the checksum line, here the SHA-256 of the head line,
//! the frame line and the N bytes. The slot is then the one thing a commit must make durable:
//! one `fdatasync` of the head file covers the head *and* its lines, and the log is synced only
//! every so often (see [`super::commit`]). If a crash loses the log's unsynced end, the next
//! writer (or `openleash audit repair`) writes the carried bytes back at their offset; they end
//! in the line the head signs, so nothing unsigned can enter that way.
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

/// The slot size of a head file written by a committer that carries lines: room for the head and
/// about 15 decisions' worth of lines.
pub const CARRY_SLOT_BYTES: usize = 64 * 1024;

/// Log bytes a slot carries (module docs): `bytes` stand in the log from `log_offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Carried<B> {
    pub log_offset: u64,
    pub bytes: B,
}

#[derive(Serialize, Deserialize)]
struct Frame {
    log_offset: u64,
    bytes: usize,
}

/// The slot size of a two-slot head file of `len` bytes; `None` for any other file.
pub(crate) fn slot_len(len: u64) -> Option<usize> {
    let two = 2 * HEAD_SLOT_BYTES as u64;
    (len >= two && len.is_multiple_of(two)).then_some((len / 2) as usize)
}

/// Bytes a slot needs besides the head's JSON line: the checksum line and the final `\n`.
const SLOT_OVERHEAD: usize = 64 + 1 + 1;

/// Bytes the frame line of a carrying slot takes at most.
const FRAME_MAX: usize = 64;

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

/// A slot that carries log bytes (module docs). Not padded: only these bytes are written, and a
/// reader stops at the checksum line, so what an earlier, longer slot left behind is never read.
pub(crate) fn encode_carrying_slot(json: &[u8], carried: &Carried<&[u8]>) -> Result<Vec<u8>> {
    let frame = serde_json::to_vec(&Frame {
        log_offset: carried.log_offset,
        bytes: carried.bytes.len(),
    })
    .map_err(|e| crate::Error::internal(format!("cannot serialise a head frame: {e}")))?;
    let mut slot = Vec::with_capacity(json.len() + frame.len() + carried.bytes.len() + 66);
    slot.extend_from_slice(json);
    slot.extend_from_slice(&frame);
    slot.push(b'\n');
    slot.extend_from_slice(carried.bytes);
    let checksum = crate::crypto::sha256_hex(&slot);
    slot.extend_from_slice(checksum.as_bytes());
    slot.push(b'\n');
    Ok(slot)
}

/// Whether a head of `json_len` bytes fits a slot of `slot_len` bytes.
pub(crate) fn fits_slot(json_len: usize, slot_len: usize) -> bool {
    json_len + SLOT_OVERHEAD <= slot_len
}

/// Whether a head of `json_len` bytes and `carried_len` carried bytes fit a slot.
pub(crate) fn fits_carrying_slot(json_len: usize, carried_len: usize, slot_len: usize) -> bool {
    json_len + FRAME_MAX + carried_len + SLOT_OVERHEAD <= slot_len
}

/// The slot size a head of `json_len` bytes needs.
pub(crate) fn slot_len_for(json_len: usize) -> usize {
    (json_len + SLOT_OVERHEAD).div_ceil(HEAD_SLOT_BYTES) * HEAD_SLOT_BYTES
}

/// What one slot holds.
struct Slot<'a> {
    head: Head,
    /// The head's JSON line, `\n` included.
    json: Vec<u8>,
    carried: Option<Carried<&'a [u8]>>,
}

const TORN: &str = "its checksum does not match (a torn write)";

/// The head in one slot; `Err("empty")` for a slot of padding only.
fn parse_slot(slot: &[u8]) -> std::result::Result<Slot<'_>, String> {
    let json_end = slot.iter().position(|&b| b == b'\n').unwrap_or(slot.len());
    let json = slot[..json_end].trim_ascii();
    if json.is_empty() {
        return Err("empty".into());
    }
    let rest = slot.get(json_end + 1..).unwrap_or_default();
    let second_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let second = &rest[..second_end];
    let carried = if second.first() == Some(&b'{') {
        // A carrying slot: frame line, the bytes, then the checksum of everything before it.
        let frame: Frame = serde_json::from_slice(second).map_err(|_| TORN.to_string())?;
        let body_start = json_end + 1 + second_end + 1;
        let body_end = body_start
            .checked_add(frame.bytes)
            .filter(|&end| end <= slot.len())
            .ok_or_else(|| TORN.to_string())?;
        let after = &slot[body_end..];
        let checksum = after.split(|&b| b == b'\n').next().unwrap_or_default();
        if checksum != crate::crypto::sha256_hex(&slot[..body_end]).as_bytes() {
            return Err(TORN.into());
        }
        Some(Carried {
            log_offset: frame.log_offset,
            bytes: &slot[body_start..body_end],
        })
    } else {
        if second.trim_ascii() != crate::crypto::sha256_hex(json).as_bytes() {
            return Err(TORN.into());
        }
        None
    };
    let mut bytes = json.to_vec();
    bytes.push(b'\n');
    serde_json::from_slice::<Head>(json)
        .map(|head| Slot {
            head,
            json: bytes,
            carried,
        })
        .map_err(|e| e.to_string())
}

/// The newest readable slot of a two-slot file's bytes and its index, or why there is none.
fn newest_slot(bytes: &[u8], len: usize) -> std::result::Result<(Slot<'_>, usize), String> {
    let mut newest: Option<(Slot, usize)> = None;
    let mut first_problem = None;
    for (i, chunk) in bytes.chunks(len).enumerate() {
        match parse_slot(chunk) {
            Ok(slot) => {
                if newest
                    .as_ref()
                    .is_none_or(|(n, _)| slot.head.seq > n.head.seq)
                {
                    newest = Some((slot, i));
                }
            }
            Err(why) if why != "empty" => {
                first_problem.get_or_insert(format!("slot {}: {why}", i + 1));
            }
            Err(_) => {}
        }
    }
    newest.ok_or_else(|| first_problem.unwrap_or_else(|| "neither slot holds a head".into()))
}

/// The log bytes the current head of a head file carries, if it carries any.
pub(crate) fn carried_by_current(bytes: &[u8]) -> Option<(Head, Carried<Vec<u8>>)> {
    let (slot, _) = newest_slot(bytes, slot_len(bytes.len() as u64)?).ok()?;
    let carried = slot.carried?;
    Some((
        slot.head,
        Carried {
            log_offset: carried.log_offset,
            bytes: carried.bytes.to_vec(),
        },
    ))
}

/// The bytes of a two-slot head file without the heads beyond `seq` (their slots blanked), or
/// `None` when it has none. What is left of a head whose write failed must not become current:
/// it may vouch for (and carry) lines that were cut from the log again.
pub(crate) fn without_heads_beyond(bytes: &[u8], seq: u64) -> Option<Vec<u8>> {
    let len = slot_len(bytes.len() as u64)?;
    let beyond = |chunk: &[u8]| parse_slot(chunk).is_ok_and(|s| s.head.seq > seq);
    if !bytes.chunks(len).any(beyond) {
        return None;
    }
    Some(
        bytes
            .chunks(len)
            .flat_map(|chunk| {
                if beyond(chunk) {
                    encode_slot(b"", len)
                } else {
                    chunk.to_vec()
                }
            })
            .collect(),
    )
}

/// The current head of a head file's bytes and the index of its slot (0 for a one-object file).
pub(crate) fn parse_head_file(bytes: &[u8]) -> (HeadFile, Option<usize>) {
    let whole = serde_json::from_slice::<Head>(bytes);
    if let Some(len) = slot_len(bytes.len() as u64) {
        let first_problem = match newest_slot(bytes, len) {
            Ok((slot, i)) => return (HeadFile::Present(slot.head, slot.json), Some(i)),
            Err(why) => why,
        };
        if whole.is_err() {
            return (HeadFile::Unreadable(first_problem), None);
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
    fn a_carrying_slot_reads_back_and_a_torn_one_is_ignored() {
        let key = ed25519::generate();
        let older = Head::sign(1, "ab".repeat(32), vec![], "k", &key);
        let newer = Head::sign(3, "cd".repeat(32), vec![], "k", &key);
        let lines = b"{\"seq\":2}\n{\"seq\":3}\n";
        let carrying = encode_carrying_slot(
            &newer.to_bytes().unwrap(),
            &Carried {
                log_offset: 4096,
                bytes: &lines[..],
            },
        )
        .unwrap();
        let slot_len = CARRY_SLOT_BYTES;
        let mut file = encode_slot(&older.to_bytes().unwrap(), slot_len);
        let mut second = vec![b' '; slot_len];
        second[..carrying.len()].copy_from_slice(&carrying);
        file.extend_from_slice(&second);
        let (HeadFile::Present(head, _), Some(1)) = parse_head_file(&file) else {
            panic!("the carrying slot is not current")
        };
        assert_eq!(head, newer);
        let (head, carried) = carried_by_current(&file).unwrap();
        assert_eq!(head, newer);
        assert_eq!((carried.log_offset, &carried.bytes[..]), (4096, &lines[..]));

        // Any byte of the carried lines torn: the slot is ignored and the older head is current.
        let at = slot_len + carrying.len() - 70;
        file[at] ^= 1;
        let (HeadFile::Present(head, _), Some(0)) = parse_head_file(&file) else {
            panic!("the torn slot was not ignored")
        };
        assert_eq!(head, older);
        assert!(carried_by_current(&file).is_none());
    }

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
