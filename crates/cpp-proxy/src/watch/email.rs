//! E-mail channels: SMTP via lettre on rustls, with TLS before any credential is sent
//! (`smtp://` needs STARTTLS, `smtps://` is TLS from the start), a plain text part and an
//! HTML part, and a `Message-ID` derived from the message's id, so a repeat is recognisable.
//! The SMTP URL holds the password: it shows nowhere, and no error text holds it.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use publishing_model::alerts::{email_subject, Notice};
use publishing_model::percent::decode;

use super::outcome::Outcome;

/// Where and how to send, from an `smtp://user:pass@host:587` or `smtps://…:465` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Smtp {
    host: String,
    port: u16,
    wrapper: bool,
    user: Option<(String, String)>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Smtp({}:{})", self.host, self.port)
    }
}

impl Smtp {
    /// Reads the URL; the error names no part of it but its scheme.
    pub fn parse(url: &str) -> Result<Self, String> {
        let (wrapper, rest) = match url.split_once("://") {
            Some(("smtp", rest)) => (false, rest),
            Some(("smtps", rest)) => (true, rest),
            _ => return Err(
                "the SMTP URL must be smtp://user:password@host:587 (STARTTLS) or smtps://…:465"
                    .into(),
            ),
        };
        let rest = rest.split(['/', '?']).next().unwrap_or_default();
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let user = userinfo.map(|u| match u.split_once(':') {
            Some((name, pass)) => (decode(name), decode(pass)),
            None => (decode(u), String::new()),
        });
        let default = if wrapper { 465 } else { 587 };
        // `[::1]:25`, `host:25` or `host`.
        let (host, port) = match hostport.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some((h, "")) => (h, None),
                Some((h, p)) => (h, Some(p.trim_start_matches(':'))),
                None => return Err("the SMTP URL's host is not an address".into()),
            },
            None => match hostport.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            },
        };
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .map_err(|_| "the SMTP URL's port is not a number".to_owned())?,
            None => default,
        };
        let host = host.to_owned();
        if host.is_empty() {
            return Err("the SMTP URL names no host".into());
        }
        Ok(Self {
            host,
            port,
            wrapper,
            user,
        })
    }

    /// The host, for people to read.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// An e-mail channel's addresses and trust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// The relay.
    pub smtp: Smtp,
    /// `From`.
    pub from: String,
    /// `To`.
    pub to: Vec<String>,
    /// Roots trusted beside Mozilla's (`ca_file`), PEM.
    pub ca: Option<Vec<u8>>,
}

/// Checks an address the way it is sent.
pub fn mailbox(what: &str, address: &str) -> Result<Mailbox, String> {
    address
        .parse::<Mailbox>()
        .map_err(|_| format!("{what} {address:?} is not an e-mail address"))
}

/// Sends `notice` as message `id`.
pub async fn send(email: &Email, notice: &Notice, id: &str, timeout: Duration) -> Outcome {
    let host = email.smtp.host.clone();
    let retry = |why: String| Outcome::Retry {
        status: None,
        why,
        retry_after: None,
    };
    let mut params = TlsParameters::builder(host.clone());
    if let Some(pem) = &email.ca {
        match Certificate::from_pem(pem) {
            Ok(cert) => params = params.add_root_certificate(cert),
            Err(_) => return Outcome::Refused(0),
        }
    }
    let params = match params.build_rustls() {
        Ok(p) => p,
        Err(_) => return retry(format!("{host}: TLS could not be set up")),
    };
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
        .port(email.smtp.port)
        .timeout(Some(timeout))
        .tls(if email.smtp.wrapper {
            Tls::Wrapper(params)
        } else {
            Tls::Required(params)
        });
    if let Some((user, pass)) = &email.smtp.user {
        transport = transport.credentials(Credentials::new(user.clone(), pass.clone()));
    }
    let transport = transport.build();
    let mut message = Message::builder()
        .subject(email_subject(notice))
        .message_id(Some(format!(
            "<{}@cpp-proxy>",
            id.trim_start_matches("msg_")
        )));
    match mailbox("from", &email.from) {
        Ok(m) => message = message.from(m),
        Err(_) => return Outcome::Refused(0),
    }
    for to in &email.to {
        match mailbox("to", to) {
            Ok(m) => message = message.to(m),
            Err(_) => return Outcome::Refused(0),
        }
    }
    let Ok(message) = message.multipart(MultiPart::alternative_plain_html(
        notice.text(),
        notice.html(),
    )) else {
        return Outcome::Refused(0);
    };
    match transport.send(message).await {
        Ok(response) => Outcome::Delivered(response.code().to_string().parse().unwrap_or(250)),
        Err(e) => {
            let code = e.status().map(|c| c.to_string());
            match code {
                Some(code) if e.is_permanent() => Outcome::Refused(code.parse().unwrap_or(550)),
                Some(code) => retry(format!("{host} answered {code}")),
                // A connection or TLS failure: lettre's words name the kind, never a credential.
                None => {
                    let words: String = e.to_string().chars().take(200).collect();
                    retry(format!("{host} could not take the message ({words})"))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_read_and_their_passwords_never_shown() {
        let s = Smtp::parse("smtp://cpp%40contoso.com:hunter2@mail.contoso.com:2525").expect("url");
        assert_eq!(
            (s.host(), s.port, s.wrapper),
            ("mail.contoso.com", 2525, false)
        );
        assert_eq!(s.user, Some(("cpp@contoso.com".into(), "hunter2".into())));
        assert!(!format!("{s:?}").contains("hunter2"));
        let s = Smtp::parse("smtps://relay.example").expect("url");
        assert_eq!((s.port, s.wrapper, s.user.clone()), (465, true, None));
        assert_eq!(Smtp::parse("smtp://u:p@h").expect("url").port, 587);
        let v6 = Smtp::parse("smtp://[::1]:2525").expect("url");
        assert_eq!((v6.host(), v6.port), ("::1", 2525));
        for bad in ["http://x", "smtp://", "smtp://u:hunter2@h:port"] {
            let e = Smtp::parse(bad).expect_err(bad);
            assert!(!e.contains("hunter2"), "{e}");
        }
    }
}
