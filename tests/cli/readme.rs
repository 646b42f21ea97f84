//! The README's shell examples, run as written: every ```bash / ```sh block, in order, in one
//! temporary directory (a shell session: variables, `cd` and files carry over from block to
//! block) with the built `openleash` first on PATH.
//!
//! Markers on the line before a block's opening fence:
//! - `<!-- readme-test: skip -->` — needs a network, a server in another terminal, a browser, a
//!   receiver, or runs forever: not run;
//! - `<!-- readme-test: exit N -->` — the block's last command exits with N (the block runs in
//!   a subshell without `set -e`, so it cannot set variables for later blocks).
//!
//! A ```text block right after a run block is what that block prints: each of its lines must
//! appear, in order, in the block's stdout and stderr.

use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence in README.md.
    line: usize,
    text: String,
    skip: bool,
    exit: i32,
    expected: Option<String>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out: Vec<Block> = Vec::new();
    let mut i = 0;
    // Whether the last fenced block was a run block and only blank lines followed it.
    let mut last_run: Option<usize> = None;
    while i < lines.len() {
        let l = lines[i];
        let Some(lang) = l.strip_prefix("```") else {
            if !l.trim().is_empty() {
                last_run = None;
            }
            i += 1;
            continue;
        };
        let start = i;
        let mut body = String::new();
        i += 1;
        while i < lines.len() && !lines[i].starts_with("```") {
            body.push_str(lines[i]);
            body.push('\n');
            i += 1;
        }
        i += 1;
        let marker = lines[..start]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| l.trim().strip_prefix("<!-- readme-test:"))
            .and_then(|l| l.strip_suffix("-->"))
            .map(str::trim)
            .unwrap_or("");
        match lang.trim() {
            "bash" | "sh" => {
                let exit = marker
                    .strip_prefix("exit ")
                    .map(|n| n.parse().expect("readme-test: exit N needs a number"))
                    .unwrap_or(0);
                assert!(
                    marker.is_empty() || marker == "skip" || marker.starts_with("exit "),
                    "README.md:{}: unknown marker {marker:?}",
                    start + 1
                );
                out.push(Block {
                    line: start + 1,
                    text: body,
                    skip: marker == "skip",
                    exit,
                    expected: None,
                });
                last_run = Some(out.len() - 1);
                continue;
            }
            "text" => {
                if let Some(b) = last_run.and_then(|n| out.get_mut(n))
                    && !b.skip
                {
                    b.expected = Some(body);
                }
            }
            _ => {}
        }
        last_run = None;
    }
    out
}

/// One bash session: each run block is a function, called with its output in `.readme/out.N`;
/// `set -e` stops the session at the first failing command of a block.
fn script(blocks: &[Block]) -> String {
    let mut s = String::from("set -eo pipefail\nmkdir -p .readme\n");
    for (n, b) in blocks.iter().enumerate().filter(|(_, b)| !b.skip) {
        // `:` keeps a block of comments only a valid function body.
        writeln!(s, "readme_block_{n}() {{\n:\n{}\n}}", b.text).unwrap();
        writeln!(s, "echo {n} > .readme/started").unwrap();
        if b.exit == 0 {
            writeln!(s, "readme_block_{n} > .readme/out.{n} 2>&1").unwrap();
            writeln!(s, "echo 0 > .readme/rc.{n}").unwrap();
        } else {
            writeln!(
                s,
                "rc=0; (set -e; readme_block_{n}) > .readme/out.{n} 2>&1 || rc=$?"
            )
            .unwrap();
            writeln!(s, "echo $rc > .readme/rc.{n}").unwrap();
            writeln!(
                s,
                "[ $rc = {} ] || {{ echo \"exit $rc, expected {}\" >> .readme/out.{n}; exit 99; }}",
                b.exit, b.exit
            )
            .unwrap();
        }
    }
    s
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// The lines of `expected` in order within `actual` (trailing spaces ignored).
fn missing_lines(expected: &str, actual: &str) -> Option<String> {
    let mut rest = actual.lines().map(str::trim_end);
    for want in expected
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
    {
        if !rest.any(|got| got == want) {
            return Some(want.to_string());
        }
    }
    None
}

#[test]
fn readme_shell_blocks_run_as_written() {
    run_doc("README.md", 10);
}

/// docs/openclaw.md's examples, the same way.
#[test]
fn openclaw_guide_shell_blocks_run_as_written() {
    run_doc("docs/openclaw.md", 5);
}

/// Runs the shell blocks of the Markdown file `doc` (relative to the crate root; more than
/// `min_blocks` of them must run) in order in one shell session (module docs).
fn run_doc(doc: &str, min_blocks: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join(doc)).unwrap();
    let blocks = blocks(&readme);
    assert!(
        blocks.iter().filter(|b| !b.skip).count() > min_blocks,
        "{blocks:?}"
    );
    let tmp = tempfile::TempDir::new().unwrap();
    let work = tmp.path().join("work");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    // What a fresh clone has that the examples use.
    for dir in ["examples", "policies"] {
        copy_tree(&root.join(dir), &work.join(dir));
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_openleash"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c").arg(script(&blocks)).current_dir(&work);
    for (k, _) in std::env::vars() {
        if k.starts_with("OPENLEASH_") || k == "USER_PRINCIPAL_ID" {
            cmd.env_remove(k);
        }
    }
    cmd.env("PATH", path)
        .env("HOME", &home)
        .env("NO_COLOR", "1")
        .env("OPENLEASH_USER_CONFIG", "")
        .env("OPENLEASH_LOCK_TIMEOUT_MS", "20000");
    let status = cmd.status().unwrap();
    let read = |name: &str| std::fs::read_to_string(work.join(".readme").join(name)).ok();
    for (n, b) in blocks.iter().enumerate().filter(|(_, b)| !b.skip) {
        let output = read(&format!("out.{n}")).unwrap_or_default();
        // `OPENLEASH_README_SHOW=1 cargo test --test cli readme -- --nocapture` shows every output.
        if std::env::var_os("OPENLEASH_README_SHOW").is_some() {
            eprintln!("=== {doc}:{}\n{}--- output ---\n{output}", b.line, b.text);
        }
        let Some(rc) = read(&format!("rc.{n}")) else {
            panic!(
                "{doc}:{}: the block failed (session exit {status}):\n{}\n--- output ---\n{output}",
                b.line, b.text
            );
        };
        assert_eq!(
            rc.trim(),
            b.exit.to_string(),
            "{doc}:{}: {}\n{output}",
            b.line,
            b.text
        );
        if let Some(expected) = &b.expected
            && let Some(line) = missing_lines(expected, &output)
        {
            panic!(
                "{doc}:{}: the printed output lacks the document's line\n  {line}\n--- output ---\n{output}",
                b.line
            );
        }
    }
    assert!(status.success(), "session exit {status}");
}

#[test]
fn markers_and_expected_output_are_parsed() {
    let md = "```sh\necho a\n```\n```text\na\n```\n\n<!-- readme-test: skip -->\n```bash\nsleep 1000\n```\n<!-- readme-test: exit 1 -->\n```sh\nfalse\n```\n```yaml\nx: 1\n```\n";
    let b = blocks(md);
    assert_eq!(b.len(), 3);
    assert_eq!(b[0].expected.as_deref(), Some("a\n"));
    assert!(b[1].skip && b[1].expected.is_none());
    assert_eq!((b[2].exit, b[2].line), (1, 13));
    assert_eq!(missing_lines("x\nz\n", "x\ny\nz\n"), None);
    assert_eq!(missing_lines("z\nx\n", "x\ny\nz\n"), Some("x".into()));
}
