//! Login, logout, the dashboard, limits, profile and the admin pages.

use super::layout::{self, badge, csrf, empty, page, page_head, when};
use super::{Ctx, Form, Reply, Request, session};
use crate::audit::head::{HeadFile, SigCheck};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::summary::summarize;
use crate::server::state::AppState;
use maud::{Markup, html};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Login and logout

/// The frame of the pages shown before login (login, recovery, setup): the brand, one card
/// with a title, an intro line and any notices, and a line of links under it.
pub(super) fn pre_login_card(
    title: &str,
    intro: &str,
    notices: Markup,
    body: Markup,
    footer: Markup,
) -> Markup {
    layout::bare(
        title,
        html! {
            div.login-wrap {
                main.login #main {
                    div.brand { span.logo aria-hidden="true" { "ol" } "openleash" }
                    div.card {
                        h1 { (title) }
                        p.muted { (intro) }
                        (notices)
                        (body)
                    }
                    p.small.muted.right { (footer) }
                }
            }
        },
    )
}

fn login_markup(
    owner_hint: &str,
    next: &str,
    login_csrf: &str,
    problem: Option<&str>,
    info: Option<&str>,
) -> Markup {
    pre_login_card(
        "Log in",
        "Answer what your agents ask, review their policies and the audit log.",
        html! {
            @if let Some(p) = problem { (layout::notice("bad", p)) }
            @if let Some(i) = info { (layout::notice("info", i)) }
        },
        html! {
            form method="post" action="/gui/login" {
                input type="hidden" name="login_csrf" value=(login_csrf);
                input type="hidden" name="next" value=(next);
                div.field {
                    label for="owner" { "Owner" }
                    input #owner type="text" name="owner" value=(owner_hint) required autocomplete="username" autocapitalize="none" spellcheck="false";
                    div.help { "Your owner id or display name." }
                }
                div.field {
                    label for="passphrase" { "Passphrase" }
                    input #passphrase type="password" name="passphrase" required autocomplete="current-password" autofocus[!owner_hint.is_empty()];
                }
                button.btn.primary type="submit" { "Log in" }
            }
        },
        html! {
            a href="/gui/recover" { "Forgot your passphrase?" }
            " · "
            a href="/reference" { "API reference" }
        },
    )
}

/// The one owner's display name when there is exactly one (the login form pre-fills it).
fn single_owner(state: &AppState) -> String {
    match state.dd.owner_count_and_only() {
        Ok((1, Some(o))) => o.display_name,
        _ => String::new(),
    }
}

/// The double-submit token of the forms shown before login (login, recovery, setup): there is
/// no session to bind a token to yet. An existing one is kept so several open tabs all work;
/// send it back with [`with_form_token`].
pub(super) fn form_token(r: &Request<'_>) -> String {
    session::cookie(r, session::LOGIN_COOKIE)
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(
            || hex::encode(crate::crypto::random_bytes::<16>()),
            str::to_string,
        )
}

/// `reply` with the pre-login form token's cookie set.
pub(super) fn with_form_token(reply: Reply, token: &str, secure: bool) -> Reply {
    reply.with_header(
        "Set-Cookie",
        session::set_cookie(session::LOGIN_COOKIE, token, 3600, secure),
    )
}

/// Refuses a pre-login form whose token does not match its cookie.
pub(super) fn check_form_token(r: &Request<'_>, form: &Form, what: &str) -> Result<()> {
    let expected = session::cookie(r, session::LOGIN_COOKIE).unwrap_or_default();
    if session::token_matches(expected, form.get("login_csrf")) {
        Ok(())
    } else {
        Err(super::forbidden(&format!(
            "The {what} form has no valid security token (cookies may be blocked, or the form is old), so nothing was sent."
        )))
    }
}

fn login_reply(
    state: &AppState,
    r: &Request<'_>,
    status: u16,
    owner: Option<String>,
    problem: Option<&str>,
    secure: bool,
) -> Reply {
    let token = form_token(r);
    let info = match r.query("done").as_deref() {
        Some("logged_out") => Some("You are logged out."),
        Some("expired") => Some("Your session ended. Log in again to continue."),
        Some("passphrase_set") => Some("Your new passphrase is set. Log in with it."),
        _ => None,
    };
    let next = r.query("next").unwrap_or_default();
    let owner = owner.unwrap_or_else(|| single_owner(state));
    with_form_token(
        Reply::html(status, login_markup(&owner, &next, &token, problem, info)),
        &token,
        secure,
    )
}

pub fn login_page(
    state: &AppState,
    r: &Request<'_>,
    problem: Option<&str>,
    secure: bool,
) -> Result<Reply> {
    if let Some(t) = session::cookie(r, session::SESSION_COOKIE)
        && crate::handlers::owner::authenticate(&state.dd, t).is_ok()
    {
        return Ok(Reply::redirect("/gui/dashboard"));
    }
    Ok(login_reply(state, r, 200, None, problem, secure))
}

pub fn login_submit(
    state: &AppState,
    r: &Request<'_>,
    config: &Config,
    secure: bool,
) -> Result<Reply> {
    let form = Form::parse(r.body);
    check_form_token(r, &form, "login")?;
    let who = form.text("owner").unwrap_or_default();
    let pass = form.get("passphrase").unwrap_or_default();
    match crate::handlers::owner::login(
        &state.dd,
        config,
        &state.login_throttle,
        r.peer.map(|p| p.ip()),
        &who,
        pass,
    ) {
        Ok(v) => {
            let token = v["token"].as_str().unwrap_or_default();
            let next = super::safe_next(form.text("next"));
            Ok(Reply::redirect(&next)
                .with_header(
                    "Set-Cookie",
                    session::set_cookie(
                        session::SESSION_COOKIE,
                        token,
                        config.sessions.ttl_seconds,
                        secure,
                    ),
                )
                .with_header(
                    "Set-Cookie",
                    session::clear_cookie(session::LOGIN_COOKIE, secure),
                ))
        }
        Err(e) if e.code == ErrorCode::InvalidCredentials => Ok(login_reply(
            state,
            r,
            401,
            Some(who),
            Some("Wrong owner or passphrase. Check both and try again."),
            secure,
        )),
        Err(e) if e.code == ErrorCode::TooManyAttempts => {
            let secs = e
                .details
                .as_ref()
                .and_then(|d| d["retry_after_seconds"].as_u64())
                .unwrap_or(60);
            let msg = format!(
                "Too many failed attempts. Wait {} before trying again.",
                crate::handlers::summary::duration_words(secs as i64)
                    .unwrap_or_else(|| "a moment".into())
            );
            Ok(login_reply(state, r, 429, Some(who), Some(&msg), secure)
                .with_header("Retry-After", secs.to_string()))
        }
        Err(e) => Err(e),
    }
}

/// `POST /gui/logout`: revokes the session server-side, clears the cookie.
pub fn logout(cx: &Ctx<'_>, secure: bool) -> Result<Reply> {
    crate::handlers::owner::logout(cx.dd(), &cx.owner, &cx.token)?;
    Ok(Reply::redirect("/gui/login?done=logged_out").with_header(
        "Set-Cookie",
        session::clear_cookie(session::SESSION_COOKIE, secure),
    ))
}

// ---------------------------------------------------------------------------------------------
// Dashboard

/// Decisions of one owner seen in the audit log: (time, result), oldest first, and where the
/// log was read up to.
#[derive(Default)]
pub struct Tally {
    end: u64,
    seen: std::collections::VecDeque<(time::OffsetDateTime, String)>,
}

/// Decisions of the last 24 h by result, from the audit log (this owner's only). The first look
/// walks the owner's index back over the window; the log is append-only, so later looks parse
/// only the events after the last; a shorter log than before (repair, a new data dir) starts
/// over.
fn decisions_24h(cx: &Ctx<'_>) -> Result<BTreeMap<String, usize>> {
    let since = crate::timefmt::plus_seconds(cx.now, -86_400);
    let filter = crate::audit::query::Filter {
        types: vec!["DECISION_CREATED".into()],
        owner: Some(cx.owner.owner_id.clone()),
        since: Some(since),
        ..Default::default()
    };
    let mut tallies = cx
        .state
        .portal
        .tallies
        .lock()
        .map_err(|_| Error::internal("portal tally lock poisoned"))?;
    let t = tallies.entry(cx.owner.owner_id.to_lowercase()).or_default();
    if cx.dd().audit_end()? < t.end {
        *t = Tally::default();
    }
    if t.end == 0 {
        // The first look: the owner's last 24 h through its index, newest first, rather than
        // the whole log (the log is in time order as written; an event older than the window
        // ends the walk).
        let recent = crate::audit::query::Filter {
            since: None,
            ..filter.clone()
        };
        let mut newest_first = Vec::new();
        let covered = cx.dd().audit_newest_indexed(&recent, |ev| {
            match crate::timefmt::parse(&ev.timestamp) {
                Some(at) if at < since => false,
                Some(at) => {
                    let result = ev.metadata_json["result"].as_str().unwrap_or("OTHER");
                    newest_first.push((at, result.to_string()));
                    true
                }
                None => true,
            }
        })?;
        if let Some(end) = covered {
            t.seen = newest_first.into_iter().rev().collect();
            t.end = end;
        }
    }
    let (end, _) = cx.dd().audit_scan(&filter, t.end, |ev| {
        if let Some(at) = crate::timefmt::parse(&ev.timestamp) {
            let result = ev.metadata_json["result"]
                .as_str()
                .unwrap_or("OTHER")
                .to_string();
            t.seen.push_back((at, result));
        }
    })?;
    t.end = end;
    while t.seen.front().is_some_and(|(at, _)| *at < since) {
        t.seen.pop_front();
    }
    let mut counts = BTreeMap::new();
    for (_, result) in &t.seen {
        *counts.entry(result.clone()).or_insert(0) += 1;
    }
    Ok(counts)
}

/// The audit chain's state from its signed head (cheap; the full check is on the audit page).
pub fn chain_status(dd: &crate::store::DataDir) -> (&'static str, String) {
    match dd.read_audit_head() {
        Ok(HeadFile::Present(head, _)) => match dd.check_audit_head(&head) {
            Ok(SigCheck::Valid { .. }) => ("OK", format!("signed head at event {}", head.seq)),
            Ok(_) => ("BROKEN", "the head signature does not verify".into()),
            Err(e) => ("BROKEN", e.message.clone()),
        },
        Ok(HeadFile::Missing) => ("OK", "no events yet".into()),
        Ok(HeadFile::Unreadable(why)) => ("BROKEN", why),
        Err(e) => ("BROKEN", e.message.clone()),
    }
}

fn width_class(n: usize, max: usize) -> &'static str {
    if max == 0 || n == 0 {
        return "w0";
    }
    match n * 100 / max {
        0..=7 => "w5",
        8..=14 => "w10",
        15..=24 => "w20",
        25..=34 => "w30",
        35..=44 => "w40",
        45..=54 => "w50",
        55..=64 => "w60",
        65..=74 => "w70",
        75..=84 => "w80",
        85..=94 => "w90",
        _ => "w100",
    }
}

pub fn dashboard(cx: &Ctx<'_>) -> Result<Reply> {
    let mut pending: Vec<&crate::store::approvals::ApprovalRequest> = cx
        .approvals()?
        .iter()
        .filter(|r| r.status == crate::store::approvals::PENDING)
        .collect();
    pending.sort_by(|a, b| a.expires_at.cmp(&b.expires_at));
    let agents = crate::handlers::agents::list(cx.dd(), cx.scope())?;
    let active = agents.iter().filter(|a| a.is_active()).count();
    let drafts = crate::handlers::drafts::list(cx.dd(), cx.scope(), Some("PENDING"), None)?;
    let decisions = decisions_24h(cx)?;
    let total: usize = decisions.values().sum();
    let max = decisions.values().copied().max().unwrap_or(0);
    let (chain, chain_text) = chain_status(cx.dd());
    let by_pid: std::collections::HashMap<&str, &crate::store::agents::Agent> = agents
        .iter()
        .map(|a| (a.agent_principal_id.as_str(), a))
        .collect();
    let body = html! {
        (page_head(None, &format!("Hello, {}", cx.owner.display_name), Some(html! { "Here is what your agents are doing." }), None))
        div.grid {
            a.card.stat href="/gui/approvals" {
                div.label { "Pending approvals" }
                div.value { (pending.len()) }
                div.hint { @if pending.is_empty() { "Nothing waiting for you" } @else { "Waiting for your answer" } }
            }
            a.card.stat href="/gui/drafts" {
                div.label { "Policy drafts" }
                div.value { (drafts.len()) }
                div.hint { "Proposed by agents" }
            }
            a.card.stat href="/gui/agents" {
                div.label { "Agents" }
                div.value { (active) }
                div.hint { (agents.len() - active) " revoked" }
            }
            a.card.stat href="/gui/audit" {
                div.label { "Audit chain" }
                div.value { (badge(chain)) }
                div.hint { (chain_text) }
            }
        }
        div.cols {
            section.card {
                h2 { "Waiting for you" }
                @if pending.is_empty() {
                    (empty("✓", "No pending approvals", "You are all caught up."))
                } @else {
                    ul.list {
                        @for r in pending.iter().take(5) {
                            (super::approvals::item(cx, r, &summarize(r, by_pid.get(r.agent_principal_id.as_str()).copied(), cx.now)))
                        }
                    }
                    @if pending.len() > 5 { p { a href="/gui/approvals" { "See all " (pending.len()) " pending requests →" } } }
                }
            }
            section.card {
                h2 { "Decisions, last 24 h" }
                @if total == 0 {
                    (empty("◌", "No decisions yet", "Decisions appear here as your agents ask."))
                } @else {
                    div.bars {
                        @for (result, n) in &decisions {
                            div.bar-row {
                                span { (badge(result)) }
                                div.bar { span class=(format!("{} {}", width_class(*n, max), match result.as_str() { "ALLOW" => "ok", "DENY" => "bad", _ => "warn" })) {} }
                                span.right { (n) }
                            }
                        }
                    }
                    p.small.muted { (total) " decisions in total" }
                }
            }
            (near_cap_card(cx))
        }
    };
    Ok(Reply::html(
        200,
        page(cx, "Dashboard", "dashboard", true, body),
    ))
}

/// Limits at or above `notifications.near_cap_ratio` of their cap (read without the writer
/// lock, so the dashboard never holds up a decision).
fn near_cap_card(cx: &Ctx<'_>) -> Markup {
    let ratio = cx.config.notifications.near_cap_ratio;
    let rows = crate::handlers::limits::near_cap(cx.dd(), &cx.owner.owner_id, ratio);
    html! {
        section.card #near-cap {
            h2 { "Limits near their cap" }
            @match rows {
                Err(e) => { (layout::notice("bad", &format!("Limit usage cannot be read: {}", e.message))) }
                Ok(rows) if rows.is_empty() => {
                    (empty("∞", "No limit near its cap", &format!("Limits show here once {:.0} % of a window is used.", ratio * 100.0)))
                }
                Ok(rows) => {
                    ul.list {
                        @for r in rows.iter().take(5) {
                            li {
                                code { (r.agent_id) } " · " code { (r.rule_id) } ": "
                                strong { (r.describe(r.used)) } " of " (r.describe_max()) " per " (r.window)
                                @if let Some(f) = &r.frees_at { span.small.muted { " — frees up " (when(f, cx.now)) } }
                            }
                        }
                    }
                    p { a href="/gui/limits" { "All limits →" } }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Limits

pub fn limits(cx: &Ctx<'_>) -> Result<Reply> {
    let rows = crate::handlers::limits::usage(cx.dd(), Some(&cx.owner.owner_id))?;
    let body = html! {
        (page_head(None, "Limits", Some(html! { "Spending and count limits of your policies, and how much of each window is used." }), None))
        section.card {
            @if rows.is_empty() {
                (empty("∞", "No limits", "None of your effective policies has a rule with limits:."))
            } @else {
                div.table-wrap {
                    table {
                        thead { tr { th { "Agent" } th { "Rule" } th { "Limit" } th.num { "Used" } th.num { "Remaining" } th { "Frees up" } } }
                        tbody {
                            @for r in &rows {
                                tr {
                                    td { code { (r.agent_id) } }
                                    td { code { (r.rule_id) } }
                                    td { (r.describe_max()) " per " (r.window) }
                                    td.num { (r.describe(r.used)) }
                                    td.num { (r.describe(r.remaining)) }
                                    td { @if let Some(f) = &r.frees_at { (when(f, cx.now)) } @else { (layout::dash()) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Reply::html(200, page(cx, "Limits", "limits", false, body)))
}

// ---------------------------------------------------------------------------------------------
// Profile

pub fn profile(cx: &Ctx<'_>, problem: Option<(u16, String)>) -> Result<Reply> {
    profile_page(cx, problem, None)
}

/// The profile page; `identity` is a refused identity form shown with its error by its field.
pub fn profile_page(
    cx: &Ctx<'_>,
    problem: Option<(u16, String)>,
    identity: Option<&super::profile::Problem>,
) -> Result<Reply> {
    let p = crate::handlers::owner::profile(&cx.owner);
    let body = html! {
        (page_head(None, "Profile", Some(html! { "Your account on this openleash server." }), None))
        @if let Some((_, m)) = problem.as_ref().filter(|(_, m)| !m.is_empty()) { (layout::notice("bad", m)) }
        @if identity.is_some() { (layout::notice("bad", "Not saved: see the message by the field below.")) }
        (layout::done_notice(cx))
        div.cols {
            section.card {
                h2 { "Account" }
                dl.kv {
                    dt { "Display name" } dd { (cx.owner.display_name) }
                    dt { "Owner id" } dd.mono.small { (cx.owner.owner_id) }
                    dt { "Type" } dd { (cx.owner.owner_type.as_str()) }
                    dt { "Status" } dd { (badge(&cx.owner.status)) }
                    dt { "Created" } dd { (when(&cx.owner.created_at, cx.now)) }
                    @if let Some(set) = &cx.owner.passphrase_set_at { dt { "Passphrase set" } dd { (when(set, cx.now)) } }
                    dt { "Organizations" } dd { a href="/gui/orgs" { "Your organizations and invitations" } }
                }
                details { summary.small { "Raw profile" } (layout::json_block(&p)) }
            }
            section.card {
                h2 { "Change passphrase" }
                form method="post" action="/gui/profile/passphrase" {
                    (csrf(cx))
                    div.field { label for="current" { "Current passphrase" } input #current type="password" name="current" required autocomplete="current-password"; }
                    div.field { label for="new" { "New passphrase" } input #new type="password" name="new" required minlength="8" autocomplete="new-password"; div.help { "At least 8 characters." } }
                    div.field { label for="confirm" { "Repeat new passphrase" } input #confirm type="password" name="confirm" required minlength="8" autocomplete="new-password"; }
                    button.btn.primary type="submit" { "Change passphrase" }
                }
            }
        }
        (super::profile::identity_card(cx, identity))
        (super::security::totp_card(cx))
    };
    let status = problem.map_or(200, |(s, _)| s);
    Ok(Reply::html(
        status,
        page(cx, "Profile", "profile", false, body),
    ))
}

pub fn change_passphrase(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let current = form.get("current").unwrap_or_default();
    let new = form.get("new").unwrap_or_default();
    if form.get("confirm").unwrap_or_default() != new {
        return profile(
            cx,
            Some((
                400,
                "The two new passphrases differ; nothing was changed.".into(),
            )),
        );
    }
    match crate::handlers::owner::change_passphrase(
        cx.dd(),
        &cx.state.login_throttle,
        cx.req.peer.map(|p| p.ip()),
        &cx.owner,
        current,
        new,
    ) {
        Ok(()) => Ok(Reply::redirect("/gui/profile?done=passphrase")),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidCredentials
                    | ErrorCode::WeakPassphrase
                    | ErrorCode::TooManyAttempts
            ) =>
        {
            let msg = if e.code == ErrorCode::InvalidCredentials {
                "The current passphrase is wrong; nothing was changed.".to_string()
            } else {
                format!("{} Nothing was changed.", e.message)
            };
            profile(cx, Some((e.http_status(), msg)))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Admin

fn require_admin(cx: &Ctx<'_>) -> Result<()> {
    if cx.admin {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::Forbidden,
            "Admin pages are only available on the server's own machine.",
        )
        .with_hint(
            "open the portal from the machine running openleash (admin.mode must admit localhost)",
        ))
    }
}

/// Rows per list on the admin page.
const ADMIN_PAGE: usize = 25;

pub fn admin(cx: &Ctx<'_>) -> Result<Reply> {
    require_admin(cx)?;
    // Each list a keyset page of its handler's list (`?owners=`, `?agents=`, `?policies=` carry
    // the cursors), so the page costs the same at any installation size.
    use crate::handlers::page::PageRequest;
    let req = |list: &str, param: &str| {
        PageRequest::new(list, Some(ADMIN_PAGE), cx.req.query(param).as_deref())
    };
    let owners_req = req(crate::handlers::owner::LIST, "owners")?;
    let owners = crate::handlers::owner::list_page(cx.dd(), &owners_req)?;
    let agents_req = req(crate::handlers::agents::LIST, "agents")?;
    let agents = crate::handlers::agents::list_page(
        cx.dd(),
        crate::handlers::approvals::OwnerScope::All,
        &agents_req,
    )?;
    let policies_req = req(crate::handlers::policies::CATALOGUE_LIST, "policies")?;
    let policies = crate::handlers::policies::catalogue_page(cx.dd(), &policies_req)?;
    let body = html! {
        (page_head(None, "Admin", Some(html! { "Everything on this server: owners, agents, policies and the configuration." }), Some(html! { a.btn href="/gui/admin/keys" { "Signing keys" } })))
        section.card {
            h2 { "Owners" }
            div.table-wrap { table {
                thead { tr { th { "Name" } th { "Id" } th { "Status" } th { "Created" } } }
                tbody { @for o in &owners.items { tr { td { (o.display_name) } td.mono.small { (o.owner_id) } td { (badge(&o.status)) } td { (when(&o.created_at, cx.now)) } } } }
            } }
            (layout::cursor_pager("/gui/admin", "owners", owners_req.after.is_some(), owners.next_cursor.as_deref(), "Next →"))
        }
        section.card {
            h2 { "Agents" }
            @if agents.items.is_empty() { (empty("🤖", "No agents", "Invite one from the Agents page.")) } @else {
                div.table-wrap { table {
                    thead { tr { th { "Agent" } th { "Owner" } th { "Status" } th { "Created" } } }
                    tbody { @for a in &agents.items { tr { td { code { (a.agent_id) } } td.mono.small { (a.owner_id) } td { (badge(&a.status)) } td { (when(&a.created_at, cx.now)) } } } }
                } }
                (layout::cursor_pager("/gui/admin", "agents", agents_req.after.is_some(), agents.next_cursor.as_deref(), "Next →"))
            }
        }
        section.card {
            h2 { "Policies" }
            @if policies.items.is_empty() { (empty("📄", "No policies", "Create one from the Policies page.")) } @else {
                div.table-wrap { table {
                    thead { tr { th { "Policy" } th { "Owner" } th { "Bindings" } } }
                    tbody { @for (p, bindings) in &policies.items { tr {
                        td { (p.name.clone().unwrap_or_else(|| p.policy_id.clone())) }
                        td.mono.small { (p.owner_id) }
                        td { (bindings.len()) }
                    } } }
                } }
                (layout::cursor_pager("/gui/admin", "policies", policies_req.after.is_some(), policies.next_cursor.as_deref(), "Next →"))
            }
        }
        section.card {
            h2 { "Configuration" }
            p.small.muted { "config.yaml as the server reads it, secrets redacted." }
            (layout::json_block(&cx.config.redacted_json()))
        }
    };
    Ok(Reply::html(200, page(cx, "Admin", "admin", false, body)))
}

pub fn keys(cx: &Ctx<'_>) -> Result<Reply> {
    require_admin(cx)?;
    // On a shared store: every instance's published keys, not only this data directory's.
    let (keys, _) = cx.dd().public_keys()?;
    let local: Vec<String> = cx.dd().server_keys()?.into_iter().map(|k| k.kid).collect();
    let active = cx.dd().active_kid().unwrap_or_default();
    let body = html! {
        (page_head(Some(("/gui/admin", "Admin")), "Signing keys", Some(html! { "Keys that sign proofs, approval tokens, sessions and the audit head." }), None))
        (layout::done_notice(cx))
        section.card {
            div.table-wrap { table {
                thead { tr { th { "Key id" } th { "State" } th { "Created" } } }
                tbody { @for k in &keys { tr {
                    td.mono.small { (k.kid) }
                    td { @if k.kid == active { (badge("ACTIVE")) } @else if k.is_revoked() { (badge("REVOKED")) } @else if !local.contains(&k.kid) { (badge("OTHER INSTANCE")) } @else { (badge("RETIRED")) } }
                    td { (when(&k.created_at, cx.now)) }
                } } }
            } }
        }
        section.card {
            h2 { "Rotate" }
            p { "A new key signs from now on; tokens signed with older keys stay verifiable until they expire." }
            form method="post" action="/gui/admin/keys/rotate" data-confirm="Rotate the signing key now?" {
                (csrf(cx))
                button.btn.danger type="submit" { "Rotate signing key" }
            }
        }
    };
    Ok(Reply::html(
        200,
        page(cx, "Signing keys", "admin", false, body),
    ))
}

pub fn rotate_key(cx: &Ctx<'_>) -> Result<Reply> {
    require_admin(cx)?;
    crate::handlers::owner::rotate_key(cx.dd(), &cx.owner)?;
    Ok(Reply::redirect("/gui/admin/keys?done=rotated"))
}
