//! The offer's current status: the same projection as an operation's, compact, with its
//! steps and a link to the running operation.

use crate::i18n::t;
use chrono::TimeDelta;
use leptos::prelude::*;
use publishing_model::timeline::operation_timeline;
use publishing_model::OfferStatus;

use crate::components::{
    ErrorPanel, OutlookSummary, Skeleton, StaleNotice, StatusBadge, StepNames,
};
use crate::remote::Polled;
use crate::settings::use_settings;

/// "Current status": the projection, the steps, and the way to the running operation.
#[component]
pub(super) fn OfferStatusSection(
    status: Polled<OfferStatus>,
    #[prop(into)] running: Signal<Option<String>>,
) -> impl IntoView {
    let settings = use_settings();
    let detail = Memo::new(move |_| {
        status
            .current()
            .and_then(Result::ok)
            .map(|l| l.data.as_operation())
            .unwrap_or_default()
    });
    let steps = Memo::new(move |_| detail.with(|d| d.steps.clone()));
    // As of the answer: it moves with each poll, not each second.
    let timeline = Memo::new(move |_| {
        let at = status
            .current()
            .and_then(Result::ok)
            .map_or_else(chrono::Utc::now, |l| l.fetched_at);
        let quiet = TimeDelta::hours(settings.quiet_hours.get().into());
        detail.with(|d| operation_timeline(d, None, &Default::default(), at, quiet))
    });
    let headline = Signal::derive(move || timeline.with(|t| t.headline.clone()));
    view! {
        <section class="panel" aria-labelledby="offer-status-title">
            <h2 id="offer-status-title">{t(key!("offer.current-status"))}</h2>
            {move || match status.current() {
                None => view! { <Skeleton lines=2 label=t(key!("offer.loading-status")) /> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorPanel error=error retry_at=status.next_at on_retry=Callback::new(move |_| status.refresh()) />
                }.into_any(),
                Some(Ok(loaded)) => view! {
                    <StaleNotice error=loaded.stale.clone() fetched_at=loaded.fetched_at retry_at=status.next_at />
                    <p class="offer-status__line">{t(key!("offer.is"))} " " <StatusBadge status=headline /></p>
                    <Show when=move || steps.with(|s| !s.is_empty())>
                        <OutlookSummary steps=steps timeline=timeline operation_href=running compact=true />
                        <StepNames steps=steps />
                    </Show>
                }.into_any(),
            }}
        </section>
    }
}
