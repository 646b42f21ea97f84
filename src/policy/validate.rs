//! Policy validation on the spanned YAML tree: every problem of a file is collected with its
//! position and YAML path, and a file without errors is compiled in the same pass.

use super::diag::{Diagnostic, Severity, codes};
use super::jsonpath::JsonPath;
use super::limits::Limit;
use super::model::*;
use super::{MAX_DIAGNOSTICS, MAX_EXPR_DEPTH, MAX_POLICY_BYTES, rx};
use crate::yaml::{self, Node, Pos, Value as Y, did_you_mean};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// The outcome of checking one policy file: the compiled policy when there is no error, and
/// every diagnostic (warnings included) in source order.
#[derive(Debug, Clone)]
pub struct Checked {
    pub policy: Option<CompiledPolicy>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        super::diag::counts(&self.diagnostics).0
    }

    pub fn warnings(&self) -> usize {
        super::diag::counts(&self.diagnostics).1
    }

    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    }
}

const TOP_KEYS: &[&str] = &["version", "default", "rules"];
const RULE_KEYS: &[&str] = &[
    "id",
    "effect",
    "action",
    "description",
    "when",
    "constraints",
    "requirements",
    "obligations",
    "proof",
    "limits",
    "approval_ttl",
];
const EXPR_KEYS: &[&str] = &["all", "any", "not", "match"];
const MATCH_KEYS: &[&str] = &["path", "op", "value"];
const REQUIREMENT_KEYS: &[&str] = &["min_assurance_level", "credential_scheme"];
const PROOF_KEYS: &[&str] = &["required", "ttl_seconds"];
const EFFECTS: &[&str] = &["allow", "deny"];

/// Action families where an allow without a proof is worth a second look (OL-W004). Kept short
/// on purpose: a long list would make the warning noise.
pub const HIGH_RISK_PREFIXES: &[&str] = &["payment", "government"];

/// Validates and compiles one policy file. Never fails: problems are diagnostics.
pub fn check_policy(file: &str, bytes: &[u8]) -> Checked {
    let mut cx = Cx::new(file, "");
    if bytes.len() > MAX_POLICY_BYTES {
        let pos = position_of(bytes, MAX_POLICY_BYTES);
        cx.push(
            Severity::Error,
            codes::TOO_LARGE,
            pos,
            1,
            "",
            format!(
                "the policy file is larger than the limit of {MAX_POLICY_BYTES} bytes (1 MiB); the limit is crossed here"
            ),
            Some("split it into several policies bound as layers, or remove generated content".into()),
        );
        return cx.finish(None);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let pos = position_of(bytes, at);
            let byte = bytes.get(at).copied().unwrap_or(0);
            cx.push(
                Severity::Error,
                codes::NOT_UTF8,
                pos,
                1,
                "",
                format!("the file is not valid UTF-8 (byte 0x{byte:02X})"),
                Some("save the file as UTF-8".into()),
            );
            return cx.finish(None);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cx = Cx::new(file, text);
    let root = match yaml::parse(text) {
        Ok(n) => n,
        Err(e) => {
            let code = if e.message.starts_with("duplicate key") {
                codes::DUPLICATE_KEY
            } else {
                codes::YAML_SYNTAX
            };
            let mut pos = e.pos;
            // The parser reports tab errors just after the tab; point at the tab itself.
            if e.message.contains("tab") {
                let line = text.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
                if let Some(i) = line.chars().position(|c| c == '\t')
                    && i < pos.col
                {
                    pos.col = i + 1;
                }
            }
            cx.push(Severity::Error, code, pos, 1, "", e.message, e.hint);
            return cx.finish(None);
        }
    };
    if root.value == Y::Null {
        cx.push(
            Severity::Error,
            codes::EMPTY,
            Pos { line: 1, col: 1 },
            1,
            "",
            "the policy is empty".into(),
            Some("a policy needs at least `version: 1`, `default: deny` and `rules: []`".into()),
        );
        return cx.finish(None);
    }
    let policy = check_document(&mut cx, &root);
    cx.finish(policy)
}

/// 1-based line and character column of byte `offset`.
fn position_of(bytes: &[u8], offset: usize) -> Pos {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    Pos {
        line: 1 + before.iter().filter(|b| **b == b'\n').count(),
        col: 1 + String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count(),
    }
}

struct Cx<'a> {
    file: &'a str,
    src: &'a str,
    line_starts: Vec<usize>,
    diags: Vec<Diagnostic>,
    overflow: bool,
}

impl<'a> Cx<'a> {
    fn new(file: &'a str, src: &'a str) -> Cx<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Cx {
            file,
            src,
            line_starts,
            diags: Vec::new(),
            overflow: false,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        pos: Pos,
        len: usize,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        if self.diags.len() >= MAX_DIAGNOSTICS {
            self.overflow = true;
            return;
        }
        self.diags.push(Diagnostic {
            file: self.file.to_string(),
            line: pos.line.max(1),
            col: pos.col.max(1),
            len: len.max(1),
            severity,
            code,
            message,
            path: path.to_string(),
            help,
        });
    }

    fn error(
        &mut self,
        code: &'static str,
        n: &Node,
        path: &str,
        msg: String,
        help: Option<String>,
    ) {
        self.push(Severity::Error, code, n.pos, n.len, path, msg, help);
    }

    fn warn(
        &mut self,
        code: &'static str,
        n: &Node,
        path: &str,
        msg: String,
        help: Option<String>,
    ) {
        self.push(Severity::Warning, code, n.pos, n.len, path, msg, help);
    }

    fn error_count(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
            + usize::from(self.overflow)
    }

    /// Column where the string `text` starts in the source, when the node spells it literally
    /// (plain, or quoted without escapes); `None` otherwise.
    fn literal_col(&self, n: &Node, text: &str) -> Option<usize> {
        let start = *self.line_starts.get(n.pos.line.checked_sub(1)?)?;
        let line = self.src[start..].lines().next().unwrap_or("");
        let (byte, _) = line.char_indices().nth(n.pos.col.checked_sub(1)?)?;
        let rest = &line[byte..];
        if rest.starts_with(text) {
            return Some(n.pos.col);
        }
        let unquoted = rest.strip_prefix(['"', '\''])?;
        unquoted.starts_with(text).then_some(n.pos.col + 1)
    }

    /// A diagnostic at character `offset` (length `len`) inside the string value of `n`.
    #[allow(clippy::too_many_arguments)]
    fn push_inside(
        &mut self,
        severity: Severity,
        code: &'static str,
        n: &Node,
        text: &str,
        offset: usize,
        len: usize,
        path: &str,
        msg: String,
        help: Option<String>,
    ) {
        let (pos, len) = match self.literal_col(n, text) {
            Some(col) => (
                Pos {
                    line: n.pos.line,
                    col: col + offset,
                },
                len,
            ),
            None => (n.pos, n.len),
        };
        self.push(severity, code, pos, len, path, msg, help);
    }

    fn finish(mut self, policy: Option<CompiledPolicy>) -> Checked {
        self.diags.sort_by_key(|d| (d.line, d.col, d.severity));
        if self.overflow {
            self.diags.push(Diagnostic {
                file: self.file.to_string(),
                line: self.diags.last().map_or(1, |d| d.line),
                col: 1,
                len: 1,
                severity: Severity::Error,
                code: codes::TOO_MANY,
                message: format!("too many problems; only the first {MAX_DIAGNOSTICS} are shown"),
                path: String::new(),
                help: Some("fix these and validate again".into()),
            });
        }
        let ok = !self.diags.iter().any(|d| d.severity == Severity::Error);
        Checked {
            policy: if ok { policy } else { None },
            diagnostics: self.diags,
        }
    }
}

fn key_text(k: &Node) -> String {
    value_text(&k.value)
}

fn value_text(v: &Y) -> String {
    match v {
        Y::Str(s) => s.clone(),
        Y::Null => "null".into(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        Y::Float(f) => f.to_string(),
        Y::Seq(_) | Y::Map(_) => "<complex key>".into(),
    }
}

/// `parent.key`, or `parent["key"]` for keys that are not identifiers.
fn kp(parent: &str, key: &str) -> String {
    let ident = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match (parent.is_empty(), ident) {
        (true, true) => key.to_string(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{key:?}]"),
    }
}

fn one_of(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
    format!("expected one of {}", quoted.join(", "))
}

/// "did you mean" over a closed set, else the set itself. `fold` maps the word into the set's
/// case before comparing (`high` → `HIGH`).
fn suggest(word: &str, options: &[&str], fold: fn(&str) -> String) -> String {
    match did_you_mean(&fold(word), options) {
        Some(s) => format!("did you mean `{s}`?"),
        None => one_of(options),
    }
}

fn same(s: &str) -> String {
    s.to_string()
}

fn get<'n>(entries: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    entries
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

fn check_keys(cx: &mut Cx, entries: &[(Node, Node)], allowed: &[&str], path: &str, what: &str) {
    for (k, _) in entries {
        let name = key_text(k);
        if k.as_str().is_some_and(|s| allowed.contains(&s)) {
            continue;
        }
        cx.error(
            codes::UNKNOWN_KEY,
            k,
            &kp(path, &name),
            format!("unknown key `{name}` in {what}"),
            Some(suggest(&name, allowed, same)),
        );
    }
}

fn required<'n>(
    cx: &mut Cx,
    map: &Node,
    entries: &'n [(Node, Node)],
    key: &str,
    path: &str,
    what: &str,
    help: &str,
) -> Option<&'n Node> {
    let v = get(entries, key);
    if v.is_none() {
        cx.error(
            codes::MISSING_KEY,
            map,
            path,
            format!("{what} is missing the required key `{key}`"),
            Some(help.to_string()),
        );
    }
    v
}

fn wrong_type(cx: &mut Cx, n: &Node, path: &str, what: &str, expected: &str, help: Option<String>) {
    cx.error(
        codes::WRONG_TYPE,
        n,
        path,
        format!("`{what}` must be {expected}, found {}", n.kind()),
        help,
    );
}

/// The entries of a mapping node, or a wrong-type error saying `what` must be `expected`.
fn mapping<'n>(
    cx: &mut Cx,
    n: &'n Node,
    path: &str,
    what: &str,
    expected: &str,
) -> Option<&'n [(Node, Node)]> {
    let entries = n.as_map();
    if entries.is_none() {
        wrong_type(cx, n, path, what, expected, None);
    }
    entries
}

fn string<'n>(cx: &mut Cx, n: &'n Node, path: &str, what: &str) -> Option<&'n str> {
    match &n.value {
        Y::Str(s) => Some(s),
        other => {
            let help = match other {
                Y::Int(_) | Y::Float(_) | Y::Bool(_) | Y::Null => {
                    Some("quote the value to make it a string".to_string())
                }
                _ => None,
            };
            wrong_type(cx, n, path, what, "a string", help);
            None
        }
    }
}

fn number(cx: &mut Cx, n: &Node, path: &str, what: &str) -> Option<f64> {
    match &n.value {
        Y::Int(i) => Some(*i as f64),
        Y::Float(f) if f.is_finite() => Some(*f),
        Y::Str(s) if s.trim().parse::<f64>().is_ok() => {
            wrong_type(
                cx,
                n,
                path,
                what,
                "a number",
                Some(format!("remove the quotes: `{}`", s.trim())),
            );
            None
        }
        _ => {
            wrong_type(cx, n, path, what, "a finite number", None);
            None
        }
    }
}

fn string_list(cx: &mut Cx, n: &Node, path: &str, what: &str) -> Option<Vec<String>> {
    let Some(items) = n.as_seq() else {
        let help = n
            .as_str()
            .map(|s| format!("write a list, even for one entry: `[{s}]`"));
        wrong_type(cx, n, path, what, "a list of strings", help);
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match string(cx, item, &format!("{path}[{i}]"), &format!("{what}[{i}]")) {
            Some(s) => out.push(s.to_string()),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// The node as JSON; `.inf`/`.nan` have no JSON form and are errors.
fn json(cx: &mut Cx, n: &Node, path: &str) -> Option<Value> {
    let mut ok = true;
    check_finite(cx, n, path, &mut ok);
    ok.then(|| n.to_json())
}

fn check_finite(cx: &mut Cx, n: &Node, path: &str, ok: &mut bool) {
    match &n.value {
        Y::Float(f) if !f.is_finite() => {
            *ok = false;
            cx.error(
                codes::WRONG_TYPE,
                n,
                path,
                "`.inf` and `.nan` have no JSON equivalent and cannot be compared with an action"
                    .into(),
                Some("use a finite number".into()),
            );
        }
        Y::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                check_finite(cx, it, &format!("{path}[{i}]"), ok);
            }
        }
        Y::Map(entries) => {
            for (k, v) in entries {
                check_finite(cx, v, &kp(path, &key_text(k)), ok);
            }
        }
        _ => {}
    }
}

struct RuleSite {
    id_node: Node,
    rule: Rule,
}

fn check_document(cx: &mut Cx, root: &Node) -> Option<CompiledPolicy> {
    let Some(entries) = root.as_map() else {
        cx.error(
            codes::NOT_A_MAPPING,
            root,
            "",
            format!(
                "the top level of a policy must be a mapping with `version`, `default` and `rules`; found {}",
                root.kind()
            ),
            Some(if root.as_seq().is_some() {
                "put the list of rules under `rules:` and add `version: 1` and `default: deny`".into()
            } else {
                "start the file with `version: 1`".into()
            }),
        );
        return None;
    };
    check_keys(cx, entries, TOP_KEYS, "", "the policy");

    if let Some(v) = required(
        cx,
        root,
        entries,
        "version",
        "",
        "the policy",
        "add `version: 1`",
    ) {
        let ok = matches!(v.value, Y::Int(1)) || v.value == Y::Float(1.0);
        if !ok {
            let help = if v.as_str() == Some("1") {
                "write `version: 1` without quotes".to_string()
            } else {
                "this openleash understands `version: 1`".to_string()
            };
            let shown = match &v.value {
                Y::Str(s) => format!("{s:?}"),
                other => value_text(other),
            };
            cx.error(
                codes::VERSION,
                v,
                "version",
                format!("unsupported policy version {shown}"),
                Some(help),
            );
        }
    }

    let mut default = None;
    if let Some(d) = required(
        cx,
        root,
        entries,
        "default",
        "",
        "the policy",
        "add `default: deny` (or allow, require_approval, passthrough)",
    ) {
        match d.as_str().and_then(DefaultEffect::parse) {
            Some(x) => {
                if x == DefaultEffect::Passthrough {
                    cx.warn(
                        codes::PASSTHROUGH,
                        d,
                        "default",
                        "`default: passthrough` defers to the next policy layer; when no layer decides, the action is denied".into(),
                        Some("use `default: deny` unless this policy is meant to be layered over another one".into()),
                    );
                }
                default = Some(x);
            }
            None => {
                let word = d.as_str().map_or_else(|| key_text(d), str::to_string);
                cx.error(
                    codes::DEFAULT,
                    d,
                    "default",
                    format!("invalid default `{word}`"),
                    Some(suggest(&word, DefaultEffect::NAMES, |s| s.to_lowercase())),
                );
            }
        }
    }

    let mut sites: Vec<RuleSite> = Vec::new();
    if let Some(r) = required(
        cx,
        root,
        entries,
        "rules",
        "",
        "the policy",
        "add `rules:` with a list of rules (it may be empty: `rules: []`)",
    ) {
        match r.as_seq() {
            Some(items) => {
                let mut ids: HashMap<String, Pos> = HashMap::new();
                for (i, item) in items.iter().enumerate() {
                    if let Some(site) = check_rule(cx, item, &format!("rules[{i}]"), &mut ids) {
                        sites.push(site);
                    }
                }
            }
            None => wrong_type(
                cx,
                r,
                "rules",
                "rules",
                "a list of rules",
                (r.value == Y::Null).then(|| "for no rules write `rules: []`".to_string()),
            ),
        }
    }

    warn_unreachable(cx, &sites);
    Some(CompiledPolicy {
        default: default?,
        rules: sites.into_iter().map(|s| s.rule).collect(),
    })
}

/// OL-W001: a rule after an unconditional rule whose pattern covers it can never be reached.
/// Unconditional patterns are indexed so this stays linear in the number of rules (times the
/// depth of dotted action names).
fn warn_unreachable(cx: &mut Cx, sites: &[RuleSite]) {
    let mut any: Option<usize> = None;
    let mut exact: HashMap<&str, usize> = HashMap::new();
    let mut family: HashMap<&str, usize> = HashMap::new();
    for (i, later) in sites.iter().enumerate() {
        // The earliest unconditional rule covering this one: `*`, the same exact type, or a
        // family whose prefix is the type/family itself or one of its dotted ancestors.
        let mut first = any;
        let mut consider = |j: Option<&usize>| {
            if let Some(&j) = j {
                first = Some(first.map_or(j, |f| f.min(j)));
            }
        };
        let name = match &later.rule.action {
            ActionPattern::Any => None,
            ActionPattern::Exact(t) => {
                consider(exact.get(t.as_str()));
                Some(t.as_str())
            }
            ActionPattern::Prefix(p) => Some(p.as_str()),
        };
        if let Some(name) = name {
            consider(family.get(name));
            for (dot, _) in name.match_indices('.') {
                consider(family.get(&name[..dot]));
            }
        }
        if let Some(j) = first {
            let shadow = &sites[j].rule;
            cx.warn(
                codes::UNREACHABLE_RULE,
                &later.id_node,
                &format!("rules[{i}].id"),
                format!(
                    "rule `{}` can never match: rule `{}` (line {}) comes first, matches `{}` and has no condition",
                    later.rule.id,
                    shadow.id,
                    shadow.line,
                    shadow.action.source()
                ),
                Some(format!(
                    "move `{}` above `{}`, or give `{}` a `when` or `constraints`",
                    later.rule.id, shadow.id, shadow.id
                )),
            );
        }
        if later.rule.is_unconditional() {
            match &later.rule.action {
                ActionPattern::Any => {
                    any.get_or_insert(i);
                }
                ActionPattern::Exact(t) => {
                    exact.entry(t.as_str()).or_insert(i);
                }
                ActionPattern::Prefix(p) => {
                    family.entry(p.as_str()).or_insert(i);
                }
            }
        }
    }
}

fn check_rule(
    cx: &mut Cx,
    n: &Node,
    path: &str,
    ids: &mut HashMap<String, Pos>,
) -> Option<RuleSite> {
    let entries = mapping(
        cx,
        n,
        path,
        path,
        "a mapping with `id`, `effect` and `action`",
    )?;
    let errors_before = cx.error_count();
    check_keys(cx, entries, RULE_KEYS, path, "a rule");
    let what = format!("rule {path}");

    let id_node = required(cx, n, entries, "id", path, &what, "add `id: <unique name>`");
    let id = id_node.and_then(|v| string(cx, v, &kp(path, "id"), "id"));
    if let (Some(id), Some(v)) = (id, id_node) {
        if id.trim().is_empty() {
            cx.error(
                codes::EMPTY_RULE_ID,
                v,
                &kp(path, "id"),
                "the rule id is empty".into(),
                Some("give the rule a name; it appears in decisions and the audit log".into()),
            );
        } else if let Some(first) = ids.get(id) {
            cx.error(
                codes::DUPLICATE_RULE_ID,
                v,
                &kp(path, "id"),
                format!(
                    "duplicate rule id `{id}` (first used at line {}, column {})",
                    first.line, first.col
                ),
                Some("rule ids name the matched rule in decisions; make each one unique".into()),
            );
        } else {
            ids.insert(id.to_string(), v.pos);
        }
    }

    let effect_node = required(
        cx,
        n,
        entries,
        "effect",
        path,
        &what,
        "add `effect: allow` or `effect: deny`",
    );
    let effect = effect_node.and_then(|v| {
        let p = kp(path, "effect");
        let s = string(cx, v, &p, "effect")?;
        match s {
            "allow" => Some(Effect::Allow),
            "deny" => Some(Effect::Deny),
            other => {
                cx.error(
                    codes::EFFECT,
                    v,
                    &p,
                    format!("invalid effect `{other}`"),
                    Some(suggest(other, EFFECTS, |s| s.to_lowercase())),
                );
                None
            }
        }
    });

    let action_node = required(
        cx,
        n,
        entries,
        "action",
        path,
        &what,
        "add `action:` with an action type (`purchase`), a family (`purchase.*`) or `*`",
    );
    let action = action_node.and_then(|v| {
        let p = kp(path, "action");
        let s = string(cx, v, &p, "action")?;
        match parse_pattern(s) {
            Ok(a) => Some(a),
            Err((offset, msg, help)) => {
                cx.push_inside(
                    Severity::Error,
                    codes::ACTION_PATTERN,
                    v,
                    s,
                    offset,
                    1,
                    &p,
                    msg,
                    Some(help),
                );
                None
            }
        }
    });

    let description = get(entries, "description")
        .and_then(|v| string(cx, v, &kp(path, "description"), "description"))
        .map(str::to_string);
    let when = get(entries, "when").map(|v| check_expr(cx, v, &kp(path, "when"), 1));
    let constraints =
        get(entries, "constraints").map(|v| check_constraints(cx, v, &kp(path, "constraints")));
    let requirements =
        get(entries, "requirements").map(|v| check_requirements(cx, v, &kp(path, "requirements")));
    let obligations =
        get(entries, "obligations").map(|v| check_obligations(cx, v, &kp(path, "obligations")));
    let proof = get(entries, "proof").map(|v| check_proof(cx, v, &kp(path, "proof")));
    let limits = get(entries, "limits").map(|v| check_limits(cx, v, &kp(path, "limits")));
    let approval_ttl =
        get(entries, "approval_ttl").map(|v| check_approval_ttl(cx, v, &kp(path, "approval_ttl")));
    if effect == Some(Effect::Deny)
        && let Some((k, _)) = entries.iter().find(|(k, _)| k.as_str() == Some("limits"))
    {
        cx.error(
            codes::LIMITS,
            k,
            &kp(path, "limits"),
            "`limits` are not allowed on a deny rule".into(),
            Some(
                "limits cap what an allow rule allows; put them on the allow rule, or remove them"
                    .into(),
            ),
        );
    }

    if effect == Some(Effect::Deny) {
        for key in ["obligations", "requirements", "approval_ttl"] {
            if let Some((k, _)) = entries.iter().find(|(k, _)| k.as_str() == Some(key)) {
                cx.warn(
                    codes::IGNORED_ON_DENY,
                    k,
                    &kp(path, key),
                    format!("`{key}` has no effect on a deny rule"),
                    Some("remove it, or make the rule `effect: allow`".into()),
                );
            }
        }
    }
    if let (Some(Effect::Allow), Some(ActionPattern::Any), Some(v)) =
        (effect, action.as_ref(), action_node)
    {
        cx.warn(
            codes::ALLOW_ALL,
            v,
            &kp(path, "action"),
            "this rule allows every action type (`action: *`)".into(),
            Some("name the action types or families it should allow, e.g. `purchase.*`".into()),
        );
    }
    if let (Some(Effect::Allow), Some(a)) = (effect, action.as_ref()) {
        let req = get(entries, "proof").and_then(|p| p.get("required"));
        if let Some(req) = req.filter(|r| r.value == Y::Bool(false))
            && let Some(prefix) = HIGH_RISK_PREFIXES
                .iter()
                .find(|p| a.overlaps(&ActionPattern::Prefix(p.to_string())))
        {
            cx.warn(
                codes::HIGH_RISK_NO_PROOF,
                req,
                &format!("{}.required", kp(path, "proof")),
                format!("this rule allows `{prefix}.*` actions without a proof token"),
                Some(
                    "keep `proof: {required: true}` so relying parties can check the decision"
                        .into(),
                ),
            );
        }
    }

    if cx.error_count() > errors_before {
        return None;
    }
    Some(RuleSite {
        id_node: id_node?.clone(),
        rule: Rule {
            id: Arc::from(id?),
            effect: effect?,
            action: action?,
            description,
            when: when.flatten(),
            constraints: constraints.flatten(),
            requirements: requirements.flatten(),
            obligations: obligations.flatten().unwrap_or_default(),
            proof: proof.flatten(),
            limits: limits.flatten().unwrap_or_default(),
            approval_ttl_seconds: approval_ttl.flatten(),
            line: n.pos.line,
        },
    })
}

/// Parses an action pattern; errors carry the character offset of the problem.
fn parse_pattern(s: &str) -> Result<ActionPattern, (usize, String, String)> {
    if s.is_empty() {
        return Err((
            0,
            "the action pattern is empty".into(),
            "use an action type (`purchase`), a family (`purchase.*`) or `*`".into(),
        ));
    }
    if s == "*" {
        return Ok(ActionPattern::Any);
    }
    let (body, prefix) = match s.strip_suffix(".*") {
        Some(p) => (p, true),
        None => (s, false),
    };
    if prefix && body.is_empty() {
        return Err((
            0,
            "`.*` needs a prefix before it".into(),
            "use `*` to match every action type".into(),
        ));
    }
    if let Some(byte) = body.find('*') {
        let offset = s[..byte].chars().count();
        let base = s.trim_end_matches(['*', '.']);
        let help = if !prefix && byte + 1 == s.len() && !base.is_empty() {
            format!("did you mean `{base}.*`? It matches `{base}` and `{base}.<anything>`")
        } else {
            "write a family as `prefix.*`, or `*` for every action type".into()
        };
        return Err((
            offset,
            "`*` is only allowed as the whole pattern or in a trailing `.*`".into(),
            help,
        ));
    }
    Ok(if prefix {
        ActionPattern::Prefix(body.to_string())
    } else {
        ActionPattern::Exact(s.to_string())
    })
}

fn check_expr(cx: &mut Cx, n: &Node, path: &str, depth: usize) -> Option<Expr> {
    if depth > MAX_EXPR_DEPTH {
        cx.error(
            codes::EXPRESSION_DEPTH,
            n,
            path,
            format!("expression nested deeper than {MAX_EXPR_DEPTH} levels"),
            Some(
                "flatten it: `all` and `any` take lists, so nested `all`s can be merged into one"
                    .into(),
            ),
        );
        return None;
    }
    let entries = mapping(
        cx,
        n,
        path,
        path,
        "an expression (a mapping with one of `all`, `any`, `not`, `match`)",
    )?;
    if entries.is_empty() {
        cx.error(
            codes::EXPRESSION,
            n,
            path,
            "empty expression".into(),
            Some("write one of `all: [...]`, `any: [...]`, `not: {...}`, `match: {...}`".into()),
        );
        return None;
    }
    let mut chosen: Option<(&str, &Node)> = None;
    let mut ok = true;
    for (k, v) in entries {
        let name = key_text(k);
        let Some(known) = EXPR_KEYS.iter().find(|e| **e == name) else {
            cx.error(
                codes::EXPRESSION,
                k,
                &kp(path, &name),
                format!("unknown expression `{name}`"),
                Some(suggest(&name, EXPR_KEYS, |s| s.to_lowercase())),
            );
            ok = false;
            continue;
        };
        if let Some((first, _)) = chosen {
            cx.error(
                codes::EXPRESSION,
                k,
                &kp(path, &name),
                format!(
                    "an expression has exactly one key, but `{first}` and `{name}` are both here"
                ),
                Some("combine them in a list: `all: [{...}, {...}]` or `any: [...]`".into()),
            );
            ok = false;
            continue;
        }
        chosen = Some((known, v));
    }
    let (name, v) = chosen?;
    let p = kp(path, name);
    let expr = match name {
        "all" | "any" => {
            let Some(items) = v.as_seq() else {
                wrong_type(cx, v, &p, name, "a list of expressions", None);
                return None;
            };
            let mut out = Vec::with_capacity(items.len());
            let mut all_ok = true;
            for (i, it) in items.iter().enumerate() {
                match check_expr(cx, it, &format!("{p}[{i}]"), depth + 1) {
                    Some(e) => out.push(e),
                    None => all_ok = false,
                }
            }
            if !all_ok {
                return None;
            }
            if name == "all" {
                Expr::All(out)
            } else {
                Expr::Any(out)
            }
        }
        "not" => Expr::Not(Box::new(check_expr(cx, v, &p, depth + 1)?)),
        _ => check_match(cx, v, &p)?,
    };
    ok.then_some(expr)
}

fn check_match(cx: &mut Cx, n: &Node, path: &str) -> Option<Expr> {
    let entries = mapping(
        cx,
        n,
        path,
        "match",
        "a mapping with `path`, `op` and `value`",
    )?;
    check_keys(cx, entries, MATCH_KEYS, path, "`match`");
    let path_node = required(
        cx,
        n,
        entries,
        "path",
        path,
        "`match`",
        "add `path:` naming a field of the action, e.g. `$.payload.amount_minor`",
    );
    let jp = path_node.and_then(|v| {
        let p = kp(path, "path");
        let s = string(cx, v, &p, "path")?;
        match JsonPath::parse(s) {
            Ok(jp) => Some(jp),
            Err(e) => {
                cx.push_inside(
                    Severity::Error,
                    codes::PATH,
                    v,
                    s,
                    e.offset,
                    e.len,
                    &p,
                    format!("invalid path `{s}`: {}", e.message),
                    e.help,
                );
                None
            }
        }
    });
    let op_node = required(
        cx,
        n,
        entries,
        "op",
        path,
        "`match`",
        &format!("add `op:`, {}", one_of(MatchOp::NAMES)),
    );
    let value = get(entries, "value");
    let vp = kp(path, "value");
    let op = op_node.and_then(|o| {
        let op_path = kp(path, "op");
        let name = string(cx, o, &op_path, "op")?;
        match name {
            "eq" | "neq" => {
                let v = match value {
                    Some(v) => Some(json(cx, v, &vp)?),
                    None => {
                        cx.warn(
                            codes::EQ_WITHOUT_VALUE,
                            o,
                            &op_path,
                            format!(
                                "`{name}` without `value` compares with \"undefined\": it is {} only when the path is absent",
                                if name == "eq" { "true" } else { "false" }
                            ),
                            Some("to test presence use `op: exists` (inside `not` for absence); to compare with null write `value: null`".into()),
                        );
                        None
                    }
                };
                Some(if name == "eq" {
                    MatchOp::Eq(v)
                } else {
                    MatchOp::Neq(v)
                })
            }
            "in" | "nin" => match value {
                Some(v) if v.as_seq().is_some() => {
                    let Some(Value::Array(items)) = json(cx, v, &vp) else {
                        return None;
                    };
                    Some(if name == "in" {
                        MatchOp::In(items)
                    } else {
                        MatchOp::Nin(items)
                    })
                }
                Some(v) => {
                    let help = match &v.value {
                        Y::Str(s) => format!("write a list, even for one entry: `value: [{s}]`"),
                        _ => "write a list: `value: [a, b]`".into(),
                    };
                    cx.error(
                        codes::IN_NEEDS_LIST,
                        v,
                        &vp,
                        format!("`{name}` needs a list as `value`, found {}", v.kind()),
                        Some(help),
                    );
                    None
                }
                None => {
                    cx.error(
                        codes::IN_NEEDS_LIST,
                        o,
                        &op_path,
                        format!("`{name}` needs a list as `value`, but there is no `value`"),
                        Some("add `value: [a, b]`".into()),
                    );
                    None
                }
            },
            "lt" | "lte" | "gt" | "gte" => {
                let num = value.and_then(|v| match v.value {
                    Y::Int(i) => Some(i as f64),
                    Y::Float(f) if !f.is_nan() => Some(f),
                    _ => None,
                });
                if num.is_none() {
                    let (at, help) = match value {
                        Some(v) => (
                            v,
                            match &v.value {
                                Y::Str(s) if s.trim().parse::<f64>().is_ok() => {
                                    format!("remove the quotes: `value: {}`", s.trim())
                                }
                                _ => "compare with a number, e.g. `value: 5000`".into(),
                            },
                        ),
                        None => (o, "add a numeric `value`".into()),
                    };
                    cx.warn(
                        codes::NEVER_COMPARES,
                        at,
                        if value.is_some() { &vp } else { &op_path },
                        format!(
                            "`{name}` compares numbers, but `value` is {}; this condition is never true",
                            value.map_or("missing", |v| v.kind())
                        ),
                        Some(help),
                    );
                }
                Some(match name {
                    "lt" => MatchOp::Lt(num),
                    "lte" => MatchOp::Lte(num),
                    "gt" => MatchOp::Gt(num),
                    _ => MatchOp::Gte(num),
                })
            }
            "regex" => {
                let Some(v) = value else {
                    cx.error(
                        codes::MISSING_KEY,
                        n,
                        path,
                        "`regex` needs a pattern in `value`".into(),
                        Some("add `value: '^[a-z]+$'` (quoted, so YAML keeps backslashes)".into()),
                    );
                    return None;
                };
                let pat = string(cx, v, &vp, "value")?;
                match rx::compile(pat) {
                    Ok(r) => Some(MatchOp::Regex(r)),
                    Err(e) => {
                        cx.push_inside(
                            Severity::Error,
                            if e.unsupported {
                                codes::REGEX_UNSUPPORTED
                            } else {
                                codes::REGEX
                            },
                            v,
                            pat,
                            e.offset,
                            e.len,
                            &vp,
                            e.message,
                            e.help,
                        );
                        None
                    }
                }
            }
            "exists" => {
                if let Some(v) = value {
                    cx.warn(
                        codes::VALUE_IGNORED,
                        v,
                        &vp,
                        "`exists` ignores `value`; it is true when the path is present and not null".into(),
                        Some("remove `value`, or use `op: eq` to compare".into()),
                    );
                }
                Some(MatchOp::Exists)
            }
            other => {
                cx.error(
                    codes::OPERATOR,
                    o,
                    &op_path,
                    format!("unknown operator `{other}`"),
                    Some(suggest(other, MatchOp::NAMES, |s| s.to_lowercase())),
                );
                None
            }
        }
    });
    Some(Expr::Match(Box::new(Match { path: jp?, op: op? })))
}

fn check_constraints(cx: &mut Cx, n: &Node, path: &str) -> Option<Constraints> {
    let entries = mapping(cx, n, path, "constraints", "a mapping")?;
    check_keys(cx, entries, Constraints::KEYS, path, "`constraints`");
    let before = cx.error_count();
    let num =
        |cx: &mut Cx, key: &str| get(entries, key).and_then(|v| number(cx, v, &kp(path, key), key));
    let amount_min = num(cx, "amount_min");
    let amount_max = num(cx, "amount_max");
    let list = |cx: &mut Cx, key: &str| {
        get(entries, key).and_then(|v| string_list(cx, v, &kp(path, key), key))
    };
    let c = Constraints {
        amount_min,
        amount_max,
        currency: list(cx, "currency"),
        merchant_domain: list(cx, "merchant_domain"),
        allowed_domains: list(cx, "allowed_domains"),
        blocked_domains: list(cx, "blocked_domains"),
    };
    if let (Some(min), Some(max), Some(at)) = (amount_min, amount_max, get(entries, "amount_min"))
        && min > max
    {
        cx.warn(
                codes::AMOUNT_RANGE_EMPTY,
                at,
                &kp(path, "amount_min"),
                format!("amount_min ({min}) is greater than amount_max ({max}); no amount passes, so this rule never matches"),
                Some("swap the two bounds".into()),
            );
    }
    for (key, value) in [
        ("currency", &c.currency),
        ("merchant_domain", &c.merchant_domain),
        ("allowed_domains", &c.allowed_domains),
    ] {
        if let (Some(v), Some(node)) = (value, get(entries, key))
            && v.is_empty()
        {
            cx.warn(
                codes::EMPTY_ALLOW_LIST,
                node,
                &kp(path, key),
                format!("`{key}: []` lets nothing pass, so this rule never matches"),
                Some(format!("list the allowed values, or remove `{key}`")),
            );
        }
    }
    (cx.error_count() == before).then_some(c)
}

fn check_requirements(cx: &mut Cx, n: &Node, path: &str) -> Option<Requirements> {
    let entries = mapping(cx, n, path, "requirements", "a mapping")?;
    check_keys(cx, entries, REQUIREMENT_KEYS, path, "`requirements`");
    let mut req = Requirements::default();
    let mut ok = true;
    if let Some(v) = get(entries, "min_assurance_level") {
        let p = kp(path, "min_assurance_level");
        match string(cx, v, &p, "min_assurance_level") {
            Some(s) => match AssuranceLevel::parse(s) {
                Some(l) => req.min_assurance_level = Some(l),
                None => {
                    cx.error(
                        codes::ASSURANCE_LEVEL,
                        v,
                        &p,
                        format!("unknown assurance level `{s}`"),
                        Some(suggest(s, AssuranceLevel::NAMES, |s| s.to_uppercase())),
                    );
                    ok = false;
                }
            },
            None => ok = false,
        }
    }
    if let Some((k, v)) = entries
        .iter()
        .find(|(k, _)| k.as_str() == Some("credential_scheme"))
    {
        let p = kp(path, "credential_scheme");
        if string(cx, v, &p, "credential_scheme").is_some() {
            cx.warn(
                codes::CREDENTIAL_SCHEME,
                k,
                &p,
                "`credential_scheme` is accepted for compatibility but has no effect".into(),
                Some("remove it; use `min_assurance_level` to require a stronger identity".into()),
            );
        } else {
            ok = false;
        }
    }
    ok.then_some(req)
}

fn check_obligations(cx: &mut Cx, n: &Node, path: &str) -> Option<Vec<ObligationSpec>> {
    let Some(items) = n.as_seq() else {
        wrong_type(
            cx,
            n,
            path,
            "obligations",
            "a list of `{type: ..., params: {...}}`",
            None,
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Some(entries) = item.as_map() else {
            wrong_type(cx, item, &p, &p, "a mapping with `type`", None);
            ok = false;
            continue;
        };
        for (k, _) in entries {
            let name = key_text(k);
            if name != "type" && name != "params" {
                cx.warn(
                    codes::OBLIGATION_EXTRA_KEY,
                    k,
                    &kp(&p, &name),
                    format!(
                        "`{name}` is ignored in an obligation (only `type` and `params` are used)"
                    ),
                    Some(format!(
                        "move it under `params:` to pass it on{}",
                        did_you_mean(&name, &["type", "params"])
                            .map(|s| format!(", or did you mean `{s}`?"))
                            .unwrap_or_default()
                    )),
                );
            }
        }
        let ty = required(
            cx,
            item,
            entries,
            "type",
            &p,
            "the obligation",
            &format!("add `type:`, {}", one_of(ObligationType::NAMES)),
        )
        .and_then(|v| {
            let tp = kp(&p, "type");
            let s = string(cx, v, &tp, "type")?;
            let t = ObligationType::parse(s);
            if t.is_none() {
                cx.error(
                    codes::OBLIGATION_TYPE,
                    v,
                    &tp,
                    format!("unknown obligation type `{s}`"),
                    Some(suggest(s, ObligationType::NAMES, |s| s.to_uppercase())),
                );
            }
            t
        });
        let params = match get(entries, "params") {
            None => Some(Value::Object(serde_json::Map::new())),
            Some(v) if v.as_map().is_some() => json(cx, v, &kp(&p, "params")),
            Some(v) if v.value == Y::Null => Some(Value::Object(serde_json::Map::new())),
            Some(v) => {
                wrong_type(cx, v, &kp(&p, "params"), "params", "a mapping", None);
                None
            }
        };
        match (ty, params) {
            (Some(obligation_type), Some(params)) => out.push(ObligationSpec {
                obligation_type,
                params,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// `approval_ttl: 15m`: a duration (whole number + s, m, h or d).
fn check_approval_ttl(cx: &mut Cx, n: &Node, path: &str) -> Option<u64> {
    let parsed = match n.as_str() {
        Some(s) => super::limits::parse_window(s),
        None => Err(format!(
            "`approval_ttl` must be a duration such as `15m`, found {}",
            n.kind()
        )),
    };
    match parsed {
        Ok(secs) => Some(secs),
        Err(msg) => {
            cx.error(
                codes::TTL,
                n,
                path,
                msg,
                Some("write a duration such as `90s`, `15m`, `2h` or `1d`".into()),
            );
            None
        }
    }
}

fn check_proof(cx: &mut Cx, n: &Node, path: &str) -> Option<ProofSpec> {
    let entries = mapping(
        cx,
        n,
        path,
        "proof",
        "a mapping such as `{required: true, ttl_seconds: 300}`",
    )?;
    check_keys(cx, entries, PROOF_KEYS, path, "`proof`");
    let mut spec = ProofSpec::default();
    let mut ok = true;
    if let Some(v) = get(entries, "required") {
        match v.value {
            Y::Bool(b) => spec.required = Some(b),
            _ => {
                let help = match v.as_str() {
                    Some("yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y") => {
                        Some("YAML 1.2 reads this as a string; write `true`".to_string())
                    }
                    Some("no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N") => {
                        Some("YAML 1.2 reads this as a string; write `false`".to_string())
                    }
                    _ => Some("write `true` or `false`".to_string()),
                };
                wrong_type(cx, v, &kp(path, "required"), "required", "a boolean", help);
                ok = false;
            }
        }
    }
    if let Some(v) = get(entries, "ttl_seconds") {
        match v.value {
            Y::Int(i) if i > 0 => spec.ttl_seconds = u64::try_from(i).ok(),
            _ => {
                let help = match v.value {
                    Y::Float(f) if f.fract() == 0.0 && f > 0.0 => format!("write `{f:.0}`"),
                    Y::Int(_) | Y::Float(_) => "use at least 1 second".into(),
                    _ => "write a whole number of seconds, e.g. `300`".into(),
                };
                cx.error(
                    codes::TTL,
                    v,
                    &kp(path, "ttl_seconds"),
                    format!(
                        "`ttl_seconds` must be a positive whole number of seconds, found {}",
                        match &v.value {
                            Y::Int(i) => i.to_string(),
                            Y::Float(f) => f.to_string(),
                            _ => v.kind().to_string(),
                        }
                    ),
                    Some(help),
                );
                ok = false;
            }
        }
    }
    ok.then_some(spec)
}

const LIMIT_KEYS: &[&str] = &["window", "max_amount_minor", "max_count", "per"];
/// ActionRequest members that are objects: a counter cannot be scoped by them.
const OBJECT_MEMBERS: &[&str] = &["payload", "principal", "subject", "relying_party"];

fn check_limits(cx: &mut Cx, n: &Node, path: &str) -> Option<Vec<Limit>> {
    let Some(items) = n.as_seq() else {
        wrong_type(
            cx,
            n,
            path,
            "limits",
            "a list of `{window: 24h, max_amount_minor: 50000}` or `{window: 1h, max_count: 20}`",
            None,
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match check_limit(cx, item, &format!("{path}[{i}]")) {
            Some(l) => out.push(l),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn check_limit(cx: &mut Cx, n: &Node, path: &str) -> Option<Limit> {
    let entries = mapping(
        cx,
        n,
        path,
        path,
        "a mapping such as `{window: 24h, max_amount_minor: 50000, per: agent}`",
    )?;
    let before = cx.error_count();
    check_keys(cx, entries, LIMIT_KEYS, path, "a limit");
    let window = required(
        cx,
        n,
        entries,
        "window",
        path,
        "the limit",
        "add `window:` with a duration such as `1h`, `24h` or `7d`",
    )
    .and_then(|v| {
        let p = kp(path, "window");
        let text = match &v.value {
            Y::Str(s) => s.clone(),
            Y::Int(i) => i.to_string(),
            Y::Float(f) => f.to_string(),
            _ => {
                wrong_type(cx, v, &p, "window", "a duration such as `24h`", None);
                return None;
            }
        };
        match super::limits::parse_window(&text) {
            Ok(secs) => Some((secs, text)),
            Err(msg) => {
                cx.error(
                    codes::LIMIT_WINDOW,
                    v,
                    &p,
                    format!("invalid window `{text}`"),
                    Some(msg),
                );
                None
            }
        }
    });
    let positive = |cx: &mut Cx, key: &str| -> Option<Option<u64>> {
        let Some(v) = get(entries, key) else {
            return Some(None);
        };
        match v.value {
            Y::Int(i) if i > 0 => Some(u64::try_from(i).ok()),
            _ => {
                let found = match &v.value {
                    Y::Int(i) => i.to_string(),
                    Y::Float(f) => f.to_string(),
                    Y::Str(s) => format!("{s:?}"),
                    _ => v.kind().to_string(),
                };
                let help = match &v.value {
                    Y::Float(f) if f.fract() == 0.0 && *f > 0.0 => format!("write `{f:.0}`"),
                    Y::Float(_) => {
                        "amounts are whole minor units (cents): write `1250` for 12.50".into()
                    }
                    Y::Str(s) if s.trim().parse::<u64>().is_ok() => {
                        format!("remove the quotes: `{}`", s.trim())
                    }
                    _ => "use a whole number of at least 1".into(),
                };
                cx.error(
                    codes::LIMITS,
                    v,
                    &kp(path, key),
                    format!("`{key}` must be a positive whole number, found {found}"),
                    Some(help),
                );
                None
            }
        }
    };
    let amount = positive(cx, "max_amount_minor");
    let count = positive(cx, "max_count");
    let measure = match (amount, count) {
        (Some(Some(a)), Some(None)) => Some(super::limits::Measure::AmountMinor(a)),
        (Some(None), Some(Some(c))) => Some(super::limits::Measure::Count(c)),
        (Some(Some(_)), Some(Some(_))) => {
            cx.error(
                codes::LIMITS,
                n,
                path,
                "a limit has either `max_amount_minor` or `max_count`, not both".into(),
                Some("split it into two limits with the same window".into()),
            );
            None
        }
        (Some(None), Some(None)) => {
            cx.error(
                codes::LIMITS,
                n,
                path,
                "the limit has neither `max_amount_minor` nor `max_count`".into(),
                Some("add `max_amount_minor: <minor units>` (a spending cap) or `max_count: <n>` (a rate limit)".into()),
            );
            None
        }
        _ => None,
    };
    let per = match get(entries, "per") {
        None => Some(vec![super::limits::Scope::Agent]),
        Some(v) => check_per(cx, v, &kp(path, "per")),
    };
    if cx.error_count() > before {
        return None;
    }
    let (window_secs, window) = window?;
    Some(Limit {
        window_secs,
        window,
        measure: measure?,
        per: per?,
    })
}

fn check_per(cx: &mut Cx, n: &Node, path: &str) -> Option<Vec<super::limits::Scope>> {
    use super::limits::Scope;
    let items: Vec<(&Node, String)> = match &n.value {
        Y::Str(s) => vec![(n, s.clone())],
        Y::Seq(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| {
                string(cx, it, &format!("{path}[{i}]"), "per").map(|s| (it, s.to_string()))
            })
            .collect(),
        _ => {
            wrong_type(
                cx,
                n,
                path,
                "per",
                "`agent`, `owner`, a payload field name, or a non-empty list of them",
                None,
            );
            return None;
        }
    };
    let mut ok = true;
    let mut out: Vec<Scope> = Vec::new();
    for (node, name) in items {
        let ident = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let scope = match name.as_str() {
            "agent" => Scope::Agent,
            "owner" => Scope::Owner,
            s if OBJECT_MEMBERS.contains(&s) => {
                cx.error(
                    codes::LIMIT_PER,
                    node,
                    path,
                    format!("`per: {s}` names an object; a counter is scoped by a single value"),
                    Some("name a field that holds a string or number, e.g. `merchant_domain` (read from the payload)".into()),
                );
                ok = false;
                continue;
            }
            s if ident => Scope::Field(s.to_string()),
            s => {
                cx.error(
                    codes::LIMIT_PER,
                    node,
                    path,
                    format!("`{s}` is not a scope"),
                    Some("use `agent`, `owner`, or the name of a top-level payload field (letters, digits, `_`)".into()),
                );
                ok = false;
                continue;
            }
        };
        if out.contains(&scope) {
            cx.error(
                codes::LIMIT_PER,
                node,
                path,
                format!("`{name}` is listed twice in `per`"),
                Some("list each scope once".into()),
            );
            ok = false;
            continue;
        }
        out.push(scope);
    }
    out.sort();
    ok.then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
