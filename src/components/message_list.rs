//! Messages with level, time and sanitised HTML. Long lists show the newest first few.

use leptos::prelude::*;
use publishing_model::{Message, MessageLevel};

use super::RelativeTime;
use crate::sanitize::sanitize_html;

/// Messages shown before "Show all".
const FIRST: usize = 20;

/// Untrusted HTML, sanitised, as markup.
#[component]
pub fn SafeHtml(
    #[prop(into)] html: String,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    let safe = sanitize_html(&html);
    view! { <div class=class inner_html=safe></div> }
}

/// A list of messages.
#[component]
pub fn MessageList(messages: Vec<Message>) -> impl IntoView {
    if messages.is_empty() {
        return None;
    }
    let (all, set_all) = signal(false);
    let total = messages.len();
    let messages = StoredValue::new(messages);
    let shown = move || {
        messages.with_value(|m| {
            let n = if all.get() {
                m.len()
            } else {
                FIRST.min(m.len())
            };
            m[..n].to_vec()
        })
    };
    Some(view! {
        <ul class="messages">
            {move || shown().into_iter().map(|m| view! { <MessageItem message=m /> }).collect_view()}
        </ul>
        <Show when=move || { total > FIRST && !all.get() }>
            <button type="button" class="button button--small" on:click=move |_| set_all.set(true)>
                {format!("Show all {total} messages")}
            </button>
        </Show>
    })
}

#[component]
fn MessageItem(message: Message) -> impl IntoView {
    let level = message.level.clone().unwrap_or(MessageLevel::Information);
    let at = message.timestamp.as_ref().and_then(|t| t.parsed);
    let raw = message
        .timestamp
        .as_ref()
        .map(|t| t.raw.clone())
        .unwrap_or_default();
    view! {
        <li class=format!("message message--{}", level.slug()) data-testid="message">
            <span class="message__level">{level.to_string()}</span>
            {(at.is_some() || !raw.is_empty()).then(|| view! { <span class="message__time"><RelativeTime at=at raw=raw /></span> })}
            <SafeHtml class="message__body" html=message.html.unwrap_or_default() />
        </li>
    }
}
