//! One file per route.

mod job;
mod not_found;
mod offer;
mod operation;
mod publisher;
pub mod split;
mod start;
mod watching;

pub use job::JobPage;
pub use not_found::NotFound;
pub use offer::OfferPage;
pub use operation::OperationPage;
pub use publisher::PublisherPage;
pub use start::StartPage;
pub use watching::WatchingPage;

use leptos::prelude::*;
use std::sync::Arc;

use publishing_model::{OfferId, OperationId, OperationSummary, PublisherId};

use crate::api::{ApiError, Client, Missing, SourceKind};
use crate::routes::Page;
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
        client_for(self.source.get(), settings)
    }

    /// Signals of the ids as text, for display.
    pub(crate) fn names(&self) -> (Signal<String>, Signal<String>) {
        let (source, publisher, offer) = (self.source, self.publisher, self.offer);
        (
            Signal::derive(move || {
                let publisher = publisher.get();
                source
                    .get()
                    .map_or_else(|| publisher.to_string(), |s| s.publisher_name(&publisher))
            }),
            Signal::derive(move || offer.get().to_string()),
        )
    }
}

/// The client for a source read from the URL; an error page when the URL names no known one.
pub(crate) fn client_for(
    source: Option<SourceKind>,
    settings: &Settings,
) -> Result<Client, ApiError> {
    source
        .map(|s| Client::new(s, settings))
        .ok_or(ApiError::NotFound {
            what: Missing::Source,
            detail: None,
        })
}

/// The operations the offer page listed last, so that the operation page opened from it can
/// read an operation's type and slot (which the service's detail lacks) without fetching the
/// list again. Shared, not copied: it is the offer page's own `Arc`.
#[derive(Clone, Copy)]
pub(crate) struct KnownOperations(StoredValue<Option<(OfferKey, Arc<Vec<OperationSummary>>)>>);

/// Which offer a list belongs to.
pub(crate) type OfferKey = (SourceKind, PublisherId, OfferId);

impl KnownOperations {
    /// Provides an empty store; the app does this once.
    pub(crate) fn provide() {
        provide_context(KnownOperations(StoredValue::new(None)));
    }

    /// The store, or a detached one when nothing provided it (a component on its own).
    pub(crate) fn get() -> Self {
        use_context().unwrap_or_else(|| KnownOperations(StoredValue::new(None)))
    }

    /// Keeps the offer's latest list.
    pub(crate) fn remember(&self, offer: OfferKey, operations: Arc<Vec<OperationSummary>>) {
        self.0.set_value(Some((offer, operations)));
    }

    /// The list entry of `operation`, when the offer's list is known.
    pub(crate) fn find(
        &self,
        offer: &OfferKey,
        operation: &OperationId,
    ) -> Option<OperationSummary> {
        self.0.with_value(|known| {
            let (_, operations) = known.as_ref().filter(|(key, _)| key == offer)?;
            operations.iter().find(|op| &op.id == operation).cloned()
        })
    }
}

/// The current page and its parameters, provided by the app.
pub(crate) fn use_page() -> Memo<Page> {
    expect_context()
}

pub(crate) fn use_offer_route() -> OfferRoute {
    let page = use_page();
    let params = follow(page, |p| p.offer().cloned());
    OfferRoute {
        source: Memo::new(move |_| params.with(|p| p.as_ref().and_then(|p| p.source))),
        publisher: Memo::new(move |_| {
            params.with(|p| p.as_ref().map(|p| p.publisher.clone()).unwrap_or_default())
        }),
        offer: Memo::new(move |_| {
            params.with(|p| p.as_ref().map(|p| p.offer.clone()).unwrap_or_default())
        }),
    }
}

/// A page's typed parameters as the address gives them. A page is mounted only for its own
/// kind of address, so `pick` finds them; while the address is already another page's (this
/// one being replaced), the memo keeps the last ones instead of inventing any.
pub(crate) fn follow<T>(page: Memo<Page>, pick: fn(&Page) -> Option<T>) -> Memo<Option<T>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |last: Option<&Option<T>>| page.with(pick).or_else(|| last.cloned().flatten()))
}
