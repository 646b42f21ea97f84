//! What `openleash init --store postgres://…` puts into a new store, and the `store:` section it
//! writes into `config.yaml`.

use super::{PgStore, db_error, schema};
use crate::config::{StoreConfig, check_store_url, redact_url};
use crate::error::{Error, ErrorCode, Result};

/// Connects to `url`, brings the schema to this version and checks that the store holds no
/// installation yet (`ALREADY_EXISTS` otherwise): the checks `init` makes before it writes
/// anything.
pub fn prepare(url: &str) -> Result<PgStore> {
    check_store_url(url).map_err(|why| {
        Error::new(ErrorCode::Usage, format!("--store: {why}"))
            .with_hint("for example --store postgres://openleash@db:5432/openleash")
    })?;
    let store = PgStore::connect(&StoreConfig {
        backend: "postgres".into(),
        url: url.into(),
        ..StoreConfig::default()
    })?;
    let mut c = store.conn()?;
    schema::migrate(&mut c)?;
    refuse_a_used_store(
        &mut *c,
        &store,
        "point further instances at it with store.url in their config.yaml instead of running init again, or use an empty database",
    )?;
    Ok(store)
}

/// `ALREADY_EXISTS` (with `hint`) when the store holds records, audit events or a published
/// key: `init` and `store copy` only fill an empty store.
pub fn refuse_a_used_store(
    c: &mut impl postgres::GenericClient,
    store: &PgStore,
    hint: &str,
) -> Result<()> {
    let used: bool = c
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM tree_records) OR EXISTS (SELECT 1 FROM audit_events)
                 OR EXISTS (SELECT 1 FROM server_keys)",
            &[],
        )
        .map_err(|e| db_error("check that the store is empty", e))?
        .get(0);
    if used {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!(
                "the PostgreSQL store {} already holds an installation",
                store.url()
            ),
        )
        .with_hint(hint));
    }
    Ok(())
}

/// `config_text` (as `init` wrote it) with the `store` section switched to postgres at `url`.
/// A URL carrying a password makes the file a secret: see [`config_mode`].
pub fn config_with_store(config_text: &str, url: &str) -> Result<String> {
    with_store_section(config_text, "postgres", url)
}

/// `config_text` with the `store` section switched to the plain data directory (`store copy` to
/// files keeps the rest of the instance's config).
pub fn config_with_files(config_text: &str) -> Result<String> {
    with_store_section(config_text, "files", "")
}

fn with_store_section(config_text: &str, backend_name: &str, url: &str) -> Result<String> {
    let quoted = serde_json::to_string(url)
        .map_err(|e| Error::internal(format!("cannot quote the store URL: {e}")))?;
    let mut out = String::with_capacity(config_text.len() + url.len());
    let mut in_store = false;
    let (mut backend, mut url_set) = (false, false);
    for line in config_text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_store = line.starts_with("store:");
        }
        let trimmed = line.trim_start();
        if in_store && trimmed.starts_with("backend:") && !backend {
            out.push_str(&format!(
                "  backend: {backend_name:<17} # files | postgres\n"
            ));
            backend = true;
        } else if in_store && trimmed.starts_with("url:") && !url_set {
            out.push_str(&format!("  url: {quoted}\n"));
            url_set = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !(backend && url_set) {
        out.push_str(&format!(
            "store:\n  backend: {backend_name}\n  url: {quoted}\n"
        ));
    }
    Ok(out)
}

/// 0600 when the URL holds a password, else the usual 0644.
pub fn config_mode(url: &str) -> u32 {
    if redact_url(url) == url {
        0o644
    } else {
        crate::store::SECRET_MODE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG_YAML};

    #[test]
    fn the_written_config_names_the_store() {
        let text = config_with_store(DEFAULT_CONFIG_YAML, "postgres://ol@db:5432/ol").unwrap();
        let c = Config::parse(&text, "config.yaml").unwrap();
        assert!(c.store.is_postgres());
        assert_eq!(c.store.url, "postgres://ol@db:5432/ol");
        assert_eq!(c.store.pool_size, 16);
        let bare = config_with_store("", "postgres://x@h/d").unwrap();
        assert!(Config::parse(&bare, "c").unwrap().store.is_postgres());
        assert_eq!(config_mode("postgres://x@h/d"), 0o644);
        assert_eq!(config_mode("postgres://x:pw@h/d"), 0o600);
    }
}
