//! `openleash policy …`: validation diagnostics (all bad inputs of the issue), the data-dir
//! commands, test suites and diffs.

use crate::common::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const GOOD: &str = "version: 1\ndefault: deny\nrules:\n  - id: shop\n    effect: allow\n    action: purchase\n    constraints: {amount_max: 100}\n";

/// `validate --format json` on one file in `dir` (run there so paths are short).
fn validate_json(dir: &Path, file: &str) -> (i32, Vec<Value>) {
    let out = bin()
        .current_dir(dir)
        .args([
            "--data-dir",
            "no-such-dir",
            "policy",
            "validate",
            "--format",
            "json",
            file,
        ])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    (out.status.code().unwrap(), v.as_array().unwrap().clone())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, bytes).unwrap();
    p
}

/// Every bad input of issue 3: exit 1 from `validate` at the exact position, and exit 65 from
/// `upsert` with nothing written.
#[test]
fn bad_inputs_are_positioned_and_change_nothing() {
    let (tmp, data) = init_dir();
    let rule = |extra: &str| {
        format!(
            "version: 1\ndefault: deny\nrules:\n  - id: r\n    effect: allow\n    action: a\n{extra}"
        )
    };
    let mut huge = rule("");
    while huge.len() < 10 * 1024 * 1024 {
        huge.push_str("  # padding padding padding padding padding padding padding padding\n");
    }
    // The 1 MiB limit is crossed at this line and column (all ASCII, so bytes = columns).
    let limit = 1024 * 1024;
    let huge_line = 1 + huge.as_bytes()[..limit]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    let huge_col = limit - huge[..limit].rfind('\n').unwrap();
    let deep = rule(&format!(
        "    when: {}{{match: {{path: $.a, op: exists}}}}{}\n",
        "{not: ".repeat(40),
        "}".repeat(40)
    ));
    let very_deep = rule(&format!("    when: {}\n", "{any: [".repeat(5000)));
    let cases: Vec<(&str, Vec<u8>, &str, usize, usize)> = vec![
        ("empty", b"".to_vec(), "OL-E005", 1, 1),
        (
            "list",
            b"- id: a\n  effect: allow\n".to_vec(),
            "OL-E006",
            1,
            1,
        ),
        (
            "tabs",
            b"version: 1\ndefault: deny\nrules:\n\t- id: a\n".to_vec(),
            "OL-E001",
            4,
            1,
        ),
        (
            "indent",
            b"version: 1\ndefault: deny\nrules:\n  - id: a\n   effect: allow\n".to_vec(),
            "OL-E001",
            5,
            0,
        ),
        (
            "dup",
            b"version: 1\ndefault: deny\ndefault: allow\nrules: []\n".to_vec(),
            "OL-E002",
            3,
            1,
        ),
        (
            "unknown-top",
            b"version: 1\ndefault: deny\nrule: []\n".to_vec(),
            "OL-E010",
            3,
            1,
        ),
        (
            "unknown-rule",
            rule("    efect: deny\n").into_bytes(),
            "OL-E010",
            7,
            5,
        ),
        (
            "unknown-constraint",
            rule("    constraints: {amount_maxx: 1}\n").into_bytes(),
            "OL-E010",
            7,
            19,
        ),
        (
            "unknown-match",
            rule("    when: {match: {path: $.a, op: eq, vaule: 1}}\n").into_bytes(),
            "OL-E010",
            7,
            39,
        ),
        (
            "wrong-type",
            rule("    constraints: {amount_max: '5'}\n").into_bytes(),
            "OL-E012",
            7,
            31,
        ),
        (
            "op",
            rule("    when: {match: {path: $.a, op: lte_, value: 1}}\n").into_bytes(),
            "OL-E033",
            7,
            35,
        ),
        (
            "foo-bar",
            rule("    when: {match: {path: $.payload.foo-bar, op: exists}}\n").into_bytes(),
            "OL-E032",
            7,
            39,
        ),
        (
            "dollar",
            rule("    when: {match: {path: $payload, op: exists}}\n").into_bytes(),
            "OL-E032",
            7,
            27,
        ),
        (
            "lookahead",
            rule("    when: {match: {path: $.a, op: regex, value: 'x(?=y)'}}\n").into_bytes(),
            "OL-E036",
            7,
            51,
        ),
        ("huge", huge.into_bytes(), "OL-E004", huge_line, huge_col),
        ("deep", deep.into_bytes(), "OL-E031", 7, 203),
        ("very-deep", very_deep.into_bytes(), "OL-E001", 7, 0),
        (
            "latin1",
            b"version: 1\ndefault: d\xe9ny\nrules: []\n".to_vec(),
            "OL-E003",
            2,
            11,
        ),
    ];
    for (name, bytes, code, line, col) in &cases {
        let file = format!("{name}.yaml");
        write(tmp.path(), &file, bytes);
        let start = std::time::Instant::now();
        let (status, diags) = validate_json(tmp.path(), &file);
        assert!(
            start.elapsed().as_secs() < 10,
            "{name} took {:?}",
            start.elapsed()
        );
        assert_eq!(status, 1, "{name}: {diags:#?}");
        let d = diags
            .iter()
            .find(|d| d["code"] == *code)
            .unwrap_or_else(|| panic!("{name}: no {code} in {diags:#?}"));
        assert_eq!(d["file"], file.as_str());
        assert_eq!(d["line"], *line, "{name}: {d}");
        if *col > 0 {
            assert_eq!(d["col"], *col, "{name}: {d}");
        }

        let before = snapshot_tree(&data);
        let out = ol(&data)
            .args(["policy", "upsert", "--yes", "--file"])
            .arg(tmp.path().join(&file))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(65),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("error[INVALID_POLICY]"), "{name}: {stderr}");
        assert!(stderr.contains(&format!(":{line}:")), "{name}: {stderr}");
        assert_eq!(
            snapshot_tree(&data),
            before,
            "{name}: upsert changed the data dir"
        );
    }
}

#[test]
fn suggestions_for_misspellings() {
    let tmp = tempfile::TempDir::new().unwrap();
    write(
        tmp.path(),
        "p.yaml",
        b"version: 1\ndefault: deny\nrules:\n  - id: r\n    effect: allow\n    action: a\n    when: {match: {path: $.a, op: lte_, value: 1}}\n    obligations: [{type: HUMAN_APROVAL}]\n    requirements: {min_assurance_levl: HIGH}\n",
    );
    let (_, diags) = validate_json(tmp.path(), "p.yaml");
    let helps: Vec<&str> = diags.iter().filter_map(|d| d["help"].as_str()).collect();
    for h in [
        "did you mean `lte`?",
        "did you mean `HUMAN_APPROVAL`?",
        "did you mean `min_assurance_level`?",
    ] {
        assert!(helps.contains(&h), "{h} not in {helps:?}");
    }
}

const SNAPSHOT_POLICY: &str = "version: 1
default: Deny
rules:
  - id: small
    effect: allow
    action: purchase
    when:
      all:
        - match: {path: $.payload.foo-bar, op: lte_, value: 5}
        - match:
            path: $.payload.merchant
            op: regex
            value: '^shop(?!evil)'
    proof: {required: yes}
  - id: small
    effect: allow
    action: '*'
";

fn snapshot_output(format: &str) -> (i32, String) {
    let tmp = tempfile::TempDir::new().unwrap();
    write(tmp.path(), "bad.yaml", SNAPSHOT_POLICY.as_bytes());
    let out = bin()
        .current_dir(tmp.path())
        .args([
            "--color", "never", "policy", "validate", "--format", format, "bad.yaml",
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn diagnostics_snapshot_human() {
    let (code, text) = snapshot_output("human");
    assert_eq!(code, 1);
    insta::assert_snapshot!("validate_human", text);
}

#[test]
fn diagnostics_snapshot_json() {
    let (code, text) = snapshot_output("json");
    assert_eq!(code, 1);
    insta::assert_snapshot!("validate_json", text);
}

#[test]
fn diagnostics_snapshot_github() {
    let (code, text) = snapshot_output("github");
    assert_eq!(code, 1);
    insta::assert_snapshot!("validate_github", text);
}

#[test]
fn validate_directories_stdin_and_flags() {
    let tmp = tempfile::TempDir::new().unwrap();
    let d = tmp.path().join("pols");
    write(&d, "good.yaml", GOOD.as_bytes());
    write(&d, "sub/bad.yml", b"version: 1\ndefault: nope\nrules: []\n");
    write(&d, "x.test.yaml", b"not: [a policy\n");
    write(
        &d,
        "suite.yaml",
        b"policy: good.yaml\ncases:\n  - name: a\n",
    );
    write(&d, ".hidden/bad.yaml", b"nonsense: [\n");
    write(&d, "README.md", b"# not yaml\n");
    let out = bin()
        .args([
            "--data-dir",
            "/nonexistent",
            "policy",
            "validate",
            "--format",
            "json",
        ])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diags = stdout_json(&out);
    let files: Vec<&str> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "{diags:#}");
    assert!(files[0].ends_with("sub/bad.yml"));

    let human = bin()
        .args(["--color", "never", "policy", "validate"])
        .arg(d.join("good.yaml"))
        .arg(d.join("suite.yaml"))
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("good.yaml is valid"), "{text}");
    assert!(text.contains("skipped"), "{text}");

    // stdin and the hidden upstream spelling.
    bin()
        .args(["policy", "validate", "-"])
        .write_stdin(GOOD)
        .assert()
        .code(0);
    bin()
        .args(["policy", "validate", "--file"])
        .arg(d.join("sub/bad.yml"))
        .assert()
        .code(1);
    // Warnings pass unless --deny-warnings.
    let warn = write(
        &d,
        "w/pass.yaml",
        b"version: 1\ndefault: passthrough\nrules: []\n",
    );
    bin()
        .args(["policy", "validate"])
        .arg(&warn)
        .assert()
        .code(0);
    bin()
        .args(["policy", "validate", "--deny-warnings"])
        .arg(&warn)
        .assert()
        .code(1);
    // Missing paths are diagnostics too; no argument is a usage error.
    let out = bin()
        .args(["--json", "policy", "validate", "missing.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)[0]["code"], "OL-E000");
    bin().args(["policy", "validate"]).assert().code(2);
}

fn json_of(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

fn audit_types(data: &Path) -> Vec<String> {
    fs::read_to_string(data.join("audit.log.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["event_type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn upsert_bind_unbind_delete_round_trip() {
    let (tmp, data) = init_dir();
    let file = write(tmp.path(), "shop.yaml", GOOD.as_bytes());
    let created = json_of(
        ol(&data)
            .args([
                "--json", "policy", "upsert", "--agent", "my-agent", "--rank", "10", "--name",
                "shop", "--file",
            ])
            .arg(&file),
    );
    let id = created["policy_id"].as_str().unwrap().to_string();
    assert_eq!(created["created"], true);
    assert_eq!(created["rank"], 10);
    let agent_pid = created["agent_principal_id"].as_str().unwrap().to_string();
    assert_eq!(
        fs::read_to_string(data.join(format!("policies/{id}.yaml"))).unwrap(),
        GOOD
    );
    assert_eq!(audit_types(&data).last().unwrap(), "POLICY_UPSERTED");

    let list = json_of(ol(&data).args(["--json", "policy", "list"]));
    let shop = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy_id"] == id.as_str())
        .unwrap();
    assert_eq!(shop["rules"], 1);
    assert_eq!(shop["bindings"][0]["agent_id"], "my-agent");
    assert_eq!(shop["bindings"][0]["rank"], 10);
    let text =
        String::from_utf8(ol(&data).args(["policy", "list"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("all agents") && text.contains("agent my-agent"),
        "{text}"
    );

    let shown = json_of(ol(&data).args(["--json", "policy", "show", &id]));
    assert_eq!(shown["yaml"], GOOD);
    assert_eq!(shown["valid"], true);
    let plain = ol(&data).args(["policy", "show", &id]).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(plain.starts_with(GOOD), "{plain}");
    assert!(plain.contains("# bindings:"));

    // Replacing without a TTY needs --yes; nothing changes without it.
    let changed = write(
        tmp.path(),
        "shop2.yaml",
        GOOD.replace("100", "200").as_bytes(),
    );
    let before = snapshot_tree(&data);
    let out = ol(&data)
        .args(["policy", "upsert", "--policy-id", &id, "--file"])
        .arg(&changed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // The diff is a preview (prose): stderr, stdout stays empty.
    assert!(out.stdout.is_empty(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("-    constraints: {amount_max: 100}"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    constraints: {amount_max: 200}"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(snapshot_tree(&data), before);
    ol(&data)
        .args(["policy", "upsert", "--yes", "--policy-id", &id, "--file"])
        .arg(&changed)
        .assert()
        .success();
    assert!(
        fs::read_to_string(data.join(format!("policies/{id}.yaml")))
            .unwrap()
            .contains("200")
    );
    assert_eq!(audit_types(&data).last().unwrap(), "POLICY_UPDATED");
    // Same content again: unchanged, nothing written.
    let before = snapshot_tree(&data);
    ol(&data)
        .args(["policy", "upsert", "--policy-id", &id, "--file"])
        .arg(&changed)
        .assert()
        .success()
        .stderr(predicates::str::contains("unchanged"));
    assert_eq!(snapshot_tree(&data), before);

    // Bind owner-wide as well (by principal id of nothing: owner default), then unbind the agent.
    let bound = json_of(ol(&data).args(["--json", "policy", "bind", "--policy-id", &id]));
    assert_eq!(bound["changed"], true);
    assert_eq!(audit_types(&data).last().unwrap(), "POLICY_BOUND");
    let again = json_of(ol(&data).args(["--json", "policy", "bind", "--policy-id", &id]));
    assert_eq!(again["changed"], false);
    let unbound = json_of(ol(&data).args([
        "--json",
        "policy",
        "unbind",
        "--policy-id",
        &id,
        "--agent",
        &agent_pid,
    ]));
    assert_eq!(unbound["bindings_removed"], 1);
    assert_eq!(audit_types(&data).last().unwrap(), "POLICY_UNBOUND");

    // Delete needs --yes without a TTY; then the file and its bindings go.
    ol(&data)
        .args(["policy", "delete", "--policy-id", &id])
        .assert()
        .code(2);
    let deleted =
        json_of(ol(&data).args(["--json", "policy", "delete", "--yes", "--policy-id", &id]));
    assert_eq!(deleted["bindings_removed"], 1);
    assert!(!data.join(format!("policies/{id}.yaml")).exists());
    assert_eq!(audit_types(&data).last().unwrap(), "POLICY_DELETED");
    ol(&data)
        .args(["policy", "delete", "--yes", "--policy-id", &id])
        .assert()
        .code(66);
    ol(&data)
        .args(["policy", "show", "00000000-0000-4000-8000-0000000000aa"])
        .assert()
        .code(66);
    ol(&data)
        .args(["policy", "upsert", "--agent", "nobody", "--file"])
        .arg(&file)
        .assert()
        .code(66);
}

#[test]
fn commands_needing_a_data_dir_say_so() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = ol(&tmp.path().join("data"))
        .args(["policy", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&out.stderr).contains("openleash init"));
}

#[test]
fn profiles_are_listed_and_shown_without_a_data_dir() {
    let list = json_of(bin().args(["--data-dir", "/nonexistent", "--json", "policy", "profiles"]));
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["conservative", "balanced", "autonomous", "openclaw"]
    );
    assert_eq!(list[0]["rules"], 4);
    let out = bin()
        .args(["policy", "profiles", "show", "conservative"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        openleash::profiles::CONSERVATIVE
    );
}

#[test]
fn example_suites_pass_and_failures_exit_1() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bin()
        .current_dir(root)
        .args(["--data-dir", "/nonexistent", "policy", "test", "examples/"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("42 cases: 42 passed, 0 failed"));

    let tmp = tempfile::TempDir::new().unwrap();
    write(tmp.path(), "p.yaml", GOOD.as_bytes());
    write(
        tmp.path(),
        "s.test.yaml",
        b"policy: p.yaml\ncases:\n  - name: ok\n    action: {action_type: purchase, payload: {amount_minor: 5}}\n    expect: {result: ALLOW, matched_rule_id: shop}\n  - name: wrong\n    action: {action_type: purchase, payload: {amount_minor: 500}}\n    expect: {result: ALLOW}\n",
    );
    let out = bin()
        .current_dir(tmp.path())
        .args(["--json", "policy", "test", "s.test.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["suites"][0]["cases"][1]["actual"]["result"], "DENY");
    assert_eq!(v["suites"][0]["coverage"][0]["cases"], 1);
    let junit = bin()
        .current_dir(tmp.path())
        .args(["policy", "test", "--format", "junit", "s.test.yaml"])
        .output()
        .unwrap();
    let xml = String::from_utf8(junit.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("tests=\"2\" failures=\"1\""));
    assert!(xml.contains("<failure message=\"result: expected ALLOW, got DENY\">"));
    // A broken suite is reported with positions and fails.
    write(tmp.path(), "b.test.yaml", b"policy: p.yaml\ncases:\n  - name: x\n    action: {action_type: a}\n    expect: {result: ALOW}\n");
    let out = bin()
        .current_dir(tmp.path())
        .args(["--color", "never", "policy", "test", "b.test.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("b.test.yaml:5:22"), "{text}");
    assert!(text.contains("did you mean `ALLOW`?"), "{text}");
}

#[test]
fn diff_reports_widening() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/profiles");
    let out = bin()
        .args([
            "--data-dir",
            "/nonexistent",
            "--json",
            "policy",
            "diff",
            "--fail-on-widening",
        ])
        .arg(root.join("conservative.yaml"))
        .arg(root.join("balanced.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v["widened"], true);
    let what: Vec<&str> = v["widening"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["what"].as_str().unwrap())
        .collect();
    assert!(
        what.contains(&"deny rule removed (action `government.*`)"),
        "{what:?}"
    );
    assert!(
        what.contains(&"amount_max raised 10000 \u{2192} 50000"),
        "{what:?}"
    );
    // Without the flag a widening diff still exits 0.
    bin()
        .args(["policy", "diff"])
        .arg(root.join("conservative.yaml"))
        .arg(root.join("balanced.yaml"))
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Widening (5)"));
    // Identical files.
    bin()
        .args(["policy", "diff", "--fail-on-widening"])
        .arg(root.join("balanced.yaml"))
        .arg(root.join("balanced.yaml"))
        .assert()
        .code(0);
    // An invalid side is bad input.
    let tmp = tempfile::TempDir::new().unwrap();
    let bad = write(tmp.path(), "bad.yaml", b"version: 9\n");
    bin()
        .args(["policy", "diff"])
        .arg(root.join("balanced.yaml"))
        .arg(&bad)
        .assert()
        .code(65);
}
