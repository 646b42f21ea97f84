//! The policy language (SPEC §5) and its evaluation (SPEC §6).
//!
//! A policy file goes through [`check_policy`] once: the YAML is parsed into a spanned tree, every
//! field is validated by hand so that *all* problems are reported with positions, and the result
//! is a [`CompiledPolicy`] whose regexes and paths are ready to run. [`evaluate`] then runs any
//! number of actions against one or more layers without touching the source again.
//!
//! Library code here never prints: callers render [`Diagnostic`]s with the functions of
//! [`diag`] and evaluations with their own output.

pub mod blind;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod jsonpath;
pub mod limits;
pub mod model;
pub mod replay;
pub mod resolve;
pub mod rx;
pub mod suite;
pub mod transform;
mod validate;

pub use diag::{Diagnostic, Severity};
pub use engine::{DecisionResult, Evaluation, Obligation, RuleTrace, evaluate, evaluate_with};
pub use model::{
    ActionPattern, AssuranceLevel, CompiledPolicy, Constraints, DefaultEffect, Effect, Expr, Match,
    MatchOp, ObligationSpec, ObligationType, ProofSpec, Requirements, Rule,
};
pub use resolve::{EffectivePolicy, Layer, compile_file, resolve_for_agent};
pub use validate::{Checked, check_policy};

/// Largest policy file accepted. Policies are hand-written; a bigger file is a mistake or an
/// attack, and refusing it up front keeps parsing time and memory bounded.
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;

/// Deepest nesting of `all`/`any`/`not` accepted (documented in docs/diagnostics.md, OL-E031).
/// Evaluation recurses once per level, so the limit also bounds stack use.
pub const MAX_EXPR_DEPTH: usize = 32;

/// At most this many diagnostics are kept per file; a garbage file would otherwise produce one
/// per line.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Reads a policy source but never more than one byte past [`MAX_POLICY_BYTES`], so a huge or
/// endless input costs bounded memory; [`check_policy`] then reports the oversize (OL-E004).
pub fn read_limited(input: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    input
        .take(MAX_POLICY_BYTES as u64 + 1)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// [`read_limited`] on a file.
pub fn read_policy_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    read_limited(std::fs::File::open(path)?)
}
