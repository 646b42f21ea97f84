//! `openleash store`: the shared PostgreSQL store's schema and status (SPEC §19).

use super::Ctx;
use crate::cli::{StoreCommand, StoreCopyArgs, StoreUrlArg};
use crate::config::{STORE_URL_ENV, StoreConfig};
use crate::error::{Error, ErrorCode, Result};
use crate::store::pg::{PgStore, schema};
use serde_json::json;

pub fn run(cmd: StoreCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        StoreCommand::MigrateSchema(a) => migrate_schema(&a, ctx),
        StoreCommand::Status(a) => status(&a, ctx),
        StoreCommand::Copy(a) => copy(&a, ctx),
    }
}

/// The store a command works on: `--store`, else `OPENLEASH_STORE_URL`, else the data
/// directory's `store` section (which must name the postgres backend).
pub fn store_config(arg: &StoreUrlArg, ctx: &Ctx) -> Result<StoreConfig> {
    let mut cfg = match ctx.data_if_present() {
        Some(dd) => dd.config()?.store,
        None => StoreConfig::default(),
    };
    if let Some(url) = &arg.store {
        cfg.url.clear();
        cfg.override_url(Some(url)).map_err(|e| {
            Error::new(
                ErrorCode::Usage,
                e.message.replacen(STORE_URL_ENV, "--store", 1),
            )
            .with_hint("for example --store postgres://openleash@db:5432/openleash")
        })?;
    } else {
        cfg.override_url(std::env::var(STORE_URL_ENV).ok().as_deref())?;
    }
    if cfg.url.is_empty() {
        return Err(
            Error::new(ErrorCode::Usage, "no PostgreSQL store to work on").with_hint(format!(
                "pass --store postgres://…, set {STORE_URL_ENV}, or set store.url in {}",
                ctx.data_dir.join("config.yaml").display()
            )),
        );
    }
    cfg.backend = "postgres".into();
    Ok(cfg)
}

fn migrate_schema(arg: &StoreUrlArg, ctx: &Ctx) -> Result<u8> {
    let cfg = store_config(arg, ctx)?;
    let store = PgStore::connect(&cfg)?;
    let outcome = schema::migrate(&mut store.conn()?)?;
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!({
            "store": store.url(),
            "from_version": outcome.from,
            "to_version": outcome.to,
            "applied": outcome.applied,
        }));
        return Ok(0);
    }
    if outcome.applied.is_empty() {
        out.line(format!(
            "Schema of {} is up to date (version {})",
            store.url(),
            outcome.to
        ));
    } else {
        let from = outcome
            .from
            .map_or_else(|| "empty".to_string(), |v| format!("version {v}"));
        out.line(format!(
            "Migrated {} from {from} to version {} (applied {})",
            store.url(),
            outcome.to,
            outcome
                .applied
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(0)
}

fn status(arg: &StoreUrlArg, ctx: &Ctx) -> Result<u8> {
    let cfg = store_config(arg, ctx)?;
    let store = PgStore::connect(&cfg)?;
    let health = store.health();
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!({
            "store": store.url(),
            "backend": health.backend,
            "state": health.state,
            "schema_version": health.schema_version,
            "schema_version_expected": schema::LATEST,
        }));
    } else {
        out.line(format!("Store:  {} ({})", store.url(), health.backend));
        out.line(format!("State:  {}", health.state));
        out.line(format!(
            "Schema: {} (this openleash: {})",
            health
                .schema_version
                .map_or_else(|| "none".to_string(), |v| v.to_string()),
            schema::LATEST
        ));
    }
    if health.state != "ok" {
        // Say why, with the same error every command gives.
        store.conn()?;
    }
    Ok(match health.schema_version {
        Some(v) if v == schema::LATEST => 0,
        _ => 1,
    })
}

fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// `store copy`: files → PostgreSQL or PostgreSQL → files, then both chains verified.
fn copy(a: &StoreCopyArgs, ctx: &Ctx) -> Result<u8> {
    use crate::store::DataDir;
    use crate::store::pg::replica;
    let connect = |url: &str| -> Result<PgStore> {
        let store = PgStore::connect(&StoreConfig {
            backend: "postgres".into(),
            url: url.into(),
            ..StoreConfig::default()
        })?;
        schema::migrate(&mut store.conn()?)?;
        Ok(store)
    };
    let (report, source, target, store) = match (is_url(&a.from), is_url(&a.to)) {
        (false, true) => {
            let dd = DataDir::open(&a.from)?;
            if dd.config()?.store.is_postgres() {
                return Err(Error::new(
                    ErrorCode::Usage,
                    format!("{} replicates a PostgreSQL store; its records live there", a.from),
                )
                .with_hint("copy from the store's URL instead (--from postgres://…), or from a plain data directory"));
            }
            let store = connect(&a.to)?;
            let (key, _) = dd.active_key()?;
            let report = replica::push_all(&dd, &store, &key, false)?;
            (
                report,
                crate::audit::verify::verify(&dd)?,
                crate::store::pg::audit::verify(&store)?,
                store,
            )
        }
        (true, false) => {
            let keys_from = DataDir::open(&ctx.data_dir).map_err(|e| {
                e.with_hint(format!(
                    "the new directory takes config.yaml and keys/ from --data-dir (an instance of the store); {} is not one",
                    ctx.data_dir.display()
                ))
            })?;
            let target = std::path::Path::new(&a.to);
            if crate::handlers::setup::dir_has_entries(target) {
                return Err(Error::new(
                    ErrorCode::AlreadyExists,
                    format!("{} already exists and is not empty", target.display()),
                )
                .with_hint("copy into a new directory"));
            }
            let store = connect(&a.from)?;
            let dd = new_dir_from(&keys_from, target)?;
            let report = replica::pull_all(&dd, &store).inspect_err(|_| {
                let _ = std::fs::remove_dir_all(target);
            })?;
            (
                report,
                crate::store::pg::audit::verify(&store)?,
                crate::audit::verify::verify(&dd)?,
                store,
            )
        }
        _ => {
            return Err(Error::new(
                ErrorCode::Usage,
                "store copy goes between a data directory and a PostgreSQL store",
            )
            .with_hint(
                "one of --from and --to must be a postgres:// URL and the other a directory",
            ));
        }
    };
    let same = source.ok
        && target.ok
        && source.events == target.events
        && source.last_hash == target.last_hash;
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!({
            "from": if is_url(&a.from) { store.url().to_string() } else { a.from.clone() },
            "to": if is_url(&a.to) { store.url().to_string() } else { a.to.clone() },
            "records": report.records,
            "events": report.events,
            "verified": same,
            "source": source,
            "target": target,
        }));
    } else {
        out.line(format!(
            "Copied {} records and {} audit events from {} to {}",
            report.records,
            report.events,
            if is_url(&a.from) {
                store.url()
            } else {
                &a.from
            },
            if is_url(&a.to) { store.url() } else { &a.to },
        ));
        out.line(format!(
            "Verified both chains: {} events each, last hash {}",
            target.events,
            target.last_hash.as_deref().unwrap_or("-")
        ));
    }
    if !same {
        return Err(Error::new(
            ErrorCode::DataCorrupt,
            format!(
                "the copied chain does not verify like the source (source: {} events, ok {}; target: {} events, ok {})",
                source.events, source.ok, target.events, target.ok
            ),
        )
        .with_hint("run `openleash audit verify` on both sides for the details"));
    }
    Ok(0)
}

/// A new plain data directory at `target` with the config (switched to files) and keys of
/// `from`.
fn new_dir_from(
    from: &crate::store::DataDir,
    target: &std::path::Path,
) -> Result<crate::store::DataDir> {
    use std::os::unix::fs::PermissionsExt;
    let mkdir = |p: &std::path::Path| -> Result<()> {
        std::fs::create_dir_all(p).map_err(|e| Error::io("create", p, e))?;
        std::fs::set_permissions(
            p,
            std::fs::Permissions::from_mode(crate::store::DATA_DIR_MODE),
        )
        .map_err(|e| Error::io("set permissions of", p, e))
    };
    mkdir(target)?;
    let text = std::fs::read_to_string(from.config_path())
        .map_err(|e| Error::io("read", &from.config_path(), e))?;
    let text = crate::store::pg::setup::config_with_files(&text)?;
    crate::store::write_atomic_mode(
        &target.join("config.yaml"),
        text.as_bytes(),
        crate::store::SECRET_MODE,
    )?;
    let keys = target.join("keys");
    mkdir(&keys)?;
    let src = from.path("keys");
    for entry in std::fs::read_dir(&src).map_err(|e| Error::io("list", &src, e))? {
        let entry = entry.map_err(|e| Error::io("list", &src, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') || !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io("read", &entry.path(), e))?;
        crate::store::write_atomic_mode(
            &keys.join(entry.file_name()),
            &bytes,
            crate::store::SECRET_MODE,
        )?;
    }
    Ok(crate::store::DataDir::at(target))
}
