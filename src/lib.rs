//! The dashboard: context providers, the router and the page for each route. Nothing else.

pub mod api;
pub mod clock;
pub mod components;
pub mod download;
pub mod i18n;
pub mod navigation;
pub mod on_demand;
pub mod pages;
pub mod remote;
pub mod routes;
pub mod sanitize;
pub mod settings;
pub mod watch_log;
pub mod words;

use leptos::prelude::*;

use crate::pages::{split, NotFound, OfferPage};
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
    // The language: changing it re-mounts the header and the page (lookups are not
    // reactive, so hundreds of texts need no effect each).
    let language = RwSignal::new(i18n::locale());
    provide_context(language);
    // Only a new kind of page (or a new language) mounts a new page; new ids update the one
    // that is there.
    let kind = Memo::new(move |_| (page.with(Page::kind), language.get()));
    Effect::new(move |_| {
        language.track();
        let title = page.with(|p| match p {
            Page::Start => i18n::t("title.start"),
            Page::Publisher(p) => {
                i18n::tf("title.publisher", &[("publisher", p.publisher.as_str())])
            }
            Page::Offer(o) => i18n::tf("title.offer", &[("offer", o.offer.as_str())]),
            Page::Operation(o, _) => i18n::tf("title.operation", &[("offer", o.offer.as_str())]),
            Page::Job(j) => i18n::tf("title.job", &[("job", j.job.as_str())]),
            Page::NotFound => i18n::t("title.not-found"),
        });
        document().set_title(&i18n::tf("title.app", &[("page", &title)]));
    });
    // The header is built a microtask after the page (still before the first paint), so the
    // page's data requests leave before it is built: 15-20 ms sooner on the slow link's CPU.
    let header = RwSignal::new(false);
    queue_microtask(move || header.set(true));
    view! {
        {move || {
            language.track();
            header.get().then(|| view! { <components::Header /> })
        }}
        <main id="main" class="page" tabindex="-1">
            {move || match kind.get().0 {
                // The offer page is in the first load; the others come when first shown.
                PageKind::Start => split::start(),
                PageKind::Publisher => split::publisher(),
                PageKind::Offer => view! { <OfferPage /> }.into_any(),
                PageKind::Operation => split::operation(),
                PageKind::Job => split::job(),
                PageKind::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
    }
}
