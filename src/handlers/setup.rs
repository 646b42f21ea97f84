//! Setup: what `init` and `wizard` write. A brand-new data directory is built in a staging
//! directory beside the target and renamed into place, so an interrupted or failed setup leaves
//! nothing half-written; adding to an existing directory stages every file of one transaction
//! under the writer lock.

use crate::audit::NewEvent;
use crate::error::{Error, Result};
use crate::keys::ServerKey;
use crate::store::agents::{Agent, AgentIndex};
use crate::store::bindings::{Binding, PolicyEntry};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, SUBDIRS, Txn};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Everything one setup writes. Built completely (and validated) before anything touches disk.
pub struct SetupPlan {
    pub owner: Owner,
    /// False when `owner` already exists in the data directory.
    pub new_owner: bool,
    pub agent_id: String,
    pub public_key_b64: String,
    pub policy_yaml: String,
    /// Upper-case profile label for the `POLICY_UPSERTED` event, e.g. `BALANCED` or `CUSTOM`.
    pub profile: String,
    pub policy_name: String,
    pub policy_description: String,
    /// Bind the policy to the new agent only (instead of owner-wide), so adding an agent to an
    /// existing owner never changes what the owner's other agents may do.
    pub bind_to_agent: bool,
    /// A new `admin.token` for config.yaml.
    pub admin_token: Option<String>,
}

/// What a setup created.
pub struct Created {
    pub owner: Owner,
    pub agent: Agent,
    pub policy_id: String,
    /// The signing key, when the setup created the data directory.
    pub kid: Option<String>,
}

pub fn dir_has_entries(p: &Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut rd| rd.next().is_some())
        .unwrap_or(false)
}

/// Creates a fresh data directory at `target` (which must not exist or be empty).
pub fn create_new(target: &Path, plan: &SetupPlan) -> Result<Created> {
    create_staged(target, |staging| build_new(staging, plan))
}

/// `openleash init --no-owner`: a fresh data directory with config and signing key only; its
/// first user comes from `POST /v1/initial-setup` (SPEC §17). Returns the signing key id.
pub fn create_new_without_owner(target: &Path) -> Result<String> {
    create_staged(target, |staging| {
        let dd = prepare_staging(staging)?;
        let mut txn = Txn::default();
        txn.write_mode(
            &dd.config_path(),
            crate::config::DEFAULT_CONFIG_YAML.as_bytes().to_vec(),
            crate::store::SECRET_MODE,
        );
        let key = ServerKey::generate();
        dd.stage_new_active_key(&mut txn, &key)?;
        txn.commit()?;
        dd.append_audit(vec![NewEvent::new(
            "KEY_ROTATED",
            json!({"new_kid": key.kid}),
        )])?;
        Ok(key.kid)
    })
}

fn create_staged<T>(target: &Path, build: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "data".into());
    let staging = parent.join(format!(".{name}.init-{}", std::process::id()));
    let result = build(&staging).and_then(|created| {
        // rename(2) replaces an empty directory, so an existing empty target is fine.
        if target.is_dir() && !dir_has_entries(target) {
            let _ = std::fs::remove_dir(target);
        }
        std::fs::rename(&staging, target).map_err(|e| Error::io("create", target, e))?;
        crate::store::fsio::sync_dir(&parent)?;
        Ok(created)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn prepare_staging(staging: &Path) -> Result<DataDir> {
    for sub in SUBDIRS {
        let p = staging.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| Error::io("create", &p, e))?;
    }
    // The data directory holds tokens and keys: only its owner may enter it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            staging,
            std::fs::Permissions::from_mode(crate::store::DATA_DIR_MODE),
        )
        .map_err(|e| Error::io("set permissions of", staging, e))?;
    }
    Ok(DataDir::at(staging))
}

fn build_new(staging: &Path, plan: &SetupPlan) -> Result<Created> {
    let dd = prepare_staging(staging)?;
    let mut txn = Txn::default();
    let config = match &plan.admin_token {
        Some(t) => with_admin_token(crate::config::DEFAULT_CONFIG_YAML, t)?,
        None => crate::config::DEFAULT_CONFIG_YAML.to_string(),
    };
    txn.write_mode(
        &dd.config_path(),
        config.into_bytes(),
        crate::store::SECRET_MODE,
    );
    let key = ServerKey::generate();
    dd.stage_new_active_key(&mut txn, &key)?;
    let mut index = AgentIndex::default();
    let mut bindings = crate::store::bindings::Bindings::default();
    let (agent, policy_id) = stage_entities(&dd, &mut txn, &mut index, &mut bindings, plan)?;
    txn.commit()?;

    let mut events = setup_events(plan, &agent, &policy_id);
    events.insert(1, NewEvent::new("KEY_ROTATED", json!({"new_kid": key.kid})));
    events.push(
        NewEvent::new(
            "INITIAL_SETUP_COMPLETED",
            json!({"owner_id": plan.owner.owner_id}),
        )
        .principal(&plan.owner.owner_id),
    );
    dd.append_audit(events)?;
    Ok(Created {
        owner: plan.owner.clone(),
        agent,
        policy_id,
        kid: Some(key.kid),
    })
}

/// Adds the plan's owner (when new), agent, policy and binding to an initialised directory.
pub fn add_to_existing(dd: &DataDir, plan: &SetupPlan) -> Result<Created> {
    let (agent, policy_id) = {
        let _lock = dd.lock()?;
        if !plan.new_owner {
            // The owner must still exist when we write (another process may have changed it).
            dd.owner(&plan.owner.owner_id)?;
        }
        let mut txn = Txn::default();
        let mut index = dd.agent_index()?;
        // Only the new policy is staged: the rest of the catalogue is not read.
        let mut bindings = crate::store::bindings::Bindings::default();
        let staged = stage_entities(dd, &mut txn, &mut index, &mut bindings, plan)?;
        if let Some(t) = &plan.admin_token {
            let path = dd.config_path();
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
            txn.write_mode(
                &path,
                with_admin_token(&text, t)?.into_bytes(),
                crate::store::SECRET_MODE,
            );
        }
        txn.commit()?;
        staged
    };
    let mut events = setup_events(plan, &agent, &policy_id);
    if plan.admin_token.is_some() {
        events.push(NewEvent::new(
            "CONFIG_UPDATED",
            json!({"changed": ["admin.token"]}),
        ));
    }
    dd.append_audit(events)?;
    Ok(Created {
        owner: plan.owner.clone(),
        agent,
        policy_id,
        kid: None,
    })
}

fn stage_entities(
    dd: &DataDir,
    txn: &mut Txn,
    index: &mut AgentIndex,
    bindings: &mut crate::store::bindings::Bindings,
    plan: &SetupPlan,
) -> Result<(Agent, String)> {
    let owner = &plan.owner;
    if plan.new_owner {
        let mut o = owner.clone();
        // The first user of an instance is its admin (SPEC §17 Δ: a single-user install can use
        // every page); a data directory without any user yet has no `owners/*.yaml`.
        if o.owner_type == OwnerType::User && dd.list_ids("owners", "yaml")?.is_empty() {
            o.system_roles = Some(vec![crate::handlers::users::ADMIN_ROLE.to_string()]);
        }
        dd.stage_owner(txn, &o)?;
    }
    let agent = Agent::new(&plan.agent_id, owner, plan.public_key_b64.clone());
    dd.stage_new_agent(txn, index, &agent)?;
    let policy_id = crate::ids::new_id();
    txn.write(
        &dd.policy_path(&policy_id)?,
        plan.policy_yaml.as_bytes().to_vec(),
    );
    bindings.policies.push(PolicyEntry {
        policy_id: policy_id.clone(),
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        name: Some(plan.policy_name.clone()),
        description: Some(plan.policy_description.clone()),
        created_at: crate::timefmt::now_string(),
        updated_at: None,
    });
    bindings.bindings.push(Binding {
        policy_id: policy_id.clone(),
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        agent_principal_id: plan.bind_to_agent.then(|| agent.agent_principal_id.clone()),
        group_id: None,
        rank: None,
    });
    dd.stage_policy_change(txn, &crate::store::bindings::Bindings::default(), bindings)?;
    Ok((agent, policy_id))
}

fn setup_events(plan: &SetupPlan, agent: &Agent, policy_id: &str) -> Vec<NewEvent> {
    let owner = &plan.owner;
    let ty = owner.owner_type.as_str();
    let mut events = Vec::new();
    if plan.new_owner {
        let created_event = if owner.owner_type == OwnerType::Org {
            "ORG_CREATED"
        } else {
            "USER_CREATED"
        };
        events.push(
            NewEvent::new(created_event, json!({"owner_id": owner.owner_id, "owner_type": ty, "display_name": owner.display_name}))
                .principal(&owner.owner_id),
        );
    }
    events.push(
        NewEvent::new("AGENT_REGISTERED", json!({"agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id, "owner_id": owner.owner_id, "owner_type": ty}))
            .principal(&agent.agent_principal_id),
    );
    events.push(
        NewEvent::new("POLICY_UPSERTED", json!({"policy_id": policy_id, "profile": plan.profile, "owner_type": ty, "owner_id": owner.owner_id}))
            .principal(&owner.owner_id),
    );
    events
}

/// Sets `admin.token` in config text, keeping its comments: the empty token line the default
/// config carries is replaced in place.
pub fn with_admin_token(config: &str, token: &str) -> Result<String> {
    let mut in_admin = false;
    let mut done = false;
    let mut out = String::with_capacity(config.len() + token.len());
    for line in config.split_inclusive('\n') {
        if !line.starts_with([' ', '\t', '#']) && !line.trim().is_empty() {
            in_admin = line.starts_with("admin:");
        }
        let trimmed = line.trim_start();
        if in_admin && !done && trimmed.starts_with("token:") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!("{indent}token: \"{token}\"\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if done {
        Ok(out)
    } else {
        Err(Error::new(
            crate::error::ErrorCode::InvalidConfig,
            "config.yaml has no admin.token line to fill in",
        )
        .with_hint("set admin.token in config.yaml by hand, or pass --admin-token none"))
    }
}

/// A fresh admin token: 32 random bytes as 64 hex characters (upstream's format).
pub fn new_admin_token() -> String {
    hex::encode(crate::crypto::random_bytes::<32>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_token_fills_the_default_line() {
        let c = with_admin_token(crate::config::DEFAULT_CONFIG_YAML, "abc").unwrap();
        let parsed = crate::config::Config::parse(&c, "config.yaml").unwrap();
        assert_eq!(parsed.admin.token, "abc");
        assert!(c.contains("# localhost | token | localhost_or_token"));
        assert!(with_admin_token("server: {}\n", "x").is_err());
    }
}
