//! Sign-in at the proxy (`--auth entra`): the Backend-for-Frontend pattern of RFC 10017
//! §6.1. Users sign in with Microsoft Entra ID (the authorization code flow with PKCE,
//! `state` and `nonce`); the proxy checks the ID token, keeps a session on the server and
//! gives the browser only an opaque cookie. Upstream it keeps using its own credential: no
//! user token reaches the browser or the service. Each user's app roles decide what they may
//! do ([`Role`]).
//!
//! - [`gate`]: what every API request must bring (a session, for a POST the CSRF header, an
//!   origin of ours and the operator role);
//! - [`oidc`], [`id_token`]: the provider and its tokens; [`cookie`], [`redirect`]: the
//!   small parts.
//!
//! Its endpoints (`/auth/*`) are [`crate::sign_in`]'s, above the app's state.

pub(crate) mod cookie;
pub(crate) mod gate;
pub(crate) mod id_token;
pub(crate) mod oidc;
pub mod redirect;

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::http::HeaderMap;

use crate::config::{Args, ConfigError};
use crate::connector::Outbound;
use crate::credentials::{ServicePrincipal, SERVICE, SIGN_IN};
use crate::secret;
use crate::store::{SessionRow, Store, StoreError};

/// The simulator's tenant, when `CPP_PROXY_AUTH_TENANT_ID` is not set with `--simulate`.
pub const SIM_TENANT: &str = "00000000-0000-4000-8000-00000000c0de";
/// The simulator's sign-in app, when `CPP_PROXY_AUTH_CLIENT_ID` is not set with `--simulate`.
pub const SIM_CLIENT: &str = "00000000-0000-4000-8000-0000000da5b0";

/// What a signed-in user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read everything.
    Viewer,
    /// Read, cancel, go live and cancel configure jobs.
    Operator,
}

/// The origin users see (`--public-url`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// `https://host[:port]` (a trailing `/` is dropped), or `http://` on a loopback host.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim().trim_end_matches('/');
        let bad = || {
            ConfigError::Auth(format!(
                "--public-url {text:?} must be an origin like https://ops.example.com (http only on loopback), with no path"
            ))
        };
        let uri: axum::http::Uri = text.parse().map_err(|_| bad())?;
        let host = uri.host().ok_or_else(bad)?;
        let loopback = host == "localhost"
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let scheme_ok = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => loopback,
            _ => false,
        };
        let bare = uri.path() == "/" && uri.query().is_none() && !text.contains('@');
        if !scheme_ok || !bare {
            return Err(bad());
        }
        Ok(Self(text.to_ascii_lowercase()))
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.0
    }
}

/// Why a sign-in did not happen (logged and audited; the page says it in plain words).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SignInError {
    /// The identity provider could not be used.
    #[error("the identity provider could not be used: {0}")]
    Unavailable(String),
    /// The token endpoint refused the code.
    #[error("the token endpoint refused the code: {0}")]
    Refused(String),
    /// The ID token is not acceptable.
    #[error("the ID token was refused: {0}")]
    Token(&'static str),
    /// The user holds no role in the dashboard.
    #[error("the account has no role in this dashboard")]
    NoRole,
    /// The callback does not belong to a sign-in this browser started.
    #[error("{0}")]
    Transaction(&'static str),
    /// The identity provider answered with an error.
    #[error("the identity provider said {0}")]
    Provider(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sign-in's settings.
pub(crate) struct Settings {
    /// The tenant's GUID (`tid`).
    pub(crate) tenant: String,
    /// The sign-in app: its client id and its secret or certificate.
    pub(crate) client: ServicePrincipal,
    /// Entra ID's base, e.g. `https://login.microsoftonline.com` (the simulator's once the
    /// proxy listens, with `--simulate`).
    authority: OnceLock<String>,
    /// `--public-url` (with `--simulate`, the listening address unless given).
    public: OnceLock<PublicUrl>,
    pub(crate) idle: Duration,
    pub(crate) lifetime: Duration,
    pub(crate) viewer_role: String,
    pub(crate) operator_role: String,
}

impl Settings {
    /// The tenant's issuer: `{authority}/{tenant}/v2.0`.
    pub(crate) fn issuer(&self) -> Result<String, SignInError> {
        let authority = self
            .authority
            .get()
            .ok_or_else(|| SignInError::Unavailable("the proxy is not listening yet".into()))?;
        Ok(format!("{authority}/{}/v2.0", self.tenant))
    }

    /// The origin users see.
    pub(crate) fn public(&self) -> Result<&PublicUrl, SignInError> {
        self.public
            .get()
            .ok_or_else(|| SignInError::Unavailable("the proxy is not listening yet".into()))
    }

    /// `{public}/auth/callback`.
    pub(crate) fn redirect_uri(&self) -> Result<String, SignInError> {
        Ok(format!("{}/auth/callback", self.public()?.origin()))
    }

    /// The dashboard's roles among `claimed`, as stored in a session.
    pub(crate) fn dashboard_roles(&self, claimed: &[String]) -> Vec<String> {
        [&self.viewer_role, &self.operator_role]
            .into_iter()
            .filter(|r| claimed.contains(r))
            .cloned()
            .collect()
    }

    /// The highest role among a session's.
    pub(crate) fn role(&self, roles: &[String]) -> Option<Role> {
        if roles.contains(&self.operator_role) {
            Some(Role::Operator)
        } else if roles.contains(&self.viewer_role) {
            Some(Role::Viewer)
        } else {
            None
        }
    }
}

/// Sign-in: its settings, the store of sessions, and the identity provider.
pub(crate) struct Auth {
    pub(crate) settings: Settings,
    pub(crate) store: Store,
    pub(crate) oidc: oidc::Oidc,
}

fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

impl Auth {
    /// Sign-in from the command line (`--auth entra`), with `store` for its sessions.
    pub(crate) fn from_args(
        args: &Args,
        out: &Outbound,
        store: Store,
    ) -> Result<Self, ConfigError> {
        Self::from_env(args, out, store, |name| std::env::var(name).ok())
    }

    pub(crate) fn from_env(
        args: &Args,
        out: &Outbound,
        store: Store,
        env: impl Fn(&str) -> Option<String> + Copy,
    ) -> Result<Self, ConfigError> {
        let simulated = |name: &str| {
            env(name).or_else(|| {
                args.simulate.then(|| match name {
                    n if n == SIGN_IN.tenant => SIM_TENANT.to_owned(),
                    n if n == SIGN_IN.client => SIM_CLIENT.to_owned(),
                    _ => "simulated-secret".to_owned(),
                })
            })
        };
        let own = ServicePrincipal::load_as(
            SIGN_IN,
            simulated,
            args.auth_client_secret_file.as_deref(),
            args.auth_client_certificate_file.as_deref(),
        );
        // The same app registration as the service principal: its credential serves.
        let client = match own {
            Err(e) => {
                let service = ServicePrincipal::load_as(
                    SERVICE,
                    env,
                    args.client_secret_file.as_deref(),
                    args.client_certificate_file.as_deref(),
                );
                match service {
                    Ok(Some(p)) if env(SIGN_IN.client).as_deref() == Some(p.client_id()) => p,
                    _ => {
                        return Err(ConfigError::Auth(
                            e.to_string()
                                .replace("a service principal needs", "--auth entra needs"),
                        ))
                    }
                }
            }
            Ok(Some(p)) => p,
            Ok(None) => {
                return Err(ConfigError::Auth(format!(
                    "--auth entra needs {}, {} and a client secret or certificate",
                    SIGN_IN.tenant, SIGN_IN.client
                )))
            }
        };
        let tenant = client.tenant().to_ascii_lowercase();
        if !is_guid(&tenant) {
            return Err(ConfigError::Auth(format!(
                "{} must be the tenant's id (a GUID, as in tokens' tid), not a domain name",
                SIGN_IN.tenant
            )));
        }
        let public = OnceLock::new();
        match (&args.public_url, args.simulate) {
            (Some(url), _) => {
                let _ = public.set(PublicUrl::parse(url)?);
            }
            (None, true) => {}
            (None, false) => return Err(ConfigError::Auth(
                "--auth entra needs --public-url, the address users open (https://ops.example.com)"
                    .into(),
            )),
        }
        let authority = OnceLock::new();
        if !args.simulate {
            let base = args.auth_authority.trim_end_matches('/');
            // Plain http only to this machine (a simulator's identity provider in tests).
            let loopback = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
                .iter()
                .any(|p| base.starts_with(p));
            if !base.starts_with("https://") && !loopback {
                return Err(ConfigError::Auth(format!(
                    "--auth-authority {base:?} must be an https URL"
                )));
            }
            let _ = authority.set(base.to_owned());
        }
        let (idle, lifetime) = (args.session_idle.0, args.session_lifetime.0);
        if idle > lifetime {
            return Err(ConfigError::Auth(
                "--session-idle must not be longer than --session-lifetime".into(),
            ));
        }
        if args.viewer_role == args.operator_role
            || args.viewer_role.trim().is_empty()
            || args.operator_role.trim().is_empty()
        {
            return Err(ConfigError::Auth(
                "--viewer-role and --operator-role must be two different names".into(),
            ));
        }
        if !args.allow_origins.is_empty() {
            return Err(ConfigError::Auth(
                "--allow-origin cannot be used with sign-in: the session cookie never leaves the proxy's origin, so serve the app from it (--static) or from one origin with the proxy".into(),
            ));
        }
        Ok(Self {
            settings: Settings {
                tenant,
                client,
                authority,
                public,
                idle,
                lifetime,
                viewer_role: args.viewer_role.clone(),
                operator_role: args.operator_role.clone(),
            },
            store,
            oidc: oidc::Oidc::new(out.clone()),
        })
    }

    /// With `--simulate`, the identity provider and the public address are the proxy's own
    /// once it listens on `addr`.
    pub(crate) fn listening_on(&self, addr: SocketAddr) {
        let base = format!("http://{addr}");
        let _ = self.settings.authority.set(format!("{base}/_sim/login"));
        let _ = self.settings.public.set(PublicUrl(base));
    }

    /// The session the request's cookie names, if it is live.
    pub(crate) async fn session(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<SessionRow>, StoreError> {
        let Some(value) = cookie::get(headers, cookie::SESSION) else {
            return Ok(None);
        };
        let idle = i64::try_from(self.settings.idle.as_millis()).unwrap_or(i64::MAX);
        // The last use is written at most once a minute (or a tenth of the idle timeout).
        let touch = (idle / 10).min(60_000);
        self.store
            .session(&secret::hash(value), crate::store::now_ms(), idle, touch)
            .await
    }
}
