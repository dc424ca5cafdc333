//! The upstream over TLS, as the real service is: a server certificate from a CA that
//! `--ca-file` names is trusted (and one from a CA it does not name is not), by the forwarder
//! and the token endpoint's client alike; connections are kept alive through TLS, and an
//! answer that ends with its connection is whole only when the server ended it with TLS's own
//! close (`close_notify`): one cut short underneath is a 502, never a shorter body. The
//! certificates are test fixtures (`tests/fixtures/make-upstream-certificates.sh`).

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use cpp_proxy::connector::Trust;
use cpp_proxy::credentials::{Audience, TokenSource};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::AsyncWriteExt;

const CA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test-upstream-ca.pem"
);
const SERVER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test-upstream-server.pem"
);

/// How the TLS upstream ends a connection after each answer.
#[derive(Clone, Copy)]
enum End {
    /// It waits for the next request.
    KeepAlive,
    /// It closes, saying so in TLS (`close_notify`).
    CloseNotify,
    /// It closes the TCP connection under TLS, without `close_notify`: as a cut connection
    /// looks.
    Cut,
}

/// A TLS upstream on 127.0.0.1 answering every request with `answer`, byte for byte; counts
/// the connections whose handshake it completed.
async fn tls_upstream(answer: &'static str, end: End) -> (SocketAddr, Arc<AtomicUsize>) {
    let pem = std::fs::read(SERVER).expect("server fixture");
    let chain = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .expect("certificates");
    let key = PrivateKeyDer::from_pem_slice(&pem).expect("key");
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    raw_server(move |socket, count| {
        let acceptor = acceptor.clone();
        async move {
            let Ok(mut tls) = acceptor.accept(socket).await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            while read_request(&mut tls).await.is_some() {
                if tls.write_all(answer.as_bytes()).await.is_err() || tls.flush().await.is_err() {
                    return;
                }
                match end {
                    End::KeepAlive => {}
                    End::CloseNotify => {
                        let _ = tls.shutdown().await;
                        return;
                    }
                    End::Cut => {
                        // The TCP stream alone is shut and dropped: no TLS alert.
                        let (mut tcp, _) = tls.into_inner();
                        let _ = tcp.shutdown().await;
                        return;
                    }
                }
            }
        }
    })
    .await
}

/// The proxy forwarding to `up` over TLS, with `extra` arguments.
async fn proxy_to(up: SocketAddr, extra: &[&str]) -> SocketAddr {
    let upstream = format!("https://{up}");
    let mut all = vec!["--upstream", upstream.as_str()];
    all.extend_from_slice(extra);
    proxy(&all).await
}

const PATH: &str = "/api/publishers/contoso/offers/o/submissions?api-version=2017-10-31";

/// Status and body of two requests in a row.
async fn twice(addr: SocketAddr) -> Vec<(u16, String)> {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let r = fetch(addr, PATH).await;
        seen.push((r.status().as_u16(), r.text().await.expect("body")));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    seen
}

#[tokio::test]
async fn an_upstream_the_ca_file_vouches_for_is_served_over_kept_connections() {
    for answer in [
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n[1,2,3]",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         3\r\n[1,\r\n4\r\n2,3]\r\n0\r\n\r\n",
    ] {
        let (up, accepted) = tls_upstream(answer, End::KeepAlive).await;
        let addr = proxy_to(up, &["--ca-file", CA]).await;
        assert_eq!(
            twice(addr).await,
            vec![(200, "[1,2,3]".into()); 2],
            "{answer:?}"
        );
        assert_eq!(accepted.load(Ordering::SeqCst), 1, "{answer:?}");
    }
}

#[tokio::test]
async fn without_the_ca_file_the_upstream_is_not_trusted() {
    let answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]";
    let (up, accepted) = tls_upstream(answer, End::KeepAlive).await;
    let r = fetch(proxy_to(up, &[]).await, PATH).await;
    assert_eq!(r.status(), 502);
    let text = r.text().await.expect("body");
    assert!(text.contains("could not be reached"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "no handshake completes");
}

#[tokio::test]
async fn an_answer_ended_by_closing_is_whole_only_when_tls_says_so() {
    let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[1,2,3]";
    let (up, accepted) = tls_upstream(answer, End::CloseNotify).await;
    let addr = proxy_to(up, &["--ca-file", CA]).await;
    assert_eq!(twice(addr).await, vec![(200, "[1,2,3]".into()); 2]);
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "never used again");

    let (up, _) = tls_upstream(answer, End::Cut).await;
    let addr = proxy_to(up, &["--ca-file", CA]).await;
    for (status, text) in twice(addr).await {
        assert_eq!(status, 502, "{text}");
        assert!(text.contains("could not be read"), "{text}");
    }
}

#[tokio::test]
async fn the_token_endpoint_is_trusted_by_the_same_ca_file() {
    let body = r#"{"token_type":"Bearer","expires_in":"3600","access_token":"tok-tls"}"#;
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .leak();
    let (endpoint, accepted) = tls_upstream(answer, End::CloseNotify).await;
    let token = |trust: Trust| {
        let source = TokenSource::entra(
            principal(),
            Audience::CloudPartner,
            &format!("https://{endpoint}"),
            &outbound(trust),
        )
        .expect("endpoint");
        async move { source.token().await.map(|t| t.header_value()) }
    };
    assert_eq!(
        token(Trust::load(Some(CA.as_ref())).expect("CA"))
            .await
            .ok(),
        Some("Bearer tok-tls".parse().expect("value"))
    );
    assert!(token(Trust::mozilla()).await.is_err());
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one handshake completes"
    );
}

#[tokio::test]
async fn a_ca_file_the_proxy_cannot_use_stops_it_at_start() {
    let junk = temp_path("ca-junk");
    std::fs::write(&junk, "not a certificate\n").expect("write");
    let broken = temp_path("ca-broken");
    std::fs::write(
        &broken,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .expect("write");
    let missing = temp_path("ca-missing");
    for (file, says) in [
        (&missing, "cannot read it"),
        (&junk, "no CERTIFICATE in it"),
        (&broken, "not a usable root"),
    ] {
        let file = file.to_str().expect("utf-8 path");
        let refused = cpp_proxy::AppState::from_args(&args(&["--ca-file", file])).await;
        let message = refused.err().expect("refused").to_string();
        assert!(
            message.starts_with(&format!("--ca-file {file}: {says}")),
            "{message}"
        );
    }
    for file in [junk, broken] {
        let _ = std::fs::remove_file(file);
    }
    // The simulator connects nowhere: the file is not read there.
    assert!(
        cpp_proxy::AppState::from_args(&args(&["--simulate", "--ca-file", "/nowhere"]))
            .await
            .is_ok()
    );
}
