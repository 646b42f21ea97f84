//! Identity data of owners: contacts, government IDs (people) and company IDs (organizations).
//! One implementation of every rule behind `openleash owner add-contact|add-gov-id|add-company-id`
//! and the portal's profile forms. Errors name the offending form field in
//! `details.field` so the portal can show them next to it; a failed format check carries
//! `details.check = "format"` so the interactive CLI can offer "store anyway" and retry with
//! `allow_invalid`.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::identity::{
    self, COMPANY_ID_TYPES, CompanyId, Contact, GovernmentId, VerificationLevel, company, gov, mask,
};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};

pub struct ContactInput {
    pub contact_type: String,
    pub value: String,
    pub label: Option<String>,
    pub platform: Option<String>,
    pub allow_invalid: bool,
}

pub struct GovIdInput {
    pub country: String,
    /// Optional when the country knows a single ID type.
    pub id_type: Option<String>,
    pub value: String,
    pub allow_invalid: bool,
}

pub struct CompanyIdInput {
    pub id_type: String,
    pub country: Option<String>,
    pub value: String,
    pub allow_invalid: bool,
}

/// What an add did: the owner after the change, a one-line summary (ID numbers masked) and the
/// format problem accepted by `allow_invalid`, if any.
pub struct Added {
    pub owner: Owner,
    pub summary: String,
    pub accepted_problem: Option<String>,
}

fn field_error(code: ErrorCode, field: &str, msg: impl Into<String>) -> Error {
    Error::new(code, msg.into()).with_details(json!({ "field": field }))
}

/// The form field an identity error is about (`details.field`), if it names one.
pub fn error_field(e: &Error) -> Option<&str> {
    e.details.as_ref()?.get("field")?.as_str()
}

/// Whether an error is a failed format check that `allow_invalid` would accept.
pub fn is_format_failure(e: &Error) -> bool {
    e.code == ErrorCode::InvalidIdentity
        && e.details
            .as_ref()
            .and_then(|d| d.get("check"))
            .and_then(Value::as_str)
            == Some("format")
}

fn required(field: &str, value: &str, what: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(field_error(
            ErrorCode::InvalidIdentity,
            field,
            format!("{what} is required"),
        ));
    }
    Ok(v.to_string())
}

fn wrong_type(o: &Owner, what: &str, needed: &str) -> Error {
    Error::new(
        ErrorCode::WrongOwnerType,
        format!(
            "{what} belong to {needed} owners; {} ({}) is a {}",
            o.display_name,
            o.owner_id,
            o.owner_type.as_str()
        ),
    )
    .with_hint(if needed == "org" {
        "create an organization with `openleash owner add --type org --name NAME`"
    } else {
        "government IDs identify people; use add-company-id for organizations"
    })
}

/// The verification level after a format check; a failure is an error unless accepted.
fn level_after_check(
    check: std::result::Result<(), String>,
    allow_invalid: bool,
) -> Result<(VerificationLevel, Option<String>)> {
    match check {
        Ok(()) => Ok((VerificationLevel::FormatValid, None)),
        Err(msg) if allow_invalid => Ok((VerificationLevel::Unverified, Some(msg))),
        Err(msg) => Err(Error::new(
            ErrorCode::InvalidIdentity,
            format!("format validation failed: {msg}"),
        )
        .with_details(json!({"field": "value", "check": "format"}))
        .with_hint(
            "fix the value, or store it as UNVERIFIED (--allow-invalid; \"store anyway\" in the portal)",
        )),
    }
}

fn identity_event(o: &Owner) -> &'static str {
    match o.owner_type {
        OwnerType::User => "USER_IDENTITY_UPDATED",
        OwnerType::Org => "ORG_UPDATED",
    }
}

/// Applies `change` to the freshly re-read owner under the writer lock, recomputes the stored
/// assurance level, writes the owner and audits `event`.
fn update_owner(
    dd: &DataDir,
    owner_id: &str,
    event: (&str, Value),
    change: impl FnOnce(&mut Owner) -> Result<()>,
) -> Result<Owner> {
    let o = {
        let _lock = dd.lock()?;
        let mut o = dd.owner(owner_id)?;
        change(&mut o)?;
        o.identity_assurance_level = Some(o.assurance());
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &o)?;
        txn.commit()?;
        o
    };
    let mut meta = event.1;
    meta["owner_id"] = json!(o.owner_id);
    meta["identity_assurance_level"] = json!(o.assurance().as_str());
    dd.append_audit(vec![NewEvent::new(event.0, meta).principal(&o.owner_id)])?;
    Ok(o)
}

fn parse_country(field: &str, raw: &str) -> Result<String> {
    identity::parse_country(raw).map_err(|m| field_error(ErrorCode::InvalidIdentity, field, m))
}

pub fn add_contact(dd: &DataDir, owner_id: &str, input: ContactInput) -> Result<Added> {
    let owner = dd.owner(owner_id)?;
    let ty = input.contact_type.trim().to_ascii_uppercase();
    if !identity::CONTACT_TYPES.contains(&ty.as_str()) {
        return Err(field_error(
            ErrorCode::InvalidIdentity,
            "contact_type",
            format!(
                "Unknown contact type '{ty}'. Known types: {}",
                identity::CONTACT_TYPES.join(", ")
            ),
        ));
    }
    let value = required("value", &input.value, "a contact value")?;
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    // Contacts carry no verification level; a failed check is only accepted on request.
    let (_, accepted_problem) =
        level_after_check(identity::validate_contact(&ty, &value), input.allow_invalid)?;
    let contact = Contact {
        contact_id: crate::ids::new_id(),
        contact_type: ty.clone(),
        value,
        label: clean(input.label),
        platform: clean(input.platform),
        verified: false,
        verified_at: None,
        added_at: crate::timefmt::now_string(),
    };
    let event = (
        identity_event(&owner),
        json!({"action": "add_contact", "type": ty}),
    );
    let o = update_owner(dd, &owner.owner_id, event, |o| {
        o.contact_identities.push(contact.clone());
        Ok(())
    })?;
    Ok(Added {
        owner: o,
        summary: format!("contact {} {}", contact.contact_type, contact.value),
        accepted_problem,
    })
}

fn duplicate_country(dup: &GovernmentId) -> Error {
    field_error(
        ErrorCode::AlreadyExists,
        "country",
        format!(
            "only one government ID per country: a {} for {} exists already",
            dup.id_type, dup.country
        ),
    )
    .with_hint("each person has one national ID per country; remove the old one first")
}

/// The ID type for a country: the given one (checked), or the only one the country knows.
pub fn gov_id_type(country: &str, given: Option<&str>) -> Result<String> {
    let types = gov::types_for(country);
    let t = given
        .map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty());
    match t {
        Some(t) if types.contains(&t.as_str()) => Ok(t),
        Some(t) => Err(field_error(
            ErrorCode::InvalidIdentity,
            "id_type",
            format!(
                "Unknown ID type '{t}' for country {country}. Known types: {}",
                types.join(", ")
            ),
        )),
        None if types.len() == 1 => Ok(types[0].to_string()),
        None => Err(field_error(
            ErrorCode::InvalidIdentity,
            "id_type",
            format!("choose the ID type for {country}: {}", types.join(", ")),
        )),
    }
}

pub fn add_gov_id(dd: &DataDir, owner_id: &str, input: GovIdInput) -> Result<Added> {
    let owner = dd.owner(owner_id)?;
    if owner.owner_type != OwnerType::User {
        return Err(wrong_type(&owner, "government IDs", "user"));
    }
    let country = parse_country("country", &input.country)?;
    let id_type = gov_id_type(&country, input.id_type.as_deref())?;
    let value = required("value", &input.value, "the ID number")?;
    if let Some(dup) = owner.government_ids.iter().find(|g| g.country == country) {
        return Err(duplicate_country(dup));
    }
    let (level, accepted_problem) = level_after_check(
        gov::validate(&country, &id_type, &value),
        input.allow_invalid,
    )?;
    let entry = GovernmentId {
        country: country.clone(),
        id_type: id_type.clone(),
        id_value: value,
        verification_level: level,
        verified_at: None,
        added_at: crate::timefmt::now_string(),
    };
    let event = (
        "USER_IDENTITY_UPDATED",
        json!({"action": "add_government_id", "country": country, "id_type": id_type, "verification_level": level.as_str()}),
    );
    let o = update_owner(dd, &owner.owner_id, event, |o| {
        // Checked again under the lock: another process may have added one meanwhile.
        if let Some(dup) = o.government_ids.iter().find(|g| g.country == entry.country) {
            return Err(duplicate_country(dup));
        }
        o.government_ids.push(entry.clone());
        Ok(())
    })?;
    Ok(Added {
        owner: o,
        summary: format!(
            "government ID {}/{} {} [{}]",
            entry.country,
            entry.id_type,
            mask(&entry.id_value),
            level.as_str()
        ),
        accepted_problem,
    })
}

/// A company ID type, upper-cased and checked against the known ones.
pub fn company_id_type(given: &str) -> Result<String> {
    let t = given.trim().to_ascii_uppercase();
    if !COMPANY_ID_TYPES.contains(&t.as_str()) {
        return Err(field_error(
            ErrorCode::InvalidIdentity,
            "id_type",
            format!(
                "Unknown company ID type '{t}'. Known types: {}",
                COMPANY_ID_TYPES.join(", ")
            ),
        ));
    }
    Ok(t)
}

pub fn add_company_id(dd: &DataDir, owner_id: &str, input: CompanyIdInput) -> Result<Added> {
    let owner = dd.owner(owner_id)?;
    if owner.owner_type != OwnerType::Org {
        return Err(wrong_type(&owner, "company IDs", "org"));
    }
    let id_type = company_id_type(&input.id_type)?;
    let country = match input.country.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(parse_country("country", c)?),
        _ if company::needs_country(&id_type) => {
            return Err(field_error(
                ErrorCode::InvalidIdentity,
                "country",
                format!("a {id_type} needs its country"),
            ));
        }
        _ => None,
    };
    let value = required("value", &input.value, "the ID number")?;
    let (level, accepted_problem) = level_after_check(
        company::validate(&id_type, country.as_deref(), &value),
        input.allow_invalid,
    )?;
    let entry = CompanyId {
        id_type: id_type.clone(),
        country,
        id_value: value,
        verification_level: level,
        verified_at: None,
        added_at: crate::timefmt::now_string(),
    };
    let event = (
        "ORG_UPDATED",
        json!({"org_id": owner.owner_id, "action": "add_company_id", "id_type": id_type, "verification_level": level.as_str()}),
    );
    let o = update_owner(dd, &owner.owner_id, event, |o| {
        o.company_ids.push(entry.clone());
        Ok(())
    })?;
    Ok(Added {
        owner: o,
        summary: format!(
            "company ID {} {} [{}]",
            entry.id_type,
            mask(&entry.id_value),
            level.as_str()
        ),
        accepted_problem,
    })
}

pub struct SignatoryInput {
    /// The user owner who signs.
    pub person: String,
    pub role: String,
    pub signing_authority: String,
    pub scope_description: Option<String>,
}

/// One of `allowed`, upper-cased, or an error naming the field and the choices.
fn one_of(field: &str, given: &str, allowed: &[&str]) -> Result<String> {
    let v = given.trim().to_ascii_uppercase().replace('-', "_");
    if allowed.contains(&v.as_str()) {
        return Ok(v);
    }
    Err(field_error(
        ErrorCode::InvalidIdentity,
        field,
        format!("Unknown {field} '{given}'. One of: {}", allowed.join(", ")),
    ))
}

/// Adds a signatory to an organization (upstream `owner add-signatory`): a user owner of this
/// data directory with a role and a signing authority. Audited as upstream: `ORG_UPDATED` with
/// `action: add_signatory`.
pub fn add_signatory(dd: &DataDir, org_id: &str, input: SignatoryInput) -> Result<Added> {
    let org = dd.owner(org_id)?;
    if org.owner_type != OwnerType::Org {
        return Err(wrong_type(&org, "signatories", "org"));
    }
    let role = one_of("role", &input.role, identity::SIGNATORY_ROLES)?;
    let authority = one_of(
        "signing_authority",
        &input.signing_authority,
        identity::SIGNING_AUTHORITIES,
    )?;
    let person = dd
        .owner(input.person.trim())
        .map_err(|e| e.with_details(json!({ "field": "person" })))?;
    if person.owner_type != OwnerType::User {
        return Err(field_error(
            ErrorCode::WrongOwnerType,
            "person",
            format!(
                "a signatory is a person; {} ({}) is an organization",
                person.display_name, person.owner_id
            ),
        ));
    }
    let entry = identity::Signatory {
        signatory_id: crate::ids::new_id(),
        human_owner_principal_id: person.owner_id.clone(),
        role: role.clone(),
        signing_authority: authority.clone(),
        scope_description: input
            .scope_description
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        valid_until: None,
        added_at: crate::timefmt::now_string(),
    };
    let event = (
        "ORG_UPDATED",
        json!({"org_id": org.owner_id, "action": "add_signatory", "human_owner_principal_id": person.owner_id, "role": role}),
    );
    let o = update_owner(dd, &org.owner_id, event, |o| {
        o.signatories.push(entry.clone());
        Ok(())
    })?;
    Ok(Added {
        owner: o,
        summary: format!("signatory {} as {role} ({authority})", person.display_name),
        accepted_problem: None,
    })
}

fn not_found(what: &str, key: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("no {what} '{key}' on this owner (removed meanwhile?)"),
    )
    .with_hint("reload the profile to see the current identity data")
}

pub fn remove_contact(dd: &DataDir, owner_id: &str, contact_id: &str) -> Result<Owner> {
    let owner = dd.owner(owner_id)?;
    let event = (
        identity_event(&owner),
        json!({"action": "remove_contact", "contact_id": contact_id}),
    );
    update_owner(dd, owner_id, event, |o| {
        let before = o.contact_identities.len();
        o.contact_identities.retain(|c| c.contact_id != contact_id);
        if o.contact_identities.len() == before {
            return Err(not_found("contact", contact_id));
        }
        Ok(())
    })
}

pub fn remove_gov_id(dd: &DataDir, owner_id: &str, country: &str) -> Result<Owner> {
    let country = country.trim().to_ascii_uppercase();
    let event = (
        "USER_IDENTITY_UPDATED",
        json!({"action": "remove_government_id", "country": country}),
    );
    update_owner(dd, owner_id, event, |o| {
        let before = o.government_ids.len();
        o.government_ids.retain(|g| g.country != country);
        if o.government_ids.len() == before {
            return Err(not_found("government ID for country", &country));
        }
        Ok(())
    })
}

/// Company IDs have no id of their own: one is named by its type and the time it was added.
pub fn remove_company_id(
    dd: &DataDir,
    owner_id: &str,
    id_type: &str,
    added_at: &str,
) -> Result<Owner> {
    let event = (
        "ORG_UPDATED",
        json!({"org_id": owner_id, "action": "remove_company_id", "id_type": id_type}),
    );
    update_owner(dd, owner_id, event, |o| {
        let pos = o
            .company_ids
            .iter()
            .position(|c| c.id_type == id_type && c.added_at == added_at)
            .ok_or_else(|| not_found("company ID", id_type))?;
        o.company_ids.remove(pos);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(owner_type: OwnerType) -> (tempfile::TempDir, DataDir, String) {
        let (t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let owner = Owner::new(owner_type, "Alice");
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &owner).unwrap();
        txn.commit().unwrap();
        (t, dd, owner.owner_id)
    }

    fn contact(ty: &str, value: &str, allow_invalid: bool) -> ContactInput {
        ContactInput {
            contact_type: ty.into(),
            value: value.into(),
            label: Some("  ".into()),
            platform: None,
            allow_invalid,
        }
    }

    fn gov(country: &str, id_type: Option<&str>, value: &str) -> GovIdInput {
        GovIdInput {
            country: country.into(),
            id_type: id_type.map(String::from),
            value: value.into(),
            allow_invalid: false,
        }
    }

    #[test]
    fn contacts_add_check_and_remove() {
        let (_t, dd, id) = setup(OwnerType::User);
        let e = add_contact(&dd, &id, contact("PIGEON", "x", false))
            .err()
            .unwrap();
        assert_eq!(error_field(&e), Some("contact_type"));
        let e = add_contact(&dd, &id, contact("EMAIL", "  ", false))
            .err()
            .unwrap();
        assert_eq!(error_field(&e), Some("value"));
        let e = add_contact(&dd, &id, contact("EMAIL", "not-an-email", false))
            .err()
            .unwrap();
        assert!(is_format_failure(&e), "{e:?}");
        assert_eq!(error_field(&e), Some("value"));
        assert!(dd.owner(&id).unwrap().contact_identities.is_empty());

        let a = add_contact(&dd, &id, contact("email", " a@example.com ", false)).unwrap();
        assert!(a.accepted_problem.is_none());
        let c = &a.owner.contact_identities[0];
        assert_eq!(
            (c.contact_type.as_str(), c.value.as_str()),
            ("EMAIL", "a@example.com")
        );
        assert_eq!(c.label, None, "a blank label is no label");
        let a = add_contact(&dd, &id, contact("EMAIL", "not-an-email", true)).unwrap();
        assert!(a.accepted_problem.is_some());
        assert_eq!(dd.owner(&id).unwrap().contact_identities.len(), 2);

        let e = remove_contact(&dd, &id, "nope").err().unwrap();
        assert_eq!(e.code, ErrorCode::NotFound);
        let cid = c.contact_id.clone();
        let o = remove_contact(&dd, &id, &cid).unwrap();
        assert_eq!(o.contact_identities.len(), 1);
        assert!(remove_contact(&dd, &id, &cid).is_err(), "removed once only");
    }

    #[test]
    fn gov_ids_refuse_bad_input() {
        let (_t, dd, id) = setup(OwnerType::User);
        let e = add_gov_id(&dd, &id, gov("XX", None, "1")).err().unwrap();
        assert_eq!(error_field(&e), Some("country"));
        let e = add_gov_id(&dd, &id, gov("SE", Some("PASSPORT9"), "811218-9876"))
            .err()
            .unwrap();
        assert_eq!(error_field(&e), Some("id_type"));
        let e = add_gov_id(&dd, &id, gov("SE", None, "")).err().unwrap();
        assert_eq!(error_field(&e), Some("value"));
        let e = add_gov_id(&dd, &id, gov("NL", None, "111222334"))
            .err()
            .unwrap();
        assert!(is_format_failure(&e));
        assert!(dd.owner(&id).unwrap().government_ids.is_empty());

        let a = add_gov_id(&dd, &id, gov("se", None, "811218-9876")).unwrap();
        assert_eq!(
            a.owner.government_ids[0].verification_level,
            VerificationLevel::FormatValid
        );
        assert!(a.summary.contains("*******9876") && !a.summary.contains("811218"));
        let e = add_gov_id(&dd, &id, gov("SE", None, "811218-9876"))
            .err()
            .unwrap();
        assert_eq!(
            (e.code, error_field(&e)),
            (ErrorCode::AlreadyExists, Some("country"))
        );

        assert!(remove_gov_id(&dd, &id, "DE").is_err());
        let o = remove_gov_id(&dd, &id, "se").unwrap();
        assert!(o.government_ids.is_empty());
    }

    #[test]
    fn owner_types_are_enforced() {
        let (_t, dd, user) = setup(OwnerType::User);
        let input = CompanyIdInput {
            id_type: "VAT".into(),
            country: None,
            value: "x".into(),
            allow_invalid: true,
        };
        let e = add_company_id(&dd, &user, input).err().unwrap();
        assert_eq!(e.code, ErrorCode::WrongOwnerType);
        let org = Owner::new(OwnerType::Org, "Acme");
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &org).unwrap();
        txn.commit().unwrap();
        let e = add_gov_id(&dd, &org.owner_id, gov("SE", None, "811218-9876"))
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::WrongOwnerType);
        let bad_type = CompanyIdInput {
            id_type: "NOPE".into(),
            country: None,
            value: "1".into(),
            allow_invalid: true,
        };
        let e = add_company_id(&dd, &org.owner_id, bad_type).err().unwrap();
        assert_eq!(error_field(&e), Some("id_type"));
        let unverified = CompanyIdInput {
            id_type: "VAT".into(),
            country: None,
            value: "DE000".into(),
            allow_invalid: true,
        };
        let a = add_company_id(&dd, &org.owner_id, unverified).unwrap();
        let c = a.owner.company_ids[0].clone();
        assert_eq!(c.verification_level, VerificationLevel::Unverified);
        assert!(remove_company_id(&dd, &org.owner_id, "VAT", "never").is_err());
        let o = remove_company_id(&dd, &org.owner_id, &c.id_type, &c.added_at).unwrap();
        assert!(o.company_ids.is_empty());
    }
}
