//! The wiring: from the command line to the state every request shares.

use std::sync::Arc;
use std::time::Duration;

use publishing_model::PublisherId;

use crate::audit::Audit;
use crate::auth::Auth;
use crate::client_addr::FrontEnds;
use crate::config::AuthMode;
use crate::config::{self, ConfigError};
use crate::connector::{Outbound, Trust};
use crate::credentials::{Audience, ServicePrincipal, TokenSource};
use crate::forward::Forwarder;
use crate::guard::Guard;
use crate::limit::InFlightLimit;
use crate::mode::Mode;
use crate::simulate::{Fault, SimUser, Simulator};
use crate::store::{Store, StoreUrl};
use crate::token::Token;
use crate::watch::{Pace, WatchConfig, Watcher};
use crate::{cors, static_files};

pub(crate) struct Inner {
    pub(crate) mode: Arc<Mode>,
    pub(crate) static_files: Option<static_files::StaticFiles>,
    pub(crate) guard: Arc<Guard>,
    /// The proxy acts as the publisher for whoever reaches it beyond loopback
    /// (`--allow-anonymous`).
    pub(crate) anonymous: bool,
    /// Sign-in (`--auth entra`).
    pub(crate) auth: Option<Auth>,
    /// Where audit records go.
    pub(crate) audit: Audit,
    /// The publishers served (`--allow-publisher`); every one when empty.
    pub(crate) publishers: Vec<PublisherId>,
    /// The watcher (`--config`, `--watch`).
    pub(crate) watcher: Option<Watcher>,
    /// The pace of upstream requests the watcher keeps, behind the browsers'.
    pub(crate) pace: Arc<Pace>,
}

/// Shared state of the app.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl AppState {
    /// State from the command line: with sign-in, the store is opened (and brought up to
    /// date) here.
    pub async fn from_args(args: &config::Args) -> Result<Self, ConfigError> {
        let allow_origins = cors::parse_origins(&args.allow_origins)?;
        // The simulator (and its identity provider) is reached on plain http: `--ca-file` is
        // for the real services.
        let trust = if args.simulate {
            Trust::mozilla()
        } else {
            Trust::load(args.ca_file.as_deref())?
        };
        let out = Outbound::new(&trust, Duration::from_secs(args.timeout_secs.max(1)));
        let front_ends = FrontEnds::parse(&args.trusted_front_ends)?;
        let mode = if args.simulate {
            let fault = match &args.fault {
                Some(name) => {
                    Some(Fault::parse(name).ok_or_else(|| ConfigError::Fault(name.clone()))?)
                }
                None => None,
            };
            Mode::Simulate(Box::new(
                Simulator::new(args.seed, args.speed, fault, args.bulk.min(200_000))
                    .with_offers(args.offers.min(10_000))
                    .with_aged_publisher(args.aged_publisher)
                    .with_latency(std::time::Duration::from_millis(args.latency.min(60_000)))
                    .with_token_lifetime(args.sim_token_lifetime.clamp(1, 86_400))
                    .with_users(sim_users(args)?),
            ))
        } else {
            let cpp = token_source(
                Token::load(args.token_file.as_deref(), &args.token_env)?,
                Audience::CloudPartner,
                args,
                &out,
            )?;
            let graph = token_source(
                Token::load(args.graph_token_file.as_deref(), &args.graph_token_env)?,
                Audience::Graph,
                args,
                &out,
            )?;
            tracing::info!(
                cpp = describe(cpp.as_ref()),
                graph = describe(graph.as_ref()),
                "authorization"
            );
            let max = args.max_response_bytes;
            Mode::Forward {
                cpp: Box::new(Forwarder::new(&args.upstream, cpp, &out, max)?),
                graph: Box::new(Forwarder::new(&args.graph_upstream, graph, &out, max)?),
            }
        };
        let static_files = match &args.static_dir {
            Some(dir) if !dir.join("index.html").is_file() => {
                return Err(ConfigError::Static(dir.display().to_string()))
            }
            Some(dir) => Some(static_files::StaticFiles {
                dir: dir.clone(),
                prefix: format!("/{}", args.static_prefix.trim_matches('/'))
                    .trim_end_matches('/')
                    .to_owned(),
            }),
            None => None,
        };
        let injects = match &mode {
            Mode::Forward { cpp, graph } => cpp.has_token() || graph.has_token(),
            Mode::Simulate(_) => false,
        };
        let publishers = args
            .allow_publishers
            .iter()
            .map(|p| {
                let plain = !p.is_empty()
                    && p.len() <= 128
                    && p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
                if plain {
                    Ok(PublisherId::from(p.as_str()))
                } else {
                    Err(ConfigError::Auth(format!(
                        "--allow-publisher {p:?} is not a publisher id"
                    )))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let watch =
            WatchConfig::load(args.config.as_deref(), &args.watch).map_err(ConfigError::Watch)?;
        // One store for sign-in and the watcher: `--store`, else the file's, else the default.
        let wanted = args.auth != AuthMode::None || watch.is_some();
        let store = if wanted {
            let url = match (&args.store, watch.as_ref().and_then(|w| w.store.as_ref())) {
                (None, Some(url)) => StoreUrl::parse(url.expose())?,
                _ => store_url(args)?,
            };
            Some(Store::open(&url).await?)
        } else {
            None
        };
        let auth = match (args.auth, &store) {
            (AuthMode::Entra, Some(store)) => {
                if !injects && !args.simulate {
                    return Err(ConfigError::Auth(
                        "--auth entra needs a credential of the proxy's own upstream (a service principal or a token): users' sign-ins give it none".into(),
                    ));
                }
                Some(Auth::from_args(args, &out, store.clone())?)
            }
            _ => None,
        };
        let pace = Arc::new(Pace::default());
        let mode = Arc::new(mode);
        let watcher = match (watch, store) {
            (Some(config), Some(store)) => {
                if !injects && !args.simulate {
                    return Err(ConfigError::Watch(
                        "watching needs the proxy's own credential (a service principal, --token-file or CPP_PROXY_TOKEN): with no tab open, no browser's token is there to use".into(),
                    ));
                }
                Some(
                    Watcher::new(
                        config,
                        store,
                        args.public_url.clone(),
                        out.clone(),
                        pace.clone(),
                        mode.clone(),
                    )
                    .map_err(ConfigError::Watch)?,
                )
            }
            _ => None,
        };
        let audit = Audit::open(
            args.audit_log.as_deref(),
            auth.as_ref().map(|a| a.store.clone()),
        )?;
        let open = injects && !args.listen.ip().is_loopback() && auth.is_none();
        if open && !args.allow_anonymous {
            return Err(ConfigError::Open(args.listen));
        }
        if open {
            tracing::warn!(
                listen = %args.listen,
                "--allow-anonymous: everyone who can reach this address acts as the publisher"
            );
        }
        let limit = InFlightLimit::new(args.max_in_flight_per_client);
        let inner = Arc::new(Inner {
            mode,
            static_files,
            guard: Guard::new(cors::Cors::new(allow_origins), limit, front_ends),
            anonymous: open,
            auth,
            audit,
            publishers,
            watcher,
            pace,
        });
        if let Some(watcher) = &inner.watcher {
            watcher.spawn();
        }
        Ok(Self(inner))
    }

    /// Tells the state where the proxy listens: with `--simulate`, sign-in's identity
    /// provider and public address are the proxy's own.
    pub fn listening_on(&self, addr: std::net::SocketAddr) {
        if let (Some(auth), Mode::Simulate(_)) = (&self.0.auth, &*self.0.mode) {
            auth.listening_on(addr);
        }
    }

    /// The watcher, when the proxy watches.
    pub fn watcher(&self) -> Option<&Watcher> {
        self.0.watcher.as_ref()
    }

    /// The pace upstream requests keep.
    pub(crate) fn pace(&self) -> &Pace {
        &self.0.pace
    }

    /// Sign-in, when it is on.
    pub(crate) fn auth(&self) -> Option<&Auth> {
        self.0.auth.as_ref()
    }

    /// True when users sign in.
    pub fn signs_in(&self) -> bool {
        self.0.auth.is_some()
    }

    /// Where audit records go.
    pub(crate) fn audit(&self) -> &Audit {
        &self.0.audit
    }

    /// The publishers served; every one when empty.
    pub(crate) fn publishers(&self) -> &[PublisherId] {
        &self.0.publishers
    }

    /// `proxy` or `simulate`.
    pub fn mode(&self) -> &'static str {
        match *self.0.mode {
            Mode::Forward { .. } => "proxy",
            Mode::Simulate(_) => "simulate",
        }
    }

    /// Why the proxy cannot serve the real service yet, if it cannot.
    pub fn not_ready(&self) -> Option<&'static str> {
        match *self.0.mode {
            Mode::Simulate(_) => None,
            Mode::Forward { ref cpp, .. } if cpp.has_token() => None,
            Mode::Forward { .. } => Some(
                "No token is configured (a service principal, --token-file or the CPP_PROXY_TOKEN variable): only browsers that send their own can be served.",
            ),
        }
    }

    /// True when the proxy serves its own credential beyond loopback with nobody signed in
    /// (`--allow-anonymous`).
    pub fn anonymous(&self) -> bool {
        self.0.anonymous
    }

    /// The simulator, in `--simulate` mode.
    pub fn simulator(&self) -> Option<&Simulator> {
        match &*self.0.mode {
            Mode::Simulate(sim) => Some(sim),
            Mode::Forward { .. } => None,
        }
    }
}

/// The proxy's token for one API: a fixed one, or one it fetches as the service principal
/// (read from the environment or files each time: a principal is not copied around).
fn token_source(
    fixed: Option<Token>,
    audience: Audience,
    args: &config::Args,
    out: &Outbound,
) -> Result<Option<TokenSource>, ConfigError> {
    let principal = ServicePrincipal::load(
        |name| std::env::var(name).ok(),
        args.client_secret_file.as_deref(),
        args.client_certificate_file.as_deref(),
    )?;
    match (fixed, principal) {
        (Some(_), Some(_)) => Err(ConfigError::Token(
            "give the proxy a token or a service principal, not both".into(),
        )),
        (Some(token), None) => Ok(Some(TokenSource::Fixed(token))),
        (None, Some(principal)) => Ok(Some(TokenSource::entra(
            principal,
            audience,
            &args.token_endpoint,
            out,
        )?)),
        (None, None) => Ok(None),
    }
}

/// `--sim-user`s, or, when none is given, an operator and a viewer of the contoso.test
/// tenant.
fn sim_users(args: &config::Args) -> Result<Vec<SimUser>, ConfigError> {
    if args.sim_users.is_empty() {
        return Ok(vec![
            SimUser {
                upn: "operator@contoso.test".into(),
                roles: vec![args.operator_role.clone()],
            },
            SimUser {
                upn: "viewer@contoso.test".into(),
                roles: vec![args.viewer_role.clone()],
            },
        ]);
    }
    args.sim_users
        .iter()
        .map(|u| SimUser::parse(u).map_err(ConfigError::Auth))
        .collect()
}

/// `--store`, else `state.db` in the state folder.
fn store_url(args: &config::Args) -> Result<StoreUrl, ConfigError> {
    if let Some(url) = &args.store {
        return Ok(StoreUrl::parse(url)?);
    }
    let folder = args
        .state_dir
        .clone()
        .or_else(|| std::env::var_os("STATE_DIRECTORY").map(std::path::PathBuf::from))
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| std::path::Path::new(&home).join(".local/state/cpp-proxy"))
        })
        .ok_or_else(|| ConfigError::Auth("no state folder: give --state-dir or --store".into()))?;
    Ok(StoreUrl::in_folder(&folder))
}

fn describe(token: Option<&TokenSource>) -> &'static str {
    match token {
        Some(TokenSource::Fixed(_)) => "injected, fixed",
        Some(TokenSource::Entra(_)) => "injected, fetched and renewed as a service principal",
        None => "from the browser",
    }
}
