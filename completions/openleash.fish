# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_openleash_global_optspecs
    string join \n data-dir= json q/quiet v/verbose color= h/help V/version
end

function __fish_openleash_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_openleash_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_openleash_using_subcommand
    set -l cmd (__fish_openleash_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c openleash -n "__fish_openleash_needs_command" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_needs_command" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_needs_command" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_needs_command" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openleash -n "__fish_openleash_needs_command" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "init" -d 'Create a data directory: config, signing key, owner, agent and a profile policy'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "wizard" -d 'Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "import-upstream" -d 'Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "policy" -d 'Manage policies: list, show, validate, upsert, bind, diff, test, profiles'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "playground" -d 'Evaluate actions against policies without side effects'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "authorize" -d 'Ask for a decision on an action (exit code = decision)'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "verify" -d 'Verify a proof token (offline, or with a server\'s keys or the server itself)'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "action" -d 'Work with action requests'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "agent" -d 'Manage agents'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "owner" -d 'Manage owners'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "org" -d 'Organizations: create, list, show, update, delete; members, roles, invites, leave'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "keys" -d 'Manage the server\'s signing keys'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "audit" -d 'Query and verify the tamper-evident audit log'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "limits" -d 'Spending caps and rate limits: current use, remainder and when each window frees up'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "store" -d 'The shared PostgreSQL store: schema migrations and status (docs/store.md)'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "approval" -d 'Human approval: list, show, approve or deny requests; request one and wait as an agent'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "draft" -d 'Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "notify" -d 'Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "transform" -d 'Output transformations: cap or redact what tools return before agents see it'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "provisioner" -d 'Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "start" -d 'Serve the HTTP API for agents and SDKs'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "gc" -d 'Remove records past their `retention.*` time (never the audit log); --dry-run only counts'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "mcp-proxy" -d 'Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "mcp" -d 'MCP helpers: scan a server\'s tools and suggest a policy'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "testvectors" -d 'Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "admin" -d 'Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "totp" -d 'Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "man" -d 'Print the man page (or write all pages to a directory)'
complete -c openleash -n "__fish_openleash_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand init" -l owner-name -d 'Display name of the owner to create' -r
complete -c openleash -n "__fish_openleash_using_subcommand init" -l owner-type -d 'Kind of owner: a person (user) or an organization (org)' -r -f -a "user\t''
org\t''"
complete -c openleash -n "__fish_openleash_using_subcommand init" -l agent-id -d 'agent_id of the agent to create (a fresh Ed25519 keypair is generated)' -r
complete -c openleash -n "__fish_openleash_using_subcommand init" -l policy-profile -d 'Policy profile bound owner-wide' -r -f -a "conservative\t''
balanced\t''
autonomous\t''
openclaw\t'For OpenClaw agents (docs/openclaw.md)'"
complete -c openleash -n "__fish_openleash_using_subcommand init" -l output-env -d 'Write OPENLEASH_* environment lines (incl. the agent private key) to this file (mode 0600)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand init" -l passphrase-file -d 'Read the owner\'s login passphrase from this file' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand init" -l store -d 'Use a shared PostgreSQL store: create its schema, publish the signing key and the new owner and agent there, and write `store:` into config.yaml' -r
complete -c openleash -n "__fish_openleash_using_subcommand init" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand init" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand init" -l passphrase-stdin -d 'Read the owner\'s login passphrase from standard input'
complete -c openleash -n "__fish_openleash_using_subcommand init" -l force -d 'Start over: move an existing data directory aside to <dir>.bak-<timestamp>'
complete -c openleash -n "__fish_openleash_using_subcommand init" -l no-owner -d 'Create the instance without owner, agent or policy: its first user (an admin) comes from POST /v1/initial-setup on `openleash start`'
complete -c openleash -n "__fish_openleash_using_subcommand init" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand init" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand init" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openleash -n "__fish_openleash_using_subcommand init" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l owner-name -d 'Create a new owner with this display name' -r
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l owner-type -d 'Kind of a new owner' -r -f -a "user\t''
org\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l owner-id -d 'Use this existing owner (the data directory must be initialised)' -r
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l agent-id -d 'agent_id of the agent to create' -r
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l public-key -d 'Import this Ed25519 public key (base64 SPKI DER) instead of generating a keypair' -r
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l policy-profile -d 'Policy profile (custom: answer the rule questions or pass their flags)' -r -f -a "conservative\t''
balanced\t''
autonomous\t''
openclaw\t'For OpenClaw agents: file reads and web search; shell, browser and messages need approval'
custom\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l purchase-max -d 'Largest purchase (minor units) allowed without approval' -r
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l allow-hairdresser -d 'CUSTOM: allow hairdresser bookings' -r -f -a "true\t''
false\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l allow-healthcare -d 'CUSTOM: allow healthcare appointments' -r -f -a "true\t''
false\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l stepup-healthcare -d 'CUSTOM: require step-up (SUBSTANTIAL) for healthcare' -r -f -a "true\t''
false\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l allow-government -d 'CUSTOM: allow government submissions' -r -f -a "true\t''
false\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l stepup-government -d 'CUSTOM: require step-up (HIGH) for government submissions' -r -f -a "true\t''
false\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l comm-domains -d 'Communication allow-list, comma-separated ("" for none)' -r
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l passphrase-file -d 'Read the owner\'s login passphrase from this file' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l admin-token -d 'Admin token for the HTTP admin API (default: none, loopback only)' -r -f -a "generate\t'Generate a random admin token into config.yaml (unless one is set)'
none\t'No token: the admin API answers loopback clients only'"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l output-env -d 'Write OPENLEASH_* environment lines (incl. a generated private key) to this file (mode 0600)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l passphrase-stdin -d 'Read the owner\'s login passphrase from standard input'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -s y -l yes -d 'Accept defaults for unanswered questions and write without asking'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openleash -n "__fish_openleash_using_subcommand wizard" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -l dry-run -d 'Read and check everything, report what would be imported, write nothing'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -l force -d 'Import even if --data-dir is not empty: move it aside to <dir>.bak-<timestamp> first'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand import-upstream" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "list" -d 'List stored policies and what they apply to (--agent: that agent\'s effective chain)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "show" -d 'Print a stored policy and its bindings'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "explain" -d 'The effective policy chain of an agent: which policies decide, in which order'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "validate" -d 'Lint and validate policy files (no data directory needed)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "upsert" -d 'Create or replace a stored policy (validated first)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "bind" -d 'Bind a stored policy to an owner (owner-wide) or to one agent'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "unbind" -d 'Remove bindings of a policy'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "delete" -d 'Delete a policy file and all its bindings'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "diff" -d 'Compare two policy files: text diff and what got wider'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "test" -d 'Run policy test suites'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "replay" -d 'Re-evaluate the decisions in the audit log against candidate policies (what would change)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "shadow-report" -d 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "profiles" -d 'List the bundled policy profiles, or show one'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and not __fish_seen_subcommand_from list show explain validate upsert bind unbind delete diff test replay shadow-report profiles help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l agent -d 'Only the policies that decide for this agent (agent_id or principal id), in evaluation order: its own, then its groups\', then owner-wide, each tier by rank' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -l policy-id -d 'Policy id' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -l agent -d 'Agent (agent_id or principal id; default: the only active agent)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -l file -d 'Upstream spelling of a single path' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -l format -d 'Output format' -r -f -a "human\t''
json\t''
github\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -l deny-warnings -d 'Treat warnings as errors'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l file -d 'Policy YAML file (`-` for standard input)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l policy-id -d 'Id of the policy to replace (or create with this id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l owner-type -d 'Upstream spelling of the owner type (checked against the owner)' -r -f -a "user\t''
org\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l agent -d 'Bind to this agent (agent_id or principal id) instead of owner-wide' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l name -d 'Human-readable name' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l description -d 'Description' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l rank -d 'Rank within its tier (lower applies first; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -s y -l yes -d 'Replace without asking for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from upsert" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l policy-id -d 'Policy id' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l owner -d 'Owner id (default: the policy\'s owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l agent -d 'Agent (agent_id or principal id); omit for owner-wide' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l rank -d 'Rank within its tier (lower applies first; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from bind" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l policy-id -d 'Policy id' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l owner -d 'Only bindings of this owner' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l agent -d 'Only the binding to this agent (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from unbind" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -l policy-id -d 'Policy id' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -l fail-on-widening -d 'Exit 1 when the new policy allows anything the old one did not'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -l format -d 'Output format' -r -f -a "human\t''
json\t''
junit\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l file -d 'Candidate policy file; stands for the stored policy --policy-id (default: the file\'s stem)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l policy-id -d 'The stored policy that --file replaces' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l dir -d 'Directory of candidate files named <policy_id>.yaml, each replacing that stored policy' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l agent -d 'Only this agent\'s decisions (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l since -d 'Only decisions since this duration ago (30d, 12h) or RFC 3339 time' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l until -d 'Only decisions until this RFC 3339 time (or duration ago)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l limit -d 'List at most N changed decisions (all are counted)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l format -d 'Output format' -r -f -a "human\t''
json\t''
junit\t''
github\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l fail-on-widening -d 'Exit 1 when some decision would become more permissive'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l fail-on-change -d 'Exit 1 when some decision would change'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from replay" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -l since -d 'Only decisions since this duration ago (30d, 12h) or RFC 3339 time' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -l agent -d 'Only this agent\'s decisions (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from shadow-report" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -f -a "show" -d 'Print a bundled profile\'s YAML'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from profiles" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "list" -d 'List stored policies and what they apply to (--agent: that agent\'s effective chain)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a stored policy and its bindings'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "explain" -d 'The effective policy chain of an agent: which policies decide, in which order'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Lint and validate policy files (no data directory needed)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "upsert" -d 'Create or replace a stored policy (validated first)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "bind" -d 'Bind a stored policy to an owner (owner-wide) or to one agent'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "unbind" -d 'Remove bindings of a policy'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a policy file and all its bindings'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two policy files: text diff and what got wider'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "test" -d 'Run policy test suites'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "replay" -d 'Re-evaluate the decisions in the audit log against candidate policies (what would change)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "shadow-report" -d 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "profiles" -d 'List the bundled policy profiles, or show one'
complete -c openleash -n "__fish_openleash_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -f -a "list" -d 'List bundled and data-directory scenarios'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -f -a "run" -d 'Evaluate a scenario or an action file and show the per-rule trace'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and not __fish_seen_subcommand_from list run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l action -d 'Action request JSON file (`-` for standard input) instead of a scenario' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l policy -d 'Evaluate this policy file' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l policy-id -d 'Evaluate this stored policy' -r
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l agent -d 'Evaluate the effective policy of this agent' -r
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l history -d 'Earlier ALLOW decisions to simulate for rules with `limits` (YAML/JSON list; see docs/policy.md)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from help" -f -a "list" -d 'List bundled and data-directory scenarios'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from help" -f -a "run" -d 'Evaluate a scenario or an action file and show the per-rule trace'
complete -c openleash -n "__fish_openleash_using_subcommand playground; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l action-file -d 'A complete ActionRequest JSON file (`-` for stdin); wins over the flags below' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l type -d 'action_type (required without --action-file)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l action-id -d 'action_id (default: a fresh UUID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l agent -d 'Agent asking (default: OPENLEASH_AGENT_ID, else the only active agent)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l subject -d 'subject.principal_id (default: OPENLEASH_OWNER_PRINCIPAL_ID, else the agent\'s owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l payload -d 'Payload as JSON (default {})' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l payload-file -d 'Payload from a JSON file (`-` for stdin)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l rp-domain -d 'relying_party.domain' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l rp-id -d 'relying_party.rp_id (UUID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l trust-profile -d 'relying_party.trust_profile' -r -f -a "LOW\t''
MEDIUM\t''
HIGH\t''
REGULATED\t''"
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l url -d 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l key-file -d 'The agent\'s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l approval-token -d 'Re-authorize an approved action with the approval token of its request' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l wait -d 'With --request-approval: how long to wait for the owner (exit 3 on timeout)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l justification -d 'With --request-approval: why the agent needs this, shown to the owner' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l poll-ms -d 'Poll interval while waiting (milliseconds)' -r
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l remote -d 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l request-approval -d 'On REQUIRE_APPROVAL: create an approval request, wait for the owner, re-authorize'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand authorize" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l public-key -d 'Verify with this public key, `KID=BASE64` or just `BASE64` (repeatable)' -r
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l keys-file -d 'Verify with the keys of a /v1/public-keys JSON document' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l expected-action-hash -d 'Also require this action_hash' -r
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l expected-agent-id -d 'Also require this agent_id' -r
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l url -d 'Fetch the verification keys from this server\'s /v1/public-keys (base URL)' -r
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l allow-expired -d 'Accept an expired token (for inspection; reported as expired)'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l online -d 'Let the server at --url verify the token (POST /v1/verify-proof)'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand verify" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -f -a "hash" -d 'Validate an ActionRequest and print its action_hash (or canonical JSON)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and not __fish_seen_subcommand_from hash help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -l canonical -d 'Print the RFC 8785 canonical JSON instead of the hash'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from hash" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from help" -f -a "hash" -d 'Validate an ActionRequest and print its action_hash (or canonical JSON)'
complete -c openleash -n "__fish_openleash_using_subcommand action; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "list" -d 'List agents'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "show" -d 'Show one agent (by agent_id or principal id)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "add" -d 'Register an agent (generates a keypair unless --public-key is given)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "revoke" -d 'Revoke an agent: its requests then fail with AGENT_INACTIVE'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "activate" -d 'Re-activate a revoked or pending agent'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "invite" -d 'Create a single-use invite and print the registration URL for `openleash start`'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "sign" -d 'Print the five signing headers for an HTTP request (for curl users)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and not __fish_seen_subcommand_from list show add revoke activate invite sign help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l agent-id -d 'The agent\'s chosen id (unique among active agents)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l public-key -d 'The agent\'s Ed25519 public key, base64 SPKI DER (omit to generate a keypair)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l output-env -d 'Write OPENLEASH_* lines with the generated private key to this file (mode 0600)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l webhook-url -d 'URL that receives the agent\'s approval and draft outcomes (http/https; "" = none)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l webhook-secret -d 'HMAC-SHA256 key for the X-Webhook-Signature header' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l webhook-secret-file -d 'Read the webhook secret from this file (keeps it out of shell history)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l webhook-auth-token -d 'Sent as `Authorization: Bearer <token>` with each webhook' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l webhook-auth-token-file -d 'Read the webhook bearer token from this file' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -l owner -d 'Owner the new agent will belong to (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -l ttl -d 'Seconds the invite stays valid (default: invites.ttl_seconds from config.yaml)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -l url -d 'Base URL of the server as agents reach it (default: server.public_url, else http://<bind_address>)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from invite" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l method -d 'HTTP method' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l path -d 'Request path as sent (the query string, if any, is signed too only when included here)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l body-file -d 'The exact body bytes to send (`-` for stdin); without it sha256 of {} is signed, as the SDKs do for GET' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l agent -d 'agent_id to sign as (default: OPENLEASH_AGENT_ID, else the per-user config)' -r
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l key-file -d 'File with the agent\'s private key (base64 PKCS#8; an env file with OPENLEASH_AGENT_PRIVATE_KEY_B64= works too)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l format -d 'Output style: `headers` (Name: value lines) or `curl` (-H arguments on one line)' -r -f -a "headers\t''
curl\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from sign" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "list" -d 'List agents'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one agent (by agent_id or principal id)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register an agent (generates a keypair unless --public-key is given)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke an agent: its requests then fail with AGENT_INACTIVE'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Re-activate a revoked or pending agent'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "invite" -d 'Create a single-use invite and print the registration URL for `openleash start`'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Print the five signing headers for an HTTP request (for curl users)'
complete -c openleash -n "__fish_openleash_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "list" -d 'List owners'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "show" -d 'Show one owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "add" -d 'Create an owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "set-passphrase" -d 'Set or change an owner\'s login passphrase'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "add-contact" -d 'Add a contact identity (email, phone, messenger, social media)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "add-gov-id" -d 'Add a government ID to a user owner (one per country)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "add-company-id" -d 'Add a company ID to an org owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "add-signatory" -d 'Add a person (a user owner) who may sign for an org owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "validate" -d 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and not __fish_seen_subcommand_from list show add set-passphrase add-contact add-gov-id add-company-id add-signatory validate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -l owner -d 'Owner id' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -l name -d 'Display name' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -l type -d 'A person (user) or an organization (org)' -r -f -a "user\t''
org\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -l passphrase-file -d 'Read the passphrase from this file' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -l passphrase-stdin -d 'Read the passphrase from standard input'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from set-passphrase" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l owner -d 'Owner id (same as the positional OWNER_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l type -d 'Contact type' -r -f -a "EMAIL\t''
PHONE\t''
INSTANT_MESSAGE\t''
SOCIAL_MEDIA\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l value -d 'The address, number or handle' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l label -d 'Optional label, e.g. "Work"' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l platform -d 'Platform of an INSTANT_MESSAGE or SOCIAL_MEDIA contact, e.g. SIGNAL, LINKEDIN' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l allow-invalid -d 'Store a value that fails the format check'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-contact" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l owner -d 'Owner id (same as the positional OWNER_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l country -d 'EU country code, e.g. SE' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l id-type -d 'ID type (default: the country\'s only type), e.g. PERSONNUMMER' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l value -d 'The ID number' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l allow-invalid -d 'Store a value that fails the format check (as UNVERIFIED)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-gov-id" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l owner -d 'Owner id (same as the positional OWNER_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l id-type -d 'COMPANY_REG, VAT, EORI, LEI, DUNS, GLN, ISIN, TAX_ID, CHAMBER_OF_COMMERCE, NAICS or SIC' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l country -d 'EU country code (required for COMPANY_REG)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l value -d 'The ID number' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l allow-invalid -d 'Store a value that fails the format check (as UNVERIFIED)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-company-id" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l owner -d 'Owner id (same as the positional OWNER_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l person -d 'Owner id of the person (a user owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l role -d 'CEO, BOARD_CHAIRMAN, BOARD_MEMBER, AUTHORIZED_SIGNATORY, PROCURATOR, MANAGING_DIRECTOR or OTHER' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l authority -d 'SOLE (can sign alone) or JOINT (must co-sign with another)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l scope -d 'What the signatory may sign for (optional)' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from add-signatory" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -l owner -d 'Owner id' -r
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "list" -d 'List owners'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create an owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "set-passphrase" -d 'Set or change an owner\'s login passphrase'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "add-contact" -d 'Add a contact identity (email, phone, messenger, social media)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "add-gov-id" -d 'Add a government ID to a user owner (one per country)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "add-company-id" -d 'Add a company ID to an org owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "add-signatory" -d 'Add a person (a user owner) who may sign for an org owner'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)'
complete -c openleash -n "__fish_openleash_using_subcommand owner; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "create" -d 'Create an organization (with --as, that user becomes its org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "list" -d 'List organizations (with --as: that user\'s, with their role)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "show" -d 'Show one organization'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "update" -d 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "delete" -d 'Delete an organization that owns no agents and no policies (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "member" -d 'Members and their roles'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "invite" -d 'Invitations into an organization (7 days)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "group" -d 'Policy groups: agents grouped so that policies can apply to all of them'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "leave" -d 'Leave an organization (needs --as; the last org_admin cannot)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and not __fish_seen_subcommand_from create list show update delete member invite group leave help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -l name -d 'Display name' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -l slug -d 'URL slug for /gui/orgs/{slug} (default: made from the name, unique)' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -l name -d 'New display name' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -l slug -d 'New URL slug (2-64 of a-z, 0-9 and -)' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -f -a "add" -d 'Add a member directly (local operator only; users invite instead)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -f -a "list" -d 'List the members with their roles'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -f -a "role" -d 'Set a member\'s role (org_admin; the last org_admin cannot be demoted)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -f -a "remove" -d 'Remove a member (org_admin; not the last org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from member" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -f -a "create" -d 'Invite a user with a role, valid 7 days (org_admin; needs --as)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -f -a "list" -d 'List pending invites (with --as: that user\'s); with --org, every invite of that org'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -f -a "accept" -d 'Accept an invite addressed to you (needs --as)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -f -a "decline" -d 'Decline an invite addressed to you (needs --as)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -f -a "revoke" -d 'Revoke a pending invite (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from invite" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "list" -d 'List an organization\'s policy groups with their member counts'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "create" -d 'Create a policy group (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "show" -d 'Show a group with its agents and the policies bound to it'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "update" -d 'Change a group\'s name, slug or description (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "delete" -d 'Delete a group and its memberships; refused while policies are bound to it (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "add-agent" -d 'Add one of the organization\'s agents to a group (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "remove-agent" -d 'Remove an agent from a group (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "create-policy" -d 'Create an org policy that applies to every agent of the group (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from group" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -l as -d 'Act as this user (role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from leave" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an organization (with --as, that user becomes its org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "list" -d 'List organizations (with --as: that user\'s, with their role)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one organization'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "update" -d 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete an organization that owns no agents and no policies (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "member" -d 'Members and their roles'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "invite" -d 'Invitations into an organization (7 days)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "group" -d 'Policy groups: agents grouped so that policies can apply to all of them'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "leave" -d 'Leave an organization (needs --as; the last org_admin cannot)'
complete -c openleash -n "__fish_openleash_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -f -a "list" -d 'List signing keys (--json: the /v1/public-keys shape)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -f -a "rotate" -d 'Create a new signing key and make it active; old keys keep verifying'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -f -a "revoke" -d 'Revoke a non-active key: tokens signed with it stop verifying'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and not __fish_seen_subcommand_from list rotate revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "list" -d 'List signing keys (--json: the /v1/public-keys shape)'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Create a new signing key and make it active; old keys keep verifying'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a non-active key: tokens signed with it stop verifying'
complete -c openleash -n "__fish_openleash_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "list" -d 'List events (newest last; --json prints JSON Lines)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "show" -d 'Show one event by seq or event_id'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "tail" -d 'Print the last events, optionally following new ones'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "verify" -d 'Check the hash chain and the signed head'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "export" -d 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "seal" -d 'Sign an unsigned tail after review (records AUDIT_SEALED)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "repair" -d 'Move a torn last line aside (records AUDIT_REPAIRED)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and not __fish_seen_subcommand_from list show tail verify export seal repair help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l type -d 'Only events of this type (repeatable)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l agent -d 'Only events about this agent (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l owner -d 'Only events about this owner' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Only events at or after this time (RFC 3339)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l until -d 'Only events before this time (RFC 3339)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l decision -d 'Only decisions with this result (ALLOW, DENY, ...)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l limit -d 'At most this many, the newest (0 = all)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l shadow-diff -d 'Only decisions where a shadow policy\'s result differs from the enforced one'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l type -d 'Only events of this type (repeatable)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l agent -d 'Only events about this agent (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l owner -d 'Only events about this owner' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l since -d 'Only events at or after this time (RFC 3339)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l until -d 'Only events before this time (RFC 3339)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l decision -d 'Only decisions with this result (ALLOW, DENY, ...)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -s n -l lines -d 'Number of events to print first' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l poll-ms -d 'Poll interval while following, in milliseconds' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -s f -l follow -d 'Keep printing events as they are appended'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from tail" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l format -d 'Output format' -r -f -a "ndjson\t''
ocsf\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l since -d 'Only events since this duration ago (30d, 12h) or RFC 3339 time' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l until -d 'Only events before this RFC 3339 time (or duration ago)' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l cursor -d 'Resume after the last event a previous run with this cursor file exported, and record where this run stops' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l poll-ms -d 'With --follow: how often to look for new events' -r
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l follow -d 'Keep exporting events as they are appended (until interrupted)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from seal" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from repair" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List events (newest last; --json prints JSON Lines)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one event by seq or event_id'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "tail" -d 'Print the last events, optionally following new ones'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the hash chain and the signed head'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "seal" -d 'Sign an unsigned tail after review (records AUDIT_SEALED)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "repair" -d 'Move a torn last line aside (records AUDIT_REPAIRED)'
complete -c openleash -n "__fish_openleash_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -l agent -d 'Only the limits of this agent (agent_id or agent principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -f -a "reset-index" -d 'Rebuild the limit counters from the whole audit log, after verifying it'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and not __fish_seen_subcommand_from reset-index help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from reset-index" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from help" -f -a "reset-index" -d 'Rebuild the limit counters from the whole audit log, after verifying it'
complete -c openleash -n "__fish_openleash_using_subcommand limits; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -f -a "migrate-schema" -d 'Create or upgrade the PostgreSQL schema to this version\'s (idempotent; refuses a newer schema)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -f -a "status" -d 'Whether the store answers, and its schema version'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -f -a "copy" -d 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains'
complete -c openleash -n "__fish_openleash_using_subcommand store; and not __fish_seen_subcommand_from migrate-schema status copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -l store -d 'PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash' -r
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from migrate-schema" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -l store -d 'PostgreSQL URL, e.g. postgres://openleash@db:5432/openleash' -r
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -l from -d 'Source: a data directory, or a postgres:// URL' -r
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -l to -d 'Target: an empty PostgreSQL database (postgres:// URL), or a new data directory' -r
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "migrate-schema" -d 'Create or upgrade the PostgreSQL schema to this version\'s (idempotent; refuses a newer schema)'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "status" -d 'Whether the store answers, and its schema version'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains'
complete -c openleash -n "__fish_openleash_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "list" -d 'List approval requests, newest first'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "show" -d 'Show one approval request with its action'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "approve" -d 'Approve a pending request: issues the single-use approval token'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "deny" -d 'Deny a pending request'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "request" -d 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "wait" -d 'Agent side: wait for the owner\'s answer (exit 0 approved, 1 denied/expired, 3 pending)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and not __fish_seen_subcommand_from list show approve deny request wait help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l status -d 'Only this status' -r -f -a "PENDING\t''
APPROVED\t''
DENIED\t''
EXPIRED\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l agent -d 'Only this agent (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -l reason -d 'Why (shown to the agent; optional)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from deny" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l decision-id -d 'The decision_id of the REQUIRE_APPROVAL decision' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l action-file -d 'The exact ActionRequest that was decided (`-` for stdin)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l justification -d 'Why the agent needs this, shown to the owner' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l agent -d 'The agent asking (must match principal.agent_id of the action file)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l url -d 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l key-file -d 'The agent\'s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l remote -d 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from request" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up after this many seconds (exit 3)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l poll-ms -d 'Poll interval (milliseconds)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l agent -d 'Remote mode: the agent that created the request (default: OPENLEASH_AGENT_ID, else `agent_id` of the per-user config)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l url -d 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l key-file -d 'The agent\'s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l remote -d 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "list" -d 'List approval requests, newest first'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one approval request with its action'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve a pending request: issues the single-use approval token'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "deny" -d 'Deny a pending request'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "request" -d 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Agent side: wait for the owner\'s answer (exit 0 approved, 1 denied/expired, 3 pending)'
complete -c openleash -n "__fish_openleash_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -f -a "list" -d 'List policy drafts, newest first'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -f -a "show" -d 'Show a draft: its YAML, diagnostics and the widening summary of the agent\'s rules'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -f -a "approve" -d 'Approve a pending draft: creates and binds the policy'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -f -a "deny" -d 'Deny a pending draft'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -f -a "submit" -d 'Agent side: propose a policy (validated now; an owner approves it later)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and not __fish_seen_subcommand_from list show approve deny submit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l status -d 'Only this status' -r -f -a "PENDING\t''
APPROVED\t''
DENIED\t''
EXPIRED\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l agent -d 'Only drafts of this agent (agent_id or principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -l reason -d 'Why (shown to the agent; optional)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -l totp-code -d 'Two-factor code (TOTP or backup code) when the acting user has TOTP enabled; asked for on a terminal' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from deny" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l file -d 'The policy YAML (`-` for stdin)' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l agent -d 'Submitting agent (default: OPENLEASH_AGENT_ID, else the only active agent)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l applies-to -d 'Apply to this agent of the same owner (principal id)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l name -d 'Policy name' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l description -d 'Policy description' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l justification -d 'Why the agent needs this, shown to the owner' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l url -d 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l key-file -d 'The agent\'s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l owner-wide -d 'Apply to all agents of the owner instead of the submitting agent'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l remote -d 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from submit" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from help" -f -a "list" -d 'List policy drafts, newest first'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a draft: its YAML, diagnostics and the widening summary of the agent\'s rules'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve a pending draft: creates and binds the policy'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from help" -f -a "deny" -d 'Deny a pending draft'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Agent side: propose a policy (validated now; an owner approves it later)'
complete -c openleash -n "__fish_openleash_using_subcommand draft; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -f -a "list" -d 'List notifications (oldest first)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -f -a "show" -d 'Show one notification: target, event, attempts, last error'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -f -a "retry" -d 'Queue a notification again (by id), or every dead one (--dead)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -f -a "test" -d 'Send a sample event to a channel now and print the receiver\'s answer'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -f -a "run" -d 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and not __fish_seen_subcommand_from list show retry test run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l status -d 'Only this status' -r -f -a "pending\t''
delivered\t''
dead\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -l dead -d 'Every dead letter'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from retry" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -l once -d 'One pass over what is due now, then exit'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "list" -d 'List notifications (oldest first)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one notification: target, event, attempts, last error'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Queue a notification again (by id), or every dead one (--dead)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a sample event to a channel now and print the receiver\'s answer'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "run" -d 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)'
complete -c openleash -n "__fish_openleash_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "add" -d 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "list" -d 'List the owner\'s rules by rank (--agent: only those that apply to that agent)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "show" -d 'Show one rule'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "update" -d 'Change a rule, its name, description, rank, or turn it on or off'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "delete" -d 'Delete a rule'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "apply" -d 'Apply an agent\'s rules to standard input (or --input FILE) and print the result'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and not __fish_seen_subcommand_from add list show update delete apply help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l rule -d 'The whole rule as JSON, e.g. \'{"type":"cap_output_length","max_characters":20000}\'' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l max-characters -d 'cap_output_length: keep at most this many characters' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l max-lines -d 'cap_output_length: keep at most this many lines' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l from -d 'regex_replace: the pattern (linear-time regex, as in policies)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l to -d 'regex_replace: the replacement ($&, $1, $<name> as in JavaScript)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l name -d 'A short name' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l description -d 'What the rule is for' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l agent -d 'Apply to this agent only (agent_id or principal id; default: every agent of the owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l rank -d 'Position among the owner\'s rules, lower first (default: after the last one)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l disabled -d 'Store it switched off'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -l agent -d 'Only the enabled rules that apply to this agent (agent_id or principal id), in order' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l rule -d 'The whole rule as JSON, e.g. \'{"type":"cap_output_length","max_characters":20000}\'' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l max-characters -d 'cap_output_length: keep at most this many characters' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l max-lines -d 'cap_output_length: keep at most this many lines' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l from -d 'regex_replace: the pattern (linear-time regex, as in policies)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l to -d 'regex_replace: the replacement ($&, $1, $<name> as in JavaScript)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l name -d 'A new name ("" clears it)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l description -d 'A new description ("" clears it)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l rank -d 'A new position among the owner\'s rules, lower first' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l enable -d 'Switch the rule on'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l disable -d 'Switch the rule off'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -l owner -d 'Owner id (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -l agent -d 'The agent whose rules apply (agent_id or principal id; default: the only active agent)' -r
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -l input -d 'Read the output to transform from this file instead of standard input' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the owner\'s rules by rank (--agent: only those that apply to that agent)'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one rule'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a rule, its name, description, rank, or turn it on or off'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a rule'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Apply an agent\'s rules to standard input (or --input FILE) and print the result'
complete -c openleash -n "__fish_openleash_using_subcommand transform; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -l as -d 'Act as this user (org role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -f -a "add" -d 'Mint a provisioner token (printed once, to stdout; only its hash is stored)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -f -a "list" -d 'List an owner\'s provisioners (never their tokens)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -f -a "revoke" -d 'Revoke a provisioner: its token stops working at once'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and not __fish_seen_subcommand_from add list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l name -d 'What the token is for, e.g. ci-deploy' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l owner -d 'The owner (a user, or an organization id; default: --as, else the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l ttl -d 'Valid for this many seconds (default: until revoked)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l expires-at -d 'Valid until this RFC 3339 time (default: until revoked)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l as -d 'Act as this user (org role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l owner -d 'The owner (a user, or an organization id; default: --as, else the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l as -d 'Act as this user (org role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -l owner -d 'The owner (a user, or an organization id; default: --as, else the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -l as -d 'Act as this user (org role checks apply); without it, act as the local operator' -r
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from help" -f -a "add" -d 'Mint a provisioner token (printed once, to stdout; only its hash is stored)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from help" -f -a "list" -d 'List an owner\'s provisioners (never their tokens)'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a provisioner: its token stops working at once'
complete -c openleash -n "__fish_openleash_using_subcommand provisioner; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand start" -l bind -d 'Address to listen on, host:port (default: server.bind_address from config.yaml; port 0 picks a free port)' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l threads -d 'Worker threads (default: server.threads from config.yaml; 0 = 2 x cores)' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l idle-timeout-ms -d 'Close connections idle (or stalled while sending headers) for this long' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l header-timeout-ms -d 'Answer 408 and close when a request head takes longer than this from its first byte' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l body-timeout-ms -d 'Answer 408 when a request body takes longer than this to arrive' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l max-connections -d 'Connections served at once; beyond it new connections get 503 BUSY' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l nonce-cache-size -d 'Signed requests remembered for replay protection; when full of live entries: 503 BUSY' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l max-open-files -d 'Testing: set the open-file limit instead of raising it' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l run-for-ms -d 'Testing and benchmarks: stop after this many milliseconds' -r
complete -c openleash -n "__fish_openleash_using_subcommand start" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand start" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand start" -l gui -d 'Serve the owner portal at /gui (the default, unless server.gui is false in config.yaml)'
complete -c openleash -n "__fish_openleash_using_subcommand start" -l no-gui -d 'Do not serve the owner portal (/gui answers 404)'
complete -c openleash -n "__fish_openleash_using_subcommand start" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand start" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand start" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand start" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand start" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand gc" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand gc" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand gc" -l dry-run -d 'Count what would be removed, remove nothing'
complete -c openleash -n "__fish_openleash_using_subcommand gc" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand gc" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand gc" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand gc" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand gc" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l agent -d 'Agent the tool calls are authorized for (default: OPENLEASH_AGENT_ID, else the only active agent)' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l server-name -d 'Server name in the action types `mcp.<server>.<tool>` (default: the server\'s serverInfo.name); normalised to [a-z0-9_-]' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l wait-approval -d 'On REQUIRE_APPROVAL: hold the call up to SECS for the owner\'s answer (default: answer "pending" at once; retrying the same call after approval runs it)' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l url -d 'Ask the `openleash start` server at this base URL instead of the local data directory (signed as the agent; needs --agent or OPENLEASH_AGENT_ID)' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l key-file -d 'The agent\'s private key for remote mode (base64 PKCS#8, or an env file); default OPENLEASH_AGENT_PRIVATE_KEY_B64' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l poll-ms -d 'Poll interval while waiting for an approval (milliseconds)' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l shutdown-grace -d 'Seconds the server gets to exit after its input is closed before it is killed' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l hide-denied -d 'Remove from tools/list the tools the policy denies whatever their arguments'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l accept-changes -d 'Accept changed tool definitions: re-pin them on the next tools/list'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l remote -d 'Remote mode with the URL from OPENLEASH_URL, else `url` of the per-user config'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand mcp-proxy" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -f -a "scan" -d 'Start a server, classify its tools by risk and print a suggested policy YAML'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and not __fish_seen_subcommand_from scan help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -l server-name -d 'Server name in the suggested action types (default: the server\'s serverInfo.name)' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -l timeout -d 'Give up when the server has not listed its tools within SECS' -r
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from scan" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "scan" -d 'Start a server, classify its tools by risk and print a suggested policy YAML'
complete -c openleash -n "__fish_openleash_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -l out -d 'Write them to this file instead of standard output' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -l check -d 'Check a vectors file (e.g. an SDK\'s testvectors.json) instead: exit 1 when one fails' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand testvectors" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "list" -d 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "grant" -d 'Give a user the admin role (by principal id or email)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "revoke" -d 'Take the admin role from a user (by principal id or email)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "disable-totp" -d 'Reset a user\'s TOTP (a lost device)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "setup-invite" -d 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "delete-agent" -d 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and not __fish_seen_subcommand_from list grant revoke disable-totp setup-invite delete-agent help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -l limit -d 'At most N items per page (1–1000; default 100)' -r
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -l cursor -d 'Start after this cursor (the `next page` hint of the previous page)' -r
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -l all -d 'Every item, page by page (memory stays bounded by one page)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from grant" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from disable-totp" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from setup-invite" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -s y -l yes -d 'Do not ask for confirmation'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from delete-agent" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "list" -d 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "grant" -d 'Give a user the admin role (by principal id or email)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Take the admin role from a user (by principal id or email)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "disable-totp" -d 'Reset a user\'s TOTP (a lost device)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "setup-invite" -d 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "delete-agent" -d 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})'
complete -c openleash -n "__fish_openleash_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -f -a "setup" -d 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -f -a "confirm" -d 'Enable TOTP with the first code the authenticator app shows'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -f -a "disable" -d 'Disable TOTP with a current code or a backup code'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -f -a "status" -d 'Whether TOTP is enabled and how many backup codes are left'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and not __fish_seen_subcommand_from setup confirm disable status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -l owner -d 'The user (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from setup" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -l owner -d 'The user (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -l code -d 'The current 6-digit code' -r
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from confirm" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -l owner -d 'The user (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -l code -d 'A current code or a backup code' -r
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -l owner -d 'The user (default: the only owner)' -r
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from help" -f -a "confirm" -d 'Enable TOTP with the first code the authenticator app shows'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable TOTP with a current code or a backup code'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from help" -f -a "status" -d 'Whether TOTP is enabled and how many backup codes are left'
complete -c openleash -n "__fish_openleash_using_subcommand totp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand completions" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand completions" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand completions" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand completions" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand completions" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand completions" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand man" -l out-dir -d 'Write one page per subcommand into this directory instead of printing the main page' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand man" -l data-dir -d 'Data directory' -r -F
complete -c openleash -n "__fish_openleash_using_subcommand man" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openleash -n "__fish_openleash_using_subcommand man" -l json -d 'Machine-readable JSON output (errors too, as {"error":{...}} on stdout)'
complete -c openleash -n "__fish_openleash_using_subcommand man" -s q -l quiet -d 'Print only essential output'
complete -c openleash -n "__fish_openleash_using_subcommand man" -s v -l verbose -d 'Print more detail (error causes, timings)'
complete -c openleash -n "__fish_openleash_using_subcommand man" -s h -l help -d 'Print help'
complete -c openleash -n "__fish_openleash_using_subcommand man" -s V -l version -d 'Print version'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "init" -d 'Create a data directory: config, signing key, owner, agent and a profile policy'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "wizard" -d 'Interactive setup: owner, agent, policy (with preview), demo decisions; every answer is also a flag'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "import-upstream" -d 'Bring over a data directory of the TypeScript OpenLeash (ids, keys, policies, approvals, audit log)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "policy" -d 'Manage policies: list, show, validate, upsert, bind, diff, test, profiles'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "playground" -d 'Evaluate actions against policies without side effects'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "authorize" -d 'Ask for a decision on an action (exit code = decision)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "verify" -d 'Verify a proof token (offline, or with a server\'s keys or the server itself)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "action" -d 'Work with action requests'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "agent" -d 'Manage agents'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "owner" -d 'Manage owners'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "org" -d 'Organizations: create, list, show, update, delete; members, roles, invites, leave'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "keys" -d 'Manage the server\'s signing keys'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "audit" -d 'Query and verify the tamper-evident audit log'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "limits" -d 'Spending caps and rate limits: current use, remainder and when each window frees up'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "store" -d 'The shared PostgreSQL store: schema migrations and status (docs/store.md)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "approval" -d 'Human approval: list, show, approve or deny requests; request one and wait as an agent'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "draft" -d 'Policy drafts proposed by agents: list, show (with diagnostics and diff), approve, deny, submit'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "notify" -d 'Notifications: the outbox of webhook, Slack, ntfy, email and command deliveries'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "transform" -d 'Output transformations: cap or redact what tools return before agents see it'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "provisioner" -d 'Provisioner tokens: let a CI pipeline or agent launchpad enroll agents for an owner'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "start" -d 'Serve the HTTP API for agents and SDKs'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "gc" -d 'Remove records past their `retention.*` time (never the audit log); --dry-run only counts'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "mcp-proxy" -d 'Put an MCP server on a leash: every tools/call is authorized like `openleash authorize`'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "mcp" -d 'MCP helpers: scan a server\'s tools and suggest a policy'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "testvectors" -d 'Print the deterministic cross-implementation test vectors (action hash, request signature, proof token), or check a file of them'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "admin" -d 'Instance admins (users with the system admin role): list, grant, revoke, reset TOTP, setup invites'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "totp" -d 'Two-factor authentication (TOTP) of a user: setup (QR code), confirm, disable, status'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "completions" -d 'Print shell completions'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "man" -d 'Print the man page (or write all pages to a directory)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and not __fish_seen_subcommand_from init wizard import-upstream policy playground authorize verify action agent owner org keys audit limits store approval draft notify transform provisioner start gc mcp-proxy mcp testvectors admin totp completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "list" -d 'List stored policies and what they apply to (--agent: that agent\'s effective chain)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Print a stored policy and its bindings'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "explain" -d 'The effective policy chain of an agent: which policies decide, in which order'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "validate" -d 'Lint and validate policy files (no data directory needed)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "upsert" -d 'Create or replace a stored policy (validated first)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "bind" -d 'Bind a stored policy to an owner (owner-wide) or to one agent'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "unbind" -d 'Remove bindings of a policy'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "delete" -d 'Delete a policy file and all its bindings'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "diff" -d 'Compare two policy files: text diff and what got wider'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "test" -d 'Run policy test suites'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "replay" -d 'Re-evaluate the decisions in the audit log against candidate policies (what would change)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "shadow-report" -d 'Where `mode: shadow` policies disagree with the enforced decisions (counts, examples)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "profiles" -d 'List the bundled policy profiles, or show one'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from playground" -f -a "list" -d 'List bundled and data-directory scenarios'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from playground" -f -a "run" -d 'Evaluate a scenario or an action file and show the per-rule trace'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from action" -f -a "hash" -d 'Validate an ActionRequest and print its action_hash (or canonical JSON)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "list" -d 'List agents'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "show" -d 'Show one agent (by agent_id or principal id)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "add" -d 'Register an agent (generates a keypair unless --public-key is given)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "revoke" -d 'Revoke an agent: its requests then fail with AGENT_INACTIVE'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "activate" -d 'Re-activate a revoked or pending agent'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "invite" -d 'Create a single-use invite and print the registration URL for `openleash start`'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "sign" -d 'Print the five signing headers for an HTTP request (for curl users)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "list" -d 'List owners'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "show" -d 'Show one owner'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "add" -d 'Create an owner'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "set-passphrase" -d 'Set or change an owner\'s login passphrase'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "add-contact" -d 'Add a contact identity (email, phone, messenger, social media)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "add-gov-id" -d 'Add a government ID to a user owner (one per country)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "add-company-id" -d 'Add a company ID to an org owner'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "add-signatory" -d 'Add a person (a user owner) who may sign for an org owner'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from owner" -f -a "validate" -d 'Re-check every stored identity entry and print the assurance level (exit 1 on failures)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "create" -d 'Create an organization (with --as, that user becomes its org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "list" -d 'List organizations (with --as: that user\'s, with their role)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "show" -d 'Show one organization'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "update" -d 'Rename an organization or change its slug (org_admin; old slugs keep redirecting)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "delete" -d 'Delete an organization that owns no agents and no policies (org_admin)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "member" -d 'Members and their roles'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "invite" -d 'Invitations into an organization (7 days)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "group" -d 'Policy groups: agents grouped so that policies can apply to all of them'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "leave" -d 'Leave an organization (needs --as; the last org_admin cannot)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "list" -d 'List signing keys (--json: the /v1/public-keys shape)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Create a new signing key and make it active; old keys keep verifying'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "revoke" -d 'Revoke a non-active key: tokens signed with it stop verifying'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List events (newest last; --json prints JSON Lines)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "show" -d 'Show one event by seq or event_id'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "tail" -d 'Print the last events, optionally following new ones'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the hash chain and the signed head'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "export" -d 'Export events for a SIEM: the lines as written (ndjson) or OCSF 1.3 API Activity'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "seal" -d 'Sign an unsigned tail after review (records AUDIT_SEALED)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "repair" -d 'Move a torn last line aside (records AUDIT_REPAIRED)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from limits" -f -a "reset-index" -d 'Rebuild the limit counters from the whole audit log, after verifying it'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "migrate-schema" -d 'Create or upgrade the PostgreSQL schema to this version\'s (idempotent; refuses a newer schema)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "status" -d 'Whether the store answers, and its schema version'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "copy" -d 'Copy an installation between a data directory and a PostgreSQL store, then verify both chains'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "list" -d 'List approval requests, newest first'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "show" -d 'Show one approval request with its action'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "approve" -d 'Approve a pending request: issues the single-use approval token'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "deny" -d 'Deny a pending request'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "request" -d 'Agent side: ask the owner to approve a REQUIRE_APPROVAL decision'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "wait" -d 'Agent side: wait for the owner\'s answer (exit 0 approved, 1 denied/expired, 3 pending)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from draft" -f -a "list" -d 'List policy drafts, newest first'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from draft" -f -a "show" -d 'Show a draft: its YAML, diagnostics and the widening summary of the agent\'s rules'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from draft" -f -a "approve" -d 'Approve a pending draft: creates and binds the policy'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from draft" -f -a "deny" -d 'Deny a pending draft'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from draft" -f -a "submit" -d 'Agent side: propose a policy (validated now; an owner approves it later)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "list" -d 'List notifications (oldest first)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "show" -d 'Show one notification: target, event, attempts, last error'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "retry" -d 'Queue a notification again (by id), or every dead one (--dead)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "test" -d 'Send a sample event to a channel now and print the receiver\'s answer'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "run" -d 'Deliver pending notifications (for setups without `openleash start`, e.g. from cron)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from transform" -f -a "add" -d 'Add a rule: --max-characters/--max-lines (cap_output_length) or --from/--to (regex_replace)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from transform" -f -a "list" -d 'List the owner\'s rules by rank (--agent: only those that apply to that agent)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from transform" -f -a "show" -d 'Show one rule'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from transform" -f -a "update" -d 'Change a rule, its name, description, rank, or turn it on or off'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from transform" -f -a "delete" -d 'Delete a rule'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from transform" -f -a "apply" -d 'Apply an agent\'s rules to standard input (or --input FILE) and print the result'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from provisioner" -f -a "add" -d 'Mint a provisioner token (printed once, to stdout; only its hash is stored)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from provisioner" -f -a "list" -d 'List an owner\'s provisioners (never their tokens)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from provisioner" -f -a "revoke" -d 'Revoke a provisioner: its token stops working at once'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "scan" -d 'Start a server, classify its tools by risk and print a suggested policy YAML'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "list" -d 'Users with their system roles, oldest first (paged: --limit/--cursor/--all)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "grant" -d 'Give a user the admin role (by principal id or email)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "revoke" -d 'Take the admin role from a user (by principal id or email)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "disable-totp" -d 'Reset a user\'s TOTP (a lost device)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "setup-invite" -d 'A single-use setup invite (24 h) for the user to set a passphrase (POST /v1/owner/setup)'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "delete-agent" -d 'Delete an agent (by agent_id or principal id): its record and key go, it leaves its policy groups, policies bound to it alone are deleted (DELETE /v1/admin/agents/{id})'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from totp" -f -a "setup" -d 'Start enrolment: prints the otpauth:// URI, a QR code (on a terminal) and 10 backup codes'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from totp" -f -a "confirm" -d 'Enable TOTP with the first code the authenticator app shows'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from totp" -f -a "disable" -d 'Disable TOTP with a current code or a backup code'
complete -c openleash -n "__fish_openleash_using_subcommand help; and __fish_seen_subcommand_from totp" -f -a "status" -d 'Whether TOTP is enabled and how many backup codes are left'
