//! One feed of every message of an operation: its own and its steps', in time order,
//! repeats collapsed with a count, a chip per level (with counts) that filters, "new since
//! your last visit", a link for every message, and each step's part folding away.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::feed::{is_new, level_counts, runs, step_anchor, FeedEntry, LevelGroup};
use publishing_model::Step;

use super::{RelativeTime, SafeHtml};
use crate::i18n::{number, t, tn};
use crate::words;

/// The message feed.
#[component]
pub fn MessageFeed(
    #[prop(into)] entries: Signal<Vec<FeedEntry>>,
    /// Each step's name and anchor ([`step_titles`]): not the steps themselves, whose progress
    /// changes every poll, so a poll redraws the feed only when its messages change.
    #[prop(into)]
    titles: Signal<Vec<(String, String)>>,
    /// The newest message shown on the previous visit.
    #[prop(into)]
    read_up_to: Signal<Option<DateTime<Utc>>>,
) -> impl IntoView {
    // Levels hidden by the chips; every level shows at first.
    let hidden = RwSignal::new(BTreeSet::<LevelGroup>::new());
    // Steps whose part of the feed is folded (by anchor).
    let folded = RwSignal::new(BTreeSet::<String>::new());
    let counts = move || entries.with(|e| level_counts(e));
    let new_count = move || {
        let read = read_up_to.get();
        entries.with(|e| e.iter().filter(|m| is_new(m, read)).count())
    };
    let chips = move || {
        counts()
            .into_iter()
            .map(|(group, count)| {
                let pressed = move || !hidden.with(|h| h.contains(&group));
                let toggle = move |_| {
                    hidden.update(|h| {
                        if !h.remove(&group) {
                            h.insert(group);
                        }
                    })
                };
                view! {
                    <button
                        type="button"
                        class=format!("chip chip--{}{}", group.slug(), if count == 0 { " chip--quiet" } else { "" })
                        aria-pressed=move || pressed().to_string()
                        data-testid=format!("level-{}", group.slug())
                        on:click=toggle
                    >
                        {words::level_group(group)} " " <span class="chip__count">{number(count as i64)}</span>
                    </button>
                }
            })
            .collect_view()
    };
    let parts = move || {
        let read = read_up_to.get();
        entries.with(|all| {
            titles.with(|titles| {
                runs(all)
                    .into_iter()
                    .map(|(step, range)| {
                        let shown: Vec<FeedEntry> = all[range]
                            .iter()
                            .filter(|e| !hidden.with(|h| h.contains(&e.group)))
                            .cloned()
                            .collect();
                        (step, shown)
                    })
                    .filter(|(_, shown)| !shown.is_empty())
                    .map(|(step, shown)| {
                        let (title, anchor) = step
                            .and_then(|i| titles.get(i).cloned())
                            .unwrap_or_else(|| (t(key!("feed.operation")), "operation".to_owned()));
                        view! { <FeedPart title anchor entries=shown read folded /> }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="feed" data-testid="feed">
            <div class="feed__bar" role="group" aria-label=t(key!("feed.levels"))>
                {chips}
                {move || {
                    let n = new_count();
                    (n > 0).then(|| view! {
                        <span class="feed__new-count" data-testid="new-count">{tn(key!("feed.new-since"), n as i64, &[])}</span>
                    })
                }}
            </div>
            <div class="feed__parts">{parts}</div>
        </div>
    }
}

#[component]
fn FeedPart(
    title: String,
    anchor: String,
    entries: Vec<FeedEntry>,
    read: Option<DateTime<Utc>>,
    folded: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let key = anchor.clone();
    let open = {
        let key = key.clone();
        Signal::derive(move || !folded.with(|f| f.contains(&key)))
    };
    let toggle = move |_| {
        folded.update(|f| {
            if !f.remove(&key) {
                f.insert(key.clone());
            }
        })
    };
    let count = entries.len();
    let list_id = format!("feed-{anchor}");
    view! {
        <section class="feed__part">
            <h3 class="feed__part-title">
                <button type="button" class="feed__fold" aria-expanded=move || open.get().to_string() aria-controls=list_id.clone() on:click=toggle>
                    <span aria-hidden="true" class="feed__fold-icon">{move || if open.get() { "▾" } else { "▸" }}</span>
                    {title.clone()} <span class="feed__part-count">{format!(" · {}", number(count as i64))}</span>
                </button>
            </h3>
            <ul class="messages" id=list_id hidden=move || !open.get()>
                {entries.into_iter().map(|e| view! { <FeedItem new=is_new(&e, read) entry=e /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn FeedItem(entry: FeedEntry, new: bool) -> impl IntoView {
    let FeedEntry {
        anchor,
        message,
        group,
        at,
        count,
        ..
    } = entry;
    let raw = message
        .timestamp
        .as_ref()
        .map(|t| t.raw.clone())
        .unwrap_or_default();
    let level = words::level(message.level.as_ref());
    view! {
        <li id=anchor.clone() class=format!("message message--{}", group.slug()) data-testid="message">
            // Spaces between the parts, so a narrow screen can break the line between them.
            <span class="message__level">{level}</span> " "
            {(at.is_some() || !raw.is_empty()).then(|| view! { <span class="message__time"><RelativeTime at=at raw=raw /></span> })} " "
            {new.then(|| view! { <span class="message__new">{t(key!("feed.new"))}</span> })}
            {(count > 1).then(|| view! { <span class="message__repeat" title=t(key!("feed.repeated"))>{format!("×{}", number(count as i64))}</span> })}
            <SafeHtml class="message__body" html=message.html.unwrap_or_default() />
            <a class="message__link" href=format!("#{anchor}") aria-label=t(key!("feed.link"))>"#"</a>
        </li>
    }
}

/// Each step's name and anchor, for [`MessageFeed`].
pub fn step_titles(steps: &[Step]) -> Vec<(String, String)> {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.display_name().to_owned(), step_anchor(i, s)))
        .collect()
}
