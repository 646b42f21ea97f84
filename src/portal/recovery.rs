//! The pages a user reaches without a session to get back in: "Forgot your passphrase?"
//! (`/gui/recover`, which emails a link) and the page that link opens (`/gui/setup`, which also
//! completes an admin's setup invite). Both call the handlers the API uses
//! (`handlers::recovery`, `handlers::users::complete_setup`).

use super::pages::{check_form_token, form_token, pre_login_card, with_form_token};
use super::{Form, Reply, Request, layout};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::server::state::AppState;
use maud::{Markup, html};

const MIN: usize = crate::crypto::passphrase::MIN_LENGTH;

/// A pre-login page with the way back to the login form under it.
fn card(title: &str, intro: &str, notice: Option<Markup>, body: Markup) -> Markup {
    pre_login_card(
        title,
        intro,
        html! { @if let Some(n) = notice { (n) } },
        body,
        html! { a href="/gui/login" { "Back to log in" } },
    )
}

fn recover_markup(token: &str, email: &str, notice: Option<Markup>, sent: bool) -> Markup {
    card(
        "Forgot your passphrase?",
        "Enter the email address on your account. If it is there, we send a link that sets a new passphrase.",
        notice,
        html! {
            @if !sent {
                form method="post" action="/gui/recover" {
                    input type="hidden" name="login_csrf" value=(token);
                    div.field {
                        label for="email" { "Email address" }
                        input #email type="email" name="email" value=(email) required autocomplete="email" autocapitalize="none" spellcheck="false" autofocus;
                    }
                    button.btn.primary type="submit" { "Send the link" }
                }
            }
        },
    )
}

/// `GET /gui/recover`.
pub fn recover_page(r: &Request<'_>, secure: bool) -> Reply {
    let token = form_token(r);
    with_form_token(
        Reply::html(200, recover_markup(&token, "", None, false)),
        &token,
        secure,
    )
}

/// `POST /gui/recover`: the same page says the same thing whether or not the address matched.
pub fn recover_submit(
    state: &AppState,
    r: &Request<'_>,
    config: &Config,
    secure: bool,
) -> Result<Reply> {
    let form = Form::parse(r.body);
    check_form_token(r, &form, "recovery")?;
    let token = form_token(r);
    let email = form.text("email").unwrap_or_default();
    let reply = |status: u16, notice: Markup, sent: bool| {
        with_form_token(
            Reply::html(status, recover_markup(&token, &email, Some(notice), sent)),
            &token,
            secure,
        )
    };
    match crate::handlers::recovery::request(
        &state.dd,
        config,
        &state.public_url(),
        &state.recovery_throttle,
        r.peer.map(|p| p.ip()),
        &email,
    ) {
        Ok(out) => {
            if let Some(note) = &out.operator_note {
                crate::server::log::log_line(note);
            }
            Ok(reply(
                200,
                layout::notice(
                    "ok",
                    "If an account has that address, a link is on its way. It works once, for 24 hours. Check your spam folder if nothing arrives within a few minutes.",
                ),
                true,
            ))
        }
        Err(e) if e.code == ErrorCode::InvalidBody => Ok(reply(
            400,
            layout::notice(
                "bad",
                "That is not an email address. Enter it like name@example.com.",
            ),
            false,
        )),
        Err(e) if e.code == ErrorCode::TooManyAttempts => {
            let secs = e
                .details
                .as_ref()
                .and_then(|d| d["retry_after_seconds"].as_u64())
                .unwrap_or(60);
            let wait = crate::handlers::summary::duration_words(secs as i64)
                .unwrap_or_else(|| "a while".into());
            Ok(reply(
                429,
                layout::notice(
                    "bad",
                    &format!("Too many requests for links. Wait {wait} before asking again."),
                ),
                false,
            )
            .with_header("Retry-After", secs.to_string()))
        }
        Err(e) => Err(e),
    }
}

fn setup_markup(
    token: &str,
    invite_id: &str,
    invite_token: &str,
    who: Option<&str>,
    notice: Option<Markup>,
) -> Markup {
    let intro = match who {
        Some(name) => format!(
            "Choose a new passphrase for {name}. It needs at least {MIN} characters; a few unusual words work well."
        ),
        None => "This link does not work any more.".to_string(),
    };
    card(
        "Set your passphrase",
        &intro,
        notice,
        html! {
            @if who.is_some() {
                form method="post" action="/gui/setup" {
                    input type="hidden" name="login_csrf" value=(token);
                    input type="hidden" name="invite_id" value=(invite_id);
                    input type="hidden" name="invite_token" value=(invite_token);
                    div.field {
                        label for="passphrase" { "New passphrase" }
                        input #passphrase type="password" name="passphrase" required minlength=(MIN) autocomplete="new-password" autofocus;
                    }
                    div.field {
                        label for="confirm" { "The same again" }
                        input #confirm type="password" name="confirm" required minlength=(MIN) autocomplete="new-password";
                    }
                    button.btn.primary type="submit" { "Set passphrase" }
                }
            } @else {
                p { a.btn href="/gui/recover" { "Ask for a new link" } }
            }
        },
    )
}

/// Why an invite cannot be used, in words for the page.
fn invite_problem(e: &Error) -> Option<&'static str> {
    Some(match e.code {
        ErrorCode::InviteUsed => {
            "This link has already been used. Ask for a new one if you still need it."
        }
        ErrorCode::InviteExpired => {
            "This link has expired (links work for 24 hours). Ask for a new one."
        }
        ErrorCode::InviteNotFound | ErrorCode::InvalidInviteToken | ErrorCode::InvalidId => {
            "This link is not valid. Check that it was copied whole, or ask for a new one."
        }
        _ => return None,
    })
}

/// `GET /gui/setup?invite_id=…&token=…`: the form, when the invite opens.
pub fn setup_page(state: &AppState, r: &Request<'_>, secure: bool) -> Result<Reply> {
    let token = form_token(r);
    let id = r.query("invite_id").unwrap_or_default();
    let invite_token = r.query("token").unwrap_or_default();
    let markup = match crate::handlers::users::setup_invite_user(&state.dd, &id, &invite_token) {
        Ok(u) => setup_markup(&token, &id, &invite_token, Some(&u.display_name), None),
        Err(e) => match invite_problem(&e) {
            Some(p) => setup_markup(&token, "", "", None, Some(layout::notice("bad", p))),
            None => return Err(e),
        },
    };
    Ok(with_form_token(Reply::html(200, markup), &token, secure))
}

/// `POST /gui/setup`: sets the passphrase and sends the user to log in with it.
pub fn setup_submit(state: &AppState, r: &Request<'_>, secure: bool) -> Result<Reply> {
    let form = Form::parse(r.body);
    check_form_token(r, &form, "passphrase")?;
    let token = form_token(r);
    let id = form.text("invite_id").unwrap_or_default();
    let invite_token = form.text("invite_token").unwrap_or_default();
    let pass = form.get("passphrase").unwrap_or_default();
    let again = |problem: &str| -> Result<Reply> {
        let who = crate::handlers::users::setup_invite_user(&state.dd, &id, &invite_token)
            .map(|u| u.display_name)
            .ok();
        let (id, t) = if who.is_some() {
            (id.as_str(), invite_token.as_str())
        } else {
            ("", "")
        };
        Ok(with_form_token(
            Reply::html(
                400,
                setup_markup(
                    &token,
                    id,
                    t,
                    who.as_deref(),
                    Some(layout::notice("bad", problem)),
                ),
            ),
            &token,
            secure,
        ))
    };
    if form.get("confirm") != Some(pass) {
        return again("The two passphrases differ. Type the same one twice.");
    }
    match crate::handlers::users::complete_setup(&state.dd, &id, &invite_token, pass) {
        Ok(_) => Ok(Reply::redirect("/gui/login?done=passphrase_set")),
        Err(e) if e.code == ErrorCode::WeakPassphrase => again(&e.message),
        Err(e) => match invite_problem(&e) {
            Some(p) => again(p),
            None => Err(e),
        },
    }
}
