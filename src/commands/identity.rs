//! `openleash owner add-contact|add-gov-id|add-company-id|validate`: identity data of owners
//! (upstream-cli §3.7, §6). Every answer is a flag; prompts fill the gaps only on a terminal.
//! ID numbers are masked (all but the last four characters) in every output, `--json` included.

use super::{Ctx, prompt};
use crate::audit::NewEvent;
use crate::cli::{AddCompanyIdArgs, AddContactArgs, AddGovIdArgs, ContactTypeArg};
use crate::error::{Error, ErrorCode, Result};
use crate::identity::{
    self, COMPANY_ID_TYPES, CompanyId, Contact, EU_COUNTRIES, GovernmentId, VerificationLevel,
    company, gov, mask,
};
use crate::output::Output;
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};

/// `public_json` plus the (masked) identity data.
pub fn full_json(o: &Owner) -> Value {
    let mut v = o.public_json();
    if let (Some(map), Value::Object(extra)) = (v.as_object_mut(), o.identity_json()) {
        map.extend(extra);
    }
    v
}

pub fn print_identity(out: &Output, o: &Owner) {
    out.line(format!("Assurance:   {}", o.assurance().as_str()));
    if !o.contact_identities.is_empty() {
        out.line("Contact identities:");
        for c in &o.contact_identities {
            let label = c
                .label
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let state = if c.verified { "VERIFIED" } else { "UNVERIFIED" };
            out.line(format!(
                "  {}: {}{label} [{state}]",
                c.contact_type, c.value
            ));
        }
    }
    if !o.government_ids.is_empty() {
        out.line("Government IDs:");
        for g in &o.government_ids {
            out.line(format!(
                "  {}/{}: {} [{}]",
                g.country,
                g.id_type,
                mask(&g.id_value),
                g.verification_level.as_str()
            ));
        }
    }
    if !o.company_ids.is_empty() {
        out.line("Company IDs:");
        for c in &o.company_ids {
            let cc = c
                .country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            out.line(format!(
                "  {}{cc}: {} [{}]",
                c.id_type,
                mask(&c.id_value),
                c.verification_level.as_str()
            ));
        }
    }
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidIdentity, msg.into())
        .with_hint("fix the value, or pass --allow-invalid to store it as UNVERIFIED")
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

/// An answer from its flag, else a prompt on a terminal, else a note in `missing`.
fn answer(
    ctx: &Ctx,
    given: Option<String>,
    flag: &'static str,
    missing: &mut Vec<&'static str>,
    ask: impl FnOnce() -> Result<String>,
) -> Result<String> {
    match given {
        Some(v) => Ok(v),
        None if prompt::enabled(ctx) => ask(),
        None => {
            missing.push(flag);
            Ok(String::new())
        }
    }
}

fn select_from(prompt_text: &str, items: &[&str]) -> Result<String> {
    let labels: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    let i = prompt::select(prompt_text, &labels, 0)?;
    Ok(items[i].to_string())
}

/// The verification level of a value after its format check; a failure is an error unless the
/// user accepts it (`--allow-invalid`, or "Add anyway?" on a terminal) as UNVERIFIED.
fn level_after_check(
    ctx: &Ctx,
    check: std::result::Result<(), String>,
    allow_invalid: bool,
) -> Result<VerificationLevel> {
    let Err(msg) = check else {
        return Ok(VerificationLevel::FormatValid);
    };
    if allow_invalid {
        crate::output::warn(&format!(
            "format validation failed ({msg}); stored as UNVERIFIED"
        ));
        return Ok(VerificationLevel::Unverified);
    }
    if prompt::enabled(ctx) {
        eprintln!("  Warning: format validation failed: {msg}");
        if prompt::confirm("Add anyway (as UNVERIFIED)?", false)? {
            return Ok(VerificationLevel::Unverified);
        }
    }
    Err(invalid(format!("format validation failed: {msg}")))
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

fn identity_event(o: &Owner) -> &'static str {
    match o.owner_type {
        OwnerType::User => "USER_IDENTITY_UPDATED",
        OwnerType::Org => "ORG_UPDATED",
    }
}

fn report(ctx: &Ctx, o: &Owner, line: String) -> Result<u8> {
    if ctx.out.json {
        ctx.out.json_value(&full_json(o));
    } else {
        ctx.out.note(format!("{} {line}", ctx.out.green("Added")));
        ctx.out.note(format!(
            "  Identity assurance level: {}",
            o.assurance().as_str()
        ));
    }
    Ok(0)
}

pub fn add_contact(a: AddContactArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let owner = dd.resolve_owner(a.owner.as_deref().or(a.owner_id.as_deref()))?;
    let mut missing = Vec::new();
    let ty = match a.contact_type {
        Some(t) => t.as_str().to_string(),
        None => answer(ctx, None, "--type", &mut missing, || {
            select_from("Contact type", identity::CONTACT_TYPES)
        })?,
    };
    let value_prompt = match ty.as_str() {
        "EMAIL" => "Email address",
        "PHONE" => "Phone number",
        _ => "Handle/URL",
    };
    let value = answer(ctx, a.value, "--value", &mut missing, || {
        prompt::text(value_prompt, None, false)
    })?;
    if !missing.is_empty() {
        return Err(prompt::missing(&missing));
    }
    let label = match a.label {
        Some(l) => Some(l),
        None if prompt::enabled(ctx) => {
            Some(prompt::text("Label (optional, e.g. \"Work\")", None, true)?)
        }
        None => None,
    }
    .filter(|l| !l.trim().is_empty());
    let needs_platform =
        ty != ContactTypeArg::Email.as_str() && ty != ContactTypeArg::Phone.as_str();
    let platform = match a.platform {
        Some(p) => Some(p),
        None if needs_platform && prompt::enabled(ctx) => Some(prompt::text(
            "Platform (e.g. SIGNAL, LINKEDIN)",
            None,
            true,
        )?),
        None => None,
    }
    .filter(|p| !p.trim().is_empty());
    // Contacts carry no verification level; a failed check is only accepted on request.
    level_after_check(
        ctx,
        identity::validate_contact(&ty, value.trim()),
        a.allow_invalid,
    )?;
    let contact = Contact {
        contact_id: crate::ids::new_id(),
        contact_type: ty.clone(),
        value: value.trim().to_string(),
        label,
        platform,
        verified: false,
        verified_at: None,
        added_at: crate::timefmt::now_string(),
    };
    let event = (
        identity_event(&owner),
        json!({"action": "add_contact", "type": ty}),
    );
    let o = update_owner(&dd, &owner.owner_id, event, |o| {
        o.contact_identities.push(contact.clone());
        Ok(())
    })?;
    report(
        ctx,
        &o,
        format!("contact {} {}", contact.contact_type, contact.value),
    )
}

pub fn add_gov_id(a: AddGovIdArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let owner = dd.resolve_owner(a.owner.as_deref().or(a.owner_id.as_deref()))?;
    if owner.owner_type != OwnerType::User {
        return Err(wrong_type(&owner, "government IDs", "user"));
    }
    let mut missing = Vec::new();
    let country = match a.country {
        Some(c) => identity::parse_country(&c).map_err(invalid_usage)?,
        None => answer(ctx, None, "--country", &mut missing, || {
            let labels: Vec<String> = EU_COUNTRIES
                .iter()
                .map(|cc| format!("{cc} — {}", gov::types_for(cc).join(", ")))
                .collect();
            Ok(EU_COUNTRIES[prompt::select("Country", &labels, 0)?].to_string())
        })?,
    };
    let types = gov::types_for(&country);
    let id_type = match a.id_type {
        Some(t) => t.trim().to_ascii_uppercase(),
        None if types.len() == 1 => types[0].to_string(),
        None if country.is_empty() => String::new(),
        None => answer(ctx, None, "--id-type", &mut missing, || {
            select_from("ID type", &types)
        })?,
    };
    if !country.is_empty() && !types.contains(&id_type.as_str()) && !id_type.is_empty() {
        return Err(invalid_usage(format!(
            "Unknown ID type '{id_type}' for country {country}. Known types: {}",
            types.join(", ")
        )));
    }
    let value = answer(ctx, a.value, "--value", &mut missing, || {
        prompt::text(&format!("Enter {id_type}"), None, false)
    })?;
    if !missing.is_empty() {
        return Err(prompt::missing(&missing));
    }
    let value = value.trim().to_string();
    if let Some(dup) = owner.government_ids.iter().find(|g| g.country == country) {
        return Err(duplicate_country(dup));
    }
    let level = level_after_check(
        ctx,
        gov::validate(&country, &id_type, &value),
        a.allow_invalid,
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
    let o = update_owner(&dd, &owner.owner_id, event, |o| {
        // Checked again under the lock: another process may have added one meanwhile.
        if let Some(dup) = o.government_ids.iter().find(|g| g.country == entry.country) {
            return Err(duplicate_country(dup));
        }
        o.government_ids.push(entry.clone());
        Ok(())
    })?;
    report(
        ctx,
        &o,
        format!(
            "government ID {}/{} {} [{}]",
            entry.country,
            entry.id_type,
            mask(&entry.id_value),
            level.as_str()
        ),
    )
}

fn duplicate_country(dup: &GovernmentId) -> Error {
    Error::new(
        ErrorCode::AlreadyExists,
        format!(
            "only one government ID per country: a {} for {} exists already",
            dup.id_type, dup.country
        ),
    )
    .with_hint("each person has one national ID per country")
}

fn invalid_usage(msg: String) -> Error {
    Error::new(ErrorCode::InvalidIdentity, msg)
}

pub fn add_company_id(a: AddCompanyIdArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let owner = dd.resolve_owner(a.owner.as_deref().or(a.owner_id.as_deref()))?;
    if owner.owner_type != OwnerType::Org {
        return Err(wrong_type(&owner, "company IDs", "org"));
    }
    let mut missing = Vec::new();
    let id_type = match a.id_type {
        Some(t) => {
            let t = t.trim().to_ascii_uppercase();
            if !COMPANY_ID_TYPES.contains(&t.as_str()) {
                return Err(invalid_usage(format!(
                    "Unknown company ID type '{t}'. Known types: {}",
                    COMPANY_ID_TYPES.join(", ")
                )));
            }
            t
        }
        None => answer(ctx, None, "--id-type", &mut missing, || {
            select_from("ID type", COMPANY_ID_TYPES)
        })?,
    };
    let country = match a.country {
        Some(c) => Some(identity::parse_country(&c).map_err(invalid_usage)?),
        None if company::needs_country(&id_type) => {
            Some(answer(ctx, None, "--country", &mut missing, || {
                select_from("Country", EU_COUNTRIES)
            })?)
        }
        None => None,
    };
    let value = answer(ctx, a.value, "--value", &mut missing, || {
        prompt::text(&format!("Enter {id_type}"), None, false)
    })?;
    if !missing.is_empty() {
        return Err(prompt::missing(&missing));
    }
    let value = value.trim().to_string();
    let level = level_after_check(
        ctx,
        company::validate(&id_type, country.as_deref(), &value),
        a.allow_invalid,
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
    let o = update_owner(&dd, &owner.owner_id, event, |o| {
        o.company_ids.push(entry.clone());
        Ok(())
    })?;
    report(
        ctx,
        &o,
        format!(
            "company ID {} {} [{}]",
            entry.id_type,
            mask(&entry.id_value),
            level.as_str()
        ),
    )
}

/// Every failed check of an owner's stored identity data, in upstream's wording.
pub fn problems(o: &Owner) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in o.contact_identities.iter().enumerate() {
        if let Err(e) = identity::validate_contact(&c.contact_type, &c.value) {
            out.push(format!("Contact #{}: {e}", i + 1));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, g) in o.government_ids.iter().enumerate() {
        if o.owner_type != OwnerType::User {
            out.push(format!(
                "Government ID #{}: government IDs belong to user owners",
                i + 1
            ));
        }
        if seen.contains(&g.country.as_str()) {
            out.push(format!(
                "Government ID #{}: Only one government ID allowed per country. Duplicate: {}",
                i + 1,
                g.country
            ));
        }
        seen.push(&g.country);
        if let Err(e) = gov::validate(&g.country, &g.id_type, &g.id_value) {
            out.push(format!("Government ID #{}: {e}", i + 1));
        }
    }
    for (i, c) in o.company_ids.iter().enumerate() {
        if o.owner_type != OwnerType::Org {
            out.push(format!(
                "Company ID #{}: company IDs belong to org owners",
                i + 1
            ));
        }
        if let Err(e) = company::validate(&c.id_type, c.country.as_deref(), &c.id_value) {
            out.push(format!("Company ID #{}: {e}", i + 1));
        }
    }
    out
}

pub fn validate(owner_id: Option<String>, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let o = dd.resolve_owner(owner_id.as_deref())?;
    let problems = problems(&o);
    let level = o.assurance();
    if ctx.out.json {
        ctx.out.json_value(&json!({
            "owner_id": o.owner_id,
            "valid": problems.is_empty(),
            "errors": problems,
            "identity_assurance_level": level.as_str(),
        }));
    } else {
        for p in &problems {
            ctx.out.line(format!("  {p}"));
        }
        if problems.is_empty() {
            ctx.out.line("  All identity checks passed.");
        }
        ctx.out
            .line(format!("  Identity assurance level: {}", level.as_str()));
    }
    Ok(u8::from(!problems.is_empty()))
}
