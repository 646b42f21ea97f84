//! ntfy: POST the message to the topic URL, with title, priority, tags and a click/view action
//! to the portal page as headers (https://docs.ntfy.sh/publish/).

use super::event::{self, Event};

pub fn headers(e: &Event) -> Vec<(&'static str, String)> {
    let (priority, tags) = match e.event_type.as_str() {
        event::APPROVAL_CREATED | event::APPROVAL_EXPIRING | event::APPROVAL_ESCALATED => {
            ("high", "bell")
        }
        event::APPROVAL_DENIED | event::DRAFT_DENIED | event::APPROVAL_EXPIRED => ("default", "x"),
        event::AUDIT_INTEGRITY_FAILED => ("urgent", "rotating_light"),
        _ => ("default", "white_check_mark"),
    };
    vec![
        ("Content-Type", "text/plain; charset=utf-8".into()),
        // Header values must be ASCII-safe; ntfy documents RFC 2047 for others, so keep ASCII.
        ("Title", ascii(&e.title())),
        ("Priority", priority.into()),
        ("Tags", format!("{tags},openleash")),
        ("Click", e.link.clone()),
        ("Actions", format!("view, Open in openleash, {}", e.link)),
    ]
}

pub fn body(e: &Event) -> Vec<u8> {
    format!("{}\n{}", e.summary, e.link).into_bytes()
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}
