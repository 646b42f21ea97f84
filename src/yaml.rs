//! A spanned YAML tree. Policies and `config.yaml` are validated by hand on this tree so that every
//! problem can be reported with its exact line and column (serde stops at the first error).
//!
//! Semantics are YAML 1.2 core schema: `yes`/`on` stay strings, `0x1F` is an int, `.inf` a float.
//! Duplicate keys and `<<` merge keys are errors; anchors and aliases work, with a bound on how
//! many nodes alias expansion may create so a "billion laughs" document cannot exhaust memory.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// Number of characters the node's source text covers on its first line (for carets).
    pub len: usize,
}

/// A syntax-level problem with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

/// Nesting limit of the tree itself; documents deeper than this are rejected rather than risking
/// the stack. Policy expressions have their own, smaller, documented limit.
pub const MAX_DEPTH: usize = 128;
/// Upper bound on nodes created by alias expansion.
const MAX_ALIAS_NODES: usize = 100_000;

impl Node {
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// Looks a key up in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Converts to JSON (non-string keys are stringified; NaN/inf become null).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or(J::Null),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut m = serde_json::Map::new();
                for (k, v) in entries {
                    let key = match &k.value {
                        Value::Str(s) => s.clone(),
                        other => scalar_text(other),
                    };
                    m.insert(key, v.to_json());
                }
                J::Object(m)
            }
        }
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => "<complex key>".into(),
    }
}

/// A hashable identity for scalar mapping keys (floats by bit pattern).
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(String),
}

fn scalar_key(v: &Value) -> Option<ScalarKey> {
    Some(match v {
        Value::Null => ScalarKey::Null,
        Value::Bool(b) => ScalarKey::Bool(*b),
        Value::Int(i) => ScalarKey::Int(*i),
        Value::Float(f) => ScalarKey::Float(f.to_bits()),
        Value::Str(s) => ScalarKey::Str(s.clone()),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: span.start.line(),
        col: span.start.col() + 1,
    }
}

fn len_of(span: &Span) -> usize {
    if span.end.line() == span.start.line() {
        span.end.col().saturating_sub(span.start.col()).max(1)
    } else {
        1
    }
}

/// Parses one YAML document. An empty document is a `Null` node at 1:1.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut b = Builder {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        alias_nodes: 0,
    };
    b.document()
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
}

fn count_nodes(n: &Node) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(YamlError {
                pos: Pos {
                    line: e.marker().line(),
                    col: e.marker().col() + 1,
                },
                message: format!("YAML syntax error: {}", e.info()),
                hint: syntax_hint(e.info()),
            }),
            None => Err(YamlError {
                pos: Pos { line: 1, col: 1 },
                message: "YAML syntax error: unexpected end of input".into(),
                hint: None,
            }),
        }
    }

    fn document(&mut self) -> Result<Node, YamlError> {
        let mut root: Option<Node> = None;
        loop {
            let (ev, span) = self.next()?;
            match ev {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    if root.is_some() {
                        return Err(YamlError {
                            pos: pos_of(&span),
                            message: "more than one YAML document in this file".into(),
                            hint: Some(
                                "keep one document per file (remove the extra `---`)".into(),
                            ),
                        });
                    }
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::DocumentEnd) {
                        root = Some(Node {
                            value: Value::Null,
                            pos: Pos { line: 1, col: 1 },
                            len: 1,
                        });
                        continue;
                    }
                    root = Some(self.node(ev, span, 0)?);
                }
                other => {
                    return Err(YamlError {
                        pos: pos_of(&span),
                        message: format!("YAML syntax error: unexpected {other:?}"),
                        hint: None,
                    });
                }
            }
        }
        Ok(root.unwrap_or(Node {
            value: Value::Null,
            pos: Pos { line: 1, col: 1 },
            len: 1,
        }))
    }

    fn node(&mut self, ev: Event<'a>, span: Span, depth: usize) -> Result<Node, YamlError> {
        if depth > MAX_DEPTH {
            return Err(YamlError {
                pos: pos_of(&span),
                message: format!("document nested deeper than {MAX_DEPTH} levels"),
                hint: Some("flatten the structure".into()),
            });
        }
        let pos = pos_of(&span);
        let (node, anchor) = match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let value =
                    resolve_scalar(&text, style, tag.as_deref()).map_err(|m| YamlError {
                        pos,
                        message: m,
                        hint: None,
                    })?;
                let len = if matches!(style, ScalarStyle::Plain) {
                    text.chars().count().max(1)
                } else {
                    len_of(&span)
                };
                (Node { value, pos, len }, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, span, depth + 1)?);
                }
                (
                    Node {
                        value: Value::Seq(items),
                        pos,
                        len: 1,
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, _) => {
                let mut entries: Vec<(Node, Node)> = Vec::new();
                let mut seen: HashMap<ScalarKey, Pos> = HashMap::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let key = self.node(ev, span, depth + 1)?;
                    if key.as_str() == Some("<<") {
                        return Err(YamlError {
                            pos: key.pos,
                            message: "merge keys (`<<`) are not supported".into(),
                            hint: Some(
                                "write the keys out explicitly; YAML 1.2 has no merge keys".into(),
                            ),
                        });
                    }
                    // Scalar keys are indexed so a mapping with many keys stays linear;
                    // complex keys (rare) are compared one by one.
                    let first = match scalar_key(&key.value) {
                        Some(k) => match seen.entry(k) {
                            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(key.pos);
                                None
                            }
                        },
                        None => entries
                            .iter()
                            .find(|(k, _)| k.value == key.value)
                            .map(|(k, _)| k.pos),
                    };
                    if let Some(first) = first {
                        return Err(YamlError {
                            pos: key.pos,
                            message: format!(
                                "duplicate key `{}` (first defined at line {}, column {})",
                                scalar_text(&key.value),
                                first.line,
                                first.col
                            ),
                            hint: Some("remove one of the two entries".into()),
                        });
                    }
                    let (ev, span) = self.next()?;
                    let value = self.node(ev, span, depth + 1)?;
                    entries.push((key, value));
                }
                (
                    Node {
                        value: Value::Map(entries),
                        pos,
                        len: 1,
                    },
                    anchor,
                )
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(YamlError {
                        pos,
                        message: "unknown alias".into(),
                        hint: None,
                    });
                };
                self.alias_nodes += count_nodes(target);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(YamlError {
                        pos,
                        message: format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                        hint: Some("avoid deeply nested aliases".into()),
                    });
                }
                let mut n = target.clone();
                n.pos = pos;
                return Ok(n);
            }
            other => {
                return Err(YamlError {
                    pos,
                    message: format!("YAML syntax error: unexpected {other:?}"),
                    hint: None,
                });
            }
        };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

fn syntax_hint(info: &str) -> Option<String> {
    if info.contains("tab") {
        Some("YAML indentation must use spaces, not tabs".into())
    } else if info.contains("mapping values are not allowed") {
        Some("check the indentation, and quote values that contain `: `".into())
    } else {
        None
    }
}

fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Result<Value, String> {
    match tag {
        Some("tag:yaml.org,2002:str") | Some("!!str") => return Ok(Value::Str(text.to_string())),
        Some("tag:yaml.org,2002:int") | Some("!!int") => {
            return parse_int(text)
                .map(Value::Int)
                .ok_or_else(|| format!("`{text}` is not an integer"));
        }
        Some("tag:yaml.org,2002:float") | Some("!!float") => {
            return parse_float(text)
                .or_else(|| parse_int(text).map(|i| i as f64))
                .map(Value::Float)
                .ok_or_else(|| format!("`{text}` is not a number"));
        }
        Some("tag:yaml.org,2002:bool") | Some("!!bool") => {
            return parse_bool(text)
                .map(Value::Bool)
                .ok_or_else(|| format!("`{text}` is not a boolean"));
        }
        Some("tag:yaml.org,2002:null") | Some("!!null") => return Ok(Value::Null),
        Some(other) if !other.is_empty() && other != "!" => {
            return Err(format!("unsupported YAML tag `{other}`"));
        }
        _ => {}
    }
    if !matches!(style, ScalarStyle::Plain) {
        return Ok(Value::Str(text.to_string()));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Value::Null);
    }
    if let Some(b) = parse_bool(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(i) = parse_int(text) {
        return Ok(Value::Int(i));
    }
    if let Some(f) = parse_float(text) {
        return Ok(Value::Float(f));
    }
    Ok(Value::Str(text.to_string()))
}

fn parse_bool(t: &str) -> Option<bool> {
    match t {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(t: &str) -> Option<i64> {
    if let Some(h) = t.strip_prefix("0x") {
        return (!h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit()))
            .then(|| i64::from_str_radix(h, 16).ok())
            .flatten();
    }
    if let Some(o) = t.strip_prefix("0o") {
        return (!o.is_empty() && o.bytes().all(|c| (b'0'..=b'7').contains(&c)))
            .then(|| i64::from_str_radix(o, 8).ok())
            .flatten();
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok()
}

fn parse_float(t: &str) -> Option<f64> {
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // YAML 1.2 core: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let s = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()))
                && !(a.is_empty() && b.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let d = e.strip_prefix(['-', '+']).unwrap_or(e);
        !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())
    });
    if mantissa_ok && exp_ok {
        t.parse::<f64>().ok()
    } else {
        None
    }
}

/// Best "did you mean" candidate among `options` for a misspelt `word`.
pub fn did_you_mean<'a>(word: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (strsim::damerau_levenshtein(word, o), *o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_scalars() {
        let n = parse("a: yes\nb: on\nc: true\nd: 0x1F\ne: 1.5\nf: ~\ng: '1'\nh: -3\ni: .inf\n")
            .unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Str("yes".into()));
        assert_eq!(n.get("b").unwrap().value, Value::Str("on".into()));
        assert_eq!(n.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("d").unwrap().value, Value::Int(31));
        assert_eq!(n.get("e").unwrap().value, Value::Float(1.5));
        assert_eq!(n.get("f").unwrap().value, Value::Null);
        assert_eq!(n.get("g").unwrap().value, Value::Str("1".into()));
        assert_eq!(n.get("h").unwrap().value, Value::Int(-3));
        assert_eq!(n.get("i").unwrap().value, Value::Float(f64::INFINITY));
    }

    #[test]
    fn positions_are_one_based() {
        let n = parse("top:\n  key: value\n").unwrap();
        let v = n.get("top").unwrap().get("key").unwrap();
        assert_eq!(v.pos, Pos { line: 2, col: 8 });
        assert_eq!(v.len, 5);
    }

    #[test]
    fn rejects_duplicates_merges_and_tabs() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, col: 1 });
        assert!(e.message.contains("duplicate key `a`"));
        assert!(parse("base: &b {x: 1}\nother:\n  <<: *b\n").is_err());
        let e = parse("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }

    #[test]
    fn empty_and_aliases() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        assert_eq!(parse("# only a comment\n").unwrap().value, Value::Null);
        let n = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(n.get("b").unwrap().as_seq().map(|s| s.len()), Some(2));
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        assert!(parse(bomb).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("lte_", &["lt", "lte", "gt"]), Some("lte"));
        assert_eq!(did_you_mean("sever", &["server", "admin"]), Some("server"));
        assert_eq!(did_you_mean("zzzzzz", &["server", "admin"]), None);
    }
}
