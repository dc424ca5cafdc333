//! The offer's operations: one answer indexed once, the list shown while another is on its
//! way, status toggles with counts, text search, and the table a page at a time.

use std::sync::Arc;

use crate::i18n::{duration, t, tf, tn};
use crate::words;
use leptos::prelude::*;
use publishing_model::export::{operations_csv, operations_json};
use publishing_model::filter::{choose_list, toggle_counts, ShownList};
use publishing_model::{OperationIndex, OperationSummary, PublishStatus, StatusFilter};

use super::super::{KnownOperations, OfferRoute};
use crate::api::SourceKind;
use crate::components::{
    ErrorPanel, FilterBar, OperationRow, OperationTable, RefreshBar, Skeleton, StaleNotice,
};
use crate::download::{download, file_name};
use crate::on_demand::on_demand;
use crate::remote::Polled;
use crate::routes;

/// What the operations request returns: the status it asked the API for, and the list.
pub(super) type Fetched = (Option<PublishStatus>, Vec<OperationSummary>);

/// One answer, indexed once for filtering.
#[derive(Clone)]
struct Listing {
    ops: Arc<Vec<OperationSummary>>,
    index: Arc<OperationIndex>,
    /// The status it was fetched with (`None`: the full list).
    status: Option<PublishStatus>,
}

impl PartialEq for Listing {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.ops, &other.ops) && self.status == other.status
    }
}

#[component]
pub(super) fn OperationsSection(
    route: OfferRoute,
    operations: Polled<Fetched>,
    filter: Memo<StatusFilter>,
    api_status: Memo<Option<PublishStatus>>,
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
    // list is fetched again: the latest full answer, else the one before.
    let full = Memo::new(move |previous: Option<&Option<Listing>>| {
        current
            .get()
            .filter(|l| l.status.is_none())
            .or_else(|| previous.cloned().flatten())
    });
    let shown = Memo::new(move |_| {
        let latest = current.get()?;
        let have_full = full.with(Option::is_some);
        let choice = api_status
            .with(|wanted| choose_list(wanted.as_ref(), latest.status.as_ref(), have_full));
        match choice {
            ShownList::Full => full.get(),
            ShownList::Latest => Some(latest),
        }
    });
    let counts = Memo::new(move |_| {
        shown.with(|s| {
            s.as_ref()
                .map(|s| {
                    full.with(|f| {
                        toggle_counts(s.status.as_ref(), &s.index, f.as_ref().map(|f| &*f.index))
                    })
                })
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
    // Rows shown, for the filter they were asked under: a new filter starts at one page.
    let more = RwSignal::new((filter.get_untracked(), crate::components::OPERATIONS_PAGE));
    let limit = Memo::new(move |_| {
        more.with(|(asked, rows)| {
            filter.with(|f| {
                if asked == f {
                    *rows
                } else {
                    crate::components::OPERATIONS_PAGE
                }
            })
        })
    });
    let rows = Memo::new(move |_| {
        let source = route.source.get().unwrap_or(SourceKind::Demo);
        let (publisher, offer) = (route.publisher.get(), route.offer.get());
        let Some(listing) = shown.get() else {
            return Vec::new();
        };
        // Durations of running operations are "so far" as of the answer, not ticking.
        let as_of = loaded
            .with(|l| l.as_ref().map(|l| l.fetched_at))
            .unwrap_or_default();
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
                        .map(words::submission_type)
                        .filter(|label| !label.is_empty())
                        .unwrap_or_else(|| t(key!("ops.operation"))),
                    slot: op.slot.clone().unwrap_or_else(|| "—".into()),
                    versions: format_versions(op.offer_version, op.publishing_version),
                    started: op.started_at(),
                    duration: op.duration(as_of).map_or_else(
                        || "—".to_owned(),
                        |d| {
                            if op.is_active() {
                                tf(key!("ops.so-far"), &[("duration", &duration(d))])
                            } else {
                                duration(d)
                            }
                        },
                    ),
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
            t(key!("ops.none"))
        } else {
            t(key!("ops.no-match"))
        }
    });
    view! {
        <section class="panel" aria-labelledby="operations-title">
            <div class="panel__heading">
                <h2 id="operations-title">{t(key!("ops.title"))}</h2>
                <RefreshBar
                    fetched_at=Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.fetched_at)))
                    next_at=operations.next_at
                    busy=operations.busy
                    on_refresh=Callback::new(move |_| operations.refresh())
                />
            </div>
            <FilterBar counts=counts total=total filter=filter on_change=set_filter />
            <ExportButtons
                count=Signal::derive(move || matches.with(Vec::len))
                operations=Callback::new(move |()| {
                    shown.with_untracked(|s| {
                        s.as_ref()
                            .map(|l| matches.with_untracked(|m| m.iter().filter_map(|&i| l.ops.get(i).cloned()).collect()))
                            .unwrap_or_default()
                    })
                })
                offer=Signal::derive(move || route.offer.get().to_string())
            />
            {move || match operations.current() {
                None => view! { <Skeleton lines=6 label=t(key!("ops.loading")) /> }.into_any(),
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
                    on_more=Callback::new(move |_| more.set((filter.get_untracked(), limit.get_untracked() + crate::components::OPERATIONS_PAGE)))
                />
            </Show>
        </section>
    }
}

pub(crate) fn format_versions(offer: Option<u64>, publishing: Option<u64>) -> String {
    match (offer, publishing) {
        (Some(o), Some(p)) => format!(
            "{} · {}",
            tf(key!("ops.offer-version"), &[("version", &o.to_string())]),
            tf(
                key!("ops.publishing-version"),
                &[("version", &p.to_string())]
            )
        ),
        (Some(o), None) => tf(key!("ops.offer-version"), &[("version", &o.to_string())]),
        (None, Some(p)) => tf(
            key!("ops.publishing-version"),
            &[("version", &p.to_string())],
        ),
        (None, None) => "—".to_owned(),
    }
}

// The files are made and saved by code fetched on the first click (a file of its own in the
// release build): most visits never export.
on_demand! { offer_export:
    fn save_operations(ops: Vec<OperationSummary>, offer: String, json: bool) -> bool {
        if json {
            let name = file_name(&[&offer, "operations"], "json");
            download(&name, "application/json", &operations_json(&ops))
        } else {
            let name = file_name(&[&offer, "operations"], "csv");
            download(&name, "text/csv;charset=utf-8", &operations_csv(&ops))
        }
    }
}

/// "Export CSV" and "Export JSON" of the operations as filtered. The label needs only their
/// number; the operations themselves are copied out on a click, not on every filter change
/// (10,000 copies were most of a filter's frame). When the export's code cannot be fetched,
/// says so until a click succeeds.
#[component]
fn ExportButtons(
    #[prop(into)] count: Signal<usize>,
    operations: Callback<(), Vec<OperationSummary>>,
    #[prop(into)] offer: Signal<String>,
) -> impl IntoView {
    let unavailable = RwSignal::new(false);
    // While the export's code is on its way (the first click on a slow link): one file per
    // click, not one per impatient click.
    let saving = RwSignal::new(false);
    let save = move |json: bool| {
        move |_| {
            if saving.get_untracked() {
                return;
            }
            saving.set(true);
            let ops = operations.run(());
            let offer = offer.get_untracked();
            leptos::task::spawn_local(async move {
                let saved = save_operations(ops, offer, json).await;
                saving.set(false);
                unavailable.set(saved.is_err());
            });
        }
    };
    view! {
        <p class="exports">
            <span class="exports__label">{move || tn(key!("ops.export"), count.get() as i64, &[])}</span>
            " "
            <button type="button" class="button button--small" data-testid="export-csv" aria-busy=move || saving.get().then_some("true") on:click=save(false)>"CSV"</button>
            " "
            <button type="button" class="button button--small" data-testid="export-json" aria-busy=move || saving.get().then_some("true") on:click=save(true)>"JSON"</button>
            <Show when=move || unavailable.get()>
                " "
                <span class="exports__error" role="alert" data-testid="export-unavailable">{t(key!("ops.export-unavailable"))}</span>
            </Show>
        </p>
    }
}
