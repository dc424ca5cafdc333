//! Sign-in at the proxy (when the proxy signs people in): who is signed in, asked when first
//! wanted; the way to sign in and come back to the same address with its filters; signing
//! out. The answers are read by the model ([`publishing_model::sign_in`]).
//!
//! Only the API client's part ([`ended`]), the sign-in link and [`maybe_on`] are in the
//! first load: the rest is used by the header's account widget (fetched only where the proxy
//! signs people in) and the operation and job pages, which the release build loads when
//! first shown (src/pages/split.rs).

use std::cell::OnceCell;

use leptos::prelude::*;
use publishing_model::sign_in::{self, SignIn};

thread_local! {
    /// Who is signed in: one state for the app's life, so it needs no context. Held as an
    /// `ArcRwSignal`, owned by no page: a page's own signals go when it does.
    static STATE: OnceCell<ArcRwSignal<SignIn>> = const { OnceCell::new() };
    /// The API said the session ended (the API client learns it first).
    static ENDED: OnceCell<ArcRwSignal<bool>> = const { OnceCell::new() };
}

/// Who is signed in, or whether anyone signs in: asked of the proxy at the first call.
pub fn use_sign_in() -> RwSignal<SignIn> {
    STATE.with(|s| {
        RwSignal::from(
            s.get_or_init(|| {
                let state = ArcRwSignal::new(SignIn::Unknown);
                let answered = state.clone();
                // Not Leptos's executor: the state may be wanted before anything is mounted.
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = ask().await;
                    answered.update(|s| {
                        if *s == SignIn::Unknown {
                            *s = answer;
                        }
                    });
                });
                state
            })
            .clone(),
        )
    })
}

/// True once the API has answered `SignInRequired`.
pub fn session_ended() -> RwSignal<bool> {
    ENDED.with(|e| RwSignal::from(e.get_or_init(|| ArcRwSignal::new(false)).clone()))
}

/// The API answered `SignInRequired`: nobody is signed in any more.
pub fn ended() {
    session_ended().set(true);
}

/// The loader's question (boot.js): its promise of `{status, body, on}`, if it asked.
fn loader_asked() -> Option<js_sys::Promise> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(&js_sys::global(), &"dashboardMe".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Whether the proxy signs people in, as the loader found (`true` when it did not ask: then
/// the widget asks itself). Only this is in the first load.
pub async fn maybe_on() -> bool {
    let Some(asked) = loader_asked() else {
        return true;
    };
    let Ok(me) = wasm_bindgen_futures::JsFuture::from(asked).await else {
        return false;
    };
    js_sys::Reflect::get(&me, &"on".into())
        .ok()
        .and_then(|on| on.as_bool())
        == Some(true)
}

/// `/auth/me`: the loader's answer, else asked now. Only the proxy's JSON answer counts: a dev
/// server or a static host answers with a page or a 404, which means nobody signs in here.
async fn ask() -> SignIn {
    if let Some(asked) = loader_asked() {
        if let Ok(me) = wasm_bindgen_futures::JsFuture::from(asked).await {
            let field = |name: &str| js_sys::Reflect::get(&me, &name.into()).ok();
            let status = field("status").and_then(|s| s.as_f64()).unwrap_or_default();
            let body = field("body")
                .and_then(|b| b.as_string())
                .unwrap_or_default();
            return sign_in::parse_me(status as u16, &body);
        }
    }
    let Ok(response) = gloo_net::http::Request::get("/auth/me")
        .header("Accept", "application/json")
        .send()
        .await
    else {
        return SignIn::Off;
    };
    let body = response.text().await.unwrap_or_default();
    sign_in::parse_me(response.status(), &body)
}

/// Where to sign in and come back to this page, as it is now.
pub fn login_here() -> String {
    let location = window().location();
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    sign_in::login_href(&here)
}

/// Ends the session at the proxy, then goes to the identity provider's sign-out. `Err` when
/// the proxy could not be asked.
pub async fn sign_out() -> Result<(), ()> {
    let response = gloo_net::http::Request::post("/auth/logout")
        .header("Accept", "application/json")
        .header("X-CSRF", "1")
        .send()
        .await
        .map_err(|_| ())?;
    if !response.ok() {
        return Err(());
    }
    let body = response.text().await.map_err(|_| ())?;
    let to = publishing_model::json::parse(&body)
        .ok()
        .and_then(|v| {
            v.get("redirect")
                .and_then(|r| r.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "/".to_owned());
    ended();
    window().location().assign(&to).map_err(|_| ())
}
