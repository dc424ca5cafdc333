//! Times: relative words that follow the app's clock, the exact local time on hover.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::time_frame::relative;

use crate::clock::use_clock;

/// The exact local date and time, formatted by the browser for the user's locale.
pub fn local_time(at: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// "5 min ago", with the exact time as a tooltip and in `datetime`.
#[component]
pub fn RelativeTime(
    #[prop(into)] at: Signal<Option<DateTime<Utc>>>,
    #[prop(optional, into)] raw: Option<String>,
) -> impl IntoView {
    let clock = use_clock();
    let fallback = raw.unwrap_or_else(|| "unknown".to_owned());
    let text = move || match at.get() {
        Some(t) => relative(clock.now.get(), t),
        None => fallback.clone(),
    };
    view! {
        <time
            datetime=move || at.get().map(|t| t.to_rfc3339())
            title=move || at.get().map(local_time)
        >
            {text}
        </time>
    }
}
