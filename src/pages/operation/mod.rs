//! The operation page: header, the projection of when it finishes, the strip of estimated
//! durations, every step on a timeline, and cancel while it is still possible.

use leptos::prelude::*;
use publishing_model::eta::project;
use publishing_model::markup::safe_href;
use publishing_model::{
    submission_type_label, Link, OperationDetail, OperationId, OperationSummary, PublishStatus,
};

use super::offer::format_versions;
use super::{use_offer_route, use_page, KnownOperations};
use crate::api::{CancelResult, Client, SourceKind};
use crate::components::{
    step_views, Breadcrumbs, CancelControl, CopyId, DurationStrip, ErrorPanel, EtaSummary,
    MessageList, RefreshBar, Skeleton, StaleNotice, StatusBadge, StepTimeline,
};
use crate::remote::{use_polled, Loaded};
use crate::routes::{self, Page};
use crate::settings::use_settings;

/// The operation page.
#[component]
pub fn OperationPage() -> impl IntoView {
    let route = use_offer_route();
    let settings = use_settings();
    let page = use_page();
    let operation_id = Memo::new(move |_| {
        page.with(|p| match p {
            Page::Operation(_, id) => OperationId(id.clone()),
            _ => OperationId(String::new()),
        })
    });
    let source = move || route.source.get().unwrap_or(SourceKind::Demo);
    let detail = use_polled(
        move || {
            let client = route.client(&settings);
            let (p, o, id) = (route.publisher.get(), route.offer.get(), operation_id.get());
            async move { client?.operation(&p, &o, &id).await }
        },
        |d: &OperationDetail| {
            d.status.as_ref().is_some_and(|s| s.kind().is_active())
                || d.steps
                    .iter()
                    .any(|s| s.status_or_unknown().kind().is_active())
        },
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
            (d.submission_type.is_none() || d.slot.is_none())
                .then(|| d.status.as_ref().map(|s| s.as_str().to_owned()))
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
                Ok(CancelResult::Canceled) => Ok("The operation was canceled.".to_owned()),
                Ok(CancelResult::Accepted(_)) => {
                    Ok("Cancellation accepted: the service is stopping the operation.".to_owned())
                }
                Err(e) => Err(match e.detail() {
                    Some(d) => format!("{e} {d}"),
                    None => format!("{e} {}", e.advice()),
                }),
            };
            detail.refresh();
            result
        }
    });

    let (publisher_name, offer_name) = route.names();
    view! {
        <Breadcrumbs
            publisher=publisher_name
            offer=offer_name
            offer_href=Signal::derive(move || {
                routes::href(&routes::offer(source(), &route.publisher.get(), &route.offer.get()))
            })
        />
        {move || detail.error().get().map(|error| view! {
            <h1 class="page__title">"Operation"</h1>
            <ErrorPanel error=error retry_at=detail.next_at on_retry=Callback::new(move |_| detail.refresh()) />
        })}
        <Show
            when=move || loaded.with(Option::is_some)
            fallback=move || detail.error().with(Option::is_none).then(|| view! { <Skeleton lines=8 label="Loading the operation" /> })
        >
            <OperationView
                loaded=Signal::derive(move || loaded.get())
                id=operation_id
                summary=Signal::derive(move || {
                    summary.current().and_then(Result::ok).and_then(|l| (*l.data).clone())
                })
                next_at=detail.next_at
                busy=detail.busy
                on_refresh=Callback::new(move |_| detail.refresh())
            />
        </Show>
        <CancelControl
            can_cancel=can_cancel
            pending=cancel.pending()
            outcome=cancel.value()
            on_confirm=Callback::new(move |emails: String| { cancel.dispatch(emails); })
        />
    }
}

#[component]
fn OperationView(
    /// Always `Some` here: the page shows this view once data has arrived.
    #[prop(into)]
    loaded: Signal<Option<Loaded<OperationDetail>>>,
    id: Memo<OperationId>,
    #[prop(into)] summary: Signal<Option<OperationSummary>>,
    next_at: RwSignal<Option<chrono::DateTime<chrono::Utc>>>,
    busy: RwSignal<bool>,
    on_refresh: Callback<()>,
) -> impl IntoView {
    let data = move || loaded.get().map(|l| l.data).unwrap_or_default();
    let fetched_at = Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.fetched_at)));
    let stale = Signal::derive(move || loaded.with(|l| l.as_ref().and_then(|l| l.stale.clone())));
    let status = Signal::derive(move || {
        data()
            .status
            .clone()
            .unwrap_or_else(|| PublishStatus::Other("unknown".into()))
    });
    let steps = Memo::new(move |_| data().steps.clone());
    // Projected from the moment the data was fetched, so it moves only when the data does.
    let eta = Memo::new(move |_| steps.with(|s| project(s, fetched_at.get().unwrap_or_default())));
    let views = Signal::derive(move || steps.with(|s| eta.with(|e| step_views(s, &e.steps))));
    let overall = Signal::derive(move || eta.with(|e| e.overall.clone()));
    // "Publish", "Go live"; unknown until the detail or the list entry says.
    let kind_of = move || {
        data()
            .submission_type
            .clone()
            .or_else(|| summary.get().and_then(|s| s.submission_type))
            .map(|raw| submission_type_label(&raw))
            .filter(|label| !label.is_empty())
    };
    let heading =
        move || kind_of().map_or_else(|| "Operation".to_owned(), |k| format!("{k} operation"));
    let slot = move || {
        data()
            .slot
            .clone()
            .or_else(|| summary.get().and_then(|s| s.slot))
            .unwrap_or_else(|| "—".into())
    };
    let versions = move || {
        let d = data();
        format_versions(d.offer_version, d.publishing_version)
    };
    let cancellation = move || {
        data()
            .cancellation_request_state
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| "Not stated".into())
    };
    let messages = Memo::new(move |_| data().messages.clone());
    view! {
        <header class="operation-header">
            <h1 class="page__title">{heading}</h1>
            <dl class="facts">
                <div><dt>"Status"</dt><dd><StatusBadge status=status /></dd></div>
                <div><dt>"Id"</dt><dd>{move || view! { <CopyId id=id.get().to_string() /> }}</dd></div>
                <div><dt>"Type"</dt><dd>{move || kind_of().unwrap_or_else(|| "—".to_owned())}</dd></div>
                <div><dt>"Slot"</dt><dd>{slot}</dd></div>
                <div><dt>"Versions"</dt><dd>{versions}</dd></div>
                <div><dt>"Cancellation"</dt><dd data-testid="cancellation">{cancellation}</dd></div>
                {move || view! { <LinkFacts title="Preview" links=data().preview_links.clone() /> }}
                {move || view! { <LinkFacts title="Live" links=data().live_links.clone() /> }}
            </dl>
            <RefreshBar fetched_at=fetched_at next_at=next_at busy=busy on_refresh=on_refresh />
        </header>
        <StaleNotice error=stale fetched_at=Signal::derive(move || fetched_at.get().unwrap_or_default()) retry_at=next_at />
        <section class="panel" aria-labelledby="projection-title">
            <h2 id="projection-title">"When it finishes"</h2>
            <EtaSummary overall=overall steps=steps />
            <DurationStrip steps=steps />
        </section>
        <section class="panel" aria-labelledby="steps-title">
            <h2 id="steps-title">"Steps"</h2>
            <StepTimeline steps=views />
        </section>
        {move || {
            let messages = messages.get();
            (!messages.is_empty()).then(|| view! {
                <section class="panel" aria-labelledby="messages-title">
                    <h2 id="messages-title">"Messages"</h2>
                    <MessageList messages />
                </section>
            })
        }}
    }
}

#[component]
fn LinkFacts(title: &'static str, links: Vec<Link>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <div>
                <dt>{title}</dt>
                <dd>
                    {links
                        .into_iter()
                        .map(|l| match safe_href(&l.url) {
                            Some(url) => view! { <a href=url rel="noopener noreferrer" target="_blank">{l.text}</a> " " }.into_any(),
                            None => view! { <span>{l.text}</span> " " }.into_any(),
                        })
                        .collect_view()}
                </dd>
            </div>
        }
    })
}
