//! `openleash policy validate <FILE|DIR|->...`: lint policy files; no data directory needed.

use super::{Ctx, display_name, read_bounded};
use crate::cli::{DiagFormat, ValidateArgs};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::check_policy;
use crate::policy::diag::{self, Diagnostic, Severity, codes};
use std::path::{Path, PathBuf};

/// Directory recursion stops here (symlinked directories are not followed at all).
const MAX_DIR_DEPTH: usize = 32;

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

    let all: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);

    match format {
        DiagFormat::Json => {
            let owned: Vec<Diagnostic> = all.iter().map(|d| (*d).clone()).collect();
            ctx.out.json_value(&diag::render_json(&owned));
        }
        DiagFormat::Github => {
            let owned: Vec<Diagnostic> = all.iter().map(|d| (*d).clone()).collect();
            let text = diag::render_github(&owned);
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
    Diagnostic {
        file: display_name(path),
        line: 1,
        col: 1,
        len: 1,
        severity: Severity::Error,
        code: codes::READ,
        message,
        path: String::new(),
        help: Some("check the path".into()),
    }
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
            let before = inputs.len();
            walk(&path, 0, inputs);
            if inputs.len() == before {
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

fn walk(dir: &Path, depth: usize, inputs: &mut Vec<Input>) {
    if depth > MAX_DIR_DEPTH {
        return;
    }
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).collect(),
        Err(e) => {
            inputs.push(Input::Problem {
                message: format!("cannot read directory {}: {e}", dir.display()),
                path: dir.to_path_buf(),
            });
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, depth + 1, inputs);
            continue;
        }
        // Symlinks to files are followed; symlinks to directories are not (no loops).
        let is_file = ft.is_file() || (ft.is_symlink() && path.is_file());
        let policy_name = (name.ends_with(".yaml") || name.ends_with(".yml"))
            && !name.ends_with(".test.yaml")
            && !name.ends_with(".test.yml");
        if is_file && policy_name {
            inputs.push(Input::File {
                path,
                explicit: false,
            });
        }
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
