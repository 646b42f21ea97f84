//! The organization pages under `/gui/orgs` (SPEC §15, §17): the user's organizations and pending
//! invites, and per organization an overview, members, invites, agents, policies, approval
//! requests, drafts and audit. Every read and every form goes through `handlers::orgs` and
//! `handlers::org_resources`, which do the role checks; this module only asks
//! [`Op::min_role`] which buttons to draw, so a viewer sees none it cannot use, and turns a
//! refused form into a plain-language notice on the page it came from.
//!
//! An organization's pages live at `/gui/orgs/{slug}/…` (SPEC §17). Its id or a former slug in
//! that place still works: a page redirects to the current slug's address, a form just acts.

use super::layout::{self, badge, csrf, empty, page, page_head, when};
use super::{Ctx, Form, Reply};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::ListFilter;
use crate::handlers::org_resources as res;
use crate::handlers::orgs;
use crate::handlers::roles::{Actor, Op};
use crate::store::orgs::OrgRole;
use maud::{Markup, html};
use serde_json::Value;

/// How long an invite made here stays valid (the CLI's and the API's default: 7 days).
const INVITE_TTL_SECONDS: i64 = 7 * 86_400;
/// Audit events shown on an organization's audit tab (the newest).
const AUDIT_EVENTS: usize = 50;

/// The tabs of an organization's pages: path segment, label, operation that must be allowed.
const TABS: &[(&str, &str, Op)] = &[
    ("", "Overview", Op::OrgShow),
    ("members", "Members", Op::MembersList),
    ("agents", "Agents", Op::AgentsList),
    ("policies", "Policies", Op::PoliciesList),
    ("approvals", "Approvals", Op::ApprovalsList),
    ("drafts", "Drafts", Op::DraftsList),
    ("audit", "Audit", Op::AuditRead),
];

fn actor(cx: &Ctx<'_>) -> Actor {
    Actor::User(cx.owner.owner_id.clone())
}

/// Whether the signed-in user belongs to an organization or has an invitation to one (the
/// navigation shows "Orgs" then; everyone reaches `/gui/orgs` from the profile page).
pub fn has_orgs(cx: &Ctx<'_>) -> bool {
    let member = cx
        .dd()
        .user_orgs(&cx.owner.owner_id)
        .is_ok_and(|u| !u.org_ids.is_empty());
    member
        || orgs::my_invites(cx.dd(), &actor(cx), cx.now)
            .is_ok_and(|v| v["invites"].as_array().is_some_and(|a| !a.is_empty()))
}

/// A user's display name, or their id when the record is gone.
fn user_name(cx: &Ctx<'_>, id: &str) -> String {
    cx.dd()
        .owner(id)
        .map_or_else(|_| id.to_string(), |o| o.display_name)
}

/// A handler's refusal in words a person understands, with what to do about it.
fn explain(e: &Error) -> String {
    let text = match e.code {
        ErrorCode::Forbidden => {
            match e.details.as_ref().and_then(|d| d["required_role"].as_str()) {
                Some(need) => format!(
                    "Your role in this organization does not allow that (it needs {}), so nothing was changed.",
                    role_label(need)
                ),
                None => format!(
                    "{}, so nothing was changed.",
                    e.message.trim_end_matches('.')
                ),
            }
        }
        ErrorCode::LastAdmin => format!(
            "{}: an organization always keeps at least one admin, so nothing was changed.",
            e.message
        ),
        _ => format!("{}.", e.message.trim_end_matches('.')),
    };
    match &e.hint {
        Some(h) => format!("{text} Next: {h}."),
        None => text,
    }
}

/// Errors a form shows on its page; anything else (a broken data dir) is an error page.
fn shown_on_page(e: &Error) -> bool {
    e.http_status() < 500
}

fn can(role: OrgRole, op: Op) -> bool {
    role >= op.min_role()
}

fn role_label(r: &str) -> &'static str {
    match r {
        "org_admin" => "Admin",
        "org_member" => "Member",
        "org_viewer" => "Viewer",
        _ => "—",
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

/// The success notice of a redirect after an org form (fixed texts only).
fn done(cx: &Ctx<'_>) -> Markup {
    let text = match cx.req.query("done").as_deref() {
        Some("org_created") => "Organization created. You are its admin.",
        Some("invited") => "Invitation sent. The user sees it on their Organizations page.",
        Some("invite_revoked") => "Invitation revoked.",
        Some("accepted") => "Invitation accepted: you are now a member.",
        Some("declined") => "Invitation declined.",
        Some("role") => "Role changed.",
        Some("removed") => "Member removed.",
        _ => return layout::done_notice(cx),
    };
    layout::notice("ok", text)
}

// ---------------------------------------------------------------------------------------------
// /gui/orgs

pub fn index(cx: &Ctx<'_>, problem: Option<(u16, String)>) -> Result<Reply> {
    let a = actor(cx);
    let list = orgs::list(cx.dd(), &a)?;
    let list = list["organizations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let invites = orgs::my_invites(cx.dd(), &a, cx.now)?;
    let invites = invites["invites"].as_array().cloned().unwrap_or_default();
    let body = html! {
        (page_head(None, "Organizations", Some(html! { "Teams that share agents, policies and approvals. Your role decides what you can do in each." }), None))
        @if let Some((_, msg)) = &problem { (layout::notice("bad", msg)) }
        (done(cx))
        @if !invites.is_empty() {
            section.card #invites {
                h2 { "Invitations for you" }
                ul.list {
                    @for i in &invites {
                        li.item {
                            div.item-main {
                                div.item-title { "Join " strong { (s(i, "org_display_name")) } " as " (role_label(s(i, "role"))) }
                                div.item-meta {
                                    @if let Some(by) = i["invited_by_name"].as_str() { span { "from " (by) } }
                                    span { "expires " (when(s(i, "expires_at"), cx.now)) }
                                }
                            }
                            div.item-side.decide {
                                form method="post" action=(format!("/gui/orgs/invites/{}/accept", s(i, "invite_id"))) {
                                    (csrf(cx)) button.btn.approve.small type="submit" { "Accept" }
                                }
                                form method="post" action=(format!("/gui/orgs/invites/{}/decline", s(i, "invite_id"))) {
                                    (csrf(cx)) button.btn.small type="submit" { "Decline" }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { "Your organizations" }
            @if list.is_empty() {
                (empty("👥", "No organizations yet", "Create one below, or ask an organization admin to invite you."))
            } @else {
                ul.list {
                    @for o in &list {
                        li.item {
                            div.item-main {
                                div.item-title { a href=(format!("/gui/orgs/{}", s(o, "slug"))) { (s(o, "display_name")) } }
                                div.item-meta { span { "since " (when(s(o, "created_at"), cx.now)) } span.mono.small { (s(o, "org_id")) } }
                            }
                            div.item-side { span.badge { (role_label(s(o, "role"))) } }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { "New organization" }
            form method="post" action="/gui/orgs" {
                (csrf(cx))
                div.field {
                    label for="org-name" { "Name" }
                    input #org-name type="text" name="display_name" required maxlength="200" placeholder="Acme Corp";
                    div.help { "You become its admin and can invite others." }
                }
                button.btn.primary type="submit" { "Create organization" }
            }
        }
    };
    let status = problem.map_or(200, |(s, _)| s);
    Ok(Reply::html(
        status,
        page(cx, "Organizations", "orgs", false, body),
    ))
}

/// `POST /gui/orgs`: a new organization with the user as its admin.
pub fn create(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let name = form.text("display_name").unwrap_or_default();
    match orgs::create(cx.dd(), &actor(cx), &name) {
        Ok(v) => Ok(Reply::redirect(&format!(
            "/gui/orgs/{}?done=org_created",
            s(&v, "slug")
        ))),
        Err(e) if shown_on_page(&e) => index(cx, Some((e.http_status(), explain(&e)))),
        Err(e) => Err(e),
    }
}

/// `POST /gui/orgs/invites/{id}/accept|decline`: the user answers their own invitation.
pub fn answer(cx: &Ctx<'_>, invite_id: &str, verb: &str) -> Result<Reply> {
    let a = actor(cx);
    let r = if verb == "accept" {
        orgs::accept(cx.dd(), &a, invite_id, cx.now)
    } else {
        orgs::decline(cx.dd(), &a, invite_id, cx.now)
    };
    match r {
        Ok(v) if verb == "accept" => Ok(Reply::redirect(&format!(
            "{}?done=accepted",
            href(cx, s(&v, "org_id"))
        ))),
        Ok(_) => Ok(Reply::redirect("/gui/orgs?done=declined")),
        Err(e) if shown_on_page(&e) => index(cx, Some((e.http_status(), explain(&e)))),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// /gui/orgs/{slug}/…

/// The organization as the user sees it: its record and the user's role in it.
struct Org {
    id: String,
    slug: String,
    name: String,
    role: OrgRole,
    info: Value,
}

/// The organization id a URL segment names (its slug, a former slug or its id).
fn org_id(cx: &Ctx<'_>, segment: &str) -> Result<String> {
    Ok(orgs::resolve_ref(cx.dd(), segment)?.org_id().to_string())
}

fn load(cx: &Ctx<'_>, org_id: &str) -> Result<Org> {
    let info = orgs::show(cx.dd(), &actor(cx), org_id)?;
    let role = OrgRole::parse(s(&info, "your_role"))?;
    Ok(Org {
        id: s(&info, "org_id").to_string(),
        slug: s(&info, "slug").to_string(),
        name: s(&info, "display_name").to_string(),
        role,
        info,
    })
}

fn base(o: &Org) -> String {
    format!("/gui/orgs/{}", o.slug)
}

/// The address of an organization's pages, by its slug (by id if the record cannot be read:
/// that address still resolves).
fn href(cx: &Ctx<'_>, org_id: &str) -> String {
    let slug = cx
        .dd()
        .owner(org_id)
        .and_then(|o| orgs::slug_of(cx.dd(), &o))
        .unwrap_or_else(|_| org_id.to_ascii_lowercase());
    format!("/gui/orgs/{slug}")
}

/// The page frame of one organization tab: heading, tab bar (only the tabs the role may open),
/// the notice of a refused form or a redirect, then `content`.
fn frame(
    cx: &Ctx<'_>,
    o: &Org,
    tab: &str,
    problem: Option<(u16, String)>,
    content: Markup,
) -> Reply {
    let title = TABS
        .iter()
        .find(|(k, _, _)| *k == tab)
        .map_or("Overview", |(_, l, _)| *l);
    let body = html! {
        (page_head(Some(("/gui/orgs", "Organizations")), &o.name, Some(html! { "Your role: " strong { (role_label(o.role.as_str())) } }), None))
        nav.tabs aria-label="Organization" {
            @for (k, label, op) in TABS {
                @if can(o.role, *op) {
                    @let href = if k.is_empty() { base(o) } else { format!("{}/{k}", base(o)) };
                    a.active[*k == tab] href=(href) aria-current=[(*k == tab).then_some("page")] { (label) }
                }
            }
        }
        @if let Some((_, msg)) = &problem { (layout::notice("bad", msg)) }
        (done(cx))
        (content)
    };
    let status = problem.map_or(200, |(s, _)| s);
    Reply::html(
        status,
        page(cx, &format!("{title} · {}", o.name), "orgs", false, body),
    )
}

/// `GET /gui/orgs/{slug}[/{tab}]`; by id or a former slug, a redirect to that address (after
/// the role check, so it tells a non-member nothing).
pub fn page_at(cx: &Ctx<'_>, segment: &str, tab_name: &str) -> Result<Reply> {
    let r = orgs::resolve_ref(cx.dd(), segment)?;
    if let orgs::OrgRef::Moved(id) = &r {
        let o = load(cx, id)?;
        if !TABS.iter().any(|(k, _, _)| *k == tab_name) {
            return Err(super::not_found());
        }
        let to = if tab_name.is_empty() {
            base(&o)
        } else {
            format!("{}/{tab_name}", base(&o))
        };
        return Ok(Reply::redirect(&to));
    }
    tab(cx, r.org_id(), tab_name, None)
}

/// One tab of organization `org_id`, with the notice of a refused form if any.
fn tab(cx: &Ctx<'_>, org_id: &str, tab: &str, problem: Option<(u16, String)>) -> Result<Reply> {
    let o = load(cx, org_id)?;
    let content = match tab {
        "" => overview(cx, &o)?,
        "members" => members(cx, &o)?,
        "agents" => agents(cx, &o)?,
        "policies" => policies(cx, &o)?,
        "approvals" => approvals(cx, &o)?,
        "drafts" => drafts(cx, &o)?,
        "audit" => audit(cx, &o)?,
        _ => return Err(super::not_found()),
    };
    Ok(frame(cx, &o, tab, problem, content))
}

fn overview(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let a = actor(cx);
    let agents = res::list_agents(cx.dd(), &a, &o.id)?;
    // The count is the first page's total: the list itself is not read.
    let first =
        crate::handlers::page::PageRequest::new(crate::handlers::policies::LIST, Some(1), None)?;
    let policies = res::list_policies(cx.dd(), &a, &o.id, &first)?;
    let pending = if can(o.role, Op::ApprovalsList) {
        let f = ListFilter {
            status: Some(crate::store::approvals::PENDING.to_string()),
            ..Default::default()
        };
        Some(
            res::list_approvals(cx.dd(), &a, &o.id, &f)?["approval_requests"]
                .as_array()
                .map_or(0, Vec::len),
        )
    } else {
        None
    };
    let count = |v: &Value, k: &str| v[k].as_array().map_or(0, Vec::len);
    Ok(html! {
        section.card {
            h2 { "Overview" }
            dl.kv {
                dt { "Members" } dd { a href=(format!("{}/members", base(o))) { (o.info["member_count"].as_u64().unwrap_or(0)) } }
                dt { "Agents" } dd { a href=(format!("{}/agents", base(o))) { (count(&agents, "agents")) } }
                dt { "Policies" } dd { a href=(format!("{}/policies", base(o))) { (policies["total"].as_u64().unwrap_or(0)) } }
                @if let Some(n) = pending { dt { "Pending approvals" } dd { a href=(format!("{}/approvals", base(o))) { (n) } } }
                dt { "Created" } dd { (when(s(&o.info, "created_at"), cx.now)) }
                dt { "Organization id" } dd.mono.small { (o.id) }
                dt { "Address" } dd.mono.small { (base(o)) }
            }
        }
    })
}

fn role_select(name: &str, id: &str, selected: &str) -> Markup {
    html! {
        select id=(id) name=(name) {
            @for r in OrgRole::ALL.iter().rev() {
                option value=(r.as_str()) selected[r.as_str() == selected] { (role_label(r.as_str())) }
            }
        }
    }
}

fn members(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let a = actor(cx);
    let list = orgs::members(cx.dd(), &a, &o.id)?;
    let list = list["members"].as_array().cloned().unwrap_or_default();
    let admin = can(o.role, Op::MemberSetRole);
    let invites = if can(o.role, Op::InvitesList) {
        orgs::org_invites(cx.dd(), &a, &o.id, cx.now)?["invites"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(html! {
        section.card {
            h2 { "Members " span.muted { "(" (list.len()) ")" } }
            ul.list {
                @for m in &list {
                    @let uid = s(m, "user_principal_id");
                    li.item {
                        div.item-main {
                            div.item-title { (m["display_name"].as_str().unwrap_or(uid)) @if uid.eq_ignore_ascii_case(&cx.owner.owner_id) { " " span.muted { "(you)" } } }
                            div.item-meta { span.mono.small { (uid) } span { "joined " (when(s(m, "created_at"), cx.now)) } }
                        }
                        div.item-side {
                            @if admin {
                                form.inline method="post" action=(format!("{}/members/{uid}/role", base(o))) {
                                    (csrf(cx))
                                    label.sr-only for=(format!("role-{uid}")) { "Role" }
                                    (role_select("role", &format!("role-{uid}"), s(m, "role")))
                                    button.btn.small type="submit" { "Change role" }
                                }
                                form.inline method="post" action=(format!("{}/members/{uid}/remove", base(o))) data-confirm="Remove this member from the organization?" {
                                    (csrf(cx))
                                    button.btn.small.deny type="submit" { "Remove" }
                                }
                            } @else {
                                span.badge { (role_label(s(m, "role"))) }
                            }
                        }
                    }
                }
            }
        }
        @if can(o.role, Op::MemberInvite) {
            section.card {
                h2 { "Invite a user" }
                form method="post" action=(format!("{}/invites", base(o))) {
                    (csrf(cx))
                    div.field {
                        label for="inv-user" { "User id" }
                        input #inv-user type="text" name="user_principal_id" required maxlength="64" placeholder="the user's owner id (a UUID)";
                        div.help { "The user accepts on their Organizations page; the invitation is valid for 7 days." }
                    }
                    div.field { label for="inv-role" { "Role" } (role_select("role", "inv-role", "org_viewer")) }
                    button.btn.primary type="submit" { "Invite" }
                }
            }
            section.card {
                h2 { "Invitations" }
                @if invites.is_empty() {
                    (empty("✉", "No invitations", "Invitations you send show up here until they are answered."))
                } @else {
                    ul.list {
                        @for i in &invites {
                            li.item {
                                div.item-main {
                                    div.item-title { (user_name(cx, s(i, "user_principal_id"))) " as " (role_label(s(i, "role"))) }
                                    div.item-meta { span.mono.small { (s(i, "user_principal_id")) } span { "expires " (when(s(i, "expires_at"), cx.now)) } }
                                }
                                div.item-side {
                                    (badge(&s(i, "status").to_uppercase()))
                                    @if s(i, "status") == "pending" && can(o.role, Op::InviteRevoke) {
                                        form.inline method="post" action=(format!("{}/invites/{}/revoke", base(o), s(i, "invite_id"))) {
                                            (csrf(cx)) button.btn.small type="submit" { "Revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn agents(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let list = res::list_agents(cx.dd(), &actor(cx), &o.id)?;
    let list = list["agents"].as_array().cloned().unwrap_or_default();
    Ok(html! {
        section.card {
            h2 { "Agents " span.muted { "(" (list.len()) ")" } }
            @if list.is_empty() {
                (empty("🤖", "No agents yet", "An org admin adds agents with an org agent invite (`POST /v1/owner/organizations/{org_id}/agent-invites`) or moves one over."))
            } @else {
                ul.list {
                    @for ag in &list {
                        li.item {
                            div.item-main {
                                div.item-title { code { (s(ag, "agent_id")) } }
                                div.item-meta { span.mono.small { (s(ag, "agent_principal_id")) } span { "registered " (when(s(ag, "created_at"), cx.now)) } }
                            }
                            div.item-side { (badge(s(ag, "status"))) }
                        }
                    }
                }
            }
        }
    })
}

fn policies(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let req = crate::handlers::page::PageRequest::new(
        crate::handlers::policies::LIST,
        Some(super::policies::PAGE),
        cx.req.query("cursor").as_deref(),
    )?;
    let v = res::list_policies(cx.dd(), &actor(cx), &o.id, &req)?;
    let list = v["policies"].as_array().cloned().unwrap_or_default();
    let here = format!("{}/policies", base(o));
    Ok(html! {
        section.card {
            h2 { "Policies " span.muted { "(" (v["total"].as_u64().unwrap_or(0)) ")" } }
            p.small.muted { "Org policies apply to the organization's agents. Admins change them through the owner API (`…/organizations/{org_id}/policies`)." }
            @if list.is_empty() {
                (empty("📜", "No policies", "Without a policy, the organization's agents are denied."))
            } @else {
                ul.list {
                    @for p in &list {
                        li.item {
                            div.item-main {
                                div.item-title { (p["name"].as_str().unwrap_or(s(p, "policy_id"))) }
                                div.item-meta {
                                    span { "applies to " @if let Some(ag) = p["applies_to_agent_principal_id"].as_str() { "agent " code { (ag) } } @else { "every agent of the organization" } }
                                    span.mono.small { (s(p, "policy_id")) }
                                }
                                @if let Some(y) = p["policy_yaml"].as_str() {
                                    details { summary.small { "Policy text" } pre { code { (y) } } }
                                }
                            }
                        }
                    }
                }
                (layout::cursor_pager(&here, "cursor", req.after.is_some(), v["next_cursor"].as_str(), "Next →"))
            }
        }
    })
}

fn approvals(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let a = actor(cx);
    let list = res::list_approvals(cx.dd(), &a, &o.id, &ListFilter::default())?;
    let list = list["approval_requests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let decide = can(o.role, Op::ApprovalApprove);
    Ok(html! {
        section.card {
            h2 { "Approval requests " span.muted { "(" (list.len()) ")" } }
            @if list.is_empty() {
                (empty("✓", "No approval requests", "When an organization agent asks for something that needs a person, it shows up here."))
            } @else {
                ul.list {
                    @for r in &list {
                        @let id = s(r, "approval_request_id");
                        @let status = r["status"].as_str().unwrap_or_default();
                        li.item #(format!("ar-{id}")) {
                            div.item-main {
                                div.item-title { code { (s(r, "agent_id")) } " wants to " code { (s(r, "action_type")) } }
                                @if let Some(j) = r["justification"].as_str().or(r["action"]["justification"].as_str()) { div.quote { (j) } }
                                div.item-meta {
                                    span { "asked " (when(s(r, "created_at"), cx.now)) }
                                    @if status == "PENDING" { span { "expires " (when(s(r, "expires_at"), cx.now)) } }
                                    span.mono.small { (id) }
                                }
                                details { summary.small { "Action" } (layout::json_block(&r["action"])) }
                                @if decide && status == "PENDING" {
                                    (decide_forms(cx, &format!("{}/approvals/{id}", base(o)), "", id, "Approve this request?"))
                                }
                            }
                            div.item-side { (badge(status)) }
                        }
                    }
                }
            }
        }
    })
}

/// Approve and Deny (with an optional reason and, for users with TOTP, the code) for one
/// pending request or draft at `action` (`…/approve`, `…/deny`); `prefix` keeps element ids
/// unique when both kinds share a page.
fn decide_forms(cx: &Ctx<'_>, action: &str, prefix: &str, id: &str, confirm: &str) -> Markup {
    html! {
        div.decide {
            form method="post" action=(format!("{action}/approve")) data-confirm=(confirm) {
                (csrf(cx))
                (super::security::code_field(cx, &format!("{prefix}approve-totp-{id}")))
                button.btn.approve type="submit" { "Approve" }
            }
            form method="post" action=(format!("{action}/deny")) {
                (csrf(cx))
                div.field {
                    label for=(format!("{prefix}reason-{id}")) { "Reason (optional)" }
                    input id=(format!("{prefix}reason-{id}")) type="text" name="reason" maxlength="1000" placeholder="Shown to the agent";
                }
                (super::security::code_field(cx, &format!("{prefix}deny-totp-{id}")))
                button.btn.deny type="submit" { "Deny" }
            }
        }
    }
}

fn drafts(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let list = res::list_drafts(cx.dd(), &actor(cx), &o.id, None)?;
    let list = list["policy_drafts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let decide = can(o.role, Op::DraftApprove);
    Ok(html! {
        section.card {
            h2 { "Policy drafts " span.muted { "(" (list.len()) ")" } }
            @if list.is_empty() {
                (empty("📝", "No drafts", "Policies the organization's agents propose show up here."))
            } @else {
                ul.list {
                    @for d in &list {
                        li.item {
                            div.item-main {
                                div.item-title { (d["name"].as_str().unwrap_or("Unnamed draft")) " from " code { (s(d, "agent_id")) } }
                                @if let Some(j) = d["justification"].as_str() { div.quote { (j) } }
                                div.item-meta { span { "proposed " (when(s(d, "created_at"), cx.now)) } span.mono.small { (s(d, "policy_draft_id")) } }
                                details { summary.small { "Proposed policy" } pre { code { (s(d, "policy_yaml")) } } }
                                @if decide && s(d, "status") == "PENDING" {
                                    @let id = s(d, "policy_draft_id");
                                    (decide_forms(cx, &format!("{}/drafts/{id}", base(o)), "draft-", id, "Approve this draft? It becomes an active policy of the organization."))
                                }
                            }
                            div.item-side { (badge(s(d, "status"))) }
                        }
                    }
                }
            }
        }
    })
}

fn audit(cx: &Ctx<'_>, o: &Org) -> Result<Markup> {
    let filter = res::audit_filter(cx.dd(), &actor(cx), &o.id)?;
    let pg = cx.dd().audit_page(&filter, 0, AUDIT_EVENTS)?;
    Ok(html! {
        section.card {
            h2 { "Audit" }
            p.small.muted { "The newest " (AUDIT_EVENTS) " events about this organization and its agents." }
            @if pg.events.is_empty() {
                (empty("◌", "No events", "Nothing has happened in this organization yet."))
            } @else {
                ul.list {
                    @for e in &pg.events {
                        li.item {
                            div.item-main {
                                div.item-title { code { (e.event_type) } @if let Some(r) = e.metadata_json["result"].as_str() { " " (badge(r)) } }
                                div.item-meta {
                                    span { "#" (e.seq) }
                                    span { (when(&e.timestamp, cx.now)) }
                                    @if let Some(a) = e.metadata_json["agent_id"].as_str() { span { "agent " code { (a) } } }
                                }
                                details { summary.small { "Event detail" } (layout::json_block(&e.metadata_json)) }
                            }
                        }
                    }
                }
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Forms of one organization

/// The tab a form returns to, and the result of running it: a redirect with a notice, or the
/// tab again with the refusal in words.
fn after(cx: &Ctx<'_>, org_id: &str, tab: &str, done: &str, r: Result<Value>) -> Result<Reply> {
    match r {
        Ok(_) => Ok(Reply::redirect(&format!(
            "{}/{tab}?done={done}",
            href(cx, org_id)
        ))),
        Err(e) if shown_on_page(&e) => {
            // A user who lost access altogether (removed, not a member) cannot see the tab again.
            match load(cx, org_id) {
                Ok(_) => tab_or_overview(cx, org_id, tab, (e.http_status(), explain(&e))),
                Err(_) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

fn tab_or_overview(cx: &Ctx<'_>, org_id: &str, tab: &str, p: (u16, String)) -> Result<Reply> {
    match self::tab(cx, org_id, tab, Some(p.clone())) {
        Ok(r) => Ok(r),
        Err(_) => self::tab(cx, org_id, "", Some(p)),
    }
}

pub fn set_role(cx: &Ctx<'_>, org: &str, user_id: &str, form: &Form) -> Result<Reply> {
    let org_id = &org_id(cx, org)?;
    let r = OrgRole::parse(form.get("role").unwrap_or_default())
        .and_then(|role| orgs::set_role(cx.dd(), &actor(cx), org_id, user_id, role));
    after(cx, org_id, "members", "role", r)
}

pub fn remove(cx: &Ctx<'_>, org: &str, user_id: &str) -> Result<Reply> {
    let org_id = &org_id(cx, org)?;
    let r = orgs::remove_member(cx.dd(), &actor(cx), org_id, user_id);
    after(cx, org_id, "members", "removed", r)
}

pub fn invite(cx: &Ctx<'_>, org: &str, form: &Form) -> Result<Reply> {
    let org_id = &org_id(cx, org)?;
    let user = form.text("user_principal_id").unwrap_or_default();
    let r = OrgRole::parse(form.get("role").unwrap_or_default()).and_then(|role| {
        orgs::invite(
            cx.dd(),
            &actor(cx),
            org_id,
            &user,
            role,
            cx.now,
            INVITE_TTL_SECONDS,
        )
    });
    after(cx, org_id, "members", "invited", r)
}

pub fn revoke(cx: &Ctx<'_>, org: &str, invite_id: &str) -> Result<Reply> {
    let org_id = &org_id(cx, org)?;
    let r = orgs::revoke(cx.dd(), &actor(cx), org_id, invite_id);
    after(cx, org_id, "members", "invite_revoked", r)
}

/// `POST /gui/orgs/{slug}/approvals|drafts/{id}/approve|deny` (`tab` names which): the
/// handler decides and checks the role and second factor; the page reports the outcome.
pub fn resolve(
    cx: &Ctx<'_>,
    org: &str,
    tab: &str,
    id: &str,
    verb: &str,
    form: &Form,
) -> Result<Reply> {
    let org_id = &org_id(cx, org)?;
    let a = actor(cx);
    let totp = form.text("totp_code");
    let totp = totp.as_deref();
    let reason = form.text("reason");
    let (dd, reason) = (cx.dd(), reason.as_deref());
    let r = match (tab, verb == "approve") {
        ("drafts", true) => res::approve_draft(dd, &a, org_id, id, totp),
        ("drafts", false) => res::deny_draft(dd, &a, org_id, id, reason, totp),
        (_, true) => res::approve(dd, &cx.config, &a, org_id, id, totp),
        (_, false) => res::deny(dd, &a, org_id, id, reason, totp),
    };
    let done = match (tab, verb == "approve") {
        ("drafts", true) => "draft_approved",
        ("drafts", false) => "draft_denied",
        (_, true) => "approved",
        (_, false) => "denied",
    };
    after(cx, org_id, tab, done, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_sentences_with_the_fix() {
        let e = Error::new(
            ErrorCode::LastAdmin,
            "Cannot demote the last organization admin",
        )
        .with_hint("make another member org_admin first");
        let t = explain(&e);
        assert!(
            t.starts_with("Cannot demote the last organization admin:"),
            "{t}"
        );
        assert!(
            t.ends_with("Next: make another member org_admin first."),
            "{t}"
        );
        let t = explain(
            &Error::new(
                ErrorCode::Forbidden,
                "Insufficient organization permissions",
            )
            .with_details(serde_json::json!({"required_role": "org_admin"})),
        );
        assert!(t.contains("does not allow that (it needs Admin)"), "{t}");
        let t = explain(&Error::new(
            ErrorCode::Forbidden,
            "This invite is not for you",
        ));
        assert!(
            t.starts_with("This invite is not for you, so nothing"),
            "{t}"
        );
    }

    #[test]
    fn buttons_follow_the_role_table() {
        assert!(can(OrgRole::OrgAdmin, Op::ApprovalApprove));
        assert!(!can(OrgRole::OrgMember, Op::ApprovalApprove));
        assert!(can(OrgRole::OrgMember, Op::ApprovalsList));
        assert!(!can(OrgRole::OrgViewer, Op::ApprovalsList));
        assert!(!can(OrgRole::OrgViewer, Op::MemberSetRole));
        assert!(can(OrgRole::OrgViewer, Op::AuditRead));
    }
}
