//! The instant readers agree with chrono's parsers on everything the service and HTTP send,
//! and refuse what is not a time.

use chrono::{DateTime, NaiveDateTime, Utc};
use proptest::prelude::*;
use publishing_model::instant::{parse_http_date, parse_iso8601};
use rstest::rstest;

fn chrono_iso(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|naive| naive.and_utc())
        })
}

/// An expected instant, written in RFC 3339.
fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a valid expectation")
        .with_timezone(&Utc)
}

#[rstest]
#[case("2018-03-26T21:46:02.1185217Z", Some("2018-03-26T21:46:02.118521700Z"))]
#[case("2018-03-26T21:46:02Z", Some("2018-03-26T21:46:02Z"))]
#[case("2018-03-26T21:46:02", Some("2018-03-26T21:46:02Z"))]
#[case("2018-03-26 21:46:02z", Some("2018-03-26T21:46:02Z"))]
#[case("2018-03-26T21:46:02.5+02:00", Some("2018-03-26T19:46:02.500Z"))]
#[case("2018-03-26T21:46:02-0130", Some("2018-03-26T23:16:02Z"))]
#[case(
    "2018-03-26T21:46:02.123456789123Z",
    Some("2018-03-26T21:46:02.123456789Z")
)]
#[case("2018-02-30T00:00:00Z", None)]
#[case("2018-03-26T24:00:00Z", None)]
#[case("2018-03-26T21:46:02.Z", None)]
#[case("2018-03-26T21:46:02+24:00", None)]
#[case("2018-03-26T21:46", None)]
#[case("2018-3-26T21:46:02Z", None)]
#[case("2018-03-26T21:46:02Z trailing", None)]
#[case("", None)]
#[case("yesterday", None)]
fn iso_timestamps(#[case] text: &str, #[case] expected: Option<&str>) {
    let expected = expected.map(utc);
    assert_eq!(parse_iso8601(text), expected, "{text}");
}

#[rstest]
#[case("Sun, 06 Nov 1994 08:49:37 GMT", Some("1994-11-06T08:49:37Z"))]
#[case("06 Nov 1994 08:49:37 GMT", Some("1994-11-06T08:49:37Z"))]
#[case("Sun, 6 nov 1994 08:49:37 +0200", Some("1994-11-06T06:49:37Z"))]
#[case("Sun, 06 Nov 1994 08:49:37 UTC", Some("1994-11-06T08:49:37Z"))]
#[case("Sun, 06 Nov 1994 08:49:37", None)]
#[case("Sun, 31 Feb 1994 08:49:37 GMT", None)]
#[case("Sun, 06 Nov 94 08:49:37 GMT", None)]
#[case("Sun, 06 Nov 1994 08:49:37 GMT extra", None)]
#[case("soon", None)]
fn http_dates(#[case] text: &str, #[case] expected: Option<&str>) {
    let expected = expected.map(utc);
    assert_eq!(parse_http_date(text), expected, "{text}");
}

/// Timestamps in every shape the service and RFC 3339 write, valid or not.
fn iso_text() -> impl Strategy<Value = String> {
    (
        1900u32..2200,
        1u32..=13,
        1u32..=31,
        0u32..=24,
        0u32..=60,
        0u32..=59,
        prop::option::of("[0-9]{1,12}"),
        prop_oneof![
            Just(String::new()),
            Just("Z".to_owned()),
            (0u32..=23, 0u32..=59, any::<bool>())
                .prop_map(|(h, m, neg)| format!("{}{h:02}:{m:02}", if neg { '-' } else { '+' })),
        ],
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, zone)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{zone}")
        })
}

proptest! {
    /// Wherever chrono reads a timestamp, the reader reads the same instant; it reads nothing
    /// chrono rejects. (chrono's leap second, `:60`, is the one thing the reader refuses.)
    #[test]
    fn iso_agrees_with_chrono(text in iso_text()) {
        let ours = parse_iso8601(&text);
        let theirs = chrono_iso(&text);
        if text.contains(":60") {
            prop_assert_eq!(ours, None);
        } else {
            prop_assert_eq!(ours, theirs, "{}", text);
        }
    }

    /// HTTP dates of any instant read back as that instant, to the second.
    #[test]
    fn http_dates_round_trip(secs in 0i64..8_000_000_000) {
        let at = DateTime::from_timestamp(secs, 0).expect("in range");
        prop_assert_eq!(parse_http_date(&at.to_rfc2822()), Some(at));
        prop_assert_eq!(parse_http_date(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()), Some(at));
    }

    /// No text panics either reader.
    #[test]
    fn never_panics(text in ".{0,40}") {
        let _ = (parse_iso8601(&text), parse_http_date(&text));
    }
}
