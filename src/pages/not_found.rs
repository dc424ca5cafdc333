//! Any address the app does not know.

use leptos::prelude::*;

use crate::routes::href;

/// The not-found page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="not-found">
            <h1>"This page does not exist"</h1>
            <p>"The address may be mistyped or from an older version of the dashboard."</p>
            <p><a href=href("/")>"Go to the start page"</a></p>
        </section>
    }
}
