//! Retention (`retention.*` in config.yaml) and `openleash gc`: records that no longer matter to a
//! decision are removed after a configurable time; the audit log, which is the record of what
//! happened, is never pruned.
//!
//! What may go, per kind (each measured from the moment the record stopped mattering):
//! - approval requests that are DENIED (from `resolved_at`), EXPIRED (from `expires_at`) or
//!   APPROVED (from the later of `resolved_at` and the approval token's expiry, so a token that
//!   can still be used always finds its request); PENDING ones never;
//! - REQUIRE_APPROVAL decision records past their expiry (an unexpired one may still back a
//!   request);
//! - APPROVED or DENIED policy drafts (from `resolved_at`);
//! - agent invites that were used (from `used_at`) or expired unused (from `expires_at`);
//! - delivered notifications (`outbox/delivered.jsonl`, from `delivered_at`) and dead letters
//!   (from `dead_at`).
//!
//! A run holds the writer lock throughout: it moves the files it removes into `gc-trash/` (a
//! rename: a crash leaves each file either in place or in the trash), syncs, writes one
//! `DATA_GC_COMPLETED` audit event with the counts, and only then unlinks the trash. Files a crashed run
//! left in the trash are finished (and counted) by the next run. A record whose timestamps do not
//! parse is kept.

use crate::audit::NewEvent;
use crate::config::{Config, Ctx};
use crate::error::{Error, Result};
use crate::store::approvals::{APPROVED, ApprovalRequest, DENIED, EXPIRED, PENDING, PolicyDraft};
use crate::store::{DataDir, Txn};
use crate::timefmt;
use crate::yaml::Node;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// `retention:` in config.yaml; each value in seconds, 0 = keep forever.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionConfig {
    pub approvals_seconds: u64,
    pub decisions_seconds: u64,
    pub drafts_seconds: u64,
    pub invites_seconds: u64,
    pub outbox_delivered_seconds: u64,
    pub outbox_dead_seconds: u64,
    /// How often `openleash start` runs gc in the background; 0 = never.
    pub gc_interval_seconds: u64,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            approvals_seconds: 30 * DAY,
            decisions_seconds: DAY,
            drafts_seconds: 90 * DAY,
            invites_seconds: 7 * DAY,
            outbox_delivered_seconds: 7 * DAY,
            outbox_dead_seconds: 30 * DAY,
            gc_interval_seconds: 3600,
        }
    }
}

const DAY: u64 = 86_400;

const KEYS: &[&str] = &[
    "approvals_seconds",
    "decisions_seconds",
    "drafts_seconds",
    "invites_seconds",
    "outbox_delivered_seconds",
    "outbox_dead_seconds",
    "gc_interval_seconds",
];

/// Parses the `retention` section (unknown keys and wrong types fail with line:col).
pub(crate) fn parse_config(cx: &Ctx<'_>, node: &Node) -> Result<RetentionConfig> {
    let mut r = RetentionConfig::default();
    cx.keys(node, "retention", KEYS)?;
    for (key, target) in [
        ("approvals_seconds", &mut r.approvals_seconds),
        ("decisions_seconds", &mut r.decisions_seconds),
        ("drafts_seconds", &mut r.drafts_seconds),
        ("invites_seconds", &mut r.invites_seconds),
        ("outbox_delivered_seconds", &mut r.outbox_delivered_seconds),
        ("outbox_dead_seconds", &mut r.outbox_dead_seconds),
        ("gc_interval_seconds", &mut r.gc_interval_seconds),
    ] {
        cx.u64(node, "retention", key, target)?;
    }
    Ok(r)
}

/// The kinds of record gc removes, as named in reports and the audit event.
pub const KINDS: &[&str] = &[
    "approval_requests",
    "decisions",
    "policy_drafts",
    "invites",
    "outbox_delivered",
    "outbox_dead",
];

/// What one run removed (or, dry, would remove), per kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub removed: BTreeMap<String, u64>,
    /// Files a crashed earlier run had moved to the trash, finished by this run.
    pub finished_from_trash: u64,
}

impl Report {
    pub fn total(&self) -> u64 {
        self.removed.values().sum::<u64>() + self.finished_from_trash
    }
}

/// `true` when `at + keep` lies before `now` (`keep` 0 = never; unparseable = never).
fn past(at: Option<&str>, keep: u64, now: OffsetDateTime) -> bool {
    if keep == 0 {
        return false;
    }
    at.and_then(timefmt::parse).is_some_and(|t| {
        t + time::Duration::seconds(i64::try_from(keep).unwrap_or(i64::MAX / 2)) < now
    })
}

/// Whether an approval request may go (see the module docs).
pub fn approval_removable(r: &ApprovalRequest, keep: u64, now: OffsetDateTime) -> bool {
    match r.effective_status(now) {
        PENDING => false,
        EXPIRED => past(Some(&r.expires_at), keep, now),
        DENIED => past(r.resolved_at.as_deref(), keep, now),
        APPROVED => {
            // The later of resolution and token expiry: the token must find its request while it
            // can be used.
            let token_done = r.approval_token_expires_at.is_none()
                || past(r.approval_token_expires_at.as_deref(), keep, now);
            token_done && past(r.resolved_at.as_deref(), keep, now)
        }
        _ => false,
    }
}

pub fn draft_removable(d: &PolicyDraft, keep: u64, now: OffsetDateTime) -> bool {
    (d.status == APPROVED || d.status == DENIED) && past(d.resolved_at.as_deref(), keep, now)
}

const TRASH: &str = "gc-trash";

fn trash_dir(dd: &DataDir) -> PathBuf {
    dd.path(TRASH)
}

/// Files of `dir` (`*.json`, uuid-named) whose parsed record `removable` accepts.
fn candidates<T: serde::de::DeserializeOwned>(
    dd: &DataDir,
    dir: &str,
    removable: impl Fn(&T) -> bool,
) -> Result<Vec<PathBuf>> {
    candidates_unindexed(dd, dir, removable, |_| {})
}

/// [`candidates`], calling `unindex` with each removable record (to stage the removal of its
/// list-index entries).
fn candidates_unindexed<T: serde::de::DeserializeOwned>(
    dd: &DataDir,
    dir: &str,
    removable: impl Fn(&T) -> bool,
    mut unindex: impl FnMut(&T),
) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for id in dd.list_ids(dir, "json")? {
        if !crate::ids::is_uuid_shaped(&id) {
            continue;
        }
        let path = dd.path(dir).join(format!("{id}.json"));
        // An unreadable record is kept for a person to look at.
        if let Ok(Some(r)) = dd.read_json::<T>(&path)
            && removable(&r)
        {
            unindex(&r);
            out.push(path);
        }
    }
    Ok(out)
}

/// Runs gc over `dd` with `config.retention` at `now`. Dry: counts only, changes nothing and
/// takes no lock.
pub fn run(dd: &DataDir, config: &Config, now: OffsetDateTime, dry_run: bool) -> Result<Report> {
    let lock = if dry_run { None } else { Some(dd.lock()?) };
    let r = &config.retention;
    let mut report = Report {
        dry_run,
        ..Report::default()
    };
    if !dry_run {
        report.finished_from_trash = empty_trash(dd)?;
    }
    // The list-index entries of what goes, removed right after the files (a crash in between
    // leaves entries without records, which lists skip).
    let mut unindex = Txn::default();
    let mut files: Vec<(&str, Vec<PathBuf>)> = vec![
        (
            "approval_requests",
            candidates_unindexed::<ApprovalRequest>(
                dd,
                "approvals",
                |a| approval_removable(a, r.approvals_seconds, now),
                |a| dd.stage_unindex_approval(&mut unindex, a),
            )?,
        ),
        (
            "decisions",
            candidates::<crate::store::decisions::PendingDecision>(dd, "decisions", |d| {
                past(Some(&d.expires_at), r.decisions_seconds, now)
            })?,
        ),
        (
            "policy_drafts",
            candidates_unindexed::<PolicyDraft>(
                dd,
                "drafts",
                |d| draft_removable(d, r.drafts_seconds, now),
                |d| dd.stage_unindex_draft(&mut unindex, d),
            )?,
        ),
        (
            "invites",
            candidates::<crate::store::invites::Invite>(dd, "invites", |i| match &i.used_at {
                Some(at) => past(Some(at), r.invites_seconds, now),
                None => past(Some(&i.expires_at), r.invites_seconds, now),
            })?,
        ),
        (
            "outbox_dead",
            candidates::<crate::notify::outbox::Entry>(dd, "outbox/dead", |e| {
                past(e.dead_at.as_deref(), r.outbox_dead_seconds, now)
            })?,
        ),
    ];
    for (kind, paths) in &files {
        report.removed.insert((*kind).into(), paths.len() as u64);
    }
    let delivered = prune_delivered(dd, r.outbox_delivered_seconds, now, dry_run)?;
    report.removed.insert("outbox_delivered".into(), delivered);
    let Some(lock) = lock else {
        return Ok(report);
    };
    if report.total() == 0 {
        return Ok(report);
    }
    let trash = trash_dir(dd);
    std::fs::create_dir_all(&trash).map_err(|e| Error::io("create", &trash, e))?;
    let mut dirs = std::collections::BTreeSet::new();
    for (kind, paths) in &mut files {
        for p in paths.iter() {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            let to = trash.join(format!("{kind}.{}", name.unwrap_or_default()));
            match std::fs::rename(p, &to) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("move to gc-trash", p, e)),
            }
            if let Some(d) = p.parent() {
                dirs.insert(d.to_path_buf());
            }
        }
    }
    for d in dirs.iter().chain(std::iter::once(&trash)) {
        crate::store::fsio::sync_dir(d)?;
    }
    if dd.pg()?.is_some() {
        // A replica's files follow the store: the records go from the store in the same commit
        // as their index entries (the local files are in the trash already).
        for (_, paths) in &files {
            for p in paths {
                unindex.remove(p);
            }
        }
    }
    unindex.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![NewEvent::new(
            "DATA_GC_COMPLETED",
            json!({
                "removed": report.removed,
                "finished_from_trash": report.finished_from_trash,
            }),
        )],
    )?;
    empty_trash(dd)?;
    drop(lock);
    Ok(report)
}

/// Deletes what is in `gc-trash/` (moved there by a run that then recorded it, or by one that
/// crashed before it could); returns how many files.
fn empty_trash(dd: &DataDir) -> Result<u64> {
    let trash = trash_dir(dd);
    let rd = match std::fs::read_dir(&trash) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io("list", &trash, e)),
    };
    let mut n = 0;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io("list", &trash, e))?;
        match std::fs::remove_file(entry.path()) {
            Ok(()) => n += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", &entry.path(), e)),
        }
    }
    Ok(n)
}

/// Drops delivered notifications older than `keep` from `outbox/delivered.jsonl` (rewritten
/// atomically; lines that do not parse are kept as they are). Returns how many go.
fn prune_delivered(dd: &DataDir, keep: u64, now: OffsetDateTime, dry_run: bool) -> Result<u64> {
    if keep == 0 {
        return Ok(0);
    }
    let path = crate::notify::outbox::delivered_log(dd);
    let Some(bytes) = crate::store::fsio::read_optional(&path)? else {
        return Ok(0);
    };
    let mut kept = Vec::with_capacity(bytes.len());
    let mut removed = 0;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let old = serde_json::from_slice::<crate::notify::outbox::Entry>(line.trim_ascii_end())
            .ok()
            .is_some_and(|e| past(e.delivered_at.as_deref(), keep, now));
        if old {
            removed += 1;
        } else {
            kept.extend_from_slice(line);
        }
    }
    if removed > 0 && !dry_run {
        write_log(&path, &kept)?;
    }
    Ok(removed)
}

fn write_log(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::store::fsio::write_atomic_mode(path, bytes, 0o600)
}

/// The server's background gc: every `retention.gc_interval_seconds` (re-read from the config
/// before each wait; 0 = off) until `shutdown`. The first run is one interval after start.
pub fn background(
    dd: &DataDir,
    config: impl Fn() -> Result<std::sync::Arc<Config>>,
    shutdown: &std::sync::atomic::AtomicBool,
    log: impl Fn(&str),
) {
    let step = std::time::Duration::from_millis(100);
    let mut waited = std::time::Duration::ZERO;
    while !shutdown.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::sleep(step);
        waited += step;
        let Ok(c) = config() else { continue };
        let interval = c.retention.gc_interval_seconds;
        if interval == 0 || waited < std::time::Duration::from_secs(interval) {
            continue;
        }
        waited = std::time::Duration::ZERO;
        match run(dd, &c, timefmt::now(), false) {
            Ok(r) if r.total() > 0 => log(&format!(
                "gc removed {} records: {:?}",
                r.total(),
                r.removed
            )),
            Ok(_) => {}
            Err(e) => log(&format!("gc could not run: [{}] {}", e.code, e.message)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs_ago: i64) -> String {
        timefmt::format(timefmt::plus_seconds(timefmt::now(), -secs_ago))
    }

    fn request(status: &str, expires_in: i64) -> ApprovalRequest {
        ApprovalRequest {
            approval_request_id: crate::ids::new_id(),
            decision_id: crate::ids::new_id(),
            agent_principal_id: crate::ids::new_id(),
            agent_id: "a".into(),
            owner_type: crate::store::owners::OwnerType::User,
            owner_id: crate::ids::new_id(),
            action_type: "purchase".into(),
            action_hash: "0".repeat(64),
            action: json!({}),
            justification: None,
            context: None,
            status: status.into(),
            approval_token: None,
            approval_token_expires_at: None,
            resolved_at: None,
            resolved_by: None,
            denial_reason: None,
            consumed_at: None,
            created_at: at(1000),
            expires_at: at(-expires_in),
            matched_rule_id: None,
            reminded_at: None,
            escalated_at: None,
        }
    }

    #[test]
    fn approvals_go_only_when_nothing_can_use_them() {
        let now = timefmt::now();
        // Pending and unexpired: never, whatever the retention.
        assert!(!approval_removable(&request(PENDING, 60), 1, now));
        // Pending but expired 100 s ago: after the retention.
        assert!(approval_removable(&request(PENDING, -100), 10, now));
        assert!(!approval_removable(&request(PENDING, -100), 1000, now));
        // Approved long ago but its token still valid: kept.
        let mut r = request(APPROVED, 60);
        r.resolved_at = Some(at(500));
        r.approval_token_expires_at = Some(at(-60));
        assert!(!approval_removable(&r, 10, now));
        r.approval_token_expires_at = Some(at(100));
        assert!(approval_removable(&r, 10, now));
        // Denied: from resolution; 0 keeps forever; a broken timestamp keeps.
        let mut d = request(DENIED, 60);
        d.resolved_at = Some(at(100));
        assert!(approval_removable(&d, 10, now));
        assert!(!approval_removable(&d, 0, now));
        d.resolved_at = Some("yesterday".into());
        assert!(!approval_removable(&d, 10, now));
    }

    #[test]
    fn config_section_is_validated_with_positions() {
        let e = crate::config::Config::parse("retention:\n  approval_seconds: 5\n", "c.yaml")
            .unwrap_err();
        assert!(
            e.message.starts_with("c.yaml:2:3: unknown key"),
            "{}",
            e.message
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `approvals_seconds`?"));
        let e = crate::config::Config::parse("retention:\n  drafts_seconds: soon\n", "c.yaml")
            .unwrap_err();
        assert!(e.message.contains("non-negative integer"), "{}", e.message);
        let c = crate::config::Config::parse("retention: {approvals_seconds: 5}\n", "c").unwrap();
        assert_eq!(c.retention.approvals_seconds, 5);
        assert_eq!(c.retention.drafts_seconds, 90 * DAY);
    }

    fn write(dd: &DataDir, rel: &str, v: &impl Serialize) {
        std::fs::create_dir_all(dd.path(rel).parent().unwrap()).unwrap();
        std::fs::write(dd.path(rel), serde_json::to_vec(v).unwrap()).unwrap();
    }

    fn entry(delivered_secs_ago: i64) -> crate::notify::outbox::Entry {
        let config = Config::default();
        crate::notify::outbox::Entry {
            id: crate::ids::new_id(),
            created_at: at(delivered_secs_ago),
            target: crate::notify::outbox::Target::Channel {
                name: "c".into(),
                channel_type: "webhook".into(),
            },
            event: crate::notify::event::Event::sample(&config),
            status: "delivered".into(),
            attempts: 1,
            next_attempt_at: at(delivered_secs_ago),
            last_attempt_at: None,
            last_status_code: None,
            last_error: None,
            delivered_at: Some(at(delivered_secs_ago)),
            dead_at: Some(at(delivered_secs_ago)),
        }
    }

    #[test]
    fn every_kind_goes_after_its_retention_and_a_crashed_run_is_finished() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let config = Config {
            retention: RetentionConfig {
                approvals_seconds: 10,
                decisions_seconds: 10,
                drafts_seconds: 10,
                invites_seconds: 10,
                outbox_delivered_seconds: 10,
                outbox_dead_seconds: 10,
                gc_interval_seconds: 0,
            },
            ..Config::default()
        };
        let now = timefmt::now();
        // Decisions: one expired long ago, one still usable.
        for (name, expires) in [("old", 100), ("live", -100)] {
            let d = crate::store::decisions::PendingDecision {
                decision_id: crate::ids::new_id(),
                agent_principal_id: crate::ids::new_id(),
                agent_id: name.into(),
                owner_type: crate::store::owners::OwnerType::User,
                owner_id: crate::ids::new_id(),
                action_id: crate::ids::new_id(),
                action_type: "purchase".into(),
                action_hash: "0".repeat(64),
                matched_rule_id: None,
                created_at: at(1000),
                expires_at: at(expires),
                approval_ttl_seconds: None,
            };
            write(&dd, &format!("decisions/{}.json", d.decision_id), &d);
        }
        // Drafts: resolved long ago, and pending.
        for (status, resolved) in [(DENIED, Some(at(100))), (PENDING, None)] {
            let d = PolicyDraft {
                policy_draft_id: crate::ids::new_id(),
                agent_principal_id: crate::ids::new_id(),
                agent_id: "a".into(),
                owner_type: crate::store::owners::OwnerType::User,
                owner_id: crate::ids::new_id(),
                applies_to_agent_principal_id: None,
                name: None,
                description: None,
                policy_yaml: String::new(),
                justification: None,
                status: status.into(),
                resulting_policy_id: None,
                resolved_at: resolved,
                resolved_by: None,
                denial_reason: None,
                created_at: at(1000),
            };
            write(&dd, &format!("drafts/{}.json", d.policy_draft_id), &d);
        }
        // Invites: used long ago, and unused and valid.
        for (used, expires) in [(Some(at(100)), -1000), (None, -1000)] {
            let i = crate::store::invites::Invite {
                invite_id: crate::ids::new_id(),
                owner_type: crate::store::owners::OwnerType::User,
                owner_id: crate::ids::new_id(),
                token_sha256: "0".repeat(64),
                created_at: at(1000),
                expires_at: at(expires),
                used_at: used,
                agent_principal_id: None,
                provisioner_id: None,
                agent_name: None,
                bind_policy_id: None,
                bind_group_id: None,
            };
            write(&dd, &format!("invites/{}.json", i.invite_id), &i);
        }
        // Outbox: a dead letter of long ago and a fresh one; delivered lines old and new plus a
        // torn last line, which stays.
        let (old_dead, new_dead) = (entry(100), entry(1));
        write(&dd, &format!("outbox/dead/{}.json", old_dead.id), &old_dead);
        write(&dd, &format!("outbox/dead/{}.json", new_dead.id), &new_dead);
        let mut log = String::new();
        for e in [entry(100), entry(1), entry(200)] {
            log.push_str(&serde_json::to_string(&e).unwrap());
            log.push('\n');
        }
        log.push_str("{\"torn");
        std::fs::write(crate::notify::outbox::delivered_log(&dd), &log).unwrap();
        // A file an interrupted run had moved to the trash.
        std::fs::create_dir_all(dd.path(TRASH)).unwrap();
        std::fs::write(dd.path(TRASH).join("decisions.x.json"), "{}").unwrap();

        let dry = run(&dd, &config, now, true).unwrap();
        let want: BTreeMap<String, u64> = KINDS
            .iter()
            .map(|k| {
                let n = match *k {
                    "outbox_delivered" => 2,
                    "approval_requests" => 0,
                    _ => 1,
                };
                ((*k).to_string(), n)
            })
            .collect();
        assert_eq!(dry.removed, want);
        assert_eq!(dry.finished_from_trash, 0);
        assert!(dd.path(TRASH).join("decisions.x.json").exists());

        let done = run(&dd, &config, now, false).unwrap();
        assert_eq!(done.removed, want);
        assert_eq!(done.finished_from_trash, 1);
        for dir in ["decisions", "drafts", "invites", "outbox/dead"] {
            assert_eq!(dd.list_ids(dir, "json").unwrap().len(), 1, "{dir}");
        }
        let log = std::fs::read_to_string(crate::notify::outbox::delivered_log(&dd)).unwrap();
        assert_eq!(log.lines().count(), 2, "{log}");
        assert!(log.ends_with("{\"torn"));
        assert_eq!(std::fs::read_dir(dd.path(TRASH)).unwrap().count(), 0);
        let page = dd
            .audit_page(&crate::audit::query::Filter::default(), 0, 10)
            .unwrap();
        assert_eq!(page.events.len(), 1);
        assert_eq!(page.events[0].event_type, "DATA_GC_COMPLETED");
        assert_eq!(page.events[0].metadata_json["removed"]["invites"], 1);
        // Nothing left to do: no second event.
        assert_eq!(run(&dd, &config, now, false).unwrap().total(), 0);
        assert_eq!(
            dd.audit_page(&crate::audit::query::Filter::default(), 0, 10)
                .unwrap()
                .events
                .len(),
            1
        );
    }

    #[test]
    fn removed_requests_and_drafts_leave_the_list_indexes() {
        use crate::handlers::approvals::{self as ap, ListFilter, OwnerScope};
        use crate::handlers::page::PageRequest;
        use crate::store::listindex::Kind;
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        dd.ensure_list_index(Kind::Approvals).unwrap();
        dd.ensure_list_index(Kind::Drafts).unwrap();
        let owner = crate::ids::new_id();
        let config = Config {
            retention: RetentionConfig {
                approvals_seconds: 10,
                drafts_seconds: 10,
                ..RetentionConfig::default()
            },
            ..Config::default()
        };
        // 600 requests (more than one index chunk): every third denied long ago, the rest pending.
        let rs: Vec<ApprovalRequest> = (0..600)
            .map(|i| {
                let mut r = request(if i % 3 == 0 { DENIED } else { PENDING }, 600);
                r.owner_id = owner.clone();
                r.created_at = format!("2026-01-01T00:00:{:02}.{:03}Z", i / 1000, i % 1000);
                if r.status == DENIED {
                    r.resolved_at = Some(at(100));
                }
                r
            })
            .collect();
        let drafts: Vec<PolicyDraft> = (0..4)
            .map(|i| PolicyDraft {
                policy_draft_id: crate::ids::new_id(),
                agent_principal_id: crate::ids::new_id(),
                agent_id: "a".into(),
                owner_type: crate::store::owners::OwnerType::User,
                owner_id: owner.clone(),
                applies_to_agent_principal_id: None,
                name: None,
                description: None,
                policy_yaml: "version: 1\n".into(),
                justification: None,
                status: if i % 2 == 0 {
                    DENIED.into()
                } else {
                    PENDING.into()
                },
                resulting_policy_id: None,
                resolved_at: (i % 2 == 0).then(|| at(100)),
                resolved_by: None,
                denial_reason: None,
                created_at: at(1000 + i),
            })
            .collect();
        {
            let _lock = dd.lock().unwrap();
            let mut txn = Txn::default();
            for r in &rs {
                dd.stage_approval_request(&mut txn, r).unwrap();
            }
            for d in &drafts {
                dd.stage_policy_draft(&mut txn, d).unwrap();
            }
            txn.commit().unwrap();
        }
        let report = run(&dd, &config, timefmt::now(), false).unwrap();
        assert_eq!(report.removed["approval_requests"], 200);
        assert_eq!(report.removed["policy_drafts"], 2);
        for scope in [OwnerScope::All, OwnerScope::Owner(&owner)] {
            let p =
                ap::list_page(&dd, scope, &ListFilter::default(), &PageRequest::first()).unwrap();
            assert_eq!(p.total, 400);
            assert!(p.items.iter().all(|r| r.status == PENDING));
            let d =
                crate::handlers::drafts::list_page(&dd, scope, None, None, &PageRequest::first())
                    .unwrap();
            assert_eq!((d.total, d.items.len()), (2, 2));
        }
        // The index alone agrees (no record reads): a rebuild gives the same manifest counts.
        let count = |dd: &DataDir| {
            crate::store::listindex::manifest(dd.root(), Kind::Approvals, "all")
                .unwrap()
                .unwrap()
                .count()
        };
        assert_eq!(count(&dd), 400);
        std::fs::remove_dir_all(dd.path("indexes")).unwrap();
        dd.ensure_list_index(Kind::Approvals).unwrap();
        assert_eq!(count(&dd), 400);
    }
}
