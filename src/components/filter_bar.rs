//! Status toggles with counts, "All", and a text search. The filter lives in the URL; this
//! component only reports the filter the user asks for.

use crate::i18n::{number, t};
use crate::words;
use leptos::prelude::*;
use publishing_model::{StatusCount, StatusFilter};

/// The filter controls.
#[component]
pub fn FilterBar(
    #[prop(into)] counts: Signal<Vec<StatusCount>>,
    #[prop(into)] total: Signal<usize>,
    #[prop(into)] filter: Signal<StatusFilter>,
    #[prop(into)] on_change: Callback<StatusFilter>,
) -> impl IntoView {
    let all_pressed = move || filter.with(StatusFilter::shows_all_statuses);
    let keys =
        Memo::new(move |_| counts.with(|c| c.iter().map(|c| c.key.clone()).collect::<Vec<_>>()));
    let show_all = move |_| {
        on_change.run(StatusFilter {
            statuses: Default::default(),
            text: filter.get_untracked().text,
        })
    };
    view! {
        <div class="filter-bar" role="group" aria-label=t(key!("filter.label"))>
            <div class="filter-bar__toggles">
                <button
                    type="button"
                    class="filter-toggle"
                    aria-pressed=move || all_pressed().to_string()
                    on:click=show_all
                    data-testid="filter-all"
                >
                    {t(key!("filter.all"))} " " <span class="filter-toggle__count">{move || number(total.get() as i64)}</span>
                </button>
                // One button per status, kept by its key: a poll that changes a count updates
                // the number, and one that changes which statuses there are adds and removes
                // buttons, so none (nor its keyboard focus, nor a click on its way) ever
                // passes to another status.
                <For each=move || keys.get() key=String::clone children=move |key| view! { <StatusToggle key counts filter on_change /> } />
            </div>
            <label class="filter-bar__search">
                <span>{t(key!("filter.search"))}</span>
                <input
                    type="search"
                    placeholder=t(key!("filter.search-example"))
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:input:target=move |ev| {
                        let mut next = filter.get_untracked();
                        next.text = ev.target().value();
                        on_change.run(next);
                    }
                    data-testid="filter-text"
                />
            </label>
        </div>
    }
}

#[component]
fn StatusToggle(
    key: String,
    counts: Signal<Vec<StatusCount>>,
    filter: Signal<StatusFilter>,
    on_change: Callback<StatusFilter>,
) -> impl IntoView {
    let entry = {
        let key = key.clone();
        Memo::new(move |_| counts.with(|c| c.iter().find(|c| c.key == key).cloned()))
    };
    let pressed = {
        let key = key.clone();
        move || filter.with(|f| f.statuses.contains(&key))
    };
    let kind = move || {
        entry.with(|e| {
            e.as_ref()
                .map_or(publishing_model::StatusKind::Unknown, |e| e.status.kind())
        })
    };
    let test_id = format!("filter-{key}");
    view! {
        <button
            type="button"
            class=move || {
                // A status no operation has is still offered, but quietly.
                let quiet = entry.with(|e| e.as_ref().is_none_or(|e| e.count == 0));
                format!("filter-toggle filter-toggle--{}{}", kind().slug(), if quiet { " filter-toggle--quiet" } else { "" })
            }
            aria-pressed=move || pressed().to_string()
            on:click=move |_| on_change.run(filter.get_untracked().toggled(&key))
            data-testid=test_id
        >
            <span aria-hidden="true">{move || kind().icon()}</span>
            " "
            {move || entry.with(|e| e.as_ref().map(|e| words::status(&e.status)).unwrap_or_default())}
            " "
            <span class="filter-toggle__count">{move || number(entry.with(|e| e.as_ref().map_or(0, |e| e.count)) as i64)}</span>
        </button>
    }
}
