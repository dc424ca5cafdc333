//! This operation beside the offer's last successful one of the same type: each step's
//! outcome and duration then and now, the steps that took longer, and the new messages.

use leptos::prelude::*;
use publishing_model::compare::{Comparison, StepComparison};
use publishing_model::time_frame::human_duration;
use publishing_model::PublishStatus;

use super::{RelativeTime, SafeHtml};

fn outcome(side: &Option<(PublishStatus, Option<chrono::TimeDelta>)>) -> String {
    match side {
        None => "—".to_owned(),
        Some((status, Some(took))) => format!("{} · {}", status.label(), human_duration(*took)),
        Some((status, None)) => status.label().into_owned(),
    }
}

/// The comparison, with a link to the earlier operation and when it ended.
#[component]
pub fn ComparisonView(
    comparison: Comparison,
    /// The earlier operation's page.
    href: String,
    /// When it ended.
    ended: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let Comparison {
        steps,
        new_messages,
    } = comparison;
    let rows = steps
        .into_iter()
        .map(|StepComparison { name, now, before, longer_by }| {
            let longer = longer_by.map(|by| {
                view! { <span class="compare__longer" data-testid="longer">"⏱ " {format!("{} longer", human_duration(by))}</span> }
            });
            view! {
                <tr class=if longer_by.is_some() { "compare__row compare__row--longer" } else { "compare__row" } data-testid="compare-row">
                    <th scope="row">{name}</th>
                    <td>{outcome(&now)} " " {longer}</td>
                    <td>{outcome(&before)}</td>
                </tr>
            }
        })
        .collect_view();
    let count = new_messages.len();
    view! {
        <p class="hint">
            "Against the offer's "
            <a href=href>"last successful operation of this type"</a>
            {ended.map(|at| view! { ", which ended " <RelativeTime at=Some(at) /> })}
            "."
        </p>
        <table class="operations compare" data-testid="compare">
            <thead>
                <tr><th scope="col">"Step"</th><th scope="col">"This time"</th><th scope="col">"Last time"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <h3 class="compare__new-title">{if count == 0 { "No new messages this time.".to_owned() } else { format!("New this time ({count})") }}</h3>
        <ul class="messages">
            {new_messages.into_iter().map(|e| view! {
                <li class=format!("message message--{}", e.group.slug()) data-testid="new-message">
                    <SafeHtml class="message__body" html=e.message.html.unwrap_or_default() />
                </li>
            }).collect_view()}
        </ul>
    }
}
