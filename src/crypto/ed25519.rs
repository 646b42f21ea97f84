//! Ed25519 keys in the OpenLeash encodings: public keys as base64 of SPKI DER (44 bytes), private
//! keys as base64 of PKCS#8 v1 DER (48 bytes). We always write the short v1 form (Node and Python
//! reject dalek's default v2 export) and also read v2 for keys made by other tools.

use crate::error::{Error, ErrorCode, Result};
use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
const PKCS8_V1_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

pub fn generate() -> SigningKey {
    SigningKey::from_bytes(&super::random_bytes::<32>())
}

pub fn public_key_b64(key: &VerifyingKey) -> String {
    let mut der = Vec::with_capacity(44);
    der.extend_from_slice(&SPKI_PREFIX);
    der.extend_from_slice(key.as_bytes());
    super::b64(&der)
}

pub fn private_key_b64(key: &SigningKey) -> String {
    let mut der = Vec::with_capacity(48);
    der.extend_from_slice(&PKCS8_V1_PREFIX);
    der.extend_from_slice(&key.to_bytes());
    super::b64(&der)
}

fn invalid_public(why: &str) -> Error {
    Error::new(ErrorCode::InvalidKey, format!("invalid public key: {why}")).with_hint(
        "expected base64 of an Ed25519 SPKI DER key (44 bytes, starts with MCowBQYDK2VwAyEA)",
    )
}

/// Parses a base64 SPKI DER Ed25519 public key, rejecting anything else (other algorithms, raw
/// 32-byte keys, trailing bytes, points that are not valid curve points).
pub fn parse_public_key(b64: &str) -> Result<VerifyingKey> {
    let der = super::b64_decode(b64).ok_or_else(|| invalid_public("not valid base64"))?;
    if der.len() != 44 || der[..12] != SPKI_PREFIX {
        return Err(invalid_public("not an Ed25519 SPKI DER structure"));
    }
    let mut raw = [0u8; 32];
    raw.copy_from_slice(&der[12..]);
    let key =
        VerifyingKey::from_bytes(&raw).map_err(|_| invalid_public("not a valid Ed25519 point"))?;
    if key.is_weak() {
        return Err(invalid_public("a weak (small-order) key"));
    }
    Ok(key)
}

/// Parses a base64 PKCS#8 DER Ed25519 private key (v1 48-byte form, or v2 with public key).
pub fn parse_private_key(b64: &str) -> Result<SigningKey> {
    let invalid = |why: &str| {
        Error::new(ErrorCode::InvalidKey, format!("invalid private key: {why}"))
            .with_hint("expected base64 of an Ed25519 PKCS#8 DER key (48 bytes, starts with MC4CAQAwBQYDK2VwBCIEI)")
    };
    let der = super::b64_decode(b64).ok_or_else(|| invalid("not valid base64"))?;
    if der.len() == 48 && der[..16] == PKCS8_V1_PREFIX {
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&der[16..]);
        return Ok(SigningKey::from_bytes(&seed));
    }
    SigningKey::from_pkcs8_der(&der).map_err(|_| invalid("not an Ed25519 PKCS#8 DER structure"))
}

pub fn sign_b64(key: &SigningKey, msg: &[u8]) -> String {
    super::b64(&key.sign(msg).to_bytes())
}

/// Verifies a base64 signature; false on any malformation.
pub fn verify_b64(key: &VerifyingKey, msg: &[u8], sig_b64: &str) -> bool {
    let Some(bytes) = super::b64_decode(sig_b64) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&bytes) else {
        return false;
    };
    key.verify(msg, &sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR_PUBLIC: &str = "MCowBQYDK2VwAyEAO2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=";
    const VECTOR_PRIVATE: &str = "MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn reproduces_the_test_vector_key_pair() {
        let sk = parse_private_key(VECTOR_PRIVATE).unwrap();
        assert_eq!(public_key_b64(&sk.verifying_key()), VECTOR_PUBLIC);
        assert_eq!(private_key_b64(&sk), VECTOR_PRIVATE);
        assert_eq!(parse_public_key(VECTOR_PUBLIC).unwrap(), sk.verifying_key());
    }

    #[test]
    fn round_trips_fresh_keys_and_signatures() {
        let sk = generate();
        let b64 = private_key_b64(&sk);
        assert_eq!(crate::crypto::b64_decode(&b64).unwrap().len(), 48);
        let back = parse_private_key(&b64).unwrap();
        let sig = sign_b64(&back, b"msg");
        assert!(verify_b64(&sk.verifying_key(), b"msg", &sig));
        assert!(!verify_b64(&sk.verifying_key(), b"other", &sig));
        assert!(!verify_b64(&sk.verifying_key(), b"msg", "garbage"));
    }

    #[test]
    fn rejects_malformed_public_keys() {
        for bad in [
            "",
            "not base64!",
            "AAAA",
            &crate::crypto::b64(&[0u8; 32]),
            // an X25519 SPKI key (OID 1.3.101.110)
            "MCowBQYDK2VuAyEAO2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=",
        ] {
            assert_eq!(
                parse_public_key(bad).unwrap_err().code,
                ErrorCode::InvalidKey,
                "{bad}"
            );
        }
        // the identity point is a small-order key
        let mut der = SPKI_PREFIX.to_vec();
        let mut ident = [0u8; 32];
        ident[0] = 1;
        der.extend_from_slice(&ident);
        assert!(parse_public_key(&crate::crypto::b64(&der)).is_err());
    }
}
