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
use leptos_router::hooks::use_params_map;
use publishing_model::{OfferId, PublisherId};

use crate::api::{ApiError, Client, SourceKind};
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

pub(crate) fn use_offer_route() -> OfferRoute {
    let params = use_params_map();
    let get = move |name: &'static str| {
        move |_: Option<&_>| params.with(|p| p.get(name).unwrap_or_default())
    };
    let publisher = Memo::new(get("publisher"));
    let offer = Memo::new(get("offer"));
    OfferRoute {
        source: Memo::new(move |_| {
            params.with(|p| p.get("source").and_then(|s| SourceKind::parse(&s)))
        }),
        publisher: Memo::new(move |_| PublisherId(publisher.get())),
        offer: Memo::new(move |_| OfferId(offer.get())),
    }
}
