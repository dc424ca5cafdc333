//! The one way the proxy connects out: to the upstream services and to the token endpoint.

use std::time::Duration;

use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;

/// An HTTP(S) connector with webpki roots, no Nagle delay, and a connect timeout of
/// `timeout` (at most 10 s): the upstream's and the token endpoint's.
pub(crate) fn https_connector(timeout: Duration) -> HttpsConnector<HttpConnector> {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(timeout.min(Duration::from_secs(10))));
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .wrap_connector(http)
}
