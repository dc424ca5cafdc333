//! Connection settings, shared through a typed context. Everything but the token is kept in
//! `localStorage`; the token lives in memory unless the user explicitly opts in to keep it
//! for the tab (`sessionStorage`), and it never reaches a URL, a log line or `Debug` output.

use leptos::prelude::*;

/// Default CPP API version.
pub const DEFAULT_API_VERSION: &str = "2017-10-31";
/// Default proxy base: the same-origin `/api` that `trunk serve` and `cpp-proxy` provide.
pub const DEFAULT_PROXY_URL: &str = "/api";
/// Default polling of the real service (it asks for at most one poll a minute).
pub const DEFAULT_POLL_SECONDS: u32 = 60;

const KEY_PROXY: &str = "cpp-dashboard.proxy-url";
const KEY_VERSION: &str = "cpp-dashboard.api-version";
const KEY_POLL: &str = "cpp-dashboard.poll-seconds";
const KEY_LAST: &str = "cpp-dashboard.last-offer";
const KEY_TOKEN: &str = "cpp-dashboard.token";
const KEY_UTC: &str = "cpp-dashboard.times-in-utc";
const KEY_QUIET: &str = "cpp-dashboard.stuck-after-hours";
/// Default hours an overdue step may go without a message before it is "probably stuck".
pub const DEFAULT_QUIET_HOURS: u32 = 24;

/// A bearer token. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    /// A token from user input; `None` when blank. A pasted `Bearer ` prefix is removed.
    pub fn new(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let raw = raw
            .strip_prefix("Bearer ")
            .or_else(|| raw.strip_prefix("bearer "))
            .unwrap_or(raw)
            .trim();
        (!raw.is_empty()).then(|| Self(raw.to_owned()))
    }

    /// The header value. The only way to read the token.
    pub fn header_value(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// When the token says it expires (a JWT's `exp`; unverified, for display only).
    pub fn expires_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        publishing_model::token::jwt_expiry(&self.0)
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// Connection settings.
#[derive(Clone, Copy)]
pub struct Settings {
    /// Base URL of the proxy's API root (`/api`, `https://proxy.example.com/api`).
    pub proxy_url: RwSignal<String>,
    /// `api-version` query parameter.
    pub api_version: RwSignal<String>,
    /// Seconds between polls of the real service.
    pub poll_seconds: RwSignal<u32>,
    /// The bearer token, if the user gave one.
    pub token: RwSignal<Option<BearerToken>>,
    /// The user chose to keep the token for this tab.
    pub remember_token: RwSignal<bool>,
    /// The last publisher and offer opened, for the start page.
    pub last_offer: RwSignal<Option<(String, String)>>,
    /// Show times in UTC instead of local time.
    pub utc: RwSignal<bool>,
    /// Hours an overdue step may be quiet before it is "probably stuck".
    pub quiet_hours: RwSignal<u32>,
}

/// The origin's `localStorage`, when the browser allows it (not in some private modes).
pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn read(storage: Option<web_sys::Storage>, key: &str) -> Option<String> {
    storage?.get_item(key).ok().flatten()
}

fn write(storage: Option<web_sys::Storage>, key: &str, value: Option<&str>) {
    if let Some(storage) = storage {
        // Storage can be full or disabled (private mode); settings then last for the page.
        let _ = match value {
            Some(v) => storage.set_item(key, v),
            None => storage.remove_item(key),
        };
    }
}

/// A field typed but not yet used (an id on the start page), kept for this tab so that a
/// sign-in, which leaves the page, does not lose it. Never a token.
pub fn draft(name: &str) -> Option<String> {
    read(session(), &format!("cpp-dashboard.draft.{name}")).filter(|v| !v.is_empty())
}

/// Keeps (or, empty, forgets) a draft.
pub fn set_draft(name: &str, value: &str) {
    let value = (!value.is_empty()).then_some(value);
    write(session(), &format!("cpp-dashboard.draft.{name}"), value);
}

impl Settings {
    /// Reads stored settings, with defaults.
    pub fn load() -> Self {
        let stored_token = read(session(), KEY_TOKEN).and_then(|t| BearerToken::new(&t));
        Self {
            proxy_url: RwSignal::new(
                read(local(), KEY_PROXY).unwrap_or_else(|| DEFAULT_PROXY_URL.to_owned()),
            ),
            api_version: RwSignal::new(
                read(local(), KEY_VERSION).unwrap_or_else(|| DEFAULT_API_VERSION.to_owned()),
            ),
            poll_seconds: RwSignal::new(
                read(local(), KEY_POLL)
                    .and_then(|s| s.parse().ok())
                    .filter(|s| *s >= 10)
                    .unwrap_or(DEFAULT_POLL_SECONDS),
            ),
            remember_token: RwSignal::new(stored_token.is_some()),
            token: RwSignal::new(stored_token),
            last_offer: RwSignal::new(read(local(), KEY_LAST).and_then(|s| {
                let (p, o) = s.split_once('/')?;
                Some((p.to_owned(), o.to_owned()))
            })),
            utc: RwSignal::new(read(local(), KEY_UTC).as_deref() == Some("1")),
            quiet_hours: RwSignal::new(
                read(local(), KEY_QUIET)
                    .and_then(|s| s.parse().ok())
                    .filter(|h| (1..=24 * 30).contains(h))
                    .unwrap_or(DEFAULT_QUIET_HOURS),
            ),
        }
    }

    /// Shows times in UTC (`true`) or local time, and remembers the choice.
    pub fn set_utc(&self, utc: bool) {
        write(local(), KEY_UTC, Some(if utc { "1" } else { "0" }));
        self.utc.set(utc);
    }

    /// Sets and remembers how long an overdue step may be quiet before it is "probably
    /// stuck" (1 hour to 30 days).
    pub fn set_quiet_hours(&self, hours: u32) {
        let hours = hours.clamp(1, 24 * 30);
        write(local(), KEY_QUIET, Some(&hours.to_string()));
        self.quiet_hours.set(hours);
    }

    /// Saves the connection settings (not the token).
    pub fn save_connection(&self, proxy_url: &str, api_version: &str, poll_seconds: u32) {
        let proxy_url = proxy_url.trim().trim_end_matches('/');
        let proxy_url = if proxy_url.is_empty() {
            DEFAULT_PROXY_URL
        } else {
            proxy_url
        };
        let api_version = api_version.trim();
        let api_version = if api_version.is_empty() {
            DEFAULT_API_VERSION
        } else {
            api_version
        };
        let poll_seconds = poll_seconds.max(10);
        write(local(), KEY_PROXY, Some(proxy_url));
        write(local(), KEY_VERSION, Some(api_version));
        write(local(), KEY_POLL, Some(&poll_seconds.to_string()));
        self.proxy_url.set(proxy_url.to_owned());
        self.api_version.set(api_version.to_owned());
        self.poll_seconds.set(poll_seconds);
    }

    /// Sets or clears the token; kept in `sessionStorage` only when `remember` is true.
    pub fn set_token(&self, token: Option<BearerToken>, remember: bool) {
        match (&token, remember) {
            (Some(t), true) => write(session(), KEY_TOKEN, Some(&t.0)),
            _ => write(session(), KEY_TOKEN, None),
        }
        self.remember_token.set(remember && token.is_some());
        self.token.set(token);
    }

    /// Remembers the offer last opened.
    pub fn remember_offer(&self, publisher: &str, offer: &str) {
        let value = format!("{publisher}/{offer}");
        if self.last_offer.get_untracked().as_ref()
            != Some(&(publisher.to_owned(), offer.to_owned()))
        {
            write(local(), KEY_LAST, Some(&value));
            self.last_offer
                .set(Some((publisher.to_owned(), offer.to_owned())));
        }
    }
}

/// Puts the settings in context.
pub fn provide_settings() {
    provide_context(Settings::load());
}

/// The settings from context.
pub fn use_settings() -> Settings {
    expect_context::<Settings>()
}
