use super::*;
use crate::policy::diag::codes;

const HEAD: &str = "version: 1\ndefault: deny\nrules:\n";

fn check(src: &str) -> Checked {
    check_policy("p.yaml", src.as_bytes())
}

/// `HEAD` plus one rule `r1` (lines 4-6) plus `extra` lines (from line 7).
fn rule(extra: &str) -> String {
    format!("{HEAD}  - id: r1\n    effect: allow\n    action: a\n{extra}")
}

fn find<'c>(c: &'c Checked, code: &str) -> &'c Diagnostic {
    c.diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", c.diagnostics))
}

fn at(c: &Checked, code: &str) -> (usize, usize) {
    let d = find(c, code);
    (d.line, d.col)
}

fn help(c: &Checked, code: &str) -> String {
    find(c, code).help.clone().unwrap_or_default()
}

#[test]
fn bundled_profiles_are_clean() {
    for text in [
        crate::profiles::CONSERVATIVE,
        crate::profiles::BALANCED,
        crate::profiles::AUTONOMOUS,
    ] {
        let c = check(text);
        assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
        let p = c.policy.unwrap();
        assert_eq!(p.default, DefaultEffect::Deny);
        assert!(p.rules.len() >= 4);
    }
}

#[test]
fn empty_file_and_comments_only() {
    for src in ["", "   \n", "# nothing here\n", "---\n"] {
        let c = check(src);
        assert_eq!(at(&c, codes::EMPTY), (1, 1), "{src:?}");
        assert!(c.policy.is_none());
    }
}

#[test]
fn top_level_list_or_scalar() {
    let c = check("- id: a\n  effect: allow\n");
    assert_eq!(at(&c, codes::NOT_A_MAPPING), (1, 1));
    assert!(help(&c, codes::NOT_A_MAPPING).contains("rules:"));
    let c = check("just text\n");
    assert_eq!(at(&c, codes::NOT_A_MAPPING), (1, 1));
}

#[test]
fn tabs_and_bad_indentation() {
    let c = check("version: 1\ndefault: deny\nrules:\n\t- id: x\n");
    let d = find(&c, codes::YAML_SYNTAX);
    assert_eq!((d.line, d.col), (4, 1));
    assert!(d.help.as_deref().unwrap_or("").contains("tab"), "{d:?}");
    let c = check("version: 1\ndefault: deny\nrules:\n  - id: x\n   effect: allow\n");
    assert_eq!(find(&c, codes::YAML_SYNTAX).line, 5);
}

#[test]
fn duplicate_keys() {
    let c = check("version: 1\nversion: 1\n");
    assert_eq!(at(&c, codes::DUPLICATE_KEY), (2, 1));
    let c = check(&rule("    effect: deny\n"));
    let d = find(&c, codes::DUPLICATE_KEY);
    assert_eq!((d.line, d.col), (7, 5));
    assert!(d.message.contains("line 5"));
}

#[test]
fn non_utf8_is_positioned() {
    let c = check_policy("p.yaml", b"version: 1\ndefault: d\xffny\n");
    let d = find(&c, codes::NOT_UTF8);
    assert_eq!((d.line, d.col), (2, 11));
    assert!(d.message.contains("0xFF"));
}

#[test]
fn ten_megabytes_is_refused_quickly() {
    let mut big = String::from(HEAD);
    while big.len() < 10 * 1024 * 1024 {
        big.push_str("  - id: r\n    effect: allow\n    action: a\n");
    }
    let start = std::time::Instant::now();
    let c = check(&big);
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
    let d = find(&c, codes::TOO_LARGE);
    assert!(d.line > 1000, "{d:?}");
    assert_eq!(c.diagnostics.len(), 1);
}

#[test]
fn file_just_under_the_limit_is_checked_in_bounded_time() {
    // One huge mapping (the worst case for duplicate-key detection) and many rules.
    let mut src = rule("    obligations:\n      - type: DEPOSIT\n        params:\n");
    let mut i = 0;
    while src.len() < MAX_POLICY_BYTES - 64 {
        src.push_str(&format!("          k{i}: {i}\n"));
        i += 1;
    }
    let start = std::time::Instant::now();
    let c = check(&src);
    assert!(c.policy.is_some(), "{:?}", c.diagnostics.first());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn deep_expressions_hit_the_documented_limit() {
    let depth = MAX_EXPR_DEPTH + 1;
    let when = format!(
        "    when: {}{{match: {{path: $.a, op: exists}}}}{}\n",
        "{not: ".repeat(depth),
        "}".repeat(depth)
    );
    let c = check(&rule(&when));
    let d = find(&c, codes::EXPRESSION_DEPTH);
    assert_eq!(d.line, 7);
    assert!(d.message.contains("32"));
    // Exactly at the limit is fine.
    let when = format!(
        "    when: {}{{match: {{path: $.a, op: exists}}}}{}\n",
        "{not: ".repeat(MAX_EXPR_DEPTH - 1),
        "}".repeat(MAX_EXPR_DEPTH - 1)
    );
    assert!(check(&rule(&when)).policy.is_some());
    // Far beyond: the YAML nesting limit stops it first, still positioned, no stack overflow.
    let when = format!("    when: {}\n", "{not: ".repeat(100_000));
    let c = check(&rule(&when));
    assert_eq!(find(&c, codes::YAML_SYNTAX).line, 7);
}

#[test]
fn unknown_keys_at_every_level_with_suggestions() {
    let c = check("version: 1\ndefault: deny\nrules: []\nrule: []\n");
    assert_eq!(at(&c, codes::UNKNOWN_KEY), (4, 1));
    assert_eq!(help(&c, codes::UNKNOWN_KEY), "did you mean `rules`?");

    let c = check(&format!(
        "{HEAD}  - id: r1\n    efect: allow\n    action: a\n"
    ));
    let d = find(&c, codes::UNKNOWN_KEY);
    assert_eq!((d.line, d.col, d.path.as_str()), (5, 5, "rules[0].efect"));
    assert_eq!(d.help.as_deref(), Some("did you mean `effect`?"));
    // The missing `effect` is reported as well.
    assert!(c.diagnostics.iter().any(|d| d.code == codes::MISSING_KEY));

    for (extra, path, suggestion) in [
        (
            "    constraints: {amount_maxx: 5}\n",
            "rules[0].constraints.amount_maxx",
            "amount_max",
        ),
        (
            "    requirements: {min_assurance: HIGH}\n",
            "rules[0].requirements.min_assurance",
            "min_assurance_level",
        ),
        (
            "    proof: {require: true}\n",
            "rules[0].proof.require",
            "required",
        ),
        (
            "    when: {match: {path: $.a, op: eq, vaule: 1}}\n",
            "rules[0].when.match.vaule",
            "value",
        ),
    ] {
        let c = check(&rule(extra));
        let d = find(&c, codes::UNKNOWN_KEY);
        assert_eq!(d.path, path);
        assert_eq!(
            d.help.as_deref(),
            Some(format!("did you mean `{suggestion}`?").as_str())
        );
    }
    let c = check(&rule("    when: {and: []}\n"));
    assert_eq!(at(&c, codes::EXPRESSION), (7, 12));
    assert_eq!(help(&c, codes::EXPRESSION), "did you mean `any`?");
}

#[test]
fn wrong_types() {
    let c = check("version: 1\ndefault: deny\nrules: x\n");
    assert_eq!(at(&c, codes::WRONG_TYPE), (3, 8));
    let c = check(&format!(
        "{HEAD}  - id: 5\n    effect: allow\n    action: a\n"
    ));
    assert_eq!(at(&c, codes::WRONG_TYPE), (4, 9));
    let c = check(&rule("    constraints: {amount_max: \"5\"}\n"));
    assert_eq!(help(&c, codes::WRONG_TYPE), "remove the quotes: `5`");
    let c = check(&rule("    proof: {required: yes}\n"));
    let d = find(&c, codes::WRONG_TYPE);
    assert_eq!(d.path, "rules[0].proof.required");
    assert!(d.help.as_deref().unwrap_or("").contains("YAML 1.2"));
    let c = check(&rule("    constraints: {currency: USD}\n"));
    assert_eq!(
        help(&c, codes::WRONG_TYPE),
        "write a list, even for one entry: `[USD]`"
    );
    let c = check(&rule(
        "    when: {match: {path: $.a, op: eq, value: .inf}}\n",
    ));
    assert!(find(&c, codes::WRONG_TYPE).message.contains(".inf"));
    let c = check("version: 1\ndefault: deny\nrules:\n");
    assert!(help(&c, codes::WRONG_TYPE).contains("rules: []"));
}

#[test]
fn op_typo_is_suggested_at_its_column() {
    let c = check(&rule(
        "    when: {match: {path: $.a, op: lte_, value: 1}}\n",
    ));
    let d = find(&c, codes::OPERATOR);
    assert_eq!((d.line, d.col, d.len), (7, 35, 4));
    assert_eq!(d.path, "rules[0].when.match.op");
    assert_eq!(d.help.as_deref(), Some("did you mean `lte`?"));
}

#[test]
fn yaml_paths_name_nested_nodes() {
    let c = check(&rule(
        "    when:\n      all:\n        - match: {path: $.a, op: exists}\n        - any:\n            - match: {path: $.b, op: bogus}\n",
    ));
    assert_eq!(
        find(&c, codes::OPERATOR).path,
        "rules[0].when.all[1].any[0].match.op"
    );
}

#[test]
fn strict_paths_point_at_the_bad_character() {
    let c = check(&rule(
        "    when: {match: {path: $.payload.foo-bar, op: exists}}\n",
    ));
    let d = find(&c, codes::PATH);
    assert_eq!((d.line, d.col), (7, 39));
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains(r#"$.payload["foo-bar"]"#)
    );
    let c = check(&rule("    when: {match: {path: $payload, op: exists}}\n"));
    assert_eq!(at(&c, codes::PATH), (7, 27));
    assert!(help(&c, codes::PATH).contains("$.payload"));
    // Quoted scalars: the column skips the quote.
    let c = check(&rule(
        "    when: {match: {path: \"$payload\", op: exists}}\n",
    ));
    assert_eq!(at(&c, codes::PATH), (7, 28));
}

#[test]
fn regexes_are_compiled_at_load() {
    let c = check(&rule(
        "    when: {match: {path: $.a, op: regex, value: 'foo(?=bar)'}}\n",
    ));
    let d = find(&c, codes::REGEX_UNSUPPORTED);
    // The quote is at column 49, the pattern starts at 50, `(?=` is 3 characters in.
    assert_eq!((d.line, d.col), (7, 53));
    assert!(d.message.contains("look-around"));
    let c = check(&rule(
        "    when: {match: {path: $.a, op: regex, value: '(a)\\1'}}\n",
    ));
    assert!(
        find(&c, codes::REGEX_UNSUPPORTED)
            .message
            .contains("back-references")
    );
    let c = check(&rule(
        "    when: {match: {path: $.a, op: regex, value: 'a('}}\n",
    ));
    assert!(find(&c, codes::REGEX).message.starts_with("invalid regex"));
    let c = check(&rule(
        "    when: {match: {path: $.a, op: regex, value: 5}}\n",
    ));
    assert_eq!(
        find(&c, codes::WRONG_TYPE).path,
        "rules[0].when.match.value"
    );
    let c = check(&rule("    when: {match: {path: $.a, op: regex}}\n"));
    find(&c, codes::MISSING_KEY);
}

#[test]
fn in_and_nin_need_lists() {
    let c = check(&rule("    when: {match: {path: $.a, op: in, value: x}}\n"));
    assert_eq!(at(&c, codes::IN_NEEDS_LIST), (7, 46));
    assert_eq!(
        help(&c, codes::IN_NEEDS_LIST),
        "write a list, even for one entry: `value: [x]`"
    );
    let c = check(&rule("    when: {match: {path: $.a, op: nin}}\n"));
    find(&c, codes::IN_NEEDS_LIST);
}

#[test]
fn action_patterns() {
    for (pattern, col, hint) in [
        ("gov*", 16, "did you mean `gov.*`?"),
        ("'*.send'", 14, "prefix.*"),
        ("a.*.b", 15, "prefix.*"),
        ("'.*'", 14, "use `*`"),
        ("''", 13, "use an action type"),
    ] {
        let c = check(&format!(
            "{HEAD}  - id: r1\n    effect: allow\n    action: {pattern}\n"
        ));
        let d = find(&c, codes::ACTION_PATTERN);
        assert_eq!((d.line, d.col), (6, col), "{pattern}");
        assert!(
            d.help.as_deref().unwrap_or("").contains(hint),
            "{pattern}: {d:?}"
        );
    }
}

#[test]
fn rule_ids() {
    let c = check(&format!(
        "{}  - id: r1\n    effect: deny\n    action: b\n",
        rule("")
    ));
    let d = find(&c, codes::DUPLICATE_RULE_ID);
    assert_eq!((d.line, d.col), (7, 9));
    assert!(d.message.contains("line 4"));
    let c = check(&format!(
        "{HEAD}  - id: ''\n    effect: allow\n    action: a\n"
    ));
    assert_eq!(at(&c, codes::EMPTY_RULE_ID), (4, 9));
}

#[test]
fn enums_with_suggestions() {
    let c = check("version: 2\ndefault: deny\nrules: []\n");
    assert_eq!(at(&c, codes::VERSION), (1, 10));
    let c = check("version: '1'\ndefault: deny\nrules: []\n");
    assert!(help(&c, codes::VERSION).contains("without quotes"));
    assert!(
        check("version: 1.0\ndefault: deny\nrules: []\n")
            .policy
            .is_some()
    );
    let c = check("version: 1\ndefault: Deny\nrules: []\n");
    assert_eq!(at(&c, codes::DEFAULT), (2, 10));
    assert_eq!(help(&c, codes::DEFAULT), "did you mean `deny`?");
    let c = check(&format!(
        "{HEAD}  - id: r1\n    effect: permit\n    action: a\n"
    ));
    assert_eq!(at(&c, codes::EFFECT), (5, 13));
    assert!(help(&c, codes::EFFECT).contains("`allow`"));
    let c = check(&rule("    requirements: {min_assurance_level: high}\n"));
    assert_eq!(help(&c, codes::ASSURANCE_LEVEL), "did you mean `HIGH`?");
    let c = check(&rule("    obligations: [{type: HUMAN_APROVAL}]\n"));
    let d = find(&c, codes::OBLIGATION_TYPE);
    assert_eq!(d.path, "rules[0].obligations[0].type");
    assert_eq!(d.help.as_deref(), Some("did you mean `HUMAN_APPROVAL`?"));
}

#[test]
fn ttl_must_be_a_positive_integer() {
    for (v, hint) in [
        ("0", "at least 1"),
        ("-5", "at least 1"),
        ("1.5", "at least 1"),
        ("300.0", "write `300`"),
        ("'300'", "whole number"),
    ] {
        let c = check(&rule(&format!("    proof: {{ttl_seconds: {v}}}\n")));
        let d = find(&c, codes::TTL);
        assert_eq!(d.line, 7);
        assert!(d.help.as_deref().unwrap_or("").contains(hint), "{v}: {d:?}");
    }
    let p = check(&rule("    proof: {required: true, ttl_seconds: 300}\n"))
        .policy
        .unwrap();
    assert_eq!(
        p.rules[0].proof,
        Some(ProofSpec {
            required: Some(true),
            ttl_seconds: Some(300)
        })
    );
}

#[test]
fn all_problems_are_reported_in_order() {
    let src = "version: 3\ndefault: nope\nrules:\n  - id: a\n    effect: maybe\n    action: x*\n    when: {match: {path: $x, op: lte_}}\n    proof: {ttl_seconds: 0}\n";
    let c = check(src);
    let got: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        got,
        vec![
            codes::VERSION,
            codes::DEFAULT,
            codes::EFFECT,
            codes::ACTION_PATTERN,
            codes::PATH,
            codes::OPERATOR,
            codes::TTL
        ]
    );
    assert!(c.policy.is_none());
}

#[test]
fn too_many_problems_are_capped() {
    let mut src = String::from(HEAD);
    for i in 0..(MAX_DIAGNOSTICS + 50) {
        src.push_str(&format!("  - id: r{i}\n    effect: nope\n    action: a\n"));
    }
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(c.diagnostics.last().unwrap().code, codes::TOO_MANY);
}

#[test]
fn warnings_keep_the_policy_usable() {
    let cases: &[(&str, &str)] = &[
        (
            "version: 1\ndefault: deny\nrules:\n  - id: everything\n    effect: deny\n    action: '*'\n  - id: buy\n    effect: allow\n    action: purchase\n",
            codes::UNREACHABLE_RULE,
        ),
        (
            "version: 1\ndefault: deny\nrules:\n  - id: yolo\n    effect: allow\n    action: '*'\n",
            codes::ALLOW_ALL,
        ),
        (
            "version: 1\ndefault: passthrough\nrules: []\n",
            codes::PASSTHROUGH,
        ),
        (
            "version: 1\ndefault: deny\nrules:\n  - id: pay\n    effect: allow\n    action: payment.send\n    proof: {required: false}\n",
            codes::HIGH_RISK_NO_PROOF,
        ),
        (
            &rule("    requirements: {credential_scheme: eudi}\n"),
            codes::CREDENTIAL_SCHEME,
        ),
        (
            &rule("    obligations: [{type: DEPOSIT, amount: 5}]\n"),
            codes::OBLIGATION_EXTRA_KEY,
        ),
        (
            &rule("    when: {match: {path: $.a, op: lt, value: '5'}}\n"),
            codes::NEVER_COMPARES,
        ),
        (
            &rule("    when: {match: {path: $.a, op: eq}}\n"),
            codes::EQ_WITHOUT_VALUE,
        ),
        (
            &rule("    when: {match: {path: $.a, op: exists, value: 1}}\n"),
            codes::VALUE_IGNORED,
        ),
        (
            &rule("    constraints: {amount_min: 10, amount_max: 5}\n"),
            codes::AMOUNT_RANGE_EMPTY,
        ),
        (
            "version: 1\ndefault: deny\nrules:\n  - id: d\n    effect: deny\n    action: a\n    obligations: [{type: DEPOSIT}]\n",
            codes::IGNORED_ON_DENY,
        ),
        (
            &rule("    constraints: {currency: []}\n"),
            codes::EMPTY_ALLOW_LIST,
        ),
    ];
    for (src, code) in cases {
        let c = check(src);
        assert!(c.policy.is_some(), "{code}: {:#?}", c.diagnostics);
        let d = find(&c, code);
        assert_eq!(d.severity, Severity::Warning);
    }
    let c = check(cases[0].0);
    let d = find(&c, codes::UNREACHABLE_RULE);
    assert_eq!((d.line, d.col), (7, 9));
    assert!(d.message.contains("`buy`") && d.message.contains("`everything`"));
}

#[test]
fn shadowing_names_the_earliest_covering_rule() {
    let src = format!(
        "{HEAD}  - {{id: one, effect: deny, action: a.b.c}}\n  - {{id: fam, effect: deny, action: a.*}}\n  - {{id: sub, effect: deny, action: a.b.*}}\n  - {{id: x, effect: allow, action: a.b.c}}\n  - {{id: y, effect: allow, action: a.b.*}}\n  - {{id: z, effect: allow, action: ab}}\n  - {{id: all, effect: deny, action: '*'}}\n  - {{id: w, effect: allow, action: '*'}}\n"
    );
    let c = check(&src);
    let shadowed: Vec<(usize, bool, bool)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::UNREACHABLE_RULE)
        .map(|d| {
            (
                d.line,
                d.message.contains("`one`"),
                d.message.contains("`fam`"),
            )
        })
        .collect();
    // `sub` and `y` are covered by `fam`, `x` by `one` (the earliest of `one` and `fam`), `w` by `all`.
    assert_eq!(
        shadowed,
        vec![
            (6, false, true),
            (7, true, false),
            (8, false, true),
            (11, false, false)
        ]
    );
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.line == 11 && d.message.contains("`all`"))
    );
}

#[test]
fn shadowing_needs_an_unconditional_covering_rule() {
    let src = format!(
        "{HEAD}  - id: fam\n    effect: allow\n    action: purchase.*\n    constraints: {{amount_max: 5}}\n  - id: one\n    effect: deny\n    action: purchase.small\n"
    );
    assert!(check(&src).diagnostics.is_empty());
    let src = format!(
        "{HEAD}  - id: fam\n    effect: allow\n    action: purchase.*\n    when: {{all: []}}\n  - id: one\n    effect: deny\n    action: purchase.small\n"
    );
    find(&check(&src), codes::UNREACHABLE_RULE);
}

#[test]
fn every_emitted_code_is_catalogued_and_every_catalogued_code_is_exercised() {
    // Codes emitted outside the policy checker (by the CLI or the test-suite loader).
    let elsewhere = [codes::READ, codes::SUITE, codes::SUITE_POLICY];
    let samples: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"- a\n".to_vec(),
        b"a:\n\tb: 1\n".to_vec(),
        b"a: 1\na: 2\n".to_vec(),
        b"version: 1\n\xfe".to_vec(),
        vec![b'#'; MAX_POLICY_BYTES + 1],
        b"version: 2\ndefault: x\nrules: 1\nzz: 1\n".to_vec(),
        format!("{HEAD}  - id: ''\n    effect: x\n    action: 'a*'\n  - {{id: ''}}\n  - id: d\n    effect: deny\n    action: '*'\n  - id: d\n    effect: deny\n    action: b\n    obligations: [{{type: X}}]\n    proof: {{ttl_seconds: 0}}\n").into_bytes(),
        rule(&format!(
            "    when:\n      all:\n        - {{match: {{path: $x, op: eqq}}}}\n        - {{match: {{path: $.a, op: in, value: 1}}}}\n        - {{match: {{path: $.a, op: regex, value: '(?=x)'}}}}\n        - {{match: {{path: $.a, op: regex, value: '('}}}}\n        - {{foo: 1}}\n        - {}{{match: {{path: $.a, op: exists}}}}{}\n    requirements: {{min_assurance_level: x}}\n",
            "{not: ".repeat(40),
            "}".repeat(40)
        ))
        .into_bytes(),
        format!("{HEAD}  - id: a\n    effect: allow\n    action: '*'\n    proof: {{required: false}}\n    requirements: {{credential_scheme: x}}\n    obligations: [{{type: DEPOSIT, x: 1}}]\n    constraints: {{amount_min: 5, amount_max: 1, currency: []}}\n    when: {{any: [{{match: {{path: $.a, op: lt, value: x}}}}, {{match: {{path: $.a, op: eq}}}}, {{match: {{path: $.a, op: exists, value: 1}}}}]}}\n  - id: b\n    effect: deny\n    action: payment.x\n").into_bytes(),
        "version: 1\ndefault: passthrough\nrules: []\n".as_bytes().to_vec(),
        rule("    limits: [{window: 0h, max_count: 0, per: payload}]\n").into_bytes(),
        format!("{HEAD}  - {{id: a, effect: deny, action: '*'}}\n  - {{id: b, effect: deny, action: b}}\n").into_bytes(),
        {
            let mut s = String::from(HEAD);
            for i in 0..(MAX_DIAGNOSTICS + 1) {
                s.push_str(&format!("  - {{id: r{i}, effect: x, action: a}}\n"));
            }
            s.into_bytes()
        },
    ];
    let mut seen = std::collections::BTreeSet::new();
    for s in &samples {
        for d in check_policy("p.yaml", s).diagnostics {
            seen.insert(d.code);
        }
    }
    let catalogue: std::collections::BTreeSet<&str> = codes::ALL.iter().map(|(c, _)| *c).collect();
    for code in &seen {
        assert!(
            catalogue.contains(code),
            "{code} is emitted but not catalogued"
        );
    }
    for code in &catalogue {
        assert!(
            seen.contains(code) || elsewhere.contains(code),
            "{code} is never emitted by these samples"
        );
    }
}

#[test]
fn limits_compile() {
    let c = check(&rule(
        "    limits:\n      - { window: 24h, max_amount_minor: 50000, per: agent }\n      - { window: 7d, max_amount_minor: 20000, per: [merchant_domain, agent] }\n      - { window: 1h, max_count: 20 }\n",
    ));
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let p = c.policy.unwrap();
    let l = &p.rules[0].limits;
    assert_eq!(l.len(), 3);
    assert_eq!(l[0].window_secs, 86_400);
    assert_eq!(l[1].per.len(), 2);
    assert_eq!(l[1].per[0], crate::policy::limits::Scope::Agent);
    assert_eq!(l[2].per, [crate::policy::limits::Scope::Agent]);
    assert!(!p.rules[0].is_unconditional());
}

#[test]
fn bad_windows_are_positioned() {
    for (w, col) in [
        ("0h", 30),
        ("-1d", 30),
        ("1y2", 30),
        ("24", 30),
        ("1.5h", 30),
    ] {
        let c = check(&rule(&format!(
            "    limits:\n      - {{ window: {w}, max_count: 5 }}\n"
        )));
        assert_eq!(at(&c, codes::LIMIT_WINDOW), (8, col - 11), "{w}");
        assert!(!help(&c, codes::LIMIT_WINDOW).is_empty());
        assert!(c.policy.is_none());
    }
}

#[test]
fn bad_limit_amounts_and_shapes() {
    let c = check(&rule(
        "    limits:\n      - { window: 1h, max_amount_minor: 12.5 }\n      - { window: 1h, max_amount_minor: \"100\" }\n      - { window: 1h, max_count: 0 }\n      - { window: 1h }\n      - { window: 1h, max_count: 1, max_amount_minor: 1 }\n      - { windw: 1h, max_count: 1 }\n      - 5\n",
    ));
    let errs: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| (d.line, d.code, d.help.clone().unwrap_or_default()))
        .collect();
    assert!(
        errs.iter()
            .any(|(l, c, h)| *l == 8 && *c == codes::LIMITS && h.contains("whole minor units")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|(l, c, h)| *l == 9 && *c == codes::LIMITS && h.contains("remove the quotes")),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|(l, c, _)| *l == 10 && *c == codes::LIMITS),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|(l, c, _)| *l == 11 && *c == codes::LIMITS),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|(l, c, _)| *l == 12 && *c == codes::LIMITS),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|(l, c, h)| *l == 13 && *c == codes::UNKNOWN_KEY && h.contains("window")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|(l, c, _)| *l == 13 && *c == codes::MISSING_KEY),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|(l, c, _)| *l == 14 && *c == codes::WRONG_TYPE),
        "{errs:#?}"
    );
    assert!(c.policy.is_none());
}

#[test]
fn limit_scopes_must_be_single_values() {
    let c = check(&rule(
        "    limits:\n      - { window: 1h, max_count: 1, per: relying_party }\n      - { window: 1h, max_count: 1, per: [agent, agent] }\n      - { window: 1h, max_count: 1, per: \"a.b\" }\n      - { window: 1h, max_count: 1, per: [] }\n",
    ));
    let per: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::LIMIT_PER)
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert_eq!(per.len(), 3, "{:#?}", c.diagnostics);
    assert!(per[0].1.contains("names an object"));
    assert!(per[1].1.contains("twice"));
    assert_eq!(find(&c, codes::WRONG_TYPE).line, 11);
}

#[test]
fn limits_on_a_deny_rule_are_an_error() {
    let c = check(&format!(
        "{HEAD}  - id: d\n    effect: deny\n    action: a\n    limits: [{{ window: 1h, max_count: 1 }}]\n"
    ));
    assert_eq!(at(&c, codes::LIMITS), (7, 5));
    assert!(c.policy.is_none());
}

#[test]
fn approval_ttl_is_a_duration_with_positions() {
    let c = check(&rule(
        "    obligations:\n      - type: HUMAN_APPROVAL\n    approval_ttl: 15m\n",
    ));
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    assert_eq!(c.policy.unwrap().rules[0].approval_ttl_seconds, Some(900));
    for (bad, what) in [("15", "duration"), ("fortnight", "unit"), ("0m", "empty")] {
        let c = check(&rule(&format!("    approval_ttl: {bad}\n")));
        assert_eq!(at(&c, codes::TTL), (7, 19), "{bad}");
        assert!(
            find(&c, codes::TTL).message.contains(what),
            "{bad}: {:#?}",
            c.diagnostics
        );
        assert!(help(&c, codes::TTL).contains("15m"));
        assert!(c.policy.is_none());
    }
}
