//! `audit.head`: the signed statement "the log ends at `seq` with `hash`".
//!
//! File (one JSON object, replaced atomically after every commit):
//! `{"seq":N,"hash":"<hex>","kid":"<kid>","signature":"<b64>","timestamp":"<RFC 3339 ms>"}`,
//! plus `"unsealed":[{"from_seq":A,"to_seq":B,"anchor_hash":"<hex>"},…]` when the chain contains
//! lines that no head vouched for when they were written (see [`super::commit`]).
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
        Ok(match serde_json::from_slice::<Head>(&bytes) {
            Ok(h) => HeadFile::Present(h, bytes),
            Err(e) => HeadFile::Unreadable(e.to_string()),
        })
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
