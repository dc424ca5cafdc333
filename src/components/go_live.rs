//! *Go live* for a preview waiting for the publisher's sign-off, after a confirmation that
//! names the offer and says going live cannot be undone.

use leptos::prelude::*;

use crate::i18n::{t, tf};

/// The button and its confirmation. `outcome` is what the last attempt led to (the page
/// follows the new operation on success, so this mostly carries failures).
#[component]
pub fn GoLiveControl(
    /// The offer, as the confirmation names it.
    #[prop(into)]
    offer: Signal<String>,
    #[prop(into)] can_go_live: Signal<bool>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] outcome: Signal<Option<Result<String, String>>>,
    #[prop(into)] on_confirm: Callback<String>,
) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let (emails, set_emails) = signal(String::new());
    let viewer = crate::sign_in::use_sign_in();
    let read_only = move || viewer.with(publishing_model::sign_in::SignIn::read_only);
    view! {
        <section class="go-live" aria-label=t(key!("golive.label"))>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="go-live__done" role="status" data-testid="go-live-outcome">{text}</p> }.into_any(),
                Err(text) => view! { <p class="cancel__error" role="alert" data-testid="go-live-outcome">{text}</p> }.into_any(),
            })}
            <Show when=move || can_go_live.get() && !confirming.get()>
                <button type="button" class="button button--primary" on:click=move |_| set_confirming.set(true) disabled=read_only data-testid="go-live-button">
                    {t(key!("golive.button"))}
                </button>
                <super::OperatorsOnly />
            </Show>
            <Show when=move || can_go_live.get() && confirming.get()>
                <form
                    class="go-live__confirm"
                    role="alertdialog"
                    aria-labelledby="go-live-title"
                    aria-describedby="go-live-warning"
                    data-testid="go-live-confirm"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        on_confirm.run(emails.get_untracked());
                        set_confirming.set(false);
                    }
                >
                    <h3 id="go-live-title">{move || tf(key!("golive.title"), &[("offer", &offer.get())])}</h3>
                    <p id="go-live-warning"><strong>{t(key!("golive.warning"))}</strong></p>
                    <label>
                        {t(key!("cancel.emails"))}
                        <input type="email" multiple=true prop:value=emails on:input:target=move |ev| set_emails.set(ev.target().value()) />
                    </label>
                    <div class="cancel__actions">
                        <button type="submit" class="button button--primary" disabled=move || pending.get() data-testid="go-live-yes">
                            {t(key!("golive.confirm"))}
                        </button>
                        <button type="button" class="button" on:click=move |_| set_confirming.set(false)>
                            {t(key!("golive.keep"))}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
