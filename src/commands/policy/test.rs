//! `openleash policy test` (next change).

use super::Ctx;
use crate::cli::TestArgs;
use crate::error::{Error, Result};

pub fn run(_a: TestArgs, _ctx: &Ctx) -> Result<u8> {
    Err(Error::internal("`policy test` is not built yet"))
}
