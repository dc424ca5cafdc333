//! The steps as an ordered list with their times: the text version of the time axis, for
//! screen readers and narrow screens (a vertical timeline on phones). Each step says what
//! happened and when, what is expected, whether it is late or probably stuck, and its
//! estimate once: Microsoft's words, and the offer's own history when known.

use leptos::prelude::*;
use publishing_model::feed::step_anchor;
use publishing_model::history::StepHistory;
use publishing_model::timeline::{OperationTimeline, StepHealth, StepPlan, StepTimes};
use publishing_model::{time_frame, StatusKind, Step};

use super::RelativeTime;
use crate::clock::use_clock;
use crate::i18n::{compose, duration, k, number, percent, t, tf};
use crate::words;

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

/// The step list. `compact` shows names and statuses only.
#[component]
pub fn StepList(
    #[prop(into)] steps: Signal<Vec<Step>>,
    #[prop(into)] timeline: Signal<OperationTimeline>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let rows = Memo::new(move |_| steps.with(|s| timeline.with(|t| rows(s, t))));
    view! {
        <ol class=if compact { "steps steps--compact" } else { "steps" } data-testid="timeline">
            <For each=move || rows.get() key=|row| row.clone() let:row>
                <StepItem row compact />
            </For>
        </ol>
    }
}

#[component]
fn StepItem(row: StepRow, compact: bool) -> impl IntoView {
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
    let status = step.status_or_unknown();
    let name = step.display_name().to_owned();
    let current = kind.is_active().then_some("step");
    let progress = step
        .progress_percentage
        .filter(|_| kind == StatusKind::Running);
    view! {
        <li id=anchor.clone() class=format!("steps__item steps__item--{}", kind.slug()) aria-current=current data-testid="timeline-step">
            <span class="steps__icon" aria-hidden="true">{kind.icon()}</span>
            <div class="steps__body">
                <div class="steps__heading">
                    <h3 class="steps__name"><a href=format!("#{anchor}") class="steps__anchor">{name.clone()}</a></h3>
                    <span class=format!("steps__status status-text--{}", kind.slug()) data-testid="step-status">{words::status(&status)}</span>
                </div>
                {(!compact).then(|| view! {
                    <p class="steps__times" data-testid="step-times">{when(kind, times, &plan)}</p>
                    {health_note(health)}
                    <p class="steps__estimate" data-testid="step-estimate">{estimate(&step, history.as_ref(), narrowed)}</p>
                    {progress.map(|p| view! {
                        <div class="steps__progress">
                            <progress max="100" value=p aria-label=tf("steps.progress", &[("step", &name)])></progress>
                            <span data-testid="step-progress">{percent(p)}</span>
                        </div>
                    })}
                    {step.description.clone().filter(|d| !d.trim().is_empty()).map(|d| view! { <p class="steps__description">{d}</p> })}
                })}
            </div>
        </li>
    }
}

/// A sentence with times in it: each `{name}` slot a `<time>` (exact or "about").
fn timed(
    key: &str,
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
fn when(kind: StatusKind, times: StepTimes, plan: &StepPlan) -> impl IntoView {
    let started = times
        .started
        .map(|s| timed("steps.started", &[], &[("time", s.at, s.about)]));
    let ended = times
        .ended
        .filter(|_| kind.has_ended())
        .map(|e| match times.started {
            Some(s) => timed(
                "steps.ended-took",
                &[("duration", &duration(e.at - s.at))],
                &[("time", e.at, e.about)],
            ),
            None => timed("steps.ended", &[], &[("time", e.at, e.about)]),
        });
    let expected = match plan {
        StepPlan::Ahead {
            your_move: true, ..
        } => Some(t("steps.your-move").into_any()),
        StepPlan::Ahead {
            from,
            earliest,
            latest,
            after_your_move,
            ..
        } => {
            let (from, earliest, latest) = (*from, *earliest, *latest);
            // A soonest time already reached reads "any moment", never "just now".
            let clock = use_clock();
            let reached = move |at| Memo::new(move |_| time_frame::reached(clock.now.get(), at));
            let (start_now, end_now) = (reached(from), reached(earliest));
            let latest_now = latest.map(reached);
            let start = (kind == StatusKind::NotStarted).then(|| {
                let after_your_move = *after_your_move;
                move || {
                    if after_your_move {
                        t("steps.after-sign-off").into_any()
                    } else if start_now.get() {
                        t("steps.can-start-now").into_any()
                    } else {
                        timed("steps.can-start", &[], &[("time", from, false)]).into_any()
                    }
                }
            });
            let end = move || match (latest, latest_now.map(|m| m.get())) {
                (None, _) if end_now.get() => t("steps.end-any-moment-open").into_any(),
                (None, _) => {
                    timed("steps.expected-after", &[], &[("time", earliest, false)]).into_any()
                }
                (Some(_), Some(true)) => t("steps.end-any-moment").into_any(),
                (Some(l), _) if end_now.get() => {
                    timed("steps.expected-by", &[], &[("time", l, false)]).into_any()
                }
                (Some(l), _) if l == earliest => {
                    timed("steps.expected-end", &[], &[("time", l, false)]).into_any()
                }
                (Some(l), _) => timed(
                    "steps.expected-between",
                    &[],
                    &[("from", earliest, false), ("to", l, false)],
                )
                .into_any(),
            };
            Some(view! { {start} {start_gap(kind)} {end} }.into_any())
        }
        StepPlan::Held => Some(t("steps.held").into_any()),
        StepPlan::Stopped => Some(t("steps.stopped").into_any()),
        StepPlan::Done => None,
    };
    let nothing = times.started.is_none() && times.ended.is_none() && expected.is_none();
    view! {
        {started} {(times.started.is_some() && times.ended.is_some()).then_some(" · ")} {ended}
        {(times.started.is_some() && expected.is_some()).then_some(" · ")} {expected}
        {nothing.then(|| t("steps.no-times"))}
    }
}

fn start_gap(kind: StatusKind) -> Option<&'static str> {
    (kind == StatusKind::NotStarted).then_some(" ")
}

fn health_note(health: StepHealth) -> Option<impl IntoView> {
    match health {
        StepHealth::OnTrack => None,
        StepHealth::Overdue { by } => Some(
            view! {
                <p class="steps__health steps__health--overdue" data-testid="step-health">
                    <span class="steps__health-icon" aria-hidden="true">"⏱"</span>
                    {tf("steps.overdue", &[("duration", &duration(by))])}
                </p>
            }
            .into_any(),
        ),
        StepHealth::ProbablyStuck { by, quiet } => Some(
            view! {
                <p class="steps__health steps__health--stuck" data-testid="step-health">
                    <span class="steps__health-icon" aria-hidden="true">"⚠"</span>
                    {tf("steps.stuck", &[("overdue", &duration(by)), ("quiet", &duration(quiet))])}
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
            || t("steps.no-estimate"),
            |text| tf("steps.microsoft", &[("estimate", &text)]),
        );
    match history {
        Some(h) if h.samples > 1 => {
            let (min, max) = (duration(h.min), duration(h.max));
            let key = if min == max {
                k("steps.history")
            } else {
                k("steps.history-range")
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
                text = format!("{text} {}", t("steps.history-used"));
            }
            format!("{stated} · {text}")
        }
        Some(h) => format!(
            "{stated} · {}",
            tf("steps.history-one", &[("duration", &duration(h.median))])
        ),
        None => stated,
    }
}
