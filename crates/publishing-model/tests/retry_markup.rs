//! Retry timing and the messageHtml allow-list rules.

use std::time::Duration;

use chrono::{DateTime, Utc};
use publishing_model::markup::{element_rule, safe_href, ElementRule};
use publishing_model::retry::{is_retryable, parse_retry_after, RetryPolicy};
use rstest::rstest;

#[rstest]
#[case(0, 1.0, None, 500)]
#[case(1, 1.0, None, 1_000)]
#[case(3, 0.5, None, 2_000)]
#[case(30, 1.0, None, 30_000)]
#[case(2, 0.0, None, 0)]
#[case(0, 0.1, Some(5_000), 5_000)]
#[case(8, 1.0, Some(5_000), 30_000)]
fn backoff_is_capped_jittered_and_honours_retry_after(
    #[case] attempt: u32,
    #[case] random: f64,
    #[case] retry_after_ms: Option<u64>,
    #[case] expected_ms: u128,
) {
    let delay =
        RetryPolicy::default().delay(attempt, random, retry_after_ms.map(Duration::from_millis));
    assert_eq!(delay.as_millis(), expected_ms);
}

#[rstest]
#[case(429, true)]
#[case(500, true)]
#[case(503, true)]
#[case(408, true)]
#[case(501, false)]
#[case(400, false)]
#[case(401, false)]
#[case(404, false)]
fn retryable_statuses(#[case] status: u16, #[case] retry: bool) {
    assert_eq!(is_retryable(status), retry);
}

#[test]
fn retry_after_seconds_dates_and_caps() {
    let now: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().expect("time");
    assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
    assert_eq!(
        parse_retry_after("Mon, 01 Jan 2024 00:00:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("999999", now),
        Some(Duration::from_secs(3_600))
    );
    assert_eq!(
        parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", now), None);
}

#[rstest]
#[case("b", ElementRule::Keep)]
#[case("a", ElementRule::Keep)]
#[case("li", ElementRule::Keep)]
#[case("br", ElementRule::Keep)]
#[case("div", ElementRule::Unwrap)]
#[case("span", ElementRule::Unwrap)]
#[case("script", ElementRule::Remove)]
#[case("style", ElementRule::Remove)]
#[case("iframe", ElementRule::Remove)]
#[case("svg", ElementRule::Remove)]
#[case("img", ElementRule::Remove)]
#[case("form", ElementRule::Remove)]
fn element_rules(#[case] tag: &str, #[case] rule: ElementRule) {
    assert_eq!(element_rule(tag), rule);
}

#[rstest]
#[case(
    "https://learn.microsoft.com/azure",
    Some("https://learn.microsoft.com/azure")
)]
#[case("  HTTPS://example.com/a?b#c ", Some("https://example.com/a?b#c"))]
#[case("http://example.com", None)]
#[case("javascript:alert(1)", None)]
#[case("JaVaScRiPt:alert(1)", None)]
#[case("data:text/html,<script>", None)]
#[case("https://user:pass@evil.example/", None)]
#[case("https://", None)]
#[case("https://ex\nample.com", None)]
#[case("https:\\\\evil.example", None)]
#[case("//evil.example", None)]
#[case("/relative", None)]
fn safe_hrefs(#[case] href: &str, #[case] expected: Option<&str>) {
    assert_eq!(safe_href(href).as_deref(), expected);
}
