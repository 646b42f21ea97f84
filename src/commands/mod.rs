//! One module per subcommand; each is a thin adapter from parsed arguments to library handlers
//! and from their results to human or JSON output.

pub mod action;
pub mod admin;
pub mod agent;
pub mod approval;
pub mod audit;
pub mod audit_export;
pub mod authorize;
pub mod completions;
pub mod draft;
pub mod gc;
pub mod identity;
pub mod import_upstream;
pub mod init;
pub mod keys;
pub mod limits;
pub mod man;
pub mod mcp;
pub mod mcp_proxy;
pub mod notify;
pub mod org;
pub mod org_group;
pub mod owner;
pub mod paging;
pub mod playground;
pub mod policy;
pub mod prompt;
pub mod provisioner;
pub mod start;
pub mod store;
pub mod testvectors;
pub mod transform;
pub mod verify;
pub mod wizard;

use crate::cli::Command;
use crate::error::{Error, ErrorCode, Result};
use crate::output::Output;
use crate::store::DataDir;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What every command gets: output settings and the `--data-dir` path.
pub struct Ctx {
    pub out: Output,
    pub data_dir: PathBuf,
}

impl Ctx {
    /// The data directory, which must be initialised.
    pub fn data(&self) -> Result<DataDir> {
        DataDir::open(&self.data_dir)
    }

    /// The data directory if it is initialised (for commands that work without one).
    pub fn data_if_present(&self) -> Option<DataDir> {
        DataDir::open(&self.data_dir).ok()
    }
}

pub fn dispatch(cmd: Command, ctx: &Ctx) -> Result<u8> {
    match cmd {
        Command::Init(a) => init::run(a, ctx),
        Command::ImportUpstream(a) => import_upstream::run(a, ctx),
        Command::Wizard(a) => wizard::run(a, ctx),
        Command::Policy(c) => policy::run(c, ctx),
        Command::Playground(c) => playground::run(c, ctx),
        Command::Authorize(a) => authorize::run(a, ctx),
        Command::Verify(a) => verify::run(a, ctx),
        Command::Action(c) => action::run(c, ctx),
        Command::Agent(c) => agent::run(c, ctx),
        Command::Owner(c) => owner::run(c, ctx),
        Command::Org(a) => org::run(a, ctx),
        Command::Keys(c) => keys::run(c, ctx),
        Command::Audit(c) => audit::run(c, ctx),
        Command::Limits(a) => limits::run(a, ctx),
        Command::Store(c) => store::run(c, ctx),
        Command::Approval(c) => approval::run(c, ctx),
        Command::Draft(c) => draft::run(c, ctx),
        Command::Notify(c) => notify::run(c, ctx),
        Command::Transform(c) => transform::run(c, ctx),
        Command::Provisioner(a) => provisioner::run(a, ctx),
        Command::Start(a) => start::run(a, ctx),
        Command::Gc(a) => gc::run(a, ctx),
        Command::McpProxy(a) => mcp_proxy::run(a, ctx),
        Command::Mcp(c) => mcp::run(c, ctx),
        Command::Testvectors(a) => testvectors::run(a, ctx),
        Command::Admin(c) => admin::run(c, ctx),
        Command::Totp(c) => admin::totp(c, ctx),
        Command::Completions(a) => completions::run(a, ctx),
        Command::Man(a) => man::run(a, ctx),
    }
}

/// Reads a file, or standard input for `-`.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("read", Path::new("<stdin>"), e))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| read_error(path, e))
}

/// The error for a failed read of a user-named file: "no such file" is a not-found, the rest I/O.
pub fn read_error(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::new(
            ErrorCode::NotFound,
            format!("{}: no such file", path.display()),
        )
        .with_hint("check the path")
    } else {
        Error::io("read", path, e)
    }
}

/// Reads a UTF-8 text file (or stdin for `-`).
pub fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_input(path)?).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Error::new(
            ErrorCode::InvalidBody,
            format!(
                "{}: not valid UTF-8 (invalid byte at offset {at})",
                path.display()
            ),
        )
        .with_hint("save the file as UTF-8")
    })
}

/// Reads a secret (passphrase) from a file or stdin, without the trailing newline.
pub fn read_secret(file: Option<&Path>, stdin: bool) -> Result<Option<String>> {
    let raw = match (file, stdin) {
        (Some(f), _) => read_text(f)?,
        (None, true) => read_text(Path::new("-"))?,
        (None, false) => return Ok(None),
    };
    Ok(Some(raw.trim_end_matches(['\n', '\r']).to_string()))
}

/// Asks for confirmation on a TTY; without one, `--yes` is required.
pub fn confirm(ctx: &Ctx, question: &str, yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !crate::output::interactive() || ctx.out.json {
        return Err(Error::new(
            ErrorCode::Usage,
            format!("{question} (confirmation needed)"),
        )
        .with_hint("pass --yes to confirm without a prompt"));
    }
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|e| Error::new(ErrorCode::Usage, format!("prompt failed: {e}")))
}

/// Writes an env file with the agent's credentials (mode 0600).
pub fn write_env_file(
    path: &Path,
    agent_id: &str,
    private_key_b64: &str,
    owner_id: &str,
) -> Result<()> {
    let body = env_lines(agent_id, private_key_b64, owner_id);
    crate::store::write_atomic_mode(path, body.as_bytes(), 0o600)
}

pub fn env_lines(agent_id: &str, private_key_b64: &str, owner_id: &str) -> String {
    env_lines_opt(agent_id, Some(private_key_b64), owner_id)
}

/// The env lines; without a private key (an imported public key) that line is left out.
pub fn env_lines_opt(agent_id: &str, private_key_b64: Option<&str>, owner_id: &str) -> String {
    let key = private_key_b64
        .map(|k| format!("OPENLEASH_AGENT_PRIVATE_KEY_B64={k}\n"))
        .unwrap_or_default();
    // USER_PRINCIPAL_ID: the name upstream OpenLeash and its guides use for the same id.
    format!(
        "OPENLEASH_URL=http://127.0.0.1:8787\nOPENLEASH_AGENT_ID={agent_id}\n{key}OPENLEASH_OWNER_PRINCIPAL_ID={owner_id}\nUSER_PRINCIPAL_ID={owner_id}\n"
    )
}
