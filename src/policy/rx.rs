//! `regex` values of `match` conditions, compiled once at load.
//!
//! Upstream runs ECMAScript `RegExp(value)` (no flags, unanchored). We use the `regex` crate,
//! which runs in linear time, so a policy cannot ReDoS the server (Δ). To keep the common
//! classes meaning what a JavaScript author expects, `\d`, `\w` and `\b` (and their negations)
//! are ASCII-only, as in ECMAScript without the `u` flag; `\s` and `.` stay Unicode-aware as in
//! ECMAScript. Look-around and back-references cannot run in linear time and are rejected with
//! a clear message rather than silently never matching.

use regex_syntax::ast::{self, Ast, ClassPerlKind, ClassSetItem};
use std::fmt;

/// A compiled regex that remembers its source (so policies can be compared and shown).
#[derive(Clone)]
pub struct Rx {
    source: String,
    re: regex::Regex,
}

impl Rx {
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled regex (for search-and-replace in output transformations).
    pub fn regex(&self) -> &regex::Regex {
        &self.re
    }

    /// Unanchored search, as ECMAScript `test`.
    pub fn is_match(&self, s: &str) -> bool {
        self.re.is_match(s)
    }
}

impl PartialEq for Rx {
    fn eq(&self, other: &Rx) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Rx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rx({:?})", self.source)
    }
}

/// Why a pattern was refused. `offset`/`len` count characters of the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RxError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
    /// Valid ECMAScript, but outside what a linear-time engine can run.
    pub unsupported: bool,
}

/// Compiled programs above this size are refused (a `{1000}{1000}` repetition would otherwise
/// take a lot of memory per policy).
const SIZE_LIMIT: usize = 1 << 20;

pub fn compile(pattern: &str) -> Result<Rx, RxError> {
    let char_at = |byte: usize| pattern[..byte.min(pattern.len())].chars().count();
    let parsed = ast::parse::ParserBuilder::new()
        .nest_limit(64)
        .build()
        .parse(pattern);
    let tree = match parsed {
        Ok(t) => t,
        Err(e) => {
            let span = e.span();
            let offset = char_at(span.start.offset);
            let len = char_at(span.end.offset).saturating_sub(offset).max(1);
            let (message, help, unsupported) = match e.kind() {
                ast::ErrorKind::UnsupportedLookAround => (
                    "look-around (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) is not supported".to_string(),
                    Some("openleash regexes run in linear time; express the exclusion as a separate condition, e.g. `not: {match: {path: …, op: regex, value: …}}`".to_string()),
                    true,
                ),
                ast::ErrorKind::UnsupportedBackreference => (
                    "back-references (`\\1`) are not supported".to_string(),
                    Some("openleash regexes run in linear time; match the repeated text explicitly or split the condition".to_string()),
                    true,
                ),
                ast::ErrorKind::EscapeUnrecognized if pattern[span.start.offset..].starts_with("\\k<") => (
                    "named back-references (`\\k<name>`) are not supported".to_string(),
                    Some("openleash regexes run in linear time; match the repeated text explicitly or split the condition".to_string()),
                    true,
                ),
                kind => (format!("invalid regex: {kind}"), None, false),
            };
            return Err(RxError {
                offset,
                len,
                message,
                help,
                unsupported,
            });
        }
    };
    let mut edits = Vec::new();
    // The visitor cannot fail; its error type is uninhabited in practice.
    let _ = ast::visit(&tree, AsciiClasses { edits: &mut edits });
    let mut rewritten = pattern.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (start, end, with) in edits {
        rewritten.replace_range(start..end, with);
    }
    let re = regex::RegexBuilder::new(&rewritten)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| RxError {
            offset: 0,
            len: pattern.chars().count().max(1),
            message: match e {
                regex::Error::CompiledTooBig(_) => {
                    "regex too large once compiled (large counted repetitions?)".to_string()
                }
                other => format!("invalid regex: {other}"),
            },
            help: Some("simplify the pattern".into()),
            unsupported: false,
        })?;
    Ok(Rx {
        source: pattern.to_string(),
        re,
    })
}

/// Collects byte ranges of `\d \D \w \W \b \B` with their ASCII spelling.
struct AsciiClasses<'a> {
    edits: &'a mut Vec<(usize, usize, &'static str)>,
}

fn perl_ascii(kind: &ClassPerlKind, negated: bool) -> Option<&'static str> {
    match (kind, negated) {
        (ClassPerlKind::Digit, false) => Some("[0-9]"),
        (ClassPerlKind::Digit, true) => Some("[^0-9]"),
        (ClassPerlKind::Word, false) => Some("[0-9A-Za-z_]"),
        (ClassPerlKind::Word, true) => Some("[^0-9A-Za-z_]"),
        (ClassPerlKind::Space, _) => None,
    }
}

impl ast::Visitor for AsciiClasses<'_> {
    type Output = ();
    type Err = std::convert::Infallible;

    fn finish(self) -> Result<(), Self::Err> {
        Ok(())
    }

    fn visit_pre(&mut self, node: &Ast) -> Result<(), Self::Err> {
        match node {
            Ast::ClassPerl(c) => {
                if let Some(with) = perl_ascii(&c.kind, c.negated) {
                    self.edits
                        .push((c.span.start.offset, c.span.end.offset, with));
                }
            }
            Ast::Assertion(a) => {
                let with = match a.kind {
                    ast::AssertionKind::WordBoundary => Some("(?-u:\\b)"),
                    ast::AssertionKind::NotWordBoundary => Some("(?-u:\\B)"),
                    _ => None,
                };
                if let Some(with) = with {
                    self.edits
                        .push((a.span.start.offset, a.span.end.offset, with));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), Self::Err> {
        // Inside `[...]` a nested class is legal in Rust syntax, so the same spelling works.
        if let ClassSetItem::Perl(c) = item
            && let Some(with) = perl_ascii(&c.kind, c.negated)
        {
            self.edits
                .push((c.span.start.offset, c.span.end.offset, with));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        compile(p).unwrap().is_match(s)
    }

    #[test]
    fn classes_are_ascii_like_ecmascript() {
        assert!(m(r"^\d+$", "123"));
        assert!(!m(r"^\d+$", "١٢٣")); // Arabic-Indic digits are \d in Unicode, not in JS
        assert!(m(r"^\w+$", "abc_09"));
        assert!(!m(r"^\w+$", "héllo"));
        assert!(m(r"^[\w-]+$", "a-b"));
        assert!(!m(r"^[\w-]+$", "é"));
        assert!(m(r"^\D$", "é"));
        assert!(m(r"^\W$", "é"));
        assert!(m(r"^[^\d]$", "x"));
        assert!(!m(r"^[^\d]$", "5"));
        // ASCII word boundary: `é` is not a word character in ECMAScript.
        assert!(m(r"x\b", "xé"));
        assert!(m(r"\Bb", "ab"));
        // \s and . stay Unicode, as in ECMAScript.
        assert!(m(r"^\s$", "\u{00a0}"));
        assert!(m(r"^.$", "é"));
    }

    #[test]
    fn unanchored_search() {
        assert!(m("ab", "xxabxx"));
        assert!(!m("^ab", "xxab"));
        assert!(m(r"example\.com$", "shop.example.com"));
        assert!(m(r"a\/b", "a/b"));
    }

    #[test]
    fn rejects_non_linear_features_with_positions() {
        let e = compile("foo(?=bar)").unwrap_err();
        assert!(e.unsupported);
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("look-around"));
        let e = compile("(?<!x)y").unwrap_err();
        assert!(e.unsupported);
        let e = compile(r"(a)\1").unwrap_err();
        assert!(e.unsupported);
        assert_eq!(e.offset, 3);
        let e = compile(r"(?<n>a)\k<n>").unwrap_err();
        assert!(e.unsupported);
        assert!(e.message.contains("named back-references"));
    }

    #[test]
    fn reports_syntax_errors() {
        let e = compile("a(b").unwrap_err();
        assert!(!e.unsupported);
        assert!(e.message.starts_with("invalid regex"));
        let e = compile("é[").unwrap_err();
        assert_eq!(e.offset, 1);
        assert!(compile(r"(x{1000}){1000}").is_err());
    }
}
