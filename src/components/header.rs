//! The top bar: the app's name, the way back to the start page, a clear "demo data" label,
//! and the display settings (local time or UTC; when a late step counts as stuck).

use leptos::prelude::*;

use crate::navigation::use_router;
use crate::routes;
use crate::settings::use_settings;

/// The page header.
#[component]
pub fn Header() -> impl IntoView {
    let router = use_router();
    // The source is the first segment of the app path: a live publisher or offer named
    // "demo" must not be labelled as demo data.
    let demo = move || router.path().starts_with("/demo/");
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a href=routes::href("/") class="site-header__title">"Marketplace publishing"</a>
            <Show when=demo>
                <span class="demo-label" data-testid="demo-label" title="Simulated in your browser: one hour passes every second">
                    "Demo data — simulated, not your account"
                </span>
            </Show>
            <DisplaySettings />
        </header>
    }
}

/// Local time or UTC, and the hours of silence after which a late step is "probably stuck".
#[component]
fn DisplaySettings() -> impl IntoView {
    let settings = use_settings();
    let on_zone = move |utc: bool| move |_| settings.set_utc(utc);
    let on_quiet = move |ev: leptos::ev::Event| {
        if let Ok(hours) = event_target_value(&ev).trim().parse::<u32>() {
            settings.set_quiet_hours(hours);
        }
    };
    view! {
        <details class="display-settings">
            <summary class="display-settings__summary">
                "Times: " <span data-testid="zone-choice">{move || if settings.utc.get() { "UTC" } else { "local" }}</span>
            </summary>
            <div class="display-settings__body">
                <fieldset class="display-settings__zone">
                    <legend>"Show times in"</legend>
                    <label><input type="radio" name="zone" checked=move || !settings.utc.get() on:change=on_zone(false) />" Local time"</label>
                    <label><input type="radio" name="zone" checked=move || settings.utc.get() on:change=on_zone(true) />" UTC"</label>
                </fieldset>
                <label class="display-settings__quiet">
                    "Call a late step stuck after "
                    <input type="number" min="1" max="720" inputmode="numeric" prop:value=move || settings.quiet_hours.get().to_string() on:change=on_quiet />
                    " hours without a message"
                </label>
            </div>
        </details>
    }
}
