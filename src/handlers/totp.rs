//! Two-factor authentication with TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps, ±1 step of
//! clock skew) and one-time backup codes (SPEC §17).
//!
//! A user's second factor lives in `totp/<user_id>.json` (mode 0600), apart from the owner file,
//! so that recording a used step or a failed attempt never rewrites the owner record. It holds the
//! secret, whether enrolment was confirmed, the SHA-256 of each unused backup code, the last step
//! a code was accepted for (Δ: a code is usable once per user, and so is every earlier step) and
//! the times of recent failed attempts (throttling that works across CLI processes and the server
//! alike, because it is on disk under the writer lock).
//!
//! [`gate`] is the one check every gated operation calls (approve/deny of approval requests and
//! policy drafts, policy changes, agent revocation): CLI, HTTP and portal therefore agree.

use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::store::owners::{Owner, OwnerType};
use crate::store::{DataDir, Txn};
use crate::timefmt;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Seconds per TOTP step.
pub const STEP_SECONDS: u64 = 30;
/// Accepted clock skew, in steps either side.
pub const SKEW_STEPS: u64 = 1;
/// Backup codes handed out at setup (Δ: upstream gives 8).
pub const BACKUP_CODES: usize = 10;
/// Failed attempts allowed per user within [`FAILURE_WINDOW_SECONDS`].
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
const ISSUER: &str = "openleash";
/// Backup codes are drawn from this alphabet (no 0/1/8/9: nothing to confuse with letters).
const BACKUP_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
const BACKUP_LEN: usize = 10;

/// The stored second factor of one user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TotpState {
    pub secret_b32: String,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_at: Option<String>,
    #[serde(default)]
    pub backup_codes_hash: Vec<String>,
    /// The newest step a code was accepted for; codes of this step or earlier are refused.
    #[serde(default)]
    pub last_used_step: u64,
    /// RFC 3339 times of failed attempts still inside the throttling window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// RFC 4226 / RFC 6238

/// The HOTP value (RFC 4226 §5.3) of `key` at `counter`, truncated to `digits` digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> Result<u32> {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key)
        .map_err(|e| Error::internal(format!("HMAC key: {e}")))?;
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = (u32::from(h[offset] & 0x7f) << 24)
        | (u32::from(h[offset + 1]) << 16)
        | (u32::from(h[offset + 2]) << 8)
        | u32::from(h[offset + 3]);
    Ok(bin % 10u32.pow(digits))
}

/// The 6-digit code of `key` for `step`, zero-padded.
pub fn code_at(key: &[u8], step: u64) -> Result<String> {
    Ok(format!("{:06}", hotp(key, step, 6)?))
}

/// The TOTP step of a Unix time.
pub fn step_of(unix_seconds: i64) -> u64 {
    u64::try_from(unix_seconds).unwrap_or(0) / STEP_SECONDS
}

fn now_step() -> u64 {
    step_of(timefmt::now().unix_timestamp())
}

pub fn decode_secret(b32: &str) -> Result<Vec<u8>> {
    let cleaned: String = b32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .collect::<String>()
        .to_ascii_uppercase();
    data_encoding::BASE32_NOPAD
        .decode(cleaned.as_bytes())
        .map_err(|e| Error::new(ErrorCode::DataCorrupt, format!("TOTP secret: {e}")))
}

/// The step within ±[`SKEW_STEPS`] of `now` whose code is `code`, if any.
pub fn matching_step(key: &[u8], code: &str, now: u64) -> Result<Option<u64>> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let mut found = None;
    // Every candidate is computed and compared in constant time, so timing does not tell which
    // step matched.
    for step in now.saturating_sub(SKEW_STEPS)..=now.saturating_add(SKEW_STEPS) {
        if crate::crypto::ct_eq(code_at(key, step)?.as_bytes(), code.as_bytes()) {
            found = Some(step);
        }
    }
    Ok(found)
}

/// `otpauth://totp/openleash:<account>?secret=…&issuer=openleash&algorithm=SHA1&digits=6&period=30`
/// (the Key Uri Format authenticator apps read).
pub fn otpauth_uri(secret_b32: &str, account: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret_b32}&issuer={issuer}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
        issuer = enc(ISSUER),
        account = enc(account),
    )
}

/// The QR code of `text` as a standalone SVG (no scripts, no external references), for the
/// portal and the `qr_svg` field of the setup response.
pub fn qr_svg(text: &str) -> Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| Error::internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The QR code of `text` drawn with Unicode half blocks, for a terminal.
pub fn qr_terminal(text: &str) -> Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| Error::internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Light)
        .light_color(qrcode::render::unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

fn normalise_backup(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn backup_hash(code: &str) -> String {
    crate::crypto::sha256_hex(normalise_backup(code).as_bytes())
}

fn new_backup_codes() -> (Vec<String>, Vec<String>) {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..BACKUP_CODES)
        .map(|_| {
            (0..BACKUP_LEN)
                .map(|_| BACKUP_ALPHABET[rng.gen_range(0..BACKUP_ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    let hashes = codes.iter().map(|c| backup_hash(c)).collect();
    (codes, hashes)
}

// ---------------------------------------------------------------------------------------------
// Storage

fn path(dd: &DataDir, user_id: &str) -> Result<PathBuf> {
    crate::ids::check_uuid("user id", user_id)?;
    Ok(dd
        .root()
        .join("totp")
        .join(format!("{}.json", user_id.to_ascii_lowercase())))
}

/// The stored state of `user_id` (None when the user never started a setup).
pub fn load(dd: &DataDir, user_id: &str) -> Result<Option<TotpState>> {
    dd.read_json(&path(dd, user_id)?)
}

/// Whether `user_id` has a confirmed second factor.
pub fn is_enabled(dd: &DataDir, user_id: &str) -> Result<bool> {
    Ok(load(dd, user_id)?.is_some_and(|s| s.enabled))
}

fn stage(dd: &DataDir, txn: &mut Txn, user_id: &str, s: &TotpState) -> Result<()> {
    let p = path(dd, user_id)?;
    if let Some(dir) = p.parent() {
        // Data directories made before TOTP existed have no `totp/`.
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    txn.write_mode(
        &p,
        crate::store::to_json_pretty(s)?,
        crate::store::SECRET_MODE,
    );
    Ok(())
}

fn save(dd: &DataDir, user_id: &str, s: &TotpState) -> Result<()> {
    let mut txn = Txn::default();
    stage(dd, &mut txn, user_id, s)?;
    txn.commit()
}

fn user(dd: &DataDir, user_id: &str) -> Result<Owner> {
    let o = dd.owner(user_id)?;
    if o.owner_type != OwnerType::User {
        return Err(Error::new(
            ErrorCode::WrongOwnerType,
            format!(
                "owner {} is an organization; two-factor authentication belongs to users",
                o.owner_id
            ),
        ));
    }
    Ok(o)
}

// ---------------------------------------------------------------------------------------------
// Checking a code

fn too_many(secs: i64) -> Error {
    let secs = secs.max(1);
    Error::new(
        ErrorCode::TooManyAttempts,
        format!("Too many wrong two-factor codes; try again in {secs} s"),
    )
    .with_details(json!({ "retry_after_seconds": secs }))
    .with_hint("wait, then enter the current code from your authenticator app or a backup code")
}

/// Drops failures that left the window; `TOO_MANY_ATTEMPTS` when the rest reach the limit.
fn check_throttle(s: &mut TotpState, now: time::OffsetDateTime) -> Result<()> {
    s.failures.retain(|t| {
        timefmt::parse(t).is_some_and(|t| (now - t).whole_seconds() < FAILURE_WINDOW_SECONDS)
    });
    if s.failures.len() >= MAX_FAILURES {
        let oldest = s
            .failures
            .iter()
            .filter_map(|t| timefmt::parse(t))
            .min()
            .unwrap_or(now);
        return Err(too_many(
            FAILURE_WINDOW_SECONDS - (now - oldest).whole_seconds(),
        ));
    }
    Ok(())
}

/// How a code was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    Totp,
    Backup { remaining: usize },
}

/// Checks `code` (a TOTP code, or a backup code when `allow_backup`) against `s` at `now_step`
/// and updates `s`: the accepted step, the consumed backup code, or one more failure. The caller
/// writes `s` back in every case (a failure must count even though the operation fails).
fn check_code(
    s: &mut TotpState,
    code: &str,
    now_step: u64,
    allow_backup: bool,
) -> Result<Option<Accepted>> {
    let key = decode_secret(&s.secret_b32)?;
    if let Some(step) = matching_step(&key, code, now_step)? {
        if step > s.last_used_step {
            s.last_used_step = step;
            return Ok(Some(Accepted::Totp));
        }
        // A replayed code counts as a failure like any other wrong code.
    } else if allow_backup {
        let h = backup_hash(code);
        if let Some(i) = s
            .backup_codes_hash
            .iter()
            .position(|x| crate::crypto::ct_eq(x.as_bytes(), h.as_bytes()))
        {
            s.backup_codes_hash.remove(i);
            return Ok(Some(Accepted::Backup {
                remaining: s.backup_codes_hash.len(),
            }));
        }
    }
    s.failures.push(timefmt::now_string());
    Ok(None)
}

fn invalid_totp() -> Error {
    Error::new(ErrorCode::InvalidTotp, "Invalid two-factor authentication code").with_hint(
        "enter the current 6-digit code from your authenticator app (each code works once) or an unused backup code",
    )
}

fn totp_required(user_id: &str) -> Error {
    Error::new(
        ErrorCode::TotpRequired,
        "Two-factor authentication code is required",
    )
    .with_details(json!({"user_principal_id": user_id}))
    .with_hint("send `totp_code` (CLI: --totp-code) with the current code from your authenticator app or a backup code")
}

fn setup_required(user_id: &str) -> Error {
    Error::new(
        ErrorCode::TotpRequired,
        "Two-factor authentication setup is required (security.require_totp is on)",
    )
    .with_details(json!({"user_principal_id": user_id, "setup_required": true}))
    .with_hint("enrol first: POST /v1/owner/totp/setup then /confirm, `openleash totp setup`, or the portal's profile page")
}

/// The second-factor check of every gated operation, for the user `user_id` acting:
/// - `security.require_totp` and no confirmed TOTP → `TOTP_REQUIRED` (setup required);
/// - TOTP enabled and no code → `TOTP_REQUIRED`;
/// - a wrong, replayed or stale code → `INVALID_TOTP` (the failure is recorded);
/// - too many recent failures → `TOO_MANY_ATTEMPTS`.
///
/// An accepted code is consumed (its step, or the backup code) under the writer lock before the
/// operation runs. `user_id` of an organization (a CLI action on an org's record, where no user is
/// known) has no second factor: allowed unless `require_totp`.
pub fn gate(dd: &DataDir, config: &Config, user_id: &str, code: Option<&str>) -> Result<()> {
    let is_user = dd
        .owner(user_id)
        .map(|o| o.owner_type == OwnerType::User)
        .unwrap_or(false);
    if !is_user {
        // Organizations have no second factor: the member acting for one is gated instead
        // (`handlers::org_resources`), and the local operator acting on an org's records is not a user.
        return Ok(());
    }
    let state = load(dd, user_id)?;
    let enabled = state.as_ref().is_some_and(|s| s.enabled);
    if !enabled {
        if config.security.require_totp {
            return Err(setup_required(user_id));
        }
        return Ok(());
    }
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Err(totp_required(user_id));
    };
    let lock = dd.lock()?;
    let Some(mut s) = load(dd, user_id)?.filter(|s| s.enabled) else {
        // Disabled meanwhile (admin reset): nothing left to check.
        return if config.security.require_totp {
            Err(setup_required(user_id))
        } else {
            Ok(())
        };
    };
    let now = timefmt::now();
    check_throttle(&mut s, now)?;
    let accepted = check_code(&mut s, code, now_step(), true)?;
    save(dd, user_id, &s)?;
    match accepted {
        None => Err(invalid_totp()),
        Some(Accepted::Totp) => Ok(()),
        Some(Accepted::Backup { remaining }) => {
            dd.append_audit_locked(
                &lock,
                vec![
                    NewEvent::new(
                        "USER_TOTP_BACKUP_USED",
                        json!({"user_principal_id": user_id, "remaining_codes": remaining}),
                    )
                    .principal(user_id),
                ],
            )?;
            Ok(())
        }
    }
}

/// Whether an operation by `user_id` will ask for a code (the CLI prompts for one on a TTY).
pub fn code_needed(dd: &DataDir, user_id: &str) -> bool {
    is_enabled(dd, user_id).unwrap_or(false)
}

// ---------------------------------------------------------------------------------------------
// Enrolment

/// `POST /v1/owner/totp/setup`: a fresh secret and backup codes, stored unconfirmed. Δ: refused
/// while TOTP is enabled (upstream silently replaces a working second factor, which would let a
/// stolen session remove it); disable it first.
pub fn setup(dd: &DataDir, user_id: &str) -> Result<Value> {
    let owner = user(dd, user_id)?;
    let _lock = dd.lock()?;
    if load(dd, user_id)?.is_some_and(|s| s.enabled) {
        return Err(Error::new(
            ErrorCode::TotpAlreadyEnabled,
            "Two-factor authentication is already enabled",
        )
        .with_hint(
            "disable it first (POST /v1/owner/totp/disable with a code) to enrol a new device",
        ));
    }
    let secret = data_encoding::BASE32_NOPAD.encode(&crate::crypto::random_bytes::<20>());
    let (codes, hashes) = new_backup_codes();
    let state = TotpState {
        secret_b32: secret.clone(),
        enabled: false,
        enabled_at: None,
        backup_codes_hash: hashes,
        last_used_step: 0,
        failures: Vec::new(),
    };
    save(dd, user_id, &state)?;
    let uri = otpauth_uri(&secret, &owner.display_name);
    Ok(json!({
        "secret": secret,
        "uri": uri,
        "qr_svg": qr_svg(&uri)?,
        "backup_codes": codes,
    }))
}

/// `POST /v1/owner/totp/confirm` with `code`: enables TOTP once the app shows the right code.
pub fn confirm(dd: &DataDir, user_id: &str, code: &str) -> Result<Value> {
    user(dd, user_id)?;
    let lock = dd.lock()?;
    let Some(mut s) = load(dd, user_id)? else {
        return Err(not_setup());
    };
    if s.enabled {
        return Err(Error::new(
            ErrorCode::TotpAlreadyEnabled,
            "Two-factor authentication is already enabled",
        ));
    }
    let now = timefmt::now();
    check_throttle(&mut s, now)?;
    let accepted = check_code(&mut s, code, now_step(), false)?;
    if accepted.is_none() {
        save(dd, user_id, &s)?;
        return Err(invalid_totp());
    }
    s.enabled = true;
    s.enabled_at = Some(timefmt::format(now));
    s.failures.clear();
    let mut txn = Txn::default();
    stage(dd, &mut txn, user_id, &s)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new("USER_TOTP_ENABLED", json!({"user_principal_id": user_id}))
                .principal(user_id),
        ],
    )?;
    Ok(json!({"status": "totp_enabled"}))
}

fn not_setup() -> Error {
    Error::new(ErrorCode::TotpNotSetup, "TOTP setup has not been initiated")
        .with_hint("start with POST /v1/owner/totp/setup or `openleash totp setup`")
}

fn not_enabled() -> Error {
    Error::new(ErrorCode::TotpNotEnabled, "TOTP is not enabled")
}

fn remove_locked(
    dd: &DataDir,
    lock: &crate::store::WriteLock,
    user_id: &str,
    by_admin: Option<Option<&str>>,
) -> Result<()> {
    let mut txn = Txn::default();
    txn.remove(&path(dd, user_id)?);
    txn.commit()?;
    let mut meta = json!({"user_principal_id": user_id});
    let mut ev_principal = user_id.to_string();
    if let Some(admin) = by_admin {
        meta["disabled_by"] = json!("admin");
        ev_principal = admin.unwrap_or(user_id).to_string();
    }
    dd.append_audit_locked(
        lock,
        vec![NewEvent::new("USER_TOTP_DISABLED", meta).principal(&ev_principal)],
    )?;
    Ok(())
}

/// `POST /v1/owner/totp/disable` with `code` (a TOTP or backup code).
pub fn disable(dd: &DataDir, user_id: &str, code: &str) -> Result<Value> {
    user(dd, user_id)?;
    let lock = dd.lock()?;
    let Some(mut s) = load(dd, user_id)?.filter(|s| s.enabled) else {
        return Err(not_enabled());
    };
    check_throttle(&mut s, timefmt::now())?;
    if check_code(&mut s, code, now_step(), true)?.is_none() {
        save(dd, user_id, &s)?;
        return Err(invalid_totp());
    }
    remove_locked(dd, &lock, user_id, None)?;
    Ok(json!({"status": "totp_disabled"}))
}

/// `POST /v1/admin/users/{id}/disable-totp` / `openleash admin disable-totp`: the reset for a lost
/// device. `by` is the admin user, when known.
pub fn admin_disable(dd: &DataDir, user_id: &str, by: Option<&str>) -> Result<Value> {
    crate::ids::check_uuid("user id", user_id)?;
    dd.owner(user_id).map_err(|e| {
        if e.code == ErrorCode::OwnerNotFound {
            Error::new(ErrorCode::NotFound, "User not found")
        } else {
            e
        }
    })?;
    let lock = dd.lock()?;
    if !load(dd, user_id)?.is_some_and(|s| s.enabled) {
        return Err(Error::new(
            ErrorCode::TotpNotEnabled,
            "TOTP is not enabled for this user",
        )
        .with_details(json!({"user_principal_id": user_id})));
    }
    remove_locked(dd, &lock, user_id, Some(by))?;
    Ok(json!({"user_principal_id": user_id, "status": "totp_disabled"}))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 (the 20-byte ASCII key), truncated to 6 digits (the RFC's
    /// 8-digit values modulo 10^6).
    #[test]
    fn rfc6238_test_vectors() {
        let key = b"12345678901234567890";
        for (t, eight) in [
            (59i64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let step = step_of(t);
            assert_eq!(
                format!("{:08}", hotp(key, step, 8).unwrap()),
                eight,
                "T={t}"
            );
            assert_eq!(code_at(key, step).unwrap(), eight[2..], "T={t}");
        }
    }

    /// RFC 4226 Appendix D.
    #[test]
    fn rfc4226_hotp_vectors() {
        let key = b"12345678901234567890";
        let want = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(hotp(key, c as u64, 6).unwrap(), *w);
        }
    }

    #[test]
    fn skew_of_one_step_is_accepted_two_is_not() {
        let key = b"12345678901234567890";
        let now = 1_000_000;
        for (delta, ok) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
            let step = (now as i64 + delta) as u64;
            let code = code_at(key, step).unwrap();
            let got = matching_step(key, &code, now).unwrap();
            // A code of another step may collide by chance (1 in 10^6); these do not.
            assert_eq!(got.is_some(), ok, "delta {delta}");
        }
        for bad in ["", "12345", "1234567", "abcdef", "12 456"] {
            assert_eq!(matching_step(key, bad, now).unwrap(), None, "{bad:?}");
        }
    }

    fn state() -> (TotpState, Vec<u8>, Vec<String>) {
        let key = b"12345678901234567890".to_vec();
        let (codes, hashes) = new_backup_codes();
        let s = TotpState {
            secret_b32: data_encoding::BASE32_NOPAD.encode(&key),
            enabled: true,
            backup_codes_hash: hashes,
            ..TotpState::default()
        };
        (s, key, codes)
    }

    #[test]
    fn a_code_is_accepted_once_and_earlier_steps_never_again() {
        let (mut s, key, _) = state();
        let now = 5_000_000;
        let code = code_at(&key, now).unwrap();
        assert_eq!(
            check_code(&mut s, &code, now, true).unwrap(),
            Some(Accepted::Totp)
        );
        assert_eq!(s.last_used_step, now);
        // The same code again (replay) and the previous step's code are refused.
        assert_eq!(check_code(&mut s, &code, now, true).unwrap(), None);
        let prev = code_at(&key, now - 1).unwrap();
        assert_eq!(check_code(&mut s, &prev, now, true).unwrap(), None);
        assert_eq!(s.failures.len(), 2);
        // The next step's code still works.
        let next = code_at(&key, now + 1).unwrap();
        assert_eq!(
            check_code(&mut s, &next, now + 1, true).unwrap(),
            Some(Accepted::Totp)
        );
    }

    #[test]
    fn backup_codes_work_once_each_and_only_where_allowed() {
        let (mut s, _, codes) = state();
        assert_eq!(codes.len(), BACKUP_CODES);
        assert!(codes.iter().all(|c| c.len() == BACKUP_LEN));
        // Not during confirmation.
        assert_eq!(check_code(&mut s, &codes[0], 1, false).unwrap(), None);
        // Case and separators do not matter.
        let spaced = format!("{}-{}", &codes[0][..5], codes[0][5..].to_uppercase());
        assert_eq!(
            check_code(&mut s, &spaced, 1, true).unwrap(),
            Some(Accepted::Backup { remaining: 9 })
        );
        assert_eq!(check_code(&mut s, &codes[0], 1, true).unwrap(), None);
        assert!(!s.backup_codes_hash.contains(&backup_hash(&codes[0])));
    }

    #[test]
    fn failures_are_throttled() {
        let (mut s, _, _) = state();
        let now = timefmt::now();
        for _ in 0..MAX_FAILURES {
            check_throttle(&mut s, now).unwrap();
            assert_eq!(check_code(&mut s, "000000", 1, true).unwrap(), None);
        }
        let e = check_throttle(&mut s, now).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyAttempts);
        // They leave the window.
        let later = timefmt::plus_seconds(now, FAILURE_WINDOW_SECONDS + 1);
        check_throttle(&mut s, later).unwrap();
        assert!(s.failures.is_empty());
    }

    #[test]
    fn uri_and_qr() {
        let uri = otpauth_uri("JBSWY3DPEHPK3PXP", "Alice Doe/ä");
        assert_eq!(
            uri,
            "otpauth://totp/openleash:Alice%20Doe%2F%C3%A4?secret=JBSWY3DPEHPK3PXP&issuer=openleash&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && !svg.contains("<script"));
        assert!(!qr_terminal(&uri).unwrap().is_empty());
        assert_eq!(
            decode_secret("jbsw y3dp ehpk 3pxp").unwrap(),
            b"Hello!\xde\xad\xbe\xef"
        );
    }
}
