//! Estimated time frames: every shape in the seeds and the ones people write.

use publishing_model::time_frame::human_duration;
use publishing_model::{TimeFrame, TimeRange};
use rstest::rstest;

const MIN: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;

#[rstest]
#[case("< 15 min", 0, 15 * MIN)]
#[case("<15min", 0, 15 * MIN)]
#[case("< 5 day", 0, 5 * DAY)]
#[case("< 1 day", 0, DAY)]
#[case("< 1 hour", 0, HOUR)]
#[case("~2-3 days", 2 * DAY, 3 * DAY)]
#[case("~2-5 days", 2 * DAY, 5 * DAY)]
#[case("1 hour", HOUR, HOUR)]
#[case("30 minutes", 30 * MIN, 30 * MIN)]
#[case("1-2 weeks", WEEK, 2 * WEEK)]
#[case("~4 hrs", 4 * HOUR, 4 * HOUR)]
#[case("up to 3 days", 0, 3 * DAY)]
#[case("Less than 2 hours", 0, 2 * HOUR)]
#[case("2 to 4 days", 2 * DAY, 4 * DAY)]
#[case("2–4 days", 2 * DAY, 4 * DAY)]
#[case("1.5 hours", 90 * MIN, 90 * MIN)]
#[case("an hour", HOUR, HOUR)]
#[case("about 45 mins", 45 * MIN, 45 * MIN)]
#[case("  < 1  DAY ", 0, DAY)]
fn readable_frames(#[case] text: &str, #[case] min: i64, #[case] max: i64) {
    assert_eq!(
        TimeRange::parse(text),
        Some(TimeRange::from_secs(min, max)),
        "{text}"
    );
}

#[rstest]
#[case("")]
#[case("soon")]
#[case("TBD")]
#[case("3-2 days")]
#[case("5 days or more, usually")]
#[case("< 15 fortnights")]
#[case("- days")]
#[case("1e400 days")]
#[case("99999999 weeks")]
fn unreadable_frames_stay_text(#[case] text: &str) {
    let frame = TimeFrame::parse(text);
    assert_eq!(frame.range, None, "{text}");
    assert_eq!(frame.text, text);
}

#[rstest]
#[case(0, 15 * MIN, "< 15 min")]
#[case(0, 5 * DAY, "< 5 days")]
#[case(0, DAY, "< 1 day")]
#[case(0, HOUR, "< 1 hour")]
#[case(2 * DAY, 5 * DAY, "2-5 days")]
#[case(HOUR, HOUR, "1 hour")]
#[case(WEEK, 2 * WEEK, "1-2 weeks")]
#[case(90 * MIN, 90 * MIN, "90 min")]
// Found by fuzzing: "22.2d" is 31,968 minutes, more than any unit's count used to allow.
#[case(1_918_080, 1_918_080, "31968 min")]
#[case(0, 10_000 * WEEK - 1, "< 6047999999 sec")]
fn labels(#[case] min: i64, #[case] max: i64, #[case] label: &str) {
    let range = TimeRange::from_secs(min, max);
    assert_eq!(range.label(), label);
    assert_eq!(TimeRange::parse(label), Some(range), "the label reads back");
}

#[rstest]
#[case(30, "30 sec")]
#[case(5 * MIN, "5 min")]
#[case(3 * HOUR, "3 hours")]
#[case(DAY + HOUR, "25 hours")]
#[case(3 * DAY, "3 days")]
#[case(2 * DAY - MIN, "2 days")]
#[case(2 * HOUR - 10, "2 hours")]
#[case(90 * MIN, "90 min")]
fn human_durations(#[case] secs: i64, #[case] text: &str) {
    assert_eq!(human_duration(chrono::TimeDelta::seconds(secs)), text);
}

#[rstest]
#[case(0, "just now")]
#[case(-4, "just now")]
#[case(-90, "1 min ago")]
#[case(-3 * DAY, "3 days ago")]
#[case(2 * HOUR + 5, "in 2 hours")]
fn relative_times(#[case] offset: i64, #[case] text: &str) {
    let now: chrono::DateTime<chrono::Utc> = "2024-01-01T00:00:00Z".parse().expect("time");
    let then = now + chrono::TimeDelta::seconds(offset);
    assert_eq!(publishing_model::time_frame::relative(now, then), text);
}

#[test]
fn longer_than_ten_thousand_weeks_is_unreadable_in_any_unit() {
    assert!(TimeRange::parse("10000 weeks").is_some());
    assert_eq!(TimeRange::parse("10001 weeks"), None);
    assert_eq!(TimeRange::parse("6048000001 sec"), None);
    assert_eq!(TimeRange::parse("1-6048000001 sec"), None);
}

use publishing_model::time_frame::DurationUnit::{Day, Hour, Minute};
use publishing_model::time_frame::RangeReading;

#[rstest::rstest]
#[case(3 * 86_400, 4 * 86_400, RangeReading::Span(3, 4, Day))] // "3–4 days"
#[case(0, 4 * 86_400, RangeReading::UpTo(4, Day))] // "up to 4 days"
#[case(7_200, 7_200, RangeReading::About(2, Hour))] // "about 2 hours"
#[case(3_600, 3 * 86_400, RangeReading::Between((60, Minute), (3, Day)))] // "60 min to 3 days"
#[case(86_400, 2 * 86_400, RangeReading::Between((24, Hour), (2, Day)))] // "24 hours to 2 days"
fn ranges_read_as_words(#[case] min: i64, #[case] max: i64, #[case] reading: RangeReading) {
    use publishing_model::time_frame::range_reading;
    assert_eq!(
        range_reading(publishing_model::TimeRange::from_secs(min, max)),
        reading
    );
}

#[rstest]
#[case(-3 * DAY, true)]
#[case(0, true)]
#[case(4, true)]
#[case(5, false)]
#[case(2 * HOUR, false)]
fn a_soonest_time_is_reached_at_about_now(#[case] offset: i64, #[case] reached: bool) {
    let now: chrono::DateTime<chrono::Utc> = "2024-01-01T00:00:00Z".parse().expect("time");
    let then = now + chrono::TimeDelta::seconds(offset);
    assert_eq!(publishing_model::time_frame::reached(now, then), reached);
}
