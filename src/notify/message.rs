//! People-facing text of notifications: portal links and draft summaries. Approval requests are
//! described by `handlers::summary`, the same words the portal shows.

use crate::config::Config;
use crate::store::approvals::PolicyDraft;

/// The portal page of a record: `server.public_url` (or `http://<bind_address>`) +
/// `/gui/{kind}/{id}`.
pub fn portal_link(config: &Config, kind: &str, id: &str) -> String {
    portal_page(config, &format!("{kind}/{id}"))
}

/// A portal page by its path under `/gui/` (e.g. `audit`).
pub fn portal_page(config: &Config, page: &str) -> String {
    let base = if config.server.public_url.is_empty() {
        format!("http://{}", config.server.bind_address)
    } else {
        config.server.public_url.trim_end_matches('/').to_string()
    };
    format!("{base}/gui/{page}")
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
