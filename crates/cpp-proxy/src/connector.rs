//! The one way the proxy connects out: to the upstream services and to the token endpoint,
//! trusting Mozilla's roots and any the operator adds (`--ca-file`: a private CA, or a
//! TLS-inspecting proxy between the machine and the internet).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
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

/// How the proxy connects out: whom it trusts, and how long it waits for an answer.
#[derive(Clone)]
pub struct Outbound {
    /// The roots a server must chain to.
    pub trust: Trust,
    /// How long an exchange may take (a connection: at most 10 s of it).
    pub timeout: Duration,
}

impl Outbound {
    /// An HTTP(S) connector with these roots, no Nagle delay, and a connect timeout of at
    /// most 10 s: the upstream's and the token endpoint's.
    pub(crate) fn connector(&self) -> HttpsConnector<HttpConnector> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.timeout.min(Duration::from_secs(10))));
        hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*self.trust.0).clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(http)
    }
}
