//! A service principal: its tenant and client id, and a secret or a certificate, read from
//! the environment and files (never flag values), and the token request's form body.

use std::path::Path;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::{assertion, Audience};
use crate::config::ConfigError;

/// How the service principal proves who it is.
enum Credential {
    /// A client secret.
    Secret(String),
    /// A client certificate: a signed assertion per request.
    Certificate(Box<assertion::Certificate>),
}

/// A service principal: tenant, client id, and a secret or a certificate.
pub struct ServicePrincipal {
    pub(super) tenant: String,
    client_id: String,
    credential: Credential,
}

impl std::fmt::Debug for ServicePrincipal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let credential = match &self.credential {
            Credential::Secret(_) => "secret <redacted>".to_owned(),
            Credential::Certificate(c) => format!("certificate x5t={}", c.thumbprint()),
        };
        f.debug_struct("ServicePrincipal")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("credential", &credential)
            .finish()
    }
}

/// The environment variables a service principal is read from.
pub const TENANT_ENV: &str = "CPP_PROXY_TENANT_ID";
/// The client (application) id.
pub const CLIENT_ENV: &str = "CPP_PROXY_CLIENT_ID";
/// The client secret (or `--client-secret-file`).
pub const SECRET_ENV: &str = "CPP_PROXY_CLIENT_SECRET";

impl ServicePrincipal {
    /// From the environment (`CPP_PROXY_TENANT_ID`, `CPP_PROXY_CLIENT_ID`, and
    /// `CPP_PROXY_CLIENT_SECRET` unless `secret_file` is given), or with a client certificate
    /// (`certificate_file`: PEM with the private key and the certificate) instead of a
    /// secret. `None` when nothing is set; an error naming what is missing when only some is.
    pub fn load(
        env: impl Fn(&str) -> Option<String>,
        secret_file: Option<&Path>,
        certificate_file: Option<&Path>,
    ) -> Result<Option<Self>, ConfigError> {
        let read = |name: &str| {
            env(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (tenant, client_id) = (read(TENANT_ENV), read(CLIENT_ENV));
        let nothing = tenant.is_none() && client_id.is_none() && read(SECRET_ENV).is_none();
        if nothing && secret_file.is_none() && certificate_file.is_none() {
            return Ok(None);
        }
        let credential = match (certificate_file, secret_file) {
            (Some(_), Some(_)) => return Err(both()),
            (Some(_), None) if read(SECRET_ENV).is_some() => return Err(both()),
            (Some(path), None) => {
                let pem = std::fs::read_to_string(path).map_err(|e| {
                    ConfigError::Token(format!(
                        "cannot read the client certificate file {}: {e}",
                        path.display()
                    ))
                })?;
                Credential::Certificate(Box::new(assertion::Certificate::from_pem(&pem)?))
            }
            (None, Some(path)) => Credential::Secret(
                std::fs::read_to_string(path)
                    .map(|s| s.trim().to_owned())
                    .map_err(|e| {
                        ConfigError::Token(format!(
                            "cannot read the client secret file {}: {e}",
                            path.display()
                        ))
                    })?,
            ),
            (None, None) => Credential::Secret(read(SECRET_ENV).unwrap_or_default()),
        };
        let missing: Vec<&str> = [
            (tenant.is_none(), TENANT_ENV),
            (client_id.is_none(), CLIENT_ENV),
            (
                matches!(&credential, Credential::Secret(s) if s.is_empty()),
                "a client secret (CPP_PROXY_CLIENT_SECRET or --client-secret-file) or certificate (--client-certificate-file)",
            ),
        ]
        .into_iter()
        .filter_map(|(gone, name)| gone.then_some(name))
        .collect();
        if !missing.is_empty() {
            return Err(ConfigError::Token(format!(
                "a service principal needs {}",
                missing.join(", ")
            )));
        }
        let (tenant, client_id) = (tenant.unwrap_or_default(), client_id.unwrap_or_default());
        let plain = |s: &str| {
            !s.is_empty()
                && s.len() <= 128
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        };
        if !plain(&tenant) || !plain(&client_id) {
            return Err(ConfigError::Token(format!(
                "{TENANT_ENV} and {CLIENT_ENV} must be ids or domain names (letters, digits, '-', '.', '_')"
            )));
        }
        Ok(Some(Self {
            tenant,
            client_id,
            credential,
        }))
    }

    /// The form body of a client-credentials request to `url`.
    pub(super) fn form(&self, audience: Audience, url: &str) -> Option<String> {
        let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        let (field, value) = audience.field();
        let proof = match &self.credential {
            Credential::Secret(secret) => format!("client_secret={}", enc(secret)),
            Credential::Certificate(certificate) => format!(
                "client_assertion_type={}&client_assertion={}",
                enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                certificate.assertion(&self.client_id, url)?
            ),
        };
        Some(format!(
            "grant_type=client_credentials&client_id={}&{proof}&{field}={}",
            enc(&self.client_id),
            enc(value)
        ))
    }
}

fn both() -> ConfigError {
    ConfigError::Token(
        "give the service principal a client secret or a certificate, not both".into(),
    )
}
