//! The `notifications:` section of `config.yaml` (SPEC §4, §16). Parsed with the same strictness
//! as the rest of the config: unknown keys, wrong types, unknown channel types, missing or
//! non-http(s) URLs are errors with `file:line:col`.

use super::event::EVENT_TYPES;
use crate::config::Ctx as Cx;
use crate::error::Result;
use crate::yaml::{self, Node, Value};
use serde::Serialize;
use std::net::SocketAddr;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotifyConfig {
    /// CLI commands that enqueue try one immediate delivery.
    pub inline: bool,
    pub near_cap_ratio: f64,
    pub retry: RetryConfig,
    pub smtp: SmtpConfig,
    pub channels: Vec<Channel>,
    /// Channel names re-notified after `approval.escalate_after_seconds`.
    pub escalation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetryConfig {
    pub max_attempts: u64,
    pub max_age_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u64,
    /// `starttls` | `tls` | `none`.
    pub tls: String,
    pub username: String,
    pub password_file: String,
    pub from: String,
    pub ca_file: String,
}

/// Channel types.
pub const CHANNEL_TYPES: &[&str] = &["webhook", "slack", "ntfy", "email", "command"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Channel {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Event types this channel hears; empty = all.
    pub events: Vec<String>,
    /// Owner ids whose events this channel hears; empty = all.
    pub owners: Vec<String>,
    pub url: String,
    pub secret: String,
    pub secret_file: String,
    pub to: Vec<String>,
    pub command: Vec<String>,
}

impl Channel {
    /// Whether this channel hears `event_type` for `owner_id`. Instance-wide events (no owner,
    /// e.g. `audit.integrity_failed`) concern every owner, so an owners filter does not hide them.
    pub fn wants(&self, event_type: &str, owner_id: &str) -> bool {
        (self.events.is_empty() || self.events.iter().any(|e| e == "*" || e == event_type))
            && (self.owners.is_empty()
                || owner_id.is_empty()
                || self.owners.iter().any(|o| o.eq_ignore_ascii_case(owner_id)))
    }
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            inline: true,
            near_cap_ratio: 0.8,
            retry: RetryConfig {
                max_attempts: 12,
                max_age_seconds: 86_400,
            },
            smtp: SmtpConfig {
                host: String::new(),
                port: 587,
                tls: "starttls".into(),
                username: String::new(),
                password_file: String::new(),
                from: String::new(),
                ca_file: String::new(),
            },
            channels: Vec::new(),
            escalation: Vec::new(),
        }
    }
}

impl NotifyConfig {
    pub fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.name == name)
    }

    /// Secrets replaced by `***` (set) or `""` (unset), for `config` output and the admin API.
    pub fn redact(v: &mut serde_json::Value) {
        let star = |x: &mut serde_json::Value| {
            if x.as_str().is_some_and(|s| !s.is_empty()) {
                *x = serde_json::Value::String("***".into());
            }
        };
        if let Some(chs) = v.get_mut("channels").and_then(|c| c.as_array_mut()) {
            for ch in chs {
                if let Some(s) = ch.get_mut("secret") {
                    star(s);
                }
                // A Slack or ntfy URL is itself the credential.
                let kind = ch.get("type").and_then(|t| t.as_str()).unwrap_or("");
                if kind == "slack"
                    && let Some(u) = ch.get_mut("url")
                {
                    star(u);
                }
            }
        }
    }
}

/// Parses `notifications:`; `own` is this server's `bind_address` (URLs pointing at it are refused).
pub fn parse(node: &Node, file: &str, own: Option<SocketAddr>) -> Result<NotifyConfig> {
    let cx = Cx { file };
    let mut c = NotifyConfig::default();
    if node.value == Value::Null {
        return Ok(c);
    }
    cx.keys(
        node,
        "notifications",
        &[
            "inline",
            "near_cap_ratio",
            "retry",
            "smtp",
            "channels",
            "escalation",
        ],
    )?;
    if let Some(n) = node.get("inline") {
        match n.value {
            Value::Bool(b) => c.inline = b,
            _ => {
                return Err(cx.err(
                    n,
                    format!(
                        "`notifications.inline` must be true or false, found {}",
                        n.kind()
                    ),
                ));
            }
        }
    }
    if let Some(n) = node.get("near_cap_ratio") {
        match n.as_f64() {
            Some(f) if f > 0.0 && f <= 1.0 => c.near_cap_ratio = f,
            _ => {
                return Err(cx.err(
                    n,
                    "`notifications.near_cap_ratio` must be a number in (0, 1]",
                ));
            }
        }
    }
    if let Some(r) = node.get("retry") {
        cx.keys(
            r,
            "notifications.retry",
            &["max_attempts", "max_age_seconds"],
        )?;
        cx.u64(
            r,
            "notifications.retry",
            "max_attempts",
            &mut c.retry.max_attempts,
        )?;
        cx.u64(
            r,
            "notifications.retry",
            "max_age_seconds",
            &mut c.retry.max_age_seconds,
        )?;
        if c.retry.max_attempts == 0 {
            return Err(cx.err(r, "`notifications.retry.max_attempts` must be at least 1"));
        }
    }
    if let Some(s) = node.get("smtp") {
        let sec = "notifications.smtp";
        cx.keys(
            s,
            sec,
            &[
                "host",
                "port",
                "tls",
                "username",
                "password_file",
                "from",
                "ca_file",
            ],
        )?;
        cx.string(s, sec, "host", &mut c.smtp.host)?;
        cx.u64(s, sec, "port", &mut c.smtp.port)?;
        cx.string(s, sec, "tls", &mut c.smtp.tls)?;
        cx.string(s, sec, "username", &mut c.smtp.username)?;
        cx.string(s, sec, "password_file", &mut c.smtp.password_file)?;
        cx.string(s, sec, "from", &mut c.smtp.from)?;
        cx.string(s, sec, "ca_file", &mut c.smtp.ca_file)?;
        let options = ["starttls", "tls", "none"];
        if !options.contains(&c.smtp.tls.as_str()) {
            let n = s.get("tls").unwrap_or(s);
            return Err(cx.err(
                n,
                format!(
                    "`{sec}.tls` must be one of starttls | tls | none, found `{}`",
                    c.smtp.tls
                ),
            ));
        }
        if c.smtp.port == 0 || c.smtp.port > 65_535 {
            let n = s.get("port").unwrap_or(s);
            return Err(cx.err(n, format!("`{sec}.port` must be 1..65535")));
        }
    }
    if let Some(list) = node.get("channels") {
        let items: &[Node] = match &list.value {
            Value::Null => &[],
            Value::Seq(items) => items,
            _ => {
                return Err(cx.err(
                    list,
                    format!(
                        "`notifications.channels` must be a list, found {}",
                        list.kind()
                    ),
                ));
            }
        };
        for item in items {
            let ch = parse_channel(&cx, item, own)?;
            if c.channels.iter().any(|x| x.name == ch.name) {
                return Err(cx.err(item, format!("channel name `{}` is used twice", ch.name)));
            }
            if ch.kind == "email" && c.smtp.host.is_empty() {
                return Err(cx
                    .err(item, format!("channel `{}` sends email but `notifications.smtp.host` is empty", ch.name))
                    .with_hint("set notifications.smtp.host, port, tls, from (and username/password_file if your server needs them)"));
            }
            c.channels.push(ch);
        }
    }
    c.escalation = cx.strings(node, "notifications", "escalation")?;
    if let Some(n) = node.get("escalation") {
        for name in &c.escalation {
            if c.channel(name).is_none() {
                return Err(cx.err(
                    n,
                    format!("`notifications.escalation` names `{name}`, which is not a channel"),
                ));
            }
        }
    }
    Ok(c)
}

fn parse_channel(cx: &Cx<'_>, item: &Node, own: Option<SocketAddr>) -> Result<Channel> {
    let sec = "notifications.channels[]";
    cx.keys(
        item,
        sec,
        &[
            "name",
            "type",
            "events",
            "owners",
            "url",
            "secret",
            "secret_file",
            "to",
            "command",
        ],
    )?;
    let mut ch = Channel {
        name: String::new(),
        kind: String::new(),
        events: cx.strings(item, sec, "events")?,
        owners: cx.strings(item, sec, "owners")?,
        url: String::new(),
        secret: String::new(),
        secret_file: String::new(),
        to: cx.strings(item, sec, "to")?,
        command: cx.strings(item, sec, "command")?,
    };
    cx.string(item, sec, "name", &mut ch.name)?;
    cx.string(item, sec, "type", &mut ch.kind)?;
    cx.string(item, sec, "url", &mut ch.url)?;
    cx.string(item, sec, "secret", &mut ch.secret)?;
    cx.string(item, sec, "secret_file", &mut ch.secret_file)?;
    if ch.name.is_empty() {
        return Err(cx.err(item, "a channel needs a `name`"));
    }
    if !CHANNEL_TYPES.contains(&ch.kind.as_str()) {
        let n = item.get("type").unwrap_or(item);
        let mut e = cx.err(
            n,
            format!(
                "channel `{}`: unknown type `{}` (one of {})",
                ch.name,
                ch.kind,
                CHANNEL_TYPES.join(" | ")
            ),
        );
        if let Some(s) = yaml::did_you_mean(&ch.kind, CHANNEL_TYPES) {
            e.hint = Some(format!("did you mean `{s}`?"));
        }
        return Err(e);
    }
    if let Some(n) = item.get("events") {
        for e in &ch.events {
            if e != "*" && !EVENT_TYPES.contains(&e.as_str()) {
                let mut err = cx.err(n, format!("channel `{}`: unknown event `{e}`", ch.name));
                err.hint = Some(match yaml::did_you_mean(e, EVENT_TYPES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("events: {}", EVENT_TYPES.join(", ")),
                });
                return Err(err);
            }
        }
    }
    match ch.kind.as_str() {
        "webhook" | "slack" | "ntfy" => {
            let n = item.get("url").unwrap_or(item);
            if ch.url.is_empty() {
                return Err(cx.err(
                    n,
                    format!("channel `{}` ({}) needs a `url`", ch.name, ch.kind),
                ));
            }
            super::url::check(&ch.url, own)
                .map_err(|why| cx.err(n, format!("channel `{}`: {why}", ch.name)))?;
        }
        "email" if ch.to.is_empty() => {
            return Err(cx.err(item, format!("channel `{}` (email) needs `to`", ch.name)));
        }
        "command" if ch.command.is_empty() => {
            return Err(cx.err(
                item,
                format!(
                    "channel `{}` (command) needs `command: [program, args...]`",
                    ch.name
                ),
            ));
        }
        _ => {}
    }
    if !ch.secret.is_empty() && !ch.secret_file.is_empty() {
        return Err(cx.err(
            item,
            format!(
                "channel `{}`: set `secret` or `secret_file`, not both",
                ch.name
            ),
        ));
    }
    Ok(ch)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::error::ErrorCode;

    #[test]
    fn channels_parse_and_bad_ones_have_positions() {
        let ok = "notifications:\n  channels:\n    - {name: hook, type: webhook, url: 'http://127.0.0.1:9/x', secret: s, events: [approval_request.created]}\n    - {name: desk, type: command, command: [notify-send]}\n  escalation: [desk]\n";
        let c = Config::parse(ok, "config.yaml").unwrap();
        assert_eq!(c.notifications.channels.len(), 2);
        assert!(c.notifications.channels[0].wants("approval_request.created", "x"));
        assert!(!c.notifications.channels[0].wants("policy_draft.created", "x"));
        assert_eq!(
            c.redacted_json()["notifications"]["channels"][0]["secret"],
            "***"
        );
        for (text, at, what) in [
            (
                "notifications:\n  channels:\n    - name: a\n      type: pager\n",
                "config.yaml:4:13",
                "unknown type `pager`",
            ),
            (
                "notifications:\n  channels:\n    - name: a\n      type: webhook\n",
                "config.yaml:3:7",
                "needs a `url`",
            ),
            (
                "notifications:\n  channels:\n    - name: a\n      type: slack\n      url: file:///etc/passwd\n",
                "config.yaml:5:12",
                "http",
            ),
            (
                "notifications:\n  channels:\n    - name: a\n      type: ntfy\n      url: http://169.254.169.254/x\n",
                "config.yaml:5:12",
                "link-local",
            ),
            (
                "server: {bind_address: '127.0.0.1:8787'}\nnotifications:\n  channels:\n    - {name: a, type: webhook, url: 'http://localhost:8787/v1/x'}\n",
                "config.yaml:4:",
                "this server",
            ),
            (
                "notifications:\n  chanels: []\n",
                "config.yaml:2:3",
                "unknown key `chanels`",
            ),
            (
                "notifications:\n  channels:\n    - {name: a, type: webhook, url: 'http://x/', events: [approval.created]}\n",
                "config.yaml:3:",
                "unknown event",
            ),
        ] {
            let e = Config::parse(text, "config.yaml").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig);
            assert!(e.message.starts_with(at), "{text}: {}", e.message);
            assert!(e.message.contains(what), "{text}: {}", e.message);
        }
    }
}
