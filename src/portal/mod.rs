//! The owner portal at `/gui` and the HTML API reference at `/reference` (SPEC §15).
//!
//! Server-rendered HTML (maud: compile-time templates, escaped by construction), plain forms with
//! POST-redirect-GET, and one small embedded JS file that only enhances. Every page calls the same
//! `handlers::*` functions as the owner API and the CLI, so no rule lives here. The server's
//! dispatch hands requests for these prefixes to [`serve`]; the rest of this module only turns
//! HTTP into handler calls and handler results into pages.

mod agents;
mod approvals;
mod assets;
mod audit;
mod drafts;
mod layout;
mod orgs;
mod pages;
mod policies;
mod profile;
mod recovery;
mod reference;
mod security;
pub mod session;

use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::server::state::AppState;
use crate::store::owners::Owner;
use maud::Markup;
use std::net::SocketAddr;
use std::sync::Arc;

/// Content-Security-Policy of every portal response (SPEC §15): no inline script or style at all.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Per-process portal state: the CSRF secret. A restart changes it, so a form opened before a
/// restart is refused once (403 with a "reload the page" message) — sessions themselves survive.
pub struct Portal {
    secret: [u8; 32],
    /// Per owner: decisions of the last 24 h for the dashboard, read incrementally from the
    /// audit log (only events appended since the last look are parsed).
    tallies: std::sync::Mutex<std::collections::HashMap<String, pages::Tally>>,
}

impl Portal {
    pub fn new() -> Portal {
        Portal {
            secret: crate::crypto::random_bytes::<32>(),
            tallies: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl Default for Portal {
    fn default() -> Self {
        Portal::new()
    }
}

/// One HTTP request as the portal sees it (the body already read under the server's limits).
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a [tiny_http::Header],
    pub body: &'a [u8],
    pub peer: Option<SocketAddr>,
}

impl<'a> Request<'a> {
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// A query parameter, percent-decoded; empty values count as absent.
    pub fn query(&self, name: &str) -> Option<String> {
        pairs(self.query.unwrap_or(""))
            .into_iter()
            .find_map(|(k, v)| (k == name && !v.is_empty()).then_some(v))
    }

    fn peer_is_loopback(&self) -> bool {
        self.peer.is_some_and(|p| match p.ip() {
            std::net::IpAddr::V4(ip) => ip.is_loopback(),
            std::net::IpAddr::V6(ip) => {
                ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        })
    }
}

/// What the portal answers; the server adds its common headers (nosniff, Referrer-Policy, …)
/// unless a header here replaces one of the same name.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn html(status: u16, markup: Markup) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type".into(), "text/html; charset=utf-8".into()),
                ("Content-Security-Policy".into(), CSP.into()),
                ("X-Frame-Options".into(), "DENY".into()),
                ("Cache-Control".into(), "no-store".into()),
            ],
            body: markup.into_string().into_bytes(),
        }
    }

    /// 303 See Other: the GET after a POST, or a redirect to the login page.
    fn redirect(location: &str) -> Reply {
        Reply {
            status: 303,
            headers: vec![
                ("Location".into(), location.into()),
                ("Content-Security-Policy".into(), CSP.into()),
                ("Cache-Control".into(), "no-store".into()),
                ("Content-Type".into(), "text/plain; charset=utf-8".into()),
            ],
            body: Vec::new(),
        }
    }

    fn with_header(mut self, name: &str, value: String) -> Reply {
        self.headers.push((name.into(), value));
        self
    }
}

/// Paths the portal answers (the server asks before routing to the JSON API).
pub fn claims(path: &str) -> bool {
    ["/gui", "/reference"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
}

/// `/reference` is always served; `/gui` unless `start --no-gui` or `server.gui: false`.
pub fn enabled(state: &AppState, path: &str, config: Option<&Config>) -> bool {
    if path.starts_with("/reference") {
        return true;
    }
    state
        .gui_override
        .unwrap_or_else(|| config.is_none_or(|c| c.server.gui))
}

/// `a=1&b=x+y` → decoded pairs (undecodable pairs are dropped).
fn pairs(s: &str) -> Vec<(String, String)> {
    use crate::server::request::percent_decode;
    s.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

/// A submitted `application/x-www-form-urlencoded` form.
pub struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Form {
        Form(pairs(std::str::from_utf8(body).unwrap_or("")))
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A trimmed, non-empty value.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    }
}

/// A signed-in request: the session's owner and the tokens its forms carry.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub req: &'a Request<'a>,
    pub owner: Owner,
    pub token: String,
    pub csrf: String,
    pub config: Arc<Config>,
    /// Admin pages: the session comes from the server's own machine and `admin.mode` admits
    /// loopback callers (a browser cannot send the admin bearer token).
    pub admin: bool,
    pub now: time::OffsetDateTime,
    /// Every approval request of this owner, read once per request (the nav badge and the page
    /// share it).
    approvals: std::cell::OnceCell<Vec<crate::store::approvals::ApprovalRequest>>,
}

impl Ctx<'_> {
    pub fn dd(&self) -> &crate::store::DataDir {
        &self.state.dd
    }

    pub fn scope(&self) -> crate::handlers::approvals::OwnerScope<'_> {
        crate::handlers::approvals::OwnerScope::Owner(&self.owner.owner_id)
    }

    /// This owner's approval requests, newest first, with their effective status.
    pub fn approvals(&self) -> Result<&[crate::store::approvals::ApprovalRequest]> {
        if let Some(a) = self.approvals.get() {
            return Ok(a);
        }
        let list = crate::handlers::approvals::list(
            self.dd(),
            self.scope(),
            &crate::handlers::approvals::ListFilter::default(),
        )?;
        Ok(self.approvals.get_or_init(|| list))
    }

    /// Pending approvals in the nav badge.
    pub fn pending_count(&self) -> usize {
        self.approvals().map_or(0, |l| {
            l.iter()
                .filter(|r| r.status == crate::store::approvals::PENDING)
                .count()
        })
    }
}

/// Answers one portal request; never fails (errors become pages).
pub fn serve(state: &AppState, r: &Request<'_>) -> Reply {
    let result = route(state, r);
    match result {
        Ok(reply) => reply,
        Err(e) => {
            if e.http_status() >= 500 {
                crate::server::log::log_line(&format!(
                    "portal error on {}: [{}] {}",
                    r.path, e.code, e.message
                ));
            }
            let mut reply = Reply::html(e.http_status(), layout::error_page(&e));
            if e.code == ErrorCode::TooManyAttempts
                && let Some(s) = e
                    .details
                    .as_ref()
                    .and_then(|d| d["retry_after_seconds"].as_u64())
            {
                reply = reply.with_header("Retry-After", s.to_string());
            }
            reply
        }
    }
}

fn forbidden(why: &str) -> Error {
    Error::new(ErrorCode::Forbidden, why.to_string())
        .with_hint("go back, reload the page and submit the form again")
}

fn route(state: &AppState, r: &Request<'_>) -> Result<Reply> {
    let method = if r.method == "HEAD" { "GET" } else { r.method };
    if let Some(rest) = r.path.strip_prefix("/reference") {
        return match (method, rest) {
            ("GET", "" | "/") => Ok(reference::page(state)),
            ("GET", "/openapi.json") => Ok(reference::json_for(state)),
            _ => Err(not_found()),
        };
    }
    let rest = r.path.strip_prefix("/gui").unwrap_or("");
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let ["assets", name] = segs.as_slice() {
        return assets::serve(name).ok_or_else(not_found);
    }
    let config = state.config()?;
    let public_url = state.public_url();
    let secure = public_url.starts_with("https://");
    if method == "POST" && !session::same_origin(r, &public_url) {
        return Err(forbidden(
            "This form was sent from another site and was refused.",
        ));
    }
    if !matches!(method, "GET" | "POST") {
        return Err(Error::new(
            ErrorCode::MethodNotAllowed,
            format!("{} is not allowed here", r.method),
        ));
    }
    match (method, segs.as_slice()) {
        ("GET", ["login"]) => return pages::login_page(state, r, None, secure),
        ("POST", ["login"]) => return pages::login_submit(state, r, &config, secure),
        ("GET", ["recover"]) => return Ok(recovery::recover_page(r, secure)),
        ("POST", ["recover"]) => return recovery::recover_submit(state, r, &config, secure),
        ("GET", ["setup"]) => return recovery::setup_page(state, r, secure),
        ("POST", ["setup"]) => return recovery::setup_submit(state, r, secure),
        _ => {}
    }
    // Everything else needs a live session.
    let token = session::cookie(r, session::SESSION_COOKIE).map(str::to_string);
    let owner = token
        .as_deref()
        .map(|t| crate::handlers::owner::authenticate(&state.dd, t));
    let (owner, token) = match (owner, token) {
        (Some(Ok(o)), Some(t)) => (o, t),
        _ => {
            if method == "POST" {
                // A logged-out tab's form: nothing happens; go log in.
                return Ok(Reply::redirect("/gui/login?done=expired").with_header(
                    "Set-Cookie",
                    session::clear_cookie(session::SESSION_COOKIE, secure),
                ));
            }
            let next = if segs.is_empty() {
                String::new()
            } else {
                format!("?next={}", url_encode(r.path))
            };
            return Ok(Reply::redirect(&format!("/gui/login{next}")));
        }
    };
    let csrf = session::csrf_token(&state.portal.secret, &token);
    let form = Form::parse(r.body);
    if method == "POST" && !session::token_matches(&csrf, form.get("csrf")) {
        return Err(forbidden(
            "This form has no valid security token (it may be from before a restart or from another site), so nothing was changed.",
        ));
    }
    // Users with the system admin role see the admin pages from anywhere (SPEC §17).
    let admin = (config.admin.mode != "token" && r.peer_is_loopback())
        || crate::handlers::users::is_admin(&state.dd, &owner)?;
    let cx = Ctx {
        state,
        req: r,
        owner,
        token,
        csrf,
        config,
        admin,
        now: crate::timefmt::now(),
        approvals: std::cell::OnceCell::new(),
    };
    match (method, segs.as_slice()) {
        ("GET", []) => Ok(Reply::redirect("/gui/dashboard")),
        ("GET", ["dashboard"]) => pages::dashboard(&cx),
        ("POST", ["logout"]) => pages::logout(&cx, secure),
        ("GET", ["approvals"]) => approvals::inbox(&cx),
        ("GET", ["approvals", id]) => approvals::detail(&cx, id, None),
        ("POST", ["approvals", id, verb @ ("approve" | "deny")]) => {
            approvals::resolve(&cx, id, verb, &form)
        }
        ("GET", ["drafts"]) => drafts::list(&cx),
        ("GET", ["drafts", id]) => drafts::detail(&cx, id, None),
        ("POST", ["drafts", id, verb @ ("approve" | "deny")]) => {
            drafts::resolve(&cx, id, verb, &form)
        }
        ("GET", ["policies"]) => policies::list(&cx),
        ("GET", ["policies", "new"]) => policies::new_form(&cx, &form),
        ("POST", ["policies", "new"]) => policies::create(&cx, &form),
        ("GET", ["policies", id]) => policies::view(&cx, id),
        ("GET", ["policies", id, "edit"]) => policies::edit_form(&cx, id),
        ("POST", ["policies", id, "edit"]) => policies::edit_submit(&cx, id, &form),
        ("POST", ["policies", id, "delete"]) => policies::delete(&cx, id, &form),
        ("POST", ["policies", id, "bind"]) => policies::bind(&cx, id, &form),
        ("POST", ["policies", id, "unbind"]) => policies::unbind(&cx, id, &form),
        ("GET", ["agents"]) => agents::list(&cx, None),
        ("POST", ["agents", "invite"]) => agents::invite(&cx),
        ("GET", ["agents", id]) => agents::detail(&cx, id),
        ("POST", ["agents", id, "status"]) => agents::set_status(&cx, id, &form),
        ("GET", ["audit"]) => audit::page(&cx),
        ("GET", ["limits"]) => pages::limits(&cx),
        ("GET", ["profile"]) => pages::profile(&cx, None),
        ("POST", ["profile", "passphrase"]) => pages::change_passphrase(&cx, &form),
        ("POST", ["profile", "totp", "setup"]) => security::setup(&cx),
        ("POST", ["profile", "totp", "confirm"]) => security::confirm(&cx, &form),
        ("POST", ["profile", "totp", "disable"]) => security::disable(&cx, &form),
        ("POST", ["profile", "contacts"]) => profile::add_contact(&cx, &form),
        ("POST", ["profile", "contacts", id, "remove"]) => profile::remove_contact(&cx, id),
        ("POST", ["profile", "gov-ids"]) => profile::add_gov_id(&cx, &form),
        ("POST", ["profile", "gov-ids", cc, "remove"]) => profile::remove_gov_id(&cx, cc),
        ("POST", ["profile", "company-ids"]) => profile::add_company_id(&cx, &form),
        ("POST", ["profile", "company-ids", "remove"]) => profile::remove_company_id(&cx, &form),
        ("GET", ["orgs"]) => orgs::index(&cx, None),
        ("POST", ["orgs"]) => orgs::create(&cx, &form),
        ("POST", ["orgs", "invites", id, verb @ ("accept" | "decline")]) => {
            orgs::answer(&cx, id, verb)
        }
        ("GET", ["orgs", org]) => orgs::page_at(&cx, org, ""),
        ("GET", ["orgs", org, tab]) => orgs::page_at(&cx, org, tab),
        ("POST", ["orgs", org, "members", user, "role"]) => orgs::set_role(&cx, org, user, &form),
        ("POST", ["orgs", org, "members", user, "remove"]) => orgs::remove(&cx, org, user),
        ("POST", ["orgs", org, "invites"]) => orgs::invite(&cx, org, &form),
        ("POST", ["orgs", org, "invites", id, "revoke"]) => orgs::revoke(&cx, org, id),
        (
            "POST",
            [
                "orgs",
                org,
                tab @ ("approvals" | "drafts"),
                id,
                verb @ ("approve" | "deny"),
            ],
        ) => orgs::resolve(&cx, org, tab, id, verb, &form),
        ("GET", ["admin"]) => pages::admin(&cx),
        ("GET", ["admin", "keys"]) => pages::keys(&cx),
        ("POST", ["admin", "keys", "rotate"]) => pages::rotate_key(&cx),
        _ => Err(not_found()),
    }
}

fn not_found() -> Error {
    Error::new(ErrorCode::NotFound, "There is no page at this address.")
        .with_hint("use the navigation above, or start from the dashboard")
}

/// Percent-encodes everything but unreserved characters and `/` (for `next=` and filter links).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `next=` target that stays inside the portal (never another site: no `//`, no scheme).
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with("/gui/") && !n.starts_with("//") && !n.contains("://") && !n.contains('\\')
    })
    .unwrap_or_else(|| "/gui/dashboard".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert!(claims("/gui") && claims("/gui/") && claims("/gui/approvals/x"));
        assert!(claims("/reference") && claims("/reference/openapi.json"));
        assert!(!claims("/guide") && !claims("/v1/health") && !claims("/referencex"));
    }

    #[test]
    fn next_targets_stay_local() {
        assert_eq!(safe_next(Some("/gui/approvals".into())), "/gui/approvals");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/v1/health",
            "/gui\\..",
            "/gui/x://",
        ] {
            assert_eq!(safe_next(Some(bad.into())), "/gui/dashboard", "{bad}");
        }
        assert_eq!(url_encode("/gui/a b?c"), "/gui/a%20b%3Fc");
    }

    #[test]
    fn forms_decode() {
        let f = Form::parse(b"csrf=ab&reason=too+much%21&empty=");
        assert_eq!(f.get("csrf"), Some("ab"));
        assert_eq!(f.text("reason").as_deref(), Some("too much!"));
        assert_eq!(f.text("empty"), None);
    }
}
