//! `openleash policy diff` (next change).

use super::Ctx;
use crate::cli::DiffArgs;
use crate::error::{Error, Result};

pub fn run(_a: DiffArgs, _ctx: &Ctx) -> Result<u8> {
    Err(Error::internal("`policy diff` is not built yet"))
}
