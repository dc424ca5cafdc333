//! Languages, catalogues and the key coverage of the dashboard's own catalogues.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use publishing_model::i18n::{
    base_key, fill, keys_in_source, pieces, pseudo, Catalogue, Locale, Piece,
};
use rstest::rstest;

#[rstest]
#[case(&["ru-RU", "en-US"], Locale::Ru)]
#[case(&["de-DE", "pt-PT", "en"], Locale::PtBr)]
#[case(&["zh-Hans-CN"], Locale::ZhCn)]
#[case(&["zh-TW", "it-CH"], Locale::It)]
#[case(&["zh-Hant", "fr"], Locale::En)]
#[case(&["en-XA", "ru"], Locale::Ru)]
#[case(&[], Locale::En)]
#[case(&["  IT_it "], Locale::It)]
fn the_first_spoken_preferred_language_wins(#[case] preferred: &[&str], #[case] want: Locale) {
    assert_eq!(Locale::negotiate(preferred), want);
}

#[test]
fn every_locale_reads_back_from_its_tag() {
    for locale in Locale::ALL {
        assert_eq!(Locale::from_tag(locale.tag()), Some(locale), "{locale:?}");
    }
    assert_eq!(Locale::from_tag("fr"), None);
    assert_eq!(Locale::from_tag(""), None);
}

#[test]
fn catalogues_read_keys_values_plurals_and_report_bad_lines() {
    let text = "# comment\n\
                offer.title = Offer {offer}\n\
                ops.count.one = {n} operation\n\
                ops.count.other = {n} operations\n\
                \n\
                no equals sign\n\
                Bad Key = x\n\
                offer.title = second definition is ignored\n\
                multi = a\\nb \\\\ c\n";
    let (cat, errors) = Catalogue::parse(text);
    assert_eq!(cat.get("offer.title"), Some("Offer {offer}"));
    assert_eq!(cat.get_plural("ops.count", "one"), Some("{n} operation"));
    assert_eq!(cat.get_plural("ops.count", "few"), Some("{n} operations"));
    assert_eq!(cat.get("multi"), Some("a\nb \\ c"));
    assert!(cat.covers("ops.count") && cat.covers("offer.title") && !cat.covers("nope"));
    assert_eq!(
        errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![6, 7]
    );
}

#[test]
fn an_oversized_catalogue_is_cut_not_rejected() {
    let text = "a.b = x\n".repeat(100_000);
    let (cat, _) = Catalogue::parse(&text);
    assert_eq!(cat.get("a.b"), Some("x"));
}

#[rstest]
#[case("Offer {offer} of {publisher}", &[("offer", "o1"), ("publisher", "p")], "Offer o1 of p")]
#[case("{missing} stays", &[], "{missing} stays")]
#[case("unclosed {brace", &[("brace", "x")], "unclosed {brace")]
#[case("<b>{x}</b>", &[("x", "{y}")], "<b>{y}</b>")]
#[case("", &[], "")]
fn placeholders_fill(#[case] template: &str, #[case] args: &[(&str, &str)], #[case] want: &str) {
    assert_eq!(fill(template, args), want);
}

#[test]
fn messages_split_around_slots_in_the_languages_order() {
    use Piece::{Slot, Text};
    assert_eq!(
        pieces("Ended {time} (took {duration})", &[("duration", "2 days")]),
        vec![
            Text("Ended ".into()),
            Slot("time".into()),
            Text(" (took 2 days)".into())
        ]
    );
    assert_eq!(
        pieces("{to}와 {from} 사이", &[]),
        vec![
            Slot("to".into()),
            Text("와 ".into()),
            Slot("from".into()),
            Text(" 사이".into())
        ]
    );
    assert_eq!(pieces("plain", &[]), vec![Text("plain".into())]);
    assert_eq!(
        pieces("broken {brace", &[]),
        vec![Text("broken {brace".into())]
    );
}

#[test]
fn the_pseudo_locale_is_accented_longer_and_keeps_placeholders() {
    let english = "Cancel the operation for {offer}";
    let p = pseudo(english);
    assert!(p.starts_with('[') && p.ends_with(']'));
    assert!(p.contains("{offer}"), "{p}");
    assert!(p.contains("Çáñçéļ") || p.contains('á'), "{p}");
    let grown = p.chars().count() as f64 / english.chars().count() as f64;
    assert!((1.25..1.6).contains(&grown), "{grown}");
    assert_eq!(fill(&p, &[("offer", "x")]).matches('x').count(), 1);
}

#[test]
fn plural_variants_share_a_base_key() {
    assert_eq!(base_key("ops.count.few"), "ops.count");
    assert_eq!(base_key("ops.count"), "ops.count");
    assert_eq!(base_key("step.other-things"), "step.other-things");
}

#[test]
fn keys_are_found_in_key_macros_only() {
    let src = r#"
        let a = t(key!("nav.skip"));
        let b = tf(key!("offer.title"), &[("offer", &o)]);
        let c = tn(key!( "ops.count"), n, &[]);
        let d = key!("status.running");
        let e = format("not.a.key");
        let h = tf(
            key!("multi.line"),
            &[],
        );
        let f = monkey!("also.not");
        let g = key!("Not A Key");
    "#;
    assert_eq!(
        keys_in_source(src),
        vec![
            "multi.line",
            "nav.skip",
            "offer.title",
            "ops.count",
            "status.running"
        ]
    );
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn catalogue(locale: Locale) -> Catalogue {
    let path = root().join("locales").join(format!("{}.txt", locale.tag()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let (cat, errors) = Catalogue::parse(&text);
    assert!(errors.is_empty(), "{path:?}: {errors:?}");
    cat
}

/// Lists, per language, the keys missing or unused against English; other languages fall
/// back to English, so their gaps are printed, not failed. (A key English lacks cannot be
/// used at all: `key!` does not compile for it.)
#[test]
fn every_key_the_app_uses_is_in_english() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let used: BTreeSet<String> = files
        .iter()
        .flat_map(|f| keys_in_source(&std::fs::read_to_string(f).expect("read")))
        .collect();
    assert!(used.len() > 100, "only {} keys found in src/", used.len());
    let english = catalogue(Locale::En);
    let missing: Vec<&String> = used.iter().filter(|k| !english.covers(k)).collect();
    let english_bases: BTreeSet<&str> = english.keys().map(base_key).collect();
    let unused: Vec<&&str> = english_bases
        .iter()
        .filter(|k| !used.contains(**k))
        .collect();
    println!("en: {} keys used, unused in code: {unused:?}", used.len());
    for locale in Locale::ALL.into_iter().filter(|l| l.has_file()) {
        let cat = catalogue(locale);
        let gaps: Vec<&&str> = english_bases.iter().filter(|k| !cat.covers(k)).collect();
        let extra: Vec<&str> = cat
            .keys()
            .filter(|k| !english_bases.contains(base_key(k)))
            .collect();
        println!(
            "{}: missing {} {gaps:?}; not in English {extra:?}",
            locale.tag(),
            gaps.len()
        );
    }
    assert!(
        missing.is_empty(),
        "keys used in src/ but missing from locales/en.txt: {missing:?}"
    );
}

/// Every translated message keeps the English message's placeholders: a lost `{offer}` would
/// drop the offer's name from the sentence. A plural variant is held to English's `other`
/// form, less `{n}` (English's "one" may spell the count out; Russian's may not).
#[test]
fn translations_keep_every_placeholder() {
    let english = catalogue(Locale::En);
    let names = |text: &str| -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_owned()))
            .collect()
    };
    let mut wrong = Vec::new();
    for locale in Locale::ALL.into_iter().filter(|l| l.has_file()) {
        let cat = catalogue(locale);
        for key in cat.keys() {
            let plural = base_key(key) != key;
            let want = if plural {
                english.get(&format!("{}.other", base_key(key)))
            } else {
                english.get(key)
            };
            if let (Some(want), Some(have)) = (want, cat.get(key)) {
                let (mut want, mut have) = (names(want), names(have));
                if plural {
                    want.remove("n");
                    have.remove("n");
                }
                if want != have {
                    wrong.push(format!("{} {key}", locale.tag()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "placeholders differ from English: {wrong:?}"
    );
}

/// The loader (boot.js) says "loading" and "could not be loaded" before any catalogue is
/// there, in words of its own: one entry for every language the dashboard speaks.
#[test]
fn the_loader_speaks_every_language() {
    let boot = std::fs::read_to_string(root().join("boot.js")).expect("read boot.js");
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::Pseudo) {
        let tag = locale.tag();
        let entry = if tag.contains('-') {
            format!("'{tag}': [")
        } else {
            format!("  {tag}: [")
        };
        assert!(boot.contains(&entry), "boot.js has no words for {tag}");
    }
}
