//! The portal's two-factor pages (SPEC §15, §17): TOTP enrolment on the profile page (a QR code
//! rendered on the server as SVG and shown as a `data:` image, so no script and no external
//! asset), confirmation, disabling, and the code field every gated form carries.

use super::layout::{self, csrf, page, page_head, when};
use super::{Ctx, Form, Reply};
use crate::error::{ErrorCode, Result};
use crate::handlers::totp;
use maud::{Markup, html};

/// The code field of a gated form (approve/deny, revoke): shown when the user has TOTP, or when
/// `security.require_totp` is on (the handler then explains that enrolment is needed).
pub fn code_field(cx: &Ctx<'_>, id: &str) -> Markup {
    let enabled = totp::is_enabled(cx.dd(), &cx.owner.owner_id).unwrap_or(false);
    html! {
        @if enabled {
            div.field {
                label for=(id) { "Two-factor code" }
                input id=(id) name="totp_code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="32" placeholder="123456";
                div.help { "From your authenticator app, or a backup code." }
            }
        } @else if cx.config.security.require_totp {
            p.small.muted { "This server requires two-factor authentication: " a href="/gui/profile#totp" { "set it up on your profile" } " first." }
        }
    }
}

/// Whether an error of a gated operation is about the second factor (shown on the page it came
/// from rather than as an error page).
pub fn is_second_factor_error(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::TotpRequired | ErrorCode::InvalidTotp | ErrorCode::TooManyAttempts
    )
}

/// The card on the profile page.
pub fn totp_card(cx: &Ctx<'_>) -> Markup {
    let state = totp::load(cx.dd(), &cx.owner.owner_id)
        .ok()
        .flatten()
        .filter(|s| s.enabled);
    html! {
        section.card #totp {
            h2 { "Two-factor authentication" }
            @if let Some(s) = &state {
                p { "On" @if let Some(at) = &s.enabled_at { " since " (when(at, cx.now)) } ". Approvals, denials, policy changes and agent revocation ask for a code. "
                    (s.backup_codes_hash.len()) " backup codes left." }
                form method="post" action="/gui/profile/totp/disable" data-confirm="Turn off two-factor authentication?" {
                    (csrf(cx))
                    div.field {
                        label for="disable_code" { "Current code or a backup code" }
                        input #disable_code name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="32";
                    }
                    button.btn.danger type="submit" { "Turn off" }
                }
            } @else {
                p { "Off. With an authenticator app (TOTP), approving or denying a request, changing a policy and revoking an agent need a 6-digit code as well as your session." }
                @if cx.config.security.require_totp { (layout::notice("bad", "This server requires it: set it up to approve or change anything.")) }
                form method="post" action="/gui/profile/totp/setup" {
                    (csrf(cx))
                    button.btn.primary type="submit" { "Set up two-factor authentication" }
                }
            }
        }
    }
}

/// `POST /gui/profile/totp/setup`: a new secret, its QR code and the backup codes, shown once
/// (a POST answer: never cached, never re-displayed), with the confirmation form.
pub fn setup(cx: &Ctx<'_>) -> Result<Reply> {
    let v = totp::setup(cx.dd(), &cx.owner.owner_id)?;
    let svg = v["qr_svg"].as_str().unwrap_or_default();
    let img = format!(
        "data:image/svg+xml;base64,{}",
        crate::crypto::b64(svg.as_bytes())
    );
    let secret = v["secret"].as_str().unwrap_or_default();
    let codes: Vec<&str> = v["backup_codes"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
        .unwrap_or_default();
    let body = html! {
        (page_head(Some(("Profile", "/gui/profile")), "Set up two-factor authentication", Some(html! { "Scan the code with your authenticator app, then enter the code it shows." }), None))
        div.cols {
            section.card {
                h2 { "1. Scan" }
                img.qr src=(img) width="200" height="200" alt="QR code of the otpauth:// link for your authenticator app";
                p.small { "Cannot scan? Enter this key by hand: " code.mono { (secret) } }
            }
            section.card {
                h2 { "2. Keep your backup codes" }
                p.small { "Each works once instead of a code, e.g. when your phone is lost. They are shown only now." }
                ul.mono { @for c in &codes { li { (c) } } }
            }
            section.card {
                h2 { "3. Confirm" }
                form method="post" action="/gui/profile/totp/confirm" {
                    (csrf(cx))
                    div.field {
                        label for="confirm_code" { "Code from the app" }
                        input #confirm_code name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" pattern="[0-9]{6}";
                    }
                    button.btn.primary type="submit" { "Turn on" }
                }
            }
        }
    };
    Ok(Reply::html(
        200,
        page(cx, "Two-factor authentication", "profile", false, body),
    ))
}

fn back_to_profile(cx: &Ctx<'_>, e: crate::error::Error) -> Result<Reply> {
    let msg = match e.code {
        ErrorCode::InvalidTotp => {
            "That code did not match; nothing changed. Check the app's clock and try again (for a new enrolment, start the setup again).".to_string()
        }
        _ => e.message.clone(),
    };
    super::pages::profile(cx, Some((e.http_status(), msg)))
}

/// `POST /gui/profile/totp/confirm` with `code`.
pub fn confirm(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let code = form.text("code").unwrap_or_default();
    match totp::confirm(cx.dd(), &cx.owner.owner_id, &code) {
        Ok(_) => Ok(Reply::redirect("/gui/profile?done=totp_enabled#totp")),
        Err(e) if e.http_status() < 500 => back_to_profile(cx, e),
        Err(e) => Err(e),
    }
}

/// `POST /gui/profile/totp/disable` with `code`.
pub fn disable(cx: &Ctx<'_>, form: &Form) -> Result<Reply> {
    let code = form.text("code").unwrap_or_default();
    match totp::disable(cx.dd(), &cx.owner.owner_id, &code) {
        Ok(_) => Ok(Reply::redirect("/gui/profile?done=totp_disabled#totp")),
        Err(e) if e.http_status() < 500 => back_to_profile(cx, e),
        Err(e) => Err(e),
    }
}
