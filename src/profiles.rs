//! The bundled policy profiles (`policies/profiles/*.yaml`), embedded in the binary.

use crate::cli::Profile;

pub const CONSERVATIVE: &str = include_str!("../policies/profiles/conservative.yaml");
pub const BALANCED: &str = include_str!("../policies/profiles/balanced.yaml");
pub const AUTONOMOUS: &str = include_str!("../policies/profiles/autonomous.yaml");
/// Not generated from [`ProfileVars`]: a policy for an agent runtime's tools, not for purchases.
pub const OPENCLAW: &str = include_str!("../policies/profiles/openclaw.yaml");

pub fn yaml(profile: Profile) -> &'static str {
    match profile {
        Profile::Conservative => CONSERVATIVE,
        Profile::Balanced => BALANCED,
        Profile::Autonomous => AUTONOMOUS,
        Profile::Openclaw => OPENCLAW,
    }
}

/// Name, maximum purchase without approval, one-line summary.
pub const ALL: &[(Profile, u64, &str)] = &[
    (
        Profile::Conservative,
        10_000,
        "Strict limits, minimal autonomy",
    ),
    (
        Profile::Balanced,
        50_000,
        "Moderate limits, step-up for sensitive actions",
    ),
    (
        Profile::Autonomous,
        200_000,
        "High limits, step-up for high-assurance only",
    ),
    (
        Profile::Openclaw,
        0,
        "OpenClaw agents: file reads and web search; shell, browser and messages need approval",
    ),
];

/// Whether `profile` is upstream's generator's output (the others are written by hand).
pub fn generated(profile: Profile) -> bool {
    profile != Profile::Openclaw
}

/// The variables of upstream's profile generator (upstream-cli §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileVars {
    pub purchase_max: u64,
    pub purchase_approval_above: u64,
    pub allow_hairdresser: bool,
    pub allow_healthcare: bool,
    pub require_stepup_healthcare: bool,
    pub allow_government: bool,
    pub require_stepup_government: bool,
    pub allowed_comm_domains: Vec<String>,
}

impl ProfileVars {
    /// The variables behind a bundled profile.
    pub fn of(profile: Profile) -> ProfileVars {
        let max = ALL
            .iter()
            .find(|(p, _, _)| *p == profile)
            .map_or(50_000, |(_, m, _)| *m);
        let generous = profile != Profile::Conservative;
        ProfileVars {
            purchase_max: max,
            purchase_approval_above: max,
            allow_hairdresser: generous,
            allow_healthcare: generous,
            require_stepup_healthcare: generous,
            allow_government: generous,
            require_stepup_government: generous,
            allowed_comm_domains: Vec::new(),
        }
    }

    /// CUSTOM's defaults: BALANCED except that government submissions are denied.
    pub fn custom_defaults() -> ProfileVars {
        ProfileVars {
            allow_government: false,
            ..ProfileVars::of(Profile::Balanced)
        }
    }

    /// Sets both amounts, as upstream's "Adjust max purchase amount" does.
    pub fn with_purchase_max(mut self, max: u64) -> ProfileVars {
        self.purchase_max = max;
        self.purchase_approval_above = max;
        self
    }
}

/// Splits a comma-separated domain list (trimmed, empties dropped) and checks each is a plain
/// host name, which also guarantees it needs no YAML quoting.
pub fn parse_domains(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for d in raw.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        let d = d.to_ascii_lowercase();
        let labels_ok = d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        let tld_alpha = d
            .rsplit('.')
            .next()
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()));
        if !labels_ok || !d.contains('.') || !tld_alpha {
            return Err(format!(
                "{d:?} is not a domain name like example.com (comma-separate several)"
            ));
        }
        out.push(d);
    }
    Ok(out)
}

/// Generates the policy YAML of upstream's generator (upstream-cli §4.2) byte for byte: the
/// bundled profiles are exactly its output for their variables (tested).
pub fn generate(v: &ProfileVars) -> String {
    let mut y = String::from("version: 1\ndefault: deny\nrules:\n");
    let mut rule = |id: &str, effect: &str, action: &str, description: &str, body: &str| {
        y.push_str(&format!(
            "  - id: {id}\n    effect: {effect}\n    action: {action}\n    description: {description}\n{body}"
        ));
    };
    if v.purchase_max > 0 {
        rule(
            "purchase_small_allow",
            "allow",
            "purchase",
            &format!("Allow purchases up to {} minor units", v.purchase_max),
            &format!(
                "    constraints:\n      amount_max: {}\n    proof:\n      required: true\n",
                v.purchase_max
            ),
        );
    }
    rule(
        "purchase_large_approval",
        "allow",
        "purchase",
        &format!(
            "Require approval for purchases above {}",
            v.purchase_approval_above
        ),
        &format!(
            "    constraints:\n      amount_min: {}\n    obligations:\n      - type: HUMAN_APPROVAL\n        params:\n          reason: Large purchase\n",
            v.purchase_approval_above + 1
        ),
    );
    let category = |c: &str| {
        format!(
            "    when:\n      match:\n        path: $.payload.category\n        op: eq\n        value: {c}\n"
        )
    };
    if v.allow_hairdresser {
        rule(
            "appointment_hairdresser_allow",
            "allow",
            "appointment.book",
            "Allow hairdresser bookings",
            &category("hairdresser"),
        );
    }
    if v.allow_healthcare {
        let mut body = category("healthcare");
        if v.require_stepup_healthcare {
            body.push_str("    requirements:\n      min_assurance_level: SUBSTANTIAL\n");
        }
        rule(
            "appointment_healthcare",
            "allow",
            "appointment.book",
            "Healthcare appointments",
            &body,
        );
    }
    if v.allow_government {
        let mut body = String::new();
        if v.require_stepup_government {
            body.push_str("    requirements:\n      min_assurance_level: HIGH\n");
        }
        body.push_str("    proof:\n      required: true\n");
        rule(
            "government_submit",
            "allow",
            "government.*",
            "Government submissions",
            &body,
        );
    } else {
        rule(
            "government_deny",
            "deny",
            "government.*",
            "Deny all government submissions",
            "",
        );
    }
    if !v.allowed_comm_domains.is_empty() {
        let items: String = v
            .allowed_comm_domains
            .iter()
            .map(|d| format!("        - {d}\n"))
            .collect();
        rule(
            "communication_allowed",
            "allow",
            "communication.*",
            "Allow communication to allowlisted domains",
            &format!("    constraints:\n      allowed_domains:\n{items}"),
        );
    }
    rule(
        "communication_deny",
        "deny",
        "communication.*",
        "Deny communication to non-allowlisted domains",
        "",
    );
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_reproduces_the_bundled_profiles() {
        for (p, _, _) in ALL.iter().filter(|(p, _, _)| generated(*p)) {
            assert_eq!(generate(&ProfileVars::of(*p)), yaml(*p), "{}", p.name());
        }
    }

    /// The openclaw profile decides as docs/openclaw.md says: file reads and web search allowed,
    /// shell, browser and outbound messages held for approval, everything else denied.
    #[test]
    fn openclaw_profile_decides_as_documented() {
        use crate::policy::DecisionResult::{Allow, Deny, RequireApproval};
        let checked = crate::policy::check_policy("openclaw.yaml", OPENCLAW.as_bytes());
        assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
        let policy = checked.policy.unwrap();
        for (action, expected) in [
            ("openclaw.read", Allow),
            ("openclaw.web_search", Allow),
            ("openclaw.exec", RequireApproval),
            ("openclaw.browser", RequireApproval),
            ("openclaw.message", RequireApproval),
            ("openclaw.write", Deny),
            ("openclaw.web_fetch", Deny),
            ("purchase", Deny),
            ("mcp.fs.read_file", Deny),
        ] {
            let a = serde_json::json!({"action_type": action, "principal": {"agent_id": "claw"}, "payload": {}});
            let eval = crate::policy::evaluate(&[&policy], &a);
            assert_eq!(eval.result, expected, "{action}");
        }
    }

    #[test]
    fn custom_policies_validate() {
        let cases = [
            ProfileVars::custom_defaults(),
            ProfileVars::custom_defaults().with_purchase_max(0),
            ProfileVars {
                allowed_comm_domains: vec!["example.com".into(), "mail.example.org".into()],
                allow_hairdresser: false,
                require_stepup_government: false,
                allow_government: true,
                ..ProfileVars::of(Profile::Conservative)
            },
        ];
        for v in cases {
            let text = generate(&v);
            let checked = crate::policy::check_policy("generated.yaml", text.as_bytes());
            assert_eq!(checked.errors(), 0, "{text}");
        }
        let zero = generate(&ProfileVars::custom_defaults().with_purchase_max(0));
        assert!(!zero.contains("purchase_small_allow"));
        assert!(zero.contains("amount_min: 1\n"));
    }

    #[test]
    fn domains() {
        assert_eq!(
            parse_domains(" Example.com, ,mail.example.org "),
            Ok(vec!["example.com".into(), "mail.example.org".into()])
        );
        assert_eq!(parse_domains(""), Ok(vec![]));
        for bad in [
            "localhost",
            "1.5",
            "a b.com",
            "x.com: y",
            "-a.com",
            "*.example.com",
        ] {
            assert!(parse_domains(bad).is_err(), "{bad}");
        }
    }
}
