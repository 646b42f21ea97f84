//! `openleash import-upstream DIR`: the report of [`crate::handlers::import`] as a summary or JSON.

use super::Ctx;
use crate::cli::ImportUpstreamArgs;
use crate::error::Result;
use crate::handlers::import::{ImportOptions, ImportReport, import_upstream};

pub fn run(args: ImportUpstreamArgs, ctx: &Ctx) -> Result<u8> {
    let report = import_upstream(&ImportOptions {
        source: &args.dir,
        target: &ctx.data_dir,
        dry_run: args.dry_run,
        force: args.force,
    })?;
    // Like `init`: inside a git work tree, keep the new data directory (private keys) out of commits.
    let ignored = if args.dry_run {
        None
    } else {
        crate::store::gitignore::protect(
            &std::env::current_dir().unwrap_or_default(),
            &ctx.data_dir,
            None,
        )?
    };
    if ctx.out.json {
        let mut v = serde_json::to_value(&report).unwrap_or_default();
        v["gitignore_added"] = serde_json::json!(ignored);
        ctx.out.json_value(&v);
        return Ok(0);
    }
    human(&report, ctx);
    if let Some(ignored) = ignored {
        ctx.out.note(format!(
            "Added {} to {} (this is a git work tree; the data directory holds private keys)",
            ignored.join(" and "),
            crate::store::gitignore::FILE
        ));
    }
    Ok(0)
}

fn human(r: &ImportReport, ctx: &Ctx) {
    let out = &ctx.out;
    let c = &r.imported;
    let verb = if r.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    out.line(format!(
        "{} {} into {}",
        out.green(verb),
        r.source,
        r.data_dir
    ));
    if let Some(bak) = &r.moved_aside_to {
        out.line(format!(
            "  (the old {} was moved aside to {bak})",
            r.data_dir
        ));
    }
    for (n, what) in [
        (c.owners, "owners"),
        (c.agents, "agents"),
        (c.policies, "policies"),
        (c.bindings, "bindings"),
        (c.keys, "signing keys"),
        (c.approval_requests, "approval requests"),
        (c.policy_drafts, "policy drafts"),
        (c.transformations, "output transformations"),
        (
            c.pending_decisions,
            "decisions awaiting an approval request",
        ),
    ] {
        out.line(format!("  {n:>5} {what}"));
    }
    out.line(format!("  active signing key: {}", r.active_kid));
    if let Some(log) = &r.upstream_audit_log {
        out.line(format!(
            "  old audit log: {} events kept in {} (sha256 {})",
            log["events"],
            log["path"].as_str().unwrap_or_default(),
            log["sha256"].as_str().unwrap_or_default()
        ));
    }
    if let Some(f) = &r.config_file {
        out.line(format!("  settings from {f}"));
    }
    for p in &r.invalid_policies {
        out.line(format!(
            "{} policy {} does not pass openleash's validation ({} error(s)); its agents' decisions fail closed until it is fixed:\n    {}",
            out.yellow("warning:"),
            p.policy_id,
            p.errors,
            p.first_error
        ));
    }
    if !r.left_out.is_empty() {
        out.line(format!(
            "{} not carried over ({}):",
            out.yellow("Left out"),
            r.left_out.len()
        ));
        for l in &r.left_out {
            out.line(format!(
                "  - {} {}: {} ({})",
                l.kind,
                l.id.as_deref().unwrap_or(""),
                l.reason,
                l.source
            ));
        }
    }
    if r.dry_run {
        out.note("Nothing was written (--dry-run).");
    } else {
        out.note("Next: `openleash audit verify`, then `openleash start`; agents keep their keys and agent.env files.");
    }
}
