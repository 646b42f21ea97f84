//! Organizations and membership (SPEC §17): create, list, show, update, delete; members and
//! their roles; invites (7 days) with accept, decline and revoke; leave. Shared by `openleash org
//! …` and `/v1/owner/organizations…`. Every operation that needs a role calls
//! [`roles::require`] first, and every membership or role change is written together with its
//! audit event under the writer lock.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::owner::OwnerKinds;
use crate::handlers::page::{self, PageRequest};
use crate::handlers::roles::{self, Actor, Op};
use crate::ids;
use crate::store::orgs::{InviteStatus, Members, Membership, OrgInvite, OrgRole};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, Txn, WriteLock};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// How long an organization invite stays valid (as upstream).
pub const INVITE_TTL_SECONDS: i64 = 7 * 24 * 60 * 60;

/// An org event; its `org_id` is also written as `owner_id`, so the org's audit trail (filtered
/// by owner like everyone's) shows its membership history.
fn event(kind: &str, actor: &Actor, mut metadata: Value) -> NewEvent {
    if let Some(org) = metadata.get("org_id").cloned() {
        metadata["owner_id"] = org;
    }
    let ev = NewEvent::new(kind, metadata);
    match actor.user_id() {
        Some(u) => ev.principal(u),
        None => ev,
    }
}

/// Commits `txn` and appends `events` while `lock` is held: the change and its audit line are
/// one critical section.
fn commit(dd: &DataDir, lock: &WriteLock, txn: Txn, events: Vec<NewEvent>) -> Result<()> {
    txn.commit()?;
    dd.append_audit_locked(lock, events)?;
    Ok(())
}

/// A user owner (an invitee or the acting user); `OWNER_NOT_FOUND` for anything else.
fn user(dd: &DataDir, user_id: &str) -> Result<Owner> {
    let o = dd.owner(user_id)?;
    if o.owner_type != OwnerType::User {
        return Err(Error::new(
            ErrorCode::WrongOwnerType,
            format!("{user_id} is an organization, not a user"),
        )
        .with_hint("only users can be members of an organization"));
    }
    Ok(o)
}

fn membership_not_found(user_id: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("{user_id} is not a member of this organization"),
    )
    .with_hint("list the members with `openleash org member list ORG_ID`")
}

fn last_admin(what: &str) -> Error {
    Error::new(
        ErrorCode::LastAdmin,
        format!("Cannot {what} the last organization admin"),
    )
    .with_hint("make another member org_admin first, or delete the organization")
}

fn org_summary(o: &Owner, slug: &str) -> Value {
    json!({
        "org_id": o.owner_id,
        "slug": slug,
        "display_name": o.display_name,
        "status": o.status,
        "created_at": o.created_at,
    })
}

// ---------------------------------------------------------------------------------------------
// Slugs

fn slug_taken(slug: &str) -> Error {
    Error::new(
        ErrorCode::SlugTaken,
        format!("slug {slug:?} is already in use"),
    )
    .with_hint("choose another slug, or leave it out to have one made from the name")
}

/// A slug given by a client, normalised as upstream (trimmed, lower case) and validated.
fn requested_slug(slug: &str) -> Result<String> {
    let slug = slug.trim().to_ascii_lowercase();
    if !ids::is_slug(&slug) {
        // INVALID_BODY as upstream's organization routes (groups say INVALID_SLUG).
        return Err(
            Error::new(ErrorCode::InvalidBody, format!("invalid slug {slug:?}")).with_hint(
                "use 2-64 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
            ),
        );
    }
    Ok(slug)
}

/// Former slugs kept per organization (as upstream): old links resolve, the file stays small.
const SLUG_HISTORY: usize = 10;

/// The organization other than `org_id` holding `slug`, as its current slug or (with
/// `history`) a former one; the index names the candidate, the record decides.
fn slug_holder(dd: &DataDir, slug: &str, org_id: &str, history: bool) -> Result<Option<Owner>> {
    let Some(id) = dd.org_id_for_slug(slug)? else {
        return Ok(None);
    };
    if id.eq_ignore_ascii_case(org_id) {
        return Ok(None);
    }
    let o = match dd.owner(&id) {
        Ok(o) => o,
        Err(e) if e.code == ErrorCode::OwnerNotFound || e.code == ErrorCode::NotFound => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let holds =
        o.slug.as_deref() == Some(slug) || (history && o.slug_history.iter().any(|h| h == slug));
    Ok(holds.then_some(o))
}

/// A slug for `o` made from its name, unique among the current and former slugs of the other
/// organizations (`acme`, then `acme-2`, …). Call under the writer lock.
fn derived_slug(dd: &DataDir, o: &Owner) -> Result<String> {
    let base = ids::slug_base(&o.display_name, "org");
    let mut slug = base.clone();
    let mut n = 2;
    while slug_holder(dd, &slug, &o.owner_id, true)?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Gives `o` the slug `slug` (staged with its index entry; the caller holds the writer lock and
/// stages `o` itself). The previous slug moves to the history so old links keep resolving.
fn set_slug(dd: &DataDir, txn: &mut Txn, o: &mut Owner, slug: String) -> Result<()> {
    if o.slug.as_deref() == Some(slug.as_str()) {
        return Ok(());
    }
    o.slug_history.retain(|h| *h != slug);
    if let Some(old) = o.slug.take() {
        o.slug_history.insert(0, old);
    }
    for dropped in o
        .slug_history
        .split_off(o.slug_history.len().min(SLUG_HISTORY))
    {
        dd.stage_org_slug_removal(txn, &dropped, &o.owner_id)?;
    }
    dd.stage_org_slug(txn, &slug, &o.owner_id)?;
    o.slug = Some(slug);
    Ok(())
}

/// The slug of organization `o`. An org from a data directory made before slugs (or created
/// with `owner add --type org`) gets one derived from its name here, on first need, stored
/// with its index entry under the writer lock. Not audited: it is the file format catching up,
/// not a decision anyone made (an explicit change is `ORG_UPDATED`).
pub fn slug_of(dd: &DataDir, o: &Owner) -> Result<String> {
    if let Some(s) = &o.slug {
        return Ok(s.clone());
    }
    let _lock = dd.lock()?;
    let mut o = dd.owner(&o.owner_id)?;
    if let Some(s) = &o.slug {
        return Ok(s.clone());
    }
    let slug = derived_slug(dd, &o)?;
    let mut txn = Txn::default();
    set_slug(dd, &mut txn, &mut o, slug.clone())?;
    dd.stage_owner(&mut txn, &o)?;
    txn.commit()?;
    Ok(slug)
}

/// How a portal URL names an organization.
#[derive(Debug, PartialEq, Eq)]
pub enum OrgRef {
    /// By its current slug: the canonical URL.
    Canonical(String),
    /// By its id or a former slug: the page redirects to the canonical URL.
    Moved(String),
}

impl OrgRef {
    pub fn org_id(&self) -> &str {
        match self {
            OrgRef::Canonical(id) | OrgRef::Moved(id) => id,
        }
    }
}

/// The organization a URL segment names: its id, its current slug or a former one.
/// `NOT_FOUND` otherwise. No role check here: the page's handler does that next, so a
/// non-member learns nothing from this step that the id alone would not tell.
pub fn resolve_ref(dd: &DataDir, segment: &str) -> Result<OrgRef> {
    let not_found =
        || Error::new(ErrorCode::NotFound, "Organization not found").with_hint("open /gui/orgs");
    if ids::is_uuid_shaped(segment) {
        return Ok(OrgRef::Moved(segment.to_ascii_lowercase()));
    }
    let Some(id) = dd.org_id_for_slug(segment)? else {
        return Err(not_found());
    };
    let o = match dd.owner(&id) {
        Ok(o) if o.owner_type == OwnerType::Org => o,
        Ok(_) => return Err(not_found()),
        Err(e) if e.code == ErrorCode::OwnerNotFound || e.code == ErrorCode::NotFound => {
            return Err(not_found());
        }
        Err(e) => return Err(e),
    };
    if o.slug.as_deref() == Some(segment) {
        Ok(OrgRef::Canonical(o.owner_id))
    } else if o.slug_history.iter().any(|h| h == segment) {
        Ok(OrgRef::Moved(o.owner_id))
    } else {
        Err(not_found())
    }
}

// ---------------------------------------------------------------------------------------------
// Organizations

/// Creates an organization; a user creating it becomes its `org_admin` (the operator creates it
/// without members and adds them with [`add_member`]). Its slug is made from the name.
pub fn create(dd: &DataDir, actor: &Actor, display_name: &str) -> Result<Value> {
    create_with_slug(dd, actor, display_name, None)
}

/// [`create`] with an explicit slug (`SLUG_TAKEN` when another organization has it now,
/// `INVALID_SLUG` when malformed); `None` derives one from the name, unique, as upstream.
pub fn create_with_slug(
    dd: &DataDir,
    actor: &Actor,
    display_name: &str,
    slug: Option<&str>,
) -> Result<Value> {
    let name = display_name.trim();
    if name.is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidBody, "display_name is required")
                .with_hint("give the organization a name, e.g. \"Acme Corp\""),
        );
    }
    if let Some(u) = actor.user_id() {
        user(dd, u)?;
    }
    let requested = slug
        .filter(|s| !s.trim().is_empty())
        .map(requested_slug)
        .transpose()?;
    let mut org = Owner::new(OwnerType::Org, name);
    let mut members = Members::default();
    let now = crate::timefmt::now_string();
    if let Some(u) = actor.user_id() {
        members.members.push(Membership {
            membership_id: ids::new_id(),
            org_id: org.owner_id.clone(),
            user_principal_id: u.to_string(),
            role: OrgRole::OrgAdmin,
            status: "active".into(),
            invited_by_user_id: None,
            created_at: now,
        });
    }
    let lock = dd.lock()?;
    let slug = match requested {
        Some(s) if slug_holder(dd, &s, &org.owner_id, false)?.is_some() => {
            return Err(slug_taken(&s));
        }
        Some(s) => s,
        None => derived_slug(dd, &org)?,
    };
    dd.ensure_org_dirs(&org.owner_id)?;
    let mut txn = Txn::default();
    set_slug(dd, &mut txn, &mut org, slug.clone())?;
    dd.stage_owner(&mut txn, &org)?;
    dd.stage_org_members(&mut txn, &org.owner_id, &members)?;
    if let Some(u) = actor.user_id() {
        dd.stage_user_org(&mut txn, u, &org.owner_id, true)?;
    }
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_CREATED",
            actor,
            json!({"org_id": org.owner_id, "slug": slug, "display_name": org.display_name, "created_by_user_id": actor.user_id()}),
        )],
    )?;
    let mut v = org_summary(&org, &slug);
    v["your_role"] = json!(actor.user_id().map(|_| OrgRole::OrgAdmin.as_str()));
    Ok(v)
}

/// An organization as the operator's lists show it: with its member count.
fn operator_summary(dd: &DataDir, o: &Owner) -> Result<Value> {
    let mut v = org_summary(o, &slug_of(dd, o)?);
    v["member_count"] = json!(dd.org_members(&o.owner_id)?.members.len());
    Ok(v)
}

/// One page of every organization, oldest first, with its member count (`GET
/// /v1/admin/organizations`): reads only the page's organizations, whatever the number of
/// owners.
pub fn list_all_page(dd: &DataDir, req: &PageRequest) -> Result<Value> {
    let p = super::owner::owners_page(dd, OwnerKinds::Orgs, req)?;
    let mut items = Vec::with_capacity(p.items.len());
    for o in &p.items {
        items.push(operator_summary(dd, o)?);
    }
    Ok(page::Page {
        items,
        next_cursor: p.next_cursor,
        total: p.total,
        limit: p.limit,
    }
    .json("organizations"))
}

/// The actor's organizations with their role (the operator sees every organization).
pub fn list(dd: &DataDir, actor: &Actor) -> Result<Value> {
    let mut out = Vec::new();
    match actor {
        Actor::Operator => {
            // Every organization, a page at a time from the owner index's organization scope:
            // users' records are not read.
            let mut req = PageRequest::new(super::owner::LIST, Some(page::MAX_LIMIT), None)?;
            loop {
                let p = super::owner::owners_page(dd, OwnerKinds::Orgs, &req)?;
                for o in &p.items {
                    out.push(operator_summary(dd, o)?);
                }
                match p.next_cursor {
                    Some(c) => req.after = Some(page::decode(super::owner::LIST, &c)?),
                    None => break,
                }
            }
        }
        Actor::User(u) => {
            for org_id in dd.user_orgs(u)?.org_ids {
                let Ok(o) = roles::org(dd, &org_id) else {
                    continue;
                };
                if let Some(m) = dd.org_members(&org_id)?.active(u) {
                    let mut v = org_summary(&o, &slug_of(dd, &o)?);
                    v["role"] = json!(m.role.as_str());
                    out.push(v);
                }
            }
        }
    }
    Ok(json!({ "organizations": out }))
}

pub fn show(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Value> {
    let m = roles::require(dd, actor, org_id, Op::OrgShow)?;
    let o = roles::org(dd, org_id)?;
    let mut v = o.public_json();
    v["org_id"] = json!(o.owner_id);
    v["slug"] = json!(slug_of(dd, &o)?);
    v["member_count"] = json!(dd.org_members(org_id)?.members.len());
    v["your_role"] = json!(m.map(|m| m.role.as_str()));
    Ok(v)
}

/// Renames an organization and/or changes its slug (org_admin). A new slug must be valid
/// (`INVALID_BODY`) and not another organization's current one (`SLUG_TAKEN`, 409); the old one
/// joins the history, so its links redirect. Audited `ORG_UPDATED` with the slug change.
pub fn update(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    display_name: Option<&str>,
    slug: Option<&str>,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::OrgUpdate)?;
    let requested = slug
        .filter(|s| !s.trim().is_empty())
        .map(requested_slug)
        .transpose()?;
    let lock = dd.lock()?;
    let mut o = roles::org(dd, org_id)?;
    if let Some(n) = display_name {
        let n = n.trim();
        if n.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidBody,
                "display_name must not be empty",
            ));
        }
        o.display_name = n.to_string();
    }
    let mut txn = Txn::default();
    let previous = o.slug.clone();
    match requested {
        Some(s) if previous.as_deref() == Some(s.as_str()) => {}
        Some(s) => {
            if slug_holder(dd, &s, &o.owner_id, false)?.is_some() {
                return Err(slug_taken(&s));
            }
            set_slug(dd, &mut txn, &mut o, s)?;
        }
        // An org from before slugs gets its own on this first write.
        None if previous.is_none() => {
            let s = derived_slug(dd, &o)?;
            set_slug(dd, &mut txn, &mut o, s)?;
        }
        None => {}
    }
    dd.stage_owner(&mut txn, &o)?;
    let mut meta = json!({"org_id": o.owner_id, "display_name": o.display_name, "updated_by": actor.user_id()});
    if previous.is_some() && previous != o.slug {
        meta["slug_changed"] = json!(true);
        meta["previous_slug"] = json!(previous);
        meta["new_slug"] = json!(o.slug);
    }
    commit(dd, &lock, txn, vec![event("ORG_UPDATED", actor, meta)])?;
    Ok(
        json!({"org_id": o.owner_id, "status": "updated", "display_name": o.display_name, "slug": o.slug}),
    )
}

/// Deletes an organization that owns no agents and no policies (Δ upstream deletes them with
/// it; here the owner moves or deletes them first, so nothing is lost by one click). Its
/// memberships go, and pending invites are revoked.
pub fn delete(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::OrgDelete)?;
    let lock = dd.lock()?;
    let o = roles::org(dd, org_id)?;
    let agents = dd
        .agents()?
        .iter()
        .filter(|a| a.owner_id.eq_ignore_ascii_case(org_id))
        .count();
    let policies = dd
        .bindings()?
        .policies
        .iter()
        .filter(|p| p.owner_id.eq_ignore_ascii_case(org_id))
        .count();
    if agents + policies > 0 {
        return Err(Error::new(
            ErrorCode::OrgNotEmpty,
            format!("the organization still owns {agents} agent(s) and {policies} policy(ies)"),
        )
        .with_details(json!({"agents": agents, "policies": policies}))
        .with_hint("transfer or revoke its agents and delete its policies first"));
    }
    let members = dd.org_members(org_id)?;
    let mut txn = Txn::default();
    for m in &members.members {
        dd.stage_user_org(&mut txn, &m.user_principal_id, org_id, false)?;
    }
    let mut revoked = 0;
    for mut inv in dd.org_invites()? {
        if inv.org_id.eq_ignore_ascii_case(org_id) && inv.status == InviteStatus::Pending {
            inv.status = InviteStatus::Revoked;
            inv.responded_at = Some(crate::timefmt::now_string());
            dd.stage_org_invite(&mut txn, &inv)?;
            revoked += 1;
        }
    }
    for slug in o.slug.iter().chain(&o.slug_history) {
        dd.stage_org_slug_removal(&mut txn, slug, &o.owner_id)?;
    }
    txn.remove(&dd.org_members_path(org_id)?);
    dd.stage_owner_removal(&mut txn, &o)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_DELETED",
            actor,
            json!({"org_id": o.owner_id, "deleted_by": actor.user_id(), "members_removed": members.members.len(), "invites_revoked": revoked}),
        )],
    )?;
    if let Some(dir) = dd.org_members_path(org_id)?.parent() {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(
        json!({"org_id": o.owner_id, "status": "deleted", "members_removed": members.members.len(), "invites_revoked": revoked}),
    )
}

// ---------------------------------------------------------------------------------------------
// Members

pub fn members(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::MembersList)?;
    let list: Vec<Value> = dd
        .org_members(org_id)?
        .members
        .iter()
        .map(|m| {
            json!({
                "membership_id": m.membership_id,
                "user_principal_id": m.user_principal_id,
                "display_name": dd.owner(&m.user_principal_id).ok().map(|u| u.display_name),
                "role": m.role.as_str(),
                "status": m.status,
                "created_at": m.created_at,
            })
        })
        .collect();
    Ok(json!({ "members": list }))
}

/// Adds a member directly: only the local operator may (users invite, and the invitee accepts).
pub fn add_member(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
) -> Result<Value> {
    if actor.user_id().is_some() {
        return Err(Error::new(
            ErrorCode::Forbidden,
            "users add members by invitation",
        )
        .with_hint("invite the user (`openleash org invite create ORG_ID USER_ID --role ROLE`); they accept it"));
    }
    roles::org(dd, org_id)?;
    user(dd, user_id)?;
    let lock = dd.lock()?;
    dd.ensure_org_dirs(org_id)?;
    let mut members = dd.org_members(org_id)?;
    if members.find(user_id).is_some() {
        return Err(already_member());
    }
    let m = Membership {
        membership_id: ids::new_id(),
        org_id: org_id.to_ascii_lowercase(),
        user_principal_id: user_id.to_ascii_lowercase(),
        role,
        status: "active".into(),
        invited_by_user_id: None,
        created_at: crate::timefmt::now_string(),
    };
    members.members.push(m.clone());
    let mut txn = Txn::default();
    dd.stage_org_members(&mut txn, org_id, &members)?;
    dd.stage_user_org(&mut txn, user_id, org_id, true)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_MEMBER_ADDED",
            actor,
            json!({"org_id": m.org_id, "user_principal_id": m.user_principal_id, "role": role.as_str()}),
        )],
    )?;
    Ok(
        json!({"membership_id": m.membership_id, "org_id": m.org_id, "user_principal_id": m.user_principal_id, "role": role.as_str(), "status": "active"}),
    )
}

fn already_member() -> Error {
    Error::new(
        ErrorCode::AlreadyMember,
        "User is already a member of this organization",
    )
    .with_hint("change their role with `openleash org member role` instead")
}

pub fn set_role(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::MemberSetRole)?;
    let lock = dd.lock()?;
    let mut members = dd.org_members(org_id)?;
    let admins = members.active_admins();
    let Some(target) = members
        .members
        .iter_mut()
        .find(|m| m.user_principal_id.eq_ignore_ascii_case(user_id))
    else {
        return Err(membership_not_found(user_id));
    };
    let previous = target.role;
    if previous == OrgRole::OrgAdmin
        && role != OrgRole::OrgAdmin
        && target.is_active()
        && admins <= 1
    {
        return Err(last_admin("demote"));
    }
    target.role = role;
    let membership_id = target.membership_id.clone();
    let mut txn = Txn::default();
    dd.stage_org_members(&mut txn, org_id, &members)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_MEMBER_UPDATED",
            actor,
            json!({"org_id": org_id, "user_principal_id": user_id, "previous_role": previous.as_str(), "new_role": role.as_str()}),
        )],
    )?;
    Ok(json!({"membership_id": membership_id, "role": role.as_str(), "status": "updated"}))
}

/// Removes `user_id`'s membership; `kind` is `ORG_MEMBER_REMOVED` or `ORG_MEMBER_LEFT`.
fn drop_member(
    dd: &DataDir,
    actor: &Actor,
    lock: &WriteLock,
    org_id: &str,
    user_id: &str,
    kind: &str,
) -> Result<String> {
    let mut members = dd.org_members(org_id)?;
    let Some(pos) = members
        .members
        .iter()
        .position(|m| m.user_principal_id.eq_ignore_ascii_case(user_id))
    else {
        return Err(membership_not_found(user_id));
    };
    let target = &members.members[pos];
    if target.role == OrgRole::OrgAdmin && target.is_active() && members.active_admins() <= 1 {
        return Err(last_admin(if kind == "ORG_MEMBER_LEFT" {
            "leave as"
        } else {
            "remove"
        }));
    }
    let removed = members.members.remove(pos);
    let mut txn = Txn::default();
    dd.stage_org_members(&mut txn, org_id, &members)?;
    dd.stage_user_org(&mut txn, user_id, org_id, false)?;
    commit(
        dd,
        lock,
        txn,
        vec![event(
            kind,
            actor,
            json!({"org_id": org_id, "user_principal_id": removed.user_principal_id, "role": removed.role.as_str()}),
        )],
    )?;
    Ok(removed.membership_id)
}

pub fn remove_member(dd: &DataDir, actor: &Actor, org_id: &str, user_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::MemberRemove)?;
    let lock = dd.lock()?;
    let id = drop_member(dd, actor, &lock, org_id, user_id, "ORG_MEMBER_REMOVED")?;
    Ok(json!({"membership_id": id, "status": "removed"}))
}

/// The acting user leaves `org_id` (any member may; the last admin may not).
pub fn leave(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Value> {
    let u = actor.require_user("leaving an organization")?;
    roles::require(dd, actor, org_id, Op::Leave)?;
    let lock = dd.lock()?;
    drop_member(dd, actor, &lock, org_id, u, "ORG_MEMBER_LEFT")?;
    Ok(json!({"status": "left", "org_id": org_id}))
}

// ---------------------------------------------------------------------------------------------
// Invites

fn invite_json(dd: &DataDir, inv: &OrgInvite, now: OffsetDateTime) -> Value {
    let mut v = serde_json::to_value(inv).unwrap_or_default();
    // A pending invite past its expiry is shown as what it is.
    if inv.status == InviteStatus::Pending && inv.expired_at(now) {
        v["status"] = json!(InviteStatus::Expired.as_str());
    }
    v["org_display_name"] = json!(dd.owner(&inv.org_id).ok().map(|o| o.display_name));
    v["invited_by_name"] = json!(
        dd.owner(&inv.invited_by_user_id)
            .ok()
            .map(|o| o.display_name)
    );
    v
}

/// Invites `user_id` into `org_id` with `role`, valid `ttl_seconds` from `now`.
pub fn invite(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
    now: OffsetDateTime,
    ttl_seconds: i64,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::MemberInvite)?;
    let by = actor.require_user("inviting a member")?.to_string();
    user(dd, user_id)?;
    let lock = dd.lock()?;
    dd.ensure_org_dirs(org_id)?;
    if dd.org_members(org_id)?.find(user_id).is_some() {
        return Err(already_member());
    }
    let pending = dd.org_invites()?.into_iter().any(|i| {
        i.org_id.eq_ignore_ascii_case(org_id)
            && i.user_principal_id.eq_ignore_ascii_case(user_id)
            && i.status == InviteStatus::Pending
            && !i.expired_at(now)
    });
    if pending {
        return Err(Error::new(
            ErrorCode::AlreadyInvited,
            "User already has a pending invitation",
        )
        .with_hint("revoke it first (`openleash org invite revoke`) to invite with another role"));
    }
    let inv = OrgInvite {
        invite_id: ids::new_id(),
        org_id: org_id.to_ascii_lowercase(),
        user_principal_id: user_id.to_ascii_lowercase(),
        role,
        status: InviteStatus::Pending,
        invited_by_user_id: by.clone(),
        expires_at: crate::timefmt::format(crate::timefmt::plus_seconds(now, ttl_seconds)),
        responded_at: None,
        created_at: crate::timefmt::format(now),
    };
    let mut txn = Txn::default();
    dd.stage_org_invite(&mut txn, &inv)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_INVITE_CREATED",
            actor,
            json!({"org_id": inv.org_id, "user_principal_id": inv.user_principal_id, "role": role.as_str(), "invited_by": by, "invite_id": inv.invite_id, "expires_at": inv.expires_at}),
        )],
    )?;
    Ok(
        json!({"invite_id": inv.invite_id, "org_id": inv.org_id, "user_principal_id": inv.user_principal_id, "role": role.as_str(), "status": "pending", "expires_at": inv.expires_at}),
    )
}

/// The acting user's pending, unexpired invites (the operator: every pending one).
pub fn my_invites(dd: &DataDir, actor: &Actor, now: OffsetDateTime) -> Result<Value> {
    let list: Vec<Value> = dd
        .org_invites()?
        .iter()
        .filter(|i| i.status == InviteStatus::Pending && !i.expired_at(now))
        .filter(|i| {
            actor
                .user_id()
                .is_none_or(|u| i.user_principal_id.eq_ignore_ascii_case(u))
        })
        .map(|i| invite_json(dd, i, now))
        .collect();
    Ok(json!({ "invites": list }))
}

/// Every invite of `org_id`, any status (org admins).
pub fn org_invites(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    now: OffsetDateTime,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::InvitesList)?;
    let list: Vec<Value> = dd
        .org_invites()?
        .iter()
        .filter(|i| i.org_id.eq_ignore_ascii_case(org_id))
        .map(|i| invite_json(dd, i, now))
        .collect();
    Ok(json!({ "invites": list }))
}

/// The invite `invite_id` for the acting user, pending (else `INVITE_NOT_PENDING`).
fn own_pending_invite(dd: &DataDir, user_id: &str, invite_id: &str) -> Result<OrgInvite> {
    let inv = dd.org_invite(invite_id)?;
    if !inv.user_principal_id.eq_ignore_ascii_case(user_id) {
        return Err(
            Error::new(ErrorCode::Forbidden, "This invite is not for you")
                .with_hint("log in as the invited user"),
        );
    }
    if inv.status != InviteStatus::Pending {
        return Err(not_pending(&inv));
    }
    Ok(inv)
}

fn not_pending(inv: &OrgInvite) -> Error {
    Error::new(
        ErrorCode::InviteNotPending,
        format!("Invite is already {}", inv.status.as_str()),
    )
    .with_hint("ask an org_admin for a new invite")
}

pub fn accept(dd: &DataDir, actor: &Actor, invite_id: &str, now: OffsetDateTime) -> Result<Value> {
    let u = actor.require_user("accepting an invite")?;
    let lock = dd.lock()?;
    let mut inv = own_pending_invite(dd, u, invite_id)?;
    let mut txn = Txn::default();
    inv.responded_at = Some(crate::timefmt::format(now));
    if inv.expired_at(now) {
        inv.status = InviteStatus::Expired;
        dd.stage_org_invite(&mut txn, &inv)?;
        txn.commit()?;
        return Err(Error::new(ErrorCode::InviteExpired, "Invite has expired")
            .with_hint("ask an org_admin for a new invite"));
    }
    roles::org(dd, &inv.org_id)?;
    let mut members = dd.org_members(&inv.org_id)?;
    inv.status = InviteStatus::Accepted;
    if members.find(u).is_some() {
        dd.stage_org_invite(&mut txn, &inv)?;
        txn.commit()?;
        return Err(already_member());
    }
    let m = Membership {
        membership_id: ids::new_id(),
        org_id: inv.org_id.clone(),
        user_principal_id: u.to_ascii_lowercase(),
        role: inv.role,
        status: "active".into(),
        invited_by_user_id: Some(inv.invited_by_user_id.clone()),
        created_at: crate::timefmt::format(now),
    };
    members.members.push(m.clone());
    dd.stage_org_invite(&mut txn, &inv)?;
    dd.stage_org_members(&mut txn, &inv.org_id, &members)?;
    dd.stage_user_org(&mut txn, u, &inv.org_id, true)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_INVITE_ACCEPTED",
            actor,
            json!({"org_id": inv.org_id, "invite_id": inv.invite_id, "user_principal_id": m.user_principal_id, "role": m.role.as_str(), "membership_id": m.membership_id}),
        )],
    )?;
    Ok(
        json!({"status": "accepted", "membership_id": m.membership_id, "org_id": inv.org_id, "role": m.role.as_str()}),
    )
}

pub fn decline(dd: &DataDir, actor: &Actor, invite_id: &str, now: OffsetDateTime) -> Result<Value> {
    let u = actor.require_user("declining an invite")?;
    let lock = dd.lock()?;
    let mut inv = own_pending_invite(dd, u, invite_id)?;
    inv.status = InviteStatus::Declined;
    inv.responded_at = Some(crate::timefmt::format(now));
    let mut txn = Txn::default();
    dd.stage_org_invite(&mut txn, &inv)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_INVITE_DECLINED",
            actor,
            json!({"org_id": inv.org_id, "invite_id": inv.invite_id, "user_principal_id": inv.user_principal_id}),
        )],
    )?;
    Ok(json!({"status": "declined", "org_id": inv.org_id}))
}

/// An org admin revokes a pending invite of their org (upstream "cancel").
pub fn revoke(dd: &DataDir, actor: &Actor, org_id: &str, invite_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::InviteRevoke)?;
    let lock = dd.lock()?;
    let mut inv = dd.org_invite(invite_id)?;
    if !inv.org_id.eq_ignore_ascii_case(org_id) {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!("no invite {invite_id} in this organization"),
        )
        .with_hint(
            "list the organization's invites with `openleash org invite list --org ORG_ID`",
        ));
    }
    if inv.status != InviteStatus::Pending {
        return Err(not_pending(&inv));
    }
    inv.status = InviteStatus::Revoked;
    inv.responded_at = Some(crate::timefmt::now_string());
    let mut txn = Txn::default();
    dd.stage_org_invite(&mut txn, &inv)?;
    commit(
        dd,
        &lock,
        txn,
        vec![event(
            "ORG_INVITE_CANCELLED",
            actor,
            json!({"org_id": inv.org_id, "invite_id": inv.invite_id, "user_principal_id": inv.user_principal_id}),
        )],
    )?;
    Ok(json!({"status": "revoked", "invite_id": inv.invite_id}))
}

#[cfg(test)]
mod tests;
