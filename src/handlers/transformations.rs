//! Output transformations (upstream `routes/transformations.ts`): owners keep rules that shape
//! what tools return before an agent sees it; agents fetch the rules that apply to them, ordered
//! by rank. The CLI (`openleash transform …`), the HTTP API and the MCP proxy call these.
//!
//! Every change is audited (`TRANSFORMATION_CREATED|UPDATED|DELETED`, as upstream) in the same
//! critical section as the file write.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::transform::Rule;
use crate::store::agents::Agent;
use crate::store::owners::Owner;
use crate::store::transformations::Transformation;
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};

/// Longest `name` / `description` accepted (upstream's limits).
const MAX_NAME: usize = 120;
const MAX_DESCRIPTION: usize = 500;

pub struct NewTransformation {
    pub rule: Value,
    pub name: Option<String>,
    pub description: Option<String>,
    pub applies_to_agent_principal_id: Option<String>,
    pub enabled: Option<bool>,
    /// Default: after the owner's last one (upstream: max + 100).
    pub rank: Option<i64>,
}

/// A partial update; `Some(None)` clears `name` / `description`.
#[derive(Default)]
pub struct TransformationPatch {
    pub rule: Option<Value>,
    pub name: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
    pub rank: Option<i64>,
}

/// Checks a rule; every problem is in the error's `details.problems` (field, message, and for
/// regexes the character position in the pattern).
pub fn check_rule(v: &Value) -> Result<Rule> {
    Rule::parse(v).map_err(|problems| {
        let first = &problems[0];
        let mut e = Error::new(
            ErrorCode::ValidationError,
            format!("{}: {}", first.field, first.message),
        )
        .with_details(json!({ "problems": problems }));
        if let Some(h) = &first.help {
            e = e.with_hint(h.clone());
        }
        e
    })
}

fn text_field(value: Option<String>, field: &str, max: usize) -> Result<Option<String>> {
    let v = value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(s) = &v
        && s.chars().count() > max
    {
        return Err(Error::new(
            ErrorCode::ValidationError,
            format!("{field} is longer than {max} characters"),
        ));
    }
    Ok(v)
}

fn not_found(id: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("no transformation {id} among yours"),
    )
    .with_hint("list them with `openleash transform list`")
}

/// The owner's transformations, by rank.
pub fn list_for_owner(dd: &DataDir, owner_id: &str) -> Result<Vec<Transformation>> {
    Ok(dd
        .transformations()?
        .into_iter()
        .filter(|t| t.owner_id.eq_ignore_ascii_case(owner_id))
        .collect())
}

/// One of the owner's transformations (another owner's reads as not found).
pub fn get_for_owner(dd: &DataDir, owner_id: &str, id: &str) -> Result<Transformation> {
    dd.transformation(id)?
        .filter(|t| t.owner_id.eq_ignore_ascii_case(owner_id))
        .ok_or_else(|| not_found(id))
}

pub fn create(dd: &DataDir, owner: &Owner, n: NewTransformation) -> Result<Transformation> {
    let rule = check_rule(&n.rule)?;
    let name = text_field(n.name, "name", MAX_NAME)?;
    let description = text_field(n.description, "description", MAX_DESCRIPTION)?;
    let agent = match n.applies_to_agent_principal_id {
        None => None,
        Some(id) => {
            crate::ids::check_uuid("applies_to_agent_principal_id", &id)?;
            let a = dd
                .agent_by_principal(&id)
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
    let lock = dd.lock()?;
    let rank = match n.rank {
        Some(r) => r,
        None => list_for_owner(dd, &owner.owner_id)?
            .iter()
            .map(|t| t.rank)
            .max()
            .map_or(100, |r| r.saturating_add(100)),
    };
    let t = Transformation {
        transformation_id: crate::ids::new_id(),
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        applies_to_agent_principal_id: agent,
        name,
        description,
        enabled: n.enabled.unwrap_or(true),
        rank,
        rule: rule.to_json(),
        created_at: crate::timefmt::now_string(),
        updated_at: None,
    };
    let mut txn = Txn::default();
    dd.stage_transformation(&mut txn, &t)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "TRANSFORMATION_CREATED",
                json!({
                    "transformation_id": t.transformation_id,
                    "user_principal_id": owner.owner_id,
                    "rule_type": rule.type_name(),
                    "applies_to_agent_principal_id": t.applies_to_agent_principal_id,
                }),
            )
            .principal(&owner.owner_id),
        ],
    )?;
    Ok(t)
}

pub fn update(
    dd: &DataDir,
    owner_id: &str,
    id: &str,
    p: TransformationPatch,
) -> Result<Transformation> {
    let rule = p.rule.as_ref().map(check_rule).transpose()?;
    let name = p
        .name
        .map(|n| text_field(n, "name", MAX_NAME))
        .transpose()?;
    let description = p
        .description
        .map(|d| text_field(d, "description", MAX_DESCRIPTION))
        .transpose()?;
    let lock = dd.lock()?;
    let mut t = get_for_owner(dd, owner_id, id)?;
    if let Some(r) = &rule {
        t.rule = r.to_json();
    }
    if let Some(n) = name {
        t.name = n;
    }
    if let Some(d) = description {
        t.description = d;
    }
    if let Some(e) = p.enabled {
        t.enabled = e;
    }
    if let Some(r) = p.rank {
        t.rank = r;
    }
    t.updated_at = Some(crate::timefmt::now_string());
    let mut txn = Txn::default();
    dd.stage_transformation(&mut txn, &t)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "TRANSFORMATION_UPDATED",
                json!({"transformation_id": t.transformation_id, "user_principal_id": t.owner_id}),
            )
            .principal(&t.owner_id),
        ],
    )?;
    Ok(t)
}

pub fn delete(dd: &DataDir, owner_id: &str, id: &str) -> Result<Transformation> {
    let lock = dd.lock()?;
    let t = get_for_owner(dd, owner_id, id)?;
    let mut txn = Txn::default();
    dd.stage_remove_transformation(&mut txn, &t.transformation_id)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "TRANSFORMATION_DELETED",
                json!({"transformation_id": t.transformation_id, "user_principal_id": t.owner_id}),
            )
            .principal(&t.owner_id),
        ],
    )?;
    Ok(t)
}

/// The enabled rules that apply to `agent` (owner-wide or for it), by rank. A stored rule that
/// no longer parses (edited by hand) is an error naming it: failing loudly beats silently
/// passing unredacted output on.
pub fn for_agent(dd: &DataDir, agent: &Agent) -> Result<Vec<(Transformation, Rule)>> {
    dd.transformations()?
        .into_iter()
        .filter(|t| t.enabled && t.owner_id.eq_ignore_ascii_case(&agent.owner_id))
        .filter(|t| {
            t.applies_to_agent_principal_id
                .as_deref()
                .is_none_or(|a| a.eq_ignore_ascii_case(&agent.agent_principal_id))
        })
        .map(|t| {
            let rule = check_rule(&t.rule).map_err(|e| {
                Error::new(
                    ErrorCode::DataCorrupt,
                    format!(
                        "transformation {} has an invalid rule: {}",
                        t.transformation_id, e.message
                    ),
                )
                .with_hint("fix it with `openleash transform update ID --rule JSON`, or delete it")
            })?;
            Ok((t, rule))
        })
        .collect()
}

/// `GET /v1/agent/transformations`: `{transformations: [{transformation_id, name, rank, ...rule}]}`.
pub fn agent_json(list: &[(Transformation, Rule)]) -> Value {
    let items: Vec<Value> = list
        .iter()
        .map(|(t, r)| {
            let mut v =
                json!({"transformation_id": t.transformation_id, "name": t.name, "rank": t.rank});
            if let (Some(m), Value::Object(rule)) = (v.as_object_mut(), r.to_json()) {
                m.extend(rule);
            }
            v
        })
        .collect();
    json!({ "transformations": items })
}

/// Rules from the agent shape above (what a remote MCP proxy fetches), in the order given.
pub fn rules_from_agent_json(v: &Value) -> Result<Vec<Rule>> {
    let items = v["transformations"].as_array().ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidBody,
            "the server's transformations response has no `transformations` list",
        )
    })?;
    items
        .iter()
        .map(|item| {
            let mut rule = item.clone();
            if let Some(m) = rule.as_object_mut() {
                for k in ["transformation_id", "name", "rank"] {
                    m.remove(k);
                }
                // Upstream writes absent caps as null; keep only what the rule type knows.
                m.retain(|_, v| !v.is_null());
            }
            check_rule(&rule)
        })
        .collect()
}

/// What `transform apply` reports.
pub struct Applied {
    pub output: String,
    /// Ids of the rules that changed the text, in order.
    pub changed_by: Vec<String>,
}

pub fn apply(list: &[(Transformation, Rule)], text: &str) -> Applied {
    let mut output = text.to_string();
    let mut changed_by = Vec::new();
    for (t, r) in list {
        let next = r.apply(&output);
        if next != output {
            changed_by.push(t.transformation_id.clone());
            output = next;
        }
    }
    Applied { output, changed_by }
}
