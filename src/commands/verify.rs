//! `openleash verify <TOKEN|->`: verify a proof token offline, with the data directory's keys or
//! with keys given on the command line (`--public-key`, `--keys-file`, no data dir needed).
//! Exit 0 when valid, 1 when not; `--json` prints the `/v1/verify-proof` response shape.

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::VerifyArgs;
use crate::crypto::ed25519;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::PublicKey;
use crate::tokens::{self, VerifyOptions, VerifyResult};
use serde_json::Value;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(args: VerifyArgs, ctx: &Ctx) -> Result<u8> {
    let token = read_token(&args.token)?;
    if args.online {
        return online(&args, &token, ctx);
    }
    let explicit_keys =
        !args.public_key.is_empty() || args.keys_file.is_some() || args.url.is_some();
    let keys = if explicit_keys {
        let mut keys = Vec::new();
        for spec in &args.public_key {
            keys.push(parse_key_arg(spec)?);
        }
        if let Some(file) = &args.keys_file {
            keys.extend(read_keys_file(file)?);
        }
        if let Some(url) = &args.url {
            // Revoked keys too, so a token signed with one reads `Key revoked`, not `Unknown key id`.
            let client = crate::remote::Client::new(url)?;
            let doc = client.get("/v1/public-keys?include_revoked=true")?;
            keys.extend(keys_from_doc(
                &doc,
                &format!("{}/v1/public-keys", client.base()),
            )?);
        }
        keys
    } else {
        let dd = ctx.data().map_err(|e| {
            if e.code == ErrorCode::NotInitialized {
                e.with_hint(format!(
                    "verify with the data dir's keys needs `openleash init` (or --data-dir pointing at one); \
                     without a data dir pass the issuer's keys: --public-key [KID=]B64 or --keys-file public-keys.json \
                     (looked in {})",
                    ctx.data_dir.display()
                ))
            } else {
                e
            }
        })?;
        dd.verification_keys()?
    };

    let opts = VerifyOptions {
        expected_action_hash: args.expected_action_hash.as_deref(),
        expected_agent_id: args.expected_agent_id.as_deref(),
        allow_expired: args.allow_expired,
    };
    let result = tokens::verify_proof(&token, &keys, crate::timefmt::now(), &opts);

    // Upstream audits every verification except a missing token; we do so whenever a data dir is
    // there. The verdict is the product here, so an audit failure is reported but does not
    // change it.
    if result.reason.as_deref() != Some(tokens::reason::MISSING_TOKEN)
        && let Some(dd) = ctx.data_if_present()
    {
        let mut ev = NewEvent::new(
            "PROOF_VERIFIED",
            tokens::proof_verified_metadata(&result, &opts),
        );
        if let Some(id) = result.claim_str("decision_id") {
            ev = ev.decision(id);
        }
        if let Err(e) = dd.append_audit(vec![ev]) {
            crate::output::warn(&format!(
                "could not write the PROOF_VERIFIED audit event: {}",
                e.message
            ));
        }
    }

    print_result(ctx, &result);
    Ok(if result.valid { 0 } else { 1 })
}

/// `--online`: the server verifies (`POST /v1/verify-proof`, which also audits it there).
fn online(args: &VerifyArgs, token: &str, ctx: &Ctx) -> Result<u8> {
    let Some(url) = &args.url else {
        return Err(Error::new(ErrorCode::Usage, "--online needs --url")
            .with_hint("pass --url http://HOST:PORT of the server that issued the token"));
    };
    if args.allow_expired {
        return Err(Error::new(
            ErrorCode::Usage,
            "--allow-expired works only offline (the server never accepts expired tokens)",
        ));
    }
    let client = crate::remote::Client::new(url)?;
    let v = client.post(
        "/v1/verify-proof",
        &serde_json::json!({"token": token, "expected_action_hash": args.expected_action_hash, "expected_agent_id": args.expected_agent_id}),
    )?;
    let valid = v.get("valid").and_then(Value::as_bool).ok_or_else(|| {
        Error::new(
            ErrorCode::RemoteUnavailable,
            format!("{url}/v1/verify-proof answered without a boolean `valid`"),
        )
    })?;
    let result = VerifyResult {
        valid,
        reason: v.get("reason").and_then(Value::as_str).map(str::to_string),
        claims: v.get("claims").cloned(),
        kid: v
            .pointer("/claims/kid")
            .and_then(Value::as_str)
            .map(str::to_string),
        ..VerifyResult::default()
    };
    print_result(ctx, &result);
    Ok(if valid { 0 } else { 1 })
}

/// The token argument, or standard input for `-` (surrounding whitespace removed).
fn read_token(arg: &str) -> Result<String> {
    if arg != "-" {
        return Ok(arg.trim().to_string());
    }
    if std::io::stdin().is_terminal() {
        return Err(Error::new(
            ErrorCode::Usage,
            "`verify -` reads the token from standard input, which is a terminal",
        )
        .with_hint(
            "pipe the token in (`echo \"$TOKEN\" | openleash verify -`) or pass it as an argument",
        ));
    }
    Ok(super::read_text(Path::new("-"))?.trim().to_string())
}

/// `--public-key KID=B64` or `--public-key B64`. A bare SPKI key is tried first, since standard
/// base64 may end in `=` padding.
fn parse_key_arg(spec: &str) -> Result<PublicKey> {
    let spec = spec.trim();
    if let Ok(key) = ed25519::parse_public_key(spec) {
        return Ok(PublicKey {
            kid: None,
            key,
            revoked: false,
        });
    }
    match spec.split_once('=') {
        Some((kid, b64)) if !kid.is_empty() && !b64.is_empty() => {
            let key = ed25519::parse_public_key(b64).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidKey,
                    format!("--public-key {kid}=…: {}", e.message),
                )
                .with_hint(e.hint.clone().unwrap_or_default())
            })?;
            Ok(PublicKey {
                kid: Some(kid.to_string()),
                key,
                revoked: false,
            })
        }
        _ => Err(ed25519::parse_public_key(spec)
            .err()
            .unwrap_or_else(|| Error::new(ErrorCode::InvalidKey, "invalid public key"))
            .with_hint(
                "pass `--public-key KID=BASE64` or `--public-key BASE64`, where BASE64 is an \
                 Ed25519 SPKI DER key (starts with MCowBQYDK2VwAyEA)",
            )),
    }
}

/// Reads a `/v1/public-keys` document (`{"keys":[{kid, public_key_b64, revoked_at?}, …]}`, or the
/// bare array). A key with a non-null `revoked_at` is kept but marked revoked, so a token signed
/// with it fails as `Key revoked` rather than `Unknown key id`.
fn read_keys_file(path: &Path) -> Result<Vec<PublicKey>> {
    let name = path.display().to_string();
    let bytes = super::read_input(path)?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "{name}: malformed JSON at line {}, column {}",
                e.line(),
                e.column()
            ),
        )
        .with_details(serde_json::json!({"line": e.line(), "column": e.column()}))
    })?;
    keys_from_doc(&doc, &name)
}

/// The keys of a `/v1/public-keys` document; `name` says where it came from in errors.
fn keys_from_doc(doc: &Value, name: &str) -> Result<Vec<PublicKey>> {
    let bad = |why: String| {
        Error::new(ErrorCode::InvalidKey, format!("{name}: {why}")).with_hint(
            "expected the /v1/public-keys shape: {\"keys\":[{\"kid\":\"…\",\"public_key_b64\":\"MCowBQYDK2VwAyEA…\",\"revoked_at\":null}]} (e.g. from `openleash keys list --json`)",
        )
    };
    let list = match doc.get("keys").unwrap_or(doc) {
        Value::Array(list) => list,
        _ => return Err(bad("no \"keys\" array".into())),
    };
    let mut keys = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let Some(b64) = entry.get("public_key_b64").and_then(Value::as_str) else {
            return Err(bad(format!("keys[{i}] has no public_key_b64 string")));
        };
        let key =
            ed25519::parse_public_key(b64).map_err(|e| bad(format!("keys[{i}]: {}", e.message)))?;
        let kid = match entry.get("kid") {
            None | Some(Value::Null) => None,
            Some(Value::String(k)) if !k.is_empty() => Some(k.clone()),
            Some(_) => return Err(bad(format!("keys[{i}].kid is not a non-empty string"))),
        };
        let revoked = !matches!(entry.get("revoked_at"), None | Some(Value::Null));
        keys.push(PublicKey { kid, key, revoked });
    }
    if keys.is_empty() {
        return Err(bad("the key list is empty".into()));
    }
    Ok(keys)
}

fn print_result(ctx: &Ctx, r: &VerifyResult) {
    let out = &ctx.out;
    if out.json {
        out.json_value(&r.to_json());
        return;
    }
    if out.quiet {
        // Quiet mode answers through the exit code alone; a reason still helps on failure.
        if !r.valid {
            out.data(format!(
                "invalid: {}",
                r.reason.as_deref().unwrap_or_default()
            ));
        }
        return;
    }
    let headline = if r.valid && r.expired {
        format!(
            "{} proof token (signature good, but it has EXPIRED; accepted because of --allow-expired)",
            out.yellow("VALID")
        )
    } else if r.valid {
        format!("{} proof token", out.green("VALID"))
    } else {
        format!(
            "{} {}",
            out.red("INVALID:"),
            r.reason.as_deref().unwrap_or_default()
        )
    };
    out.line(headline);
    if let Some(d) = r.detail.as_deref().filter(|_| !r.valid) {
        out.line(format!("  {}", out.dim(d)));
    }
    // A revoked key is already named by the reason ("signed by key …, which has been revoked").
    if let Some(kid) = r
        .kid
        .as_ref()
        .filter(|_| r.reason.as_deref() != Some(tokens::reason::KEY_REVOKED))
    {
        out.line(format!("  signed by key {kid}"));
    }
    if let Some(Value::Object(claims)) = &r.claims {
        let label = if r.valid || r.reason.as_deref() != Some(tokens::reason::KEY_REVOKED) {
            "claims:"
        } else {
            "claims (signed by a revoked key):"
        };
        out.line(label);
        let width = claims.keys().map(String::len).max().unwrap_or(0);
        for (k, v) in claims {
            let shown = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.line(format!("  {k:<width$}  {shown}"));
        }
    }
}
