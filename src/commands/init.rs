//! `openleash init`: creates a complete data directory in one step. Everything is built in a
//! staging directory beside the target and renamed into place at the end, so an interrupted or
//! failed init leaves nothing half-written.

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::{InitArgs, OwnerTypeArg};
use crate::crypto::{ed25519, passphrase};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::ServerKey;
use crate::store::agents::{Agent, AgentIndex};
use crate::store::bindings::{Binding, Bindings, PolicyEntry};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, SUBDIRS, Txn};
use serde_json::json;
use std::path::{Path, PathBuf};

pub fn run(args: InitArgs, ctx: &Ctx) -> Result<u8> {
    crate::ids::check_agent_id(&args.agent_id)?;
    let secret = super::read_secret(args.passphrase_file.as_deref(), args.passphrase_stdin)?;
    if let Some(p) = &secret {
        passphrase::check_strength(p)?;
    }
    let target = ctx.data_dir.clone();
    let existing = DataDir::at(&target);
    let mut moved_to = None;
    if existing.is_initialized() || dir_has_entries(&target) {
        if !args.force {
            let what = if existing.is_initialized() {
                "is already initialised"
            } else {
                "exists and is not empty"
            };
            return Err(Error::new(ErrorCode::AlreadyExists, format!("{} {what}", target.display()))
                .with_hint("keep using it, choose another --data-dir, or pass --force to move it aside to <dir>.bak-<timestamp> and start over"));
        }
        let bak = backup_path(&target);
        std::fs::rename(&target, &bak).map_err(|e| Error::io("move aside", &target, e))?;
        moved_to = Some(bak);
    }

    let owner_type = match args.owner_type {
        OwnerTypeArg::User => OwnerType::User,
        OwnerTypeArg::Org => OwnerType::Org,
    };
    let created = create(&target, &args, owner_type, secret.as_deref());
    let created = match created {
        Ok(c) => c,
        Err(e) => {
            if let Some(bak) = &moved_to {
                let _ = std::fs::rename(bak, &target);
            }
            return Err(e);
        }
    };

    let env_written = match &args.output_env {
        Some(p) => {
            super::write_env_file(
                p,
                &created.agent.agent_id,
                &created.private_key_b64,
                &created.owner.owner_id,
            )?;
            Some(p.clone())
        }
        None => None,
    };

    if ctx.out.json {
        ctx.out.json_value(&json!({
            "data_dir": target.display().to_string(),
            "moved_aside_to": moved_to.as_ref().map(|p| p.display().to_string()),
            "owner": created.owner.public_json(),
            "agent": created.agent.public_json(),
            "agent_private_key_b64": if env_written.is_none() { Some(&created.private_key_b64) } else { None },
            "policy_id": created.policy_id,
            "policy_profile": args.policy_profile.name(),
            "signing_kid": created.kid,
            "env_file": env_written.as_ref().map(|p| p.display().to_string()),
        }));
        return Ok(0);
    }
    let out = &ctx.out;
    if let Some(bak) = &moved_to {
        out.line(format!(
            "Moved the old data directory aside to {}",
            bak.display()
        ));
    }
    out.line(format!("{} {}", out.green("Initialised"), target.display()));
    out.line(format!(
        "  Owner:   {} ({}, {})",
        created.owner.display_name,
        created.owner.owner_type.as_str(),
        created.owner.owner_id
    ));
    out.line(format!(
        "  Agent:   {} ({})",
        created.agent.agent_id, created.agent.agent_principal_id
    ));
    out.line(format!(
        "  Policy:  {} (profile {}, owner-wide)",
        created.policy_id,
        args.policy_profile.name()
    ));
    out.line(format!("  Signing key: {}", created.kid));
    match &env_written {
        Some(p) => out.line(format!(
            "  Agent credentials written to {} (mode 0600)",
            p.display()
        )),
        None => {
            out.line("");
            out.line("Agent environment (the private key is shown only now; keep it secret):");
            out.data(
                super::env_lines(
                    &created.agent.agent_id,
                    &created.private_key_b64,
                    &created.owner.owner_id,
                )
                .trim_end(),
            );
        }
    }
    out.line("");
    out.line("Next:");
    out.line(format!(
        "  openleash --data-dir {} authorize --type purchase --payload '{{\"amount_minor\":5000,\"currency\":\"USD\"}}'",
        target.display()
    ));
    Ok(0)
}

struct Created {
    owner: Owner,
    agent: Agent,
    private_key_b64: String,
    policy_id: String,
    kid: String,
}

fn dir_has_entries(p: &Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut rd| rd.next().is_some())
        .unwrap_or(false)
}

fn backup_path(target: &Path) -> PathBuf {
    let stamp = crate::timefmt::file_stamp(crate::timefmt::now());
    let base = target
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches('/')
        .to_string();
    let mut candidate = PathBuf::from(format!("{base}.bak-{stamp}"));
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}.bak-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

fn create(
    target: &Path,
    args: &InitArgs,
    owner_type: OwnerType,
    secret: Option<&str>,
) -> Result<Created> {
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
    let result = build(&staging, args, owner_type, secret).and_then(|created| {
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

fn build(
    staging: &Path,
    args: &InitArgs,
    owner_type: OwnerType,
    secret: Option<&str>,
) -> Result<Created> {
    for sub in SUBDIRS {
        let p = staging.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| Error::io("create", &p, e))?;
    }
    let dd = DataDir::at(staging);
    let mut txn = Txn::default();
    txn.write(
        &dd.config_path(),
        crate::config::DEFAULT_CONFIG_YAML.as_bytes().to_vec(),
    );

    let key = ServerKey::generate();
    dd.stage_new_active_key(&mut txn, &key)?;

    let mut owner = Owner::new(owner_type, &args.owner_name);
    if let Some(p) = secret {
        let h = passphrase::hash(p)?;
        owner.passphrase_hash = Some(h.passphrase_hash);
        owner.passphrase_salt = Some(h.passphrase_salt);
        owner.passphrase_set_at = Some(crate::timefmt::now_string());
    }
    dd.stage_owner(&mut txn, &owner)?;

    let sk = ed25519::generate();
    let agent = Agent::new(
        &args.agent_id,
        &owner,
        ed25519::public_key_b64(&sk.verifying_key()),
    );
    let mut index = AgentIndex::default();
    dd.stage_new_agent(&mut txn, &mut index, &agent)?;

    let policy_id = crate::ids::new_id();
    let profile = args.policy_profile;
    txn.write(
        &dd.policy_path(&policy_id)?,
        crate::profiles::yaml(profile).as_bytes().to_vec(),
    );
    let bindings = Bindings {
        policies: vec![PolicyEntry {
            policy_id: policy_id.clone(),
            owner_type,
            owner_id: owner.owner_id.clone(),
            name: Some(format!("{} profile", profile.name())),
            description: Some(format!(
                "Bundled {} profile, created by `openleash init`",
                profile.name()
            )),
            created_at: crate::timefmt::now_string(),
            updated_at: None,
        }],
        bindings: vec![Binding {
            policy_id: policy_id.clone(),
            owner_type,
            owner_id: owner.owner_id.clone(),
            agent_principal_id: None,
            rank: None,
        }],
    };
    dd.stage_bindings(&mut txn, &bindings)?;
    txn.commit()?;

    let created_event = if owner_type == OwnerType::Org {
        "ORG_CREATED"
    } else {
        "USER_CREATED"
    };
    dd.append_audit(vec![
        NewEvent::new(created_event, json!({"owner_id": owner.owner_id, "owner_type": owner_type.as_str(), "display_name": owner.display_name}))
            .principal(&owner.owner_id),
        NewEvent::new("KEY_ROTATED", json!({"new_kid": key.kid})),
        NewEvent::new("AGENT_REGISTERED", json!({"agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id, "owner_id": owner.owner_id, "owner_type": owner_type.as_str()}))
            .principal(&agent.agent_principal_id),
        NewEvent::new("POLICY_UPSERTED", json!({"policy_id": policy_id, "profile": profile.name().to_uppercase(), "owner_type": owner_type.as_str(), "owner_id": owner.owner_id}))
            .principal(&owner.owner_id),
        NewEvent::new("INITIAL_SETUP_COMPLETED", json!({"owner_id": owner.owner_id})).principal(&owner.owner_id),
    ])?;
    Ok(Created {
        owner,
        agent,
        private_key_b64: ed25519::private_key_b64(&sk),
        policy_id,
        kid: key.kid,
    })
}
