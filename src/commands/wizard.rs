//! `openleash wizard`: the interactive setup of upstream-cli §3.2 with our changes: every answer is
//! also a flag; nothing is written until every question is answered and the generated policy was
//! previewed (Ctrl-C at any prompt leaves the data directory untouched); the writes go through the
//! same setup handler as `init`; the three demo decisions are real, audited decisions of the
//! authorize handler, and an ALLOW's proof token is verified.

use super::{Ctx, prompt};
use crate::action::ValidatedAction;
use crate::cli::{AdminTokenArg, OwnerTypeArg, ProfileChoice, WizardArgs};
use crate::crypto::{ed25519, passphrase};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::authorize::{AuthorizeResponse, authorize};
use crate::handlers::setup::{self, Created, SetupPlan};
use crate::policy::engine::DecisionResult;
use crate::profiles::{ProfileVars, parse_domains};
use crate::store::DataDir;
use crate::store::owners::Owner;
use serde_json::{Value, json};

const PROFILES: [(ProfileChoice, &str); 5] = [
    (
        ProfileChoice::Conservative,
        "CONSERVATIVE - Strict limits, minimal autonomy",
    ),
    (
        ProfileChoice::Balanced,
        "BALANCED - Moderate limits, step-up for sensitive actions",
    ),
    (
        ProfileChoice::Autonomous,
        "AUTONOMOUS - High limits, step-up for high-assurance only",
    ),
    (
        ProfileChoice::Custom,
        "CUSTOM - Configure each rule manually",
    ),
    (
        ProfileChoice::Openclaw,
        "OPENCLAW - For OpenClaw agents: reads and web search; shell, browser, messages need approval",
    ),
];

/// One answer: the flag's value, else a prompt on a terminal, else the default.
fn ask_or<T>(
    given: Option<T>,
    ask: bool,
    default: T,
    prompt: impl FnOnce(T) -> Result<T>,
) -> Result<T> {
    match given {
        Some(v) => Ok(v),
        None if ask => prompt(default),
        None => Ok(default),
    }
}

fn parse_amount(s: &str) -> std::result::Result<u64, String> {
    s.replace('_', "").parse::<u64>().map_err(|_| {
        format!("{s:?} is not an amount: enter a whole number of minor units (cents), e.g. 5000")
    })
}

pub fn run(a: WizardArgs, ctx: &Ctx) -> Result<u8> {
    let ask = prompt::enabled(ctx);
    let out = &ctx.out;
    let target = ctx.data_dir.clone();
    let existing = DataDir::open(&target).ok();
    if existing.is_none() && setup::dir_has_entries(&target) {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!(
                "{} exists, is not empty and is not an openleash data directory",
                target.display()
            ),
        )
        .with_hint("choose another --data-dir"));
    }
    if !ask && !a.yes {
        let mut missing = Vec::new();
        if a.owner_name.is_none() && a.owner_id.is_none() {
            missing.push("--owner-name or --owner-id");
        }
        if a.agent_id.is_none() {
            missing.push("--agent-id");
        }
        if a.policy_profile.is_none() {
            missing.push("--policy-profile");
        }
        if !missing.is_empty() {
            return Err(prompt::missing(&missing));
        }
    }
    let custom_flags = [
        a.allow_hairdresser,
        a.allow_healthcare,
        a.stepup_healthcare,
        a.allow_government,
        a.stepup_government,
    ];
    if a.policy_profile.is_some_and(|p| p != ProfileChoice::Custom)
        && custom_flags.iter().any(Option::is_some)
    {
        return Err(Error::new(
            ErrorCode::Usage,
            "--allow-*/--stepup-* answer the CUSTOM profile's questions",
        )
        .with_hint("pass --policy-profile custom, or drop those flags"));
    }
    if a.policy_profile == Some(ProfileChoice::Openclaw)
        && (a.purchase_max.is_some() || a.comm_domains.is_some())
    {
        return Err(Error::new(
            ErrorCode::Usage,
            "the openclaw profile has no purchase or communication rules to adjust",
        )
        .with_hint("drop --purchase-max/--comm-domains, or choose another profile"));
    }
    if ask {
        out.line(out.bold("=== openleash setup wizard ==="));
        out.line(out.dim(&format!(
            "Data directory: {} ({}). Nothing is written until you confirm at the end.",
            target.display(),
            if existing.is_some() {
                "existing"
            } else {
                "new"
            }
        )));
    }

    // 1. Owner
    let owner_type = a.owner_type.unwrap_or(OwnerTypeArg::User).into();
    let (owner, new_owner) = match (&a.owner_id, &a.owner_name) {
        (Some(id), _) => {
            let Some(dd) = &existing else {
                return Err(Error::new(
                    ErrorCode::OwnerNotFound,
                    format!(
                        "no owner with id {id}: {} is not initialised yet",
                        target.display()
                    ),
                )
                .with_hint("drop --owner-id to create a new owner"));
            };
            (dd.owner(id)?, false)
        }
        (None, Some(name)) => (Owner::new(owner_type, name.trim()), true),
        (None, None) if ask => {
            let owners = match &existing {
                Some(dd) => dd.owners()?,
                None => Vec::new(),
            };
            let mut items = vec!["Create new owner".to_string()];
            items.extend(
                owners
                    .iter()
                    .map(|o| format!("Use existing: {} ({})", o.display_name, o.owner_id)),
            );
            let choice = if owners.is_empty() {
                0
            } else {
                prompt::select("Create new owner or use existing?", &items, 0)?
            };
            match choice.checked_sub(1).and_then(|i| owners.get(i)) {
                Some(o) => (o.clone(), false),
                None => {
                    let name = prompt::text_until("Display name", Some("My Owner"), |s| {
                        if s.is_empty() {
                            Err("the name must not be empty".into())
                        } else {
                            Ok(s.to_string())
                        }
                    })?;
                    (Owner::new(owner_type, &name), true)
                }
            }
        }
        (None, None) => (Owner::new(owner_type, "My Owner"), true),
    };
    if owner.display_name.is_empty() {
        return Err(
            Error::new(ErrorCode::ValidationError, "the owner name is empty")
                .with_hint("pass --owner-name \"Jane Doe\""),
        );
    }

    // 2. Agent
    let import = match (&a.public_key, &a.agent_id) {
        (Some(_), _) => true,
        (None, None) if ask => {
            let items = [
                "Generate new keypair".to_string(),
                "Import existing public key".to_string(),
            ];
            prompt::select(
                "Generate a new agent keypair or import an existing public key?",
                &items,
                0,
            )? == 1
        }
        _ => false,
    };
    let check_agent = |id: &str| -> std::result::Result<String, String> {
        crate::ids::check_agent_id(id).map_err(|e| e.message.clone())?;
        if let Some(dd) = &existing
            && dd.agent(id).is_ok_and(|ag| ag.is_active())
        {
            return Err(format!(
                "agent_id {id:?} is taken by an active agent; choose another"
            ));
        }
        Ok(id.to_string())
    };
    let agent_id = match &a.agent_id {
        Some(id) => check_agent(id).map_err(|m| {
            let code = if m.contains("taken") {
                ErrorCode::AgentIdTaken
            } else {
                ErrorCode::InvalidId
            };
            Error::new(code, m)
        })?,
        None if ask => {
            prompt::text_until("Agent ID", (!import).then_some("my-agent"), check_agent)?
        }
        None => check_agent("my-agent").map_err(|m| Error::new(ErrorCode::AgentIdTaken, m))?,
    };
    let (public_key_b64, private_key_b64) = match &a.public_key {
        Some(pk) => (
            ed25519::public_key_b64(&ed25519::parse_public_key(pk)?),
            None,
        ),
        None if import => {
            let key = prompt::text_until("Public key base64 (SPKI DER)", None, |s| {
                ed25519::parse_public_key(s).map_err(|e| e.message.clone())
            })?;
            (ed25519::public_key_b64(&key), None)
        }
        None => {
            let sk = ed25519::generate();
            (
                ed25519::public_key_b64(&sk.verifying_key()),
                Some(ed25519::private_key_b64(&sk)),
            )
        }
    };

    // 3. Policy profile and its questions
    let choice = ask_or(a.policy_profile, ask, ProfileChoice::Balanced, |_| {
        let items: Vec<String> = PROFILES.iter().map(|p| p.1.to_string()).collect();
        Ok(PROFILES[prompt::select("Choose policy profile", &items, 1)?].0)
    })?;
    let mut vars = match choice {
        ProfileChoice::Conservative => ProfileVars::of(crate::cli::Profile::Conservative),
        ProfileChoice::Balanced => ProfileVars::of(crate::cli::Profile::Balanced),
        ProfileChoice::Autonomous => ProfileVars::of(crate::cli::Profile::Autonomous),
        ProfileChoice::Custom => ProfileVars::custom_defaults(),
        // Not generated: its questions do not apply (skipped below).
        ProfileChoice::Openclaw => ProfileVars::custom_defaults(),
    };
    let openclaw = choice == ProfileChoice::Openclaw;
    let max_prompt = if choice == ProfileChoice::Custom {
        "Max purchase amount (minor units) without approval".to_string()
    } else {
        // The prompt shows the default itself, as `(50000)`.
        "Adjust max purchase amount".to_string()
    };
    let max = ask_or(a.purchase_max, ask && !openclaw, vars.purchase_max, |d| {
        prompt::text_until(&max_prompt, Some(&d.to_string()), parse_amount)
    })?;
    vars = vars.with_purchase_max(max);
    if choice == ProfileChoice::Custom {
        let yes_no = |given: Option<bool>, q: &str, d: bool| {
            ask_or(given, ask, d, |d| prompt::confirm(q, d))
        };
        vars.allow_hairdresser = yes_no(
            a.allow_hairdresser,
            "Allow hairdresser booking?",
            vars.allow_hairdresser,
        )?;
        vars.allow_healthcare = yes_no(
            a.allow_healthcare,
            "Allow healthcare appointments?",
            vars.allow_healthcare,
        )?;
        // A step-up question only matters when the rule exists.
        if vars.allow_healthcare {
            vars.require_stepup_healthcare = yes_no(
                a.stepup_healthcare,
                "Require step-up auth for healthcare?",
                vars.require_stepup_healthcare,
            )?;
        }
        vars.allow_government = yes_no(
            a.allow_government,
            "Allow government submissions?",
            vars.allow_government,
        )?;
        if vars.allow_government {
            vars.require_stepup_government = yes_no(
                a.stepup_government,
                "Require step-up auth for government?",
                vars.require_stepup_government,
            )?;
        }
    }
    vars.allowed_comm_domains = match &a.comm_domains {
        Some(raw) => parse_domains(raw).map_err(|m| Error::new(ErrorCode::ValidationError, m))?,
        None if ask && choice != ProfileChoice::Conservative && !openclaw => prompt::text_until(
            "Allowed communication domains (comma-separated, empty for none)",
            None,
            parse_domains,
        )?,
        None => Vec::new(),
    };

    // 4. Owner passphrase (new owners only: the wizard never changes an existing login)
    let secret = super::read_secret(a.passphrase_file.as_deref(), a.passphrase_stdin)?;
    if secret.is_some() && !new_owner {
        return Err(Error::new(
            ErrorCode::Usage,
            "the passphrase flags apply to a new owner only",
        )
        .with_hint("change an existing owner's passphrase with `openleash owner set-passphrase`"));
    }
    let secret = match secret {
        Some(s) => Some(s),
        None if ask
            && new_owner
            && prompt::confirm("Set a login passphrase for the owner now?", false)? =>
        {
            Some(prompt::password("Passphrase")?)
        }
        None => None,
    };
    if let Some(p) = &secret {
        passphrase::check_strength(p)?;
    }

    // 5. Admin token
    let token_set = match &existing {
        Some(dd) => !dd.config()?.admin.token.is_empty(),
        None => false,
    };
    let admin = if token_set {
        AdminTokenArg::None
    } else {
        ask_or(a.admin_token, ask, AdminTokenArg::None, |_| {
            let items = [
                "localhost only: no admin token".to_string(),
                "localhost or token: generate an admin token into config.yaml".to_string(),
            ];
            Ok(if prompt::select("Admin API access", &items, 0)? == 1 {
                AdminTokenArg::Generate
            } else {
                AdminTokenArg::None
            })
        })?
    };
    let admin_token = (admin == AdminTokenArg::Generate).then(setup::new_admin_token);

    // 6. Env file
    let output_env = match &a.output_env {
        Some(p) => Some(p.clone()),
        None if ask => {
            let p = prompt::text(
                "Write the agent's environment to this file (empty: print it)",
                None,
                true,
            )?;
            (!p.trim().is_empty()).then(|| std::path::PathBuf::from(p.trim()))
        }
        None => None,
    };

    // 7. Preview, then write
    let policy_yaml = if openclaw {
        crate::profiles::OPENCLAW.to_string()
    } else {
        crate::profiles::generate(&vars)
    };
    let checked = crate::policy::check_policy("generated policy", policy_yaml.as_bytes());
    if checked.policy.is_none() {
        return Err(Error::internal(format!(
            "the generated policy does not validate:\n{policy_yaml}"
        )));
    }
    let profile_label = format!("{choice:?}").to_uppercase();
    if !out.json {
        out.line("");
        out.line(out.bold(&format!("Policy preview ({profile_label})")));
        for l in policy_yaml.lines() {
            out.line(format!("  {l}"));
        }
        out.line("");
    }
    if ask
        && !a.yes
        && !prompt::confirm(&format!("Write this setup to {}?", target.display()), true)?
    {
        return Err(Error::new(
            ErrorCode::Cancelled,
            "cancelled; nothing was written",
        ));
    }
    let mut owner = owner;
    if let Some(s) = &secret {
        owner.set_passphrase(s)?;
    }
    let plan = SetupPlan {
        owner,
        new_owner,
        agent_id,
        public_key_b64,
        policy_yaml,
        policy_name: format!("{} profile", profile_label.to_lowercase()),
        policy_description: "Created by `openleash wizard`".into(),
        profile: profile_label,
        bind_to_agent: !new_owner,
        admin_token,
    };
    let created = match &existing {
        Some(dd) => setup::add_to_existing(dd, &plan)?,
        None => setup::create_new(&target, &plan)?,
    };
    finish(
        ctx,
        &plan,
        &created,
        private_key_b64.as_deref(),
        output_env.as_deref(),
    )
}

/// The largest purchase the policy allows without a human: the `amount_max` of its first plain
/// allow rule for `purchase` (none: the upstream demo's 5000).
fn purchase_cap(policy_yaml: &str) -> Option<u64> {
    let checked = crate::policy::check_policy("policy", policy_yaml.as_bytes());
    checked.policy?.rules.iter().find_map(|r| {
        let plain = r.effect == crate::policy::Effect::Allow
            && r.obligations.is_empty()
            && r.action.matches("purchase");
        let max = r.constraints.as_ref()?.amount_max?;
        (plain && max >= 1.0).then_some(max as u64)
    })
}

/// The demo amounts for a policy: a small purchase under its cap and a large one well above.
fn demo_amounts(policy_yaml: &str) -> (u64, u64) {
    match purchase_cap(policy_yaml) {
        Some(cap) => (
            (cap / 2).clamp(1, 5000),
            cap.saturating_mul(10).max(500_000),
        ),
        None => (5000, 500_000),
    }
}

/// The three demo actions of upstream's wizard (upstream-cli §3.2 notes), with amounts that fit
/// the policy (`--purchase-max 2500` must not make the "small" purchase large).
fn demo_actions(agent_id: &str, owner_id: &str, policy_yaml: &str) -> [(String, Value); 3] {
    let (small, large) = demo_amounts(policy_yaml);
    let base = |action_type: &str, domain: &str, payload: Value| {
        json!({
            "action_id": crate::ids::new_id(),
            "action_type": action_type,
            "requested_at": crate::timefmt::now_string(),
            "principal": { "agent_id": agent_id },
            "subject": { "principal_id": owner_id },
            "relying_party": { "domain": domain, "trust_profile": "LOW" },
            "payload": payload,
        })
    };
    [
        (
            format!("small purchase ({small} USD minor units)"),
            base(
                "purchase",
                "amazon.com",
                json!({"amount_minor": small, "currency": "USD", "merchant_domain": "amazon.com"}),
            ),
        ),
        (
            format!("large purchase ({large} USD minor units)"),
            base(
                "purchase",
                "amazon.com",
                json!({"amount_minor": large, "currency": "USD", "merchant_domain": "amazon.com"}),
            ),
        ),
        (
            "message to an unknown domain".to_string(),
            base(
                "communication.send",
                "unknown.example",
                json!({"domain": "unknown.example", "channel": "email"}),
            ),
        ),
    ]
}

/// Runs one demo decision through the authorize handler; an ALLOW's proof token is verified
/// offline with the data directory's keys. Returns the response and the verification result.
fn demo(
    dd: &DataDir,
    created: &Created,
    action: Value,
) -> Result<(AuthorizeResponse, Option<crate::tokens::VerifyResult>)> {
    let config = dd.config()?;
    let action = ValidatedAction::from_value(action)?;
    let r = authorize(dd, &config, &created.agent, &action)?;
    let verified = match &r.proof_token {
        Some(t) => Some(crate::tokens::verify_proof(
            t,
            &dd.verification_keys()?,
            crate::timefmt::now(),
            &crate::tokens::VerifyOptions {
                expected_action_hash: Some(&r.action_hash),
                expected_agent_id: Some(&created.agent.agent_id),
                allow_expired: false,
            },
        )),
        None => None,
    };
    Ok((r, verified))
}

fn finish(
    ctx: &Ctx,
    plan: &SetupPlan,
    created: &Created,
    private_key_b64: Option<&str>,
    output_env: Option<&std::path::Path>,
) -> Result<u8> {
    let out = &ctx.out;
    let dd = DataDir::open(&ctx.data_dir)?;
    if let Some(p) = output_env {
        crate::store::write_atomic_mode(
            p,
            super::env_lines_opt(
                &created.agent.agent_id,
                private_key_b64,
                &created.owner.owner_id,
            )
            .as_bytes(),
            0o600,
        )?;
    }
    // Like `init`: inside a git work tree, the data directory and the key file stay out of commits.
    if let Some(added) = crate::store::gitignore::protect(
        &std::env::current_dir().unwrap_or_default(),
        &ctx.data_dir,
        output_env,
    )? {
        out.note(format!(
            "Added {} to {} (this is a git work tree; the env file holds a private key)",
            added.join(" and "),
            crate::store::gitignore::FILE
        ));
    }
    let mut demos = Vec::new();
    for (label, action) in demo_actions(
        &created.agent.agent_id,
        &created.owner.owner_id,
        &plan.policy_yaml,
    ) {
        let (r, verified) = demo(&dd, created, action)?;
        demos.push((label, r, verified));
    }
    if out.json {
        out.json_value(&json!({
            "data_dir": ctx.data_dir.display().to_string(),
            "owner": super::identity::full_json(&created.owner),
            "new_owner": plan.new_owner,
            "agent": created.agent.public_json(),
            "agent_private_key_b64": if output_env.is_none() { private_key_b64 } else { None },
            "policy_id": created.policy_id,
            "policy_profile": plan.profile,
            "policy_binding": if plan.bind_to_agent { "agent" } else { "owner-wide" },
            "admin_token_generated": plan.admin_token.is_some(),
            "env_file": output_env.map(|p| p.display().to_string()),
            "demo": demos.iter().map(|(label, r, v)| json!({
                "label": label,
                "response": r,
                "proof_verified": v.as_ref().map(|v| v.valid),
            })).collect::<Vec<_>>(),
        }));
        return Ok(0);
    }
    let owner_verb = if plan.new_owner { "created" } else { "using" };
    out.line(format!(
        "  Owner {owner_verb}: {} ({})",
        created.owner.display_name, created.owner.owner_id
    ));
    out.line(format!(
        "  Agent created: {} ({})",
        created.agent.agent_id, created.agent.agent_principal_id
    ));
    out.line(format!(
        "  Policy created: {} (profile: {}, bound {})",
        created.policy_id,
        plan.profile,
        if plan.bind_to_agent {
            "to this agent"
        } else {
            "owner-wide"
        }
    ));
    if plan.admin_token.is_some() {
        out.line("  Admin token generated and saved to config.yaml (admin.token)");
    }
    out.line("");
    out.line(out.bold("=== Demo decisions (recorded in the audit log) ==="));
    for (label, r, verified) in &demos {
        let result = r.result.as_str();
        let result = match r.result {
            DecisionResult::Allow => out.green(result),
            DecisionResult::Deny => out.red(result),
            _ => out.yellow(result),
        };
        out.line(format!("  {label}: {result}"));
        out.line(format!(
            "    rule:   {}",
            r.matched_rule_id.as_deref().unwrap_or("(none)")
        ));
        out.line(format!("    reason: {}", r.reason));
        if !r.obligations.is_empty() {
            let types: Vec<&str> = r
                .obligations
                .iter()
                .map(|o| o.obligation_type.as_str())
                .collect();
            out.line(format!("    obligations: {}", types.join(", ")));
        }
        match verified {
            Some(v) if v.valid => out.line(format!(
                "    proof token issued and verified ({})",
                out.green("valid")
            )),
            Some(v) => out.line(format!(
                "    proof token issued but did not verify: {}",
                v.reason.as_deref().unwrap_or("unknown")
            )),
            None => {}
        }
    }
    out.line("");
    match (output_env, private_key_b64) {
        (Some(p), _) => out.line(format!(
            "Agent environment written to {} (mode 0600)",
            p.display()
        )),
        (None, Some(_)) => {
            out.line("Agent environment (the private key is shown only now; keep it secret):");
            out.data(
                super::env_lines_opt(
                    &created.agent.agent_id,
                    private_key_b64,
                    &created.owner.owner_id,
                )
                .trim_end(),
            );
        }
        (None, None) => {
            out.line("Agent environment (the agent signs with the private key of the imported public key):");
            out.data(
                super::env_lines_opt(&created.agent.agent_id, None, &created.owner.owner_id)
                    .trim_end(),
            );
        }
    }
    let dir = ctx.data_dir.display();
    out.note("");
    out.note(out.bold("Next steps"));
    out.note(format!(
        "  Start the server:        openleash --data-dir {dir} start"
    ));
    out.note(format!(
        "  Authorize from a shell:  openleash --data-dir {dir} authorize --agent {} --type purchase --payload '{{\"amount_minor\":5000,\"currency\":\"USD\"}}'",
        created.agent.agent_id
    ));
    out.note(format!(
        "  Review the policy:       openleash --data-dir {dir} policy show {}",
        created.policy_id
    ));
    out.note(format!(
        "  Validate in CI:          openleash policy validate {dir}/policies/"
    ));
    out.note(format!(
        "  Audit trail:             openleash --data-dir {dir} audit list"
    ));
    Ok(0)
}
