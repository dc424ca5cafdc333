//! Error views and the connection settings, in a real browser.

#![cfg(target_arch = "wasm32")]

mod common;

use std::time::Duration;

use common::*;
use leptos::prelude::*;
use offer_dashboard::api::{ApiError, CodePart, Missing};
use offer_dashboard::components::{ConnectionForm, ErrorPanel, StaleNotice};
use offer_dashboard::settings::{use_settings, BearerToken};
use publishing_model::{Document, ParseError};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn every_error() -> Vec<(ApiError, &'static str, &'static str)> {
    vec![
        (
            ApiError::Unauthorized {
                detail: None,
                resource: "https://cloudpartner.azure.com",
            },
            "token is missing, invalid or expired",
            "az account get-access-token",
        ),
        (
            ApiError::Forbidden {
                detail: Some("not allowed (Forbidden)".into()),
            },
            "no access to this publisher",
            "publisher id",
        ),
        (
            ApiError::NotFound {
                what: Missing::Operation,
                detail: None,
            },
            "No such operation",
            "Check the publisher, offer and operation ids",
        ),
        (
            ApiError::NotFound {
                what: Missing::Job,
                detail: None,
            },
            "No such configure job",
            "Check the publisher, offer and operation ids",
        ),
        (
            ApiError::NotFound {
                what: Missing::Source,
                detail: None,
            },
            "No such data source",
            "Check the publisher, offer and operation ids",
        ),
        (
            ApiError::BadRequest {
                detail: Some("bad version".into()),
            },
            "refused the request",
            "API version",
        ),
        (
            ApiError::Busy {
                status: 429,
                retry_after: Some(Duration::from_secs(2)),
                detail: None,
            },
            "busy (HTTP 429)",
            "retries by itself",
        ),
        (
            ApiError::Unreachable {
                url: "https://proxy.example/api".into(),
            },
            "https://proxy.example/api could not be reached",
            "proxy is running",
        ),
        (
            ApiError::Timeout { seconds: 20 },
            "did not answer within 20 seconds",
            "retries by itself",
        ),
        (
            ApiError::Unreadable(ParseError {
                document: Document::Operation,
                line: 85,
                column: 9,
                reason: "trailing comma".into(),
            }),
            "could not read the operation: trailing comma (line 85, column 9)",
            "not the CPP API's JSON",
        ),
        (
            ApiError::CodeUnavailable(CodePart::Demo),
            "The demo could not be loaded.",
            "Check your connection, then try again",
        ),
        (
            ApiError::CodeUnavailable(CodePart::Ingestion),
            "The Product Ingestion reader could not be loaded.",
            "Check your connection, then try again",
        ),
        (
            ApiError::SignInRequired,
            "Your session ended. Sign in again.",
            "you come back to this page, with its filters",
        ),
        (
            ApiError::Unexpected {
                status: 418,
                detail: None,
            },
            "HTTP 418",
            "proxy's log",
        ),
    ]
}

#[wasm_bindgen_test]
async fn each_error_has_its_own_words_and_advice() {
    for (error, title, advice) in every_error() {
        let kind = error.kind();
        let retried = RwSignal::new(false);
        let at = Some(chrono::Utc::now() + chrono::TimeDelta::seconds(5));
        let root = mount(
            move || view! { <ErrorPanel error=error retry_at=at on_retry=Callback::new(move |_| retried.set(true)) /> },
        );
        settle().await;
        let panel = one(&root, "[data-testid=error-panel]");
        assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
        assert!(panel.class_name().contains(&format!("error-panel--{kind}")));
        let words = text(&panel);
        assert!(words.contains(title), "{kind}: {words}");
        assert!(words.contains(advice), "{kind}: {words}");
        assert!(words.contains("Retrying in "), "{kind}: countdown shown");
        click(&one(&panel, "button"));
        assert!(retried.get_untracked());
        // Only an ended session offers to sign in.
        assert_eq!(
            all(&panel, "[data-testid=sign-in]").len(),
            usize::from(kind == "sign-in-required"),
            "{kind}"
        );
    }
}

#[wasm_bindgen_test]
async fn service_details_are_quoted() {
    let error = ApiError::BadRequest {
        detail: Some("The API version 2016 is not supported. (InvalidAPIVersion)".into()),
    };
    let root = mount(move || view! { <ErrorPanel error=error on_retry=Callback::new(|_| ()) /> });
    settle().await;
    assert!(text(&root)
        .contains("The service said: The API version 2016 is not supported. (InvalidAPIVersion)"));
}

#[wasm_bindgen_test]
async fn stale_data_is_marked() {
    let error = Some(ApiError::Busy {
        status: 503,
        retry_after: None,
        detail: None,
    });
    let when = chrono::Utc::now() - chrono::TimeDelta::seconds(90);
    let no_retry: Option<chrono::DateTime<chrono::Utc>> = None;
    let root =
        mount(move || view! { <StaleNotice error=error fetched_at=when retry_at=no_retry /> });
    settle().await;
    let notice = one(&root, "[data-testid=stale-notice]");
    assert!(
        text(&notice).contains("Showing data from 1 minute ago"),
        "{}",
        text(&notice)
    );
    let no_error: Option<ApiError> = None;
    let none =
        mount(move || view! { <StaleNotice error=no_error fetched_at=when retry_at=no_retry /> });
    settle().await;
    assert!(all(&none, "[data-testid=stale-notice]").is_empty());
}

fn session_token() -> Option<String> {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .and_then(|s| s.get_item("cpp-dashboard.token").ok().flatten())
}

fn local_values() -> String {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("storage");
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|k| storage.get_item(&k).ok().flatten())
        .collect::<Vec<_>>()
        .join("|")
}

async fn fill_and_save(root: &web_sys::Element, token: &str, remember: bool) {
    let input: web_sys::HtmlInputElement = one(root, "[data-testid=token-input]").unchecked_into();
    input.set_value(token);
    input
        .dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");
    let check: web_sys::HtmlInputElement =
        one(root, "[data-testid=remember-token]").unchecked_into();
    if check.checked() != remember {
        check.click();
    }
    settle().await;
    let form: web_sys::HtmlFormElement =
        one(root, "[data-testid=connection-form]").unchecked_into();
    form.request_submit().expect("submit");
    settle().await;
}

#[wasm_bindgen_test]
async fn the_token_stays_in_memory_unless_the_user_opts_in() {
    let settings_out = RwSignal::new(None);
    let root = mount(move || {
        settings_out.set(Some(use_settings()));
        view! { <ConnectionForm /> }
    });
    settle().await;
    let settings = settings_out.get_untracked().expect("settings");
    let input = one(&root, "[data-testid=token-input]");
    assert_eq!(input.get_attribute("type").as_deref(), Some("password"));

    fill_and_save(&root, "Bearer memory-only-token", false).await;
    assert_eq!(
        settings.token.get_untracked(),
        BearerToken::new("memory-only-token")
    );
    assert_eq!(session_token(), None, "not persisted without opt-in");
    assert!(!local_values().contains("memory-only-token"));
    let field: web_sys::HtmlInputElement = one(&root, "[data-testid=token-input]").unchecked_into();
    assert_eq!(field.value(), "", "the field is cleared after saving");

    // Opting in shows a warning and keeps it for the tab only.
    fill_and_save(&root, "tab-token", true).await;
    assert!(text(&root).contains("session storage until the tab closes"));
    assert_eq!(session_token().as_deref(), Some("tab-token"));
    assert!(!local_values().contains("tab-token"));

    // Forgetting removes it everywhere.
    let forget = all(&root, "button")
        .into_iter()
        .find(|b| text(b) == "Forget token")
        .expect("forget button");
    click(&forget);
    settle().await;
    assert_eq!(session_token(), None);
    assert_eq!(settings.token.get_untracked(), None);
}

#[wasm_bindgen_test]
fn tokens_never_show_in_debug_output() {
    let token = BearerToken::new("Bearer abc.def.ghi").expect("token");
    assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
    assert_eq!(token.header_value(), "Bearer abc.def.ghi");
    assert_eq!(BearerToken::new("   "), None);
}

/// A JWT whose payload says `exp` (header and signature are not read).
fn jwt_expiring(at: chrono::DateTime<chrono::Utc>) -> String {
    let payload = format!(r#"{{"exp":{}}}"#, at.timestamp());
    let encoded = js_sys::global()
        .dyn_into::<web_sys::Window>()
        .expect("window")
        .btoa(&payload)
        .expect("btoa")
        .replace('=', "");
    format!("eyJhbGciOiJSUzI1NiJ9.{encoded}.c2ln")
}

#[wasm_bindgen_test]
async fn a_pasted_token_says_when_it_expires_before_the_service_does() {
    use offer_dashboard::components::TokenNotice;
    let soon = jwt_expiring(chrono::Utc::now() + chrono::TimeDelta::minutes(12));
    let root = mount(move || {
        use_settings().set_token(BearerToken::new(&soon), false);
        view! { <TokenNotice /> }
    });
    settle().await;
    let notice = one(&root, "[data-testid=token-notice]");
    assert!(
        text(&notice).starts_with("The token expires in 1"),
        "{}",
        text(&notice)
    );
    assert_eq!(notice.get_attribute("role").as_deref(), Some("status"));

    let gone = jwt_expiring(chrono::Utc::now() - chrono::TimeDelta::minutes(3));
    let root = mount(move || {
        use_settings().set_token(BearerToken::new(&gone), false);
        view! { <TokenNotice /> }
    });
    settle().await;
    let notice = one(&root, "[data-testid=token-notice]");
    assert!(
        text(&notice).starts_with(
            "The token expired 3 minutes ago: get a new one with az account get-access-token"
        ),
        "{}",
        text(&notice)
    );
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));

    // A token that is fine is mentioned only where asked (the connection form); an opaque
    // token says nothing.
    let later = jwt_expiring(chrono::Utc::now() + chrono::TimeDelta::hours(1));
    let quiet = later.clone();
    let root = mount(move || {
        use_settings().set_token(BearerToken::new(&quiet), false);
        view! { <TokenNotice /> }
    });
    settle().await;
    assert!(all(&root, "[data-testid=token-notice]").is_empty());
    let root = mount(move || {
        use_settings().set_token(BearerToken::new(&later), false);
        view! { <TokenNotice always=true /> }
    });
    settle().await;
    assert!(text(&one(&root, "[data-testid=token-notice]")).starts_with("The token is valid until"));
    let root = mount(move || {
        use_settings().set_token(BearerToken::new("opaque"), false);
        view! { <TokenNotice always=true /> }
    });
    settle().await;
    assert!(all(&root, "[data-testid=token-notice]").is_empty());
}
