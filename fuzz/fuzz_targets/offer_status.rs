//! Fuzzes `parse_offer_status`: any input gives a value or a ParseError, never a panic; what parses
//! serializes and parses back to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(value) = publishing_model::api::parse_offer_status(text) {
        let written = serde_json::to_string(&value).expect("a parsed value serializes");
        let again = publishing_model::api::parse_offer_status(&written).expect("what we write parses");
        assert_eq!(again, value, "round trip changed the value");
    }
});
