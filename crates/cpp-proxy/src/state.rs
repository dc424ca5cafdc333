//! The wiring: from the command line to the state every request shares.

use std::sync::Arc;
use std::time::Duration;

use crate::client_addr::FrontEnds;
use crate::config::{self, ConfigError};
use crate::connector::{Outbound, Trust};
use crate::credentials::{Audience, ServicePrincipal, TokenSource};
use crate::forward::Forwarder;
use crate::guard::Guard;
use crate::limit::InFlightLimit;
use crate::simulate::{Fault, Simulator};
use crate::token::Token;
use crate::{cors, static_files};

pub(crate) enum Mode {
    /// The real services: the CPP API under `/api`, Product Ingestion under `/graph`, each
    /// with its own upstream, allow-list and token.
    Forward {
        cpp: Box<Forwarder>,
        graph: Box<Forwarder>,
    },
    Simulate(Simulator),
}

pub(crate) struct Inner {
    pub(crate) mode: Mode,
    pub(crate) static_files: Option<static_files::StaticFiles>,
    pub(crate) guard: Arc<Guard>,
    /// The proxy acts as the publisher for whoever reaches it beyond loopback
    /// (`--allow-anonymous`).
    pub(crate) anonymous: bool,
}

/// Shared state of the app.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl AppState {
    /// State from the command line.
    pub fn from_args(args: &config::Args) -> Result<Self, ConfigError> {
        let allow_origins = cors::parse_origins(&args.allow_origins)?;
        let front_ends = FrontEnds::parse(&args.trusted_front_ends)?;
        let mode = if args.simulate {
            let fault = match &args.fault {
                Some(name) => {
                    Some(Fault::parse(name).ok_or_else(|| ConfigError::Fault(name.clone()))?)
                }
                None => None,
            };
            Mode::Simulate(
                Simulator::new(args.seed, args.speed, fault, args.bulk.min(200_000))
                    .with_offers(args.offers.min(10_000))
                    .with_aged_publisher(args.aged_publisher)
                    .with_latency(std::time::Duration::from_millis(args.latency.min(60_000)))
                    .with_token_lifetime(args.sim_token_lifetime.clamp(1, 86_400)),
            )
        } else {
            let out = Outbound::new(
                &Trust::load(args.ca_file.as_deref())?,
                Duration::from_secs(args.timeout_secs.max(1)),
            );
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
        let open = injects && !args.listen.ip().is_loopback();
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
        Ok(Self(Arc::new(Inner {
            mode,
            static_files,
            guard: Guard::new(cors::Cors::new(allow_origins), limit, front_ends),
            anonymous: open,
        })))
    }

    /// `proxy` or `simulate`.
    pub fn mode(&self) -> &'static str {
        match self.0.mode {
            Mode::Forward { .. } => "proxy",
            Mode::Simulate(_) => "simulate",
        }
    }

    /// Why the proxy cannot serve the real service yet, if it cannot.
    pub fn not_ready(&self) -> Option<&'static str> {
        match self.0.mode {
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
        match &self.0.mode {
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

fn describe(token: Option<&TokenSource>) -> &'static str {
    match token {
        Some(TokenSource::Fixed(_)) => "injected, fixed",
        Some(TokenSource::Entra(_)) => "injected, fetched and renewed as a service principal",
        None => "from the browser",
    }
}
