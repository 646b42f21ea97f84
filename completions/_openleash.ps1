
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'openleash' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'openleash'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'openleash' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a data directory: config, signing key, owner, agent and a profile policy')
            [CompletionResult]::new('wizard', 'wizard', [CompletionResultType]::ParameterValue, 'Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag')
            [CompletionResult]::new('import-upstream', 'import-upstream', [CompletionResultType]::ParameterValue, 'Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Manage policies: list, show, validate, upsert, bind, diff, test, profiles')
            [CompletionResult]::new('playground', 'playground', [CompletionResultType]::ParameterValue, 'Evaluate actions against policies without side effects')
            [CompletionResult]::new('authorize', 'authorize', [CompletionResultType]::ParameterValue, 'Ask for a decision on an action (exit code = decision)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a proof token (offline, or with a server''s keys or the server itself)')
            [CompletionResult]::new('action', 'action', [CompletionResultType]::ParameterValue, 'Work with action requests')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Manage agents')
            [CompletionResult]::new('owner', 'owner', [CompletionResultType]::ParameterValue, 'Manage owners')
            [CompletionResult]::new('org', 'org', [CompletionResultType]::ParameterValue, 'Organizations: create, list, show, update, delete; members, roles, invites, leave')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Manage the server''s signing keys')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Query and verify the tamper-evident audit log')
            [CompletionResult]::new('limits', 'limits', [CompletionResultType]::ParameterValue, 'Spending caps and rate limits: current use, remainder and when each window frees up')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'The shared PostgreSQL store: schema migrations and status (docs/store.md)')
            [CompletionResult]::new('approval', 'approval', [CompletionResultType]::ParameterValue, 'Human approval: list, show, approve or deny requests; request one and wait as an agent')
            [CompletionResult]::new('draft', 'draft', [CompletionResultType]::ParameterValue, 'Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries')
            [CompletionResult]::new('transform', 'transform', [CompletionResultType]::ParameterValue, 'Output transformations: cap or redact what tools return before agents see it')
            [CompletionResult]::new('provisioner', 'provisioner', [CompletionResultType]::ParameterValue, 'Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve the HTTP API for agents and SDKs')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove records past their `retention.*` time (never the audit log); --dry-run only counts')
            [CompletionResult]::new('mcp-proxy', 'mcp-proxy', [CompletionResultType]::ParameterValue, 'Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'MCP helpers: scan a server''s tools and suggest a policy')
            [CompletionResult]::new('testvectors', 'testvectors', [CompletionResultType]::ParameterValue, 'Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites')
            [CompletionResult]::new('totp', 'totp', [CompletionResultType]::ParameterValue, 'Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write all pages to a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;init' {
            [CompletionResult]::new('--owner-name', '--owner-name', [CompletionResultType]::ParameterName, 'Display name of the owner to create')
            [CompletionResult]::new('--owner-type', '--owner-type', [CompletionResultType]::ParameterName, 'Kind of owner: a person (user) or an organization (org)')
            [CompletionResult]::new('--agent-id', '--agent-id', [CompletionResultType]::ParameterName, 'agent_id of the agent to create (a fresh Ed25519 keypair is generated)')
            [CompletionResult]::new('--policy-profile', '--policy-profile', [CompletionResultType]::ParameterName, 'Policy profile bound owner-wide')
            [CompletionResult]::new('--output-env', '--output-env', [CompletionResultType]::ParameterName, 'Write OPENLEASH_* environment lines (incl. the agent private key) to this file (mode 0600)')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the owner''s login passphrase from this file')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use a shared PostgreSQL store: create its schema, publish the signing key and the new owner and agent there, and write `store:` into config.yaml')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--passphrase-stdin', '--passphrase-stdin', [CompletionResultType]::ParameterName, 'Read the owner''s login passphrase from standard input')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Start over: move an existing data directory aside to <dir>.bak-<timestamp>')
            [CompletionResult]::new('--no-owner', '--no-owner', [CompletionResultType]::ParameterName, 'Create the instance without owner, agent or policy: its first user (an admin) comes from POST /v1/initial-setup on `openleash start`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;wizard' {
            [CompletionResult]::new('--owner-name', '--owner-name', [CompletionResultType]::ParameterName, 'Create a new owner with this display name')
            [CompletionResult]::new('--owner-type', '--owner-type', [CompletionResultType]::ParameterName, 'Kind of a new owner')
            [CompletionResult]::new('--owner-id', '--owner-id', [CompletionResultType]::ParameterName, 'Use this existing owner (the data directory must be initialised)')
            [CompletionResult]::new('--agent-id', '--agent-id', [CompletionResultType]::ParameterName, 'agent_id of the agent to create')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Import this Ed25519 public key (base64 SPKI DER) instead of generating a keypair')
            [CompletionResult]::new('--policy-profile', '--policy-profile', [CompletionResultType]::ParameterName, 'Policy profile (custom: answer the rule questions or pass their flags)')
            [CompletionResult]::new('--purchase-max', '--purchase-max', [CompletionResultType]::ParameterName, 'Largest purchase (minor units) allowed without approval')
            [CompletionResult]::new('--allow-hairdresser', '--allow-hairdresser', [CompletionResultType]::ParameterName, 'CUSTOM: allow hairdresser bookings')
            [CompletionResult]::new('--allow-healthcare', '--allow-healthcare', [CompletionResultType]::ParameterName, 'CUSTOM: allow healthcare appointments')
            [CompletionResult]::new('--stepup-healthcare', '--stepup-healthcare', [CompletionResultType]::ParameterName, 'CUSTOM: require step-up (SUBSTANTIAL) for healthcare')
            [CompletionResult]::new('--allow-government', '--allow-government', [CompletionResultType]::ParameterName, 'CUSTOM: allow government submissions')
            [CompletionResult]::new('--stepup-government', '--stepup-government', [CompletionResultType]::ParameterName, 'CUSTOM: require step-up (HIGH) for government submissions')
            [CompletionResult]::new('--comm-domains', '--comm-domains', [CompletionResultType]::ParameterName, 'Communication allow-list, comma-separated ("" for none)')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the owner''s login passphrase from this file')
            [CompletionResult]::new('--admin-token', '--admin-token', [CompletionResultType]::ParameterName, 'Admin token for the HTTP admin API (default: none, loopback only)')
            [CompletionResult]::new('--output-env', '--output-env', [CompletionResultType]::ParameterName, 'Write OPENLEASH_* environment lines (incl. a generated private key) to this file (mode 0600)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--passphrase-stdin', '--passphrase-stdin', [CompletionResultType]::ParameterName, 'Read the owner''s login passphrase from standard input')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Accept defaults for unanswered questions and write without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Accept defaults for unanswered questions and write without asking')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;import-upstream' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read and check everything, report what would be imported, write nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Import even if --data-dir is not empty: move it aside to <dir>.bak-<timestamp> first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored policies and what they apply to (--agent: that agent''s effective chain)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a stored policy and its bindings')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'The effective policy chain of an agent: which policies decide, in which order')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint and validate policy files (no data directory needed)')
            [CompletionResult]::new('upsert', 'upsert', [CompletionResultType]::ParameterValue, 'Create or replace a stored policy (validated first)')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Bind a stored policy to an owner (owner-wide) or to one agent')
            [CompletionResult]::new('unbind', 'unbind', [CompletionResultType]::ParameterValue, 'Remove bindings of a policy')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a policy file and all its bindings')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two policy files: text diff and what got wider')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run policy test suites')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-evaluate the decisions in the audit log against candidate policies (what would change)')
            [CompletionResult]::new('shadow-report', 'shadow-report', [CompletionResultType]::ParameterValue, 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the bundled policy profiles, or show one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;policy;list' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only the policies that decide for this agent (agent_id or principal id), in evaluation order: its own, then its groups'', then owner-wide, each tier by rank')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;show' {
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'Policy id')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;explain' {
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent (agent_id or principal id; default: the only active agent)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;validate' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Upstream spelling of a single path')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Treat warnings as errors')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;upsert' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Policy YAML file (`-` for standard input)')
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'Id of the policy to replace (or create with this id)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--owner-type', '--owner-type', [CompletionResultType]::ParameterName, 'Upstream spelling of the owner type (checked against the owner)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Bind to this agent (agent_id or principal id) instead of owner-wide')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Human-readable name')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Description')
            [CompletionResult]::new('--rank', '--rank', [CompletionResultType]::ParameterName, 'Rank within its tier (lower applies first; default 100)')
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Replace without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Replace without asking for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;bind' {
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'Policy id')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the policy''s owner)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent (agent_id or principal id); omit for owner-wide')
            [CompletionResult]::new('--rank', '--rank', [CompletionResultType]::ParameterName, 'Rank within its tier (lower applies first; default 100)')
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;unbind' {
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'Policy id')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only bindings of this owner')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only the binding to this agent (agent_id or principal id)')
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;delete' {
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'Policy id')
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;diff' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--fail-on-widening', '--fail-on-widening', [CompletionResultType]::ParameterName, 'Exit 1 when the new policy allows anything the old one did not')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;test' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;replay' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Candidate policy file; stands for the stored policy --policy-id (default: the file''s stem)')
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'The stored policy that --file replaces')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory of candidate files named <policy_id>.yaml, each replacing that stored policy')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only this agent''s decisions (agent_id or principal id)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only decisions since this duration ago (30d, 12h) or RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only decisions until this RFC 3339 time (or duration ago)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'List at most N changed decisions (all are counted)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--fail-on-widening', '--fail-on-widening', [CompletionResultType]::ParameterName, 'Exit 1 when some decision would become more permissive')
            [CompletionResult]::new('--fail-on-change', '--fail-on-change', [CompletionResultType]::ParameterName, 'Exit 1 when some decision would change')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;shadow-report' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only decisions since this duration ago (30d, 12h) or RFC 3339 time')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only this agent''s decisions (agent_id or principal id)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;profiles' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a bundled profile''s YAML')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;policy;profiles;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;policy;profiles;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a bundled profile''s YAML')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;policy;profiles;help;show' {
            break
        }
        'openleash;policy;profiles;help;help' {
            break
        }
        'openleash;policy;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored policies and what they apply to (--agent: that agent''s effective chain)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a stored policy and its bindings')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'The effective policy chain of an agent: which policies decide, in which order')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint and validate policy files (no data directory needed)')
            [CompletionResult]::new('upsert', 'upsert', [CompletionResultType]::ParameterValue, 'Create or replace a stored policy (validated first)')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Bind a stored policy to an owner (owner-wide) or to one agent')
            [CompletionResult]::new('unbind', 'unbind', [CompletionResultType]::ParameterValue, 'Remove bindings of a policy')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a policy file and all its bindings')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two policy files: text diff and what got wider')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run policy test suites')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-evaluate the decisions in the audit log against candidate policies (what would change)')
            [CompletionResult]::new('shadow-report', 'shadow-report', [CompletionResultType]::ParameterValue, 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the bundled policy profiles, or show one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;policy;help;list' {
            break
        }
        'openleash;policy;help;show' {
            break
        }
        'openleash;policy;help;explain' {
            break
        }
        'openleash;policy;help;validate' {
            break
        }
        'openleash;policy;help;upsert' {
            break
        }
        'openleash;policy;help;bind' {
            break
        }
        'openleash;policy;help;unbind' {
            break
        }
        'openleash;policy;help;delete' {
            break
        }
        'openleash;policy;help;diff' {
            break
        }
        'openleash;policy;help;test' {
            break
        }
        'openleash;policy;help;replay' {
            break
        }
        'openleash;policy;help;shadow-report' {
            break
        }
        'openleash;policy;help;profiles' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a bundled profile''s YAML')
            break
        }
        'openleash;policy;help;profiles;show' {
            break
        }
        'openleash;policy;help;help' {
            break
        }
        'openleash;playground' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List bundled and data-directory scenarios')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Evaluate a scenario or an action file and show the per-rule trace')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;playground;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;playground;run' {
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Action request JSON file (`-` for standard input) instead of a scenario')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Evaluate this policy file')
            [CompletionResult]::new('--policy-id', '--policy-id', [CompletionResultType]::ParameterName, 'Evaluate this stored policy')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Evaluate the effective policy of this agent')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Earlier ALLOW decisions to simulate for rules with `limits` (YAML/JSON list; see docs/policy.md)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;playground;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List bundled and data-directory scenarios')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Evaluate a scenario or an action file and show the per-rule trace')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;playground;help;list' {
            break
        }
        'openleash;playground;help;run' {
            break
        }
        'openleash;playground;help;help' {
            break
        }
        'openleash;authorize' {
            [CompletionResult]::new('--action-file', '--action-file', [CompletionResultType]::ParameterName, 'A complete ActionRequest JSON file (`-` for stdin); wins over the flags below')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'action_type (required without --action-file)')
            [CompletionResult]::new('--action-id', '--action-id', [CompletionResultType]::ParameterName, 'action_id (default: a fresh UUID)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent asking (default: OPENLEASH_AGENT_ID, else the only active agent)')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'subject.principal_id (default: OPENLEASH_OWNER_PRINCIPAL_ID, else the agent''s owner)')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'Payload as JSON (default {})')
            [CompletionResult]::new('--payload-file', '--payload-file', [CompletionResultType]::ParameterName, 'Payload from a JSON file (`-` for stdin)')
            [CompletionResult]::new('--rp-domain', '--rp-domain', [CompletionResultType]::ParameterName, 'relying_party.domain')
            [CompletionResult]::new('--rp-id', '--rp-id', [CompletionResultType]::ParameterName, 'relying_party.rp_id (UUID)')
            [CompletionResult]::new('--trust-profile', '--trust-profile', [CompletionResultType]::ParameterName, 'relying_party.trust_profile')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64')
            [CompletionResult]::new('--approval-token', '--approval-token', [CompletionResultType]::ParameterName, 'Re-authorize an approved action with the approval token of its request')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'With --request-approval: how long to wait for the owner (exit 3 on timeout)')
            [CompletionResult]::new('--justification', '--justification', [CompletionResultType]::ParameterName, 'With --request-approval: why the agent needs this, shown to the owner')
            [CompletionResult]::new('--poll-ms', '--poll-ms', [CompletionResultType]::ParameterName, 'Poll interval while waiting (milliseconds)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config')
            [CompletionResult]::new('--request-approval', '--request-approval', [CompletionResultType]::ParameterName, 'On REQUIRE_APPROVAL: create an approval request, wait for the owner, re-authorize')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;verify' {
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Verify with this public key, `KID=BASE64` or just `BASE64` (repeatable)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'Verify with the keys of a /v1/public-keys JSON document')
            [CompletionResult]::new('--expected-action-hash', '--expected-action-hash', [CompletionResultType]::ParameterName, 'Also require this action_hash')
            [CompletionResult]::new('--expected-agent-id', '--expected-agent-id', [CompletionResultType]::ParameterName, 'Also require this agent_id')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Fetch the verification keys from this server''s /v1/public-keys (base URL)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--allow-expired', '--allow-expired', [CompletionResultType]::ParameterName, 'Accept an expired token (for inspection; reported as expired)')
            [CompletionResult]::new('--online', '--online', [CompletionResultType]::ParameterName, 'Let the server at --url verify the token (POST /v1/verify-proof)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;action' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Validate an ActionRequest and print its action_hash (or canonical JSON)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;action;hash' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--canonical', '--canonical', [CompletionResultType]::ParameterName, 'Print the RFC 8785 canonical JSON instead of the hash')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;action;help' {
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Validate an ActionRequest and print its action_hash (or canonical JSON)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;action;help;hash' {
            break
        }
        'openleash;action;help;help' {
            break
        }
        'openleash;agent' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List agents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one agent (by agent_id or principal id)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register an agent (generates a keypair unless --public-key is given)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an agent: its requests then fail with AGENT_INACTIVE')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Re-activate a revoked or pending agent')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Create a single-use invite and print the registration URL for `openleash start`')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print the five signing headers for an HTTP request (for curl users)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;agent;list' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;add' {
            [CompletionResult]::new('--agent-id', '--agent-id', [CompletionResultType]::ParameterName, 'The agent''s chosen id (unique among active agents)')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'The agent''s Ed25519 public key, base64 SPKI DER (omit to generate a keypair)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--output-env', '--output-env', [CompletionResultType]::ParameterName, 'Write OPENLEASH_* lines with the generated private key to this file (mode 0600)')
            [CompletionResult]::new('--webhook-url', '--webhook-url', [CompletionResultType]::ParameterName, 'URL that receives the agent''s approval and draft outcomes (http/https; "" = none)')
            [CompletionResult]::new('--webhook-secret', '--webhook-secret', [CompletionResultType]::ParameterName, 'HMAC-SHA256 key for the X-Webhook-Signature header')
            [CompletionResult]::new('--webhook-secret-file', '--webhook-secret-file', [CompletionResultType]::ParameterName, 'Read the webhook secret from this file (keeps it out of shell history)')
            [CompletionResult]::new('--webhook-auth-token', '--webhook-auth-token', [CompletionResultType]::ParameterName, 'Sent as `Authorization: Bearer <token>` with each webhook')
            [CompletionResult]::new('--webhook-auth-token-file', '--webhook-auth-token-file', [CompletionResultType]::ParameterName, 'Read the webhook bearer token from this file')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;revoke' {
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;activate' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;invite' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner the new agent will belong to (default: the only owner)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Seconds the invite stays valid (default: invites.ttl_seconds from config.yaml)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Base URL of the server as agents reach it (default: server.public_url, else http://<bind_address>)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;sign' {
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path as sent (the query string, if any, is signed too only when included here)')
            [CompletionResult]::new('--body-file', '--body-file', [CompletionResultType]::ParameterName, 'The exact body bytes to send (`-` for stdin); without it sha256 of {} is signed, as the SDKs do for GET')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'agent_id to sign as (default: OPENLEASH_AGENT_ID, else the per-user config)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File with the agent''s private key (base64 PKCS#8; an env file with OPENLEASH_AGENT_PRIVATE_KEY_B64= works too)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output style: `headers` (Name: value lines) or `curl` (-H arguments on one line)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;agent;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List agents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one agent (by agent_id or principal id)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register an agent (generates a keypair unless --public-key is given)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an agent: its requests then fail with AGENT_INACTIVE')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Re-activate a revoked or pending agent')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Create a single-use invite and print the registration URL for `openleash start`')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print the five signing headers for an HTTP request (for curl users)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;agent;help;list' {
            break
        }
        'openleash;agent;help;show' {
            break
        }
        'openleash;agent;help;add' {
            break
        }
        'openleash;agent;help;revoke' {
            break
        }
        'openleash;agent;help;activate' {
            break
        }
        'openleash;agent;help;invite' {
            break
        }
        'openleash;agent;help;sign' {
            break
        }
        'openleash;agent;help;help' {
            break
        }
        'openleash;owner' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List owners')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one owner')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create an owner')
            [CompletionResult]::new('set-passphrase', 'set-passphrase', [CompletionResultType]::ParameterValue, 'Set or change an owner''s login passphrase')
            [CompletionResult]::new('add-contact', 'add-contact', [CompletionResultType]::ParameterValue, 'Add a contact identity (email, phone, messenger, social media)')
            [CompletionResult]::new('add-gov-id', 'add-gov-id', [CompletionResultType]::ParameterValue, 'Add a government ID to a user owner (one per country)')
            [CompletionResult]::new('add-company-id', 'add-company-id', [CompletionResultType]::ParameterValue, 'Add a company ID to an org owner')
            [CompletionResult]::new('add-signatory', 'add-signatory', [CompletionResultType]::ParameterValue, 'Add a person (a user owner) who may sign for an org owner')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;owner;list' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;show' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'A person (user) or an organization (org)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;set-passphrase' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from this file')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--passphrase-stdin', '--passphrase-stdin', [CompletionResultType]::ParameterName, 'Read the passphrase from standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;add-contact' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (same as the positional OWNER_ID)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Contact type')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'The address, number or handle')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Optional label, e.g. "Work"')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Platform of an INSTANT_MESSAGE or SOCIAL_MEDIA contact, e.g. SIGNAL, LINKEDIN')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--allow-invalid', '--allow-invalid', [CompletionResultType]::ParameterName, 'Store a value that fails the format check')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;add-gov-id' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (same as the positional OWNER_ID)')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'EU country code, e.g. SE')
            [CompletionResult]::new('--id-type', '--id-type', [CompletionResultType]::ParameterName, 'ID type (default: the country''s only type), e.g. PERSONNUMMER')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'The ID number')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--allow-invalid', '--allow-invalid', [CompletionResultType]::ParameterName, 'Store a value that fails the format check (as UNVERIFIED)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;add-company-id' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (same as the positional OWNER_ID)')
            [CompletionResult]::new('--id-type', '--id-type', [CompletionResultType]::ParameterName, 'COMPANY_REG, VAT, EORI, LEI, DUNS, GLN, ISIN, TAX_ID, CHAMBER_OF_COMMERCE, NAICS or SIC')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'EU country code (required for COMPANY_REG)')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'The ID number')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--allow-invalid', '--allow-invalid', [CompletionResultType]::ParameterName, 'Store a value that fails the format check (as UNVERIFIED)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;add-signatory' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (same as the positional OWNER_ID)')
            [CompletionResult]::new('--person', '--person', [CompletionResultType]::ParameterName, 'Owner id of the person (a user owner)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'CEO, BOARD_CHAIRMAN, BOARD_MEMBER, AUTHORIZED_SIGNATORY, PROCURATOR, MANAGING_DIRECTOR or OTHER')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'SOLE (can sign alone) or JOINT (must co-sign with another)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'What the signatory may sign for (optional)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;validate' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;owner;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List owners')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one owner')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create an owner')
            [CompletionResult]::new('set-passphrase', 'set-passphrase', [CompletionResultType]::ParameterValue, 'Set or change an owner''s login passphrase')
            [CompletionResult]::new('add-contact', 'add-contact', [CompletionResultType]::ParameterValue, 'Add a contact identity (email, phone, messenger, social media)')
            [CompletionResult]::new('add-gov-id', 'add-gov-id', [CompletionResultType]::ParameterValue, 'Add a government ID to a user owner (one per country)')
            [CompletionResult]::new('add-company-id', 'add-company-id', [CompletionResultType]::ParameterValue, 'Add a company ID to an org owner')
            [CompletionResult]::new('add-signatory', 'add-signatory', [CompletionResultType]::ParameterValue, 'Add a person (a user owner) who may sign for an org owner')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;owner;help;list' {
            break
        }
        'openleash;owner;help;show' {
            break
        }
        'openleash;owner;help;add' {
            break
        }
        'openleash;owner;help;set-passphrase' {
            break
        }
        'openleash;owner;help;add-contact' {
            break
        }
        'openleash;owner;help;add-gov-id' {
            break
        }
        'openleash;owner;help;add-company-id' {
            break
        }
        'openleash;owner;help;add-signatory' {
            break
        }
        'openleash;owner;help;validate' {
            break
        }
        'openleash;owner;help;help' {
            break
        }
        'openleash;org' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an organization (with --as, that user becomes its org_admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List organizations (with --as: that user''s, with their role)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one organization')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an organization that owns no agents and no policies (org_admin)')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Members and their roles')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Invitations into an organization (7 days)')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Policy groups: agents grouped so that policies can apply to all of them')
            [CompletionResult]::new('leave', 'leave', [CompletionResultType]::ParameterValue, 'Leave an organization (needs --as; the last org_admin cannot)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--slug', '--slug', [CompletionResultType]::ParameterName, 'URL slug for /gui/orgs/{slug} (default: made from the name, unique)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;list' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;show' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;update' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New display name')
            [CompletionResult]::new('--slug', '--slug', [CompletionResultType]::ParameterName, 'New URL slug (2-64 of a-z, 0-9 and -)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;delete' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;member' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member directly (local operator only; users invite instead)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members with their roles')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Set a member''s role (org_admin; the last org_admin cannot be demoted)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (org_admin; not the last org_admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;member;add' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;member;list' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;member;role' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;member;remove' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;member;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member directly (local operator only; users invite instead)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members with their roles')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Set a member''s role (org_admin; the last org_admin cannot be demoted)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (org_admin; not the last org_admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;member;help;add' {
            break
        }
        'openleash;org;member;help;list' {
            break
        }
        'openleash;org;member;help;role' {
            break
        }
        'openleash;org;member;help;remove' {
            break
        }
        'openleash;org;member;help;help' {
            break
        }
        'openleash;org;invite' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Invite a user with a role, valid 7 days (org_admin; needs --as)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List pending invites (with --as: that user''s); with --org, every invite of that org')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept an invite addressed to you (needs --as)')
            [CompletionResult]::new('decline', 'decline', [CompletionResultType]::ParameterValue, 'Decline an invite addressed to you (needs --as)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a pending invite (org_admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;invite;create' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role the invitee gets on accepting')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;invite;list' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'An organization''s invites, any status (org_admin)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;invite;accept' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;invite;decline' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;invite;revoke' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;invite;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Invite a user with a role, valid 7 days (org_admin; needs --as)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List pending invites (with --as: that user''s); with --org, every invite of that org')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept an invite addressed to you (needs --as)')
            [CompletionResult]::new('decline', 'decline', [CompletionResultType]::ParameterValue, 'Decline an invite addressed to you (needs --as)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a pending invite (org_admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;invite;help;create' {
            break
        }
        'openleash;org;invite;help;list' {
            break
        }
        'openleash;org;invite;help;accept' {
            break
        }
        'openleash;org;invite;help;decline' {
            break
        }
        'openleash;org;invite;help;revoke' {
            break
        }
        'openleash;org;invite;help;help' {
            break
        }
        'openleash;org;group' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an organization''s policy groups with their member counts')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a policy group (org_admin)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group with its agents and the policies bound to it')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group''s name, slug or description (org_admin)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its memberships; refused while policies are bound to it (org_admin)')
            [CompletionResult]::new('add-agent', 'add-agent', [CompletionResultType]::ParameterValue, 'Add one of the organization''s agents to a group (org_admin)')
            [CompletionResult]::new('remove-agent', 'remove-agent', [CompletionResultType]::ParameterValue, 'Remove an agent from a group (org_admin)')
            [CompletionResult]::new('create-policy', 'create-policy', [CompletionResultType]::ParameterValue, 'Create an org policy that applies to every agent of the group (org_admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;group;list' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--slug', '--slug', [CompletionResultType]::ParameterName, 'URL slug, unique in the org (default: made from the name)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Description')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;show' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;update' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New display name')
            [CompletionResult]::new('--slug', '--slug', [CompletionResultType]::ParameterName, 'New slug')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'New description (empty clears it)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;delete' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;add-agent' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;remove-agent' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;create-policy' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Policy YAML file')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Policy name')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;group;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an organization''s policy groups with their member counts')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a policy group (org_admin)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group with its agents and the policies bound to it')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group''s name, slug or description (org_admin)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its memberships; refused while policies are bound to it (org_admin)')
            [CompletionResult]::new('add-agent', 'add-agent', [CompletionResultType]::ParameterValue, 'Add one of the organization''s agents to a group (org_admin)')
            [CompletionResult]::new('remove-agent', 'remove-agent', [CompletionResultType]::ParameterValue, 'Remove an agent from a group (org_admin)')
            [CompletionResult]::new('create-policy', 'create-policy', [CompletionResultType]::ParameterValue, 'Create an org policy that applies to every agent of the group (org_admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;group;help;list' {
            break
        }
        'openleash;org;group;help;create' {
            break
        }
        'openleash;org;group;help;show' {
            break
        }
        'openleash;org;group;help;update' {
            break
        }
        'openleash;org;group;help;delete' {
            break
        }
        'openleash;org;group;help;add-agent' {
            break
        }
        'openleash;org;group;help;remove-agent' {
            break
        }
        'openleash;org;group;help;create-policy' {
            break
        }
        'openleash;org;group;help;help' {
            break
        }
        'openleash;org;leave' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;org;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an organization (with --as, that user becomes its org_admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List organizations (with --as: that user''s, with their role)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one organization')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an organization that owns no agents and no policies (org_admin)')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Members and their roles')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Invitations into an organization (7 days)')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Policy groups: agents grouped so that policies can apply to all of them')
            [CompletionResult]::new('leave', 'leave', [CompletionResultType]::ParameterValue, 'Leave an organization (needs --as; the last org_admin cannot)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;org;help;create' {
            break
        }
        'openleash;org;help;list' {
            break
        }
        'openleash;org;help;show' {
            break
        }
        'openleash;org;help;update' {
            break
        }
        'openleash;org;help;delete' {
            break
        }
        'openleash;org;help;member' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member directly (local operator only; users invite instead)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members with their roles')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Set a member''s role (org_admin; the last org_admin cannot be demoted)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (org_admin; not the last org_admin)')
            break
        }
        'openleash;org;help;member;add' {
            break
        }
        'openleash;org;help;member;list' {
            break
        }
        'openleash;org;help;member;role' {
            break
        }
        'openleash;org;help;member;remove' {
            break
        }
        'openleash;org;help;invite' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Invite a user with a role, valid 7 days (org_admin; needs --as)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List pending invites (with --as: that user''s); with --org, every invite of that org')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept an invite addressed to you (needs --as)')
            [CompletionResult]::new('decline', 'decline', [CompletionResultType]::ParameterValue, 'Decline an invite addressed to you (needs --as)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a pending invite (org_admin)')
            break
        }
        'openleash;org;help;invite;create' {
            break
        }
        'openleash;org;help;invite;list' {
            break
        }
        'openleash;org;help;invite;accept' {
            break
        }
        'openleash;org;help;invite;decline' {
            break
        }
        'openleash;org;help;invite;revoke' {
            break
        }
        'openleash;org;help;group' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an organization''s policy groups with their member counts')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a policy group (org_admin)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group with its agents and the policies bound to it')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group''s name, slug or description (org_admin)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its memberships; refused while policies are bound to it (org_admin)')
            [CompletionResult]::new('add-agent', 'add-agent', [CompletionResultType]::ParameterValue, 'Add one of the organization''s agents to a group (org_admin)')
            [CompletionResult]::new('remove-agent', 'remove-agent', [CompletionResultType]::ParameterValue, 'Remove an agent from a group (org_admin)')
            [CompletionResult]::new('create-policy', 'create-policy', [CompletionResultType]::ParameterValue, 'Create an org policy that applies to every agent of the group (org_admin)')
            break
        }
        'openleash;org;help;group;list' {
            break
        }
        'openleash;org;help;group;create' {
            break
        }
        'openleash;org;help;group;show' {
            break
        }
        'openleash;org;help;group;update' {
            break
        }
        'openleash;org;help;group;delete' {
            break
        }
        'openleash;org;help;group;add-agent' {
            break
        }
        'openleash;org;help;group;remove-agent' {
            break
        }
        'openleash;org;help;group;create-policy' {
            break
        }
        'openleash;org;help;leave' {
            break
        }
        'openleash;org;help;help' {
            break
        }
        'openleash;keys' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List signing keys (--json: the /v1/public-keys shape)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Create a new signing key and make it active; old keys keep verifying')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a non-active key: tokens signed with it stop verifying')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;keys;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;keys;rotate' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;keys;revoke' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;keys;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List signing keys (--json: the /v1/public-keys shape)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Create a new signing key and make it active; old keys keep verifying')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a non-active key: tokens signed with it stop verifying')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;keys;help;list' {
            break
        }
        'openleash;keys;help;rotate' {
            break
        }
        'openleash;keys;help;revoke' {
            break
        }
        'openleash;keys;help;help' {
            break
        }
        'openleash;audit' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List events (newest last; --json prints JSON Lines)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one event by seq or event_id')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print the last events, optionally following new ones')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain and the signed head')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'Sign an unsigned tail after review (records AUDIT_SEALED)')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Move a torn last line aside (records AUDIT_REPAIRED)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;audit;list' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only events of this type (repeatable)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only events about this agent (agent_id or principal id)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only events about this owner')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339)')
            [CompletionResult]::new('--decision', '--decision', [CompletionResultType]::ParameterName, 'Only decisions with this result (ALLOW, DENY, ...)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many, the newest (0 = all)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--shadow-diff', '--shadow-diff', [CompletionResultType]::ParameterName, 'Only decisions where a shadow policy''s result differs from the enforced one')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;tail' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only events of this type (repeatable)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only events about this agent (agent_id or principal id)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only events about this owner')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339)')
            [CompletionResult]::new('--decision', '--decision', [CompletionResultType]::ParameterName, 'Only decisions with this result (ALLOW, DENY, ...)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Number of events to print first')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Number of events to print first')
            [CompletionResult]::new('--poll-ms', '--poll-ms', [CompletionResultType]::ParameterName, 'Poll interval while following, in milliseconds')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing events as they are appended')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing events as they are appended')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;verify' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events since this duration ago (30d, 12h) or RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this RFC 3339 time (or duration ago)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Resume after the last event a previous run with this cursor file exported, and record where this run stops')
            [CompletionResult]::new('--poll-ms', '--poll-ms', [CompletionResultType]::ParameterName, 'With --follow: how often to look for new events')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep exporting events as they are appended (until interrupted)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;seal' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;repair' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;audit;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List events (newest last; --json prints JSON Lines)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one event by seq or event_id')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print the last events, optionally following new ones')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain and the signed head')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'Sign an unsigned tail after review (records AUDIT_SEALED)')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Move a torn last line aside (records AUDIT_REPAIRED)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;audit;help;list' {
            break
        }
        'openleash;audit;help;show' {
            break
        }
        'openleash;audit;help;tail' {
            break
        }
        'openleash;audit;help;verify' {
            break
        }
        'openleash;audit;help;export' {
            break
        }
        'openleash;audit;help;seal' {
            break
        }
        'openleash;audit;help;repair' {
            break
        }
        'openleash;audit;help;help' {
            break
        }
        'openleash;limits' {
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only the limits of this agent (agent_id or agent principal id)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('reset-index', 'reset-index', [CompletionResultType]::ParameterValue, 'Rebuild the limit counters from the whole audit log, after verifying it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;limits;reset-index' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;limits;help' {
            [CompletionResult]::new('reset-index', 'reset-index', [CompletionResultType]::ParameterValue, 'Rebuild the limit counters from the whole audit log, after verifying it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;limits;help;reset-index' {
            break
        }
        'openleash;limits;help;help' {
            break
        }
        'openleash;store' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('migrate-schema', 'migrate-schema', [CompletionResultType]::ParameterValue, 'Create or upgrade the PostgreSQL schema to this version''s (idempotent; refuses a newer schema)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether the store answers, and its schema version')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;store;migrate-schema' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;store;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;store;copy' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Source: a data directory, or a postgres:// URL')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Target: an empty PostgreSQL database (postgres:// URL), or a new data directory')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;store;help' {
            [CompletionResult]::new('migrate-schema', 'migrate-schema', [CompletionResultType]::ParameterValue, 'Create or upgrade the PostgreSQL schema to this version''s (idempotent; refuses a newer schema)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether the store answers, and its schema version')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;store;help;migrate-schema' {
            break
        }
        'openleash;store;help;status' {
            break
        }
        'openleash;store;help;copy' {
            break
        }
        'openleash;store;help;help' {
            break
        }
        'openleash;approval' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List approval requests, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one approval request with its action')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending request: issues the single-use approval token')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending request')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Agent side: wait for the owner''s answer (exit 0 approved, 1 denied/expired, 3 pending)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;approval;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only this status')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only this agent (agent_id or principal id)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;approval;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;approval;approve' {
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;approval;deny' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (shown to the agent; optional)')
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;approval;request' {
            [CompletionResult]::new('--decision-id', '--decision-id', [CompletionResultType]::ParameterName, 'The decision_id of the REQUIRE_APPROVAL decision')
            [CompletionResult]::new('--action-file', '--action-file', [CompletionResultType]::ParameterName, 'The exact ActionRequest that was decided (`-` for stdin)')
            [CompletionResult]::new('--justification', '--justification', [CompletionResultType]::ParameterName, 'Why the agent needs this, shown to the owner')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'The agent asking (must match principal.agent_id of the action file)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;approval;wait' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds (exit 3)')
            [CompletionResult]::new('--poll-ms', '--poll-ms', [CompletionResultType]::ParameterName, 'Poll interval (milliseconds)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Remote mode: the agent that created the request (default: OPENLEASH_AGENT_ID, else `agent_id` of the per-user config)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;approval;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List approval requests, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one approval request with its action')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending request: issues the single-use approval token')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending request')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Agent side: wait for the owner''s answer (exit 0 approved, 1 denied/expired, 3 pending)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;approval;help;list' {
            break
        }
        'openleash;approval;help;show' {
            break
        }
        'openleash;approval;help;approve' {
            break
        }
        'openleash;approval;help;deny' {
            break
        }
        'openleash;approval;help;request' {
            break
        }
        'openleash;approval;help;wait' {
            break
        }
        'openleash;approval;help;help' {
            break
        }
        'openleash;draft' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List policy drafts, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a draft: its YAML, diagnostics and the widening summary of the agent''s rules')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending draft: creates and binds the policy')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending draft')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Agent side: propose a policy (validated now; an owner approves it later)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;draft;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only this status')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only drafts of this agent (agent_id or principal id)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;draft;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;draft;approve' {
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;draft;deny' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (shown to the agent; optional)')
            [CompletionResult]::new('--totp-code', '--totp-code', [CompletionResultType]::ParameterName, 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;draft;submit' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The policy YAML (`-` for stdin)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Submitting agent (default: OPENLEASH_AGENT_ID, else the only active agent)')
            [CompletionResult]::new('--applies-to', '--applies-to', [CompletionResultType]::ParameterName, 'Apply to this agent of the same owner (principal id)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Policy name')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Policy description')
            [CompletionResult]::new('--justification', '--justification', [CompletionResultType]::ParameterName, 'Why the agent needs this, shown to the owner')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--owner-wide', '--owner-wide', [CompletionResultType]::ParameterName, 'Apply to all agents of the owner instead of the submitting agent')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;draft;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List policy drafts, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a draft: its YAML, diagnostics and the widening summary of the agent''s rules')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending draft: creates and binds the policy')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending draft')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Agent side: propose a policy (validated now; an owner approves it later)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;draft;help;list' {
            break
        }
        'openleash;draft;help;show' {
            break
        }
        'openleash;draft;help;approve' {
            break
        }
        'openleash;draft;help;deny' {
            break
        }
        'openleash;draft;help;submit' {
            break
        }
        'openleash;draft;help;help' {
            break
        }
        'openleash;notify' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List notifications (oldest first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one notification: target, event, attempts, last error')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Queue a notification again (by id), or every dead one (--dead)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event to a channel now and print the receiver''s answer')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;notify;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only this status')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;notify;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;notify;retry' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--dead', '--dead', [CompletionResultType]::ParameterName, 'Every dead letter')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;notify;test' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;notify;run' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'One pass over what is due now, then exit')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;notify;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List notifications (oldest first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one notification: target, event, attempts, last error')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Queue a notification again (by id), or every dead one (--dead)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event to a channel now and print the receiver''s answer')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;notify;help;list' {
            break
        }
        'openleash;notify;help;show' {
            break
        }
        'openleash;notify;help;retry' {
            break
        }
        'openleash;notify;help;test' {
            break
        }
        'openleash;notify;help;run' {
            break
        }
        'openleash;notify;help;help' {
            break
        }
        'openleash;transform' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the owner''s rules by rank (--agent: only those that apply to that agent)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one rule')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a rule, its name, description, rank, or turn it on or off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a rule')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply an agent''s rules to standard input (or --input FILE) and print the result')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;transform;add' {
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'The whole rule as JSON, e.g. ''{"type":"cap_output_length","max_characters":20000}''')
            [CompletionResult]::new('--max-characters', '--max-characters', [CompletionResultType]::ParameterName, 'cap_output_length: keep at most this many characters')
            [CompletionResult]::new('--max-lines', '--max-lines', [CompletionResultType]::ParameterName, 'cap_output_length: keep at most this many lines')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'regex_replace: the pattern (linear-time regex, as in policies)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'regex_replace: the replacement ($&, $1, $<name> as in JavaScript)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A short name')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the rule is for')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Apply to this agent only (agent_id or principal id; default: every agent of the owner)')
            [CompletionResult]::new('--rank', '--rank', [CompletionResultType]::ParameterName, 'Position among the owner''s rules, lower first (default: after the last one)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Store it switched off')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;transform;list' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only the enabled rules that apply to this agent (agent_id or principal id), in order')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;transform;show' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;transform;update' {
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'The whole rule as JSON, e.g. ''{"type":"cap_output_length","max_characters":20000}''')
            [CompletionResult]::new('--max-characters', '--max-characters', [CompletionResultType]::ParameterName, 'cap_output_length: keep at most this many characters')
            [CompletionResult]::new('--max-lines', '--max-lines', [CompletionResultType]::ParameterName, 'cap_output_length: keep at most this many lines')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'regex_replace: the pattern (linear-time regex, as in policies)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'regex_replace: the replacement ($&, $1, $<name> as in JavaScript)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A new name ("" clears it)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'A new description ("" clears it)')
            [CompletionResult]::new('--rank', '--rank', [CompletionResultType]::ParameterName, 'A new position among the owner''s rules, lower first')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Switch the rule on')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Switch the rule off')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;transform;delete' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner id (default: the only owner)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;transform;apply' {
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'The agent whose rules apply (agent_id or principal id; default: the only active agent)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Read the output to transform from this file instead of standard input')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;transform;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the owner''s rules by rank (--agent: only those that apply to that agent)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one rule')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a rule, its name, description, rank, or turn it on or off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a rule')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply an agent''s rules to standard input (or --input FILE) and print the result')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;transform;help;add' {
            break
        }
        'openleash;transform;help;list' {
            break
        }
        'openleash;transform;help;show' {
            break
        }
        'openleash;transform;help;update' {
            break
        }
        'openleash;transform;help;delete' {
            break
        }
        'openleash;transform;help;apply' {
            break
        }
        'openleash;transform;help;help' {
            break
        }
        'openleash;provisioner' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (org role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Mint a provisioner token (printed once, to stdout; only its hash is stored)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an owner''s provisioners (never their tokens)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a provisioner: its token stops working at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;provisioner;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'What the token is for, e.g. ci-deploy')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The owner (a user, or an organization id; default: --as, else the only owner)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Valid for this many seconds (default: until revoked)')
            [CompletionResult]::new('--expires-at', '--expires-at', [CompletionResultType]::ParameterName, 'Valid until this RFC 3339 time (default: until revoked)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (org role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;provisioner;list' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The owner (a user, or an organization id; default: --as, else the only owner)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (org role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;provisioner;revoke' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The owner (a user, or an organization id; default: --as, else the only owner)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (org role checks apply); without it, act as the local operator')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;provisioner;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Mint a provisioner token (printed once, to stdout; only its hash is stored)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an owner''s provisioners (never their tokens)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a provisioner: its token stops working at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;provisioner;help;add' {
            break
        }
        'openleash;provisioner;help;list' {
            break
        }
        'openleash;provisioner;help;revoke' {
            break
        }
        'openleash;provisioner;help;help' {
            break
        }
        'openleash;start' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on, host:port (default: server.bind_address from config.yaml; port 0 picks a free port)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: server.threads from config.yaml; 0 = 2 x cores)')
            [CompletionResult]::new('--idle-timeout-ms', '--idle-timeout-ms', [CompletionResultType]::ParameterName, 'Close connections idle (or stalled while sending headers) for this long')
            [CompletionResult]::new('--header-timeout-ms', '--header-timeout-ms', [CompletionResultType]::ParameterName, 'Answer 408 and close when a request head takes longer than this from its first byte')
            [CompletionResult]::new('--body-timeout-ms', '--body-timeout-ms', [CompletionResultType]::ParameterName, 'Answer 408 when a request body takes longer than this to arrive')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; beyond it new connections get 503 BUSY')
            [CompletionResult]::new('--nonce-cache-size', '--nonce-cache-size', [CompletionResultType]::ParameterName, 'Signed requests remembered for replay protection; when full of live entries: 503 BUSY')
            [CompletionResult]::new('--max-open-files', '--max-open-files', [CompletionResultType]::ParameterName, 'Testing: set the open-file limit instead of raising it')
            [CompletionResult]::new('--run-for-ms', '--run-for-ms', [CompletionResultType]::ParameterName, 'Testing and benchmarks: stop after this many milliseconds')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--gui', '--gui', [CompletionResultType]::ParameterName, 'Serve the owner portal at /gui (the default, unless server.gui is false in config.yaml)')
            [CompletionResult]::new('--no-gui', '--no-gui', [CompletionResultType]::ParameterName, 'Do not serve the owner portal (/gui answers 404)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;gc' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count what would be removed, remove nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;mcp-proxy' {
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent the tool calls are authorized for (default: OPENLEASH_AGENT_ID, else the only active agent)')
            [CompletionResult]::new('--server-name', '--server-name', [CompletionResultType]::ParameterName, 'Server name in the action types `mcp.<server>.<tool>` (default: the server''s serverInfo.name); normalised to [a-z0-9_-]')
            [CompletionResult]::new('--wait-approval', '--wait-approval', [CompletionResultType]::ParameterName, 'On REQUIRE_APPROVAL: hold the call up to SECS for the owner''s answer (default: answer "pending" at once; retrying the same call after approval runs it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The agent''s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64')
            [CompletionResult]::new('--poll-ms', '--poll-ms', [CompletionResultType]::ParameterName, 'Poll interval while waiting for an approval (milliseconds)')
            [CompletionResult]::new('--shutdown-grace', '--shutdown-grace', [CompletionResultType]::ParameterName, 'Seconds the server gets to exit after its input is closed before it is killed')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--hide-denied', '--hide-denied', [CompletionResultType]::ParameterName, 'Remove from tools/list the tools the policy denies whatever their arguments')
            [CompletionResult]::new('--accept-changes', '--accept-changes', [CompletionResultType]::ParameterName, 'Accept changed tool definitions: re-pin them on the next tools/list')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;mcp' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Start a server, classify its tools by risk and print a suggested policy YAML')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;mcp;scan' {
            [CompletionResult]::new('--server-name', '--server-name', [CompletionResultType]::ParameterName, 'Server name in the suggested action types (default: the server''s serverInfo.name)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up when the server has not listed its tools within SECS')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;mcp;help' {
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Start a server, classify its tools by risk and print a suggested policy YAML')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;mcp;help;scan' {
            break
        }
        'openleash;mcp;help;help' {
            break
        }
        'openleash;testvectors' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write them to this file instead of standard output')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Check a vectors file (e.g. an SDK''s testvectors.json) instead: exit 1 when one fails')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give a user the admin role (by principal id or email)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take the admin role from a user (by principal id or email)')
            [CompletionResult]::new('disable-totp', 'disable-totp', [CompletionResultType]::ParameterValue, 'Reset a user''s TOTP (a lost device)')
            [CompletionResult]::new('setup-invite', 'setup-invite', [CompletionResultType]::ParameterValue, 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)')
            [CompletionResult]::new('delete-agent', 'delete-agent', [CompletionResultType]::ParameterValue, 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;admin;list' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N items per page (1–1000; default 100)')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Start after this cursor (the `next page` hint of the previous page)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every item, page by page (memory stays bounded by one page)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin;grant' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin;revoke' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin;disable-totp' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin;setup-invite' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin;delete-agent' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;admin;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give a user the admin role (by principal id or email)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take the admin role from a user (by principal id or email)')
            [CompletionResult]::new('disable-totp', 'disable-totp', [CompletionResultType]::ParameterValue, 'Reset a user''s TOTP (a lost device)')
            [CompletionResult]::new('setup-invite', 'setup-invite', [CompletionResultType]::ParameterValue, 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)')
            [CompletionResult]::new('delete-agent', 'delete-agent', [CompletionResultType]::ParameterValue, 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;admin;help;list' {
            break
        }
        'openleash;admin;help;grant' {
            break
        }
        'openleash;admin;help;revoke' {
            break
        }
        'openleash;admin;help;disable-totp' {
            break
        }
        'openleash;admin;help;setup-invite' {
            break
        }
        'openleash;admin;help;delete-agent' {
            break
        }
        'openleash;admin;help;help' {
            break
        }
        'openleash;totp' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes')
            [CompletionResult]::new('confirm', 'confirm', [CompletionResultType]::ParameterValue, 'Enable TOTP with the first code the authenticator app shows')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable TOTP with a current code or a backup code')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether TOTP is enabled and how many backup codes are left')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;totp;setup' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The user (default: the only owner)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;totp;confirm' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The user (default: the only owner)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The current 6-digit code')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;totp;disable' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The user (default: the only owner)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'A current code or a backup code')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;totp;status' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The user (default: the only owner)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;totp;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes')
            [CompletionResult]::new('confirm', 'confirm', [CompletionResultType]::ParameterValue, 'Enable TOTP with the first code the authenticator app shows')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable TOTP with a current code or a backup code')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether TOTP is enabled and how many backup codes are left')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;totp;help;setup' {
            break
        }
        'openleash;totp;help;confirm' {
            break
        }
        'openleash;totp;help;disable' {
            break
        }
        'openleash;totp;help;status' {
            break
        }
        'openleash;totp;help;help' {
            break
        }
        'openleash;completions' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write one page per subcommand into this directory instead of printing the main page')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only essential output')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (error causes, timings)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openleash;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a data directory: config, signing key, owner, agent and a profile policy')
            [CompletionResult]::new('wizard', 'wizard', [CompletionResultType]::ParameterValue, 'Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag')
            [CompletionResult]::new('import-upstream', 'import-upstream', [CompletionResultType]::ParameterValue, 'Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Manage policies: list, show, validate, upsert, bind, diff, test, profiles')
            [CompletionResult]::new('playground', 'playground', [CompletionResultType]::ParameterValue, 'Evaluate actions against policies without side effects')
            [CompletionResult]::new('authorize', 'authorize', [CompletionResultType]::ParameterValue, 'Ask for a decision on an action (exit code = decision)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a proof token (offline, or with a server''s keys or the server itself)')
            [CompletionResult]::new('action', 'action', [CompletionResultType]::ParameterValue, 'Work with action requests')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Manage agents')
            [CompletionResult]::new('owner', 'owner', [CompletionResultType]::ParameterValue, 'Manage owners')
            [CompletionResult]::new('org', 'org', [CompletionResultType]::ParameterValue, 'Organizations: create, list, show, update, delete; members, roles, invites, leave')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Manage the server''s signing keys')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Query and verify the tamper-evident audit log')
            [CompletionResult]::new('limits', 'limits', [CompletionResultType]::ParameterValue, 'Spending caps and rate limits: current use, remainder and when each window frees up')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'The shared PostgreSQL store: schema migrations and status (docs/store.md)')
            [CompletionResult]::new('approval', 'approval', [CompletionResultType]::ParameterValue, 'Human approval: list, show, approve or deny requests; request one and wait as an agent')
            [CompletionResult]::new('draft', 'draft', [CompletionResultType]::ParameterValue, 'Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries')
            [CompletionResult]::new('transform', 'transform', [CompletionResultType]::ParameterValue, 'Output transformations: cap or redact what tools return before agents see it')
            [CompletionResult]::new('provisioner', 'provisioner', [CompletionResultType]::ParameterValue, 'Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve the HTTP API for agents and SDKs')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove records past their `retention.*` time (never the audit log); --dry-run only counts')
            [CompletionResult]::new('mcp-proxy', 'mcp-proxy', [CompletionResultType]::ParameterValue, 'Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'MCP helpers: scan a server''s tools and suggest a policy')
            [CompletionResult]::new('testvectors', 'testvectors', [CompletionResultType]::ParameterValue, 'Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites')
            [CompletionResult]::new('totp', 'totp', [CompletionResultType]::ParameterValue, 'Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write all pages to a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openleash;help;init' {
            break
        }
        'openleash;help;wizard' {
            break
        }
        'openleash;help;import-upstream' {
            break
        }
        'openleash;help;policy' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored policies and what they apply to (--agent: that agent''s effective chain)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a stored policy and its bindings')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'The effective policy chain of an agent: which policies decide, in which order')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint and validate policy files (no data directory needed)')
            [CompletionResult]::new('upsert', 'upsert', [CompletionResultType]::ParameterValue, 'Create or replace a stored policy (validated first)')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Bind a stored policy to an owner (owner-wide) or to one agent')
            [CompletionResult]::new('unbind', 'unbind', [CompletionResultType]::ParameterValue, 'Remove bindings of a policy')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a policy file and all its bindings')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two policy files: text diff and what got wider')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run policy test suites')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-evaluate the decisions in the audit log against candidate policies (what would change)')
            [CompletionResult]::new('shadow-report', 'shadow-report', [CompletionResultType]::ParameterValue, 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the bundled policy profiles, or show one')
            break
        }
        'openleash;help;policy;list' {
            break
        }
        'openleash;help;policy;show' {
            break
        }
        'openleash;help;policy;explain' {
            break
        }
        'openleash;help;policy;validate' {
            break
        }
        'openleash;help;policy;upsert' {
            break
        }
        'openleash;help;policy;bind' {
            break
        }
        'openleash;help;policy;unbind' {
            break
        }
        'openleash;help;policy;delete' {
            break
        }
        'openleash;help;policy;diff' {
            break
        }
        'openleash;help;policy;test' {
            break
        }
        'openleash;help;policy;replay' {
            break
        }
        'openleash;help;policy;shadow-report' {
            break
        }
        'openleash;help;policy;profiles' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a bundled profile''s YAML')
            break
        }
        'openleash;help;policy;profiles;show' {
            break
        }
        'openleash;help;playground' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List bundled and data-directory scenarios')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Evaluate a scenario or an action file and show the per-rule trace')
            break
        }
        'openleash;help;playground;list' {
            break
        }
        'openleash;help;playground;run' {
            break
        }
        'openleash;help;authorize' {
            break
        }
        'openleash;help;verify' {
            break
        }
        'openleash;help;action' {
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Validate an ActionRequest and print its action_hash (or canonical JSON)')
            break
        }
        'openleash;help;action;hash' {
            break
        }
        'openleash;help;agent' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List agents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one agent (by agent_id or principal id)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register an agent (generates a keypair unless --public-key is given)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an agent: its requests then fail with AGENT_INACTIVE')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Re-activate a revoked or pending agent')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Create a single-use invite and print the registration URL for `openleash start`')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print the five signing headers for an HTTP request (for curl users)')
            break
        }
        'openleash;help;agent;list' {
            break
        }
        'openleash;help;agent;show' {
            break
        }
        'openleash;help;agent;add' {
            break
        }
        'openleash;help;agent;revoke' {
            break
        }
        'openleash;help;agent;activate' {
            break
        }
        'openleash;help;agent;invite' {
            break
        }
        'openleash;help;agent;sign' {
            break
        }
        'openleash;help;owner' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List owners')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one owner')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create an owner')
            [CompletionResult]::new('set-passphrase', 'set-passphrase', [CompletionResultType]::ParameterValue, 'Set or change an owner''s login passphrase')
            [CompletionResult]::new('add-contact', 'add-contact', [CompletionResultType]::ParameterValue, 'Add a contact identity (email, phone, messenger, social media)')
            [CompletionResult]::new('add-gov-id', 'add-gov-id', [CompletionResultType]::ParameterValue, 'Add a government ID to a user owner (one per country)')
            [CompletionResult]::new('add-company-id', 'add-company-id', [CompletionResultType]::ParameterValue, 'Add a company ID to an org owner')
            [CompletionResult]::new('add-signatory', 'add-signatory', [CompletionResultType]::ParameterValue, 'Add a person (a user owner) who may sign for an org owner')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)')
            break
        }
        'openleash;help;owner;list' {
            break
        }
        'openleash;help;owner;show' {
            break
        }
        'openleash;help;owner;add' {
            break
        }
        'openleash;help;owner;set-passphrase' {
            break
        }
        'openleash;help;owner;add-contact' {
            break
        }
        'openleash;help;owner;add-gov-id' {
            break
        }
        'openleash;help;owner;add-company-id' {
            break
        }
        'openleash;help;owner;add-signatory' {
            break
        }
        'openleash;help;owner;validate' {
            break
        }
        'openleash;help;org' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an organization (with --as, that user becomes its org_admin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List organizations (with --as: that user''s, with their role)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one organization')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an organization that owns no agents and no policies (org_admin)')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Members and their roles')
            [CompletionResult]::new('invite', 'invite', [CompletionResultType]::ParameterValue, 'Invitations into an organization (7 days)')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Policy groups: agents grouped so that policies can apply to all of them')
            [CompletionResult]::new('leave', 'leave', [CompletionResultType]::ParameterValue, 'Leave an organization (needs --as; the last org_admin cannot)')
            break
        }
        'openleash;help;org;create' {
            break
        }
        'openleash;help;org;list' {
            break
        }
        'openleash;help;org;show' {
            break
        }
        'openleash;help;org;update' {
            break
        }
        'openleash;help;org;delete' {
            break
        }
        'openleash;help;org;member' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member directly (local operator only; users invite instead)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members with their roles')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Set a member''s role (org_admin; the last org_admin cannot be demoted)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (org_admin; not the last org_admin)')
            break
        }
        'openleash;help;org;member;add' {
            break
        }
        'openleash;help;org;member;list' {
            break
        }
        'openleash;help;org;member;role' {
            break
        }
        'openleash;help;org;member;remove' {
            break
        }
        'openleash;help;org;invite' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Invite a user with a role, valid 7 days (org_admin; needs --as)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List pending invites (with --as: that user''s); with --org, every invite of that org')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept an invite addressed to you (needs --as)')
            [CompletionResult]::new('decline', 'decline', [CompletionResultType]::ParameterValue, 'Decline an invite addressed to you (needs --as)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a pending invite (org_admin)')
            break
        }
        'openleash;help;org;invite;create' {
            break
        }
        'openleash;help;org;invite;list' {
            break
        }
        'openleash;help;org;invite;accept' {
            break
        }
        'openleash;help;org;invite;decline' {
            break
        }
        'openleash;help;org;invite;revoke' {
            break
        }
        'openleash;help;org;group' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an organization''s policy groups with their member counts')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a policy group (org_admin)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group with its agents and the policies bound to it')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group''s name, slug or description (org_admin)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its memberships; refused while policies are bound to it (org_admin)')
            [CompletionResult]::new('add-agent', 'add-agent', [CompletionResultType]::ParameterValue, 'Add one of the organization''s agents to a group (org_admin)')
            [CompletionResult]::new('remove-agent', 'remove-agent', [CompletionResultType]::ParameterValue, 'Remove an agent from a group (org_admin)')
            [CompletionResult]::new('create-policy', 'create-policy', [CompletionResultType]::ParameterValue, 'Create an org policy that applies to every agent of the group (org_admin)')
            break
        }
        'openleash;help;org;group;list' {
            break
        }
        'openleash;help;org;group;create' {
            break
        }
        'openleash;help;org;group;show' {
            break
        }
        'openleash;help;org;group;update' {
            break
        }
        'openleash;help;org;group;delete' {
            break
        }
        'openleash;help;org;group;add-agent' {
            break
        }
        'openleash;help;org;group;remove-agent' {
            break
        }
        'openleash;help;org;group;create-policy' {
            break
        }
        'openleash;help;org;leave' {
            break
        }
        'openleash;help;keys' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List signing keys (--json: the /v1/public-keys shape)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Create a new signing key and make it active; old keys keep verifying')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a non-active key: tokens signed with it stop verifying')
            break
        }
        'openleash;help;keys;list' {
            break
        }
        'openleash;help;keys;rotate' {
            break
        }
        'openleash;help;keys;revoke' {
            break
        }
        'openleash;help;audit' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List events (newest last; --json prints JSON Lines)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one event by seq or event_id')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print the last events, optionally following new ones')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain and the signed head')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'Sign an unsigned tail after review (records AUDIT_SEALED)')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Move a torn last line aside (records AUDIT_REPAIRED)')
            break
        }
        'openleash;help;audit;list' {
            break
        }
        'openleash;help;audit;show' {
            break
        }
        'openleash;help;audit;tail' {
            break
        }
        'openleash;help;audit;verify' {
            break
        }
        'openleash;help;audit;export' {
            break
        }
        'openleash;help;audit;seal' {
            break
        }
        'openleash;help;audit;repair' {
            break
        }
        'openleash;help;limits' {
            [CompletionResult]::new('reset-index', 'reset-index', [CompletionResultType]::ParameterValue, 'Rebuild the limit counters from the whole audit log, after verifying it')
            break
        }
        'openleash;help;limits;reset-index' {
            break
        }
        'openleash;help;store' {
            [CompletionResult]::new('migrate-schema', 'migrate-schema', [CompletionResultType]::ParameterValue, 'Create or upgrade the PostgreSQL schema to this version''s (idempotent; refuses a newer schema)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether the store answers, and its schema version')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains')
            break
        }
        'openleash;help;store;migrate-schema' {
            break
        }
        'openleash;help;store;status' {
            break
        }
        'openleash;help;store;copy' {
            break
        }
        'openleash;help;approval' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List approval requests, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one approval request with its action')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending request: issues the single-use approval token')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending request')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Agent side: wait for the owner''s answer (exit 0 approved, 1 denied/expired, 3 pending)')
            break
        }
        'openleash;help;approval;list' {
            break
        }
        'openleash;help;approval;show' {
            break
        }
        'openleash;help;approval;approve' {
            break
        }
        'openleash;help;approval;deny' {
            break
        }
        'openleash;help;approval;request' {
            break
        }
        'openleash;help;approval;wait' {
            break
        }
        'openleash;help;draft' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List policy drafts, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a draft: its YAML, diagnostics and the widening summary of the agent''s rules')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending draft: creates and binds the policy')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending draft')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Agent side: propose a policy (validated now; an owner approves it later)')
            break
        }
        'openleash;help;draft;list' {
            break
        }
        'openleash;help;draft;show' {
            break
        }
        'openleash;help;draft;approve' {
            break
        }
        'openleash;help;draft;deny' {
            break
        }
        'openleash;help;draft;submit' {
            break
        }
        'openleash;help;notify' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List notifications (oldest first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one notification: target, event, attempts, last error')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Queue a notification again (by id), or every dead one (--dead)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event to a channel now and print the receiver''s answer')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)')
            break
        }
        'openleash;help;notify;list' {
            break
        }
        'openleash;help;notify;show' {
            break
        }
        'openleash;help;notify;retry' {
            break
        }
        'openleash;help;notify;test' {
            break
        }
        'openleash;help;notify;run' {
            break
        }
        'openleash;help;transform' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the owner''s rules by rank (--agent: only those that apply to that agent)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one rule')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a rule, its name, description, rank, or turn it on or off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a rule')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply an agent''s rules to standard input (or --input FILE) and print the result')
            break
        }
        'openleash;help;transform;add' {
            break
        }
        'openleash;help;transform;list' {
            break
        }
        'openleash;help;transform;show' {
            break
        }
        'openleash;help;transform;update' {
            break
        }
        'openleash;help;transform;delete' {
            break
        }
        'openleash;help;transform;apply' {
            break
        }
        'openleash;help;provisioner' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Mint a provisioner token (printed once, to stdout; only its hash is stored)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List an owner''s provisioners (never their tokens)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a provisioner: its token stops working at once')
            break
        }
        'openleash;help;provisioner;add' {
            break
        }
        'openleash;help;provisioner;list' {
            break
        }
        'openleash;help;provisioner;revoke' {
            break
        }
        'openleash;help;start' {
            break
        }
        'openleash;help;gc' {
            break
        }
        'openleash;help;mcp-proxy' {
            break
        }
        'openleash;help;mcp' {
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Start a server, classify its tools by risk and print a suggested policy YAML')
            break
        }
        'openleash;help;mcp;scan' {
            break
        }
        'openleash;help;testvectors' {
            break
        }
        'openleash;help;admin' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give a user the admin role (by principal id or email)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take the admin role from a user (by principal id or email)')
            [CompletionResult]::new('disable-totp', 'disable-totp', [CompletionResultType]::ParameterValue, 'Reset a user''s TOTP (a lost device)')
            [CompletionResult]::new('setup-invite', 'setup-invite', [CompletionResultType]::ParameterValue, 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)')
            [CompletionResult]::new('delete-agent', 'delete-agent', [CompletionResultType]::ParameterValue, 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})')
            break
        }
        'openleash;help;admin;list' {
            break
        }
        'openleash;help;admin;grant' {
            break
        }
        'openleash;help;admin;revoke' {
            break
        }
        'openleash;help;admin;disable-totp' {
            break
        }
        'openleash;help;admin;setup-invite' {
            break
        }
        'openleash;help;admin;delete-agent' {
            break
        }
        'openleash;help;totp' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes')
            [CompletionResult]::new('confirm', 'confirm', [CompletionResultType]::ParameterValue, 'Enable TOTP with the first code the authenticator app shows')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable TOTP with a current code or a backup code')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether TOTP is enabled and how many backup codes are left')
            break
        }
        'openleash;help;totp;setup' {
            break
        }
        'openleash;help;totp;confirm' {
            break
        }
        'openleash;help;totp;disable' {
            break
        }
        'openleash;help;totp;status' {
            break
        }
        'openleash;help;completions' {
            break
        }
        'openleash;help;man' {
            break
        }
        'openleash;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
