//! Everything the CLI prints goes through here: human vs `--json`, colour only on a TTY (and never
//! with `NO_COLOR`), quiet mode, errors in the `error[CODE]` / JSON-envelope forms, and stdout
//! writes that treat a closed pipe as a normal end rather than an error.

use crate::error::Error;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output settings of one CLI invocation.
#[derive(Debug, Clone)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: bool, color: ColorChoice) -> Output {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color && std::io::stderr().is_terminal());
        QUIET.store(quiet, Ordering::Relaxed);
        Output {
            json,
            quiet,
            verbose,
            color,
        }
    }

    /// A plain instance for tests and library callers.
    pub fn plain() -> Output {
        Output {
            json: false,
            quiet: false,
            verbose: false,
            color: false,
        }
    }

    /// Prints a line of human output on stdout (suppressed by `--quiet`).
    pub fn line(&self, s: impl AsRef<str>) {
        if !self.quiet {
            print_stdout(&format!("{}\n", s.as_ref()));
        }
    }

    /// Prose about a result — confirmations, hints, next steps — on stderr (suppressed by
    /// `--quiet`), so that `X=$(openleash …)` captures only the result.
    pub fn note(&self, s: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{}", s.as_ref());
        }
    }

    /// Prints data that must appear even with `--quiet` (a token, a hash, JSON).
    pub fn data(&self, s: impl AsRef<str>) {
        print_stdout(&format!("{}\n", s.as_ref()));
    }

    pub fn json_value(&self, v: &serde_json::Value) {
        let text = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
        self.data(text);
    }

    /// One compact JSON object per line (JSON Lines).
    pub fn json_line(&self, v: &serde_json::Value) {
        self.data(serde_json::to_string(v).unwrap_or_else(|_| "null".into()));
    }

    pub fn green(&self, s: &str) -> String {
        console::style(s).green().bold().to_string()
    }

    pub fn red(&self, s: &str) -> String {
        console::style(s).red().bold().to_string()
    }

    pub fn yellow(&self, s: &str) -> String {
        console::style(s).yellow().bold().to_string()
    }

    pub fn dim(&self, s: &str) -> String {
        console::style(s).dim().to_string()
    }

    pub fn bold(&self, s: &str) -> String {
        console::style(s).bold().to_string()
    }

    /// A table in the house style.
    pub fn table(&self, header: &[&str]) -> comfy_table::Table {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::NOTHING);
        t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        if !self.color {
            t.force_no_tty();
        }
        t.set_header(
            header
                .iter()
                .map(|h| comfy_table::Cell::new(h).add_attribute(comfy_table::Attribute::Bold)),
        );
        t
    }

    pub fn print_table(&self, t: &comfy_table::Table) {
        if !self.quiet {
            print_stdout(&format!("{t}\n"));
        }
    }

    /// Reports an error: JSON envelope on stdout with `--json`, else `error[CODE]: …` on stderr.
    pub fn error(&self, e: &Error) {
        if self.json {
            print_stdout(&format!(
                "{}\n",
                serde_json::to_string_pretty(&e.to_envelope()).unwrap_or_default()
            ));
            return;
        }
        let mut err = std::io::stderr().lock();
        let label = format!("error[{}]", e.code);
        let label = if self.color_stderr() {
            console::style(label).red().bold().to_string()
        } else {
            label
        };
        let _ = writeln!(err, "{label}: {}", e.message);
        if let Some(h) = &e.hint {
            let _ = writeln!(err, "  help: {h}");
        }
        if self.verbose {
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                let _ = writeln!(err, "  caused by: {s}");
                src = s.source();
            }
        }
    }

    fn color_stderr(&self) -> bool {
        self.color && std::io::stderr().is_terminal()
    }
}

/// Writes to stdout; a closed pipe ends the process quietly with success (like `head` expects).
pub fn print_stdout(s: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|()| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// A warning on stderr (suppressed by `--quiet`). Library code uses this for non-fatal findings
/// such as a private key file with loose permissions.
pub fn warn(msg: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        let _ = writeln!(std::io::stderr(), "warning: {msg}");
    }
}

/// True when prompts may be shown (stdin and stderr are terminals).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}
