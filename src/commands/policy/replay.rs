//! `openleash policy replay`: what a candidate policy set would have decided on the recorded
//! traffic (SPEC §18). The work is in handlers::replay; this file parses flags and renders.

use super::super::Ctx;
use crate::cli::{ReplayArgs, ReplayFormat};
use crate::error::Result;
use crate::handlers::replay::{self, ReplayRequest};
use crate::policy::replay::{Change, Report};
use std::io::IsTerminal;

pub fn run(args: ReplayArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let format = if ctx.out.json {
        ReplayFormat::Json
    } else {
        args.format
    };
    let candidate = match (&args.file, &args.dir) {
        (_, Some(dir)) => replay::candidate_from_dir(&dd, dir)?,
        (Some(file), None) => replay::candidate_from_file(&dd, file, args.policy_id.as_deref())?,
        (None, None) => unreachable_args()?,
    };
    let now = crate::timefmt::now();
    let mut agents = Vec::new();
    if let Some(a) = &args.agent {
        agents.push(a.clone());
        // Decisions name an agent by agent_id and principal id; match both for a known agent.
        if let Ok(found) = dd.agent(a) {
            agents.push(found.agent_id);
            agents.push(found.agent_principal_id);
        }
    }
    let req = ReplayRequest {
        candidate,
        agents,
        since_ms: args
            .since
            .as_deref()
            .map(|s| replay::parse_time_arg("since", s, now))
            .transpose()?,
        until_ms: args
            .until
            .as_deref()
            .map(|s| replay::parse_time_arg("until", s, now))
            .transpose()?,
        limit: args.limit,
    };
    let report = with_bar(ctx, |progress| replay::replay(&dd, req, progress))?;
    match format {
        ReplayFormat::Json => ctx.out.json_value(&report_json(&report)),
        ReplayFormat::Junit => ctx.out.data(junit(&report)),
        ReplayFormat::Github => {
            let text = github(&report);
            if !text.is_empty() {
                ctx.out.data(text.trim_end());
            }
        }
        ReplayFormat::Human => human(ctx, &report),
    }
    let fail = (args.fail_on_widening && report.widening > 0)
        || (args.fail_on_change && report.changed > 0);
    Ok(u8::from(fail))
}

fn unreachable_args() -> Result<crate::policy::replay::CandidateSet> {
    Err(crate::error::Error::new(
        crate::error::ErrorCode::Usage,
        "give a candidate: --file FILE or --dir DIR",
    ))
}

/// A progress bar on stderr, only on a terminal and only for logs long enough to wait for.
fn with_bar<T>(ctx: &Ctx, f: impl FnOnce(&mut dyn FnMut(u64, u64)) -> T) -> T {
    const BAR_FROM: u64 = 32 << 20;
    let show = !ctx.out.quiet && std::io::stderr().is_terminal();
    let mut bar: Option<indicatif::ProgressBar> = None;
    let r = f(&mut |done, total| {
        if !show || total < BAR_FROM {
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "replaying {bar:40} {bytes}/{total_bytes} ({eta})",
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
    r
}

/// The JSON contract of SPEC §18 (plus `skipped_reasons` and `widening`).
pub(crate) fn report_json(r: &Report) -> serde_json::Value {
    serde_json::to_value(r).unwrap_or_default()
}

fn outcome(o: &crate::policy::replay::Outcome) -> String {
    match &o.matched_rule_id {
        Some(rule) => format!("{} ({rule})", o.result.as_str()),
        None => o.result.as_str().to_string(),
    }
}

fn human(ctx: &Ctx, r: &Report) {
    let out = &ctx.out;
    out.line(format!(
        "Replayed {} decisions, {} changed, {} widening, {} skipped.",
        r.replayed, r.changed, r.widening, r.skipped
    ));
    if !r.transitions.is_empty() {
        let mut t = out.table(&["TRANSITION", "COUNT"]);
        for (k, n) in &r.transitions {
            t.add_row(vec![k.clone(), n.to_string()]);
        }
        out.print_table(&t);
    }
    if !r.changes.is_empty() {
        let mut t = out.table(&[
            "REQUESTED_AT",
            "AGENT",
            "ACTION",
            "BEFORE",
            "AFTER",
            "DECISION",
        ]);
        for c in &r.changes {
            t.add_row(vec![
                c.requested_at.clone(),
                c.agent_id.clone(),
                c.action_type.clone(),
                outcome(&c.before),
                outcome(&c.after),
                c.decision_id.clone(),
            ]);
        }
        out.print_table(&t);
        if (r.changes.len() as u64) < r.changed {
            out.note(format!(
                "… and {} more changed decisions (raise --limit to list them)",
                r.changed - r.changes.len() as u64
            ));
        }
    }
    for (why, n) in &r.skipped_reasons {
        out.note(format!("skipped {n}: {why}"));
    }
}

fn describe(c: &Change) -> String {
    format!(
        "{} {} by {} at {}: {} -> {} (decision {})",
        if c.widening() { "widening" } else { "change" },
        c.action_type,
        c.agent_id,
        c.requested_at,
        outcome(&c.before),
        outcome(&c.after),
        c.decision_id
    )
}

fn github(r: &Report) -> String {
    let mut s = String::new();
    for c in &r.changes {
        let level = if c.widening() { "error" } else { "warning" };
        s.push_str(&format!(
            "::{level} title=policy replay::{}\n",
            crate::policy::diag::gh_data(&describe(c))
        ));
    }
    s.push_str(&format!(
        "::notice title=policy replay::{}\n",
        crate::policy::diag::gh_data(&format!(
            "replayed {}, changed {}, widening {}, skipped {}",
            r.replayed, r.changed, r.widening, r.skipped
        ))
    ));
    s
}

fn junit(r: &Report) -> String {
    use super::test::xml;
    let mut body = String::new();
    let mut tests = 0;
    // One failing case per listed change; an unchanged replay is one passing case.
    for c in &r.changes {
        tests += 1;
        body.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"policy replay\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
            xml(&format!("{} {}", c.action_type, c.decision_id)),
            xml(&c.transition()),
            xml(&describe(c))
        ));
    }
    if r.changes.is_empty() {
        tests += 1;
        body.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"policy replay\"/>\n",
            xml(&format!("{} decisions unchanged", r.replayed))
        ));
    }
    let failures = r.changes.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"openleash policy replay\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n  <testsuite name=\"policy replay\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\">\n{body}  </testsuite>\n</testsuites>",
        r.skipped
    )
}

/// `openleash policy shadow-report [--since] [--agent]`.
pub fn shadow_report(since: Option<&str>, agent: Option<&str>, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let mut filter = crate::audit::Filter::default();
    if let Some(s) = since {
        let ms = replay::parse_time_arg("since", s, crate::timefmt::now())?;
        filter.since =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok();
    }
    if let Some(a) = agent {
        filter.agent.push(a.to_string());
        if let Ok(found) = dd.agent(a) {
            filter.agent.push(found.agent_id);
            filter.agent.push(found.agent_principal_id);
        }
    }
    let r = crate::handlers::shadow::report(&dd, &filter)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&serde_json::to_value(&r).unwrap_or_default());
        return Ok(0);
    }
    out.line(format!(
        "{} decisions with shadow results; {} shadow verdicts differ from the enforced result.",
        r.decisions, r.differing
    ));
    if !r.transitions.is_empty() {
        let mut t = out.table(&["ENFORCED->SHADOW", "COUNT"]);
        for (k, n) in &r.transitions {
            t.add_row(vec![k.clone(), n.to_string()]);
        }
        out.print_table(&t);
        let mut t = out.table(&[
            "SEQ",
            "TIMESTAMP",
            "AGENT",
            "ACTION",
            "ENFORCED",
            "SHADOW",
            "POLICY",
        ]);
        let show = |v: &serde_json::Value| {
            let r = v["result"].as_str().unwrap_or("");
            match v["matched_rule_id"].as_str() {
                Some(id) => format!("{r} ({id})"),
                None => r.to_string(),
            }
        };
        for e in &r.examples {
            t.add_row(vec![
                e.seq.to_string(),
                e.timestamp.clone(),
                e.agent_id.clone(),
                e.action_type.clone(),
                show(&e.enforced),
                show(&e.shadow),
                e.policy_id.clone(),
            ]);
        }
        out.print_table(&t);
    }
    Ok(0)
}
