//! Untrusted HTML from the service, shown only through the sanitiser.

use leptos::prelude::*;

use crate::sanitize::sanitize_html;

/// Untrusted HTML, sanitised, as markup.
#[component]
pub fn SafeHtml(
    #[prop(into)] html: String,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    let safe = sanitize_html(&html);
    view! { <div class=class inner_html=safe></div> }
}
