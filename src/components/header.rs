//! The top bar: the app's name, the way back to the start page, a clear "demo data" label,
//! and the display settings (language; local time or UTC; when a late step counts as stuck).

use leptos::prelude::*;
use publishing_model::i18n::Locale;

use publishing_model::sign_in::SignIn;

use super::SignInLink;
use crate::i18n::{self, t, tf};
use crate::navigation::use_router;
use crate::routes;
use crate::settings::use_settings;

/// The page header.
#[component]
pub fn Header() -> impl IntoView {
    let router = use_router();
    let settings = use_settings();
    // The source is the first segment of the app path: a live publisher or offer named
    // "demo" must not be labelled as demo data.
    let demo = move || router.path().starts_with("/demo/");
    view! {
        <a class="skip-link" href="#main">{t(key!("header.skip"))}</a>
        <header class="site-header">
            <a href=routes::href("/") class="site-header__title">{t(key!("header.title"))}</a>
            <Show when=demo>
                <span class="demo-label" data-testid="demo-label" title=t(key!("header.demo-hint"))>
                    {t(key!("header.demo"))}
                </span>
            </Show>
            <LanguageSwitch />
            <DisplaySettings />
            <AccountSlot />
        </header>
        // A pasted token about to expire, or expired, on the pages that use it. Its code is
        // fetched only when there is a pasted token (src/pages/split.rs).
        <Show when=move || {
            settings.token.with(Option::is_some)
                && (router.path().starts_with("/live/") || router.path().starts_with("/ingestion/"))
        }>
            <div class="site-notice">{crate::pages::split::token_notice()}</div>
        </Show>
    }
}

/// Where [`Account`] goes: only when the proxy signs people in is its code fetched (a file
/// of its own in the release build, src/pages/split.rs).
#[component]
fn AccountSlot() -> impl IntoView {
    let on = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let _ = on.try_set(crate::sign_in::maybe_on().await);
    });
    move || on.get().then(crate::pages::split::account)
}

/// Who is signed in, with their role and *Sign out*; *Sign in* when nobody is. Nothing when
/// the proxy signs nobody in.
#[component]
pub fn Account() -> impl IntoView {
    let state = crate::sign_in::use_sign_in();
    let ended = crate::sign_in::session_ended();
    let failed = RwSignal::new(false);
    move || {
        if ended.get() {
            return Some(view! { <SignInLink /> }.into_any());
        }
        state.with(|s| match s {
            SignIn::SignedIn(user) => {
                let role = t(if user.operator { key!("sign-in.operator") } else { key!("sign-in.viewer") });
                let who = tf(key!("sign-in.as"), &[("name", &user.name), ("role", &role)]);
                Some(view! {
                    <span class="account" data-testid="account" title=user.upn.clone()>
                        {who}
                        " "
                        <button
                            type="button"
                            class="button"
                            data-testid="sign-out"
                            on:click=move |_| leptos::task::spawn_local(async move {
                                failed.set(crate::sign_in::sign_out().await.is_err());
                            })
                        >
                            {move || t(if failed.get() { key!("sign-in.out-failed") } else { key!("sign-in.out") })}
                        </button>
                    </span>
                }
                .into_any())
            }
            SignIn::SignedOut => Some(view! { <SignInLink /> }.into_any()),
            SignIn::Off | SignIn::Unknown => None,
        })
    }
}

/// The language: every language in its own name; the choice is remembered. Switching
/// fetches the catalogue first and says so when it cannot.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let language = expect_context::<RwSignal<Locale>>();
    let (busy, set_busy) = signal(false);
    let (failed, set_failed) = signal(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(chosen) = Locale::from_tag(&event_target_value(&ev)) else {
            return;
        };
        set_busy.set(true);
        let select = event_target::<web_sys::HtmlElement>(&ev);
        leptos::task::spawn_local(async move {
            match i18n::switch(chosen).await {
                Ok(()) => {
                    i18n::remember(chosen);
                    // Re-mounts the page in the new language; this switch goes with it.
                    language.set(chosen);
                }
                Err(reason) => {
                    // The list shows the language the page is still in.
                    let _ = js_sys::Reflect::set(
                        &select,
                        &"value".into(),
                        &i18n::locale().tag().into(),
                    );
                    let _ = set_busy.try_set(false);
                    let _ = set_failed.try_set(Some(reason));
                }
            }
        });
    };
    let current = i18n::locale();
    view! {
        <label class="language-switch">
            <span class="visually-hidden">{t(key!("header.language"))}</span>
            <select data-testid="language" on:change=on_change disabled=busy>
                {Locale::ALL
                    .into_iter()
                    .map(|l| view! { <option value=l.tag() lang=l.tag() selected=l == current>{l.name()}</option> })
                    .collect_view()}
            </select>
        </label>
        {move || failed.get().map(|reason| view! { <span class="language-switch__error" role="alert">{reason}</span> })}
    }
}

/// Local time or UTC, and the hours of silence after which a late step is "probably stuck".
#[component]
fn DisplaySettings() -> impl IntoView {
    let settings = use_settings();
    let on_zone = move |utc: bool| move |_| settings.set_utc(utc);
    let on_quiet = move |ev: leptos::ev::Event| {
        if let Ok(hours) = event_target_value(&ev).trim().parse::<u32>() {
            settings.set_quiet_hours(hours);
        }
    };
    let (local, utc) = (t(key!("header.zone-local")), t(key!("header.zone-utc")));
    let zone = move || {
        if settings.utc.get() {
            utc.clone()
        } else {
            local.clone()
        }
    };
    view! {
        <details class="display-settings">
            <summary class="display-settings__summary">
                {t(key!("header.times"))} " " <span data-testid="zone-choice">{zone}</span>
            </summary>
            <div class="display-settings__body">
                <fieldset class="display-settings__zone">
                    <legend>{t(key!("header.show-times-in"))}</legend>
                    <label><input type="radio" name="zone" checked=move || !settings.utc.get() on:change=on_zone(false) />" " {t(key!("header.local-time"))}</label>
                    <label><input type="radio" name="zone" checked=move || settings.utc.get() on:change=on_zone(true) />" " {t(key!("header.zone-utc"))}</label>
                </fieldset>
                <label class="display-settings__quiet">
                    {t(key!("header.stuck-before"))} " "
                    <input type="number" min="1" max="720" inputmode="numeric" prop:value=move || settings.quiet_hours.get().to_string() on:change=on_quiet />
                    " " {t(key!("header.stuck-after"))}
                </label>
            </div>
        </details>
    }
}
