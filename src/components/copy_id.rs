//! A long id shown short, with a button that copies it whole.

use crate::i18n::{t, tf};
use leptos::prelude::*;

/// Short id and a copy button.
#[component]
pub fn CopyId(#[prop(into)] id: Signal<String>) -> impl IntoView {
    // The id copied last: "Copied" shows only while that is still the id shown (a row of
    // the operations table shows another operation after a filter change).
    let (copied, set_copied) = signal(None::<String>);
    let copy = move |_| copy_id(id.get_untracked(), set_copied);
    let (copy_word, copied_word) = (t(key!("copy.copy")), t(key!("copy.copied")));
    view! {
        <span class="copy-id">
            <code class="copy-id__text" title=id>{move || id.with(|id| publishing_model::short_id(id))}</code>
            <button type="button" class="copy-id__button button button--small" on:click=copy aria-label=move || id.with(|id| tf(key!("copy.id-label"), &[("id", id)]))>
                {move || if copied.with(|c| id.with(|id| c.as_ref() == Some(id))) { copied_word.clone() } else { copy_word.clone() }}
            </button>
        </span>
    }
}

/// Puts `full` on the clipboard and marks it as the id copied for two seconds.
pub(crate) fn copy_id(full: String, copied: WriteSignal<Option<String>>) {
    if let Some(window) = web_sys::window() {
        // The promise's outcome is shown as "Copied"; a refused clipboard leaves the label.
        let _ = window.navigator().clipboard().write_text(&full);
        copied.set(Some(full));
        set_timeout(move || copied.set(None), std::time::Duration::from_secs(2));
    }
}
