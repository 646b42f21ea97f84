//! openleash: local-first authorization for AI agents.
//!
//! The library holds every operation as a handler over the data directory; the `openleash` binary
//! (see [`run`]) and the HTTP server are thin adapters over the same handlers.

pub mod action;
pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod crypto;
pub mod error;
pub mod handlers;
pub mod identity;
pub mod ids;
pub mod keys;
pub mod mcp;
pub mod notify;
pub mod output;
pub mod policy;
pub mod portal;
pub mod profiles;
pub mod remote;
pub mod server;
pub mod store;
pub mod timefmt;
pub mod tokens;
pub mod upstream;
pub mod userconfig;
pub mod yaml;

use clap::Parser;
pub use error::{Error, ErrorCode, Result};

/// Runs the CLI with the process arguments and returns the exit code.
pub fn run() -> u8 {
    install_panic_hook();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            let wants_json = std::env::args_os().any(|a| a == "--json");
            if wants_json && e.use_stderr() {
                // Scripts asked for JSON: give them the same envelope as every other error.
                let text = e.render().to_string();
                let first = text.split("\n\n").next().unwrap_or_default();
                let message = first
                    .trim_start_matches("error: ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let err = Error::new(ErrorCode::Usage, message).with_hint("see `openleash --help`");
                output::print_stdout(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&err.to_envelope()).unwrap_or_default()
                ));
            } else {
                let _ = e.print();
            }
            return u8::try_from(code).unwrap_or(2);
        }
    };
    let color = match cli.global.color {
        cli::ColorArg::Auto => output::ColorChoice::Auto,
        cli::ColorArg::Always => output::ColorChoice::Always,
        cli::ColorArg::Never => output::ColorChoice::Never,
    };
    let out = output::Output::new(cli.global.json, cli.global.quiet, cli.global.verbose, color);
    let ctx = commands::Ctx {
        out,
        data_dir: cli.global.data_dir.clone(),
    };
    let result = commands::dispatch(cli.command, &ctx);
    // What the command enqueued gets one immediate delivery attempt (notifications.inline).
    notify::flush_inline(&ctx.data_dir);
    match result {
        Ok(code) => code,
        Err(e) => {
            ctx.out.error(&e);
            e.exit_code()
        }
    }
}

/// The message and `file:line` of a panic, for the hooks of the CLI and the server.
pub fn panic_summary(info: &std::panic::PanicHookInfo<'_>) -> (String, String) {
    let location = info
        .location()
        .map(|l| format!("{}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let msg = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    (msg, location)
}

/// No panic reaches a user as a Rust dump: print a short bug report hint and exit 70.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let (msg, location) = panic_summary(info);
        eprintln!("error[INTERNAL]: openleash hit a bug: {msg} at {location}");
        eprintln!(
            "  help: please report it with the command you ran; no data was changed after this point"
        );
        std::process::exit(70);
    }));
}
