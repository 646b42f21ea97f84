//! Endpoint adapters: each takes the parsed request, calls library code and returns the JSON the
//! wire contract (reference/upstream-server.md §3, §6) promises.

use super::challenges::Challenge;
use super::request::Req;
use super::state::AppState;
use crate::audit::NewEvent;
use crate::crypto::{self, ed25519};
use crate::error::{Error, ErrorCode, Result};
use crate::store::agents::{ACTIVE, Agent, PENDING};
use crate::store::invites::Redemption;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

const CHALLENGE_TTL: Duration = Duration::from_secs(300);

// ---------------------------------------------------------------------------------------------
// Body field helpers. `null` means "not provided" for optional fields (SPEC §8.1).

fn opt_str(m: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "`{key}` must be a string, found {}",
                super::request::json_kind(other)
            ),
        )),
    }
}

fn req_str(m: &Map<String, Value>, key: &str) -> Result<String> {
    match opt_str(m, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(
            Error::new(ErrorCode::InvalidRequest, format!("`{key}` is required"))
                .with_details(json!({ "field": key })),
        ),
    }
}

/// `webhook_url` of a registration: `""` or `null` = no webhook; otherwise an http(s) URL that is
/// neither link-local nor this server's own address (SPEC §16).
fn webhook_url(s: &AppState, m: &Map<String, Value>) -> Result<String> {
    let url = opt_str(m, "webhook_url")?.unwrap_or_default();
    if !url.is_empty()
        && let Err(why) = crate::notify::url::check(&url, Some(s.bind))
    {
        return Err(Error::new(
            ErrorCode::InvalidWebhookUrl,
            format!("`webhook_url`: {why}"),
        )
        .with_hint(
            "pass an http:// or https:// URL of your agent's receiver, or \"\"/null for no webhook",
        ));
    }
    Ok(url)
}

// ---------------------------------------------------------------------------------------------
// Public

pub fn health(s: &AppState, _r: &Req<'_>) -> Result<Value> {
    Ok(json!({
        "status": "ok",
        "time": crate::timefmt::now_string(),
        "version": format!("v{}", env!("CARGO_PKG_VERSION")),
        "openapi_spec": format!("{}/v1/openapi.json", s.public_url()),
        // Files: `{backend: files, state: ok}`; PostgreSQL adds `schema_version` and says
        // `unavailable` while the database cannot be reached (probed at most once a second).
        "store": s.store_health()?,
    }))
}

pub fn public_keys(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let include_revoked = r
        .query_param("include_revoked")
        .is_some_and(|v| v == "true" || v == "1");
    Ok(crate::keys::public_keys_json(
        &s.keys()?.published,
        include_revoked,
    ))
}

/// `POST /v1/verify-proof`: always 200 with `{valid, reason?, claims?}`; falsy expectations are not
/// checked (as upstream). Audited like `openleash verify`.
pub fn verify_proof(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let token = opt_str(&m, "token")?.unwrap_or_default();
    let expected_action_hash = opt_str(&m, "expected_action_hash")?;
    let expected_agent_id = opt_str(&m, "expected_agent_id")?;
    let opts = crate::tokens::VerifyOptions {
        expected_action_hash: expected_action_hash.as_deref(),
        expected_agent_id: expected_agent_id.as_deref(),
        allow_expired: false,
    };
    let keys = s.keys()?;
    let result =
        crate::tokens::verify_proof(token.trim(), &keys.public, crate::timefmt::now(), &opts);
    if result.reason.as_deref() != Some(crate::tokens::reason::MISSING_TOKEN) {
        let mut ev = NewEvent::new(
            "PROOF_VERIFIED",
            crate::tokens::proof_verified_metadata(&result, &opts),
        );
        if let Some(id) = result.claim_str("decision_id") {
            ev = ev.decision(id);
        }
        s.dd.append_audit(vec![ev])?;
    }
    Ok(result.to_json())
}

pub fn policy_schema(_s: &AppState, _r: &Req<'_>) -> Result<Value> {
    Ok(super::openapi::policy_schema_document())
}

/// `POST /v1/playground/run`: evaluates an ActionRequest against a policy given inline, without
/// side effects (nothing is stored or audited: it is a public endpoint). Response as upstream —
/// `action_hash`, `decision` (an AuthorizeResponse without proof), `debug.trace` — plus
/// `proof_required`, like `openleash playground run --json`.
pub fn playground_run(_s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let yaml = req_str(&m, "policy_yaml")?;
    let raw = match m.get("action") {
        Some(v @ Value::Object(_)) => v.clone(),
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "`action` is required and must be an ActionRequest object",
            )
            .with_details(json!({"field": "action"})));
        }
    };
    let action = crate::action::ValidatedAction::from_value(raw)?;
    let checked = crate::policy::check_policy("policy_yaml", yaml.as_bytes());
    let policy = match checked.policy {
        Some(p) if checked.errors() == 0 => p,
        _ => {
            return Err(crate::policy::resolve::policy_error(
                ErrorCode::InvalidPolicy,
                "policy_yaml",
                &checked.diagnostics,
            ));
        }
    };
    let eval = crate::policy::evaluate(&[&policy], action.value());
    let decision = eval.response_json(
        &crate::ids::new_id(),
        action.action_id(),
        action.action_hash(),
        None,
        None,
    );
    Ok(json!({
        "action_hash": action.action_hash(),
        "decision": decision,
        "debug": { "trace": eval.trace },
        "proof_required": eval.proof_required,
    }))
}

// ---------------------------------------------------------------------------------------------
// Agent

/// `POST /v1/authorize`: the body is an ActionRequest plus an optional `approval_token`; the
/// decision comes from the same handler `openleash authorize` uses, for the authenticated agent
/// (a body naming another agent is `AGENT_MISMATCH`). HTTP 200 whatever the decision.
pub fn authorize(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let mut m = r.json_object()?;
    let approval_token = match m.remove("approval_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if t.is_empty() => None,
        Some(Value::String(t)) => Some(t),
        Some(other) => {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "`approval_token` must be a string, found {}",
                    super::request::json_kind(&other)
                ),
            ));
        }
    };
    let action = crate::action::ValidatedAction::from_value(Value::Object(m))?;
    let agent = r.agent()?;
    let config = r.config(s)?;
    let response = crate::handlers::authorize::authorize_with(
        &s.dd,
        &config,
        agent,
        &action,
        approval_token.as_deref(),
    )?;
    serde_json::to_value(&response)
        .map_err(|e| Error::internal(format!("cannot serialise the decision: {e}")))
}

pub fn agent_self(_s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = r.agent()?;
    Ok(json!({
        "agent_principal_id": a.agent_principal_id,
        "agent_id": a.agent_id,
        "owner_type": a.owner_type.as_str(),
        "owner_id": a.owner_id,
        "status": a.status,
        "attributes": a.attributes,
        "created_at": a.created_at,
        "webhook_url": a.webhook_url,
    }))
}

// ---------------------------------------------------------------------------------------------
// Registration

/// Challenge registration per `security.registration`; returns the status new agents get.
fn registration_status(s: &AppState, r: &Req<'_>) -> Result<&'static str> {
    let cfg = r.config(s)?;
    match cfg.security.registration.as_str() {
        "open" => Ok(PENDING),
        "disabled" => Err(Error::new(ErrorCode::RegistrationForbidden, "agent self-registration is disabled on this server")
            .with_hint("ask the owner for an invite (`openleash agent invite`), or set security.registration in config.yaml")),
        _ if r.peer_is_loopback() => Ok(ACTIVE),
        _ => Err(Error::new(ErrorCode::RegistrationForbidden, "agent self-registration is only accepted from this machine (loopback)")
            .with_hint("ask the owner for an invite (`openleash agent invite`), or set security.registration: open (new agents then wait for `openleash agent activate`)")),
    }
}

pub fn registration_challenge(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    registration_status(s, r)?;
    let agent_id = req_str(&m, "agent_id")?;
    crate::ids::check_agent_id(&agent_id)?;
    let key = ed25519::parse_public_key(&req_str(&m, "agent_pubkey_b64")?)?;
    let owner_id = opt_str(&m, "owner_id")?;
    if let Some(o) = &owner_id {
        crate::ids::check_uuid("owner id", o)?;
    }
    let bytes = crypto::random_bytes::<32>();
    let id = crate::ids::new_id();
    let expires_at =
        crate::timefmt::plus_seconds(crate::timefmt::now(), CHALLENGE_TTL.as_secs() as i64);
    s.challenges.insert(
        id.clone(),
        Challenge {
            bytes,
            agent_id: agent_id.clone(),
            public_key_b64: ed25519::public_key_b64(&key),
            owner_id,
            expires: Instant::now() + CHALLENGE_TTL,
        },
    )?;
    Ok(json!({
        "challenge_id": id,
        "challenge_b64": crypto::b64(&bytes),
        "expires_at": crate::timefmt::format(expires_at),
    }))
}

pub fn register(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let status = registration_status(s, r)?;
    let challenge_id = req_str(&m, "challenge_id")?;
    let agent_id = req_str(&m, "agent_id")?;
    let key = ed25519::parse_public_key(&req_str(&m, "agent_pubkey_b64")?)?;
    let signature = req_str(&m, "signature_b64")?;
    let webhook_url = webhook_url(s, &m)?;
    let owner_type = opt_str(&m, "owner_type")?;
    let owner_id = opt_str(&m, "owner_id")?;
    let c = s.challenges.take(&challenge_id).ok_or_else(|| {
        Error::new(ErrorCode::ChallengeNotFound, "Challenge not found")
            .with_hint("request a new challenge; each one is single-use and lives in memory only")
    })?;
    if c.expires <= Instant::now() {
        return Err(Error::new(ErrorCode::ChallengeExpired, "Challenge expired")
            .with_hint("request a new challenge and register within 5 minutes"));
    }
    let public_key_b64 = ed25519::public_key_b64(&key);
    // Δ: upstream does not tie the registration to what the challenge was issued for.
    if c.agent_id != agent_id || c.public_key_b64 != public_key_b64 {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "agent_id and agent_pubkey_b64 must be those the challenge was issued for",
        ));
    }
    if !ed25519::verify_b64(&key, &c.bytes, &signature) {
        return Err(Error::new(
            ErrorCode::InvalidSignature,
            "Challenge signature verification failed",
        )
        .with_hint(
            "sign the raw bytes of challenge_b64 (base64-decoded) with the agent's private key",
        ));
    }
    let owner =
        s.dd.resolve_owner(owner_id.as_deref().or(c.owner_id.as_deref()))
            .map_err(|e| {
                // Over HTTP there is no --owner flag: the body names the owner.
                if e.code == ErrorCode::Usage {
                    e.with_hint("send owner_id (the owner's principal id) in the request body")
                } else {
                    e
                }
            })?;
    if let Some(t) = owner_type
        && t != owner.owner_type.as_str()
    {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "owner {} is of type {}, not {t}",
                owner.owner_id,
                owner.owner_type.as_str()
            ),
        ));
    }
    let mut agent = Agent::new(&agent_id, &owner, public_key_b64);
    agent.status = status.to_string();
    agent.webhook_url = webhook_url;
    agent.webhook_secret = opt_str(&m, "webhook_secret")?.unwrap_or_default();
    agent.webhook_auth_token = opt_str(&m, "webhook_auth_token")?.unwrap_or_default();
    s.dd.register_agent(&agent, |_| Ok(()))?;
    s.dd.append_audit(vec![NewEvent::new(
        "AGENT_REGISTERED",
        json!({"agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id, "owner_type": agent.owner_type.as_str(), "owner_id": agent.owner_id, "status": agent.status, "via": "challenge"}),
    )
    .principal(&agent.agent_principal_id)])?;
    Ok(registered_json(&agent))
}

fn registered_json(a: &Agent) -> Value {
    json!({
        "agent_principal_id": a.agent_principal_id,
        "agent_id": a.agent_id,
        "owner_type": a.owner_type.as_str(),
        "owner_id": a.owner_id,
        "status": a.status,
        "created_at": a.created_at,
    })
}

fn auth_instructions() -> Value {
    json!({
        "method": "ed25519_signed_request",
        "key_format": "Ed25519; public key base64 SPKI DER, private key base64 PKCS#8 DER",
        "headers": {
            "X-Agent-Id": "your agent_id",
            "X-Timestamp": "UTC RFC 3339 with milliseconds, e.g. 2024-01-15T10:30:00.000Z",
            "X-Nonce": "a fresh random UUID per request",
            "X-Body-Sha256": "lowercase hex SHA-256 of the exact body bytes (sha256 of {} for GET)",
            "X-Signature": "base64 Ed25519 signature of the signing input",
        },
        "signing_input": "METHOD\\nPATH\\nX-Timestamp\\nX-Nonce\\nX-Body-Sha256 (PATH without the query string)",
    })
}

fn sdks() -> Value {
    json!({
        "typescript": "npm install @openleash/sdk-ts",
        "python": "pip install openleash-sdk",
        "go": "go get github.com/openleash/openleash/packages/sdk-go",
    })
}

fn api_reference(base: &str) -> Value {
    json!({ "openapi_json": format!("{base}/v1/openapi.json"), "policy_schema": format!("{base}/v1/agents/policy-schema") })
}

pub fn invite_instructions(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let (Some(id), Some(_)) = (r.query_param("invite_id"), r.query_param("invite_token")) else {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "invite_id and invite_token query parameters are required",
        )
        .with_hint("open the complete invite URL the owner gave you"));
    };
    crate::ids::check_uuid("invite id", &id)?;
    let base = s.public_url();
    let url = format!("{base}/v1/agents/register-with-invite");
    Ok(json!({
        "message": "You have been invited to register an AI agent with this openleash server.",
        "overview": "openleash decides whether an agent may perform an action (ALLOW, DENY, REQUIRE_APPROVAL, ...) according to its owner's policies. Register once with an Ed25519 key, then sign every request.",
        "how_it_works": [
            "Generate an Ed25519 keypair and keep the private key secret.",
            "POST the invite and your public key to the registration URL below (the invite is single-use).",
            "Sign every later request with your private key (see request_signing).",
            "Call POST /v1/authorize before each consequential action and obey the result.",
        ],
        "registration": {
            "instructions": "POST this JSON to the URL. The invite_id and invite_token are those of this invite URL.",
            "url": url,
            "method": "POST",
            "required_body": {
                "invite_id": id,
                "invite_token": "<the invite_token of this URL>",
                "agent_id": "<a name for your agent, e.g. my-agent>",
                "agent_pubkey_b64": "<base64 SPKI DER Ed25519 public key>",
            },
            "example_curl": format!("curl -X POST {url} -H 'Content-Type: application/json' -d '{{\"invite_id\":\"{id}\",\"invite_token\":\"...\",\"agent_id\":\"my-agent\",\"agent_pubkey_b64\":\"MCowBQYDK2VwAyEA...\"}}'"),
        },
        "authorization_flow": {
            "endpoint": format!("{base}/v1/authorize"),
            "decision_field": "result",
            "results": ["ALLOW", "DENY", "REQUIRE_APPROVAL", "REQUIRE_STEP_UP", "REQUIRE_DEPOSIT"],
        },
        "request_signing": auth_instructions(),
        "webhook": { "optional": true, "fields": ["webhook_url", "webhook_secret", "webhook_auth_token"] },
        "after_registration": { "self": format!("{base}/v1/agent/self"), "public_keys": format!("{base}/v1/public-keys") },
        "api_reference": api_reference(&base),
        "sdks": sdks(),
    }))
}

pub fn redeem_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let field = |k: &str| -> Result<String> {
        match opt_str(&m, k)? {
            Some(v) if !v.is_empty() => Ok(v),
            _ => r.query_param(k).filter(|v| !v.is_empty()).ok_or_else(|| {
                Error::new(ErrorCode::InvalidRequest, format!("`{k}` is required"))
                    .with_details(json!({"field": k}))
            }),
        }
    };
    let invite_id = field("invite_id")?;
    let invite_token = field("invite_token")?;
    let redemption = Redemption {
        agent_id: req_str(&m, "agent_id")?,
        public_key_b64: req_str(&m, "agent_pubkey_b64")?,
        webhook_url: webhook_url(s, &m)?,
        webhook_secret: opt_str(&m, "webhook_secret")?.unwrap_or_default(),
        webhook_auth_token: opt_str(&m, "webhook_auth_token")?.unwrap_or_default(),
    };
    let (invite, agent) = s.dd.redeem_invite(&invite_id, &invite_token, &redemption)?;
    let mut meta = json!({"invite_id": invite.invite_id, "agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id, "owner_type": agent.owner_type.as_str(), "owner_id": agent.owner_id});
    // A provisioner's enrollment: who made it and what was bound (as upstream).
    if let Some(p) = &invite.provisioner_id {
        meta["provisioner_id"] = json!(p);
    }
    if let Some(b) = &invite.bind_policy_id {
        meta["bound_policy_id"] = json!(b);
    }
    if let Some(g) = &invite.bind_group_id {
        meta["joined_group_id"] = json!(g);
    }
    s.dd.append_audit(vec![
        NewEvent::new("AGENT_REGISTERED_VIA_INVITE", meta).principal(&agent.agent_principal_id),
    ])?;
    let base = s.public_url();
    let mut v = registered_json(&agent);
    if let Value::Object(o) = &mut v {
        o.insert("webhook_url".into(), json!(agent.webhook_url));
        o.insert("openleash_url".into(), json!(base));
        o.insert("auth".into(), auth_instructions());
        o.insert("api_reference".into(), api_reference(&base));
        o.insert("sdks".into(), sdks());
    }
    Ok(v)
}
