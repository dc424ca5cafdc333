//! The page's language in a real browser: dates, numbers, units, lists, plurals and relative
//! times follow the chosen locale through `Intl`; messages come from its catalogue, with
//! English where it has none; the pseudo-locale is longer and accented; `<html lang>` follows.

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

mod common;

use chrono::{TimeDelta, TimeZone, Utc};
use offer_dashboard::components::{format_time, TimeStyle};
use offer_dashboard::i18n::{self, amount, duration, list, number, relative, t, tf, tn};
use offer_dashboard::key;
use publishing_model::i18n::{Catalogue, Locale};
use publishing_model::time_frame::DurationUnit;
use publishing_model::TimeRange;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn use_locale(locale: Locale) {
    let text = match locale {
        Locale::Ru => include_str!("../locales/ru.txt"),
        Locale::ZhCn => include_str!("../locales/zh-CN.txt"),
        Locale::PtBr => include_str!("../locales/pt-BR.txt"),
        Locale::It => include_str!("../locales/it.txt"),
        Locale::En | Locale::Pseudo => include_str!("../locales/en.txt"),
    };
    let (catalogue, errors) = Catalogue::parse(text);
    assert!(errors.is_empty(), "{errors:?}");
    let catalogue = if locale == Locale::Pseudo {
        catalogue.pseudo()
    } else {
        catalogue
    };
    i18n::install(locale, Rc::new(catalogue));
}

fn html_lang() -> String {
    gloo_utils_document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default()
}

fn gloo_utils_document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
}

/// 3 December 2026, 12:00 UTC: noon, so the day is the same in every zone a CI runs in.
fn dec3() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0)
        .single()
        .expect("valid")
}

#[wasm_bindgen_test]
fn russian_dates_numbers_units_and_plurals() {
    use_locale(Locale::Ru);
    assert_eq!(html_lang(), "ru");
    let date = format_time(dec3(), TimeStyle::Date, true);
    assert!(date.contains("3 дек."), "{date}");
    // Russian groups thousands with a (narrow) no-break space.
    let n = number(12_345);
    assert!(
        n.starts_with("12") && n.ends_with("345") && !n.contains(','),
        "{n}"
    );
    assert_eq!(amount(3, DurationUnit::Day), "3 дня");
    assert_eq!(amount(5, DurationUnit::Day), "5 дней");
    assert_eq!(
        tn(key!("feed.new-since"), 1, &[]),
        "1 новое с вашего прошлого визита"
    );
    assert_eq!(
        tn(key!("feed.new-since"), 3, &[]),
        "3 новых с вашего прошлого визита"
    );
    assert_eq!(t(key!("status.running")), "Выполняется");
    let range = TimeRange {
        min: TimeDelta::days(3),
        max: TimeDelta::days(4),
    };
    let words = i18n::range(range);
    assert!(words.contains('3') && words.contains("4 дня"), "{words}");
    let ago = relative(dec3(), dec3() - TimeDelta::hours(5));
    assert_eq!(ago, "5 часов назад");
    let joined = list(&["A".into(), "B".into(), "C".into()]);
    assert_eq!(joined, "A, B и C");
    use_locale(Locale::En);
}

#[wasm_bindgen_test]
fn chinese_dates_and_units() {
    use_locale(Locale::ZhCn);
    assert_eq!(html_lang(), "zh-CN");
    let date = format_time(dec3(), TimeStyle::Date, true);
    assert!(date.contains("12月3日"), "{date}");
    assert_eq!(amount(2, DurationUnit::Hour), "2小时");
    assert_eq!(t(key!("status.completed")), "已完成");
    use_locale(Locale::En);
}

#[wasm_bindgen_test]
fn portuguese_and_italian_follow_their_own_rules() {
    use_locale(Locale::PtBr);
    assert_eq!(number(12_345), "12.345");
    assert!(format_time(dec3(), TimeStyle::Date, true).contains("dez"));
    assert_eq!(duration(TimeDelta::days(3)), "3 dias");
    use_locale(Locale::It);
    assert_eq!(number(12_345), "12.345");
    assert!(format_time(dec3(), TimeStyle::Date, true).contains("dic"));
    assert_eq!(tn(key!("ops.export"), 1, &[]), "Esporta la 1 mostrata:");
    assert_eq!(tn(key!("ops.export"), 7, &[]), "Esporta le 7 mostrate:");
    use_locale(Locale::En);
}

#[wasm_bindgen_test]
fn english_is_the_default_and_the_fallback() {
    use_locale(Locale::En);
    assert_eq!(html_lang(), "en");
    assert_eq!(number(12_345), "12,345");
    assert_eq!(amount(1, DurationUnit::Day), "1 day");
    assert_eq!(
        tn(key!("start.see-all"), 36, &[]),
        "See all 36 offers at a glance"
    );
    assert_eq!(
        tf(key!("title.operation"), &[("offer", "contoso-vm")]),
        "Operation · contoso-vm"
    );
    // A catalogue without a key falls back to English, never to the bare key.
    i18n::install(Locale::Ru, Rc::new(Catalogue::default()));
    assert_eq!(t(key!("status.running")), "Running");
    assert_eq!(html_lang(), "ru");
    use_locale(Locale::En);
}

#[wasm_bindgen_test]
fn the_pseudo_locale_is_longer_accented_and_formats_as_english() {
    use_locale(Locale::Pseudo);
    assert_eq!(html_lang(), "en-XA");
    let text = t(key!("ops.no-match"));
    let english = "No operation matches these filters. Choose “All” or clear the search.";
    assert!(
        text.chars().count() > english.chars().count() * 5 / 4,
        "{text}"
    );
    assert!(text.contains('ö'), "{text}");
    assert_eq!(number(12_345), "12,345");
    use_locale(Locale::En);
}

/// The overview row says a late or stuck step in every language, with how long, and the
/// step's name as the service sent it.
#[wasm_bindgen_test]
async fn the_overview_row_words_overdue_and_stuck_in_every_language() {
    use common::{mount, one, settle, text};
    use leptos::prelude::*;
    use offer_dashboard::components::{OverviewRow, RowState};
    use publishing_model::api::OfferSummary;
    use publishing_model::overview::{Attention, OfferOverview};
    use publishing_model::{OfferId, PublishStatus};

    let row = |attention: Attention| {
        let mut row = OfferOverview::listed(&OfferSummary {
            id: OfferId::from("contoso-vm"),
            ..OfferSummary::default()
        });
        row.status = Some(PublishStatus::Running);
        row.attention = attention;
        row
    };
    let overdue = Attention::Overdue {
        step: "Certification".into(),
        by: chrono::TimeDelta::days(12),
    };
    let stuck = Attention::Stuck {
        step: "Certification".into(),
        overdue_by: chrono::TimeDelta::days(12),
        quiet: chrono::TimeDelta::days(16),
    };
    for (locale, late, stuck_word) in [
        (Locale::En, "overdue by", "probably stuck"),
        (Locale::ZhCn, "已超时", "可能卡住了"),
        (Locale::Ru, "задержка", "зависание"),
        (Locale::PtBr, "atraso", "travamento"),
        (Locale::It, "ritardo", "blocco"),
    ] {
        use_locale(locale);
        for (attention, word, icon, quiet) in [
            (overdue.clone(), late, "⏱", chrono::TimeDelta::days(12)),
            (stuck.clone(), stuck_word, "⚠", chrono::TimeDelta::days(16)),
        ] {
            let shown = row(attention);
            let root = mount(move || {
                view! {
                    <table><tbody>
                        <OverviewRow row=shown state=RowState::Known href="/demo/publishers/p/offers/contoso-vm".to_owned() checked=None />
                    </tbody></table>
                }
            });
            settle().await;
            let health = text(&one(&root, "[data-testid=row-health]"));
            assert!(health.contains(icon), "{locale:?}: {health}");
            assert!(health.contains(word), "{locale:?}: {health}");
            assert!(health.contains("Certification"), "{locale:?}: {health}");
            assert!(
                health.contains(&i18n::duration(quiet)),
                "{locale:?}: {health} lacks {}",
                i18n::duration(quiet)
            );
            root.remove();
        }
    }
    use_locale(Locale::En);
}
