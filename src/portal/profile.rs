//! The profile's identity forms: add/remove contacts, government IDs (people) and company IDs
//! (organizations). Every rule is in `handlers::identity` (shared with `openleash owner add-…`);
//! this only renders the forms, shows a refused value's error next to its field and redirects
//! after a change (POST-redirect-GET).

use super::layout::{badge, csrf};
use super::{Ctx, Form, Reply};
use crate::error::{Error, Result};
use crate::handlers::identity as handler;
use crate::identity::{COMPANY_ID_TYPES, CONTACT_TYPES, EU_COUNTRIES, gov, mask};
use crate::store::owners::OwnerType;
use maud::{Markup, html};

/// A refused identity form: which form, the field the error is about, the message, and what the
/// person typed (re-filled so nothing has to be typed twice).
pub struct Problem {
    pub form: &'static str,
    pub field: String,
    pub message: String,
    pub values: Vec<(String, String)>,
}

impl Problem {
    fn value(&self, form: &str, name: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

fn field_error(p: Option<&Problem>, form: &str, field: &str) -> Markup {
    html! {
        @if let Some(p) = p.filter(|p| p.form == form && p.field == field) {
            div.field-error role="alert" id=(format!("{form}-{field}-error")) { (p.message) }
        }
    }
}

fn val(p: Option<&Problem>, form: &str, name: &str) -> String {
    p.map(|p| p.value(form, name)).unwrap_or_default()
}

/// The identity card of the profile page.
pub fn identity_card(cx: &Ctx<'_>, p: Option<&Problem>) -> Markup {
    let o = &cx.owner;
    let is_user = o.owner_type == OwnerType::User;
    html! {
        section.card #identity {
            h2 { "Identity" }
            p.small.muted { "Assurance level: " strong { (o.assurance().as_str()) } ". Values are checked by the same validators as " code { "openleash owner add-contact" } "." }
            (field_error(p, "remove", "value"))
            h3 { "Contacts" }
            @if o.contact_identities.is_empty() { p.muted { "No contacts yet." } } @else {
                div.table-wrap { table {
                    thead { tr { th { "Type" } th { "Value" } th { "Label" } th { "" } } }
                    tbody { @for c in &o.contact_identities { tr {
                        td { (c.contact_type) @if let Some(pf) = &c.platform { " · " (pf) } }
                        td { (c.value) " " (badge(if c.verified { "VERIFIED" } else { "UNVERIFIED" })) }
                        td { @if let Some(l) = &c.label { (l) } }
                        td { form method="post" action=(format!("/gui/profile/contacts/{}/remove", super::url_encode(&c.contact_id))) data-confirm="Remove this contact?" {
                            (csrf(cx)) button.btn.small.danger type="submit" { "Remove" }
                        } }
                    } } }
                } }
            }
            form method="post" action="/gui/profile/contacts" #add-contact {
                (csrf(cx))
                div.field {
                    label for="contact_type" { "Contact type" }
                    select #contact_type name="contact_type" {
                        @for t in CONTACT_TYPES { option value=(t) selected[val(p, "contact", "contact_type") == *t] { (t) } }
                    }
                    (field_error(p, "contact", "contact_type"))
                }
                div.field {
                    label for="contact_value" { "Value" }
                    input #contact_value type="text" name="value" required maxlength="320" value=(val(p, "contact", "value")) placeholder="name@example.com";
                    (field_error(p, "contact", "value"))
                }
                div.field { label for="contact_label" { "Label (optional)" } input #contact_label type="text" name="label" maxlength="100" value=(val(p, "contact", "label")); }
                div.field { label for="contact_platform" { "Platform (for messaging and social)" } input #contact_platform type="text" name="platform" maxlength="100" value=(val(p, "contact", "platform")); }
                (store_anyway("contact"))
                button.btn.primary type="submit" { "Add contact" }
            }
            @if is_user {
                h3 { "Government IDs" }
                @if o.government_ids.is_empty() { p.muted { "No government IDs yet." } } @else {
                    div.table-wrap { table {
                        thead { tr { th { "Country" } th { "Type" } th { "Number" } th { "Level" } th { "" } } }
                        tbody { @for g in &o.government_ids { tr {
                            td { (g.country) } td { (g.id_type) } td.mono { (mask(&g.id_value)) }
                            td { (badge(g.verification_level.as_str())) }
                            td { form method="post" action=(format!("/gui/profile/gov-ids/{}/remove", super::url_encode(&g.country))) data-confirm="Remove this government ID?" {
                                (csrf(cx)) button.btn.small.danger type="submit" { "Remove" }
                            } }
                        } } }
                    } }
                }
                form method="post" action="/gui/profile/gov-ids" #add-gov-id {
                    (csrf(cx))
                    div.field {
                        label for="gov_country" { "Country" }
                        select #gov_country name="country" {
                            @for c in EU_COUNTRIES { option value=(c) selected[val(p, "gov", "country") == *c] { (c) " — " (gov::types_for(c).join(", ")) } }
                        }
                        (field_error(p, "gov", "country"))
                    }
                    div.field {
                        label for="gov_type" { "ID type (when the country has several)" }
                        input #gov_type type="text" name="id_type" maxlength="40" value=(val(p, "gov", "id_type"));
                        (field_error(p, "gov", "id_type"))
                    }
                    div.field {
                        label for="gov_value" { "Number" }
                        input #gov_value type="text" name="value" required maxlength="64" autocomplete="off" value=(val(p, "gov", "value"));
                        div.help { "Shown masked (last four characters) everywhere after it is stored." }
                        (field_error(p, "gov", "value"))
                    }
                    (store_anyway("gov"))
                    button.btn.primary type="submit" { "Add government ID" }
                }
            } @else {
                h3 { "Company IDs" }
                @if o.company_ids.is_empty() { p.muted { "No company IDs yet." } } @else {
                    div.table-wrap { table {
                        thead { tr { th { "Type" } th { "Country" } th { "Number" } th { "Level" } th { "" } } }
                        tbody { @for c in &o.company_ids { tr {
                            td { (c.id_type) } td { @if let Some(cc) = &c.country { (cc) } } td.mono { (mask(&c.id_value)) }
                            td { (badge(c.verification_level.as_str())) }
                            td { form method="post" action="/gui/profile/company-ids/remove" data-confirm="Remove this company ID?" {
                                (csrf(cx))
                                input type="hidden" name="id_type" value=(c.id_type);
                                input type="hidden" name="added_at" value=(c.added_at);
                                button.btn.small.danger type="submit" { "Remove" }
                            } }
                        } } }
                    } }
                }
                form method="post" action="/gui/profile/company-ids" #add-company-id {
                    (csrf(cx))
                    div.field {
                        label for="company_type" { "ID type" }
                        select #company_type name="id_type" {
                            @for t in COMPANY_ID_TYPES { option value=(t) selected[val(p, "company", "id_type") == *t] { (t) } }
                        }
                        (field_error(p, "company", "id_type"))
                    }
                    div.field {
                        label for="company_country" { "Country (when the type needs one)" }
                        input #company_country type="text" name="country" maxlength="2" value=(val(p, "company", "country"));
                        (field_error(p, "company", "country"))
                    }
                    div.field {
                        label for="company_value" { "Number" }
                        input #company_value type="text" name="value" required maxlength="64" autocomplete="off" value=(val(p, "company", "value"));
                        (field_error(p, "company", "value"))
                    }
                    (store_anyway("company"))
                    button.btn.primary type="submit" { "Add company ID" }
                }
            }
        }
    }
}

fn store_anyway(form: &str) -> Markup {
    let id = format!("{form}_allow_invalid");
    html! {
        div.field.check {
            input #(id) type="checkbox" name="allow_invalid" value="1";
            label for=(id) { "Store anyway as UNVERIFIED if the format check fails" }
        }
    }
}

/// A handler error that names a field becomes a re-rendered form with the message next to it;
/// anything else (unknown owner, I/O) goes to the portal's error page.
fn refused(cx: &Ctx<'_>, form_name: &'static str, form: &Form, e: Error) -> Result<Reply> {
    let Some(field) = handler::error_field(&e).map(String::from) else {
        return Err(e);
    };
    let mut message = e.message.clone();
    if let Some(h) = &e.hint {
        message.push_str(&format!(" ({h})"));
    }
    let problem = Problem {
        form: form_name,
        field,
        message,
        values: form
            .pairs()
            .iter()
            .filter(|(k, _)| k != "csrf")
            .cloned()
            .collect(),
    };
    super::pages::profile_page(cx, Some((e.http_status(), String::new())), Some(&problem))
}

fn allow(form: &Form) -> bool {
    form.get("allow_invalid").is_some()
}

pub fn add_contact(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let input = handler::ContactInput {
        contact_type: form.text("contact_type").unwrap_or_default(),
        value: form.text("value").unwrap_or_default(),
        label: form.text("label"),
        platform: form.text("platform"),
        allow_invalid: allow(form),
    };
    match handler::add_contact(cx.dd(), &cx.owner.owner_id, input) {
        Ok(_) => Ok(Reply::redirect("/gui/profile?done=identity_added")),
        Err(e) => refused(cx, "contact", form, e),
    }
}

pub fn add_gov_id(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let input = handler::GovIdInput {
        country: form.text("country").unwrap_or_default(),
        id_type: form.text("id_type"),
        value: form.text("value").unwrap_or_default(),
        allow_invalid: allow(form),
    };
    match handler::add_gov_id(cx.dd(), &cx.owner.owner_id, input) {
        Ok(_) => Ok(Reply::redirect("/gui/profile?done=identity_added")),
        Err(e) => refused(cx, "gov", form, e),
    }
}

pub fn add_company_id(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let input = handler::CompanyIdInput {
        id_type: form.text("id_type").unwrap_or_default(),
        country: form.text("country"),
        value: form.text("value").unwrap_or_default(),
        allow_invalid: allow(form),
    };
    match handler::add_company_id(cx.dd(), &cx.owner.owner_id, input) {
        Ok(_) => Ok(Reply::redirect("/gui/profile?done=identity_added")),
        Err(e) => refused(cx, "company", form, e),
    }
}

pub fn remove_contact(cx: &Ctx<'_>, id: &str) -> Result<Reply> {
    handler::remove_contact(cx.dd(), &cx.owner.owner_id, id)?;
    Ok(Reply::redirect("/gui/profile?done=identity_removed"))
}

pub fn remove_gov_id(cx: &Ctx<'_>, country: &str) -> Result<Reply> {
    handler::remove_gov_id(cx.dd(), &cx.owner.owner_id, country)?;
    Ok(Reply::redirect("/gui/profile?done=identity_removed"))
}

pub fn remove_company_id(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    handler::remove_company_id(
        cx.dd(),
        &cx.owner.owner_id,
        &form.text("id_type").unwrap_or_default(),
        &form.text("added_at").unwrap_or_default(),
    )?;
    Ok(Reply::redirect("/gui/profile?done=identity_removed"))
}
