//! `openleash mcp scan`: start a server, list its tools, classify each by risk from its name,
//! description, annotations and input schema, and suggest a policy (deny by default, allow the
//! read-only tools).

use super::jsonrpc::{Frame, LineReader};
use super::names;
use crate::error::{Error, ErrorCode, Result};
use serde::Serialize;
use serde_json::{Value, json};
use std::ffi::OsString;
use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Risk classes, most dangerous first (a tool gets the most dangerous class any hint gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Payment,
    Exec,
    Network,
    Write,
    /// Nothing recognisable: treated like a write (not allowed by the suggestion).
    Unknown,
    Read,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Payment => "payment",
            Risk::Exec => "exec",
            Risk::Network => "network",
            Risk::Write => "write",
            Risk::Unknown => "unknown",
            Risk::Read => "read",
        }
    }
}

/// One classified tool.
#[derive(Debug, Clone, Serialize)]
pub struct ToolRisk {
    pub name: String,
    pub action_type: String,
    pub risk: Risk,
    /// Why, e.g. `name: "write"` or `schema: "command"`.
    pub reasons: Vec<String>,
}

/// What a scan found.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub server: String,
    pub server_info: Value,
    pub tools: Vec<ToolRisk>,
}

const PAYMENT: &[&str] = &[
    "pay",
    "payment",
    "charge",
    "purchase",
    "buy",
    "checkout",
    "invoice",
    "refund",
    "transfer",
    "wallet",
    "billing",
    "subscribe",
    "order",
    "stripe",
    "card",
];
const EXEC: &[&str] = &[
    "exec", "execute", "run", "shell", "command", "cmd", "eval", "spawn", "script", "bash",
    "terminal", "process", "kill", "install", "deploy", "code",
];
const NETWORK: &[&str] = &[
    "fetch", "http", "https", "url", "uri", "request", "download", "upload", "web", "browse",
    "browser", "navigate", "email", "mail", "send", "post", "webhook", "slack", "sms", "tweet",
    "publish", "api",
];
const WRITE: &[&str] = &[
    "write", "create", "edit", "delete", "remove", "rm", "move", "mv", "rename", "update", "set",
    "put", "insert", "modify", "mkdir", "save", "patch", "append", "replace", "drop", "truncate",
    "commit", "push", "merge", "add", "apply", "upsert", "copy", "chmod", "destroy", "reset",
];
const READ: &[&str] = &[
    "read",
    "get",
    "list",
    "search",
    "find",
    "show",
    "view",
    "describe",
    "query",
    "stat",
    "info",
    "tree",
    "ls",
    "cat",
    "head",
    "tail",
    "lookup",
    "inspect",
    "count",
    "check",
    "status",
    "allowed",
    "directory",
    "directories",
    "file",
    "files",
    "metadata",
    "grep",
    "open",
];

/// Lower-case words of `s` (split on anything not alphanumeric and on camelCase humps).
fn words(s: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn hits(ws: &[String], list: &[&str]) -> Option<String> {
    ws.iter().find(|w| list.contains(&w.as_str())).cloned()
}

/// Classifies one `tools/list` entry.
pub fn classify(server: &str, tool: &Value) -> ToolRisk {
    let name = tool.get("name").and_then(Value::as_str).unwrap_or("");
    let name_words = words(name);
    let schema_words: Vec<String> = tool
        .pointer("/inputSchema/properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().flat_map(|k| words(k)).collect())
        .unwrap_or_default();
    let annotations = tool.get("annotations");
    let hint = |k: &str| annotations.and_then(|a| a.get(k)).and_then(Value::as_bool);

    let mut found: Vec<(Risk, String)> = vec![];
    for (risk, list) in [
        (Risk::Payment, PAYMENT),
        (Risk::Exec, EXEC),
        (Risk::Network, NETWORK),
        (Risk::Write, WRITE),
    ] {
        if let Some(w) = hits(&name_words, list) {
            found.push((risk, format!("name: {w:?}")));
        }
    }
    // Argument names add evidence for the dangerous classes only (a `path` argument says
    // nothing about reading or writing).
    for (risk, list) in [
        (
            Risk::Payment,
            &["amount", "currency", "card", "iban", "recipient"][..],
        ),
        (
            Risk::Exec,
            &["command", "cmd", "script", "code", "shell", "argv"][..],
        ),
        (
            Risk::Network,
            &["url", "uri", "endpoint", "webhook", "host", "email"][..],
        ),
        (
            Risk::Write,
            &[
                "content",
                "contents",
                "data",
                "body",
                "edits",
                "destination",
                "new",
            ][..],
        ),
    ] {
        if let Some(w) = hits(&schema_words, list) {
            found.push((risk, format!("argument: {w:?}")));
        }
    }
    if hint("destructiveHint") == Some(true) {
        found.push((Risk::Write, "annotation: destructiveHint".into()));
    }
    if hint("openWorldHint") == Some(true) {
        found.push((Risk::Network, "annotation: openWorldHint".into()));
    }
    let read_only_hint = hint("readOnlyHint") == Some(true);
    let (risk, reasons) = if let Some(min) = found.iter().map(|(r, _)| *r).min() {
        (
            min,
            found
                .iter()
                .filter(|(r, _)| *r == min)
                .map(|(_, why)| why.clone())
                .collect(),
        )
    } else if let Some(w) = hits(&name_words, READ) {
        (Risk::Read, vec![format!("name: {w:?}")])
    } else if read_only_hint {
        (Risk::Read, vec!["annotation: readOnlyHint".into()])
    } else {
        (Risk::Unknown, vec!["no known verb in the name".into()])
    };
    ToolRisk {
        name: name.to_string(),
        action_type: names::action_type(server, name),
        risk,
        reasons,
    }
}

/// A policy id / rule id fragment: `[a-z0-9_]`.
fn ident(s: &str) -> String {
    names::normalise(s).replace('-', "_")
}

/// The suggested policy: deny by default, one allow rule per read-only tool, a deny rule for
/// the rest of the server (`mcp.<server>.*`), and a comment for every other tool saying why it
/// is denied.
pub fn suggest_policy(report: &ScanReport) -> String {
    let mut y = String::new();
    y.push_str(&format!(
        "# Suggested by `openleash mcp scan` for MCP server {:?}.\n",
        report.server
    ));
    y.push_str("# Review before use: the risk classes are guesses from tool names and schemas.\n");
    y.push_str(
        "# Calls are authorized as mcp.<server>.<tool>; payload = {server, tool, arguments}.\n",
    );
    y.push_str("version: 1\ndefault: deny\n");
    let reads: Vec<&ToolRisk> = report
        .tools
        .iter()
        .filter(|t| t.risk == Risk::Read)
        .collect();
    let others: Vec<&ToolRisk> = report
        .tools
        .iter()
        .filter(|t| t.risk != Risk::Read)
        .collect();
    if !others.is_empty() {
        y.push_str("# Denied (by the last rule):\n");
        for t in &others {
            y.push_str(&format!(
                "#   {:<40} {:<8} ({})\n",
                t.action_type,
                t.risk.as_str(),
                t.reasons.join(", ")
            ));
        }
        y.push_str("# To ask the owner instead of denying, add a rule before the last one with\n");
        y.push_str("#   obligations: [{ type: HUMAN_APPROVAL }]\n");
    }
    y.push_str("rules:\n");
    let mut used = std::collections::HashSet::new();
    for t in reads {
        let mut id = format!("allow_{}_{}", ident(&report.server), ident(&t.name));
        let base = id.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        y.push_str(&format!("  - id: {id}\n"));
        y.push_str("    effect: allow\n");
        y.push_str(&format!("    action: {}\n", t.action_type));
        y.push_str(&format!(
            "    description: {}\n",
            json!(format!(
                "Read-only tool {} ({})",
                t.name,
                t.reasons.join(", ")
            ))
        ));
    }
    // An explicit rule for the rest of the server, so a denial names it.
    let server = names::normalise(&report.server);
    y.push_str(&format!(
        "  - id: deny_{}_other_tools\n",
        ident(&report.server)
    ));
    y.push_str("    effect: deny\n");
    y.push_str(&format!("    action: mcp.{server}.*\n"));
    y.push_str(&format!(
        "    description: {}\n",
        json!(format!(
            "Every other tool of {server} (not classified read-only)"
        ))
    ));
    y
}

/// Starts `command`, performs the MCP handshake, lists every tool (following `nextCursor`),
/// and closes the server. The whole exchange is bounded by `timeout`.
pub fn list_tools(command: &[OsString], timeout: Duration) -> Result<(Value, Vec<Value>)> {
    let (program, args) = command.split_first().ok_or_else(|| {
        Error::new(ErrorCode::Usage, "no MCP server command given")
            .with_hint("put the server command after `--`, e.g. `openleash mcp scan -- npx -y @modelcontextprotocol/server-filesystem /tmp`")
    })?;
    let shown = program.to_string_lossy().to_string();
    let mut child = super::proxy::spawn(program, args)?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(Error::internal("the MCP server's pipes are missing"));
    };
    let (tx, rx) = mpsc::channel::<std::result::Result<Vec<u8>, String>>();
    std::thread::spawn(move || {
        let mut r = LineReader::new(stdout);
        loop {
            let item = match r.next_frame() {
                Ok(Some(Frame::Line(l))) => Ok(l),
                Ok(Some(Frame::TooLong(n))) => Err(format!("a message of {n} bytes is too large")),
                Ok(None) => Err("the server closed its output".to_string()),
                Err(e) => Err(format!("reading failed: {e}")),
            };
            let end = item.is_err();
            if tx.send(item).is_err() || end {
                return;
            }
        }
    });
    let deadline = Instant::now() + timeout;
    let fail = |what: String| {
        Error::new(
            ErrorCode::RemoteUnavailable,
            format!("MCP server `{shown}`: {what}"),
        )
        .with_hint("check that the command starts an MCP server speaking JSON-RPC on stdio (its own messages are on stderr above)")
    };
    let mut stdin = Some(stdin);
    let mut send = |v: Value| -> Result<()> {
        let mut line = v.to_string();
        line.push('\n');
        let Some(w) = stdin.as_mut() else {
            return Err(fail("its input is closed".into()));
        };
        w.write_all(line.as_bytes())
            .and_then(|()| w.flush())
            .map_err(|e| fail(format!("cannot write to it: {e}")))
    };
    // Waits for the response to `id`, answering requests from the server with "not supported".
    let mut replies: Vec<Value> = vec![];
    let await_response = |id: i64, replies: &mut Vec<Value>| -> Result<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match rx.recv_timeout(left) {
                Ok(Ok(l)) => l,
                Ok(Err(e)) => return Err(fail(e)),
                Err(_) => return Err(fail(format!("no answer within {} s", timeout.as_secs()))),
            };
            let Ok(v) = serde_json::from_slice::<Value>(&line) else {
                return Err(fail(format!(
                    "sent malformed JSON: {}",
                    String::from_utf8_lossy(&line[..line.len().min(120)])
                )));
            };
            if v.get("method").is_some() {
                if let Some(rid) = v.get("id") {
                    replies.push(json!({"jsonrpc":"2.0","id":rid,"error":{"code":-32601,"message":"not supported by openleash mcp scan"}}));
                }
                continue;
            }
            if v.get("id") == Some(&json!(id)) {
                if let Some(err) = v.get("error") {
                    return Err(fail(format!("answered with an error: {err}")));
                }
                return Ok(v.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    };
    let result = (|| -> Result<(Value, Vec<Value>)> {
        send(json!({
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": { "name": "openleash-mcp-scan", "version": env!("CARGO_PKG_VERSION") }
            }
        }))?;
        let init = await_response(1, &mut replies)?;
        send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))?;
        let mut tools = vec![];
        let mut cursor: Option<Value> = None;
        for id in 2..1002 {
            let params = match &cursor {
                Some(c) => json!({ "cursor": c }),
                None => json!({}),
            };
            send(json!({"jsonrpc": "2.0", "id": id, "method": "tools/list", "params": params}))?;
            for r in replies.drain(..) {
                send(r)?;
            }
            let page = await_response(id, &mut replies)?;
            tools.extend(page["tools"].as_array().cloned().unwrap_or_default());
            match page.get("nextCursor") {
                Some(c) if !c.is_null() => cursor = Some(c.clone()),
                _ => break,
            }
        }
        Ok((init, tools))
    })();
    // End of input tells the server to exit.
    drop(stdin.take());
    // Close the server: end of input, a moment to exit (none after a failure), then kill.
    let grace = Instant::now()
        + if result.is_ok() {
            Duration::from_secs(2)
        } else {
            Duration::ZERO
        };
    loop {
        match child.try_wait() {
            Ok(Some(_)) | Err(_) => break,
            Ok(None) if Instant::now() < grace => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
        }
    }
    result
}

/// Runs a scan: list the tools and classify them under `server_name` (default: the server's
/// `serverInfo.name`).
pub fn scan(
    command: &[OsString],
    server_name: Option<&str>,
    timeout: Duration,
) -> Result<ScanReport> {
    let (init, tools) = list_tools(command, timeout)?;
    let info = init.get("serverInfo").cloned().unwrap_or(Value::Null);
    let server = names::normalise(
        server_name.unwrap_or_else(|| info.get("name").and_then(Value::as_str).unwrap_or("")),
    );
    let tools = tools.iter().map(|t| classify(&server, t)).collect();
    Ok(ScanReport {
        server,
        server_info: info,
        tools,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(tool: Value) -> Risk {
        classify("fs", &tool).risk
    }

    #[test]
    fn words_split_snake_kebab_and_camel_case() {
        assert_eq!(words("read_text_file"), vec!["read", "text", "file"]);
        assert_eq!(
            words("listDirectoryWithSizes"),
            vec!["list", "directory", "with", "sizes"]
        );
        assert_eq!(words("git-push"), vec!["git", "push"]);
    }

    #[test]
    fn classification_of_the_filesystem_server_tools() {
        let path = json!({"type":"object","properties":{"path":{"type":"string"}}});
        assert_eq!(
            risk(json!({"name":"read_text_file","inputSchema":path})),
            Risk::Read
        );
        assert_eq!(
            risk(json!({"name":"list_directory","inputSchema":path})),
            Risk::Read
        );
        assert_eq!(
            risk(json!({"name":"search_files","inputSchema":path})),
            Risk::Read
        );
        assert_eq!(risk(json!({"name":"list_allowed_directories"})), Risk::Read);
        assert_eq!(
            risk(
                json!({"name":"write_file","inputSchema":{"properties":{"path":{},"content":{}}}})
            ),
            Risk::Write
        );
        assert_eq!(risk(json!({"name":"move_file"})), Risk::Write);
        assert_eq!(risk(json!({"name":"create_directory"})), Risk::Write);
        assert_eq!(risk(json!({"name":"edit_file"})), Risk::Write);
    }

    #[test]
    fn dangerous_classes_win() {
        assert_eq!(risk(json!({"name":"run_command"})), Risk::Exec);
        assert_eq!(
            risk(json!({"name":"get_page","inputSchema":{"properties":{"url":{}}}})),
            Risk::Network
        );
        assert_eq!(risk(json!({"name":"create_payment"})), Risk::Payment);
        assert_eq!(risk(json!({"name":"fetch"})), Risk::Network);
        assert_eq!(
            risk(json!({"name":"get_thing","annotations":{"destructiveHint":true}})),
            Risk::Write
        );
        assert_eq!(risk(json!({"name":"frobnicate"})), Risk::Unknown);
        assert_eq!(
            risk(json!({"name":"frobnicate","annotations":{"readOnlyHint":true}})),
            Risk::Read
        );
    }

    #[test]
    fn suggested_policy_validates_and_allows_only_reads() {
        let report = ScanReport {
            server: "my-fs".into(),
            server_info: json!({}),
            tools: [
                json!({"name":"read_file"}),
                json!({"name":"Read File"}),
                json!({"name":"write_file"}),
                json!({"name":"exec"}),
            ]
            .iter()
            .map(|t| classify("my-fs", t))
            .collect(),
        };
        let yaml = suggest_policy(&report);
        let checked = crate::policy::check_policy("suggested.yaml", yaml.as_bytes());
        assert_eq!(checked.errors(), 0, "{yaml}\n{:?}", checked.diagnostics);
        let p = checked.policy.unwrap();
        let eval = |t: &str| {
            crate::policy::evaluate(&[&p], &json!({"action_type": t, "payload": {}})).result
        };
        use crate::policy::DecisionResult::*;
        assert_eq!(eval("mcp.my-fs.read_file"), Allow);
        assert_eq!(eval("mcp.my-fs.read_file"), Allow);
        assert_eq!(eval("mcp.my-fs.write_file"), Deny);
        assert_eq!(eval("mcp.my-fs.exec"), Deny);
        assert!(yaml.contains("allow_my_fs_read_file_2"), "{yaml}");
        // Nothing to allow: still a valid policy.
        let none = ScanReport {
            server: "x".into(),
            server_info: json!({}),
            tools: vec![],
        };
        assert_eq!(
            crate::policy::check_policy("s.yaml", suggest_policy(&none).as_bytes()).errors(),
            0
        );
    }
}
