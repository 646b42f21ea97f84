//! PASETO v4.public over ed25519-dalek, with our own PAE: the one signer of every token we issue.
//!
//! Token = `v4.public.` ‖ base64url-no-pad(message ‖ 64-byte Ed25519 signature), where the
//! signature covers `PAE("v4.public.", message, footer, implicit)`. OpenLeash uses neither a footer
//! nor an implicit assertion, so both are empty when signing and a token that carries a footer is
//! rejected: accepting one would let a token grow unauthenticated-looking parts we never check.
//! The claims (message) are the caller's JSON bytes, untouched, so claim order is the caller's.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// The header of every token we make or accept.
pub const HEADER: &str = "v4.public.";

const SIG_LEN: usize = 64;

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasetoError {
    /// Not `v4.public.<base64url>` (other version/purpose, a footer, bad base64, too short).
    Format,
    /// Well formed, but the signature does not verify with the key.
    Signature,
}

/// Pre-Authentication Encoding (PASETO spec): LE64(count) ‖ for each piece LE64(len) ‖ bytes,
/// with the top bit of every length cleared as the spec requires.
pub fn pae(pieces: &[&[u8]]) -> Vec<u8> {
    fn le64(n: usize) -> [u8; 8] {
        ((n as u64) & (u64::MAX >> 1)).to_le_bytes()
    }
    let total: usize = pieces.iter().map(|p| p.len() + 8).sum::<usize>() + 8;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&le64(pieces.len()));
    for p in pieces {
        out.extend_from_slice(&le64(p.len()));
        out.extend_from_slice(p);
    }
    out
}

fn signed_bytes(message: &[u8]) -> Vec<u8> {
    pae(&[HEADER.as_bytes(), message, b"", b""])
}

/// Signs `message` (the claims JSON) into a v4.public token without footer.
pub fn sign(key: &SigningKey, message: &[u8]) -> String {
    let sig = key.sign(&signed_bytes(message));
    let mut body = Vec::with_capacity(message.len() + SIG_LEN);
    body.extend_from_slice(message);
    body.extend_from_slice(&sig.to_bytes());
    let mut token = String::with_capacity(HEADER.len() + body.len().div_ceil(3) * 4);
    token.push_str(HEADER);
    URL_SAFE_NO_PAD.encode_string(&body, &mut token);
    token
}

/// A token split into its parts, not yet verified. Its message may be read to choose a key (the
/// `kid` claim) but must not be trusted before [`Parsed::verify`] succeeds.
#[derive(Debug, Clone)]
pub struct Parsed {
    message: Vec<u8>,
    signature: Signature,
}

impl Parsed {
    /// The unverified message bytes.
    pub fn unverified_message(&self) -> &[u8] {
        &self.message
    }

    /// Checks the signature with `key` (strict verification: no malleable or small-order forms).
    pub fn verify(&self, key: &VerifyingKey) -> Result<&[u8], PasetoError> {
        key.verify_strict(&signed_bytes(&self.message), &self.signature)
            .map(|()| self.message.as_slice())
            .map_err(|_| PasetoError::Signature)
    }
}

/// Splits a token; rejects other versions and purposes, footers and non-canonical base64url.
pub fn parse(token: &str) -> Result<Parsed, PasetoError> {
    let rest = token.strip_prefix(HEADER).ok_or(PasetoError::Format)?;
    if rest.contains('.') {
        // A fourth part is a footer; we never issue one.
        return Err(PasetoError::Format);
    }
    let body = URL_SAFE_NO_PAD
        .decode(rest)
        .map_err(|_| PasetoError::Format)?;
    if body.len() < SIG_LEN {
        return Err(PasetoError::Format);
    }
    let (message, sig) = body.split_at(body.len() - SIG_LEN);
    let signature = Signature::from_slice(sig).map_err(|_| PasetoError::Format)?;
    Ok(Parsed {
        message: message.to_vec(),
        signature,
    })
}

/// Parses and verifies in one step, returning the message.
pub fn verify(key: &VerifyingKey, token: &str) -> Result<Vec<u8>, PasetoError> {
    let parsed = parse(token)?;
    parsed.verify(key)?;
    Ok(parsed.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero_key() -> SigningKey {
        SigningKey::from_bytes(&[0u8; 32])
    }

    #[test]
    fn pae_matches_the_spec_examples() {
        // From the PASETO specification (PAE definition).
        assert_eq!(pae(&[]), b"\x00\x00\x00\x00\x00\x00\x00\x00");
        assert_eq!(
            pae(&[b""]),
            b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        );
        assert_eq!(
            pae(&[b"test"]),
            b"\x01\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00test"
        );
    }

    #[test]
    fn sign_verify_round_trip_and_rejections() {
        let sk = zero_key();
        let vk = sk.verifying_key();
        let token = sign(&sk, br#"{"a":1}"#);
        assert!(token.starts_with(HEADER));
        assert_eq!(verify(&vk, &token).unwrap(), br#"{"a":1}"#);

        let other = SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        assert_eq!(verify(&other, &token), Err(PasetoError::Signature));

        for bad in [
            "",
            "v4.public.",
            "v4.public.AAAA",
            "v3.public.AAAA",
            "v4.local.AAAA",
            &token.replacen("v4.public.", "v2.public.", 1),
            &format!("{token}.e30"),
            &format!("{token}="),
            &format!("{token} "),
            &token[..token.len() - 1],
        ] {
            assert!(verify(&vk, bad).is_err(), "{bad}");
        }
        // flipping a message byte breaks the signature
        let mut body = URL_SAFE_NO_PAD.decode(&token[HEADER.len()..]).unwrap();
        body[2] ^= 1;
        let tampered = format!("{HEADER}{}", URL_SAFE_NO_PAD.encode(&body));
        assert_eq!(verify(&vk, &tampered), Err(PasetoError::Signature));
    }
}
