//! The bundled policy profiles (`policies/profiles/*.yaml`), embedded in the binary.

use crate::cli::Profile;

pub const CONSERVATIVE: &str = include_str!("../policies/profiles/conservative.yaml");
pub const BALANCED: &str = include_str!("../policies/profiles/balanced.yaml");
pub const AUTONOMOUS: &str = include_str!("../policies/profiles/autonomous.yaml");

pub fn yaml(profile: Profile) -> &'static str {
    match profile {
        Profile::Conservative => CONSERVATIVE,
        Profile::Balanced => BALANCED,
        Profile::Autonomous => AUTONOMOUS,
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
];
