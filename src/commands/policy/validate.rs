//! `openleash policy validate <FILE|DIR|->...`: lint policy files; no data directory needed.

use super::{Ctx, display_name, read_bounded};
use crate::cli::{DiagFormat, ValidateArgs};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::check_policy;
use crate::policy::diag::{self, Diagnostic, codes};
use std::path::{Path, PathBuf};

/// One input found on the command line or in a directory.
enum Input {
    /// A policy file (or `-`); `explicit` when named on the command line.
    File { path: PathBuf, explicit: bool },
    /// A named path that is neither a readable file nor a directory with policies.
    Problem { path: PathBuf, message: String },
}

struct Report {
    name: String,
    source: String,
    diagnostics: Vec<Diagnostic>,
}

pub fn run(args: ValidateArgs, ctx: &Ctx) -> Result<u8> {
    let mut paths = args.paths;
    paths.extend(args.file);
    if paths.is_empty() {
        return Err(Error::new(
            ErrorCode::Usage,
            "give at least one policy file, directory, or `-` for standard input",
        )
        .with_hint("e.g. `openleash policy validate policies/`"));
    }
    let format = if ctx.out.json {
        DiagFormat::Json
    } else {
        args.format
    };

    let mut inputs = Vec::new();
    for p in paths {
        collect(p, &mut inputs);
    }
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        match input {
            Input::Problem { path, message } => reports.push(Report {
                name: display_name(&path),
                source: String::new(),
                diagnostics: vec![read_problem(&path, message)],
            }),
            Input::File { path, explicit } => {
                let bytes = match read_bounded(&path) {
                    Ok(b) => b,
                    Err(e) => {
                        reports.push(Report {
                            name: display_name(&path),
                            source: String::new(),
                            diagnostics: vec![read_problem(
                                &path,
                                format!("cannot read {}: {e}", display_name(&path)),
                            )],
                        });
                        continue;
                    }
                };
                if is_test_suite(&bytes) {
                    skipped.push((path, explicit));
                    continue;
                }
                let name = display_name(&path);
                let checked = check_policy(&name, &bytes);
                reports.push(Report {
                    name,
                    source: String::from_utf8_lossy(&bytes).into_owned(),
                    diagnostics: checked.diagnostics,
                });
            }
        }
    }

    let all: Vec<Diagnostic> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    let (errors, warnings) = diag::counts(&all);
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);

    match format {
        DiagFormat::Json => ctx.out.json_value(&diag::render_json(&all)),
        DiagFormat::Github => {
            let text = diag::render_github(&all);
            if !text.is_empty() {
                ctx.out.data(text.trim_end());
            }
        }
        DiagFormat::Human => human(ctx, &reports, &skipped, args.deny_warnings),
    }
    Ok(u8::from(failed))
}

fn human(ctx: &Ctx, reports: &[Report], skipped: &[(PathBuf, bool)], deny_warnings: bool) {
    let out = &ctx.out;
    for (path, explicit) in skipped {
        if *explicit || out.verbose {
            out.line(format!(
                "{} {} (a policy test suite; run it with `openleash policy test`)",
                out.dim("skipped"),
                path.display()
            ));
        }
    }
    let mut invalid = 0;
    for r in reports {
        if !r.diagnostics.is_empty() {
            let frames = diag::render_human(&r.diagnostics, Some(&r.source), out.color);
            out.data(frames.trim_end());
            out.data("");
        }
        let (e, w) = diag::counts(&r.diagnostics);
        let bad = e > 0 || (deny_warnings && w > 0);
        if bad {
            invalid += 1;
        }
        let status = if bad {
            format!("{} {}: {}", out.red("✗"), r.name, tally(e, w))
        } else if w > 0 {
            format!("{} {} is valid ({})", out.green("✓"), r.name, tally(0, w))
        } else {
            format!("{} {} is valid", out.green("✓"), r.name)
        };
        out.line(status);
    }
    if reports.len() > 1 {
        out.line(format!(
            "{} files checked: {} valid, {invalid} invalid",
            reports.len(),
            reports.len() - invalid
        ));
    }
}

fn tally(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn read_problem(path: &Path, message: String) -> Diagnostic {
    let mut d = Diagnostic::file_error(&display_name(path), codes::READ, message);
    d.help = Some("check the path".into());
    d
}

/// A policy test suite (skipped by `validate`): any line starting with a top-level `cases:`.
fn is_test_suite(bytes: &[u8]) -> bool {
    bytes
        .split(|b| *b == b'\n')
        .any(|line| line.starts_with(b"cases:"))
}

fn collect(path: PathBuf, inputs: &mut Vec<Input>) {
    if path == Path::new("-") {
        inputs.push(Input::File {
            path,
            explicit: true,
        });
        return;
    }
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => {
            let (files, errors) = super::find_files(&path, &|name| {
                (name.ends_with(".yaml") || name.ends_with(".yml"))
                    && !name.ends_with(".test.yaml")
                    && !name.ends_with(".test.yml")
            });
            let found = !files.is_empty();
            inputs.extend(files.into_iter().map(|path| Input::File {
                path,
                explicit: false,
            }));
            inputs.extend(errors.into_iter().map(|(path, e)| Input::Problem {
                message: format!("cannot read directory {}: {e}", path.display()),
                path,
            }));
            if !found {
                inputs.push(Input::Problem {
                    message: format!("no policy files (*.yaml, *.yml) under {}", path.display()),
                    path,
                });
            }
        }
        Ok(_) => inputs.push(Input::File {
            path,
            explicit: true,
        }),
        Err(e) => inputs.push(Input::Problem {
            message: format!("cannot read {}: {e}", path.display()),
            path,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_are_recognised_by_a_top_level_cases_key() {
        assert!(is_test_suite(b"policy: x.yaml\ncases:\n  - name: a\n"));
        assert!(!is_test_suite(b"rules:\n  - id: cases\n    cases: 1\n"));
    }

    #[test]
    fn tallies() {
        assert_eq!(tally(1, 0), "1 error");
        assert_eq!(tally(2, 1), "2 errors, 1 warning");
        assert_eq!(tally(0, 3), "3 warnings");
    }
}
