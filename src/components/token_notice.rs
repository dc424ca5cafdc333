//! What a pasted token's `exp` says: when it expires, and, once it has, how to get a new one:
//! before the service answers 401. Read for display only; the service checks the token.

use chrono::TimeDelta;
use leptos::prelude::*;
use publishing_model::token::{expiry, Expiry};

use super::time::{format_time, TimeStyle};
use crate::api::SourceKind;
use crate::clock::use_clock;
use crate::i18n::{relative, tf};
use crate::settings::use_settings;

/// Within this long of its expiry a token is called out.
const SOON: TimeDelta = TimeDelta::minutes(15);

/// The notice. `always` also says when a token that is fine expires (the connection form);
/// otherwise only a token that expires soon or has expired is mentioned (every page).
#[component]
pub fn TokenNotice(#[prop(optional)] always: bool) -> impl IntoView {
    let settings = use_settings();
    let clock = use_clock();
    let router = crate::navigation::use_router();
    // The source is the path's first segment (the start page's choice is in its query).
    let resource = move || {
        let path = router.path();
        let query = router.query("source");
        let source = path
            .split('/')
            .nth(1)
            .and_then(SourceKind::parse)
            .filter(|s| *s != SourceKind::Demo)
            .or_else(|| query.as_deref().and_then(SourceKind::parse))
            .unwrap_or(SourceKind::Live);
        source.token_resource()
    };
    let expires = Memo::new(move |_| {
        settings
            .token
            .with(|t| t.as_ref().and_then(|t| t.expires_at()))
    });
    move || {
        let at = expires.get()?;
        let now = clock.now.get();
        let (class, text) = match expiry(Some(at), now, SOON) {
            Expiry::Expired(_) => (
                "token-notice token-notice--expired",
                tf(
                    key!("token.expired"),
                    &[("time", &relative(now, at)), ("resource", resource())],
                ),
            ),
            Expiry::Soon(_) => (
                "token-notice token-notice--soon",
                tf(
                    key!("token.expires"),
                    &[("time", &relative(now, at)), ("resource", resource())],
                ),
            ),
            Expiry::Fine if always => (
                "token-notice",
                tf(
                    key!("token.valid-until"),
                    &[(
                        "time",
                        &format_time(at, TimeStyle::DateTime, settings.utc.get()),
                    )],
                ),
            ),
            Expiry::Fine => return None,
        };
        let role = if class.ends_with("expired") {
            "alert"
        } else {
            "status"
        };
        Some(view! { <p class=class role=role data-testid="token-notice">{text}</p> })
    }
}
