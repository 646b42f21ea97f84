//! People-facing text of notifications. `summary_line` is the one place a notification describes
//! an action in plain language (the portal has its own summary module; the two meet at merge).

use crate::config::Config;
use crate::store::approvals::{ApprovalRequest, PolicyDraft};
use serde_json::Value;

/// The portal page of a record: `server.public_url` (or `http://<bind_address>`) +
/// `/gui/{kind}/{id}`.
pub fn portal_link(config: &Config, kind: &str, id: &str) -> String {
    let base = if config.server.public_url.is_empty() {
        format!("http://{}", config.server.bind_address)
    } else {
        config.server.public_url.trim_end_matches('/').to_string()
    };
    format!("{base}/gui/{kind}/{id}")
}

/// Payload fields worth naming in one line, in this order.
const NOTABLE: &[&str] = &[
    "amount_minor",
    "amount",
    "currency",
    "merchant",
    "recipient",
    "to",
    "url",
    "path",
    "command",
];

/// "bot asks to purchase (amount_minor 5000, currency EUR): restock paper".
pub fn summary_line(r: &ApprovalRequest) -> String {
    let mut s = format!("{} asks to {}", r.agent_id, r.action_type);
    if let Some(Value::Object(p)) = r.action.get("payload") {
        let parts: Vec<String> = NOTABLE
            .iter()
            .filter_map(|k| {
                p.get(*k).map(|v| match v {
                    Value::String(s) => format!("{k} {}", clip(s, 60)),
                    other => format!("{k} {}", clip(&other.to_string(), 60)),
                })
            })
            .take(4)
            .collect();
        if !parts.is_empty() {
            s.push_str(&format!(" ({})", parts.join(", ")));
        }
    }
    if let Some(j) = r.justification.as_deref().filter(|j| !j.is_empty()) {
        s.push_str(&format!(": {}", clip(j, 160)));
    }
    s
}

pub fn draft_summary(d: &PolicyDraft) -> String {
    let mut s = format!(
        "{} proposes a policy{}",
        d.agent_id,
        d.name
            .as_deref()
            .map(|n| format!(" \"{}\"", clip(n, 60)))
            .unwrap_or_default()
    );
    if let Some(j) = d.justification.as_deref().filter(|j| !j.is_empty()) {
        s.push_str(&format!(": {}", clip(j, 160)));
    }
    s
}

fn clip(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max).collect();
        t.push('…');
        t
    }
}
