//! The per-user config of the CLI's remote mode (SPEC §2): `url`, `agent_id` and `key_file` in
//! `<user config dir>/openleash/config.yaml` (e.g. `~/.config/openleash/config.yaml`). Precedence is
//! flag > environment > this file. `OPENLEASH_USER_CONFIG` names another file; set but empty, it
//! turns the file off (tests do that, so a developer's own file cannot change their outcome).

use crate::error::{Error, ErrorCode, Result};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Base URL of the server for `--remote`.
    pub url: Option<String>,
    /// The agent to act as when neither `--agent` nor `OPENLEASH_AGENT_ID` says.
    pub agent_id: Option<String>,
    /// The agent's private key file; a relative path is relative to this config file.
    pub key_file: Option<PathBuf>,
}

/// Where the file is looked for, if anywhere.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os("OPENLEASH_USER_CONFIG") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => directories::ProjectDirs::from("", "", "openleash")
            .map(|d| d.config_dir().join("config.yaml")),
    }
}

/// The per-user config; all fields empty when there is no file.
pub fn load() -> Result<UserConfig> {
    let Some(path) = path() else {
        return Ok(UserConfig::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserConfig::default()),
        Err(e) => return Err(Error::io("read", &path, e)),
    };
    if text.trim().is_empty() {
        return Ok(UserConfig::default());
    }
    let mut c: UserConfig = serde_saphyr::from_str(&text).map_err(|e| {
        Error::new(ErrorCode::InvalidConfig, format!("{}: {e}", path.display()))
            .with_hint("the per-user config may hold `url`, `agent_id` and `key_file`")
    })?;
    if let (Some(k), Some(dir)) = (&c.key_file, path.parent())
        && k.is_relative()
    {
        c.key_file = Some(dir.join(k));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_and_rejects_unknown_keys() {
        let c: super::UserConfig =
            serde_saphyr::from_str("url: http://127.0.0.1:8787\nagent_id: a\n").unwrap();
        assert_eq!(c.url.as_deref(), Some("http://127.0.0.1:8787"));
        assert!(serde_saphyr::from_str::<super::UserConfig>("ur1: x\n").is_err());
    }
}
