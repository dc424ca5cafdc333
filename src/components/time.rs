//! Times as a publisher reads them: formatted by the browser's `Intl` for their locale, in
//! local time or UTC (a remembered setting), without seconds; relative within a week, the
//! exact time on hover and focus.

use std::cell::RefCell;

use chrono::{DateTime, TimeDelta, Utc};
use js_sys::{Date, Intl, Object, Reflect};
use leptos::prelude::*;
use publishing_model::timeline::TickUnit;
use wasm_bindgen::JsValue;

use crate::clock::use_clock;
use crate::i18n::{relative, t};
use crate::settings::use_settings;

/// The shapes the app writes instants in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeStyle {
    /// "Thu 3 Dec, 14:00": the exact time, with the zone.
    Full,
    /// "Thu 3 Dec, 14:00".
    DateTime,
    /// "Thu 3 Dec".
    Date,
    /// "14:00".
    Time,
    /// "Dec".
    Month,
    /// "2027".
    Year,
}

impl TimeStyle {
    fn options(self) -> &'static [(&'static str, &'static str)] {
        const DAY: [(&str, &str); 3] =
            [("weekday", "short"), ("day", "numeric"), ("month", "short")];
        match self {
            Self::Full => &[
                ("weekday", "short"),
                ("day", "numeric"),
                ("month", "short"),
                ("year", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("timeZoneName", "short"),
            ],
            Self::DateTime => &[
                ("weekday", "short"),
                ("day", "numeric"),
                ("month", "short"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
            Self::Date => &DAY,
            Self::Time => &[("hour", "2-digit"), ("minute", "2-digit")],
            Self::Month => &[("month", "short")],
            Self::Year => &[("year", "numeric")],
        }
    }
}

thread_local! {
    /// One `Intl.DateTimeFormat` per style and zone: making one is far slower than using it.
    static FORMATS: RefCell<Vec<((TimeStyle, bool), js_sys::Function)>> = const { RefCell::new(Vec::new()) };
}

fn formatter(style: TimeStyle, utc: bool) -> js_sys::Function {
    FORMATS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, f)) = cache.iter().find(|(key, _)| *key == (style, utc)) {
            return f.clone();
        }
        let made = {
            let options = Object::new();
            for (key, value) in style.options() {
                // Setting a property on a fresh plain object cannot fail.
                let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
            }
            if utc {
                let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
            }
            Intl::DateTimeFormat::new(&crate::i18n::locales(), &options).format()
        };
        cache.push(((style, utc), made.clone()));
        made
    })
}

/// Forgets the formatters: the language changed.
pub fn reset_time_formats() {
    FORMATS.with(|cache| cache.borrow_mut().clear());
}

/// An instant in one of the app's shapes, in local time or UTC.
pub fn format_time(at: DateTime<Utc>, style: TimeStyle, utc: bool) -> String {
    let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    formatter(style, utc)
        .call1(&JsValue::NULL, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| at.to_rfc3339())
}

/// Seconds east of UTC at an instant, in the zone times are shown in.
pub fn zone_offset(at: DateTime<Utc>, utc: bool) -> i32 {
    if utc {
        return 0;
    }
    let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    // getTimezoneOffset is minutes west of UTC, at most a day: the cast holds.
    -(date.get_timezone_offset() * 60.0) as i32
}

/// The label of an axis tick.
pub fn tick_label(at: DateTime<Utc>, unit: TickUnit, utc: bool) -> String {
    let style = match unit {
        TickUnit::Hour => TimeStyle::Time,
        TickUnit::Day => TimeStyle::Date,
        TickUnit::Month => TimeStyle::Month,
        TickUnit::Year => TimeStyle::Year,
    };
    format_time(at, style, utc)
}

/// Words within a week ("in 2 days"), the date and time beyond it.
pub fn nearby(now: DateTime<Utc>, at: DateTime<Utc>, utc: bool) -> String {
    if (at - now).abs() < TimeDelta::days(7) {
        relative(now, at)
    } else {
        format_time(at, TimeStyle::DateTime, utc)
    }
}

/// A time that reads "in 2 days", with "in 2 days · Thu 3 Dec 2026, 14:00 CET" on hover and
/// on keyboard focus. `about` marks an inferred time.
#[component]
pub fn RelativeTime(
    #[prop(into)] at: Signal<Option<DateTime<Utc>>>,
    #[prop(optional, into)] raw: MaybeProp<String>,
    #[prop(optional)] about: bool,
) -> impl IntoView {
    let clock = use_clock();
    let settings = use_settings();
    let unknown = t(key!("time.unknown"));
    let about_text = t(key!("time.about-time"));
    let prefixed = move |s: String| {
        if about {
            publishing_model::i18n::fill(&about_text, &[("time", &s)])
        } else {
            s
        }
    };
    let (prefixed_text, prefixed_full) = (prefixed.clone(), prefixed);
    let text = move || match at.get() {
        Some(at) => prefixed_text(nearby(clock.now.get(), at, settings.utc.get())),
        None => raw.get().unwrap_or_else(|| unknown.clone()),
    };
    let full = move || {
        at.get().map(|at| {
            exact_time(
                prefixed_full(relative(clock.now.get(), at)),
                at,
                settings.utc.get(),
            )
        })
    };
    // The exact time is made only while it shows (see `tooltip`).
    let (hovered, focused) = (RwSignal::new(false), RwSignal::new(false));
    view! {
        <time
            class="when"
            datetime=move || at.get().map(|t| t.to_rfc3339())
            tabindex=move || at.get().map(|_| "0")
            on:mouseenter=move |_| hovered.set(true)
            on:mouseleave=move |_| hovered.set(false)
            on:focus=move |_| focused.set(true)
            on:blur=move |_| focused.set(false)
        >
            {text}
            {tooltip(hovered, focused, full)}
        </time>
    }
}

/// What a `<time>` shows of an instant: its `datetime` attribute and its words ("in 2 days";
/// the date and time beyond a week; `fallback` when there is no instant).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TimeText {
    /// The `datetime` attribute.
    pub datetime: Option<String>,
    /// What it reads.
    pub words: String,
}

impl TimeText {
    /// `at` as read at `now`.
    pub fn of(at: Option<DateTime<Utc>>, now: DateTime<Utc>, utc: bool, fallback: &str) -> Self {
        Self {
            datetime: at.map(|at| at.to_rfc3339()),
            words: at.map_or_else(|| fallback.to_owned(), |at| nearby(now, at, utc)),
        }
    }
}

/// "in 2 days · Thu 3 Dec 2026, 14:00 CET": what a time's tooltip says, from its relative
/// words.
pub(crate) fn exact_time(words: String, at: DateTime<Utc>, utc: bool) -> String {
    format!("{words} · {}", format_time(at, TimeStyle::Full, utc))
}

/// The exact time as a tooltip, made only while the time is hovered or focused: a table of
/// times would otherwise format every one of them twice, on every tick of the clock and on
/// every filter change, for tooltips nobody is looking at.
pub(crate) fn tooltip(
    hovered: RwSignal<bool>,
    focused: RwSignal<bool>,
    full: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        (hovered.get() || focused.get())
            .then(&full)
            .flatten()
            .map(|f| view! { <span class="when__full" role="tooltip">{f}</span> })
    }
}
