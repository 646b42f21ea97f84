//! `openleash policy diff <OLD> <NEW>`: the text diff plus a decision-level summary of what
//! got wider; `--fail-on-widening` makes any widening exit 1 (for CI review of drafts).

use super::{Ctx, display_name, load_policy};
use crate::cli::DiffArgs;
use crate::error::{ErrorCode, Result};
use crate::policy::diff::{PolicyDiff, diff_policies};
use serde_json::json;

pub fn run(args: DiffArgs, ctx: &Ctx) -> Result<u8> {
    let (old_text, old) = load_policy(ctx, &args.old, ErrorCode::InvalidPolicy)?;
    let (new_text, new) = load_policy(ctx, &args.new, ErrorCode::InvalidPolicy)?;
    let d = diff_policies(&old, &new);
    let (old_name, new_name) = (display_name(&args.old), display_name(&args.new));
    let out = &ctx.out;
    let code = u8::from(args.fail_on_widening && !d.widening.is_empty());
    if out.json {
        let plain = similar::TextDiff::from_lines(&old_text, &new_text)
            .unified_diff()
            .context_radius(3)
            .header(&old_name, &new_name)
            .to_string();
        out.json_value(&json!({
            "old": old_name,
            "new": new_name,
            "text_diff": plain,
            "default": d.default_changed.map(|(a, b)| json!({"old": a, "new": b})),
            "added": d.added,
            "removed": d.removed,
            "changed": d.changed,
            "widening": d.widening,
            "widened": !d.widening.is_empty(),
        }));
        return Ok(code);
    }
    if old_text == new_text {
        out.line("The files are identical.");
        return Ok(code);
    }
    let text = super::manage::unified_diff(out, &old_text, &new_text, &old_name, &new_name);
    out.line(text.trim_end());
    out.line("");
    print_summary(ctx, &d);
    Ok(code)
}

pub(crate) fn print_summary(ctx: &Ctx, d: &PolicyDiff) {
    let out = &ctx.out;
    out.line(format!(
        "{} rules: {} added, {} removed, {} changed",
        out.bold("Summary:"),
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    ));
    if let Some((a, b)) = d.default_changed {
        out.line(format!("  default: {} \u{2192} {}", a.as_str(), b.as_str()));
    }
    for r in &d.added {
        out.line(format!(
            "  + {} ({} `{}`)",
            r.rule_id,
            r.effect.as_str(),
            r.action
        ));
    }
    for r in &d.removed {
        out.line(format!(
            "  - {} ({} `{}`)",
            r.rule_id,
            r.effect.as_str(),
            r.action
        ));
    }
    for c in &d.changed {
        out.line(format!("  ~ {}: {}", c.rule_id, c.changes.join("; ")));
    }
    out.line("");
    if d.widening.is_empty() {
        out.line(out.green("No widening: the new policy allows nothing the old one did not."));
        return;
    }
    out.line(out.yellow(&format!(
        "Widening ({}): the new policy may allow more than the old one",
        d.widening.len()
    )));
    for w in &d.widening {
        let who = w
            .rule_id
            .as_ref()
            .map_or_else(String::new, |id| format!("rule `{id}`: "));
        out.line(format!("  ! {who}{}", w.what));
    }
}
