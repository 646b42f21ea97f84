//! `openleash man`: roff man pages generated from the clap definitions.

use super::Ctx;
use crate::cli::{Cli, ManArgs};
use crate::error::{Error, Result};
use clap::CommandFactory;
use std::path::Path;

pub fn run(args: ManArgs, ctx: &Ctx) -> Result<u8> {
    match args.out_dir {
        None => {
            let page = render(&Cli::command())?;
            crate::output::print_stdout(&String::from_utf8_lossy(&page));
        }
        Some(dir) => {
            let pages = all_pages()?;
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
            for (name, body) in &pages {
                crate::store::write_atomic(&dir.join(name), body)?;
            }
            ctx.out.line(format!(
                "Wrote {} man pages to {}",
                pages.len(),
                dir.display()
            ));
        }
    }
    Ok(0)
}

fn render(cmd: &clap::Command) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .map_err(|e| Error::io("render man page", Path::new("-"), e))?;
    Ok(buf)
}

/// Every page: `openleash.1` and one `openleash-<sub>[-<subsub>].1` per subcommand.
pub fn all_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    collect(&root, "openleash", &mut pages)?;
    Ok(pages)
}

fn collect(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    let named = cmd.clone().name(name.to_string());
    pages.push((format!("{name}.1"), render(&named)?));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        collect(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}
