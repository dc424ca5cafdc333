//! Cancel the running operation (or a Product Ingestion configure job), after an explicit
//! confirmation.

use crate::i18n::t;
use leptos::prelude::*;
use publishing_model::sign_in::SignIn;

/// Beside an action a signed-in viewer may not take (its button disabled): says so.
#[component]
pub fn OperatorsOnly() -> impl IntoView {
    let viewer = crate::sign_in::use_sign_in();
    move || {
        viewer
            .with(SignIn::read_only)
            .then(|| view! { <small class="operators-only" data-testid="operators-only">{t(key!("control.operators-only"))}</small> })
    }
}

/// What is canceled: the words change, and only an operation's cancel takes e-mails.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CancelKind {
    /// A CPP publish (`POST …/cancel`, with optional notification e-mails).
    #[default]
    Operation,
    /// A Product Ingestion configure job (`POST configure/{jobId}/cancel`).
    ConfigureJob,
}

/// The words of one kind of cancel: label, button, title, warning, confirm.
fn words(kind: CancelKind) -> [String; 5] {
    match kind {
        CancelKind::Operation => [
            t(key!("cancel.label")),
            t(key!("cancel.button")),
            t(key!("cancel.title")),
            t(key!("cancel.warning")),
            t(key!("cancel.confirm")),
        ],
        CancelKind::ConfigureJob => [
            t(key!("job.cancel-label")),
            t(key!("job.cancel")),
            t(key!("job.cancel-title")),
            t(key!("job.cancel-warning")),
            t(key!("job.cancel-confirm")),
        ],
    }
}

/// The cancel button and its confirmation.
#[component]
pub fn CancelControl(
    #[prop(optional)] kind: CancelKind,
    #[prop(into)] can_cancel: Signal<bool>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] outcome: Signal<Option<Result<String, String>>>,
    #[prop(into)] on_confirm: Callback<String>,
) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let (emails, set_emails) = signal(String::new());
    let [label, button, title, warning, confirm] = words(kind);
    let viewer = crate::sign_in::use_sign_in();
    let read_only = move || viewer.with(SignIn::read_only);
    view! {
        <section class="cancel" aria-label=label>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="cancel__done" role="status" data-testid="cancel-outcome">{text}</p> }.into_any(),
                Err(text) => view! { <p class="cancel__error" role="alert" data-testid="cancel-outcome">{text}</p> }.into_any(),
            })}
            <Show when=move || can_cancel.get() && !confirming.get()>
                <button type="button" class="button button--danger" on:click=move |_| set_confirming.set(true) disabled=read_only data-testid="cancel-button">
                    {button.clone()}
                </button>
                <OperatorsOnly />
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
                    <h3 id="cancel-title">{title.clone()}</h3>
                    <p>{warning.clone()}</p>
                    {(kind == CancelKind::Operation).then(|| view! {
                        <label>
                            {t(key!("cancel.emails"))}
                            <input type="email" multiple=true prop:value=emails on:input:target=move |ev| set_emails.set(ev.target().value()) />
                        </label>
                    })}
                    <div class="cancel__actions">
                        <button type="submit" class="button button--danger" disabled=move || pending.get() data-testid="cancel-confirm">
                            {confirm.clone()}
                        </button>
                        <button type="button" class="button" on:click=move |_| set_confirming.set(false)>
                            {t(key!("cancel.keep"))}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
