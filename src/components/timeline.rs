//! The publishing steps as an ordered list, in the order the service sent them: status icon,
//! colour and words, estimate, progress, expected finish and messages. The step in progress
//! stands out (and is `aria-current`).

use leptos::prelude::*;
use publishing_model::eta::StepProjection;
use publishing_model::{StatusKind, Step};

use super::{local_time, MessageList};

/// One step, prepared for display.
#[derive(Clone, Debug, PartialEq)]
pub struct StepView {
    step: Step,
    kind: StatusKind,
    expected: Option<String>,
    key: String,
}

/// Prepares steps and their projections for [`StepTimeline`].
pub fn step_views(steps: &[Step], projections: &[StepProjection]) -> Vec<StepView> {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let kind = step.status_or_unknown().kind();
            let expected = projections.get(i).and_then(expected_text);
            // What changes a step's rendering: the keyed list re-renders it when this does.
            let key = format!(
                "{i}|{}|{}|{}|{}|{}",
                step.id.as_ref().map(|s| s.as_str()).unwrap_or_default(),
                step.status_or_unknown().as_str(),
                step.progress_percentage.map_or(-1, i16::from),
                step.messages.len(),
                expected.as_deref().unwrap_or("-")
            );
            StepView {
                step: step.clone(),
                kind,
                expected,
                key,
            }
        })
        .collect()
}

fn expected_text(projection: &StepProjection) -> Option<String> {
    match projection {
        StepProjection::Done => None,
        StepProjection::Stopped => Some("Stopped until the problem is fixed".to_owned()),
        StepProjection::Held => Some("Starts once the stopped step is fixed".to_owned()),
        StepProjection::Expected { overdue: true, .. } => {
            Some("Taking longer than its estimate".to_owned())
        }
        StepProjection::Expected {
            earliest,
            latest: Some(latest),
            ..
        } if earliest == latest => Some(format!("Expected by {}", local_time(*latest))),
        StepProjection::Expected {
            earliest,
            latest: Some(latest),
            ..
        } => Some(format!(
            "Expected between {} and {}",
            local_time(*earliest),
            local_time(*latest)
        )),
        StepProjection::Expected {
            earliest,
            latest: None,
            unestimated,
            ..
        } => Some(format!(
            "Not before {}{}",
            local_time(*earliest),
            if *unestimated {
                " (no estimate for this step)"
            } else {
                " (an earlier step has no estimate)"
            }
        )),
    }
}

/// The step timeline. `compact` shows names and statuses only.
#[component]
pub fn StepTimeline(
    #[prop(into)] steps: Signal<Vec<StepView>>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    view! {
        <ol class=if compact { "timeline timeline--compact" } else { "timeline" } data-testid="timeline">
            {move || steps.get().into_iter().map(|view| view! { <StepItem view compact /> }).collect_view()}
        </ol>
    }
}

#[component]
fn StepItem(view: StepView, compact: bool) -> impl IntoView {
    let StepView {
        step,
        kind,
        expected,
        ..
    } = view;
    let status = step.status_or_unknown();
    let current = kind.is_active().then_some("step");
    let frame = step.estimated_time_frame.clone();
    let estimate = match &frame {
        Some(f) => match f.range {
            Some(r) if r.label() != f.text.trim() => format!("{} ({})", f.text.trim(), r.label()),
            _ => f.text.trim().to_owned(),
        },
        None => "No estimate".to_owned(),
    };
    let progress = step.progress_percentage.unwrap_or(0);
    let name = step.display_name().to_owned();
    view! {
        <li class=format!("timeline__step timeline__step--{}", kind.slug()) aria-current=current data-testid="timeline-step">
            <span class="timeline__icon" aria-hidden="true">{kind.icon()}</span>
            <div class="timeline__body">
                <div class="timeline__heading">
                    <h3 class="timeline__name">{name.clone()}</h3>
                    <span class="timeline__status" data-testid="step-status">{status.label().into_owned()}</span>
                </div>
                {(!compact).then(|| view! {
                    <p class="timeline__description">{step.description.clone().unwrap_or_default()}</p>
                    <dl class="timeline__facts">
                        <div><dt>"Estimated time"</dt><dd data-testid="step-estimate">{estimate.clone()}</dd></div>
                        <div>
                            <dt>"Progress"</dt>
                            <dd class="timeline__progress">
                                <progress max="100" value=progress aria-label=format!("{name} progress")></progress>
                                <span data-testid="step-progress">{format!("{progress} %")}</span>
                            </dd>
                        </div>
                        {expected.clone().map(|e| view! { <div><dt>"Expected"</dt><dd>{e}</dd></div> })}
                    </dl>
                    <MessageList messages=step.messages.clone() />
                })}
            </div>
        </li>
    }
}
