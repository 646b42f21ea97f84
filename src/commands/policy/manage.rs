//! `openleash policy list|show|upsert|bind|unbind|delete|profiles` (next change).

use super::Ctx;
use crate::cli::{BindArgs, ProfilesCommand, UnbindArgs, UpsertArgs};
use crate::error::{Error, Result};

fn todo() -> Result<u8> {
    Err(Error::internal("this `policy` subcommand is not built yet"))
}

pub fn list(_ctx: &Ctx) -> Result<u8> {
    todo()
}
pub fn show(_id: &str, _ctx: &Ctx) -> Result<u8> {
    todo()
}
pub fn upsert(_a: UpsertArgs, _ctx: &Ctx) -> Result<u8> {
    todo()
}
pub fn bind(_a: BindArgs, _ctx: &Ctx) -> Result<u8> {
    todo()
}
pub fn unbind(_a: UnbindArgs, _ctx: &Ctx) -> Result<u8> {
    todo()
}
pub fn delete(_id: &str, _yes: bool, _ctx: &Ctx) -> Result<u8> {
    todo()
}
pub fn profiles(_c: Option<ProfilesCommand>, _ctx: &Ctx) -> Result<u8> {
    todo()
}
