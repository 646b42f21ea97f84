//! `openleash policy …`: one file per group of subcommands.

pub(crate) mod diff;
mod explain;
pub(crate) mod manage;
mod replay;
pub(crate) mod test;
mod validate;

use super::Ctx;
use crate::cli::PolicyCommand;
use crate::error::{ErrorCode, Result};
use crate::policy::{self, CompiledPolicy, Diagnostic, diag};
use std::path::{Path, PathBuf};

pub fn run(cmd: PolicyCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        PolicyCommand::Validate(a) => validate::run(a, ctx),
        PolicyCommand::List(a) => manage::list(ctx, &a.page, a.agent.as_deref()),
        PolicyCommand::Show {
            policy_id,
            policy_id_flag,
        } => manage::show(&policy_id_flag.or(policy_id).unwrap_or_default(), ctx),
        PolicyCommand::Explain { agent } => explain::explain(agent.as_deref(), ctx),
        PolicyCommand::Upsert(a) => manage::upsert(a, ctx),
        PolicyCommand::Bind(a) => manage::bind(a, ctx),
        PolicyCommand::Unbind(a) => manage::unbind(a, ctx),
        PolicyCommand::Delete {
            policy_id,
            yes,
            totp_code,
        } => manage::delete(&policy_id, yes, totp_code, ctx),
        PolicyCommand::Profiles { command } => manage::profiles(command, ctx),
        PolicyCommand::Diff(a) => diff::run(a, ctx),
        PolicyCommand::Test(a) => test::run(a, ctx),
        PolicyCommand::Replay(a) => replay::run(a, ctx),
        PolicyCommand::ShadowReport { since, agent } => {
            replay::shadow_report(since.as_deref(), agent.as_deref(), ctx)
        }
    }
}

/// Reads a policy file, or stdin for `-`, bounded like every policy source.
pub(crate) fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    if path == Path::new("-") {
        policy::read_limited(std::io::stdin().lock())
    } else {
        policy::read_policy_file(path)
    }
}

/// Directory recursion stops here (symlinked directories are not followed at all).
const MAX_DIR_DEPTH: usize = 32;

/// Files under `dir`, recursively and sorted, whose name passes `accept`. Hidden entries are
/// skipped; symlinks to files are followed, symlinks to directories are not (no loops).
/// Directories that cannot be read are returned alongside.
pub(crate) fn find_files(
    dir: &Path,
    accept: &dyn Fn(&str) -> bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    fn walk(
        dir: &Path,
        depth: usize,
        accept: &dyn Fn(&str) -> bool,
        files: &mut Vec<PathBuf>,
        errors: &mut Vec<(PathBuf, std::io::Error)>,
    ) {
        if depth > MAX_DIR_DEPTH {
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok()).collect(),
            Err(e) => {
                errors.push((dir.to_path_buf(), e));
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                walk(&path, depth + 1, accept, files, errors);
            } else if (ft.is_file() || (ft.is_symlink() && path.is_file())) && accept(&name) {
                files.push(path);
            }
        }
    }
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    walk(dir, 0, accept, &mut files, &mut errors);
    (files, errors)
}

/// Display name of an input path (`<stdin>` for `-`).
pub(crate) fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// Prints diagnostics for a command whose main output is something else: human frames on
/// stderr (nothing with `--json`, where the error envelope carries them).
pub(crate) fn report_diagnostics(ctx: &Ctx, diags: &[Diagnostic], source: &str) {
    if ctx.out.json || diags.is_empty() {
        return;
    }
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| !ctx.out.quiet || d.severity == policy::Severity::Error)
        .cloned()
        .collect();
    let color = ctx.out.color && std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprint!("{}", diag::render_human(&shown, Some(source), color));
}

/// Diagnostics as part of a command's main output (e.g. `draft show`), on stdout.
pub(crate) fn report_diagnostics_to_stdout(ctx: &Ctx, diags: &[Diagnostic], source: &str) {
    let color = ctx.out.color;
    ctx.out
        .line(diag::render_human(diags, Some(source), color).trim_end());
}

/// Reads and checks a policy file that a command needs to be valid. Diagnostics (warnings
/// too) are shown on stderr; errors become an error with `code` and the diagnostics as details.
pub(crate) fn load_policy(
    ctx: &Ctx,
    path: &Path,
    code: ErrorCode,
) -> Result<(String, CompiledPolicy)> {
    let bytes = read_bounded(path).map_err(|e| super::read_error(path, e))?;
    let name = display_name(path);
    let checked = policy::check_policy(&name, &bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    report_diagnostics(ctx, &checked.diagnostics, &text);
    match checked.policy {
        Some(p) => Ok((text, p)),
        None => Err(policy::resolve::policy_error(
            code,
            &name,
            &checked.diagnostics,
        )),
    }
}
