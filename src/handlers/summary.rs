//! A plain-language summary of an approval request (SPEC §15): who asks, to do what, for how
//! much, with whom, why, under which rule, and how long is left to answer. A pure function of the
//! request (plus the agent and the clock), so the portal, the CLI and notifications word it alike.

use crate::store::agents::Agent;
use crate::store::approvals::ApprovalRequest;
use serde_json::Value;
use time::OffsetDateTime;

/// What an owner needs to read before answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalSummary {
    /// The agent's display name (attribute `display_name`), else its `agent_id`.
    pub agent: String,
    pub action_type: String,
    /// `payload.amount_minor` formatted with `payload.currency` (e.g. `$1,250.00`, `1.500 KWD`).
    pub amount: Option<String>,
    /// Who the action is with: ("merchant" | "recipient" | "domain", value).
    pub counterparty: Option<(&'static str, String)>,
    pub justification: Option<String>,
    pub matched_rule: Option<String>,
    /// The effective status (PENDING, APPROVED, DENIED, EXPIRED, …).
    pub status: String,
    /// "3 h 12 min left", "expired" — only while the request is open.
    pub time_left: Option<String>,
}

impl ApprovalSummary {
    /// One line, e.g. `shopper wants to purchase $1,250.00 at shop.example: "new laptop"
    /// (rule large_purchases, 23 h 59 min left)`.
    pub fn text(&self) -> String {
        let mut s = format!("{} wants to {}", self.agent, self.action_type);
        if let Some(a) = &self.amount {
            s.push(' ');
            s.push_str(a);
        }
        if let Some((kind, who)) = &self.counterparty {
            let prep = match *kind {
                "recipient" => "to",
                "merchant" => "at",
                _ => "on",
            };
            s.push_str(&format!(" {prep} {who}"));
        }
        if let Some(j) = &self.justification {
            s.push_str(&format!(": \"{j}\""));
        }
        let mut extra = Vec::new();
        if let Some(r) = &self.matched_rule {
            extra.push(format!("rule {r}"));
        }
        match &self.time_left {
            Some(t) => extra.push(t.clone()),
            None => extra.push(self.status.to_lowercase()),
        }
        s.push_str(&format!(" ({})", extra.join(", ")));
        s
    }
}

/// Summarises `r` as of `now`; `agent` (when still known) supplies the display name.
pub fn summarize(
    r: &ApprovalRequest,
    agent: Option<&Agent>,
    now: OffsetDateTime,
) -> ApprovalSummary {
    let payload = r.action.get("payload").unwrap_or(&Value::Null);
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let amount = payload
        .get("amount_minor")
        .and_then(Value::as_i64)
        .map(|m| format_amount(m, payload.get("currency").and_then(Value::as_str)));
    let counterparty = [
        ("merchant", text(payload.get("merchant_name"))),
        ("merchant", text(payload.get("merchant_domain"))),
        ("merchant", text(payload.get("merchant"))),
        ("recipient", text(payload.get("recipient_name"))),
        ("recipient", text(payload.get("recipient"))),
        ("domain", text(payload.get("domain"))),
        (
            "domain",
            text(r.action.get("relying_party").and_then(|p| p.get("domain"))),
        ),
    ]
    .into_iter()
    .find_map(|(k, v)| v.map(|v| (k, v)));
    let status = r.effective_status(now).to_string();
    let time_left = (status == crate::store::approvals::PENDING)
        .then(|| crate::timefmt::parse(&r.expires_at))
        .flatten()
        .map(|exp| match duration_words((exp - now).whole_seconds()) {
            Some(d) => format!("{d} left"),
            None => "expired".to_string(),
        });
    ApprovalSummary {
        agent: agent
            .and_then(|a| a.attributes.get("display_name"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| r.agent_id.clone()),
        action_type: r.action_type.clone(),
        amount,
        counterparty,
        justification: r.justification.clone().filter(|s| !s.trim().is_empty()),
        matched_rule: r.matched_rule_id.clone(),
        status,
        time_left,
    }
}

/// Digits after the decimal point of a currency (ISO 4217); 2 when unknown.
fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// `amount_minor` in major units with thousands separators and the currency's sign or code:
/// `$1,250.00`, `€12.50`, `¥1,200`, `1.500 KWD`, `12.50` without a currency.
pub fn format_amount(minor: i64, currency: Option<&str>) -> String {
    let code = currency.map(|c| c.trim().to_ascii_uppercase());
    let digits = code.as_deref().map_or(2, minor_digits);
    let scale = 10u64.pow(digits);
    let abs = minor.unsigned_abs();
    let (major, frac) = (abs / scale, abs % scale);
    let mut grouped = String::new();
    let m = major.to_string();
    for (i, ch) in m.chars().enumerate() {
        if i > 0 && (m.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = if digits == 0 {
        grouped
    } else {
        format!("{grouped}.{frac:0width$}", width = digits as usize)
    };
    let sign = if minor < 0 { "-" } else { "" };
    match code.as_deref() {
        Some("USD") => format!("{sign}${number}"),
        Some("EUR") => format!("{sign}€{number}"),
        Some("GBP") => format!("{sign}£{number}"),
        Some("JPY") => format!("{sign}¥{number}"),
        Some(c) if !c.is_empty() => format!("{sign}{number} {c}"),
        _ => format!("{sign}{number}"),
    }
}

/// "2 d 3 h", "3 h 12 min", "4 min", "under a minute"; `None` when not positive.
pub fn duration_words(secs: i64) -> Option<String> {
    if secs <= 0 {
        return None;
    }
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    Some(match (d, h, m) {
        (0, 0, 0) => "under a minute".into(),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(action: Value, expires_in: i64, now: OffsetDateTime) -> ApprovalRequest {
        serde_json::from_value(json!({
            "approval_request_id": "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a",
            "decision_id": "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6b",
            "agent_principal_id": "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6c",
            "agent_id": "shopper",
            "owner_type": "user",
            "owner_id": "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6d",
            "action_type": "purchase",
            "action_hash": "00",
            "action": action,
            "justification": "new laptop",
            "matched_rule_id": "large_purchases",
            "status": "PENDING",
            "created_at": crate::timefmt::format(now),
            "expires_at": crate::timefmt::format(crate::timefmt::plus_seconds(now, expires_in)),
        }))
        .unwrap()
    }

    #[test]
    fn amounts_by_currency() {
        assert_eq!(format_amount(125_000, Some("USD")), "$1,250.00");
        assert_eq!(format_amount(1250, Some("eur")), "€12.50");
        assert_eq!(format_amount(1200, Some("JPY")), "¥1,200");
        assert_eq!(format_amount(1500, Some("KWD")), "1.500 KWD");
        assert_eq!(format_amount(123_456_789, Some("CHF")), "1,234,567.89 CHF");
        assert_eq!(format_amount(5, None), "0.05");
        assert_eq!(format_amount(-250, Some("GBP")), "-£2.50");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_words(0), None);
        assert_eq!(duration_words(30).unwrap(), "under a minute");
        assert_eq!(duration_words(3 * 3600 + 12 * 60).unwrap(), "3 h 12 min");
        assert_eq!(duration_words(2 * 86_400 + 3 * 3600).unwrap(), "2 d 3 h");
    }

    #[test]
    fn one_line_summary() {
        let now = crate::timefmt::now();
        let r = request(
            json!({"action_type": "purchase", "payload": {"amount_minor": 125000, "currency": "USD", "merchant_domain": "shop.example"}}),
            3600 * 2 + 61,
            now,
        );
        let s = summarize(&r, None, now);
        assert_eq!(
            s.text(),
            "shopper wants to purchase $1,250.00 at shop.example: \"new laptop\" (rule large_purchases, 2 h 1 min left)"
        );
        let r = request(
            json!({"action_type": "transfer", "payload": {"recipient": "Bob"}}),
            -5,
            now,
        );
        let s = summarize(&r, None, now);
        assert_eq!(s.status, "EXPIRED");
        assert_eq!(s.time_left, None);
        assert!(
            s.text().ends_with("(rule large_purchases, expired)"),
            "{}",
            s.text()
        );
        assert_eq!(s.counterparty, Some(("recipient", "Bob".to_string())));
    }
}
