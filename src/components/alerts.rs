//! Alerts on the overview: browser notifications (opt-in, permission asked only on a click),
//! a quiet list of recent changes, the count of offers that need the publisher in the tab
//! title, and a badge on the favicon.

use crate::i18n::t;
use crate::words;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use publishing_model::changes::Change;
use wasm_bindgen::JsCast;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

use super::RelativeTime;
use crate::settings::local as storage;

const KEY_NOTIFY: &str = "cpp-dashboard.notify";

/// Whether notifications are on: the publisher asked for them and the browser allows them.
pub fn notifications_on() -> bool {
    Notification::permission() == NotificationPermission::Granted
        && storage()
            .and_then(|s| s.get_item(KEY_NOTIFY).ok().flatten())
            .as_deref()
            == Some("1")
}

/// Shows one notification per change (at most three at once; the list has them all).
pub fn notify(changes: &[Change]) {
    if !notifications_on() {
        return;
    }
    for change in changes.iter().take(3) {
        let (title, body) = words::change(change);
        let options = NotificationOptions::new();
        options.set_body(&body);
        options.set_tag(change.offer().as_str());
        // A refused notification (the OS's do-not-disturb, say) changes nothing on the page.
        let _ = Notification::new_with_options(&title, &options);
    }
}

/// The opt-in switch. Permission is asked only when it is clicked.
#[component]
pub fn NotifySwitch() -> impl IntoView {
    let on = RwSignal::new(notifications_on());
    let denied = RwSignal::new(Notification::permission() == NotificationPermission::Denied);
    let toggle = move |_| {
        if on.get_untracked() {
            if let Some(s) = storage() {
                let _ = s.set_item(KEY_NOTIFY, "0");
            }
            on.set(false);
            return;
        }
        let Ok(promise) = Notification::request_permission() else {
            denied.set(true);
            return;
        };
        spawn_local(async move {
            let granted = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .is_some_and(|v| v == "granted");
            if granted {
                if let Some(s) = storage() {
                    let _ = s.set_item(KEY_NOTIFY, "1");
                }
            }
            denied.set(!granted);
            on.set(granted);
        });
    };
    let (on_text, off_text) = (t(key!("notify.on")), t(key!("notify.off")));
    view! {
        <span class="notify-switch">
            <button type="button" class="button button--small" aria-pressed=move || on.get().to_string() on:click=toggle data-testid="notify-switch">
                {move || if on.get() { on_text.clone() } else { off_text.clone() }}
            </button>
            <Show when=move || denied.get() && !on.get()>
                <span class="hint">" " {t(key!("notify.blocked"))}</span>
            </Show>
        </span>
    }
}

/// The quiet list of recent changes, newest first.
#[component]
pub fn RecentChanges(#[prop(into)] changes: Signal<Vec<(DateTime<Utc>, Change)>>) -> impl IntoView {
    view! {
        <Show when=move || changes.with(|c| !c.is_empty())>
            <section class="panel" aria-labelledby="changes-title">
                <h2 id="changes-title">{t(key!("changes.title"))}</h2>
                <ul class="recent-changes" data-testid="recent-changes" aria-live="polite">
                    {move || changes.get().into_iter().map(|(at, change)| {
                        let (title, body) = words::change(&change);
                        view! {
                            <li>
                                <RelativeTime at=Some(at) />
                                " · " <strong>{title}</strong> " " <span class="recent-changes__body">{body}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// Puts "(N) " before the page title while N offers need the publisher, and a badge on the
/// favicon; both go back when N is 0 or the page goes.
pub fn show_attention(count: Signal<usize>, title: Signal<String>) {
    let original = icon().and_then(|l| l.get_attribute("href"));
    let original_icon = original.clone();
    Effect::new(move |_| {
        let n = count.get();
        let base = title.get();
        let doc = document();
        if n > 0 {
            doc.set_title(&format!("({n}) {base}"));
        } else {
            doc.set_title(&base);
        }
        if let (Some(link), Some(original)) = (icon(), original_icon.as_ref()) {
            let href = if n > 0 { badge(n) } else { original.clone() };
            let _ = link.set_attribute("href", &href);
        }
    });
    on_cleanup(move || {
        if let (Some(link), Some(original)) = (icon(), original) {
            let _ = link.set_attribute("href", &original);
        }
    });
}

fn icon() -> Option<web_sys::HtmlLinkElement> {
    document()
        .query_selector("link[rel~=icon]")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// The app's icon with a red badge and the count (an SVG data URL: the CSP allows data:
/// images, and nothing is fetched).
fn badge(n: usize) -> String {
    let label = if n > 9 {
        "9+".to_owned()
    } else {
        n.to_string()
    };
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect x='2' y='6' width='20' height='20' rx='4' fill='%231f2933'/><circle cx='22' cy='10' r='10' fill='%23c4161c'/><text x='22' y='14.5' font-size='12' font-family='Arial' font-weight='bold' text-anchor='middle' fill='white'>{label}</text></svg>"
    );
    format!(
        "data:image/svg+xml,{}",
        svg.replace('<', "%3C")
            .replace('>', "%3E")
            .replace(' ', "%20")
    )
}
