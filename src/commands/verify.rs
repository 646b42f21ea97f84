//! `openleash verify` (being built in its own change).

use super::Ctx;
use crate::error::{Error, Result};

pub fn run<T>(_args: T, _ctx: &Ctx) -> Result<u8> {
    Err(Error::internal("`verify` is not built yet"))
}
