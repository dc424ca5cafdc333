//! What sign-in at the proxy changes in the components, in a real browser: the start page
//! asks for no token, a viewer's actions are shown disabled and say why, an operator's are
//! not.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::*;
use offer_dashboard::components::{CancelControl, ConnectionForm, GoLiveControl};
use offer_dashboard::settings;
use publishing_model::sign_in::{SignIn, User};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn signed_in(operator: bool) -> SignIn {
    SignIn::SignedIn(User {
        name: "Ada".into(),
        upn: "ada@contoso.test".into(),
        operator,
    })
}

fn actions() -> impl IntoView {
    let outcome: Option<Result<String, String>> = None;
    let offer = "contoso-vm".to_owned();
    view! {
        <CancelControl can_cancel=true pending=false outcome=outcome.clone() on_confirm=Callback::new(|_| ()) />
        <GoLiveControl offer=offer can_go_live=true pending=false outcome=outcome on_confirm=Callback::new(|_| ()) />
    }
}

#[wasm_bindgen_test]
async fn a_viewer_sees_cancel_and_go_live_disabled_with_the_reason() {
    offer_dashboard::sign_in::use_sign_in().set(signed_in(false));
    let root = mount(actions);
    settle().await;
    for button in ["cancel-button", "go-live-button"] {
        let b = one(&root, &format!("[data-testid={button}]"));
        assert!(b.has_attribute("disabled"), "{button} is shown, disabled");
        click(&b);
    }
    settle().await;
    assert!(
        all(&root, "[role=alertdialog]").is_empty(),
        "a disabled action opens nothing"
    );
    let said: Vec<String> = all(&root, "[data-testid=operators-only]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(said, ["Operators only", "Operators only"]);

    offer_dashboard::sign_in::use_sign_in().set(signed_in(true));
    settle().await;
    assert!(all(&root, "[data-testid=operators-only]").is_empty());
    let cancel = one(&root, "[data-testid=cancel-button]");
    assert!(!cancel.has_attribute("disabled"));
    click(&cancel);
    settle().await;
    assert_eq!(
        all(&root, "[role=alertdialog]").len(),
        1,
        "an operator confirms"
    );
    offer_dashboard::sign_in::use_sign_in().set(SignIn::Off);
}

#[wasm_bindgen_test]
async fn with_sign_in_the_start_page_asks_for_no_token() {
    offer_dashboard::sign_in::use_sign_in().set(signed_in(false));
    let root = mount(|| view! { <ConnectionForm /> });
    settle().await;
    assert!(all(&root, "[data-testid=token-input]").is_empty());
    assert!(text(&one(&root, "[data-testid=sign-in-note]")).contains("no token is needed"));
    offer_dashboard::sign_in::use_sign_in().set(SignIn::Off);
    settle().await;
    assert_eq!(
        all(&root, "[data-testid=token-input]").len(),
        1,
        "without sign-in, the token field"
    );
}

#[wasm_bindgen_test]
fn a_typed_draft_lasts_for_the_tab_and_is_never_empty() {
    settings::set_draft("publisher", "contoso");
    assert_eq!(settings::draft("publisher").as_deref(), Some("contoso"));
    settings::set_draft("publisher", "");
    assert_eq!(settings::draft("publisher"), None);
}

/// The state is the app's, not a page's: the page that first asked goes, the state stays
/// (a page's own signals are disposed with it).
#[wasm_bindgen_test]
fn the_state_outlives_the_page_that_first_asked() {
    let page = Owner::new();
    page.with(|| offer_dashboard::sign_in::session_ended().set(true));
    page.cleanup();
    drop(page);
    assert!(offer_dashboard::sign_in::session_ended().get_untracked());
    offer_dashboard::sign_in::session_ended().set(false);
}
