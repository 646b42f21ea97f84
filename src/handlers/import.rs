//! `openleash import-upstream`: turns a data directory of the TypeScript OpenLeash into an
//! openleash data directory.
//!
//! Ids and keys are kept: agents keep their principal ids, `agent_id`s and public keys (so their
//! SDK configuration keeps working), owners keep their ids (so `USER_PRINCIPAL_ID` stays
//! valid), and the server signing keys move over with their kids (so old proof tokens still
//! verify). The new audit chain starts with one `UPSTREAM_IMPORTED` event that records where the
//! data came from and the SHA-256 of the old, unchained log, which is kept byte for byte beside
//! it in `upstream/audit.log.jsonl`.
//!
//! Like `init`, the directory is built completely in a staging directory beside the target and
//! renamed into place, so a failed import leaves nothing behind. Everything is read and checked
//! before anything is written; `--dry-run` stops there.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::store::bindings::Bindings;
use crate::store::decisions::PendingDecision;
use crate::store::{DataDir, SUBDIRS, Txn};
use crate::upstream::{self, LeftOut, Upstream};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the old log is kept, relative to the data directory.
pub const PRESERVED_LOG: &str = "upstream/audit.log.jsonl";

pub struct ImportOptions<'a> {
    pub source: &'a Path,
    pub target: &'a Path,
    pub dry_run: bool,
    /// Move a non-empty target aside (to `<dir>.bak-<timestamp>`) instead of refusing.
    pub force: bool,
}

#[derive(Debug, Serialize)]
pub struct ImportReport {
    /// The upstream data directory that was read.
    pub source: String,
    pub data_dir: String,
    pub dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_aside_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_file: Option<String>,
    pub imported: Counts,
    pub active_kid: String,
    /// `version` of upstream's `state.md` (2 for OpenLeash v0.27).
    pub upstream_state_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream_audit_log: Option<serde_json::Value>,
    /// Policies carried over that do not pass openleash's stricter validation: their agents'
    /// decisions fail closed (`POLICY_INVALID`) until they are fixed.
    pub invalid_policies: Vec<InvalidPolicy>,
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Default, Serialize, Clone, Copy)]
pub struct Counts {
    pub owners: usize,
    pub agents: usize,
    pub policies: usize,
    pub bindings: usize,
    pub policy_groups: usize,
    pub group_memberships: usize,
    /// Users' memberships in organizations (with their roles).
    pub org_memberships: usize,
    pub keys: usize,
    pub approval_requests: usize,
    pub policy_drafts: usize,
    pub transformations: usize,
    /// REQUIRE_APPROVAL decisions (from the old log) an agent can still ask approval for.
    pub pending_decisions: usize,
    pub audit_events: usize,
}

#[derive(Debug, Serialize)]
pub struct InvalidPolicy {
    pub policy_id: String,
    pub file: String,
    pub errors: usize,
    /// The first error, `file:line:col: message`.
    pub first_error: String,
}

/// Reads, checks and (unless `dry_run`) writes. See the module documentation.
pub fn import_upstream(opts: &ImportOptions) -> Result<ImportReport> {
    refuse_overlap(&upstream::locate(opts.source)?.0, opts.target)?;
    let mut up = upstream::read(opts.source)?;
    let (config_text, config_left) = upstream::config::translate(up.config.as_ref())?;
    up.left_out.extend(config_left);
    let config = crate::config::Config::parse(&config_text, "config.yaml")?;
    resolve_agent_ids(&mut up);
    let decisions = pending_decisions(&up, &config, crate::timefmt::now());
    let invalid_policies = check_policies(&up);

    let counts = Counts {
        owners: up.owners.len(),
        agents: up.agents.len(),
        policies: up.policies.len(),
        bindings: up.bindings.len(),
        policy_groups: up.groups.len(),
        group_memberships: up.groups.iter().map(|g| g.members.len()).sum(),
        org_memberships: up.memberships.len(),
        keys: up.keys.len(),
        approval_requests: up.approvals.len(),
        policy_drafts: up.drafts.len(),
        transformations: up.transformations.len(),
        pending_decisions: decisions.len(),
        audit_events: up.audit.as_ref().map_or(0, |a| a.events),
    };
    let upstream_audit_log = up.audit.as_ref().map(|a| {
        json!({
            "path": PRESERVED_LOG,
            "sha256": a.sha256,
            "bytes": a.bytes.len(),
            "events": a.events,
            "first_timestamp": a.first_timestamp,
            "last_timestamp": a.last_timestamp,
        })
    });
    let mut report = ImportReport {
        source: up.data_dir.display().to_string(),
        data_dir: opts.target.display().to_string(),
        dry_run: opts.dry_run,
        moved_aside_to: None,
        config_file: up.config.as_ref().map(|d| d.file.display().to_string()),
        imported: counts,
        active_kid: up.active_kid.clone(),
        upstream_state_version: up.state_version,
        upstream_audit_log,
        invalid_policies,
        left_out: up.left_out.clone(),
    };

    let occupied =
        DataDir::at(opts.target).is_initialized() || super::setup::dir_has_entries(opts.target);
    if occupied && !opts.force {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!("{} exists and is not empty", opts.target.display()),
        )
        .with_hint("import into a new --data-dir, or pass --force to move the existing directory aside to <dir>.bak-<timestamp> first"));
    }
    if opts.dry_run {
        return Ok(report);
    }
    let event = imported_event(&report);
    let moved = if occupied {
        let bak = backup_path(opts.target);
        std::fs::rename(opts.target, &bak).map_err(|e| Error::io("move aside", opts.target, e))?;
        Some(bak)
    } else {
        None
    };
    let written = write_new(opts.target, &up, &config_text, &decisions, event);
    if let Err(e) = written {
        if let Some(bak) = &moved {
            let _ = std::fs::rename(bak, opts.target);
        }
        return Err(e);
    }
    report.moved_aside_to = moved.map(|p| p.display().to_string());
    Ok(report)
}

/// `<dir>.bak-<timestamp>[-n]`, the name `init --force` also uses.
fn backup_path(target: &Path) -> PathBuf {
    let stamp = crate::timefmt::file_stamp(crate::timefmt::now());
    let base = target.as_os_str().to_string_lossy();
    let base = base.trim_end_matches('/');
    let mut candidate = PathBuf::from(format!("{base}.bak-{stamp}"));
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}.bak-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// The target must not be the source (or inside it, or around it): the import reads one and
/// may move the other aside.
fn refuse_overlap(source: &Path, target: &Path) -> Result<()> {
    // A target that does not exist yet is placed by its parent.
    let canon = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            let parent = match p.parent() {
                Some(q) if !q.as_os_str().is_empty() => q,
                _ => Path::new("."),
            };
            Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
        })
    };
    let (Some(s), Some(t)) = (canon(source), canon(target)) else {
        return Ok(());
    };
    if s.starts_with(&t) || t.starts_with(&s) {
        return Err(Error::new(
            ErrorCode::Usage,
            format!(
                "the target {} overlaps the upstream directory {}",
                target.display(),
                source.display()
            ),
        )
        .with_hint("import into a separate directory: --data-dir ./openleash-data"));
    }
    Ok(())
}

/// `agent_id` is unique among non-revoked agents in openleash (SPEC §4 Δ); upstream does not
/// enforce that across owners. The oldest active holder keeps the id; later active agents with
/// the same id are left out (their owner can register them again under another id).
fn resolve_agent_ids(up: &mut Upstream) {
    let mut holders: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<usize> = (0..up.agents.len()).collect();
    order.sort_by(|a, b| {
        let (x, y) = (&up.agents[*a], &up.agents[*b]);
        (!x.is_active(), &x.created_at).cmp(&(!y.is_active(), &y.created_at))
    });
    let mut drop = Vec::new();
    for i in order {
        let a = &up.agents[i];
        if !a.is_active() {
            continue;
        }
        if let Some(holder) = holders.get(&a.agent_id) {
            up.left_out.push(LeftOut {
                kind: "agent",
                id: Some(a.agent_principal_id.clone()),
                source: up.data_dir.join("agents").join(format!("{}.md", a.agent_principal_id)).display().to_string(),
                reason: format!("agent_id {:?} is already used by the active agent {holder}; openleash keeps agent ids unique among active agents", a.agent_id),
            });
            drop.push(a.agent_principal_id.clone());
        } else {
            holders.insert(a.agent_id.clone(), a.agent_principal_id.clone());
        }
    }
    if drop.is_empty() {
        return;
    }
    up.agents.retain(|a| !drop.contains(&a.agent_principal_id));
    up.bindings.retain(|b| {
        b.agent_principal_id
            .as_ref()
            .is_none_or(|a| !drop.contains(a))
    });
    for g in &mut up.groups {
        g.members.retain(|m| !drop.contains(&m.agent_principal_id));
    }
    up.approvals
        .retain(|r| !drop.contains(&r.agent_principal_id));
    up.drafts.retain(|d| !drop.contains(&d.agent_principal_id));
    up.transformations.retain(|t| {
        t.applies_to_agent_principal_id
            .as_ref()
            .is_none_or(|a| !drop.contains(a))
    });
}

/// REQUIRE_APPROVAL decisions of the old log that have no approval request yet and have not
/// expired under `approval.request_ttl_seconds`: the agent may still ask for approval.
fn pending_decisions(
    up: &Upstream,
    config: &crate::config::Config,
    now: time::OffsetDateTime,
) -> Vec<PendingDecision> {
    let Some(log) = &up.audit else {
        return Vec::new();
    };
    let ttl = i64::try_from(config.approval.request_ttl_seconds).unwrap_or(i64::MAX);
    log.approval_decisions
        .iter()
        .filter(|d| !up.approvals.iter().any(|r| r.decision_id == d.decision_id))
        .filter(|d| {
            up.agents
                .iter()
                .any(|a| a.agent_principal_id == d.agent_principal_id && a.is_active())
        })
        .filter_map(|d| {
            let created = crate::timefmt::parse(&d.timestamp)?;
            let expires = crate::timefmt::plus_seconds(created, ttl);
            (expires > now).then(|| PendingDecision {
                decision_id: d.decision_id.clone(),
                agent_principal_id: d.agent_principal_id.clone(),
                agent_id: d.agent_id.clone(),
                owner_type: d.owner_type,
                owner_id: d.owner_id.clone(),
                action_id: d.action_id.clone(),
                action_type: d.action_type.clone(),
                action_hash: d.action_hash.clone(),
                matched_rule_id: d.matched_rule_id.clone(),
                created_at: d.timestamp.clone(),
                expires_at: crate::timefmt::format(expires),
                approval_ttl_seconds: None,
            })
        })
        .collect()
}

fn check_policies(up: &Upstream) -> Vec<InvalidPolicy> {
    up.policies
        .iter()
        .filter_map(|p| {
            let file = p.file.display().to_string();
            let checked = crate::policy::check_policy(&file, p.text.as_bytes());
            let first = checked.first_error()?;
            Some(InvalidPolicy {
                policy_id: p.entry.policy_id.clone(),
                file: file.clone(),
                errors: checked.errors(),
                first_error: format!(
                    "{}:{}:{}: {}",
                    first.file, first.line, first.col, first.message
                ),
            })
        })
        .collect()
}

fn imported_event(report: &ImportReport) -> NewEvent {
    NewEvent::new(
        "UPSTREAM_IMPORTED",
        json!({
            "source": report.source,
            "upstream_state_version": report.upstream_state_version,
            "imported": report.imported,
            "active_kid": report.active_kid,
            "upstream_audit_log": report.upstream_audit_log,
            "invalid_policies": report.invalid_policies.iter().map(|p| &p.policy_id).collect::<Vec<_>>(),
            "left_out": report.left_out.len(),
        }),
    )
}

/// Builds the data directory in a staging directory beside `target`, then renames it into place.
fn write_new(
    target: &Path,
    up: &Upstream,
    config_text: &str,
    decisions: &[PendingDecision],
    event: NewEvent,
) -> Result<()> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "data".into());
    let staging = parent.join(format!(".{name}.import-{}", std::process::id()));
    let result = stage_all(&staging, up, config_text, decisions, event).and_then(|()| {
        // rename(2) replaces an empty directory, so an existing empty target is fine.
        if target.is_dir() && !super::setup::dir_has_entries(target) {
            let _ = std::fs::remove_dir(target);
        }
        std::fs::rename(&staging, target).map_err(|e| Error::io("create", target, e))?;
        crate::store::fsio::sync_dir(&parent)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage_all(
    staging: &Path,
    up: &Upstream,
    config_text: &str,
    decisions: &[PendingDecision],
    event: NewEvent,
) -> Result<()> {
    for sub in SUBDIRS.iter().chain(&["upstream"]) {
        let p = staging.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| Error::io("create", &p, e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            staging,
            std::fs::Permissions::from_mode(crate::store::DATA_DIR_MODE),
        )
        .map_err(|e| Error::io("set permissions of", staging, e))?;
    }
    let dd = DataDir::at(staging);
    let mut txn = Txn::default();
    txn.write_mode(
        &dd.config_path(),
        config_text.as_bytes().to_vec(),
        crate::store::SECRET_MODE,
    );
    for key in &up.keys {
        if key.kid == up.active_kid {
            dd.stage_new_active_key(&mut txn, key)?;
        } else {
            dd.stage_key(&mut txn, key)?;
        }
    }
    for owner in &up.owners {
        dd.stage_owner(&mut txn, owner)?;
    }
    // Agent ids are unique among active agents here (resolve_agent_ids); the index gets the
    // active holder, else the first revoked agent with that id.
    let mut index = crate::store::agents::AgentIndex::default();
    let mut agents: Vec<_> = up.agents.iter().collect();
    agents.sort_by_key(|a| !a.is_active());
    for agent in agents {
        if index.agents.contains_key(&agent.agent_id) {
            dd.stage_agent(&mut txn, agent)?;
        } else {
            dd.stage_new_agent(&mut txn, &mut index, agent)?;
        }
    }
    let catalogue = Bindings {
        policies: up.policies.iter().map(|p| p.entry.clone()).collect(),
        bindings: up.bindings.clone(),
    };
    for p in &up.policies {
        txn.write(
            &dd.policy_path(&p.entry.policy_id)?,
            p.text.as_bytes().to_vec(),
        );
    }
    dd.stage_policy_change(&mut txn, &Bindings::default(), &catalogue)?;
    for g in &up.groups {
        dd.stage_group(&mut txn, None, Some(g))?;
    }
    // Each organization's members file and each user's index of organizations, as joining
    // through an invite writes them.
    let mut members: BTreeMap<&str, crate::store::orgs::Members> = BTreeMap::new();
    let mut user_orgs: BTreeMap<&str, crate::store::orgs::UserOrgs> = BTreeMap::new();
    for m in &up.memberships {
        members
            .entry(&m.org_id)
            .or_default()
            .members
            .push(m.clone());
        user_orgs
            .entry(&m.user_principal_id)
            .or_default()
            .org_ids
            .push(m.org_id.clone());
    }
    for (org_id, m) in &members {
        dd.ensure_org_dirs(org_id)?;
        dd.stage_org_members(&mut txn, org_id, m)?;
    }
    for (user_id, idx) in &user_orgs {
        txn.write(
            &dd.user_orgs_path(user_id)?,
            crate::store::to_json_pretty(idx)?,
        );
    }
    for r in &up.approvals {
        dd.stage_approval_request(&mut txn, r)?;
    }
    for d in &up.drafts {
        dd.stage_policy_draft(&mut txn, d)?;
    }
    for t in &up.transformations {
        dd.stage_transformation(&mut txn, t)?;
    }
    for d in decisions {
        txn.write(
            &dd.decision_path(&d.decision_id)?,
            crate::store::to_json_pretty(d)?,
        );
    }
    if let Some(log) = &up.audit {
        txn.write_mode(
            &staging.join(PRESERVED_LOG),
            log.bytes.clone(),
            crate::store::SECRET_MODE,
        );
    }
    txn.commit()?;
    dd.append_audit(vec![event])?;
    Ok(())
}
