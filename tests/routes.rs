//! URL helpers of the app.

#![cfg(target_arch = "wasm32")]

use offer_dashboard::api::SourceKind;
use offer_dashboard::routes;
use wasm_bindgen_test::*;

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
