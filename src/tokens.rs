//! Proof, session and approval tokens (PASETO v4.public) and their verification (SPEC §7).
//!
//! Claims are built as ordered JSON (`serde_json` with `preserve_order`) in exactly upstream's key
//! orders, with `iat`/`exp` from one clock reading in millisecond RFC 3339, so the `expires_at` we
//! return is the `exp` inside the token (upstream's library re-reads the clock and can drift).
//!
//! Verification differs from upstream on purpose (SPEC §7 Δ): the key is chosen by the `kid`
//! claim, revoked keys verify nothing, `iss` and `exp` are required, and token purposes never
//! cross (a session or approval token is not a proof).

use crate::crypto::paseto;
use crate::error::{Error, Result};
use crate::keys::PublicKey;
use ed25519_dalek::SigningKey;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

pub const ISSUER: &str = "openleash";
pub const PURPOSE_PROOF: &str = "proof";
pub const PURPOSE_SESSION: &str = "user_session";
pub const PURPOSE_APPROVAL: &str = "approval";

/// The exact `reason` strings of `/v1/verify-proof` and `openleash verify`.
pub mod reason {
    pub const MISSING_TOKEN: &str = "Missing token";
    pub const INVALID_FORMAT: &str = "Invalid token format";
    pub const UNKNOWN_KEY: &str = "Unknown key id";
    pub const KEY_REVOKED: &str = "Key revoked";
    pub const INVALID_SIGNATURE: &str = "Invalid signature";
    pub const TOKEN_EXPIRED: &str = "Token expired";
    pub const INVALID_PURPOSE: &str = "Invalid token purpose";
    pub const ACTION_HASH_MISMATCH: &str = "action_hash mismatch";
    pub const AGENT_ID_MISMATCH: &str = "agent_id mismatch";
    /// Upstream's expiry reasons of the session and approval verifiers.
    pub const SESSION_EXPIRED: &str = "Session expired";
    pub const APPROVAL_EXPIRED: &str = "Approval token expired";
}

/// What a proof token asserts, besides `iss`, `kid`, `iat` and `exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProofClaims<'a> {
    pub decision_id: &'a str,
    pub owner_type: &'a str,
    pub owner_id: &'a str,
    /// `action.principal.agent_id` (the authenticated agent).
    pub agent_id: &'a str,
    pub action_type: &'a str,
    pub action_hash: &'a str,
    /// Serialised as `null` when no rule matched (e.g. the approval path).
    pub matched_rule_id: Option<&'a str>,
    /// Only present when the relying party gave one.
    pub trust_profile: Option<&'a str>,
}

/// One organisation membership in a session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgMembershipClaim<'a> {
    pub org_id: &'a str,
    pub role: &'a str,
}

/// What an owner session token asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionClaims<'a> {
    /// The owner's principal id.
    pub sub: &'a str,
    /// `[]` when none (upstream always writes the key).
    pub system_roles: &'a [&'a str],
    /// Left out of the token when empty, as upstream.
    pub org_memberships: &'a [OrgMembershipClaim<'a>],
}

/// What an approval token asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprovalClaims<'a> {
    pub approval_request_id: &'a str,
    pub owner_type: &'a str,
    pub owner_id: &'a str,
    pub agent_id: &'a str,
    pub action_type: &'a str,
    pub action_hash: &'a str,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn head(kid: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("iss".into(), s(ISSUER));
    m.insert("kid".into(), s(kid));
    m
}

/// Proof claims in upstream order: iss, kid, iat, exp, decision_id, owner_type, owner_id,
/// agent_id, action_type, action_hash, matched_rule_id[, trust_profile].
pub fn proof_claims(kid: &str, iat: &str, exp: &str, c: &ProofClaims<'_>) -> Value {
    let mut m = head(kid);
    m.insert("iat".into(), s(iat));
    m.insert("exp".into(), s(exp));
    m.insert("decision_id".into(), s(c.decision_id));
    m.insert("owner_type".into(), s(c.owner_type));
    m.insert("owner_id".into(), s(c.owner_id));
    m.insert("agent_id".into(), s(c.agent_id));
    m.insert("action_type".into(), s(c.action_type));
    m.insert("action_hash".into(), s(c.action_hash));
    m.insert(
        "matched_rule_id".into(),
        c.matched_rule_id.map_or(Value::Null, s),
    );
    if let Some(tp) = c.trust_profile {
        m.insert("trust_profile".into(), s(tp));
    }
    Value::Object(m)
}

/// Session claims in upstream order: iss, kid, sub, iat, exp, purpose, system_roles[,
/// org_memberships].
pub fn session_claims(kid: &str, iat: &str, exp: &str, c: &SessionClaims<'_>) -> Value {
    let mut m = head(kid);
    m.insert("sub".into(), s(c.sub));
    m.insert("iat".into(), s(iat));
    m.insert("exp".into(), s(exp));
    m.insert("purpose".into(), s(PURPOSE_SESSION));
    m.insert(
        "system_roles".into(),
        Value::Array(c.system_roles.iter().map(|r| s(r)).collect()),
    );
    if !c.org_memberships.is_empty() {
        let list = c
            .org_memberships
            .iter()
            .map(|o| json!({ "org_id": o.org_id, "role": o.role }))
            .collect();
        m.insert("org_memberships".into(), Value::Array(list));
    }
    Value::Object(m)
}

/// Approval claims in upstream order: iss, kid, iat, exp, approval_request_id, owner_type,
/// owner_id, agent_id, action_type, action_hash, purpose.
pub fn approval_claims(kid: &str, iat: &str, exp: &str, c: &ApprovalClaims<'_>) -> Value {
    let mut m = head(kid);
    m.insert("iat".into(), s(iat));
    m.insert("exp".into(), s(exp));
    m.insert("approval_request_id".into(), s(c.approval_request_id));
    m.insert("owner_type".into(), s(c.owner_type));
    m.insert("owner_id".into(), s(c.owner_id));
    m.insert("agent_id".into(), s(c.agent_id));
    m.insert("action_type".into(), s(c.action_type));
    m.insert("action_hash".into(), s(c.action_hash));
    m.insert("purpose".into(), s(PURPOSE_APPROVAL));
    Value::Object(m)
}

/// Signs claims as compact JSON in their insertion order (what `JSON.stringify` produces).
pub fn sign_claims(key: &SigningKey, claims: &Value) -> Result<String> {
    let message = serde_json::to_vec(claims)
        .map_err(|e| Error::internal(format!("cannot serialise token claims: {e}")))?;
    Ok(paseto::sign(key, &message))
}

/// A freshly signed token and the timestamps inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub token: String,
    /// The `iat` claim.
    pub issued_at: String,
    /// The `exp` claim, to return as `proof_expires_at` / `approval_token_expires_at`.
    pub expires_at: String,
}

/// `iat` and `exp` from one clock reading, both in ms RFC 3339.
fn times(now: OffsetDateTime, ttl_seconds: u64) -> (String, String) {
    let now = crate::timefmt::truncate_ms(now);
    let ttl = i64::try_from(ttl_seconds).unwrap_or(i64::MAX);
    let exp = crate::timefmt::plus_seconds(now, ttl);
    (crate::timefmt::format(now), crate::timefmt::format(exp))
}

fn issue(
    key: &SigningKey,
    now: OffsetDateTime,
    ttl_seconds: u64,
    build: impl FnOnce(&str, &str) -> Value,
) -> Result<IssuedToken> {
    let (iat, exp) = times(now, ttl_seconds);
    let token = sign_claims(key, &build(&iat, &exp))?;
    Ok(IssuedToken {
        token,
        issued_at: iat,
        expires_at: exp,
    })
}

/// Issues a proof token signed by `key` (whose id is `kid`), valid for `ttl_seconds` from `now`.
/// The caller caps the TTL (`tokens.max_ttl_seconds`).
pub fn issue_proof(
    kid: &str,
    key: &SigningKey,
    claims: &ProofClaims<'_>,
    ttl_seconds: u64,
    now: OffsetDateTime,
) -> Result<IssuedToken> {
    issue(key, now, ttl_seconds, |iat, exp| {
        proof_claims(kid, iat, exp, claims)
    })
}

/// Issues an owner session token.
pub fn issue_session(
    kid: &str,
    key: &SigningKey,
    claims: &SessionClaims<'_>,
    ttl_seconds: u64,
    now: OffsetDateTime,
) -> Result<IssuedToken> {
    issue(key, now, ttl_seconds, |iat, exp| {
        session_claims(kid, iat, exp, claims)
    })
}

/// Issues an approval token.
pub fn issue_approval(
    kid: &str,
    key: &SigningKey,
    claims: &ApprovalClaims<'_>,
    ttl_seconds: u64,
    now: OffsetDateTime,
) -> Result<IssuedToken> {
    issue(key, now, ttl_seconds, |iat, exp| {
        approval_claims(kid, iat, exp, claims)
    })
}

/// Extra checks of a proof verification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifyOptions<'a> {
    /// When non-empty, the `action_hash` claim must equal it.
    pub expected_action_hash: Option<&'a str>,
    /// When non-empty, the `agent_id` claim must equal it.
    pub expected_agent_id: Option<&'a str>,
    /// Accept an expired token (for inspection); the result then says `expired: true`.
    pub allow_expired: bool,
}

/// The outcome of a verification, shaped like `/v1/verify-proof`'s response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VerifyResult {
    pub valid: bool,
    /// One of [`reason`]'s strings when not valid.
    pub reason: Option<String>,
    /// The claims, whenever the signature verified (also for expired or mismatched tokens).
    pub claims: Option<Value>,
    /// True when `allow_expired` accepted an expired token.
    pub expired: bool,
    /// The kid of the key that verified the signature, if it had one.
    pub kid: Option<String>,
    /// A sentence for people saying what exactly was wrong (not part of the JSON contract).
    pub detail: Option<String>,
}

impl VerifyResult {
    fn fail(reason: &str, detail: impl Into<String>) -> VerifyResult {
        VerifyResult {
            valid: false,
            reason: Some(reason.to_string()),
            detail: Some(detail.into()),
            ..VerifyResult::default()
        }
    }

    fn set_fail(&mut self, reason: &str, detail: impl Into<String>) {
        self.valid = false;
        self.reason = Some(reason.to_string());
        self.detail = Some(detail.into());
    }

    /// `{valid, reason?, claims?}` plus `expired: true` when an expired token was accepted.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("valid".into(), Value::Bool(self.valid));
        if let Some(r) = &self.reason {
            m.insert("reason".into(), s(r));
        }
        if let Some(c) = &self.claims {
            m.insert("claims".into(), c.clone());
        }
        if self.expired {
            m.insert("expired".into(), Value::Bool(true));
        }
        Value::Object(m)
    }

    /// A string claim, if present.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.as_ref()?.get(name)?.as_str()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Proof,
    Session,
    Approval,
}

impl Kind {
    fn purpose_ok(self, purpose: Option<&Value>) -> bool {
        match self {
            // Proofs carry no purpose upstream; "proof" is accepted for forward compatibility.
            Kind::Proof => {
                purpose.is_none() || purpose.and_then(Value::as_str) == Some(PURPOSE_PROOF)
            }
            Kind::Session => purpose.and_then(Value::as_str) == Some(PURPOSE_SESSION),
            Kind::Approval => purpose.and_then(Value::as_str) == Some(PURPOSE_APPROVAL),
        }
    }

    fn expired_reason(self) -> &'static str {
        match self {
            Kind::Proof => reason::TOKEN_EXPIRED,
            Kind::Session => reason::SESSION_EXPIRED,
            Kind::Approval => reason::APPROVAL_EXPIRED,
        }
    }

    fn expected_purpose(self) -> &'static str {
        match self {
            Kind::Proof => "no purpose (a proof token)",
            Kind::Session => "purpose \"user_session\"",
            Kind::Approval => "purpose \"approval\"",
        }
    }
}

fn kid_matches(key: &PublicKey, kid: &str) -> bool {
    key.kid
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case(kid))
}

/// Signature, key choice, `iss`, `exp` and purpose; the proof-only expectations come after.
fn verify_token(
    token: &str,
    keys: &[PublicKey],
    now: OffsetDateTime,
    kind: Kind,
    allow_expired: bool,
) -> VerifyResult {
    if token.trim().is_empty() {
        return VerifyResult::fail(reason::MISSING_TOKEN, "no token was given");
    }
    let parsed = match paseto::parse(token) {
        Ok(p) => p,
        Err(_) => {
            return VerifyResult::fail(
                reason::INVALID_FORMAT,
                "not a PASETO v4.public token without footer (v4.public.<base64url>)",
            );
        }
    };
    // The kid is read before the signature is checked only to choose the key; nothing else from
    // the unverified claims is used.
    let unverified: Value = match serde_json::from_slice(parsed.unverified_message()) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return VerifyResult::fail(
                reason::INVALID_FORMAT,
                "the token's message is not a JSON object of claims",
            );
        }
    };
    let token_kid = unverified.get("kid").and_then(Value::as_str);

    // Keys carrying the token's kid first, then every kid-less key, in the order given.
    let candidates: Vec<&PublicKey> = keys
        .iter()
        .filter(|k| token_kid.is_some_and(|kid| kid_matches(k, kid)))
        .chain(keys.iter().filter(|k| k.kid.is_none()))
        .collect();
    if candidates.is_empty() {
        let detail = match token_kid {
            Some(kid) => format!("no known key has kid {kid}"),
            None => "the token has no kid claim and no key without a kid was given".to_string(),
        };
        return VerifyResult::fail(reason::UNKNOWN_KEY, detail);
    }
    let mut revoked_match: Option<&PublicKey> = None;
    let mut good: Option<&PublicKey> = None;
    for key in candidates {
        if parsed.verify(&key.key).is_ok() {
            if key.revoked {
                revoked_match = revoked_match.or(Some(key));
            } else {
                good = Some(key);
                break;
            }
        }
    }
    let mut result = VerifyResult {
        claims: Some(unverified),
        ..VerifyResult::default()
    };
    match (good, revoked_match) {
        (Some(k), _) => result.kid = k.kid.clone(),
        (None, Some(k)) => {
            result.kid = k.kid.clone();
            result.set_fail(
                reason::KEY_REVOKED,
                format!(
                    "signed by key {}, which has been revoked",
                    k.kid.as_deref().unwrap_or("(no kid)")
                ),
            );
            return result;
        }
        (None, None) => {
            return VerifyResult::fail(
                reason::INVALID_SIGNATURE,
                "the signature does not verify with any candidate key",
            );
        }
    }
    // From here on the claims are authenticated.
    let Some(claims) = result.claims.as_ref() else {
        return result;
    };
    let iss = claims.get("iss").and_then(Value::as_str);
    if iss != Some(ISSUER) {
        let detail = format!(
            "iss is {}, expected \"{ISSUER}\"",
            describe(claims.get("iss"))
        );
        result.set_fail(reason::INVALID_FORMAT, detail);
        return result;
    }
    let exp = claims.get("exp").and_then(Value::as_str);
    let Some(exp_at) = exp.and_then(crate::timefmt::parse) else {
        let detail = format!(
            "exp is {}, expected an RFC 3339 timestamp",
            describe(claims.get("exp"))
        );
        result.set_fail(reason::INVALID_FORMAT, detail);
        return result;
    };
    // Valid strictly before exp, as upstream's PASETO library.
    if now >= exp_at {
        if !allow_expired {
            let detail = format!("expired at {}", exp.unwrap_or_default());
            result.set_fail(kind.expired_reason(), detail);
            return result;
        }
        result.expired = true;
    }
    if !kind.purpose_ok(claims.get("purpose")) {
        let detail = format!(
            "purpose is {}, expected {}",
            describe(claims.get("purpose")),
            kind.expected_purpose()
        );
        result.set_fail(reason::INVALID_PURPOSE, detail);
        return result;
    }
    result.valid = true;
    result
}

fn describe(v: Option<&Value>) -> String {
    match v {
        None => "missing".to_string(),
        Some(v) => v.to_string(),
    }
}

/// Verifies a proof token (SPEC §7): key by `kid` (kid-less keys tried in order), revoked keys
/// refused, `iss == "openleash"`, `exp` required and checked, no purpose other than absent or
/// `"proof"`, then the expected `action_hash` and `agent_id` (a later mismatch overwrites an
/// earlier reason, as upstream).
pub fn verify_proof(
    token: &str,
    keys: &[PublicKey],
    now: OffsetDateTime,
    opts: &VerifyOptions<'_>,
) -> VerifyResult {
    let mut r = verify_token(token, keys, now, Kind::Proof, opts.allow_expired);
    if !r.valid {
        return r;
    }
    if let Some(expected) = opts.expected_action_hash.filter(|s| !s.is_empty()) {
        let actual = r.claim_str("action_hash");
        if actual != Some(expected) {
            let detail = format!(
                "action_hash is {}, expected {expected}",
                actual.unwrap_or("missing")
            );
            r.set_fail(reason::ACTION_HASH_MISMATCH, detail);
        }
    }
    if let Some(expected) = opts.expected_agent_id.filter(|s| !s.is_empty()) {
        let actual = r.claim_str("agent_id");
        if actual != Some(expected) {
            let detail = format!(
                "agent_id is {}, expected {expected}",
                actual.unwrap_or("missing")
            );
            r.set_fail(reason::AGENT_ID_MISMATCH, detail);
        }
    }
    r
}

/// Verifies an owner session token (`purpose: "user_session"`).
pub fn verify_session(token: &str, keys: &[PublicKey], now: OffsetDateTime) -> VerifyResult {
    verify_token(token, keys, now, Kind::Session, false)
}

/// Verifies an approval token (`purpose: "approval"`).
pub fn verify_approval(token: &str, keys: &[PublicKey], now: OffsetDateTime) -> VerifyResult {
    verify_token(token, keys, now, Kind::Approval, false)
}

/// Metadata of the `PROOF_VERIFIED` audit event (upstream-core §4.5), nulls for absent values.
pub fn proof_verified_metadata(r: &VerifyResult, opts: &VerifyOptions<'_>) -> Value {
    json!({
        "valid": r.valid,
        "reason": r.reason,
        "decision_id": r.claim_str("decision_id"),
        "agent_id": r.claim_str("agent_id"),
        "action_type": r.claim_str("action_type"),
        "action_hash": r.claim_str("action_hash"),
        "expected_action_hash": opts.expected_action_hash,
        "expected_agent_id": opts.expected_agent_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    const KID: &str = "00000000-0000-0000-0000-000000000088";

    fn at(s: &str) -> OffsetDateTime {
        crate::timefmt::parse(s).unwrap()
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn public(seed: u8, kid: Option<&str>, revoked: bool) -> PublicKey {
        PublicKey {
            kid: kid.map(str::to_string),
            key: key(seed).verifying_key(),
            revoked,
        }
    }

    fn claims() -> ProofClaims<'static> {
        ProofClaims {
            decision_id: "00000000-0000-0000-0000-000000000077",
            owner_type: "user",
            owner_id: "00000000-0000-0000-0000-000000000002",
            agent_id: "test-agent",
            action_type: "purchase",
            action_hash: "5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d",
            matched_rule_id: Some("test-rule"),
            trust_profile: None,
        }
    }

    fn message(token: &str) -> String {
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&token[paseto::HEADER.len()..])
            .unwrap();
        String::from_utf8(body[..body.len() - 64].to_vec()).unwrap()
    }

    #[test]
    fn reproduces_the_vector_token_from_its_inputs() {
        let t = issue_proof(KID, &key(0), &claims(), 120, at("2024-01-15T10:30:00.000Z")).unwrap();
        assert_eq!(t.expires_at, "2024-01-15T10:32:00.000Z");
        assert_eq!(t.issued_at, "2024-01-15T10:30:00.000Z");
        assert_eq!(
            t.token,
            "v4.public.eyJpc3MiOiJvcGVubGVhc2giLCJraWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwODgiLCJpYXQiOiIyMDI0LTAxLTE1VDEwOjMwOjAwLjAwMFoiLCJleHAiOiIyMDI0LTAxLTE1VDEwOjMyOjAwLjAwMFoiLCJkZWNpc2lvbl9pZCI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDA3NyIsIm93bmVyX3R5cGUiOiJ1c2VyIiwib3duZXJfaWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDIiLCJhZ2VudF9pZCI6InRlc3QtYWdlbnQiLCJhY3Rpb25fdHlwZSI6InB1cmNoYXNlIiwiYWN0aW9uX2hhc2giOiI1ZmVkNTBkMWFmY2Y1OTg0ODBmNjRjYTA5ZWRiMDQyYThhMDljNmIzM2M4NzEyZTNmYWVlZWEyYWExZDQyOTdkIiwibWF0Y2hlZF9ydWxlX2lkIjoidGVzdC1ydWxlIn0S2DNwkBUtd5TcD4KDcp7d-e--vgS4dTJw7wgFDIY8mpK308X9yIm9-32-wY_NPT5g95TI0Ba_3Ga0bZo0fwMH"
        );
    }

    #[test]
    fn claim_orders_match_upstream() {
        let mut c = claims();
        c.matched_rule_id = None;
        c.trust_profile = Some("HIGH");
        let t = issue_proof(KID, &key(0), &c, 60, at("2024-01-15T10:30:00.123Z")).unwrap();
        assert_eq!(
            message(&t.token),
            r#"{"iss":"openleash","kid":"00000000-0000-0000-0000-000000000088","iat":"2024-01-15T10:30:00.123Z","exp":"2024-01-15T10:31:00.123Z","decision_id":"00000000-0000-0000-0000-000000000077","owner_type":"user","owner_id":"00000000-0000-0000-0000-000000000002","agent_id":"test-agent","action_type":"purchase","action_hash":"5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d","matched_rule_id":null,"trust_profile":"HIGH"}"#
        );

        let roles = ["admin"];
        let orgs = [OrgMembershipClaim {
            org_id: "o1",
            role: "org_admin",
        }];
        let sc = SessionClaims {
            sub: "u1",
            system_roles: &roles,
            org_memberships: &orgs,
        };
        let t = issue_session(KID, &key(0), &sc, 10, at("2024-01-15T10:30:00Z")).unwrap();
        assert_eq!(
            message(&t.token),
            r#"{"iss":"openleash","kid":"00000000-0000-0000-0000-000000000088","sub":"u1","iat":"2024-01-15T10:30:00.000Z","exp":"2024-01-15T10:30:10.000Z","purpose":"user_session","system_roles":["admin"],"org_memberships":[{"org_id":"o1","role":"org_admin"}]}"#
        );
        let sc = SessionClaims {
            sub: "u1",
            system_roles: &[],
            org_memberships: &[],
        };
        let t = issue_session(KID, &key(0), &sc, 10, at("2024-01-15T10:30:00Z")).unwrap();
        assert!(message(&t.token).ends_with(r#""purpose":"user_session","system_roles":[]}"#));

        let ac = ApprovalClaims {
            approval_request_id: "r1",
            owner_type: "user",
            owner_id: "o",
            agent_id: "a",
            action_type: "t",
            action_hash: "h",
        };
        let t = issue_approval(KID, &key(0), &ac, 3600, at("2024-01-15T10:30:00Z")).unwrap();
        assert_eq!(
            message(&t.token),
            r#"{"iss":"openleash","kid":"00000000-0000-0000-0000-000000000088","iat":"2024-01-15T10:30:00.000Z","exp":"2024-01-15T11:30:00.000Z","approval_request_id":"r1","owner_type":"user","owner_id":"o","agent_id":"a","action_type":"t","action_hash":"h","purpose":"approval"}"#
        );
    }

    fn proof_at(now: &str, seed: u8) -> String {
        issue_proof(KID, &key(seed), &claims(), 120, at(now))
            .unwrap()
            .token
    }

    const T0: &str = "2024-01-15T10:30:00.000Z";
    const T1: &str = "2024-01-15T10:31:00.000Z";

    fn reason_of(r: &VerifyResult) -> &str {
        r.reason.as_deref().unwrap_or("(valid)")
    }

    #[test]
    fn verifies_with_kid_selection_and_kidless_keys() {
        let token = proof_at(T0, 0);
        let opts = VerifyOptions::default();
        let keys = [public(9, Some("other"), false), public(0, Some(KID), false)];
        let r = verify_proof(&token, &keys, at(T1), &opts);
        assert!(r.valid, "{r:?}");
        assert_eq!(r.kid.as_deref(), Some(KID));
        assert_eq!(r.claim_str("agent_id"), Some("test-agent"));
        assert_eq!(r.to_json()["valid"], true);
        assert!(r.to_json().get("reason").is_none());

        // kid-less keys are tried in order
        let keys = [public(9, None, false), public(0, None, false)];
        assert!(verify_proof(&token, &keys, at(T1), &opts).valid);

        // unknown kid, no kid-less key
        let keys = [public(0, Some("someone-else"), false)];
        assert_eq!(
            reason_of(&verify_proof(&token, &keys, at(T1), &opts)),
            "Unknown key id"
        );
        // right kid, wrong key
        let keys = [public(9, Some(KID), false)];
        let r = verify_proof(&token, &keys, at(T1), &opts);
        assert_eq!(reason_of(&r), "Invalid signature");
        assert!(r.claims.is_none());
        // revoked
        let keys = [public(0, Some(KID), true)];
        let r = verify_proof(&token, &keys, at(T1), &opts);
        assert_eq!(reason_of(&r), "Key revoked");
        assert!(!r.valid);
        // no keys at all
        assert_eq!(
            reason_of(&verify_proof(&token, &[], at(T1), &opts)),
            "Unknown key id"
        );
    }

    #[test]
    fn expiry_and_allow_expired() {
        let token = proof_at(T0, 0);
        let keys = [public(0, Some(KID), false)];
        let late = at("2024-01-15T10:32:00.000Z");
        let r = verify_proof(&token, &keys, late, &VerifyOptions::default());
        assert_eq!(reason_of(&r), "Token expired");
        assert_eq!(r.claim_str("exp"), Some("2024-01-15T10:32:00.000Z"));
        assert!(!r.to_json().as_object().unwrap().contains_key("expired"));
        // one millisecond before exp is still valid
        let r = verify_proof(
            &token,
            &keys,
            at("2024-01-15T10:31:59.999Z"),
            &VerifyOptions::default(),
        );
        assert!(r.valid);
        let opts = VerifyOptions {
            allow_expired: true,
            ..VerifyOptions::default()
        };
        let r = verify_proof(&token, &keys, late, &opts);
        assert!(r.valid && r.expired);
        assert_eq!(r.to_json()["expired"], true);
    }

    #[test]
    fn expectations_and_their_order() {
        let token = proof_at(T0, 0);
        let keys = [public(0, Some(KID), false)];
        let mut opts = VerifyOptions {
            expected_action_hash: Some("00"),
            ..VerifyOptions::default()
        };
        let r = verify_proof(&token, &keys, at(T1), &opts);
        assert_eq!(reason_of(&r), "action_hash mismatch");
        assert!(r.claims.is_some());
        opts.expected_agent_id = Some("someone");
        assert_eq!(
            reason_of(&verify_proof(&token, &keys, at(T1), &opts)),
            "agent_id mismatch"
        );
        let opts = VerifyOptions {
            expected_action_hash: Some(claims().action_hash),
            expected_agent_id: Some("test-agent"),
            allow_expired: false,
        };
        assert!(verify_proof(&token, &keys, at(T1), &opts).valid);
        // empty expectations are ignored, as upstream
        let opts = VerifyOptions {
            expected_action_hash: Some(""),
            expected_agent_id: Some(""),
            allow_expired: false,
        };
        assert!(verify_proof(&token, &keys, at(T1), &opts).valid);
    }

    #[test]
    fn purposes_never_cross() {
        let keys = [public(0, Some(KID), false)];
        let now = at(T1);
        let sc = SessionClaims {
            sub: "u",
            system_roles: &[],
            org_memberships: &[],
        };
        let session = issue_session(KID, &key(0), &sc, 600, at(T0)).unwrap().token;
        let ac = ApprovalClaims {
            approval_request_id: "r",
            owner_type: "user",
            owner_id: "o",
            agent_id: "test-agent",
            action_type: "t",
            action_hash: "h",
        };
        let approval = issue_approval(KID, &key(0), &ac, 600, at(T0))
            .unwrap()
            .token;
        let proof = proof_at(T0, 0);
        let o = VerifyOptions::default();

        assert_eq!(
            reason_of(&verify_proof(&session, &keys, now, &o)),
            "Invalid token purpose"
        );
        assert_eq!(
            reason_of(&verify_proof(&approval, &keys, now, &o)),
            "Invalid token purpose"
        );
        assert!(verify_session(&session, &keys, now).valid);
        assert!(verify_approval(&approval, &keys, now).valid);
        for t in [&proof, &approval] {
            assert_eq!(
                reason_of(&verify_session(t, &keys, now)),
                "Invalid token purpose"
            );
        }
        for t in [&proof, &session] {
            assert_eq!(
                reason_of(&verify_approval(t, &keys, now)),
                "Invalid token purpose"
            );
        }
        assert_eq!(
            reason_of(&verify_session(&session, &keys, at("2030-01-01T00:00:00Z"))),
            "Session expired"
        );
        assert_eq!(
            reason_of(&verify_approval(
                &approval,
                &keys,
                at("2030-01-01T00:00:00Z")
            )),
            "Approval token expired"
        );

        // a proof with purpose "proof" is accepted; any other value is not
        let mut c = proof_claims(KID, T0, "2024-01-15T10:32:00.000Z", &claims());
        c["purpose"] = json!("proof");
        let t = sign_claims(&key(0), &c).unwrap();
        assert!(verify_proof(&t, &keys, now, &o).valid);
        c["purpose"] = json!(null);
        let t = sign_claims(&key(0), &c).unwrap();
        assert_eq!(
            reason_of(&verify_proof(&t, &keys, now, &o)),
            "Invalid token purpose"
        );
    }

    #[test]
    fn issuer_and_exp_are_required() {
        let keys = [public(0, Some(KID), false)];
        let now = at(T1);
        let o = VerifyOptions::default();
        let base = proof_claims(KID, T0, "2024-01-15T10:32:00.000Z", &claims());

        let mut c = base.clone();
        c["iss"] = json!("someone-else");
        let r = verify_proof(&sign_claims(&key(0), &c).unwrap(), &keys, now, &o);
        assert_eq!(reason_of(&r), "Invalid token format");
        assert!(r.detail.unwrap().contains("iss"));

        let mut c = base.clone();
        c.as_object_mut().unwrap().remove("exp");
        let r = verify_proof(&sign_claims(&key(0), &c).unwrap(), &keys, now, &o);
        assert_eq!(reason_of(&r), "Invalid token format");
        assert!(r.detail.unwrap().contains("exp is missing"));

        let mut c = base;
        c["exp"] = json!(1_700_000_000);
        let r = verify_proof(&sign_claims(&key(0), &c).unwrap(), &keys, now, &o);
        assert_eq!(reason_of(&r), "Invalid token format");
    }

    #[test]
    fn malformed_tokens() {
        let keys = [public(0, Some(KID), false)];
        let now = at(T1);
        let o = VerifyOptions::default();
        let token = proof_at(T0, 0);
        assert_eq!(
            reason_of(&verify_proof("", &keys, now, &o)),
            "Missing token"
        );
        assert_eq!(
            reason_of(&verify_proof("  ", &keys, now, &o)),
            "Missing token"
        );
        for bad in [
            "garbage",
            "v4.public.",
            "v4.public.!!!!",
            &token[..40],
            &format!("{token}.Zm9vdGVy"),
            &token.replacen("v4.", "v3.", 1),
            // a valid base64url body whose message is not JSON
            &paseto::sign(&key(0), b"not json"),
            &paseto::sign(&key(0), b"[1,2]"),
        ] {
            assert_eq!(
                reason_of(&verify_proof(bad, &keys, now, &o)),
                "Invalid token format",
                "{bad}"
            );
        }
        // truncating the signature part keeps the format but breaks the signature
        let cut = &token[..token.len() - 4];
        let r = verify_proof(cut, &keys, now, &o);
        assert!(
            matches!(reason_of(&r), "Invalid signature" | "Invalid token format"),
            "{r:?}"
        );
    }

    #[test]
    fn audit_metadata_shape() {
        let token = proof_at(T0, 0);
        let keys = [public(0, Some(KID), false)];
        let opts = VerifyOptions {
            expected_agent_id: Some("x"),
            ..VerifyOptions::default()
        };
        let r = verify_proof(&token, &keys, at(T1), &opts);
        let m = proof_verified_metadata(&r, &opts);
        assert_eq!(
            m,
            json!({
                "valid": false,
                "reason": "agent_id mismatch",
                "decision_id": "00000000-0000-0000-0000-000000000077",
                "agent_id": "test-agent",
                "action_type": "purchase",
                "action_hash": claims().action_hash,
                "expected_action_hash": null,
                "expected_agent_id": "x",
            })
        );
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys[0], "valid");
        assert_eq!(keys[7], "expected_agent_id");
    }
}
