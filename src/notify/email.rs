//! Email to owners over SMTP (`notifications.smtp`): STARTTLS, implicit TLS or plain (local
//! relays only), optional auth with the password read from `password_file`, optional extra CA;
//! a text and an HTML part with the summary and the portal link.

use super::config::{Channel, SmtpConfig};
use super::dispatch::Attempt;
use super::event::Event;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::path::Path;
use std::time::Duration;

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub fn text_body(e: &Event) -> String {
    format!(
        "{}\n\n{}\n\nOpen: {}\n\n-- openleash ({})\n",
        e.title(),
        e.summary,
        e.link,
        e.event_type
    )
}

pub fn html_body(e: &Event) -> String {
    format!(
        "<!doctype html><html><body><h2>{}</h2><p>{}</p><p><a href=\"{}\">Open in openleash</a></p><p style=\"color:#666\">{}</p></body></html>",
        html_escape(&e.title()),
        html_escape(&e.summary),
        html_escape(&e.link),
        html_escape(&e.event_type)
    )
}

fn transport(smtp: &SmtpConfig, root: &Path, timeout: Duration) -> Result<SmtpTransport, String> {
    let tls_params = || -> Result<TlsParameters, String> {
        let mut b = TlsParameters::builder(smtp.host.clone());
        if !smtp.ca_file.is_empty() {
            let p = root.join(&smtp.ca_file);
            let pem = std::fs::read(&p)
                .map_err(|e| format!("cannot read smtp.ca_file {}: {e}", p.display()))?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|e| format!("smtp.ca_file {}: {e}", p.display()))?;
            b = b.add_root_certificate(cert);
        }
        b.build()
            .map_err(|e| format!("TLS setup for {}: {e}", smtp.host))
    };
    let port = u16::try_from(smtp.port).unwrap_or(587);
    let mut b = SmtpTransport::builder_dangerous(&smtp.host)
        .port(port)
        .timeout(Some(timeout));
    b = match smtp.tls.as_str() {
        "tls" => b.tls(Tls::Wrapper(tls_params()?)),
        "starttls" => b.tls(Tls::Required(tls_params()?)),
        _ => b.tls(Tls::None),
    };
    if !smtp.username.is_empty() {
        let password = if smtp.password_file.is_empty() {
            String::new()
        } else {
            super::read_secret_file(root, &smtp.password_file)?
        };
        b = b.credentials(Credentials::new(smtp.username.clone(), password));
    }
    Ok(b.build())
}

/// Sends `e` to an email channel's recipients.
pub fn send(
    smtp: &SmtpConfig,
    ch: &Channel,
    e: &Event,
    id: &str,
    root: &Path,
    timeout: Duration,
) -> Attempt {
    send_to(smtp, &ch.to, e, id, root, timeout)
}

/// Sends `e` to `recipients` over `notifications.smtp`.
pub fn send_to(
    smtp: &SmtpConfig,
    recipients: &[String],
    e: &Event,
    id: &str,
    root: &Path,
    timeout: Duration,
) -> Attempt {
    if smtp.host.is_empty() {
        return Attempt::permanent(
            None,
            "notifications.smtp.host is not set in config.yaml".into(),
        );
    }
    let from: Mailbox = match smtp.from.parse() {
        Ok(m) => m,
        Err(err) => {
            return Attempt::permanent(
                None,
                format!("notifications.smtp.from `{}`: {err}", smtp.from),
            );
        }
    };
    let mut m = Message::builder()
        .from(from)
        .subject(e.title())
        .message_id(Some(format!("<{id}@openleash>")));
    for to in recipients {
        match to.parse::<Mailbox>() {
            Ok(mb) => m = m.to(mb),
            Err(err) => {
                return Attempt::permanent(None, format!("address `{to}`: {err}"));
            }
        }
    }
    let msg = match m.multipart(MultiPart::alternative_plain_html(
        text_body(e),
        html_body(e),
    )) {
        Ok(m) => m,
        Err(err) => return Attempt::permanent(None, format!("cannot build the message: {err}")),
    };
    let t = match transport(smtp, root, timeout) {
        Ok(t) => t,
        Err(why) => return Attempt::temporary(None, why, None),
    };
    match t.send(&msg) {
        Ok(_) => Attempt::delivered(250),
        Err(err) if err.is_permanent() => Attempt::permanent(None, format!("SMTP: {err}")),
        Err(err) => Attempt::temporary(None, format!("SMTP: {err}"), None),
    }
}
