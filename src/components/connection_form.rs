//! Connection settings for the real API: proxy URL, api-version, polling, and the token
//! (memory only unless the user opts in, with a warning).

use crate::i18n::t;
use leptos::prelude::*;

use publishing_model::sign_in::SignIn;

use super::TokenNotice;
use crate::settings::{use_settings, BearerToken};

/// The connection form.
#[component]
pub fn ConnectionForm() -> impl IntoView {
    let settings = use_settings();
    let sign_in = crate::sign_in::use_sign_in();
    let proxy = RwSignal::new(settings.proxy_url.get_untracked());
    let version = RwSignal::new(settings.api_version.get_untracked());
    let poll = RwSignal::new(settings.poll_seconds.get_untracked().to_string());
    // The token field starts empty: a stored token is never written back into the page.
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(settings.remember_token.get_untracked());
    let (saved, set_saved) = signal(false);
    let has_token = move || settings.token.with(Option::is_some);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let poll_seconds = poll
            .get_untracked()
            .trim()
            .parse()
            .unwrap_or(crate::settings::DEFAULT_POLL_SECONDS);
        settings.save_connection(
            &proxy.get_untracked(),
            &version.get_untracked(),
            poll_seconds,
        );
        let typed = BearerToken::new(&token.get_untracked());
        let keep = remember.get_untracked();
        match typed {
            Some(t) => settings.set_token(Some(t), keep),
            None => settings.set_token(settings.token.get_untracked(), keep),
        }
        token.set(String::new());
        set_saved.set(true);
    };
    view! {
        <form class="connection-form" on:submit=submit data-testid="connection-form">
            <label>
                <span>{t(key!("connection.proxy"))}</span>
                <input type="text" name="proxy" autocomplete="url" prop:value=proxy on:input:target=move |ev| proxy.set(ev.target().value()) />
                <small>{t(key!("connection.proxy-hint"))}</small>
            </label>
            <label>
                <span>{t(key!("connection.version"))}</span>
                <input type="text" name="api-version" prop:value=version on:input:target=move |ev| version.set(ev.target().value()) />
            </label>
            <label>
                <span>{t(key!("connection.poll"))}</span>
                <input type="number" min="10" name="poll" prop:value=poll on:input:target=move |ev| poll.set(ev.target().value()) />
                <small>{t(key!("connection.poll-hint"))}</small>
            </label>
            // With sign-in at the proxy, the proxy holds the credential: no token field.
            <Show
                when=move || !sign_in.with(SignIn::is_on)
                fallback=|| view! { <p class="connection-form__sign-in" data-testid="sign-in-note">{t(key!("sign-in.start"))}</p> }
            >
                <label>
                    <span>{t(key!("connection.token"))}</span>
                    <input
                        type="password"
                        name="token"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=move || t(if has_token() { key!("connection.token-set") } else { key!("connection.token-none") })
                        prop:value=token
                        on:input:target=move |ev| token.set(ev.target().value())
                        data-testid="token-input"
                    />
                    <small>"az account get-access-token --resource https://cloudpartner.azure.com"</small>
                    <TokenNotice always=true />
                </label>
                <label class="connection-form__check">
                    <input type="checkbox" prop:checked=remember on:change:target=move |ev| remember.set(ev.target().checked()) data-testid="remember-token" />
                    <span>{t(key!("connection.keep"))}</span>
                </label>
                <Show when=move || remember.get()>
                    <p class="warning" role="note">
                        {t(key!("connection.keep-warning"))}
                    </p>
                </Show>
            </Show>
            <div class="connection-form__actions">
                <button type="submit" class="button button--primary">{t(key!("connection.save"))}</button>
                <Show when=has_token>
                    <button type="button" class="button" on:click=move |_| settings.set_token(None, false)>{t(key!("connection.forget"))}</button>
                </Show>
                <span role="status">{move || saved.get().then(|| t(key!("connection.saved")))}</span>
            </div>
        </form>
    }
}
