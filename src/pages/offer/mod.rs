//! The offer page: its current status as a compact timeline, and its operations with status
//! filters (kept in the URL query) and text search.

use leptos::prelude::*;
use publishing_model::{OfferStatus, OperationSummary, StatusFilter};

mod operations;
mod status;

pub(crate) use operations::format_versions;
use operations::{Fetched, OperationsSection};

use super::use_offer_route;
use crate::api::SourceKind;
use crate::components::Breadcrumbs;
use crate::navigation::{use_router, Navigate};
use crate::remote::use_polled;
use crate::routes;
use crate::settings::use_settings;
use status::OfferStatusSection;

/// The offer page.
#[component]
pub fn OfferPage() -> impl IntoView {
    let route = use_offer_route();
    let settings = use_settings();
    let router = use_router();
    let filter = Memo::new(move |_| {
        StatusFilter::from_query(
            router.query("status").as_deref(),
            router.query("q").as_deref(),
        )
    });
    // A single chosen status is also sent to the API (in its spelling, by the client).
    let api_status = Memo::new(move |_| filter.with(StatusFilter::single_status));
    Effect::new(move |_| {
        settings.remember_offer(route.publisher.get().as_str(), route.offer.get().as_str())
    });

    let interval = move || {
        route
            .source
            .get()
            .unwrap_or(SourceKind::Demo)
            .poll_interval(&settings)
    };
    let operations = use_polled(
        move || {
            let client = route.client(&settings);
            let (publisher, offer, status) =
                (route.publisher.get(), route.offer.get(), api_status.get());
            async move {
                let ops = client?
                    .operations(&publisher, &offer, status.clone())
                    .await?;
                Ok((status, ops))
            }
        },
        |(_, ops): &Fetched| ops.iter().any(OperationSummary::is_active),
        interval,
    );
    let status = use_polled(
        move || {
            let client = route.client(&settings);
            let (publisher, offer) = (route.publisher.get(), route.offer.get());
            async move { client?.offer_status(&publisher, &offer).await }
        },
        OfferStatus::is_active,
        interval,
    );

    let set_filter = Callback::new(move |next: StatusFilter| {
        let typing = next.statuses == filter.get_untracked().statuses;
        let Some(source) = route.source.get_untracked() else {
            return;
        };
        let url = routes::offer_filtered(
            source,
            &route.publisher.get_untracked(),
            &route.offer.get_untracked(),
            &next,
        );
        // Typing replaces the history entry; a toggle is a step back can undo.
        router.navigate(
            &url,
            if typing {
                Navigate::REPLACE
            } else {
                Navigate::STEP
            },
        );
    });

    // The operation running now, for the status section's link to it.
    let running = Signal::derive(move || {
        let source = route.source.get()?;
        let op = operations
            .current()?
            .ok()?
            .data
            .1
            .iter()
            .find(|o| o.is_active())?
            .id
            .clone();
        Some(routes::href(&routes::operation(
            source,
            &route.publisher.get(),
            &route.offer.get(),
            &op,
        )))
    });
    let (publisher_name, offer_name) = route.names();
    view! {
        <Breadcrumbs
            publisher=publisher_name
            publisher_href=Signal::derive(move || {
                let source = route.source.get().unwrap_or(SourceKind::Demo);
                routes::href(&routes::publisher(source, &route.publisher.get()))
            })
            offer=offer_name
        />
        <h1 class="page__title">{move || route.offer.get().to_string()}</h1>
        <OfferStatusSection status running />
        <OperationsSection route operations filter api_status set_filter />
    }
}
