//! Every row of upstream's `testvectors.json` (the same file the TypeScript, Python and Go SDKs
//! test against), asserted byte for byte: canonical JSON, hashes, the request-signing input and
//! signature, and the PASETO token, which we also re-create from its claims and the zero seed.
//!
//! The copy in `tests/fixtures/` keeps a clean clone self-contained; when the shared reference is
//! beside the repository the two must be identical, so a changed upstream file is noticed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::action::{self, ValidatedAction};
use openleash::crypto::{ed25519, paseto, request_signing, sha256_hex};
use openleash::keys::PublicKey;
use openleash::tokens::{self, ProofClaims, VerifyOptions};
use serde_json::Value;
use std::path::PathBuf;

fn fixture_text() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let copy = root.join("tests/fixtures/testvectors.json");
    let text = std::fs::read_to_string(&copy).expect("tests/fixtures/testvectors.json");
    let shared = root.join("../shared/reference/testvectors.json");
    if let Ok(upstream) = std::fs::read_to_string(&shared) {
        assert_eq!(
            text, upstream,
            "tests/fixtures/testvectors.json differs from ../shared/reference/testvectors.json; copy it again"
        );
    }
    text
}

fn vectors() -> Value {
    serde_json::from_str(&fixture_text()).expect("valid JSON")
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is a string"))
}

#[test]
fn canonical_json_and_action_hash() {
    let v = vectors();
    let expected_canonical = field(&v, "canonical_json");
    let expected_hash = field(&v, "action_hash");

    // The raw canonicaliser and the validating path agree with the vector.
    assert_eq!(
        action::canonical_json(&v["action"]).unwrap(),
        expected_canonical
    );
    assert_eq!(sha256_hex(expected_canonical.as_bytes()), expected_hash);
    let a = ValidatedAction::from_value(v["action"].clone()).unwrap();
    assert_eq!(a.canonical_json(), expected_canonical);
    assert_eq!(a.action_hash(), expected_hash);
    assert_eq!(action::action_hash_of(&v["action"]).unwrap(), expected_hash);

    // From the raw file text too (what `action hash` reads).
    let text = serde_json::to_string_pretty(&v["action"]).unwrap();
    let a = ValidatedAction::from_str_json(&text).unwrap();
    assert_eq!(a.action_hash(), expected_hash);
}

#[test]
fn body_hash_is_over_the_compact_insertion_order_json() {
    let v = vectors();
    // JSON.stringify(action): compact, keys in the order shown (preserve_order keeps it).
    let body = serde_json::to_string(&v["action"]).unwrap();
    assert!(
        body.starts_with(r#"{"action_id":"#)
            && body.ends_with(r#""merchant_domain":"example.com"}}"#)
    );
    assert_eq!(
        request_signing::body_sha256(body.as_bytes()),
        field(&v, "body_sha256")
    );
    // Not the canonical form.
    assert_ne!(
        request_signing::body_sha256(field(&v, "canonical_json").as_bytes()),
        field(&v, "body_sha256")
    );
}

#[test]
fn signing_input_signature_and_byte_exact_resign() {
    let v = vectors();
    let input = field(&v, "signing_input");
    let parts: Vec<&str> = input.split('\n').collect();
    assert_eq!(
        parts,
        [
            "POST",
            "/v1/authorize",
            "2024-01-15T10:30:00.000Z",
            "00000000-0000-0000-0000-000000000099",
            field(&v, "body_sha256"),
        ]
    );
    assert_eq!(
        request_signing::signing_input(parts[0], parts[1], parts[2], parts[3], parts[4]),
        input
    );

    let public = ed25519::parse_public_key(field(&v, "public_key_b64")).unwrap();
    let private = ed25519::parse_private_key(field(&v, "private_key_b64")).unwrap();
    assert_eq!(
        private.to_bytes(),
        [0u8; 32],
        "the vector seed is all zeros"
    );
    assert_eq!(private.verifying_key(), public);
    assert_eq!(
        ed25519::public_key_b64(&private.verifying_key()),
        field(&v, "public_key_b64")
    );

    let sig = field(&v, "signature_b64");
    assert!(ed25519::verify_b64(&public, input.as_bytes(), sig));
    assert!(request_signing::verify_request(
        &public, parts[0], parts[1], parts[2], parts[3], parts[4], sig
    ));
    // A wrong body hash fails (the upstream test's negative case).
    assert!(!request_signing::verify_request(
        &public,
        parts[0],
        parts[1],
        parts[2],
        parts[3],
        &"a".repeat(64),
        sig
    ));

    // Ed25519 is deterministic: re-signing reproduces the vector.
    assert_eq!(ed25519::sign_b64(&private, input.as_bytes()), sig);
    let body = serde_json::to_string(&v["action"]).unwrap();
    let headers = request_signing::sign_request(
        &private,
        "test-agent",
        "POST",
        "/v1/authorize",
        Some(body.as_bytes()),
        parts[2],
        parts[3],
    );
    assert_eq!(headers.signature, sig);
    assert_eq!(headers.body_sha256, field(&v, "body_sha256"));
}

#[test]
fn paseto_token_verifies_and_is_recreated_byte_for_byte() {
    let v = vectors();
    let token = field(&v, "paseto_token");
    let claims = &v["paseto_claims"];
    let public = ed25519::parse_public_key(field(&v, "public_key_b64")).unwrap();
    let private = ed25519::parse_private_key(field(&v, "private_key_b64")).unwrap();

    // Signature: the message is exactly the compact claims JSON in upstream order.
    let message = paseto::verify(&public, token).unwrap();
    assert_eq!(message, serde_json::to_vec(claims).unwrap());
    let decoded: Value = serde_json::from_slice(&message).unwrap();
    assert_eq!(&decoded, claims);

    // Full verification, with a clock inside the token's lifetime.
    let kid = field(claims, "kid");
    let keys = [PublicKey {
        kid: Some(kid.to_string()),
        key: public,
        revoked: false,
    }];
    let inside = openleash::timefmt::parse("2024-01-15T10:31:00.000Z").unwrap();
    let opts = VerifyOptions {
        expected_action_hash: Some(field(&v, "action_hash")),
        expected_agent_id: Some("test-agent"),
        allow_expired: false,
    };
    let r = tokens::verify_proof(token, &keys, inside, &opts);
    assert!(r.valid, "{r:?}");
    assert_eq!(r.claims.as_ref(), Some(claims));
    for name in [
        "iss",
        "kid",
        "iat",
        "exp",
        "agent_id",
        "action_type",
        "action_hash",
        "matched_rule_id",
    ] {
        assert_eq!(r.claim_str(name), claims[name].as_str(), "{name}");
    }
    // Today it is long expired; the claims still come back.
    let r = tokens::verify_proof(
        token,
        &keys,
        openleash::timefmt::now(),
        &VerifyOptions::default(),
    );
    assert_eq!(r.reason.as_deref(), Some("Token expired"));
    assert_eq!(r.claims.as_ref(), Some(claims));

    // Byte-exact re-creation, from the claims JSON and from the typed inputs.
    assert_eq!(tokens::sign_claims(&private, claims).unwrap(), token);
    let issued = tokens::issue_proof(
        kid,
        &private,
        &ProofClaims {
            decision_id: field(claims, "decision_id"),
            owner_type: field(claims, "owner_type"),
            owner_id: field(claims, "owner_id"),
            agent_id: field(claims, "agent_id"),
            action_type: field(claims, "action_type"),
            action_hash: field(claims, "action_hash"),
            matched_rule_id: claims["matched_rule_id"].as_str(),
            trust_profile: None,
        },
        120,
        openleash::timefmt::parse(field(claims, "iat")).unwrap(),
    )
    .unwrap();
    assert_eq!(issued.token, token);
    assert_eq!(issued.expires_at, field(claims, "exp"));
}
