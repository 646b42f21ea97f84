//! `openleash notify …`: the outbox on the local data directory (list, show, retry), a test
//! delivery to a channel, and a dispatcher for setups without `openleash start`.

use super::Ctx;
use crate::cli::NotifyCommand;
use crate::error::{Error, ErrorCode, Result};
use crate::notify::dispatch::{self, Kind};
use crate::notify::outbox::{self, Entry};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// The name of the notification list in cursors.
const NOTIFY_LIST: &str = "notifications";

pub fn run(cmd: NotifyCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        NotifyCommand::List { status, page } => {
            let mut human = |entries: &[Entry], _first: bool| -> Result<()> {
                let mut t = out.table(&[
                    "ID",
                    "STATUS",
                    "EVENT",
                    "TARGET",
                    "ATTEMPTS",
                    "CREATED",
                    "LAST ERROR",
                ]);
                for e in entries {
                    t.add_row(vec![
                        e.id.clone(),
                        e.status.clone(),
                        e.event.event_type.clone(),
                        e.target.label(),
                        e.attempts.to_string(),
                        e.created_at.clone(),
                        e.last_error.clone().unwrap_or_default(),
                    ]);
                }
                out.print_table(&t);
                Ok(())
            };
            let to_json = |e: &Entry| serde_json::to_value(e).unwrap_or_default();
            let view = super::paging::ListView {
                list: NOTIFY_LIST,
                field: "notifications",
                to_json: &to_json,
                human: &mut human,
                empty: "No notifications.",
            };
            // The outbox is read whole per page (pending and dead files plus delivered.jsonl);
            // only the page is kept for output.
            super::paging::run(ctx, &page, view, |req| {
                let entries = outbox::list(&dd, status.map(|s| s.as_str()))?;
                Ok(crate::handlers::page::collect(
                    NOTIFY_LIST,
                    entries,
                    |e: &Entry| format!("{}\u{1f}{}", e.created_at, e.id),
                    crate::handlers::page::Order::Asc,
                    req,
                ))
            })
        }
        NotifyCommand::Show { id } => {
            let e = outbox::find(&dd, &id)?;
            if out.json {
                out.json_value(&serde_json::to_value(&e).unwrap_or_default());
            } else {
                print_entry(ctx, &e);
            }
            Ok(0)
        }
        NotifyCommand::Retry { id, dead: _ } => {
            let ids = outbox::retry(&dd, id.as_deref())?;
            crate::notify::enqueued(&dd, ids.clone());
            if out.json {
                out.json_value(&json!({ "requeued": ids }));
            } else if ids.is_empty() {
                out.line("Nothing to retry: no dead notifications.");
            } else {
                out.line(format!("Queued {} notification(s) again.", ids.len()));
            }
            Ok(0)
        }
        NotifyCommand::Test { channel } => {
            let config = dd.config()?;
            let a = dispatch::test_channel(&dd, &config, &channel)?;
            let ok = a.kind == Kind::Delivered;
            if out.json {
                out.json_value(&json!({
                    "channel": channel,
                    "delivered": ok,
                    "status_code": a.status,
                    "error": a.error,
                }));
            } else if ok {
                out.line(format!(
                    "{} sample event to channel {channel}{}",
                    out.green("Delivered"),
                    a.status
                        .map(|s| format!(" (receiver answered {s})"))
                        .unwrap_or_default()
                ));
            } else {
                out.line(format!(
                    "{} to deliver to channel {channel}: {}",
                    out.red("Failed"),
                    a.error.as_deref().unwrap_or("unknown error")
                ));
            }
            Ok(if ok { 0 } else { 1 })
        }
        NotifyCommand::Run { once } => {
            let _lock = dispatch::try_dispatch_lock(&dd)?.ok_or_else(|| {
                Error::new(ErrorCode::Busy, "another process is already delivering notifications for this data directory")
                    .with_hint("a running `openleash start` delivers them itself; stop the other `openleash notify run` first")
            })?;
            let own = dd.config()?.server.bind_address.parse().ok();
            let opts = if once {
                dispatch::Options::once(own)
            } else {
                let stop = Arc::new(AtomicBool::new(false));
                for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
                    signal_hook::flag::register(sig, stop.clone()).map_err(|e| {
                        Error::internal(format!("cannot install a signal handler: {e}"))
                    })?;
                }
                crate::output::warn("delivering notifications until interrupted (Ctrl-C)");
                dispatch::Options::service(own, stop)
            };
            let stats = dispatch::run(&dd, opts)?;
            if out.json {
                out.json_value(&serde_json::to_value(&stats).unwrap_or_default());
            } else {
                out.line(format!(
                    "Delivered {}, failed attempts {}, dead {}.",
                    stats.delivered, stats.failed, stats.dead
                ));
            }
            Ok(0)
        }
    }
}

fn print_entry(ctx: &Ctx, e: &Entry) {
    let out = &ctx.out;
    let rows = [
        ("id", e.id.clone()),
        ("status", e.status.clone()),
        ("event", e.event.event_type.clone()),
        ("target", e.target.label()),
        ("summary", e.event.summary.clone()),
        ("link", e.event.link.clone()),
        ("created", e.created_at.clone()),
        ("attempts", e.attempts.to_string()),
        (
            "next attempt",
            if e.status == outbox::PENDING {
                e.next_attempt_at.clone()
            } else {
                String::new()
            },
        ),
        (
            "last attempt",
            e.last_attempt_at.clone().unwrap_or_default(),
        ),
        (
            "last status",
            e.last_status_code
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        ("last error", e.last_error.clone().unwrap_or_default()),
        ("delivered", e.delivered_at.clone().unwrap_or_default()),
        ("dead", e.dead_at.clone().unwrap_or_default()),
    ];
    for (k, v) in rows {
        if !v.is_empty() {
            out.line(format!("{:<13} {v}", format!("{k}:")));
        }
    }
}
