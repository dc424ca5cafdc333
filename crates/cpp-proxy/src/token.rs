//! The bearer token injected upstream. It never appears in `Debug`, in logs, or in answers.

use std::path::Path;

use axum::http::HeaderValue;

use crate::config::ConfigError;

/// A bearer token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(HeaderValue);

impl Token {
    /// From text; a `Bearer ` prefix is accepted. `None` when blank.
    pub fn new(raw: &str) -> Result<Option<Self>, ConfigError> {
        let raw = raw.trim();
        let raw = raw.strip_prefix("Bearer ").unwrap_or(raw).trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {raw}")).map_err(|_| {
            ConfigError::Token("the token has characters a header cannot carry".into())
        })?;
        value.set_sensitive(true);
        Ok(Some(Self(value)))
    }

    /// Reads the token from `file`, else from the environment variable `env`.
    pub fn load(file: Option<&Path>, env: &str) -> Result<Option<Self>, ConfigError> {
        match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    ConfigError::Token(format!(
                        "cannot read the token file {}: {e}",
                        path.display()
                    ))
                })?;
                Self::new(&text)
            }
            None => Self::new(&std::env::var(env).unwrap_or_default()),
        }
    }

    /// The `Authorization` header value.
    pub fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }

    /// The token a header value carries (to compare with the one the proxy holds).
    pub(crate) fn from_header(mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        Self(value)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}
