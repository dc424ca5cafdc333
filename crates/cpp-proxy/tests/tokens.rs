//! The proxy as a service principal: tokens from the Entra ID token endpoint, cached until
//! shortly before they expire, one shared renewal for concurrent requests, one renewal and
//! one retry after a 401, a clear answer when the endpoint fails, and no secret in the logs.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use common::{outbound, principal, serve, SECRET};
use cpp_proxy::connector::Trust;
use cpp_proxy::credentials::{renew_after, Audience, ServicePrincipal, TokenSource};
use cpp_proxy::forward::Forwarder;
use cpp_proxy::routes;

/// A fake Entra ID and CPP API in one: tokens `tok-N`; the API accepts only the newest.
#[derive(Default)]
struct Fake {
    issued: AtomicU64,
    api_calls: AtomicU64,
    lifetime: AtomicU64,
    failing: AtomicBool,
    reject_all: AtomicBool,
    delay_ms: AtomicU64,
    forms: Mutex<Vec<(String, String)>>,
}

async fn token(State(fake): State<Arc<Fake>>, Path(tail): Path<String>, body: Bytes) -> Response {
    fake.forms
        .lock()
        .expect("forms")
        .push((tail, String::from_utf8_lossy(&body).into_owned()));
    tokio::time::sleep(Duration::from_millis(fake.delay_ms.load(Ordering::Relaxed))).await;
    if fake.failing.load(Ordering::Relaxed) {
        return (
            StatusCode::UNAUTHORIZED,
            r#"{"error":"invalid_client","error_codes":[7000215]}"#,
        )
            .into_response();
    }
    let n = fake.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let lifetime = fake.lifetime.load(Ordering::Relaxed);
    // v1's shape: expires_in as text.
    format!(r#"{{"token_type":"Bearer","expires_in":"{lifetime}","access_token":"tok-{n}"}}"#)
        .into_response()
}

async fn api(State(fake): State<Arc<Fake>>, headers: HeaderMap) -> Response {
    fake.api_calls.fetch_add(1, Ordering::SeqCst);
    let newest = format!("Bearer tok-{}", fake.issued.load(Ordering::SeqCst));
    let sent = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if fake.reject_all.load(Ordering::Relaxed) || sent != newest {
        return (
            StatusCode::UNAUTHORIZED,
            r#"{"error":{"code":"Unauthorized"}}"#,
        )
            .into_response();
    }
    ([("content-type", "application/json")], "[]").into_response()
}

async fn start_fake(lifetime: u64) -> (SocketAddr, Arc<Fake>) {
    let state = Arc::new(Fake::default());
    state.lifetime.store(lifetime, Ordering::Relaxed);
    let router = Router::new()
        .route("/login/{*tail}", post(token))
        .route("/api/publishers", get(api))
        .with_state(state.clone());
    (serve(router).await, state)
}

fn forwarder(addr: SocketAddr, audience: Audience) -> Arc<Forwarder> {
    let source = TokenSource::entra(
        principal(),
        audience,
        &format!("http://{addr}/login"),
        &outbound(Trust::mozilla()),
    )
    .expect("endpoint");
    Arc::new(
        Forwarder::new(
            &format!("http://{addr}"),
            Some(source),
            &outbound(Trust::mozilla()),
            1024 * 1024,
        )
        .expect("forwarder"),
    )
}

async fn publishers(f: &Forwarder) -> StatusCode {
    let request = routes::api(
        &Method::GET,
        "/api/publishers",
        Some("api-version=2017-10-31"),
    )
    .expect("route");
    let path = routes::api_upstream(&request);
    match f
        .forward(Method::GET, path, &HeaderMap::new(), Bytes::new())
        .await
    {
        Ok(r) => r.status(),
        Err(e) => e.into_response().status(),
    }
}

#[tokio::test]
async fn a_token_is_fetched_once_and_used_until_shortly_before_it_expires() {
    let (addr, fake) = start_fake(3_600).await;
    let f = forwarder(addr, Audience::CloudPartner);
    for _ in 0..5 {
        assert_eq!(publishers(&f).await, StatusCode::OK);
    }
    assert_eq!(fake.issued.load(Ordering::SeqCst), 1, "cached");
    // A token of 2 s is used for half its life, then renewed before it expires.
    let (addr, fake) = start_fake(2).await;
    let f = forwarder(addr, Audience::CloudPartner);
    assert_eq!(publishers(&f).await, StatusCode::OK);
    assert_eq!(publishers(&f).await, StatusCode::OK);
    assert_eq!(fake.issued.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(publishers(&f).await, StatusCode::OK);
    assert_eq!(
        fake.issued.load(Ordering::SeqCst),
        2,
        "renewed before expiry"
    );
    assert_eq!(
        renew_after(Duration::from_secs(3_600)),
        Duration::from_secs(3_300)
    );
    assert_eq!(
        renew_after(Duration::from_secs(60)),
        Duration::from_secs(30)
    );
}

#[tokio::test]
async fn concurrent_requests_share_one_renewal() {
    let (addr, fake) = start_fake(3_600).await;
    fake.delay_ms.store(300, Ordering::Relaxed);
    let f = forwarder(addr, Audience::CloudPartner);
    let all: Vec<_> = (0..12)
        .map(|_| {
            let f = f.clone();
            tokio::spawn(async move { publishers(&f).await })
        })
        .collect();
    for one in all {
        assert_eq!(one.await.expect("task"), StatusCode::OK);
    }
    assert_eq!(
        fake.issued.load(Ordering::SeqCst),
        1,
        "one request to the endpoint"
    );
    assert_eq!(fake.api_calls.load(Ordering::SeqCst), 12);
}

#[tokio::test]
async fn a_rejected_token_is_renewed_and_the_request_sent_once_more() {
    let (addr, fake) = start_fake(3_600).await;
    let f = forwarder(addr, Audience::CloudPartner);
    assert_eq!(publishers(&f).await, StatusCode::OK);
    // The service stops taking tok-1 (revoked, or expired early): renewed, sent again.
    fake.issued.fetch_add(1, Ordering::SeqCst);
    let before = fake.api_calls.load(Ordering::SeqCst);
    assert_eq!(publishers(&f).await, StatusCode::OK);
    assert_eq!(fake.api_calls.load(Ordering::SeqCst) - before, 2);
    assert_eq!(fake.issued.load(Ordering::SeqCst), 3, "one renewal");
    // A service that refuses every token: one renewal, one retry, then its 401 passed on.
    fake.reject_all.store(true, Ordering::Relaxed);
    let (calls, issued) = (
        fake.api_calls.load(Ordering::SeqCst),
        fake.issued.load(Ordering::SeqCst),
    );
    assert_eq!(publishers(&f).await, StatusCode::UNAUTHORIZED);
    assert_eq!(fake.api_calls.load(Ordering::SeqCst) - calls, 2, "no loop");
    assert_eq!(fake.issued.load(Ordering::SeqCst) - issued, 1);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_clear_502_without_the_secret() {
    let (addr, fake) = start_fake(3_600).await;
    fake.failing.store(true, Ordering::Relaxed);
    let f = forwarder(addr, Audience::CloudPartner);
    let request = routes::api(
        &Method::GET,
        "/api/publishers",
        Some("api-version=2017-10-31"),
    )
    .expect("route");
    let path = routes::api_upstream(&request);
    let answer = f
        .forward(Method::GET, path, &HeaderMap::new(), Bytes::new())
        .await
        .expect_err("no token")
        .into_response();
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let body = axum::body::to_bytes(answer.into_body(), 4096)
        .await
        .expect("body");
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("TokenUnavailable"), "{text}");
    assert!(!text.contains("s3cr3t"), "{text}");
    assert_eq!(
        fake.api_calls.load(Ordering::SeqCst),
        0,
        "nothing sent without a token"
    );
    // Back: the next request gets a token.
    fake.failing.store(false, Ordering::Relaxed);
    assert_eq!(publishers(&f).await, StatusCode::OK);
}

#[tokio::test]
async fn v1_asks_for_the_cpp_resource_and_v2_for_the_graph_scope() {
    let (addr, fake) = start_fake(3_600).await;
    publishers(&forwarder(addr, Audience::CloudPartner)).await;
    publishers(&forwarder(addr, Audience::Graph)).await;
    let forms = fake.forms.lock().expect("forms").clone();
    assert_eq!(forms[0].0, "contoso.onmicrosoft.com/oauth2/token");
    assert!(
        forms[0].1.contains("grant_type=client_credentials"),
        "{}",
        forms[0].1
    );
    assert!(
        forms[0]
            .1
            .contains("resource=https%3A%2F%2Fcloudpartner%2Eazure%2Ecom"),
        "{}",
        forms[0].1
    );
    assert!(
        forms[0]
            .1
            .contains("client_secret=s3cr3t%2Bvalue%2Fwith%3Dsigns"),
        "encoded: {}",
        forms[0].1
    );
    assert_eq!(forms[1].0, "contoso.onmicrosoft.com/oauth2/v2.0/token");
    assert!(
        forms[1]
            .1
            .contains("scope=https%3A%2F%2Fgraph%2Emicrosoft%2Ecom%2F%2Edefault"),
        "{}",
        forms[1].1
    );
}

#[test]
fn a_service_principal_is_all_or_nothing_and_never_shows_its_secret() {
    let load = |pairs: &[(&str, &str)]| {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ServicePrincipal::load(|name| env.get(name).cloned(), None, None)
    };
    assert!(load(&[]).expect("nothing set").is_none());
    let partial = load(&[("CPP_PROXY_TENANT_ID", "t")]).expect_err("partial");
    let words = partial.to_string();
    assert!(
        words.contains("CPP_PROXY_CLIENT_ID") && words.contains("client secret"),
        "{words}"
    );
    let odd = load(&[
        ("CPP_PROXY_TENANT_ID", "t/../x"),
        ("CPP_PROXY_CLIENT_ID", "c"),
        ("CPP_PROXY_CLIENT_SECRET", "s"),
    ]);
    assert!(odd.is_err());
    let debug = format!("{:?}", principal());
    assert!(
        !debug.contains("s3cr3t") && debug.contains("<redacted>"),
        "{debug}"
    );
}

#[test]
fn the_proxy_as_a_service_principal_against_the_simulator_logs_no_secret() {
    use std::io::Read;
    let simulator = common::spawn_proxy(&["--simulate"], &[]);
    let mut proxy = std::process::Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .args(["--listen", "127.0.0.1:0", "--upstream", &simulator.base])
        .args([
            "--token-endpoint",
            &format!("{}/_sim/login", simulator.base),
        ])
        .envs([
            ("CPP_PROXY_TENANT_ID", "contoso.onmicrosoft.com"),
            (
                "CPP_PROXY_CLIENT_ID",
                "11111111-2222-3333-4444-555555555555",
            ),
            ("CPP_PROXY_CLIENT_SECRET", SECRET),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = proxy.stdout.take().expect("stdout");
    let mut first = Vec::new();
    let mut byte = [0u8];
    while stdout.read(&mut byte).expect("read") == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let base = String::from_utf8_lossy(&first)
        .trim()
        .strip_prefix("listening on ")
        .expect("address")
        .to_owned();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let status = runtime.block_on(async {
        reqwest::get(format!("{base}/api/publishers?api-version=2017-10-31"))
            .await
            .expect("send")
            .status()
    });
    assert_eq!(
        status, 200,
        "served with a token from the simulator's endpoint"
    );
    let ready = runtime.block_on(async {
        reqwest::get(format!("{base}/readyz"))
            .await
            .expect("send")
            .status()
    });
    assert_eq!(ready, 200);
    let _ = proxy.kill();
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest);
    let mut errors = String::new();
    if let Some(mut e) = proxy.stderr.take() {
        let _ = e.read_to_string(&mut errors);
    }
    let _ = proxy.wait();
    let all = format!("{rest}{errors}");
    assert!(all.contains("fetched a token"), "{all}");
    assert!(
        !all.contains("s3cr3t") && !all.contains("sim-token-"),
        "{all}"
    );
    // One line per request, in the form log searches rely on, without the query.
    assert!(
        all.contains("method=GET path=/api/publishers status=200"),
        "{all}"
    );
    assert!(!all.contains("publishers?api-version"), "{all}");
}

fn base64url_decode(text: &str) -> Vec<u8> {
    publishing_model::base64::decode(text).expect("base64")
}

const CERTIFICATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test-client-certificate.pem"
);

#[tokio::test]
async fn a_client_certificate_signs_an_assertion_entra_can_check() {
    let env: HashMap<&str, &str> = [
        ("CPP_PROXY_TENANT_ID", "contoso.onmicrosoft.com"),
        (
            "CPP_PROXY_CLIENT_ID",
            "11111111-2222-3333-4444-555555555555",
        ),
    ]
    .into();
    let read = |name: &str| env.get(name).map(|v| (*v).to_owned());
    let principal = ServicePrincipal::load(read, None, Some(std::path::Path::new(CERTIFICATE)))
        .expect("valid")
        .expect("configured");
    // x5t: the certificate's SHA-1 thumbprint (openssl: 5E:57:94:29:…), base64url.
    let debug = format!("{principal:?}");
    assert!(debug.contains("x5t=XleUKZZPCEUvfsc3BeSbjhMWHjQ"), "{debug}");
    assert!(!debug.contains("PRIVATE"), "{debug}");
    // A certificate and a secret at once is refused.
    let both: HashMap<&str, &str> = [
        ("CPP_PROXY_TENANT_ID", "t"),
        ("CPP_PROXY_CLIENT_ID", "c"),
        ("CPP_PROXY_CLIENT_SECRET", "s"),
    ]
    .into();
    assert!(ServicePrincipal::load(
        |name| both.get(name).map(|v| (*v).to_owned()),
        None,
        Some(std::path::Path::new(CERTIFICATE))
    )
    .is_err());

    let (addr, fake) = start_fake(3_600).await;
    let source = TokenSource::entra(
        principal,
        Audience::CloudPartner,
        &format!("http://{addr}/login"),
        &outbound(Trust::mozilla()),
    )
    .expect("endpoint");
    let f = Forwarder::new(
        &format!("http://{addr}"),
        Some(source),
        &outbound(Trust::mozilla()),
        1024 * 1024,
    )
    .expect("forwarder");
    assert_eq!(publishers(&f).await, StatusCode::OK);
    let form = fake.forms.lock().expect("forms")[0].1.clone();
    assert!(!form.contains("client_secret"), "{form}");
    assert!(
        form.contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient%2Dassertion%2Dtype%3Ajwt%2Dbearer"),
        "{form}"
    );
    let jwt = form
        .split('&')
        .find_map(|p| p.strip_prefix("client_assertion="))
        .expect("an assertion");
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value =
        serde_json::from_slice(&base64url_decode(parts[0])).expect("header");
    let claims: serde_json::Value =
        serde_json::from_slice(&base64url_decode(parts[1])).expect("claims");
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["x5t"], "XleUKZZPCEUvfsc3BeSbjhMWHjQ");
    assert_eq!(
        claims["aud"],
        format!("http://{addr}/login/contoso.onmicrosoft.com/oauth2/token")
    );
    assert_eq!(claims["iss"], "11111111-2222-3333-4444-555555555555");
    assert_eq!(claims["sub"], claims["iss"]);
    assert_eq!(
        claims["exp"].as_u64().expect("exp") - claims["nbf"].as_u64().expect("nbf"),
        600
    );
    // The signature checks out with the certificate's public key.
    let pem = std::fs::read_to_string(CERTIFICATE).expect("fixture");
    let key_b64: String = pem
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END PRIVATE KEY-----").next())
        .expect("key")
        .to_owned();
    let key = ring::signature::RsaKeyPair::from_pkcs8(&base64url_decode(&key_b64)).expect("key");
    let public = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        ring::signature::KeyPair::public_key(&key).as_ref().to_vec(),
    );
    public
        .verify(
            format!("{}.{}", parts[0], parts[1]).as_bytes(),
            &base64url_decode(parts[2]),
        )
        .expect("a valid RS256 signature");
}
