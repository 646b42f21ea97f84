//! The audit log: this owner's events, newest first, filtered by agent, event type, result and
//! time range, paged; each event expands to its detail; the chain can be verified on demand.

use super::layout::{self, badge, empty, page_head, when};
use super::{Ctx, Reply, url_encode};
use crate::error::Result;
use maud::html;

const PER_PAGE: usize = 50;

/// `2026-01-31` or `2026-01-31T10:00` (datetime-local) or RFC 3339 → a UTC instant.
fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    crate::timefmt::parse(s)
        .or_else(|| crate::timefmt::parse(&format!("{s}:00Z")))
        .or_else(|| crate::timefmt::parse(&format!("{s}T00:00:00Z")))
}

pub fn page(cx: &Ctx<'_>) -> Result<Reply> {
    let q = |n: &str| cx.req.query(n);
    let (agent, kind, result, since, until) =
        (q("agent"), q("type"), q("result"), q("since"), q("until"));
    let filter = crate::audit::query::Filter {
        types: kind.iter().cloned().collect(),
        agent: agent.iter().cloned().collect(),
        owner: Some(cx.owner.owner_id.clone()),
        since: since.as_deref().and_then(parse_time),
        until: until.as_deref().and_then(parse_time),
        decision: result.clone(),
    };
    // Keyset paging (`before`/`after` a seq): each page costs O(page) through the owner's
    // index and stays put while the log grows. `offset` is what older links carried.
    let seq_param = |n: &str| q(n).and_then(|v| v.parse::<u64>().ok());
    let (before, after) = (seq_param("before"), seq_param("after"));
    let pg = match (before, after) {
        (Some(b), _) => cx.dd().audit_page_before(&filter, b, PER_PAGE)?,
        (None, Some(a)) => cx.dd().audit_page_after(&filter, a, PER_PAGE)?,
        (None, None) => {
            let offset = q("offset")
                .and_then(|o| o.parse::<usize>().ok())
                .unwrap_or(0);
            cx.dd().audit_page(&filter, offset, PER_PAGE)?
        }
    };
    // Newer events exist before this page when it was reached going back (or by an offset), or
    // when a "newer" page says more remain; older ones when a backwards page says so, and
    // always behind a page reached going forwards.
    let newer = match (before, after) {
        (Some(_), _) => true,
        (None, Some(_)) => pg.more,
        (None, None) => q("offset").is_some_and(|o| o != "0"),
    };
    let older = if after.is_some() && before.is_none() {
        !pg.events.is_empty()
    } else {
        pg.more
    };
    let newest_seq = pg.events.first().map(|e| e.seq);
    let oldest_seq = pg.events.last().map(|e| e.seq);
    // Newest first.
    let events = pg.events;
    let verify = q("verify")
        .is_some()
        .then(|| crate::audit::verify::verify(cx.dd()));
    let (chain, chain_text) = super::pages::chain_status(cx.dd());
    let keep = |extra: &str| {
        let mut parts = Vec::new();
        for (k, v) in [
            ("agent", &agent),
            ("type", &kind),
            ("result", &result),
            ("since", &since),
            ("until", &until),
        ] {
            if let Some(v) = v {
                parts.push(format!("{k}={}", url_encode(v)));
            }
        }
        if !extra.is_empty() {
            parts.push(extra.to_string());
        }
        format!("/gui/audit?{}", parts.join("&"))
    };
    let types = [
        "DECISION_CREATED",
        "APPROVAL_REQUEST_CREATED",
        "APPROVAL_REQUEST_APPROVED",
        "APPROVAL_REQUEST_DENIED",
        "APPROVAL_REQUEST_EXPIRED",
        "POLICY_DRAFT_SUBMITTED",
        "POLICY_DRAFT_APPROVED",
        "POLICY_DRAFT_DENIED",
        "POLICY_CREATED",
        "POLICY_UPDATED",
        "POLICY_DELETED",
        "AGENT_REGISTERED",
        "AGENT_REVOKED",
        "AGENT_ACTIVATED",
        "USER_LOGIN",
        "USER_LOGOUT",
        "USER_UPDATED",
        "KEY_ROTATED",
    ];
    let body = html! {
        (page_head(None, "Audit log", Some(html! { "Every decision and change, in a hash chain that shows any edit." }), None))
        section.card {
            div.actions {
                span { "Chain: " (badge(chain)) " " span.muted.small { (chain_text) } }
                a.btn.small href=(keep("verify=1")) { "Verify the whole chain" }
            }
            @if let Some(v) = &verify {
                @match v {
                    Ok(r) if r.ok => { (layout::notice("ok", &format!("Verified: {} events, the chain and its signed head are intact.", r.events))) }
                    Ok(r) => { (layout::notice("bad", &format!("Verification found problems: {}", r.problems.first().map(|p| p.message.clone()).unwrap_or_default()))) }
                    Err(e) => { (layout::notice("bad", &e.message)) }
                }
            }
        }
        section.card {
            form.filters method="get" action="/gui/audit" {
                div.field { label for="f-agent" { "Agent" } input #f-agent type="text" name="agent" value=(agent.clone().unwrap_or_default()) placeholder="agent id"; }
                div.field { label for="f-type" { "Event type" }
                    select #f-type name="type" {
                        option value="" { "Any" }
                        @for t in types { option value=(t) selected[kind.as_deref() == Some(t)] { (t) } }
                    }
                }
                div.field { label for="f-result" { "Result" }
                    select #f-result name="result" {
                        option value="" { "Any" }
                        @for r in ["ALLOW", "DENY", "REQUIRE_APPROVAL", "REQUIRE_STEP_UP", "REQUIRE_DEPOSIT"] { option value=(r) selected[result.as_deref() == Some(r)] { (r) } }
                    }
                }
                div.field { label for="f-since" { "From (UTC)" } input #f-since type="datetime-local" name="since" value=(since.clone().unwrap_or_default()); }
                div.field { label for="f-until" { "Until (UTC)" } input #f-until type="datetime-local" name="until" value=(until.clone().unwrap_or_default()); }
                div.field { button.btn.primary type="submit" { "Filter" } }
            }
        }
        section.card {
            @if events.is_empty() {
                (empty("◌", "No events", "Nothing matches these filters yet."))
            } @else {
                ul.list {
                    @for e in &events {
                        li.item {
                            div.item-main {
                                div.item-title { code { (e.event_type) } @if let Some(r) = e.metadata_json["result"].as_str() { " " (badge(r)) } }
                                div.item-meta {
                                    span { "#" (e.seq) }
                                    span { (when(&e.timestamp, cx.now)) }
                                    @if let Some(a) = e.metadata_json["agent_id"].as_str() { span { "agent " code { (a) } } }
                                    @if let Some(a) = e.metadata_json["action_type"].as_str() { span { "action " code { (a) } } }
                                }
                                details {
                                    summary.small { "Event detail" }
                                    dl.kv.small {
                                        dt { "Event id" } dd.mono { (e.event_id) }
                                        @if let Some(d) = &e.decision_id { dt { "Decision" } dd.mono { (d) } }
                                        dt { "Hash" } dd.mono { (e.hash) }
                                        dt { "Previous" } dd.mono { (e.prev_hash) }
                                    }
                                    (layout::json_block(&e.metadata_json))
                                }
                            }
                        }
                    }
                }
                nav.pager aria-label="Pages" {
                    @if let (true, Some(n)) = (newer, newest_seq) { a.btn.small href=(keep(&format!("after={n}"))) { "← Newer" } } @else { span {} }
                    @if let (Some(n), Some(o)) = (newest_seq, oldest_seq) { span.muted.small { "Events #" (n) " – #" (o) } }
                    @if let (true, Some(o)) = (older, oldest_seq) { a.btn.small href=(keep(&format!("before={o}"))) { "Older →" } } @else { span {} }
                }
            }
        }
    };
    Ok(Reply::html(
        200,
        layout::page(cx, "Audit", "audit", true, body),
    ))
}
