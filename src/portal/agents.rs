//! Agents: status, invite (registration URL and an SDK snippet), revoke / activate and recent
//! decisions (on `handlers::agents`, `handlers::invites` and the audit log).

use super::layout::{self, badge, csrf, empty, page, page_head, when};
use super::{Ctx, Form, Reply};
use crate::error::Result;
use maud::{Markup, html};
use serde_json::Value;

pub fn list(cx: &Ctx<'_>, invite: Option<&Value>) -> Result<Reply> {
    // Keyset pages of the handlers' agent list (oldest first): "Next →" carries the next cursor, "First page"
    // starts over (a cursor only runs forwards).
    let req = crate::handlers::page::PageRequest::new(
        crate::handlers::agents::LIST,
        Some(PAGE),
        cx.req.query("cursor").as_deref(),
    )?;
    let paged = crate::handlers::agents::list_page(cx.dd(), cx.scope(), &req)?;
    let agents = &paged.items;
    let body = html! {
        (page_head(None, "Agents", Some(html! { "The agents that act for you and ask before they do." }), Some(html! {
            form method="post" action="/gui/agents/invite" { (csrf(cx)) button.btn.primary type="submit" { "Invite an agent" } }
        })))
        (layout::done_notice(cx))
        @if let Some(v) = invite { (invite_card(v)) }
        section.card {
            @if agents.is_empty() {
                (empty("🤖", "No agents yet", "Invite one: it gets a one-time link to register its key."))
            } @else {
                ul.list {
                    @for a in agents {
                        li.item {
                            div.item-main {
                                div.item-title { a href=(format!("/gui/agents/{}", a.agent_principal_id)) { (a.attributes.get("display_name").cloned().unwrap_or_else(|| a.agent_id.clone())) } }
                                div.item-meta { span { code { (a.agent_id) } } span { "registered " (when(&a.created_at, cx.now)) } }
                            }
                            div.item-side { (badge(&a.status)) }
                        }
                    }
                }
                (layout::cursor_pager("/gui/agents", "cursor", req.after.is_some(), paged.next_cursor.as_deref(), "Next →"))
            }
        }
    };
    Ok(Reply::html(200, page(cx, "Agents", "agents", false, body)))
}

/// Agents per portal page.
const PAGE: usize = 25;

fn invite_card(v: &Value) -> Markup {
    let url = v["invite_url"].as_str().unwrap_or_default();
    let expires = v["expires_at"].as_str().unwrap_or_default();
    let snippet = format!(
        "# Python, with the official SDK (pip install openleash):\nimport asyncio, openleash\n\ncreds = asyncio.run(openleash.redeem_agent_invite(\n    invite_url=\"{url}\",\n    agent_id=\"my-agent\",\n))\n# keep creds[\"private_key_b64\"] secret; sign requests with it"
    );
    html! {
        section.card {
            h2 { "Invite created" }
            p { "Give this one-time link to the agent. It expires " code { (expires) } "." }
            pre { code { (url) } }
            h3 { "SDK snippet" }
            pre { code { (snippet) } }
        }
    }
}

pub fn invite(cx: &Ctx<'_>) -> Result<Reply> {
    let v = crate::handlers::invites::create(
        cx.dd(),
        &cx.owner,
        cx.config.invites.ttl_seconds,
        &cx.state.public_url(),
    )?;
    // Shown once, right here (the token is stored hashed), so this POST answers with the page.
    list(cx, Some(&v))
}

pub fn detail(cx: &Ctx<'_>, id: &str) -> Result<Reply> {
    let a = crate::handlers::agents::get(cx.dd(), cx.scope(), id)?;
    let filter = crate::audit::query::Filter {
        types: vec!["DECISION_CREATED".into()],
        agent: vec![a.agent_id.clone(), a.agent_principal_id.clone()],
        owner: Some(cx.owner.owner_id.clone()),
        ..Default::default()
    };
    let recent = cx.dd().audit_page(&filter, 0, 10)?;
    // Newest first, as the audit page.
    let events = recent.events;
    let active = a.is_active();
    let body = html! {
        (page_head(Some(("/gui/agents", "Agents")), &a.agent_id, Some(html! { (badge(&a.status)) " registered " (when(&a.created_at, cx.now)) }), None))
        (layout::done_notice(cx))
        div.cols {
            section.card {
                h2 { "Recent decisions" }
                @if events.is_empty() { (empty("◌", "No decisions yet", "Decisions appear here once this agent asks.")) } @else {
                    div.table-wrap { table {
                        thead { tr { th { "When" } th { "Action" } th { "Result" } th { "Rule" } } }
                        tbody { @for e in &events { tr {
                            td { (when(&e.timestamp, cx.now)) }
                            td { code { (e.metadata_json["action_type"].as_str().unwrap_or("?")) } }
                            td { (badge(e.metadata_json["result"].as_str().unwrap_or("?"))) }
                            td { @if let Some(r) = e.metadata_json["matched_rule_id"].as_str() { code { (r) } } @else { (layout::dash()) } }
                        } } }
                    } }
                }
            }
            section.card {
                h2 { "Details" }
                dl.kv {
                    dt { "Agent id" } dd { code { (a.agent_id) } }
                    dt { "Principal id" } dd.mono.small { (a.agent_principal_id) }
                    @for (k, v) in &a.attributes { dt { (k) } dd { (v) } }
                    @if let Some(r) = &a.revoked_at { dt { "Revoked" } dd { (when(r, cx.now)) } }
                }
                h3 { "Access" }
                form method="post" action=(format!("/gui/agents/{}/status", a.agent_principal_id)) data-confirm=(if active { "Revoke this agent? Its requests are refused from now on." } else { "Activate this agent again?" }) {
                    (csrf(cx))
                    input type="hidden" name="status" value=(if active { "REVOKED" } else { "ACTIVE" });
                    @if active { (super::security::code_field(cx, "revoke_totp")) }
                    @if active { button.btn.danger type="submit" { "Revoke" } } @else { button.btn.primary type="submit" { "Activate" } }
                }
            }
        }
    };
    Ok(Reply::html(200, page(cx, "Agent", "agents", false, body)))
}

pub fn set_status(cx: &Ctx<'_>, id: &str, form: &Form) -> Result<Reply> {
    let status = form.text("status").unwrap_or_default();
    let a = crate::handlers::agents::set_status(
        cx.dd(),
        cx.scope(),
        id,
        &status,
        form.text("totp_code").as_deref(),
    )?;
    let done = if a.is_active() {
        "activated"
    } else {
        "revoked"
    };
    Ok(Reply::redirect(&format!(
        "/gui/agents/{}?done={done}",
        a.agent_principal_id
    )))
}
