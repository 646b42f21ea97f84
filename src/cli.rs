//! Every clap definition of the `openleash` command line, in one place. The man pages and shell
//! completions are generated from this tree.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "openleash",
    version,
    about = "Local-first authorization for AI agents",
    long_about = "openleash lets owners put AI agents on a leash: YAML policies decide ALLOW, DENY, \
REQUIRE_APPROVAL, REQUIRE_STEP_UP or REQUIRE_DEPOSIT for every action an agent asks about; an ALLOW \
carries a PASETO v4.public proof token that anyone can verify offline; every decision lands in a \
tamper-evident audit log.",
    after_help = "Start with `openleash init` (or the interactive `openleash wizard`), then ask for a decision:\n  openleash authorize --type purchase \\\n    --payload '{\"amount_minor\":5000,\"currency\":\"USD\"}'",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Data directory
    #[arg(
        long,
        global = true,
        env = "OPENLEASH_DATA_DIR",
        default_value = "./data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// Machine-readable JSON output (errors too, as {"error":{...}} on stdout)
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only essential output
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (error causes, timings)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to use colour (NO_COLOR is honoured with `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a data directory: config, signing key, owner, agent and a profile policy
    Init(InitArgs),
    /// Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag
    Wizard(WizardArgs),
    /// Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)
    ImportUpstream(ImportUpstreamArgs),
    /// Manage policies: list, show, validate, upsert, bind, diff, test, profiles
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Evaluate actions against policies without side effects
    #[command(subcommand)]
    Playground(PlaygroundCommand),
    /// Ask for a decision on an action (exit code = decision)
    Authorize(AuthorizeArgs),
    /// Verify a proof token (offline, or with a server's keys or the server itself)
    Verify(VerifyArgs),
    /// Work with action requests
    #[command(subcommand)]
    Action(ActionCommand),
    /// Manage agents
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Manage owners
    #[command(subcommand)]
    Owner(OwnerCommand),
    /// Organizations: create, list, show, update, delete; members, roles, invites, leave
    Org(OrgArgs),
    /// Manage the server's signing keys
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Query and verify the tamper-evident audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Spending caps and rate limits: current use, remainder and when each window frees up
    Limits(LimitsArgs),
    /// The shared PostgreSQL store: schema migrations and status (docs/store.md)
    #[command(subcommand)]
    Store(StoreCommand),
    /// Human approval: list, show, approve or deny requests; request one and wait as an agent
    #[command(subcommand)]
    Approval(ApprovalCommand),
    /// Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit
    #[command(subcommand)]
    Draft(DraftCommand),
    /// Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// Output transformations: cap or redact what tools return before agents see it
    #[command(subcommand)]
    Transform(TransformCommand),
    /// Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner
    Provisioner(ProvisionerArgs),
    /// Serve the HTTP API for agents and SDKs
    Start(StartArgs),
    /// Remove records past their `retention.*` time (never the audit log); --dry-run only counts
    Gc(GcArgs),
    /// Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`
    McpProxy(McpProxyArgs),
    /// MCP helpers: scan a server's tools and suggest a policy
    #[command(subcommand)]
    Mcp(McpCommand),
    /// Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them
    Testvectors(TestvectorsArgs),
    /// Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status
    #[command(subcommand)]
    Totp(TotpCommand),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (or write all pages to a directory)
    Man(ManArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    Conservative,
    Balanced,
    Autonomous,
    /// For OpenClaw agents (docs/openclaw.md)
    Openclaw,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Conservative => "conservative",
            Profile::Balanced => "balanced",
            Profile::Autonomous => "autonomous",
            Profile::Openclaw => "openclaw",
        }
    }
}

/// A profile as the wizard offers it: the bundled ones plus CUSTOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileChoice {
    Conservative,
    Balanced,
    Autonomous,
    /// For OpenClaw agents: file reads and web search; shell, browser and messages need approval
    Openclaw,
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdminTokenArg {
    /// Generate a random admin token into config.yaml (unless one is set)
    Generate,
    /// No token: the admin API answers loopback clients only
    None,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Without a terminal, pass --owner-name or --owner, --agent-id and \
--policy-profile (or --yes to accept the defaults); other answers fall back to their defaults.\n\
Example:\n  openleash wizard --owner-name Ada --agent-id shopper --policy-profile custom \\\n    \
--purchase-max 2500 --allow-government false --comm-domains example.com \\\n    \
--output-env agent.env"
)]
pub struct WizardArgs {
    /// Create a new owner with this display name
    #[arg(long, conflicts_with = "owner_id")]
    pub owner_name: Option<String>,
    /// Kind of a new owner
    #[arg(long, value_enum, conflicts_with = "owner_id")]
    pub owner_type: Option<OwnerTypeArg>,
    /// Use this existing owner (the data directory must be initialised)
    #[arg(long, alias = "owner", value_name = "OWNER_ID")]
    pub owner_id: Option<String>,
    /// agent_id of the agent to create
    #[arg(long)]
    pub agent_id: Option<String>,
    /// Import this Ed25519 public key (base64 SPKI DER) instead of generating a keypair
    #[arg(long, value_name = "B64")]
    pub public_key: Option<String>,
    /// Policy profile (custom: answer the rule questions or pass their flags)
    #[arg(long, value_enum, ignore_case = true)]
    pub policy_profile: Option<ProfileChoice>,
    /// Largest purchase (minor units) allowed without approval
    #[arg(long, value_name = "MINOR_UNITS")]
    pub purchase_max: Option<u64>,
    /// CUSTOM: allow hairdresser bookings
    #[arg(long, value_name = "BOOL")]
    pub allow_hairdresser: Option<bool>,
    /// CUSTOM: allow healthcare appointments
    #[arg(long, value_name = "BOOL")]
    pub allow_healthcare: Option<bool>,
    /// CUSTOM: require step-up (SUBSTANTIAL) for healthcare
    #[arg(long, value_name = "BOOL")]
    pub stepup_healthcare: Option<bool>,
    /// CUSTOM: allow government submissions
    #[arg(long, value_name = "BOOL")]
    pub allow_government: Option<bool>,
    /// CUSTOM: require step-up (HIGH) for government submissions
    #[arg(long, value_name = "BOOL")]
    pub stepup_government: Option<bool>,
    /// Communication allow-list, comma-separated ("" for none)
    #[arg(long, value_name = "DOMAINS")]
    pub comm_domains: Option<String>,
    /// Read the owner's login passphrase from this file
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_stdin")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the owner's login passphrase from standard input
    #[arg(long)]
    pub passphrase_stdin: bool,
    /// Admin token for the HTTP admin API (default: none, loopback only)
    #[arg(long, value_enum)]
    pub admin_token: Option<AdminTokenArg>,
    /// Write OPENLEASH_* environment lines (incl. a generated private key) to this file (mode 0600)
    #[arg(long, value_name = "FILE")]
    pub output_env: Option<PathBuf>,
    /// Accept defaults for unanswered questions and write without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OwnerTypeArg {
    User,
    Org,
}

/// Where a store command connects: `--store`, else `OPENLEASH_STORE_URL`, else `store.url` of
/// the data directory's config.
#[derive(Debug, Args)]
pub struct StoreUrlArg {
    /// PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Create or upgrade the PostgreSQL schema to this version's (idempotent; refuses a newer schema)
    MigrateSchema(StoreUrlArg),
    /// Whether the store answers, and its schema version
    Status(StoreUrlArg),
    /// Copy an installation between a data directory and a PostgreSQL store, then verify both chains
    ///
    /// Files to PostgreSQL: every record (byte for byte) and the whole audit chain go into an empty
    /// store. PostgreSQL to files: a new data directory gets every record and the chain, with the
    /// config and keys of --data-dir (an instance of that store) and a head signed by its active
    /// key. Per-instance files (config.yaml, keys/, derived indexes, outbox) are not copied.
    #[command(
        after_help = "Examples:\n  openleash --data-dir ./data store copy --from ./data --to postgres://openleash@db:5432/openleash\n  openleash --data-dir ./instance store copy --from postgres://openleash@db:5432/openleash --to ./backup"
    )]
    Copy(StoreCopyArgs),
}

#[derive(Debug, Args)]
pub struct StoreCopyArgs {
    /// Source: a data directory, or a postgres:// URL
    #[arg(long, value_name = "DIR|URL")]
    pub from: String,
    /// Target: an empty PostgreSQL database (postgres:// URL), or a new data directory
    #[arg(long, value_name = "DIR|URL")]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Display name of the owner to create
    #[arg(long, default_value = "My Owner")]
    pub owner_name: String,
    /// Kind of owner: a person (user) or an organization (org)
    #[arg(long, value_enum, default_value_t = OwnerTypeArg::User)]
    pub owner_type: OwnerTypeArg,
    /// agent_id of the agent to create (a fresh Ed25519 keypair is generated)
    #[arg(long, default_value = "my-agent")]
    pub agent_id: String,
    /// Policy profile bound owner-wide
    #[arg(long, value_enum, ignore_case = true, default_value_t = Profile::Balanced)]
    pub policy_profile: Profile,
    /// Write OPENLEASH_* environment lines (incl. the agent private key) to this file (mode 0600)
    #[arg(long, value_name = "FILE")]
    pub output_env: Option<PathBuf>,
    /// Read the owner's login passphrase from this file
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_stdin")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the owner's login passphrase from standard input
    #[arg(long)]
    pub passphrase_stdin: bool,
    /// Start over: move an existing data directory aside to <dir>.bak-<timestamp>
    #[arg(long)]
    pub force: bool,
    /// Create the instance without owner, agent or policy: its first user (an admin) comes from
    /// POST /v1/initial-setup on `openleash start`
    #[arg(long, conflicts_with_all = ["owner_name", "agent_id", "output_env", "passphrase_file", "passphrase_stdin"])]
    pub no_owner: bool,
    /// Use a shared PostgreSQL store: create its schema, publish the signing key and the new
    /// owner and agent there, and write `store:` into config.yaml
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportUpstreamArgs {
    /// The upstream data directory (the one holding state.md), or the directory upstream ran in
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Read and check everything, report what would be imported, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import even if --data-dir is not empty: move it aside to <dir>.bak-<timestamp> first
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    Human,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    Junit,
}

#[derive(Debug, Args)]
pub struct PolicyListArgs {
    #[command(flatten)]
    pub page: PageArgs,
    /// Only the policies that decide for this agent (agent_id or principal id), in evaluation
    /// order: its own, then its groups', then owner-wide, each tier by rank
    #[arg(long, value_name = "AGENT")]
    pub agent: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// List stored policies and what they apply to (--agent: that agent's effective chain)
    List(PolicyListArgs),
    /// Print a stored policy and its bindings
    Show {
        /// Policy id (or --policy-id)
        #[arg(required_unless_present = "policy_id_flag", value_name = "POLICY_ID")]
        policy_id: Option<String>,
        /// Policy id
        #[arg(
            long = "policy-id",
            value_name = "POLICY_ID",
            conflicts_with = "policy_id"
        )]
        policy_id_flag: Option<String>,
    },
    /// The effective policy chain of an agent: which policies decide, in which order
    Explain {
        /// Agent (agent_id or principal id; default: the only active agent)
        #[arg(long)]
        agent: Option<String>,
    },
    /// Lint and validate policy files (no data directory needed)
    Validate(ValidateArgs),
    /// Create or replace a stored policy (validated first)
    Upsert(UpsertArgs),
    /// Bind a stored policy to an owner (owner-wide) or to one agent
    Bind(BindArgs),
    /// Remove bindings of a policy
    Unbind(UnbindArgs),
    /// Delete a policy file and all its bindings
    Delete {
        /// Policy id
        #[arg(long)]
        policy_id: String,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
        /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
        #[arg(long, value_name = "CODE")]
        totp_code: Option<String>,
    },
    /// Compare two policy files: text diff and what got wider
    Diff(DiffArgs),
    /// Run policy test suites
    Test(TestArgs),
    /// Re-evaluate the decisions in the audit log against candidate policies (what would change)
    Replay(ReplayArgs),
    /// Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)
    ShadowReport {
        /// Only decisions since this duration ago (30d, 12h) or RFC 3339 time
        #[arg(long, value_name = "DURATION|TIME")]
        since: Option<String>,
        /// Only this agent's decisions (agent_id or principal id)
        #[arg(long)]
        agent: Option<String>,
    },
    /// List the bundled policy profiles, or show one
    Profiles {
        #[command(subcommand)]
        command: Option<ProfilesCommand>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Print a bundled profile's YAML
    Show {
        #[arg(value_enum, ignore_case = true)]
        name: Profile,
    },
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Policy files or directories (`-` for standard input)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Upstream spelling of a single path
    #[arg(long = "file", hide = true, value_name = "FILE")]
    pub file: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    pub format: DiagFormat,
    /// Treat warnings as errors
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct UpsertArgs {
    /// Policy YAML file (`-` for standard input)
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// Id of the policy to replace (or create with this id)
    #[arg(long)]
    pub policy_id: Option<String>,
    /// Owner id (default: the only owner)
    #[arg(long)]
    pub owner: Option<String>,
    /// Upstream spelling of the owner type (checked against the owner)
    #[arg(long, hide = true, value_enum)]
    pub owner_type: Option<OwnerTypeArg>,
    /// Bind to this agent (agent_id or principal id) instead of owner-wide
    #[arg(long, alias = "applies-to-agent")]
    pub agent: Option<String>,
    /// Human-readable name
    #[arg(long)]
    pub name: Option<String>,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
    /// Rank within its tier (lower applies first; default 100)
    #[arg(long)]
    pub rank: Option<i64>,
    /// Replace without asking for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
    #[arg(long, value_name = "CODE")]
    pub totp_code: Option<String>,
}

#[derive(Debug, Args)]
pub struct BindArgs {
    /// Policy id
    #[arg(long)]
    pub policy_id: String,
    /// Owner id (default: the policy's owner)
    #[arg(long)]
    pub owner: Option<String>,
    /// Agent (agent_id or principal id); omit for owner-wide
    #[arg(long)]
    pub agent: Option<String>,
    /// Rank within its tier (lower applies first; default 100)
    #[arg(long)]
    pub rank: Option<i64>,
    /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
    #[arg(long, value_name = "CODE")]
    pub totp_code: Option<String>,
}

#[derive(Debug, Args)]
pub struct UnbindArgs {
    /// Policy id
    #[arg(long)]
    pub policy_id: String,
    /// Only bindings of this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only the binding to this agent (agent_id or principal id)
    #[arg(long)]
    pub agent: Option<String>,
    /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
    #[arg(long, value_name = "CODE")]
    pub totp_code: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old policy file
    pub old: PathBuf,
    /// The new policy file
    pub new: PathBuf,
    /// Exit 1 when the new policy allows anything the old one did not
    #[arg(long)]
    pub fail_on_widening: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Ndjson,
    Ocsf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReplayFormat {
    Human,
    Json,
    Junit,
    Github,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Candidate policy file; stands for the stored policy --policy-id (default: the file's stem)
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "dir",
        conflicts_with = "dir"
    )]
    pub file: Option<PathBuf>,
    /// The stored policy that --file replaces
    #[arg(long, requires = "file")]
    pub policy_id: Option<String>,
    /// Directory of candidate files named <policy_id>.yaml, each replacing that stored policy
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only this agent's decisions (agent_id or principal id)
    #[arg(long)]
    pub agent: Option<String>,
    /// Only decisions since this duration ago (30d, 12h) or RFC 3339 time
    #[arg(long, value_name = "DURATION|TIME")]
    pub since: Option<String>,
    /// Only decisions until this RFC 3339 time (or duration ago)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// List at most N changed decisions (all are counted)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReplayFormat::Human)]
    pub format: ReplayFormat,
    /// Exit 1 when some decision would become more permissive
    #[arg(long)]
    pub fail_on_widening: bool,
    /// Exit 1 when some decision would change
    #[arg(long)]
    pub fail_on_change: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Suite files (`*.test.yaml`) or directories
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
}

#[derive(Debug, Subcommand)]
pub enum PlaygroundCommand {
    /// List bundled and data-directory scenarios
    List,
    /// Evaluate a scenario or an action file and show the per-rule trace
    Run(PlaygroundRunArgs),
}

#[derive(Debug, Args)]
pub struct PlaygroundRunArgs {
    /// Scenario name (see `playground list`)
    #[arg(required_unless_present = "action")]
    pub scenario: Option<String>,
    /// Action request JSON file (`-` for standard input) instead of a scenario
    #[arg(long, value_name = "FILE", conflicts_with = "scenario")]
    pub action: Option<PathBuf>,
    /// Evaluate this policy file
    #[arg(long, value_name = "FILE", conflicts_with_all = ["policy_id", "agent"])]
    pub policy: Option<PathBuf>,
    /// Evaluate this stored policy
    #[arg(long, conflicts_with = "agent")]
    pub policy_id: Option<String>,
    /// Evaluate the effective policy of this agent
    #[arg(long)]
    pub agent: Option<String>,
    /// Earlier ALLOW decisions to simulate for rules with `limits` (YAML/JSON list; see docs/policy.md)
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  openleash limits\n  openleash limits --agent my-agent --json\n  openleash limits reset-index --yes"
)]
pub struct LimitsArgs {
    #[command(subcommand)]
    pub command: Option<LimitsCommand>,
    /// Only the limits of this agent (agent_id or agent principal id)
    #[arg(long)]
    pub agent: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum LimitsCommand {
    /// Rebuild the limit counters from the whole audit log, after verifying it
    ResetIndex {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrustProfile {
    #[value(name = "LOW", alias = "low")]
    Low,
    #[value(name = "MEDIUM", alias = "medium")]
    Medium,
    #[value(name = "HIGH", alias = "high")]
    High,
    #[value(name = "REGULATED", alias = "regulated")]
    Regulated,
}

impl TrustProfile {
    pub fn as_str(self) -> &'static str {
        match self {
            TrustProfile::Low => "LOW",
            TrustProfile::Medium => "MEDIUM",
            TrustProfile::High => "HIGH",
            TrustProfile::Regulated => "REGULATED",
        }
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 ALLOW, 1 DENY, 3 REQUIRE_APPROVAL, 4 REQUIRE_STEP_UP, 5 REQUIRE_DEPOSIT.\n\
With -q only one value is printed: the proof token, else the decision id.\n\
Example:\n  if openleash authorize --type purchase \\\n       --payload '{\"amount_minor\":5000,\"currency\":\"USD\"}'; then buy; fi"
)]
pub struct AuthorizeArgs {
    /// A complete ActionRequest JSON file (`-` for stdin); wins over the flags below
    #[arg(long, value_name = "FILE")]
    pub action_file: Option<PathBuf>,
    /// action_type (required without --action-file)
    #[arg(
        long = "type",
        value_name = "ACTION_TYPE",
        required_unless_present = "action_file"
    )]
    pub action_type: Option<String>,
    /// action_id (default: a fresh UUID)
    #[arg(long)]
    pub action_id: Option<String>,
    /// Agent asking (default: OPENLEASH_AGENT_ID, else the only active agent)
    #[arg(long, env = "OPENLEASH_AGENT_ID")]
    pub agent: Option<String>,
    /// subject.principal_id (default: OPENLEASH_OWNER_PRINCIPAL_ID, else the agent's owner)
    #[arg(long, env = "OPENLEASH_OWNER_PRINCIPAL_ID")]
    pub subject: Option<String>,
    /// Payload as JSON (default {})
    #[arg(long, value_name = "JSON", conflicts_with = "payload_file")]
    pub payload: Option<String>,
    /// Payload from a JSON file (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub payload_file: Option<PathBuf>,
    /// relying_party.domain
    #[arg(long)]
    pub rp_domain: Option<String>,
    /// relying_party.rp_id (UUID)
    #[arg(long)]
    pub rp_id: Option<String>,
    /// relying_party.trust_profile
    #[arg(long, value_enum)]
    pub trust_profile: Option<TrustProfile>,
    #[command(flatten)]
    pub remote: RemoteAgentArgs,
    /// Re-authorize an approved action with the approval token of its request
    #[arg(long, value_name = "TOKEN", conflicts_with = "request_approval")]
    pub approval_token: Option<String>,
    /// On REQUIRE_APPROVAL: create an approval request, wait for the owner, re-authorize
    #[arg(long)]
    pub request_approval: bool,
    /// With --request-approval: how long to wait for the owner (exit 3 on timeout)
    #[arg(
        long,
        value_name = "SECS",
        requires = "request_approval",
        default_value_t = 300
    )]
    pub wait: u64,
    /// With --request-approval: why the agent needs this, shown to the owner
    #[arg(long, value_name = "TEXT", requires = "request_approval")]
    pub justification: Option<String>,
    /// Poll interval while waiting (milliseconds)
    #[arg(long, hide = true, default_value_t = 1000)]
    pub poll_ms: u64,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The MCP client (Claude Desktop, an IDE, an agent framework) starts this command instead of \
the server; it relays JSON-RPC over stdio and decides every tools/call as the action \
mcp.<server>.<tool> with payload {server, tool, arguments}. Denied calls never reach the server.\n\
Use the same --server-name as `openleash mcp scan`: the policy's rules name the server.\n\
Example:\n  openleash mcp-proxy --agent my-agent --server-name fs --hide-denied \\\n    \
-- npx -y @modelcontextprotocol/server-filesystem /home/me/notes"
)]
pub struct McpProxyArgs {
    /// Agent the tool calls are authorized for (default: OPENLEASH_AGENT_ID, else the only active agent)
    #[arg(long, env = "OPENLEASH_AGENT_ID")]
    pub agent: Option<String>,
    /// Server name in the action types `mcp.<server>.<tool>` (default: the server's
    /// serverInfo.name); normalised to [a-z0-9_-]
    #[arg(long, value_name = "NAME")]
    pub server_name: Option<String>,
    /// Remove from tools/list the tools the policy denies whatever their arguments
    #[arg(long)]
    pub hide_denied: bool,
    /// On REQUIRE_APPROVAL: hold the call up to SECS for the owner's answer (default: answer
    /// "pending" at once; retrying the same call after approval runs it)
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub wait_approval: Option<u64>,
    /// Accept changed tool definitions: re-pin them on the next tools/list
    #[arg(long)]
    pub accept_changes: bool,
    #[command(flatten)]
    pub remote: RemoteAgentArgs,
    /// Poll interval while waiting for an approval (milliseconds)
    #[arg(long, hide = true, default_value_t = 500)]
    pub poll_ms: u64,
    /// Seconds the server gets to exit after its input is closed before it is killed
    #[arg(long, hide = true, default_value_t = 5)]
    pub shutdown_grace: u64,
    /// The MCP server command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Subcommand)]
pub enum McpCommand {
    /// Start a server, classify its tools by risk and print a suggested policy YAML
    Scan(McpScanArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "The suggested policy goes to standard output (the risk table to standard error), so it can be \
saved and checked directly (run the proxy with the same --server-name):\n  openleash mcp scan --server-name fs \\\n    \
-- npx -y @modelcontextprotocol/server-filesystem /tmp > mcp-fs.yaml\n  \
openleash policy validate mcp-fs.yaml"
)]
pub struct McpScanArgs {
    /// Server name in the suggested action types (default: the server's serverInfo.name)
    #[arg(long, value_name = "NAME")]
    pub server_name: Option<String>,
    /// Give up when the server has not listed its tools within SECS
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// The MCP server command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

/// Remote mode of the agent-side commands (`authorize`, `approval request|wait`).
#[derive(Debug, Args)]
pub struct RemoteAgentArgs {
    /// Ask the `openleash start` server at this base URL instead of the local data directory
    /// (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config
    #[arg(long, conflicts_with = "url")]
    pub remote: bool,
    /// The agent's private key for remote mode (base64 PKCS#8, or an env file); default
    /// OPENLEASH_AGENT_PRIVATE_KEY_B64
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ApprovalCommand {
    /// List approval requests, newest first
    List(ApprovalListArgs),
    /// Show one approval request with its action
    Show { id: String },
    /// Approve a pending request: issues the single-use approval token
    Approve {
        id: String,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
        /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
        #[arg(long, value_name = "CODE")]
        totp_code: Option<String>,
    },
    /// Deny a pending request
    Deny {
        id: String,
        /// Why (shown to the agent; optional)
        #[arg(long)]
        reason: Option<String>,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
        /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
        #[arg(long, value_name = "CODE")]
        totp_code: Option<String>,
    },
    /// Agent side: ask the owner to approve a REQUIRE_APPROVAL decision
    Request(ApprovalRequestArgs),
    /// Agent side: wait for the owner's answer (exit 0 approved, 1 denied/expired, 3 pending)
    Wait(ApprovalWaitArgs),
}

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Count what would be removed, remove nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ApprovalListArgs {
    /// Only this status
    #[arg(long, value_enum)]
    pub status: Option<ApprovalStatusArg>,
    /// Only this agent (agent_id or principal id)
    #[arg(long)]
    pub agent: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

/// Paging of a list command (see the README's "Paging").
#[derive(Debug, Clone, Default, Args)]
pub struct PageArgs {
    /// At most N items per page (1–1000; default 100)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Start after this cursor (the `next page` hint of the previous page)
    #[arg(long, value_name = "CURSOR", conflicts_with = "all")]
    pub cursor: Option<String>,
    /// Every item, page by page (memory stays bounded by one page)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum ApprovalStatusArg {
    Pending,
    Approved,
    Denied,
    Expired,
}

impl ApprovalStatusArg {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatusArg::Pending => "PENDING",
            ApprovalStatusArg::Approved => "APPROVED",
            ApprovalStatusArg::Denied => "DENIED",
            ApprovalStatusArg::Expired => "EXPIRED",
        }
    }
}

#[derive(Debug, Args)]
pub struct ApprovalRequestArgs {
    /// The decision_id of the REQUIRE_APPROVAL decision
    #[arg(long)]
    pub decision_id: String,
    /// The exact ActionRequest that was decided (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub action_file: PathBuf,
    /// Why the agent needs this, shown to the owner
    #[arg(long, value_name = "TEXT")]
    pub justification: Option<String>,
    /// The agent asking (must match principal.agent_id of the action file)
    #[arg(long, env = "OPENLEASH_AGENT_ID")]
    pub agent: Option<String>,
    #[command(flatten)]
    pub remote: RemoteAgentArgs,
}

#[derive(Debug, Args)]
pub struct ApprovalWaitArgs {
    /// The approval request id
    pub id: String,
    /// Give up after this many seconds (exit 3)
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
    /// Poll interval (milliseconds)
    #[arg(long, hide = true, default_value_t = 1000)]
    pub poll_ms: u64,
    /// Remote mode: the agent that created the request (default: OPENLEASH_AGENT_ID, else
    /// `agent_id` of the per-user config)
    #[arg(long, env = "OPENLEASH_AGENT_ID")]
    pub agent: Option<String>,
    #[command(flatten)]
    pub remote: RemoteAgentArgs,
}

#[derive(Debug, Subcommand)]
pub enum DraftCommand {
    /// List policy drafts, newest first
    List(DraftListArgs),
    /// Show a draft: its YAML, diagnostics and the widening summary of the agent's rules
    Show { id: String },
    /// Approve a pending draft: creates and binds the policy
    Approve {
        id: String,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
        /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
        #[arg(long, value_name = "CODE")]
        totp_code: Option<String>,
    },
    /// Deny a pending draft
    Deny {
        id: String,
        /// Why (shown to the agent; optional)
        #[arg(long)]
        reason: Option<String>,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
        /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
        #[arg(long, value_name = "CODE")]
        totp_code: Option<String>,
    },
    /// Agent side: propose a policy (validated now; an owner approves it later)
    Submit(DraftSubmitArgs),
}

#[derive(Debug, Args)]
pub struct DraftListArgs {
    /// Only this status
    #[arg(long, value_enum)]
    pub status: Option<ApprovalStatusArg>,
    /// Only drafts of this agent (agent_id or principal id)
    #[arg(long)]
    pub agent: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct DraftSubmitArgs {
    /// The policy YAML (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// Submitting agent (default: OPENLEASH_AGENT_ID, else the only active agent)
    #[arg(long, env = "OPENLEASH_AGENT_ID")]
    pub agent: Option<String>,
    /// Apply to all agents of the owner instead of the submitting agent
    #[arg(long, conflicts_with = "applies_to")]
    pub owner_wide: bool,
    /// Apply to this agent of the same owner (principal id)
    #[arg(long, value_name = "AGENT_PRINCIPAL_ID")]
    pub applies_to: Option<String>,
    /// Policy name
    #[arg(long)]
    pub name: Option<String>,
    /// Policy description
    #[arg(long)]
    pub description: Option<String>,
    /// Why the agent needs this, shown to the owner
    #[arg(long, value_name = "TEXT")]
    pub justification: Option<String>,
    #[command(flatten)]
    pub remote: RemoteAgentArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The proof token (`-` to read it from stdin)
    pub token: String,
    /// Verify with this public key, `KID=BASE64` or just `BASE64` (repeatable)
    #[arg(long, value_name = "[KID=]B64")]
    pub public_key: Vec<String>,
    /// Verify with the keys of a /v1/public-keys JSON document
    #[arg(long, value_name = "FILE")]
    pub keys_file: Option<PathBuf>,
    /// Also require this action_hash
    #[arg(long)]
    pub expected_action_hash: Option<String>,
    /// Also require this agent_id
    #[arg(long)]
    pub expected_agent_id: Option<String>,
    /// Accept an expired token (for inspection; reported as expired)
    #[arg(long)]
    pub allow_expired: bool,
    /// Fetch the verification keys from this server's /v1/public-keys (base URL)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Let the server at --url verify the token (POST /v1/verify-proof)
    #[arg(long, requires = "url", conflicts_with_all = ["public_key", "keys_file"])]
    pub online: bool,
}

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Validate an ActionRequest and print its action_hash (or canonical JSON)
    Hash {
        /// ActionRequest JSON file (`-` or nothing for stdin)
        file: Option<PathBuf>,
        /// Print the RFC 8785 canonical JSON instead of the hash
        #[arg(long)]
        canonical: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// List agents
    List(PageArgs),
    /// Show one agent (by agent_id or principal id)
    Show { id: String },
    /// Register an agent (generates a keypair unless --public-key is given)
    Add(AgentAddArgs),
    /// Revoke an agent: its requests then fail with AGENT_INACTIVE
    Revoke {
        id: String,
        /// Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal
        #[arg(long, value_name = "CODE")]
        totp_code: Option<String>,
    },
    /// Re-activate a revoked or pending agent
    Activate { id: String },
    /// Create a single-use invite and print the registration URL for `openleash start`
    Invite(AgentInviteArgs),
    /// Print the five signing headers for an HTTP request (for curl users)
    Sign(AgentSignArgs),
}

#[derive(Debug, Args)]
pub struct AgentInviteArgs {
    /// Owner the new agent will belong to (default: the only owner)
    #[arg(long)]
    pub owner: Option<String>,
    /// Seconds the invite stays valid (default: invites.ttl_seconds from config.yaml)
    #[arg(long, value_name = "SECONDS")]
    pub ttl: Option<u64>,
    /// Base URL of the server as agents reach it (default: server.public_url, else http://<bind_address>)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  curl http://127.0.0.1:8787/v1/agent/self \\\n    $(openleash agent sign --method GET --path /v1/agent/self --format curl)"
)]
pub struct AgentSignArgs {
    /// HTTP method
    #[arg(long, default_value = "POST")]
    pub method: String,
    /// Request path as sent (the query string, if any, is signed too only when included here)
    #[arg(long)]
    pub path: String,
    /// The exact body bytes to send (`-` for stdin); without it sha256 of {} is signed, as the SDKs do for GET
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// agent_id to sign as (default: OPENLEASH_AGENT_ID, else the per-user config)
    #[arg(long, env = "OPENLEASH_AGENT_ID")]
    pub agent: Option<String>,
    /// File with the agent's private key (base64 PKCS#8; an env file with OPENLEASH_AGENT_PRIVATE_KEY_B64= works too)
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Output style: `headers` (Name: value lines) or `curl` (-H arguments on one line)
    #[arg(long, value_enum, default_value_t = SignFormat::Headers)]
    pub format: SignFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignFormat {
    Headers,
    Curl,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Stop with Ctrl-C (SIGINT) or SIGTERM; requests in flight are finished first."
)]
pub struct StartArgs {
    /// Address to listen on, host:port (default: server.bind_address from config.yaml; port 0 picks a free port)
    #[arg(long, value_name = "ADDR:PORT")]
    pub bind: Option<String>,
    /// Worker threads (default: server.threads from config.yaml; 0 = 2 x cores)
    #[arg(long)]
    pub threads: Option<usize>,
    /// Close connections idle (or stalled while sending headers) for this long
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub idle_timeout_ms: u64,
    /// Answer 408 and close when a request head takes longer than this from its first byte
    #[arg(long, value_name = "MS", default_value_t = 10000)]
    pub header_timeout_ms: u64,
    /// Answer 408 when a request body takes longer than this to arrive
    #[arg(long, value_name = "MS", default_value_t = 10000)]
    pub body_timeout_ms: u64,
    /// Connections served at once; beyond it new connections get 503 BUSY
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
    /// Signed requests remembered for replay protection; when full of live entries: 503 BUSY
    #[arg(long, default_value_t = 2_000_000)]
    pub nonce_cache_size: usize,
    /// Testing: set the open-file limit instead of raising it
    #[arg(long, hide = true)]
    pub max_open_files: Option<u64>,
    /// Testing and benchmarks: stop after this many milliseconds
    #[arg(long, hide = true, value_name = "MS")]
    pub run_for_ms: Option<u64>,
    /// Serve the owner portal at /gui (the default, unless server.gui is false in config.yaml)
    #[arg(long, overrides_with = "no_gui")]
    pub gui: bool,
    /// Do not serve the owner portal (/gui answers 404)
    #[arg(long, overrides_with = "gui")]
    pub no_gui: bool,
}

#[derive(Debug, Args)]
pub struct AgentAddArgs {
    /// The agent's chosen id (unique among active agents)
    #[arg(long)]
    pub agent_id: String,
    /// The agent's Ed25519 public key, base64 SPKI DER (omit to generate a keypair)
    #[arg(long, value_name = "B64")]
    pub public_key: Option<String>,
    /// Owner id (default: the only owner)
    #[arg(long)]
    pub owner: Option<String>,
    /// Write OPENLEASH_* lines with the generated private key to this file (mode 0600)
    #[arg(long, value_name = "FILE", conflicts_with = "public_key")]
    pub output_env: Option<PathBuf>,
    /// URL that receives the agent's approval and draft outcomes (http/https; "" = none)
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
    /// HMAC-SHA256 key for the X-Webhook-Signature header
    #[arg(long, value_name = "SECRET", conflicts_with = "webhook_secret_file")]
    pub webhook_secret: Option<String>,
    /// Read the webhook secret from this file (keeps it out of shell history)
    #[arg(long, value_name = "FILE")]
    pub webhook_secret_file: Option<PathBuf>,
    /// Sent as `Authorization: Bearer <token>` with each webhook
    #[arg(long, value_name = "TOKEN", conflicts_with = "webhook_auth_token_file")]
    pub webhook_auth_token: Option<String>,
    /// Read the webhook bearer token from this file
    #[arg(long, value_name = "FILE")]
    pub webhook_auth_token_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// List notifications (oldest first)
    List {
        /// Only this status
        #[arg(long, value_enum)]
        status: Option<NotifyStatusArg>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show one notification: target, event, attempts, last error
    Show { id: String },
    /// Queue a notification again (by id), or every dead one (--dead)
    Retry {
        #[arg(required_unless_present = "dead")]
        id: Option<String>,
        /// Every dead letter
        #[arg(long, conflicts_with = "id")]
        dead: bool,
    },
    /// Send a sample event to a channel now and print the receiver's answer
    Test {
        /// A channel name from notifications.channels
        channel: String,
    },
    /// Deliver pending notifications (for setups without `openleash start`, e.g. from cron)
    Run {
        /// One pass over what is due now, then exit
        #[arg(long)]
        once: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotifyStatusArg {
    Pending,
    Delivered,
    Dead,
}

impl NotifyStatusArg {
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyStatusArg::Pending => "pending",
            NotifyStatusArg::Delivered => "delivered",
            NotifyStatusArg::Dead => "dead",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum OwnerCommand {
    /// List owners
    List(PageArgs),
    /// Show one owner
    Show {
        /// Owner id (default: the only owner; or --owner)
        owner_id: Option<String>,
        /// Owner id
        #[arg(long, value_name = "OWNER_ID", conflicts_with = "owner_id")]
        owner: Option<String>,
    },
    /// Create an owner
    Add(OwnerAddArgs),
    /// Set or change an owner's login passphrase
    SetPassphrase(SetPassphraseArgs),
    /// Add a contact identity (email, phone, messenger, social media)
    AddContact(AddContactArgs),
    /// Add a government ID to a user owner (one per country)
    AddGovId(AddGovIdArgs),
    /// Add a company ID to an org owner
    AddCompanyId(AddCompanyIdArgs),
    /// Add a person (a user owner) who may sign for an org owner
    AddSignatory(AddSignatoryArgs),
    /// Re-check every stored identity entry and print the assurance level (exit 1 on failures)
    Validate {
        /// Owner id (default: the only owner; or --owner)
        owner_id: Option<String>,
        /// Owner id
        #[arg(long, value_name = "OWNER_ID", conflicts_with = "owner_id")]
        owner: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContactTypeArg {
    #[value(name = "EMAIL", alias = "email")]
    Email,
    #[value(name = "PHONE", alias = "phone")]
    Phone,
    #[value(name = "INSTANT_MESSAGE", alias = "instant-message")]
    InstantMessage,
    #[value(name = "SOCIAL_MEDIA", alias = "social-media")]
    SocialMedia,
}

impl ContactTypeArg {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactTypeArg::Email => "EMAIL",
            ContactTypeArg::Phone => "PHONE",
            ContactTypeArg::InstantMessage => "INSTANT_MESSAGE",
            ContactTypeArg::SocialMedia => "SOCIAL_MEDIA",
        }
    }
}

#[derive(Debug, Args)]
pub struct AddContactArgs {
    /// Owner id (default: the only owner)
    pub owner_id: Option<String>,
    /// Owner id (same as the positional OWNER_ID)
    #[arg(long, value_name = "OWNER_ID", conflicts_with = "owner_id")]
    pub owner: Option<String>,
    /// Contact type
    #[arg(long = "type", value_enum)]
    pub contact_type: Option<ContactTypeArg>,
    /// The address, number or handle
    #[arg(long)]
    pub value: Option<String>,
    /// Optional label, e.g. "Work"
    #[arg(long)]
    pub label: Option<String>,
    /// Platform of an INSTANT_MESSAGE or SOCIAL_MEDIA contact, e.g. SIGNAL, LINKEDIN
    #[arg(long)]
    pub platform: Option<String>,
    /// Store a value that fails the format check
    #[arg(long)]
    pub allow_invalid: bool,
}

#[derive(Debug, Args)]
pub struct AddGovIdArgs {
    /// Owner id of a user (default: the only owner)
    pub owner_id: Option<String>,
    /// Owner id (same as the positional OWNER_ID)
    #[arg(long, value_name = "OWNER_ID", conflicts_with = "owner_id")]
    pub owner: Option<String>,
    /// EU country code, e.g. SE
    #[arg(long)]
    pub country: Option<String>,
    /// ID type (default: the country's only type), e.g. PERSONNUMMER
    #[arg(long)]
    pub id_type: Option<String>,
    /// The ID number
    #[arg(long)]
    pub value: Option<String>,
    /// Store a value that fails the format check (as UNVERIFIED)
    #[arg(long)]
    pub allow_invalid: bool,
}

#[derive(Debug, Args)]
pub struct AddCompanyIdArgs {
    /// Owner id of an org (default: the only owner)
    pub owner_id: Option<String>,
    /// Owner id (same as the positional OWNER_ID)
    #[arg(long, value_name = "OWNER_ID", conflicts_with = "owner_id")]
    pub owner: Option<String>,
    /// COMPANY_REG, VAT, EORI, LEI, DUNS, GLN, ISIN, TAX_ID, CHAMBER_OF_COMMERCE, NAICS or SIC
    #[arg(long)]
    pub id_type: Option<String>,
    /// EU country code (required for COMPANY_REG)
    #[arg(long)]
    pub country: Option<String>,
    /// The ID number
    #[arg(long)]
    pub value: Option<String>,
    /// Store a value that fails the format check (as UNVERIFIED)
    #[arg(long)]
    pub allow_invalid: bool,
}

#[derive(Debug, Args)]
pub struct AddSignatoryArgs {
    /// Owner id of the org (default: the only owner)
    pub owner_id: Option<String>,
    /// Owner id (same as the positional OWNER_ID)
    #[arg(long, value_name = "OWNER_ID", conflicts_with = "owner_id")]
    pub owner: Option<String>,
    /// Owner id of the person (a user owner)
    #[arg(long, value_name = "USER_ID")]
    pub person: Option<String>,
    /// CEO, BOARD_CHAIRMAN, BOARD_MEMBER, AUTHORIZED_SIGNATORY, PROCURATOR, MANAGING_DIRECTOR or OTHER
    #[arg(long)]
    pub role: Option<String>,
    /// SOLE (can sign alone) or JOINT (must co-sign with another)
    #[arg(long, value_name = "SOLE|JOINT")]
    pub authority: Option<String>,
    /// What the signatory may sign for (optional)
    #[arg(long)]
    pub scope: Option<String>,
}

#[derive(Debug, Args)]
pub struct OwnerAddArgs {
    /// Display name
    #[arg(long)]
    pub name: String,
    /// A person (user) or an organization (org)
    #[arg(long = "type", value_enum, default_value_t = OwnerTypeArg::User)]
    pub owner_type: OwnerTypeArg,
}

#[derive(Debug, Args)]
pub struct SetPassphraseArgs {
    /// Owner id (default: the only owner)
    #[arg(long)]
    pub owner: Option<String>,
    /// Read the passphrase from this file
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_stdin")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the passphrase from standard input
    #[arg(long)]
    pub passphrase_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List signing keys (--json: the /v1/public-keys shape)
    List,
    /// Create a new signing key and make it active; old keys keep verifying
    Rotate,
    /// Revoke a non-active key: tokens signed with it stop verifying
    Revoke { kid: String },
}

#[derive(Debug, Subcommand)]
pub enum TransformCommand {
    /// Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)
    Add(TransformAddArgs),
    /// List the owner's rules by rank (--agent: only those that apply to that agent)
    List {
        /// Owner id (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
        /// Only the enabled rules that apply to this agent (agent_id or principal id), in order
        #[arg(long)]
        agent: Option<String>,
    },
    /// Show one rule
    Show {
        id: String,
        /// Owner id (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
    },
    /// Change a rule, its name, description, rank, or turn it on or off
    Update(TransformUpdateArgs),
    /// Delete a rule
    Delete {
        id: String,
        /// Owner id (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
    },
    /// Apply an agent's rules to standard input (or --input FILE) and print the result
    Apply {
        /// The agent whose rules apply (agent_id or principal id; default: the only active agent)
        #[arg(long, env = "OPENLEASH_AGENT_ID")]
        agent: Option<String>,
        /// Read the output to transform from this file instead of standard input
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
    },
}

/// The rule, given as flags or as JSON.
#[derive(Debug, Args, Clone, Default)]
pub struct TransformRuleArgs {
    /// The whole rule as JSON, e.g. '{"type":"cap_output_length","max_characters":20000}'
    #[arg(long, value_name = "JSON", conflicts_with_all = ["max_characters", "max_lines", "from", "to"])]
    pub rule: Option<String>,
    /// cap_output_length: keep at most this many characters
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub max_characters: Option<u64>,
    /// cap_output_length: keep at most this many lines
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub max_lines: Option<u64>,
    /// regex_replace: the pattern (linear-time regex, as in policies)
    #[arg(long, value_name = "REGEX", requires = "to")]
    pub from: Option<String>,
    /// regex_replace: the replacement ($&, $1, $<name> as in JavaScript)
    #[arg(
        long,
        value_name = "TEXT",
        requires = "from",
        allow_hyphen_values = true
    )]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct TransformAddArgs {
    #[command(flatten)]
    pub rule: TransformRuleArgs,
    /// A short name
    #[arg(long)]
    pub name: Option<String>,
    /// What the rule is for
    #[arg(long)]
    pub description: Option<String>,
    /// Apply to this agent only (agent_id or principal id; default: every agent of the owner)
    #[arg(long)]
    pub agent: Option<String>,
    /// Position among the owner's rules, lower first (default: after the last one)
    #[arg(long, allow_hyphen_values = true)]
    pub rank: Option<i64>,
    /// Store it switched off
    #[arg(long)]
    pub disabled: bool,
    /// Owner id (default: the only owner)
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct TransformUpdateArgs {
    pub id: String,
    #[command(flatten)]
    pub rule: TransformRuleArgs,
    /// A new name ("" clears it)
    #[arg(long)]
    pub name: Option<String>,
    /// A new description ("" clears it)
    #[arg(long)]
    pub description: Option<String>,
    /// A new position among the owner's rules, lower first
    #[arg(long, allow_hyphen_values = true)]
    pub rank: Option<i64>,
    /// Switch the rule on
    #[arg(long, conflicts_with = "disable")]
    pub enable: bool,
    /// Switch the rule off
    #[arg(long)]
    pub disable: bool,
    /// Owner id (default: the only owner)
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct AuditFilter {
    /// Only events of this type (repeatable)
    #[arg(long = "type", value_name = "EVENT_TYPE")]
    pub event_type: Vec<String>,
    /// Only events about this agent (agent_id or principal id)
    #[arg(long)]
    pub agent: Option<String>,
    /// Only events about this owner
    #[arg(long)]
    pub owner: Option<String>,
    /// Only events at or after this time (RFC 3339)
    #[arg(long)]
    pub since: Option<String>,
    /// Only events before this time (RFC 3339)
    #[arg(long)]
    pub until: Option<String>,
    /// Only decisions with this result (ALLOW, DENY, ...)
    #[arg(long)]
    pub decision: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List events (newest last; --json prints JSON Lines)
    List {
        #[command(flatten)]
        filter: AuditFilter,
        /// At most this many, the newest (0 = all)
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Only decisions where a shadow policy's result differs from the enforced one
        #[arg(long)]
        shadow_diff: bool,
    },
    /// Show one event by seq or event_id
    Show { id: String },
    /// Print the last events, optionally following new ones
    Tail {
        #[command(flatten)]
        filter: AuditFilter,
        /// Number of events to print first
        #[arg(short = 'n', long, default_value_t = 10)]
        lines: usize,
        /// Keep printing events as they are appended
        #[arg(short, long)]
        follow: bool,
        /// Poll interval while following, in milliseconds
        #[arg(long, default_value_t = 250, hide = true)]
        poll_ms: u64,
    },
    /// Check the hash chain and the signed head
    Verify,
    /// Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity
    Export {
        /// Output format
        #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
        format: ExportFormat,
        /// Only events since this duration ago (30d, 12h) or RFC 3339 time
        #[arg(long, value_name = "DURATION|TIME")]
        since: Option<String>,
        /// Only events before this RFC 3339 time (or duration ago)
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        /// Resume after the last event a previous run with this cursor file exported, and
        /// record where this run stops
        #[arg(long, value_name = "FILE")]
        cursor: Option<PathBuf>,
        /// Keep exporting events as they are appended (until interrupted)
        #[arg(long)]
        follow: bool,
        /// With --follow: how often to look for new events
        #[arg(long, default_value_t = 500, hide = true)]
        poll_ms: u64,
    },
    /// Sign an unsigned tail after review (records AUDIT_SEALED)
    Seal {
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Move a torn last line aside (records AUDIT_REPAIRED)
    Repair {
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct TestvectorsArgs {
    /// Write them to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Check a vectors file (e.g. an SDK's testvectors.json) instead: exit 1 when one fails
    #[arg(long, value_name = "FILE", conflicts_with = "out")]
    pub check: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per subcommand into this directory instead of printing the main page
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Users with their system roles, oldest first (paged: --limit/--cursor/--all)
    List(PageArgs),
    /// Give a user the admin role (by principal id or email)
    Grant { user: String },
    /// Take the admin role from a user (by principal id or email)
    Revoke { user: String },
    /// Reset a user's TOTP (a lost device)
    DisableTotp { user: String },
    /// A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)
    SetupInvite { user: String },
    /// Delete an agent (by agent_id or principal id): its record and key go, it leaves its
    /// policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})
    DeleteAgent {
        id: String,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TotpCommand {
    /// Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes
    Setup {
        /// The user (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
    },
    /// Enable TOTP with the first code the authenticator app shows
    Confirm {
        /// The user (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
        /// The current 6-digit code
        #[arg(long)]
        code: String,
    },
    /// Disable TOTP with a current code or a backup code
    Disable {
        /// The user (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
        /// A current code or a backup code
        #[arg(long)]
        code: String,
    },
    /// Whether TOTP is enabled and how many backup codes are left
    Status {
        /// The user (default: the only owner)
        #[arg(long)]
        owner: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct OrgArgs {
    /// Act as this user (role checks apply); without it, act as the local operator
    #[arg(long = "as", global = true, value_name = "USER_ID")]
    pub as_user: Option<String>,
    #[command(subcommand)]
    pub command: OrgCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrgRoleArg {
    #[value(name = "org_admin")]
    OrgAdmin,
    #[value(name = "org_member")]
    OrgMember,
    #[value(name = "org_viewer")]
    OrgViewer,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organization (with --as, that user becomes its org_admin)
    Create {
        /// Display name
        #[arg(long)]
        name: String,
        /// URL slug for /gui/orgs/{slug} (default: made from the name, unique)
        #[arg(long)]
        slug: Option<String>,
    },
    /// List organizations (with --as: that user's, with their role)
    List,
    /// Show one organization
    Show {
        /// Organization id
        org_id: String,
    },
    /// Rename an organization or change its slug (org_admin; old slugs keep redirecting)
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["name", "slug"])))]
    Update {
        /// Organization id
        org_id: String,
        /// New display name
        #[arg(long)]
        name: Option<String>,
        /// New URL slug (2-64 of a-z, 0-9 and -)
        #[arg(long)]
        slug: Option<String>,
    },
    /// Delete an organization that owns no agents and no policies (org_admin)
    Delete {
        /// Organization id
        org_id: String,
    },
    /// Members and their roles
    #[command(subcommand)]
    Member(OrgMemberCommand),
    /// Invitations into an organization (7 days)
    #[command(subcommand)]
    Invite(OrgInviteCommand),
    /// Policy groups: agents grouped so that policies can apply to all of them
    #[command(subcommand)]
    Group(OrgGroupCommand),
    /// Leave an organization (needs --as; the last org_admin cannot)
    Leave {
        /// Organization id
        org_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgMemberCommand {
    /// Add a member directly (local operator only; users invite instead)
    Add {
        /// Organization id
        org_id: String,
        /// User id
        user_id: String,
        /// Role
        #[arg(long, value_enum, default_value_t = OrgRoleArg::OrgMember)]
        role: OrgRoleArg,
    },
    /// List the members with their roles
    List {
        /// Organization id
        org_id: String,
    },
    /// Set a member's role (org_admin; the last org_admin cannot be demoted)
    Role {
        /// Organization id
        org_id: String,
        /// User id
        user_id: String,
        /// New role
        #[arg(value_enum)]
        role: OrgRoleArg,
    },
    /// Remove a member (org_admin; not the last org_admin)
    Remove {
        /// Organization id
        org_id: String,
        /// User id
        user_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgGroupCommand {
    /// List an organization's policy groups with their member counts
    List {
        /// Organization id
        org_id: String,
    },
    /// Create a policy group (org_admin)
    Create {
        /// Organization id
        org_id: String,
        /// Display name
        #[arg(long)]
        name: String,
        /// URL slug, unique in the org (default: made from the name)
        #[arg(long)]
        slug: Option<String>,
        /// Description
        #[arg(long)]
        description: Option<String>,
    },
    /// Show a group with its agents and the policies bound to it
    Show {
        /// Organization id
        org_id: String,
        /// Group id
        group_id: String,
    },
    /// Change a group's name, slug or description (org_admin)
    Update {
        /// Organization id
        org_id: String,
        /// Group id
        group_id: String,
        /// New display name
        #[arg(long)]
        name: Option<String>,
        /// New slug
        #[arg(long)]
        slug: Option<String>,
        /// New description (empty clears it)
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a group and its memberships; refused while policies are bound to it (org_admin)
    Delete {
        /// Organization id
        org_id: String,
        /// Group id
        group_id: String,
    },
    /// Add one of the organization's agents to a group (org_admin)
    AddAgent {
        /// Organization id
        org_id: String,
        /// Group id
        group_id: String,
        /// Agent id or agent principal id
        agent: String,
    },
    /// Remove an agent from a group (org_admin)
    RemoveAgent {
        /// Organization id
        org_id: String,
        /// Group id
        group_id: String,
        /// Agent id or agent principal id
        agent: String,
    },
    /// Create an org policy that applies to every agent of the group (org_admin)
    CreatePolicy {
        /// Organization id
        org_id: String,
        /// Group id
        group_id: String,
        /// Policy YAML file
        #[arg(long)]
        file: std::path::PathBuf,
        /// Policy name
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgInviteCommand {
    /// Invite a user with a role, valid 7 days (org_admin; needs --as)
    Create {
        /// Organization id
        org_id: String,
        /// User id of the invitee
        user_id: String,
        /// Role the invitee gets on accepting
        #[arg(long, value_enum, default_value_t = OrgRoleArg::OrgMember)]
        role: OrgRoleArg,
    },
    /// List pending invites (with --as: that user's); with --org, every invite of that org
    List {
        /// An organization's invites, any status (org_admin)
        #[arg(long, value_name = "ORG_ID")]
        org: Option<String>,
    },
    /// Accept an invite addressed to you (needs --as)
    Accept {
        /// Invite id
        invite_id: String,
    },
    /// Decline an invite addressed to you (needs --as)
    Decline {
        /// Invite id
        invite_id: String,
    },
    /// Revoke a pending invite (org_admin)
    Revoke {
        /// Organization id
        org_id: String,
        /// Invite id
        invite_id: String,
    },
}

#[derive(Debug, Args)]
pub struct ProvisionerArgs {
    /// Act as this user (org role checks apply); without it, act as the local operator
    #[arg(long = "as", global = true, value_name = "USER_ID")]
    pub as_user: Option<String>,
    #[command(subcommand)]
    pub command: ProvisionerCommand,
}

#[derive(Debug, Subcommand)]
pub enum ProvisionerCommand {
    /// Mint a provisioner token (printed once, to stdout; only its hash is stored)
    Add {
        /// What the token is for, e.g. ci-deploy
        #[arg(long)]
        name: String,
        /// The owner (a user, or an organization id; default: --as, else the only owner)
        #[arg(long)]
        owner: Option<String>,
        /// Valid for this many seconds (default: until revoked)
        #[arg(long, value_name = "SECONDS", conflicts_with = "expires_at")]
        ttl: Option<u64>,
        /// Valid until this RFC 3339 time (default: until revoked)
        #[arg(long, value_name = "TIME")]
        expires_at: Option<String>,
    },
    /// List an owner's provisioners (never their tokens)
    List {
        /// The owner (a user, or an organization id; default: --as, else the only owner)
        #[arg(long)]
        owner: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Revoke a provisioner: its token stops working at once
    Revoke {
        /// Provisioner id
        id: String,
        /// The owner (a user, or an organization id; default: --as, else the only owner)
        #[arg(long)]
        owner: Option<String>,
    },
}
