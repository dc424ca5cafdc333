//! "Updated N s ago", the next poll, and a manual refresh.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::clock::use_clock;

/// Freshness and the refresh button.
#[component]
pub fn RefreshBar(
    #[prop(into)] fetched_at: Signal<Option<DateTime<Utc>>>,
    #[prop(into)] next_at: Signal<Option<DateTime<Utc>>>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_refresh: Callback<()>,
) -> impl IntoView {
    let clock = use_clock();
    let updated = move || {
        fetched_at.get().map(|t| {
            let secs = (clock.now.get() - t).num_seconds().max(0);
            format!("Updated {secs} s ago")
        })
    };
    let next = move || {
        if !clock.visible.get() {
            return Some("Paused while the tab is hidden".to_owned());
        }
        next_at.get().map(|t| {
            format!(
                "next update in {} s",
                (t - clock.now.get()).num_seconds().max(0)
            )
        })
    };
    view! {
        <div class="refresh-bar">
            <span class="refresh-bar__status" data-testid="updated">
                {updated}
                {move || next().map(|n| format!(" · {n}"))}
                {move || busy.get().then_some(" · refreshing…")}
            </span>
            <button type="button" class="button button--small" on:click=move |_| on_refresh.run(()) disabled=move || busy.get()>
                "Refresh"
            </button>
        </div>
    }
}
