//! This operation beside the offer's last successful one of the same type: each step's
//! outcome and duration then and now, the steps that took longer, and the new messages.

use leptos::prelude::*;
use publishing_model::compare::StepComparison;
use publishing_model::feed::FeedEntry;
use publishing_model::PublishStatus;

use super::{RelativeTime, SafeHtml};
use crate::i18n::{duration, number, t, tf, tn};
use crate::words;

fn outcome(side: &Option<(PublishStatus, Option<chrono::TimeDelta>)>) -> String {
    match side {
        None => "—".to_owned(),
        Some((status, Some(took))) => format!("{} · {}", words::status(status), duration(*took)),
        Some((status, None)) => words::status(status),
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
                    view! { <span class="compare__longer" data-testid="longer">"⏱ " {tf(key!("compare.longer"), &[("duration", &duration(by))])}</span> }
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
            0 => t(key!("compare.no-new")),
            n if n > NEW_SHOWN => tf(
                key!("compare.new-many"),
                &[
                    ("count", &number(n as i64)),
                    ("shown", &number(NEW_SHOWN as i64)),
                ],
            ),
            n => tn(key!("compare.new"), n as i64, &[]),
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
            {t(key!("compare.against"))} " "
            <a href=href>{t(key!("compare.last-successful"))}</a>
            {ended.map(|at| view! { {t(key!("compare.which-ended"))} " " <RelativeTime at=Some(at) /> })}
            "."
        </p>
        <table class="operations compare" data-testid="compare">
            <thead>
                <tr><th scope="col">{t(key!("compare.step"))}</th><th scope="col">{t(key!("compare.this-time"))}</th><th scope="col">{t(key!("compare.last-time"))}</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {messages}
    }
}
