//! Approvals inbox and detail with **Approve** / **Deny** (SPEC §15), on
//! `handlers::approvals` and the plain-language summary of `handlers::summary`.

use super::layout::{self, badge, csrf, empty, page, page_head, when};
use super::{Ctx, Form, Reply};
use crate::error::{ErrorCode, Result};
use crate::handlers::approvals;
use crate::handlers::summary::{ApprovalSummary, summarize};
use crate::store::agents::Agent;
use crate::store::approvals::{ApprovalRequest, PENDING};
use maud::{Markup, html};
use std::collections::HashMap;

/// Items per page of each list.
pub const PAGE: usize = 25;

fn agents_by_principal(cx: &Ctx<'_>) -> HashMap<String, Agent> {
    crate::handlers::agents::list(cx.dd(), cx.scope())
        .unwrap_or_default()
        .into_iter()
        .map(|a| (a.agent_principal_id.clone(), a))
        .collect()
}

fn page_number(cx: &Ctx<'_>, name: &str) -> usize {
    cx.req
        .query(name)
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

/// One approval as a list item: the summary's pieces laid out, with a link to decide.
pub fn item(cx: &Ctx<'_>, r: &ApprovalRequest, s: &ApprovalSummary) -> Markup {
    html! {
        li.item {
            div.item-main {
                div.item-title {
                    a href=(format!("/gui/approvals/{}", r.approval_request_id)) {
                        (s.agent) " wants to " (s.action_type)
                        @if let Some((kind, who)) = &s.counterparty {
                            " " (match *kind { "recipient" => "to", "merchant" => "at", _ => "on" }) " " (who)
                        }
                    }
                }
                @if let Some(j) = &s.justification { div.quote { (j) } }
                div.item-meta {
                    span { "asked " (when(&r.created_at, cx.now)) }
                    @if let Some(rule) = &s.matched_rule { span { "rule " code { (rule) } } }
                    @if let Some(t) = &s.time_left { span { (t) } }
                    @if let Some(at) = &r.resolved_at { span { (s.status.to_lowercase()) " " (when(at, cx.now)) } }
                }
            }
            div.item-side {
                @if let Some(a) = &s.amount { span.amount { (a) } }
                (badge(&s.status))
            }
        }
    }
}

pub fn inbox(cx: &Ctx<'_>) -> Result<Reply> {
    let all = cx.approvals()?;
    let agents = agents_by_principal(cx);
    let mut pending: Vec<&ApprovalRequest> = all.iter().filter(|r| r.status == PENDING).collect();
    // Pending: the one expiring first on top.
    pending.sort_by(|a, b| a.expires_at.cmp(&b.expires_at));
    let pp = page_number(cx, "page");
    // History: keyset pages (newest first) that stay put while new requests are resolved.
    let history_req = crate::handlers::page::PageRequest::new(
        approvals::HISTORY,
        Some(PAGE),
        cx.req.query("history").as_deref(),
    )?;
    let history = approvals::history_page(cx.dd(), cx.scope(), &history_req)?;
    let show = |list: &[&ApprovalRequest], p: usize| -> Vec<(ApprovalRequest, ApprovalSummary)> {
        list.iter()
            .skip((p - 1) * PAGE)
            .take(PAGE)
            .map(|r| {
                (
                    (*r).clone(),
                    summarize(r, agents.get(&r.agent_principal_id), cx.now),
                )
            })
            .collect()
    };
    let pending_page = show(&pending, pp);
    let history_page: Vec<(ApprovalRequest, ApprovalSummary)> = history
        .items
        .iter()
        .map(|r| {
            (
                r.clone(),
                summarize(r, agents.get(&r.agent_principal_id), cx.now),
            )
        })
        .collect();
    let body = html! {
        (page_head(None, "Approvals", Some(html! { "What your agents are waiting for. Pending requests first, soonest to expire on top." }), None))
        (layout::done_notice(cx))
        section.card {
            h2 { "Pending " span.muted { "(" (pending.len()) ")" } }
            @if pending.is_empty() {
                (empty("✓", "No pending approvals", "When an agent asks for something that needs you, it shows up here."))
            } @else {
                ul.list { @for (r, s) in &pending_page { (item(cx, r, s)) } }
                (pager("/gui/approvals", "page", pp, pending.len(), cx))
            }
        }
        section.card {
            h2 { "History" }
            @if history_page.is_empty() && history_req.after.is_none() {
                (empty("🗂", "Nothing resolved yet", "Approved, denied and expired requests are kept here."))
            } @else {
                ul.list { @for (r, s) in &history_page { (item(cx, r, s)) } }
                (layout::cursor_pager("/gui/approvals", "history", history_req.after.is_some(), history.next_cursor.as_deref(), "Older →"))
            }
        }
    };
    Ok(Reply::html(
        200,
        page(cx, "Approvals", "approvals", true, body),
    ))
}

/// Previous / next links for a list of `total` items shown `PAGE` at a time.
pub fn pager(base: &str, param: &str, p: usize, total: usize, _cx: &Ctx<'_>) -> Markup {
    let pages = total.div_ceil(PAGE).max(1);
    if pages <= 1 {
        return html! {};
    }
    html! {
        nav.pager aria-label="Pages" {
            @if p > 1 { a.btn.small href=(format!("{base}?{param}={}", p - 1)) { "← Newer" } } @else { span {} }
            span.muted.small { "Page " (p) " of " (pages) }
            @if p < pages { a.btn.small href=(format!("{base}?{param}={}", p + 1)) { "Older →" } } @else { span {} }
        }
    }
}

pub fn detail(cx: &Ctx<'_>, id: &str, problem: Option<(u16, String)>) -> Result<Reply> {
    let r = approvals::get(cx.dd(), cx.scope(), id)?;
    let agent = crate::handlers::agents::get(cx.dd(), cx.scope(), &r.agent_principal_id).ok();
    let s = summarize(&r, agent.as_ref(), cx.now);
    let payload = r.action.get("payload").cloned().unwrap_or_default();
    let body = html! {
        (page_head(Some(("/gui/approvals", "Approvals")), &format!("{} wants to {}", s.agent, s.action_type), Some(html! { (badge(&s.status)) " " (s.text()) }), None))
        @if let Some((_, msg)) = &problem { (layout::notice("bad", msg)) }
        (layout::done_notice(cx))
        div.cols {
            div {
                section.card {
                    h2 { "Request" }
                    dl.kv {
                        dt { "Agent" } dd { (s.agent) @if s.agent != r.agent_id { " " span.muted { "(" code { (r.agent_id) } ")" } } }
                        dt { "Action" } dd { code { (r.action_type) } }
                        @if let Some(a) = &s.amount { dt { "Amount" } dd.amount { (a) } }
                        @if let Some((kind, who)) = &s.counterparty { dt { (capitalize(kind)) } dd { (who) } }
                        dt { "Justification" } dd { @if let Some(j) = &s.justification { div.quote { (j) } } @else { span.muted { "None given" } } }
                        dt { "Matched rule" } dd { @if let Some(m) = &s.matched_rule { code { (m) } } @else { (layout::dash()) } }
                        dt { "Asked" } dd { (when(&r.created_at, cx.now)) }
                        dt { "Expires" } dd { (when(&r.expires_at, cx.now)) @if let Some(t) = &s.time_left { " " span.badge.warn.plain { (t) } } }
                        @if let Some(at) = &r.resolved_at { dt { "Resolved" } dd { (when(at, cx.now)) } }
                        @if let Some(reason) = &r.denial_reason { dt { "Reason" } dd { div.quote { (reason) } } }
                        dt { "Request id" } dd.mono.small { (r.approval_request_id) }
                    }
                }
                section.card {
                    h2 { "Payload" }
                    (layout::json_block(&payload))
                    details {
                        summary.small { "Full action request and context" }
                        (layout::json_block(&r.action))
                        @if let Some(c) = &r.context { (layout::json_block(c)) }
                    }
                }
            }
            div.aside {
                section.card {
                    h2 { "Your answer" }
                    @if s.status == PENDING {
                        div.decide {
                            form method="post" action=(format!("/gui/approvals/{}/approve", r.approval_request_id)) data-confirm=(format!("Approve: {}?", s.text())) {
                                (csrf(cx))
                                p.small.muted { "Issues a one-time approval token for exactly this action." }
                                (super::security::code_field(cx, "approve_totp"))
                                button.btn.approve type="submit" { "Approve" }
                            }
                            form method="post" action=(format!("/gui/approvals/{}/deny", r.approval_request_id)) {
                                (csrf(cx))
                                div.field {
                                    label for="reason" { "Reason (optional)" }
                                    textarea #reason name="reason" rows="3" maxlength="1000" placeholder="Shown to the agent" {}
                                }
                                (super::security::code_field(cx, "deny_totp"))
                                button.btn.deny type="submit" { "Deny" }
                            }
                        }
                    } @else {
                        p { "This request is " (badge(&s.status)) " — there is nothing left to decide." }
                    }
                }
            }
        }
    };
    let status = problem.map_or(200, |(s, _)| s);
    Ok(Reply::html(
        status,
        page(cx, "Approval", "approvals", s.status == PENDING, body),
    ))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `POST /gui/approvals/{id}/approve|deny`. A request resolved meanwhile (another tab, the CLI)
/// or expired shows the detail page with what happened; nothing changes twice.
pub fn resolve(cx: &Ctx<'_>, id: &str, verb: &str, form: &Form) -> Result<Reply> {
    let result = if verb == "approve" {
        approvals::approve(
            cx.dd(),
            &cx.config,
            cx.scope(),
            id,
            form.text("totp_code").as_deref(),
        )
    } else {
        approvals::deny(
            cx.dd(),
            cx.scope(),
            id,
            form.text("reason").as_deref(),
            form.text("totp_code").as_deref(),
        )
    };
    match result {
        Ok(_) => Ok(Reply::redirect(&format!(
            "/gui/approvals/{}?done={}",
            id.to_ascii_lowercase(),
            if verb == "approve" {
                "approved"
            } else {
                "denied"
            }
        ))),
        Err(e) if super::security::is_second_factor_error(e.code) => {
            detail(cx, id, Some((e.http_status(), e.message.clone())))
        }
        Err(e) if matches!(e.code, ErrorCode::InvalidStatus | ErrorCode::RequestExpired) => {
            let now = approvals::get(cx.dd(), cx.scope(), id)?;
            let msg = match now.status.as_str() {
                "APPROVED" => "Nothing changed: this request was already approved.".to_string(),
                "DENIED" => "Nothing changed: this request was already denied.".to_string(),
                "EXPIRED" => {
                    "Nothing changed: this request has expired; the agent has to ask again."
                        .to_string()
                }
                other => format!("Nothing changed: this request is {other}."),
            };
            detail(cx, id, Some((409, msg)))
        }
        Err(e) => Err(e),
    }
}
