//! Preview and live links from the service: only checked `https` URLs become links.

use leptos::prelude::*;
use publishing_model::markup::safe_href;
use publishing_model::Link;

/// The links as a list; `empty` says what to do when there are none.
#[component]
pub fn LinkList(links: Vec<Link>, #[prop(optional)] empty: Option<String>) -> impl IntoView {
    if links.is_empty() {
        return empty
            .map(|empty| view! { <p class="links__empty">{empty}</p> })
            .into_any();
    }
    view! {
        <ul class="links">
            {links
                .into_iter()
                .map(|l| match safe_href(&l.url) {
                    Some(url) => view! { <li><a href=url rel="noopener noreferrer" target="_blank">{l.text}</a></li> }.into_any(),
                    None => view! { <li><span>{l.text}</span></li> }.into_any(),
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
