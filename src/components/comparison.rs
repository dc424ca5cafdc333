//! This operation beside the offer's last successful one of the same type: each step's
//! outcome and duration then and now, the steps that took longer, and the new messages.

use leptos::prelude::*;
use publishing_model::compare::StepComparison;
use publishing_model::feed::FeedEntry;
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

/// New messages listed here at most; the feed below has every one.
const NEW_SHOWN: usize = 10;

/// The comparison, with a link to the earlier operation and when it ended. Steps and new
/// messages are separate signals, so a poll that moves a running step's duration does not
/// redraw the messages.
#[component]
pub fn ComparisonView(
    #[prop(into)] steps: Signal<Vec<StepComparison>>,
    #[prop(into)] new_messages: Signal<Vec<FeedEntry>>,
    /// The earlier operation's page.
    href: String,
    /// When it ended.
    ended: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let rows = move || {
        steps
            .get()
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
            .collect_view()
    };
    let messages = move || {
        let all = new_messages.get();
        let count = all.len();
        let title = match count {
            0 => "No new messages this time.".to_owned(),
            n if n > NEW_SHOWN => format!(
                "New this time ({n}; the first {NEW_SHOWN} here, all in the messages below)"
            ),
            n => format!("New this time ({n})"),
        };
        view! {
            <h3 class="compare__new-title">{title}</h3>
            <ul class="messages">
                {all.into_iter().take(NEW_SHOWN).map(|e| view! {
                    <li class=format!("message message--{}", e.group.slug()) data-testid="new-message">
                        <SafeHtml class="message__body" html=e.message.html.unwrap_or_default() />
                    </li>
                }).collect_view()}
            </ul>
        }
    };
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
        {messages}
    }
}
