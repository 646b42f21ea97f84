//! The durable outbox (SPEC §16): one JSON file per undelivered notification in
//! `outbox/pending/`, staged into the same [`Txn`] as the state change that caused it (under the
//! writer lock, before that change's audit line), so a crash neither loses nor invents one.
//! Delivered entries are appended to `outbox/delivered.jsonl` (one fsync per batch instead of one
//! file per delivery); abandoned ones move to `outbox/dead/`. Finished pending files are renamed
//! into `outbox/trash/` and deleted later off the delivery path: on file systems mounted with
//! `discard` an unlink costs milliseconds (a synchronous TRIM), a rename microseconds.

use super::event::{AGENT_EVENTS, Event};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{DataDir, Txn};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::PathBuf;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const DEAD: &str = "dead";
pub const STATUSES: &[&str] = &[PENDING, DELIVERED, DEAD];
/// Pending files of finished entries wait here for deletion (see [`retire`]).
pub const TRASH: &str = "trash";

/// Who receives an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// The agent's own webhook; the URL as registered when the event happened. Its secret and
    /// token are read from the agent record at delivery, never copied here.
    Agent {
        agent_principal_id: String,
        url: String,
    },
    /// An owner channel of `notifications.channels`, by name.
    Channel { name: String, channel_type: String },
    /// One person's email address over `notifications.smtp` (a passphrase recovery link): not
    /// a channel, since it goes to whoever the account says, not to a configured list.
    Email { to: String },
}

impl Target {
    pub fn label(&self) -> String {
        match self {
            Target::Agent { url, .. } => format!("agent webhook {}", origin(url)),
            Target::Channel { name, channel_type } => format!("{channel_type} channel {name}"),
            Target::Email { to } => format!("email to {}", mask_address(to)),
        }
    }
}

/// An address as logs and audit lines show it: the domain and the local part's first letter
/// (`a***@example.org`).
pub fn mask_address(to: &str) -> String {
    match to.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// `scheme://host:port` of a URL: what logs and audit lines show of an owner channel's URL
/// (Slack-style URLs carry their secret in the path).
pub fn origin(url: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &url[scheme_end..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    format!("{}{}", &url[..scheme_end], &rest[..end])
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Also the `X-Webhook-Id` header: stable across retries, for de-duplication.
    pub id: String,
    pub created_at: String,
    pub target: Target,
    pub event: Event,
    pub status: String,
    pub attempts: u32,
    pub next_attempt_at: String,
    #[serde(default)]
    pub last_attempt_at: Option<String>,
    #[serde(default)]
    pub last_status_code: Option<u16>,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub delivered_at: Option<String>,
    #[serde(default)]
    pub dead_at: Option<String>,
}

pub fn dir(dd: &DataDir, sub: &str) -> PathBuf {
    dd.path("outbox").join(sub)
}

pub fn entry_path(dd: &DataDir, sub: &str, id: &str) -> Result<PathBuf> {
    crate::ids::check_uuid("notification id", id)?;
    Ok(dir(dd, sub).join(format!("{}.json", id.to_ascii_lowercase())))
}

pub fn delivered_log(dd: &DataDir) -> PathBuf {
    dd.path("outbox").join("delivered.jsonl")
}

fn ensure_dirs(dd: &DataDir) -> Result<()> {
    for sub in [PENDING, DEAD, TRASH] {
        let p = dir(dd, sub);
        if !p.is_dir() {
            std::fs::create_dir_all(&p).map_err(|e| Error::io("create", &p, e))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(
                    dd.path("outbox"),
                    std::fs::Permissions::from_mode(0o700),
                );
            }
        }
    }
    Ok(())
}

/// Stages one entry per receiver of `event` (the agent's webhook for its own outcomes, and every
/// owner channel whose filters match) into `txn`. Returns their ids; pass them to
/// [`super::enqueued`] once `txn` is committed.
pub fn stage(dd: &DataDir, txn: &mut Txn, config: &Config, event: &Event) -> Result<Vec<String>> {
    let mut targets = Vec::new();
    if AGENT_EVENTS.contains(&event.event_type.as_str())
        && let Ok(agent) = dd.agent_by_principal(&event.agent_principal_id)
        && !agent.webhook_url.is_empty()
    {
        targets.push(Target::Agent {
            agent_principal_id: agent.agent_principal_id.clone(),
            url: agent.webhook_url.clone(),
        });
    }
    for ch in &config.notifications.channels {
        if ch.wants(&event.event_type, &event.owner_id) {
            targets.push(Target::Channel {
                name: ch.name.clone(),
                channel_type: ch.kind.clone(),
            });
        }
    }
    stage_targets(dd, txn, event, targets)
}

/// Stages `event` for the named channels only (escalation).
pub fn stage_channels(
    dd: &DataDir,
    txn: &mut Txn,
    config: &Config,
    event: &Event,
    names: &[String],
) -> Result<Vec<String>> {
    let targets = names
        .iter()
        .filter_map(|n| config.notifications.channel(n))
        .map(|ch| Target::Channel {
            name: ch.name.clone(),
            channel_type: ch.kind.clone(),
        })
        .collect();
    stage_targets(dd, txn, event, targets)
}

/// Stages `event` as one email to `to` (passphrase recovery).
pub fn stage_email(dd: &DataDir, txn: &mut Txn, event: &Event, to: &str) -> Result<Vec<String>> {
    stage_targets(dd, txn, event, vec![Target::Email { to: to.into() }])
}

fn stage_targets(
    dd: &DataDir,
    txn: &mut Txn,
    event: &Event,
    targets: Vec<Target>,
) -> Result<Vec<String>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    ensure_dirs(dd)?;
    let now = crate::timefmt::now_string();
    let mut ids = Vec::with_capacity(targets.len());
    for target in targets {
        let e = Entry {
            id: crate::ids::new_id(),
            created_at: now.clone(),
            target,
            event: event.clone(),
            status: PENDING.into(),
            attempts: 0,
            next_attempt_at: now.clone(),
            last_attempt_at: None,
            last_status_code: None,
            last_error: None,
            delivered_at: None,
            dead_at: None,
        };
        // 0600: an approval outcome carries the approval token, a recovery email its link.
        txn.write_mode(
            &entry_path(dd, PENDING, &e.id)?,
            crate::store::to_json_pretty(&e)?,
            0o600,
        );
        ids.push(e.id);
    }
    Ok(ids)
}

/// Ids in `outbox/<sub>/`.
pub fn ids(dd: &DataDir, sub: &str) -> Result<Vec<String>> {
    Ok(dd
        .list_ids(&format!("outbox/{sub}"), "json")?
        .into_iter()
        .filter(|id| crate::ids::is_uuid_shaped(id))
        .collect())
}

pub fn read(dd: &DataDir, sub: &str, id: &str) -> Result<Option<Entry>> {
    dd.read_json(&entry_path(dd, sub, id)?)
}

/// Every delivered entry, oldest first (a torn last line after a crash is skipped).
pub fn delivered(dd: &DataDir) -> Result<Vec<Entry>> {
    let path = delivered_log(dd);
    let f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("open", &path, e)),
    };
    let mut out = Vec::new();
    for line in std::io::BufReader::new(f).lines() {
        let line = line.map_err(|e| Error::io("read", &path, e))?;
        if let Ok(e) = serde_json::from_str::<Entry>(&line) {
            out.push(e);
        }
    }
    Ok(out)
}

/// Appends delivered entries to the log and makes them durable (call under the writer lock,
/// before removing their pending files).
pub fn append_delivered(dd: &DataDir, entries: &[Entry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let path = delivered_log(dd);
    let mut buf = Vec::new();
    for e in entries {
        serde_json::to_writer(&mut buf, e).map_err(|e| Error::internal(e.to_string()))?;
        buf.push(b'\n');
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path).map_err(|e| Error::io("open", &path, e))?;
    f.write_all(&buf)
        .map_err(|e| Error::io("append to", &path, e))?;
    f.sync_data().map_err(|e| Error::io("sync", &path, e))?;
    Ok(())
}

/// Takes the pending files of finished entries (their new state already durable elsewhere) out of
/// `pending/`: renamed into `trash/`, then the directory synced. A rename lost in a crash only
/// means one more delivery (at least once).
pub fn retire(dd: &DataDir, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    ensure_dirs(dd)?;
    for id in ids {
        let from = entry_path(dd, PENDING, id)?;
        let to = entry_path(dd, TRASH, id)?;
        match std::fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("move", &from, e)),
        }
    }
    crate::store::fsio::sync_dir(&dir(dd, PENDING))
}

/// Deletes up to `max` files from `trash/`; returns how many it deleted.
pub fn empty_trash(dd: &DataDir, max: usize) -> Result<usize> {
    let mut n = 0;
    for id in ids(dd, TRASH)?.into_iter().take(max) {
        match std::fs::remove_file(entry_path(dd, TRASH, &id)?) {
            Ok(()) => n += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", &dir(dd, TRASH), e)),
        }
    }
    Ok(n)
}

/// All entries with `status` (or every status), oldest first.
pub fn list(dd: &DataDir, status: Option<&str>) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for sub in [PENDING, DEAD] {
        if status.is_none_or(|s| s == sub) {
            for id in ids(dd, sub)? {
                if let Some(e) = read(dd, sub, &id)? {
                    out.push(e);
                }
            }
        }
    }
    if status.is_none_or(|s| s == DELIVERED) {
        out.extend(delivered(dd)?);
    }
    out.sort_by(|a, b| {
        (a.created_at.as_str(), a.id.as_str()).cmp(&(b.created_at.as_str(), b.id.as_str()))
    });
    Ok(out)
}

pub fn parse_status(s: &str) -> Result<&'static str> {
    let lower = s.to_ascii_lowercase();
    STATUSES
        .iter()
        .find(|x| **x == lower)
        .copied()
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidRequest,
                format!("unknown notification status `{s}`"),
            )
            .with_hint("use pending, delivered or dead")
        })
}

/// One entry by id, wherever it is.
pub fn find(dd: &DataDir, id: &str) -> Result<Entry> {
    crate::ids::check_uuid("notification id", id)?;
    for sub in [PENDING, DEAD] {
        if let Some(e) = read(dd, sub, id)? {
            return Ok(e);
        }
    }
    delivered(dd)?
        .into_iter()
        .rev()
        .find(|e| e.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            Error::new(ErrorCode::NotFound, format!("notification {id} not found"))
                .with_hint("list notifications with `openleash notify list`")
        })
}

/// Moves dead entries (all, or one) back to pending for another round of attempts; a delivered
/// entry named by id is re-sent as a new attempt as well. Returns the ids requeued.
pub fn retry(dd: &DataDir, id: Option<&str>) -> Result<Vec<String>> {
    let _lock = dd.lock()?;
    ensure_dirs(dd)?;
    let mut txn = Txn::default();
    let mut requeued = Vec::new();
    let now = crate::timefmt::now_string();
    let mut requeue = |txn: &mut Txn, mut e: Entry, from: Option<PathBuf>| -> Result<()> {
        e.status = PENDING.into();
        e.attempts = 0;
        e.next_attempt_at = now.clone();
        e.dead_at = None;
        e.delivered_at = None;
        txn.write_mode(
            &entry_path(dd, PENDING, &e.id)?,
            crate::store::to_json_pretty(&e)?,
            0o600,
        );
        if let Some(p) = from {
            txn.remove(&p);
        }
        requeued.push(e.id);
        Ok(())
    };
    match id {
        None => {
            for id in ids(dd, DEAD)? {
                if let Some(e) = read(dd, DEAD, &id)? {
                    requeue(&mut txn, e, Some(entry_path(dd, DEAD, &id)?))?;
                }
            }
        }
        Some(id) => {
            let e = find(dd, id)?;
            match e.status.as_str() {
                DEAD => {
                    let p = entry_path(dd, DEAD, &e.id)?;
                    requeue(&mut txn, e, Some(p))?;
                }
                // Pending: due now; delivered: sent again under the same id.
                _ => requeue(&mut txn, e, None)?,
            }
        }
    }
    txn.commit()?;
    Ok(requeued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_entries_list_retire_and_requeue() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let config = Config::parse(
            "notifications:\n  channels:\n    - {name: a, type: webhook, url: 'http://127.0.0.1:9/a'}\n    - {name: b, type: command, command: ['true'], events: [policy_draft.created]}\n",
            "c",
        )
        .unwrap();
        let ev = super::super::event::Event::sample(&config);
        let mut txn = Txn::default();
        let ids = stage(&dd, &mut txn, &config, &ev).unwrap();
        assert_eq!(ids.len(), 1, "channel b filters the event out");
        txn.commit().unwrap();
        let e = find(&dd, &ids[0]).unwrap();
        assert_eq!((e.status.as_str(), e.attempts), (PENDING, 0));
        assert_eq!(list(&dd, Some(PENDING)).unwrap().len(), 1);

        let mut done = e.clone();
        done.status = DELIVERED.into();
        append_delivered(&dd, std::slice::from_ref(&done)).unwrap();
        retire(&dd, &ids).unwrap();
        assert!(list(&dd, Some(PENDING)).unwrap().is_empty());
        assert_eq!(find(&dd, &ids[0]).unwrap().status, DELIVERED);
        assert_eq!(empty_trash(&dd, 10).unwrap(), 1);
        assert_eq!(empty_trash(&dd, 10).unwrap(), 0);

        // A delivered entry named by id is queued again under the same id.
        assert_eq!(retry(&dd, Some(&ids[0])).unwrap(), ids);
        assert_eq!(find(&dd, &ids[0]).unwrap().status, PENDING);
        assert!(retry(&dd, None).unwrap().is_empty(), "no dead letters");
        assert_eq!(
            find(&dd, "not-a-uuid").unwrap_err().code,
            ErrorCode::InvalidId
        );
    }
}
