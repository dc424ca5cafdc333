//! The top bar: the app's name, the way back to the start page, and a clear "demo data" label.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The page header.
#[component]
pub fn Header() -> impl IntoView {
    let location = use_location();
    // The source is the first segment after the base: a live publisher or offer named "demo"
    // must not be labelled as demo data.
    let base = crate::routes::base_path();
    let demo = move || {
        location.pathname.with(|p| {
            p.strip_prefix(base.as_str())
                .unwrap_or(p)
                .starts_with("/demo/")
        })
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <A href="/" attr:class="site-header__title">"Marketplace publishing"</A>
            <Show when=demo>
                <span class="demo-label" data-testid="demo-label" title="Simulated in your browser: one hour passes every second">
                    "Demo data — simulated, not your account"
                </span>
            </Show>
        </header>
    }
}
