//! The top bar: the app's name, the way back to the start page, and a clear "demo data" label.

use leptos::prelude::*;

use crate::router::use_router;
use crate::routes;

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
        </header>
    }
}
