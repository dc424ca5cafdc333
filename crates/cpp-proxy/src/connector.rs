//! The one way the proxy connects out: one pooled hyper-util client, over hyper-rustls, for
//! the upstream services and the token endpoint alike, trusting Mozilla's roots and any the
//! operator adds (`--ca-file`: a private CA, or a TLS-inspecting proxy between the machine
//! and the internet).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::config::ConfigError;

/// The certificates a server must chain to, as one TLS client configuration shared by every
/// outgoing connection.
#[derive(Clone)]
pub struct Trust(Arc<ClientConfig>);

impl Trust {
    /// Mozilla's roots only (the default).
    pub fn mozilla() -> Self {
        Self::with(Vec::new()).expect("Mozilla's roots are valid trust anchors")
    }

    /// Mozilla's roots and every certificate in the PEM file at `path`, if one is named.
    /// A file that cannot be read, holds no certificate, or one that is not a usable root
    /// is refused: a proxy that silently trusts less than it was told would fail later, at
    /// the first request, with a message about the server instead of the file.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let Some(path) = path else {
            return Ok(Self::mozilla());
        };
        let refuse =
            |why: String| ConfigError::Trust(format!("--ca-file {}: {why}", path.display()));
        let pem = std::fs::read(path).map_err(|e| refuse(format!("cannot read it ({e})")))?;
        let certificates = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| refuse(format!("not PEM the proxy reads ({e})")))?;
        if certificates.is_empty() {
            return Err(refuse("no CERTIFICATE in it".into()));
        }
        Self::with(certificates).map_err(|e| refuse(format!("not a usable root ({e})")))
    }

    fn with(extra: Vec<CertificateDer<'static>>) -> Result<Self, rustls::Error> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for certificate in extra {
            roots.add(certificate)?;
        }
        let config = ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self(Arc::new(config)))
    }
}

/// The proxy's HTTP client: every request it sends anywhere goes through one of these.
pub type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// An unused connection is kept this long: well under the keep-alive timeouts servers set
/// (60 s and more), so a kept connection is rarely one the server is just closing.
const KEEP_IDLE: Duration = Duration::from_secs(30);
/// Unused connections kept per host, at most.
const MAX_IDLE: usize = 64;

/// How the proxy connects out: whom it trusts, how long it waits for an answer, and the one
/// pooled client built from both (cheap to clone: clones share the pool).
#[derive(Clone)]
pub struct Outbound {
    /// How long an exchange may take (a connection: at most 10 s of it).
    pub timeout: Duration,
    client: HttpClient,
}

impl Outbound {
    /// A client trusting `trust`, for exchanges of at most `timeout`.
    pub fn new(trust: &Trust, timeout: Duration) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        // Small JSON requests must not wait for Nagle's algorithm.
        http.set_nodelay(true);
        http.set_connect_timeout(Some(timeout.min(Duration::from_secs(10))));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*trust.0).clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(KEEP_IDLE)
            .pool_max_idle_per_host(MAX_IDLE)
            .pool_timer(TokioTimer::new())
            .build(connector);
        Self { timeout, client }
    }

    /// The shared client.
    pub(crate) fn client(&self) -> &HttpClient {
        &self.client
    }

    /// One small exchange, whole: `method` to `url` with `body` (a form when given), the
    /// answer's status and at most `limit` bytes of body, all within [`Self::timeout`].
    /// What went wrong is said in words with no part of the body or the URL's query.
    pub(crate) async fn exchange(
        &self,
        method: axum::http::Method,
        url: &str,
        form: Option<String>,
        limit: usize,
    ) -> Result<(axum::http::StatusCode, Bytes), String> {
        use http_body_util::{BodyExt, Limited};
        let uri: axum::http::Uri = url.parse().map_err(|_| "not a URL".to_owned())?;
        let shown = format!(
            "{}://{}{}",
            uri.scheme_str().unwrap_or("?"),
            uri.authority().map_or("?", |a| a.as_str()),
            uri.path()
        );
        let mut request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header(axum::http::header::ACCEPT, "application/json");
        if form.is_some() {
            request = request.header(
                axum::http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            );
        }
        let request = request
            .body(Full::new(Bytes::from(form.unwrap_or_default())))
            .map_err(|e| e.to_string())?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        let response = tokio::time::timeout_at(deadline, self.client.request(request))
            .await
            .map_err(|_| format!("{shown} did not answer in time"))?
            .map_err(|e| format!("{shown} could not be reached ({e})"))?;
        let status = response.status();
        let body = tokio::time::timeout_at(
            deadline,
            Limited::new(response.into_body(), limit).collect(),
        )
        .await
        .map_err(|_| format!("{shown} did not finish its answer in time"))?
        .map_err(|_| format!("{shown} sent an answer too large or broken"))?
        .to_bytes();
        Ok((status, body))
    }
}
