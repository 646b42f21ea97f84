//! The audit log (`audit.log.jsonl`).

use crate::error::{Error, Result};
use crate::store::DataDir;
use serde_json::Value;
use std::io::Write;

/// An event to append; the appender fills in `seq`, `event_id`, `timestamp` and the chain.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: String,
    pub principal_id: Option<String>,
    pub action_id: Option<String>,
    pub decision_id: Option<String>,
    pub metadata: Value,
}

impl NewEvent {
    pub fn new(event_type: &str, metadata: Value) -> NewEvent {
        NewEvent {
            event_type: event_type.into(),
            principal_id: None,
            action_id: None,
            decision_id: None,
            metadata,
        }
    }

    pub fn principal(mut self, id: &str) -> Self {
        self.principal_id = Some(id.into());
        self
    }

    pub fn action(mut self, id: &str) -> Self {
        self.action_id = Some(id.into());
        self
    }

    pub fn decision(mut self, id: &str) -> Self {
        self.decision_id = Some(id.into());
        self
    }
}

impl DataDir {
    /// Appends events durably, in order, as one commit.
    pub fn append_audit(&self, events: Vec<NewEvent>) -> Result<()> {
        let _lock = self.lock()?;
        let path = self.audit_log_path();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        for ev in events {
            let line = serde_json::json!({
                "event_id": crate::ids::new_id(),
                "timestamp": crate::timefmt::now_string(),
                "event_type": ev.event_type,
                "principal_id": ev.principal_id,
                "action_id": ev.action_id,
                "decision_id": ev.decision_id,
                "metadata_json": ev.metadata,
            });
            writeln!(f, "{line}").map_err(|e| Error::io("append to", &path, e))?;
        }
        f.sync_all().map_err(|e| Error::io("sync", &path, e))
    }
}
