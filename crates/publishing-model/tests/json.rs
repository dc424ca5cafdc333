//! The JSON reader: what it reads agrees with serde_json, strings borrow when they can, and
//! every error says where and why.

use std::borrow::Cow;

use proptest::prelude::*;
use publishing_model::api::body_text;
use publishing_model::json::{parse, Json, MAX_DEPTH};
use serde_json::Value;

/// The same value as serde_json would hold it (a name sent twice keeps its last value there too).
fn to_serde(value: &Json<'_>) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        // Rust's own float reading: serde_json's default one may be off by an ulp.
        Json::Number(n) => (value.as_u64().map(Value::from))
            // serde_json reads -0 as a float.
            .or_else(|| value.as_i64().filter(|_| *n != "-0").map(Value::from))
            .unwrap_or_else(|| Value::from(n.parse::<f64>().expect("a number"))),
        Json::String(s) => Value::String(s.to_string()),
        Json::Array(items) => Value::Array(items.iter().map(to_serde).collect()),
        Json::Object(object) => Value::Object(
            object
                .fields()
                .iter()
                .map(|(k, v)| (k.to_string(), to_serde(v)))
                .collect(),
        ),
    }
}

fn serde_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn reads_what_serde_json_writes(value in serde_value()) {
        let compact = serde_json::to_string(&value).expect("serializes");
        prop_assert_eq!(to_serde(&parse(&compact).expect("reads")), value.clone());
        let pretty = serde_json::to_string_pretty(&value).expect("serializes");
        prop_assert_eq!(to_serde(&parse(&pretty).expect("reads")), value.clone());
        // What it writes is JSON (serde_json reads it) and reads back to the same value.
        let written = parse(&compact).expect("reads").to_string();
        prop_assert!(serde_json::from_str::<Value>(&written).is_ok(), "{}", written);
        prop_assert_eq!(to_serde(&parse(&written).expect("reads")), value.clone());
        // Both writers agree, byte for byte (serde_json's objects are sorted by name, so the
        // fields were read in that order).
        prop_assert_eq!(parse(&compact).expect("reads").to_string(), compact.clone());
        prop_assert_eq!(parse(&compact).expect("reads").pretty(), pretty);
    }

    #[test]
    fn accepts_and_refuses_what_serde_json_does(text in r#"[\[\]{}:,"\\ a-z0-9.eE+-]{0,24}"#) {
        let ours = parse(&text);
        match serde_json::from_str::<Value>(&text) {
            Ok(theirs) => prop_assert_eq!(to_serde(&ours.expect("serde_json read it")), theirs),
            // serde_json refuses numbers beyond f64; here they read as text and become infinite.
            Err(e) if e.to_string().contains("number out of range") => {}
            Err(e) => {
                let ours = ours.expect_err("serde_json refused it");
                // (Positions differ by design: here the column of the offending character,
                // or one past the end; serde_json's is the last character it read.)
                prop_assert_eq!(ours.eof, e.is_eof(), "{:?} against {}", ours, e);
            }
        }
    }
}

#[test]
fn strings_without_escapes_borrow_from_the_text() {
    let text = r#"{"id": "a-b", "html": "<b>x</b> \"q\""}"#;
    let value = parse(text).expect("reads");
    let Some(Json::String(id)) = value.get("id") else {
        panic!("no id: {value:?}")
    };
    assert!(matches!(id, Cow::Borrowed("a-b")));
    let Some(Json::String(html)) = value.get("html") else {
        panic!("no html: {value:?}")
    };
    assert!(matches!(html, Cow::Owned(_)));
    assert_eq!(html, "<b>x</b> \"q\"");
}

#[test]
fn escapes_read_and_a_lone_surrogate_is_a_replacement_character() {
    let value = parse(r#"["\n\t\/\\\b\f\r", "\u00e9\ud83d\ude00", "a\ud800b", "\udc00\u0041"]"#)
        .expect("reads");
    let Json::Array(items) = value else {
        panic!("not a list")
    };
    let texts: Vec<_> = items.iter().filter_map(Json::as_str).collect();
    assert_eq!(
        texts,
        ["\n\t/\\\u{8}\u{c}\r", "é😀", "a\u{fffd}b", "\u{fffd}A"]
    );
}

#[test]
fn a_name_sent_twice_reads_as_its_last_value() {
    let value = parse(r#"{"status": "running", "status": "completed"}"#).expect("reads");
    assert_eq!(
        value.get("status").and_then(Json::as_str),
        Some("completed")
    );
    assert_eq!(value.get("missing"), None);
    assert_eq!(parse("[1]").expect("reads").get("status"), None);
}

#[test]
fn numbers_keep_their_text_until_asked() {
    let value =
        parse(r#"[639160450321776314, 18446744073709551616, -3, 2.50, 1e400]"#).expect("reads");
    let Json::Array(n) = value else {
        panic!("not a list")
    };
    assert_eq!(n[0].as_u64(), Some(639_160_450_321_776_314));
    assert_eq!(n[1].as_u64(), None, "beyond u64");
    assert_eq!((n[2].as_u64(), n[2].as_i64()), (None, Some(-3)));
    assert_eq!(
        (n[3].as_f64(), n[3].to_string()),
        (Some(2.5), "2.50".to_owned())
    );
    assert_eq!(n[4].as_f64(), Some(f64::INFINITY));
}

#[test]
fn errors_say_why_and_where_in_characters() {
    let cases = [
        ("[1,]", "trailing comma", false, 1, 4),
        ("{\"a\": 1,\n \"b\": 2,\n}", "trailing comma", false, 3, 1),
        ("[1 2]", "expected `,` or `]`", false, 1, 4),
        ("{\"a\" 1}", "expected `:`", false, 1, 6),
        ("{1: 2}", "key must be a string", false, 1, 2),
        ("[tru]", "expected ident", false, 1, 5),
        ("[01]", "expected `,` or `]`", false, 1, 3),
        ("[1.]", "invalid number", false, 1, 4),
        ("[\"é\\x\"]", "invalid escape", false, 1, 5),
        ("[\"a\u{1}\"]", "control character", false, 1, 4),
        ("[] x", "trailing characters", false, 1, 4),
        ("[{\"id\": \"x\"", "EOF", true, 1, 12),
        ("", "EOF", true, 1, 1),
    ];
    for (text, reason, eof, line, column) in cases {
        let err = parse(text).expect_err(text);
        assert!(err.reason.contains(reason), "{text}: {err:?}");
        assert_eq!(
            (err.eof, err.line, err.column),
            (eof, line, column),
            "{text}"
        );
    }
}

#[test]
fn nesting_stops_at_the_limit_without_overflowing() {
    let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&at_limit).is_ok());
    let over = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert!(parse(&over)
        .expect_err("too deep")
        .reason
        .contains("recursion"));
    let huge = "{\"a\":".repeat(1_000_000);
    assert!(parse(&huge)
        .expect_err("too deep")
        .reason
        .contains("recursion"));
}

#[test]
fn a_byte_order_mark_is_skipped_and_output_is_escaped() {
    let value = parse("\u{feff} {\"a\": \"x\\\"\\n\\u0001\"} ").expect("reads");
    assert_eq!(value.to_string(), r#"{"a":"x\"\n\u0001"}"#);
}

#[test]
fn a_body_reads_as_the_browser_reads_it() {
    assert_eq!(body_text(b"[\"caf\xc3\xa9\"]".to_vec()), "[\"café\"]");
    assert_eq!(
        body_text(b"\xef\xbb\xbf[]".to_vec()),
        "[]",
        "a byte-order mark goes"
    );
    assert_eq!(body_text(b"[\"a\xff\"]".to_vec()), "[\"a\u{fffd}\"]");
    assert_eq!(body_text(Vec::new()), "");
}
