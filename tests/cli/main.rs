//! CLI tests: the real `openleash` binary on temporary data directories, one module per command
//! family.
// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod action;
mod approval;
mod audit;
mod authorize;
mod common;
mod datadir;
mod draft;
mod foundation;
mod frontdoor;
mod generated;
mod identity;
mod interop;
mod limits;
mod mcp;
mod notify;
mod notify_limits;
mod onboarding;
mod playground;
mod policy;
mod portal;
mod portal_browser;
mod readme;
mod receivers;
mod replay;
mod scale;
mod server;
mod upstream_cmds;
mod verify;
mod webdriver;
mod wizard;
