//! `openleash testvectors`: the deterministic cross-implementation vectors of upstream's command
//! of the same name — an ActionRequest, its RFC 8785 canonical JSON and action hash, an Ed25519
//! keypair from the all-zero seed, a request-signing input and signature, and a PASETO v4.public
//! proof token — computed with the same code that serves real requests, so SDKs in other
//! languages can check themselves against this implementation.

use super::Ctx;
use crate::cli::TestvectorsArgs;
use crate::crypto::{ed25519, request_signing, sha256_hex};
use crate::error::{Error, Result};
use crate::tokens::{self, ProofClaims};
use serde_json::{Value, json};

/// The vectors as one JSON document (fixed inputs, so always the same bytes).
pub fn vectors() -> Result<Value> {
    let action = json!({
        "action_id": "00000000-0000-0000-0000-000000000001",
        "action_type": "purchase",
        "requested_at": "2024-01-15T10:30:00.000Z",
        "principal": { "agent_id": "test-agent" },
        "subject": { "principal_id": "00000000-0000-0000-0000-000000000002" },
        "relying_party": { "domain": "example.com", "trust_profile": "LOW" },
        "payload": { "amount_minor": 5000, "currency": "USD", "merchant_domain": "example.com" },
    });
    let canonical = crate::action::canonical_json(&action)?;
    let action_hash = sha256_hex(canonical.as_bytes());
    let key = ed25519_dalek::SigningKey::from_bytes(&[0u8; 32]);

    // The body as a client sends it: compact JSON in the order written above.
    let body = serde_json::to_vec(&action)
        .map_err(|e| Error::internal(format!("cannot serialise the action: {e}")))?;
    let body_sha256 = request_signing::body_sha256(&body);
    let signing_input = request_signing::signing_input(
        "POST",
        "/v1/authorize",
        "2024-01-15T10:30:00.000Z",
        "00000000-0000-0000-0000-000000000099",
        &body_sha256,
    );
    let signature_b64 = ed25519::sign_b64(&key, signing_input.as_bytes());

    let claims = tokens::proof_claims(
        "00000000-0000-0000-0000-000000000088",
        "2024-01-15T10:30:00.000Z",
        "2024-01-15T10:32:00.000Z",
        &ProofClaims {
            decision_id: "00000000-0000-0000-0000-000000000077",
            owner_type: "user",
            owner_id: "00000000-0000-0000-0000-000000000002",
            agent_id: "test-agent",
            action_type: "purchase",
            action_hash: &action_hash,
            matched_rule_id: Some("test-rule"),
            trust_profile: None,
        },
    );
    let token = tokens::sign_claims(&key, &claims)?;
    Ok(json!({
        "action": action,
        "canonical_json": canonical,
        "action_hash": action_hash,
        "public_key_b64": ed25519::public_key_b64(&key.verifying_key()),
        "private_key_b64": ed25519::private_key_b64(&key),
        "signing_input": signing_input,
        "body_sha256": body_sha256,
        "signature_b64": signature_b64,
        "paseto_token": token,
        "paseto_claims": claims,
    }))
}

pub fn run(args: TestvectorsArgs, ctx: &Ctx) -> Result<u8> {
    let v = vectors()?;
    match &args.out {
        Some(path) => {
            let text = serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
            crate::store::write_atomic_mode(path, text.as_bytes(), 0o644)?;
            ctx.out
                .note(format!("Test vectors written to {}", path.display()));
        }
        None => ctx.out.json_value(&v),
    }
    Ok(0)
}
