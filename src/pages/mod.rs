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

use crate::api::SourceKind;

/// The route parameters every offer-level page has.
#[derive(Clone, Copy)]
pub(crate) struct OfferRoute {
    pub source: Memo<Option<SourceKind>>,
    pub publisher: Memo<PublisherId>,
    pub offer: Memo<OfferId>,
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
