//! The strict path language of `match.path` (SPEC §5.2): `$.a.b[0].c`, with keys
//! `[A-Za-z_][A-Za-z0-9_]*` or `["any key"]` and array indexes `[n]`.
//!
//! Δ: upstream skips characters it does not understand (`$.payload.foo-bar` silently reads
//! `payload.foo.bar`); here anything outside the grammar is an error at its exact column.

use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A parsed path. Displays as its canonical spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

/// Where and why a path does not parse. `offset`/`len` count characters of the path string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
}

fn is_key_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `["…"]` with `"` and `\` escaped.
fn quoted(key: &str) -> String {
    let mut s = String::with_capacity(key.len() + 4);
    s.push_str("[\"");
    for c in key.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push_str("\"]");
    s
}

impl JsonPath {
    pub fn parse(src: &str) -> Result<JsonPath, PathError> {
        Parser {
            chars: src.chars().collect(),
            pos: 0,
        }
        .path()
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Looks the path up in `root`. `None` = absent (distinct from a present JSON `null`).
    ///
    /// Walking through `null` or a scalar gives "absent". `length` on an array is its length, as
    /// in upstream (JavaScript arrays have that property); no other inherited property resolves.
    pub fn get<'a>(&self, root: &'a Value) -> Option<Cow<'a, Value>> {
        let mut cur = root;
        let last = self.segments.len().saturating_sub(1);
        for (i, seg) in self.segments.iter().enumerate() {
            cur = match (seg, cur) {
                (Segment::Key(k), Value::Object(m)) => lookup(m, k)?,
                (Segment::Key(k), Value::Array(a)) if k == "length" && i == last => {
                    return Some(Cow::Owned(Value::from(a.len())));
                }
                (Segment::Index(n), Value::Array(a)) => a.get(*n)?,
                _ => return None,
            };
        }
        Some(Cow::Borrowed(cur))
    }
}

/// Objects in actions are small; scanning a few keys is cheaper than hashing the key (SipHash)
/// for every condition of every rule.
fn lookup<'a>(m: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    const SCAN_BELOW: usize = 12;
    if m.len() < SCAN_BELOW {
        m.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        m.get(key)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for seg in &self.segments {
            match seg {
                Segment::Key(k)
                    if k.chars().next().is_some_and(is_key_start) && k.chars().all(is_key_char) =>
                {
                    write!(f, ".{k}")?
                }
                Segment::Key(k) => f.write_str(&quoted(k))?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn err(&self, offset: usize, message: impl Into<String>, help: Option<String>) -> PathError {
        PathError {
            offset,
            len: 1,
            message: message.into(),
            help,
        }
    }

    /// The whole path with the chunk `[start, end)` replaced by `["chunk"]`, for suggestions.
    fn with_quoted(&self, dot: usize, start: usize, end: usize) -> String {
        let before: String = self.chars[..dot].iter().collect();
        let key: String = self.chars[start..end].iter().collect();
        let after: String = self.chars[end..].iter().collect();
        format!("{before}{}{after}", quoted(&key))
    }

    /// End of a "word" that was meant as one key: up to the next `.` or `[`.
    fn word_end(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.chars.len() && self.chars[i] != '.' && self.chars[i] != '[' {
            i += 1;
        }
        i
    }

    fn path(mut self) -> Result<JsonPath, PathError> {
        let full: String = self.chars.iter().collect();
        if self.peek() != Some('$') {
            let help = if self.peek().is_some_and(is_key_start) {
                Some(format!("did you mean `$.{full}`?"))
            } else {
                Some("paths look like `$.payload.amount_minor`".into())
            };
            return Err(self.err(0, "a path must start with `$.`", help));
        }
        self.pos = 1;
        match self.peek() {
            Some('.') => {}
            Some(c) if is_key_start(c) => {
                return Err(self.err(
                    1,
                    "expected `.` after `$`",
                    Some(format!("did you mean `$.{}`?", &full[1..])),
                ));
            }
            None => {
                return Err(self.err(
                    1,
                    "the path is only `$`; name a field",
                    Some("paths look like `$.payload.amount_minor`".into()),
                ));
            }
            Some(c) => {
                return Err(self.err(
                    1,
                    format!("expected `.` after `$`, found `{c}`"),
                    Some("paths start with `$.` and a key, e.g. `$.payload`".into()),
                ));
            }
        }
        let mut segments = Vec::new();
        self.dot_key(&mut segments)?;
        while let Some(c) = self.peek() {
            match c {
                '.' => self.dot_key(&mut segments)?,
                '[' => self.bracket(&mut segments)?,
                other if self.chars[self.pos - 1] == ']' => {
                    return Err(self.err(
                        self.pos,
                        format!("unexpected `{other}` after `]`"),
                        Some("continue with `.key` or another `[...]`".into()),
                    ));
                }
                other => {
                    // Right after a key whose characters stop here.
                    let start = self.key_start_before();
                    let end = self.word_end(self.pos);
                    let dot = start.saturating_sub(1);
                    return Err(self.err(
                        self.pos,
                        format!("unexpected `{other}` in a key"),
                        Some(format!(
                            "keys with characters other than letters, digits and `_` are written in brackets: `{}`",
                            self.with_quoted(dot, start, end)
                        )),
                    ));
                }
            }
        }
        Ok(JsonPath { segments })
    }

    /// Start of the key that ends at `self.pos`.
    fn key_start_before(&self) -> usize {
        let mut i = self.pos;
        while i > 0 && is_key_char(self.chars[i - 1]) {
            i -= 1;
        }
        i
    }

    /// At a `.`: reads `.key`.
    fn dot_key(&mut self, segments: &mut Vec<Segment>) -> Result<(), PathError> {
        let dot = self.pos;
        self.pos += 1;
        let start = self.pos;
        match self.peek() {
            Some(c) if is_key_start(c) => {
                while self.peek().is_some_and(is_key_char) {
                    self.pos += 1;
                }
                segments.push(Segment::Key(self.chars[start..self.pos].iter().collect()));
                Ok(())
            }
            Some(c) if c.is_ascii_digit() => {
                let end = self.word_end(start);
                let word: String = self.chars[start..end].iter().collect();
                let help = if word.chars().all(|c| c.is_ascii_digit()) {
                    let before: String = self.chars[..dot].iter().collect();
                    let after: String = self.chars[end..].iter().collect();
                    format!("array indexes are written in brackets: `{before}[{word}]{after}`")
                } else {
                    format!(
                        "keys that start with a digit are written in brackets: `{}`",
                        self.with_quoted(dot, start, end)
                    )
                };
                Err(self.err(start, "a key cannot start with a digit", Some(help)))
            }
            None => Err(self.err(
                dot,
                "the path ends with `.`",
                Some("remove the trailing `.` or name a key after it".into()),
            )),
            Some('.') => Err(self.err(
                start,
                "empty key between two dots",
                Some("remove one of the dots".into()),
            )),
            Some('[') => Err(self.err(
                dot,
                "`.` followed by `[`",
                Some("write brackets directly after the key: `$.items[0]`".into()),
            )),
            Some('*') => Err(self.err(
                start,
                "wildcards are not supported in paths",
                Some("name the field; to test a list use `op: in` on a single element".into()),
            )),
            Some(c) => {
                let end = self.word_end(start);
                Err(self.err(
                    start,
                    format!("unexpected `{c}` at the start of a key"),
                    Some(format!(
                        "keys with characters other than letters, digits and `_` are written in brackets: `{}`",
                        self.with_quoted(dot, start, end)
                    )),
                ))
            }
        }
    }

    /// At a `[`: reads `[n]` or `["key"]`.
    fn bracket(&mut self, segments: &mut Vec<Segment>) -> Result<(), PathError> {
        let open = self.pos;
        self.pos += 1;
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let digits: String = self.chars[start..self.pos].iter().collect();
                match self.peek() {
                    Some(']') => {}
                    Some(c) => {
                        return Err(self.err(
                            self.pos,
                            format!("unexpected `{c}` in an array index"),
                            Some("array indexes are whole numbers: `[0]`".into()),
                        ));
                    }
                    None => {
                        return Err(self.err(
                            open,
                            "unclosed `[`",
                            Some(format!("close it: `[{digits}]`")),
                        ));
                    }
                }
                let n = digits.parse::<usize>().map_err(|_| {
                    let mut e = self.err(start, "array index too large", None);
                    e.len = digits.len();
                    e
                })?;
                self.pos += 1;
                segments.push(Segment::Index(n));
                Ok(())
            }
            Some('"') => {
                self.pos += 1;
                let mut key = String::new();
                loop {
                    match self.peek() {
                        None => {
                            return Err(self.err(
                                open,
                                "unclosed `[\"`",
                                Some("close the key with `\"]`".into()),
                            ));
                        }
                        Some('\\') => {
                            match self.chars.get(self.pos + 1) {
                                Some(c @ ('"' | '\\')) => key.push(*c),
                                _ => {
                                    return Err(self.err(
                                        self.pos,
                                        "unsupported escape in a bracketed key",
                                        Some("only `\\\"` and `\\\\` are escapes here".into()),
                                    ));
                                }
                            }
                            self.pos += 2;
                        }
                        Some('"') => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            key.push(c);
                            self.pos += 1;
                        }
                    }
                }
                if self.peek() != Some(']') {
                    return Err(self.err(
                        self.pos,
                        "expected `]` after the quoted key",
                        Some("bracketed keys look like `[\"any key\"]`".into()),
                    ));
                }
                self.pos += 1;
                segments.push(Segment::Key(key));
                Ok(())
            }
            Some('\'') => Err(self.err(
                self.pos,
                "single quotes are not supported in paths",
                Some("use double quotes: `[\"any key\"]`".into()),
            )),
            Some('-') => Err(self.err(
                self.pos,
                "negative array indexes are not supported",
                Some("count from the start: `[0]` is the first element".into()),
            )),
            Some('*') => Err(self.err(
                self.pos,
                "wildcards are not supported in paths",
                Some("name one element, e.g. `[0]`".into()),
            )),
            None => Err(self.err(open, "unclosed `[`", None)),
            Some(c) => Err(self.err(
                self.pos,
                format!("unexpected `{c}` after `[`"),
                Some("brackets hold an index `[0]` or a quoted key `[\"any key\"]`".into()),
            )),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn segs(p: &str) -> Vec<Segment> {
        JsonPath::parse(p).unwrap().segments
    }

    #[test]
    fn accepts_the_grammar() {
        assert_eq!(
            segs("$.a.b[0].c"),
            vec![
                Segment::Key("a".into()),
                Segment::Key("b".into()),
                Segment::Index(0),
                Segment::Key("c".into())
            ]
        );
        assert_eq!(
            segs(r#"$.payload["foo-bar"]["a \"q\" \\"]"#),
            vec![
                Segment::Key("payload".into()),
                Segment::Key("foo-bar".into()),
                Segment::Key(r#"a "q" \"#.into())
            ]
        );
        assert_eq!(segs("$._x9[12][3]").len(), 3);
    }

    #[test]
    fn errors_are_column_exact() {
        let e = JsonPath::parse("$.payload.foo-bar").unwrap_err();
        assert_eq!(e.offset, 13);
        assert!(e.help.unwrap().contains(r#"$.payload["foo-bar"]"#));
        let e = JsonPath::parse("$payload").unwrap_err();
        assert_eq!(e.offset, 1);
        assert!(e.help.unwrap().contains("$.payload"));
        let e = JsonPath::parse("payload.x").unwrap_err();
        assert_eq!(e.offset, 0);
        let e = JsonPath::parse("$.payload.2fa").unwrap_err();
        assert_eq!(e.offset, 10);
        assert!(e.help.unwrap().contains(r#"$.payload["2fa"]"#));
        let e = JsonPath::parse("$.items.0").unwrap_err();
        assert!(e.help.unwrap().contains("$.items[0]"));
        for (bad, at) in [
            ("$.", 1),
            ("$", 1),
            ("$.a..b", 4),
            ("$.a[", 3),
            ("$.a[1", 3),
            ("$.a[1x]", 5),
            ("$.a[-1]", 4),
            ("$.a[*]", 4),
            ("$.a['k']", 4),
            ("$.a[\"k", 3),
            ("$.a[\"k\"", 7),
            ("$.a.*", 4),
            ("$.a b", 3),
            ("$.a[99999999999999999999999]", 4),
        ] {
            let e = JsonPath::parse(bad).unwrap_err();
            assert_eq!(e.offset, at, "{bad}: {}", e.message);
        }
    }

    #[test]
    fn lookup_distinguishes_absent_and_null() {
        let v = json!({"payload": {"a": null, "items": [1, {"k": 2}], "s": "str"}});
        let get = |p: &str| JsonPath::parse(p).unwrap().get(&v).map(Cow::into_owned);
        assert_eq!(get("$.payload.a"), Some(Value::Null));
        assert_eq!(get("$.payload.missing"), None);
        assert_eq!(get("$.payload.a.b"), None);
        assert_eq!(get("$.payload.items[1].k"), Some(json!(2)));
        assert_eq!(get("$.payload.items[5]"), None);
        assert_eq!(get("$.payload.items.length"), Some(json!(2)));
        assert_eq!(get("$.payload.s.length"), None);
        assert_eq!(get("$.payload.items.constructor"), None);
        assert_eq!(get("$.payload[\"s\"]"), Some(json!("str")));
        assert_eq!(get("$.payload.s[0]"), None);
    }

    fn segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            "[A-Za-z_][A-Za-z0-9_]{0,8}".prop_map(Segment::Key),
            any::<String>().prop_map(Segment::Key),
            (0usize..1000).prop_map(Segment::Index),
        ]
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(
            first in "[A-Za-z_][A-Za-z0-9_]{0,8}",
            rest in proptest::collection::vec(segment(), 0..6),
        ) {
            let mut segments = vec![Segment::Key(first)];
            segments.extend(rest);
            let p = JsonPath { segments };
            let text = p.to_string();
            let back = JsonPath::parse(&text);
            prop_assert_eq!(back, Ok(p));
        }

        #[test]
        fn never_panics_and_errors_point_inside(s in any::<String>()) {
            if let Err(e) = JsonPath::parse(&s) {
                prop_assert!(e.offset <= s.chars().count());
            }
        }

        #[test]
        fn never_panics_on_path_like_input(s in r#"\$[.\[\]"a-z0-9_\-\\* ]{0,16}"#) {
            if let Err(e) = JsonPath::parse(&s) {
                prop_assert!(e.offset <= s.chars().count());
            }
        }

        #[test]
        fn lookup_finds_what_was_put(keys in proptest::collection::vec(any::<String>(), 1..5), leaf in any::<i64>()) {
            let mut v = json!(leaf);
            for k in keys.iter().rev() {
                let mut m = serde_json::Map::new();
                m.insert(k.clone(), v);
                v = Value::Object(m);
            }
            let mut segments: Vec<Segment> = keys.iter().cloned().map(Segment::Key).collect();
            // The grammar requires an identifier first; wrap the document under one.
            segments.insert(0, Segment::Key("root".into()));
            let doc = json!({"root": v});
            let p = JsonPath::parse(&JsonPath { segments }.to_string()).unwrap();
            prop_assert_eq!(p.get(&doc).map(Cow::into_owned), Some(json!(leaf)));
        }
    }
}
