//! URL helpers of the app.

#![cfg(target_arch = "wasm32")]

use offer_dashboard::api::SourceKind;
use offer_dashboard::routes;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn ids_are_encoded_in_paths() {
    let path = routes::operation(
        SourceKind::Live,
        &"con/toso".into(),
        &"offer one".into(),
        &"5a63?x".into(),
    );
    assert_eq!(
        path,
        "/live/publishers/con%2Ftoso/offers/offer%20one/operations/5a63%3Fx"
    );
    assert_eq!(SourceKind::parse("demo"), Some(SourceKind::Demo));
    assert_eq!(SourceKind::parse("other"), None);
}

#[wasm_bindgen_test]
fn paths_match_their_pages_with_decoded_ids() {
    use routes::{OfferParams, Page, PageKind};
    let offer = OfferParams {
        source: Some(SourceKind::Live),
        publisher: "con/toso".into(),
        offer: "offer one".into(),
    };
    assert_eq!(Page::parse("/"), Page::Start);
    assert_eq!(Page::parse(""), Page::Start);
    assert_eq!(
        Page::parse("/live/publishers/con%2Ftoso/offers/offer%20one"),
        Page::Offer(offer.clone())
    );
    assert_eq!(
        Page::parse("/live/publishers/con%2Ftoso/offers/offer%20one/"),
        Page::Offer(offer.clone()),
        "one trailing slash is the same page"
    );
    assert_eq!(
        Page::parse("/live/publishers/con%2Ftoso/offers/offer%20one/operations/5a63%3Fx"),
        Page::Operation(offer, "5a63?x".into())
    );
    assert_eq!(
        Page::parse("/demo/publishers/north%20wind/"),
        Page::Publisher(offer_dashboard::routes::PublisherParams {
            source: Some(SourceKind::Demo),
            publisher: "north wind".into()
        })
    );
    for unknown in [
        "/live/publishers",
        "/live/publishers/",
        "/live",
        "/live/publishers/p/offers",
        "/live/publishers/p/offers//",
        "/live/publishers//offers/o",
        "//publishers/p/offers/o",
        "/live/publishers/p/offers/o/operations",
        "/live/publishers/p/offers/o/operations/x/y",
        "/live/offers/o",
    ] {
        assert_eq!(Page::parse(unknown), Page::NotFound, "{unknown}");
    }
    // A source the app does not know is still an offer page, with no source: the page
    // itself explains it.
    let unknown = Page::parse("/other/publishers/p/offers/o");
    assert_eq!(unknown.kind(), PageKind::Offer);
    assert_eq!(unknown.offer().map(|p| p.source), Some(None));
}

#[wasm_bindgen_test]
fn query_values_and_escapes_decode_leniently() {
    assert_eq!(
        routes::query_param("status=failed%2Crunning&q=a+b%20c", "q").as_deref(),
        Some("a b c")
    );
    assert_eq!(
        routes::query_param("status=failed&status=running", "status").as_deref(),
        Some("failed"),
        "the first value wins"
    );
    assert_eq!(routes::query_param("flag&x=1", "flag").as_deref(), Some(""));
    assert_eq!(routes::query_param("", "q"), None);
    // Malformed escapes stay as written (the decoding itself is tested in the model).
    assert_eq!(routes::query_param("q=100%", "q").as_deref(), Some("100%"));
}

#[wasm_bindgen_test]
async fn links_inside_the_app_navigate_without_a_page_load() {
    use leptos::prelude::*;
    use offer_dashboard::navigation::{use_router, Navigate, Router};

    let window = web_sys::window().expect("window");
    let start = window.location().pathname().expect("path");
    let path = RwSignal::new(String::new());
    let routers = RwSignal::new(None::<Router>);
    let root = common::mount(move || {
        let router = use_router();
        routers.set(Some(router));
        Effect::new(move |_| path.set(router.path()));
        view! {
            <a id="inside" href="/demo/publishers/p/offers/o?status=failed">"inside"</a>
            <a id="new-tab" href="/demo/publishers/p/offers/other" target="_blank">"new tab"</a>
            <a id="anchor" href="#here">"anchor"</a>
            <span id="here"></span>
        }
    });
    common::settle().await;
    assert_eq!(path.get_untracked(), start);

    // Registered after the router's, this listener sees whether the router took the click,
    // then stops the browser from following any link itself.
    let taken = std::rc::Rc::new(std::cell::Cell::new(None));
    let record = {
        let taken = taken.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            move |event: web_sys::Event| {
                taken.set(Some(event.default_prevented()));
                event.prevent_default();
            },
        )
    };
    use wasm_bindgen::JsCast;
    window
        .add_event_listener_with_callback("click", record.as_ref().unchecked_ref())
        .expect("listener");
    let click = |selector: &str| {
        common::click(&common::one(&root, selector));
        taken.take().expect("the click reached the window")
    };
    assert!(click("#inside"), "an app link is handled in the page");
    common::settle().await;
    assert_eq!(path.get_untracked(), "/demo/publishers/p/offers/o");
    assert_eq!(
        window.location().search().expect("search"),
        "?status=failed"
    );
    assert!(!click("#new-tab"), "another target is the browser's");
    assert!(!click("#anchor"), "an in-page anchor is the browser's");
    window
        .remove_event_listener_with_callback("click", record.as_ref().unchecked_ref())
        .expect("remove");

    // Back returns to where the test page started.
    let popped = js_sys::Promise::new(&mut |resolve, _| {
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        window
            .add_event_listener_with_callback_and_add_event_listener_options(
                "popstate", &resolve, &once,
            )
            .expect("listener");
    });
    window.history().expect("history").back().expect("back");
    wasm_bindgen_futures::JsFuture::from(popped)
        .await
        .expect("popstate");
    common::settle().await;
    assert_eq!(path.get_untracked(), start);

    // A navigation in code replaces or adds an entry; the same address twice adds none.
    let router = routers.get_untracked().expect("router");
    let history = window.history().expect("history");
    let entries = history.length().expect("length");
    router.navigate("/demo/publishers/p/offers/o?q=a%20b", Navigate::REPLACE);
    assert_eq!(history.length().expect("length"), entries);
    assert_eq!(router.query("q").as_deref(), Some("a b"));
    router.navigate("/demo/publishers/p/offers/o?q=a%20b", Navigate::PAGE);
    assert_eq!(
        history.length().expect("length"),
        entries,
        "no duplicate entry"
    );
    common::settle().await;
    assert_eq!(path.get_untracked(), "/demo/publishers/p/offers/o");

    // A change of the page's state reaches the history after the next frame; a new page at
    // once, after any change still unwritten, so the entries keep their order.
    router.navigate("/demo/publishers/p/offers/o?status=failed", Navigate::STEP);
    assert_eq!(router.query("status").as_deref(), Some("failed"));
    assert_eq!(
        window.location().search().expect("search"),
        "?q=a%20b",
        "not yet"
    );
    offer_dashboard::clock::after_next_frame().await;
    common::settle().await;
    assert_eq!(
        window.location().search().expect("search"),
        "?status=failed"
    );
    let entries = history.length().expect("length");
    router.navigate("/demo/publishers/p/offers/o?status=running", Navigate::STEP);
    router.navigate("/demo/publishers/p/offers/o2", Navigate::PAGE);
    assert_eq!(history.length().expect("length"), entries + 2);
    assert!(window
        .location()
        .pathname()
        .expect("path")
        .ends_with("/offers/o2"));
    offer_dashboard::clock::after_next_frame().await;
    common::settle().await;
    assert_eq!(
        history.length().expect("length"),
        entries + 2,
        "written once"
    );
    router.navigate(&start, Navigate::REPLACE);
    offer_dashboard::clock::after_next_frame().await;
    common::settle().await;
    assert_eq!(window.location().search().expect("search"), "");
}
