//! `openleash playground` (being built in its own change).

use super::Ctx;
use crate::error::{Error, Result};

pub fn run<T>(_args: T, _ctx: &Ctx) -> Result<u8> {
    Err(Error::internal("`playground` is not built yet"))
}
