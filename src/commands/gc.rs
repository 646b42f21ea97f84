//! `openleash gc [--dry-run]`: removes records past their `retention.*` time (see
//! [`crate::handlers::gc`]) and reports how many of each kind went (or would go).

use super::Ctx;
use crate::cli::GcArgs;
use crate::error::Result;
use crate::handlers::gc;

pub fn run(args: GcArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let config = dd.config()?;
    let report = gc::run(&dd, &config, crate::timefmt::now(), args.dry_run)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&serde_json::to_value(&report).unwrap_or_default());
        return Ok(0);
    }
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    let mut t = out.table(&[
        "KIND",
        if args.dry_run {
            "WOULD REMOVE"
        } else {
            "REMOVED"
        },
    ]);
    for kind in gc::KINDS {
        let n = report.removed.get(*kind).copied().unwrap_or(0);
        t.add_row(vec![(*kind).to_string(), n.to_string()]);
    }
    out.print_table(&t);
    if report.finished_from_trash > 0 {
        out.note(format!(
            "Also finished {} file(s) an interrupted gc had moved to gc-trash/.",
            report.finished_from_trash
        ));
    }
    out.note(match report.total() {
        0 => "Nothing to remove.".to_string(),
        n if args.dry_run => {
            format!("gc {verb} {n} record(s); run without --dry-run to remove them.")
        }
        n => format!("gc {verb} {n} record(s); the audit log records it (DATA_GC_COMPLETED)."),
    });
    Ok(0)
}
