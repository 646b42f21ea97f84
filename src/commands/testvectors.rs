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

/// One check of a vectors file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Checks a vectors document (ours, upstream's `packages/core/test/fixtures/testvectors.json`, or
/// another implementation's) the way upstream's own test suite does: each value is recomputed
/// from the others with this implementation's code, and the whole must equal what
/// `openleash testvectors` prints (the inputs are fixed, so every output is too).
pub fn check(v: &Value) -> Vec<Check> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
    let mut out = Vec::new();
    let mut add = |name: &'static str, ok: bool, detail: String| {
        out.push(Check {
            name,
            ok,
            detail: (!ok).then_some(detail),
        });
    };
    let action = v.get("action").cloned().unwrap_or(Value::Null);
    let canonical = crate::action::canonical_json(&action).unwrap_or_default();
    add(
        "canonical_json",
        !canonical.is_empty() && canonical == text("canonical_json"),
        format!("RFC 8785 canonical JSON of `action` is {canonical}"),
    );
    let hash = sha256_hex(text("canonical_json").as_bytes());
    add(
        "action_hash",
        hash == text("action_hash"),
        format!("SHA-256 of canonical_json is {hash}"),
    );
    // The body as a client sends it: the action's compact JSON in the file's key order.
    let body = serde_json::to_vec(&action).unwrap_or_default();
    let body_hash = request_signing::body_sha256(&body);
    add(
        "body_sha256",
        body_hash == text("body_sha256"),
        format!("SHA-256 of the compact JSON of `action` is {body_hash}"),
    );
    let parts: Vec<&str> = text("signing_input").split('\n').collect();
    let shape_ok = parts.len() == 5
        && parts[0] == "POST"
        && parts[1] == "/v1/authorize"
        && parts[4] == text("body_sha256")
        && request_signing::signing_input(parts[0], parts[1], parts[2], parts[3], parts[4])
            == text("signing_input");
    add(
        "signing_input",
        shape_ok,
        "expected POST, /v1/authorize, timestamp, nonce and body_sha256 on five lines".into(),
    );
    let public = ed25519::parse_public_key(text("public_key_b64"));
    let private = ed25519::parse_private_key(text("private_key_b64"));
    let pair_ok = matches!((&public, &private), (Ok(p), Ok(k)) if k.verifying_key() == *p);
    add(
        "key_pair",
        pair_ok,
        "public_key_b64 is not the public half of private_key_b64 (SPKI / PKCS#8 DER, base64)"
            .into(),
    );
    let sig_ok = public.as_ref().is_ok_and(|p| {
        ed25519::verify_b64(p, text("signing_input").as_bytes(), text("signature_b64"))
    });
    add(
        "signature",
        sig_ok,
        "signature_b64 does not verify over signing_input with public_key_b64".into(),
    );
    let token = match &public {
        Ok(p) => tokens::verify_proof(
            text("paseto_token"),
            &[crate::keys::PublicKey {
                kid: None,
                key: *p,
                revoked: false,
            }],
            crate::timefmt::now(),
            &tokens::VerifyOptions {
                expected_action_hash: Some(text("action_hash")),
                allow_expired: true,
                ..Default::default()
            },
        ),
        Err(_) => tokens::VerifyResult::default(),
    };
    let claims_ok = token.valid && token.claims.as_ref() == v.get("paseto_claims");
    add(
        "paseto_token",
        claims_ok,
        match (&token.detail, token.valid) {
            (Some(d), _) => d.clone(),
            (None, true) => "its claims differ from paseto_claims".into(),
            (None, false) => "it cannot be verified with public_key_b64".into(),
        },
    );
    let ours = vectors().ok();
    let differ: Vec<String> = ours
        .as_ref()
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, x)| v.get(k.as_str()) != Some(*x))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    add(
        "same_as_openleash",
        ours.is_some() && differ.is_empty(),
        format!(
            "differs from `openleash testvectors` in: {}",
            differ.join(", ")
        ),
    );
    out
}

pub fn run(args: TestvectorsArgs, ctx: &Ctx) -> Result<u8> {
    if let Some(path) = &args.check {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                crate::error::ErrorCode::InvalidRequest,
                format!("{}: not JSON: {e}", path.display()),
            )
            .with_hint("pass a file written by `openleash testvectors --out FILE` or an SDK's testvectors.json")
        })?;
        let checks = check(&v);
        let ok = checks.iter().all(|c| c.ok);
        if ctx.out.json {
            ctx.out.json_value(&json!({"ok": ok, "checks": checks}));
        } else {
            for c in &checks {
                match &c.detail {
                    None => ctx
                        .out
                        .line(format!("{}  {}", ctx.out.green("ok  "), c.name)),
                    Some(d) => ctx
                        .out
                        .line(format!("{}  {}: {d}", ctx.out.red("FAIL"), c.name)),
                }
            }
        }
        return Ok(if ok { 0 } else { 1 });
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_vectors_and_upstreams_pass_and_a_broken_one_names_its_fault() {
        let ours = vectors().unwrap();
        assert!(check(&ours).iter().all(|c| c.ok), "{:?}", check(&ours));
        let upstream: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/testvectors.json")).unwrap();
        assert!(check(&upstream).iter().all(|c| c.ok));
        let mut bad = ours.clone();
        bad["signature_b64"] = json!(ours["paseto_token"].as_str().unwrap()[10..98]);
        bad["action"]["payload"]["amount_minor"] = json!(5001);
        let failed: Vec<&str> = check(&bad)
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.name)
            .collect();
        assert_eq!(
            failed,
            [
                "canonical_json",
                "body_sha256",
                "signature",
                "same_as_openleash"
            ]
        );
    }
}
