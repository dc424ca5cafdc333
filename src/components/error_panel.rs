//! Errors in words, with what to do, and the retry countdown when the dashboard retries.

use crate::i18n::{number, relative, t, tf};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::clock::use_clock;

fn countdown(now: DateTime<Utc>, at: Option<DateTime<Utc>>) -> Option<String> {
    let secs = (at? - now).num_seconds().max(0);
    Some(tf(key!("error.retrying"), &[("seconds", &number(secs))]))
}

/// A request failed and there is nothing to show instead.
#[component]
pub fn ErrorPanel(
    #[prop(into)] error: Signal<ApiError>,
    /// When the dashboard retries by itself, if it does.
    #[prop(optional, into)]
    retry_at: Signal<Option<DateTime<Utc>>>,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let clock = use_clock();
    view! {
        <section class=move || format!("error-panel error-panel--{}", error.with(ApiError::kind)) role="alert" data-testid="error-panel">
            <h2 class="error-panel__title">{move || error.with(ToString::to_string)}</h2>
            {move || error.with(|e| e.detail().map(|d| view! { <p class="error-panel__detail">{t(key!("error.service-said"))} " " <q>{d.to_owned()}</q></p> }))}
            <p class="error-panel__advice">{move || error.with(ApiError::advice)}</p>
            <p class="error-panel__countdown">{move || countdown(clock.now.get(), retry_at.get())}</p>
            {move || error.with(|e| *e == ApiError::SignInRequired).then(SignInLink)}
            <button type="button" class="button" on:click=move |_| on_retry.run(())>{t(key!("error.try-now"))}</button>
        </section>
    }
}

/// "Sign in", back to this page as it is (with its filters) afterwards: made when shown,
/// which is after the request that found the session ended.
#[component]
pub fn SignInLink() -> impl IntoView {
    view! {
        <a class="button button--primary" href=crate::sign_in::login_here() rel="external" data-testid="sign-in">
            {t(key!("sign-in.link"))}
        </a>
    }
}

/// The latest request failed; older data is still shown.
#[component]
pub fn StaleNotice(
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(into)] fetched_at: Signal<DateTime<Utc>>,
    #[prop(into)] retry_at: Signal<Option<DateTime<Utc>>>,
) -> impl IntoView {
    let clock = use_clock();
    move || {
        error.get().map(|e| {
            view! {
                <div class=format!("stale-notice stale-notice--{}", e.kind()) role="alert" data-testid="stale-notice">
                    <strong>{e.to_string()}</strong>
                    " "
                    {e.detail().map(|d| format!("({d}) "))}
                    <span>
                        {move || tf(key!("error.stale"), &[("time", &relative(clock.now.get(), fetched_at.get()))])}
                        " "
                    </span>
                    <span>{e.advice()}</span>
                    " "
                    <span>{move || countdown(clock.now.get(), retry_at.get())}</span>
                    {(e == ApiError::SignInRequired).then(SignInLink)}
                </div>
            }
        })
    }
}
