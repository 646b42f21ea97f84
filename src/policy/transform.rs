//! Output transformation rules (upstream `TransformationRule`): what an owner wants done to a
//! tool's output before an agent sees it. Pure: parsing with diagnostics, and applying.
//!
//! - `cap_output_length {max_characters?, max_lines?}`: keeps the first `max_lines` lines (each
//!   with its line break), then the first `max_characters` characters. Characters are Unicode
//!   scalar values, so a cut never splits a multi-byte character (Δ: a JavaScript hook counting
//!   UTF-16 units can split an emoji).
//! - `regex_replace {from_pattern, to_pattern}`: replaces every non-overlapping match, leftmost
//!   first, as JavaScript's `replace` with the `g` flag. Patterns follow the policy engine's
//!   rules ([`super::rx`]: linear time, ASCII `\d \w \b`, no look-around or back-references).
//!   `to_pattern` uses JavaScript's replacement syntax: `$&` (the match), `$1`–`$99`,
//!   `$<name>`, `` $` `` and `$'` (the text before and after the match), `$$` (a `$`).
//!
//! Unknown keys and rules that can do nothing are errors (Δ: upstream ignores unknown keys and
//! accepts a cap with no limit).

use super::rx::{self, Rx};
use serde_json::{Map, Value, json};

pub const TYPES: &[&str] = &["cap_output_length", "regex_replace"];

#[derive(Debug, Clone)]
pub enum Rule {
    CapOutputLength {
        max_characters: Option<u64>,
        max_lines: Option<u64>,
    },
    RegexReplace {
        from: Rx,
        to: Vec<Piece>,
        to_pattern: String,
    },
}

/// One part of a parsed replacement.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Group(usize),
    Named(String),
    Before,
    After,
}

/// A problem with a rule: the field (`rule.from_pattern`), a message, and for regexes the
/// character position in the pattern.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn problem(field: &str, message: impl Into<String>) -> Problem {
    Problem {
        field: format!("rule.{field}"),
        message: message.into(),
        position: None,
        help: None,
    }
}

impl Rule {
    /// Parses and checks a rule object, reporting every problem.
    pub fn parse(v: &Value) -> Result<Rule, Vec<Problem>> {
        let Some(m) = v.as_object() else {
            return Err(vec![Problem {
                field: "rule".into(),
                message: "must be an object with a `type`".into(),
                position: None,
                help: Some(format!("`type` is one of {}", TYPES.join(", "))),
            }]);
        };
        match m.get("type").and_then(Value::as_str) {
            Some("cap_output_length") => parse_cap(m),
            Some("regex_replace") => parse_replace(m),
            other => {
                let mut p = problem(
                    "type",
                    match other {
                        Some(t) => format!("unknown rule type {t:?}"),
                        None => "`type` is required".into(),
                    },
                );
                p.help = Some(
                    match other.and_then(|t| crate::yaml::did_you_mean(t, TYPES)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("`type` is one of {}", TYPES.join(", ")),
                    },
                );
                Err(vec![p])
            }
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Rule::CapOutputLength { .. } => "cap_output_length",
            Rule::RegexReplace { .. } => "regex_replace",
        }
    }

    /// The rule as upstream writes it.
    pub fn to_json(&self) -> Value {
        match self {
            Rule::CapOutputLength {
                max_characters,
                max_lines,
            } => {
                json!({"type": "cap_output_length", "max_characters": max_characters, "max_lines": max_lines})
            }
            Rule::RegexReplace {
                from, to_pattern, ..
            } => {
                json!({"type": "regex_replace", "from_pattern": from.source(), "to_pattern": to_pattern})
            }
        }
    }

    /// Applies the rule to `text`.
    pub fn apply(&self, text: &str) -> String {
        match self {
            Rule::CapOutputLength {
                max_characters,
                max_lines,
            } => {
                let mut s = text;
                if let Some(n) = max_lines.and_then(|n| usize::try_from(n).ok()) {
                    let end: usize = s.split_inclusive('\n').take(n).map(str::len).sum();
                    s = &s[..end];
                }
                if let Some(n) = max_characters.and_then(|n| usize::try_from(n).ok())
                    && let Some((i, _)) = s.char_indices().nth(n)
                {
                    s = &s[..i];
                }
                s.to_string()
            }
            Rule::RegexReplace { from, to, .. } => replace_all(from.regex(), to, text),
        }
    }
}

fn check_keys(m: &Map<String, Value>, allowed: &[&str]) -> Vec<Problem> {
    m.keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| {
            let mut p = problem(k, format!("unknown key `{k}`"));
            p.help = Some(match crate::yaml::did_you_mean(k, allowed) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("allowed keys: {}", allowed.join(", ")),
            });
            p
        })
        .collect()
}

fn parse_cap(m: &Map<String, Value>) -> Result<Rule, Vec<Problem>> {
    let mut problems = check_keys(m, &["type", "max_characters", "max_lines"]);
    let mut limit = |key: &str| match m.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().filter(|n| *n > 0) {
            Some(n) => Some(n),
            None => {
                problems.push(problem(key, format!("must be a positive integer, not {v}")));
                None
            }
        },
    };
    let max_characters = limit("max_characters");
    let max_lines = limit("max_lines");
    let given = |k: &str| m.get(k).is_some_and(|v| !v.is_null());
    if !given("max_characters") && !given("max_lines") {
        let mut p = problem(
            "max_characters",
            "a cap needs `max_characters`, `max_lines` or both",
        );
        p.help = Some("e.g. {\"type\": \"cap_output_length\", \"max_characters\": 20000}".into());
        problems.push(p);
    }
    if problems.is_empty() {
        Ok(Rule::CapOutputLength {
            max_characters,
            max_lines,
        })
    } else {
        Err(problems)
    }
}

fn parse_replace(m: &Map<String, Value>) -> Result<Rule, Vec<Problem>> {
    let mut problems = check_keys(m, &["type", "from_pattern", "to_pattern"]);
    let string = |key: &str, problems: &mut Vec<Problem>| match m.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        None | Some(Value::Null) => {
            problems.push(problem(key, "is required"));
            None
        }
        Some(v) => {
            problems.push(problem(key, format!("must be a string, not {v}")));
            None
        }
    };
    let from = match string("from_pattern", &mut problems) {
        Some(f) if f.is_empty() => {
            problems.push(problem("from_pattern", "must not be empty"));
            None
        }
        Some(f) => match rx::compile(&f) {
            Ok(rx) => Some(rx),
            Err(e) => {
                problems.push(Problem {
                    field: "rule.from_pattern".into(),
                    message: format!("{} (at position {})", e.message, e.offset),
                    position: Some(e.offset),
                    help: if e.unsupported {
                        Some("openleash regexes run in linear time: match the text itself and put back what to keep with $1".into())
                    } else {
                        e.help
                    },
                });
                None
            }
        },
        None => None,
    };
    let to_pattern = string("to_pattern", &mut problems);
    match (from, to_pattern) {
        (Some(from), Some(to_pattern)) if problems.is_empty() => {
            let to = parse_replacement(&to_pattern, from.regex());
            Ok(Rule::RegexReplace {
                from,
                to,
                to_pattern,
            })
        }
        _ => Err(problems),
    }
}

/// JavaScript's `GetSubstitution`: what a `$` sequence means depends on the regex's groups; a
/// sequence that names no group stays literal text, as in JavaScript.
pub fn parse_replacement(to: &str, re: &regex::Regex) -> Vec<Piece> {
    let groups = re.captures_len() - 1;
    let has_names = re.capture_names().flatten().next().is_some();
    let mut out: Vec<Piece> = Vec::new();
    let mut text = String::new();
    let b = to.as_bytes();
    let mut i = 0;
    let push = |p: Piece, text: &mut String, out: &mut Vec<Piece>| {
        if !text.is_empty() {
            out.push(Piece::Text(std::mem::take(text)));
        }
        out.push(p);
    };
    while i < b.len() {
        if b[i] != b'$' || i + 1 >= b.len() {
            let c = to[i..].chars().next().unwrap_or('$');
            text.push(c);
            i += c.len_utf8();
            continue;
        }
        match b[i + 1] {
            b'$' => {
                text.push('$');
                i += 2;
            }
            b'&' => {
                push(Piece::Group(0), &mut text, &mut out);
                i += 2;
            }
            b'`' => {
                push(Piece::Before, &mut text, &mut out);
                i += 2;
            }
            b'\'' => {
                push(Piece::After, &mut text, &mut out);
                i += 2;
            }
            d if d.is_ascii_digit() => {
                let one = usize::from(d - b'0');
                let two = b
                    .get(i + 2)
                    .filter(|c| c.is_ascii_digit())
                    .map(|c| one * 10 + usize::from(c - b'0'));
                match two {
                    Some(n) if (1..=groups).contains(&n) => {
                        push(Piece::Group(n), &mut text, &mut out);
                        i += 3;
                    }
                    _ if (1..=groups).contains(&one) => {
                        push(Piece::Group(one), &mut text, &mut out);
                        i += 2;
                    }
                    _ => {
                        text.push('$');
                        i += 1;
                    }
                }
            }
            b'<' if has_names => match to[i + 2..].find('>') {
                Some(end) => {
                    let name = &to[i + 2..i + 2 + end];
                    push(Piece::Named(name.to_string()), &mut text, &mut out);
                    i += end + 3;
                }
                None => {
                    text.push('$');
                    i += 1;
                }
            },
            _ => {
                text.push('$');
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

fn replace_all(re: &regex::Regex, to: &[Piece], text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in re.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&text[last..m.start()]);
        for p in to {
            match p {
                Piece::Text(s) => out.push_str(s),
                Piece::Group(n) => out.push_str(caps.get(*n).map_or("", |g| g.as_str())),
                Piece::Named(n) => out.push_str(caps.name(n).map_or("", |g| g.as_str())),
                Piece::Before => out.push_str(&text[..m.start()]),
                Piece::After => out.push_str(&text[m.end()..]),
            }
        }
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// Applies rules in order (the caller sorts them by rank).
pub fn apply_all<'a>(rules: impl IntoIterator<Item = &'a Rule>, text: &str) -> String {
    let mut s = text.to_string();
    for r in rules {
        s = r.apply(&s);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: Value) -> Rule {
        Rule::parse(&v).unwrap_or_else(|p| panic!("{p:?}"))
    }

    fn replace(from: &str, to: &str, text: &str) -> String {
        rule(json!({"type": "regex_replace", "from_pattern": from, "to_pattern": to})).apply(text)
    }

    #[test]
    fn caps_never_split_a_character() {
        let cap = |n: u64| rule(json!({"type": "cap_output_length", "max_characters": n}));
        assert_eq!(cap(2).apply("héllo"), "hé");
        assert_eq!(cap(1).apply("😀😀😀"), "😀");
        assert_eq!(cap(3).apply("日本語テキスト"), "日本語");
        assert_eq!(cap(10).apply("short"), "short");
        assert_eq!(cap(5).apply("exact"), "exact");
        // a combining mark is its own character
        assert_eq!(cap(1).apply("e\u{301}x"), "e");
    }

    #[test]
    fn caps_lines_then_characters() {
        let r = rule(json!({"type": "cap_output_length", "max_lines": 2}));
        assert_eq!(r.apply("a\nb\nc\n"), "a\nb\n");
        assert_eq!(r.apply("a\r\nb"), "a\r\nb");
        assert_eq!(r.apply(""), "");
        let both = rule(json!({"type": "cap_output_length", "max_lines": 2, "max_characters": 3}));
        assert_eq!(both.apply("ab\ncd\nef"), "ab\n");
        assert_eq!(both.to_json()["max_lines"], 2);
    }

    #[test]
    fn replaces_every_non_overlapping_match() {
        assert_eq!(replace("aa", "b", "aaaaa"), "bba");
        assert_eq!(replace("aba", "X", "ababa"), "Xba");
        assert_eq!(replace("x*", "-", "abc"), "-a-b-c-");
        assert_eq!(
            replace(r"\d+", "[N]", "call 555-1234 now"),
            "call [N]-[N] now"
        );
        // ASCII \d, as in JavaScript
        assert_eq!(replace(r"\d", "#", "٣3"), "٣#");
        assert_eq!(replace("é", "e", "café é"), "cafe e");
    }

    #[test]
    fn replacement_syntax_is_javascripts() {
        assert_eq!(
            replace(r"(\w+)@(\w+)", "$2 at $1", "ann@host"),
            "host at ann"
        );
        assert_eq!(replace("b", "[$&]", "abc"), "a[b]c");
        assert_eq!(replace("b", "$`|$'", "abc"), "aa|cc");
        assert_eq!(replace("b", "$$", "abc"), "a$c");
        assert_eq!(replace("(b)", "$2", "abc"), "a$2c");
        assert_eq!(replace("(b)", "$10", "abc"), "ab0c");
        assert_eq!(replace("(?<x>b)", "<$<x>>", "abc"), "a<b>c");
        assert_eq!(replace("b", "$<x>", "abc"), "a$<x>c");
        assert_eq!(replace("(b)|(z)", "[$2]", "abc"), "a[]c");
        assert_eq!(replace("b", "$", "abc"), "a$c");
        assert_eq!(replace("b", "€$1", "abc"), "a€$1c");
    }

    #[test]
    fn problems_name_the_field_and_position() {
        let e = Rule::parse(
            &json!({"type": "regex_replace", "from_pattern": "ab(c", "to_pattern": ""}),
        )
        .unwrap_err();
        assert_eq!(e[0].field, "rule.from_pattern");
        assert_eq!(e[0].position, Some(2));
        let e = Rule::parse(
            &json!({"type": "regex_replace", "from_pattern": "a(?=b)", "to_pattern": ""}),
        )
        .unwrap_err();
        assert_eq!(e[0].position, Some(1));
        assert!(e[0].message.contains("look-around"), "{e:?}");
        let e = Rule::parse(
            &json!({"type": "regex_replace", "from_pattern": "", "to_pattern": 5, "extra": 1}),
        )
        .unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["rule.extra", "rule.from_pattern", "rule.to_pattern"]
        );
        let e = Rule::parse(&json!({"type": "cap_output_lenght"})).unwrap_err();
        assert_eq!(
            e[0].help.as_deref(),
            Some("did you mean `cap_output_length`?")
        );
        let e =
            Rule::parse(&json!({"type": "cap_output_length", "max_characters": 0})).unwrap_err();
        assert!(e[0].message.contains("positive integer"), "{e:?}");
        assert!(Rule::parse(&json!({"type": "cap_output_length"})).is_err());
        assert!(Rule::parse(&json!("cap")).is_err());
    }

    #[test]
    fn rules_apply_in_order() {
        let a = rule(
            json!({"type": "regex_replace", "from_pattern": "secret", "to_pattern": "[redacted]"}),
        );
        let b = rule(json!({"type": "cap_output_length", "max_characters": 8}));
        assert_eq!(apply_all([&a, &b], "secret data"), "[redacte");
        assert_eq!(apply_all([&b, &a], "secret data"), "[redacted] d");
    }
}
