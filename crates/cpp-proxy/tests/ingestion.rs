//! The second upstream profile, Product Ingestion under `/graph`: its own allow-list, its own
//! upstream and its own token; and the simulator answering it from the same world.

mod common;

use common::*;

/// The query every Product Ingestion call carries.
const PV: &str = "$version=2022-07-01";

/// A CPP upstream and a Product Ingestion upstream, both fakes, and the proxy in front.
async fn two_upstreams(extra: &[&str]) -> (std::net::SocketAddr, Log, Log) {
    let (cpp, cpp_log) = upstream().await;
    let (graph, graph_log) = upstream().await;
    let cpp_url = format!("http://{cpp}");
    let graph_url = format!("http://{graph}/rp/product-ingestion");
    let mut all = vec!["--upstream", &cpp_url, "--graph-upstream", &graph_url];
    all.extend_from_slice(extra);
    (proxy(&all).await, cpp_log, graph_log)
}

#[tokio::test]
async fn every_product_ingestion_route_is_forwarded_to_its_own_upstream() {
    let (addr, cpp, graph) = two_upstreams(&[]).await;
    for (path, upstream) in [
        (format!("/graph/product?{PV}"), format!("/rp/product-ingestion/product?{PV}")),
        (
            "/graph/product?%24version=2022-07-01&externalId=contoso-saas".to_owned(),
            format!("/rp/product-ingestion/product?{PV}&externalId=contoso%2Dsaas"),
        ),
        (
            format!("/graph/product?{PV}&$skipToken=eyJwIjoyfQ%3D%3D"),
            format!("/rp/product-ingestion/product?{PV}&$skipToken=eyJwIjoyfQ%3D%3D"),
        ),
        (
            format!("/graph/submission/product/ffffffff-ffff-ffff-ffff-ffffffffffff?{PV}"),
            format!("/rp/product-ingestion/submission/product/ffffffff-ffff-ffff-ffff-ffffffffffff?{PV}"),
        ),
        (
            format!("/graph/configure/c32dd7e8-8619-462d-a96b-0ac1974bace5/status?{PV}"),
            format!("/rp/product-ingestion/configure/c32dd7e8-8619-462d-a96b-0ac1974bace5/status?{PV}"),
        ),
    ] {
        let r = fetch(addr, &path).await;
        assert_eq!(r.status(), 200, "{path}");
        let seen = graph.lock().expect("log").last().cloned().expect("forwarded");
        assert_eq!(seen.method, "GET");
        assert_eq!(seen.path_and_query.replace("%24", "$").replace("%2D", "-"), upstream.replace("%2D", "-"), "{path}");
    }
    assert!(
        cpp.lock().expect("log").is_empty(),
        "nothing reached the CPP upstream"
    );

    let r = client()
        .post(url(addr, &format!("/graph/configure/job-1/cancel?{PV}")))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 202, "the upstream's status, passed back");
    let seen = graph
        .lock()
        .expect("log")
        .last()
        .cloned()
        .expect("forwarded");
    assert_eq!(seen.method, "POST");
    assert!(seen
        .path_and_query
        .starts_with("/rp/product-ingestion/configure/job-1/cancel?"));
}

#[tokio::test]
async fn each_profile_sends_only_its_own_token() {
    let cpp_token = temp_path("cpp-token");
    let graph_token = temp_path("graph-token");
    std::fs::write(&cpp_token, "cpp-secret\n").expect("write");
    std::fs::write(&graph_token, "graph-secret\n").expect("write");
    let (cpp_path, graph_path) = (
        cpp_token.to_string_lossy().into_owned(),
        graph_token.to_string_lossy().into_owned(),
    );
    let (addr, cpp, graph) =
        two_upstreams(&["--token-file", &cpp_path, "--graph-token-file", &graph_path]).await;
    assert_eq!(
        fetch(addr, &format!("/graph/product?{PV}")).await.status(),
        200
    );
    assert_eq!(
        fetch(addr, &format!("/api/publishers?{V}")).await.status(),
        200
    );
    let auth = |log: &Log| {
        log.lock().expect("log")[0]
            .headers
            .get("authorization")
            .map(|v| v.to_str().expect("ascii").to_owned())
    };
    assert_eq!(auth(&graph).as_deref(), Some("Bearer graph-secret"));
    assert_eq!(auth(&cpp).as_deref(), Some("Bearer cpp-secret"));
    let _ = std::fs::remove_file(cpp_token);
    let _ = std::fs::remove_file(graph_token);
}

#[tokio::test]
async fn the_product_ingestion_allow_list_refuses_everything_else() {
    let (addr, _, graph) = two_upstreams(&[]).await;
    for (path, status) in [
        (format!("/graph/product/ffffffff?{PV}"), 404),
        (format!("/graph/resource-tree/product/x?{PV}"), 404),
        (format!("/graph/configure?{PV}"), 404),
        // The client already resolves the dots: /graph/configure/status.
        (format!("/graph/configure/a/../status?{PV}"), 404),
        (format!("/graph/submission/product/a%20b?{PV}"), 400),
        ("/graph/product".to_owned(), 400),
        ("/graph/product?$version=latest".to_owned(), 400),
        (format!("/graph/product?{PV}&$filter=x"), 400),
        (format!("/graph/product?{PV}&externalId=a%2Fb"), 400),
        (
            format!("/graph/product?{PV}&externalId=a&externalId=b"),
            400,
        ),
        (
            format!("/graph/submission/product/x?{PV}&externalId=a"),
            400,
        ),
        (format!("/graph/product?{PV}&$skipToken="), 400),
        (format!("/graph/product?{PV}&$skipToken=a%26b"), 400),
    ] {
        let r = fetch(addr, &path).await;
        assert_eq!(r.status(), status, "{path}");
    }
    // The one POST needs JSON (so browsers preflight it); the GETs refuse POST.
    let post = |path: String, json: bool| {
        let mut request = client().post(url(addr, &path)).body("{}");
        if json {
            request = request.header("content-type", "application/json");
        }
        request.send()
    };
    assert_eq!(
        post(format!("/graph/configure/j/cancel?{PV}"), false)
            .await
            .expect("send")
            .status(),
        400
    );
    assert_eq!(
        post(format!("/graph/product?{PV}"), true)
            .await
            .expect("send")
            .status(),
        405
    );
    let get_cancel = fetch(addr, &format!("/graph/configure/j/cancel?{PV}")).await;
    assert_eq!(get_cancel.status(), 405);
    assert_eq!(get_cancel.headers()["allow"], "POST");
    assert!(
        graph.lock().expect("log").is_empty(),
        "nothing refused was forwarded"
    );
}

#[tokio::test]
async fn the_simulator_answers_product_ingestion_from_the_same_world() {
    let addr = proxy(&["--simulate", "--offers", "150", "--speed", "0"]).await;
    let first: serde_json::Value = fetch(addr, &format!("/graph/product?{PV}"))
        .await
        .json()
        .await
        .expect("json");
    let products = first["value"].as_array().expect("value");
    assert_eq!(products.len(), 100);
    let next = first["@nextLink"].as_str().expect("a second page");
    let token = next.rsplit_once("$skipToken=").expect("token").1;
    let second: serde_json::Value = fetch(addr, &format!("/graph/product?{PV}&$skipToken={token}"))
        .await
        .json()
        .await
        .expect("json");
    assert!(second["value"].as_array().is_some_and(|v| !v.is_empty()));

    // The CPP side's first offer is a product with its offer id as the external id.
    let offers: serde_json::Value = fetch(addr, &format!("/api/publishers/contoso/offers?{V}"))
        .await
        .json()
        .await
        .expect("json");
    let offer = offers[0]["id"].as_str().expect("offer id");
    let found: serde_json::Value = fetch(addr, &format!("/graph/product?{PV}&externalId={offer}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found["value"][0]["identity"]["externalId"], offer);
    let durable = found["value"][0]["id"].as_str().expect("durable id");
    let guid = durable.strip_prefix("product/").expect("product/…");
    let submissions = fetch(addr, &format!("/graph/submission/product/{guid}?{PV}")).await;
    assert_eq!(submissions.status(), 200);
    let submissions: serde_json::Value = submissions.json().await.expect("json");
    assert!(submissions["value"].is_array());
    let missing = fetch(
        addr,
        &format!("/graph/submission/product/00000000-0000-0000-0000-000000000000?{PV}"),
    )
    .await;
    assert_eq!(missing.status(), 404);

    // A configure job is an operation of the same world: cancel it once, then 400.
    let ops: serde_json::Value = fetch(
        addr,
        &format!("/api/publishers/contoso/offers/{offer}/submissions?{V}"),
    )
    .await
    .json()
    .await
    .expect("json");
    let job = ops
        .as_array()
        .and_then(|o| o.last())
        .and_then(|o| o["id"].as_str())
        .expect("an operation");
    let status = fetch(addr, &format!("/graph/configure/{job}/status?{PV}")).await;
    assert_eq!(status.status(), 200);
    let status: serde_json::Value = status.json().await.expect("json");
    assert_eq!(status["jobId"], job);
    let cancel = || {
        client()
            .post(url(addr, &format!("/graph/configure/{job}/cancel?{PV}")))
            .header("content-type", "application/json")
            .body("{}")
            .send()
    };
    let first = cancel().await.expect("send");
    if status["jobStatus"] != "completed" {
        assert_eq!(first.status(), 200);
    }
    let again = cancel().await.expect("send");
    assert_eq!(again.status(), 400);
    let body: serde_json::Value = again.json().await.expect("json");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("already completed")));

    // Faults reach this profile too.
    let fault = fetch(
        addr,
        &format!("/graph/configure/fault-forbidden/status?{PV}"),
    )
    .await;
    assert_eq!(fault.status(), 403);
}
