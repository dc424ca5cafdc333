//! Fuzzes the small parsers: time frames (and their labels' round trip), timestamps,
//! status words, Retry-After values and error bodies. None may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use publishing_model::{MessageLevel, PublishStatus, TimeRange, Timestamp};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(range) = TimeRange::parse(text) {
        assert!(range.min <= range.max, "{text:?} gave an inverted range");
        assert_eq!(TimeRange::parse(&range.label()), Some(range), "label of {text:?} does not read back");
    }
    let stamp = Timestamp::parse(text);
    assert_eq!(stamp.raw, text);
    let status: PublishStatus = text.parse().unwrap_or_else(|n| match n {});
    let _ = (status.kind(), status.key(), status.label());
    let _: MessageLevel = text.parse().unwrap_or_else(|n| match n {});
    let epoch = chrono::DateTime::from_timestamp(0, 0).unwrap_or_default();
    let _ = publishing_model::retry::parse_retry_after(text, epoch);
    let _ = publishing_model::api::parse_error_body(text);
});
