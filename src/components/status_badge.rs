//! A status as icon, colour and words: never colour alone.

use leptos::prelude::*;
use publishing_model::PublishStatus;

/// A status badge.
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<PublishStatus>) -> impl IntoView {
    let kind = move || status.with(|s| s.kind());
    view! {
        <span class=move || kind().badge_class() data-testid="status-badge">
            <span class="status-badge__icon" aria-hidden="true">{move || kind().icon()}</span>
            <span class="status-badge__label">{move || status.with(crate::words::status)}</span>
        </span>
    }
}
