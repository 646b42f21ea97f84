//! Policy drafts proposed by agents: list, detail with diagnostics, the effective-rule diff and
//! its widening summary, and **Approve** / **Deny** (on `handlers::drafts`).

use super::layout::{self, badge, csrf, empty, page, page_head, when};
use super::{Ctx, Form, Reply};
use crate::error::{ErrorCode, Result};
use crate::handlers::drafts;
use crate::policy::diag::Diagnostic;
use crate::store::approvals::PENDING;
use maud::{Markup, html};

/// Resolved drafts per page.
const RESOLVED_PAGE: usize = 50;

pub fn list(cx: &Ctx<'_>) -> Result<Reply> {
    let pending = drafts::list(cx.dd(), cx.scope(), Some(PENDING), None)?;
    // Resolved drafts: keyset pages, newest first.
    let req = crate::handlers::page::PageRequest::new(
        drafts::RESOLVED,
        Some(RESOLVED_PAGE),
        cx.req.query("resolved").as_deref(),
    )?;
    let done = drafts::resolved_page(cx.dd(), cx.scope(), &req)?;
    let row = |d: &crate::store::approvals::PolicyDraft| {
        html! {
            li.item {
                div.item-main {
                    div.item-title { a href=(format!("/gui/drafts/{}", d.policy_draft_id)) { (d.name.clone().unwrap_or_else(|| "Untitled draft".into())) } }
                    @if let Some(j) = &d.justification { div.quote { (j) } }
                    div.item-meta {
                        span { "from " code { (d.agent_id) } }
                        span { "proposed " (when(&d.created_at, cx.now)) }
                        span { @if d.applies_to_agent_principal_id.is_some() { "for one agent" } @else { "owner-wide" } }
                    }
                }
                div.item-side { (badge(&d.status)) }
            }
        }
    };
    let body = html! {
        (page_head(None, "Policy drafts", Some(html! { "Policies your agents propose. Nothing applies until you approve it." }), None))
        (layout::done_notice(cx))
        section.card {
            h2 { "Pending" }
            @if pending.is_empty() { (empty("✓", "No pending drafts", "When an agent proposes a policy change, it shows up here.")) }
            @else { ul.list { @for d in &pending { (row(d)) } } }
        }
        @if !done.items.is_empty() || req.after.is_some() {
            section.card {
                h2 { "Resolved" }
                ul.list { @for d in &done.items { (row(d)) } }
                (layout::cursor_pager("/gui/drafts", "resolved", req.after.is_some(), done.next_cursor.as_deref(), "Older →"))
            }
        }
    };
    Ok(Reply::html(200, page(cx, "Drafts", "drafts", true, body)))
}

pub fn diagnostics(diags: &[Diagnostic]) -> Markup {
    html! {
        @for d in diags {
            div class=(format!("diag {}", d.severity.as_str())) {
                div.where { (d.severity.as_str()) "[" (d.code) "] line " (d.line) ", column " (d.col) @if !d.path.is_empty() { " · " (d.path) } }
                div { (d.message) }
                @if let Some(h) = &d.help { div.small { "help: " (h) } }
            }
        }
    }
}

pub fn detail(cx: &Ctx<'_>, id: &str, problem: Option<(u16, String)>) -> Result<Reply> {
    let d = drafts::get(cx.dd(), cx.scope(), id)?;
    let review = drafts::review(cx.dd(), &d)?;
    let errors = review
        .diagnostics
        .iter()
        .filter(|x| x.severity.as_str() == "error")
        .count();
    let title = d.name.clone().unwrap_or_else(|| "Untitled draft".into());
    let body = html! {
        (page_head(Some(("/gui/drafts", "Drafts")), &title, Some(html! { (badge(&d.status)) " proposed by " code { (d.agent_id) } " " (when(&d.created_at, cx.now)) }), None))
        @if let Some((_, m)) = &problem { (layout::notice("bad", m)) }
        (layout::done_notice(cx))
        div.cols {
            div {
                @if let Some(desc) = &d.description { section.card { h2 { "Description" } p { (desc) } } }
                @if let Some(j) = &d.justification { section.card { h2 { "Why the agent asks" } div.quote { (j) } } }
                @if d.status == PENDING { section.card {
                    h2 { "What changes for " code { (review.agent_id) } }
                    @match &review.diff {
                        None => { p.muted { "No comparison available (the draft does not validate, or the current policy cannot be resolved)." } }
                        Some(diff) if diff.is_empty() => { p { "The effective rules stay the same." } }
                        Some(diff) => {
                            @if !diff.widening.is_empty() {
                                div.notice.warn { strong { "This widens what the agent may do:" }
                                    ul { @for w in &diff.widening { li { @if let Some(r) = &w.rule_id { code { (r) } ": " } (w.what) } } } }
                            }
                            @if let Some((a, b)) = &diff.default_changed { p { "Default: " code { (a.as_str()) } " → " code { (b.as_str()) } } }
                            @if !diff.added.is_empty() { h3 { "Added rules" } ul { @for r in &diff.added { li { code { (r.rule_id) } " " (badge(&r.effect.as_str().to_uppercase())) " on " code { (r.action) } } } } }
                            @if !diff.removed.is_empty() { h3 { "Removed rules" } ul { @for r in &diff.removed { li { code { (r.rule_id) } " on " code { (r.action) } } } } }
                            @if !diff.changed.is_empty() { h3 { "Changed rules" } ul { @for c in &diff.changed { li { code { (c.rule_id) } ": " (c.changes.join("; ")) } } } }
                        }
                    }
                } }
                @if d.status == PENDING { (impact_card(cx, &d)?) }
                section.card {
                    h2 { "Proposed policy" }
                    (diagnostics(&review.diagnostics))
                    pre { code { (d.policy_yaml) } }
                }
            }
            div.aside {
                section.card {
                    h2 { "Your answer" }
                    @if d.status == PENDING {
                        @if errors > 0 { (layout::notice("bad", "This draft has errors and cannot be approved; deny it with a reason.")) }
                        div.actions {
                            form method="post" action=(format!("/gui/drafts/{}/approve", d.policy_draft_id)) data-confirm="Approve this draft? The policy applies at once." {
                                (csrf(cx))
                                (super::security::code_field(cx, "approve_totp"))
                                button.btn.approve type="submit" disabled[errors > 0] { "Approve" }
                            }
                        }
                        form method="post" action=(format!("/gui/drafts/{}/deny", d.policy_draft_id)) {
                            (csrf(cx))
                            div.field { label for="reason" { "Reason (optional)" } textarea #reason name="reason" rows="3" maxlength="1000" {} }
                            (super::security::code_field(cx, "deny_totp"))
                            button.btn.deny type="submit" { "Deny" }
                        }
                    } @else {
                        p { "This draft is " (badge(&d.status)) "." }
                        @if let Some(pid) = &d.resulting_policy_id { p { a href=(format!("/gui/policies/{pid}")) { "View the resulting policy →" } } }
                        @if let Some(r) = &d.denial_reason { div.quote { (r) } }
                    }
                }
            }
        }
    };
    let status = problem.map_or(200, |(s, _)| s);
    Ok(Reply::html(
        status,
        page(cx, "Draft", "drafts", false, body),
    ))
}

/// Changed decisions listed on the page at most (the CLI's `draft show --json` has them all).
const IMPACT_ROWS: usize = 10;

/// What the draft would have changed over the recorded decisions of the last 30 days (SPEC §18).
/// Replaying reads the log, so it runs when the owner asks for it (`?impact=1`), not on every
/// view of the page.
fn impact_card(cx: &Ctx<'_>, d: &crate::store::approvals::PolicyDraft) -> Result<Markup> {
    let asked = cx.req.query("impact").is_some();
    let impact = if asked {
        crate::handlers::replay::draft_impact(cx.dd(), d)?
    } else {
        None
    };
    Ok(html! {
        section.card #impact {
            h2 { "Impact on recent decisions" }
            @if !asked {
                p.muted { "Replays the decisions of the last 30 days against this draft." }
                a.btn href=(format!("/gui/drafts/{}?impact=1#impact", d.policy_draft_id)) { "Show the impact" }
            } @else {
                @match &impact {
                    None => { p.muted { "The draft does not validate, so it cannot be replayed." } }
                    Some(i) if i.changed == 0 => { p { "None of the " (i.replayed) " decisions of the last " (i.days) " days would change." } }
                    Some(i) => {
                        @if i.widening > 0 { (layout::notice("warn", &format!("{} of them would become more permissive.", i.widening))) }
                        p { (i.changed) " of " (i.replayed) " decisions of the last " (i.days) " days would change"
                            @if i.skipped > 0 { " (" (i.skipped) " could not be replayed)" } "." }
                        ul { @for (t, n) in &i.transitions { li { code { (t) } " × " (n) } } }
                        table {
                            thead { tr { th { "When" } th { "Agent" } th { "Action" } th { "Before" } th { "After" } } }
                            tbody { @for c in i.changes.iter().take(IMPACT_ROWS) { tr {
                                td { (when(&c.requested_at, cx.now)) }
                                td { code { (c.agent_id) } }
                                td { code { (c.action_type) } }
                                td { (badge(c.before.result.as_str())) }
                                td { (badge(c.after.result.as_str())) }
                            } } }
                        }
                        @if i.changes.len() > IMPACT_ROWS { p.muted.small { "and " (i.changes.len() - IMPACT_ROWS) " more: " code { "openleash draft show " (d.policy_draft_id) " --json" } } }
                    }
                }
            }
        }
    })
}

pub fn resolve(cx: &Ctx<'_>, id: &str, verb: &str, form: &Form) -> Result<Reply> {
    let result = if verb == "approve" {
        drafts::approve(cx.dd(), cx.scope(), id, form.text("totp_code").as_deref())
    } else {
        drafts::deny(
            cx.dd(),
            cx.scope(),
            id,
            form.text("reason").as_deref(),
            form.text("totp_code").as_deref(),
        )
    };
    match result {
        Ok(_) => Ok(Reply::redirect(&format!(
            "/gui/drafts/{}?done={}",
            id.to_ascii_lowercase(),
            if verb == "approve" {
                "draft_approved"
            } else {
                "draft_denied"
            }
        ))),
        Err(e) if super::security::is_second_factor_error(e.code) => {
            detail(cx, id, Some((e.http_status(), e.message.clone())))
        }
        Err(e) if matches!(e.code, ErrorCode::InvalidStatus | ErrorCode::InvalidPolicy) => detail(
            cx,
            id,
            Some((409, format!("Nothing changed: {}", e.message))),
        ),
        Err(e) => Err(e),
    }
}
