//! The page shell (head, top bar, navigation, theme toggle) and the small pieces every page uses:
//! status badges, relative + absolute times, notices and empty states.

use super::{Ctx, assets};
use crate::error::Error;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use time::OffsetDateTime;

const NAV: &[(&str, &str, &str)] = &[
    ("dashboard", "/gui/dashboard", "Dashboard"),
    ("approvals", "/gui/approvals", "Approvals"),
    ("drafts", "/gui/drafts", "Drafts"),
    ("policies", "/gui/policies", "Policies"),
    ("agents", "/gui/agents", "Agents"),
    ("audit", "/gui/audit", "Audit"),
    ("limits", "/gui/limits", "Limits"),
    ("profile", "/gui/profile", "Profile"),
];

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="referrer" content="no-referrer";
            meta name="color-scheme" content="light dark";
            title { (title) " · openleash" }
            link rel="stylesheet" href=(assets::css_url());
            script src=(assets::js_url()) {}
        }
    }
}

fn logo() -> Markup {
    html! { span.logo aria-hidden="true" { "ol" } }
}

/// A signed-in page. `live`: reload when the owner event stream reports something new.
pub fn page(cx: &Ctx<'_>, title: &str, active: &str, live: bool, body: Markup) -> Markup {
    let pending = cx.pending_count();
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body data-live[live] {
                a.skip href="#main" { "Skip to content" }
                header.topbar {
                    div.topbar-inner {
                        a.brand href="/gui/dashboard" { (logo()) "openleash" }
                        nav.nav aria-label="Main" {
                            @for (key, href, label) in NAV {
                                a.active[*key == active] href=(href) aria-current=[(*key == active).then_some("page")] {
                                    (label)
                                    @if *key == "approvals" && pending > 0 {
                                        span.count aria-label=(format!("{pending} pending")) { (pending) }
                                    }
                                }
                            }
                            @if active == "orgs" || super::orgs::has_orgs(cx) {
                                a.active[active == "orgs"] href="/gui/orgs" aria-current=[(active == "orgs").then_some("page")] { "Orgs" }
                            }
                            @if cx.admin {
                                a.active[active == "admin"] href="/gui/admin" { "Admin" }
                            }
                        }
                        div.who {
                            button.btn.small.theme-toggle #theme-toggle type="button" hidden aria-label="Switch light or dark theme" { "◐" }
                            span.name { (cx.owner.display_name) }
                            form method="post" action="/gui/logout" {
                                input type="hidden" name="csrf" value=(cx.csrf);
                                button.btn.small type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main #main { (body) }
            }
        }
    }
}

/// A page without a session (login, errors before login).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body { (body) }
        }
    }
}

pub fn error_page(e: &Error) -> Markup {
    let title = match e.http_status() {
        403 => "Not allowed",
        404 => "Not found",
        429 => "Too many attempts",
        s if s >= 500 => "Something went wrong",
        _ => "That did not work",
    };
    bare(
        title,
        html! {
            div.login-wrap {
                div.login {
                    a.brand href="/gui" { (logo()) "openleash" }
                    div.card {
                        h1 { (title) }
                        p { (e.message) }
                        @if let Some(h) = &e.hint { p.muted.small { (h) } }
                        p.small.muted { "Error code " code { (e.code.as_str()) } }
                        a.btn.primary href="/gui" { "Go to the portal" }
                    }
                }
            }
        },
    )
}

/// Page title with an optional breadcrumb and subtitle, and actions on the right.
pub fn page_head(
    crumb: Option<(&str, &str)>,
    title: &str,
    subtitle: Option<Markup>,
    actions: Option<Markup>,
) -> Markup {
    html! {
        div.page-head {
            div {
                @if let Some((href, label)) = crumb {
                    div.crumbs { a href=(href) { "← " (label) } }
                }
                h1 { (title) }
                @if let Some(s) = subtitle { p.subtitle { (s) } }
            }
            @if let Some(a) = actions { div.actions { (a) } }
        }
    }
}

/// A status badge coloured by meaning.
pub fn badge(status: &str) -> Markup {
    let class = match status {
        "ALLOW" | "APPROVED" | "ACTIVE" | "OK" | "ok" | "CONSUMED" => "ok",
        "DENY" | "DENIED" | "REVOKED" | "BROKEN" | "error" => "bad",
        "PENDING" | "REQUIRE_APPROVAL" | "REQUIRE_STEP_UP" | "REQUIRE_DEPOSIT" | "warning" => {
            "warn"
        }
        _ => "",
    };
    html! { span class=(format!("badge {class}")) { (status) } }
}

/// "5 min ago" / "in 3 h" with the absolute UTC time beside it (and in `datetime`).
pub fn when(ts: &str, now: OffsetDateTime) -> Markup {
    let Some(t) = crate::timefmt::parse(ts) else {
        return html! { span.muted { (ts) } };
    };
    let secs = (now - t).whole_seconds();
    let rel = relative(secs);
    let abs = format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    );
    html! {
        time datetime=(ts) title=(ts) data-rel { (rel) }
        " " span.muted.small { "· " (abs) }
    }
}

pub fn relative(secs: i64) -> String {
    let a = secs.unsigned_abs();
    let words = if a < 45 {
        return "just now".into();
    } else if a < 3600 {
        format!("{} min", (a + 30) / 60)
    } else if a < 86_400 {
        format!("{} h", (a + 1800) / 3600)
    } else {
        format!("{} d", (a + 43_200) / 86_400)
    };
    if secs < 0 {
        format!("in {words}")
    } else {
        format!("{words} ago")
    }
}

pub fn empty(icon: &str, title: &str, text: &str) -> Markup {
    html! {
        div.empty {
            div.icon aria-hidden="true" { (icon) }
            div.title { (title) }
            p { (text) }
        }
    }
}

pub fn notice(kind: &str, text: &str) -> Markup {
    html! { div class=(format!("notice {kind}")) role=(if kind == "bad" { "alert" } else { "status" }) { (text) } }
}

/// The success notice named by `?done=` after a POST-redirect-GET (fixed texts only: nothing
/// from the URL is echoed).
pub fn done_notice(cx: &Ctx<'_>) -> Markup {
    let text = match cx.req.query("done").as_deref() {
        Some("approved") => "Approved. The agent can now retry with its approval token.",
        Some("denied") => "Denied. The agent will see the denial when it checks.",
        Some("draft_approved") => "Draft approved: the new policy is active.",
        Some("draft_denied") => "Draft denied.",
        Some("saved") => "Policy saved.",
        Some("created") => "Policy created and bound.",
        Some("deleted") => "Policy deleted.",
        Some("bound") => "Policy bound.",
        Some("unbound") => "Binding removed.",
        Some("revoked") => "Agent revoked: its requests are refused from now on.",
        Some("activated") => "Agent activated.",
        Some("passphrase") => "Passphrase changed.",
        Some("totp_enabled") => "Two-factor authentication is on.",
        Some("totp_disabled") => "Two-factor authentication is off.",
        Some("identity_added") => "Added to your identity.",
        Some("identity_removed") => "Removed from your identity.",
        Some("rotated") => {
            "Signing key rotated. Tokens signed with the previous key stay verifiable."
        }
        _ => return html! {},
    };
    notice("ok", text)
}

/// A hidden CSRF field for a form.
pub fn csrf(cx: &Ctx<'_>) -> Markup {
    html! { input type="hidden" name="csrf" value=(cx.csrf); }
}

/// Pretty JSON in a `<pre>` (escaped like all text).
pub fn json_block(v: &serde_json::Value) -> Markup {
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    html! { pre { code { (text) } } }
}

/// Non-breaking space for empty cells.
pub fn dash() -> Markup {
    PreEscaped("&mdash;".to_string())
}

/// "First page" / next links of a keyset-paged list (`handlers::page`): the next link carries the
/// page's `next_cursor` in `param`; nothing when the list fits on one page.
pub fn cursor_pager(
    base: &str,
    param: &str,
    paged: bool,
    next: Option<&str>,
    label: &str,
) -> Markup {
    if !paged && next.is_none() {
        return html! {};
    }
    html! {
        nav.pager aria-label="Pages" {
            @if paged { a.btn.small href=(base) { "← First page" } } @else { span {} }
            @if let Some(c) = next { a.btn.small href=(format!("{base}?{param}={c}")) { (label) } } @else { span {} }
        }
    }
}

#[cfg(test)]
mod cursor_pager_tests {
    use super::*;

    #[test]
    fn cursor_pager_links_carry_the_cursor() {
        assert_eq!(
            cursor_pager("/gui/agents", "cursor", false, None, "Next →").into_string(),
            ""
        );
        let html =
            cursor_pager("/gui/agents", "cursor", true, Some("abc_-"), "Next →").into_string();
        assert!(
            html.contains(r#"href="/gui/agents?cursor=abc_-""#),
            "{html}"
        );
        assert!(html.contains("First page"), "{html}");
    }
}
