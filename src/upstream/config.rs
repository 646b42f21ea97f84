//! Upstream's `config.yaml` → openleash's. Settings both have are carried over into the default
//! openleash config text (its comments kept); settings openleash has no equivalent for are
//! reported, never silently dropped.

use super::LeftOut;
use super::doc::Doc;
use crate::error::Result;
use crate::yaml::{Node, Value};

/// Where each carried upstream setting goes in openleash's config.
const MAP: &[(&str, &str, &str, &str)] = &[
    // (upstream section, key, openleash section, key)
    ("server", "bind_address", "server", "bind_address"),
    ("admin", "mode", "admin", "mode"),
    ("admin", "token", "admin", "token"),
    (
        "security",
        "nonce_ttl_seconds",
        "security",
        "nonce_ttl_seconds",
    ),
    (
        "security",
        "clock_skew_seconds",
        "security",
        "clock_skew_seconds",
    ),
    (
        "tokens",
        "default_ttl_seconds",
        "tokens",
        "default_ttl_seconds",
    ),
    ("tokens", "max_ttl_seconds", "tokens", "max_ttl_seconds"),
    ("gui", "enabled", "server", "gui"),
    ("sessions", "ttl_seconds", "sessions", "ttl_seconds"),
    (
        "approval",
        "request_ttl_seconds",
        "approval",
        "request_ttl_seconds",
    ),
    (
        "approval",
        "token_ttl_seconds",
        "approval",
        "token_ttl_seconds",
    ),
];

/// Settings that need no counterpart when they hold upstream's only/default value.
const SAME_AS_OURS: &[(&str, &str, &str)] = &[
    ("tokens", "format", "paseto_v4_public"),
    ("store", "type", "file"),
    ("instance", "mode", "self_hosted"),
    ("admin", "allow_remote_admin", "false"),
    ("security", "require_totp", "false"),
];

/// The openleash `config.yaml` text for an upstream config (`None`: the defaults), and what
/// could not be carried over.
pub fn translate(doc: Option<&Doc>) -> Result<(String, Vec<LeftOut>)> {
    let mut text = crate::config::DEFAULT_CONFIG_YAML.to_string();
    let mut left = Vec::new();
    let Some(doc) = doc else {
        return Ok((text, left));
    };
    let src = |n: &Node| format!("{}:{}", doc.file.display(), doc.line(n));
    for (section, body) in doc.root.as_map().unwrap_or_default() {
        let Some(section) = section.as_str() else {
            continue;
        };
        let Some(entries) = body.as_map() else {
            left.push(LeftOut {
                kind: "config",
                id: Some(section.to_string()),
                source: src(body),
                reason: format!("`{section}` is not a mapping; ignored"),
            });
            continue;
        };
        for (k, v) in entries {
            let Some(key) = k.as_str() else { continue };
            if let Some((_, _, to_section, to_key)) =
                MAP.iter().find(|(s, kk, _, _)| *s == section && *kk == key)
            {
                let Some(value) = scalar(v) else {
                    left.push(LeftOut {
                        kind: "config",
                        id: Some(format!("{section}.{key}")),
                        source: src(v),
                        reason: format!("expected a single value, found {}", v.kind()),
                    });
                    continue;
                };
                let candidate = set(&text, to_section, to_key, &value);
                // Checked one setting at a time so that an error names the upstream line.
                if let Err(e) = crate::config::Config::parse(&candidate, "config.yaml") {
                    let msg = e.message.split(": ").skip(1).collect::<Vec<_>>().join(": ");
                    return Err(
                        doc.err(v, format!("{section}.{key} cannot be carried over: {msg}"))
                    );
                }
                text = candidate;
                continue;
            }
            let shown = scalar_text(v);
            if SAME_AS_OURS
                .iter()
                .any(|(s, kk, same)| *s == section && *kk == key && Some(*same) == shown.as_deref())
            {
                continue;
            }
            left.push(LeftOut {
                kind: "config",
                id: Some(format!("{section}.{key}")),
                source: src(v),
                reason: match (section, key) {
                    ("admin", "allow_remote_admin") => {
                        "openleash has no separate switch: remote admin access is `admin.mode: token` (or localhost_or_token) with a token".into()
                    }
                    ("security", "require_totp") => {
                        "two-factor enforcement is not carried over yet".into()
                    }
                    _ => format!(
                        "no openleash setting corresponds to {section}.{key}{}",
                        shown.map(|s| format!(" = {s}")).unwrap_or_default()
                    ),
                },
            });
        }
    }
    Ok((text, left))
}

/// A YAML scalar as openleash config text: strings JSON-quoted (valid YAML), the rest as is.
fn scalar(v: &Node) -> Option<String> {
    Some(match &v.value {
        Value::Str(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => f.to_string(),
        _ => return None,
    })
}

fn scalar_text(v: &Node) -> Option<String> {
    match &v.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Replaces the value of `section.key` in config text, keeping indentation and a trailing
/// comment. The default config has a line for every key in [`MAP`].
fn set(text: &str, section: &str, key: &str, value: &str) -> String {
    let mut in_section = false;
    let mut out = String::with_capacity(text.len() + value.len());
    for line in text.split_inclusive('\n') {
        if !line.starts_with([' ', '\t', '#']) && !line.trim().is_empty() {
            in_section = line.trim_end() == format!("{section}:");
        }
        let trimmed = line.trim_start();
        if in_section && trimmed.starts_with(&format!("{key}:")) {
            let indent = &line[..line.len() - trimmed.len()];
            let new = format!("{indent}{key}: {value}");
            match line.find(" #") {
                // Keep the comment in its column where the new value leaves room.
                Some(i) => {
                    let comment_col = line[..i].chars().count() + 1;
                    let pad = comment_col.saturating_sub(new.chars().count()).max(2);
                    out.push_str(&format!(
                        "{new}{}{}",
                        " ".repeat(pad),
                        line[i + 1..].trim_end()
                    ));
                }
                None => out.push_str(&new),
            }
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn translate_text(yaml: &str) -> Result<(String, Vec<LeftOut>)> {
        let doc = Doc::parse(
            Path::new("up/config.yaml"),
            yaml,
            super::super::doc::Layout::Whole,
        )?;
        translate(Some(&doc))
    }

    #[test]
    fn carries_shared_settings_and_reports_the_rest() {
        let (text, left) = translate_text(
            "server:\n  bind_address: 127.0.0.1:9999\nadmin:\n  mode: token\n  token: abc\n  allow_remote_admin: true\n\
             tokens:\n  format: paseto_v4_public\n  max_ttl_seconds: 600\ngui:\n  enabled: false\nstore:\n  type: postgres\n\
             plugins:\n  x: 1\n",
        )
        .unwrap();
        let c = crate::config::Config::parse(&text, "config.yaml").unwrap();
        assert_eq!(c.server.bind_address, "127.0.0.1:9999");
        assert_eq!(c.admin.token, "abc");
        assert_eq!(c.tokens.max_ttl_seconds, 600);
        assert!(!c.server.gui);
        assert!(
            text.contains("# localhost | token | localhost_or_token"),
            "{text}"
        );
        let ids: Vec<_> = left
            .iter()
            .map(|l| l.id.clone().unwrap_or_default())
            .collect();
        assert_eq!(ids, ["admin.allow_remote_admin", "store.type", "plugins.x"]);
        assert!(
            left[0].source.starts_with("up/config.yaml:6"),
            "{:?}",
            left[0]
        );
    }

    #[test]
    fn an_unusable_value_names_the_file() {
        let e = translate_text("admin:\n  mode: everyone\n").unwrap_err();
        assert!(
            e.message
                .starts_with("up/config.yaml:2:9: admin.mode cannot be carried over"),
            "{}",
            e.message
        );
        let (text, left) = translate(None).unwrap();
        assert!(left.is_empty());
        assert_eq!(text, crate::config::DEFAULT_CONFIG_YAML);
    }
}
