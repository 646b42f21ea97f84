//! Portal sessions and request forgery defences (SPEC §15).
//!
//! * The session is the owner API's PASETO session token, carried in cookie `openleash_session`
//!   (`HttpOnly; SameSite=Strict; Path=/`, plus `Secure` when `server.public_url` is https), so
//!   revocation, expiry and key rotation work the same on both faces.
//! * Every POST carries a CSRF token: HMAC-SHA256 over the session token with a per-process
//!   secret, compared in constant time. It needs no storage, differs per session, and cannot be
//!   computed by a page that does not know the (HttpOnly) session token. The login form, which
//!   has no session yet, uses a random double-submit cookie instead.
//! * A POST whose `Origin` (or `Sec-Fetch-Site`) says it comes from another site is refused
//!   before anything else.

use super::Request;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SESSION_COOKIE: &str = "openleash_session";
pub const LOGIN_COOKIE: &str = "openleash_login";

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(r: &Request<'a>, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .filter(|h| h.field.as_str().as_str().eq_ignore_ascii_case("cookie"))
        .flat_map(|h| h.value.as_str().split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// `HttpOnly; SameSite=Strict; Path=/` and `Secure` behind https.
pub fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(name: &str, secure: bool) -> String {
    set_cookie(name, "", 0, secure)
}

/// The CSRF token of a session: hex HMAC-SHA256(secret, "csrf\0" || session token).
pub fn csrf_token(secret: &[u8; 32], session: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        // HMAC accepts keys of any length; unreachable, and an empty token then never matches.
        Err(_) => return String::new(),
    };
    mac.update(b"csrf\0");
    mac.update(session.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of a submitted token with the expected one.
pub fn token_matches(expected: &str, submitted: Option<&str>) -> bool {
    !expected.is_empty()
        && submitted.is_some_and(|s| crate::crypto::ct_eq(expected.as_bytes(), s.as_bytes()))
}

/// Whether a state-changing request comes from this site. `Sec-Fetch-Site`, when sent, must be
/// `same-origin` (or `none`: typed by the user); a present `Origin` must be this server's (as
/// addressed in `Host`, or `server.public_url`). Browsers send `Origin: null` for every POST from
/// a page with `Referrer-Policy: no-referrer` (ours), so `null` passes only together with
/// `Sec-Fetch-Site: same-origin`. Requests with neither header (curl, old clients) rely on the
/// CSRF token alone.
pub fn same_origin(r: &Request<'_>, public_url: &str) -> bool {
    let site = r.header("sec-fetch-site").map(str::trim);
    if site
        .is_some_and(|s| !s.eq_ignore_ascii_case("same-origin") && !s.eq_ignore_ascii_case("none"))
    {
        return false;
    }
    let Some(origin) = r.header("origin").map(str::trim) else {
        return true;
    };
    if origin == "null" {
        return site.is_some_and(|s| s.eq_ignore_ascii_case("same-origin"));
    }
    let origin = origin.trim_end_matches('/');
    let host = r.header("host").unwrap_or_default().trim();
    let public = public_url.trim_end_matches('/');
    let public_origin = public
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or("")));
    (!host.is_empty()
        && (origin.eq_ignore_ascii_case(&format!("http://{host}"))
            || origin.eq_ignore_ascii_case(&format!("https://{host}"))))
        || public_origin.is_some_and(|p| !p.is_empty() && origin.eq_ignore_ascii_case(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(headers: &'a [tiny_http::Header]) -> Request<'a> {
        Request {
            method: "POST",
            path: "/gui/logout",
            query: None,
            headers,
            body: b"",
            peer: None,
        }
    }

    fn h(n: &str, v: &str) -> tiny_http::Header {
        tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes()).unwrap()
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let hs = [h(
            "Cookie",
            "a=1; openleash_session=tok; openleash_session_x=no",
        )];
        assert_eq!(cookie(&req(&hs), SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie(&req(&hs), "b"), None);
        let c = set_cookie(SESSION_COOKIE, "t", 60, true);
        assert!(c.contains("HttpOnly; SameSite=Strict; Path=/") && c.ends_with("; Secure"));
    }

    #[test]
    fn csrf_tokens_differ_per_session_and_secret() {
        let s1 = [1u8; 32];
        let s2 = [2u8; 32];
        let t = csrf_token(&s1, "session-a");
        assert_eq!(t.len(), 64);
        assert_ne!(t, csrf_token(&s1, "session-b"));
        assert_ne!(t, csrf_token(&s2, "session-a"));
        assert!(token_matches(&t, Some(&t)));
        assert!(!token_matches(&t, Some("")));
        assert!(!token_matches(&t, None));
        assert!(!token_matches("", Some("")));
    }

    #[test]
    fn foreign_origins_are_refused() {
        let host = h("Host", "127.0.0.1:8787");
        let ok = [host.clone(), h("Origin", "http://127.0.0.1:8787")];
        assert!(same_origin(&req(&ok), ""));
        let evil = [host.clone(), h("Origin", "http://evil.example")];
        assert!(!same_origin(&req(&evil), ""));
        let null = [host.clone(), h("Origin", "null")];
        assert!(!same_origin(&req(&null), ""));
        let null_same = [
            host.clone(),
            h("Origin", "null"),
            h("Sec-Fetch-Site", "same-origin"),
        ];
        assert!(same_origin(&req(&null_same), ""));
        let same_site = [
            host.clone(),
            h("Origin", "null"),
            h("Sec-Fetch-Site", "same-site"),
        ];
        assert!(!same_origin(&req(&same_site), ""));
        let public = [host.clone(), h("Origin", "https://leash.example.org")];
        assert!(same_origin(&req(&public), "https://leash.example.org/"));
        let cross = [host.clone(), h("Sec-Fetch-Site", "cross-site")];
        assert!(!same_origin(&req(&cross), ""));
        assert!(same_origin(&req(&[host]), ""));
    }
}
