//! Owner identity (upstream-cli §6): contact identities, government IDs (users), company IDs
//! (orgs), their format validators and the computed identity assurance level.
//!
//! Validators only check formats and check digits; `VERIFIED` is reserved for a later
//! verification provider, so today's highest level is `ID_FORMAT_VALID`.

pub mod checksum;
pub mod company;
pub mod gov;

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub use company::COMPANY_ID_TYPES;
pub use gov::EU_COUNTRIES;

pub const CONTACT_TYPES: &[&str] = &["EMAIL", "PHONE", "INSTANT_MESSAGE", "SOCIAL_MEDIA"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerificationLevel {
    Unverified,
    FormatValid,
    Verified,
}

impl VerificationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationLevel::Unverified => "UNVERIFIED",
            VerificationLevel::FormatValid => "FORMAT_VALID",
            VerificationLevel::Verified => "VERIFIED",
        }
    }
}

/// Ordered lowest to highest so `max` picks the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AssuranceLevel {
    None,
    SelfDeclared,
    ContactVerified,
    IdFormatValid,
    IdVerified,
}

impl AssuranceLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AssuranceLevel::None => "NONE",
            AssuranceLevel::SelfDeclared => "SELF_DECLARED",
            AssuranceLevel::ContactVerified => "CONTACT_VERIFIED",
            AssuranceLevel::IdFormatValid => "ID_FORMAT_VALID",
            AssuranceLevel::IdVerified => "ID_VERIFIED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub contact_id: String,
    #[serde(rename = "type")]
    pub contact_type: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub verified_at: Option<String>,
    pub added_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GovernmentId {
    pub country: String,
    pub id_type: String,
    pub id_value: String,
    pub verification_level: VerificationLevel,
    #[serde(default)]
    pub verified_at: Option<String>,
    pub added_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyId {
    pub id_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub id_value: String,
    pub verification_level: VerificationLevel,
    #[serde(default)]
    pub verified_at: Option<String>,
    pub added_at: String,
}

/// A person who may sign for an organization (upstream's `Signatory`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signatory {
    pub signatory_id: String,
    /// A user owner's id.
    pub human_owner_principal_id: String,
    /// One of [`SIGNATORY_ROLES`].
    pub role: String,
    /// `SOLE` (signs alone) or `JOINT` (co-signs with another).
    pub signing_authority: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_description: Option<String>,
    #[serde(default)]
    pub valid_until: Option<String>,
    pub added_at: String,
}

/// Upstream's signatory roles.
pub const SIGNATORY_ROLES: &[&str] = &[
    "CEO",
    "BOARD_CHAIRMAN",
    "BOARD_MEMBER",
    "AUTHORIZED_SIGNATORY",
    "PROCURATOR",
    "MANAGING_DIRECTOR",
    "OTHER",
];
pub const SIGNING_AUTHORITIES: &[&str] = &["SOLE", "JOINT"];

/// Shared tail of every table-driven validator: anchored shape, then the optional check.
pub(crate) fn check_shape(
    normalised: &str,
    rx: Option<&Regex>,
    expected: &str,
    check: Option<gov::Check>,
) -> Result<(), String> {
    if !rx.is_some_and(|rx| rx.is_match(normalised)) {
        return Err(format!("Invalid format: expected {expected}"));
    }
    check.map_or(Ok(()), |c| c(normalised))
}

static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[^\s@]+@[^\s@]+\.[^\s@]+$").ok());
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\+\d[\d\s\-()]{6,19}$").ok());

/// Validates a contact value for its type.
pub fn validate_contact(contact_type: &str, value: &str) -> Result<(), String> {
    let rx = match contact_type {
        "EMAIL" => EMAIL.as_ref(),
        "PHONE" => PHONE.as_ref(),
        "INSTANT_MESSAGE" | "SOCIAL_MEDIA" => {
            return if value.trim().is_empty() {
                Err("Value must not be empty".into())
            } else {
                Ok(())
            };
        }
        other => {
            return Err(format!(
                "Unknown contact type '{other}'. Known types: {}",
                CONTACT_TYPES.join(", ")
            ));
        }
    };
    let expected = if contact_type == "EMAIL" {
        "an email address like name@example.com"
    } else {
        "an international number like +46 70 123 45 67"
    };
    check_shape(value, rx, expected, None)
}

/// The computed assurance level (upstream-cli §6.1); `ids` are the levels of the owner's
/// government IDs (users) or company IDs (orgs).
pub fn assurance_level(
    contacts: &[Contact],
    ids: impl IntoIterator<Item = VerificationLevel>,
) -> AssuranceLevel {
    let best = ids.into_iter().max();
    match best {
        Some(VerificationLevel::Verified) => AssuranceLevel::IdVerified,
        Some(VerificationLevel::FormatValid) => AssuranceLevel::IdFormatValid,
        _ if contacts.iter().any(|c| c.verified) => AssuranceLevel::ContactVerified,
        Some(_) => AssuranceLevel::SelfDeclared,
        None if !contacts.is_empty() => AssuranceLevel::SelfDeclared,
        None => AssuranceLevel::None,
    }
}

/// Every character but the last four as `*` (short values are shown as they are).
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n <= 4 {
        return value.to_string();
    }
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < n - 4 { '*' } else { c })
        .collect()
}

/// Upper-cases and checks a country code against the EU list.
pub fn parse_country(raw: &str) -> Result<String, String> {
    let cc = raw.trim().to_ascii_uppercase();
    let cc = if cc == "EL" { "GR".to_string() } else { cc };
    if EU_COUNTRIES.contains(&cc.as_str()) {
        Ok(cc)
    } else {
        Err(format!(
            "Unknown country '{raw}'. Known countries: {}",
            EU_COUNTRIES.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(verified: bool) -> Contact {
        Contact {
            contact_id: "c".into(),
            contact_type: "EMAIL".into(),
            value: "a@b.c".into(),
            label: None,
            platform: None,
            verified,
            verified_at: None,
            added_at: "t".into(),
        }
    }

    #[test]
    fn contacts_table() {
        // (type, valid, invalid, invalid)
        let cases = [
            (
                "EMAIL",
                "ada@example.com",
                "ada@example",
                "ada @example.com",
            ),
            ("PHONE", "+46 (70) 123-45-67", "0046701234567", "+4670"),
            ("INSTANT_MESSAGE", "@ada:matrix.org", "", "   "),
            ("SOCIAL_MEDIA", "https://linkedin.com/in/ada", "", " "),
        ];
        for (ty, ok, bad1, bad2) in cases {
            assert_eq!(validate_contact(ty, ok), Ok(()), "{ty} {ok}");
            assert!(validate_contact(ty, bad1).is_err(), "{ty} {bad1:?}");
            assert!(validate_contact(ty, bad2).is_err(), "{ty} {bad2:?}");
        }
        assert!(validate_contact("FAX", "1").is_err());
        assert!(validate_contact("PHONE", "+1234567890123456789012").is_err());
    }

    #[test]
    fn assurance_levels() {
        use VerificationLevel::*;
        assert_eq!(assurance_level(&[], []), AssuranceLevel::None);
        assert_eq!(
            assurance_level(&[contact(false)], []),
            AssuranceLevel::SelfDeclared
        );
        assert_eq!(
            assurance_level(&[], [Unverified]),
            AssuranceLevel::SelfDeclared
        );
        assert_eq!(
            assurance_level(&[contact(true)], [Unverified]),
            AssuranceLevel::ContactVerified
        );
        assert_eq!(
            assurance_level(&[contact(true)], [Unverified, FormatValid]),
            AssuranceLevel::IdFormatValid
        );
        assert_eq!(
            assurance_level(&[], [FormatValid, Verified]),
            AssuranceLevel::IdVerified
        );
    }

    #[test]
    fn masking() {
        assert_eq!(mask("811218-9876"), "*******9876");
        assert_eq!(mask("1234"), "1234");
        assert_eq!(mask("åäöü5"), "*äöü5");
    }

    #[test]
    fn countries() {
        assert_eq!(parse_country(" se "), Ok("SE".into()));
        assert_eq!(parse_country("EL"), Ok("GR".into()));
        assert!(parse_country("US").is_err());
    }
}
