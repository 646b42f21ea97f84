//! Notification events (SPEC §16): upstream's event names and `data` fields, plus the owner-side
//! extras (a plain-language summary and the portal link) that only owner channels receive.

use super::message;
use crate::config::Config;
use crate::store::approvals::{ApprovalRequest, PolicyDraft};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const APPROVAL_CREATED: &str = "approval_request.created";
pub const APPROVAL_APPROVED: &str = "approval_request.approved";
pub const APPROVAL_DENIED: &str = "approval_request.denied";
pub const APPROVAL_EXPIRING: &str = "approval_request.expiring";
pub const APPROVAL_EXPIRED: &str = "approval_request.expired";
pub const APPROVAL_ESCALATED: &str = "approval_request.escalated";
pub const DRAFT_CREATED: &str = "policy_draft.created";
pub const DRAFT_APPROVED: &str = "policy_draft.approved";
pub const DRAFT_DENIED: &str = "policy_draft.denied";
pub const AUDIT_INTEGRITY_FAILED: &str = "audit.integrity_failed";
pub const LIMITS_NEAR_CAP: &str = "limits.near_cap";
/// A link to set a passphrase, emailed to the user it is for (upstream's event name). Not a
/// channel event: it goes only to the account's own address.
pub const USER_SETUP_INVITE: &str = "user_setup_invite.created";
/// What a channel's `events:` may name.
pub const EVENT_TYPES: &[&str] = &[
    APPROVAL_CREATED,
    APPROVAL_APPROVED,
    APPROVAL_DENIED,
    APPROVAL_EXPIRING,
    APPROVAL_EXPIRED,
    APPROVAL_ESCALATED,
    DRAFT_CREATED,
    DRAFT_APPROVED,
    DRAFT_DENIED,
    AUDIT_INTEGRITY_FAILED,
    LIMITS_NEAR_CAP,
];
/// What an agent's own webhook receives (outcomes of its own requests and drafts).
pub const AGENT_EVENTS: &[&str] = &[
    APPROVAL_APPROVED,
    APPROVAL_DENIED,
    APPROVAL_EXPIRED,
    DRAFT_APPROVED,
    DRAFT_DENIED,
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event_type: String,
    pub timestamp: String,
    pub agent_principal_id: String,
    pub owner_id: String,
    /// Upstream's `data` object.
    pub data: Value,
    /// One plain-language line for people.
    pub summary: String,
    /// The portal page of the request or draft.
    pub link: String,
}

impl Event {
    /// The body an agent webhook receives, byte-for-byte the same on every retry (the
    /// signature covers it): upstream's `{event_type, timestamp, agent_principal_id, data}`.
    pub fn agent_body(&self) -> String {
        json!({
            "event_type": self.event_type,
            "timestamp": self.timestamp,
            "agent_principal_id": self.agent_principal_id,
            "data": self.data,
        })
        .to_string()
    }

    /// An owner webhook's body: the agent body plus owner, summary and link.
    pub fn owner_body(&self) -> String {
        json!({
            "event_type": self.event_type,
            "timestamp": self.timestamp,
            "agent_principal_id": self.agent_principal_id,
            "owner_id": self.owner_id,
            "data": self.data,
            "summary": self.summary,
            "link": self.link,
        })
        .to_string()
    }

    /// A short title for people ("Approval needed: purchase").
    pub fn title(&self) -> String {
        if self.event_type == AUDIT_INTEGRITY_FAILED {
            return "Audit log integrity check failed".into();
        }
        if self.event_type == USER_SETUP_INVITE {
            return "Set a new openleash passphrase".into();
        }
        let what = self
            .data
            .get("action_type")
            .and_then(Value::as_str)
            .map(String::from)
            .or_else(|| {
                self.data
                    .get("name")
                    .and_then(Value::as_str)
                    .map(String::from)
            })
            .unwrap_or_else(|| "policy draft".into());
        let head = match self.event_type.as_str() {
            APPROVAL_CREATED => "Approval needed",
            APPROVAL_APPROVED => "Approved",
            APPROVAL_DENIED => "Denied",
            APPROVAL_EXPIRING => "Approval expiring soon",
            APPROVAL_EXPIRED => "Approval request expired",
            APPROVAL_ESCALATED => "Still waiting for approval",
            DRAFT_CREATED => "Policy draft to review",
            DRAFT_APPROVED => "Policy draft approved",
            DRAFT_DENIED => "Policy draft denied",
            LIMITS_NEAR_CAP => "Limit nearly used up",
            other => other,
        };
        format!("{head}: {what}")
    }

    fn approval(event_type: &str, r: &ApprovalRequest, config: &Config, data: Value) -> Event {
        Event {
            event_type: event_type.into(),
            timestamp: crate::timefmt::now_string(),
            agent_principal_id: r.agent_principal_id.clone(),
            owner_id: r.owner_id.clone(),
            data,
            summary: crate::handlers::summary::summarize(r, None, crate::timefmt::now()).text(),
            link: message::portal_link(config, "approvals", &r.approval_request_id),
        }
    }

    /// The recovery email for `user`: `link` opens the portal's set-passphrase page with the
    /// single-use invite (its token is in the link, nowhere else in the event).
    pub fn setup_invite(
        user: &crate::store::owners::Owner,
        invite_id: &str,
        expires_at: &str,
        link: String,
    ) -> Event {
        Event {
            event_type: USER_SETUP_INVITE.into(),
            timestamp: crate::timefmt::now_string(),
            agent_principal_id: String::new(),
            owner_id: user.owner_id.clone(),
            data: json!({
                "invite_id": invite_id,
                "user_principal_id": user.owner_id,
                "display_name": user.display_name,
                "expires_at": expires_at,
            }),
            summary: format!(
                "Someone (hopefully you) asked to reset the passphrase of the openleash account \"{}\". \
                 The link below sets a new one; it works once, until {expires_at}. \
                 If you did not ask, ignore this email: your passphrase stays as it is.",
                user.display_name
            ),
            link,
        }
    }

    pub fn approval_created(r: &ApprovalRequest, config: &Config) -> Event {
        let data = json!({
            "approval_request_id": r.approval_request_id,
            "status": r.status,
            "action_type": r.action_type,
            "agent_id": r.agent_id,
            "justification": r.justification,
            "expires_at": r.expires_at,
        });
        Event::approval(APPROVAL_CREATED, r, config, data)
    }

    pub fn approval_approved(r: &ApprovalRequest, config: &Config) -> Event {
        let data = json!({
            "approval_request_id": r.approval_request_id,
            "status": r.status,
            "approval_token": r.approval_token,
            "approval_token_expires_at": r.approval_token_expires_at,
            "action_type": r.action_type,
        });
        Event::approval(APPROVAL_APPROVED, r, config, data)
    }

    pub fn approval_denied(r: &ApprovalRequest, config: &Config) -> Event {
        let data = json!({
            "approval_request_id": r.approval_request_id,
            "status": r.status,
            "denial_reason": r.denial_reason,
            "action_type": r.action_type,
        });
        Event::approval(APPROVAL_DENIED, r, config, data)
    }

    /// `expiring`, `expired` and `escalated`: the request as it stands.
    pub fn approval_lifecycle(event_type: &str, r: &ApprovalRequest, config: &Config) -> Event {
        let data = json!({
            "approval_request_id": r.approval_request_id,
            "status": r.status,
            "expires_at": r.expires_at,
            "action_type": r.action_type,
        });
        Event::approval(event_type, r, config, data)
    }

    fn draft(event_type: &str, d: &PolicyDraft, config: &Config, data: Value) -> Event {
        Event {
            event_type: event_type.into(),
            timestamp: crate::timefmt::now_string(),
            agent_principal_id: d.agent_principal_id.clone(),
            owner_id: d.owner_id.clone(),
            data,
            summary: message::draft_summary(d),
            link: message::portal_link(config, "drafts", &d.policy_draft_id),
        }
    }

    pub fn draft_created(d: &PolicyDraft, config: &Config) -> Event {
        let data = json!({
            "policy_draft_id": d.policy_draft_id,
            "status": d.status,
            "name": d.name,
            "applies_to_agent_principal_id": d.applies_to_agent_principal_id,
        });
        Event::draft(DRAFT_CREATED, d, config, data)
    }

    pub fn draft_approved(d: &PolicyDraft, config: &Config) -> Event {
        let data = json!({
            "policy_draft_id": d.policy_draft_id,
            "status": d.status,
            "policy_id": d.resulting_policy_id,
            "applies_to_agent_principal_id": d.applies_to_agent_principal_id,
        });
        Event::draft(DRAFT_APPROVED, d, config, data)
    }

    pub fn draft_denied(d: &PolicyDraft, config: &Config) -> Event {
        let data = json!({
            "policy_draft_id": d.policy_draft_id,
            "status": d.status,
            "denial_reason": d.denial_reason,
        });
        Event::draft(DRAFT_DENIED, d, config, data)
    }

    /// The background `audit verify` found the log or its head broken (instance-wide: no agent,
    /// no owner). `details` is the `AUDIT_INTEGRITY_FAILED` audit event's metadata.
    pub fn integrity_failed(details: Value, description: String, config: &Config) -> Event {
        Event {
            event_type: AUDIT_INTEGRITY_FAILED.into(),
            timestamp: crate::timefmt::now_string(),
            agent_principal_id: String::new(),
            owner_id: String::new(),
            data: details,
            summary: description,
            link: message::portal_page(config, "audit"),
        }
    }

    /// An ALLOW of `agent` moved a limit's use across `notifications.near_cap_ratio` of its
    /// maximum (owner channels only: an agent's webhook hears its own outcomes, not this).
    pub fn near_cap(
        agent: &crate::store::agents::Agent,
        rule_id: &str,
        n: &crate::policy::limits::NearCap,
        action_type: &str,
        decision_id: &str,
        config: &Config,
    ) -> Event {
        let amount = |v: u64| match n.measure {
            "max_count" => format!("{v}"),
            _ => crate::handlers::summary::format_amount(
                i64::try_from(v).unwrap_or(i64::MAX),
                n.currency.as_deref(),
            ),
        };
        let unit = if n.measure == "max_count" {
            " decisions"
        } else {
            ""
        };
        let percent = (n.used as f64 * 100.0 / n.max as f64).floor();
        let summary = format!(
            "{} has used {} of {}{unit} ({percent}%) allowed per {} by rule {rule_id}",
            agent.agent_id,
            amount(n.used),
            amount(n.max),
            n.window,
        );
        Event {
            event_type: LIMITS_NEAR_CAP.into(),
            timestamp: crate::timefmt::now_string(),
            agent_principal_id: agent.agent_principal_id.clone(),
            owner_id: agent.owner_id.clone(),
            data: json!({
                "agent_id": agent.agent_id,
                "action_type": action_type,
                "decision_id": decision_id,
                "rule_id": rule_id,
                "limit_index": n.limit_index,
                "window": n.window,
                "measure": n.measure,
                "max": n.max,
                "used": n.used,
                "currency": n.currency,
                "ratio": config.notifications.near_cap_ratio,
            }),
            summary,
            link: message::portal_page(config, "limits"),
        }
    }

    /// The sample `notify test` sends.
    pub fn sample(config: &Config) -> Event {
        let id = "00000000-0000-4000-8000-000000000000";
        Event {
            event_type: APPROVAL_CREATED.into(),
            timestamp: crate::timefmt::now_string(),
            agent_principal_id: id.into(),
            owner_id: id.into(),
            data: json!({"approval_request_id": id, "status": "PENDING", "action_type": "test", "agent_id": "openleash-test"}),
            summary: "openleash-test wants to run a test notification (this is a test)".into(),
            link: message::portal_link(config, "approvals", id),
        }
    }
}
