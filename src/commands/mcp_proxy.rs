//! `openleash mcp-proxy`: run an MCP server behind the governance proxy of [`crate::mcp::proxy`],
//! deciding tool calls on the local data directory or, with `--url`/`--remote`, on a server.
//!
//! Standard output belongs to the MCP client, so everything this command reports goes to
//! standard error.

use super::Ctx;
use crate::action::ValidatedAction;
use crate::audit::NewEvent;
use crate::cli::McpProxyArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::handlers::approvals::{self, CreateApprovalRequest, OwnerScope};
use crate::handlers::authorize::{AuthorizeResponse, authorize_with};
use crate::mcp::pins::{self, PinReport};
use crate::mcp::proxy::{self, Gate, Options};
use crate::policy::{ActionPattern, DecisionResult};
use crate::remote::Client;
use crate::store::DataDir;
use crate::store::agents::Agent;
use crate::store::filecache::{AgentCache, FileCache};
use serde_json::{Value, json};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub fn run(args: McpProxyArgs, ctx: &Ctx) -> Result<u8> {
    let gate: Arc<dyn Gate> = match super::agent::remote_url(&args.remote)? {
        Some(url) => {
            let (client, agent_id) =
                super::agent::signed_client(&url, &args.remote, args.agent.clone())?;
            let me = client.get("/v1/agent/self")?;
            let subject = me["owner_id"].as_str().unwrap_or_default().to_string();
            if args.hide_denied {
                eprintln!(
                    "openleash mcp-proxy: --hide-denied needs the policies, which stay on the server in remote mode; every tool is listed (calls are still decided by the server)"
                );
            }
            let local = ctx.data_if_present();
            if local.is_none() {
                eprintln!(
                    "openleash mcp-proxy: no initialised data directory at {}: tool definitions are not pinned (run `openleash init` there, or pass --data-dir)",
                    ctx.data_dir.display()
                );
            }
            Arc::new(RemoteGate {
                client,
                agent_id,
                subject,
                local,
            })
        }
        None => {
            let dd = ctx.data()?;
            let agent = match &args.agent {
                Some(a) => dd.agent(a)?,
                None => dd.only_active_agent()?,
            };
            if !agent.is_active() {
                return Err(Error::new(
                    crate::error::ErrorCode::AgentInactive,
                    format!("agent {:?} is {}", agent.agent_id, agent.status),
                )
                .with_hint("an owner can re-activate it with `openleash agent activate`"));
            }
            Arc::new(LocalGate::new(
                dd,
                agent.agent_id.clone(),
                agent.owner_id.clone(),
            ))
        }
    };
    let opts = Options {
        server_name: args.server_name.clone(),
        hide_denied: args.hide_denied,
        wait_approval: args.wait_approval.map(Duration::from_secs),
        poll: Duration::from_millis(args.poll_ms.max(1)),
        accept_changes: args.accept_changes,
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        quiet: ctx.out.quiet,
    };
    proxy::run(gate, opts, &args.command)
}

/// Decisions, approvals, pins and audit on the local data directory. The agent and the config
/// are cached by file identity: a long-running proxy sees a CLI change on its next call without
/// re-reading and re-parsing unchanged files on every tool call.
struct LocalGate {
    dd: DataDir,
    agent_id: String,
    subject: String,
    recorder: Recorder,
    agents: AgentCache,
    config: FileCache<Config>,
}

impl LocalGate {
    fn new(dd: DataDir, agent_id: String, subject: String) -> LocalGate {
        let recorder = Recorder::start(dd.clone());
        LocalGate {
            dd,
            agent_id,
            subject,
            recorder,
            agents: AgentCache::default(),
            config: FileCache::default(),
        }
    }

    fn agent(&self) -> Result<Arc<Agent>> {
        self.agents.get(&self.dd, &self.agent_id)
    }

    fn config(&self) -> Result<Arc<Config>> {
        let path = self.dd.config_path();
        self.config
            .get(std::slice::from_ref(&path), || Config::load(&path))
    }

    fn policy(&self) -> Result<Arc<crate::policy::EffectivePolicy>> {
        let agent = self.agent()?;
        crate::policy::resolve_for_agent(&self.dd, &agent)
    }
}

impl Gate for LocalGate {
    fn agent_id(&self) -> &str {
        &self.agent_id
    }

    fn subject(&self) -> &str {
        &self.subject
    }

    fn authorize(&self, action: &ValidatedAction) -> Result<AuthorizeResponse> {
        let agent = self.agent()?;
        authorize_with(&self.dd, &*self.config()?, &agent, action, None)
    }

    fn reauthorize(&self, action: &ValidatedAction, token: &str) -> Result<AuthorizeResponse> {
        let agent = self.agent()?;
        authorize_with(&self.dd, &*self.config()?, &agent, action, Some(token))
    }

    fn request_approval(&self, decision_id: &str, action: &ValidatedAction) -> Result<String> {
        let agent = self.agent()?;
        let v = approvals::create(
            &self.dd,
            &*self.config()?,
            &agent,
            CreateApprovalRequest {
                decision_id: decision_id.to_string(),
                action: action.value().clone(),
                justification: Some(format!(
                    "MCP tool call {} through openleash mcp-proxy",
                    action.action_type()
                )),
                context: Some(json!({ "via": "mcp-proxy" })),
            },
        )?;
        Ok(v["approval_request_id"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    fn approval_view(&self, id: &str) -> Result<Value> {
        let r = approvals::get(&self.dd, OwnerScope::All, id)?;
        Ok(approvals::agent_view(&r, crate::timefmt::now()))
    }

    fn denied_for_every_payload(&self, action_type: &str) -> bool {
        match self.policy() {
            Ok(p) => crate::policy::blind::denied_for_every_payload(&p.policies(), action_type),
            Err(_) => false,
        }
    }

    fn explicitly_allows(&self, action_type: &str) -> bool {
        let Ok(p) = self.policy() else {
            return false;
        };
        let eval = p.evaluate(&json!({ "action_type": action_type, "payload": {} }));
        eval.result == DecisionResult::Allow
            && p.matched_layer(&eval)
                .zip(eval.matched_rule_id.as_deref())
                .and_then(|(layer, id)| layer.policy.rule(id))
                .is_some_and(|rule| rule.action != ActionPattern::Any)
    }

    fn pin(&self, server: &str, tools: &[Value], accept: bool) -> Option<Result<PinReport>> {
        Some(pins::check_and_pin(&self.dd, server, tools, accept))
    }

    fn policy_mcp_servers(&self) -> Vec<String> {
        let Ok(p) = self.policy() else {
            return Vec::new();
        };
        let mut names: Vec<String> = p
            .policies()
            .iter()
            .flat_map(|c| c.rules.iter())
            .filter_map(|r| {
                let source = r.action.source();
                let rest = source.strip_prefix("mcp.")?;
                Some(rest.split('.').next().unwrap_or_default().to_string())
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn transformations(&self) -> Result<Vec<crate::mcp::transform::IdRule>> {
        let agent = self.agent()?;
        Ok(
            crate::handlers::transformations::for_agent(&self.dd, &agent)?
                .into_iter()
                .map(|(t, r)| (t.transformation_id, r))
                .collect(),
        )
    }

    fn record(&self, event_type: &str, metadata: Value) {
        self.recorder
            .record(NewEvent::new(event_type, metadata).principal(&self.agent_id));
    }

    fn finish(&self) {
        self.recorder.finish();
    }
}

/// How long the recorder collects events before one commit.
const COALESCE: Duration = Duration::from_millis(50);

/// Writes audit events on a background thread so that forwarding a call does not wait for a
/// second fsync (the decision itself is durable before the call is forwarded). On shutdown
/// ([`Recorder::finish`]) everything queued is written before the proxy exits.
struct Recorder {
    tx: Mutex<Option<Sender<NewEvent>>>,
    handle: Mutex<Option<JoinHandle<()>>>,
}

impl Recorder {
    fn start(dd: DataDir) -> Recorder {
        let (tx, rx) = mpsc::channel::<NewEvent>();
        let handle = std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                // Coalesce what arrives within a short window into one commit, so a busy session
                // does not contend with its own decisions for the writer lock on every call.
                let mut batch = vec![first];
                let until = std::time::Instant::now() + COALESCE;
                while let Some(left) = until.checked_duration_since(std::time::Instant::now()) {
                    match rx.recv_timeout(left) {
                        Ok(e) => batch.push(e),
                        Err(_) => break,
                    }
                }
                if let Err(e) = dd.append_audit(batch) {
                    eprintln!("openleash mcp-proxy: cannot write audit events: {e}");
                }
            }
        });
        Recorder {
            tx: Mutex::new(Some(tx)),
            handle: Mutex::new(Some(handle)),
        }
    }

    fn record(&self, event: NewEvent) {
        if let Some(tx) = self.tx.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = tx.send(event);
        }
    }

    fn finish(&self) {
        self.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(h) = self.handle.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = h.join();
        }
    }
}

/// Decisions and approvals by a server (`--url`): it issues proofs and keeps the audit log.
struct RemoteGate {
    client: Client,
    agent_id: String,
    subject: String,
    /// The local data directory, when initialised: pins are kept there.
    local: Option<DataDir>,
}

impl Gate for RemoteGate {
    fn agent_id(&self) -> &str {
        &self.agent_id
    }

    fn subject(&self) -> &str {
        &self.subject
    }

    fn authorize(&self, action: &ValidatedAction) -> Result<AuthorizeResponse> {
        super::authorize::remote_authorize(&self.client, action, None)
    }

    fn reauthorize(&self, action: &ValidatedAction, token: &str) -> Result<AuthorizeResponse> {
        super::authorize::remote_authorize(&self.client, action, Some(token))
    }

    fn request_approval(&self, decision_id: &str, action: &ValidatedAction) -> Result<String> {
        let v = self.client.post(
            "/v1/agent/approval-requests",
            &json!({
                "decision_id": decision_id,
                "action": action.value(),
                "justification": format!("MCP tool call {} through openleash mcp-proxy", action.action_type()),
            }),
        )?;
        Ok(v["approval_request_id"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    fn approval_view(&self, id: &str) -> Result<Value> {
        self.client
            .get(&format!("/v1/agent/approval-requests/{id}"))
    }

    fn denied_for_every_payload(&self, _action_type: &str) -> bool {
        false
    }

    fn explicitly_allows(&self, _action_type: &str) -> bool {
        false
    }

    fn pin(&self, server: &str, tools: &[Value], accept: bool) -> Option<Result<PinReport>> {
        self.local
            .as_ref()
            .map(|dd| pins::check_and_pin(dd, server, tools, accept))
    }

    fn transformations(&self) -> Result<Vec<crate::mcp::transform::IdRule>> {
        let v = self.client.get("/v1/agent/transformations")?;
        let ids: Vec<String> = v["transformations"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        i["transformation_id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rules = crate::handlers::transformations::rules_from_agent_json(&v)?;
        Ok(ids.into_iter().zip(rules).collect())
    }

    fn record(&self, event_type: &str, metadata: Value) {
        // The server keeps the audit log of remote decisions; tool-definition events are only
        // reported on stderr (by the proxy) in this mode.
        let _ = (event_type, metadata);
    }

    fn finish(&self) {}
}
