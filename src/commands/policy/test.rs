//! `openleash policy test <SUITE|DIR>...`: run policy test suites; exit 0 when every case
//! passes, 1 otherwise.

use super::Ctx;
use crate::cli::{TestArgs, TestFormat};
use crate::error::Result;
use crate::policy::diag;
use crate::policy::suite::{self, Problem, SuiteReport};
use serde_json::{Value, json};

enum Outcome {
    Ran(SuiteReport),
    Broken(String, Vec<Problem>),
}

pub fn run(args: TestArgs, ctx: &Ctx) -> Result<u8> {
    let format = if ctx.out.json {
        TestFormat::Json
    } else {
        args.format
    };
    // Directories are searched for `*.test.yaml`; files are taken as named.
    let mut outcomes = Vec::new();
    for p in args.paths {
        let (files, errors) = if p.is_dir() {
            super::find_files(&p, &is_suite_name)
        } else {
            (vec![p], vec![])
        };
        for f in files {
            outcomes.push(match suite::load_suite(&f) {
                Ok(s) => Outcome::Ran(suite::run_suite(&s)),
                Err(problems) => Outcome::Broken(f.display().to_string(), problems),
            });
        }
        for (dir, e) in errors {
            let file = dir.display().to_string();
            outcomes.push(Outcome::Broken(
                file.clone(),
                vec![Problem {
                    diagnostics: vec![diag::Diagnostic::file_error(
                        &file,
                        diag::codes::READ,
                        format!("cannot read directory {file}: {e}"),
                    )],
                    file,
                    source: String::new(),
                }],
            ));
        }
    }
    let failed_cases: usize = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Ran(r) => r.failed(),
            Outcome::Broken(..) => 0,
        })
        .sum();
    let broken = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Broken(..)))
        .count();
    match format {
        TestFormat::Human => human(ctx, &outcomes),
        TestFormat::Json => ctx.out.json_value(&to_json(&outcomes)),
        TestFormat::Junit => ctx.out.data(junit(&outcomes)),
    }
    Ok(u8::from(
        failed_cases > 0 || broken > 0 || outcomes.is_empty(),
    ))
}

fn is_suite_name(name: &str) -> bool {
    name.ends_with(".test.yaml") || name.ends_with(".test.yml")
}

fn expected_line(r: &suite::CaseResult) -> String {
    let e = &r.expected;
    let mut s = e.result.as_str().to_string();
    if let Some(id) = &e.matched_rule_id {
        s.push_str(&format!(" via {}", id.as_deref().unwrap_or("(no rule)")));
    }
    s
}

fn actual_line(r: &suite::CaseResult) -> String {
    let a = &r.actual;
    format!(
        "{} via {} \u{2014} {}{}",
        a.result.as_str(),
        a.matched_rule_id.as_deref().unwrap_or("(no rule)"),
        a.reason,
        if a.proof_required {
            " (proof required)"
        } else {
            ""
        }
    )
}

fn human(ctx: &Ctx, outcomes: &[Outcome]) {
    let out = &ctx.out;
    let (mut passed, mut failed) = (0, 0);
    if outcomes.is_empty() {
        out.note("No policy test suites found (*.test.yaml).");
    }
    for o in outcomes {
        match o {
            Outcome::Broken(file, problems) => {
                out.line(format!("{} {file}: the suite cannot run", out.red("✗")));
                for p in problems {
                    let text = diag::render_human(&p.diagnostics, Some(&p.source), out.color);
                    out.data(text.trim_end());
                    out.data("");
                }
            }
            Outcome::Ran(r) => {
                out.line(format!(
                    "{} (policy: {})",
                    out.bold(&r.file),
                    r.policies.join(", ")
                ));
                for c in &r.cases {
                    if c.passed {
                        passed += 1;
                        out.line(format!("  {} {}", out.green("✓"), c.name));
                    } else {
                        failed += 1;
                        out.line(format!("  {} {} (line {})", out.red("✗"), c.name, c.line));
                        for f in &c.failures {
                            out.line(format!("      {f}"));
                        }
                        out.line(format!("      expected: {}", expected_line(c)));
                        out.line(format!("      actual:   {}", actual_line(c)));
                    }
                }
                let covered = r.coverage.iter().filter(|c| c.cases > 0).count();
                out.line(format!(
                    "  coverage: {covered} of {} rules decided at least one case",
                    r.coverage.len()
                ));
                let mut t = out.table(&["RULE", "POLICY", "CASES"]);
                for c in &r.coverage {
                    let n = if c.cases == 0 {
                        out.yellow("0  not covered")
                    } else {
                        c.cases.to_string()
                    };
                    t.add_row(vec![c.rule_id.clone(), c.policy.clone(), n]);
                }
                out.print_table(&t);
                out.line("");
            }
        }
    }
    let broken = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Broken(..)))
        .count();
    let mut summary = format!(
        "{} cases: {passed} passed, {failed} failed",
        passed + failed
    );
    if broken > 0 {
        summary.push_str(&format!("; {broken} suite(s) could not run"));
    }
    out.line(if failed > 0 || broken > 0 {
        out.red(&summary)
    } else {
        out.green(&summary)
    });
}

fn to_json(outcomes: &[Outcome]) -> Value {
    let mut suites = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for o in outcomes {
        match o {
            Outcome::Broken(file, problems) => {
                let diags: Vec<diag::Diagnostic> = problems
                    .iter()
                    .flat_map(|p| p.diagnostics.iter().cloned())
                    .collect();
                suites.push(json!({
                    "file": file,
                    "ok": false,
                    "diagnostics": diag::render_json(&diags),
                    "cases": [],
                    "coverage": [],
                }));
            }
            Outcome::Ran(r) => {
                let cases: Vec<Value> = r
                    .cases
                    .iter()
                    .map(|c| {
                        if c.passed {
                            passed += 1;
                        } else {
                            failed += 1;
                        }
                        json!({
                            "name": c.name,
                            "line": c.line,
                            "passed": c.passed,
                            "failures": c.failures,
                            "expected": c.expected,
                            "actual": {
                                "result": c.actual.result,
                                "matched_rule_id": c.actual.matched_rule_id,
                                "reason": c.actual.reason,
                                "proof_required": c.actual.proof_required,
                                "obligations": c.actual.obligations.iter().map(|o| o.obligation_type).collect::<Vec<_>>(),
                            },
                        })
                    })
                    .collect();
                suites.push(json!({
                    "file": r.file,
                    "ok": r.failed() == 0,
                    "policies": r.policies,
                    "cases": cases,
                    "coverage": r.coverage,
                }));
            }
        }
    }
    json!({ "suites": suites, "passed": passed, "failed": failed })
}

pub(crate) fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

fn junit(outcomes: &[Outcome]) -> String {
    let mut body = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for o in outcomes {
        match o {
            Outcome::Broken(file, problems) => {
                tests += 1;
                errors += 1;
                let detail: Vec<String> = problems
                    .iter()
                    .flat_map(|p| &p.diagnostics)
                    .map(|d| {
                        format!(
                            "{}:{}:{}: {} [{}]",
                            d.file, d.line, d.col, d.message, d.code
                        )
                    })
                    .collect();
                body.push_str(&format!(
                    "  <testsuite name=\"{f}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"load suite\" classname=\"{f}\">\n      <error message=\"the suite cannot run\">{}</error>\n    </testcase>\n  </testsuite>\n",
                    xml(&detail.join("\n")),
                    f = xml(file)
                ));
            }
            Outcome::Ran(r) => {
                let f = r.failed();
                tests += r.cases.len();
                failures += f;
                body.push_str(&format!(
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\">\n",
                    xml(&r.file),
                    r.cases.len()
                ));
                for c in &r.cases {
                    let head = format!(
                        "    <testcase name=\"{}\" classname=\"{}\"",
                        xml(&c.name),
                        xml(&r.file)
                    );
                    if c.passed {
                        body.push_str(&format!("{head}/>\n"));
                    } else {
                        body.push_str(&format!(
                            "{head}>\n      <failure message=\"{}\">expected: {}\nactual: {}</failure>\n    </testcase>\n",
                            xml(&c.failures.join("; ")),
                            xml(&expected_line(c)),
                            xml(&actual_line(c))
                        ));
                    }
                }
                body.push_str("  </testsuite>\n");
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"openleash policy test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{body}</testsuites>"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_escaping() {
        assert_eq!(super::xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
