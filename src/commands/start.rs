//! `openleash start`: serve the HTTP API over the data directory.

use super::Ctx;
use crate::cli::StartArgs;
use crate::error::{Error, ErrorCode, Result};
use crate::server::{self, Options, state::Limits};
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

pub fn run(args: StartArgs, ctx: &Ctx) -> Result<u8> {
    // Upstream creates ./data on start; we refuse (a typo in --data-dir must not serve an empty
    // store) but say exactly what to run.
    let dd = ctx.data().map_err(|e| {
        if e.code != ErrorCode::NotInitialized {
            return e;
        }
        let dir = super::agent::shell_word(&ctx.data_dir.display().to_string());
        e.with_hint(format!(
            "create it with `openleash --data-dir {dir} init` (or `openleash --data-dir {dir} wizard`), then run `openleash --data-dir {dir} start` again"
        ))
    })?;
    let config = dd.config()?;
    if let Some(store) = dd.pg()? {
        check_store_schema(&store.store)?;
        // Other instances' and CLI processes' changes reach this replica without restart.
        store.start_listener(&dd);
    }
    let bind_text = args
        .bind
        .clone()
        .unwrap_or_else(|| config.server.bind_address.clone());
    let bind: SocketAddr = bind_text.parse().map_err(|_| {
        Error::new(ErrorCode::Usage, format!("invalid --bind address {bind_text:?}"))
            .with_hint("use host:port with a literal IP address, e.g. 127.0.0.1:8787, 0.0.0.0:8787 or [::1]:8787")
    })?;
    let threads = match args.threads.unwrap_or(config.server.threads as usize) {
        0 => {
            2 * std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        }
        n => n,
    };
    let opts = Options {
        bind,
        threads,
        limits: Limits {
            idle_timeout: Duration::from_millis(args.idle_timeout_ms.max(1)),
            body_timeout: Duration::from_millis(args.body_timeout_ms.max(1)),
            header_timeout: Duration::from_millis(args.header_timeout_ms.max(1)),
            max_connections: args.max_connections,
            max_connections_per_peer: usize::try_from(config.server.max_connections_per_peer)
                .unwrap_or(usize::MAX)
                .max(1),
            nonce_cache_size: args.nonce_cache_size,
            ..Limits::default()
        },
        max_open_files: args.max_open_files,
        run_for: args.run_for_ms.map(Duration::from_millis),
        gui: match (args.gui, args.no_gui) {
            (_, true) => Some(false),
            (true, _) => Some(true),
            _ => None,
        },
    };
    for warning in crate::store::modes::readable_secrets(&dd) {
        crate::output::warn(&warning);
    }
    let out = &ctx.out;
    let data_display = dd.root().display().to_string();
    // The banner must not end the server when stdout is closed (e.g. `openleash start | head -1`),
    // which `Output` would treat as the normal end of a CLI command.
    // The listening line (or the ready JSON) is the result, on stdout; the rest of the banner is
    // prose, on stderr.
    let say = |quiet_ok: bool, text: &str| {
        if quiet_ok {
            let mut o = std::io::stdout().lock();
            let _ = writeln!(o, "{text}").and_then(|()| o.flush());
        } else if !out.quiet {
            let _ = writeln!(std::io::stderr(), "{text}");
        }
    };
    let gui = opts.gui.unwrap_or(config.server.gui);
    // An instance without users (`init --no-owner`) is set up over HTTP: from this machine, or
    // from elsewhere with this one-time token (SPEC §17 Δ).
    let setup_token = if crate::handlers::users::needs_initial_setup(&dd)? {
        Some(crate::handlers::users::new_setup_token(&dd)?)
    } else {
        None
    };
    server::serve(dd, opts, |ready| {
        if let Some(t) = &setup_token {
            server::log_line(&format!(
                "no user yet: create the first (admin) with POST /v1/initial-setup {{display_name, passphrase}} from this machine, or from elsewhere adding \"setup_token\": \"{t}\""
            ));
        }
        let url = if config.server.public_url.is_empty() {
            format!("http://{}", ready.addr)
        } else {
            config.server.public_url.trim_end_matches('/').to_string()
        };
        // A hint for the person at the terminal, so on stderr (stdout's first line stays the URL).
        if gui && !out.quiet {
            server::log_line(&format!("owner portal: log in at {url}/gui/login"));
        }
        if out.json {
            say(true, &server::ready_json(ready, &url).to_string());
            return;
        }
        say(true, &format!("openleash is listening on {url}"));
        say(
            false,
            &format!(
                "  data directory {data_display}, {} worker threads, open-file limit {}",
                ready.threads, ready.open_files_limit
            ),
        );
        let token = if config.admin.token.is_empty() {
            "not set"
        } else {
            "set"
        };
        let admin = match config.admin.mode.as_str() {
            "localhost" => "admin API: loopback callers only".to_string(),
            "token" => format!("admin API: bearer token only (admin token {token})"),
            _ if config.admin.token.is_empty() => {
                "admin API: loopback callers only (admin token not set)".to_string()
            }
            _ => "admin API: loopback callers or the admin bearer token (admin token set)"
                .to_string(),
        };
        say(false, &format!("  {admin}"));
        if ready.addr.ip().is_unspecified() && config.server.public_url.is_empty() {
            say(
                false,
                "  note: listening on all interfaces; set server.public_url so invite links name a reachable address",
            );
        }
        say(false, "Next steps:");
        say(false, &format!("  curl {url}/v1/health"));
        say(
            false,
            "  openleash agent invite      # a registration link for a new agent",
        );
        say(false, &format!("  API description: {url}/v1/openapi.json"));
        say(false, "Requests are logged on stderr. Stop with Ctrl-C.");
    })?;
    server::log_line("stopped");
    Ok(0)
}

/// A store whose schema this build does not know (newer, or never migrated) is refused at start.
/// An unreachable store is not: the instance starts, answers 503 `STORE_UNAVAILABLE` and picks
/// the store up when it comes back.
fn check_store_schema(store: &crate::store::pg::PgStore) -> Result<()> {
    match store
        .conn()
        .and_then(|mut c| crate::store::pg::schema::check(&mut c))
    {
        Err(e) if e.code == ErrorCode::StoreUnavailable => Ok(()),
        r => r,
    }
}
