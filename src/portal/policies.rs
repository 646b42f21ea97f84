//! Policies: list with bindings, view, edit (validated like `policy validate`, diagnostics at
//! line:col before anything is written, then a diff to confirm), create from a profile, delete
//! with confirmation — all on `handlers::policies`.

use super::drafts::diagnostics;
use super::layout::{self, badge, csrf, empty, page, page_head, when};
use super::{Ctx, Form, Reply};
use crate::error::{ErrorCode, Result};
use crate::handlers::policies;
use crate::policy::diag::Diagnostic;
use maud::{Markup, html};
use serde_json::Value;

fn agent_names(cx: &Ctx<'_>) -> Vec<(String, String)> {
    crate::handlers::agents::list(cx.dd(), cx.scope())
        .unwrap_or_default()
        .into_iter()
        .map(|a| (a.agent_principal_id, a.agent_id))
        .collect()
}

/// The names of the agents a page of policies applies to: only those agents' records are read.
fn agent_names_of(cx: &Ctx<'_>, items: &[Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for pid in items
        .iter()
        .filter_map(|v| v["applies_to_agent_principal_id"].as_str())
    {
        if out.iter().any(|(p, _)| p.eq_ignore_ascii_case(pid)) {
            continue;
        }
        if let Ok(a) = crate::handlers::agents::get(cx.dd(), cx.scope(), pid) {
            out.push((a.agent_principal_id, a.agent_id));
        }
    }
    out
}

fn applies_to(v: &Value, agents: &[(String, String)]) -> Markup {
    match v["applies_to_agent_principal_id"].as_str() {
        Some(pid) => {
            let name = agents
                .iter()
                .find(|(p, _)| p.eq_ignore_ascii_case(pid))
                .map_or(pid, |(_, n)| n.as_str());
            html! { "agent " code { (name) } }
        }
        None if v["rank"].is_null() => html! { span.muted { "not bound" } },
        None => html! { "all your agents" },
    }
}

/// Policies per portal page.
pub(super) const PAGE: usize = 25;

pub fn list(cx: &Ctx<'_>) -> Result<Reply> {
    // Keyset pages of the owner list (the handler's order and cursors).
    let req = crate::handlers::page::PageRequest::new(
        policies::LIST,
        Some(PAGE),
        cx.req.query("cursor").as_deref(),
    )?;
    let v = policies::list_for_owner_page(cx.dd(), &cx.owner.owner_id, &req)?;
    let items = v["policies"].as_array().cloned().unwrap_or_default();
    let agents = agent_names_of(cx, &items);
    let body = html! {
        (page_head(None, "Policies", Some(html! { "The rules your agents are held to. Agent-specific policies come before owner-wide ones." }), Some(html! { a.btn.primary href="/gui/policies/new" { "New policy" } })))
        (layout::done_notice(cx))
        section.card {
            @if items.is_empty() {
                (empty("📄", "No policies yet", "Without a policy every request is refused (NO_POLICY). Start from a profile."))
            } @else {
                ul.list {
                    @for p in &items {
                        @let id = p["policy_id"].as_str().unwrap_or_default();
                        li.item {
                            div.item-main {
                                div.item-title { a href=(format!("/gui/policies/{id}")) { (p["name"].as_str().unwrap_or("Unnamed policy")) } }
                                @if let Some(d) = p["description"].as_str() { p.small { (d) } }
                                div.item-meta {
                                    span { "applies to " (applies_to(p, &agents)) }
                                    @if let Some(r) = p["rank"].as_i64() { span { "rank " (r) } }
                                    @if let Some(u) = p["updated_at"].as_str().or(p["created_at"].as_str()) { span { "changed " (when(u, cx.now)) } }
                                }
                            }
                            div.item-side { @if p.get("error").is_some() { (badge("BROKEN")) } }
                        }
                    }
                }
                (layout::cursor_pager("/gui/policies", "cursor", req.after.is_some(), v["next_cursor"].as_str(), "Next →"))
            }
        }
    };
    Ok(Reply::html(
        200,
        page(cx, "Policies", "policies", false, body),
    ))
}

pub fn view(cx: &Ctx<'_>, id: &str) -> Result<Reply> {
    let p = policies::get_for_owner(cx.dd(), &cx.owner.owner_id, id)?;
    let pid = p["policy_id"].as_str().unwrap_or(id).to_string();
    let text = p["policy_yaml"].as_str().unwrap_or_default().to_string();
    let checked = crate::policy::check_policy("policy.yaml", text.as_bytes());
    let agents = agent_names(cx);
    let bindings: Vec<(Option<String>, i64)> = cx
        .dd()
        .policy_view(&pid)?
        .bindings
        .iter()
        .filter(|b| b.policy_id.eq_ignore_ascii_case(&pid))
        .map(|b| (b.agent_principal_id.clone(), b.effective_rank()))
        .collect();
    let name_of = |apid: &str| {
        agents
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(apid))
            .map_or_else(|| apid.to_string(), |(_, n)| n.clone())
    };
    let body = html! {
        (page_head(Some(("/gui/policies", "Policies")), p["name"].as_str().unwrap_or("Unnamed policy"), Some(html! { "Applies to " (applies_to(&p, &agents)) }), Some(html! {
            a.btn.primary href=(format!("/gui/policies/{pid}/edit")) { "Edit" }
        })))
        (layout::done_notice(cx))
        @if let Some(d) = p["description"].as_str() { section.card { p { (d) } } }
        section.card {
            h2 { "Policy" }
            (diagnostics(&checked.diagnostics))
            pre { code { (text) } }
        }
        section.card {
            h2 { "Applies to" }
            @if bindings.is_empty() {
                p.muted { "Not bound: this policy decides nothing until you bind it." }
            } @else {
                ul.list {
                    @for (agent, rank) in &bindings {
                        li.item {
                            div.item-main {
                                div.item-title { @match agent { Some(pid) => { "Agent " code { (name_of(pid)) } }, None => { "All my agents (owner-wide)" } } }
                                div.item-meta { span { "rank " (rank) } }
                            }
                            div.item-side {
                                form method="post" action=(format!("/gui/policies/{pid}/unbind")) data-confirm="Unbind? Agents it applied to fall back to their other policies." {
                                    (csrf(cx))
                                    input type="hidden" name="agent" value=(agent.clone().unwrap_or_default());
                                    (super::security::code_field(cx, &format!("unbind_totp_{}", agent.clone().unwrap_or_default())))
                                    button.btn.small type="submit" { "Unbind" }
                                }
                            }
                        }
                    }
                }
            }
            form.filters method="post" action=(format!("/gui/policies/{pid}/bind")) {
                (csrf(cx))
                div.field {
                    label for="bind-agent" { "Bind to" }
                    select #bind-agent name="agent" {
                        option value="" { "All my agents (owner-wide)" }
                        @for (apid, name) in &agents { option value=(apid) { "Only " (name) } }
                    }
                }
                div.field { label for="bind-rank" { "Rank" } input #bind-rank type="number" name="rank" placeholder="100" min="0" max="1000000"; }
                (super::security::code_field(cx, "bind_totp"))
                div.field { button.btn.primary type="submit" { "Bind" } }
            }
        }
        section.card {
            h2 { "Delete" }
            p { "Removes the policy and its bindings. Agents it applied to fall back to their other policies (or NO_POLICY)." }
            form method="post" action=(format!("/gui/policies/{pid}/delete")) data-confirm="Delete this policy and its bindings?" {
                (csrf(cx))
                (super::security::code_field(cx, "delete_totp"))
                button.btn.danger type="submit" { "Delete policy" }
            }
        }
    };
    Ok(Reply::html(
        200,
        page(cx, "Policy", "policies", false, body),
    ))
}

fn edit_markup(cx: &Ctx<'_>, pid: &str, name: &str, text: &str, diags: &[Diagnostic]) -> Markup {
    let errors = diags
        .iter()
        .filter(|d| d.severity.as_str() == "error")
        .count();
    let back = format!("/gui/policies/{pid}");
    let title = format!("Edit {name}");
    html! {
        (page_head(Some((back.as_str(), name)), &title, Some(html! { "Checked like " code { "openleash policy validate" } " before anything is saved." }), None))
        @if errors > 0 {
            (layout::notice("bad", &format!("{errors} error(s): nothing was saved. Fix them and review again.")))
        }
        @if !diags.is_empty() { section.card { h2 { "Diagnostics" } (diagnostics(diags)) } }
        section.card {
            form method="post" action=(format!("/gui/policies/{pid}/edit")) {
                (csrf(cx))
                input type="hidden" name="step" value="review";
                div.field {
                    label for="policy_yaml" { "Policy YAML" }
                    textarea.code #policy_yaml name="policy_yaml" spellcheck="false" autocapitalize="none" { (text) }
                }
                div.actions {
                    button.btn.primary type="submit" { "Review changes" }
                    a.btn href=(format!("/gui/policies/{pid}")) { "Cancel" }
                }
            }
        }
    }
}

pub fn edit_form(cx: &Ctx<'_>, id: &str) -> Result<Reply> {
    let p = policies::get_for_owner(cx.dd(), &cx.owner.owner_id, id)?;
    let pid = p["policy_id"].as_str().unwrap_or(id);
    let name = p["name"].as_str().unwrap_or("policy");
    let text = p["policy_yaml"].as_str().unwrap_or_default();
    let body = edit_markup(cx, pid, name, text, &[]);
    Ok(Reply::html(
        200,
        page(cx, "Edit policy", "policies", false, body),
    ))
}

/// A unified diff of the stored text against the edited one.
fn unified(old: &str, new: &str) -> Markup {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header("stored", "edited")
        .to_string();
    html! {
        pre.diff {
            code {
                @for line in text.lines() {
                    @let class = if line.starts_with("@@") { "hunk" } else if line.starts_with('+') { "add" } else if line.starts_with('-') { "del" } else { "" };
                    span class=(class) { (line) }
                }
            }
        }
    }
}

/// `POST /gui/policies/{id}/edit`: `step=review` validates and shows the diff (or the
/// diagnostics, writing nothing); `step=save` writes through `update_for_owner`.
pub fn edit_submit(cx: &Ctx<'_>, id: &str, form: &Form) -> Result<Reply> {
    let p = policies::get_for_owner(cx.dd(), &cx.owner.owner_id, id)?;
    let pid = p["policy_id"].as_str().unwrap_or(id).to_string();
    let name = p["name"].as_str().unwrap_or("policy").to_string();
    let stored = p["policy_yaml"].as_str().unwrap_or_default().to_string();
    // Browsers submit textarea line breaks as CRLF.
    let text = form
        .get("policy_yaml")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let checked = crate::policy::check_policy("policy.yaml", text.as_bytes());
    if checked.policy.is_none() || text.trim().is_empty() {
        let body = edit_markup(cx, &pid, &name, &text, &checked.diagnostics);
        return Ok(Reply::html(
            422,
            page(cx, "Edit policy", "policies", false, body),
        ));
    }
    if form.get("step") == Some("save") {
        let update = policies::PolicyUpdate {
            text: Some(text),
            ..Default::default()
        };
        return match policies::update_for_owner(
            cx.dd(),
            &cx.owner.owner_id,
            &pid,
            update,
            form.text("totp_code").as_deref(),
        ) {
            Ok(_) => Ok(Reply::redirect(&format!("/gui/policies/{pid}?done=saved"))),
            Err(e) if e.code == ErrorCode::InvalidPolicy => {
                let body = edit_markup(
                    cx,
                    &pid,
                    &name,
                    form.get("policy_yaml").unwrap_or_default(),
                    &checked.diagnostics,
                );
                Ok(Reply::html(
                    422,
                    page(cx, "Edit policy", "policies", false, body),
                ))
            }
            Err(e) => Err(e),
        };
    }
    let back = format!("/gui/policies/{pid}");
    let body = html! {
        (page_head(Some((back.as_str(), name.as_str())), "Review changes", Some(html! { "The policy is valid. Check the difference, then save." }), None))
        @if !checked.diagnostics.is_empty() { section.card { h2 { "Warnings" } (diagnostics(&checked.diagnostics)) } }
        section.card {
            h2 { "Difference" }
            @if stored == text { p.muted { "No changes." } } @else { (unified(&stored, &text)) }
            div.actions {
                form method="post" action=(format!("/gui/policies/{pid}/edit")) {
                    (csrf(cx))
                    input type="hidden" name="step" value="save";
                    input type="hidden" name="policy_yaml" value=(text);
                    (super::security::code_field(cx, "save_totp"))
                    button.btn.primary type="submit" { "Save policy" }
                }
                form method="post" action=(format!("/gui/policies/{pid}/edit")) {
                    (csrf(cx))
                    input type="hidden" name="step" value="edit";
                    input type="hidden" name="policy_yaml" value=(text);
                    button.btn type="submit" { "Back to editing" }
                }
            }
        }
    };
    if form.get("step") == Some("edit") {
        let body = edit_markup(cx, &pid, &name, &text, &checked.diagnostics);
        return Ok(Reply::html(
            200,
            page(cx, "Edit policy", "policies", false, body),
        ));
    }
    Ok(Reply::html(
        200,
        page(cx, "Review policy", "policies", false, body),
    ))
}

fn new_markup(cx: &Ctx<'_>, form: &Form, diags: &[Diagnostic]) -> Markup {
    let agents = agent_names(cx);
    let profile = form.get("profile").unwrap_or("balanced");
    let text = form
        .get("policy_yaml")
        .map(str::to_string)
        .unwrap_or_else(|| {
            crate::profiles::ALL
                .iter()
                .find(|(p, _, _)| p.name() == profile)
                .map(|(p, _, _)| crate::profiles::yaml(*p).to_string())
                .unwrap_or_default()
        });
    let errors = diags
        .iter()
        .filter(|d| d.severity.as_str() == "error")
        .count();
    html! {
        (page_head(Some(("/gui/policies", "Policies")), "New policy", Some(html! { "Start from a profile, adjust, and bind it to all your agents or one." }), None))
        @if errors > 0 { (layout::notice("bad", &format!("{errors} error(s): nothing was created."))) }
        @if !diags.is_empty() { section.card { (diagnostics(diags)) } }
        section.card {
            h2 { "Start from a profile" }
            form.actions method="get" action="/gui/policies/new" {
                @for (p, max, summary) in crate::profiles::ALL {
                    button.btn type="submit" name="profile" value=(p.name()) title=(summary) {
                        (p.name()) " " span.muted.small { "≤ " (crate::handlers::summary::format_amount(*max as i64, Some("USD"))) }
                    }
                }
            }
        }
        section.card {
            form method="post" action="/gui/policies/new" {
                (csrf(cx))
                div.field { label for="name" { "Name" } input #name type="text" name="name" value=(form.get("name").unwrap_or(profile)) maxlength="200"; }
                div.field { label for="description" { "Description" } input #description type="text" name="description" value=(form.get("description").unwrap_or_default()) maxlength="1000"; }
                div.field {
                    label for="agent" { "Applies to" }
                    select #agent name="agent" {
                        option value="" { "All my agents (owner-wide)" }
                        @for (pid, name) in &agents { option value=(pid) selected[form.get("agent") == Some(pid.as_str())] { "Only " (name) } }
                    }
                }
                div.field { label for="policy_yaml" { "Policy YAML" } textarea.code #policy_yaml name="policy_yaml" spellcheck="false" { (text) } }
                (super::security::code_field(cx, "create_totp"))
                button.btn.primary type="submit" { "Create policy" }
            }
        }
    }
}

pub fn new_form(cx: &Ctx<'_>, _form: &Form) -> Result<Reply> {
    // The profile buttons submit a GET form: read them from the query.
    let q = Form(
        cx.req
            .query("profile")
            .map(|p| vec![("profile".to_string(), p)])
            .unwrap_or_default(),
    );
    Ok(Reply::html(
        200,
        page(cx, "New policy", "policies", false, new_markup(cx, &q, &[])),
    ))
}

pub fn create(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let text = form
        .get("policy_yaml")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let checked = crate::policy::check_policy("policy.yaml", text.as_bytes());
    if checked.policy.is_none() {
        return Ok(Reply::html(
            422,
            page(
                cx,
                "New policy",
                "policies",
                false,
                new_markup(cx, form, &checked.diagnostics),
            ),
        ));
    }
    let v = policies::create_for_owner(
        cx.dd(),
        &cx.owner,
        &text,
        form.text("agent").as_deref(),
        form.text("name"),
        form.text("description"),
        form.text("totp_code").as_deref(),
    )?;
    let pid = v["policy_id"].as_str().unwrap_or_default();
    Ok(Reply::redirect(&format!(
        "/gui/policies/{pid}?done=created"
    )))
}

pub fn delete(cx: &Ctx<'_>, id: &str, form: &Form) -> Result<Reply> {
    policies::delete(
        cx.dd(),
        Some(&cx.owner.owner_id),
        id,
        form.text("totp_code").as_deref(),
    )?;
    Ok(Reply::redirect("/gui/policies?done=deleted"))
}

/// `POST /gui/policies/{id}/bind`: owner-wide (empty `agent`) or to one of the owner's agents.
pub fn bind(cx: &Ctx<'_>, id: &str, form: &Form) -> Result<Reply> {
    let rank = match form.text("rank") {
        None => None,
        Some(r) => Some(r.parse::<i64>().map_err(|_| {
            crate::error::Error::new(
                ErrorCode::InvalidRequest,
                format!("rank must be a whole number, not {r:?}"),
            )
            .with_hint("leave it empty for the default (100); lower ranks come first")
        })?),
    };
    policies::get_for_owner(cx.dd(), &cx.owner.owner_id, id)?;
    policies::bind(
        cx.dd(),
        &cx.owner,
        id,
        form.text("agent").as_deref(),
        rank,
        form.text("totp_code").as_deref(),
    )?;
    Ok(Reply::redirect(&format!(
        "/gui/policies/{}?done=bound",
        id.to_ascii_lowercase()
    )))
}

/// `POST /gui/policies/{id}/unbind`: removes the owner-wide binding (empty `agent`) or the one to
/// an agent.
pub fn unbind(cx: &Ctx<'_>, id: &str, form: &Form) -> Result<Reply> {
    policies::get_for_owner(cx.dd(), &cx.owner.owner_id, id)?;
    let agent = form.text("agent");
    policies::unbind(
        cx.dd(),
        id,
        Some(&cx.owner.owner_id),
        Some(agent.as_deref()),
        form.text("totp_code").as_deref(),
    )?;
    Ok(Reply::redirect(&format!(
        "/gui/policies/{}?done=unbound",
        id.to_ascii_lowercase()
    )))
}
