//! The offer page: its current status as a compact timeline, and its operations with status
//! filters (kept in the URL query) and text search.

use std::sync::Arc;

use leptos::prelude::*;
use publishing_model::{
    submission_type_label, OfferStatus, OperationIndex, OperationSummary, PublishStatus,
    StatusCount, StatusFilter,
};

mod status;

use super::{use_offer_route, KnownOperations, OfferRoute};
use crate::api::SourceKind;
use crate::components::{
    Breadcrumbs, ErrorPanel, FilterBar, OperationRow, OperationTable, RefreshBar, Skeleton,
    StaleNotice,
};
use crate::remote::{use_polled, Polled};
use crate::router::{use_router, Navigate};
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
    // The service is asked in its own spelling (`waitingForPublisherReview`), not the key.
    let api_status = Memo::new(move |_| {
        filter.with(|f| {
            f.single_status().map(|key| {
                let Ok(status) = key.parse::<PublishStatus>();
                status.as_str().to_owned()
            })
        })
    });
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
        |(_, ops): &Fetched| ops.iter().any(|o| o.effective_status().kind().is_active()),
        interval,
    );
    let status = use_polled(
        move || {
            let client = route.client(&settings);
            let (publisher, offer) = (route.publisher.get(), route.offer.get());
            async move { client?.offer_status(&publisher, &offer).await }
        },
        |st: &OfferStatus| {
            st.status.as_ref().is_some_and(|s| s.kind().is_active())
                || st
                    .steps
                    .iter()
                    .any(|s| s.status_or_unknown().kind().is_active())
        },
        interval,
    );

    let set_filter = Callback::new(move |next: StatusFilter| {
        let typing = next.statuses == filter.get_untracked().statuses;
        let mut params = Vec::new();
        if let Some(s) = next.status_param() {
            params.push(format!("status={}", js_sys::encode_uri_component(&s)));
        }
        if !next.text.is_empty() {
            params.push(format!("q={}", js_sys::encode_uri_component(&next.text)));
        }
        let path = route
            .source
            .get_untracked()
            .map(|s| {
                routes::offer(
                    s,
                    &route.publisher.get_untracked(),
                    &route.offer.get_untracked(),
                )
            })
            .unwrap_or_default();
        let url = if params.is_empty() {
            path
        } else {
            format!("{path}?{}", params.join("&"))
        };
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
            .find(|o| o.effective_status().kind().is_active())?
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
        <Breadcrumbs publisher=publisher_name offer=offer_name />
        <h1 class="page__title">{move || route.offer.get().to_string()}</h1>
        <OfferStatusSection status running />
        <OperationsSection route operations filter api_status set_filter />
    }
}

/// What the operations request returns: the status it asked the API for, and the list.
type Fetched = (Option<String>, Vec<OperationSummary>);

/// One answer, indexed once for filtering.
#[derive(Clone)]
struct Listing {
    ops: Arc<Vec<OperationSummary>>,
    index: Arc<OperationIndex>,
    /// The `status=` it was fetched with (`None`: the full list).
    status: Option<String>,
}

impl PartialEq for Listing {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.ops, &other.ops) && self.status == other.status
    }
}

/// Counts for the toggles. With one status sent to the API the answer holds only that status,
/// so the other counts come from the last full answer, when there was one.
fn toggle_counts(shown: &Listing, full: Option<&Listing>) -> Vec<StatusCount> {
    match (&shown.status, full) {
        (Some(sent), Some(full)) => {
            StatusCount::with_single(full.index.counts(), sent, shown.index.len())
        }
        _ => shown.index.counts().to_vec(),
    }
}

#[component]
fn OperationsSection(
    route: OfferRoute,
    operations: Polled<Fetched>,
    filter: Memo<StatusFilter>,
    api_status: Memo<Option<String>>,
    set_filter: Callback<StatusFilter>,
) -> impl IntoView {
    let loaded = operations.loaded();
    // Each answer is indexed once, when it arrives.
    let current = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref().map(|l| Listing {
                ops: Arc::new(l.data.1.clone()),
                index: Arc::new(OperationIndex::new(&l.data.1)),
                status: l.data.0.clone(),
            })
        })
    });
    // The operation page opened from this list reads type and slot from it.
    let known = KnownOperations::get();
    Effect::new(move |_| {
        if let (Some(listing), Some(source)) = (current.get(), route.source.get()) {
            known.remember(
                (source, route.publisher.get(), route.offer.get()),
                listing.ops.clone(),
            );
        }
    });
    // The last full list, so that clearing a filter shows everything at once while the full
    // list is fetched again.
    let full = RwSignal::new(None::<Listing>);
    Effect::new(move |_| {
        if let Some(listing) = current.get().filter(|l| l.status.is_none()) {
            full.set(Some(listing));
        }
    });
    let shown = Memo::new(move |_| {
        let wanted = api_status.get();
        let current = current.get()?;
        if current.status == wanted {
            return Some(current);
        }
        match (&wanted, full.get()) {
            (None, Some(full)) => Some(full),
            // Filtering the full list by status client-side is right for any status.
            _ if current.status.is_none() => Some(current),
            _ => full.get().or(Some(current)),
        }
    });
    let counts = Memo::new(move |_| {
        shown.with(|s| {
            s.as_ref()
                .map(|s| full.with(|f| toggle_counts(s, f.as_ref())))
                .unwrap_or_default()
        })
    });
    let total = Memo::new(move |_| {
        full.with(|f| f.as_ref().map(|f| f.index.len()))
            .or_else(|| shown.with(|s| s.as_ref().map(|s| s.index.len())))
            .unwrap_or(0)
    });
    let matches = Memo::new(move |_| {
        shown.with(|s| {
            s.as_ref()
                .map(|s| filter.with(|f| s.index.apply(f)))
                .unwrap_or_default()
        })
    });
    let limit = RwSignal::new(crate::components::OPERATIONS_PAGE);
    Effect::new(move |_| {
        filter.track();
        limit.set(crate::components::OPERATIONS_PAGE);
    });
    let rows = Memo::new(move |_| {
        let source = route.source.get().unwrap_or(SourceKind::Demo);
        let (publisher, offer) = (route.publisher.get(), route.offer.get());
        let Some(listing) = shown.get() else {
            return Vec::new();
        };
        matches.with(|m| {
            m.iter()
                .take(limit.get())
                .filter_map(|&i| listing.ops.get(i))
                .map(|op| OperationRow {
                    id: op.id.to_string(),
                    href: routes::href(&routes::operation(source, &publisher, &offer, &op.id)),
                    status: op.effective_status(),
                    submission_type: op
                        .submission_type
                        .as_deref()
                        .map(submission_type_label)
                        .filter(|label| !label.is_empty())
                        .unwrap_or_else(|| "Operation".into()),
                    slot: op.slot.clone().unwrap_or_else(|| "—".into()),
                    versions: format_versions(op.offer_version, op.publishing_version),
                    changed: op.changed_at(),
                    changed_raw: op
                        .changed_time
                        .as_ref()
                        .map(|t| t.raw.clone())
                        .unwrap_or_default(),
                })
                .collect::<Vec<_>>()
        })
    });
    let empty = Signal::derive(move || {
        if total.get() == 0 {
            "This offer has no operations yet.".to_owned()
        } else {
            "No operation matches these filters. Choose “All” or clear the search.".to_owned()
        }
    });
    view! {
        <section class="panel" aria-labelledby="operations-title">
            <div class="panel__heading">
                <h2 id="operations-title">"Operations"</h2>
                <RefreshBar
                    fetched_at=Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.fetched_at)))
                    next_at=operations.next_at
                    busy=operations.busy
                    on_refresh=Callback::new(move |_| operations.refresh())
                />
            </div>
            <FilterBar counts=counts total=total filter=filter on_change=set_filter />
            {move || match operations.current() {
                None => view! { <Skeleton lines=6 label="Loading operations" /> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorPanel error=error retry_at=operations.next_at on_retry=Callback::new(move |_| operations.refresh()) />
                }.into_any(),
                Some(Ok(l)) => view! { <StaleNotice error=l.stale.clone() fetched_at=l.fetched_at retry_at=operations.next_at /> }.into_any(),
            }}
            <Show when=move || shown.with(Option::is_some)>
                <OperationTable
                    rows=rows
                    total=Signal::derive(move || matches.with(Vec::len))
                    empty=empty
                    on_more=Callback::new(move |_| limit.update(|l| *l += crate::components::OPERATIONS_PAGE))
                />
            </Show>
        </section>
    }
}

pub(crate) fn format_versions(offer: Option<u64>, publishing: Option<u64>) -> String {
    match (offer, publishing) {
        (Some(o), Some(p)) => format!("offer {o} · publishing {p}"),
        (Some(o), None) => format!("offer {o}"),
        (None, Some(p)) => format!("publishing {p}"),
        (None, None) => "—".to_owned(),
    }
}
