//! The dashboard: context providers, the router and the page for each route. Nothing else.

pub mod api;
pub mod clock;
pub mod components;
pub mod download;
pub mod navigation;
pub mod pages;
pub mod remote;
pub mod routes;
pub mod sanitize;
pub mod settings;
pub mod watch_log;

use leptos::prelude::*;

use crate::pages::{NotFound, OfferPage, OperationPage, PublisherPage, StartPage};
use crate::routes::{Page, PageKind};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    settings::provide_settings();
    pages::KnownOperations::provide();
    clock::provide_clock();
    let router = navigation::provide_router();
    let page = Memo::new(move |_| Page::parse(&router.path()));
    provide_context(page);
    // Only a new kind of page mounts a new page; new ids update the one that is there.
    let kind = Memo::new(move |_| page.with(Page::kind));
    Effect::new(move |_| {
        let title = page.with(|p| match p {
            Page::Start => "Publishing operations".to_owned(),
            Page::Publisher(p) => format!("{} · offers", p.publisher),
            Page::Offer(o) => format!("{} · offer", o.offer),
            Page::Operation(o, _) => format!("Operation · {}", o.offer),
            Page::NotFound => "Page not found".to_owned(),
        });
        document().set_title(&format!("{title} · Marketplace publishing"));
    });
    view! {
        <components::Header />
        <main id="main" class="page" tabindex="-1">
            {move || match kind.get() {
                PageKind::Start => view! { <StartPage /> }.into_any(),
                PageKind::Publisher => view! { <PublisherPage /> }.into_any(),
                PageKind::Offer => view! { <OfferPage /> }.into_any(),
                PageKind::Operation => view! { <OperationPage /> }.into_any(),
                PageKind::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
    }
}
