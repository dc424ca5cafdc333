//! The operation page: the data it fetches (the operation, polled; its list entry for type
//! and slot; the offer's history of step durations, once), the cancel action, and going live
//! at sign-off (then following the new operation). What it shows is in `view`.

mod audit;
mod view;

use crate::i18n::t;
use crate::navigation::{use_router, Navigate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use publishing_model::{OperationDetail, OperationId};

use super::{use_offer_route, use_page, KnownOperations};
use crate::api::{CancelResult, Client, OfferHistory, SourceKind};
use crate::components::{Breadcrumbs, ErrorPanel, Skeleton};
use crate::remote::use_polled;
use crate::routes::{self, Page};
use crate::settings::use_settings;
use crate::watch_log;
use view::{OperationView, PageFacts};

/// The operation page.
#[component]
pub fn OperationPage() -> impl IntoView {
    let route = use_offer_route();
    let settings = use_settings();
    let page = use_page();
    let operation_id = crate::pages::follow(page, |p| match p {
        Page::Operation(_, id) => Some(id.clone()),
        _ => None,
    });
    let operation_id = Memo::new(move |_| operation_id.get().unwrap_or_default());
    let source = move || route.source.get().unwrap_or(SourceKind::Demo);
    let detail = use_polled(
        move || {
            let client = route.client(&settings);
            let (p, o, id) = (route.publisher.get(), route.offer.get(), operation_id.get());
            async move { client?.operation(&p, &o, &id).await }
        },
        OperationDetail::is_active,
        move || source().poll_interval(&settings),
    );
    let loaded = detail.loaded();
    // The service's detail has no type or slot; the operation's list entry has them. Opened
    // from the offer page, that list is already here; otherwise it is fetched, narrowed to
    // the operation's status (an offer can have thousands of operations), and again only if
    // that status changes.
    let known = KnownOperations::get();
    let missing_facts = Memo::new(move |_| {
        loaded.with(|l| {
            let d = &l.as_ref()?.data;
            (d.submission_type.is_none() || d.slot.is_none()).then(|| d.status.clone())
        })
    });
    // Best effort, never polled: without it the page shows "—" for type and slot.
    let summary = use_polled(
        move || {
            let wanted = missing_facts.get();
            let client = route.client(&settings).ok();
            let (p, o, id) = (route.publisher.get(), route.offer.get(), operation_id.get());
            let listed = wanted.as_ref().and_then(|_| {
                let source = route.source.get()?;
                known.find(&(source, p.clone(), o.clone()), &id)
            });
            async move {
                let Some(status) = wanted else {
                    return Ok(None);
                };
                if listed.is_some() {
                    return Ok(listed);
                }
                let Some(client) = client else {
                    return Ok(None);
                };
                let ops = client.operations(&p, &o, status).await.unwrap_or_default();
                Ok(ops.into_iter().find(|op| op.id == id))
            }
        },
        |_| false,
        || std::time::Duration::ZERO,
    );
    let can_cancel = Signal::derive(move || {
        loaded.with(|l| {
            l.as_ref().is_some_and(|l| {
                l.data.can_cancel() && l.data.status.as_ref().is_some_and(|s| s.kind().is_active())
            })
        })
    });
    let cancel = Action::new_local(move |emails: &String| {
        let client = Client::new(source(), &settings);
        let (p, o, emails) = (
            route.publisher.get_untracked(),
            route.offer.get_untracked(),
            emails.clone(),
        );
        async move {
            let result = match client.cancel(&p, &o, &emails).await {
                Ok(CancelResult::Canceled) => Ok(t(key!("cancel.done"))),
                Ok(CancelResult::Accepted(_)) => Ok(t(key!("cancel.accepted"))),
                Err(e) => Err(match e.detail() {
                    Some(d) => format!("{e} {d}"),
                    None => format!("{e} {}", e.advice()),
                }),
            };
            detail.refresh();
            result
        }
    });

    // Going live: only while a step waits for the publisher's sign-off. On success the page
    // follows the new operation (its address replaces nothing: Back returns here).
    let router = use_router();
    let can_go_live = Signal::derive(move || {
        source().goes_live_here()
            && loaded.with(|l| {
                l.as_ref().is_some_and(|l| {
                    l.data.is_active()
                        && l.data.steps.iter().any(|s| {
                            s.status_or_unknown().kind()
                                == publishing_model::StatusKind::WaitingForPublisher
                        })
                })
            })
    });
    let go_live = Action::new_local(move |emails: &String| {
        let client = Client::new(source(), &settings);
        let (s, p, o, emails) = (
            source(),
            route.publisher.get_untracked(),
            route.offer.get_untracked(),
            emails.clone(),
        );
        async move {
            let result = client.go_live(&p, &o, &emails).await;
            detail.refresh();
            match result {
                Ok(Some(id)) => {
                    router.navigate(&routes::operation(s, &p, &o, &id), Navigate::STEP);
                    Ok(t(key!("golive.started")))
                }
                Ok(None) => Ok(t(key!("golive.accepted"))),
                Err(e) => Err(match e.detail() {
                    Some(d) => format!("{e} {d}"),
                    None => format!("{e} {}", e.advice()),
                }),
            }
        }
    });

    // The offer's history of step durations: read once the operation is on screen, one
    // request at a time, and kept for the tab. A nicety: a failure leaves Microsoft's
    // estimates alone and is not retried. (A task, not a resource: a resource of its own type
    // costs kilobytes of wasm.)
    let history = RwSignal::new(None::<OfferHistory>);
    Effect::new(move |asked: Option<Option<OperationId>>| {
        let id = operation_id.get();
        let shown = loaded.with(Option::is_some);
        let asked = asked.flatten();
        if !shown || asked.as_ref() == Some(&id) {
            return asked;
        }
        if let Ok(client) = route.client(&settings) {
            let (p, o, id) = (
                route.publisher.get_untracked(),
                route.offer.get_untracked(),
                id.clone(),
            );
            let live = matches!(source(), SourceKind::Live | SourceKind::Ingestion);
            spawn_local(async move {
                let Ok(found) = client.offer_history(&p, &o, &id).await else {
                    return;
                };
                history.set(Some(found.clone()));
                // Where the proxy watches, its history of every offer's runs fills in.
                if live {
                    if let Some(server) = crate::api::server_history(&p, &o).await {
                        let mut steps = found.steps.clone();
                        server.merge_into(&mut steps);
                        if steps != found.steps {
                            let operations = found.operations.clone();
                            history.set(Some(std::sync::Arc::new(crate::api::OfferPast {
                                steps,
                                operations,
                            })));
                        }
                    }
                }
            });
        }
        Some(id)
    });
    // What this browser saw of the operation across polls and visits.
    let watch_key = Memo::new(move |_| {
        routes::operation(
            source(),
            &route.publisher.get(),
            &route.offer.get(),
            &operation_id.get(),
        )
    });
    let watched = RwSignal::new(None);
    let read_up_to = RwSignal::new(None::<(String, Option<chrono::DateTime<chrono::Utc>>)>);
    Effect::new(move |_| {
        let key = watch_key.get();
        loaded.with(|l| {
            let Some(l) = l.as_ref().filter(|l| l.stale.is_none()) else {
                return;
            };
            watch_log::observe(&key, &l.data.steps, l.fetched_at);
            let seen = watch_log::watched(&key);
            // This visit's "new since your last visit" is measured from what the last one
            // had shown; then everything on screen counts as shown.
            if read_up_to.with_untracked(|r| r.as_ref().is_none_or(|(k, _)| *k != key)) {
                read_up_to.set(Some((
                    key.clone(),
                    seen.as_ref().and_then(|s| s.read_up_to),
                )));
            }
            if let Some(newest) = publishing_model::feed::newest(&l.data.messages, &l.data.steps) {
                watch_log::mark_read(&key, newest);
            }
            watched.set(seen);
        });
    });

    let (publisher_name, offer_name) = route.names();
    let facts = PageFacts {
        source: Signal::derive(source),
        loaded: Signal::derive(move || loaded.get()),
        id: operation_id,
        publisher: route.publisher,
        offer: route.offer,
        summary: Signal::derive(move || {
            summary
                .current()
                .and_then(Result::ok)
                .and_then(|l| (*l.data).clone())
        }),
        history: history.into(),
        watched: watched.into(),
        read_up_to: Signal::derive(move || read_up_to.with(|r| r.as_ref().and_then(|(_, at)| *at))),
        next_at: detail.next_at,
        busy: detail.busy,
        on_refresh: Callback::new(move |_| detail.refresh()),
        can_cancel,
        cancel_pending: cancel.pending().into(),
        cancel_outcome: cancel.value().into(),
        on_cancel: Callback::new(move |emails: String| {
            cancel.dispatch(emails);
        }),
        offer_name,
        can_go_live,
        go_live_pending: go_live.pending().into(),
        go_live_outcome: go_live.value().into(),
        on_go_live: Callback::new(move |emails: String| {
            go_live.dispatch(emails);
        }),
    };
    view! {
        <Breadcrumbs
            publisher=publisher_name
            publisher_href=Signal::derive(move || {
                routes::href(&routes::publisher(source(), &route.publisher.get()))
            })
            offer=offer_name
            offer_href=Signal::derive(move || {
                routes::href(&routes::offer(source(), &route.publisher.get(), &route.offer.get()))
            })
        />
        {move || detail.error().get().map(|error| view! {
            <h1 class="page__title">{t(key!("operation.title"))}</h1>
            <ErrorPanel error=error retry_at=detail.next_at on_retry=Callback::new(move |_| detail.refresh()) />
        })}
        <Show
            when=move || loaded.with(Option::is_some)
            fallback=move || detail.error().with(Option::is_none).then(|| view! { <Skeleton lines=8 label=t(key!("operation.loading")) /> })
        >
            <OperationView facts />
        </Show>
    }
}
