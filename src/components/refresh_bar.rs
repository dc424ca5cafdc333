//! "Updated N s ago", the next poll, and a manual refresh.

use crate::i18n::{number, t, tf};
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
            tf(key!("refresh.updated"), &[("seconds", &number(secs))])
        })
    };
    let next = move || {
        if !clock.visible.get() {
            return Some(t(key!("refresh.paused")));
        }
        next_at.get().map(|at| {
            let secs = (at - clock.now.get()).num_seconds().max(0);
            tf(key!("refresh.next"), &[("seconds", &number(secs))])
        })
    };
    view! {
        <div class="refresh-bar">
            <span class="refresh-bar__status" data-testid="updated">
                {updated}
                {move || next().map(|n| format!(" · {n}"))}
                {move || busy.get().then(|| format!(" · {}", t(key!("refresh.refreshing"))))}
            </span>
            <button type="button" class="button button--small" on:click=move |_| on_refresh.run(()) disabled=move || busy.get()>
                {t(key!("refresh.button"))}
            </button>
        </div>
    }
}
