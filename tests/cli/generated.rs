//! The committed man pages and shell completions must match what the binary generates.
//! Regenerate with `OPENLEASH_REGENERATE=1 cargo test --test cli generated`.

use std::path::Path;

fn check(path: &Path, expected: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("OPENLEASH_REGENERATE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    if std::fs::read(path).ok().as_deref() != Some(expected) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn man_pages_and_completions_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    let pages = openleash::commands::man::all_pages().unwrap();
    for (name, body) in &pages {
        check(&root.join("man").join(name), body, &mut stale);
    }
    let committed: Vec<String> = std::fs::read_dir(root.join("man"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    for name in committed {
        if !pages.iter().any(|(n, _)| *n == name) {
            stale.push(format!("man/{name} (no such command any more)"));
        }
    }
    for shell in [
        clap_complete::Shell::Bash,
        clap_complete::Shell::Zsh,
        clap_complete::Shell::Fish,
        clap_complete::Shell::PowerShell,
        clap_complete::Shell::Elvish,
    ] {
        let mut buf = Vec::new();
        openleash::commands::completions::generate(shell, &mut buf);
        check(
            &root
                .join("completions")
                .join(openleash::commands::completions::file_name(shell)),
            &buf,
            &mut stale,
        );
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run `OPENLEASH_REGENERATE=1 cargo test --test cli generated`): {stale:?}"
    );
}

#[test]
fn readme_error_table_matches_the_code() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut missing = Vec::new();
    for code in openleash::ErrorCode::ALL {
        let row = format!(
            "| `{}` | {} | {} |",
            code.as_str(),
            code.http_status(),
            code.exit_code()
        );
        if !readme.contains(&row) {
            missing.push(row);
        }
    }
    assert!(
        missing.is_empty(),
        "README error table rows missing or wrong:\n{}",
        missing.join("\n")
    );
}
