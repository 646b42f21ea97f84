//! Prompts for the interactive commands (`wizard`, `owner add-*`). Prompts appear only when
//! stdin and stderr are terminals and `--json` is off; otherwise a missing answer is a usage error
//! naming the flags to pass. Ctrl-C at a prompt becomes `CANCELLED` (exit 130) before anything
//! was written, and the cursor dialoguer hid is restored.

use super::Ctx;
use crate::error::{Error, ErrorCode, Result};
use dialoguer::theme::ColorfulTheme;

/// True when this invocation may prompt.
pub fn enabled(ctx: &Ctx) -> bool {
    crate::output::interactive() && !ctx.out.json
}

fn theme() -> ColorfulTheme {
    ColorfulTheme::default()
}

fn failed(e: dialoguer::Error) -> Error {
    let _ = console::Term::stderr().show_cursor();
    let dialoguer::Error::IO(io) = &e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        return Error::new(ErrorCode::Cancelled, "cancelled; nothing was written");
    }
    Error::new(ErrorCode::Usage, format!("prompt failed: {e}"))
}

/// A usage error listing the flags that would have answered the missing questions.
pub fn missing(flags: &[&str]) -> Error {
    Error::new(
        ErrorCode::Usage,
        format!(
            "no terminal to ask on, and these answers are missing: {}",
            flags.join(", ")
        ),
    )
    .with_hint("pass the flags (see --help), or run in a terminal to be asked")
}

pub fn text(prompt: &str, default: Option<&str>, allow_empty: bool) -> Result<String> {
    let theme = theme();
    let mut input = dialoguer::Input::<String>::with_theme(&theme)
        .with_prompt(prompt)
        .allow_empty(allow_empty);
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input.interact_text().map_err(failed)
}

/// Asks until `parse` accepts the answer, showing its message after each rejection.
pub fn text_until<T>(
    prompt: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> std::result::Result<T, String>,
) -> Result<T> {
    loop {
        let answer = text(prompt, default, true)?;
        match parse(answer.trim()) {
            Ok(v) => return Ok(v),
            Err(msg) => eprintln!("  {msg}"),
        }
    }
}

pub fn select(prompt: &str, items: &[String], default: usize) -> Result<usize> {
    dialoguer::Select::with_theme(&theme())
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact()
        .map_err(failed)
}

pub fn confirm(prompt: &str, default: bool) -> Result<bool> {
    dialoguer::Confirm::with_theme(&theme())
        .with_prompt(prompt)
        .default(default)
        .interact()
        .map_err(failed)
}

pub fn password(prompt: &str) -> Result<String> {
    dialoguer::Password::with_theme(&theme())
        .with_prompt(prompt)
        .with_confirmation("Repeat passphrase", "the passphrases do not match")
        .interact()
        .map_err(failed)
}

/// The second-factor code for an operation gated by TOTP, acting as `user_id`: the flag's value;
/// else, when that user has TOTP enabled and this invocation may prompt, the code typed at a
/// hidden prompt; else none (the handler then answers `TOTP_REQUIRED` with a hint to pass
/// `--totp-code`).
pub fn totp_code(
    ctx: &Ctx,
    dd: &crate::store::DataDir,
    user_id: &str,
    flag: Option<String>,
) -> Result<Option<String>> {
    if flag.is_some() || !enabled(ctx) || !crate::handlers::totp::code_needed(dd, user_id) {
        return Ok(flag);
    }
    dialoguer::Password::with_theme(&theme())
        .with_prompt("Two-factor code (authenticator app or backup code)")
        .interact()
        .map(Some)
        .map_err(failed)
}
