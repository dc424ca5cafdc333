//! One file per route.

mod not_found;
mod offer;
mod operation;
mod start;

pub use not_found::NotFound;
pub use offer::OfferPage;
pub use operation::OperationPage;
pub use start::StartPage;

use leptos::prelude::*;
use publishing_model::{OfferId, PublisherId};

use crate::api::{ApiError, Client, SourceKind};
use crate::routes::{OfferParams, Page};
use crate::settings::Settings;

/// The route parameters every offer-level page has.
#[derive(Clone, Copy)]
pub(crate) struct OfferRoute {
    pub source: Memo<Option<SourceKind>>,
    pub publisher: Memo<PublisherId>,
    pub offer: Memo<OfferId>,
}

impl OfferRoute {
    /// The client for the route's source (tracked); an error page when the URL names no
    /// known source.
    pub(crate) fn client(&self, settings: &Settings) -> Result<Client, ApiError> {
        self.source
            .get()
            .map(|s| Client::new(s, settings))
            .ok_or_else(|| ApiError::NotFound {
                what: "data source (the address should start with /demo/ or /live/)".into(),
                detail: None,
            })
    }

    /// Signals of the ids as text, for display.
    pub(crate) fn names(&self) -> (Signal<String>, Signal<String>) {
        let (publisher, offer) = (self.publisher, self.offer);
        (
            Signal::derive(move || publisher.get().to_string()),
            Signal::derive(move || offer.get().to_string()),
        )
    }
}

/// The current page and its parameters, provided by the app.
pub(crate) fn use_page() -> Memo<Page> {
    expect_context()
}

pub(crate) fn use_offer_route() -> OfferRoute {
    let page = use_page();
    let get = move |field: fn(&OfferParams) -> &String| {
        move || page.with(|p| p.offer().map(field).cloned().unwrap_or_default())
    };
    let (source, publisher, offer) = (get(|p| &p.source), get(|p| &p.publisher), get(|p| &p.offer));
    OfferRoute {
        source: Memo::new(move |_| SourceKind::parse(&source())),
        publisher: Memo::new(move |_| PublisherId(publisher())),
        offer: Memo::new(move |_| OfferId(offer())),
    }
}
