//! `openleash policy …`: one file per group of subcommands.

mod diff;
mod manage;
mod test;
mod validate;

use super::Ctx;
use crate::cli::PolicyCommand;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{self, CompiledPolicy, Diagnostic, diag};
use std::io::Read;
use std::path::Path;

pub fn run(cmd: PolicyCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        PolicyCommand::Validate(a) => validate::run(a, ctx),
        PolicyCommand::List => manage::list(ctx),
        PolicyCommand::Show { policy_id } => manage::show(&policy_id, ctx),
        PolicyCommand::Upsert(a) => manage::upsert(a, ctx),
        PolicyCommand::Bind(a) => manage::bind(a, ctx),
        PolicyCommand::Unbind(a) => manage::unbind(a, ctx),
        PolicyCommand::Delete { policy_id, yes } => manage::delete(&policy_id, yes, ctx),
        PolicyCommand::Profiles { command } => manage::profiles(command, ctx),
        PolicyCommand::Diff(a) => diff::run(a, ctx),
        PolicyCommand::Test(a) => test::run(a, ctx),
    }
}

/// Reads a policy file (or stdin for `-`) but never more than one byte past the size limit, so
/// a huge or endless input costs bounded memory; the checker reports the oversize.
pub(crate) fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let limit = policy::MAX_POLICY_BYTES as u64 + 1;
    let mut buf = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// Display name of an input path (`<stdin>` for `-`).
pub(crate) fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

fn read_error(path: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::new(
            ErrorCode::NotFound,
            format!("{}: no such file", path.display()),
        )
        .with_hint("check the path")
    } else {
        Error::io("read", path, std::io::Error::new(e.kind(), e.to_string()))
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

/// Reads and checks a policy file that a command needs to be valid. Diagnostics (warnings
/// too) are shown on stderr; errors become an error with `code` and the diagnostics as details.
pub(crate) fn load_policy(
    ctx: &Ctx,
    path: &Path,
    code: ErrorCode,
) -> Result<(String, CompiledPolicy)> {
    let bytes = read_bounded(path).map_err(|e| read_error(path, &e))?;
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
