//! The page's language: the chosen catalogue, lookups (`t`, `tf`, `tn`), and the browser's
//! `Intl` for numbers, units, lists, relative times and plural categories, all in the chosen
//! locale. English is built in; another language's catalogue is a hashed static file fetched
//! when it is chosen (before the first mount, when it is the remembered or preferred one).
//!
//! Lookups are not reactive: a language change re-mounts the page below the contexts (see
//! `App`), which is rare and keeps hundreds of texts from each needing an effect.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use js_sys::{Array, Function, Intl, Object, Reflect};
use publishing_model::i18n::{fill, pieces, Catalogue, Locale, Piece};
use publishing_model::time_frame::{range_reading, rounded, DurationUnit, RangeReading};
use publishing_model::TimeRange;
use wasm_bindgen::{JsCast, JsValue};

use crate::settings::local;

mod files {
    include!(concat!(env!("OUT_DIR"), "/locale_files.rs"));
}

const ENGLISH: &str = include_str!("../locales/en.txt");
const KEY_LANGUAGE: &str = "cpp-dashboard.language";

struct Current {
    locale: Locale,
    messages: Rc<Catalogue>,
    /// `Intl` objects of this locale, made on first use.
    intl: Vec<(String, JsValue)>,
}

thread_local! {
    static ENGLISH_CATALOGUE: Rc<Catalogue> = Rc::new(Catalogue::parse(ENGLISH).0);
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

fn english() -> Rc<Catalogue> {
    ENGLISH_CATALOGUE.with(Rc::clone)
}

/// The chosen language.
pub fn locale() -> Locale {
    CURRENT.with(|c| c.borrow().as_ref().map_or(Locale::En, |c| c.locale))
}

/// A message key of `locales/en.txt`, made only by [`key!`](crate::key): a key English
/// lacks is a compile error, never a text found missing later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key(&'static str);

impl Key {
    /// For [`key!`](crate::key) alone, which checks the key against English first: the
    /// `len` bytes at `start` of the built-in English text, where the key's line begins.
    #[doc(hidden)]
    pub const fn __at(start: usize, len: usize) -> Self {
        let (_, rest) = ENGLISH.as_bytes().split_at(start);
        let (key, _) = rest.split_at(len);
        match std::str::from_utf8(key) {
            Ok(key) => Self(key),
            Err(_) => panic!("a key is ASCII"),
        }
    }

    /// The key as the catalogues spell it.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

fn lookup(key: &str, plural: Option<&str>) -> String {
    let found = CURRENT.with(|c| {
        let c = c.borrow();
        let messages = c.as_ref()?.messages.clone();
        match plural {
            Some(category) => messages.get_plural(key, category).map(str::to_owned),
            None => messages.get(key).map(str::to_owned),
        }
    });
    found
        .or_else(|| {
            let english = english();
            match plural {
                Some(category) => english.get_plural(key, category).map(str::to_owned),
                None => english.get(key).map(str::to_owned),
            }
        })
        .unwrap_or_else(|| key.to_owned())
}

/// The message of a key in the chosen language, English when it has none.
pub fn t(key: Key) -> String {
    lookup(key.0, None)
}

/// A message with its `{placeholders}` filled.
pub fn tf(key: Key, args: &[(&str, &str)]) -> String {
    fill(&lookup(key.0, None), args)
}

/// A message that depends on a count: the plural form of the chosen language for `n`
/// (`Intl.PluralRules`), with `{n}` the count formatted for the locale.
pub fn tn(key: Key, n: i64, args: &[(&str, &str)]) -> String {
    let category = plural_category(n);
    let count = number(n);
    let mut all = vec![("n", count.as_str())];
    all.extend_from_slice(args);
    fill(&lookup(key.0, Some(&category)), &all)
}

/// A message with slots for things that are not text (times, links): each slot is made by
/// `slot(name)`, in the order the language puts them.
pub fn compose(
    key: Key,
    args: &[(&str, &str)],
    mut slot: impl FnMut(&str) -> leptos::prelude::AnyView,
) -> Vec<leptos::prelude::AnyView> {
    use leptos::prelude::IntoAny;
    pieces(&lookup(key.0, None), args)
        .into_iter()
        .map(|p| match p {
            Piece::Text(text) => text.into_any(),
            Piece::Slot(name) => slot(&name),
        })
        .collect()
}

/// A whole percentage in the locale's form: "45 %", "45%", "%45".
pub fn percent(p: u8) -> String {
    let format = intl("percent", |l| {
        Intl::NumberFormat::new(l, &options(&[("style", "percent")])).into()
    });
    let share = f64::from(p) / 100.0;
    call_method(&format, "format", &[JsValue::from_f64(share)]).unwrap_or_else(|| format!("{p} %"))
}

/// One `Intl` object of the chosen locale per purpose, made once.
fn intl(purpose: &str, make: impl FnOnce(&Array) -> JsValue) -> JsValue {
    let cached = CURRENT.with(|c| {
        c.borrow().as_ref().and_then(|c| {
            c.intl
                .iter()
                .find(|(p, _)| p == purpose)
                .map(|(_, v)| v.clone())
        })
    });
    if let Some(v) = cached {
        return v;
    }
    let made = make(&locales());
    CURRENT.with(|c| {
        if let Some(c) = c.borrow_mut().as_mut() {
            c.intl.push((purpose.to_owned(), made.clone()));
        }
    });
    made
}

/// The locales argument for `Intl`: the chosen tag (the pseudo-locale formats as English).
pub fn locales() -> Array {
    let tag = match locale() {
        Locale::Pseudo => "en",
        other => other.tag(),
    };
    Array::of1(&tag.into())
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (key, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &(*key).into(), &(*value).into());
    }
    o
}

fn call_method(target: &JsValue, method: &str, args: &[JsValue]) -> Option<String> {
    let f: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    let args: Array = args.iter().collect();
    f.apply(target, &args).ok()?.as_string()
}

fn plural_category(n: i64) -> String {
    let rules = intl("plural", |l| {
        Intl::PluralRules::new(l, &Object::new()).into()
    });
    call_method(&rules, "select", &[JsValue::from_f64(n as f64)])
        .unwrap_or_else(|| if n == 1 { "one" } else { "other" }.to_owned())
}

/// Text in lower case, every script (the browser's `String.prototype.toLowerCase`): what
/// the model's searches and orderings fold names with, so that the wasm carries no case
/// tables of its own.
pub fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// A number in the locale's digits and grouping: `12,345`, `12 345`, `12.345`.
pub fn number(n: i64) -> String {
    let format = intl("number", |l| {
        Intl::NumberFormat::new(l, &Object::new()).into()
    });
    call_method(&format, "format", &[JsValue::from_f64(n as f64)]).unwrap_or_else(|| n.to_string())
}

fn unit_format(unit: DurationUnit) -> JsValue {
    let purpose = match unit {
        DurationUnit::Second => "unit-second",
        DurationUnit::Minute => "unit-minute",
        DurationUnit::Hour => "unit-hour",
        DurationUnit::Day => "unit-day",
    };
    intl(purpose, |l| {
        let o = options(&[
            ("style", "unit"),
            ("unit", unit.intl()),
            ("unitDisplay", "long"),
        ]);
        Intl::NumberFormat::new(l, &o).into()
    })
}

/// An amount of a unit: "3 days", "3 дня", "3天".
pub fn amount(n: i64, unit: DurationUnit) -> String {
    call_method(&unit_format(unit), "format", &[JsValue::from_f64(n as f64)])
        .unwrap_or_else(|| format!("{n} {}", unit.intl()))
}

/// A duration in the largest unit that reads naturally, in the locale.
pub fn duration(d: TimeDelta) -> String {
    let (n, unit) = rounded(d);
    amount(n, unit)
}

/// A range of durations in words: "3–4 days", "up to 4 days", "about 2 hours".
pub fn range(range: TimeRange) -> String {
    match range_reading(range) {
        RangeReading::UpTo(n, u) => tf(key!("time.up-to"), &[("duration", &amount(n, u))]),
        RangeReading::About(n, u) => tf(key!("time.about"), &[("duration", &amount(n, u))]),
        RangeReading::Span(a, b, u) => {
            let args = [JsValue::from_f64(a as f64), JsValue::from_f64(b as f64)];
            call_method(&unit_format(u), "formatRange", &args)
                .unwrap_or_else(|| format!("{}–{}", number(a), amount(b, u)))
        }
        RangeReading::Between(a, b) => tf(
            key!("time.between"),
            &[("from", &amount(a.0, a.1)), ("to", &amount(b.0, b.1))],
        ),
    }
}

/// `then` relative to `now`: "5 minutes ago", "in 3 days", "just now"
/// (`Intl.RelativeTimeFormat`).
pub fn relative(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let delta = then - now;
    if delta.num_seconds().abs() < publishing_model::time_frame::NOW_MARGIN_SECS {
        return t(key!("time.just-now"));
    }
    let (n, unit) = rounded(delta.abs());
    let signed = if delta < TimeDelta::zero() { -n } else { n };
    let format = intl("relative", |l| {
        Intl::RelativeTimeFormat::new(l, &options(&[("numeric", "always")])).into()
    });
    call_method(
        &format,
        "format",
        &[JsValue::from_f64(signed as f64), unit.intl().into()],
    )
    .unwrap_or_else(|| publishing_model::time_frame::relative(now, then))
}

/// Items joined as the locale joins a list: "a, b and c", "a, b и c", "a、b和c".
pub fn list(items: &[String]) -> String {
    let format = intl("list", |l| {
        // Intl.ListFormat has no binding in js-sys: reached by name.
        let ctor = Reflect::get(&js_sys::global(), &"Intl".into())
            .and_then(|intl| Reflect::get(&intl, &"ListFormat".into()))
            .ok()
            .and_then(|c| c.dyn_into::<Function>().ok());
        let Some(ctor) = ctor else {
            return JsValue::NULL;
        };
        let args = Array::of2(l, &options(&[("type", "conjunction")]));
        Reflect::construct(&ctor, &args).unwrap_or(JsValue::NULL)
    });
    let array: Array = items.iter().map(|s| JsValue::from_str(s)).collect();
    call_method(&format, "format", &[array.into()]).unwrap_or_else(|| items.join(", "))
}

/// The language to start in: the one chosen before, else the browser's preference.
pub fn initial_locale() -> Locale {
    let stored = local()
        .and_then(|s| s.get_item(KEY_LANGUAGE).ok().flatten())
        .and_then(|t| Locale::from_tag(&t));
    stored.unwrap_or_else(|| {
        let preferred: Vec<String> = web_sys::window()
            .map(|w| {
                w.navigator()
                    .languages()
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect()
            })
            .unwrap_or_default();
        Locale::negotiate(&preferred)
    })
}

/// Remembers a language the user chose.
pub fn remember(locale: Locale) {
    if let Some(s) = local() {
        // A full or blocked storage only means the choice is not remembered.
        let _ = s.set_item(KEY_LANGUAGE, locale.tag());
    }
}

/// The address of a language's catalogue file, relative to the page's base.
pub fn file_of(locale: Locale) -> Option<&'static str> {
    files::FILES
        .iter()
        .find(|(tag, _)| *tag == locale.tag())
        .map(|(_, file)| *file)
}

/// Makes `locale` the page's language, fetching its catalogue first when it has one. On
/// failure the language stays as it was and the reason is returned.
pub async fn switch(locale: Locale) -> Result<(), String> {
    let messages = match locale {
        Locale::En => english(),
        Locale::Pseudo => Rc::new(english().pseudo()),
        _ => {
            let file = file_of(locale).ok_or_else(|| t(key!("language.no-file")))?;
            let response = gloo_net::http::Request::get(file)
                .send()
                .await
                .map_err(|_| t(key!("language.offline")))?;
            if !response.ok() {
                return Err(tf(
                    key!("language.status"),
                    &[("status", &response.status().to_string())],
                ));
            }
            let text = response
                .text()
                .await
                .map_err(|_| t(key!("language.offline")))?;
            Rc::new(Catalogue::parse(&text).0)
        }
    };
    install(locale, messages);
    Ok(())
}

/// Makes `locale` with these messages the page's language at once (`switch` after its
/// fetch; tests with a catalogue they read themselves).
pub fn install(locale: Locale, messages: Rc<Catalogue>) {
    CURRENT.with(|c| {
        *c.borrow_mut() = Some(Current {
            locale,
            messages,
            intl: Vec::new(),
        })
    });
    crate::components::reset_time_formats();
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // An attribute on the root element always takes.
        let _ = root.set_attribute("lang", locale.tag());
    }
}
