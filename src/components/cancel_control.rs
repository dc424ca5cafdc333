//! Cancel the running operation, after an explicit confirmation.

use crate::i18n::t;
use leptos::prelude::*;

/// The cancel button and its confirmation.
#[component]
pub fn CancelControl(
    #[prop(into)] can_cancel: Signal<bool>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] outcome: Signal<Option<Result<String, String>>>,
    #[prop(into)] on_confirm: Callback<String>,
) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let (emails, set_emails) = signal(String::new());
    view! {
        <section class="cancel" aria-label=t("cancel.label")>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="cancel__done" role="status" data-testid="cancel-outcome">{text}</p> }.into_any(),
                Err(text) => view! { <p class="cancel__error" role="alert" data-testid="cancel-outcome">{text}</p> }.into_any(),
            })}
            <Show when=move || can_cancel.get() && !confirming.get()>
                <button type="button" class="button button--danger" on:click=move |_| set_confirming.set(true) data-testid="cancel-button">
                    {t("cancel.button")}
                </button>
            </Show>
            <Show when=move || can_cancel.get() && confirming.get()>
                <form
                    class="cancel__confirm"
                    role="alertdialog"
                    aria-labelledby="cancel-title"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        on_confirm.run(emails.get_untracked());
                        set_confirming.set(false);
                    }
                >
                    <h3 id="cancel-title">{t("cancel.title")}</h3>
                    <p>{t("cancel.warning")}</p>
                    <label>
                        {t("cancel.emails")}
                        <input type="email" multiple=true prop:value=emails on:input:target=move |ev| set_emails.set(ev.target().value()) />
                    </label>
                    <div class="cancel__actions">
                        <button type="submit" class="button button--danger" disabled=move || pending.get() data-testid="cancel-confirm">
                            {t("cancel.confirm")}
                        </button>
                        <button type="button" class="button" on:click=move |_| set_confirming.set(false)>
                            {t("cancel.keep")}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
