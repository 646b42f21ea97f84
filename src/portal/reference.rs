//! `/reference`: the HTTP API reference rendered from the OpenAPI document the server publishes at
//! `/v1/openapi.json` (no external JS), and `/reference/openapi.json` serving the document too.

use super::Reply;
use super::layout;
use crate::server::state::AppState;
use maud::html;
use serde_json::Value;

pub fn json() -> Reply {
    Reply {
        status: 200,
        headers: vec![(
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        )],
        body: Vec::new(),
    }
}

/// The document with this server's base URL.
pub fn json_for(state: &AppState) -> Reply {
    let mut r = json();
    r.body = serde_json::to_vec_pretty(&crate::server::router::openapi_document(
        &state.public_url(),
    ))
    .unwrap_or_default();
    r
}

fn security(op: &Value) -> &'static str {
    match op["security"]
        .as_array()
        .and_then(|a| a.first())
        .and_then(Value::as_object)
        .and_then(|o| o.keys().next())
    {
        Some(k) if k.contains("agent") || k.contains("Agent") => "signed agent request",
        Some(k) if k.contains("admin") || k.contains("Admin") => "admin",
        Some(_) => "owner session",
        None => "public",
    }
}

pub fn page(state: &AppState) -> Reply {
    let doc = crate::server::router::openapi_document(&state.public_url());
    let title = doc["info"]["title"]
        .as_str()
        .unwrap_or("openleash API")
        .to_string();
    let version = doc["info"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let body = html! {
        header.topbar { div.topbar-inner {
            a.brand href="/gui" { span.logo aria-hidden="true" { "ol" } "openleash" }
            nav.nav aria-label="Main" { a.active href="/reference" { "API reference" } a href="/reference/openapi.json" { "openapi.json" } }
        } }
        main #main {
            (layout::page_head(None, &title, Some(html! { "Version " (version) ". Every route of this server, generated from its routing table." }), None))
            @if let Some(d) = doc["info"]["description"].as_str() { section.card { p { (d) } } }
            section.card {
                @for (path, item) in &paths {
                    @if let Some(ops) = item.as_object() {
                        @for (method, op) in ops {
                            div.op {
                                div { span class=(format!("method {method}")) { (method.to_uppercase()) } " " code { (path) } " " span.badge.plain { (security(op)) } }
                                @if let Some(s) = op["summary"].as_str() { div { (s) } }
                                @if let Some(d) = op["description"].as_str() { p.small.muted { (d) } }
                                @if let Some(rb) = op.get("requestBody") {
                                    details { summary.small { "Request body" } (layout::json_block(rb)) }
                                }
                                @if let Some(rs) = op.get("responses") {
                                    details { summary.small { "Responses" } (layout::json_block(rs)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Reply::html(200, layout::bare("API reference", body))
}
