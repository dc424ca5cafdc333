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

/// Where a principal's settings come from: three environment variables, and the flags that
/// name its files (for the messages).
#[derive(Clone, Copy, Debug)]
pub struct Names {
    /// The tenant's variable.
    pub tenant: &'static str,
    /// The client id's variable.
    pub client: &'static str,
    /// The client secret's variable.
    pub secret: &'static str,
    /// The flag naming the secret's file.
    pub secret_file: &'static str,
    /// The flag naming the certificate's file.
    pub certificate_file: &'static str,
}

/// The service principal the proxy acts as upstream.
pub const SERVICE: Names = Names {
    tenant: TENANT_ENV,
    client: CLIENT_ENV,
    secret: SECRET_ENV,
    secret_file: "--client-secret-file",
    certificate_file: "--client-certificate-file",
};

/// The app users sign in to (`--auth entra`).
pub const SIGN_IN: Names = Names {
    tenant: "CPP_PROXY_AUTH_TENANT_ID",
    client: "CPP_PROXY_AUTH_CLIENT_ID",
    secret: "CPP_PROXY_AUTH_CLIENT_SECRET",
    secret_file: "--auth-client-secret-file",
    certificate_file: "--auth-client-certificate-file",
};

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
        Self::load_as(SERVICE, env, secret_file, certificate_file)
    }

    /// As [`Self::load`], from the variables and flags `names` gives.
    pub fn load_as(
        names: Names,
        env: impl Fn(&str) -> Option<String>,
        secret_file: Option<&Path>,
        certificate_file: Option<&Path>,
    ) -> Result<Option<Self>, ConfigError> {
        let (tenant_env, client_env, secret_env) = (names.tenant, names.client, names.secret);
        let read = |name: &str| {
            env(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (tenant, client_id) = (read(tenant_env), read(client_env));
        let nothing = tenant.is_none() && client_id.is_none() && read(secret_env).is_none();
        if nothing && secret_file.is_none() && certificate_file.is_none() {
            return Ok(None);
        }
        let credential = match (certificate_file, secret_file) {
            (Some(_), Some(_)) => return Err(both()),
            (Some(_), None) if read(secret_env).is_some() => return Err(both()),
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
            (None, None) => Credential::Secret(read(secret_env).unwrap_or_default()),
        };
        let secret_wanted = format!(
            "a client secret ({secret_env} or {}) or certificate ({})",
            names.secret_file, names.certificate_file
        );
        let missing: Vec<&str> = [
            (tenant.is_none(), tenant_env),
            (client_id.is_none(), client_env),
            (
                matches!(&credential, Credential::Secret(s) if s.is_empty()),
                &secret_wanted,
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
                "{tenant_env} and {client_env} must be ids or domain names (letters, digits, '-', '.', '_')"
            )));
        }
        Ok(Some(Self {
            tenant,
            client_id,
            credential,
        }))
    }

    /// The tenant, as configured (an id or a domain name).
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The client (application) id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The form fields that prove who the client is to the token endpoint at `url`: its
    /// secret, or an assertion signed with its certificate.
    pub fn proof(&self, url: &str) -> Option<String> {
        Some(match &self.credential {
            Credential::Secret(secret) => format!("client_secret={}", enc(secret)),
            Credential::Certificate(certificate) => format!(
                "client_assertion_type={}&client_assertion={}",
                enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                certificate.assertion(&self.client_id, url)?
            ),
        })
    }

    /// The form body of a client-credentials request to `url`.
    pub(super) fn form(&self, audience: Audience, url: &str) -> Option<String> {
        let (field, value) = audience.field();
        let proof = self.proof(url)?;
        Some(format!(
            "grant_type=client_credentials&client_id={}&{proof}&{field}={}",
            enc(&self.client_id),
            enc(value)
        ))
    }
}

/// `s` percent-encoded for a form body.
pub(crate) fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

fn both() -> ConfigError {
    ConfigError::Token(
        "give the service principal a client secret or a certificate, not both".into(),
    )
}
