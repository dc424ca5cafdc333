//! Any address the app does not know.

use crate::i18n::t;
use leptos::prelude::*;

use crate::routes::href;

/// The not-found page.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="not-found">
            <h1>{t(key!("not-found.title"))}</h1>
            <p>{t(key!("not-found.text"))}</p>
            <p><a href=href("/")>{t(key!("not-found.start"))}</a></p>
        </section>
    }
}
