//! What the operation page shows: a header with the status and the actions beside it, the
//! projection in words, the time axis, the steps with their times, and one message feed.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::i18n::{t, tf};
use crate::words;
use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use publishing_model::changes::{changes, OfferSnapshot, Snapshot};
use publishing_model::compare::compare;
use publishing_model::export::{go_live_ics, GoLiveEvent};
use publishing_model::feed::{feed, FeedEntry};
use publishing_model::history::StepHistory;
use publishing_model::support::{support_details, SupportFacts};
use publishing_model::timeline::{operation_timeline, WatchedOperation};
use publishing_model::{OfferId, OperationDetail, OperationId, OperationSummary, PublisherId};

use crate::api::{recent_request_ids, OfferHistory, SourceKind};
use crate::components::{
    notify, step_titles, CancelControl, ComparisonView, CopyId, GoLiveControl, LinkList,
    MessageFeed, OutlookSummary, RefreshBar, StaleNotice, StatusBadge, StepList, SupportCopy,
    TimeAxis,
};
use crate::download::{download, file_name};
use crate::pages::offer::format_versions;
use crate::remote::Loaded;
use crate::routes;
use crate::settings::use_settings;

/// Everything the page hands to its view.
#[derive(Clone, Copy)]
pub(super) struct PageFacts {
    pub source: Signal<SourceKind>,
    pub loaded: Signal<Option<Loaded<OperationDetail>>>,
    pub id: Memo<OperationId>,
    pub publisher: Memo<PublisherId>,
    pub offer: Memo<OfferId>,
    pub summary: Signal<Option<OperationSummary>>,
    pub history: Signal<Option<OfferHistory>>,
    pub watched: Signal<Option<WatchedOperation>>,
    pub read_up_to: Signal<Option<DateTime<Utc>>>,
    pub next_at: RwSignal<Option<DateTime<Utc>>>,
    pub busy: RwSignal<bool>,
    pub on_refresh: Callback<()>,
    pub can_cancel: Signal<bool>,
    pub cancel_pending: Signal<bool>,
    pub cancel_outcome: Signal<Option<Result<String, String>>>,
    pub on_cancel: Callback<String>,
    /// The offer's name, for the go-live confirmation.
    pub offer_name: Signal<String>,
    pub can_go_live: Signal<bool>,
    pub go_live_pending: Signal<bool>,
    pub go_live_outcome: Signal<Option<Result<String, String>>>,
    pub on_go_live: Callback<String>,
}

/// The operation, once data has arrived.
#[component]
pub(super) fn OperationView(facts: PageFacts) -> impl IntoView {
    let settings = use_settings();
    let detail = Memo::new(move |_| {
        facts
            .loaded
            .with(|l| l.as_ref().map(|l| l.data.clone()))
            .unwrap_or_default()
    });
    let fetched_at =
        Signal::derive(move || facts.loaded.with(|l| l.as_ref().map(|l| l.fetched_at)));
    let stale = Signal::derive(move || {
        facts
            .loaded
            .with(|l| l.as_ref().and_then(|l| l.stale.clone()))
    });
    let steps = Memo::new(move |_| detail.with(|d| d.steps.clone()));
    // Projected from the moment the data was fetched, so it moves when the data does (every
    // poll), not every second; only the axis' running bar follows the clock.
    let timeline = Memo::new(move |_| {
        let at = fetched_at.get().unwrap_or_else(Utc::now);
        let quiet = TimeDelta::hours(settings.quiet_hours.get().into());
        let past = facts.history.get();
        let none = BTreeMap::new();
        let history: &BTreeMap<String, StepHistory> = past.as_ref().map_or(&none, |p| &p.steps);
        facts
            .watched
            .with(|seen| detail.with(|d| operation_timeline(d, seen.as_ref(), history, at, quiet)))
    });
    let headline = Signal::derive(move || timeline.with(|t| t.headline.clone()));
    let titles = Memo::new(move |_| steps.with(|s| step_titles(s)));
    let entries: Memo<Vec<FeedEntry>> =
        Memo::new(move |_| detail.with(|d| feed(&d.messages, &d.steps)));
    // Beside the offer's last successful operation of the same type, once the history has it.
    let comparison = Memo::new(move |_| {
        let past = facts.history.get()?;
        let id = facts.id.get();
        let kind = detail
            .with(|d| d.submission_type.clone())
            .or_else(|| facts.summary.get().and_then(|s| s.submission_type))?;
        let (summary, previous) = past
            .operations
            .iter()
            .find(|(s, _)| s.id != id && s.submission_type.as_deref() == Some(kind.as_str()))?;
        let at = fetched_at.get().unwrap_or_else(Utc::now);
        let c = detail.with(|d| compare(d, previous, at));
        let href = routes::href(&routes::operation(
            facts.source.get(),
            &facts.publisher.get(),
            &facts.offer.get(),
            &summary.id,
        ));
        Some((c, href, summary.changed_at()))
    });
    let compare_head = Memo::new(move |_| {
        comparison.with(|c| c.as_ref().map(|(_, href, ended)| (href.clone(), *ended)))
    });
    let compare_steps = Memo::new(move |_| {
        comparison.with(|c| {
            c.as_ref()
                .map(|(c, ..)| c.steps.clone())
                .unwrap_or_default()
        })
    });
    let compare_new = Memo::new(move |_| {
        comparison.with(|c| {
            c.as_ref()
                .map(|(c, ..)| c.new_messages.clone())
                .unwrap_or_default()
        })
    });
    // Alerts for the operation on screen (when the publisher turned them on, on the overview):
    // a new status, a new error message, a step that became overdue. The first look is none.
    let seen = StoredValue::new(None::<Snapshot>);
    Effect::new(move |_| {
        let (headline, health) = timeline.with(|t| (t.headline.clone(), t.health.clone()));
        let id = facts.id.get();
        let short = id.short();
        let name = tf(
            key!("operation.of"),
            &[("id", &short), ("offer", facts.offer.get().as_str())],
        );
        let snapshot = detail
            .with(|d| OfferSnapshot::from_parts(&name, &d.steps, &d.messages, headline, &health));
        let next: Snapshot = [(OfferId(id.to_string()), snapshot)].into_iter().collect();
        let found = seen.with_value(|old| changes(old.as_ref(), &next));
        seen.set_value(Some(next));
        notify(&found);
    });
    let support = Callback::new(move |()| {
        let (d, t, f) = (
            detail.get_untracked(),
            timeline.get_untracked(),
            entries.get_untracked(),
        );
        support_details(&SupportFacts {
            publisher: facts.publisher.get_untracked().as_str(),
            offer: facts.offer.get_untracked().as_str(),
            operation: facts.id.get_untracked().as_str(),
            detail: d.as_ref(),
            times: &t.times,
            health: &t.health,
            feed: &f,
            request_ids: &recent_request_ids(),
            now: Utc::now(),
        })
    });
    view! {
        <OperationHeader facts detail headline fetched_at support />
        <StaleNotice error=stale fetched_at=Signal::derive(move || fetched_at.get().unwrap_or_default()) retry_at=facts.next_at />
        <section class="panel panel--outlook" aria-labelledby="projection-title">
            <h2 id="projection-title" class="visually-hidden">{t(key!("operation.when"))}</h2>
            <OutlookSummary steps=steps timeline=timeline preview_links=Signal::derive(move || detail.with(|d| d.preview_links.clone())) />
            <GoLiveControl
                offer=facts.offer_name
                can_go_live=facts.can_go_live
                pending=facts.go_live_pending
                outcome=facts.go_live_outcome
                on_confirm=facts.on_go_live
            />
            <CalendarButton facts timeline=timeline />
        </section>
        <section class="panel" aria-labelledby="steps-title">
            <h2 id="steps-title">{t(key!("operation.timeline"))}</h2>
            <TimeAxis steps=steps timeline=timeline />
            <StepList steps=steps timeline=timeline />
        </section>
        {move || compare_head.get().map(|(href, ended)| view! {
            <section class="panel" aria-labelledby="compare-title">
                <h2 id="compare-title">{t(key!("operation.compared"))}</h2>
                <ComparisonView steps=compare_steps new_messages=compare_new href=href ended=ended />
            </section>
        })}
        <Show when=move || entries.with(|e| !e.is_empty())>
            <section class="panel" aria-labelledby="messages-title">
                <h2 id="messages-title">{t(key!("operation.messages"))}</h2>
                <MessageFeed entries=entries titles=titles read_up_to=facts.read_up_to />
            </section>
        </Show>
    }
}

#[component]
fn OperationHeader(
    facts: PageFacts,
    detail: Memo<Arc<OperationDetail>>,
    headline: Signal<publishing_model::PublishStatus>,
    fetched_at: Signal<Option<DateTime<Utc>>>,
    support: Callback<(), String>,
) -> impl IntoView {
    let summary = facts.summary;
    // "Publish", "Go live"; unknown until the detail or the list entry says.
    let kind_of = move || {
        detail
            .with(|d| d.submission_type.clone())
            .or_else(|| summary.get().and_then(|s| s.submission_type))
            .map(|raw| words::submission_type(&raw))
            .filter(|label| !label.is_empty())
    };
    let heading = move || {
        kind_of().map_or_else(
            || t(key!("operation.title")),
            |k| tf(key!("operation.kind"), &[("kind", &k)]),
        )
    };
    let slot = move || {
        detail
            .with(|d| d.slot.clone())
            .or_else(|| summary.get().and_then(|s| s.slot))
            .unwrap_or_else(|| "—".into())
    };
    let versions = move || detail.with(|d| format_versions(d.offer_version, d.publishing_version));
    let cancellation = move || {
        detail.with(|d| {
            d.cancellation_request_state
                .as_ref()
                .map(words::cancellation)
                .unwrap_or_else(|| t(key!("operation.not-stated")))
        })
    };
    let links = move |live: bool| {
        detail.with(|d| {
            if live {
                d.live_links.clone()
            } else {
                d.preview_links.clone()
            }
        })
    };
    view! {
        <header class="operation-header">
            <div class="operation-header__top">
                <h1 class="page__title">{heading}</h1>
                <StatusBadge status=headline />
                <div class="operation-header__actions">
                    <SupportCopy details=support />
                    <CancelControl
                        can_cancel=facts.can_cancel
                        pending=facts.cancel_pending
                        outcome=facts.cancel_outcome
                        on_confirm=facts.on_cancel
                    />
                </div>
            </div>
            <dl class="facts">
                <div><dt>{t(key!("operation.id"))}</dt><dd>{move || view! { <CopyId id=facts.id.get().to_string() /> }}</dd></div>
                <div><dt>{t(key!("ops.type"))}</dt><dd>{move || kind_of().unwrap_or_else(|| "—".to_owned())}</dd></div>
                <div><dt>{t(key!("ops.slot"))}</dt><dd>{slot}</dd></div>
                <div><dt>{t(key!("ops.versions"))}</dt><dd>{versions}</dd></div>
                <div><dt>{t(key!("operation.cancellation"))}</dt><dd data-testid="cancellation">{cancellation}</dd></div>
                <super::audit::AuditFact source=facts.source publisher=facts.publisher offer=facts.offer id=facts.id headline />
                {move || (!links(false).is_empty()).then(|| view! { <div><dt>{t(key!("operation.preview"))}</dt><dd><LinkList links=links(false) /></dd></div> })}
                {move || (!links(true).is_empty()).then(|| view! { <div><dt>{t(key!("operation.live"))}</dt><dd><LinkList links=links(true) /></dd></div> })}
            </dl>
            <RefreshBar fetched_at=fetched_at next_at=facts.next_at busy=facts.busy on_refresh=facts.on_refresh />
        </header>
    }
}

/// "Add the go-live window to a calendar": an `.ics` of the expected window, while there is
/// one with a known end.
#[component]
fn CalendarButton(
    facts: PageFacts,
    timeline: Memo<publishing_model::timeline::OperationTimeline>,
) -> impl IntoView {
    let window = move || timeline.with(|t| t.plan.finish.and_then(|(e, l)| Some((e, l?))));
    let save = move |_| {
        let Some((earliest, latest)) = window() else {
            return;
        };
        let (offer, id) = (facts.offer.get_untracked(), facts.id.get_untracked());
        let url = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let description = tf(
            key!("operation.ics-description"),
            &[("offer", offer.as_str()), ("id", id.as_str())],
        );
        let ics = go_live_ics(&GoLiveEvent {
            operation: id.as_str(),
            offer: offer.as_str(),
            offer_name: offer.as_str(),
            earliest,
            latest,
            description: &description,
            url: &url,
            now: Utc::now(),
        });
        download(
            &file_name(&[offer.as_str(), "go-live"], "ics"),
            "text/calendar;charset=utf-8",
            &ics,
        );
    };
    move || {
        window().map(|_| {
            view! {
                <p class="outlook__calendar">
                    <button type="button" class="button button--small" data-testid="export-ics" on:click=save>
                        {t(key!("operation.ics"))}
                    </button>
                </p>
            }
        })
    }
}
