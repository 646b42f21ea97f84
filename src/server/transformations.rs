//! HTTP adapters for output transformations (upstream `routes/transformations.ts`): the owner's
//! CRUD under `/v1/owner/transformations` and the agent's `GET /v1/agent/transformations`. The
//! rules live in [`crate::handlers::transformations`]; this only translates JSON.

use super::openapi::{OPT_STR, STR, list_of, obj, op, session_errors, with_id};
use super::request::Req;
use super::state::AppState;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::transformations::{self as tf, NewTransformation, TransformationPatch};
use crate::store::owners::Owner;
use serde_json::{Map, Value, json};

fn owner<'a>(r: &'a Req<'_>) -> Result<&'a Owner> {
    r.owner
        .as_ref()
        .ok_or_else(|| Error::internal("owner route without a session"))
}

fn id<'a>(r: &Req<'a>) -> Result<&'a str> {
    r.param("id")
        .ok_or_else(|| Error::internal("route without an {id} parameter"))
}

fn bad(key: &str, what: &str) -> Error {
    Error::new(ErrorCode::InvalidRequest, format!("`{key}` must be {what}"))
}

/// Absent → `None`; `null` → `Some(None)`; a string → `Some(Some(..))`.
fn nullable_string(m: &Map<String, Value>, key: &str) -> Result<Option<Option<String>>> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(_) => Err(bad(key, "a string or null")),
    }
}

fn opt_bool(m: &Map<String, Value>, key: &str) -> Result<Option<bool>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(bad(key, "true or false")),
    }
}

fn opt_rank(m: &Map<String, Value>) -> Result<Option<i64>> {
    match m.get("rank") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| bad("rank", "an integer")),
    }
}

fn record(t: &crate::store::transformations::Transformation) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

pub fn agent_list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    Ok(tf::agent_json(&tf::for_agent(&s.dd, r.agent()?)?))
}

pub fn owner_list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let list = tf::list_for_owner(&s.dd, &owner(r)?.owner_id)?;
    Ok(json!({"transformations": list.iter().map(record).collect::<Vec<_>>()}))
}

pub fn owner_get(s: &AppState, r: &Req<'_>) -> Result<Value> {
    Ok(record(&tf::get_for_owner(
        &s.dd,
        &owner(r)?.owner_id,
        id(r)?,
    )?))
}

pub fn owner_create(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let rule = m.get("rule").cloned().ok_or_else(|| {
        Error::new(ErrorCode::InvalidRequest, "`rule` is required").with_hint(
            "e.g. {\"rule\": {\"type\": \"cap_output_length\", \"max_characters\": 20000}}",
        )
    })?;
    let t = tf::create(
        &s.dd,
        owner(r)?,
        NewTransformation {
            rule,
            name: nullable_string(&m, "name")?.flatten(),
            description: nullable_string(&m, "description")?.flatten(),
            applies_to_agent_principal_id: nullable_string(&m, "applies_to_agent_principal_id")?
                .flatten(),
            enabled: opt_bool(&m, "enabled")?,
            rank: opt_rank(&m)?,
        },
    )?;
    Ok(json!({"transformation_id": t.transformation_id, "status": "created", "rank": t.rank}))
}

pub fn owner_update(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let patch = TransformationPatch {
        rule: m.get("rule").filter(|v| !v.is_null()).cloned(),
        name: nullable_string(&m, "name")?,
        description: nullable_string(&m, "description")?,
        enabled: opt_bool(&m, "enabled")?,
        rank: opt_rank(&m)?,
    };
    let t = tf::update(&s.dd, &owner(r)?.owner_id, id(r)?, patch)?;
    Ok(json!({"transformation_id": t.transformation_id, "status": "updated"}))
}

pub fn owner_delete(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let t = tf::delete(&s.dd, &owner(r)?.owner_id, id(r)?)?;
    Ok(json!({"transformation_id": t.transformation_id, "status": "deleted"}))
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

fn rule_schema() -> Value {
    json!({"oneOf": [
        obj(json!({"type": {"const": "cap_output_length"}, "max_characters": {"type": ["integer", "null"], "minimum": 1}, "max_lines": {"type": ["integer", "null"], "minimum": 1}}), &["type"]),
        obj(json!({"type": {"const": "regex_replace"}, "from_pattern": {"type": "string", "minLength": 1}, "to_pattern": STR()}), &["type", "from_pattern", "to_pattern"]),
    ]})
}

fn transformation_record() -> Value {
    obj(
        json!({"transformation_id": STR(), "owner_type": {"enum": ["user", "org"]}, "owner_id": STR(), "applies_to_agent_principal_id": OPT_STR(), "name": OPT_STR(), "description": OPT_STR(), "enabled": {"type": "boolean"}, "rank": {"type": "integer"}, "rule": rule_schema(), "created_at": STR(), "updated_at": STR()}),
        &[
            "transformation_id",
            "owner_id",
            "enabled",
            "rank",
            "rule",
            "created_at",
        ],
    )
}

fn status(word: &str) -> Value {
    obj(
        json!({"transformation_id": STR(), "status": {"const": word}}),
        &["transformation_id", "status"],
    )
}

const RULE_ERRORS: (&str, &str) = (
    "400",
    "VALIDATION_ERROR (details.problems: field, message, position in the pattern), INVALID_REQUEST, INVALID_JSON",
);

pub fn doc_agent_list() -> Value {
    op(
        "The enabled output transformations that apply to the calling agent, by rank (each rule's fields inline)",
        list_of(
            "transformations",
            json!({"allOf": [obj(json!({"transformation_id": STR(), "name": OPT_STR(), "rank": {"type": "integer"}}), &["transformation_id", "rank"]), rule_schema()]}),
        ),
        &[],
        None,
    )
}

pub fn doc_owner_list() -> Value {
    op(
        "The owner's output transformations, by rank",
        list_of("transformations", transformation_record()),
        &session_errors(),
        None,
    )
}

pub fn doc_owner_get() -> Value {
    with_id(op(
        "One of the owner's output transformations",
        transformation_record(),
        &[session_errors()[0], ("404", "NOT_FOUND")],
        None,
    ))
}

pub fn doc_owner_create() -> Value {
    op(
        "Create an output transformation (rank: after the owner's last one unless given)",
        obj(
            json!({"transformation_id": STR(), "status": {"const": "created"}, "rank": {"type": "integer"}}),
            &["transformation_id", "status"],
        ),
        &[RULE_ERRORS, session_errors()[0]],
        Some(obj(
            json!({"rule": rule_schema(), "name": OPT_STR(), "description": OPT_STR(), "applies_to_agent_principal_id": OPT_STR(), "enabled": {"type": "boolean"}, "rank": {"type": "integer"}}),
            &["rule"],
        )),
    )
}

pub fn doc_owner_update() -> Value {
    with_id(op(
        "Change a transformation's rule, name, description, enabled flag or rank",
        status("updated"),
        &[RULE_ERRORS, session_errors()[0], ("404", "NOT_FOUND")],
        Some(obj(
            json!({"rule": rule_schema(), "name": OPT_STR(), "description": OPT_STR(), "enabled": {"type": "boolean"}, "rank": {"type": "integer"}}),
            &[],
        )),
    ))
}

pub fn doc_owner_delete() -> Value {
    with_id(op(
        "Delete a transformation",
        status("deleted"),
        &[session_errors()[0], ("404", "NOT_FOUND")],
        None,
    ))
}
