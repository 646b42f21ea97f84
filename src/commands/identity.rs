//! `openleash owner add-contact|add-gov-id|add-company-id|add-signatory|validate`: identity data of owners
//! (upstream-cli §3.7, §6). Every answer is a flag; prompts fill the gaps only on a terminal.
//! ID numbers are masked (all but the last four characters) in every output, `--json` included.

use super::{Ctx, prompt};
use crate::cli::{
    AddCompanyIdArgs, AddContactArgs, AddGovIdArgs, AddSignatoryArgs, ContactTypeArg,
};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::identity as handler;
use crate::identity::{self, COMPANY_ID_TYPES, EU_COUNTRIES, company, gov, mask};
use crate::output::Output;
use crate::store::owners::{Owner, OwnerType};
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
    if !o.signatories.is_empty() {
        out.line("Signatories:");
        for s in &o.signatories {
            let scope = s
                .scope_description
                .as_deref()
                .map(|d| format!(" — {d}"))
                .unwrap_or_default();
            out.line(format!(
                "  {} as {} ({}){scope}",
                s.human_owner_principal_id, s.role, s.signing_authority
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

/// Runs an add through the handler; a failed format check is offered "Add anyway?" on a
/// terminal (then retried with `allow_invalid`), and an accepted problem is warned about.
fn run_add(
    ctx: &Ctx,
    allow_invalid: bool,
    add: impl Fn(bool) -> Result<handler::Added>,
) -> Result<u8> {
    let added = match add(allow_invalid) {
        Err(e) if handler::is_format_failure(&e) && !allow_invalid && prompt::enabled(ctx) => {
            eprintln!("  Warning: {}", e.message);
            if !prompt::confirm("Add anyway (as UNVERIFIED)?", false)? {
                return Err(e);
            }
            add(true)?
        }
        r => r?,
    };
    if let Some(msg) = &added.accepted_problem {
        crate::output::warn(&format!(
            "format validation failed ({msg}); stored as UNVERIFIED"
        ));
    }
    let o = &added.owner;
    if ctx.out.json {
        ctx.out.json_value(&full_json(o));
    } else {
        ctx.out
            .note(format!("{} {}", ctx.out.green("Added"), added.summary));
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
    };
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
    };
    run_add(ctx, a.allow_invalid, |allow_invalid| {
        handler::add_contact(
            &dd,
            &owner.owner_id,
            handler::ContactInput {
                contact_type: ty.clone(),
                value: value.clone(),
                label: label.clone(),
                platform: platform.clone(),
                allow_invalid,
            },
        )
    })
}

pub fn add_gov_id(a: AddGovIdArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let owner = dd.resolve_owner(a.owner.as_deref().or(a.owner_id.as_deref()))?;
    if owner.owner_type != OwnerType::User {
        // Asked before any prompt so nobody types an ID that cannot be stored.
        return handler::add_gov_id(
            &dd,
            &owner.owner_id,
            handler::GovIdInput {
                country: String::new(),
                id_type: None,
                value: String::new(),
                allow_invalid: false,
            },
        )
        .map(|_| 0);
    }
    let mut missing = Vec::new();
    let country = match a.country {
        Some(c) => {
            identity::parse_country(&c).map_err(|m| Error::new(ErrorCode::InvalidIdentity, m))?
        }
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
        Some(t) => Some(t),
        None if country.is_empty() || types.len() <= 1 => None,
        None if prompt::enabled(ctx) => Some(select_from("ID type", &types)?),
        None => {
            missing.push("--id-type");
            None
        }
    };
    if !country.is_empty() {
        handler::gov_id_type(&country, id_type.as_deref().or(types.first().copied()))?;
    }
    let shown_type = id_type.clone().unwrap_or_else(|| types.join("/"));
    let value = answer(ctx, a.value, "--value", &mut missing, || {
        prompt::text(&format!("Enter {shown_type}"), None, false)
    })?;
    if !missing.is_empty() {
        return Err(prompt::missing(&missing));
    }
    run_add(ctx, a.allow_invalid, |allow_invalid| {
        handler::add_gov_id(
            &dd,
            &owner.owner_id,
            handler::GovIdInput {
                country: country.clone(),
                id_type: id_type.clone(),
                value: value.clone(),
                allow_invalid,
            },
        )
    })
}

pub fn add_company_id(a: AddCompanyIdArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let owner = dd.resolve_owner(a.owner.as_deref().or(a.owner_id.as_deref()))?;
    if owner.owner_type != OwnerType::Org {
        return handler::add_company_id(
            &dd,
            &owner.owner_id,
            handler::CompanyIdInput {
                id_type: String::new(),
                country: None,
                value: String::new(),
                allow_invalid: false,
            },
        )
        .map(|_| 0);
    }
    let mut missing = Vec::new();
    let id_type = match a.id_type {
        Some(t) => handler::company_id_type(&t)?,
        None => answer(ctx, None, "--id-type", &mut missing, || {
            select_from("ID type", COMPANY_ID_TYPES)
        })?,
    };
    let country = match a.country {
        Some(c) => Some(c),
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
    run_add(ctx, a.allow_invalid, |allow_invalid| {
        handler::add_company_id(
            &dd,
            &owner.owner_id,
            handler::CompanyIdInput {
                id_type: id_type.clone(),
                country: country.clone(),
                value: value.clone(),
                allow_invalid,
            },
        )
    })
}

pub fn add_signatory(a: AddSignatoryArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let org = dd.resolve_owner(a.owner.as_deref().or(a.owner_id.as_deref()))?;
    let mut missing = Vec::new();
    let person = match a.person {
        Some(p) => p,
        None => {
            let people: Vec<Owner> = dd
                .owners()?
                .into_iter()
                .filter(|o| o.owner_type == OwnerType::User)
                .collect();
            if people.is_empty() && org.owner_type == OwnerType::Org {
                return Err(Error::new(ErrorCode::NotFound, "no users found")
                    .with_hint("create a user first: `openleash owner add --name NAME`"));
            }
            answer(ctx, None, "--person", &mut missing, || {
                let labels: Vec<String> = people
                    .iter()
                    .map(|p| format!("{} ({})", p.display_name, p.owner_id))
                    .collect();
                let i = prompt::select("Person", &labels, 0)?;
                Ok(people[i].owner_id.clone())
            })?
        }
    };
    let role = answer(ctx, a.role, "--role", &mut missing, || {
        select_from("Role", identity::SIGNATORY_ROLES)
    })?;
    let authority = answer(ctx, a.authority, "--authority", &mut missing, || {
        select_from("Signing authority", identity::SIGNING_AUTHORITIES)
    })?;
    let scope = match a.scope {
        Some(s) => Some(s),
        None if prompt::enabled(ctx) && missing.is_empty() => {
            Some(prompt::text("Scope description (optional)", None, true)?)
        }
        None => None,
    };
    if !missing.is_empty() {
        return Err(prompt::missing(&missing));
    }
    run_add(ctx, false, |_| {
        handler::add_signatory(
            &dd,
            &org.owner_id,
            handler::SignatoryInput {
                person: person.clone(),
                role: role.clone(),
                signing_authority: authority.clone(),
                scope_description: scope.clone(),
            },
        )
    })
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
