//! `openleash audit list|show|tail|verify|seal|repair`.

use super::{Ctx, confirm};
use crate::audit::{self, AuditEvent, Filter, ProblemKind, RepairOutcome, SealPlan, VerifyReport};
use crate::cli::{AuditCommand, AuditFilter};
use crate::error::{Error, ErrorCode, Result};
use crate::output::Output;
use crate::store::DataDir;
use serde_json::{Value, json};
use std::io::IsTerminal;
use std::time::Duration;

/// Longest `audit list` shown as a table; longer listings stream as plain rows.
const TABLE_ROWS: usize = 1_000;

pub fn run(cmd: AuditCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        AuditCommand::List {
            filter,
            limit,
            shadow_diff,
        } => {
            let filter = to_filter(&dd, &filter)?;
            let mut held: Vec<AuditEvent> = Vec::new();
            let mut streaming = out.json;
            // A table needs its rows first: up to TABLE_ROWS are kept for one; a longer listing
            // is printed as plain rows (the `audit tail` layout).
            let mut emit = |ev: AuditEvent| {
                if streaming {
                    print_row(out, &ev);
                } else if held.len() < TABLE_ROWS {
                    held.push(ev);
                } else {
                    streaming = true;
                    for e in held.drain(..) {
                        print_row(out, &e);
                    }
                    print_row(out, &ev);
                }
            };
            let malformed = if shadow_diff {
                shadow_diffs(&dd, &filter, limit, &mut emit)?
            } else {
                // Streams with bounded memory whatever `--limit` (through the audit indexes
                // when filtered by agent, owner or type).
                dd.audit_stream_newest(&filter, limit, &mut emit)?.1
            };
            warn_malformed(malformed);
            if streaming {
                // printed
            } else if held.is_empty() {
                out.note("No matching audit events.");
            } else {
                let mut t = out.table(&["SEQ", "TIMESTAMP", "TYPE", "PRINCIPAL", "SUMMARY"]);
                for ev in &held {
                    t.add_row(vec![
                        ev.seq.to_string(),
                        ev.timestamp.clone(),
                        ev.event_type.clone(),
                        ev.principal_id.clone().unwrap_or_default(),
                        summary(out, ev),
                    ]);
                }
                out.print_table(&t);
            }
            Ok(0)
        }
        AuditCommand::Show { id } => {
            let ev = dd.audit_find(&id)?;
            if out.json {
                out.json_value(&event_json(&ev));
                return Ok(0);
            }
            let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            out.line(format!("Seq:          {}", ev.seq));
            out.line(format!("Event ID:     {}", ev.event_id));
            out.line(format!("Timestamp:    {}", ev.timestamp));
            out.line(format!("Type:         {}", out.bold(&ev.event_type)));
            out.line(format!("Principal:    {}", opt(&ev.principal_id)));
            out.line(format!("Action ID:    {}", opt(&ev.action_id)));
            out.line(format!("Decision ID:  {}", opt(&ev.decision_id)));
            if let Some(h) = ev
                .metadata_json
                .get("policy_set_hash")
                .and_then(Value::as_str)
            {
                // Ties the decision to the exact policy texts (SPEC §18).
                out.line(format!("Policy set:   {h}"));
            }
            out.line(format!("Prev hash:    {}", ev.prev_hash));
            out.line(format!("Hash:         {}", ev.hash));
            out.line("Metadata:");
            let meta = serde_json::to_string_pretty(&ev.metadata_json).unwrap_or_default();
            for l in meta.lines() {
                out.line(format!("  {l}"));
            }
            Ok(0)
        }
        AuditCommand::Tail {
            filter,
            lines,
            follow,
            poll_ms,
        } => {
            let filter = to_filter(&dd, &filter)?;
            // Streamed with bounded memory whatever `-n`; following continues just past what
            // the listing covered.
            let end = if lines == 0 {
                dd.audit_end()?
            } else {
                let (end, malformed) =
                    dd.audit_stream_newest(&filter, lines, |ev| print_row(out, &ev))?;
                warn_malformed(malformed);
                end
            };
            if follow {
                // Runs until interrupted; a closed stdout ends the process quietly (output.rs).
                dd.audit_follow(&filter, end, Duration::from_millis(poll_ms.max(1)), |ev| {
                    print_row(out, &ev);
                    true
                })?;
            }
            Ok(0)
        }
        AuditCommand::Verify => {
            // A data dir whose config cannot be read still has a file log to verify.
            let store = dd.config().map(|c| c.store).unwrap_or_default();
            let report = if store.is_postgres() {
                // The shared chain, checked by the same verifier as the file log.
                crate::store::pg::audit::verify(&crate::store::pg::PgStore::connect(&store)?)?
            } else {
                verify_with_bar(&dd, out)?
            };
            if out.json {
                out.json_value(&serde_json::to_value(&report).unwrap_or(Value::Null));
            } else {
                print_report(out, &report);
            }
            Ok(if report.ok { 0 } else { 1 })
        }
        AuditCommand::Seal { yes } => seal(&dd, ctx, yes),
        AuditCommand::Export {
            format,
            since,
            until,
            cursor,
            follow,
            poll_ms,
        } => super::audit_export::run(
            &dd,
            super::audit_export::Args {
                format,
                since,
                until,
                cursor,
                follow,
                poll: Duration::from_millis(poll_ms.max(1)),
            },
        ),
        AuditCommand::Repair { yes } => repair(&dd, ctx, yes),
    }
}

/// `audit list --shadow-diff`: the newest `limit` decisions (0 = all) where a shadow policy
/// disagreed with the enforced result, oldest first, given to `emit` as a stream; returns the
/// count of malformed lines. Memory stays bounded whatever `limit`: one pass counts them, the
/// second gives the newest `limit` (a disagreement is no indexed field, so both read every
/// decision; a listing with a small `limit` keeps them instead of reading twice).
fn shadow_diffs(
    dd: &DataDir,
    filter: &Filter,
    limit: usize,
    mut emit: impl FnMut(AuditEvent),
) -> Result<u64> {
    const KEEP_AT_MOST: usize = 1_000;
    let mut f = filter.clone();
    f.types = vec!["DECISION_CREATED".into()];
    let differs = |ev: &AuditEvent| !crate::handlers::shadow::differing(ev).is_empty();
    if limit > 0 && limit <= KEEP_AT_MOST {
        let mut kept = std::collections::VecDeque::new();
        let (_, malformed) = dd.audit_scan(&f, 0, |ev| {
            if !differs(&ev) {
                return;
            }
            if kept.len() == limit {
                kept.pop_front();
            }
            kept.push_back(ev);
        })?;
        kept.into_iter().for_each(emit);
        return Ok(malformed);
    }
    let mut total = 0usize;
    let (_, malformed) = dd.audit_scan(&f, 0, |ev| {
        if differs(&ev) {
            total += 1;
        }
    })?;
    let mut skip = if limit == 0 {
        0
    } else {
        total.saturating_sub(limit)
    };
    let mut left = total - skip;
    dd.audit_scan(&f, 0, |ev| {
        // Lines appended since the first pass (past its end) are not part of this listing.
        if left == 0 || !differs(&ev) {
            return;
        }
        if skip > 0 {
            skip -= 1;
            return;
        }
        left -= 1;
        emit(ev);
    })?;
    Ok(malformed)
}

pub(crate) fn to_filter(dd: &DataDir, f: &AuditFilter) -> Result<Filter> {
    let time = |flag: &str, v: &Option<String>| -> Result<_> {
        v.as_deref()
            .map(|s| {
                crate::timefmt::parse(s).ok_or_else(|| {
                    Error::new(
                        ErrorCode::Usage,
                        format!("invalid --{flag} {s:?}: expected an RFC 3339 time"),
                    )
                    .with_hint("for example 2024-01-15T10:30:00Z or 2024-01-15T11:30:00+01:00")
                })
            })
            .transpose()
    };
    let mut agent = Vec::new();
    if let Some(a) = &f.agent {
        agent.push(a.clone());
        // Events name an agent by principal id or agent_id; match both for a known agent.
        if let Ok(found) = dd.agent(a) {
            agent.push(found.agent_id);
            agent.push(found.agent_principal_id);
        }
    }
    Ok(Filter {
        types: f.event_type.clone(),
        agent,
        owner: f.owner.clone(),
        since: time("since", &f.since)?,
        until: time("until", &f.until)?,
        decision: f.decision.clone(),
    })
}

fn warn_malformed(n: u64) {
    if n > 0 {
        crate::output::warn(&format!(
            "skipped {n} line(s) that are not audit events; run `openleash audit verify`"
        ));
    }
}

fn event_json(ev: &AuditEvent) -> Value {
    serde_json::to_value(ev).unwrap_or(Value::Null)
}

/// A one-line gist of the metadata, most telling keys first.
fn summary(out: &Output, ev: &AuditEvent) -> String {
    const KEYS: &[&str] = &[
        "action_type",
        "agent_id",
        "matched_rule_id",
        "owner_id",
        "policy_id",
        "new_kid",
        "kid",
        "approval_request_id",
        "scenario",
        "display_name",
        "from_seq",
        "to_seq",
        "torn_file",
        "reason",
    ];
    const MAX: usize = 80;
    let mut parts = Vec::new();
    if let Some(r) = ev.metadata_json.get("result").and_then(Value::as_str) {
        parts.push(match r {
            "ALLOW" => out.green(r),
            "DENY" => out.red(r),
            _ => out.yellow(r),
        });
    }
    let mut len = 0;
    for k in KEYS {
        let v = match ev.metadata_json.get(*k) {
            // The principal column already shows it.
            Some(Value::String(s)) if ev.principal_id.as_deref() == Some(s.as_str()) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
            _ => continue,
        };
        let part = format!("{k}={v}");
        len += part.chars().count() + 1;
        if len > MAX {
            parts.push("…".into());
            break;
        }
        parts.push(part);
    }
    parts.join(" ")
}

fn print_row(out: &Output, ev: &AuditEvent) {
    if out.json {
        out.json_line(&event_json(ev));
    } else {
        out.data(format!(
            "{:>6}  {}  {:<24}  {:<36}  {}",
            ev.seq,
            ev.timestamp,
            ev.event_type,
            ev.principal_id.as_deref().unwrap_or("-"),
            summary(out, ev)
        ));
    }
}

/// Verifies with a progress bar on stderr when it is a terminal and the log is large.
fn verify_with_bar(dd: &DataDir, out: &Output) -> Result<VerifyReport> {
    const BAR_FROM: u64 = 32 << 20;
    let show = !out.quiet && std::io::stderr().is_terminal();
    let mut bar: Option<indicatif::ProgressBar> = None;
    let report = audit::verify::verify_with_progress(dd, &mut |done, total| {
        if !show || total < BAR_FROM {
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "verifying {bar:40} {bytes}/{total_bytes} ({eta})",
            ) {
                b.set_style(style);
            }
            b
        });
        b.set_position(done);
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    report
}

fn print_report(out: &Output, r: &VerifyReport) {
    out.line(format!(
        "Audit log {}: {} event(s), {} bytes",
        r.log, r.events, r.bytes
    ));
    if let Some(h) = &r.head {
        let revoked = if h.key_revoked {
            " (key revoked since; the head stays valid)"
        } else {
            ""
        };
        out.line(format!(
            "Signed head: seq {} by key {} at {}, signature {}{revoked}",
            h.seq, h.kid, h.timestamp, h.signature
        ));
    }
    if r.ok {
        out.line(format!(
            "{} chain intact, head signature valid, the log ends at the head",
            out.green("OK:")
        ));
        return;
    }
    for p in &r.problems {
        out.line(format!("{} {}", out.red("✗"), p.message));
        if let (Some(e), Some(f)) = (&p.expected, &p.found) {
            let field = p.field.unwrap_or("value");
            out.line(format!("    {field}: expected {e}, found {f}"));
        }
        if p.kind == ProblemKind::BrokenLink && r.broken_links > 1 {
            out.line(format!(
                "    ({} more broken link(s) after this one)",
                r.broken_links - 1
            ));
        }
    }
    out.line(format!(
        "{} {} problem(s)",
        out.red("FAILED:"),
        r.problems.len()
    ));
}

fn describe_plan(plan: &SealPlan) -> String {
    let ranges: Vec<String> = plan
        .ranges
        .iter()
        .map(|r| format!("seq {}..={}", r.from_seq, r.to_seq))
        .collect();
    let what = if ranges.is_empty() {
        "no lines (the log is empty)".to_string()
    } else {
        ranges.join(", ")
    };
    let reasons: Vec<String> = plan
        .reasons
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        })
        .collect();
    format!("{what} (because of: {})", reasons.join(", "))
}

fn seal(dd: &DataDir, ctx: &Ctx, yes: bool) -> Result<u8> {
    let out = &ctx.out;
    let report = verify_with_bar(dd, out)?;
    let Some(plan) = audit::seal_plan(&report)? else {
        if out.json {
            out.json_value(&json!({"sealed": false, "reason": "the log is intact"}));
        } else {
            out.note("Nothing to seal: the audit log is intact.");
        }
        return Ok(0);
    };
    if !out.json {
        for p in &report.problems {
            out.note(format!("{} {}", out.yellow("!"), p.message));
        }
        out.note(format!("Sealing signs {}.", describe_plan(&plan)));
        show_range_events(dd, out, &plan)?;
    }
    if !confirm(
        ctx,
        "Have you reviewed these events, and should the current key sign the log as it is?",
        yes,
    )? {
        out.note("Nothing sealed.");
        return Ok(1);
    }
    let event = dd.audit_seal(&plan)?;
    if out.json {
        out.json_value(&json!({
            "sealed": event.is_some(),
            "plan": plan,
            "event": event.as_ref().map(event_json),
        }));
    } else if let Some(ev) = event {
        out.note(format!(
            "{} recorded AUDIT_SEALED as seq {} and signed the head",
            out.green("Sealed:"),
            ev.seq
        ));
    } else {
        out.note("Nothing to seal any more: the audit log is intact.");
    }
    Ok(0)
}

/// Lists (the first few of) the events a seal will vouch for, so the owner sees what they sign.
fn show_range_events(dd: &DataDir, out: &Output, plan: &SealPlan) -> Result<()> {
    const SHOW: usize = 20;
    let mut shown = Vec::new();
    let mut total = 0usize;
    // From the first line of the first range (bisection), not from the start of the log.
    let first = plan.ranges.iter().map(|r| r.from_seq).min().unwrap_or(1);
    let start = dd
        .audit_offset_after_seq(first.saturating_sub(1))?
        .unwrap_or(0);
    dd.audit_scan(&Filter::default(), start, |ev| {
        if plan
            .ranges
            .iter()
            .any(|r| (r.from_seq..=r.to_seq).contains(&ev.seq))
        {
            total += 1;
            if shown.len() < SHOW {
                shown.push(ev);
            }
        }
    })?;
    for ev in &shown {
        print_row(out, ev);
    }
    if total > shown.len() {
        out.note(format!(
            "… and {} more; see them with `openleash audit list --limit 0`",
            total - shown.len()
        ));
    }
    Ok(())
}

fn repair(dd: &DataDir, ctx: &Ctx, yes: bool) -> Result<u8> {
    let out = &ctx.out;
    let question = if let Some((offset, from, to)) = dd.audit_restorable()? {
        if !out.json {
            out.note(format!(
                "The audit log lacks lines that audit.head carries: seq {from}..={to}, from byte {offset} (a crash before they reached the disk)."
            ));
        }
        "Write the lines audit.head carries back to the log?"
    } else if let Some((offset, bytes)) = dd.audit_torn()? {
        if !out.json {
            out.note(format!(
                "The audit log ends in a torn line: {bytes} bytes at offset {offset} without a final newline."
            ));
        }
        "Move the torn bytes to audit.log.jsonl.torn-<timestamp> and record AUDIT_REPAIRED?"
    } else {
        if out.json {
            out.json_value(&json!({"repaired": false, "reason": "no torn line"}));
        } else {
            out.note("Nothing to repair: the audit log ends with a complete line.");
        }
        return Ok(0);
    };
    if !confirm(ctx, question, yes)? {
        out.note("Nothing repaired.");
        return Ok(1);
    }
    let outcome = dd.audit_repair()?;
    match outcome {
        None if out.json => out.json_value(&json!({"repaired": false, "reason": "nothing to repair any more"})),
        None => out.note("Nothing to repair any more."),
        Some(RepairOutcome::Restored(r)) if out.json => out.json_value(&json!({
            "repaired": true,
            "restored": r,
        })),
        Some(RepairOutcome::Restored(r)) => out.note(format!(
            "{} wrote {} bytes back to the log at offset {}; it ends at seq {} again, as its signed head says.",
            out.green("Restored:"),
            r.bytes,
            r.log_offset,
            r.to_seq
        )),
        Some(RepairOutcome::MovedTorn(o)) if out.json => out.json_value(&json!({
            "repaired": true,
            "torn_file": o.torn_file.display().to_string(),
            "torn_bytes": o.torn_bytes,
            "offset": o.offset,
            "event": event_json(&o.event),
        })),
        Some(RepairOutcome::MovedTorn(o)) => {
            out.note(format!(
                "{} moved {} bytes to {} and recorded AUDIT_REPAIRED as seq {}",
                out.green("Repaired:"),
                o.torn_bytes,
                o.torn_file.display(),
                o.event.seq
            ));
            out.note("Run `openleash audit verify`: lines of the interrupted write before the torn one are reported as unsealed until you review them and run `openleash audit seal`.");
        }
    }
    Ok(0)
}
