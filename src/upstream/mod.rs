//! Reading a data directory written by the TypeScript OpenLeash (v0.27) and translating it into
//! openleash's records, for `openleash import-upstream`. Nothing here writes.
//!
//! Upstream keeps an index, `state.md` (one YAML block listing every entity), beside one file per
//! entity: Markdown with YAML front matter for users, organizations, agents, approval requests and
//! policy drafts; JSON for server keys, policy groups and group memberships; the policy YAML as
//! given; and `audit.log.jsonl`, an
//! unchained JSON Lines log. Upstream reads entity files from fixed directories by id (the
//! `path` fields of `state.md` are informational and can be stale: v0.27 records users under
//! `./owners/` while writing them to `users/`), so this reader does the same.
//!
//! A malformed file is an error naming `file:line:col`; an entity that cannot be carried over
//! (a missing file, a dangling reference, a feature openleash does not have yet) is left out and
//! listed in [`Upstream::left_out`] so the import can report it.

pub mod audit;
pub mod config;
pub mod doc;
mod transformations;

use crate::error::{Error, ErrorCode, Result};
use crate::keys::ServerKey;
use crate::store::agents::Agent;
use crate::store::approvals::{ApprovalRequest, PolicyDraft};
use crate::store::bindings::{Binding, PolicyEntry};
use crate::store::groups::{GroupMember, PolicyGroup};
use crate::store::orgs::{Membership, OrgRole};
use crate::store::owners::{Owner, OwnerType};
use crate::yaml::{Node, Value};
pub use audit::{AuditLog, SeenDecision};
use doc::{Doc, Layout};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Everything read from an upstream installation, already in openleash's shapes.
pub struct Upstream {
    /// The upstream data directory (the one holding `state.md`).
    pub data_dir: PathBuf,
    /// Upstream's `config.yaml` (beside `data/`, or inside it), when there is one.
    pub config: Option<Doc>,
    pub state_version: i64,
    pub active_kid: String,
    pub keys: Vec<ServerKey>,
    pub owners: Vec<Owner>,
    pub agents: Vec<Agent>,
    pub policies: Vec<UpstreamPolicy>,
    pub bindings: Vec<Binding>,
    /// Policy groups with their members (upstream keeps memberships as separate files).
    pub groups: Vec<PolicyGroup>,
    /// Organization memberships (users in organizations, with their roles).
    pub memberships: Vec<Membership>,
    pub approvals: Vec<ApprovalRequest>,
    pub drafts: Vec<PolicyDraft>,
    pub transformations: Vec<crate::store::transformations::Transformation>,
    pub audit: Option<AuditLog>,
    pub left_out: Vec<LeftOut>,
}

pub struct UpstreamPolicy {
    pub entry: PolicyEntry,
    /// The policy text exactly as upstream stored it.
    pub text: String,
    pub file: PathBuf,
}

/// Something the import does not carry over, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    /// `user`, `agent`, `binding`, `membership`, `audit_line`, …
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `file[:line]` it came from.
    pub source: String,
    pub reason: String,
}

/// Finds the upstream data directory for `dir`: `dir` itself when it holds `state.md`, else
/// `dir/data` (the directory upstream's `openleash start` runs in). `config.yaml` is looked for
/// beside the data directory first (where upstream writes it), then inside it.
pub fn locate(dir: &Path) -> Result<(PathBuf, Option<PathBuf>)> {
    let data = if dir.join("state.md").is_file() {
        dir.to_path_buf()
    } else if dir.join("data").join("state.md").is_file() {
        dir.join("data")
    } else {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "{} is not an OpenLeash data directory: no state.md in it or in its data/ directory",
                dir.display()
            ),
        )
        .with_hint("point at the directory upstream's `openleash start` ran in, or at its data/ directory"));
    };
    let parent = data.parent().map(Path::to_path_buf).unwrap_or_default();
    let config = [parent.join("config.yaml"), data.join("config.yaml")]
        .into_iter()
        .find(|p| p.is_file());
    Ok((data, config))
}

/// Reads the upstream installation at `dir` (see [`locate`]).
pub fn read(dir: &Path) -> Result<Upstream> {
    let (data_dir, config_file) = locate(dir)?;
    // Recorded in the import event: an absolute path says where the data came from.
    let data_dir = std::fs::canonicalize(&data_dir).unwrap_or(data_dir);
    let state = Doc::read(&data_dir.join("state.md"), Layout::FencedBlock)?;
    let mut r = Reader {
        data: data_dir.clone(),
        left_out: Vec::new(),
    };
    let root = &state.root;
    let version = match root.get("version").map(|n| &n.value) {
        Some(Value::Int(v)) => *v,
        _ => {
            return Err(state.err(state.req(root, "version")?, "`version` must be an integer"));
        }
    };
    if version != 2 {
        return Err(state.err(
            state.req(root, "version")?,
            format!(
                "state.md version {version} is not supported (OpenLeash v0.27 writes version 2)"
            ),
        ));
    }
    let config = config_file
        .map(|p| Doc::read(&p, Layout::Whole))
        .transpose()?;

    let (active_kid, keys) = r.keys(&state)?;
    let mut owners = r.users(&state)?;
    owners.extend(r.orgs(&state)?);
    let memberships = r.org_memberships(&state, &owners)?;
    r.unsupported(
        &state,
        "provisioners",
        "provisioner",
        "provisioner_id",
        "provisioner tokens cannot be carried over (only their hashes are stored): mint new ones",
    )?;

    let owner_ids: BTreeSet<String> = owners.iter().map(|o| o.owner_id.clone()).collect();
    let agents = r.agents(&state, &owner_ids)?;
    let agent_ids: BTreeSet<String> = agents
        .iter()
        .map(|a| a.agent_principal_id.clone())
        .collect();
    let policies = r.policies(&state, &owner_ids)?;
    let policy_ids: BTreeSet<String> = policies.iter().map(|p| p.entry.policy_id.clone()).collect();
    let groups = r.groups(&state, &owner_ids, &agents)?;
    let group_owners: BTreeMap<String, String> = groups
        .iter()
        .map(|g| (g.group_id.clone(), g.owner_id.clone()))
        .collect();
    let bindings = r.bindings(&state, &owner_ids, &agent_ids, &policy_ids, &group_owners)?;
    let audit = r.audit()?;
    let approvals = r.approvals(&state, &agents, audit.as_ref())?;
    let drafts = r.drafts(&state, &agent_ids)?;
    let transformations = r.transformations(&state, &owner_ids, &agent_ids)?;
    r.stray_files(&state)?;
    Ok(Upstream {
        data_dir,
        config,
        state_version: version,
        active_kid,
        keys,
        owners,
        agents,
        policies,
        bindings,
        groups,
        memberships,
        approvals,
        drafts,
        transformations,
        audit,
        left_out: r.left_out,
    })
}

struct Reader {
    data: PathBuf,
    left_out: Vec<LeftOut>,
}

fn owner_type(doc: &Doc, node: &Node) -> Result<OwnerType> {
    match doc.str(node, "owner_type")?.as_str() {
        "user" => Ok(OwnerType::User),
        "org" => Ok(OwnerType::Org),
        other => Err(doc.err(
            doc.req(node, "owner_type")?,
            format!("`owner_type` must be `user` or `org`, not {other:?}"),
        )),
    }
}

impl Reader {
    fn leave(&mut self, kind: &'static str, id: Option<&str>, source: String, reason: String) {
        self.left_out.push(LeftOut {
            kind,
            id: id.map(str::to_string),
            source,
            reason,
        });
    }

    fn at(doc: &Doc, node: &Node) -> String {
        format!("{}:{}", doc.file.display(), doc.line(node))
    }

    /// The entity file of `id` in `dir`, or `None` (left out, with the state.md line) when
    /// upstream lists it but the file is gone.
    fn entity_file(
        &mut self,
        state: &Doc,
        entry: &Node,
        kind: &'static str,
        dir: &str,
        id: &str,
        ext: &str,
    ) -> Option<PathBuf> {
        let p = self.data.join(dir).join(format!("{id}.{ext}"));
        if p.is_file() {
            return Some(p);
        }
        self.leave(
            kind,
            Some(id),
            Self::at(state, entry),
            format!("state.md lists it but {} does not exist", p.display()),
        );
        None
    }

    fn keys(&mut self, state: &Doc) -> Result<(String, Vec<ServerKey>)> {
        let sk = state.req(&state.root, "server_keys")?;
        let active = state.id(sk, "active_kid")?;
        let mut keys = Vec::new();
        for entry in state.list(sk, "keys")? {
            let kid = state.id(entry, "kid")?;
            let file = self.data.join("keys").join(format!("{kid}.json"));
            if !file.is_file() {
                return Err(state.err(
                    entry,
                    format!("signing key {kid} is listed but {} does not exist", file.display()),
                )
                .with_hint("without the key file, proof tokens signed with it cannot be verified; restore it from a backup"));
            }
            let d = Doc::read(&file, Layout::Whole)?;
            let k = ServerKey {
                kid: d.id(&d.root, "kid")?,
                public_key_b64: d.str(&d.root, "public_key_b64")?,
                private_key_b64: d.str(&d.root, "private_key_b64")?,
                created_at: d.str(&d.root, "created_at")?,
                revoked_at: d.opt_str(&d.root, "revoked_at")?,
            };
            if k.kid != kid {
                return Err(d.err(
                    d.req(&d.root, "kid")?,
                    format!("kid {} does not match the file name", k.kid),
                ));
            }
            let field = |key: &str| d.root.get(key).unwrap_or(&d.root);
            let public = k
                .verifying_key()
                .map_err(|e| d.err(field("public_key_b64"), &e.message))?;
            let private = k
                .signing_key()
                .map_err(|e| d.err(field("private_key_b64"), &e.message))?;
            if private.verifying_key() != public {
                return Err(d.err(
                    field("private_key_b64"),
                    "the private key does not belong to public_key_b64",
                ));
            }
            keys.push(k);
        }
        if !keys.iter().any(|k| k.kid == active) {
            return Err(state.err(
                state.req(sk, "active_kid")?,
                format!("the active key {active} is not among server_keys.keys"),
            ));
        }
        Ok((active, keys))
    }

    fn users(&mut self, state: &Doc) -> Result<Vec<Owner>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "users")? {
            let id = state.id(entry, "user_principal_id")?;
            let Some(file) = self.entity_file(state, entry, "user", "users", &id, "md") else {
                continue;
            };
            let d = Doc::read(&file, Layout::FrontMatter)?;
            let n = &d.root;
            if d.id(n, "user_principal_id")? != id {
                return Err(d.err(
                    n,
                    format!("user_principal_id does not match state.md ({id})"),
                ));
            }
            let mut o = Owner::new(OwnerType::User, &d.str(n, "display_name")?);
            o.owner_id = id.clone();
            o.status = d.str(n, "status")?;
            o.created_at = d.str(n, "created_at")?;
            o.passphrase_hash = d.opt_str(n, "passphrase_hash")?;
            o.passphrase_salt = d.opt_str(n, "passphrase_salt")?;
            o.passphrase_set_at = d.opt_str(n, "passphrase_set_at")?;
            o.contact_identities = d.opt_serde(n, "contact_identities")?.unwrap_or_default();
            o.government_ids = d.opt_serde(n, "government_ids")?.unwrap_or_default();
            o.identity_assurance_level = Some(o.assurance());
            let src = Self::at(&d, n);
            if matches!(
                n.get("totp_enabled").map(|v| &v.value),
                Some(Value::Bool(true))
            ) {
                self.leave(
                    "user_totp",
                    Some(&id),
                    src.clone(),
                    "two-factor (TOTP) enrolment is not carried over: enrol again after the import"
                        .into(),
                );
            }
            if !d.list(n, "system_roles")?.is_empty() {
                self.leave("user_system_roles", Some(&id), src.clone(),
                    "system roles are not carried over: the imported instance is administered per admin.mode".into());
            }
            if d.opt_str(n, "external_auth_provider")?.is_some() {
                self.leave("user_external_auth", Some(&id), src.clone(),
                    "the external login link is not carried over: set a passphrase with `openleash owner set-passphrase`".into());
            }
            self.attributes(&d, n, "user", &id);
            out.push(o);
        }
        Ok(out)
    }

    fn orgs(&mut self, state: &Doc) -> Result<Vec<Owner>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "organizations")? {
            let id = state.id(entry, "org_id")?;
            let Some(file) =
                self.entity_file(state, entry, "organization", "organizations", &id, "md")
            else {
                continue;
            };
            let d = Doc::read(&file, Layout::FrontMatter)?;
            let n = &d.root;
            if d.id(n, "org_id")? != id {
                return Err(d.err(n, format!("org_id does not match state.md ({id})")));
            }
            let mut o = Owner::new(OwnerType::Org, &d.str(n, "display_name")?);
            o.owner_id = id.clone();
            o.status = d.str(n, "status")?;
            o.created_at = d.str(n, "created_at")?;
            o.contact_identities = d.opt_serde(n, "contact_identities")?.unwrap_or_default();
            o.company_ids = d.opt_serde(n, "company_ids")?.unwrap_or_default();
            o.identity_assurance_level = Some(o.assurance());
            let src = Self::at(&d, n);
            for key in ["domains", "signatories", "signatory_rules"] {
                if !d.list(n, key)?.is_empty() {
                    self.leave(
                        "organization_identity",
                        Some(&id),
                        src.clone(),
                        format!("`{key}` is not carried over yet"),
                    );
                }
            }
            self.attributes(&d, n, "organization", &id);
            out.push(o);
        }
        Ok(out)
    }

    /// Upstream's free-form `attributes` of users and organizations have no openleash field.
    fn attributes(&mut self, d: &Doc, n: &Node, kind: &'static str, id: &str) {
        if let Some(a) = n.get("attributes")
            && a.as_map().is_some_and(|m| !m.is_empty())
        {
            self.leave(
                kind,
                Some(id),
                Self::at(d, a),
                "its `attributes` are not carried over (openleash owners have none)".into(),
            );
        }
    }

    fn unsupported(
        &mut self,
        state: &Doc,
        key: &str,
        kind: &'static str,
        id_key: &str,
        reason: &str,
    ) -> Result<()> {
        for entry in state.list(&state.root, key)? {
            let id = state.opt_str(entry, id_key)?;
            self.leave(
                kind,
                id.as_deref(),
                Self::at(state, entry),
                reason.to_string(),
            );
        }
        Ok(())
    }

    fn agents(&mut self, state: &Doc, owners: &BTreeSet<String>) -> Result<Vec<Agent>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "agents")? {
            let id = state.id(entry, "agent_principal_id")?;
            let Some(file) = self.entity_file(state, entry, "agent", "agents", &id, "md") else {
                continue;
            };
            let d = Doc::read(&file, Layout::FrontMatter)?;
            let n = &d.root;
            if d.id(n, "agent_principal_id")? != id {
                return Err(d.err(
                    n,
                    format!("agent_principal_id does not match state.md ({id})"),
                ));
            }
            let agent_id = d.str(n, "agent_id")?;
            let owner_id = d.id(n, "owner_id")?;
            let src = Self::at(&d, n);
            if crate::ids::check_agent_id(&agent_id).is_err() {
                self.leave("agent", Some(&id), src,
                    format!("agent_id {agent_id:?} is not allowed in openleash (1-128 of A-Z a-z 0-9 . _ : @ -)"));
                continue;
            }
            if !owners.contains(&owner_id) {
                self.leave(
                    "agent",
                    Some(&id),
                    src,
                    format!("its owner {owner_id} was not imported"),
                );
                continue;
            }
            let public_key_b64 = d.str(n, "public_key_b64")?;
            crate::crypto::ed25519::parse_public_key(&public_key_b64)
                .map_err(|e| d.err(d.req(n, "public_key_b64").unwrap_or(n), &e.message))?;
            let status = d.str(n, "status")?;
            if !matches!(status.as_str(), "ACTIVE" | "REVOKED") {
                return Err(d.err(
                    d.req(n, "status")?,
                    format!("unknown agent status {status:?}"),
                ));
            }
            let mut attributes = BTreeMap::new();
            if let Some(m) = n.get("attributes").and_then(Node::as_map) {
                for (k, v) in m {
                    match (k.as_str(), v.as_str()) {
                        (Some(k), Some(v)) => {
                            attributes.insert(k.to_string(), v.to_string());
                        }
                        _ => self.leave(
                            "agent_attribute",
                            Some(&id),
                            Self::at(&d, k),
                            "only text attributes are carried over".into(),
                        ),
                    }
                }
            }
            out.push(Agent {
                agent_principal_id: id,
                agent_id,
                owner_type: owner_type(&d, n)?,
                owner_id,
                public_key_b64,
                status,
                created_at: d.str(n, "created_at")?,
                revoked_at: d.opt_str(n, "revoked_at")?,
                attributes,
                webhook_url: d.opt_str(n, "webhook_url")?.unwrap_or_default(),
                webhook_secret: d.opt_str(n, "webhook_secret")?.unwrap_or_default(),
                webhook_auth_token: d.opt_str(n, "webhook_auth_token")?.unwrap_or_default(),
            });
        }
        Ok(out)
    }

    fn policies(&mut self, state: &Doc, owners: &BTreeSet<String>) -> Result<Vec<UpstreamPolicy>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "policies")? {
            let id = state.id(entry, "policy_id")?;
            let owner_id = state.id(entry, "owner_id")?;
            let src = Self::at(state, entry);
            if !owners.contains(&owner_id) {
                self.leave(
                    "policy",
                    Some(&id),
                    src,
                    format!("its owner {owner_id} was not imported"),
                );
                continue;
            }
            let Some(file) = self.entity_file(state, entry, "policy", "policies", &id, "yaml")
            else {
                continue;
            };
            let bytes = std::fs::read(&file).map_err(|e| Error::io("read", &file, e))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| doc::at(&file, 1, 1, "the policy is not valid UTF-8"))?;
            out.push(UpstreamPolicy {
                entry: PolicyEntry {
                    policy_id: id,
                    owner_type: owner_type(state, entry)?,
                    owner_id,
                    name: state.opt_str(entry, "name")?,
                    description: state.opt_str(entry, "description")?,
                    created_at: crate::timefmt::now_string(),
                    updated_at: None,
                },
                text,
                file,
            });
        }
        Ok(out)
    }

    fn bindings(
        &mut self,
        state: &Doc,
        owners: &BTreeSet<String>,
        agents: &BTreeSet<String>,
        policies: &BTreeSet<String>,
        groups: &BTreeMap<String, String>,
    ) -> Result<Vec<Binding>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "bindings")? {
            let policy_id = state.id(entry, "policy_id")?;
            let owner_id = state.id(entry, "owner_id")?;
            let agent = state.opt_id(entry, "applies_to_agent_principal_id")?;
            let src = Self::at(state, entry);
            let dangling_agent = agent.as_ref().filter(|a| !agents.contains(*a));
            let group = state.opt_id(entry, "applies_to_group_id")?;
            let why = if let Some(g) = &group
                && groups.get(g) != Some(&owner_id)
            {
                Some(format!(
                    "its policy group {g} was not imported or belongs to another owner"
                ))
            } else if group.is_some() && agent.is_some() {
                Some("it names both an agent and a policy group".to_string())
            } else if !policies.contains(&policy_id) {
                Some(format!("its policy {policy_id} was not imported"))
            } else if !owners.contains(&owner_id) {
                Some(format!("its owner {owner_id} was not imported"))
            } else {
                dangling_agent.map(|a| format!("its agent {a} was not imported"))
            };
            if let Some(why) = why {
                self.leave("binding", Some(&policy_id), src, why);
                continue;
            }
            let rank = match entry.get("rank").map(|n| &n.value) {
                None | Some(Value::Null) => None,
                Some(Value::Int(r)) => Some(*r),
                Some(_) => {
                    return Err(state.err(state.req(entry, "rank")?, "`rank` must be an integer"));
                }
            };
            out.push(Binding {
                policy_id,
                owner_type: owner_type(state, entry)?,
                owner_id,
                agent_principal_id: agent,
                group_id: group,
                rank,
            });
        }
        Ok(out)
    }

    /// Organization memberships (`memberships/<id>.json`, listed in state.md under
    /// `memberships`), in openleash's shape, which is upstream's. One whose organization or user
    /// was not imported is left out, and so is a second membership of the same user in the same
    /// organization (openleash keeps one per pair).
    fn org_memberships(&mut self, state: &Doc, owners: &[Owner]) -> Result<Vec<Membership>> {
        let of_type = |id: &str, t: OwnerType| {
            owners
                .iter()
                .any(|o| o.owner_type == t && o.owner_id.eq_ignore_ascii_case(id))
        };
        let mut out: Vec<Membership> = Vec::new();
        for entry in state.list(&state.root, "memberships")? {
            let id = state.id(entry, "membership_id")?.to_ascii_lowercase();
            let org = state.id(entry, "org_id")?.to_ascii_lowercase();
            let user = state.id(entry, "user_principal_id")?.to_ascii_lowercase();
            let src = Self::at(state, entry);
            let why = if !of_type(&org, OwnerType::Org) {
                Some(format!("its organization {org} was not imported"))
            } else if !of_type(&user, OwnerType::User) {
                Some(format!("its user {user} was not imported"))
            } else if out
                .iter()
                .any(|m| m.org_id == org && m.user_principal_id == user)
            {
                Some(format!(
                    "user {user} is already a member of organization {org}"
                ))
            } else {
                None
            };
            if let Some(why) = why {
                self.leave("membership", Some(&id), src, why);
                continue;
            }
            let Some(file) =
                self.entity_file(state, entry, "membership", "memberships", &id, "json")
            else {
                continue;
            };
            let d = Doc::read(&file, Layout::Whole)?;
            let n = &d.root;
            for (key, want) in [
                ("membership_id", &id),
                ("org_id", &org),
                ("user_principal_id", &user),
            ] {
                if !d.id(n, key)?.eq_ignore_ascii_case(want) {
                    return Err(d.err(
                        d.req(n, key)?,
                        format!("{key} does not match state.md ({want})"),
                    ));
                }
            }
            let role = OrgRole::parse(&d.str(n, "role")?).map_err(|e| {
                d.req(n, "role")
                    .map_or_else(|x| x, |at| d.err(at, e.message.clone()))
            })?;
            let status = d.str(n, "status")?;
            if !["active", "suspended", "revoked"].contains(&status.as_str()) {
                return Err(d.err(
                    d.req(n, "status")?,
                    format!("unknown status {status:?} (active, suspended or revoked)"),
                ));
            }
            out.push(Membership {
                membership_id: id,
                org_id: org,
                user_principal_id: user,
                role,
                status,
                invited_by_user_id: d.opt_id(n, "invited_by_user_id")?,
                created_at: d.str(n, "created_at")?,
            });
        }
        Ok(out)
    }

    /// Policy groups (`policy-groups/<id>.json`) with their memberships
    /// (`agent-group-memberships/<id>.json`), both listed in state.md. A group of an owner that
    /// was not imported is left out with its memberships; so is a membership of an agent that
    /// was not imported or belongs to another owner than the group.
    fn groups(
        &mut self,
        state: &Doc,
        owners: &BTreeSet<String>,
        agents: &[Agent],
    ) -> Result<Vec<PolicyGroup>> {
        let mut out: Vec<PolicyGroup> = Vec::new();
        for entry in state.list(&state.root, "policy_groups")? {
            let id = state.id(entry, "group_id")?.to_ascii_lowercase();
            let owner_id = state.id(entry, "owner_id")?.to_ascii_lowercase();
            if !owners.contains(&owner_id) {
                self.leave(
                    "policy_group",
                    Some(&id),
                    Self::at(state, entry),
                    format!("its owner {owner_id} was not imported"),
                );
                continue;
            }
            let Some(file) =
                self.entity_file(state, entry, "policy_group", "policy-groups", &id, "json")
            else {
                continue;
            };
            let d = Doc::read(&file, Layout::Whole)?;
            let n = &d.root;
            if !d.id(n, "group_id")?.eq_ignore_ascii_case(&id) {
                return Err(d.err(n, format!("group_id does not match state.md ({id})")));
            }
            let name = d.str(n, "name")?;
            let slug = d.str(n, "slug")?;
            let taken = out.iter().any(|g| g.owner_id == owner_id && g.slug == slug);
            if !crate::ids::is_slug(&slug) || taken {
                self.leave(
                    "policy_group",
                    Some(&id),
                    Self::at(&d, d.req(n, "slug")?),
                    format!("its slug {slug:?} is not valid or not unique within its owner"),
                );
                continue;
            }
            out.push(PolicyGroup {
                group_id: id,
                owner_type: owner_type(&d, n)?,
                owner_id,
                name,
                slug,
                description: d.opt_str(n, "description")?,
                created_at: d.str(n, "created_at")?,
                created_by_user_id: d.opt_id(n, "created_by_user_id")?,
                members: Vec::new(),
            });
        }
        let owner_of: BTreeMap<&str, &str> = agents
            .iter()
            .map(|a| (a.agent_principal_id.as_str(), a.owner_id.as_str()))
            .collect();
        for entry in state.list(&state.root, "agent_group_memberships")? {
            let id = state.id(entry, "membership_id")?.to_ascii_lowercase();
            let gid = state.id(entry, "group_id")?.to_ascii_lowercase();
            let agent = state.id(entry, "agent_principal_id")?.to_ascii_lowercase();
            let src = Self::at(state, entry);
            let Some(g) = out.iter_mut().find(|g| g.group_id == gid) else {
                self.leave(
                    "group_membership",
                    Some(&id),
                    src,
                    format!("its policy group {gid} was not imported"),
                );
                continue;
            };
            let why = match owner_of.get(agent.as_str()) {
                None => Some(format!("its agent {agent} was not imported")),
                Some(o) if !o.eq_ignore_ascii_case(&g.owner_id) => Some(format!(
                    "its agent {agent} belongs to another owner than the group"
                )),
                Some(_) if g.member(&agent).is_some() => {
                    Some(format!("agent {agent} is already a member of the group"))
                }
                Some(_) => None,
            };
            if let Some(why) = why {
                self.leave("group_membership", Some(&id), src, why);
                continue;
            }
            let Some(file) = self.entity_file(
                state,
                entry,
                "group_membership",
                "agent-group-memberships",
                &id,
                "json",
            ) else {
                continue;
            };
            let d = Doc::read(&file, Layout::Whole)?;
            let n = &d.root;
            if !d.id(n, "membership_id")?.eq_ignore_ascii_case(&id) {
                return Err(d.err(n, format!("membership_id does not match state.md ({id})")));
            }
            g.members.push(GroupMember {
                membership_id: id,
                agent_principal_id: agent,
                added_at: d.str(n, "added_at")?,
                added_by_user_id: d.opt_id(n, "added_by_user_id")?,
            });
        }
        Ok(out)
    }

    fn approvals(
        &mut self,
        state: &Doc,
        agents: &[Agent],
        audit: Option<&AuditLog>,
    ) -> Result<Vec<ApprovalRequest>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "approval_requests")? {
            let id = state.id(entry, "approval_request_id")?;
            let Some(file) = self.entity_file(
                state,
                entry,
                "approval_request",
                "approval-requests",
                &id,
                "md",
            ) else {
                continue;
            };
            let d = Doc::read(&file, Layout::FrontMatter)?;
            let n = &d.root;
            if d.id(n, "approval_request_id")? != id {
                return Err(d.err(
                    n,
                    format!("approval_request_id does not match state.md ({id})"),
                ));
            }
            let agent_pid = d.id(n, "agent_principal_id")?;
            if !agents.iter().any(|a| a.agent_principal_id == agent_pid) {
                self.leave(
                    "approval_request",
                    Some(&id),
                    Self::at(&d, n),
                    format!("its agent {agent_pid} was not imported"),
                );
                continue;
            }
            let status = d.str(n, "status")?;
            if !crate::store::approvals::STATUSES.contains(&status.as_str()) {
                return Err(d.err(d.req(n, "status")?, format!("unknown status {status:?}")));
            }
            let action = d.req(n, "action")?;
            if action.as_map().is_none() {
                return Err(d.err(action, "`action` must be a mapping"));
            }
            let decision_id = d.id(n, "decision_id")?;
            out.push(ApprovalRequest {
                approval_request_id: id,
                matched_rule_id: audit.and_then(|a| a.matched_rules.get(&decision_id).cloned()),
                decision_id,
                agent_principal_id: agent_pid,
                agent_id: d.str(n, "agent_id")?,
                owner_type: owner_type(&d, n)?,
                owner_id: d.id(n, "owner_id")?,
                action_type: d.str(n, "action_type")?,
                action_hash: d.str(n, "action_hash")?,
                action: action.to_json(),
                justification: d.opt_str(n, "justification")?,
                context: n
                    .get("context")
                    .filter(|c| !matches!(c.value, Value::Null))
                    .map(Node::to_json),
                status,
                approval_token: d.opt_str(n, "approval_token")?,
                approval_token_expires_at: d.opt_str(n, "approval_token_expires_at")?,
                resolved_at: d.opt_str(n, "resolved_at")?,
                resolved_by: d.opt_str(n, "resolved_by")?,
                denial_reason: d.opt_str(n, "denial_reason")?,
                consumed_at: d.opt_str(n, "consumed_at")?,
                created_at: d.str(n, "created_at")?,
                expires_at: d.str(n, "expires_at")?,
                reminded_at: None,
                escalated_at: None,
            });
        }
        Ok(out)
    }

    fn drafts(&mut self, state: &Doc, agents: &BTreeSet<String>) -> Result<Vec<PolicyDraft>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "policy_drafts")? {
            let id = state.id(entry, "policy_draft_id")?;
            let Some(file) =
                self.entity_file(state, entry, "policy_draft", "policy-drafts", &id, "md")
            else {
                continue;
            };
            let d = Doc::read(&file, Layout::FrontMatter)?;
            let n = &d.root;
            if d.id(n, "policy_draft_id")? != id {
                return Err(d.err(n, format!("policy_draft_id does not match state.md ({id})")));
            }
            let agent_pid = d.id(n, "agent_principal_id")?;
            let applies = d.opt_id(n, "applies_to_agent_principal_id")?;
            let dangling = [Some(&agent_pid), applies.as_ref()]
                .into_iter()
                .flatten()
                .find(|a| !agents.contains(*a));
            if let Some(a) = dangling {
                self.leave(
                    "policy_draft",
                    Some(&id),
                    Self::at(&d, n),
                    format!("its agent {a} was not imported"),
                );
                continue;
            }
            out.push(PolicyDraft {
                policy_draft_id: id,
                agent_principal_id: agent_pid,
                agent_id: d.str(n, "agent_id")?,
                owner_type: owner_type(&d, n)?,
                owner_id: d.id(n, "owner_id")?,
                applies_to_agent_principal_id: applies,
                name: d.opt_str(n, "name")?,
                description: d.opt_str(n, "description")?,
                policy_yaml: d.str(n, "policy_yaml")?,
                justification: d.opt_str(n, "justification")?,
                status: d.str(n, "status")?,
                resulting_policy_id: d.opt_id(n, "resulting_policy_id")?,
                resolved_at: d.opt_str(n, "resolved_at")?,
                resolved_by: d.opt_str(n, "resolved_by")?,
                denial_reason: d.opt_str(n, "denial_reason")?,
                created_at: d.str(n, "created_at")?,
            });
        }
        Ok(out)
    }

    /// Entity files upstream does not know about (not in state.md) are not imported either.
    fn stray_files(&mut self, state: &Doc) -> Result<()> {
        let listed = |key: &str, id_key: &str| -> Result<BTreeSet<String>> {
            state
                .list(&state.root, key)?
                .iter()
                .map(|e| state.id(e, id_key))
                .collect()
        };
        for (dir, ext, key, id_key, kind) in [
            ("users", "md", "users", "user_principal_id", "user"),
            ("agents", "md", "agents", "agent_principal_id", "agent"),
            ("policies", "yaml", "policies", "policy_id", "policy"),
            (
                "policy-groups",
                "json",
                "policy_groups",
                "group_id",
                "policy_group",
            ),
            (
                "agent-group-memberships",
                "json",
                "agent_group_memberships",
                "membership_id",
                "group_membership",
            ),
            (
                "memberships",
                "json",
                "memberships",
                "membership_id",
                "membership",
            ),
            (
                "approval-requests",
                "md",
                "approval_requests",
                "approval_request_id",
                "approval_request",
            ),
        ] {
            let known = listed(key, id_key)?;
            let stray: Vec<String> = crate::store::DataDir::at(&self.data)
                .list_ids(dir, ext)?
                .into_iter()
                .filter(|id| !known.contains(&id.to_ascii_lowercase()))
                .collect();
            for id in stray {
                let file = self.data.join(dir).join(format!("{id}.{ext}"));
                self.leave(
                    kind,
                    Some(&id),
                    file.display().to_string(),
                    "not listed in state.md, so upstream ignores it too".into(),
                );
            }
        }
        Ok(())
    }
}
