//! Status toggles with counts, "All", and a text search. The filter lives in the URL; this
//! component only reports the filter the user asks for.

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
    let show_all = move |_| {
        on_change.run(StatusFilter {
            statuses: Default::default(),
            text: filter.get_untracked().text,
        })
    };
    view! {
        <div class="filter-bar" role="group" aria-label="Filter operations">
            <div class="filter-bar__toggles">
                <button
                    type="button"
                    class="filter-toggle"
                    aria-pressed=move || all_pressed().to_string()
                    on:click=show_all
                    data-testid="filter-all"
                >
                    "All " <span class="filter-toggle__count">{move || total.get()}</span>
                </button>
                <For each=move || counts.get() key=|c| (c.key.clone(), c.count) let:count>
                    <StatusToggle count filter on_change />
                </For>
            </div>
            <label class="filter-bar__search">
                <span>"Search id or type"</span>
                <input
                    type="search"
                    placeholder="e.g. 5a63deb5 or goLive"
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
    count: StatusCount,
    filter: Signal<StatusFilter>,
    on_change: Callback<StatusFilter>,
) -> impl IntoView {
    let key = count.key.clone();
    let pressed = {
        let key = key.clone();
        move || filter.with(|f| f.statuses.contains(&key))
    };
    let kind = count.status.kind();
    view! {
        <button
            type="button"
            class=format!("filter-toggle filter-toggle--{}", kind.slug())
            aria-pressed=move || pressed().to_string()
            on:click=move |_| on_change.run(filter.get_untracked().toggled(&key))
            data-testid=format!("filter-{}", count.key)
        >
            <span aria-hidden="true">{kind.icon()}</span>
            " "
            {count.status.label().into_owned()}
            " "
            <span class="filter-toggle__count">{count.count}</span>
        </button>
    }
}
