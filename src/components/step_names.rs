//! The steps by name and status only (the offer page's summary), and the heading every step
//! row shares with the full list ([`super::StepList`]). Kept apart from the full list so that
//! the full list's code (times, estimates, progress) loads with the operation page, not with
//! the app.

use leptos::prelude::*;
use publishing_model::feed::step_anchor;
use publishing_model::{StatusKind, Step};

use crate::words;

/// One step: its status icon, its name (a link to itself) and its status, then `details`.
pub(super) fn step_item(
    anchor: String,
    step: &Step,
    kind: StatusKind,
    details: Option<AnyView>,
) -> impl IntoView {
    let status = step.status_or_unknown();
    let current = kind.is_active().then_some("step");
    view! {
        <li id=anchor.clone() class=format!("steps__item steps__item--{}", kind.slug()) aria-current=current data-testid="timeline-step">
            <span class="steps__icon" aria-hidden="true">{kind.icon()}</span>
            <div class="steps__body">
                <div class="steps__heading">
                    <h3 class="steps__name"><a href=format!("#{anchor}") class="steps__anchor">{step.display_name().to_owned()}</a></h3>
                    <span class=format!("steps__status status-text--{}", kind.slug()) data-testid="step-status">{words::status(&status)}</span>
                </div>
                {details}
            </div>
        </li>
    }
}

/// The steps, names and statuses only.
#[component]
pub fn StepNames(#[prop(into)] steps: Signal<Vec<Step>>) -> impl IntoView {
    let rows = Memo::new(move |_| {
        steps.with(|s| {
            s.iter()
                .enumerate()
                .map(|(i, step)| (step_anchor(i, step), step.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ol class="steps steps--compact" data-testid="timeline">
            <For each=move || rows.get() key=|row| row.clone() let:row>
                {step_item(row.0, &row.1, row.1.status_or_unknown().kind(), None)}
            </For>
        </ol>
    }
}
