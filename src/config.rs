//! `config.yaml`: server, security, token, approval and audit settings. Every key is optional and
//! falls back to its default; unknown keys and wrong types are errors with line:col and a
//! did-you-mean, so a typo never silently changes a security setting.

use crate::error::{Error, ErrorCode, Result};
use crate::yaml::{self, Node, Value};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub server: ServerConfig,
    pub admin: AdminConfig,
    pub security: SecurityConfig,
    pub tokens: TokensConfig,
    pub sessions: SessionsConfig,
    pub approval: ApprovalConfig,
    pub invites: InvitesConfig,
    pub audit: AuditConfig,
    pub notifications: crate::notify::config::NotifyConfig,
    pub retention: crate::handlers::gc::RetentionConfig,
    pub store: StoreConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerConfig {
    pub bind_address: String,
    /// Worker threads; 0 = 2 × cores.
    pub threads: u64,
    pub public_url: String,
    /// Connections one IP address may hold open at once (503 `BUSY` beyond; loopback included).
    pub max_connections_per_peer: u64,
    /// Serve the owner portal at `/gui` (SPEC §15).
    pub gui: bool,
    /// Open SSE streams at most (`GET /v1/owner/events/stream`).
    pub max_event_streams: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminConfig {
    pub mode: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityConfig {
    pub nonce_ttl_seconds: u64,
    pub clock_skew_seconds: u64,
    pub max_body_bytes: u64,
    pub registration: String,
    /// Refuse gated operations (approve/deny, policy changes, agent revocation) to users without
    /// a confirmed TOTP second factor (SPEC §17).
    pub require_totp: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokensConfig {
    pub default_ttl_seconds: u64,
    pub max_ttl_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionsConfig {
    pub ttl_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalConfig {
    pub request_ttl_seconds: u64,
    pub token_ttl_seconds: u64,
    /// Reminder before expiry (0 = off).
    pub remind_before_seconds: u64,
    /// Re-notify `notifications.escalation` channels after this long (0 = off).
    pub escalate_after_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvitesConfig {
    pub ttl_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditConfig {
    /// `always` (durable) or `never` (tests and benchmarks only).
    pub fsync: String,
    /// Seconds between the server's background `audit verify` runs; 0 = off.
    pub verify_interval_seconds: u64,
}

/// Where the installation's state lives (SPEC §19): the data directory's plain files, or a
/// PostgreSQL database shared by several `openleash start` instances.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreConfig {
    /// `files` or `postgres`.
    pub backend: String,
    /// `postgres://…` (key=value connection strings are accepted too); `OPENLEASH_STORE_URL`
    /// overrides it, so a password need not be written into `config.yaml`.
    pub url: String,
    /// Connections each instance keeps to the database at most.
    pub pool_size: u64,
    /// How long a request waits for a connection before it fails with `STORE_UNAVAILABLE`.
    pub connect_timeout_seconds: u64,
}

/// The environment variable that overrides `store.url`.
pub const STORE_URL_ENV: &str = "OPENLEASH_STORE_URL";

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            backend: "files".into(),
            url: String::new(),
            pool_size: 16,
            connect_timeout_seconds: 5,
        }
    }
}

impl StoreConfig {
    pub fn is_postgres(&self) -> bool {
        self.backend == "postgres"
    }

    /// Applies `OPENLEASH_STORE_URL` (`value`, when set and not empty) over `url`, checking it the
    /// way a `url` in the file is checked.
    pub fn override_url(&mut self, value: Option<&str>) -> Result<()> {
        let Some(v) = value.filter(|v| !v.trim().is_empty()) else {
            return Ok(());
        };
        check_store_url(v).map_err(|why| {
            Error::new(ErrorCode::InvalidConfig, format!("{STORE_URL_ENV}: {why}"))
                .with_hint("for example postgres://openleash@db.internal:5432/openleash")
        })?;
        self.url = v.to_string();
        Ok(())
    }

    /// `url` with any password replaced by `***`, for output and logs.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url)
    }
}

/// `Ok` when `url` is a connection string the PostgreSQL client accepts; else why not.
pub fn check_store_url(url: &str) -> std::result::Result<(), String> {
    let scheme_ok = url.starts_with("postgres://") || url.starts_with("postgresql://");
    if !scheme_ok && !url.contains('=') {
        return Err(format!(
            "`{}` is not a PostgreSQL URL: it must start with postgres:// or postgresql://",
            redact_url(url)
        ));
    }
    url.parse::<postgres::Config>()
        .map(|_| ())
        .map_err(|e| format!("`{}` is not a valid PostgreSQL URL: {e}", redact_url(url)))
}

/// Replaces the password of a `postgres://user:password@host/…` URL (or a `password=` pair of
/// a key=value string) with `***`.
pub fn redact_url(url: &str) -> String {
    if let Some(rest) = url
        .strip_prefix("postgres://")
        .map(|r| ("postgres://", r))
        .or_else(|| {
            url.strip_prefix("postgresql://")
                .map(|r| ("postgresql://", r))
        })
    {
        let (scheme, rest) = rest;
        if let Some(at) = rest.find('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                return format!("{scheme}{}:***{}", &userinfo[..colon], &rest[at..]);
            }
        }
        return url.to_string();
    }
    url.split_whitespace()
        .map(|pair| {
            if pair.starts_with("password=") {
                "password=***".to_string()
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Default for Config {
    fn default() -> Self {
        Config {
            server: ServerConfig {
                bind_address: "127.0.0.1:8787".into(),
                threads: 0,
                public_url: String::new(),
                max_connections_per_peer: 256,
                gui: true,
                max_event_streams: 32,
            },
            admin: AdminConfig {
                mode: "localhost_or_token".into(),
                token: String::new(),
            },
            security: SecurityConfig {
                nonce_ttl_seconds: 600,
                clock_skew_seconds: 120,
                max_body_bytes: 1_048_576,
                registration: "localhost".into(),
                require_totp: false,
            },
            tokens: TokensConfig {
                default_ttl_seconds: 120,
                max_ttl_seconds: 3600,
            },
            sessions: SessionsConfig {
                ttl_seconds: 28_800,
            },
            approval: ApprovalConfig {
                request_ttl_seconds: 86_400,
                token_ttl_seconds: 3600,
                remind_before_seconds: 3600,
                escalate_after_seconds: 0,
            },
            invites: InvitesConfig {
                ttl_seconds: 86_400,
            },
            audit: AuditConfig {
                fsync: "always".into(),
                verify_interval_seconds: 3600,
            },
            notifications: Default::default(),
            retention: Default::default(),
            store: StoreConfig::default(),
        }
    }
}

/// The commented file `init` writes.
pub const DEFAULT_CONFIG_YAML: &str = r#"# openleash configuration. Every key is optional; these are the defaults.
server:
  bind_address: "127.0.0.1:8787"
  threads: 0              # worker threads; 0 = 2 x cores
  public_url: ""          # base URL printed in invite links; default http://<bind_address>
  max_connections_per_peer: 256   # connections one IP address may hold open (loopback included)
  gui: true               # the owner portal at /gui (start --no-gui turns it off)
  max_event_streams: 32   # open SSE streams (GET /v1/owner/events/stream) at most
admin:
  mode: localhost_or_token   # localhost | token | localhost_or_token
  token: ""
security:
  nonce_ttl_seconds: 600
  clock_skew_seconds: 120
  max_body_bytes: 1048576
  registration: localhost    # challenge registration: localhost | open | disabled
  require_totp: false        # gated operations need a confirmed TOTP second factor
tokens:
  default_ttl_seconds: 120
  max_ttl_seconds: 3600
sessions:
  ttl_seconds: 28800
approval:
  request_ttl_seconds: 86400
  token_ttl_seconds: 3600
  remind_before_seconds: 3600  # approval_request.expiring this long before expiry; 0 = off
  escalate_after_seconds: 0    # re-notify notifications.escalation channels; 0 = off
invites:
  ttl_seconds: 86400
audit:
  fsync: always              # always | never (never = tests and benchmarks only)
  verify_interval_seconds: 3600   # the server re-verifies the whole log this often; 0 = off
notifications:               # see "Getting notified" in the README
  inline: true               # CLI commands try one immediate delivery
  retry: {max_attempts: 12, max_age_seconds: 86400}
  channels: []
retention:                   # see "Retention and gc" in the README; seconds, 0 = keep forever
  approvals_seconds: 2592000         # denied/expired requests; approved ones once their token expired
  decisions_seconds: 86400           # unused REQUIRE_APPROVAL decisions after they expired
  drafts_seconds: 7776000            # approved/denied policy drafts
  invites_seconds: 604800            # used or expired agent invites
  outbox_delivered_seconds: 604800   # delivered notifications (outbox/delivered.jsonl)
  outbox_dead_seconds: 2592000       # dead letters (outbox/dead)
  gc_interval_seconds: 3600          # `openleash start` runs gc this often; 0 = off
store:                       # see docs/store.md; postgres is for several instances on one database
  backend: files             # files | postgres
  url: ""                    # postgres://user@host:5432/db; OPENLEASH_STORE_URL overrides it
  pool_size: 16              # connections per instance
  connect_timeout_seconds: 5 # then requests fail with 503 STORE_UNAVAILABLE
"#;

const SECTIONS: &[&str] = &[
    "server",
    "admin",
    "security",
    "tokens",
    "sessions",
    "approval",
    "invites",
    "audit",
    "notifications",
    "retention",
    "store",
];

/// Reading `config.yaml` (and the sections other modules parse, e.g. `notifications`): typed
/// values with `file:line:col` errors.
pub(crate) struct Ctx<'a> {
    pub(crate) file: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn err(&self, node: &Node, msg: impl std::fmt::Display) -> Error {
        Error::new(
            ErrorCode::InvalidConfig,
            format!("{}:{}:{}: {msg}", self.file, node.pos.line, node.pos.col),
        )
    }

    pub(crate) fn keys(&self, node: &Node, section: &str, allowed: &[&str]) -> Result<()> {
        let Some(map) = node.as_map() else {
            return Err(self.err(
                node,
                format!("`{section}` must be a mapping, found {}", node.kind()),
            ));
        };
        for (k, _) in map {
            let name = k.as_str().unwrap_or("");
            if !allowed.contains(&name) {
                let mut e = self.err(k, format!("unknown key `{name}` in `{section}`"));
                e.hint = Some(match yaml::did_you_mean(name, allowed) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("allowed keys: {}", allowed.join(", ")),
                });
                return Err(e);
            }
        }
        Ok(())
    }

    pub(crate) fn u64(
        &self,
        parent: &Node,
        section: &str,
        key: &str,
        target: &mut u64,
    ) -> Result<()> {
        if let Some(n) = parent.get(key) {
            match n.value {
                Value::Int(i) if i >= 0 => *target = i as u64,
                _ => {
                    return Err(self.err(
                        n,
                        format!(
                            "`{section}.{key}` must be a non-negative integer, found {}",
                            n.kind()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn bool(
        &self,
        parent: &Node,
        section: &str,
        key: &str,
        target: &mut bool,
    ) -> Result<()> {
        if let Some(n) = parent.get(key) {
            match n.value {
                Value::Bool(b) => *target = b,
                _ => {
                    return Err(self.err(
                        n,
                        format!(
                            "`{section}.{key}` must be true or false, found {}",
                            n.kind()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn string(
        &self,
        parent: &Node,
        section: &str,
        key: &str,
        target: &mut String,
    ) -> Result<()> {
        if let Some(n) = parent.get(key) {
            match &n.value {
                Value::Str(s) => *target = s.clone(),
                Value::Null => target.clear(),
                _ => {
                    return Err(self.err(
                        n,
                        format!("`{section}.{key}` must be a string, found {}", n.kind()),
                    ));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn choice(
        &self,
        parent: &Node,
        section: &str,
        key: &str,
        options: &[&str],
        target: &mut String,
    ) -> Result<()> {
        self.string(parent, section, key, target)?;
        if let Some(n) = parent.get(key)
            && !options.contains(&target.as_str())
        {
            let mut e = self.err(
                n,
                format!(
                    "`{section}.{key}` must be one of {}, found `{target}`",
                    options.join(" | ")
                ),
            );
            if let Some(s) = yaml::did_you_mean(target, options) {
                e.hint = Some(format!("did you mean `{s}`?"));
            }
            return Err(e);
        }
        Ok(())
    }

    pub(crate) fn strings(&self, parent: &Node, section: &str, key: &str) -> Result<Vec<String>> {
        let Some(n) = parent.get(key) else {
            return Ok(Vec::new());
        };
        match &n.value {
            Value::Null => Ok(Vec::new()),
            Value::Str(s) => Ok(vec![s.clone()]),
            Value::Seq(items) => items
                .iter()
                .map(|i| {
                    i.as_str().map(String::from).ok_or_else(|| {
                        self.err(
                            i,
                            format!("`{section}.{key}` must list strings, found {}", i.kind()),
                        )
                    })
                })
                .collect(),
            _ => Err(self.err(
                n,
                format!(
                    "`{section}.{key}` must be a list of strings, found {}",
                    n.kind()
                ),
            )),
        }
    }
}

impl Config {
    /// Parses config text; `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Config> {
        let root = yaml::parse(text).map_err(|e| {
            let mut err = Error::new(
                ErrorCode::InvalidConfig,
                format!("{file}:{}:{}: {}", e.pos.line, e.pos.col, e.message),
            );
            err.hint = e.hint;
            err
        })?;
        let mut c = Config::default();
        if root.value == Value::Null {
            return Ok(c);
        }
        let cx = Ctx { file };
        cx.keys(&root, "config", SECTIONS)?;
        if let Some(s) = root.get("server") {
            cx.keys(
                s,
                "server",
                &[
                    "bind_address",
                    "threads",
                    "public_url",
                    "max_connections_per_peer",
                    "gui",
                    "max_event_streams",
                ],
            )?;
            cx.u64(
                s,
                "server",
                "max_connections_per_peer",
                &mut c.server.max_connections_per_peer,
            )?;
            cx.u64(
                s,
                "server",
                "max_event_streams",
                &mut c.server.max_event_streams,
            )?;
            cx.string(s, "server", "bind_address", &mut c.server.bind_address)?;
            cx.u64(s, "server", "threads", &mut c.server.threads)?;
            cx.string(s, "server", "public_url", &mut c.server.public_url)?;
            cx.bool(s, "server", "gui", &mut c.server.gui)?;
            if c.server
                .bind_address
                .parse::<std::net::SocketAddr>()
                .is_err()
            {
                let n = s.get("bind_address").unwrap_or(s);
                return Err(cx.err(n, format!("`server.bind_address` must be host:port with a literal IP address, found `{}`", c.server.bind_address))
                    .with_hint("for example 127.0.0.1:8787 or [::1]:8787"));
            }
        }
        if let Some(s) = root.get("admin") {
            cx.keys(s, "admin", &["mode", "token"])?;
            cx.choice(
                s,
                "admin",
                "mode",
                &["localhost", "token", "localhost_or_token"],
                &mut c.admin.mode,
            )?;
            cx.string(s, "admin", "token", &mut c.admin.token)?;
        }
        if let Some(s) = root.get("security") {
            cx.keys(
                s,
                "security",
                &[
                    "nonce_ttl_seconds",
                    "clock_skew_seconds",
                    "max_body_bytes",
                    "registration",
                    "require_totp",
                ],
            )?;
            cx.bool(s, "security", "require_totp", &mut c.security.require_totp)?;
            cx.u64(
                s,
                "security",
                "nonce_ttl_seconds",
                &mut c.security.nonce_ttl_seconds,
            )?;
            cx.u64(
                s,
                "security",
                "clock_skew_seconds",
                &mut c.security.clock_skew_seconds,
            )?;
            cx.u64(
                s,
                "security",
                "max_body_bytes",
                &mut c.security.max_body_bytes,
            )?;
            cx.choice(
                s,
                "security",
                "registration",
                &["localhost", "open", "disabled"],
                &mut c.security.registration,
            )?;
        }
        if let Some(s) = root.get("tokens") {
            cx.keys(s, "tokens", &["default_ttl_seconds", "max_ttl_seconds"])?;
            cx.u64(
                s,
                "tokens",
                "default_ttl_seconds",
                &mut c.tokens.default_ttl_seconds,
            )?;
            cx.u64(
                s,
                "tokens",
                "max_ttl_seconds",
                &mut c.tokens.max_ttl_seconds,
            )?;
        }
        if let Some(s) = root.get("sessions") {
            cx.keys(s, "sessions", &["ttl_seconds"])?;
            cx.u64(s, "sessions", "ttl_seconds", &mut c.sessions.ttl_seconds)?;
        }
        if let Some(s) = root.get("approval") {
            cx.keys(
                s,
                "approval",
                &[
                    "request_ttl_seconds",
                    "token_ttl_seconds",
                    "remind_before_seconds",
                    "escalate_after_seconds",
                ],
            )?;
            cx.u64(
                s,
                "approval",
                "remind_before_seconds",
                &mut c.approval.remind_before_seconds,
            )?;
            cx.u64(
                s,
                "approval",
                "escalate_after_seconds",
                &mut c.approval.escalate_after_seconds,
            )?;
            cx.u64(
                s,
                "approval",
                "request_ttl_seconds",
                &mut c.approval.request_ttl_seconds,
            )?;
            cx.u64(
                s,
                "approval",
                "token_ttl_seconds",
                &mut c.approval.token_ttl_seconds,
            )?;
        }
        if let Some(s) = root.get("invites") {
            cx.keys(s, "invites", &["ttl_seconds"])?;
            cx.u64(s, "invites", "ttl_seconds", &mut c.invites.ttl_seconds)?;
        }
        if let Some(s) = root.get("audit") {
            cx.keys(s, "audit", &["fsync", "verify_interval_seconds"])?;
            cx.u64(
                s,
                "audit",
                "verify_interval_seconds",
                &mut c.audit.verify_interval_seconds,
            )?;
            cx.choice(
                s,
                "audit",
                "fsync",
                &["always", "never"],
                &mut c.audit.fsync,
            )?;
        }
        if let Some(n) = root.get("notifications") {
            c.notifications =
                crate::notify::config::parse(n, file, c.server.bind_address.parse().ok())?;
        }
        if let Some(n) = root.get("retention") {
            c.retention = crate::handlers::gc::parse_config(&cx, n)?;
        }
        if let Some(s) = root.get("store") {
            parse_store(&cx, s, &mut c.store)?;
        }
        Ok(c)
    }

    /// [`Config::parse`] of the file at `path`, with `OPENLEASH_STORE_URL` applied.
    pub fn load(path: &Path) -> Result<Config> {
        let mut c = Self::load_file(path)?;
        c.store
            .override_url(std::env::var(STORE_URL_ENV).ok().as_deref())?;
        Ok(c)
    }

    fn load_file(path: &Path) -> Result<Config> {
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                Error::new(
                    ErrorCode::InvalidConfig,
                    format!("{} is not valid UTF-8", path.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::new(ErrorCode::InvalidConfig, format!("{} is missing", path.display()))
                    .with_hint("restore it from a backup, or recreate it with the defaults from `openleash init --help`; an empty file means all defaults"));
            }
            Err(e) => return Err(Error::io("read", path, e)),
        };
        Config::parse(&text, &path.display().to_string())
    }

    /// The config as JSON with secrets redacted (for `GET /v1/admin/config`).
    pub fn redacted_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(t) = v.pointer_mut("/admin/token") {
            let set = !self.admin.token.is_empty();
            *t = serde_json::Value::String(if set { "***".into() } else { String::new() });
        }
        if let Some(n) = v.get_mut("notifications") {
            crate::notify::config::NotifyConfig::redact(n);
        }
        if let Some(u) = v.pointer_mut("/store/url") {
            *u = serde_json::Value::String(self.store.redacted_url());
        }
        v
    }

    pub fn fsync_enabled(&self) -> bool {
        self.audit.fsync == "always"
    }
}

fn parse_store(cx: &Ctx<'_>, s: &Node, store: &mut StoreConfig) -> Result<()> {
    cx.keys(
        s,
        "store",
        &["backend", "url", "pool_size", "connect_timeout_seconds"],
    )?;
    cx.choice(
        s,
        "store",
        "backend",
        &["files", "postgres"],
        &mut store.backend,
    )?;
    cx.string(s, "store", "url", &mut store.url)?;
    cx.u64(s, "store", "pool_size", &mut store.pool_size)?;
    cx.u64(
        s,
        "store",
        "connect_timeout_seconds",
        &mut store.connect_timeout_seconds,
    )?;
    if let Some(n) = s.get("pool_size")
        && !(1..=1000).contains(&store.pool_size)
    {
        return Err(cx.err(
            n,
            format!(
                "`store.pool_size` must be between 1 and 1000, found {}",
                store.pool_size
            ),
        ));
    }
    if let Some(n) = s.get("url")
        && !store.url.is_empty()
        && let Err(why) = check_store_url(&store.url)
    {
        return Err(cx
            .err(n, format!("`store.url`: {why}"))
            .with_hint("for example postgres://openleash@db.internal:5432/openleash"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_parses_to_defaults() {
        assert_eq!(
            Config::parse(DEFAULT_CONFIG_YAML, "config.yaml").unwrap(),
            Config::default()
        );
        assert_eq!(Config::parse("", "config.yaml").unwrap(), Config::default());
    }

    #[test]
    fn partial_sections_override_only_their_keys() {
        let c = Config::parse("tokens:\n  max_ttl_seconds: 60\n", "c").unwrap();
        assert_eq!(c.tokens.max_ttl_seconds, 60);
        assert_eq!(c.tokens.default_ttl_seconds, 120);
    }

    #[test]
    fn unknown_keys_have_positions_and_suggestions() {
        let e = Config::parse("sever:\n  threads: 2\n", "config.yaml").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(
            e.message
                .starts_with("config.yaml:1:1: unknown key `sever`"),
            "{}",
            e.message
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `server`?"));
        let e = Config::parse("tokens:\n  max_ttl: 5\n", "config.yaml").unwrap_err();
        assert!(e.message.starts_with("config.yaml:2:3:"), "{}", e.message);
        let e = Config::parse("tokens:\n  max_ttl_seconds: -5\n", "config.yaml").unwrap_err();
        assert!(e.message.contains("non-negative integer"));
        let e = Config::parse("admin: {mode: localhost_or_tokens}\n", "c").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean `localhost_or_token`?")
        );
        let e = Config::parse("server: [1, 2\n", "c").unwrap_err();
        assert!(e.message.contains("YAML syntax error"));
    }

    #[test]
    fn redacts_admin_token() {
        let c = Config::parse("admin: {token: s3cret}\n", "c").unwrap();
        assert_eq!(c.redacted_json()["admin"]["token"], "***");
    }

    #[test]
    fn store_section_is_checked_with_positions() {
        let c = Config::parse(
            "store:\n  backend: postgres\n  url: postgres://u:pw@db:5432/ol\n  pool_size: 4\n",
            "c",
        )
        .unwrap();
        assert!(c.store.is_postgres());
        assert_eq!(c.store.pool_size, 4);
        assert_eq!(
            c.redacted_json()["store"]["url"],
            "postgres://u:***@db:5432/ol"
        );
        let e = Config::parse("store:\n  backend: postgre\n", "config.yaml").unwrap_err();
        assert!(e.message.starts_with("config.yaml:2:12:"), "{}", e.message);
        assert_eq!(e.hint.as_deref(), Some("did you mean `postgres`?"));
        let e = Config::parse("store:\n  url: mysql://x\n", "config.yaml").unwrap_err();
        assert!(e.message.starts_with("config.yaml:2:8:"), "{}", e.message);
        assert!(e.message.contains("postgres://"), "{}", e.message);
        let e = Config::parse("store:\n  url: postgres://h:notaport/x\n", "c").unwrap_err();
        assert!(
            e.message.contains("not a valid PostgreSQL URL"),
            "{}",
            e.message
        );
        let e = Config::parse("store:\n  pool_size: 0\n", "c").unwrap_err();
        assert!(e.message.contains("between 1 and 1000"), "{}", e.message);
        let e = Config::parse("store:\n  uri: x\n", "c").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `url`?"));
    }

    #[test]
    fn the_store_url_variable_overrides_the_file() {
        let mut s = StoreConfig {
            url: "postgres://a@h/db".into(),
            ..StoreConfig::default()
        };
        s.override_url(None).unwrap();
        s.override_url(Some("")).unwrap();
        assert_eq!(s.url, "postgres://a@h/db");
        s.override_url(Some("postgresql://b:secret@h2/db")).unwrap();
        assert_eq!(s.url, "postgresql://b:secret@h2/db");
        assert_eq!(s.redacted_url(), "postgresql://b:***@h2/db");
        let e = s.override_url(Some("http://x")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(
            e.message.starts_with("OPENLEASH_STORE_URL: "),
            "{}",
            e.message
        );
        assert_eq!(
            redact_url("host=h password=pw user=u"),
            "host=h password=*** user=u"
        );
    }
}
