//! Fuzzes the JSON reader: any input reads or gives a SyntaxError, never a panic; it accepts
//! what serde_json accepts (but for numbers beyond f64 and half surrogate pairs, which it
//! forgives); what it reads, it writes as JSON that reads back the same.

#![no_main]

use libfuzzer_sys::fuzz_target;
use publishing_model::json::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = parse(text);
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => assert!(ours.is_ok(), "serde_json read {text:?}, we did not: {ours:?}"),
        Err(e) => {
            let forgiven = text.starts_with('\u{feff}')
                || e.to_string().contains("number out of range")
                || e.to_string().contains("surrogate");
            assert!(ours.is_err() || forgiven, "we read {text:?}, serde_json did not: {e}");
        }
    }
    if let Ok(value) = ours {
        let written = value.to_string();
        assert_eq!(parse(&written).as_ref(), Ok(&value), "{text:?} wrote {written:?}");
    }
});
