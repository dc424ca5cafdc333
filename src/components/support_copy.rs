//! "Copy support details": puts the plain-text facts support asks for on the clipboard. When
//! the browser refuses the clipboard, the text is shown selected so it can be copied by hand.

use crate::i18n::t;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What happened on the last click.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Yes,
    Refused,
}

/// The button. `details` makes the text when clicked (so it is as fresh as the page).
#[component]
pub fn SupportCopy(details: Callback<(), String>) -> impl IntoView {
    let state = RwSignal::new(Copied::Not);
    let text = RwSignal::new(String::new());
    let on_copy = move |_| {
        let details = details.run(());
        text.set(details.clone());
        let Some(window) = web_sys::window() else {
            state.set(Copied::Refused);
            return;
        };
        let promise = window.navigator().clipboard().write_text(&details);
        spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            state.set(if done { Copied::Yes } else { Copied::Refused });
            if done {
                set_timeout(
                    move || state.set(Copied::Not),
                    std::time::Duration::from_secs(3),
                );
            }
        });
    };
    let (copy, copied) = (t(key!("support.copy")), t(key!("support.copied")));
    view! {
        <span class="support-copy">
            <button type="button" class="button button--small" data-testid="copy-support" on:click=on_copy>
                {move || if state.get() == Copied::Yes { copied.clone() } else { copy.clone() }}
            </button>
            <span class="visually-hidden" role="status">{move || (state.get() == Copied::Yes).then(|| t(key!("support.copied-status")))}</span>
            <Show when=move || state.get() == Copied::Refused>
                <label class="support-copy__manual">
                    {t(key!("support.refused"))}
                    <textarea readonly rows="8" data-testid="support-text" prop:value=move || text.get()></textarea>
                </label>
            </Show>
        </span>
    }
}
