//! The loader (`boot.js`) knows one thing of the app's addresses before the wasm arrives: an
//! offer page of the live service, whose two data requests it sends early. Run under node
//! with a stand-in for the page, it must send exactly the requests the model's route table
//! formats for that offer (the app then takes them over by URL), and none for any other
//! address.

use std::process::Command;

use publishing_model::route::{encode, ApiVersion, CppRequest, CppRoute};
use publishing_model::{OfferId, PublisherId};

/// Runs boot.js at `path` (an app address) and returns the URLs it fetched.
fn fetched(path: &str, query: &str) -> Vec<String> {
    run_loader(path, query, true)
}

/// Runs boot.js at `path`: on a repeat visit (`seen`: this code ran here before), or on a
/// first one, where the app calls `dashboardPrefetchNow` as it starts, twice.
fn run_loader(path: &str, query: &str, seen: bool) -> Vec<String> {
    let seen = if seen { "app_bg.wasm" } else { "other_bg.wasm" };
    let harness = format!(
        r#"
const fetched = [];
const store = (values) => ({{ getItem: (k) => values[k] ?? null, setItem() {{}} }});
const element = () => ({{ setAttribute() {{}}, append() {{}}, replaceChildren() {{}}, addEventListener() {{}}, dataset: {{}} }});
globalThis.localStorage = store({{ 'cpp-dashboard.code-seen': {seen:?} }});
globalThis.sessionStorage = store({{}});
Object.defineProperty(globalThis, 'navigator', {{ value: {{ languages: ['en'] }} }});
globalThis.location = {{ pathname: {path:?}, search: {query:?} }};
globalThis.document = {{
  baseURI: 'https://ops.example.com/',
  body: element(),
  createElement: element,
  querySelector: () => ({{ dataset: {{ appWasm: 'app_bg.wasm', appJs: 'data:text/javascript,export default () => new Promise(() => {{}})' }} }}),
}};
globalThis.fetch = (url) => {{ fetched.push(url); return new Promise(() => {{}}); }};
import({boot:?});
await new Promise((done) => setTimeout(done, 50));
const before = fetched.length;
globalThis.dashboardPrefetchNow();
globalThis.dashboardPrefetchNow();
if ({seen:?} === 'app_bg.wasm' && fetched.length !== before) throw new Error('sent twice');
console.log(JSON.stringify(fetched));
process.exit(0);
"#,
        boot = format!("file://{}", e2e::root().join("boot.js").display()),
    );
    let out = Command::new("node")
        .args(["--input-type=module", "-e", &harness])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON list of URLs")
}

/// What the app asks for an offer page's status and operations, by the route table.
fn app_requests(publisher: &str, offer: &str) -> Vec<String> {
    let (publisher, offer) = (PublisherId::from(publisher), OfferId::from(offer));
    [
        CppRoute::Status {
            publisher: publisher.clone(),
            offer: offer.clone(),
        },
        CppRoute::Submissions {
            publisher,
            offer,
            status: None,
        },
    ]
    .into_iter()
    .map(|route| {
        let path = CppRequest::new(route, ApiVersion::default()).path_and_query();
        format!("https://ops.example.com/api{path}")
    })
    .collect()
}

#[test]
fn the_loader_prefetches_exactly_the_routes_the_app_asks_for() {
    for (publisher, offer) in [
        ("contoso", "contoso-vm"),
        ("north wind", "offer (1)"),
        ("a%2Fb", "ünïcode"),
    ] {
        let page = format!(
            "/live/publishers/{}/offers/{}",
            encode(publisher),
            encode(offer)
        );
        assert_eq!(fetched(&page, ""), app_requests(publisher, offer), "{page}");
        assert_eq!(
            fetched(&format!("{page}/"), ""),
            app_requests(publisher, offer),
            "{page}/"
        );
    }
}

#[test]
fn on_a_first_visit_the_app_has_the_loader_send_them_once_as_it_starts() {
    assert_eq!(
        run_loader("/live/publishers/contoso/offers/contoso-vm", "", false),
        app_requests("contoso", "contoso-vm")
    );
    assert_eq!(
        run_loader("/live/publishers/contoso", "", false),
        Vec::<String>::new()
    );
}

#[test]
fn the_loader_sends_nothing_for_any_other_address() {
    for (path, query) in [
        ("/", ""),
        ("/demo/publishers/contoso/offers/contoso-vm", ""),
        ("/live/publishers/contoso", ""),
        (
            "/live/publishers/contoso/offers/contoso-vm/operations/1",
            "",
        ),
        ("/ingestion/publishers/account/offers/contoso-saas", ""),
    ] {
        assert_eq!(fetched(path, query), Vec::<String>::new(), "{path}");
    }
    // A status filter changes the app's list request: the loader leaves that one to it.
    let page = "/live/publishers/contoso/offers/contoso-vm";
    assert_eq!(
        fetched(page, "?status=running"),
        app_requests("contoso", "contoso-vm")[..1].to_vec()
    );
}
