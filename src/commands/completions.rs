//! `openleash completions <shell>`.

use super::Ctx;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;
use clap::CommandFactory;

pub fn run(args: CompletionsArgs, _ctx: &Ctx) -> Result<u8> {
    let mut buf = Vec::new();
    generate(args.shell, &mut buf);
    crate::output::print_stdout(&String::from_utf8_lossy(&buf));
    Ok(0)
}

pub fn generate(shell: clap_complete::Shell, buf: &mut Vec<u8>) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "openleash", buf);
}

/// File names of the committed copies under `completions/`.
pub fn file_name(shell: clap_complete::Shell) -> String {
    use clap_complete::Shell::*;
    match shell {
        Bash => "openleash.bash".into(),
        Zsh => "_openleash".into(),
        Fish => "openleash.fish".into(),
        PowerShell => "_openleash.ps1".into(),
        Elvish => "openleash.elv".into(),
        _ => format!("openleash.{shell}"),
    }
}
