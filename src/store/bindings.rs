//! The policy catalogue (who owns each policy file) and the bindings that decide which policies
//! apply to which owner or agent.
//!
//! Layout (format 2), one small JSON file per entity so that no size makes the directory
//! unreadable (JSON has no parser node budget, and no file grows with the installation):
//! - `policies/<policy_id>.json`: the catalogue entry and every binding of that policy;
//! - `bindings/agents/<agent_principal_id>/<policy_id>` and `bindings/owners/<owner_id>/<policy_id>`:
//!   empty files saying which policies are bound to that subject (an index, so a decision reads
//!   only its agent's chain, and a binding is added or removed in O(1));
//! - `bindings/meta.json`: the format marker and the next insertion order (rank ties keep the
//!   order in which bindings were made). It is written last, so its presence means the layout
//!   is complete.
//!
//! A data directory of format 1 (one `bindings.yaml`) is still read, with no node budget (it is
//! our own file), and is converted in the same transaction as its next write.
//!
//! Lookups are methods here (by agent, by policy, the whole catalogue), not file walks in
//! handlers, so another backend can implement the same indexes.

use super::filecache::Inputs;
use super::listindex::{self, Change, Entry, Kind};
use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyEntry {
    pub policy_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    pub policy_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    /// `None` = owner-wide (or a group's, when `group_id` is set).
    #[serde(default)]
    pub agent_principal_id: Option<String>,
    /// The policy group this binding applies to (upstream `applies_to_group_id`): every member
    /// agent picks it up in the group tier. Never set together with `agent_principal_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Lower first; absent = 100.
    #[serde(default)]
    pub rank: Option<i64>,
}

impl Binding {
    pub fn effective_rank(&self) -> i64 {
        self.rank.unwrap_or(100)
    }

    /// Owner-wide: neither an agent's nor a group's.
    pub fn is_owner_wide(&self) -> bool {
        self.agent_principal_id.is_none() && self.group_id.is_none()
    }

    /// The subject this binding is indexed under.
    fn subject(&self) -> Subject {
        match (&self.agent_principal_id, &self.group_id) {
            (Some(a), _) => Subject::Agent(a.to_ascii_lowercase()),
            (None, Some(g)) => Subject::Group(g.to_ascii_lowercase()),
            (None, None) => Subject::Owner(self.owner_id.to_ascii_lowercase()),
        }
    }

    /// Identity of a binding within its policy: one binding per (owner, agent) pair.
    fn key(&self) -> String {
        let subject = match (&self.agent_principal_id, &self.group_id) {
            (Some(a), _) => a.to_ascii_lowercase(),
            // Prefixed so that a group id can never collide with an agent id.
            (None, Some(g)) => format!("group:{}", g.to_ascii_lowercase()),
            (None, None) => "*".to_string(),
        };
        format!(
            "{}|{}|{}",
            self.policy_id.to_ascii_lowercase(),
            self.owner_id.to_ascii_lowercase(),
            subject
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bindings {
    #[serde(default)]
    pub policies: Vec<PolicyEntry>,
    #[serde(default)]
    pub bindings: Vec<Binding>,
}

impl Bindings {
    pub fn policy(&self, policy_id: &str) -> Option<&PolicyEntry> {
        self.policies
            .iter()
            .find(|p| p.policy_id.eq_ignore_ascii_case(policy_id))
    }

    /// The bindings that apply to an agent that is a member of `group_ids`, most specific tier
    /// first (agent, then its groups, then owner-wide, as upstream `orderBindingsBySpecificity`),
    /// each tier by rank (stable, so ties keep insertion order). The group tier is one rank
    /// space across the agent's groups, as upstream.
    pub fn layers_for_agent(
        &self,
        owner_id: &str,
        agent_principal_id: &str,
        group_ids: &[String],
    ) -> Vec<&Binding> {
        let mine = |b: &&Binding| b.owner_id == owner_id;
        let tier = |f: &dyn Fn(&Binding) -> bool| -> Vec<&Binding> {
            let mut v: Vec<&Binding> = self.bindings.iter().filter(mine).filter(|b| f(b)).collect();
            v.sort_by_key(|b| b.effective_rank());
            v
        };
        let mut out = tier(&|b| b.agent_principal_id.as_deref() == Some(agent_principal_id));
        out.extend(tier(&|b| {
            b.agent_principal_id.is_none()
                && b.group_id
                    .as_deref()
                    .is_some_and(|g| group_ids.iter().any(|x| x.eq_ignore_ascii_case(g)))
        }));
        out.extend(tier(&Binding::is_owner_wide));
        out
    }
}

/// Who a binding applies to: one agent, or every agent of an owner.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    Agent(String),
    Owner(String),
    Group(String),
}

/// `policies/<id>.json`: one catalogue entry and its bindings, each with its insertion order.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PolicyRecord {
    policy: PolicyEntry,
    order: u64,
    #[serde(default)]
    bindings: Vec<OrderedBinding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct OrderedBinding {
    #[serde(flatten)]
    binding: Binding,
    order: u64,
}

/// `bindings/meta.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    format: u32,
    next_order: u64,
}

const FORMAT: u32 = 2;

/// Parsed files of the new layout, reused while a file is unchanged (a long-running server
/// re-reads only the entities a change touched).
type ParsedCache<T> = LazyLock<Mutex<HashMap<PathBuf, (super::filecache::FileKey, Arc<T>)>>>;
static RECORDS: ParsedCache<PolicyRecord> = LazyLock::new(Default::default);

fn cached_json<T: serde::de::DeserializeOwned>(
    cache: &ParsedCache<T>,
    dd: &DataDir,
    path: &Path,
    inputs: &mut Inputs,
) -> Result<Option<Arc<T>>> {
    let key = super::filecache::file_id(path);
    inputs.note(path, key);
    let Some(key) = key else {
        return Ok(None);
    };
    {
        let map = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, v)) = map.get(path)
            && *k == key
        {
            return Ok(Some(v.clone()));
        }
    }
    let Some(v) = dd.read_json::<T>(path)? else {
        return Ok(None);
    };
    let v = Arc::new(v);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    // Bounded: past it the cache starts over rather than growing with the installation.
    if map.len() >= 200_000 {
        map.clear();
    }
    map.insert(path.to_path_buf(), (key, v.clone()));
    Ok(Some(v))
}

impl DataDir {
    /// The format-1 file, read only until the next write converts it.
    pub fn bindings_path(&self) -> PathBuf {
        self.root().join("bindings.yaml")
    }

    fn bindings_dir(&self) -> PathBuf {
        self.root().join("bindings")
    }

    fn bindings_meta_path(&self) -> PathBuf {
        self.bindings_dir().join("meta.json")
    }

    fn policy_record_path(&self, policy_id: &str) -> Result<PathBuf> {
        ids::check_uuid("policy id", policy_id)?;
        Ok(self
            .root()
            .join("policies")
            .join(format!("{}.json", policy_id.to_ascii_lowercase())))
    }

    /// One empty file per bound policy, named by its id: adding or removing a binding touches
    /// one entry whatever the subject's number of policies.
    fn subject_dir(&self, s: &Subject) -> Result<PathBuf> {
        let (dir, id, what) = match s {
            Subject::Agent(a) => ("agents", a, "agent principal id"),
            Subject::Owner(o) => ("owners", o, "owner id"),
            Subject::Group(g) => ("groups", g, "group id"),
        };
        ids::check_uuid(what, id)?;
        Ok(self.bindings_dir().join(dir).join(id))
    }

    /// The policy ids indexed under a subject (unsorted; the records decide the order). The
    /// listing is cached until the directory changes: a decision stats its subjects' index
    /// directories rather than listing them.
    fn subject_policy_ids(&self, s: &Subject, inputs: &mut Inputs) -> Result<Arc<[String]>> {
        super::filecache::uuid_names_noting(&self.subject_dir(s)?, inputs)
    }

    fn bindings_meta(&self) -> Result<Option<Meta>> {
        self.read_json(&self.bindings_meta_path())
    }

    /// Format 1 is in use: `bindings.yaml` exists and no conversion completed.
    fn bindings_legacy(&self) -> Result<bool> {
        // Two stats, no read: this is asked on every decision.
        Ok(!self.bindings_meta_path().exists() && self.bindings_path().is_file())
    }

    /// [`DataDir::bindings_legacy`], noting the files that decided it: `meta.json`, and without
    /// it `bindings.yaml` (whose content is then the catalogue).
    fn bindings_legacy_noting(&self, inputs: &mut Inputs) -> Result<bool> {
        let meta = self.bindings_meta_path();
        let key = super::filecache::file_id(&meta);
        inputs.note(&meta, key);
        if key.is_some() {
            return Ok(false);
        }
        let legacy = self.bindings_path();
        let key = super::filecache::file_id(&legacy);
        inputs.note(&legacy, key);
        Ok(key.is_some() && legacy.is_file())
    }

    fn read_legacy_bindings(&self) -> Result<Bindings> {
        let path = self.bindings_path();
        let Some(bytes) = super::fsio::read_optional(&path)? else {
            return Ok(Bindings::default());
        };
        let text =
            String::from_utf8(bytes).map_err(|_| super::corrupt(&path, "not valid UTF-8"))?;
        // Our own file, possibly written before the node budget was known to bite: read it
        // whatever its size so that it can be converted (the default budget is for input).
        let options = serde_saphyr::options! {
            budget: serde_saphyr::budget! {
                max_nodes: usize::MAX,
                max_events: usize::MAX,
            },
        };
        serde_saphyr::from_str_with_options(&text, options)
            .map_err(|e| super::corrupt(&path, &e.to_string()))
    }

    fn policy_record(&self, policy_id: &str) -> Result<Option<Arc<PolicyRecord>>> {
        self.policy_record_noting(policy_id, &mut Inputs::default())
    }

    fn policy_record_noting(
        &self,
        policy_id: &str,
        inputs: &mut Inputs,
    ) -> Result<Option<Arc<PolicyRecord>>> {
        let path = self.policy_record_path(policy_id)?;
        cached_json(&RECORDS, self, &path, inputs)
    }

    /// The whole catalogue and every binding, in insertion order. O(number of policies): for
    /// lists and whole-catalogue edits; a decision uses [`DataDir::bindings_for_agent`].
    pub fn bindings(&self) -> Result<Bindings> {
        if self.bindings_legacy()? {
            return self.read_legacy_bindings();
        }
        let mut records = Vec::new();
        for id in self.list_ids("policies", "json")? {
            if !ids::is_uuid_shaped(&id) {
                continue;
            }
            if let Some(r) = self.policy_record(&id)? {
                records.push(r);
            }
        }
        Ok(from_records(&records))
    }

    /// At most `limit` policies (entries and their bindings) in policy-id order, starting after
    /// the policy id `after`: a keyset cursor that stays valid while policies are added or
    /// deleted. Reads the directory's names and only the page's records.
    pub fn policies_after(&self, after: Option<&str>, limit: usize) -> Result<Bindings> {
        let after = after.map(str::to_ascii_lowercase);
        if self.bindings_legacy()? {
            let all = self.read_legacy_bindings()?;
            let mut policies: Vec<PolicyEntry> = all
                .policies
                .into_iter()
                .filter(|p| {
                    after
                        .as_deref()
                        .is_none_or(|a| p.policy_id.to_ascii_lowercase().as_str() > a)
                })
                .collect();
            policies.sort_by_key(|p| p.policy_id.to_ascii_lowercase());
            policies.truncate(limit);
            let ids: BTreeSet<String> = policies
                .iter()
                .map(|p| p.policy_id.to_ascii_lowercase())
                .collect();
            let bindings = all
                .bindings
                .into_iter()
                .filter(|b| ids.contains(&b.policy_id.to_ascii_lowercase()))
                .collect();
            return Ok(Bindings { policies, bindings });
        }
        let mut out = Bindings::default();
        for id in self.list_ids("policies", "json")? {
            if out.policies.len() >= limit {
                break;
            }
            if !ids::is_uuid_shaped(&id) || after.as_deref().is_some_and(|a| id.as_str() <= a) {
                continue;
            }
            // Deleted since the listing: skipped.
            if let Some(r) = self.policy_record(&id)? {
                let mut bs: Vec<&OrderedBinding> = r.bindings.iter().collect();
                bs.sort_by_key(|b| b.order);
                out.policies.push(r.policy.clone());
                out.bindings
                    .extend(bs.into_iter().map(|b| b.binding.clone()));
            }
        }
        Ok(out)
    }

    /// Whether any policy is bound for `owner_id`, owner-wide or to one of its agents. Reads the
    /// owner's index first; only an owner with no owner-wide binding costs a look at its agents.
    pub fn owner_has_bindings(&self, owner_id: &str) -> Result<bool> {
        if self.bindings_legacy()? {
            return Ok(self
                .read_legacy_bindings()?
                .bindings
                .iter()
                .any(|b| b.owner_id.eq_ignore_ascii_case(owner_id)));
        }
        if !ids::is_uuid_shaped(owner_id) {
            return Ok(false);
        }
        if !self.bindings_for_subject(owner_id, None)?.is_empty() {
            return Ok(true);
        }
        for a in self.agents()? {
            if a.owner_id.eq_ignore_ascii_case(owner_id)
                && !self
                    .bindings_for_subject(owner_id, Some(&a.agent_principal_id))?
                    .is_empty()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// One policy's catalogue entry, reading only that policy's record.
    pub fn policy_entry(&self, policy_id: &str) -> Result<Option<PolicyEntry>> {
        if self.bindings_legacy()? {
            return Ok(self.read_legacy_bindings()?.policy(policy_id).cloned());
        }
        Ok(self.policy_record(policy_id)?.map(|r| r.policy.clone()))
    }

    /// Every policy id, lower-case: the directory's names (no record is read), or the format-1
    /// catalogue's ids.
    pub fn policy_ids(&self) -> Result<Vec<String>> {
        if self.bindings_legacy()? {
            return Ok(self
                .read_legacy_bindings()?
                .policies
                .iter()
                .map(|p| p.policy_id.to_ascii_lowercase())
                .collect());
        }
        Ok(self
            .list_ids("policies", "json")?
            .into_iter()
            .filter(|id| ids::is_uuid_shaped(id))
            .map(|id| id.to_ascii_lowercase())
            .collect())
    }

    /// The ids of the policies of `owner_id` (lower-case; callers check each record): its
    /// scope of the owner policy index when that is built (no other owner's record is read),
    /// else a pass over the catalogue. Call under the writer lock, so the index is current.
    pub fn owner_policy_ids(&self, owner_id: &str) -> Result<Vec<String>> {
        let scope = listindex::owner_scope(owner_id);
        if let Some(m) = listindex::manifest(self.root(), Kind::OwnerPolicies, &scope)? {
            let mut walk =
                listindex::Walk::new(self.root(), Kind::OwnerPolicies, scope, m, false, None);
            let mut out = Vec::new();
            while let Some(e) = walk.next_entry(&|_| true)? {
                out.push(e.id);
            }
            if !walk.stale {
                return Ok(out);
            }
        }
        Ok(self
            .bindings()?
            .policies
            .into_iter()
            .filter(|p| p.owner_id.eq_ignore_ascii_case(owner_id))
            .map(|p| p.policy_id.to_ascii_lowercase())
            .collect())
    }

    /// One policy's entry and bindings as a partial catalogue (empty when it does not exist).
    pub fn policy_view(&self, policy_id: &str) -> Result<Bindings> {
        if self.bindings_legacy()? {
            let all = self.read_legacy_bindings()?;
            return Ok(Bindings {
                policies: all
                    .policies
                    .into_iter()
                    .filter(|p| p.policy_id.eq_ignore_ascii_case(policy_id))
                    .collect(),
                bindings: all
                    .bindings
                    .into_iter()
                    .filter(|b| b.policy_id.eq_ignore_ascii_case(policy_id))
                    .collect(),
            });
        }
        Ok(match self.policy_record(policy_id)? {
            Some(r) => from_records(&[r]),
            None => Bindings::default(),
        })
    }

    /// The bindings bound to one subject (an agent, or owner-wide when `agent` is `None`) of
    /// `owner_id`, in insertion order.
    pub fn bindings_for_subject(
        &self,
        owner_id: &str,
        agent: Option<&str>,
    ) -> Result<Vec<Binding>> {
        if self.bindings_legacy()? {
            let agent = agent.map(str::to_ascii_lowercase);
            return Ok(self
                .read_legacy_bindings()?
                .bindings
                .into_iter()
                .filter(|b| b.owner_id.eq_ignore_ascii_case(owner_id) && b.group_id.is_none())
                .filter(|b| b.agent_principal_id.as_deref().map(str::to_ascii_lowercase) == agent)
                .collect());
        }
        let subject = match agent {
            Some(a) => Subject::Agent(a.to_ascii_lowercase()),
            None => Subject::Owner(owner_id.to_ascii_lowercase()),
        };
        self.subject_bindings(owner_id, &subject, &mut Inputs::default())
    }

    /// Every policy with a binding to agent `agent_principal_id` (whatever the binding's owner),
    /// each with all its bindings: what deleting that agent changes. Reads the agent's index.
    pub fn policies_bound_to_agent(&self, agent_principal_id: &str) -> Result<Bindings> {
        let pid = agent_principal_id.to_ascii_lowercase();
        let ids: BTreeSet<String> = if self.bindings_legacy()? {
            self.read_legacy_bindings()?
                .bindings
                .iter()
                .filter(|b| {
                    b.agent_principal_id
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&pid))
                })
                .map(|b| b.policy_id.to_ascii_lowercase())
                .collect()
        } else if ids::is_uuid_shaped(&pid) {
            self.subject_policy_ids(&Subject::Agent(pid), &mut Inputs::default())?
                .iter()
                .cloned()
                .collect()
        } else {
            BTreeSet::new()
        };
        let mut out = Bindings::default();
        for id in &ids {
            let v = self.policy_view(id)?;
            out.policies.extend(v.policies);
            out.bindings.extend(v.bindings);
        }
        Ok(out)
    }

    /// The bindings of `owner_id` that apply to policy group `group_id`, in insertion order
    /// (reads only the group's index).
    pub fn bindings_for_group(&self, owner_id: &str, group_id: &str) -> Result<Vec<Binding>> {
        if self.bindings_legacy()? {
            return Ok(self
                .read_legacy_bindings()?
                .bindings
                .into_iter()
                .filter(|b| b.owner_id.eq_ignore_ascii_case(owner_id))
                .filter(|b| b.agent_principal_id.is_none())
                .filter(|b| {
                    b.group_id
                        .as_deref()
                        .is_some_and(|g| g.eq_ignore_ascii_case(group_id))
                })
                .collect());
        }
        if !ids::is_uuid_shaped(group_id) {
            return Ok(vec![]);
        }
        self.subject_bindings(
            owner_id,
            &Subject::Group(group_id.to_ascii_lowercase()),
            &mut Inputs::default(),
        )
    }

    /// Format 2 only: the bindings of `owner_id` indexed under `subject`, in insertion order.
    /// Everything read is noted in `inputs`.
    fn subject_bindings(
        &self,
        owner_id: &str,
        subject: &Subject,
        inputs: &mut Inputs,
    ) -> Result<Vec<Binding>> {
        let subject = subject.clone();
        let mut found: Vec<(u64, Binding)> = Vec::new();
        for id in self.subject_policy_ids(&subject, inputs)?.iter() {
            // The index may name a policy deleted by hand: the record is the truth.
            let Some(r) = self.policy_record_noting(id, inputs)? else {
                continue;
            };
            for ob in &r.bindings {
                if ob.binding.subject() == subject
                    && ob.binding.owner_id.eq_ignore_ascii_case(owner_id)
                {
                    found.push((ob.order, ob.binding.clone()));
                }
            }
        }
        found.sort_by_key(|(o, _)| *o);
        Ok(found.into_iter().map(|(_, b)| b).collect())
    }

    /// The bindings that decide for an agent (see [`Bindings::layers_for_agent`]), reading only
    /// that agent's and its owner's index and the records they name.
    pub fn bindings_for_agent(
        &self,
        owner_id: &str,
        agent_principal_id: &str,
    ) -> Result<Vec<Binding>> {
        self.bindings_for_agent_noting(owner_id, agent_principal_id, &mut Inputs::default())
    }

    /// [`DataDir::bindings_for_agent`], noting in `inputs` every file and directory read (the
    /// agent's memberships, the layout marker, each index directory and each record), so that a
    /// value derived from the result can be revalidated by `stat`s alone.
    pub fn bindings_for_agent_noting(
        &self,
        owner_id: &str,
        agent_principal_id: &str,
        inputs: &mut Inputs,
    ) -> Result<Vec<Binding>> {
        let groups = self.agent_group_ids_noting(agent_principal_id, inputs)?;
        if self.bindings_legacy_noting(inputs)? {
            let all = self.read_legacy_bindings()?;
            return Ok(all
                .layers_for_agent(owner_id, agent_principal_id, &groups)
                .into_iter()
                .cloned()
                .collect());
        }
        if !ids::is_uuid_shaped(owner_id) || !ids::is_uuid_shaped(agent_principal_id) {
            return Ok(vec![]);
        }
        // Same tiers and tie order as `layers_for_agent`, which compares owner ids exactly.
        let exact = |v: Vec<Binding>| -> Vec<Binding> {
            let mut v: Vec<Binding> = v.into_iter().filter(|b| b.owner_id == owner_id).collect();
            v.sort_by_key(Binding::effective_rank);
            v
        };
        let agent = Subject::Agent(agent_principal_id.to_ascii_lowercase());
        let mut layers = exact(
            self.subject_bindings(owner_id, &agent, inputs)?
                .into_iter()
                .filter(|b| b.agent_principal_id.as_deref() == Some(agent_principal_id))
                .collect(),
        );
        // The group tier: one rank space across every group the agent is in. No groups (the
        // common case) costs the one listing `agent_group_ids` did.
        let mut group_tier = Vec::new();
        for g in &groups {
            group_tier.extend(self.subject_bindings(
                owner_id,
                &Subject::Group(g.clone()),
                inputs,
            )?);
        }
        layers.extend(exact(group_tier));
        let owner = Subject::Owner(owner_id.to_ascii_lowercase());
        layers.extend(exact(self.subject_bindings(owner_id, &owner, inputs)?));
        Ok(layers)
    }

    /// Stages `after` as the whole catalogue (the caller holds the writer lock and read the
    /// catalogue under it): writes only the records and indexes that differ from the stored
    /// ones, or, in a format-1 directory, converts it in this same transaction.
    pub fn stage_bindings(&self, txn: &mut Txn, after: &Bindings) -> Result<()> {
        let before = if self.bindings_legacy()? {
            None
        } else {
            Some(self.bindings()?)
        };
        self.stage_bindings_change(txn, before.as_ref(), after)
    }

    /// Stages a change of a few policies: `before` holds their stored state (from
    /// [`DataDir::policy_view`], or empty for new ones) and `after` their new state. Reads and
    /// writes only those policies' records and subjects; a format-1 directory is converted.
    pub fn stage_policy_change(
        &self,
        txn: &mut Txn,
        before: &Bindings,
        after: &Bindings,
    ) -> Result<()> {
        if !self.bindings_legacy()? {
            return self.stage_bindings_change(txn, Some(before), after);
        }
        let touched: BTreeSet<String> = before
            .policies
            .iter()
            .chain(&after.policies)
            .map(|p| p.policy_id.to_ascii_lowercase())
            .collect();
        let mut all = self.read_legacy_bindings()?;
        all.policies
            .retain(|p| !touched.contains(&p.policy_id.to_ascii_lowercase()));
        all.bindings
            .retain(|b| !touched.contains(&b.policy_id.to_ascii_lowercase()));
        all.policies.extend(after.policies.iter().cloned());
        all.bindings.extend(after.bindings.iter().cloned());
        self.stage_bindings_change(txn, None, &all)
    }

    /// Stages a change of the policies named in `before` or `after` (a partial catalogue: a
    /// policy in neither is left alone). `before: None` means format 1 is being converted and
    /// `after` is the whole catalogue. Every staged file is checked to read back before
    /// anything is written.
    pub fn stage_bindings_change(
        &self,
        txn: &mut Txn,
        before: Option<&Bindings>,
        after: &Bindings,
    ) -> Result<()> {
        let converting = before.is_none();
        // Converting: the list indexes were built from the format-1 file, so that is what a
        // policy's entries change from (and a policy the conversion drops leaves them).
        let mut legacy_entries = if converting && self.bindings_legacy()? {
            Some(legacy_list_entries(&self.read_legacy_bindings()?))
        } else {
            None
        };
        let before = before.cloned().unwrap_or_default();
        let mut meta = self.bindings_meta()?.unwrap_or(Meta {
            format: FORMAT,
            next_order: 1,
        });
        // Stored orders of what exists (so an unchanged binding keeps its place among ties).
        let ids_before: BTreeSet<String> = before
            .policies
            .iter()
            .map(|p| p.policy_id.to_ascii_lowercase())
            .chain(
                before
                    .bindings
                    .iter()
                    .map(|b| b.policy_id.to_ascii_lowercase()),
            )
            .collect();
        let mut orders: HashMap<String, u64> = HashMap::new();
        let mut stored: BTreeMap<String, Arc<PolicyRecord>> = BTreeMap::new();
        if !converting {
            for id in &ids_before {
                if let Some(r) = self.policy_record(id)? {
                    orders.insert(format!("policy|{id}"), r.order);
                    for ob in &r.bindings {
                        orders.insert(ob.binding.key(), ob.order);
                    }
                    stored.insert(id.clone(), r);
                }
            }
        }
        let mut next = || {
            let o = meta.next_order;
            meta.next_order += 1;
            o
        };
        // The new records, in `after`'s order (new orders follow it).
        let mut records: BTreeMap<String, PolicyRecord> = BTreeMap::new();
        let mut orphan_bindings: Vec<&Binding> = Vec::new();
        for p in &after.policies {
            let id = p.policy_id.to_ascii_lowercase();
            let order = *orders
                .entry(format!("policy|{id}"))
                .or_insert_with(&mut next);
            records.insert(
                id,
                PolicyRecord {
                    policy: p.clone(),
                    order,
                    bindings: vec![],
                },
            );
        }
        for b in &after.bindings {
            let id = b.policy_id.to_ascii_lowercase();
            let order = *orders.entry(b.key()).or_insert_with(&mut next);
            match records.get_mut(&id) {
                Some(r) => r.bindings.push(OrderedBinding {
                    binding: b.clone(),
                    order,
                }),
                None => orphan_bindings.push(b),
            }
        }
        if let Some(b) = orphan_bindings.first() {
            return Err(Error::internal(format!(
                "a binding of policy {} has no catalogue entry",
                b.policy_id
            )));
        }
        // What changed, and which subject indexes that touches.
        let mut subject_changes: BTreeMap<Subject, (BTreeSet<String>, BTreeSet<String>)> =
            BTreeMap::new();
        let subjects = |r: Option<&PolicyRecord>| -> BTreeSet<Subject> {
            r.map(|r| r.bindings.iter().map(|b| b.binding.subject()).collect())
                .unwrap_or_default()
        };
        let all_ids: BTreeSet<String> = ids_before
            .iter()
            .cloned()
            .chain(records.keys().cloned())
            .collect();
        for id in &all_ids {
            let old = stored.get(id).map(|r| &**r);
            let new = records.get(id);
            let same = match (old, new) {
                (Some(o), Some(n)) => same_record(o, n),
                (None, None) => true,
                _ => false,
            };
            if same {
                continue;
            }
            let path = self.policy_record_path(id)?;
            match new {
                Some(n) => txn.write(&path, checked_json(n)?),
                None => txn.remove(&path),
            }
            let was: ListEntries = match legacy_entries.as_mut() {
                Some(l) => l.remove(id).unwrap_or_default(),
                None => old.map(record_list_entries).into_iter().flatten().collect(),
            };
            let is: ListEntries = new.map(record_list_entries).into_iter().flatten().collect();
            stage_list_entries(self.root(), txn, &was, &is);
            let (was, is) = (subjects(old), subjects(new));
            for s in was.difference(&is) {
                subject_changes
                    .entry(s.clone())
                    .or_default()
                    .1
                    .insert(id.clone());
            }
            for s in is.difference(&was) {
                subject_changes
                    .entry(s.clone())
                    .or_default()
                    .0
                    .insert(id.clone());
            }
        }
        for (_, was) in legacy_entries.take().into_iter().flatten() {
            stage_list_entries(self.root(), txn, &was, &[]);
        }
        if converting {
            // Every subject index is new: build them from the records.
            subject_changes.clear();
            for (id, r) in &records {
                for b in &r.bindings {
                    subject_changes
                        .entry(b.binding.subject())
                        .or_default()
                        .0
                        .insert(id.clone());
                }
            }
        }
        for (s, (add, remove)) in subject_changes {
            let dir = self.subject_dir(&s)?;
            if !add.is_empty() {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| Error::io("create directory", &dir, e))?;
            }
            for id in remove {
                txn.remove(&dir.join(&id));
            }
            for id in add {
                txn.write(&dir.join(&id), Vec::new());
            }
        }
        let dir = self.bindings_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
        // Last: its presence marks the layout complete (a crash before it leaves format 1).
        txn.write(&self.bindings_meta_path(), checked_json(&meta)?);
        if converting {
            txn.remove(&self.bindings_path());
        }
        Ok(())
    }

    pub fn policy_path(&self, policy_id: &str) -> Result<PathBuf> {
        ids::check_uuid("policy id", policy_id)?;
        Ok(self
            .root()
            .join("policies")
            .join(format!("{}.yaml", policy_id.to_ascii_lowercase())))
    }

    /// The stored policy text, exactly as given.
    pub fn policy_text(&self, policy_id: &str) -> Result<String> {
        let path = self.policy_path(policy_id)?;
        let bytes =
            super::fsio::read_optional(&path)?.ok_or_else(|| policy_not_found(policy_id))?;
        String::from_utf8(bytes).map_err(|_| super::corrupt(&path, "not valid UTF-8"))
    }
}

/// The sort key of a policy in `policy list` (oldest first), as its cursors name it.
pub fn catalogue_key(p: &PolicyEntry) -> String {
    format!("{}\u{1f}{}", p.created_at, p.policy_id.to_ascii_lowercase())
}

/// The sort key of a policy in its owner's list (`GET /v1/owner/policies`), as its cursors name
/// it: agent-bound policies first, then by agent, rank and id, all from the policy's first
/// binding (`first`, in insertion order; `None` when it is not bound).
pub fn owner_list_key(p: &PolicyEntry, first: Option<&Binding>) -> String {
    let agent = first.and_then(|x| x.agent_principal_id.as_deref());
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        u8::from(agent.is_none()),
        agent.unwrap_or(""),
        first.map_or(String::new(), |x| listindex::sortable_i64(
            x.effective_rank()
        )),
        p.policy_id
    )
}

/// A policy's entries in the policy list indexes: the catalogue's and its owner's.
fn list_entries(p: &PolicyEntry, first: Option<&Binding>) -> [(Kind, String, Entry); 2] {
    let entry = |key: String| Entry {
        key,
        id: p.policy_id.to_ascii_lowercase(),
        flag: '-',
        exp: String::new(),
        agent_principal_id: first
            .and_then(|x| x.agent_principal_id.clone())
            .unwrap_or_default(),
        agent_id: String::new(),
    };
    [
        (
            Kind::Catalogue,
            listindex::ALL.to_string(),
            entry(catalogue_key(p)),
        ),
        (
            Kind::OwnerPolicies,
            listindex::owner_scope(&p.owner_id),
            entry(owner_list_key(p, first)),
        ),
    ]
}

fn record_list_entries(r: &PolicyRecord) -> [(Kind, String, Entry); 2] {
    let first = r
        .bindings
        .iter()
        .min_by_key(|b| b.order)
        .map(|b| &b.binding);
    list_entries(&r.policy, first)
}

/// A policy's entries in the list indexes (see [`list_entries`]).
type ListEntries = Vec<(Kind, String, Entry)>;

/// The list entries of every policy of a format-1 catalogue, by lower-case id (what the index
/// holds for them before the conversion).
fn legacy_list_entries(b: &Bindings) -> HashMap<String, ListEntries> {
    let mut first: HashMap<String, &Binding> = HashMap::new();
    for x in &b.bindings {
        first.entry(x.policy_id.to_ascii_lowercase()).or_insert(x);
    }
    b.policies
        .iter()
        .map(|p| {
            let id = p.policy_id.to_ascii_lowercase();
            let entries = list_entries(p, first.get(&id).copied()).to_vec();
            (id, entries)
        })
        .collect()
}

/// Stages the list-index changes of one policy going from the entries `was` to `is`: an entry
/// that is unchanged is not staged (so an edit that moves nothing reads no index chunk).
fn stage_list_entries(
    root: &Path,
    txn: &mut Txn,
    was: &[(Kind, String, Entry)],
    is: &[(Kind, String, Entry)],
) {
    let op = |kind: Kind, scope: &str, change: Change| listindex::Op {
        root: root.to_path_buf(),
        kind,
        scope: scope.to_string(),
        change,
    };
    for (kind, scope, e) in was {
        let kept = is
            .iter()
            .any(|(k, s, n)| k == kind && s == scope && n.key == e.key);
        if !kept {
            txn.index(op(*kind, scope, Change::Remove(e.key.clone())));
        }
    }
    for (kind, scope, e) in is {
        if !was
            .iter()
            .any(|(k, s, o)| k == kind && s == scope && o == e)
        {
            txn.index(op(*kind, scope, Change::Put(e.clone())));
        }
    }
}

impl DataDir {
    /// Rebuilds a policy list index ([`Kind::Catalogue`] or [`Kind::OwnerPolicies`]) from the
    /// records; the caller holds the writer lock. Records are read without the parse cache (a
    /// rebuild must not keep the whole catalogue in memory). A record that does not read fails
    /// the rebuild: the list then reads the catalogue as before and reports the damaged file
    /// (`DATA_CORRUPT`, naming it) rather than silently leaving a policy out.
    pub(super) fn rebuild_policy_list_index(&self, kind: Kind) -> Result<()> {
        let pick = move |p: &PolicyEntry, first: Option<&Binding>| {
            list_entries(p, first)
                .into_iter()
                .find(|(k, _, _)| *k == kind)
                .map(|(_, scope, e)| Ok((e, vec![scope])))
        };
        if self.bindings_legacy()? {
            let b = self.read_legacy_bindings()?;
            let mut first: HashMap<String, &Binding> = HashMap::new();
            for x in &b.bindings {
                first.entry(x.policy_id.to_ascii_lowercase()).or_insert(x);
            }
            let entries: Vec<_> = b
                .policies
                .iter()
                .filter_map(|p| pick(p, first.get(&p.policy_id.to_ascii_lowercase()).copied()))
                .collect();
            return listindex::rebuild(self.root(), kind, entries);
        }
        let ids = self.list_ids("policies", "json")?;
        let records = ids
            .into_iter()
            .filter(|id| ids::is_uuid_shaped(id))
            .filter_map(|id| {
                let record = self
                    .policy_record_path(&id)
                    .and_then(|path| self.read_json::<PolicyRecord>(&path));
                match record {
                    Ok(Some(r)) => {
                        let first = r
                            .bindings
                            .iter()
                            .min_by_key(|b| b.order)
                            .map(|b| &b.binding);
                        pick(&r.policy, first)
                    }
                    // Deleted since the listing.
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                }
            });
        listindex::rebuild(self.root(), kind, records)
    }
}

/// Records back to the catalogue view, everything in insertion order.
fn from_records(records: &[Arc<PolicyRecord>]) -> Bindings {
    let mut policies: Vec<(u64, PolicyEntry)> = records
        .iter()
        .map(|r| (r.order, r.policy.clone()))
        .collect();
    let mut bindings: Vec<(u64, Binding)> = records
        .iter()
        .flat_map(|r| r.bindings.iter().map(|b| (b.order, b.binding.clone())))
        .collect();
    policies.sort_by_key(|(o, _)| *o);
    bindings.sort_by_key(|(o, _)| *o);
    Bindings {
        policies: policies.into_iter().map(|(_, p)| p).collect(),
        bindings: bindings.into_iter().map(|(_, b)| b).collect(),
    }
}

fn same_record(a: &PolicyRecord, b: &PolicyRecord) -> bool {
    a.policy == b.policy
        && a.order == b.order
        && a.bindings.len() == b.bindings.len()
        && a.bindings
            .iter()
            .zip(&b.bindings)
            .all(|(x, y)| x.binding == y.binding && x.order == y.order)
}

/// Serialises an index or record and proves it reads back, so a write that could not be read
/// again is refused before anything is written.
fn checked_json<T: Serialize + serde::de::DeserializeOwned>(v: &T) -> Result<Vec<u8>> {
    let bytes = super::to_json_pretty(v)?;
    serde_json::from_slice::<T>(&bytes).map_err(|e| {
        Error::internal(format!(
            "refusing to write a file that does not read back: {e}"
        ))
    })?;
    Ok(bytes)
}

pub fn policy_not_found(id: &str) -> Error {
    Error::new(ErrorCode::PolicyNotFound, format!("no policy with id {id}"))
        .with_hint("list policies with `openleash policy list`")
}

#[cfg(test)]
mod tests {
    use crate::handlers::policies::{NewPolicy, create};
    use crate::store::agents::Agent;
    use crate::store::owners::{Owner, OwnerType};

    #[test]
    fn policies_page_in_key_order_and_owners_know_their_bindings() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let alice = Owner::new(OwnerType::User, "Alice");
        let bob = Owner::new(OwnerType::User, "Bob");
        let bot = Agent::new("bot", &bob, "AAAA".into());
        dd.register_agent(&bot, |_| Ok(())).unwrap();
        let new = |owner: &Owner, agent: Option<&str>| NewPolicy {
            policy_id: None,
            owner_type: owner.owner_type,
            owner_id: owner.owner_id.clone(),
            agent_principal_id: agent.map(str::to_string),
            name: None,
            description: None,
            rank: None,
            text: crate::profiles::BALANCED.to_string(),
        };
        let mut ids: Vec<String> = (0..5)
            .map(|_| create(&dd, &new(&alice, None)).unwrap())
            .collect();
        assert!(dd.owner_has_bindings(&alice.owner_id).unwrap());
        assert!(!dd.owner_has_bindings(&bob.owner_id).unwrap());
        ids.push(create(&dd, &new(&bob, Some(&bot.agent_principal_id))).unwrap());
        // Bob's only binding is to one of his agents.
        assert!(dd.owner_has_bindings(&bob.owner_id).unwrap());
        ids.sort();
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = dd.policies_after(after.as_deref(), 2).unwrap();
            if page.policies.is_empty() {
                break;
            }
            assert!(page.policies.len() <= 2);
            // Each page carries its policies' bindings and no others.
            assert_eq!(page.bindings.len(), page.policies.len());
            after = page.policies.last().map(|p| p.policy_id.clone());
            seen.extend(page.policies.into_iter().map(|p| p.policy_id));
        }
        assert_eq!(seen, ids);
    }
}
