//! Diagnostics about policy files (SPEC §5.4): a stable code, a position, the YAML path of the
//! offending node and an optional `help:` line; rendered as human text with a code frame, as
//! JSON, or as GitHub workflow commands. Every code is documented in `docs/diagnostics.md`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// Characters covered on that line (for the caret), at least 1.
    #[serde(rename = "length")]
    pub len: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// YAML path of the node, e.g. `rules[2].when.all[0].match.op` (empty = the document).
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (unreadable, not UTF-8, …), placed at 1:1.
    pub fn file_error(file: &str, code: &'static str, message: String) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: 1,
            col: 1,
            len: 1,
            severity: Severity::Error,
            code,
            message,
            path: String::new(),
            help: None,
        }
    }
}

/// The stable codes. Adding one means documenting it in docs/diagnostics.md (a test checks).
pub mod codes {
    pub const READ: &str = "OL-E000";
    pub const YAML_SYNTAX: &str = "OL-E001";
    pub const DUPLICATE_KEY: &str = "OL-E002";
    pub const NOT_UTF8: &str = "OL-E003";
    pub const TOO_LARGE: &str = "OL-E004";
    pub const EMPTY: &str = "OL-E005";
    pub const NOT_A_MAPPING: &str = "OL-E006";
    pub const UNKNOWN_KEY: &str = "OL-E010";
    pub const MISSING_KEY: &str = "OL-E011";
    pub const WRONG_TYPE: &str = "OL-E012";
    pub const VERSION: &str = "OL-E013";
    pub const DEFAULT: &str = "OL-E014";
    pub const EFFECT: &str = "OL-E015";
    pub const DUPLICATE_RULE_ID: &str = "OL-E016";
    pub const EMPTY_RULE_ID: &str = "OL-E017";
    pub const ACTION_PATTERN: &str = "OL-E020";
    pub const EXPRESSION: &str = "OL-E030";
    pub const EXPRESSION_DEPTH: &str = "OL-E031";
    pub const PATH: &str = "OL-E032";
    pub const OPERATOR: &str = "OL-E033";
    pub const IN_NEEDS_LIST: &str = "OL-E034";
    pub const REGEX: &str = "OL-E035";
    pub const REGEX_UNSUPPORTED: &str = "OL-E036";
    pub const ASSURANCE_LEVEL: &str = "OL-E040";
    pub const OBLIGATION_TYPE: &str = "OL-E041";
    pub const TTL: &str = "OL-E042";
    pub const LIMITS: &str = "OL-E043";
    pub const LIMIT_WINDOW: &str = "OL-E044";
    pub const LIMIT_PER: &str = "OL-E045";
    pub const MODE: &str = "OL-E046";
    pub const TOO_MANY: &str = "OL-E099";
    pub const SUITE: &str = "OL-E100";
    pub const SUITE_POLICY: &str = "OL-E101";

    pub const UNREACHABLE_RULE: &str = "OL-W001";
    pub const ALLOW_ALL: &str = "OL-W002";
    pub const PASSTHROUGH: &str = "OL-W003";
    pub const HIGH_RISK_NO_PROOF: &str = "OL-W004";
    pub const CREDENTIAL_SCHEME: &str = "OL-W005";
    pub const OBLIGATION_EXTRA_KEY: &str = "OL-W006";
    pub const NEVER_COMPARES: &str = "OL-W007";
    pub const EQ_WITHOUT_VALUE: &str = "OL-W008";
    pub const VALUE_IGNORED: &str = "OL-W009";
    pub const AMOUNT_RANGE_EMPTY: &str = "OL-W010";
    pub const IGNORED_ON_DENY: &str = "OL-W011";
    pub const EMPTY_ALLOW_LIST: &str = "OL-W012";

    /// Every code with a one-line title.
    pub const ALL: &[(&str, &str)] = &[
        (READ, "file cannot be read"),
        (YAML_SYNTAX, "YAML syntax error"),
        (DUPLICATE_KEY, "duplicate mapping key"),
        (NOT_UTF8, "file is not UTF-8"),
        (TOO_LARGE, "file too large"),
        (EMPTY, "empty policy"),
        (NOT_A_MAPPING, "top level is not a mapping"),
        (UNKNOWN_KEY, "unknown key"),
        (MISSING_KEY, "missing required key"),
        (WRONG_TYPE, "wrong type"),
        (VERSION, "unsupported version"),
        (DEFAULT, "invalid default"),
        (EFFECT, "invalid effect"),
        (DUPLICATE_RULE_ID, "duplicate rule id"),
        (EMPTY_RULE_ID, "empty rule id"),
        (ACTION_PATTERN, "invalid action pattern"),
        (EXPRESSION, "invalid expression"),
        (EXPRESSION_DEPTH, "expression nested too deeply"),
        (PATH, "invalid path"),
        (OPERATOR, "unknown operator"),
        (IN_NEEDS_LIST, "`in`/`nin` need a list"),
        (REGEX, "invalid regex"),
        (REGEX_UNSUPPORTED, "unsupported regex feature"),
        (ASSURANCE_LEVEL, "unknown assurance level"),
        (OBLIGATION_TYPE, "unknown obligation type"),
        (TTL, "invalid proof TTL"),
        (LIMITS, "invalid limit"),
        (LIMIT_WINDOW, "invalid limit window"),
        (LIMIT_PER, "invalid limit scope"),
        (MODE, "invalid policy mode"),
        (TOO_MANY, "too many problems"),
        (SUITE, "invalid policy test suite"),
        (SUITE_POLICY, "suite policy cannot be loaded"),
        (UNREACHABLE_RULE, "unreachable rule"),
        (ALLOW_ALL, "allow on every action"),
        (PASSTHROUGH, "passthrough default"),
        (HIGH_RISK_NO_PROOF, "high-risk allow without proof"),
        (CREDENTIAL_SCHEME, "`credential_scheme` is ignored"),
        (OBLIGATION_EXTRA_KEY, "extra obligation key is ignored"),
        (NEVER_COMPARES, "comparison can never be true"),
        (EQ_WITHOUT_VALUE, "`eq`/`neq` without `value`"),
        (VALUE_IGNORED, "`value` is ignored"),
        (AMOUNT_RANGE_EMPTY, "empty amount range"),
        (IGNORED_ON_DENY, "ignored on a deny rule"),
        (EMPTY_ALLOW_LIST, "empty allow-list"),
    ];
}

/// Counts by severity.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diags.len() - errors)
}

fn style(
    s: &str,
    color: bool,
    f: impl Fn(console::StyledObject<&str>) -> console::StyledObject<&str>,
) -> String {
    if color {
        f(console::style(s)).force_styling(true).to_string()
    } else {
        s.to_string()
    }
}

/// Human rendering with a code frame, for diagnostics of one source text (`source` is the
/// file's text; without it the frame is left out).
pub fn render_human(diags: &[Diagnostic], source: Option<&str>, color: bool) -> String {
    let lines: Vec<&str> = source.map(|s| s.lines().collect()).unwrap_or_default();
    let mut out = String::new();
    for d in diags {
        let label = format!("{}[{}]", d.severity.as_str(), d.code);
        let label = match d.severity {
            Severity::Error => style(&label, color, |s| s.red().bold()),
            Severity::Warning => style(&label, color, |s| s.yellow().bold()),
        };
        out.push_str(&format!(
            "{label}: {}\n",
            style(&d.message, color, |s| s.bold())
        ));
        let gutter = d.line.to_string().len().max(1);
        let pad = " ".repeat(gutter);
        let at = if d.path.is_empty() {
            String::new()
        } else {
            format!(" (at {})", d.path)
        };
        out.push_str(&format!(
            "{pad}{} {}:{}:{}{at}\n",
            style("-->", color, |s| s.blue().bold()),
            d.file,
            d.line,
            d.col
        ));
        let bar = style("|", color, |s| s.blue().bold());
        if let Some(text) = d.line.checked_sub(1).and_then(|i| lines.get(i)) {
            // Tabs are shown as one space so the caret stays under the right character.
            let shown: String = text
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let width = shown.chars().count();
            let col = d.col.max(1);
            let len = d.len.max(1).min((width + 1).saturating_sub(col).max(1));
            let carets = "^".repeat(len);
            let carets = match d.severity {
                Severity::Error => style(&carets, color, |s| s.red().bold()),
                Severity::Warning => style(&carets, color, |s| s.yellow().bold()),
            };
            out.push_str(&format!("{pad} {bar}\n"));
            out.push_str(&format!(
                "{} {bar} {shown}\n",
                style(&format!("{:>gutter$}", d.line), color, |s| s.blue().bold())
            ));
            out.push_str(&format!("{pad} {bar} {}{carets}\n", " ".repeat(col - 1)));
        }
        if let Some(h) = &d.help {
            out.push_str(&format!(
                "{pad} {} {}: {h}\n",
                style("=", color, |s| s.blue().bold()),
                style("help", color, |s| s.cyan().bold())
            ));
        }
        out.push('\n');
    }
    out
}

/// JSON: an array of diagnostics.
pub fn render_json(diags: &[Diagnostic]) -> serde_json::Value {
    serde_json::to_value(diags).unwrap_or_else(|_| serde_json::Value::Array(vec![]))
}

/// GitHub Actions workflow commands, one line per diagnostic.
pub fn render_github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let mut msg = format!("{} {}", d.code, d.message);
        if !d.path.is_empty() {
            msg.push_str(&format!(" (at {})", d.path));
        }
        if let Some(h) = &d.help {
            msg.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endColumn={},title={}::{}\n",
            d.severity.as_str(),
            gh_property(&d.file),
            d.line,
            d.col,
            d.col + d.len.max(1),
            gh_property(d.code),
            gh_data(&msg)
        ));
    }
    out
}

pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d() -> Diagnostic {
        Diagnostic {
            file: "p.yaml".into(),
            line: 2,
            col: 5,
            len: 3,
            severity: Severity::Error,
            code: codes::OPERATOR,
            message: "unknown operator `lte_`".into(),
            path: "rules[0].when.match.op".into(),
            help: Some("did you mean `lte`?".into()),
        }
    }

    #[test]
    fn human_has_frame_caret_and_help() {
        let text = render_human(&[d()], Some("a: 1\nop: lte_\n"), false);
        assert_eq!(
            text,
            "error[OL-E033]: unknown operator `lte_`\n --> p.yaml:2:5 (at rules[0].when.match.op)\n  |\n2 | op: lte_\n  |     ^^^\n  = help: did you mean `lte`?\n\n"
        );
    }

    #[test]
    fn github_escapes() {
        let mut x = d();
        x.file = "a,b:c.yaml".into();
        x.message = "50% off\nnext".into();
        let line = render_github(&[x]);
        assert!(line.starts_with("::error file=a%2Cb%3Ac.yaml,line=2,col=5,endColumn=8,title=OL-E033::OL-E033 50%25 off%0Anext"));
        assert!(line.ends_with("%0Ahelp: did you mean `lte`?\n"));
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (code, title) in codes::ALL {
            assert!(seen.insert(*code), "{code} twice");
            assert!(!title.is_empty());
            assert_eq!(code.len(), 7);
            assert!(code.starts_with("OL-E") || code.starts_with("OL-W"));
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/diagnostics.md");
        for (code, _) in codes::ALL {
            assert!(
                doc.contains(&format!("## {code}")),
                "{code} is missing from docs/diagnostics.md"
            );
        }
    }
}
