//! `--limit N`, `--cursor C` and `--all` for every list command, over the handlers' keyset pages
//! ([`crate::handlers::page`]).
//!
//! Output: one page (default 100 items); when more follow, the next cursor goes to stderr as a
//! hint. `--all` fetches page after page and prints each as it arrives, so memory stays bounded
//! by one page whatever the list's size. With `--json`, the output stays the JSON array it always
//! was (so scripts keep working; with `--all` the array is streamed), unless `--limit` or
//! `--cursor` asks for one page explicitly: then it is the HTTP page object
//! (`{<items>: [...], "next_cursor": …, "total": …, "limit": …}`).

use super::Ctx;
use crate::cli::PageArgs;
use crate::error::Result;
use crate::handlers::page::{Page, PageRequest};
use serde_json::Value;

/// How a list command shows its items.
pub struct ListView<'a, T> {
    /// The list's name in cursors (the handler's `LIST`).
    pub list: &'static str,
    /// The field that holds the items in the `--json` page object (as over HTTP).
    pub field: &'static str,
    pub to_json: &'a dyn Fn(&T) -> Value,
    /// Prints one page of items for people (called once per page; `first` for the first).
    pub human: &'a mut dyn FnMut(&[T], bool) -> Result<()>,
    /// Said on stderr when there is nothing at all.
    pub empty: &'a str,
}

/// Runs a list command: `fetch` returns the page for a request.
pub fn run<T>(
    ctx: &Ctx,
    args: &PageArgs,
    view: ListView<'_, T>,
    mut fetch: impl FnMut(&PageRequest) -> Result<Page<T>>,
) -> Result<u8> {
    let out = &ctx.out;
    let mut req = PageRequest::new(view.list, args.limit, args.cursor.as_deref())?;
    let explicit = args.limit.is_some() || args.cursor.is_some();
    if out.json && explicit && !args.all {
        let page = fetch(&req)?;
        let page = page.map(|t| (view.to_json)(&t));
        out.json_value(&page.json(view.field));
        return Ok(0);
    }
    let mut first = true;
    let mut count = 0usize;
    loop {
        let page = fetch(&req)?;
        if out.json {
            // A JSON array written piece by piece: `[`, the items, `]`.
            let mut text = String::new();
            for t in &page.items {
                text.push_str(if count == 0 { "[\n" } else { ",\n" });
                count += 1;
                let v = serde_json::to_string_pretty(&(view.to_json)(t))
                    .unwrap_or_else(|_| "null".into());
                for (i, l) in v.lines().enumerate() {
                    if i > 0 {
                        text.push('\n');
                    }
                    text.push_str("  ");
                    text.push_str(l);
                }
            }
            if !text.is_empty() {
                crate::output::print_stdout(&text);
            }
        } else if !page.items.is_empty() {
            count += page.items.len();
            (view.human)(&page.items, first)?;
        }
        first = false;
        match page.next_cursor {
            Some(c) if args.all => {
                req.after = Some(crate::handlers::page::decode(view.list, &c)?);
            }
            Some(c) => {
                finish_json(ctx, count);
                // stderr even with --json: stdout carries the items only.
                if out.quiet {
                    return Ok(0);
                }
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    format!(
                        "{} of {} shown; next page: --cursor {c} (or --all for every page)\n",
                        page.items.len(),
                        page.total
                    )
                    .as_bytes(),
                );
                return Ok(0);
            }
            None => break,
        }
    }
    finish_json(ctx, count);
    if count == 0 && !out.json {
        out.note(view.empty);
    }
    Ok(0)
}

fn finish_json(ctx: &Ctx, count: usize) {
    if ctx.out.json {
        crate::output::print_stdout(if count == 0 { "[]\n" } else { "\n]\n" });
    }
}
