//! Which policies apply to an agent (SPEC §6 resolution) and an in-process cache of compiled
//! policy files, so a long-running server neither re-reads nor re-parses them per request yet
//! picks up changes made by the CLI at once.

use super::diag::Diagnostic;
use super::engine::{Evaluation, evaluate};
use super::model::CompiledPolicy;
use super::validate::check_policy;
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::agents::Agent;
use crate::store::filecache::{FileKey, Inputs};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

/// One bound policy in resolution order.
#[derive(Debug, Clone)]
pub struct Layer {
    pub policy_id: String,
    pub path: PathBuf,
    /// `Some` for an agent-specific binding, `None` for owner-wide.
    pub agent_principal_id: Option<String>,
    pub rank: i64,
    pub policy: Arc<CompiledPolicy>,
    /// Lowercase hex SHA-256 of the policy file's bytes (computed once per file version).
    pub file_sha256: Arc<str>,
}

/// What a shadow policy would have decided (an element of `DECISION_CREATED.shadow`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShadowResult {
    pub policy_id: String,
    pub result: super::DecisionResult,
    pub matched_rule_id: Option<String>,
}

/// The layers that decide for one agent, most specific first.
#[derive(Debug, Clone)]
pub struct EffectivePolicy {
    /// The enforcing layers: these decide.
    pub layers: Vec<Layer>,
    /// Bound `mode: shadow` policies, in resolution order: each is evaluated on its own beside
    /// the decision and recorded, never deciding (SPEC §18).
    pub shadow: Vec<Layer>,
}

impl EffectivePolicy {
    pub fn policies(&self) -> Vec<&CompiledPolicy> {
        self.layers.iter().map(|l| &*l.policy).collect()
    }

    pub fn evaluate(&self, action: &serde_json::Value) -> Evaluation {
        evaluate(&self.policies(), action)
    }

    /// The `policy_set_hash` of SPEC §18: SHA-256 over `policy_id ‖ 0x00 ‖ file hash ‖ 0x0A` of
    /// every layer in resolution order, so a decision names the exact policy texts behind it.
    pub fn policy_set_hash(&self) -> String {
        policy_set_hash(
            self.layers
                .iter()
                .map(|l| (l.policy_id.as_str(), &*l.file_sha256)),
        )
    }

    /// Each shadow policy's own verdict on `action`: one evaluation per shadow policy, nothing
    /// at all without one.
    pub fn shadow_results(&self, action: &serde_json::Value) -> Vec<ShadowResult> {
        self.shadow
            .iter()
            .map(|l| {
                let e = evaluate(&[&*l.policy], action);
                ShadowResult {
                    policy_id: l.policy_id.clone(),
                    result: e.result,
                    matched_rule_id: e.matched_rule_id,
                }
            })
            .collect()
    }

    /// The layer whose rule decided, if a rule did.
    pub fn matched_layer(&self, eval: &Evaluation) -> Option<&Layer> {
        eval.matched_policy_index.and_then(|i| self.layers.get(i))
    }
}

/// [`EffectivePolicy::policy_set_hash`] of `(policy_id, hex SHA-256 of the file)` pairs.
pub fn policy_set_hash<'a>(layers: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (id, file_hash) in layers {
        h.update(id.as_bytes());
        h.update([0u8]);
        h.update(file_hash.as_bytes());
        h.update([b'\n']);
    }
    hex::encode(h.finalize())
}

/// An agent's resolved chain and everything it was built from.
struct Chain {
    root: PathBuf,
    owner_id: String,
    inputs: Inputs,
    policy: Arc<EffectivePolicy>,
}

/// Resolved chains by agent principal id. A decision checks its agent's entry with one `stat`
/// per input (the membership directory, the layout marker, each index directory, each binding
/// record and each policy file) and reads or parses nothing while they are unchanged, so a
/// change by another process (the CLI beside a server) is seen on the next decision.
static CHAINS: LazyLock<Mutex<HashMap<String, Arc<Chain>>>> = LazyLock::new(Default::default);

/// Past this many agents the cache starts over rather than growing with the installation: a
/// chain holds about 1–2 KB (mostly the paths of its inputs), so the cache stays within ~20 MB of
/// a server's memory (issue #18 bounds it at 100 MB), and an agent missing from it costs one
/// uncached resolution, not an error.
const MAX_CHAINS: usize = 10_000;

/// Resolves the effective policy of `agent`: its own bindings, then its policy groups', then
/// the owner-wide ones, each tier by rank. No binding → `NO_POLICY`; a bound policy that does not
/// parse → `POLICY_INVALID` (fail closed), naming the file and its first error.
///
/// The result is shared: it is reused while none of the files and directories it was built
/// from changed (errors are not kept).
pub fn resolve_for_agent(dd: &DataDir, agent: &Agent) -> Result<Arc<EffectivePolicy>> {
    let cached = CHAINS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&agent.agent_principal_id)
        .cloned();
    if let Some(c) = cached
        && c.owner_id == agent.owner_id
        && c.root == dd.root()
        && c.inputs.unchanged()
    {
        return Ok(c.policy.clone());
    }
    let looked = SystemTime::now();
    let mut inputs = Inputs::default();
    let policy = Arc::new(build_chain(dd, agent, &mut inputs)?);
    // Inputs changed within the timestamp granularity of this look could change again without
    // a visible trace: such a chain is rebuilt on every call until they settle.
    if inputs.settled(looked) {
        let chain = Arc::new(Chain {
            root: dd.root().to_path_buf(),
            owner_id: agent.owner_id.clone(),
            inputs,
            policy: policy.clone(),
        });
        let mut map = CHAINS.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CHAINS {
            map.clear();
        }
        map.insert(agent.agent_principal_id.clone(), chain);
    }
    Ok(policy)
}

/// Reads and compiles `agent`'s chain, noting every file and directory read in `inputs`.
fn build_chain(dd: &DataDir, agent: &Agent, inputs: &mut Inputs) -> Result<EffectivePolicy> {
    // Only this agent's chain: its memberships, its index, its groups' and its owner's, and
    // the records they name.
    let bound = dd.bindings_for_agent_noting(&agent.owner_id, &agent.agent_principal_id, inputs)?;
    if bound.is_empty() {
        return Err(Error::new(
            ErrorCode::NoPolicy,
            "No policy bound to this agent or owner",
        )
        .with_hint(
            "bind one with `openleash policy upsert --file POLICY.yaml` or `openleash policy bind --policy-id ID`",
        ));
    }
    let mut layers = Vec::with_capacity(bound.len());
    for b in bound {
        let path = dd.policy_path(&b.policy_id)?;
        let (id, (policy, file_sha256)) = compile_file_keyed(&path).map_err(|e| match e.code {
            ErrorCode::NotFound => Error::new(
                ErrorCode::PolicyNotFound,
                format!(
                    "bound policy {} has no file at {}",
                    b.policy_id,
                    path.display()
                ),
            )
            .with_hint("restore the file, or remove the binding with `openleash policy unbind`"),
            _ => e,
        })?;
        inputs.note(&path, id.key());
        layers.push(Layer {
            policy_id: b.policy_id.clone(),
            path,
            agent_principal_id: b.agent_principal_id.clone(),
            rank: b.effective_rank(),
            policy,
            file_sha256,
        });
    }
    let (shadow, layers) = layers.into_iter().partition(|l| l.policy.shadow);
    Ok(EffectivePolicy { layers, shadow })
}

/// Identity of a file version: a replaced file (atomic rename) has a new inode, an edited one a
/// new mtime or length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    len: u64,
    mtime: Option<SystemTime>,
    ino: u64,
}

impl FileId {
    /// As a [`FileKey`] for [`Inputs`]; `None` (never equal to a fresh look) without an mtime.
    fn key(self) -> Option<FileKey> {
        self.mtime.map(|m| (self.ino, self.len, m))
    }
}

fn file_id(path: &Path) -> Result<FileId> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::new(
                ErrorCode::NotFound,
                format!("{}: no such file", path.display()),
            )
        } else {
            Error::io("read", path, e)
        }
    })?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let ino = 0;
    Ok(FileId {
        len: meta.len(),
        mtime: meta.modified().ok(),
        ino,
    })
}

type Cache<T> = LazyLock<Mutex<HashMap<PathBuf, (FileId, Arc<T>)>>>;

/// A compiled policy and the hex SHA-256 of the bytes it was compiled from.
type Hashed = (Arc<CompiledPolicy>, Arc<str>);

static POLICIES: Cache<Hashed> = LazyLock::new(Default::default);

fn cache_get<T>(cache: &Cache<T>, path: &Path, id: FileId) -> Option<Arc<T>> {
    let map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.get(path)
        .filter(|(cached, _)| *cached == id)
        .map(|(_, v)| v.clone())
}

fn cache_put<T>(cache: &Cache<T>, path: &Path, id: FileId, value: Arc<T>) {
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.insert(path.to_path_buf(), (id, value));
}

/// Reads and compiles a policy file, reusing the compiled form while the file is unchanged.
/// A missing file is `NOT_FOUND`; a policy with errors is `POLICY_INVALID`.
pub fn compile_file(path: &Path) -> Result<Arc<CompiledPolicy>> {
    compile_file_hashed(path).map(|(p, _)| p)
}

/// [`compile_file`] with the hex SHA-256 of the file's bytes, hashed once per file version
/// (cached beside the compiled form, so decisions pay nothing for it).
pub fn compile_file_hashed(path: &Path) -> Result<Hashed> {
    compile_file_keyed(path).map(|(_, h)| h)
}

/// [`compile_file_hashed`] with the identity of the file version it was compiled from.
fn compile_file_keyed(path: &Path) -> Result<(FileId, Hashed)> {
    let id = file_id(path)?;
    if let Some(p) = cache_get(&POLICIES, path, id) {
        return Ok((id, (*p).clone()));
    }
    let bytes = crate::store::fsio::open_read_nofollow(path)
        .and_then(super::read_limited)
        .map_err(|e| crate::store::fsio::open_error("read", path, e))?;
    let name = path.display().to_string();
    let checked = check_policy(&name, &bytes);
    match checked.policy {
        Some(p) => {
            let hashed: Hashed = (
                Arc::new(p),
                Arc::from(crate::audit::line::sha256_hex(&bytes)),
            );
            cache_put(&POLICIES, path, id, Arc::new(hashed.clone()));
            Ok((id, hashed))
        }
        None => Err(policy_error(
            ErrorCode::PolicyInvalid,
            &name,
            &checked.diagnostics,
        )),
    }
}

/// An error about a policy file with errors: `code` (`POLICY_INVALID` for a bound policy,
/// `INVALID_POLICY` for input), naming the file and its first error, all diagnostics in
/// `details`.
pub fn policy_error(code: ErrorCode, file: &str, diagnostics: &[Diagnostic]) -> Error {
    let first = diagnostics
        .iter()
        .find(|d| d.severity == super::Severity::Error);
    let message = match first {
        Some(d) => format!(
            "policy {file} is invalid: {}:{}: {} [{}]",
            d.line, d.col, d.message, d.code
        ),
        None => format!("policy {file} is invalid"),
    };
    let hint = if code == ErrorCode::PolicyInvalid {
        format!(
            "see every problem with `openleash policy validate {file}`; decisions fail closed until it is fixed"
        )
    } else {
        "fix the problems reported above; nothing was changed".to_string()
    };
    Error::new(code, message)
        .with_hint(hint)
        .with_details(serde_json::json!({
            "file": file,
            "diagnostics": super::diag::render_json(diagnostics),
        }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::bindings::{Binding, Bindings, PolicyEntry};
    use crate::store::owners::OwnerType;
    use serde_json::json;

    const ALLOW_A: &str =
        "version: 1\ndefault: passthrough\nrules:\n  - id: a\n    effect: allow\n    action: a\n";
    const DENY_ALL: &str =
        "version: 1\ndefault: deny\nrules:\n  - id: b\n    effect: deny\n    action: '*'\n";

    fn agent(owner: &str, pid: &str) -> Agent {
        Agent {
            agent_principal_id: pid.into(),
            agent_id: "bot".into(),
            owner_type: OwnerType::User,
            owner_id: owner.into(),
            public_key_b64: String::new(),
            status: "ACTIVE".into(),
            created_at: String::new(),
            revoked_at: None,
            attributes: Default::default(),
            webhook_url: String::new(),
            webhook_secret: String::new(),
            webhook_auth_token: String::new(),
        }
    }

    fn setup(policies: &[(&str, &str, Option<&str>, Option<i64>)]) -> (tempfile::TempDir, DataDir) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("policies")).unwrap();
        let dd = DataDir::at(dir.path());
        let mut b = Bindings::default();
        for (id, text, agent, rank) in policies {
            std::fs::write(dd.policy_path(id).unwrap(), text).unwrap();
            b.policies.push(PolicyEntry {
                policy_id: id.to_string(),
                owner_type: OwnerType::User,
                owner_id: OWNER.into(),
                name: None,
                description: None,
                created_at: String::new(),
                updated_at: None,
            });
            b.bindings.push(Binding {
                policy_id: id.to_string(),
                owner_type: OwnerType::User,
                owner_id: OWNER.into(),
                agent_principal_id: agent.map(str::to_string),
                group_id: None,
                rank: *rank,
            });
        }
        let mut t = crate::store::Txn::default();
        dd.stage_bindings(&mut t, &b).unwrap();
        t.commit().unwrap();
        (dir, dd)
    }

    const OWNER: &str = "11111111-1111-4111-8111-111111111111";
    const AGENT: &str = "22222222-2222-4222-8222-222222222222";
    const P1: &str = "33333333-3333-4333-8333-333333333333";
    const P2: &str = "44444444-4444-4444-8444-444444444444";

    #[test]
    fn agent_tier_comes_first_and_owner_wide_deny_still_fires() {
        let (_d, dd) = setup(&[(P1, DENY_ALL, None, None), (P2, ALLOW_A, Some(AGENT), None)]);
        let eff = resolve_for_agent(&dd, &agent(OWNER, AGENT)).unwrap();
        assert_eq!(eff.layers[0].policy_id, P2);
        let e = eff.evaluate(&json!({"action_type": "a"}));
        assert_eq!(e.matched_rule_id.as_deref(), Some("a"));
        assert_eq!(eff.matched_layer(&e).unwrap().policy_id, P2);
        let e = eff.evaluate(&json!({"action_type": "b"}));
        assert_eq!(e.reason, "Denied by rule \"b\"");
        assert_eq!(e.matched_policy_index, Some(1));
        // Another agent of the same owner only gets the owner-wide layer.
        let other = "55555555-5555-4555-8555-555555555555";
        let eff = resolve_for_agent(&dd, &agent(OWNER, other)).unwrap();
        assert_eq!(eff.layers.len(), 1);
    }

    #[test]
    fn rank_orders_within_a_tier() {
        let (_d, dd) = setup(&[
            (P1, DENY_ALL, None, Some(200)),
            (P2, ALLOW_A, None, Some(50)),
        ]);
        let eff = resolve_for_agent(&dd, &agent(OWNER, AGENT)).unwrap();
        assert_eq!(eff.layers[0].policy_id, P2);
        assert_eq!(eff.layers[0].rank, 50);
        // First non-passthrough default wins: P2 passes through, P1 denies.
        let e = eff.evaluate(&json!({"action_type": "zzz"}));
        assert_eq!(e.result, super::super::DecisionResult::Deny);
    }

    #[test]
    fn policy_set_hash_is_the_spec_construction_and_follows_the_bytes() {
        let (_d, dd) = setup(&[(P1, DENY_ALL, None, None), (P2, ALLOW_A, Some(AGENT), None)]);
        let a = agent(OWNER, AGENT);
        let eff = resolve_for_agent(&dd, &a).unwrap();
        let sha = |t: &str| crate::audit::line::sha256_hex(t.as_bytes());
        let manual = format!("{P2}\0{}\n{P1}\0{}\n", sha(ALLOW_A), sha(DENY_ALL));
        assert_eq!(eff.policy_set_hash(), sha(&manual));
        let before = eff.policy_set_hash();
        // Same bytes, rewritten: same hash. One byte more: another hash.
        let path = dd.policy_path(P1).unwrap();
        crate::store::write_atomic(&path, DENY_ALL.as_bytes()).unwrap();
        assert_eq!(
            resolve_for_agent(&dd, &a).unwrap().policy_set_hash(),
            before
        );
        crate::store::write_atomic(&path, format!("{DENY_ALL}\n").as_bytes()).unwrap();
        assert_ne!(
            resolve_for_agent(&dd, &a).unwrap().policy_set_hash(),
            before
        );
    }

    #[test]
    fn no_binding_is_no_policy() {
        let (_d, dd) = setup(&[(P1, DENY_ALL, None, None)]);
        let e = resolve_for_agent(&dd, &agent("99999999-9999-4999-8999-999999999999", AGENT))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NoPolicy);
        assert_eq!(e.message, "No policy bound to this agent or owner");
    }

    #[test]
    fn broken_policy_fails_closed_and_cache_sees_changes() {
        let (_d, dd) = setup(&[(P1, DENY_ALL, None, None)]);
        let a = agent(OWNER, AGENT);
        let first = resolve_for_agent(&dd, &a).unwrap();
        let again = resolve_for_agent(&dd, &a).unwrap();
        assert!(Arc::ptr_eq(
            &first.layers[0].policy,
            &again.layers[0].policy
        ));
        let path = dd.policy_path(P1).unwrap();
        crate::store::write_atomic(&path, b"version: 1\ndefault: maybe\nrules: []\n").unwrap();
        let e = resolve_for_agent(&dd, &a).unwrap_err();
        assert_eq!(e.code, ErrorCode::PolicyInvalid);
        assert!(
            e.message.contains(&path.display().to_string()),
            "{}",
            e.message
        );
        assert!(e.message.contains("2:10"), "{}", e.message);
        assert!(e.message.contains("invalid default `maybe`"));
        crate::store::write_atomic(&path, ALLOW_A.as_bytes()).unwrap();
        let eff = resolve_for_agent(&dd, &a).unwrap();
        assert_eq!(&*eff.layers[0].policy.rules[0].id, "a");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            resolve_for_agent(&dd, &a).unwrap_err().code,
            ErrorCode::PolicyNotFound
        );
    }
}
