//! Command-line configuration, and what can be wrong with it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::span::Span;

/// Who may use the proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthMode {
    /// Nobody signs in.
    None,
    /// Users sign in with Microsoft Entra ID.
    Entra,
}

/// A configuration the proxy refuses to start with; each message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An `--allow-origin` value that is not a plain scheme and host.
    #[error("--allow-origin {0:?} must be a scheme and host, like https://ops.example.com (never * or null)")]
    Origin(String),
    /// A `--trusted-front-end` value that is not an address or a network.
    #[error("--trusted-front-end {0:?} must be an IP address or a network such as 10.0.0.0/8")]
    FrontEnd(String),
    /// An unknown `--fault` name.
    #[error("unknown --fault {0:?} (see --help for the list)")]
    Fault(String),
    /// The token file or variable could not be used.
    #[error("{0}")]
    Token(String),
    /// `--upstream` is not an http(s) URL.
    #[error("--upstream {0:?} must be an http(s) URL")]
    Upstream(String),
    /// `--ca-file` cannot be used.
    #[error("{0}")]
    Trust(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// A credential of the proxy's own, on an address beyond loopback, with nobody signed in.
    #[error("refusing to listen on {0} with a credential of the proxy's own (a service principal or a token) and no sign-in: anyone who can reach it could read every offer, cancel a publish or take an offer live as the publisher, and nobody could tell who did. Listen on loopback (--listen 127.0.0.1:8787) behind a front end that signs users in, or pass --allow-anonymous to accept that everyone who can reach {0} acts as the publisher.")]
    Open(std::net::SocketAddr),
    /// Sign-in is set up wrongly.
    #[error("sign-in: {0}")]
    Auth(String),
    /// The store cannot be used.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// `--audit-log` cannot be written.
    #[error("--audit-log {0}: {1}")]
    AuditLog(String, String),
    /// The watcher is set up wrongly (`--config`, `--watch`).
    #[error("watcher: {0}")]
    Watch(String),
    /// `--static` names a folder with no app in it.
    #[error("--static {0}: no index.html there (run scripts/build.sh first)")]
    Static(String),
}

/// cpp-proxy: CORS proxy for the Cloud Partner Portal API, with a built-in simulator.
#[derive(Parser, Clone)]
#[command(version, about)]
pub struct Args {
    /// Address to listen on (loopback by default: put a TLS front end before exposing it).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// The CPP API base URL.
    #[arg(long, default_value = "https://cloudpartner.azure.com")]
    pub upstream: String,
    /// The Product Ingestion API's root, served under `/graph`.
    #[arg(
        long,
        default_value = "https://graph.microsoft.com/rp/product-ingestion"
    )]
    pub graph_upstream: String,
    /// Environment variable holding a fixed token for the Product Ingestion API.
    #[arg(long, default_value = "CPP_PROXY_GRAPH_TOKEN")]
    pub graph_token_env: String,
    /// File holding a fixed token for the Product Ingestion API.
    #[arg(long)]
    pub graph_token_file: Option<PathBuf>,
    /// A browser origin allowed to call the proxy (exact match, repeatable), e.g.
    /// `https://ops.example.com`. Never `*` or `null`.
    #[arg(long = "allow-origin")]
    pub allow_origins: Vec<String>,
    /// Also serve the built app from this directory, with index.html for client routes.
    #[arg(long = "static")]
    pub static_dir: Option<PathBuf>,
    /// The path the app is served under with `--static` (match `trunk build --public-url`).
    #[arg(long, default_value = "/")]
    pub static_prefix: String,
    /// Environment variable holding the bearer token to inject upstream.
    #[arg(long, default_value = "CPP_PROXY_TOKEN")]
    pub token_env: String,
    /// File holding the bearer token to inject upstream (wins over the variable).
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// File holding the service principal's client secret (else `CPP_PROXY_CLIENT_SECRET`);
    /// the tenant and client ids come from `CPP_PROXY_TENANT_ID` and `CPP_PROXY_CLIENT_ID`.
    /// With them the proxy fetches and renews its own tokens.
    #[arg(long)]
    pub client_secret_file: Option<PathBuf>,
    /// File holding the service principal's client certificate instead of a secret: PEM
    /// with the RSA private key and the certificate (the proxy signs a client assertion).
    #[arg(long)]
    pub client_certificate_file: Option<PathBuf>,
    /// A PEM file of root certificates to trust as well as Mozilla's, for the upstreams and
    /// the token endpoint: a private CA, or a TLS-inspecting proxy on the way out.
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// The Microsoft Entra ID token endpoint's base (the simulator answers one too, at
    /// `http://<its address>/_sim/login`).
    #[arg(long, default_value = "https://login.microsoftonline.com")]
    pub token_endpoint: String,
    /// Lifetime of the tokens the simulator's token endpoint issues, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub sim_token_lifetime: u64,
    /// Answer from a simulated service instead of forwarding.
    #[arg(long)]
    pub simulate: bool,
    /// Seed of the simulated world.
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
    /// Simulated seconds per real second.
    #[arg(long, default_value_t = 3600.0)]
    pub speed: f64,
    /// Add an offer `contoso-bulk-N` with N operations to the simulated world (benchmarks).
    #[arg(long, default_value_t = 0)]
    pub bulk: usize,
    /// Give the simulated publisher `northwind` N offers in every state (the overview's
    /// benchmark uses 200; the world has 36 without it).
    #[arg(long, default_value_t = 0)]
    pub offers: usize,
    /// Add the simulated publisher `woodgrove`, whose publishes began weeks ago: one waiting for
    /// the sign-off, one blocked by an error 16 days old, eight certifications 17 days in.
    #[arg(long)]
    pub aged_publisher: bool,
    /// Wait this many milliseconds before every simulated answer (a far-away service).
    #[arg(long, default_value_t = 0)]
    pub latency: u64,
    /// Answer every simulated API request with this fault (see docs/proxy.md), e.g. `unauthorized`.
    #[arg(long)]
    pub fault: Option<String>,
    /// Seconds to wait for the upstream. Shorter than the app's own 20 s, so the page hears
    /// "the service did not answer" (504) from the proxy instead of giving up first.
    #[arg(long, default_value_t = 15)]
    pub timeout_secs: u64,
    /// Seconds a client has to send a whole request head, from its first byte (for a new
    /// connection, from the connection).
    #[arg(long, default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds a kept-alive connection may wait for its next request, or an answer may go
    /// unread, before the connection is closed.
    #[arg(long, default_value_t = 60)]
    pub idle_timeout_secs: u64,
    /// Connections open at once, at most; past it a new connection is closed at once, and
    /// those already open are still answered.
    #[arg(long, default_value_t = 2048)]
    pub max_connections: usize,
    /// Largest upstream response passed on, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_response_bytes: usize,
    /// API requests one client may have in flight at once; more get 429. Static files
    /// never count.
    #[arg(long, default_value_t = 16)]
    pub max_in_flight_per_client: usize,
    /// A load balancer or CDN in front of the proxy (an address or a network, repeatable).
    /// Only for requests from these is the client taken from `X-Forwarded-For`; by default
    /// the header is ignored, since anyone can send it.
    #[arg(long = "trusted-front-end")]
    pub trusted_front_ends: Vec<String>,
    /// Serve with a credential of the proxy's own on an address beyond loopback although
    /// nobody signs in: everyone who can reach the proxy then acts as the publisher. Without
    /// it the proxy refuses to start that way. Said at start and in `/readyz`.
    #[arg(long)]
    pub allow_anonymous: bool,
    /// Sign users in at the proxy: `entra` (Microsoft Entra ID; the tenant and client id come
    /// from `CPP_PROXY_AUTH_TENANT_ID` and `CPP_PROXY_AUTH_CLIENT_ID`). Every API request then
    /// needs a session, POSTs need the operator role, and every POST is audited.
    #[arg(long, value_enum, default_value_t = AuthMode::None)]
    pub auth: AuthMode,
    /// The address users open, e.g. `https://ops.example.com`: sign-in's redirect URI
    /// (`/auth/callback` under it) and the only `Origin` a POST may come from.
    #[arg(long)]
    pub public_url: Option<String>,
    /// File holding the sign-in app's client secret (else `CPP_PROXY_AUTH_CLIENT_SECRET`; when
    /// the client id is the service principal's, its secret or certificate serves).
    #[arg(long)]
    pub auth_client_secret_file: Option<PathBuf>,
    /// File holding the sign-in app's client certificate (PEM key and certificate) instead.
    #[arg(long)]
    pub auth_client_certificate_file: Option<PathBuf>,
    /// Microsoft Entra ID's sign-in address (with `--simulate`, the simulator's own).
    #[arg(long, default_value = "https://login.microsoftonline.com")]
    pub auth_authority: String,
    /// A session ends after this long unused.
    #[arg(long, default_value = "30m")]
    pub session_idle: Span,
    /// A session ends this long after sign-in, however busy.
    #[arg(long, default_value = "8h")]
    pub session_lifetime: Span,
    /// The app role that may read.
    #[arg(long, default_value = "Dashboard.Viewer")]
    pub viewer_role: String,
    /// The app role that may also cancel, go live and cancel configure jobs.
    #[arg(long, default_value = "Dashboard.Operator")]
    pub operator_role: String,
    /// Serve only this publisher (repeatable); by default every publisher the credential sees.
    #[arg(long = "allow-publisher")]
    pub allow_publishers: Vec<String>,
    /// The store of sessions and the audit: `sqlite:PATH` (the default, `state.db` in the
    /// state folder) or `postgres://…` when several replicas share it.
    #[arg(long, env = "CPP_PROXY_STORE", hide_env_values = true)]
    pub store: Option<String>,
    /// The proxy's state folder (the default store's place); else `$STATE_DIRECTORY`
    /// (systemd), else `~/.local/state/cpp-proxy`.
    #[arg(long)]
    pub state_dir: Option<PathBuf>,
    /// Append the audit as JSON lines to this file (else to the log, target `audit`).
    #[arg(long)]
    pub audit_log: Option<PathBuf>,
    /// A simulated user for `--simulate --auth entra`: `UPN=ROLE[,ROLE]` (repeatable; no roles
    /// after `=` is a user with none).
    #[arg(long = "sim-user")]
    pub sim_users: Vec<String>,
    /// The watcher's config file (TOML: `[store]`, `[polling]`, `[alerts]`, `[[watch]]`,
    /// `[[channel]]`, `[[rule]]`; see docs/watcher.md). Its store is `--store`'s.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Watch every offer of this publisher with no tab open (repeatable; adds to the config
    /// file's `[[watch]]`).
    #[arg(long = "watch")]
    pub watch: Vec<String>,
    /// Log one JSON object per line instead of text.
    #[arg(long)]
    pub log_json: bool,
}
