//! The HTTP client of the CLI's remote modes (`--url`): plain JSON calls to an `openleash start`
//! server, optionally signed as an agent. Server errors keep their wire code, so a remote
//! `AGENT_INACTIVE` exits 77 exactly like a local one (SPEC §3).

use crate::error::{Error, ErrorCode, Result};
use ed25519_dalek::SigningKey;
use serde_json::Value;
use std::time::Duration;

pub struct Client {
    base: String,
    agent: ureq::Agent,
    signer: Option<(String, SigningKey)>,
}

impl Client {
    /// A client for the server at `base` (`http://host:port`, any trailing `/` ignored).
    pub fn new(base: &str) -> Result<Client> {
        let base = base.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::new(
                ErrorCode::Usage,
                format!("--url {base:?} is not an http:// URL"),
            )
            .with_hint("pass the server's base URL, e.g. --url http://127.0.0.1:8787"));
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        Ok(Client {
            base,
            agent: config.into(),
            signer: None,
        })
    }

    /// Signs every request as `agent_id` with `key` (SPEC §7).
    pub fn signed_as(mut self, agent_id: &str, key: SigningKey) -> Client {
        self.signer = Some((agent_id.to_string(), key));
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn get(&self, path: &str) -> Result<Value> {
        self.call("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::internal(format!("cannot serialise the request: {e}")))?;
        self.call("POST", path, Some(&bytes))
    }

    fn call(&self, method: &str, path: &str, body: Option<&[u8]>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let headers: Vec<(&'static str, String)> = match &self.signer {
            Some((id, key)) => {
                let signed_path = crate::crypto::request_signing::path_without_query(path);
                crate::crypto::request_signing::signed_headers(key, id, method, signed_path, body)
            }
            None => Vec::new(),
        };
        let unreachable = |e: ureq::Error| {
            Error::new(
                ErrorCode::RemoteUnavailable,
                format!("cannot reach {url}: {e}"),
            )
            .with_hint("check that `openleash start` runs there and that --url is right")
        };
        let mut resp = match (method, body) {
            ("GET", _) => {
                let mut rb = self
                    .agent
                    .get(&url)
                    .header("Content-Type", "application/json");
                for (k, v) in &headers {
                    rb = rb.header(*k, v.as_str());
                }
                rb.call().map_err(unreachable)?
            }
            (_, body) => {
                let mut rb = self
                    .agent
                    .post(&url)
                    .header("Content-Type", "application/json");
                for (k, v) in &headers {
                    rb = rb.header(*k, v.as_str());
                }
                rb.send(body.unwrap_or_default()).map_err(unreachable)?
            }
        };
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| {
                Error::new(
                    ErrorCode::RemoteUnavailable,
                    format!("reading the response from {url} failed: {e}"),
                )
            })?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|_| {
            Error::new(
                ErrorCode::RemoteUnavailable,
                format!("{url} answered HTTP {status} with a body that is not JSON"),
            )
            .with_hint("is --url pointing at an openleash server?")
        })?;
        if (200..300).contains(&status) {
            return Ok(value);
        }
        Err(remote_error(status, &value))
    }
}

/// Maps a server error envelope through the shared code table (never by HTTP status alone).
pub fn remote_error(status: u16, v: &Value) -> Error {
    let code = v["error"]["code"].as_str().unwrap_or("");
    let message = v["error"]["message"]
        .as_str()
        .unwrap_or("the server refused the request");
    let mapped = ErrorCode::from_wire(code).unwrap_or(match status {
        401 | 403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        400..=499 => ErrorCode::InvalidRequest,
        _ => ErrorCode::RemoteUnavailable,
    });
    let mut e = Error::new(mapped, format!("server: {message}"));
    if let Some(d) = v["error"].get("details") {
        e.details = Some(d.clone());
    }
    if let Some(h) = v["error"]["hint"].as_str() {
        e.hint = Some(h.to_string());
    }
    e
}
