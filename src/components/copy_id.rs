//! A long id shown short, with a button that copies it whole.

use crate::i18n::{t, tf};
use leptos::prelude::*;

/// Short id and a copy button.
#[component]
pub fn CopyId(#[prop(into)] id: String) -> impl IntoView {
    let (copied, set_copied) = signal(false);
    let short = publishing_model::short_id(&id);
    let full = id.clone();
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            // The promise's outcome is shown as "Copied"; a refused clipboard leaves the label.
            let _ = window.navigator().clipboard().write_text(&full);
            set_copied.set(true);
            set_timeout(
                move || set_copied.set(false),
                std::time::Duration::from_secs(2),
            );
        }
    };
    let (copy_word, copied_word) = (t("copy.copy"), t("copy.copied"));
    view! {
        <span class="copy-id">
            <code class="copy-id__text" title=id.clone()>{short}</code>
            <button type="button" class="copy-id__button button button--small" on:click=copy aria-label=tf("copy.id-label", &[("id", &id)])>
                {move || if copied.get() { copied_word.clone() } else { copy_word.clone() }}
            </button>
        </span>
    }
}
