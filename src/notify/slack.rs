//! Slack (and Mattermost) incoming webhooks: `{"text": ...}` with mrkdwn and a link.

use super::event::Event;

pub fn body(e: &Event) -> String {
    let text = format!(
        "*{}*\n{}\n<{}|Open in openleash>",
        escape(&e.title()),
        escape(&e.summary),
        e.link
    );
    serde_json::json!({ "text": text }).to_string()
}

/// Slack's three control characters in message text.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
