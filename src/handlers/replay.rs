//! `policy replay` (SPEC §18): reads the audit log, rebuilds each recorded action request and
//! its decision, and hands them in log order to the pure [`Replayer`]. Also the candidate sets
//! (a file, a directory, a draft) and the time arguments shared with other §18 commands.

use crate::error::{Error, ErrorCode, Result};
use crate::policy::engine::DecisionResult;
use crate::policy::replay::{CandidateSet, Recorded, Replayer, Report};
use crate::policy::{CompiledPolicy, check_policy};
use crate::store::DataDir;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::io::{Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

/// What to replay and against what.
#[derive(Debug, Clone, Default)]
pub struct ReplayRequest {
    pub candidate: CandidateSet,
    /// agent_id or principal id (both are matched).
    pub agents: Vec<String>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Most changes listed.
    pub limit: Option<usize>,
}

/// `--since` / `--until`: a duration back from `now` (`30d`, `12h`, `15m`, `45s`) or an RFC 3339
/// time, in ms since the epoch.
pub fn parse_time_arg(flag: &str, s: &str, now: time::OffsetDateTime) -> Result<i64> {
    if let Some(t) = crate::timefmt::parse(s) {
        return Ok((t.unix_timestamp_nanos() / 1_000_000) as i64);
    }
    match crate::policy::limits::parse_window(s) {
        Ok(secs) => Ok((now.unix_timestamp_nanos() / 1_000_000) as i64 - secs as i64 * 1000),
        Err(_) => Err(Error::new(
            ErrorCode::Usage,
            format!("invalid --{flag} {s:?}: expected a duration or an RFC 3339 time"),
        )
        .with_hint("for example 30d, 12h, 15m or 2026-01-15T10:30:00Z")),
    }
}

/// Every stored policy, compiled (a broken one is left out: decisions naming it are skipped).
pub fn stored_policies(dd: &DataDir) -> Result<HashMap<String, Arc<CompiledPolicy>>> {
    let mut out = HashMap::new();
    for p in dd.bindings()?.policies {
        if let Ok(path) = dd.policy_path(&p.policy_id)
            && let Ok(c) = crate::policy::compile_file(&path)
        {
            out.insert(p.policy_id, c);
        }
    }
    Ok(out)
}

fn compile_candidate(name: &str, bytes: &[u8]) -> Result<Arc<CompiledPolicy>> {
    let checked = check_policy(name, bytes);
    match checked.policy {
        Some(p) => Ok(Arc::new(p)),
        None => Err(crate::policy::resolve::policy_error(
            ErrorCode::InvalidPolicy,
            name,
            &checked.diagnostics,
        )),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    crate::policy::read_policy_file(path).map_err(|e| Error::io("read", path, e))
}

/// `--file FILE [--policy-id ID]`: the file stands for the stored policy `ID` (default: the
/// file's stem); when no stored policy has the stem's id, it is added owner-wide after every
/// stored layer. An explicit `--policy-id` that is not stored is an error.
pub fn candidate_from_file(
    dd: &DataDir,
    file: &Path,
    policy_id: Option<&str>,
) -> Result<CandidateSet> {
    let stored = stored_policies(dd)?;
    let policy = compile_candidate(&file.display().to_string(), &read(file)?)?;
    let mut set = CandidateSet {
        stored,
        ..CandidateSet::default()
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match policy_id {
        Some(id) if !set.stored.contains_key(id) && dd.bindings()?.policy(id).is_none() => {
            return Err(
                Error::new(ErrorCode::PolicyNotFound, format!("no stored policy {id}"))
                    .with_hint("list the stored policies with `openleash policy list`"),
            );
        }
        Some(id) => {
            set.replace.insert(id.to_string(), policy);
        }
        None if set.stored.contains_key(&stem) => {
            set.replace.insert(stem, policy);
        }
        None => set.added = Some(policy),
    }
    Ok(set)
}

/// `--dir DIR`: each `<policy_id>.yaml` replaces that stored policy (bindings unchanged); a
/// file whose stem is not a stored policy is an error.
pub fn candidate_from_dir(dd: &DataDir, dir: &Path) -> Result<CandidateSet> {
    let stored = stored_policies(dd)?;
    let bindings = dd.bindings()?;
    let mut set = CandidateSet {
        stored,
        ..CandidateSet::default()
    };
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".test.yaml"))
        })
        .collect();
    paths.sort();
    for path in paths {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if bindings.policy(&id).is_none() {
            return Err(Error::new(
                ErrorCode::PolicyNotFound,
                format!(
                    "{}: no stored policy {id} (files in --dir are named <policy_id>.yaml)",
                    path.display()
                ),
            )
            .with_hint(
                "rename the file after a policy id from `openleash policy list`, or replay it alone with --file",
            ));
        }
        let p = compile_candidate(&path.display().to_string(), &read(&path)?)?;
        set.replace.insert(id, p);
    }
    Ok(set)
}

/// The fields of the two event types replay reads; the rest of a line is skipped unparsed.
#[derive(Deserialize)]
struct Line {
    event_type: String,
    action_id: Option<String>,
    decision_id: Option<String>,
    #[serde(default)]
    metadata_json: Meta,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Meta {
    agent_id: String,
    agent_principal_id: String,
    owner_id: String,
    action_type: String,
    payload: Value,
    subject_principal_id: String,
    requested_at: String,
    action_requested_at: Option<String>,
    relying_party: Option<Value>,
    result: Option<String>,
    matched_rule_id: Option<String>,
    policy_ids: Option<Vec<String>>,
    via_approval: bool,
}

const NO_ACTION: &str = "recorded before openleash logged the whole action request (older version)";
const NO_CHAIN: &str = "recorded before openleash logged the policy chain (older version)";

/// The action request as the engine saw it, from an `AUTHORIZE_CALLED` of this version.
fn rebuild(m: &Meta, action_id: &str) -> Option<Value> {
    let requested_at = m.action_requested_at.as_deref()?;
    let mut a = Map::new();
    a.insert("action_id".into(), json!(action_id));
    a.insert("action_type".into(), json!(m.action_type));
    a.insert("requested_at".into(), json!(requested_at));
    a.insert("principal".into(), json!({"agent_id": m.agent_id}));
    a.insert(
        "subject".into(),
        json!({"principal_id": m.subject_principal_id}),
    );
    if let Some(rp) = m.relying_party.as_ref().filter(|v| v.is_object()) {
        a.insert("relying_party".into(), rp.clone());
    }
    a.insert("payload".into(), m.payload.clone());
    Some(Value::Object(a))
}

/// Replays the whole log (decisions before `since` only feed the limit counters), calling
/// `progress(bytes_done, bytes_total)` now and then.
pub fn replay(
    dd: &DataDir,
    req: ReplayRequest,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Report> {
    let path = dd.audit_log_path();
    let io = |e| Error::io("read", &path, e);
    let mut replayer = Replayer::new(req.candidate, req.limit);
    let mut file = match crate::store::fsio::open_read_nofollow(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(replayer.finish()),
        Err(e) => return Err(crate::store::fsio::open_error("open", &path, e)),
    };
    let total = file.metadata().map_err(io)?.len();
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let agents: HashSet<&str> = req.agents.iter().map(String::as_str).collect();
    let mut calls: HashMap<String, Meta> = HashMap::new();
    let mut scanner = crate::audit::lines::Scanner::new(file, 0);
    let mut next_report = 0u64;
    while let Some(item) = scanner.next_line().map_err(io)? {
        let crate::audit::lines::Scanned::Line { offset, line } = item else {
            break;
        };
        if offset >= next_report {
            progress(offset, total);
            next_report = offset + (8 << 20);
        }
        // Cheap pre-check: only the two event types replay needs are parsed.
        let called = memchr::memmem::find(line, b"\"event_type\":\"AUTHORIZE_CALLED\"").is_some();
        if !called && memchr::memmem::find(line, b"\"event_type\":\"DECISION_CREATED\"").is_none() {
            continue;
        }
        let Ok(ev) = serde_json::from_slice::<Line>(line) else {
            continue;
        };
        let Some(action_id) = ev.action_id else {
            continue;
        };
        if ev.event_type == "AUTHORIZE_CALLED" {
            calls.insert(action_id, ev.metadata_json);
            continue;
        }
        if ev.event_type != "DECISION_CREATED" {
            continue;
        }
        let d = ev.metadata_json;
        let Some(call) = calls.remove(&action_id) else {
            continue;
        };
        let at_ms = crate::policy::limits::ms_of(&call.requested_at).unwrap_or(0);
        if req.until_ms.is_some_and(|u| at_ms > u) {
            break;
        }
        let in_range = req.since_ms.is_none_or(|s| at_ms >= s)
            && (agents.is_empty()
                || agents.contains(d.agent_id.as_str())
                || agents.contains(d.agent_principal_id.as_str()));
        let Some(result) = d.result.as_deref().and_then(DecisionResult::parse) else {
            continue;
        };
        let (Some(action), Some(policy_ids)) = (rebuild(&call, &action_id), d.policy_ids.clone())
        else {
            if in_range {
                let why = if call.action_requested_at.is_none() {
                    NO_ACTION
                } else {
                    NO_CHAIN
                };
                if !d.via_approval {
                    replayer.skip(why);
                } else {
                    replayer.skip("re-authorized with an owner's approval (not a policy decision)");
                }
            }
            continue;
        };
        let rec = Recorded {
            decision_id: ev.decision_id.unwrap_or_default(),
            action_id,
            agent_id: d.agent_id,
            owner_id: d.owner_id,
            action_type: d.action_type,
            requested_at: call.requested_at,
            at_ms,
            action,
            result,
            matched_rule_id: d.matched_rule_id,
            policy_ids,
            via_approval: d.via_approval,
        };
        replayer.step(&rec, in_range);
    }
    progress(total, total);
    Ok(replayer.finish())
}

/// Days of traffic a draft's replay impact covers.
pub const DRAFT_IMPACT_DAYS: u32 = 30;
/// Changed decisions listed in a draft's replay impact (all are counted).
const DRAFT_IMPACT_CHANGES: usize = 20;

/// What a policy draft would have changed over the last 30 days: the recorded decisions of the
/// agents it applies to, replayed with the draft bound as it would be on approval (SPEC §18).
/// For `draft show`, the owner draft endpoints and the portal's draft page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftImpact {
    pub days: u32,
    pub replayed: u64,
    pub skipped: u64,
    pub changed: u64,
    pub widening: u64,
    pub transitions: std::collections::BTreeMap<String, u64>,
    pub changes: Vec<crate::policy::replay::Change>,
}

/// The replay impact of `d`; `None` when its policy does not validate.
pub fn draft_impact(
    dd: &DataDir,
    d: &crate::store::approvals::PolicyDraft,
) -> Result<Option<DraftImpact>> {
    let Some(policy) = check_policy("policy_yaml", d.policy_yaml.as_bytes()).policy else {
        return Ok(None);
    };
    const DRAFT: &str = "draft";
    let mut bindings = dd.bindings()?;
    bindings.bindings.push(crate::store::bindings::Binding {
        policy_id: DRAFT.into(),
        owner_type: d.owner_type,
        owner_id: d.owner_id.clone(),
        agent_principal_id: d.applies_to_agent_principal_id.clone(),
        group_id: None,
        rank: None,
    });
    let mut set = CandidateSet {
        stored: stored_policies(dd)?,
        ..CandidateSet::default()
    };
    let mut agents = Vec::new();
    for a in dd.agents()? {
        let applies = a.owner_id == d.owner_id
            && d.applies_to_agent_principal_id
                .as_deref()
                .is_none_or(|p| p == a.agent_principal_id);
        if !applies {
            continue;
        }
        let chain: Vec<String> = bindings
            .layers_for_agent(
                &a.owner_id,
                &a.agent_principal_id,
                &dd.agent_group_ids(&a.agent_principal_id)?,
            )
            .iter()
            .map(|b| b.policy_id.clone())
            .filter(|id| id == DRAFT || set.stored.get(id).is_some_and(|p| !p.shadow))
            .collect();
        set.chains.insert(a.agent_id.clone(), chain);
        agents.push(a.agent_id);
    }
    set.replace.insert(DRAFT.into(), Arc::new(policy));
    if agents.is_empty() {
        return Ok(Some(DraftImpact {
            days: DRAFT_IMPACT_DAYS,
            replayed: 0,
            skipped: 0,
            changed: 0,
            widening: 0,
            transitions: Default::default(),
            changes: vec![],
        }));
    }
    let now = crate::timefmt::now();
    let since =
        (now.unix_timestamp_nanos() / 1_000_000) as i64 - i64::from(DRAFT_IMPACT_DAYS) * 86_400_000;
    let r = replay(
        dd,
        ReplayRequest {
            candidate: set,
            agents,
            since_ms: Some(since),
            until_ms: None,
            limit: Some(DRAFT_IMPACT_CHANGES),
        },
        &mut |_, _| {},
    )?;
    Ok(Some(DraftImpact {
        days: DRAFT_IMPACT_DAYS,
        replayed: r.replayed,
        skipped: r.skipped,
        changed: r.changed,
        widening: r.widening,
        transitions: r.transitions,
        changes: r.changes,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::audit::NewEvent;

    /// Entries written before this version lack the action's own `requested_at` or the policy
    /// chain: they are counted as skipped, with the reason, and nothing else breaks.
    #[test]
    fn old_entries_are_skipped_with_the_reason() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let called = |id: &str, full: bool| {
            let mut m = json!({"agent_id": "bot", "action_type": "a", "payload": {},
                "requested_at": "2026-01-01T00:00:00.000Z"});
            if full {
                m["action_requested_at"] = json!("2026-01-01T00:00:00.000Z");
            }
            NewEvent::new("AUTHORIZE_CALLED", m).action(id)
        };
        let created = |id: &str, chain: bool| {
            let mut m = json!({"agent_id": "bot", "owner_id": "o", "action_type": "a",
                "result": "DENY", "matched_rule_id": null});
            if chain {
                m["policy_ids"] = json!(["p"]);
            }
            NewEvent::new("DECISION_CREATED", m).action(id).decision(id)
        };
        dd.append_audit(vec![
            called("1", false),
            created("1", true),
            called("2", true),
            created("2", false),
            called("3", true),
            created("3", true),
        ])
        .unwrap();
        let mut set = CandidateSet::default();
        let p = check_policy("p", b"version: 1\ndefault: allow\nrules: []\n");
        set.replace.insert("p".into(), Arc::new(p.policy.unwrap()));
        let r = replay(
            &dd,
            ReplayRequest {
                candidate: set,
                ..ReplayRequest::default()
            },
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!((r.replayed, r.skipped, r.changed), (1, 2, 1));
        assert_eq!(r.skipped_reasons.get(NO_ACTION), Some(&1));
        assert_eq!(r.skipped_reasons.get(NO_CHAIN), Some(&1));
        assert_eq!(r.transitions.get("DENY->ALLOW"), Some(&1));
    }

    #[test]
    fn time_arguments() {
        let now = crate::timefmt::parse("2026-01-31T00:00:00Z").unwrap();
        let day = 86_400_000;
        let t = parse_time_arg("since", "30d", now).unwrap();
        assert_eq!(
            t,
            parse_time_arg("since", "2026-01-01T00:00:00Z", now).unwrap()
        );
        assert_eq!(parse_time_arg("since", "1d", now).unwrap(), t + 29 * day);
        let e = parse_time_arg("since", "yesterday", now).unwrap_err();
        assert_eq!(e.code, ErrorCode::Usage);
    }
}
