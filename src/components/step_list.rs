//! The steps as an ordered list with their times: the text version of the time axis, for
//! screen readers and narrow screens (a vertical timeline on phones). Each step says what
//! happened and when, what is expected, whether it is late or probably stuck, and its
//! estimate once: Microsoft's words, and the offer's own history when known.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::feed::step_anchor;
use publishing_model::history::StepHistory;
use publishing_model::timeline::{
    ahead_words, EndWords, OperationTimeline, StartWords, StepHealth, StepPlan, StepTimes,
};
use publishing_model::{StatusKind, Step};

use super::step_names::step_item;
use super::RelativeTime;
use crate::clock::use_clock;
use crate::i18n::{compose, duration, number, percent, t, tf};

/// Everything one row shows; also its key, so a poll redraws only the rows that changed.
#[derive(Clone, PartialEq, Eq, Hash)]
struct StepRow {
    anchor: String,
    step: Step,
    kind: StatusKind,
    times: StepTimes,
    plan: StepPlan,
    health: StepHealth,
    history: Option<StepHistory>,
    narrowed: bool,
}

type Ahead = (Option<StartWords>, EndWords);

fn rows(steps: &[Step], t: &OperationTimeline) -> Vec<StepRow> {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| StepRow {
            anchor: step_anchor(i, step),
            step: step.clone(),
            kind: step.status_or_unknown().kind(),
            times: t.times.get(i).copied().unwrap_or_default(),
            plan: t.plan.steps.get(i).cloned().unwrap_or(StepPlan::Held),
            health: t.health.get(i).copied().unwrap_or(StepHealth::OnTrack),
            history: t.history.get(i).cloned().flatten(),
            narrowed: t.narrowed.get(i).copied().unwrap_or(false),
        })
        .collect()
}

/// What is expected of each row, in words, at `now`.
fn words(rows: &[StepRow], now: DateTime<Utc>) -> Vec<Option<Ahead>> {
    rows.iter()
        .map(|row| ahead_words(&row.plan, row.kind == StatusKind::NotStarted, now))
        .collect()
}

/// The step list, with each step's times, what is expected, its estimate and progress.
#[component]
pub fn StepList(
    #[prop(into)] steps: Signal<Vec<Step>>,
    #[prop(into)] timeline: Signal<OperationTimeline>,
) -> impl IntoView {
    let rows = Memo::new(move |_| steps.with(|s| timeline.with(|t| rows(s, t))));
    // The plan is made when the data arrives; the clock turns a soonest time that has come
    // into "any moment". Each tick words the rows again (not a copy of the steps), and a row
    // whose words change is drawn again.
    let clock = use_clock();
    let words = Memo::new(move |_| rows.with(|r| words(r, clock.now.get())));
    let each = move || rows.get().into_iter().zip(words.get()).collect::<Vec<_>>();
    view! {
        <ol class="steps" data-testid="timeline">
            <For each=each key=|item| item.clone() let:((row, ahead))>
                <StepItem row ahead />
            </For>
        </ol>
    }
}

#[component]
fn StepItem(row: StepRow, ahead: Option<Ahead>) -> impl IntoView {
    let StepRow {
        anchor,
        step,
        kind,
        times,
        plan,
        health,
        history,
        narrowed,
    } = row;
    let name = step.display_name().to_owned();
    let progress = step
        .progress_percentage
        .filter(|_| kind == StatusKind::Running);
    let details = view! {
        <p class="steps__times" data-testid="step-times">{when(kind, times, &plan, ahead)}</p>
        {health_note(health)}
        <p class="steps__estimate" data-testid="step-estimate">{estimate(&step, history.as_ref(), narrowed)}</p>
        {progress.map(|p| view! {
            <div class="steps__progress">
                <progress max="100" value=p aria-label=tf(key!("steps.progress"), &[("step", &name)])></progress>
                <span data-testid="step-progress">{percent(p)}</span>
            </div>
        })}
        {step.description.clone().filter(|d| !d.trim().is_empty()).map(|d| view! { <p class="steps__description">{d}</p> })}
    };
    step_item(anchor, &step, kind, Some(details.into_any()))
}

/// A sentence with times in it: each `{name}` slot a `<time>` (exact or "about").
fn timed(
    key: crate::i18n::Key,
    args: &[(&str, &str)],
    times: &[(&str, chrono::DateTime<chrono::Utc>, bool)],
) -> Vec<AnyView> {
    compose(key, args, |slot| {
        let at = times.iter().find(|(name, ..)| *name == slot);
        match at {
            Some(&(_, at, about)) => view! { <RelativeTime at=Some(at) about /> }.into_any(),
            None => slot.to_owned().into_any(),
        }
    })
}

/// Real times, then what is expected.
fn when(
    kind: StatusKind,
    times: StepTimes,
    plan: &StepPlan,
    ahead: Option<Ahead>,
) -> impl IntoView {
    let started = times
        .started
        .map(|s| timed(key!("steps.started"), &[], &[("time", s.at, s.about)]));
    let ended = times
        .ended
        .filter(|_| kind.has_ended())
        .map(|e| match times.started {
            Some(s) => timed(
                key!("steps.ended-took"),
                &[("duration", &duration(e.at - s.at))],
                &[("time", e.at, e.about)],
            ),
            None => timed(key!("steps.ended"), &[], &[("time", e.at, e.about)]),
        });
    let expected = match plan {
        StepPlan::Ahead {
            your_move: true, ..
        } => Some(t(key!("steps.your-move")).into_any()),
        StepPlan::Ahead { .. } => ahead.map(|(start, end)| self::ahead(start, end).into_any()),
        StepPlan::Held => Some(t(key!("steps.held")).into_any()),
        StepPlan::Stopped => Some(t(key!("steps.stopped")).into_any()),
        StepPlan::Done => None,
    };
    let nothing = times.started.is_none() && times.ended.is_none() && expected.is_none();
    view! {
        {started} {(times.started.is_some() && times.ended.is_some()).then_some(" · ")} {ended}
        {(times.started.is_some() && expected.is_some()).then_some(" · ")} {expected}
        {nothing.then(|| t(key!("steps.no-times")))}
    }
}

/// What is expected of a step still ahead: when it can start (not started), then when it
/// should end.
fn ahead(start: Option<StartWords>, end: EndWords) -> Vec<AnyView> {
    let mut out = Vec::new();
    if let Some(words) = start {
        let (key, times) = match words {
            StartWords::AnyMoment => (key!("steps.can-start-now"), vec![]),
            StartWords::AfterYourMove => (key!("steps.after-sign-off"), vec![]),
            StartWords::At(at) => (key!("steps.can-start"), vec![("time", at, false)]),
        };
        out = timed(key, &[], &times);
        out.push(" ".into_any());
    }
    let (key, times) = match end {
        EndWords::AnyMoment => (key!("steps.end-any-moment"), vec![]),
        EndWords::AnyMomentOpen => (key!("steps.end-any-moment-open"), vec![]),
        EndWords::By(at) => (key!("steps.expected-by"), vec![("time", at, false)]),
        EndWords::At(at) => (key!("steps.expected-end"), vec![("time", at, false)]),
        EndWords::Between(a, b) => (
            key!("steps.expected-between"),
            vec![("from", a, false), ("to", b, false)],
        ),
        EndWords::NoSoonerThan(at) => (key!("steps.expected-after"), vec![("time", at, false)]),
    };
    out.extend(timed(key, &[], &times));
    out
}

fn health_note(health: StepHealth) -> Option<impl IntoView> {
    match health {
        StepHealth::OnTrack => None,
        StepHealth::Overdue { by } => Some(
            view! {
                <p class="steps__health steps__health--overdue" data-testid="step-health">
                    <span class="steps__health-icon" aria-hidden="true">"⏱"</span>
                    {tf(key!("steps.overdue"), &[("duration", &duration(by))])}
                </p>
            }
            .into_any(),
        ),
        StepHealth::ProbablyStuck { by, quiet } => Some(
            view! {
                <p class="steps__health steps__health--stuck" data-testid="step-health">
                    <span class="steps__health-icon" aria-hidden="true">"⚠"</span>
                    {tf(key!("steps.stuck"), &[("overdue", &duration(by)), ("quiet", &duration(quiet))])}
                </p>
            }
            .into_any(),
        ),
    }
}

/// Microsoft's estimate as sent, once, and the offer's own history beside it.
fn estimate(step: &Step, history: Option<&StepHistory>, narrowed: bool) -> String {
    let stated = step
        .estimated_time_frame
        .as_ref()
        .map(|f| f.text.trim().to_owned())
        .filter(|t| !t.is_empty())
        .map_or_else(
            || t(key!("steps.no-estimate")),
            |text| tf(key!("steps.microsoft"), &[("estimate", &text)]),
        );
    match history {
        Some(h) if h.samples > 1 || h.across_offers => {
            let (min, max) = (duration(h.min), duration(h.max));
            let key = match (h.across_offers, min == max) {
                (true, _) => key!("steps.history-all"),
                (false, true) => key!("steps.history"),
                (false, false) => key!("steps.history-range"),
            };
            let mut text = tf(
                key,
                &[
                    ("count", &number(h.samples as i64)),
                    ("median", &duration(h.median)),
                    ("min", &min),
                    ("max", &max),
                ],
            );
            if narrowed {
                text = format!("{text} {}", t(key!("steps.history-used")));
            }
            format!("{stated} · {text}")
        }
        Some(h) => format!(
            "{stated} · {}",
            tf(
                key!("steps.history-one"),
                &[("duration", &duration(h.median))]
            )
        ),
        None => stated,
    }
}
