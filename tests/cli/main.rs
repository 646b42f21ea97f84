//! CLI tests: the real `openleash` binary on temporary data directories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod foundation;
mod generated;
mod playground;
mod policy;
