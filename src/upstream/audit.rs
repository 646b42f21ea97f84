//! Upstream's `audit.log.jsonl`: one JSON event per line, no chain. It is kept byte for byte in
//! the new data directory; this reads it only to summarise it and to find what the new records
//! need from it (the matched rule of a pending approval, REQUIRE_APPROVAL decisions an agent can
//! still ask approval for).

use super::Reader;
use crate::error::Result;
use crate::store::owners::OwnerType;
use std::collections::HashMap;
use std::path::PathBuf;

/// The old, unchained log: kept byte for byte, summarised here.
pub struct AuditLog {
    pub file: PathBuf,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub events: usize,
    pub first_timestamp: Option<String>,
    pub last_timestamp: Option<String>,
    /// REQUIRE_APPROVAL decisions, for agents that have not asked for approval yet.
    pub approval_decisions: Vec<SeenDecision>,
    /// `decision_id` → `matched_rule_id` of every decision.
    pub matched_rules: HashMap<String, String>,
}

/// A REQUIRE_APPROVAL `DECISION_CREATED` event of the old log.
#[derive(Debug, Clone)]
pub struct SeenDecision {
    pub decision_id: String,
    pub agent_principal_id: String,
    pub agent_id: String,
    pub owner_type: OwnerType,
    pub owner_id: String,
    pub action_id: String,
    pub action_type: String,
    pub action_hash: String,
    pub matched_rule_id: Option<String>,
    pub timestamp: String,
}

impl Reader {
    /// The old log, kept as it is. Lines that are not JSON objects are reported, not fatal: a
    /// crash can leave a torn last line, and the bytes are preserved either way.
    pub(super) fn audit(&mut self) -> Result<Option<AuditLog>> {
        let file = self.data.join("audit.log.jsonl");
        let Some(bytes) = crate::store::fsio::read_optional(&file)? else {
            return Ok(None);
        };
        let mut log = AuditLog {
            sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            file: file.clone(),
            events: 0,
            first_timestamp: None,
            last_timestamp: None,
            approval_decisions: Vec::new(),
            matched_rules: HashMap::new(),
            bytes: Vec::new(),
        };
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let ev: serde_json::Value = match serde_json::from_slice(line) {
                Ok(v @ serde_json::Value::Object(_)) => v,
                Ok(_) | Err(_) => {
                    self.leave(
                        "audit_line",
                        None,
                        format!("{}:{}", file.display(), i + 1),
                        "not a JSON object; kept byte for byte in the preserved log".into(),
                    );
                    continue;
                }
            };
            log.events += 1;
            let ts = ev["timestamp"].as_str().map(str::to_string);
            if log.first_timestamp.is_none() {
                log.first_timestamp.clone_from(&ts);
            }
            log.last_timestamp = ts.clone().or(log.last_timestamp.take());
            if ev["event_type"] == "DECISION_CREATED" {
                seen_decision(&ev, ts, &mut log);
            }
        }
        log.bytes = bytes;
        Ok(Some(log))
    }
}

fn seen_decision(ev: &serde_json::Value, ts: Option<String>, log: &mut AuditLog) {
    let m = &ev["metadata_json"];
    let s = |k: &str| m[k].as_str().map(str::to_string);
    let Some(decision_id) = s("decision_id").filter(|d| crate::ids::is_uuid_shaped(d)) else {
        return;
    };
    let decision_id = decision_id.to_ascii_lowercase();
    if let Some(rule) = s("matched_rule_id") {
        log.matched_rules.insert(decision_id.clone(), rule);
    }
    if m["result"] != "REQUIRE_APPROVAL" {
        return;
    }
    let owner_type = match m["owner_type"].as_str() {
        Some("org") => OwnerType::Org,
        _ => OwnerType::User,
    };
    let (
        Some(agent_principal_id),
        Some(agent_id),
        Some(owner_id),
        Some(action_type),
        Some(action_hash),
        Some(timestamp),
    ) = (
        s("agent_principal_id").filter(|a| crate::ids::is_uuid_shaped(a)),
        s("agent_id"),
        s("owner_id"),
        s("action_type"),
        s("action_hash"),
        ts,
    )
    else {
        return;
    };
    log.approval_decisions.push(SeenDecision {
        decision_id,
        agent_principal_id: agent_principal_id.to_ascii_lowercase(),
        agent_id,
        owner_type,
        owner_id,
        action_id: ev["action_id"].as_str().unwrap_or_default().to_string(),
        action_type,
        action_hash,
        matched_rule_id: s("matched_rule_id"),
        timestamp,
    });
}
