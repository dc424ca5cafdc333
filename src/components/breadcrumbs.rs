//! Where the page sits: Start › publisher › offer (› operation).

use leptos::prelude::*;

use crate::routes;

/// The breadcrumb trail. With `offer_href`, the offer links back and the operation is current.
#[component]
pub fn Breadcrumbs(
    #[prop(into)] publisher: Signal<String>,
    #[prop(into)] offer: Signal<String>,
    #[prop(optional, into)] offer_href: Option<Signal<String>>,
) -> impl IntoView {
    let offer_crumb = match offer_href {
        Some(href) => view! { <a href=move || href.get()>{offer}</a> " › " <span aria-current="page">"Operation"</span> }.into_any(),
        None => view! { <span aria-current="page">{offer}</span> }.into_any(),
    };
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=routes::href("/")>"Start"</a>
            " › "
            <span>{publisher}</span>
            " › "
            {offer_crumb}
        </nav>
    }
}
