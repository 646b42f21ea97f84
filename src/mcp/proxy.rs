//! The stdio governance proxy: the MCP client talks to us on stdin/stdout, we talk to the real
//! server (a child process) on its stdin/stdout, and every `tools/call` is decided by a [`Gate`]
//! (the same authorize handler as `openleash authorize`, locally or over HTTP) before the server
//! sees it.
//!
//! One reader thread per direction. Lines that need no decision are forwarded byte for byte;
//! only `tools/call` requests (which are re-serialised from exactly the value that was
//! authorized) and the responses to `initialize` (server name) and `tools/list` (pinning,
//! `--hide-denied`) are parsed in full.

use super::jsonrpc::{self, Envelope, Frame, LineReader, Parsed};
use super::names;
use super::pins::PinReport;
use crate::action::ValidatedAction;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::authorize::AuthorizeResponse;
use crate::policy::DecisionResult;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Where decisions come from: the local data directory or a server (`--url`).
pub trait Gate: Send + Sync {
    /// The agent the proxy acts for.
    fn agent_id(&self) -> &str;
    /// `subject.principal_id` of the actions (the agent's owner).
    fn subject(&self) -> &str;
    /// A policy decision, audited like `openleash authorize`.
    fn authorize(&self, action: &ValidatedAction) -> Result<AuthorizeResponse>;
    /// Re-authorization of an approved action with its approval token.
    fn reauthorize(&self, action: &ValidatedAction, token: &str) -> Result<AuthorizeResponse>;
    /// Creates an approval request for a REQUIRE_APPROVAL decision; returns its id.
    fn request_approval(&self, decision_id: &str, action: &ValidatedAction) -> Result<String>;
    /// The agent's view of an approval request (`status`, `approval_token` once approved).
    fn approval_view(&self, id: &str) -> Result<Value>;
    /// True only if every call of `action_type` is denied whatever its arguments.
    fn denied_for_every_payload(&self, action_type: &str) -> bool;
    /// True if a policy explicitly allows `action_type` (used for `mcp_changed.*`).
    fn explicitly_allows(&self, action_type: &str) -> bool;
    /// Compares tool definitions with the pins (None: pinning is unavailable).
    fn pin(&self, server: &str, tools: &[Value], accept: bool) -> Option<Result<PinReport>>;
    /// Records an audit event (best effort; may be written after the call returns).
    fn record(&self, event_type: &str, metadata: Value);
    /// Waits until every recorded event is written.
    fn finish(&self);
    /// The owner's output transformations for this agent, in rank order, applied to every
    /// forwarded `tools/call` result. An error withholds the result (fail closed).
    fn transformations(&self) -> Result<Vec<super::transform::IdRule>> {
        Ok(Vec::new())
    }
    /// The MCP server names (`mcp.<server>.…`) the agent's policies name; empty when unknown.
    fn policy_mcp_servers(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The warning for a policy written for other server names than `server` (e.g. a policy from
/// `mcp scan` without `--server-name` and a proxy with one): every call would fall to defaults.
pub fn server_name_mismatch(server: &str, policy_servers: &[String]) -> Option<String> {
    if policy_servers.is_empty() || policy_servers.iter().any(|s| s == server || s == "*") {
        return None;
    }
    Some(format!(
        "WARNING: the agent's policies name MCP server(s) {} but this server is authorized as \
         `{server}` (mcp.{server}.<tool>), so no rule of theirs matches its tools; use the same \
         --server-name for `openleash mcp scan` and `openleash mcp-proxy`",
        policy_servers
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// `mcp-proxy` options.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--server-name`, else `serverInfo.name` from `initialize`.
    pub server_name: Option<String>,
    pub hide_denied: bool,
    /// `--wait-approval`: block a REQUIRE_APPROVAL call until the owner answers.
    pub wait_approval: Option<Duration>,
    pub poll: Duration,
    /// `--accept-changes`: re-pin changed tools on the first `tools/list`.
    pub accept_changes: bool,
    /// How long the server gets to exit after its stdin is closed before it is killed.
    pub shutdown_grace: Duration,
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Initialize,
    ToolsList,
    /// An authorized `tools/call`: its result goes through the output transformations.
    ToolsCall,
    Other,
}

/// An approval the proxy asked for, kept so that the client's retry of the same call can use
/// it once the owner approves.
struct Memo {
    approval_request_id: String,
    action: ValidatedAction,
}

struct Shared {
    gate: Arc<dyn Gate>,
    opts: Options,
    server_name: Mutex<Option<String>>,
    /// Signalled when `server_name` is set from an `initialize` response.
    name_ready: std::sync::Condvar,
    server_gone: AtomicBool,
    /// Requests forwarded to the server and not answered yet: id key → (id, kind).
    pending: Mutex<HashMap<String, (Value, Kind)>>,
    /// Tools (by name as the server spells it) whose definition differs from the pin.
    changed: Mutex<HashSet<String>>,
    approvals: Mutex<HashMap<String, Memo>>,
    accept_pending: AtomicBool,
    client_out: Mutex<Box<dyn Write + Send>>,
    server_in: Mutex<Option<Box<dyn Write + Send>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    fn new(
        gate: Arc<dyn Gate>,
        opts: Options,
        client_out: Box<dyn Write + Send>,
        server_in: Box<dyn Write + Send>,
    ) -> Arc<Shared> {
        let server_name = opts.server_name.as_deref().map(names::normalise);
        Arc::new(Shared {
            gate,
            accept_pending: AtomicBool::new(opts.accept_changes),
            opts,
            server_name: Mutex::new(server_name),
            name_ready: std::sync::Condvar::new(),
            server_gone: AtomicBool::new(false),
            pending: Mutex::new(HashMap::new()),
            changed: Mutex::new(HashSet::new()),
            approvals: Mutex::new(HashMap::new()),
            client_out: Mutex::new(client_out),
            server_in: Mutex::new(Some(server_in)),
        })
    }

    fn warn(&self, msg: &str) {
        eprintln!("openleash mcp-proxy: {msg}");
    }

    fn info(&self, msg: &str) {
        if !self.opts.quiet {
            self.warn(msg);
        }
    }

    fn to_client(&self, line: &[u8]) {
        let mut out = lock(&self.client_out);
        let r = out
            .write_all(line)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush());
        if let Err(e) = r {
            drop(out);
            self.warn(&format!("cannot write to the MCP client: {e}"));
        }
    }

    fn reply(&self, v: &Value) {
        self.to_client(v.to_string().as_bytes());
    }

    fn reply_all(&self, replies: Vec<Value>, batch: bool) {
        if replies.is_empty() {
            return;
        }
        if batch {
            self.reply(&Value::Array(replies));
        } else {
            for r in replies {
                self.reply(&r);
            }
        }
    }

    /// Sends `line` to the server, remembering `requests` (id, kind) as pending first. On a
    /// write failure the requests are answered with an error at once.
    fn to_server(&self, line: &[u8], requests: Vec<(Value, Kind)>) {
        {
            let mut p = lock(&self.pending);
            for (id, kind) in &requests {
                p.insert(jsonrpc::id_key(id), (id.clone(), *kind));
            }
        }
        let mut guard = lock(&self.server_in);
        let r = match guard.as_mut() {
            Some(w) => w
                .write_all(line)
                .and_then(|()| w.write_all(b"\n"))
                .and_then(|()| w.flush()),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the server's input is closed",
            )),
        };
        drop(guard);
        if let Err(e) = r {
            self.warn(&format!("cannot write to the MCP server: {e}"));
            let mut replies = vec![];
            {
                let mut p = lock(&self.pending);
                for (id, _) in &requests {
                    p.remove(&jsonrpc::id_key(id));
                    replies.push(jsonrpc::error_response(
                        id,
                        jsonrpc::SERVER_EXITED,
                        &format!("openleash: the MCP server is not accepting requests ({e})"),
                        None,
                    ));
                }
            }
            self.reply_all(replies, false);
        }
    }

    fn server_name(&self) -> Option<String> {
        lock(&self.server_name).clone()
    }

    /// The server name for a tool call: when a client pipelines calls behind its `initialize`
    /// request, wait (bounded) for that response instead of failing the call.
    fn server_name_for_call(&self) -> Option<String> {
        let initializing = lock(&self.pending)
            .values()
            .any(|(_, k)| *k == Kind::Initialize);
        let guard = lock(&self.server_name);
        if guard.is_some() || !initializing {
            return guard.clone();
        }
        let (guard, _) = self
            .name_ready
            .wait_timeout_while(guard, Duration::from_secs(30), |n| {
                n.is_none() && !self.server_gone.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|p| p.into_inner());
        guard.clone()
    }
}

/// What to do with one client message.
enum Step {
    /// Forward the original bytes (and track the request, if any).
    Raw(Option<(Value, Kind)>),
    /// Forward this text instead (an authorized `tools/call`).
    Text(String, Value),
    /// Answer the client ourselves.
    Reply(Value),
    /// Nothing now (a waiting approval thread or a dropped notification).
    Nothing,
}

/// Runs the proxy until the server exits; returns the server's exit code (128 + signal when it
/// was killed by one).
pub fn run(gate: Arc<dyn Gate>, opts: Options, command: &[OsString]) -> Result<u8> {
    let (program, args) = command.split_first().ok_or_else(|| {
        Error::new(ErrorCode::Usage, "no MCP server command given")
            .with_hint("put the server command after `--`, e.g. `openleash mcp-proxy --agent my-agent -- npx -y @modelcontextprotocol/server-filesystem /tmp`")
    })?;
    let mut child = spawn(program, args)?;
    let (Some(child_in), Some(child_out)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(Error::internal("the MCP server's pipes are missing"));
    };
    let shared = Shared::new(gate, opts, Box::new(std::io::stdout()), Box::new(child_in));

    let (tx, rx) = mpsc::channel::<&'static str>();
    {
        let shared = shared.clone();
        let tx = tx.clone();
        std::thread::spawn(move || {
            client_loop(&shared, std::io::stdin());
            let _ = tx.send("client-eof");
        });
    }
    {
        let shared = shared.clone();
        let tx = tx.clone();
        std::thread::spawn(move || {
            server_loop(&shared, child_out);
            shared.server_gone.store(true, Ordering::SeqCst);
            shared.name_ready.notify_all();
            let _ = tx.send("server-eof");
        });
    }
    let signalled = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The first signal asks for a clean shutdown; a second one ends the proxy at once.
        signal_hook::flag::register_conditional_shutdown(sig, 130, signalled.clone())
            .and_then(|_| signal_hook::flag::register(sig, signalled.clone()))
            .map_err(|e| Error::internal(format!("cannot install the signal handler: {e}")))?;
    }

    let mut kill_at: Option<Instant> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok("server-eof") => break,
            Ok(_) => {
                // The client is gone: close the server's input so it can shut down.
                lock(&shared.server_in).take();
                kill_at.get_or_insert(Instant::now() + shared.opts.shutdown_grace);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if signalled.load(Ordering::Relaxed) && kill_at.is_none() {
            shared.info("signal received: closing the server's input");
            lock(&shared.server_in).take();
            kill_at = Some(Instant::now() + shared.opts.shutdown_grace);
        }
        if kill_at.is_some_and(|t| Instant::now() >= t) {
            shared.warn("the MCP server did not exit after its input was closed; killing it");
            let _ = child.kill();
            kill_at = Some(Instant::now() + Duration::from_secs(3600));
        }
    }
    // The server closed its output: wait for it to exit (kill it if it lingers).
    let deadline = Instant::now() + shared.opts.shutdown_grace;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                break child.wait().ok();
            }
            Err(_) => break None,
        }
    };
    let code = exit_code(status);
    let left: Vec<(Value, Kind)> = lock(&shared.pending).drain().map(|(_, v)| v).collect();
    if !left.is_empty() {
        shared.warn(&format!(
            "the MCP server exited (code {code}) with {} request(s) unanswered",
            left.len()
        ));
    }
    for (id, _) in left {
        shared.reply(&jsonrpc::error_response(
            &id,
            jsonrpc::SERVER_EXITED,
            &format!("openleash: the MCP server exited (code {code}) before answering"),
            Some(json!({ "exit_code": code })),
        ));
    }
    shared.gate.finish();
    Ok(code)
}

/// Starts the MCP server with piped stdin/stdout and its stderr passed through.
pub(crate) fn spawn(program: &OsString, args: &[OsString]) -> Result<Child> {
    Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| {
            let shown = program.to_string_lossy();
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                ErrorCode::NotFound
            } else {
                ErrorCode::Io
            };
            Error::new(code, format!("cannot start the MCP server `{shown}`: {e}")).with_hint(
                "check the command after `--` (it must be on PATH or a path to an executable)",
            )
        })
}

/// The exit code for the server's status: its code, or 128 + the signal that killed it.
pub fn exit_code(status: Option<std::process::ExitStatus>) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match status {
        Some(s) => match (s.code(), s.signal()) {
            (Some(c), _) => u8::try_from(c & 0xff).unwrap_or(1),
            (None, Some(sig)) => u8::try_from((128 + sig) & 0xff).unwrap_or(1),
            _ => 1,
        },
        None => 1,
    }
}

// ---------------------------------------------------------------------------------------------
// Client → server

fn client_loop(shared: &Arc<Shared>, input: impl std::io::Read) {
    let mut reader = LineReader::new(input);
    loop {
        match reader.next_frame() {
            Ok(Some(Frame::Line(line))) => client_line(shared, &line),
            Ok(Some(Frame::TooLong(n))) => {
                shared.warn(&format!(
                    "the client sent a message of {n} bytes, over the {} byte limit; not forwarded",
                    jsonrpc::MAX_MESSAGE_BYTES
                ));
                shared.reply(&jsonrpc::error_response(
                    &Value::Null,
                    jsonrpc::INVALID_REQUEST,
                    "openleash: message too large",
                    None,
                ));
            }
            Ok(None) => return,
            Err(e) => {
                shared.warn(&format!("reading from the MCP client failed: {e}"));
                return;
            }
        }
    }
}

fn client_line(shared: &Arc<Shared>, line: &[u8]) {
    match jsonrpc::parse_line(line) {
        Err(e) => {
            shared.warn(&format!(
                "the client sent malformed JSON-RPC ({e}); not forwarded"
            ));
            shared.reply(&jsonrpc::error_response(
                &Value::Null,
                jsonrpc::PARSE_ERROR,
                &format!("openleash: malformed JSON-RPC message: {e}"),
                None,
            ));
        }
        Ok(Parsed::Single(env)) => match client_step(shared, &env, line) {
            Step::Raw(track) => shared.to_server(line, track.into_iter().collect()),
            Step::Text(text, id) => shared.to_server(text.as_bytes(), vec![(id, Kind::ToolsCall)]),
            Step::Reply(v) => shared.reply(&v),
            Step::Nothing => {}
        },
        Ok(Parsed::Batch(items)) => {
            let mut forward: Vec<String> = vec![];
            let mut track = vec![];
            let mut replies = vec![];
            let mut all_raw = true;
            for (raw, env) in items {
                let step = match env {
                    Ok(env) => client_step(shared, &env, raw.get().as_bytes()),
                    Err(e) => {
                        shared.warn(&format!("the client sent an invalid batch element ({e})"));
                        Step::Reply(jsonrpc::error_response(
                            &Value::Null,
                            jsonrpc::INVALID_REQUEST,
                            &format!("openleash: invalid JSON-RPC message: {e}"),
                            None,
                        ))
                    }
                };
                match step {
                    Step::Raw(t) => {
                        forward.push(raw.get().to_string());
                        track.extend(t);
                    }
                    Step::Text(text, id) => {
                        all_raw = false;
                        forward.push(text);
                        track.push((id, Kind::ToolsCall));
                    }
                    Step::Reply(v) => {
                        all_raw = false;
                        replies.push(v);
                    }
                    Step::Nothing => all_raw = false,
                }
            }
            if all_raw {
                shared.to_server(line, track);
            } else if !forward.is_empty() {
                shared.to_server(format!("[{}]", forward.join(",")).as_bytes(), track);
            }
            shared.reply_all(replies, true);
        }
    }
}

fn client_step(shared: &Arc<Shared>, env: &Envelope, raw: &[u8]) -> Step {
    match env.method.as_deref() {
        Some("tools/call") => {
            let Some(id) = env.id.clone() else {
                shared.warn("the client sent tools/call as a notification (no id); dropped");
                return Step::Nothing;
            };
            match serde_json::from_slice::<Value>(raw) {
                Ok(msg) => tools_call(shared, id, msg),
                Err(e) => Step::Reply(jsonrpc::error_response(
                    &id,
                    jsonrpc::PARSE_ERROR,
                    &format!("openleash: malformed tools/call: {e}"),
                    None,
                )),
            }
        }
        Some(method) => {
            let kind = match method {
                "initialize" => Kind::Initialize,
                "tools/list" => Kind::ToolsList,
                _ => Kind::Other,
            };
            Step::Raw(env.id.clone().map(|id| (id, kind)))
        }
        None => Step::Raw(None),
    }
}

/// The decision for one `tools/call` request `msg` with id `id`.
fn tools_call(shared: &Arc<Shared>, id: Value, msg: Value) -> Step {
    let params = msg.get("params").cloned().unwrap_or(Value::Null);
    let Some(tool) = params
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return Step::Reply(jsonrpc::error_response(
            &id,
            -32602,
            "openleash: tools/call needs params.name (the tool's name)",
            None,
        ));
    };
    let arguments = params
        .get("arguments")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let Some(server) = shared.server_name_for_call() else {
        return Step::Reply(jsonrpc::error_response(
            &id,
            jsonrpc::AUTHORIZATION_FAILED,
            "openleash: the server's name is not known yet (no initialize response); start with initialize or pass --server-name",
            None,
        ));
    };
    let action_type = names::action_type(&server, &tool);
    let gate = &shared.gate;

    if lock(&shared.changed).contains(&tool) {
        let accept_type = names::changed_action_type(&server, &tool);
        if !gate.explicitly_allows(&accept_type) {
            gate.record(
                "MCP_TOOL_CALL_BLOCKED",
                json!({
                    "agent_id": gate.agent_id(), "server": server, "tool": tool,
                    "action_type": action_type, "reason": "tool definition changed since it was pinned",
                }),
            );
            return Step::Reply(jsonrpc::error_response(
                &id,
                jsonrpc::TOOL_CHANGED,
                &format!(
                    "openleash: the definition of tool {tool:?} changed since it was pinned; calls are blocked until the owner runs `openleash mcp-proxy --accept-changes` or a policy allows {accept_type}"
                ),
                Some(json!({ "action_type": action_type, "tool": tool })),
            ));
        }
    }

    let payload = json!({ "server": server, "tool": tool, "arguments": arguments });
    let memo_key =
        serde_json_canonicalizer::to_string(&payload).unwrap_or_else(|_| payload.to_string());
    if let Some(step) = retry_with_approval(shared, &id, &msg, &memo_key, &action_type) {
        return step;
    }
    let action = match build_action(gate.as_ref(), &action_type, payload) {
        Ok(a) => a,
        Err(e) => return Step::Reply(failed(&id, &action_type, &e)),
    };
    let response = match gate.authorize(&action) {
        Ok(r) => r,
        Err(e) => return Step::Reply(failed(&id, &action_type, &e)),
    };
    match response.result {
        DecisionResult::Allow => forward_allowed(shared, id, &msg, &action_type, &response),
        DecisionResult::RequireApproval => {
            let approval_id = match gate.request_approval(&response.decision_id, &action) {
                Ok(a) => a,
                Err(e) => return Step::Reply(failed(&id, &action_type, &e)),
            };
            shared.info(&format!(
                "{action_type} needs approval: request {approval_id} (approve with `openleash approval approve {approval_id}`)"
            ));
            match shared.opts.wait_approval {
                Some(wait) => {
                    let shared = shared.clone();
                    std::thread::spawn(move || {
                        wait_and_forward(&shared, id, msg, action, approval_id, action_type, wait)
                    });
                    Step::Nothing
                }
                None => {
                    lock(&shared.approvals).insert(
                        memo_key,
                        Memo {
                            approval_request_id: approval_id.clone(),
                            action,
                        },
                    );
                    Step::Reply(pending_reply(&id, &action_type, &approval_id, &response))
                }
            }
        }
        _ => Step::Reply(denied_reply(&id, &action_type, &response)),
    }
}

/// A retry of a call the proxy asked approval for: use the approval once it is granted.
fn retry_with_approval(
    shared: &Arc<Shared>,
    id: &Value,
    msg: &Value,
    memo_key: &str,
    action_type: &str,
) -> Option<Step> {
    let (approval_id, action) = {
        let memos = lock(&shared.approvals);
        let m = memos.get(memo_key)?;
        (m.approval_request_id.clone(), m.action.clone())
    };
    let view = match shared.gate.approval_view(&approval_id) {
        Ok(v) => v,
        Err(e) => return Some(Step::Reply(failed(id, action_type, &e))),
    };
    match view["status"].as_str() {
        Some("PENDING") => Some(Step::Reply(jsonrpc::error_response(
            id,
            jsonrpc::APPROVAL_PENDING,
            &format!(
                "openleash: {action_type} is waiting for the owner's approval (request {approval_id}); retry after `openleash approval approve {approval_id}`"
            ),
            Some(
                json!({ "approval_request_id": approval_id, "status": "PENDING", "action_type": action_type }),
            ),
        ))),
        Some("APPROVED") => {
            lock(&shared.approvals).remove(memo_key);
            let token = view["approval_token"].as_str().unwrap_or_default();
            match shared.gate.reauthorize(&action, token) {
                Ok(r) if r.result == DecisionResult::Allow => {
                    Some(forward_allowed(shared, id.clone(), msg, action_type, &r))
                }
                Ok(r) => Some(Step::Reply(denied_reply(id, action_type, &r))),
                Err(e) => Some(Step::Reply(failed(id, action_type, &e))),
            }
        }
        _ => {
            // Denied or expired: forget it and decide the call afresh.
            lock(&shared.approvals).remove(memo_key);
            None
        }
    }
}

fn wait_and_forward(
    shared: &Arc<Shared>,
    id: Value,
    msg: Value,
    action: ValidatedAction,
    approval_id: String,
    action_type: String,
    wait: Duration,
) {
    let start = Instant::now();
    let view = loop {
        match shared.gate.approval_view(&approval_id) {
            Ok(v) if v["status"] != "PENDING" || start.elapsed() >= wait => break v,
            Ok(_) => std::thread::sleep(
                shared
                    .opts
                    .poll
                    .min(wait.saturating_sub(start.elapsed()))
                    .max(Duration::from_millis(1)),
            ),
            Err(e) => {
                shared.reply(&failed(&id, &action_type, &e));
                return;
            }
        }
    };
    let status = view["status"].as_str().unwrap_or("?").to_string();
    let step = match status.as_str() {
        "APPROVED" => {
            let token = view["approval_token"].as_str().unwrap_or_default();
            match shared.gate.reauthorize(&action, token) {
                Ok(r) if r.result == DecisionResult::Allow => {
                    forward_allowed(shared, id, &msg, &action_type, &r)
                }
                Ok(r) => Step::Reply(denied_reply(&id, &action_type, &r)),
                Err(e) => Step::Reply(failed(&id, &action_type, &e)),
            }
        }
        "PENDING" => Step::Reply(jsonrpc::error_response(
            &id,
            jsonrpc::APPROVAL_PENDING,
            &format!(
                "openleash: no answer to approval request {approval_id} for {action_type} within {} s",
                wait.as_secs()
            ),
            Some(
                json!({ "approval_request_id": approval_id, "status": "PENDING", "action_type": action_type }),
            ),
        )),
        other => Step::Reply(jsonrpc::error_response(
            &id,
            jsonrpc::APPROVAL_REFUSED,
            &format!(
                "openleash: approval request {approval_id} for {action_type} is {other}{}",
                view["denial_reason"]
                    .as_str()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
            Some(
                json!({ "approval_request_id": approval_id, "status": other, "action_type": action_type }),
            ),
        )),
    };
    match step {
        Step::Text(text, id) => shared.to_server(text.as_bytes(), vec![(id, Kind::ToolsCall)]),
        Step::Reply(v) => shared.reply(&v),
        Step::Raw(_) | Step::Nothing => {}
    }
}

fn forward_allowed(
    shared: &Arc<Shared>,
    id: Value,
    msg: &Value,
    action_type: &str,
    r: &AuthorizeResponse,
) -> Step {
    shared.gate.record(
        "MCP_TOOL_CALL_FORWARDED",
        json!({
            "agent_id": shared.gate.agent_id(),
            "action_type": action_type,
            "decision_id": r.decision_id,
            "action_id": r.action_id,
            "action_hash": r.action_hash,
            "jsonrpc_id": id,
            "proof_token": r.proof_token,
        }),
    );
    Step::Text(msg.to_string(), id)
}

fn build_action(gate: &dyn Gate, action_type: &str, payload: Value) -> Result<ValidatedAction> {
    ValidatedAction::from_value(json!({
        "action_id": crate::ids::new_id(),
        "action_type": action_type,
        "requested_at": crate::timefmt::now_string(),
        "principal": { "agent_id": gate.agent_id() },
        "subject": { "principal_id": gate.subject() },
        "payload": payload,
    }))
}

fn decision_data(action_type: &str, r: &AuthorizeResponse) -> Value {
    json!({
        "action_type": action_type,
        "result": r.result,
        "decision_id": r.decision_id,
        "matched_rule_id": r.matched_rule_id,
        "reason": r.reason,
    })
}

fn denied_reply(id: &Value, action_type: &str, r: &AuthorizeResponse) -> Value {
    let what = match r.result {
        DecisionResult::Deny => "denied".to_string(),
        other => format!(
            "refused ({}, which the MCP proxy cannot satisfy)",
            other.as_str()
        ),
    };
    jsonrpc::error_response(
        id,
        jsonrpc::DENIED,
        &format!("openleash {what} {action_type}: {}", r.reason),
        Some(decision_data(action_type, r)),
    )
}

fn pending_reply(id: &Value, action_type: &str, approval_id: &str, r: &AuthorizeResponse) -> Value {
    let mut data = decision_data(action_type, r);
    data["approval_request_id"] = json!(approval_id);
    data["status"] = json!("PENDING");
    jsonrpc::error_response(
        id,
        jsonrpc::APPROVAL_PENDING,
        &format!(
            "openleash: {action_type} requires the owner's approval ({}); approval request {approval_id} is pending — retry the same call once it is approved",
            r.reason
        ),
        Some(data),
    )
}

fn failed(id: &Value, action_type: &str, e: &Error) -> Value {
    jsonrpc::error_response(
        id,
        jsonrpc::AUTHORIZATION_FAILED,
        &format!("openleash: no decision for {action_type}: {e}"),
        Some(json!({ "action_type": action_type, "error_code": e.code.as_str() })),
    )
}

// ---------------------------------------------------------------------------------------------
// Server → client

fn server_loop(shared: &Arc<Shared>, output: impl std::io::Read) {
    let mut reader = LineReader::new(output);
    loop {
        match reader.next_frame() {
            Ok(Some(Frame::Line(line))) => server_line(shared, &line),
            Ok(Some(Frame::TooLong(n))) => shared.warn(&format!(
                "the MCP server sent a message of {n} bytes, over the {} byte limit; dropped",
                jsonrpc::MAX_MESSAGE_BYTES
            )),
            Ok(None) => return,
            Err(e) => {
                shared.warn(&format!("reading from the MCP server failed: {e}"));
                return;
            }
        }
    }
}

fn server_line(shared: &Arc<Shared>, line: &[u8]) {
    match jsonrpc::parse_line(line) {
        Err(e) => shared.warn(&format!(
            "the MCP server sent malformed JSON-RPC ({e}); not forwarded: {}",
            preview(line)
        )),
        Ok(Parsed::Single(env)) => match server_step(shared, &env, line) {
            Some(text) => shared.to_client(text.as_bytes()),
            None => shared.to_client(line),
        },
        Ok(Parsed::Batch(items)) => {
            let mut parts = vec![];
            let mut changed = false;
            for (raw, env) in items {
                match env {
                    Ok(env) => match server_step(shared, &env, raw.get().as_bytes()) {
                        Some(text) => {
                            changed = true;
                            parts.push(text);
                        }
                        None => parts.push(raw.get().to_string()),
                    },
                    Err(e) => {
                        changed = true;
                        shared.warn(&format!(
                            "the MCP server sent an invalid batch element ({e}); dropped"
                        ));
                    }
                }
            }
            if !changed {
                shared.to_client(line);
            } else if !parts.is_empty() {
                shared.to_client(format!("[{}]", parts.join(",")).as_bytes());
            }
        }
    }
}

fn preview(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(&line[..line.len().min(120)]).to_string();
    if line.len() > 120 {
        format!("{s}…")
    } else {
        s
    }
}

/// A replacement text for a server message, or `None` to forward it unchanged.
fn server_step(shared: &Arc<Shared>, env: &Envelope, raw: &[u8]) -> Option<String> {
    if !env.is_response() {
        return None;
    }
    let key = jsonrpc::id_key(env.id.as_ref()?);
    let (_, kind) = lock(&shared.pending).remove(&key)?;
    match kind {
        Kind::Other => None,
        Kind::ToolsCall => transformed(shared, raw),
        Kind::Initialize => {
            let name = serde_json::from_slice::<Value>(raw)
                .ok()
                .and_then(|v| {
                    v["result"]["serverInfo"]["name"]
                        .as_str()
                        .map(str::to_string)
                })
                .unwrap_or_default();
            let mut guard = lock(&shared.server_name);
            if guard.is_none() {
                let normalised = names::normalise(&name);
                shared.info(&format!(
                    "server name: {normalised} (tool calls are authorized as mcp.{normalised}.<tool>)"
                ));
                *guard = Some(normalised);
            }
            let server = guard.clone().unwrap_or_default();
            drop(guard);
            if let Some(w) = server_name_mismatch(&server, &shared.gate.policy_mcp_servers()) {
                shared.warn(&w);
            }
            shared.name_ready.notify_all();
            None
        }
        Kind::ToolsList => {
            let mut v: Value = serde_json::from_slice(raw).ok()?;
            let tools = v.get_mut("result")?.get_mut("tools")?.as_array_mut()?;
            tools_list(shared, tools).then(|| v.to_string())
        }
    }
}

/// A `tools/call` response with the owner's output transformations applied, or `None` when
/// none changed it. If the rules cannot be loaded the result is withheld: forwarding it could
/// pass on exactly what a rule was meant to redact.
fn transformed(shared: &Arc<Shared>, raw: &[u8]) -> Option<String> {
    let mut v: Value = serde_json::from_slice(raw).ok()?;
    let rules = match shared.gate.transformations() {
        Ok(r) if r.is_empty() => return None,
        Ok(r) => r,
        Err(e) => {
            shared.warn(&format!(
                "cannot load the output transformations ({}); the tool's result is withheld",
                e.message
            ));
            return Some(
                jsonrpc::error_response(
                    &v["id"],
                    jsonrpc::AUTHORIZATION_FAILED,
                    &format!(
                        "openleash: the output transformations could not be loaded, so the tool's result is withheld: {}",
                        e.message
                    ),
                    None,
                )
                .to_string(),
            );
        }
    };
    let changed = super::transform::apply_to_response(&mut v, &rules);
    if changed.is_empty() {
        return None;
    }
    shared.gate.record(
        "MCP_OUTPUT_TRANSFORMED",
        json!({
            "agent_id": shared.gate.agent_id(),
            "jsonrpc_id": v["id"],
            "transformation_ids": changed,
        }),
    );
    Some(v.to_string())
}

/// Pins and (with `--hide-denied`) filters one `tools/list` page; true if `tools` was changed.
fn tools_list(shared: &Arc<Shared>, tools: &mut Vec<Value>) -> bool {
    let Some(server) = shared.server_name() else {
        shared.warn("tools/list answered before the server's name is known; tools are not pinned");
        return false;
    };
    let accept = shared.accept_pending.swap(false, Ordering::SeqCst);
    let names_on_page: Vec<String> = tools
        .iter()
        .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    match shared.gate.pin(&server, tools, accept) {
        None => {}
        Some(Ok(report)) => {
            let mut changed = lock(&shared.changed);
            for n in &names_on_page {
                changed.remove(n);
            }
            if !report.new.is_empty() {
                shared.info(&format!(
                    "pinned {} tool definition(s) of {server}: {}",
                    report.new.len(),
                    report.new.join(", ")
                ));
            }
            for n in &report.accepted {
                shared.warn(&format!(
                    "accepted the changed definition of tool {n:?} (re-pinned)"
                ));
                shared.gate.record(
                    "MCP_TOOL_REPINNED",
                    json!({ "agent_id": shared.gate.agent_id(), "server": server, "tool": n }),
                );
            }
            for (n, old, new) in &report.changed {
                shared.warn(&format!(
                    "WARNING: the definition of tool {n:?} of {server} changed since it was pinned (sha256 {} → {}); its calls are denied until `openleash mcp-proxy --accept-changes`",
                    &old[..12.min(old.len())],
                    &new[..12.min(new.len())]
                ));
                shared.gate.record(
                    "MCP_TOOL_CHANGED",
                    json!({
                        "agent_id": shared.gate.agent_id(), "server": server, "tool": n,
                        "pinned_sha256": old, "current_sha256": new,
                    }),
                );
                changed.insert(n.clone());
            }
        }
        Some(Err(e)) => {
            shared.warn(&format!(
                "cannot check the pinned tool definitions ({e}); every listed tool is treated as changed"
            ));
            lock(&shared.changed).extend(names_on_page.iter().cloned());
        }
    }
    if !shared.opts.hide_denied {
        return false;
    }
    let before = tools.len();
    tools.retain(|t| {
        let name = t.get("name").and_then(Value::as_str).unwrap_or("");
        !shared
            .gate
            .denied_for_every_payload(&names::action_type(&server, name))
    });
    let hidden = before - tools.len();
    if hidden > 0 {
        shared.info(&format!(
            "hid {hidden} tool(s) that the policy denies for every argument"
        ));
    }
    hidden > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_for_another_server_name_is_reported() {
        let scanned = vec!["secure-filesystem-server".to_string()];
        let w = server_name_mismatch("fs", &scanned).unwrap();
        assert!(
            w.contains("`secure-filesystem-server`") && w.contains("--server-name"),
            "{w}"
        );
        assert!(server_name_mismatch("secure-filesystem-server", &scanned).is_none());
        assert!(server_name_mismatch("fs", &[]).is_none());
        assert!(server_name_mismatch("fs", &["*".to_string()]).is_none());
    }

    /// A writer whose bytes the test can read.
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buf {
        fn lines(&self) -> Vec<String> {
            String::from_utf8(lock(&self.0).clone())
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        }
        fn json(&self) -> Vec<Value> {
            self.lines()
                .iter()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        }
    }

    /// Decides by action type: `allow` → ALLOW, everything else DENY by rule `r`.
    struct FakeGate {
        allow: Vec<&'static str>,
        hidden: Vec<&'static str>,
        changed: Vec<&'static str>,
        events: Mutex<Vec<String>>,
    }

    impl Gate for FakeGate {
        fn agent_id(&self) -> &str {
            "a"
        }
        fn subject(&self) -> &str {
            "00000000-0000-0000-0000-000000000001"
        }
        fn authorize(&self, action: &ValidatedAction) -> Result<AuthorizeResponse> {
            let allow = self.allow.contains(&action.action_type());
            Ok(AuthorizeResponse {
                decision_id: "d".into(),
                action_id: action.action_id().into(),
                action_hash: action.action_hash().into(),
                result: if allow {
                    DecisionResult::Allow
                } else {
                    DecisionResult::Deny
                },
                matched_rule_id: Some("r".into()),
                reason: "because".into(),
                proof_token: None,
                proof_expires_at: None,
                obligations: vec![],
            })
        }
        fn reauthorize(&self, action: &ValidatedAction, _: &str) -> Result<AuthorizeResponse> {
            self.authorize(action)
        }
        fn request_approval(&self, _: &str, _: &ValidatedAction) -> Result<String> {
            Err(Error::internal("not in this test"))
        }
        fn approval_view(&self, _: &str) -> Result<Value> {
            Err(Error::internal("not in this test"))
        }
        fn denied_for_every_payload(&self, t: &str) -> bool {
            self.hidden.contains(&t)
        }
        fn explicitly_allows(&self, _: &str) -> bool {
            false
        }
        fn pin(&self, _: &str, tools: &[Value], _: bool) -> Option<Result<PinReport>> {
            let changed = tools
                .iter()
                .filter_map(|t| t["name"].as_str())
                .filter(|n| self.changed.contains(n))
                .map(|n| (n.to_string(), "old".into(), "new".into()))
                .collect();
            Some(Ok(PinReport {
                changed,
                ..PinReport::default()
            }))
        }
        fn record(&self, event_type: &str, _: Value) {
            lock(&self.events).push(event_type.to_string());
        }
        fn finish(&self) {}
    }

    fn setup(gate: FakeGate, hide: bool) -> (Arc<Shared>, Arc<FakeGate>, Buf, Buf) {
        let gate = Arc::new(gate);
        let (client, server) = (Buf::default(), Buf::default());
        let opts = Options {
            server_name: Some("Fake Server".into()),
            hide_denied: hide,
            wait_approval: None,
            poll: Duration::from_millis(1),
            accept_changes: false,
            shutdown_grace: Duration::from_secs(1),
            quiet: true,
        };
        let shared = Shared::new(
            gate.clone(),
            opts,
            Box::new(client.clone()),
            Box::new(server.clone()),
        );
        (shared, gate, client, server)
    }

    fn gate(allow: &[&'static str]) -> FakeGate {
        FakeGate {
            allow: allow.to_vec(),
            hidden: vec![],
            changed: vec![],
            events: Mutex::new(vec![]),
        }
    }

    #[test]
    fn other_messages_are_forwarded_byte_for_byte() {
        let (shared, _, client, server) = setup(gate(&[]), false);
        let line = r#"{ "jsonrpc" : "2.0", "id" : 1, "method" : "resources/list" }"#;
        client_line(&shared, line.as_bytes());
        let note = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
        client_line(&shared, note.as_bytes());
        assert_eq!(server.lines(), vec![line.to_string(), note.to_string()]);
        assert!(client.lines().is_empty());
        // The answer comes back unchanged too.
        let answer = r#"{"jsonrpc": "2.0", "id": 1, "result": {"resources": []}}"#;
        server_line(&shared, answer.as_bytes());
        assert_eq!(client.lines(), vec![answer.to_string()]);
        assert!(lock(&shared.pending).is_empty());
    }

    #[test]
    fn allowed_calls_are_forwarded_and_denied_calls_answered_here() {
        let (shared, gate, client, server) = setup(gate(&["mcp.fake_server.read"]), false);
        client_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read","arguments":{"p":1}}}"#,
        );
        client_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"write","arguments":{}}}"#,
        );
        let forwarded = server.json();
        assert_eq!(forwarded.len(), 1);
        assert_eq!(forwarded[0]["params"]["arguments"], json!({"p": 1}));
        let answers = client.json();
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0]["id"], 8);
        assert_eq!(answers[0]["error"]["code"], jsonrpc::DENIED);
        assert_eq!(
            answers[0]["error"]["message"],
            "openleash denied mcp.fake_server.write: because"
        );
        assert_eq!(*lock(&gate.events), vec!["MCP_TOOL_CALL_FORWARDED"]);
    }

    #[test]
    fn a_batch_is_split_between_server_and_proxy() {
        let (shared, _, client, server) = setup(gate(&["mcp.fake_server.read"]), false);
        client_line(
            &shared,
            br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"write"}},{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read"}}]"#,
        );
        let sent = server.json();
        assert_eq!(sent.len(), 1);
        let ids: Vec<_> = sent[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].clone())
            .collect();
        assert_eq!(ids, vec![json!(1), json!(3)]);
        let answers = client.json();
        assert_eq!(answers[0][0]["id"], 2);
        assert_eq!(lock(&shared.pending).len(), 2);
    }

    #[test]
    fn tools_list_is_filtered_and_changed_tools_are_blocked() {
        let mut g = gate(&["mcp.fake_server.read", "mcp.fake_server.exec"]);
        g.hidden = vec!["mcp.fake_server.exec"];
        g.changed = vec!["read"];
        let (shared, gate, client, server) = setup(g, true);
        client_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":"l","method":"tools/list"}"#,
        );
        assert_eq!(server.lines().len(), 1);
        server_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":"l","result":{"tools":[{"name":"read"},{"name":"exec"},{"name":"other"}]}}"#,
        );
        let listed = client.json();
        let names: Vec<_> = listed[0]["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].clone())
            .collect();
        assert_eq!(names, vec![json!("read"), json!("other")]);
        client_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"read"}}"#,
        );
        assert_eq!(
            server.lines().len(),
            1,
            "the changed tool's call was not forwarded"
        );
        assert_eq!(client.json()[1]["error"]["code"], jsonrpc::TOOL_CHANGED);
        let events = lock(&gate.events).clone();
        assert_eq!(events, vec!["MCP_TOOL_CHANGED", "MCP_TOOL_CALL_BLOCKED"]);
    }

    #[test]
    fn the_server_name_comes_from_initialize() {
        let (shared, _, _, _) = setup(gate(&[]), false);
        *lock(&shared.server_name) = None;
        client_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#,
        );
        server_line(
            &shared,
            br#"{"jsonrpc":"2.0","id":0,"result":{"serverInfo":{"name":"My FS.Server"}}}"#,
        );
        assert_eq!(shared.server_name().as_deref(), Some("my_fs_server"));
    }

    #[test]
    fn exit_codes() {
        use std::os::unix::process::ExitStatusExt;
        let st = std::process::ExitStatus::from_raw;
        assert_eq!(exit_code(Some(st(3 << 8))), 3);
        assert_eq!(exit_code(Some(st(9))), 137);
        assert_eq!(exit_code(None), 1);
    }
}
