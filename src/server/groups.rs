//! HTTP adapters for policy groups (`/v1/owner/organizations/{org_id}/policy-groups…`): each
//! parses its input, names the session's user as the [`Actor`] and calls
//! `handlers::policy_groups`, where the role checks live.

use super::request::Req;
use super::state::AppState;
use super::workflow::{opt_string, owner};
use crate::error::{Error, Result};
use crate::handlers::policy_groups::{self as pg, GroupUpdate, NewGroup};
use crate::handlers::roles::Actor;
use serde_json::Value;

fn actor(r: &Req<'_>) -> Result<Actor> {
    Ok(Actor::User(owner(r)?.owner_id.clone()))
}

fn param<'a>(r: &Req<'a>, name: &str) -> Result<&'a str> {
    r.param(name)
        .ok_or_else(|| Error::internal(format!("route without a {{{name}}} parameter")))
}

pub fn list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    pg::org_list(&s.dd, &actor(r)?, param(r, "org_id")?)
}

pub fn create(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = param(r, "org_id")?;
    // The role check before the body is looked at, as everywhere on the org routes.
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::GroupCreate)?;
    let m = r.json_object()?;
    let g = NewGroup {
        name: opt_string(&m, "name")?.unwrap_or_default(),
        slug: opt_string(&m, "slug")?,
        description: opt_string(&m, "description")?,
    };
    pg::org_create(&s.dd, &a, org, g)
}

pub fn show(s: &AppState, r: &Req<'_>) -> Result<Value> {
    pg::org_show(
        &s.dd,
        &actor(r)?,
        param(r, "org_id")?,
        param(r, "group_id")?,
    )
}

pub fn update(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = param(r, "org_id")?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::GroupUpdate)?;
    let m = r.json_object()?;
    let u = GroupUpdate {
        name: opt_string(&m, "name")?,
        slug: opt_string(&m, "slug")?,
        description: opt_string(&m, "description")?,
    };
    pg::org_update(&s.dd, &a, org, param(r, "group_id")?, u)
}

pub fn delete(s: &AppState, r: &Req<'_>) -> Result<Value> {
    pg::org_delete(
        &s.dd,
        &actor(r)?,
        param(r, "org_id")?,
        param(r, "group_id")?,
    )
}

pub fn add_agent(s: &AppState, r: &Req<'_>) -> Result<Value> {
    pg::org_add_agent(
        &s.dd,
        &actor(r)?,
        param(r, "org_id")?,
        param(r, "group_id")?,
        param(r, "agent_id")?,
    )
}

pub fn remove_agent(s: &AppState, r: &Req<'_>) -> Result<Value> {
    pg::org_remove_agent(
        &s.dd,
        &actor(r)?,
        param(r, "org_id")?,
        param(r, "group_id")?,
        param(r, "agent_id")?,
    )
}
