//! Creating a stored policy and its binding: shared by `openleash policy upsert`, the owner API
//! and the approval of a policy draft, so all three write the same records and audit event.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::page::{self, Order, PageRequest};
use crate::policy::CompiledPolicy;
use crate::store::bindings::{Binding, Bindings, PolicyEntry};
use crate::store::owners::OwnerType;
use crate::store::{DataDir, Txn, listindex};
use serde_json::{Value, json};

/// A policy to create and bind.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    /// `None`: a fresh id.
    pub policy_id: Option<String>,
    pub owner_type: OwnerType,
    pub owner_id: String,
    /// `None` binds owner-wide.
    pub agent_principal_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub rank: Option<i64>,
    /// The YAML exactly as given (comments preserved); validated by the caller.
    pub text: String,
}

/// Validates policy text the way every write path does: all diagnostics, `INVALID_POLICY` with
/// them in `details` on any error.
pub fn validate(source_name: &str, text: &str) -> Result<CompiledPolicy> {
    let checked = crate::policy::check_policy(source_name, text.as_bytes());
    match checked.policy {
        Some(p) => Ok(p),
        None => Err(crate::policy::resolve::policy_error(
            ErrorCode::InvalidPolicy,
            source_name,
            &checked.diagnostics,
        )),
    }
}

/// Stages the policy file and adds its catalogue entry and binding to `b` (the caller holds the
/// writer lock, stages `b` and commits). Returns the policy id.
pub fn stage_create(
    dd: &DataDir,
    b: &mut Bindings,
    txn: &mut Txn,
    p: &NewPolicy,
) -> Result<String> {
    let policy_id = p
        .policy_id
        .as_deref()
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(crate::ids::new_id);
    let path = dd.policy_path(&policy_id)?;
    if b.policy(&policy_id).is_some() {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!("policy {policy_id} was created by another process meanwhile"),
        )
        .with_hint("run the command again to replace it"));
    }
    b.policies.push(PolicyEntry {
        policy_id: policy_id.clone(),
        owner_type: p.owner_type,
        owner_id: p.owner_id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        created_at: crate::timefmt::now_string(),
        updated_at: None,
    });
    b.bindings.push(Binding {
        policy_id: policy_id.clone(),
        owner_type: p.owner_type,
        owner_id: p.owner_id.clone(),
        agent_principal_id: p.agent_principal_id.clone(),
        group_id: None,
        rank: p.rank,
    });
    txn.write(&path, p.text.clone().into_bytes());
    Ok(policy_id)
}

/// The `POLICY_UPSERTED` event of a created policy.
pub fn created_event(p: &NewPolicy, policy_id: &str) -> NewEvent {
    NewEvent::new(
        "POLICY_UPSERTED",
        json!({
            "policy_id": policy_id,
            "owner_type": p.owner_type.as_str(),
            "owner_id": p.owner_id,
            "applies_to_agent_principal_id": p.agent_principal_id,
            "rank": p.rank,
        }),
    )
    .principal(&p.owner_id)
}

/// Creates and binds a policy under the writer lock, audited. Returns the policy id. Reads and
/// writes only that policy's record and its subject's index, whatever the catalogue's size.
pub fn create(dd: &DataDir, p: &NewPolicy) -> Result<String> {
    create_inner(dd, p)
}

/// [`create`] as a policy change by a person (`openleash policy upsert`): the policy owner's
/// second factor is checked first ([`super::totp::gate`]).
pub fn create_gated(dd: &DataDir, p: &NewPolicy, totp: Option<&str>) -> Result<String> {
    super::totp::gate(dd, &dd.config()?, &p.owner_id, totp)?;
    create_inner(dd, p)
}

fn create_inner(dd: &DataDir, p: &NewPolicy) -> Result<String> {
    let lock = dd.lock()?;
    let before = match &p.policy_id {
        Some(id) => dd.policy_view(id)?,
        None => Bindings::default(),
    };
    let mut b = before.clone();
    let mut txn = Txn::default();
    let policy_id = stage_create(dd, &mut b, &mut txn, p)?;
    dd.stage_policy_change(&mut txn, &before, &b)?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![created_event(p, &policy_id)])?;
    Ok(policy_id)
}

// ---------------------------------------------------------------------------------------------
// The owner API (`/v1/owner/policies`): everything scoped to one owner; another owner's policy
// reads as not found.

fn not_found(id: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("policy {id} not found"))
}

/// One policy's entry and bindings; empty for an id that cannot name a policy (not found).
fn view(dd: &DataDir, id: &str) -> Result<Bindings> {
    if crate::ids::is_uuid_shaped(id) {
        dd.policy_view(id)
    } else {
        Ok(Bindings::default())
    }
}

/// The owner's catalogue entry for `id`.
fn owned_entry(b: &Bindings, owner_id: &str, id: &str) -> Result<PolicyEntry> {
    b.policy(id)
        .filter(|e| e.owner_id.eq_ignore_ascii_case(owner_id))
        .cloned()
        .ok_or_else(|| not_found(id))
}

/// An entry as JSON with its stored YAML (`error: "file_not_found"` when the file is missing)
/// and, when bound, its first binding's target and rank.
fn entry_json(dd: &DataDir, b: &Bindings, e: &PolicyEntry) -> Value {
    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
    let binding = b
        .bindings
        .iter()
        .find(|x| x.policy_id.eq_ignore_ascii_case(&e.policy_id));
    v["applies_to_agent_principal_id"] = json!(binding.and_then(|x| x.agent_principal_id.clone()));
    v["applies_to_group_id"] = json!(binding.and_then(|x| x.group_id.clone()));
    v["rank"] = json!(binding.map(Binding::effective_rank));
    match dd.policy_text(&e.policy_id) {
        Ok(t) => v["policy_yaml"] = json!(t),
        Err(_) => v["error"] = json!("file_not_found"),
    }
    v
}

/// The name of the policy lists in cursors.
pub const LIST: &str = "policies";

/// One page of `GET /v1/owner/policies` (and an organization's policy list): agent-bound
/// policies first, then owner-wide ones, each by subject, rank and id. Walks the owner's sorted
/// policy index and reads only the page's records and YAML, whatever the catalogue's size.
pub fn list_for_owner_page(dd: &DataDir, owner_id: &str, req: &PageRequest) -> Result<Value> {
    let load = |e: &listindex::Entry| -> Result<Option<Value>> {
        // The record is the truth: a policy deleted or given to another owner since (or by
        // hand) is skipped.
        let b = view(dd, &e.id)?;
        Ok(b.policy(&e.id)
            .filter(|p| p.owner_id.eq_ignore_ascii_case(owner_id))
            .map(|p| entry_json(dd, &b, p)))
    };
    let spec = page::Indexed {
        kind: listindex::Kind::OwnerPolicies,
        scopes: vec![listindex::owner_scope(owner_id)],
        order: Order::Asc,
        visit: &|_| true,
        matches: &|_| true,
        count: &|m| Some(m.count),
        load: &load,
    };
    if let Some(p) = page::indexed(dd, LIST, &spec, req)? {
        return Ok(p.json("policies"));
    }
    // The index cannot be built now (the writer lock is busy, or the directory is read-only):
    // one pass over the catalogue, in the same order and with the same cursors.
    let b = dd.bindings()?;
    let mut first: std::collections::HashMap<String, &Binding> = Default::default();
    for x in &b.bindings {
        first.entry(x.policy_id.to_ascii_lowercase()).or_insert(x);
    }
    let key = |e: &&PolicyEntry| {
        crate::store::bindings::owner_list_key(
            e,
            first.get(&e.policy_id.to_ascii_lowercase()).copied(),
        )
    };
    let entries = b
        .policies
        .iter()
        .filter(|e| e.owner_id.eq_ignore_ascii_case(owner_id));
    let page = page::collect(LIST, entries, key, Order::Asc, req);
    Ok(page.map(|e| entry_json(dd, &b, e)).json("policies"))
}

/// The name of the whole catalogue's list in cursors (`policy list`, oldest first).
pub const CATALOGUE_LIST: &str = "policy-catalogue";

/// One page of the whole catalogue, oldest first (`openleash policy list`, the portal's admin
/// page): each policy with its bindings. Walks the catalogue's sorted index and reads only the
/// page's records, whatever the catalogue's size.
pub fn catalogue_page(
    dd: &DataDir,
    req: &PageRequest,
) -> Result<page::Page<(PolicyEntry, Vec<Binding>)>> {
    let load = |e: &listindex::Entry| -> Result<Option<(PolicyEntry, Vec<Binding>)>> {
        // Deleted since (or by hand): skipped.
        let v = view(dd, &e.id)?;
        Ok(v.policy(&e.id).cloned().map(|p| (p, v.bindings)))
    };
    let spec = page::Indexed {
        kind: listindex::Kind::Catalogue,
        scopes: vec![listindex::ALL.to_string()],
        order: Order::Asc,
        visit: &|_| true,
        matches: &|_| true,
        count: &|m| Some(m.count),
        load: &load,
    };
    if let Some(p) = page::indexed(dd, CATALOGUE_LIST, &spec, req)? {
        return Ok(p);
    }
    // The index cannot be built now (writer lock busy, read-only directory): one pass over the
    // catalogue, same order and cursors.
    let b = dd.bindings()?;
    let p = page::collect(
        CATALOGUE_LIST,
        b.policies.iter(),
        |p: &&PolicyEntry| crate::store::bindings::catalogue_key(p),
        Order::Asc,
        req,
    );
    let ids: std::collections::BTreeSet<String> = p
        .items
        .iter()
        .map(|p| p.policy_id.to_ascii_lowercase())
        .collect();
    // Grouped once: a scan per policy would be quadratic in the catalogue's size.
    let mut by_policy: std::collections::HashMap<String, Vec<Binding>> = Default::default();
    for x in &b.bindings {
        let id = x.policy_id.to_ascii_lowercase();
        if ids.contains(&id) {
            by_policy.entry(id).or_default().push(x.clone());
        }
    }
    Ok(p.map(|e| {
        let bindings = by_policy
            .remove(&e.policy_id.to_ascii_lowercase())
            .unwrap_or_default();
        (e.clone(), bindings)
    }))
}

/// One page of `GET /v1/admin/policies`: every owner's policies in creation order (upstream's
/// order: its catalogue lists them as created), each with its YAML, and their bindings. A page
/// reads the catalogue index and its own records only ([`catalogue_page`]); its cursors are the
/// catalogue's ([`CATALOGUE_LIST`]).
pub fn list_all_page(dd: &DataDir, req: &PageRequest) -> Result<Value> {
    let mut bindings: Vec<Binding> = Vec::new();
    let page = catalogue_page(dd, req)?.map(|(p, b)| {
        bindings.extend(b);
        let mut v = serde_json::to_value(&p).unwrap_or(Value::Null);
        v["policy_yaml"] = json!(dd.policy_text(&p.policy_id).ok());
        v
    });
    let mut v = page.json("policies");
    v["bindings"] = json!(bindings);
    Ok(v)
}

/// `GET /v1/owner/policies/{id}`.
pub fn get_for_owner(dd: &DataDir, owner_id: &str, id: &str) -> Result<Value> {
    let b = view(dd, id)?;
    let e = owned_entry(&b, owner_id, id)?;
    let v = entry_json(dd, &b, &e);
    if v.get("error").is_some() {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!("the file of policy {id} is missing"),
        ));
    }
    Ok(v)
}

/// `POST /v1/owner/policies`: validates, checks the target agent is the owner's, and binds at
/// the next rank of its tier (highest + 100, or 100).
pub fn create_for_owner(
    dd: &DataDir,
    owner: &crate::store::owners::Owner,
    text: &str,
    agent_principal_id: Option<&str>,
    name: Option<String>,
    description: Option<String>,
    totp: Option<&str>,
) -> Result<Value> {
    validate("policy_yaml", text)?;
    let agent = match agent_principal_id {
        None => None,
        Some(id) => {
            crate::ids::check_uuid("applies_to_agent_principal_id", id)?;
            let a = dd
                .agent_by_principal(id)
                .ok()
                .filter(|a| a.owner_id.eq_ignore_ascii_case(&owner.owner_id))
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidRequest,
                        format!("applies_to_agent_principal_id {id} is not one of your agents"),
                    )
                })?;
            Some(a.agent_principal_id)
        }
    };
    super::totp::gate(dd, &dd.config()?, &owner.owner_id, totp)?;
    let lock = dd.lock()?;
    let rank = dd
        .bindings_for_subject(&owner.owner_id, agent.as_deref())?
        .iter()
        .map(Binding::effective_rank)
        .max()
        .map_or(100, |r| r.saturating_add(100));
    let p = NewPolicy {
        policy_id: None,
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        agent_principal_id: agent.clone(),
        name: trimmed(name),
        description: trimmed(description),
        rank: Some(rank),
        text: text.to_string(),
    };
    let before = Bindings::default();
    let mut b = before.clone();
    let mut txn = Txn::default();
    let policy_id = stage_create(dd, &mut b, &mut txn, &p)?;
    dd.stage_policy_change(&mut txn, &before, &b)?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![created_event(&p, &policy_id)])?;
    Ok(json!({
        "policy_id": policy_id,
        "user_principal_id": owner.owner_id,
        "applies_to_agent_principal_id": agent,
        "rank": rank,
    }))
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A change to a stored policy: `None` leaves a field as it is; `Some(None)` clears a name or
/// description.
#[derive(Debug, Clone, Default)]
pub struct PolicyUpdate {
    pub text: Option<String>,
    pub name: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

/// `PUT /v1/owner/policies/{id}`: new text (validated) and/or metadata, audited `POLICY_UPDATED`.
pub fn update_for_owner(
    dd: &DataDir,
    owner_id: &str,
    id: &str,
    u: PolicyUpdate,
    totp: Option<&str>,
) -> Result<Value> {
    if let Some(t) = &u.text {
        if t.is_empty() {
            return Err(Error::new(
                ErrorCode::ValidationError,
                "`policy_yaml` must not be empty",
            ));
        }
        validate("policy_yaml", t)?;
    }
    owned_entry(&view(dd, id)?, owner_id, id)?;
    super::totp::gate(dd, &dd.config()?, owner_id, totp)?;
    let lock = dd.lock()?;
    let before = view(dd, id)?;
    let mut b = before.clone();
    let entry = owned_entry(&b, owner_id, id)?;
    let path = dd.policy_path(&entry.policy_id)?;
    if let Some(e) = b
        .policies
        .iter_mut()
        .find(|e| e.policy_id.eq_ignore_ascii_case(&entry.policy_id))
    {
        if let Some(n) = u.name {
            e.name = trimmed(n);
        }
        if let Some(d) = u.description {
            e.description = trimmed(d);
        }
        e.updated_at = Some(crate::timefmt::now_string());
    }
    let mut txn = Txn::default();
    let text_changed = u.text.is_some();
    if let Some(t) = u.text {
        txn.write(&path, t.into_bytes());
    }
    dd.stage_policy_change(&mut txn, &before, &b)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "POLICY_UPDATED",
                json!({"policy_id": entry.policy_id, "text_changed": text_changed}),
            )
            .principal(&entry.owner_id),
        ],
    )?;
    Ok(json!({"policy_id": entry.policy_id, "status": "updated"}))
}

/// Deletes a policy, its file and every binding of it, audited `POLICY_DELETED`; with
/// `owner_id`, only that owner's. Returns the entry and the number of bindings removed.
/// `totp` is the acting user's second-factor code ([`super::totp::gate`]); the acting user is
/// `owner_id`, or the policy's owner for the local CLI.
pub fn delete(
    dd: &DataDir,
    owner_id: Option<&str>,
    id: &str,
    totp: Option<&str>,
) -> Result<(PolicyEntry, usize)> {
    dd.policy_path(id)?;
    {
        let b = dd.policy_view(id)?;
        let actor = match owner_id {
            Some(o) => owned_entry(&b, o, id)?.owner_id,
            None => b
                .policy(id)
                .map(|e| e.owner_id.clone())
                .ok_or_else(|| crate::store::bindings::policy_not_found(id))?,
        };
        super::totp::gate(dd, &dd.config()?, &actor, totp)?;
    }
    let lock = dd.lock()?;
    // Only this policy's record: a delete must work however large (or damaged) the rest is.
    let before = dd.policy_view(id)?;
    let entry = match owner_id {
        Some(o) => owned_entry(&before, o, id)?,
        None => before
            .policy(id)
            .cloned()
            .ok_or_else(|| crate::store::bindings::policy_not_found(id))?,
    };
    let path = dd.policy_path(&entry.policy_id)?;
    let after = Bindings::default();
    let removed = before.bindings.len();
    let mut txn = Txn::default();
    dd.stage_policy_change(&mut txn, &before, &after)?;
    txn.remove(&path);
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "POLICY_DELETED",
                json!({"policy_id": entry.policy_id, "owner_id": entry.owner_id, "bindings_removed": removed}),
            )
            .principal(&entry.owner_id),
        ],
    )?;
    Ok((entry, removed))
}

/// Binds policy `policy_id` of `owner` owner-wide (`agent_principal_id: None`) or to one of the
/// owner's agents, at `rank` (absent = 100); an existing binding only gets the new rank. Audited
/// `POLICY_BOUND` when something changed; returns whether it did.
pub fn bind(
    dd: &DataDir,
    owner: &crate::store::owners::Owner,
    policy_id: &str,
    agent_principal_id: Option<&str>,
    rank: Option<i64>,
    totp: Option<&str>,
) -> Result<bool> {
    dd.policy_path(policy_id)?;
    let entry = dd
        .policy_entry(policy_id)?
        .ok_or_else(|| crate::store::bindings::policy_not_found(policy_id))?;
    if !owner.owner_id.eq_ignore_ascii_case(&entry.owner_id) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "policy {} belongs to owner {}; it can only be bound for that owner's agents",
                entry.policy_id, entry.owner_id
            ),
        )
        .with_hint("upload a copy for the other owner with `openleash policy upsert --owner ID`"));
    }
    let agent_pid = match agent_principal_id {
        None => None,
        Some(id) => {
            let a = dd.agent(id).map_err(|e| {
                if e.code == ErrorCode::AgentNotFound {
                    Error::new(ErrorCode::NotFound, format!("agent {id:?} not found"))
                } else {
                    e
                }
            })?;
            if !a.owner_id.eq_ignore_ascii_case(&owner.owner_id) {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "agent {} belongs to owner {}, not {}",
                        a.agent_id, a.owner_id, owner.owner_id
                    ),
                )
                .with_hint("name an agent of the policy's owner"));
            }
            Some(a.agent_principal_id)
        }
    };
    super::totp::gate(dd, &dd.config()?, &owner.owner_id, totp)?;
    let lock = dd.lock()?;
    // Only this policy's record: O(1) in the size of the catalogue.
    let before = dd.policy_view(&entry.policy_id)?;
    let mut b = before.clone();
    let existing = b.bindings.iter_mut().find(|x| {
        x.policy_id.eq_ignore_ascii_case(&entry.policy_id)
            && x.owner_id.eq_ignore_ascii_case(&owner.owner_id)
            && x.agent_principal_id == agent_pid
            && x.group_id.is_none()
    });
    let changed = match existing {
        Some(x) if rank.is_some() && x.rank != rank => {
            x.rank = rank;
            true
        }
        Some(_) => false,
        None => {
            b.bindings.push(Binding {
                policy_id: entry.policy_id.clone(),
                owner_type: owner.owner_type,
                owner_id: owner.owner_id.clone(),
                agent_principal_id: agent_pid.clone(),
                group_id: None,
                rank,
            });
            true
        }
    };
    if changed {
        let mut txn = Txn::default();
        dd.stage_policy_change(&mut txn, &before, &b)?;
        txn.commit()?;
        dd.append_audit_locked(
            &lock,
            vec![
                NewEvent::new(
                    "POLICY_BOUND",
                    json!({
                        "policy_id": entry.policy_id,
                        "owner_type": owner.owner_type.as_str(),
                        "owner_id": owner.owner_id,
                        "agent_principal_id": agent_pid,
                        "rank": rank,
                    }),
                )
                .principal(&owner.owner_id),
            ],
        )?;
    }
    Ok(changed)
}

/// Removes bindings of `policy_id`: every one, or only `owner_id`'s; `target` `None` = any
/// target, `Some(None)` = only the owner-wide binding, `Some(Some(agent))` = only the one to that
/// agent. Audited `POLICY_UNBOUND` when any was removed; returns that policy's entry and
/// bindings before and after (only its record is read, whatever the catalogue's size).
pub fn unbind(
    dd: &DataDir,
    policy_id: &str,
    owner_id: Option<&str>,
    target: Option<Option<&str>>,
    totp: Option<&str>,
) -> Result<(Bindings, Bindings)> {
    dd.policy_path(policy_id)?;
    let actor = match owner_id {
        Some(o) => Some(o.to_string()),
        None => dd
            .policy_view(policy_id)?
            .policy(policy_id)
            .map(|e| e.owner_id.clone()),
    };
    if let Some(actor) = actor {
        super::totp::gate(dd, &dd.config()?, &actor, totp)?;
    }
    let lock = dd.lock()?;
    let before = dd.policy_view(policy_id)?;
    let target: Option<Option<String>> = target.map(|t| t.map(str::to_ascii_lowercase));
    let agent_pid = target.clone().flatten();
    let mut after = before.clone();
    after.bindings.retain(|x| {
        let hit = x.policy_id.eq_ignore_ascii_case(policy_id)
            && owner_id.is_none_or(|o| x.owner_id.eq_ignore_ascii_case(o))
            && target
                .as_ref()
                .is_none_or(|t| x.agent_principal_id.as_deref().map(str::to_ascii_lowercase) == *t);
        !hit
    });
    let removed = before.bindings.len() - after.bindings.len();
    if removed > 0 {
        let mut txn = Txn::default();
        dd.stage_policy_change(&mut txn, &before, &after)?;
        txn.commit()?;
        let mut ev = NewEvent::new(
            "POLICY_UNBOUND",
            json!({
                "policy_id": policy_id.to_ascii_lowercase(),
                "owner_id": owner_id,
                "agent_principal_id": agent_pid,
                "bindings_removed": removed,
            }),
        );
        if let Some(o) = owner_id {
            ev = ev.principal(o);
        }
        dd.append_audit_locked(&lock, vec![ev])?;
    }
    Ok((before, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::owners::{Owner, OwnerType};

    fn new_policy(owner: &Owner, name: &str) -> NewPolicy {
        NewPolicy {
            policy_id: None,
            owner_type: OwnerType::User,
            owner_id: owner.owner_id.clone(),
            agent_principal_id: None,
            name: Some(name.into()),
            description: None,
            rank: None,
            text: "version: 1\ndefault: deny\nrules: []\n".into(),
        }
    }

    /// The admin list pages over the catalogue in creation order: every policy once, with its
    /// own bindings, while policies are added and deleted between pages.
    #[test]
    fn admin_pages_walk_every_policy_once_while_the_catalogue_changes() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        std::fs::create_dir_all(dd.path("owners")).unwrap();
        std::fs::create_dir_all(dd.path("policies")).unwrap();
        let owner = Owner::new(OwnerType::User, "Ann");
        let mut txn = crate::store::Txn::default();
        dd.stage_owner(&mut txn, &owner).unwrap();
        txn.commit().unwrap();
        let mut made: Vec<String> = (0..7)
            .map(|i| create(&dd, &new_policy(&owner, &format!("p{i}"))).unwrap())
            .collect();
        let mut seen: Vec<String> = Vec::new();
        let mut req = PageRequest::new(CATALOGUE_LIST, Some(3), None).unwrap();
        for round in 0.. {
            let v = list_all_page(&dd, &req).unwrap();
            for p in v["policies"].as_array().unwrap() {
                let id = p["policy_id"].as_str().unwrap().to_string();
                assert!(p["policy_yaml"].as_str().unwrap().contains("default: deny"));
                let own: Vec<&Value> = v["bindings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|b| b["policy_id"] == id.as_str())
                    .collect();
                assert_eq!(own.len(), 1, "{id}: its owner-wide binding");
                seen.push(id);
            }
            if round == 0 {
                // One added (created last, so it comes after the cursor) and one not yet seen
                // deleted.
                let gone = made
                    .iter()
                    .rev()
                    .find(|m| !seen.contains(m))
                    .unwrap()
                    .clone();
                made.push(create(&dd, &new_policy(&owner, "late")).unwrap());
                delete(&dd, Some(&owner.owner_id), &gone, None).unwrap();
                made.retain(|m| *m != gone);
            }
            match v["next_cursor"].as_str() {
                Some(c) => req = PageRequest::new(CATALOGUE_LIST, Some(3), Some(c)).unwrap(),
                None => break,
            }
        }
        // Every live policy exactly once, the late one included; the deleted one not at all.
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), seen.len(), "none twice: {seen:?}");
        made.sort();
        assert_eq!(sorted, made);
    }
}

#[cfg(test)]
#[path = "policies_list_tests.rs"]
mod list_tests;
