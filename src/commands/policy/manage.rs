//! `openleash policy list|show|upsert|bind|unbind|delete|profiles`: the stored policies and
//! their bindings. Every write happens under the writer lock as one transaction, after the
//! input was validated, and is followed by its audit event.

use super::{Ctx, load_policy};
use crate::audit::NewEvent;
use crate::cli::{BindArgs, ProfilesCommand, UnbindArgs, UpsertArgs};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::page::{self, Page, PageRequest};
use crate::output::Output;
use crate::store::bindings::{Binding, Bindings, PolicyEntry, policy_not_found};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// `agent_principal_id` → `agent_id` of the agents `b` binds to, for showing bindings: reads
/// those agents' records only, not every agent (an agent gone since is shown by its id).
fn agent_names(dd: &DataDir, b: &Bindings) -> Result<HashMap<String, String>> {
    let mut names = HashMap::new();
    for pid in b
        .bindings
        .iter()
        .filter_map(|x| x.agent_principal_id.as_ref())
    {
        if names.contains_key(pid) || !crate::ids::is_uuid_shaped(pid) {
            continue;
        }
        match dd.agent_by_principal(pid) {
            Ok(a) => {
                names.insert(pid.clone(), a.agent_id);
            }
            Err(e) if e.code == ErrorCode::AgentNotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(names)
}

fn target_label(names: &HashMap<String, String>, agent: Option<&str>) -> String {
    match agent {
        None => "all agents".into(),
        Some(pid) => match names.get(pid) {
            Some(name) => format!("agent {name} ({pid})"),
            None => format!("agent {pid}"),
        },
    }
}

/// The specificity tier of a binding, as in `PUT /v1/owner/policies/order`.
fn tier(b: &Binding) -> &'static str {
    match (&b.agent_principal_id, &b.group_id) {
        (Some(_), _) => "agent",
        (None, Some(_)) => "group",
        (None, None) => "owner_wide",
    }
}

fn binding_json(names: &HashMap<String, String>, b: &Binding) -> Value {
    json!({
        "owner_type": b.owner_type.as_str(),
        "owner_id": b.owner_id,
        "agent_principal_id": b.agent_principal_id,
        "agent_id": b.agent_principal_id.as_ref().and_then(|p| names.get(p)),
        "group_id": b.group_id,
        "tier": tier(b),
        "rank": b.effective_rank(),
    })
}

/// Rule count of a stored policy, or why it cannot be counted.
fn rule_count(dd: &DataDir, policy_id: &str) -> std::result::Result<usize, String> {
    let path = dd.policy_path(policy_id).map_err(|e| e.message.clone())?;
    match crate::policy::compile_file(&path) {
        Ok(p) => Ok(p.rules.len()),
        Err(e) if e.code == ErrorCode::NotFound => Err("missing".into()),
        Err(_) => Err("invalid".into()),
    }
}

/// One row of `policy list`: the catalogue entry, its rule count (or why it has none), its
/// bindings and the names of the page's agents (shared by the page's rows).
struct Listed {
    policy: PolicyEntry,
    rules: std::result::Result<usize, String>,
    bindings: Vec<Binding>,
    names: Rc<HashMap<String, String>>,
}

/// The name of the CLI policy list in cursors (oldest first, unlike the owner API's order).
const POLICY_LIST: &str = crate::handlers::policies::CATALOGUE_LIST;

/// Rows for a page of policies with their bindings: rule counts and agent names are read for
/// the page only.
fn rows(dd: &DataDir, page: Vec<(PolicyEntry, Vec<Binding>)>) -> Result<Vec<Listed>> {
    let view = Bindings {
        policies: Vec::new(),
        bindings: page.iter().flat_map(|(_, b)| b.iter().cloned()).collect(),
    };
    let names = Rc::new(agent_names(dd, &view)?);
    Ok(page
        .into_iter()
        .map(|(policy, bindings)| Listed {
            rules: rule_count(dd, &policy.policy_id),
            policy,
            bindings,
            names: names.clone(),
        })
        .collect())
}

/// One page of the catalogue, oldest first (the handler's page), with rule counts and agent
/// names for the page only.
fn list_page(dd: &DataDir, req: &PageRequest) -> Result<Page<Listed>> {
    let Page {
        items,
        next_cursor,
        total,
        limit,
    } = crate::handlers::policies::catalogue_page(dd, req)?;
    Ok(Page {
        items: rows(dd, items)?,
        next_cursor,
        total,
        limit,
    })
}

pub fn list(ctx: &Ctx, page: &crate::cli::PageArgs, agent: Option<&str>) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    // With --agent: only that agent's chain (its indexes, as a decision reads them), in order.
    let chain = match agent {
        Some(a) => {
            let a = dd.agent(a)?;
            Some(dd.bindings_for_agent(&a.owner_id, &a.agent_principal_id)?)
        }
        None => None,
    };
    let to_json = |l: &Listed| {
        let p = &l.policy;
        json!({
            "policy_id": p.policy_id,
            "name": p.name,
            "description": p.description,
            "owner_type": p.owner_type.as_str(),
            "owner_id": p.owner_id,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
            "path": dd.policy_path(&p.policy_id).ok().map(|x| x.display().to_string()),
            "rules": l.rules.as_ref().ok(),
            "valid": l.rules.is_ok(),
            "bindings": l.bindings.iter().map(|x| binding_json(&l.names, x)).collect::<Vec<_>>(),
        })
    };
    let mut human = |records: &[Listed], _first: bool| -> Result<()> {
        if out.quiet {
            for l in records {
                out.data(&l.policy.policy_id);
            }
            return Ok(());
        }
        // Names instead of principal ids and no path column (it is in `policy show` and
        // --json), so the table fits a terminal; the policy id stays whole because commands
        // take it. Only the page's owners are read.
        let mut owners: HashMap<String, String> = HashMap::new();
        for l in records {
            let id = &l.policy.owner_id;
            if !owners.contains_key(id)
                && let Ok(o) = dd.owner(id)
            {
                owners.insert(id.clone(), o.display_name);
            }
        }
        let mut t = out.table(&["POLICY ID", "NAME", "OWNER", "APPLIES TO", "RANK", "RULES"]);
        for l in records {
            let p = &l.policy;
            let rules = match &l.rules {
                Ok(n) => n.to_string(),
                Err(why) => out.red(why),
            };
            let name = p.name.clone().unwrap_or_default();
            let owner = owners
                .get(&p.owner_id)
                .cloned()
                .unwrap_or_else(|| p.owner_id.clone());
            let targets: Vec<(String, String)> = if l.bindings.is_empty() {
                vec![(out.dim("(not bound)"), "-".into())]
            } else {
                l.bindings
                    .iter()
                    .map(|x| {
                        let target = match x.agent_principal_id.as_deref() {
                            None if x.group_id.is_some() => {
                                format!("group {}", x.group_id.as_deref().unwrap_or_default())
                            }
                            None => "all agents".to_string(),
                            Some(pid) => format!(
                                "agent {}",
                                l.names.get(pid).map(String::as_str).unwrap_or(pid)
                            ),
                        };
                        (target, x.effective_rank().to_string())
                    })
                    .collect()
            };
            for (target, rank) in targets {
                t.add_row(vec![
                    p.policy_id.clone(),
                    name.clone(),
                    owner.clone(),
                    target,
                    rank,
                    rules.clone(),
                ]);
            }
        }
        out.print_table(&t);
        Ok(())
    };
    let view = crate::commands::paging::ListView {
        list: POLICY_LIST,
        field: "policies",
        to_json: &to_json,
        human: &mut human,
        empty: "No policies. Create one with `openleash policy upsert --file POLICY.yaml`.",
    };
    match &chain {
        Some(chain) => {
            crate::commands::paging::run(ctx, page, view, |req| chain_page(&dd, chain, req))
        }
        None => crate::commands::paging::run(ctx, page, view, |req| list_page(&dd, req)),
    }
}

/// One page of an agent's effective chain: each binding that decides for it, in evaluation
/// order (the cursor is the position in the chain). Reads the page's policy entries only.
fn chain_page(dd: &DataDir, chain: &[Binding], req: &PageRequest) -> Result<Page<Listed>> {
    let items = chain.iter().enumerate();
    let p = page::collect(
        POLICY_LIST,
        items,
        |(i, _)| format!("{i:08}"),
        page::Order::Asc,
        req,
    );
    let mut found = Vec::with_capacity(p.items.len());
    for (_, x) in &p.items {
        // A binding whose policy's entry is gone (removed by hand) is left out.
        if let Some(e) = dd.policy_entry(&x.policy_id)? {
            found.push((e, vec![(*x).clone()]));
        }
    }
    Ok(Page {
        items: rows(dd, found)?,
        next_cursor: p.next_cursor,
        total: p.total,
        limit: p.limit,
    })
}

pub fn show(policy_id: &str, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    let path = dd.policy_path(policy_id)?;
    let b = dd.policy_view(policy_id)?;
    let entry = b.policy(policy_id);
    let text = dd.policy_text(policy_id)?;
    let names = agent_names(&dd, &b)?;
    let bindings: Vec<&Binding> = b
        .bindings
        .iter()
        .filter(|x| x.policy_id.eq_ignore_ascii_case(policy_id))
        .collect();
    let checked = crate::policy::check_policy(&path.display().to_string(), text.as_bytes());
    if out.json {
        out.json_value(&json!({
            "policy_id": policy_id.to_ascii_lowercase(),
            "name": entry.and_then(|e| e.name.clone()),
            "description": entry.and_then(|e| e.description.clone()),
            "owner_type": entry.map(|e| e.owner_type.as_str()),
            "owner_id": entry.map(|e| e.owner_id.clone()),
            "created_at": entry.map(|e| e.created_at.clone()),
            "updated_at": entry.and_then(|e| e.updated_at.clone()),
            "path": path.display().to_string(),
            "yaml": text,
            "valid": checked.policy.is_some(),
            "diagnostics": crate::policy::diag::render_json(&checked.diagnostics),
            "bindings": bindings.iter().map(|x| binding_json(&names, x)).collect::<Vec<_>>(),
        }));
        return Ok(0);
    }
    let body = if out.color {
        highlight_yaml(out, &text)
    } else {
        text.clone()
    };
    out.data(body.trim_end_matches('\n'));
    if out.quiet {
        return Ok(0);
    }
    // As YAML comments, so `policy show ID > file.yaml` still gives a valid policy file.
    let mut notes = vec![String::new()];
    if let Some(e) = entry {
        let name = e.name.as_deref().unwrap_or("(no name)");
        notes.push(format!(
            "# policy {} \u{2014} {name}, owner {} ({})",
            e.policy_id,
            e.owner_id,
            e.owner_type.as_str()
        ));
    }
    if bindings.is_empty() {
        notes.push("# bindings: none (this policy applies to no agent)".into());
    } else {
        notes.push("# bindings:".into());
        for x in &bindings {
            notes.push(format!(
                "#   - {} of owner {} (rank {})",
                target_label(&names, x.agent_principal_id.as_deref()),
                x.owner_id,
                x.effective_rank()
            ));
        }
    }
    if checked.policy.is_none() {
        notes.push(format!(
            "# INVALID: decisions for its agents fail closed; see `openleash policy validate {}`",
            path.display()
        ));
    }
    for n in notes {
        out.line(out.dim(&n));
    }
    Ok(0)
}

/// Minimal YAML colouring for a terminal: comments dim, keys bold.
pub(crate) fn highlight_yaml(out: &Output, text: &str) -> String {
    let mut s = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with('#') {
            s.push_str(&out.dim(line));
        } else {
            let (dash, rest) = match trimmed.strip_prefix("- ") {
                Some(r) => ("- ", r),
                None => ("", trimmed),
            };
            match rest.split_once(':') {
                Some((key, value))
                    if !key.is_empty() && !key.contains([' ', '{', '[', '"', '\'']) =>
                {
                    s.push_str(&format!("{indent}{dash}{}:{value}", out.bold(key)));
                }
                _ => s.push_str(line),
            }
        }
        s.push('\n');
    }
    s
}

/// Resolves `--owner`/`--agent` for a binding: the agent's owner unless `--owner` says
/// otherwise, which is an error.
fn owner_and_agent(
    dd: &DataDir,
    owner: Option<&str>,
    agent: Option<&str>,
    default_owner: Option<&str>,
) -> Result<(Owner, Option<crate::store::agents::Agent>)> {
    let agent = agent.map(|a| dd.agent(a)).transpose()?;
    let owner = match (owner, &agent, default_owner) {
        (Some(o), _, _) => dd.owner(o)?,
        (None, Some(a), _) => dd.owner(&a.owner_id)?,
        (None, None, Some(o)) => dd.owner(o)?,
        (None, None, None) => dd.resolve_owner(None)?,
    };
    if let Some(a) = &agent
        && !a.owner_id.eq_ignore_ascii_case(&owner.owner_id)
    {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "agent {} belongs to owner {}, not {}",
                a.agent_id, a.owner_id, owner.owner_id
            ),
        )
        .with_hint("leave out --owner, or name an agent of that owner"));
    }
    Ok((owner, agent))
}

/// Owners that had a binding in `before` and have none in `after`.
/// Warns about each owner that lost a binding of this policy and has none left anywhere.
/// `before`/`after` are the changed policy's views; the rest is asked per owner (best effort: a
/// damaged record elsewhere only skips the warning).
fn warn_unbound_owners(dd: &DataDir, before: &Bindings, after: &Bindings) {
    let owners = |b: &Bindings| -> BTreeSet<String> {
        b.bindings.iter().map(|x| x.owner_id.clone()).collect()
    };
    let now = owners(after);
    for o in owners(before).difference(&now) {
        if dd.owner_has_bindings(o).unwrap_or(true) {
            continue;
        }
        crate::output::warn(&format!(
            "owner {o} has no policy bound any more: its agents' requests now fail with NO_POLICY"
        ));
    }
}

pub(crate) fn unified_diff(
    out: &Output,
    old: &str,
    new: &str,
    old_name: &str,
    new_name: &str,
) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    if !out.color {
        return text;
    }
    text.lines()
        .map(|l| {
            if l.starts_with("+++") || l.starts_with("---") {
                out.bold(l)
            } else if l.starts_with('+') {
                console::style(l).green().to_string()
            } else if l.starts_with('-') {
                console::style(l).red().to_string()
            } else if l.starts_with("@@") {
                console::style(l).cyan().to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

pub fn upsert(args: UpsertArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    // Validate before anything else: an invalid policy writes nothing.
    let (text, _) = load_policy(ctx, &args.file, ErrorCode::InvalidPolicy)?;
    if let Some(id) = &args.policy_id {
        crate::ids::check_uuid("policy id", id)?;
    }
    // Only the named policy's record: creating or replacing is O(1) in the catalogue's size.
    let current = match &args.policy_id {
        Some(id) => dd.policy_entry(id)?,
        None => None,
    };
    match current {
        Some(entry) => replace(&dd, ctx, args, entry, text),
        None => create(&dd, ctx, args, text),
    }
}

fn check_owner_type(owner: &Owner, arg: Option<crate::cli::OwnerTypeArg>) -> Result<()> {
    let wanted = match arg {
        None => return Ok(()),
        Some(crate::cli::OwnerTypeArg::User) => OwnerType::User,
        Some(crate::cli::OwnerTypeArg::Org) => OwnerType::Org,
    };
    if owner.owner_type != wanted {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "owner {} is of type {}, not {}",
                owner.owner_id,
                owner.owner_type.as_str(),
                wanted.as_str()
            ),
        ));
    }
    Ok(())
}

fn create(dd: &DataDir, ctx: &Ctx, args: UpsertArgs, text: String) -> Result<u8> {
    let (owner, agent) = owner_and_agent(dd, args.owner.as_deref(), args.agent.as_deref(), None)?;
    check_owner_type(&owner, args.owner_type)?;
    let agent_pid = agent.as_ref().map(|a| a.agent_principal_id.clone());
    let code =
        crate::commands::prompt::totp_code(ctx, dd, &owner.owner_id, args.totp_code.clone())?;
    let policy_id = crate::handlers::policies::create_gated(
        dd,
        &crate::handlers::policies::NewPolicy {
            policy_id: args.policy_id.clone(),
            owner_type: owner.owner_type,
            owner_id: owner.owner_id.clone(),
            agent_principal_id: agent_pid.clone(),
            name: args.name.clone(),
            description: args.description.clone(),
            rank: args.rank,
            text,
        },
        code.as_deref(),
    )?;
    let path = dd.policy_path(&policy_id)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!({
            "policy_id": policy_id,
            "created": true,
            "path": path.display().to_string(),
            "owner_id": owner.owner_id,
            "agent_principal_id": agent_pid,
            "rank": args.rank.unwrap_or(100),
        }));
        return Ok(0);
    }
    out.note(format!("Policy created: {policy_id}"));
    out.note(format!("  Path:       {}", path.display()));
    out.note(format!(
        "  Applies to: {}",
        match &agent {
            Some(a) => format!("agent {} ({})", a.agent_id, a.agent_principal_id),
            None => format!("all agents of owner {}", owner.owner_id),
        }
    ));
    super::explain::note_chains(dd, out, &owner.owner_id, agent.as_ref());
    out.data(&policy_id);
    Ok(0)
}

fn replace(
    dd: &DataDir,
    ctx: &Ctx,
    args: UpsertArgs,
    entry: PolicyEntry,
    text: String,
) -> Result<u8> {
    let out = &ctx.out;
    let policy_id = entry.policy_id.clone();
    let path = dd.policy_path(&policy_id)?;
    if let Some(o) = &args.owner
        && !o.eq_ignore_ascii_case(&entry.owner_id)
    {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "policy {policy_id} belongs to owner {}, not {o}",
                entry.owner_id
            ),
        )
        .with_hint("leave out --owner when replacing a policy"));
    }
    let (owner, agent) = owner_and_agent(dd, Some(&entry.owner_id), args.agent.as_deref(), None)?;
    check_owner_type(&owner, args.owner_type)?;
    let old_text = match crate::store::fsio::read_optional(&path)? {
        Some(b) => String::from_utf8_lossy(&b).into_owned(),
        None => String::new(),
    };
    let text_changed = old_text != text;
    // `--agent`/`--rank` on a replace make sure that binding exists (so an upsert script can be
    // re-run); without them the bindings stay as they are.
    let wants_binding = args.agent.is_some() || args.rank.is_some();
    let agent_pid = agent.as_ref().map(|a| a.agent_principal_id.clone());
    let meta_changed = args
        .name
        .as_ref()
        .is_some_and(|n| entry.name.as_ref() != Some(n))
        || args
            .description
            .as_ref()
            .is_some_and(|d| entry.description.as_ref() != Some(d));

    if text_changed && !out.json {
        out.note(unified_diff(
            out,
            &old_text,
            &text,
            &format!("policy {policy_id} (stored)"),
            &super::display_name(&args.file),
        ));
    }
    if text_changed
        && !super::super::confirm(ctx, &format!("Replace policy {policy_id}?"), args.yes)?
    {
        out.note("Nothing changed.");
        return Ok(1);
    }
    // A replace is a policy change: the owner's second factor first (SPEC §17).
    let code =
        crate::commands::prompt::totp_code(ctx, dd, &owner.owner_id, args.totp_code.clone())?;
    crate::handlers::totp::gate(dd, &dd.config()?, &owner.owner_id, code.as_deref())?;

    let mut bound = None;
    {
        let _lock = dd.lock()?;
        let before = dd.policy_view(&policy_id)?;
        let mut b = before.clone();
        let on_disk = crate::store::fsio::read_optional(&path)?
            .map(|x| String::from_utf8_lossy(&x).into_owned())
            .unwrap_or_default();
        if on_disk != old_text {
            return Err(Error::new(
                ErrorCode::InvalidStatus,
                format!(
                    "policy {policy_id} was changed by another process while you reviewed the diff"
                ),
            )
            .with_hint("run the command again to see the new diff"));
        }
        let mut binding_changed = false;
        if wants_binding {
            let existing = b.bindings.iter_mut().find(|x| {
                x.policy_id.eq_ignore_ascii_case(&policy_id)
                    && x.owner_id.eq_ignore_ascii_case(&owner.owner_id)
                    && x.agent_principal_id == agent_pid
                    && x.group_id.is_none()
            });
            match existing {
                Some(x) if args.rank.is_some() && x.rank != args.rank => {
                    x.rank = args.rank;
                    binding_changed = true;
                }
                Some(_) => {}
                None => {
                    b.bindings.push(Binding {
                        policy_id: policy_id.clone(),
                        owner_type: owner.owner_type,
                        owner_id: owner.owner_id.clone(),
                        agent_principal_id: agent_pid.clone(),
                        group_id: None,
                        rank: args.rank,
                    });
                    binding_changed = true;
                }
            }
        }
        if !text_changed && !meta_changed && !binding_changed {
            drop(_lock);
            if out.json {
                out.json_value(
                    &json!({"policy_id": policy_id, "created": false, "changed": false}),
                );
            } else {
                out.note(format!("Policy {policy_id} unchanged."));
                out.data(&policy_id);
            }
            return Ok(0);
        }
        if let Some(e) = b
            .policies
            .iter_mut()
            .find(|e| e.policy_id.eq_ignore_ascii_case(&policy_id))
        {
            if let Some(n) = &args.name {
                e.name = Some(n.clone());
            }
            if let Some(d) = &args.description {
                e.description = Some(d.clone());
            }
            e.updated_at = Some(crate::timefmt::now_string());
        }
        let mut txn = Txn::default();
        if text_changed {
            txn.write(&path, text.into_bytes());
        }
        dd.stage_policy_change(&mut txn, &before, &b)?;
        txn.commit()?;
        if binding_changed {
            bound = Some(args.rank);
        }
    }
    let mut events = vec![
        NewEvent::new(
            "POLICY_UPDATED",
            json!({"policy_id": policy_id, "text_changed": text_changed}),
        )
        .principal(&owner.owner_id),
    ];
    if let Some(rank) = bound {
        events.push(
            NewEvent::new(
                "POLICY_BOUND",
                json!({
                    "policy_id": policy_id,
                    "owner_type": owner.owner_type.as_str(),
                    "owner_id": owner.owner_id,
                    "agent_principal_id": agent_pid,
                    "rank": rank,
                }),
            )
            .principal(&owner.owner_id),
        );
    }
    dd.append_audit(events)?;
    if out.json {
        out.json_value(&json!({
            "policy_id": policy_id,
            "created": false,
            "changed": true,
            "path": path.display().to_string(),
        }));
    } else {
        out.note(format!("Policy updated: {policy_id}"));
        super::explain::note_chains(dd, out, &owner.owner_id, agent.as_ref());
        out.data(&policy_id);
    }
    Ok(0)
}

pub fn bind(args: BindArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    dd.policy_path(&args.policy_id)?;
    let entry = dd
        .policy_entry(&args.policy_id)?
        .ok_or_else(|| policy_not_found(&args.policy_id))?;
    let (owner, agent) = owner_and_agent(
        &dd,
        args.owner.as_deref(),
        args.agent.as_deref(),
        Some(&entry.owner_id),
    )?;
    let agent_pid = agent.as_ref().map(|a| a.agent_principal_id.clone());
    // The one agent named, not every agent's record.
    let names: HashMap<String, String> = agent
        .iter()
        .map(|a| (a.agent_principal_id.clone(), a.agent_id.clone()))
        .collect();
    let target = target_label(&names, agent_pid.as_deref());
    let code = crate::commands::prompt::totp_code(ctx, &dd, &owner.owner_id, args.totp_code)?;
    let changed = crate::handlers::policies::bind(
        &dd,
        &owner,
        &entry.policy_id,
        agent_pid.as_deref(),
        args.rank,
        code.as_deref(),
    )?;
    let rank = args.rank.unwrap_or(100);
    if out.json {
        out.json_value(&json!({
            "policy_id": entry.policy_id,
            "owner_id": owner.owner_id,
            "agent_principal_id": agent_pid,
            "rank": rank,
            "changed": changed,
        }));
    } else if changed {
        out.note(format!(
            "Bound policy {} to {target} of owner {} (rank {rank}).",
            entry.policy_id, owner.owner_id
        ));
        super::explain::note_chains(&dd, out, &owner.owner_id, agent.as_ref());
    } else {
        out.note(format!(
            "Policy {} is already bound to {target}; nothing changed.",
            entry.policy_id
        ));
    }
    Ok(0)
}

pub fn unbind(args: UnbindArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    dd.policy_path(&args.policy_id)?;
    let owner = args.owner.as_deref().map(|o| dd.owner(o)).transpose()?;
    let agent = args.agent.as_deref().map(|a| dd.agent(a)).transpose()?;
    let agent_pid = agent.as_ref().map(|a| a.agent_principal_id.clone());
    let actor = match &owner {
        Some(o) => Some(o.owner_id.clone()),
        None => dd
            .policy_view(&args.policy_id)?
            .policy(&args.policy_id)
            .map(|e| e.owner_id.clone()),
    };
    let code = match &actor {
        Some(a) => crate::commands::prompt::totp_code(ctx, &dd, a, args.totp_code)?,
        None => args.totp_code,
    };
    let (before, after) = crate::handlers::policies::unbind(
        &dd,
        &args.policy_id,
        owner.as_ref().map(|o| o.owner_id.as_str()),
        agent_pid.as_deref().map(Some),
        code.as_deref(),
    )?;
    let removed = before.bindings.len() - after.bindings.len();
    if removed > 0 {
        warn_unbound_owners(&dd, &before, &after);
    }
    if out.json {
        out.json_value(&json!({
            "policy_id": args.policy_id.to_ascii_lowercase(),
            "bindings_removed": removed,
        }));
    } else {
        out.note(format!(
            "Unbound policy {}: {removed} binding(s) removed.",
            args.policy_id.to_ascii_lowercase()
        ));
    }
    Ok(0)
}

pub fn delete(policy_id: &str, yes: bool, totp_code: Option<String>, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    dd.policy_path(policy_id)?;
    // Only this policy's record is needed: a delete works however large or damaged the rest.
    let view = dd.policy_view(policy_id)?;
    let entry = view
        .policy(policy_id)
        .cloned()
        .ok_or_else(|| policy_not_found(policy_id))?;
    let id = entry.policy_id.clone();
    let bound = view.bindings.len();
    if !super::super::confirm(
        ctx,
        &format!("Delete policy {id} and its {bound} binding(s)?"),
        yes,
    )? {
        out.note("Nothing changed.");
        return Ok(1);
    }
    let code = crate::commands::prompt::totp_code(ctx, &dd, &entry.owner_id, totp_code)?;
    let (_, removed) = crate::handlers::policies::delete(&dd, None, &id, code.as_deref())?;
    warn_unbound_owners(&dd, &view, &Bindings::default());
    if out.json {
        out.json_value(&json!({"policy_id": id, "deleted": true, "bindings_removed": removed}));
    } else {
        out.note(format!(
            "Policy deleted: {id} ({removed} binding(s) removed)"
        ));
    }
    Ok(0)
}

pub fn profiles(cmd: Option<ProfilesCommand>, ctx: &Ctx) -> Result<u8> {
    let out = &ctx.out;
    match cmd {
        Some(ProfilesCommand::Show { name }) => {
            let text = crate::profiles::yaml(name);
            if out.json {
                out.json_value(&json!({"name": name.name(), "yaml": text}));
            } else {
                out.data(text.trim_end_matches('\n'));
            }
        }
        None => {
            let rows: Vec<(&str, u64, &str, usize)> = crate::profiles::ALL
                .iter()
                .map(|(p, max, about)| {
                    let rules =
                        crate::policy::check_policy(p.name(), crate::profiles::yaml(*p).as_bytes())
                            .policy
                            .map_or(0, |x| x.rules.len());
                    (p.name(), *max, *about, rules)
                })
                .collect();
            if out.json {
                out.json_value(&Value::Array(
                    rows.iter()
                        .map(|(name, max, about, rules)| {
                            json!({"name": name, "purchase_max": max, "rules": rules, "description": about})
                        })
                        .collect(),
                ));
                return Ok(0);
            }
            let mut t = out.table(&["PROFILE", "PURCHASE MAX", "RULES", "DESCRIPTION"]);
            for (name, max, about, rules) in rows {
                t.add_row(vec![
                    name.to_string(),
                    max.to_string(),
                    rules.to_string(),
                    about.to_string(),
                ]);
            }
            out.print_table(&t);
            out.note("Show one with `openleash policy profiles show NAME`.");
        }
    }
    Ok(0)
}
