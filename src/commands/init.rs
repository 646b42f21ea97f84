//! `openleash init`: creates a complete data directory in one step. Everything is built in a
//! staging directory beside the target and renamed into place at the end, so an interrupted or
//! failed init leaves nothing half-written.

use super::Ctx;
use crate::cli::InitArgs;
use crate::crypto::{ed25519, passphrase};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::setup::{self, SetupPlan};
use crate::store::DataDir;
use crate::store::owners::Owner;
use crate::store::pg::setup as pg_setup;
use serde_json::json;
use std::path::{Path, PathBuf};

pub fn run(args: InitArgs, ctx: &Ctx) -> Result<u8> {
    if args.no_owner {
        return run_without_owner(&args, ctx);
    }
    crate::ids::check_agent_id(&args.agent_id)?;
    let secret = super::read_secret(args.passphrase_file.as_deref(), args.passphrase_stdin)?;
    if let Some(p) = &secret {
        passphrase::check_strength(p)?;
    }
    // The store is checked (reachable, schema, empty) before anything is written.
    let pg = args.store.as_deref().map(pg_setup::prepare).transpose()?;
    let target = ctx.data_dir.clone();
    let existing = DataDir::at(&target);
    let mut moved_to = None;
    if existing.is_initialized() || setup::dir_has_entries(&target) {
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

    let mut owner = Owner::new(args.owner_type.into(), &args.owner_name);
    if let Some(p) = &secret {
        owner.set_passphrase(p)?;
    }
    let sk = ed25519::generate();
    let profile = args.policy_profile;
    let plan = SetupPlan {
        owner,
        new_owner: true,
        agent_id: args.agent_id.clone(),
        public_key_b64: ed25519::public_key_b64(&sk.verifying_key()),
        policy_yaml: crate::profiles::yaml(profile).to_string(),
        profile: profile.name().to_uppercase(),
        policy_name: format!("{} profile", profile.name()),
        policy_description: format!(
            "Bundled {} profile, created by `openleash init`",
            profile.name()
        ),
        bind_to_agent: false,
        admin_token: None,
    };
    let private_key_b64 = ed25519::private_key_b64(&sk);
    let created = match setup::create_new(&target, &plan) {
        Ok(c) => c,
        Err(e) => {
            if let Some(bak) = &moved_to {
                let _ = std::fs::rename(bak, &target);
            }
            return Err(e);
        }
    };
    if let (Some(store), Some(url)) = (&pg, args.store.as_deref()) {
        attach_store(&target, store, url, moved_to.as_deref())?;
    }

    let env_written = match &args.output_env {
        Some(p) => {
            super::write_env_file(
                p,
                &created.agent.agent_id,
                &private_key_b64,
                &created.owner.owner_id,
            )?;
            Some(p.clone())
        }
        None => None,
    };

    // Inside a git work tree, keep the data directory and the key file out of commits.
    let ignored = crate::store::gitignore::protect(
        &std::env::current_dir().unwrap_or_default(),
        &target,
        env_written.as_deref(),
    )?;
    if ctx.out.json {
        ctx.out.json_value(&json!({
            "data_dir": target.display().to_string(),
            "gitignore_added": ignored,
            "moved_aside_to": moved_to.as_ref().map(|p| p.display().to_string()),
            "owner": created.owner.public_json(),
            "agent": created.agent.public_json(),
            "agent_private_key_b64": if env_written.is_none() { Some(&private_key_b64) } else { None },
            "policy_id": created.policy_id,
            "policy_profile": args.policy_profile.name(),
            "signing_kid": created.kid,
            "env_file": env_written.as_ref().map(|p| p.display().to_string()),
            "store": pg.as_ref().map(|s| s.url()),
        }));
        return Ok(0);
    }
    let out = &ctx.out;
    if let Some(bak) = &moved_to {
        out.note(format!(
            "Moved the old data directory aside to {}",
            bak.display()
        ));
    }
    out.note(format!("{} {}", out.green("Initialised"), target.display()));
    out.note(format!(
        "  Owner:   {} ({}, {})",
        created.owner.display_name,
        created.owner.owner_type.as_str(),
        created.owner.owner_id
    ));
    out.note(format!(
        "  Agent:   {} ({})",
        created.agent.agent_id, created.agent.agent_principal_id
    ));
    out.note(format!(
        "  Policy:  {} (profile {}, owner-wide)",
        created.policy_id,
        args.policy_profile.name()
    ));
    out.note(format!(
        "  Signing key: {}",
        created.kid.as_deref().unwrap_or_default()
    ));
    if let Some(store) = &pg {
        out.note(format!(
            "  Store:   {} (schema version {})",
            store.url(),
            crate::store::pg::schema::LATEST
        ));
    }
    match &env_written {
        Some(p) => out.note(format!(
            "  Agent credentials written to {} (mode 0600)",
            p.display()
        )),
        None => {
            out.note("");
            out.note("Agent environment (the private key is shown only now; keep it secret):");
            out.data(
                super::env_lines(
                    &created.agent.agent_id,
                    &private_key_b64,
                    &created.owner.owner_id,
                )
                .trim_end(),
            );
        }
    }
    if let Some(ignored) = &ignored {
        out.note(format!(
            "  Added {} to {} (this is a git work tree; the env file holds a private key)",
            ignored.join(" and "),
            crate::store::gitignore::FILE
        ));
    }
    out.note("");
    out.note("Next:");
    out.note(format!(
        "  openleash --data-dir {} authorize --type purchase --payload '{{\"amount_minor\":5000,\"currency\":\"USD\"}}'",
        super::agent::shell_word(&target.display().to_string())
    ));
    Ok(0)
}

/// Copies the new data directory into the store (records, audit chain, the signing key's
/// public part) and switches its config to the store: the directory becomes the store's first
/// replica. On failure the new directory is removed and `moved_aside` (the directory `--force`
/// moved away) put back, so a failed init leaves things as they were.
fn attach_store(
    target: &Path,
    store: &crate::store::pg::PgStore,
    url: &str,
    moved_aside: Option<&Path>,
) -> Result<()> {
    let attach = || -> Result<()> {
        let dd = DataDir::open(target)?;
        let (key, _) = dd.active_key()?;
        let path = dd.config_path();
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
        let text = pg_setup::config_with_store(&text, url)?;
        crate::store::write_atomic_mode(&path, text.as_bytes(), pg_setup::config_mode(url))?;
        // Last, in one transaction: a failure before it leaves the store empty for a retry.
        crate::store::pg::replica::push_all(&dd, store, &key, true).map(|_| ())
    };
    attach().inspect_err(|_| {
        let _ = std::fs::remove_dir_all(target);
        if let Some(bak) = moved_aside {
            let _ = std::fs::rename(bak, target);
        }
    })
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

/// `init --no-owner`: config and signing key only; the first user comes from
/// `POST /v1/initial-setup` (SPEC §17).
fn run_without_owner(args: &InitArgs, ctx: &Ctx) -> Result<u8> {
    let target = ctx.data_dir.clone();
    let existing = DataDir::at(&target);
    if existing.is_initialized() || setup::dir_has_entries(&target) {
        if !args.force {
            return Err(Error::new(
                ErrorCode::AlreadyExists,
                format!("{} already exists and is not empty", target.display()),
            )
            .with_hint(
                "choose another --data-dir, or pass --force to move it aside and start over",
            ));
        }
        let bak = backup_path(&target);
        std::fs::rename(&target, &bak).map_err(|e| Error::io("move aside", &target, e))?;
    }
    let pg = args.store.as_deref().map(pg_setup::prepare).transpose()?;
    let kid = setup::create_new_without_owner(&target)?;
    if let (Some(store), Some(url)) = (&pg, args.store.as_deref()) {
        attach_store(&target, store, url, None)?;
    }
    let out = &ctx.out;
    if out.json {
        out.json_value(&serde_json::json!({
            "data_dir": target.display().to_string(),
            "kid": kid,
            "owner_id": null,
            "initial_setup": "POST /v1/initial-setup",
            "store": pg.as_ref().map(|s| s.url()),
        }));
    } else {
        out.note(format!(
            "Initialised {} without users. Run `openleash start`, then create the first user (an admin) with POST /v1/initial-setup {{\"display_name\", \"passphrase\"}} from this machine, or from elsewhere with the setup token `start` prints.",
            target.display()
        ));
    }
    Ok(0)
}
