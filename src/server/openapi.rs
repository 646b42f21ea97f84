//! The OpenAPI 3.1 document (paths generated from the routing table, so it cannot list a route
//! the server lacks or miss one it has) and the JSON Schema of the policy language.

use super::request::{Auth, Route};
use serde_json::{Value, json};

fn err_responses(codes: &[(&str, &str)]) -> Value {
    let mut m = serde_json::Map::new();
    for (status, desc) in codes {
        m.insert((*status).into(), json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
    }
    Value::Object(m)
}

pub(super) fn op(summary: &str, ok: Value, errors: &[(&str, &str)], body: Option<Value>) -> Value {
    let mut responses = err_responses(errors);
    if let Value::Object(m) = &mut responses {
        m.insert(
            "200".into(),
            json!({"description": "OK", "content": {"application/json": {"schema": ok}}}),
        );
    }
    let mut o = json!({ "summary": summary, "responses": responses });
    if let Some(schema) = body {
        o["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": schema}}});
    }
    o
}

pub(super) fn obj(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

pub(super) const STR: fn() -> Value = || json!({"type": "string"});
pub(super) const OPT_STR: fn() -> Value = || json!({"type": ["string", "null"]});

pub fn doc_health() -> Value {
    op(
        "Liveness and version",
        obj(
            json!({"status": {"const": "ok"}, "time": STR(), "version": STR(), "openapi_spec": STR(),
                "store": obj(json!({"backend": {"enum": ["files", "postgres"]}, "state": {"enum": ["ok", "unavailable"]}, "schema_version": {"type": "integer"}}), &["backend", "state"])}),
            &["status", "time", "version"],
        ),
        &[],
        None,
    )
}

pub fn doc_public_keys() -> Value {
    let mut o = op(
        "Server public keys for offline proof verification (revoked keys only with include_revoked=true)",
        json!({"$ref": "#/components/schemas/PublicKeys"}),
        &[],
        None,
    );
    o["parameters"] = json!([{"name": "include_revoked", "in": "query", "required": false, "schema": {"type": "boolean"}}]);
    o
}

pub fn doc_policy_schema() -> Value {
    op(
        "The policy language: JSON Schema, reference and examples",
        obj(
            json!({"json_schema": {"type": "object"}, "description": STR()}),
            &["json_schema"],
        ),
        &[],
        None,
    )
}

/// `GET /v1/owner/events/stream` (SPEC §16): server-sent events, not JSON.
fn doc_event_stream() -> Value {
    json!({
        "summary": "Live nudges for the owner's scope (server-sent events)",
        "description": "text/event-stream: `retry: 3000`, then `id: <audit seq>` and `data: {json}` per nudge ({\"type\":\"approval_created\",\"agent_principal_id\"}, {\"type\":\"approval_resolved\",\"agent_principal_id\",\"status\"}, {\"type\":\"audit\",\"agent_principal_id\",\"event_type\"}), a `: ping` comment every 15 s. Resume with `Last-Event-ID`. The session token may also come in the portal's `openleash_session` cookie. At most server.max_event_streams streams are open at once.",
        "security": [{"ownerSession": []}],
        "parameters": [{"name": "Last-Event-ID", "in": "header", "required": false, "schema": {"type": "string"}, "description": "The last `id:` received; events after it are sent first."}],
        "responses": {
            "200": {"description": "The event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
            "401": {"description": "INVALID_SESSION (missing, expired or revoked session)"},
            "503": {"description": "BUSY (server.max_event_streams streams already open)"},
        },
    })
}

pub fn doc_openapi() -> Value {
    op("This document", json!({"type": "object"}), &[], None)
}

fn registration_errors() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "400",
            "INVALID_JSON, INVALID_REQUEST, INVALID_KEY, INVALID_ID, MISSING_BODY",
        ),
        ("403", "REGISTRATION_FORBIDDEN (security.registration)"),
        ("413", "PAYLOAD_TOO_LARGE"),
    ]
}

pub fn doc_registration_challenge() -> Value {
    op(
        "Start challenge registration (allowed per security.registration)",
        obj(
            json!({"challenge_id": STR(), "challenge_b64": STR(), "expires_at": STR()}),
            &["challenge_id", "challenge_b64", "expires_at"],
        ),
        &[registration_errors(), vec![("503", "BUSY")]].concat(),
        Some(obj(
            json!({"agent_id": STR(), "agent_pubkey_b64": STR(), "owner_type": OPT_STR(), "owner_id": OPT_STR()}),
            &["agent_id", "agent_pubkey_b64"],
        )),
    )
}

pub fn doc_register() -> Value {
    op(
        "Complete challenge registration; in open mode the agent starts PENDING",
        json!({"$ref": "#/components/schemas/RegisteredAgent"}),
        &[
            registration_errors(),
            vec![("401", "INVALID_SIGNATURE"), ("409", "AGENT_ID_TAKEN")],
        ]
        .concat(),
        Some(obj(
            json!({"challenge_id": STR(), "agent_id": STR(), "agent_pubkey_b64": STR(), "signature_b64": STR(), "owner_type": OPT_STR(), "owner_id": OPT_STR(), "webhook_url": OPT_STR(), "webhook_secret": OPT_STR(), "webhook_auth_token": OPT_STR()}),
            &[
                "challenge_id",
                "agent_id",
                "agent_pubkey_b64",
                "signature_b64",
            ],
        )),
    )
}

pub fn doc_invite_instructions() -> Value {
    let mut o = op(
        "How to redeem an invite (does not consume it)",
        json!({"type": "object"}),
        &[("400", "INVALID_REQUEST, INVALID_ID")],
        None,
    );
    o["parameters"] = json!([
        {"name": "invite_id", "in": "query", "required": true, "schema": {"type": "string", "format": "uuid"}},
        {"name": "invite_token", "in": "query", "required": true, "schema": {"type": "string"}},
    ]);
    o
}

pub fn doc_redeem_invite() -> Value {
    op(
        "Register an agent with a single-use invite",
        json!({"allOf": [{"$ref": "#/components/schemas/RegisteredAgent"}, {"type": "object", "properties": {"openleash_url": STR(), "webhook_url": STR(), "auth": {"type": "object"}, "api_reference": {"type": "object"}, "sdks": {"type": "object"}}}]}),
        &[
            (
                "400",
                "INVALID_REQUEST, INVALID_KEY, INVITE_USED, INVITE_EXPIRED, INVALID_WEBHOOK_URL",
            ),
            ("401", "INVALID_INVITE_TOKEN"),
            ("404", "INVITE_NOT_FOUND"),
            ("409", "AGENT_ID_TAKEN"),
            ("413", "PAYLOAD_TOO_LARGE"),
        ],
        Some(obj(
            json!({"invite_id": STR(), "invite_token": STR(), "agent_id": STR(), "agent_pubkey_b64": STR(), "webhook_url": OPT_STR(), "webhook_secret": OPT_STR(), "webhook_auth_token": OPT_STR()}),
            &["invite_id", "invite_token", "agent_id", "agent_pubkey_b64"],
        )),
    )
}

pub fn doc_verify_proof() -> Value {
    op(
        "Verify a proof token with this server's keys (always 200; `valid` says the verdict)",
        obj(
            json!({"valid": {"type": "boolean"}, "reason": {"enum": ["Missing token", "Invalid token format", "Unknown key id", "Key revoked", "Invalid signature", "Token expired", "Invalid token purpose", "action_hash mismatch", "agent_id mismatch"]}, "claims": {"type": "object"}}),
            &["valid"],
        ),
        &[
            ("400", "INVALID_JSON, INVALID_REQUEST, MISSING_BODY"),
            ("413", "PAYLOAD_TOO_LARGE"),
        ],
        Some(obj(
            json!({"token": STR(), "expected_action_hash": OPT_STR(), "expected_agent_id": OPT_STR()}),
            &["token"],
        )),
    )
}

pub fn doc_playground_run() -> Value {
    op(
        "Evaluate an action against an inline policy, without side effects",
        obj(
            json!({"action_hash": STR(), "decision": {"$ref": "#/components/schemas/AuthorizeResponse"}, "debug": obj(json!({"trace": {"type": "array", "items": obj(json!({"rule_id": STR(), "pattern_match": {"type": "boolean"}, "when_match": {"type": ["boolean", "null"]}, "constraints_match": {"type": ["boolean", "null"]}, "limits_match": {"type": "boolean"}, "limit_failure": {"type": "object"}, "final_match": {"type": "boolean"}}), &["rule_id", "pattern_match", "final_match"])}}), &["trace"]), "proof_required": {"type": "boolean"}}),
            &["action_hash", "decision", "debug"],
        ),
        &[(
            "400",
            "INVALID_REQUEST, INVALID_ACTION_REQUEST (details: formErrors/fieldErrors), INVALID_POLICY (details: diagnostics)",
        )],
        Some(obj(
            json!({"policy_yaml": STR(), "action": {"$ref": "#/components/schemas/ActionRequest"}}),
            &["policy_yaml", "action"],
        )),
    )
}

pub fn doc_authorize() -> Value {
    op(
        "Ask for a decision on an action (HTTP 200 whatever the decision; `result` says it)",
        json!({"$ref": "#/components/schemas/AuthorizeResponse"}),
        &[
            (
                "400",
                "INVALID_ACTION_REQUEST (details: formErrors/fieldErrors), AGENT_MISMATCH (principal.agent_id is not the signing agent), APPROVAL_REQUEST_NOT_FOUND",
            ),
            ("401", "INVALID_APPROVAL_TOKEN"),
            ("403", "NO_POLICY"),
            (
                "500",
                "POLICY_INVALID (a bound policy no longer parses: fail closed)",
            ),
        ],
        Some(
            json!({"allOf": [{"$ref": "#/components/schemas/ActionRequest"}, {"type": "object", "properties": {"approval_token": OPT_STR()}}]}),
        ),
    )
}

pub fn doc_agent_self() -> Value {
    op(
        "The calling agent's record",
        obj(
            json!({"agent_principal_id": STR(), "agent_id": STR(), "owner_type": {"enum": ["user", "org"]}, "owner_id": STR(), "status": STR(), "attributes": {"type": "object"}, "created_at": STR(), "webhook_url": STR()}),
            &[
                "agent_principal_id",
                "agent_id",
                "owner_type",
                "owner_id",
                "status",
                "created_at",
            ],
        ),
        &[],
        None,
    )
}

fn agent_auth_errors() -> Value {
    err_responses(&[
        ("400", "MISSING_BODY, INVALID_JSON"),
        (
            "401",
            "MISSING_HEADERS, TIMESTAMP_SKEW, INVALID_SIGNATURE, NONCE_REPLAY, BODY_HASH_MISMATCH, AGENT_NOT_FOUND, AGENT_INACTIVE",
        ),
        ("503", "BUSY (replay cache full)"),
    ])
}

/// The whole document of `routes` (the server's table: [`super::router::openapi_document`]), with
/// `base` as the server URL.
pub fn document(routes: &[Route], base: &str) -> Value {
    let mut paths = serde_json::Map::new();
    for r in routes {
        let mut op = (r.doc)();
        match r.auth {
            Auth::Owner => op["security"] = json!([{"ownerSession": []}]),
            Auth::Admin => op["security"] = json!([{"adminToken": []}, {}]),
            Auth::Provisioner => op["security"] = json!([{"provisionerToken": []}]),
            _ => {}
        }
        if r.auth == Auth::Agent {
            op["security"] = json!([{"agentSignature": []}]);
            if let (Some(resp), Value::Object(extra)) = (
                op.get_mut("responses").and_then(Value::as_object_mut),
                agent_auth_errors(),
            ) {
                for (k, v) in extra {
                    resp.entry(k).or_insert(v);
                }
            }
        }
        // What the transport itself can answer on any route.
        let mut transport = vec![("503", "BUSY (connection limit or replay cache full)")];
        if r.method != "GET" {
            transport.extend([
                ("400", "MISSING_BODY, INVALID_JSON"),
                ("408", "REQUEST_TIMEOUT (body not received in time)"),
                ("413", "PAYLOAD_TOO_LARGE"),
            ]);
        }
        if let (Some(resp), Value::Object(extra)) = (
            op.get_mut("responses").and_then(Value::as_object_mut),
            err_responses(&transport),
        ) {
            for (k, v) in extra {
                resp.entry(k).or_insert(v);
            }
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_ascii_lowercase()] = op;
    }
    // The event stream is served beside the routes table (on its own thread, never a worker).
    paths.insert(
        crate::notify::sse::PATH.to_string(),
        json!({"get": doc_event_stream()}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "openleash",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Local-first authorization for AI agents. Every success is HTTP 200; errors are {\"error\":{\"code\",\"message\",\"details\"?}}. 404 NOT_FOUND for unknown routes, 405 METHOD_NOT_ALLOWED, 408 REQUEST_TIMEOUT for a body not received in time, 413 PAYLOAD_TOO_LARGE, 503 BUSY when at capacity.",
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ownerSession": {"type": "http", "scheme": "bearer", "description": "Session token from POST /v1/owner/login (PASETO v4.public, purpose user_session)."},
                "provisionerToken": {"type": "http", "scheme": "bearer", "description": "olp_<provisioner_id>.<secret>, minted by POST /v1/owner/provisioners (or an organization's) and shown once."},
                "adminToken": {"type": "http", "scheme": "bearer", "description": "admin.token; with admin.mode localhost or localhost_or_token, loopback peers need none."},
                "agentSignature": {
                    "type": "apiKey", "in": "header", "name": "X-Signature",
                    "description": "Ed25519 over METHOD\\nPATH\\nX-Timestamp\\nX-Nonce\\nX-Body-Sha256 (PATH without query), with X-Agent-Id, X-Timestamp, X-Nonce and X-Body-Sha256 headers; GET requests sign sha256({})."
                }
            },
            "schemas": {
                "Error": obj(json!({"error": obj(json!({"code": STR(), "message": STR(), "details": {}, "hint": STR()}), &["code", "message"])}), &["error"]),
                "PublicKeys": obj(json!({"keys": {"type": "array", "items": obj(json!({"kid": STR(), "kty": {"const": "OKP"}, "alg": {"const": "EdDSA"}, "public_key_b64": STR(), "created_at": STR(), "revoked_at": OPT_STR()}), &["kid", "kty", "alg", "public_key_b64", "created_at"])}}), &["keys"]),
                "ActionRequest": obj(json!({
                    "action_id": {"type": "string", "format": "uuid"},
                    "action_type": STR(),
                    "requested_at": STR(),
                    "principal": obj(json!({"agent_id": STR()}), &["agent_id"]),
                    "subject": obj(json!({"principal_id": {"type": "string", "format": "uuid"}}), &["principal_id"]),
                    "relying_party": obj(json!({"rp_id": {"type": "string", "format": "uuid"}, "domain": STR(), "trust_profile": {"enum": ["LOW", "MEDIUM", "HIGH", "REGULATED"]}}), &[]),
                    "payload": {"type": "object"}
                }), &["action_id", "action_type", "requested_at", "principal", "subject", "payload"]),
                "AuthorizeResponse": obj(json!({
                    "decision_id": STR(), "action_id": STR(), "action_hash": STR(),
                    "result": {"enum": ["ALLOW", "DENY", "REQUIRE_APPROVAL", "REQUIRE_STEP_UP", "REQUIRE_DEPOSIT"]},
                    "matched_rule_id": OPT_STR(), "reason": STR(), "proof_token": OPT_STR(), "proof_expires_at": OPT_STR(),
                    "obligations": {"type": "array", "items": obj(json!({"obligation_id": STR(), "type": STR(), "status": {"const": "PENDING"}, "details_json": {}}), &["obligation_id", "type", "status"])}
                }), &["decision_id", "action_id", "action_hash", "result", "matched_rule_id", "reason", "proof_token", "proof_expires_at", "obligations"]),
                "RegisteredAgent": obj(json!({"agent_principal_id": STR(), "agent_id": STR(), "owner_type": STR(), "owner_id": STR(), "status": {"enum": ["ACTIVE", "PENDING"]}, "created_at": STR()}), &["agent_principal_id", "agent_id", "owner_type", "owner_id", "status", "created_at"]),
            }
        }
    })
}

/// JSON Schema (2020-12) of a policy document (SPEC §5).
pub fn policy_json_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://openleash.dev/schemas/policy.json",
        "title": "openleash policy",
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "default", "rules"],
        "properties": {
            "version": {"const": 1},
            "default": {"enum": ["allow", "deny", "require_approval", "passthrough"]},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}}
        },
        "$defs": {
            "rule": {
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "effect", "action"],
                "properties": {
                    "id": {"type": "string", "minLength": 1, "description": "unique within the file"},
                    "effect": {"enum": ["allow", "deny"]},
                    "action": {"type": "string", "pattern": "^(\\*|[^*]+(\\.\\*)?)$", "description": "exact type, `prefix.*`, or `*`"},
                    "description": {"type": "string"},
                    "when": {"$ref": "#/$defs/expr"},
                    "constraints": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "amount_min": {"type": "number"},
                            "amount_max": {"type": "number"},
                            "currency": {"type": "array", "items": {"type": "string"}},
                            "merchant_domain": {"type": "array", "items": {"type": "string"}},
                            "allowed_domains": {"type": "array", "items": {"type": "string"}},
                            "blocked_domains": {"type": "array", "items": {"type": "string"}}
                        }
                    },
                    "requirements": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {"min_assurance_level": {"enum": ["LOW", "SUBSTANTIAL", "HIGH"]}}
                    },
                    "obligations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"enum": ["HUMAN_APPROVAL", "STEP_UP_AUTH", "DEPOSIT", "COUNTERPARTY_ATTESTATION"]},
                                "params": {"type": "object"}
                            }
                        }
                    },
                    "proof": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {"required": {"type": "boolean"}, "ttl_seconds": {"type": "integer", "minimum": 1}}
                    },
                    "limits": limits_schema(),
                    "approval_ttl": {"type": "string", "pattern": "^[0-9]+[smhd]$", "description": "how long an approval request of this rule stays open (shorter than approval.request_ttl_seconds)"}
                }
            },
            "expr": {
                "oneOf": [
                    {"type": "object", "additionalProperties": false, "required": ["all"], "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/expr"}}}},
                    {"type": "object", "additionalProperties": false, "required": ["any"], "properties": {"any": {"type": "array", "items": {"$ref": "#/$defs/expr"}}}},
                    {"type": "object", "additionalProperties": false, "required": ["not"], "properties": {"not": {"$ref": "#/$defs/expr"}}},
                    {"type": "object", "additionalProperties": false, "required": ["match"], "properties": {"match": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["path", "op"],
                        "properties": {
                            "path": {"type": "string", "pattern": "^\\$(\\.[A-Za-z_][A-Za-z0-9_]*|\\[[0-9]+\\]|\\[\"[^\"]*\"\\])*$"},
                            "op": {"enum": ["eq", "neq", "in", "nin", "lt", "lte", "gt", "gte", "regex", "exists"]},
                            "value": {}
                        }
                    }}}
                ]
            }
        }
    })
}

/// The `limits` of a rule (split out of [`policy_json_schema`] to keep `json!` shallow).
fn limits_schema() -> Value {
    json!({
        "type": "array",
        "description": "allow rules only: caps over sliding windows; a limit this action would exceed makes the rule not match",
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["window"],
            "properties": {
                "window": {"type": "string", "pattern": "^[0-9]*[1-9][0-9]*[smhd]$"},
                "max_amount_minor": {"type": "integer", "minimum": 1},
                "max_count": {"type": "integer", "minimum": 1},
                "per": {"oneOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}
            },
            "oneOf": [{"required": ["max_amount_minor"]}, {"required": ["max_count"]}]
        }
    })
}

/// `GET /v1/agents/policy-schema`.
pub fn policy_schema_document() -> Value {
    json!({
        "description": "Policies are YAML documents; the first rule whose action pattern, `when` condition and constraints all match decides. This JSON Schema describes their structure; `openleash policy validate` reports every problem with line and column.",
        "json_schema": policy_json_schema(),
        "reference": {
            "effects": {"allow": "allow the action (obligations may turn it into REQUIRE_APPROVAL, REQUIRE_STEP_UP or REQUIRE_DEPOSIT)", "deny": "deny the action"},
            "action_matching": {"*": "every action", "prefix.*": "`prefix` and `prefix.<anything>`", "other": "exact, case-sensitive"},
            "when_expressions": {"all": "every sub-expression (empty: true)", "any": "at least one (empty: false)", "not": "negation", "match": "{path, op, value} on the action request; ops eq neq in nin lt lte gt gte regex exists"},
            "constraints": {"amount_min": "payload.amount_minor >= value", "amount_max": "payload.amount_minor <= value", "currency": "payload.currency in list", "merchant_domain": "payload.merchant_domain (else relying_party.domain) in list", "allowed_domains": "payload.domain (else relying_party.domain) in list", "blocked_domains": "not in list"},
            "obligations": ["HUMAN_APPROVAL", "STEP_UP_AUTH", "DEPOSIT", "COUNTERPARTY_ATTESTATION"],
            "requirements": {"min_assurance_level": "payload.assurance_level (default LOW) must reach LOW < SUBSTANTIAL < HIGH, else a STEP_UP_AUTH obligation"},
            "proof": {"required": "issue a proof token on ALLOW", "ttl_seconds": "token lifetime (capped by tokens.max_ttl_seconds)"},
            "limits": {"window": "sliding window: <n>s|m|h|d", "max_amount_minor": "sum of payload.amount_minor of earlier ALLOWs by this rule in the window, per currency", "max_count": "number of earlier ALLOWs by this rule in the window", "per": "counter scope: agent (default), owner, or payload field names"},
            "approval_ttl": "duration <n>s|m|h|d: an approval request for this rule's HUMAN_APPROVAL expires after it (capped by approval.request_ttl_seconds)"
        },
        "action_taxonomy": ["purchase", "payment.*", "communication.email", "communication.message", "government.*", "data.read", "data.write"],
        "examples": [{
            "name": "small purchases",
            "policy_yaml": "version: 1\ndefault: deny\nrules:\n  - id: small_purchases\n    effect: allow\n    action: purchase\n    constraints: { amount_max: 50000, currency: [USD, EUR] }\n    proof: { required: true, ttl_seconds: 300 }\n"
        }],
        "playground": {"endpoint": "/v1/playground/run", "body": {"policy_yaml": "string", "action": "ActionRequest"}},
        "tips": {"test": "write policy tests and run `openleash policy test`", "diff": "`openleash policy diff OLD NEW --fail-on-widening` flags anything that got wider"}
    })
}

// ---------------------------------------------------------------------------------------------
// Approval requests, policy drafts, owner and admin (src/server/workflow.rs)

fn id_param() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}])
}

pub(super) fn with_id(mut o: Value) -> Value {
    o["parameters"] = id_param();
    o
}

fn with_query(mut o: Value, names: &[&str]) -> Value {
    let mut ps: Vec<Value> = o["parameters"].as_array().cloned().unwrap_or_default();
    for n in names {
        ps.push(json!({"name": n, "in": "query", "required": false, "schema": {"type": "string"}}));
    }
    o["parameters"] = Value::Array(ps);
    o
}

fn approval_status() -> Value {
    json!({"enum": ["PENDING", "APPROVED", "DENIED", "EXPIRED"]})
}

fn approval_record() -> Value {
    obj(
        json!({"approval_request_id": STR(), "decision_id": STR(), "agent_principal_id": STR(), "agent_id": STR(), "owner_type": STR(), "owner_id": STR(), "action_type": STR(), "action_hash": STR(), "action": {"$ref": "#/components/schemas/ActionRequest"}, "justification": OPT_STR(), "context": {}, "status": approval_status(), "approval_token": OPT_STR(), "approval_token_expires_at": OPT_STR(), "resolved_at": OPT_STR(), "resolved_by": OPT_STR(), "denial_reason": OPT_STR(), "consumed_at": OPT_STR(), "created_at": STR(), "expires_at": STR()}),
        &[
            "approval_request_id",
            "status",
            "action_hash",
            "created_at",
            "expires_at",
        ],
    )
}

fn draft_record() -> Value {
    obj(
        json!({"policy_draft_id": STR(), "agent_principal_id": STR(), "agent_id": STR(), "owner_type": STR(), "owner_id": STR(), "applies_to_agent_principal_id": OPT_STR(), "name": OPT_STR(), "description": OPT_STR(), "policy_yaml": STR(), "justification": OPT_STR(), "status": approval_status(), "resulting_policy_id": OPT_STR(), "resolved_at": OPT_STR(), "resolved_by": OPT_STR(), "denial_reason": OPT_STR(), "created_at": STR()}),
        &["policy_draft_id", "status", "created_at"],
    )
}

pub(super) fn list_of(key: &str, item: Value) -> Value {
    obj(json!({ key: {"type": "array", "items": item} }), &[key])
}

/// A keyset page of `key` items (see `handlers::page`): the items under the list's own field,
/// plus `next_cursor` (null on the last page), `total` (matching items) and the applied `limit`.
pub(super) fn page_of(key: &str, item: Value) -> Value {
    obj(
        json!({
            key: {"type": "array", "items": item},
            "next_cursor": OPT_STR(),
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer", "minimum": 1, "maximum": 1000},
        }),
        &[key, "next_cursor", "total", "limit"],
    )
}

/// Adds `limit` and `cursor` to a paged list operation, and the 400 a bad one gets.
pub(super) fn with_paging(mut o: Value) -> Value {
    let mut ps: Vec<Value> = o["parameters"].as_array().cloned().unwrap_or_default();
    ps.push(json!({"name": "limit", "in": "query", "required": false, "description": "Items per page, 1–1000", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}));
    ps.push(json!({"name": "cursor", "in": "query", "required": false, "description": "The next_cursor of the previous page (opaque; omit for the first page)", "schema": {"type": "string"}}));
    o["parameters"] = Value::Array(ps);
    if o["responses"].get("400").is_none() {
        o["responses"]["400"] = json!({"description": "INVALID_REQUEST (limit out of range, or a cursor not handed out for this list)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    }
    o
}

pub fn doc_agent_create_approval() -> Value {
    op(
        "Ask the owner to approve a REQUIRE_APPROVAL decision (the decision must be this agent's, unexpired, for the same action)",
        obj(
            json!({"approval_request_id": STR(), "status": {"const": "PENDING"}, "expires_at": STR()}),
            &["approval_request_id", "status", "expires_at"],
        ),
        &[(
            "400",
            "INVALID_REQUEST, INVALID_ACTION_REQUEST, INVALID_DECISION, AGENT_MISMATCH",
        )],
        Some(obj(
            json!({"decision_id": STR(), "action": {"$ref": "#/components/schemas/ActionRequest"}, "justification": STR(), "context": {"type": "object"}}),
            &["decision_id", "action"],
        )),
    )
}

pub fn doc_agent_get_approval() -> Value {
    with_id(op(
        "The calling agent's approval request (effective status; the approval token once APPROVED)",
        obj(
            json!({"approval_request_id": STR(), "status": approval_status(), "action_type": STR(), "action_hash": STR(), "justification": OPT_STR(), "created_at": STR(), "expires_at": STR(), "resolved_at": OPT_STR(), "denial_reason": OPT_STR(), "approval_token": STR(), "approval_token_expires_at": STR()}),
            &["approval_request_id", "status"],
        ),
        &[("400", "INVALID_ID"), ("404", "NOT_FOUND")],
        None,
    ))
}

pub fn doc_agent_create_draft() -> Value {
    op(
        "Propose a policy (validated now; INVALID_POLICY carries every diagnostic in details). applies_to_agent_principal_id: absent = the calling agent, null = owner-wide",
        obj(
            json!({"policy_draft_id": STR(), "status": {"const": "PENDING"}, "created_at": STR()}),
            &["policy_draft_id", "status", "created_at"],
        ),
        &[("400", "INVALID_REQUEST, INVALID_POLICY, INVALID_ID")],
        Some(obj(
            json!({"policy_yaml": STR(), "applies_to_agent_principal_id": OPT_STR(), "name": STR(), "description": STR(), "justification": STR()}),
            &["policy_yaml"],
        )),
    )
}

pub fn doc_agent_list_drafts() -> Value {
    with_paging(with_query(
        op(
            "The calling agent's policy drafts, newest first",
            page_of("policy_drafts", draft_record()),
            &[(
                "400",
                "INVALID_REQUEST (unknown status, bad limit or cursor)",
            )],
            None,
        ),
        &["status"],
    ))
}

pub fn doc_agent_get_draft() -> Value {
    with_id(op(
        "One of the calling agent's policy drafts",
        draft_record(),
        &[("400", "INVALID_ID"), ("404", "NOT_FOUND")],
        None,
    ))
}

pub fn doc_owner_login() -> Value {
    op(
        "Owner login: a session token (purpose user_session)",
        obj(
            json!({"token": STR(), "expires_at": STR(), "user_principal_id": STR(), "system_roles": {"type": "array"}, "org_memberships": {"type": "array"}}),
            &["token", "expires_at", "user_principal_id"],
        ),
        &[
            ("400", "INVALID_REQUEST"),
            (
                "401",
                "INVALID_CREDENTIALS (unknown owner or wrong passphrase alike)",
            ),
        ],
        Some(obj(
            json!({"user_principal_id": STR(), "owner_id": STR(), "passphrase": STR()}),
            &["passphrase"],
        )),
    )
}

pub(super) fn session_errors() -> [(&'static str, &'static str); 1] {
    [(
        "401",
        "INVALID_SESSION (missing, forged, expired, or not a session token)",
    )]
}

pub fn doc_owner_logout() -> Value {
    op(
        "Log out (stateless; audited)",
        obj(json!({"status": {"const": "logged_out"}}), &["status"]),
        &session_errors(),
        None,
    )
}

pub fn doc_agents() -> Value {
    with_paging(op(
        "Agents (the owner's own, or all for admins), oldest first",
        page_of("agents", json!({"type": "object"})),
        &session_errors(),
        None,
    ))
}

pub fn doc_owner_set_agent_status() -> Value {
    with_id(op(
        "Revoke or re-activate one of the owner's agents",
        obj(
            json!({"agent_principal_id": STR(), "agent_id": STR(), "status": STR()}),
            &["agent_principal_id", "status"],
        ),
        &[
            ("400", "INVALID_REQUEST, INVALID_ID"),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
            ("409", "AGENT_ID_TAKEN"),
        ],
        Some(obj(
            json!({"status": {"enum": ["ACTIVE", "REVOKED"]}}),
            &["status"],
        )),
    ))
}

pub fn doc_owner_create_invite() -> Value {
    op(
        "Create a single-use agent invite (the token is returned only this once)",
        obj(
            json!({"invite_id": STR(), "invite_token": STR(), "invite_url": STR(), "owner_id": STR(), "expires_at": STR()}),
            &["invite_id", "invite_token", "invite_url", "expires_at"],
        ),
        &[("400", "INVALID_REQUEST"), ("401", "INVALID_SESSION")],
        Some(obj(
            json!({"ttl_seconds": {"type": ["integer", "null"], "minimum": 1}}),
            &[],
        )),
    )
}

fn policy_record() -> Value {
    obj(
        json!({"policy_id": STR(), "owner_type": STR(), "owner_id": STR(), "name": OPT_STR(), "description": OPT_STR(), "created_at": STR(), "updated_at": OPT_STR(), "applies_to_agent_principal_id": OPT_STR(), "rank": {"type": ["integer", "null"]}, "policy_yaml": STR(), "error": {"const": "file_not_found"}}),
        &["policy_id", "owner_id", "created_at"],
    )
}

pub fn doc_owner_list_policies() -> Value {
    with_paging(op(
        "The owner's policies: agent-bound first, then owner-wide, by rank",
        page_of("policies", policy_record()),
        &session_errors(),
        None,
    ))
}

pub fn doc_owner_create_policy() -> Value {
    op(
        "Create a policy (validated) and bind it to one of the owner's agents or owner-wide, at the next rank",
        obj(
            json!({"policy_id": STR(), "user_principal_id": STR(), "applies_to_agent_principal_id": OPT_STR(), "rank": {"type": "integer"}}),
            &[
                "policy_id",
                "user_principal_id",
                "applies_to_agent_principal_id",
            ],
        ),
        &[
            (
                "400",
                "INVALID_POLICY (diagnostics in details), INVALID_REQUEST, INVALID_ID",
            ),
            ("401", "INVALID_SESSION"),
        ],
        Some(obj(
            json!({"policy_yaml": STR(), "applies_to_agent_principal_id": OPT_STR(), "name": OPT_STR(), "description": OPT_STR()}),
            &["policy_yaml"],
        )),
    )
}

pub fn doc_owner_get_policy() -> Value {
    with_id(op(
        "One of the owner's policies with its YAML",
        policy_record(),
        &[("401", "INVALID_SESSION"), ("404", "NOT_FOUND")],
        None,
    ))
}

pub fn doc_owner_update_policy() -> Value {
    with_id(op(
        "Replace a policy's YAML (validated) and/or its name and description",
        obj(
            json!({"policy_id": STR(), "status": {"const": "updated"}}),
            &["policy_id", "status"],
        ),
        &[
            (
                "400",
                "INVALID_POLICY (diagnostics in details), VALIDATION_ERROR, INVALID_REQUEST",
            ),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
        ],
        Some(obj(
            json!({"policy_yaml": STR(), "name": OPT_STR(), "description": OPT_STR()}),
            &[],
        )),
    ))
}

pub fn doc_owner_delete_policy() -> Value {
    with_id(op(
        "Delete a policy, its file and every binding of it",
        obj(
            json!({"policy_id": STR(), "status": {"const": "deleted"}, "bindings_removed": {"type": "integer"}}),
            &["policy_id", "status"],
        ),
        &[("401", "INVALID_SESSION"), ("404", "NOT_FOUND")],
        None,
    ))
}

pub fn doc_owner_list_approvals() -> Value {
    with_paging(with_query(
        op(
            "The owner's approval requests, newest first, effective status",
            page_of("approval_requests", approval_record()),
            &session_errors(),
            None,
        ),
        &["status", "agent_principal_id"],
    ))
}

pub fn doc_owner_get_approval() -> Value {
    with_id(op(
        "One approval request of the owner",
        approval_record(),
        &[
            ("400", "INVALID_ID"),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
        ],
        None,
    ))
}

pub fn doc_owner_approve() -> Value {
    with_id(op(
        "Approve: issues the single-use approval token bound to request, agent, owner and action hash",
        obj(
            json!({"approval_request_id": STR(), "status": {"const": "APPROVED"}, "approval_token": STR(), "approval_token_expires_at": STR()}),
            &[
                "approval_request_id",
                "status",
                "approval_token",
                "approval_token_expires_at",
            ],
        ),
        &[
            ("400", "INVALID_STATUS, REQUEST_EXPIRED, INVALID_ID"),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
        ],
        None,
    ))
}

pub fn doc_owner_deny() -> Value {
    let mut o = with_id(op(
        "Deny (reason optional; recorded as null when absent)",
        obj(
            json!({"status": {"const": "DENIED"}, "denial_reason": OPT_STR()}),
            &["status"],
        ),
        &[
            ("400", "INVALID_STATUS, REQUEST_EXPIRED, INVALID_ID"),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
        ],
        Some(obj(json!({"reason": STR()}), &[])),
    ));
    o["requestBody"]["required"] = json!(false);
    o
}

pub fn doc_owner_list_drafts() -> Value {
    with_paging(with_query(
        op(
            "The owner's policy drafts, newest first",
            page_of("policy_drafts", draft_record()),
            &session_errors(),
            None,
        ),
        &["status"],
    ))
}

pub fn doc_owner_get_draft() -> Value {
    with_id(op(
        "One policy draft of the owner",
        draft_record(),
        &[
            ("400", "INVALID_ID"),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
        ],
        None,
    ))
}

pub fn doc_owner_approve_draft() -> Value {
    with_id(op(
        "Approve a draft: creates the policy and binds it (to the target agent, or owner-wide)",
        obj(
            json!({"policy_draft_id": STR(), "status": {"const": "APPROVED"}, "policy_id": STR(), "applies_to_agent_principal_id": OPT_STR()}),
            &["policy_draft_id", "status", "policy_id"],
        ),
        &[
            ("400", "INVALID_STATUS, INVALID_POLICY, INVALID_ID"),
            ("401", "INVALID_SESSION"),
            ("404", "NOT_FOUND"),
        ],
        None,
    ))
}

pub fn doc_audit() -> Value {
    with_query(
        op(
            "Audit events, newest first (owners: their own scope only)",
            obj(
                json!({"items": {"type": "array"}, "next_cursor": OPT_STR()}),
                &["items", "next_cursor"],
            ),
            &[("401", "INVALID_SESSION, ADMIN_UNAUTHORIZED")],
            None,
        ),
        &["limit", "cursor"],
    )
}

pub fn doc_admin_create_user() -> Value {
    op(
        "Create a user (owner)",
        obj(
            json!({"user_principal_id": STR(), "display_name": STR(), "status": STR()}),
            &["user_principal_id"],
        ),
        &[
            ("400", "INVALID_REQUEST, WEAK_PASSPHRASE"),
            ("401", "ADMIN_UNAUTHORIZED"),
        ],
        Some(obj(
            json!({"display_name": STR(), "passphrase": STR()}),
            &["display_name"],
        )),
    )
}

pub fn doc_admin_policies() -> Value {
    with_paging(op(
        "Every policy with its YAML by id, a page at a time, and the bindings of the page's policies",
        obj(
            json!({"policies": {"type": "array"}, "bindings": {"type": "array"}, "next_cursor": OPT_STR(), "total": {"type": "integer"}, "limit": {"type": "integer"}}),
            &["policies", "bindings", "next_cursor", "total", "limit"],
        ),
        &[("401", "ADMIN_UNAUTHORIZED")],
        None,
    ))
}

pub fn doc_admin_config() -> Value {
    op(
        "The effective config.yaml, secrets redacted",
        json!({"type": "object"}),
        &[("401", "ADMIN_UNAUTHORIZED")],
        None,
    )
}

pub fn doc_admin_state() -> Value {
    let count = json!({"type": "integer", "minimum": 0});
    op(
        "How many records of each kind the data directory holds, and the active signing key",
        obj(
            json!({
                "version": {"type": "integer"},
                "created_at": {"type": ["string", "null"], "format": "date-time"},
                "counts": obj(
                    json!({"users": count, "organizations": count, "memberships": count,
                           "agents": count, "policies": count, "bindings": count, "keys": count}),
                    &["users", "organizations", "memberships", "agents", "policies", "bindings", "keys"],
                ),
                "active_kid": {"type": "string"},
            }),
            &["version", "created_at", "counts", "active_kid"],
        ),
        &[("401", "ADMIN_UNAUTHORIZED")],
        None,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn policy_schema_examples_are_valid_policies() {
        let doc = super::policy_schema_document();
        for ex in doc["examples"].as_array().unwrap() {
            let yaml = ex["policy_yaml"].as_str().unwrap();
            let checked = crate::policy::check_policy("example", yaml.as_bytes());
            assert_eq!(checked.errors(), 0, "{yaml}: {:?}", checked.diagnostics);
        }
    }
}
