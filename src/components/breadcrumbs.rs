//! Where the page sits: Start › publisher (› offer › operation). Every level above the current
//! one is a link: the publisher leads to its overview.

use crate::i18n::t;
use leptos::prelude::*;

use crate::routes;

/// The breadcrumb trail. The last level given is the current page.
#[component]
pub fn Breadcrumbs(
    #[prop(into)] publisher: Signal<String>,
    /// The publisher overview, when the page is below it.
    #[prop(optional, into)]
    publisher_href: Option<Signal<String>>,
    #[prop(optional, into)] offer: Option<Signal<String>>,
    /// The offer page, when the page is an operation.
    #[prop(optional, into)]
    offer_href: Option<Signal<String>>,
) -> impl IntoView {
    let publisher_crumb = match publisher_href {
        Some(href) => view! { <a href=move || href.get()>{publisher}</a> }.into_any(),
        None => view! { <span aria-current="page">{publisher}</span> }.into_any(),
    };
    let offer_crumb = offer.map(|offer| match offer_href {
        Some(href) => view! { " › " <a href=move || href.get()>{offer}</a> " › " <span aria-current="page">{t(key!("crumbs.operation"))}</span> }.into_any(),
        None => view! { " › " <span aria-current="page">{offer}</span> }.into_any(),
    });
    view! {
        <nav class="breadcrumbs" aria-label=t(key!("crumbs.label"))>
            <a href=routes::href("/")>{t(key!("crumbs.start"))}</a>
            " › "
            {publisher_crumb}
            {offer_crumb}
        </nav>
    }
}
