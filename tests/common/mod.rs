//! Mounting components into a fresh element of the test page, and reading the DOM back.

#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A fresh container on the page.
pub fn container() -> HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let div = document
        .create_element("div")
        .expect("div")
        .unchecked_into::<HtmlElement>();
    document
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

/// Mounts `view` (with the app's settings, clock and router provided) and returns its container.
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        offer_dashboard::settings::provide_settings();
        offer_dashboard::clock::provide_clock();
        offer_dashboard::navigation::provide_router();
        view()
    });
    // Kept mounted for the rest of the test page's life.
    handle.forget();
    root
}

/// Lets effects and scheduled renders run.
pub async fn settle() {
    for _ in 0..4 {
        leptos::task::tick().await;
    }
}

/// All elements matching `selector` under `root`.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// The one element matching `selector`.
pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// The visible text of `element`.
pub fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

/// Clicks `element`.
pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

/// Waits `ms` milliseconds of the page's time (timers, frames and tasks run meanwhile).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("a timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("the timer fires");
}
