//! A request as handlers see it, and a route as the table declares it: the types every route
//! module shares. They live apart from the table ([`super::router`]), which imports every route
//! module, so that route modules never import the table back.

use super::state::AppState;
use crate::error::{Error, ErrorCode, Result};
use crate::store::agents::Agent;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Public,
    /// Ed25519-signed agent request (SPEC §7).
    Agent,
    /// Owner session token (`Authorization: Bearer`, purpose `user_session`).
    Owner,
    /// `admin.mode`: a loopback peer and/or `Authorization: Bearer <admin.token>`.
    Admin,
    /// A provisioner token (`Authorization: Bearer olp_<id>.<secret>`), checked by
    /// `handlers::provisioners::authenticate`.
    Provisioner,
}

pub type Handler = fn(&AppState, &Req<'_>) -> Result<Value>;

pub struct Route {
    pub method: &'static str,
    /// Literal segments, or `{name}` for one path segment.
    pub path: &'static str,
    pub auth: Auth,
    pub handler: Handler,
    /// Responses worth caching by clients (public, non-personal data); all others are `no-store`.
    pub cacheable: bool,
    /// OpenAPI operation object (summary, request body, responses).
    pub doc: fn() -> Value,
}

/// One request as handlers see it.
pub struct Req<'a> {
    pub method: &'a str,
    /// The raw path, without the query string (no decoding: it is what clients sign).
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a [tiny_http::Header],
    pub body: &'a [u8],
    pub peer: Option<SocketAddr>,
    pub params: Vec<(&'static str, &'a str)>,
    /// The authenticated agent on `Auth::Agent` routes.
    pub agent: Option<Arc<Agent>>,
    /// Its request's nonce, when the shared store records it with the request's first change.
    pub nonce: Option<Box<super::auth::DeferredNonce>>,
    /// The session's owner on `Auth::Owner` routes.
    pub owner: Option<crate::store::owners::Owner>,
    /// The calling provisioner on `Auth::Provisioner` routes.
    pub provisioner: Option<crate::store::provisioners::Provisioner>,
    /// The config as this request first saw it: one request uses one config, read once.
    pub config: std::cell::OnceCell<Arc<crate::config::Config>>,
}

impl<'a> Req<'a> {
    /// The server's config for this request (read at most once per request).
    pub fn config(&self, state: &AppState) -> crate::error::Result<Arc<crate::config::Config>> {
        if let Some(c) = self.config.get() {
            return Ok(c.clone());
        }
        let c = state.config()?;
        Ok(self.config.get_or_init(|| c).clone())
    }

    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// A query parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query?.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k).as_deref() == Some(name))
                .then(|| percent_decode(v))
                .flatten()
        })
    }

    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The body as a JSON object (`INVALID_JSON` / `INVALID_REQUEST` otherwise).
    pub fn json_object(&self) -> Result<serde_json::Map<String, Value>> {
        match parse_json(self.body)? {
            Value::Object(m) => Ok(m),
            other => Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "the request body must be a JSON object, found {}",
                    json_kind(&other)
                ),
            )),
        }
    }

    pub fn agent(&self) -> Result<&Agent> {
        self.agent
            .as_deref()
            .ok_or_else(|| Error::internal("agent route without an authenticated agent"))
    }

    pub fn peer_is_loopback(&self) -> bool {
        self.peer.is_some_and(|p| match p.ip() {
            std::net::IpAddr::V4(ip) => ip.is_loopback(),
            std::net::IpAddr::V6(ip) => {
                ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        })
    }
}

pub fn parse_json(body: &[u8]) -> Result<Value> {
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!("the request body is not valid JSON: {e}"),
        )
        .with_details(serde_json::json!({"line": e.line(), "column": e.column()}))
    })
}

pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `%XX` decoding plus `+` as space (form encoding, as query strings use); `None` on bad escapes
/// or invalid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b+c").as_deref(), Some("a b c"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_decode("%2"), None);
    }
}
