//! `openleash store`: the shared PostgreSQL store's schema and status (SPEC §19).

use super::Ctx;
use crate::cli::{StoreCommand, StoreUrlArg};
use crate::config::{STORE_URL_ENV, StoreConfig};
use crate::error::{Error, ErrorCode, Result};
use crate::store::pg::{PgStore, schema};
use serde_json::json;

pub fn run(cmd: StoreCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        StoreCommand::MigrateSchema(a) => migrate_schema(&a, ctx),
        StoreCommand::Status(a) => status(&a, ctx),
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
