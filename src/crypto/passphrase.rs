//! Owner passphrases: scrypt (N=16384, r=8, p=1, 64-byte output) with a random salt, compared in
//! constant time. As upstream, the salt is base64 text and its UTF-8 bytes are the scrypt salt, so
//! hashes stay portable between implementations.

use crate::error::{Error, ErrorCode, Result};

pub const MIN_LENGTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PassphraseHash {
    pub passphrase_hash: String,
    pub passphrase_salt: String,
}

/// scrypt costs 16 MiB and tens of milliseconds per call: at most this many run at once (one per
/// core, at least two), so a burst of logins queues instead of exhausting memory and CPU.
static SLOTS: std::sync::LazyLock<(std::sync::Mutex<usize>, std::sync::Condvar)> =
    std::sync::LazyLock::new(|| (std::sync::Mutex::new(0), std::sync::Condvar::new()));

fn max_concurrent() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .max(2)
}

/// Holds one scrypt slot until dropped.
struct Slot;

impl Slot {
    fn take() -> Slot {
        let (m, cv) = &*SLOTS;
        let mut busy = m.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *busy >= max_concurrent() {
            busy = cv
                .wait(busy)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *busy += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (m, cv) = &*SLOTS;
        let mut busy = m.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *busy = busy.saturating_sub(1);
        cv.notify_one();
    }
}

fn derive(pass: &str, salt: &str) -> Result<[u8; 64]> {
    let _slot = Slot::take();
    let params = scrypt::Params::new(14, 8, 1, 64)
        .map_err(|e| Error::internal(format!("scrypt parameters: {e}")))?;
    let mut out = [0u8; 64];
    scrypt::scrypt(pass.as_bytes(), salt.as_bytes(), &params, &mut out)
        .map_err(|e| Error::internal(format!("scrypt: {e}")))?;
    Ok(out)
}

pub fn check_strength(pass: &str) -> Result<()> {
    if pass.chars().count() < MIN_LENGTH {
        return Err(Error::new(
            ErrorCode::WeakPassphrase,
            format!("Passphrase must be at least {MIN_LENGTH} characters"),
        )
        .with_hint("choose a longer passphrase"));
    }
    Ok(())
}

pub fn hash(pass: &str) -> Result<PassphraseHash> {
    check_strength(pass)?;
    let salt = super::b64(&super::random_bytes::<32>());
    let out = derive(pass, &salt)?;
    Ok(PassphraseHash {
        passphrase_hash: super::b64(&out),
        passphrase_salt: salt,
    })
}

pub fn verify(pass: &str, stored: &PassphraseHash) -> Result<bool> {
    let out = derive(pass, &stored.passphrase_salt)?;
    let expected = super::b64_decode(&stored.passphrase_hash).unwrap_or_default();
    Ok(super::ct_eq(&out, &expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse").unwrap();
        assert!(verify("correct horse", &h).unwrap());
        assert!(!verify("wrong horse!", &h).unwrap());
        assert_eq!(hash("short").unwrap_err().code, ErrorCode::WeakPassphrase);
    }
}
