
use builtin;
use str;

set edit:completion:arg-completer[openleash] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'openleash'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'openleash'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a data directory: config, signing key, owner, agent and a profile policy'
            cand wizard 'Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag'
            cand import-upstream 'Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)'
            cand policy 'Manage policies: list, show, validate, upsert, bind, diff, test, profiles'
            cand playground 'Evaluate actions against policies without side effects'
            cand authorize 'Ask for a decision on an action (exit code = decision)'
            cand verify 'Verify a proof token (offline, or with a server''s keys or the server itself)'
            cand action 'Work with action requests'
            cand agent 'Manage agents'
            cand owner 'Manage owners'
            cand org 'Organizations: create, list, show, update, delete; members, roles, invites, leave'
            cand keys 'Manage the server''s signing keys'
            cand audit 'Query and verify the tamper-evident audit log'
            cand limits 'Spending caps and rate limits: current use, remainder and when each window frees up'
            cand store 'The shared PostgreSQL store: schema migrations and status (docs/store.md)'
            cand approval 'Human approval: list, show, approve or deny requests; request one and wait as an agent'
            cand draft 'Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit'
            cand notify 'Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries'
            cand transform 'Output transformations: cap or redact what tools return before agents see it'
            cand provisioner 'Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner'
            cand start 'Serve the HTTP API for agents and SDKs'
            cand gc 'Remove records past their `retention.*` time (never the audit log); --dry-run only counts'
            cand mcp-proxy 'Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`'
            cand mcp 'MCP helpers: scan a server''s tools and suggest a policy'
            cand testvectors 'Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them'
            cand admin 'Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites'
            cand totp 'Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status'
            cand completions 'Print shell completions'
            cand man 'Print the man page (or write all pages to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;init'= {
            cand --owner-name 'Display name of the owner to create'
            cand --owner-type 'Kind of owner: a person (user) or an organization (org)'
            cand --agent-id 'agent_id of the agent to create (a fresh Ed25519 keypair is generated)'
            cand --policy-profile 'Policy profile bound owner-wide'
            cand --output-env 'Write OPENLEASH_* environment lines (incl. the agent private key) to this file (mode 0600)'
            cand --passphrase-file 'Read the owner''s login passphrase from this file'
            cand --store 'Use a shared PostgreSQL store: create its schema, publish the signing key and the new owner and agent there, and write `store:` into config.yaml'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --passphrase-stdin 'Read the owner''s login passphrase from standard input'
            cand --force 'Start over: move an existing data directory aside to <dir>.bak-<timestamp>'
            cand --no-owner 'Create the instance without owner, agent or policy: its first user (an admin) comes from POST /v1/initial-setup on `openleash start`'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;wizard'= {
            cand --owner-name 'Create a new owner with this display name'
            cand --owner-type 'Kind of a new owner'
            cand --owner-id 'Use this existing owner (the data directory must be initialised)'
            cand --agent-id 'agent_id of the agent to create'
            cand --public-key 'Import this Ed25519 public key (base64 SPKI DER) instead of generating a keypair'
            cand --policy-profile 'Policy profile (custom: answer the rule questions or pass their flags)'
            cand --purchase-max 'Largest purchase (minor units) allowed without approval'
            cand --allow-hairdresser 'CUSTOM: allow hairdresser bookings'
            cand --allow-healthcare 'CUSTOM: allow healthcare appointments'
            cand --stepup-healthcare 'CUSTOM: require step-up (SUBSTANTIAL) for healthcare'
            cand --allow-government 'CUSTOM: allow government submissions'
            cand --stepup-government 'CUSTOM: require step-up (HIGH) for government submissions'
            cand --comm-domains 'Communication allow-list, comma-separated ("" for none)'
            cand --passphrase-file 'Read the owner''s login passphrase from this file'
            cand --admin-token 'Admin token for the HTTP admin API (default: none, loopback only)'
            cand --output-env 'Write OPENLEASH_* environment lines (incl. a generated private key) to this file (mode 0600)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --passphrase-stdin 'Read the owner''s login passphrase from standard input'
            cand -y 'Accept defaults for unanswered questions and write without asking'
            cand --yes 'Accept defaults for unanswered questions and write without asking'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;import-upstream'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --dry-run 'Read and check everything, report what would be imported, write nothing'
            cand --force 'Import even if --data-dir is not empty: move it aside to <dir>.bak-<timestamp> first'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List stored policies and what they apply to (--agent: that agent''s effective chain)'
            cand show 'Print a stored policy and its bindings'
            cand explain 'The effective policy chain of an agent: which policies decide, in which order'
            cand validate 'Lint and validate policy files (no data directory needed)'
            cand upsert 'Create or replace a stored policy (validated first)'
            cand bind 'Bind a stored policy to an owner (owner-wide) or to one agent'
            cand unbind 'Remove bindings of a policy'
            cand delete 'Delete a policy file and all its bindings'
            cand diff 'Compare two policy files: text diff and what got wider'
            cand test 'Run policy test suites'
            cand replay 'Re-evaluate the decisions in the audit log against candidate policies (what would change)'
            cand shadow-report 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)'
            cand profiles 'List the bundled policy profiles, or show one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;policy;list'= {
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --agent 'Only the policies that decide for this agent (agent_id or principal id), in evaluation order: its own, then its groups'', then owner-wide, each tier by rank'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;show'= {
            cand --policy-id 'Policy id'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;explain'= {
            cand --agent 'Agent (agent_id or principal id; default: the only active agent)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;validate'= {
            cand --file 'Upstream spelling of a single path'
            cand --format 'Output format'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --deny-warnings 'Treat warnings as errors'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;upsert'= {
            cand --file 'Policy YAML file (`-` for standard input)'
            cand --policy-id 'Id of the policy to replace (or create with this id)'
            cand --owner 'Owner id (default: the only owner)'
            cand --owner-type 'Upstream spelling of the owner type (checked against the owner)'
            cand --agent 'Bind to this agent (agent_id or principal id) instead of owner-wide'
            cand --name 'Human-readable name'
            cand --description 'Description'
            cand --rank 'Rank within its tier (lower applies first; default 100)'
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Replace without asking for confirmation'
            cand --yes 'Replace without asking for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;bind'= {
            cand --policy-id 'Policy id'
            cand --owner 'Owner id (default: the policy''s owner)'
            cand --agent 'Agent (agent_id or principal id); omit for owner-wide'
            cand --rank 'Rank within its tier (lower applies first; default 100)'
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;unbind'= {
            cand --policy-id 'Policy id'
            cand --owner 'Only bindings of this owner'
            cand --agent 'Only the binding to this agent (agent_id or principal id)'
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;delete'= {
            cand --policy-id 'Policy id'
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;diff'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --fail-on-widening 'Exit 1 when the new policy allows anything the old one did not'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;test'= {
            cand --format 'Output format'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;replay'= {
            cand --file 'Candidate policy file; stands for the stored policy --policy-id (default: the file''s stem)'
            cand --policy-id 'The stored policy that --file replaces'
            cand --dir 'Directory of candidate files named <policy_id>.yaml, each replacing that stored policy'
            cand --agent 'Only this agent''s decisions (agent_id or principal id)'
            cand --since 'Only decisions since this duration ago (30d, 12h) or RFC 3339 time'
            cand --until 'Only decisions until this RFC 3339 time (or duration ago)'
            cand --limit 'List at most N changed decisions (all are counted)'
            cand --format 'Output format'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --fail-on-widening 'Exit 1 when some decision would become more permissive'
            cand --fail-on-change 'Exit 1 when some decision would change'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;shadow-report'= {
            cand --since 'Only decisions since this duration ago (30d, 12h) or RFC 3339 time'
            cand --agent 'Only this agent''s decisions (agent_id or principal id)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;profiles'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print a bundled profile''s YAML'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;policy;profiles;show'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;policy;profiles;help'= {
            cand show 'Print a bundled profile''s YAML'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;policy;profiles;help;show'= {
        }
        &'openleash;policy;profiles;help;help'= {
        }
        &'openleash;policy;help'= {
            cand list 'List stored policies and what they apply to (--agent: that agent''s effective chain)'
            cand show 'Print a stored policy and its bindings'
            cand explain 'The effective policy chain of an agent: which policies decide, in which order'
            cand validate 'Lint and validate policy files (no data directory needed)'
            cand upsert 'Create or replace a stored policy (validated first)'
            cand bind 'Bind a stored policy to an owner (owner-wide) or to one agent'
            cand unbind 'Remove bindings of a policy'
            cand delete 'Delete a policy file and all its bindings'
            cand diff 'Compare two policy files: text diff and what got wider'
            cand test 'Run policy test suites'
            cand replay 'Re-evaluate the decisions in the audit log against candidate policies (what would change)'
            cand shadow-report 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)'
            cand profiles 'List the bundled policy profiles, or show one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;policy;help;list'= {
        }
        &'openleash;policy;help;show'= {
        }
        &'openleash;policy;help;explain'= {
        }
        &'openleash;policy;help;validate'= {
        }
        &'openleash;policy;help;upsert'= {
        }
        &'openleash;policy;help;bind'= {
        }
        &'openleash;policy;help;unbind'= {
        }
        &'openleash;policy;help;delete'= {
        }
        &'openleash;policy;help;diff'= {
        }
        &'openleash;policy;help;test'= {
        }
        &'openleash;policy;help;replay'= {
        }
        &'openleash;policy;help;shadow-report'= {
        }
        &'openleash;policy;help;profiles'= {
            cand show 'Print a bundled profile''s YAML'
        }
        &'openleash;policy;help;profiles;show'= {
        }
        &'openleash;policy;help;help'= {
        }
        &'openleash;playground'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List bundled and data-directory scenarios'
            cand run 'Evaluate a scenario or an action file and show the per-rule trace'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;playground;list'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;playground;run'= {
            cand --action 'Action request JSON file (`-` for standard input) instead of a scenario'
            cand --policy 'Evaluate this policy file'
            cand --policy-id 'Evaluate this stored policy'
            cand --agent 'Evaluate the effective policy of this agent'
            cand --history 'Earlier ALLOW decisions to simulate for rules with `limits` (YAML/JSON list; see docs/policy.md)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;playground;help'= {
            cand list 'List bundled and data-directory scenarios'
            cand run 'Evaluate a scenario or an action file and show the per-rule trace'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;playground;help;list'= {
        }
        &'openleash;playground;help;run'= {
        }
        &'openleash;playground;help;help'= {
        }
        &'openleash;authorize'= {
            cand --action-file 'A complete ActionRequest JSON file (`-` for stdin); wins over the flags below'
            cand --type 'action_type (required without --action-file)'
            cand --action-id 'action_id (default: a fresh UUID)'
            cand --agent 'Agent asking (default: OPENLEASH_AGENT_ID, else the only active agent)'
            cand --subject 'subject.principal_id (default: OPENLEASH_OWNER_PRINCIPAL_ID, else the agent''s owner)'
            cand --payload 'Payload as JSON (default {})'
            cand --payload-file 'Payload from a JSON file (`-` for stdin)'
            cand --rp-domain 'relying_party.domain'
            cand --rp-id 'relying_party.rp_id (UUID)'
            cand --trust-profile 'relying_party.trust_profile'
            cand --url 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)'
            cand --key-file 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64'
            cand --approval-token 'Re-authorize an approved action with the approval token of its request'
            cand --wait 'With --request-approval: how long to wait for the owner (exit 3 on timeout)'
            cand --justification 'With --request-approval: why the agent needs this, shown to the owner'
            cand --poll-ms 'Poll interval while waiting (milliseconds)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --remote 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
            cand --request-approval 'On REQUIRE_APPROVAL: create an approval request, wait for the owner, re-authorize'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;verify'= {
            cand --public-key 'Verify with this public key, `KID=BASE64` or just `BASE64` (repeatable)'
            cand --keys-file 'Verify with the keys of a /v1/public-keys JSON document'
            cand --expected-action-hash 'Also require this action_hash'
            cand --expected-agent-id 'Also require this agent_id'
            cand --url 'Fetch the verification keys from this server''s /v1/public-keys (base URL)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --allow-expired 'Accept an expired token (for inspection; reported as expired)'
            cand --online 'Let the server at --url verify the token (POST /v1/verify-proof)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;action'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand hash 'Validate an ActionRequest and print its action_hash (or canonical JSON)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;action;hash'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --canonical 'Print the RFC 8785 canonical JSON instead of the hash'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;action;help'= {
            cand hash 'Validate an ActionRequest and print its action_hash (or canonical JSON)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;action;help;hash'= {
        }
        &'openleash;action;help;help'= {
        }
        &'openleash;agent'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List agents'
            cand show 'Show one agent (by agent_id or principal id)'
            cand add 'Register an agent (generates a keypair unless --public-key is given)'
            cand revoke 'Revoke an agent: its requests then fail with AGENT_INACTIVE'
            cand activate 'Re-activate a revoked or pending agent'
            cand invite 'Create a single-use invite and print the registration URL for `openleash start`'
            cand sign 'Print the five signing headers for an HTTP request (for curl users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;agent;list'= {
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;show'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;add'= {
            cand --agent-id 'The agent''s chosen id (unique among active agents)'
            cand --public-key 'The agent''s Ed25519 public key, base64 SPKI DER (omit to generate a keypair)'
            cand --owner 'Owner id (default: the only owner)'
            cand --output-env 'Write OPENLEASH_* lines with the generated private key to this file (mode 0600)'
            cand --webhook-url 'URL that receives the agent''s approval and draft outcomes (http/https; "" = none)'
            cand --webhook-secret 'HMAC-SHA256 key for the X-Webhook-Signature header'
            cand --webhook-secret-file 'Read the webhook secret from this file (keeps it out of shell history)'
            cand --webhook-auth-token 'Sent as `Authorization: Bearer <token>` with each webhook'
            cand --webhook-auth-token-file 'Read the webhook bearer token from this file'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;revoke'= {
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;activate'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;invite'= {
            cand --owner 'Owner the new agent will belong to (default: the only owner)'
            cand --ttl 'Seconds the invite stays valid (default: invites.ttl_seconds from config.yaml)'
            cand --url 'Base URL of the server as agents reach it (default: server.public_url, else http://<bind_address>)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;sign'= {
            cand --method 'HTTP method'
            cand --path 'Request path as sent (the query string, if any, is signed too only when included here)'
            cand --body-file 'The exact body bytes to send (`-` for stdin); without it sha256 of {} is signed, as the SDKs do for GET'
            cand --agent 'agent_id to sign as (default: OPENLEASH_AGENT_ID, else the per-user config)'
            cand --key-file 'File with the agent''s private key (base64 PKCS#8; an env file with OPENLEASH_AGENT_PRIVATE_KEY_B64= works too)'
            cand --format 'Output style: `headers` (Name: value lines) or `curl` (-H arguments on one line)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;agent;help'= {
            cand list 'List agents'
            cand show 'Show one agent (by agent_id or principal id)'
            cand add 'Register an agent (generates a keypair unless --public-key is given)'
            cand revoke 'Revoke an agent: its requests then fail with AGENT_INACTIVE'
            cand activate 'Re-activate a revoked or pending agent'
            cand invite 'Create a single-use invite and print the registration URL for `openleash start`'
            cand sign 'Print the five signing headers for an HTTP request (for curl users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;agent;help;list'= {
        }
        &'openleash;agent;help;show'= {
        }
        &'openleash;agent;help;add'= {
        }
        &'openleash;agent;help;revoke'= {
        }
        &'openleash;agent;help;activate'= {
        }
        &'openleash;agent;help;invite'= {
        }
        &'openleash;agent;help;sign'= {
        }
        &'openleash;agent;help;help'= {
        }
        &'openleash;owner'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List owners'
            cand show 'Show one owner'
            cand add 'Create an owner'
            cand set-passphrase 'Set or change an owner''s login passphrase'
            cand add-contact 'Add a contact identity (email, phone, messenger, social media)'
            cand add-gov-id 'Add a government ID to a user owner (one per country)'
            cand add-company-id 'Add a company ID to an org owner'
            cand add-signatory 'Add a person (a user owner) who may sign for an org owner'
            cand validate 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;owner;list'= {
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;show'= {
            cand --owner 'Owner id'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;add'= {
            cand --name 'Display name'
            cand --type 'A person (user) or an organization (org)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;set-passphrase'= {
            cand --owner 'Owner id (default: the only owner)'
            cand --passphrase-file 'Read the passphrase from this file'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --passphrase-stdin 'Read the passphrase from standard input'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;add-contact'= {
            cand --owner 'Owner id (same as the positional OWNER_ID)'
            cand --type 'Contact type'
            cand --value 'The address, number or handle'
            cand --label 'Optional label, e.g. "Work"'
            cand --platform 'Platform of an INSTANT_MESSAGE or SOCIAL_MEDIA contact, e.g. SIGNAL, LINKEDIN'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --allow-invalid 'Store a value that fails the format check'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;add-gov-id'= {
            cand --owner 'Owner id (same as the positional OWNER_ID)'
            cand --country 'EU country code, e.g. SE'
            cand --id-type 'ID type (default: the country''s only type), e.g. PERSONNUMMER'
            cand --value 'The ID number'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --allow-invalid 'Store a value that fails the format check (as UNVERIFIED)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;add-company-id'= {
            cand --owner 'Owner id (same as the positional OWNER_ID)'
            cand --id-type 'COMPANY_REG, VAT, EORI, LEI, DUNS, GLN, ISIN, TAX_ID, CHAMBER_OF_COMMERCE, NAICS or SIC'
            cand --country 'EU country code (required for COMPANY_REG)'
            cand --value 'The ID number'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --allow-invalid 'Store a value that fails the format check (as UNVERIFIED)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;add-signatory'= {
            cand --owner 'Owner id (same as the positional OWNER_ID)'
            cand --person 'Owner id of the person (a user owner)'
            cand --role 'CEO, BOARD_CHAIRMAN, BOARD_MEMBER, AUTHORIZED_SIGNATORY, PROCURATOR, MANAGING_DIRECTOR or OTHER'
            cand --authority 'SOLE (can sign alone) or JOINT (must co-sign with another)'
            cand --scope 'What the signatory may sign for (optional)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;validate'= {
            cand --owner 'Owner id'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;owner;help'= {
            cand list 'List owners'
            cand show 'Show one owner'
            cand add 'Create an owner'
            cand set-passphrase 'Set or change an owner''s login passphrase'
            cand add-contact 'Add a contact identity (email, phone, messenger, social media)'
            cand add-gov-id 'Add a government ID to a user owner (one per country)'
            cand add-company-id 'Add a company ID to an org owner'
            cand add-signatory 'Add a person (a user owner) who may sign for an org owner'
            cand validate 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;owner;help;list'= {
        }
        &'openleash;owner;help;show'= {
        }
        &'openleash;owner;help;add'= {
        }
        &'openleash;owner;help;set-passphrase'= {
        }
        &'openleash;owner;help;add-contact'= {
        }
        &'openleash;owner;help;add-gov-id'= {
        }
        &'openleash;owner;help;add-company-id'= {
        }
        &'openleash;owner;help;add-signatory'= {
        }
        &'openleash;owner;help;validate'= {
        }
        &'openleash;owner;help;help'= {
        }
        &'openleash;org'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an organization (with --as, that user becomes its org_admin)'
            cand list 'List organizations (with --as: that user''s, with their role)'
            cand show 'Show one organization'
            cand update 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)'
            cand delete 'Delete an organization that owns no agents and no policies (org_admin)'
            cand member 'Members and their roles'
            cand invite 'Invitations into an organization (7 days)'
            cand group 'Policy groups: agents grouped so that policies can apply to all of them'
            cand leave 'Leave an organization (needs --as; the last org_admin cannot)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;create'= {
            cand --name 'Display name'
            cand --slug 'URL slug for /gui/orgs/{slug} (default: made from the name, unique)'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;list'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;show'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;update'= {
            cand --name 'New display name'
            cand --slug 'New URL slug (2-64 of a-z, 0-9 and -)'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;delete'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;member'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a member directly (local operator only; users invite instead)'
            cand list 'List the members with their roles'
            cand role 'Set a member''s role (org_admin; the last org_admin cannot be demoted)'
            cand remove 'Remove a member (org_admin; not the last org_admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;member;add'= {
            cand --role 'Role'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;member;list'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;member;role'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;member;remove'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;member;help'= {
            cand add 'Add a member directly (local operator only; users invite instead)'
            cand list 'List the members with their roles'
            cand role 'Set a member''s role (org_admin; the last org_admin cannot be demoted)'
            cand remove 'Remove a member (org_admin; not the last org_admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;member;help;add'= {
        }
        &'openleash;org;member;help;list'= {
        }
        &'openleash;org;member;help;role'= {
        }
        &'openleash;org;member;help;remove'= {
        }
        &'openleash;org;member;help;help'= {
        }
        &'openleash;org;invite'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Invite a user with a role, valid 7 days (org_admin; needs --as)'
            cand list 'List pending invites (with --as: that user''s); with --org, every invite of that org'
            cand accept 'Accept an invite addressed to you (needs --as)'
            cand decline 'Decline an invite addressed to you (needs --as)'
            cand revoke 'Revoke a pending invite (org_admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;invite;create'= {
            cand --role 'Role the invitee gets on accepting'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;invite;list'= {
            cand --org 'An organization''s invites, any status (org_admin)'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;invite;accept'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;invite;decline'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;invite;revoke'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;invite;help'= {
            cand create 'Invite a user with a role, valid 7 days (org_admin; needs --as)'
            cand list 'List pending invites (with --as: that user''s); with --org, every invite of that org'
            cand accept 'Accept an invite addressed to you (needs --as)'
            cand decline 'Decline an invite addressed to you (needs --as)'
            cand revoke 'Revoke a pending invite (org_admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;invite;help;create'= {
        }
        &'openleash;org;invite;help;list'= {
        }
        &'openleash;org;invite;help;accept'= {
        }
        &'openleash;org;invite;help;decline'= {
        }
        &'openleash;org;invite;help;revoke'= {
        }
        &'openleash;org;invite;help;help'= {
        }
        &'openleash;org;group'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List an organization''s policy groups with their member counts'
            cand create 'Create a policy group (org_admin)'
            cand show 'Show a group with its agents and the policies bound to it'
            cand update 'Change a group''s name, slug or description (org_admin)'
            cand delete 'Delete a group and its memberships; refused while policies are bound to it (org_admin)'
            cand add-agent 'Add one of the organization''s agents to a group (org_admin)'
            cand remove-agent 'Remove an agent from a group (org_admin)'
            cand create-policy 'Create an org policy that applies to every agent of the group (org_admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;group;list'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;create'= {
            cand --name 'Display name'
            cand --slug 'URL slug, unique in the org (default: made from the name)'
            cand --description 'Description'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;show'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;update'= {
            cand --name 'New display name'
            cand --slug 'New slug'
            cand --description 'New description (empty clears it)'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;delete'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;add-agent'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;remove-agent'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;create-policy'= {
            cand --file 'Policy YAML file'
            cand --name 'Policy name'
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;group;help'= {
            cand list 'List an organization''s policy groups with their member counts'
            cand create 'Create a policy group (org_admin)'
            cand show 'Show a group with its agents and the policies bound to it'
            cand update 'Change a group''s name, slug or description (org_admin)'
            cand delete 'Delete a group and its memberships; refused while policies are bound to it (org_admin)'
            cand add-agent 'Add one of the organization''s agents to a group (org_admin)'
            cand remove-agent 'Remove an agent from a group (org_admin)'
            cand create-policy 'Create an org policy that applies to every agent of the group (org_admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;group;help;list'= {
        }
        &'openleash;org;group;help;create'= {
        }
        &'openleash;org;group;help;show'= {
        }
        &'openleash;org;group;help;update'= {
        }
        &'openleash;org;group;help;delete'= {
        }
        &'openleash;org;group;help;add-agent'= {
        }
        &'openleash;org;group;help;remove-agent'= {
        }
        &'openleash;org;group;help;create-policy'= {
        }
        &'openleash;org;group;help;help'= {
        }
        &'openleash;org;leave'= {
            cand --as 'Act as this user (role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;org;help'= {
            cand create 'Create an organization (with --as, that user becomes its org_admin)'
            cand list 'List organizations (with --as: that user''s, with their role)'
            cand show 'Show one organization'
            cand update 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)'
            cand delete 'Delete an organization that owns no agents and no policies (org_admin)'
            cand member 'Members and their roles'
            cand invite 'Invitations into an organization (7 days)'
            cand group 'Policy groups: agents grouped so that policies can apply to all of them'
            cand leave 'Leave an organization (needs --as; the last org_admin cannot)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;org;help;create'= {
        }
        &'openleash;org;help;list'= {
        }
        &'openleash;org;help;show'= {
        }
        &'openleash;org;help;update'= {
        }
        &'openleash;org;help;delete'= {
        }
        &'openleash;org;help;member'= {
            cand add 'Add a member directly (local operator only; users invite instead)'
            cand list 'List the members with their roles'
            cand role 'Set a member''s role (org_admin; the last org_admin cannot be demoted)'
            cand remove 'Remove a member (org_admin; not the last org_admin)'
        }
        &'openleash;org;help;member;add'= {
        }
        &'openleash;org;help;member;list'= {
        }
        &'openleash;org;help;member;role'= {
        }
        &'openleash;org;help;member;remove'= {
        }
        &'openleash;org;help;invite'= {
            cand create 'Invite a user with a role, valid 7 days (org_admin; needs --as)'
            cand list 'List pending invites (with --as: that user''s); with --org, every invite of that org'
            cand accept 'Accept an invite addressed to you (needs --as)'
            cand decline 'Decline an invite addressed to you (needs --as)'
            cand revoke 'Revoke a pending invite (org_admin)'
        }
        &'openleash;org;help;invite;create'= {
        }
        &'openleash;org;help;invite;list'= {
        }
        &'openleash;org;help;invite;accept'= {
        }
        &'openleash;org;help;invite;decline'= {
        }
        &'openleash;org;help;invite;revoke'= {
        }
        &'openleash;org;help;group'= {
            cand list 'List an organization''s policy groups with their member counts'
            cand create 'Create a policy group (org_admin)'
            cand show 'Show a group with its agents and the policies bound to it'
            cand update 'Change a group''s name, slug or description (org_admin)'
            cand delete 'Delete a group and its memberships; refused while policies are bound to it (org_admin)'
            cand add-agent 'Add one of the organization''s agents to a group (org_admin)'
            cand remove-agent 'Remove an agent from a group (org_admin)'
            cand create-policy 'Create an org policy that applies to every agent of the group (org_admin)'
        }
        &'openleash;org;help;group;list'= {
        }
        &'openleash;org;help;group;create'= {
        }
        &'openleash;org;help;group;show'= {
        }
        &'openleash;org;help;group;update'= {
        }
        &'openleash;org;help;group;delete'= {
        }
        &'openleash;org;help;group;add-agent'= {
        }
        &'openleash;org;help;group;remove-agent'= {
        }
        &'openleash;org;help;group;create-policy'= {
        }
        &'openleash;org;help;leave'= {
        }
        &'openleash;org;help;help'= {
        }
        &'openleash;keys'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List signing keys (--json: the /v1/public-keys shape)'
            cand rotate 'Create a new signing key and make it active; old keys keep verifying'
            cand revoke 'Revoke a non-active key: tokens signed with it stop verifying'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;keys;list'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;keys;rotate'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;keys;revoke'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;keys;help'= {
            cand list 'List signing keys (--json: the /v1/public-keys shape)'
            cand rotate 'Create a new signing key and make it active; old keys keep verifying'
            cand revoke 'Revoke a non-active key: tokens signed with it stop verifying'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;keys;help;list'= {
        }
        &'openleash;keys;help;rotate'= {
        }
        &'openleash;keys;help;revoke'= {
        }
        &'openleash;keys;help;help'= {
        }
        &'openleash;audit'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List events (newest last; --json prints JSON Lines)'
            cand show 'Show one event by seq or event_id'
            cand tail 'Print the last events, optionally following new ones'
            cand verify 'Check the hash chain and the signed head'
            cand export 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity'
            cand seal 'Sign an unsigned tail after review (records AUDIT_SEALED)'
            cand repair 'Move a torn last line aside (records AUDIT_REPAIRED)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;audit;list'= {
            cand --type 'Only events of this type (repeatable)'
            cand --agent 'Only events about this agent (agent_id or principal id)'
            cand --owner 'Only events about this owner'
            cand --since 'Only events at or after this time (RFC 3339)'
            cand --until 'Only events before this time (RFC 3339)'
            cand --decision 'Only decisions with this result (ALLOW, DENY, ...)'
            cand --limit 'At most this many, the newest (0 = all)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --shadow-diff 'Only decisions where a shadow policy''s result differs from the enforced one'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;show'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;tail'= {
            cand --type 'Only events of this type (repeatable)'
            cand --agent 'Only events about this agent (agent_id or principal id)'
            cand --owner 'Only events about this owner'
            cand --since 'Only events at or after this time (RFC 3339)'
            cand --until 'Only events before this time (RFC 3339)'
            cand --decision 'Only decisions with this result (ALLOW, DENY, ...)'
            cand -n 'Number of events to print first'
            cand --lines 'Number of events to print first'
            cand --poll-ms 'Poll interval while following, in milliseconds'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -f 'Keep printing events as they are appended'
            cand --follow 'Keep printing events as they are appended'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;verify'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;export'= {
            cand --format 'Output format'
            cand --since 'Only events since this duration ago (30d, 12h) or RFC 3339 time'
            cand --until 'Only events before this RFC 3339 time (or duration ago)'
            cand --cursor 'Resume after the last event a previous run with this cursor file exported, and record where this run stops'
            cand --poll-ms 'With --follow: how often to look for new events'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --follow 'Keep exporting events as they are appended (until interrupted)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;seal'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;repair'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;audit;help'= {
            cand list 'List events (newest last; --json prints JSON Lines)'
            cand show 'Show one event by seq or event_id'
            cand tail 'Print the last events, optionally following new ones'
            cand verify 'Check the hash chain and the signed head'
            cand export 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity'
            cand seal 'Sign an unsigned tail after review (records AUDIT_SEALED)'
            cand repair 'Move a torn last line aside (records AUDIT_REPAIRED)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;audit;help;list'= {
        }
        &'openleash;audit;help;show'= {
        }
        &'openleash;audit;help;tail'= {
        }
        &'openleash;audit;help;verify'= {
        }
        &'openleash;audit;help;export'= {
        }
        &'openleash;audit;help;seal'= {
        }
        &'openleash;audit;help;repair'= {
        }
        &'openleash;audit;help;help'= {
        }
        &'openleash;limits'= {
            cand --agent 'Only the limits of this agent (agent_id or agent principal id)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand reset-index 'Rebuild the limit counters from the whole audit log, after verifying it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;limits;reset-index'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;limits;help'= {
            cand reset-index 'Rebuild the limit counters from the whole audit log, after verifying it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;limits;help;reset-index'= {
        }
        &'openleash;limits;help;help'= {
        }
        &'openleash;store'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand migrate-schema 'Create or upgrade the PostgreSQL schema to this version''s (idempotent; refuses a newer schema)'
            cand status 'Whether the store answers, and its schema version'
            cand copy 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;store;migrate-schema'= {
            cand --store 'PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;store;status'= {
            cand --store 'PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;store;copy'= {
            cand --from 'Source: a data directory, or a postgres:// URL'
            cand --to 'Target: an empty PostgreSQL database (postgres:// URL), or a new data directory'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;store;help'= {
            cand migrate-schema 'Create or upgrade the PostgreSQL schema to this version''s (idempotent; refuses a newer schema)'
            cand status 'Whether the store answers, and its schema version'
            cand copy 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;store;help;migrate-schema'= {
        }
        &'openleash;store;help;status'= {
        }
        &'openleash;store;help;copy'= {
        }
        &'openleash;store;help;help'= {
        }
        &'openleash;approval'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List approval requests, newest first'
            cand show 'Show one approval request with its action'
            cand approve 'Approve a pending request: issues the single-use approval token'
            cand deny 'Deny a pending request'
            cand request 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision'
            cand wait 'Agent side: wait for the owner''s answer (exit 0 approved, 1 denied/expired, 3 pending)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;approval;list'= {
            cand --status 'Only this status'
            cand --agent 'Only this agent (agent_id or principal id)'
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;approval;show'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;approval;approve'= {
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;approval;deny'= {
            cand --reason 'Why (shown to the agent; optional)'
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;approval;request'= {
            cand --decision-id 'The decision_id of the REQUIRE_APPROVAL decision'
            cand --action-file 'The exact ActionRequest that was decided (`-` for stdin)'
            cand --justification 'Why the agent needs this, shown to the owner'
            cand --agent 'The agent asking (must match principal.agent_id of the action file)'
            cand --url 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)'
            cand --key-file 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --remote 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;approval;wait'= {
            cand --timeout 'Give up after this many seconds (exit 3)'
            cand --poll-ms 'Poll interval (milliseconds)'
            cand --agent 'Remote mode: the agent that created the request (default: OPENLEASH_AGENT_ID, else `agent_id` of the per-user config)'
            cand --url 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)'
            cand --key-file 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --remote 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;approval;help'= {
            cand list 'List approval requests, newest first'
            cand show 'Show one approval request with its action'
            cand approve 'Approve a pending request: issues the single-use approval token'
            cand deny 'Deny a pending request'
            cand request 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision'
            cand wait 'Agent side: wait for the owner''s answer (exit 0 approved, 1 denied/expired, 3 pending)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;approval;help;list'= {
        }
        &'openleash;approval;help;show'= {
        }
        &'openleash;approval;help;approve'= {
        }
        &'openleash;approval;help;deny'= {
        }
        &'openleash;approval;help;request'= {
        }
        &'openleash;approval;help;wait'= {
        }
        &'openleash;approval;help;help'= {
        }
        &'openleash;draft'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List policy drafts, newest first'
            cand show 'Show a draft: its YAML, diagnostics and the widening summary of the agent''s rules'
            cand approve 'Approve a pending draft: creates and binds the policy'
            cand deny 'Deny a pending draft'
            cand submit 'Agent side: propose a policy (validated now; an owner approves it later)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;draft;list'= {
            cand --status 'Only this status'
            cand --agent 'Only drafts of this agent (agent_id or principal id)'
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;draft;show'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;draft;approve'= {
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;draft;deny'= {
            cand --reason 'Why (shown to the agent; optional)'
            cand --totp-code 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;draft;submit'= {
            cand --file 'The policy YAML (`-` for stdin)'
            cand --agent 'Submitting agent (default: OPENLEASH_AGENT_ID, else the only active agent)'
            cand --applies-to 'Apply to this agent of the same owner (principal id)'
            cand --name 'Policy name'
            cand --description 'Policy description'
            cand --justification 'Why the agent needs this, shown to the owner'
            cand --url 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)'
            cand --key-file 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --owner-wide 'Apply to all agents of the owner instead of the submitting agent'
            cand --remote 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;draft;help'= {
            cand list 'List policy drafts, newest first'
            cand show 'Show a draft: its YAML, diagnostics and the widening summary of the agent''s rules'
            cand approve 'Approve a pending draft: creates and binds the policy'
            cand deny 'Deny a pending draft'
            cand submit 'Agent side: propose a policy (validated now; an owner approves it later)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;draft;help;list'= {
        }
        &'openleash;draft;help;show'= {
        }
        &'openleash;draft;help;approve'= {
        }
        &'openleash;draft;help;deny'= {
        }
        &'openleash;draft;help;submit'= {
        }
        &'openleash;draft;help;help'= {
        }
        &'openleash;notify'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List notifications (oldest first)'
            cand show 'Show one notification: target, event, attempts, last error'
            cand retry 'Queue a notification again (by id), or every dead one (--dead)'
            cand test 'Send a sample event to a channel now and print the receiver''s answer'
            cand run 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;notify;list'= {
            cand --status 'Only this status'
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;notify;show'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;notify;retry'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --dead 'Every dead letter'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;notify;test'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;notify;run'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --once 'One pass over what is due now, then exit'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;notify;help'= {
            cand list 'List notifications (oldest first)'
            cand show 'Show one notification: target, event, attempts, last error'
            cand retry 'Queue a notification again (by id), or every dead one (--dead)'
            cand test 'Send a sample event to a channel now and print the receiver''s answer'
            cand run 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;notify;help;list'= {
        }
        &'openleash;notify;help;show'= {
        }
        &'openleash;notify;help;retry'= {
        }
        &'openleash;notify;help;test'= {
        }
        &'openleash;notify;help;run'= {
        }
        &'openleash;notify;help;help'= {
        }
        &'openleash;transform'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)'
            cand list 'List the owner''s rules by rank (--agent: only those that apply to that agent)'
            cand show 'Show one rule'
            cand update 'Change a rule, its name, description, rank, or turn it on or off'
            cand delete 'Delete a rule'
            cand apply 'Apply an agent''s rules to standard input (or --input FILE) and print the result'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;transform;add'= {
            cand --rule 'The whole rule as JSON, e.g. ''{"type":"cap_output_length","max_characters":20000}'''
            cand --max-characters 'cap_output_length: keep at most this many characters'
            cand --max-lines 'cap_output_length: keep at most this many lines'
            cand --from 'regex_replace: the pattern (linear-time regex, as in policies)'
            cand --to 'regex_replace: the replacement ($&, $1, $<name> as in JavaScript)'
            cand --name 'A short name'
            cand --description 'What the rule is for'
            cand --agent 'Apply to this agent only (agent_id or principal id; default: every agent of the owner)'
            cand --rank 'Position among the owner''s rules, lower first (default: after the last one)'
            cand --owner 'Owner id (default: the only owner)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --disabled 'Store it switched off'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;transform;list'= {
            cand --owner 'Owner id (default: the only owner)'
            cand --agent 'Only the enabled rules that apply to this agent (agent_id or principal id), in order'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;transform;show'= {
            cand --owner 'Owner id (default: the only owner)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;transform;update'= {
            cand --rule 'The whole rule as JSON, e.g. ''{"type":"cap_output_length","max_characters":20000}'''
            cand --max-characters 'cap_output_length: keep at most this many characters'
            cand --max-lines 'cap_output_length: keep at most this many lines'
            cand --from 'regex_replace: the pattern (linear-time regex, as in policies)'
            cand --to 'regex_replace: the replacement ($&, $1, $<name> as in JavaScript)'
            cand --name 'A new name ("" clears it)'
            cand --description 'A new description ("" clears it)'
            cand --rank 'A new position among the owner''s rules, lower first'
            cand --owner 'Owner id (default: the only owner)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --enable 'Switch the rule on'
            cand --disable 'Switch the rule off'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;transform;delete'= {
            cand --owner 'Owner id (default: the only owner)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;transform;apply'= {
            cand --agent 'The agent whose rules apply (agent_id or principal id; default: the only active agent)'
            cand --input 'Read the output to transform from this file instead of standard input'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;transform;help'= {
            cand add 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)'
            cand list 'List the owner''s rules by rank (--agent: only those that apply to that agent)'
            cand show 'Show one rule'
            cand update 'Change a rule, its name, description, rank, or turn it on or off'
            cand delete 'Delete a rule'
            cand apply 'Apply an agent''s rules to standard input (or --input FILE) and print the result'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;transform;help;add'= {
        }
        &'openleash;transform;help;list'= {
        }
        &'openleash;transform;help;show'= {
        }
        &'openleash;transform;help;update'= {
        }
        &'openleash;transform;help;delete'= {
        }
        &'openleash;transform;help;apply'= {
        }
        &'openleash;transform;help;help'= {
        }
        &'openleash;provisioner'= {
            cand --as 'Act as this user (org role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Mint a provisioner token (printed once, to stdout; only its hash is stored)'
            cand list 'List an owner''s provisioners (never their tokens)'
            cand revoke 'Revoke a provisioner: its token stops working at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;provisioner;add'= {
            cand --name 'What the token is for, e.g. ci-deploy'
            cand --owner 'The owner (a user, or an organization id; default: --as, else the only owner)'
            cand --ttl 'Valid for this many seconds (default: until revoked)'
            cand --expires-at 'Valid until this RFC 3339 time (default: until revoked)'
            cand --as 'Act as this user (org role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;provisioner;list'= {
            cand --owner 'The owner (a user, or an organization id; default: --as, else the only owner)'
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --as 'Act as this user (org role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;provisioner;revoke'= {
            cand --owner 'The owner (a user, or an organization id; default: --as, else the only owner)'
            cand --as 'Act as this user (org role checks apply); without it, act as the local operator'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;provisioner;help'= {
            cand add 'Mint a provisioner token (printed once, to stdout; only its hash is stored)'
            cand list 'List an owner''s provisioners (never their tokens)'
            cand revoke 'Revoke a provisioner: its token stops working at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;provisioner;help;add'= {
        }
        &'openleash;provisioner;help;list'= {
        }
        &'openleash;provisioner;help;revoke'= {
        }
        &'openleash;provisioner;help;help'= {
        }
        &'openleash;start'= {
            cand --bind 'Address to listen on, host:port (default: server.bind_address from config.yaml; port 0 picks a free port)'
            cand --threads 'Worker threads (default: server.threads from config.yaml; 0 = 2 x cores)'
            cand --idle-timeout-ms 'Close connections idle (or stalled while sending headers) for this long'
            cand --header-timeout-ms 'Answer 408 and close when a request head takes longer than this from its first byte'
            cand --body-timeout-ms 'Answer 408 when a request body takes longer than this to arrive'
            cand --max-connections 'Connections served at once; beyond it new connections get 503 BUSY'
            cand --nonce-cache-size 'Signed requests remembered for replay protection; when full of live entries: 503 BUSY'
            cand --max-open-files 'Testing: set the open-file limit instead of raising it'
            cand --run-for-ms 'Testing and benchmarks: stop after this many milliseconds'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --gui 'Serve the owner portal at /gui (the default, unless server.gui is false in config.yaml)'
            cand --no-gui 'Do not serve the owner portal (/gui answers 404)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;gc'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --dry-run 'Count what would be removed, remove nothing'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;mcp-proxy'= {
            cand --agent 'Agent the tool calls are authorized for (default: OPENLEASH_AGENT_ID, else the only active agent)'
            cand --server-name 'Server name in the action types `mcp.<server>.<tool>` (default: the server''s serverInfo.name); normalised to [a-z0-9_-]'
            cand --wait-approval 'On REQUIRE_APPROVAL: hold the call up to SECS for the owner''s answer (default: answer "pending" at once; retrying the same call after approval runs it)'
            cand --url 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)'
            cand --key-file 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64'
            cand --poll-ms 'Poll interval while waiting for an approval (milliseconds)'
            cand --shutdown-grace 'Seconds the server gets to exit after its input is closed before it is killed'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --hide-denied 'Remove from tools/list the tools the policy denies whatever their arguments'
            cand --accept-changes 'Accept changed tool definitions: re-pin them on the next tools/list'
            cand --remote 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;mcp'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand scan 'Start a server, classify its tools by risk and print a suggested policy YAML'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;mcp;scan'= {
            cand --server-name 'Server name in the suggested action types (default: the server''s serverInfo.name)'
            cand --timeout 'Give up when the server has not listed its tools within SECS'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;mcp;help'= {
            cand scan 'Start a server, classify its tools by risk and print a suggested policy YAML'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;mcp;help;scan'= {
        }
        &'openleash;mcp;help;help'= {
        }
        &'openleash;testvectors'= {
            cand --out 'Write them to this file instead of standard output'
            cand --check 'Check a vectors file (e.g. an SDK''s testvectors.json) instead: exit 1 when one fails'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)'
            cand grant 'Give a user the admin role (by principal id or email)'
            cand revoke 'Take the admin role from a user (by principal id or email)'
            cand disable-totp 'Reset a user''s TOTP (a lost device)'
            cand setup-invite 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)'
            cand delete-agent 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;admin;list'= {
            cand --limit 'At most N items per page (1–1000; default 100)'
            cand --cursor 'Start after this cursor (the `next page` hint of the previous page)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --all 'Every item, page by page (memory stays bounded by one page)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin;grant'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin;revoke'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin;disable-totp'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin;setup-invite'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin;delete-agent'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;admin;help'= {
            cand list 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)'
            cand grant 'Give a user the admin role (by principal id or email)'
            cand revoke 'Take the admin role from a user (by principal id or email)'
            cand disable-totp 'Reset a user''s TOTP (a lost device)'
            cand setup-invite 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)'
            cand delete-agent 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;admin;help;list'= {
        }
        &'openleash;admin;help;grant'= {
        }
        &'openleash;admin;help;revoke'= {
        }
        &'openleash;admin;help;disable-totp'= {
        }
        &'openleash;admin;help;setup-invite'= {
        }
        &'openleash;admin;help;delete-agent'= {
        }
        &'openleash;admin;help;help'= {
        }
        &'openleash;totp'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand setup 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes'
            cand confirm 'Enable TOTP with the first code the authenticator app shows'
            cand disable 'Disable TOTP with a current code or a backup code'
            cand status 'Whether TOTP is enabled and how many backup codes are left'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;totp;setup'= {
            cand --owner 'The user (default: the only owner)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;totp;confirm'= {
            cand --owner 'The user (default: the only owner)'
            cand --code 'The current 6-digit code'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;totp;disable'= {
            cand --owner 'The user (default: the only owner)'
            cand --code 'A current code or a backup code'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;totp;status'= {
            cand --owner 'The user (default: the only owner)'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;totp;help'= {
            cand setup 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes'
            cand confirm 'Enable TOTP with the first code the authenticator app shows'
            cand disable 'Disable TOTP with a current code or a backup code'
            cand status 'Whether TOTP is enabled and how many backup codes are left'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;totp;help;setup'= {
        }
        &'openleash;totp;help;confirm'= {
        }
        &'openleash;totp;help;disable'= {
        }
        &'openleash;totp;help;status'= {
        }
        &'openleash;totp;help;help'= {
        }
        &'openleash;completions'= {
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;man'= {
            cand --out-dir 'Write one page per subcommand into this directory instead of printing the main page'
            cand --data-dir 'Data directory'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --json 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
            cand -q 'Print only essential output'
            cand --quiet 'Print only essential output'
            cand -v 'Print more detail (error causes, timings)'
            cand --verbose 'Print more detail (error causes, timings)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openleash;help'= {
            cand init 'Create a data directory: config, signing key, owner, agent and a profile policy'
            cand wizard 'Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag'
            cand import-upstream 'Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)'
            cand policy 'Manage policies: list, show, validate, upsert, bind, diff, test, profiles'
            cand playground 'Evaluate actions against policies without side effects'
            cand authorize 'Ask for a decision on an action (exit code = decision)'
            cand verify 'Verify a proof token (offline, or with a server''s keys or the server itself)'
            cand action 'Work with action requests'
            cand agent 'Manage agents'
            cand owner 'Manage owners'
            cand org 'Organizations: create, list, show, update, delete; members, roles, invites, leave'
            cand keys 'Manage the server''s signing keys'
            cand audit 'Query and verify the tamper-evident audit log'
            cand limits 'Spending caps and rate limits: current use, remainder and when each window frees up'
            cand store 'The shared PostgreSQL store: schema migrations and status (docs/store.md)'
            cand approval 'Human approval: list, show, approve or deny requests; request one and wait as an agent'
            cand draft 'Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit'
            cand notify 'Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries'
            cand transform 'Output transformations: cap or redact what tools return before agents see it'
            cand provisioner 'Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner'
            cand start 'Serve the HTTP API for agents and SDKs'
            cand gc 'Remove records past their `retention.*` time (never the audit log); --dry-run only counts'
            cand mcp-proxy 'Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`'
            cand mcp 'MCP helpers: scan a server''s tools and suggest a policy'
            cand testvectors 'Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them'
            cand admin 'Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites'
            cand totp 'Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status'
            cand completions 'Print shell completions'
            cand man 'Print the man page (or write all pages to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openleash;help;init'= {
        }
        &'openleash;help;wizard'= {
        }
        &'openleash;help;import-upstream'= {
        }
        &'openleash;help;policy'= {
            cand list 'List stored policies and what they apply to (--agent: that agent''s effective chain)'
            cand show 'Print a stored policy and its bindings'
            cand explain 'The effective policy chain of an agent: which policies decide, in which order'
            cand validate 'Lint and validate policy files (no data directory needed)'
            cand upsert 'Create or replace a stored policy (validated first)'
            cand bind 'Bind a stored policy to an owner (owner-wide) or to one agent'
            cand unbind 'Remove bindings of a policy'
            cand delete 'Delete a policy file and all its bindings'
            cand diff 'Compare two policy files: text diff and what got wider'
            cand test 'Run policy test suites'
            cand replay 'Re-evaluate the decisions in the audit log against candidate policies (what would change)'
            cand shadow-report 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)'
            cand profiles 'List the bundled policy profiles, or show one'
        }
        &'openleash;help;policy;list'= {
        }
        &'openleash;help;policy;show'= {
        }
        &'openleash;help;policy;explain'= {
        }
        &'openleash;help;policy;validate'= {
        }
        &'openleash;help;policy;upsert'= {
        }
        &'openleash;help;policy;bind'= {
        }
        &'openleash;help;policy;unbind'= {
        }
        &'openleash;help;policy;delete'= {
        }
        &'openleash;help;policy;diff'= {
        }
        &'openleash;help;policy;test'= {
        }
        &'openleash;help;policy;replay'= {
        }
        &'openleash;help;policy;shadow-report'= {
        }
        &'openleash;help;policy;profiles'= {
            cand show 'Print a bundled profile''s YAML'
        }
        &'openleash;help;policy;profiles;show'= {
        }
        &'openleash;help;playground'= {
            cand list 'List bundled and data-directory scenarios'
            cand run 'Evaluate a scenario or an action file and show the per-rule trace'
        }
        &'openleash;help;playground;list'= {
        }
        &'openleash;help;playground;run'= {
        }
        &'openleash;help;authorize'= {
        }
        &'openleash;help;verify'= {
        }
        &'openleash;help;action'= {
            cand hash 'Validate an ActionRequest and print its action_hash (or canonical JSON)'
        }
        &'openleash;help;action;hash'= {
        }
        &'openleash;help;agent'= {
            cand list 'List agents'
            cand show 'Show one agent (by agent_id or principal id)'
            cand add 'Register an agent (generates a keypair unless --public-key is given)'
            cand revoke 'Revoke an agent: its requests then fail with AGENT_INACTIVE'
            cand activate 'Re-activate a revoked or pending agent'
            cand invite 'Create a single-use invite and print the registration URL for `openleash start`'
            cand sign 'Print the five signing headers for an HTTP request (for curl users)'
        }
        &'openleash;help;agent;list'= {
        }
        &'openleash;help;agent;show'= {
        }
        &'openleash;help;agent;add'= {
        }
        &'openleash;help;agent;revoke'= {
        }
        &'openleash;help;agent;activate'= {
        }
        &'openleash;help;agent;invite'= {
        }
        &'openleash;help;agent;sign'= {
        }
        &'openleash;help;owner'= {
            cand list 'List owners'
            cand show 'Show one owner'
            cand add 'Create an owner'
            cand set-passphrase 'Set or change an owner''s login passphrase'
            cand add-contact 'Add a contact identity (email, phone, messenger, social media)'
            cand add-gov-id 'Add a government ID to a user owner (one per country)'
            cand add-company-id 'Add a company ID to an org owner'
            cand add-signatory 'Add a person (a user owner) who may sign for an org owner'
            cand validate 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)'
        }
        &'openleash;help;owner;list'= {
        }
        &'openleash;help;owner;show'= {
        }
        &'openleash;help;owner;add'= {
        }
        &'openleash;help;owner;set-passphrase'= {
        }
        &'openleash;help;owner;add-contact'= {
        }
        &'openleash;help;owner;add-gov-id'= {
        }
        &'openleash;help;owner;add-company-id'= {
        }
        &'openleash;help;owner;add-signatory'= {
        }
        &'openleash;help;owner;validate'= {
        }
        &'openleash;help;org'= {
            cand create 'Create an organization (with --as, that user becomes its org_admin)'
            cand list 'List organizations (with --as: that user''s, with their role)'
            cand show 'Show one organization'
            cand update 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)'
            cand delete 'Delete an organization that owns no agents and no policies (org_admin)'
            cand member 'Members and their roles'
            cand invite 'Invitations into an organization (7 days)'
            cand group 'Policy groups: agents grouped so that policies can apply to all of them'
            cand leave 'Leave an organization (needs --as; the last org_admin cannot)'
        }
        &'openleash;help;org;create'= {
        }
        &'openleash;help;org;list'= {
        }
        &'openleash;help;org;show'= {
        }
        &'openleash;help;org;update'= {
        }
        &'openleash;help;org;delete'= {
        }
        &'openleash;help;org;member'= {
            cand add 'Add a member directly (local operator only; users invite instead)'
            cand list 'List the members with their roles'
            cand role 'Set a member''s role (org_admin; the last org_admin cannot be demoted)'
            cand remove 'Remove a member (org_admin; not the last org_admin)'
        }
        &'openleash;help;org;member;add'= {
        }
        &'openleash;help;org;member;list'= {
        }
        &'openleash;help;org;member;role'= {
        }
        &'openleash;help;org;member;remove'= {
        }
        &'openleash;help;org;invite'= {
            cand create 'Invite a user with a role, valid 7 days (org_admin; needs --as)'
            cand list 'List pending invites (with --as: that user''s); with --org, every invite of that org'
            cand accept 'Accept an invite addressed to you (needs --as)'
            cand decline 'Decline an invite addressed to you (needs --as)'
            cand revoke 'Revoke a pending invite (org_admin)'
        }
        &'openleash;help;org;invite;create'= {
        }
        &'openleash;help;org;invite;list'= {
        }
        &'openleash;help;org;invite;accept'= {
        }
        &'openleash;help;org;invite;decline'= {
        }
        &'openleash;help;org;invite;revoke'= {
        }
        &'openleash;help;org;group'= {
            cand list 'List an organization''s policy groups with their member counts'
            cand create 'Create a policy group (org_admin)'
            cand show 'Show a group with its agents and the policies bound to it'
            cand update 'Change a group''s name, slug or description (org_admin)'
            cand delete 'Delete a group and its memberships; refused while policies are bound to it (org_admin)'
            cand add-agent 'Add one of the organization''s agents to a group (org_admin)'
            cand remove-agent 'Remove an agent from a group (org_admin)'
            cand create-policy 'Create an org policy that applies to every agent of the group (org_admin)'
        }
        &'openleash;help;org;group;list'= {
        }
        &'openleash;help;org;group;create'= {
        }
        &'openleash;help;org;group;show'= {
        }
        &'openleash;help;org;group;update'= {
        }
        &'openleash;help;org;group;delete'= {
        }
        &'openleash;help;org;group;add-agent'= {
        }
        &'openleash;help;org;group;remove-agent'= {
        }
        &'openleash;help;org;group;create-policy'= {
        }
        &'openleash;help;org;leave'= {
        }
        &'openleash;help;keys'= {
            cand list 'List signing keys (--json: the /v1/public-keys shape)'
            cand rotate 'Create a new signing key and make it active; old keys keep verifying'
            cand revoke 'Revoke a non-active key: tokens signed with it stop verifying'
        }
        &'openleash;help;keys;list'= {
        }
        &'openleash;help;keys;rotate'= {
        }
        &'openleash;help;keys;revoke'= {
        }
        &'openleash;help;audit'= {
            cand list 'List events (newest last; --json prints JSON Lines)'
            cand show 'Show one event by seq or event_id'
            cand tail 'Print the last events, optionally following new ones'
            cand verify 'Check the hash chain and the signed head'
            cand export 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity'
            cand seal 'Sign an unsigned tail after review (records AUDIT_SEALED)'
            cand repair 'Move a torn last line aside (records AUDIT_REPAIRED)'
        }
        &'openleash;help;audit;list'= {
        }
        &'openleash;help;audit;show'= {
        }
        &'openleash;help;audit;tail'= {
        }
        &'openleash;help;audit;verify'= {
        }
        &'openleash;help;audit;export'= {
        }
        &'openleash;help;audit;seal'= {
        }
        &'openleash;help;audit;repair'= {
        }
        &'openleash;help;limits'= {
            cand reset-index 'Rebuild the limit counters from the whole audit log, after verifying it'
        }
        &'openleash;help;limits;reset-index'= {
        }
        &'openleash;help;store'= {
            cand migrate-schema 'Create or upgrade the PostgreSQL schema to this version''s (idempotent; refuses a newer schema)'
            cand status 'Whether the store answers, and its schema version'
            cand copy 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains'
        }
        &'openleash;help;store;migrate-schema'= {
        }
        &'openleash;help;store;status'= {
        }
        &'openleash;help;store;copy'= {
        }
        &'openleash;help;approval'= {
            cand list 'List approval requests, newest first'
            cand show 'Show one approval request with its action'
            cand approve 'Approve a pending request: issues the single-use approval token'
            cand deny 'Deny a pending request'
            cand request 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision'
            cand wait 'Agent side: wait for the owner''s answer (exit 0 approved, 1 denied/expired, 3 pending)'
        }
        &'openleash;help;approval;list'= {
        }
        &'openleash;help;approval;show'= {
        }
        &'openleash;help;approval;approve'= {
        }
        &'openleash;help;approval;deny'= {
        }
        &'openleash;help;approval;request'= {
        }
        &'openleash;help;approval;wait'= {
        }
        &'openleash;help;draft'= {
            cand list 'List policy drafts, newest first'
            cand show 'Show a draft: its YAML, diagnostics and the widening summary of the agent''s rules'
            cand approve 'Approve a pending draft: creates and binds the policy'
            cand deny 'Deny a pending draft'
            cand submit 'Agent side: propose a policy (validated now; an owner approves it later)'
        }
        &'openleash;help;draft;list'= {
        }
        &'openleash;help;draft;show'= {
        }
        &'openleash;help;draft;approve'= {
        }
        &'openleash;help;draft;deny'= {
        }
        &'openleash;help;draft;submit'= {
        }
        &'openleash;help;notify'= {
            cand list 'List notifications (oldest first)'
            cand show 'Show one notification: target, event, attempts, last error'
            cand retry 'Queue a notification again (by id), or every dead one (--dead)'
            cand test 'Send a sample event to a channel now and print the receiver''s answer'
            cand run 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)'
        }
        &'openleash;help;notify;list'= {
        }
        &'openleash;help;notify;show'= {
        }
        &'openleash;help;notify;retry'= {
        }
        &'openleash;help;notify;test'= {
        }
        &'openleash;help;notify;run'= {
        }
        &'openleash;help;transform'= {
            cand add 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)'
            cand list 'List the owner''s rules by rank (--agent: only those that apply to that agent)'
            cand show 'Show one rule'
            cand update 'Change a rule, its name, description, rank, or turn it on or off'
            cand delete 'Delete a rule'
            cand apply 'Apply an agent''s rules to standard input (or --input FILE) and print the result'
        }
        &'openleash;help;transform;add'= {
        }
        &'openleash;help;transform;list'= {
        }
        &'openleash;help;transform;show'= {
        }
        &'openleash;help;transform;update'= {
        }
        &'openleash;help;transform;delete'= {
        }
        &'openleash;help;transform;apply'= {
        }
        &'openleash;help;provisioner'= {
            cand add 'Mint a provisioner token (printed once, to stdout; only its hash is stored)'
            cand list 'List an owner''s provisioners (never their tokens)'
            cand revoke 'Revoke a provisioner: its token stops working at once'
        }
        &'openleash;help;provisioner;add'= {
        }
        &'openleash;help;provisioner;list'= {
        }
        &'openleash;help;provisioner;revoke'= {
        }
        &'openleash;help;start'= {
        }
        &'openleash;help;gc'= {
        }
        &'openleash;help;mcp-proxy'= {
        }
        &'openleash;help;mcp'= {
            cand scan 'Start a server, classify its tools by risk and print a suggested policy YAML'
        }
        &'openleash;help;mcp;scan'= {
        }
        &'openleash;help;testvectors'= {
        }
        &'openleash;help;admin'= {
            cand list 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)'
            cand grant 'Give a user the admin role (by principal id or email)'
            cand revoke 'Take the admin role from a user (by principal id or email)'
            cand disable-totp 'Reset a user''s TOTP (a lost device)'
            cand setup-invite 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)'
            cand delete-agent 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})'
        }
        &'openleash;help;admin;list'= {
        }
        &'openleash;help;admin;grant'= {
        }
        &'openleash;help;admin;revoke'= {
        }
        &'openleash;help;admin;disable-totp'= {
        }
        &'openleash;help;admin;setup-invite'= {
        }
        &'openleash;help;admin;delete-agent'= {
        }
        &'openleash;help;totp'= {
            cand setup 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes'
            cand confirm 'Enable TOTP with the first code the authenticator app shows'
            cand disable 'Disable TOTP with a current code or a backup code'
            cand status 'Whether TOTP is enabled and how many backup codes are left'
        }
        &'openleash;help;totp;setup'= {
        }
        &'openleash;help;totp;confirm'= {
        }
        &'openleash;help;totp;disable'= {
        }
        &'openleash;help;totp;status'= {
        }
        &'openleash;help;completions'= {
        }
        &'openleash;help;man'= {
        }
        &'openleash;help;help'= {
        }
    ]
    $completions[$command]
}
