//! The overall projection in one sentence: when the offer can be expected live.

use leptos::prelude::*;
use publishing_model::eta::Overall;
use publishing_model::Step;

use super::local_time;

/// "Expected live between ... and ...".
#[component]
pub fn EtaSummary(
    #[prop(into)] overall: Signal<Overall>,
    #[prop(into)] steps: Signal<Vec<Step>>,
) -> impl IntoView {
    let text = move || {
        let steps = steps.get();
        let goes_live = steps
            .iter()
            .any(|s| s.id.as_ref().is_some_and(|id| id.as_str() == "live"));
        let what = if goes_live {
            "Expected live"
        } else {
            "Expected to finish"
        };
        let name = |i: &usize| {
            steps
                .get(*i)
                .map(|s| s.display_name().to_owned())
                .unwrap_or_default()
        };
        match overall.get() {
            Overall::Finished => "Every step is done.".to_owned(),
            Overall::Stopped { step } => format!(
                "Stopped at “{}”: it needs attention before the offer can go further.",
                name(&step)
            ),
            Overall::Window { earliest, latest } if earliest == latest => {
                format!("{what} by {}.", local_time(latest))
            }
            Overall::Window { earliest, latest } => {
                format!(
                    "{what} between {} and {}.",
                    local_time(earliest),
                    local_time(latest)
                )
            }
            Overall::AtLeast {
                earliest,
                unestimated,
            } => format!(
                "{what} no earlier than {}. The latest time is unknown: {} {} no estimate.",
                local_time(earliest),
                unestimated
                    .iter()
                    .map(|i| format!("“{}”", name(i)))
                    .collect::<Vec<_>>()
                    .join(", "),
                if unestimated.len() == 1 {
                    "has"
                } else {
                    "have"
                }
            ),
        }
    };
    view! { <p class="eta-summary" data-testid="eta-summary">{text}</p> }
}
