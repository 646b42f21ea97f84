//! `openleash action hash [FILE|-] [--canonical]`: validate an ActionRequest and print its
//! `action_hash` (or RFC 8785 canonical JSON). Needs no data directory.

use super::Ctx;
use crate::action::ValidatedAction;
use crate::cli::ActionCommand;
use crate::error::{Error, ErrorCode, Result};
use serde_json::json;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(cmd: ActionCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        ActionCommand::Hash { file, canonical } => hash(file, canonical, ctx),
    }
}

fn hash(file: Option<PathBuf>, canonical: bool, ctx: &Ctx) -> Result<u8> {
    let path = file.unwrap_or_else(|| PathBuf::from("-"));
    let action = read_action(&path)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!({
            "action_hash": action.action_hash(),
            "canonical_json": action.canonical_json(),
        }));
    } else if canonical {
        out.data(action.canonical_json());
    } else {
        out.data(action.action_hash());
    }
    Ok(0)
}

/// Reads and validates an ActionRequest from a file or stdin (`-`); errors name the source.
pub fn read_action(path: &Path) -> Result<ValidatedAction> {
    let stdin = path == Path::new("-");
    if stdin && std::io::stdin().is_terminal() {
        // Waiting on a terminal would look like a hang; say what is expected instead.
        return Err(Error::new(
            ErrorCode::Usage,
            "no ActionRequest given: pass a FILE or pipe JSON on standard input",
        )
        .with_hint("e.g. `openleash action hash action.json` or `cat action.json | openleash action hash -`"));
    }
    let bytes = super::read_input(path)?;
    ValidatedAction::from_slice(&bytes).map_err(|mut e| {
        let source = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        e.message = format!("{source}: {}", e.message);
        e
    })
}
