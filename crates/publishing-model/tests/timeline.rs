//! When steps really ran, late and stuck steps, and the layout of the time axis.

mod common;

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use common::{at, message, now, step, with_id, with_message, NOW};
use publishing_model::timeline::{
    headline_status, layout, operation_timeline, plan, stated_ranges, step_health, step_times,
    stopped_since, ticks, KnownTime, Layout, StepHealth, TickUnit, WatchLog, DEFAULT_QUIET_LIMIT,
};
use publishing_model::{OperationDetail, PublishStatus, Step};

fn utc(_: DateTime<Utc>) -> i32 {
    0
}

fn axis(steps: &[Step]) -> Layout {
    let times = step_times(steps, None, None);
    let p = plan(steps, &times, &stated_ranges(steps), now());
    layout(steps, &times, &p, now(), 8, &utc)
}

#[test]
fn message_times_give_exact_starts_and_ends() {
    let done = with_message(
        step("complete", Some("< 1 day"), Some("2024-04-29T10:00:00Z")),
        message("information", "Step completed.", "2024-04-29T16:00:00Z"),
    );
    let t = step_times(&[done], None, None);
    assert_eq!(
        t[0].started,
        Some(KnownTime::exact(at("2024-04-29T10:00:00Z")))
    );
    assert_eq!(
        t[0].ended,
        Some(KnownTime::exact(at("2024-04-29T16:00:00Z")))
    );
}

#[test]
fn other_messages_give_times_marked_about() {
    let s = with_message(
        step("complete", None, None),
        message("warning", "Image scanned", "2024-04-29T11:00:00Z"),
    );
    let t = step_times(&[s], None, None);
    assert_eq!(
        t[0].started,
        Some(KnownTime::about(at("2024-04-29T11:00:00Z")))
    );
    assert_eq!(
        t[0].ended,
        Some(KnownTime::about(at("2024-04-29T11:00:00Z")))
    );
}

#[test]
fn a_step_without_messages_starts_about_when_the_one_before_it_ended() {
    let steps = [
        with_message(
            step("complete", None, Some("2024-04-29T10:00:00Z")),
            message("information", "Step completed.", "2024-04-30T09:00:00Z"),
        ),
        step("running", Some("< 1 day"), None),
    ];
    let t = step_times(&steps, None, None);
    assert_eq!(
        t[1].started,
        Some(KnownTime::about(at("2024-04-30T09:00:00Z")))
    );
}

#[test]
fn changed_time_ends_the_last_step_of_a_finished_operation() {
    let steps = [step("complete", None, Some("2024-04-29T10:00:00Z"))];
    let t = step_times(&steps, None, Some(at("2024-04-30T10:00:00Z")));
    assert_eq!(
        t[0].ended,
        Some(KnownTime::about(at("2024-04-30T10:00:00Z")))
    );
}

#[test]
fn transitions_seen_while_polling_fill_in_what_messages_do_not_say() {
    let mut log = WatchLog::default();
    let before = [with_id(step("notStarted", None, None), "package")];
    let during = [with_id(step("running", None, None), "package")];
    let after = [with_id(step("complete", None, None), "package")];
    log.observe("op", &before, at("2024-04-30T00:00:00Z"));
    log.observe("op", &during, at("2024-04-30T01:00:00Z"));
    log.observe("op", &after, at("2024-04-30T05:00:00Z"));
    let stored = WatchLog::from_json(&log.to_json());
    let t = step_times(&after, stored.get("op"), None);
    assert_eq!(
        t[0].started,
        Some(KnownTime::about(at("2024-04-30T01:00:00Z")))
    );
    assert_eq!(
        t[0].ended,
        Some(KnownTime::about(at("2024-04-30T05:00:00Z")))
    );
}

#[test]
fn a_step_already_running_at_the_first_poll_has_no_observed_start() {
    let mut log = WatchLog::default();
    let during = [with_id(step("running", None, None), "package")];
    log.observe("op", &during, at("2024-04-30T01:00:00Z"));
    log.observe("op", &during, at("2024-04-30T02:00:00Z"));
    assert_eq!(step_times(&during, log.get("op"), None)[0].started, None);
}

#[test]
fn the_watch_log_is_bounded_and_forgets_the_oldest() {
    let mut log = WatchLog::default();
    let steps = [step("running", None, None)];
    for i in 0..150 {
        log.observe(&format!("op{i}"), &steps, now());
    }
    log.observe("op60", &steps, now());
    let stored = WatchLog::from_json(&log.to_json());
    assert!(stored.get("op0").is_none());
    assert!(stored.get("op60").is_some());
    assert!(stored.get("op149").is_some());
    assert!(
        stored.to_json().len() < 20_000,
        "{}",
        stored.to_json().len()
    );
    assert_eq!(WatchLog::from_json("{not json"), WatchLog::default());
}

#[test]
fn read_markers_only_move_forward() {
    let mut log = WatchLog::default();
    assert!(log.mark_read("op", at("2024-04-30T02:00:00Z")));
    assert!(!log.mark_read("op", at("2024-04-30T01:00:00Z")));
    assert_eq!(
        log.get("op").and_then(|o| o.read_up_to),
        Some(at("2024-04-30T02:00:00Z"))
    );
}

#[test]
fn overdue_then_probably_stuck_when_quiet() {
    let steps = [step(
        "running",
        Some("< 1 day"),
        Some("2024-04-28T12:00:00Z"),
    )];
    let times = step_times(&steps, None, None);
    let p = plan(&steps, &times, &stated_ranges(&steps), now());
    let health = step_health(&p.steps[0], &times[0], now(), DEFAULT_QUIET_LIMIT);
    assert_eq!(
        health,
        StepHealth::ProbablyStuck {
            by: TimeDelta::days(2),
            quiet: TimeDelta::days(3)
        }
    );
    let chatty = [with_message(
        steps[0].clone(),
        message("information", "Still scanning", "2024-05-01T06:00:00Z"),
    )];
    let times = step_times(&chatty, None, None);
    assert_eq!(
        step_health(&p.steps[0], &times[0], now(), DEFAULT_QUIET_LIMIT),
        StepHealth::Overdue {
            by: TimeDelta::days(2)
        }
    );
}

#[test]
fn the_projection_names_an_overdue_step_it_counts_as_ending_now() {
    let timeline = |steps: Vec<Step>| {
        let detail = OperationDetail {
            status: Some(PublishStatus::Running),
            steps,
            ..OperationDetail::default()
        };
        operation_timeline(
            &detail,
            None,
            &Default::default(),
            now(),
            DEFAULT_QUIET_LIMIT,
        )
    };
    let overdue = step("running", Some("< 1 day"), Some("2024-04-28T12:00:00Z"));
    let next = step("notStarted", Some("~2-3 days"), None);
    assert_eq!(
        timeline(vec![
            step("complete", None, None),
            overdue.clone(),
            next.clone()
        ])
        .overdue_step(),
        Some(1)
    );
    let on_time = step("running", Some("~2-5 days"), Some("2024-04-30T12:00:00Z"));
    assert_eq!(timeline(vec![on_time, next.clone()]).overdue_step(), None);
    // Stopped behind a blocked step, nothing is projected: nothing to qualify.
    assert_eq!(
        timeline(vec![step("blocked", None, None), overdue, next]).overdue_step(),
        None
    );
}

#[test]
fn within_its_estimate_a_step_is_on_track() {
    let steps = [step(
        "running",
        Some("~2-3 days"),
        Some("2024-04-30T12:00:00Z"),
    )];
    let times = step_times(&steps, None, None);
    let p = plan(&steps, &times, &stated_ranges(&steps), now());
    assert_eq!(
        step_health(&p.steps[0], &times[0], now(), DEFAULT_QUIET_LIMIT),
        StepHealth::OnTrack
    );
}

#[test]
fn a_blocked_step_is_stopped_since_its_first_error() {
    let s = with_message(
        with_message(
            step("blocked", None, Some("2024-04-29T00:00:00Z")),
            message("error", "Second", "2024-04-30T08:00:00Z"),
        ),
        message("Error", "First", "2024-04-29T08:00:00Z"),
    );
    let times = step_times(std::slice::from_ref(&s), None, None);
    assert_eq!(
        stopped_since(&s, &times[0]),
        Some(KnownTime::exact(at("2024-04-29T08:00:00Z")))
    );
    assert_eq!(
        publishing_model::timeline::first_error(&s).and_then(|m| m.html.clone()),
        Some("First".into())
    );
}

#[test]
fn the_header_agrees_with_a_blocked_step() {
    let steps = [step("complete", None, None), step("blocked", None, None)];
    assert_eq!(
        headline_status(Some(&PublishStatus::Running), &steps),
        PublishStatus::Blocked
    );
    let waiting = [step("WaitingForPublisherReview", None, None)];
    assert_eq!(
        headline_status(Some(&PublishStatus::Running), &waiting),
        PublishStatus::WaitingForPublisherReview
    );
    assert_eq!(
        headline_status(Some(&PublishStatus::Canceled), &steps),
        PublishStatus::Canceled
    );
}

#[test]
fn one_bar_per_step_with_now_and_the_plan_ahead() {
    let steps = [
        with_message(
            step("complete", Some("< 1 day"), Some("2024-04-30T00:00:00Z")),
            message("information", "Step completed.", "2024-04-30T06:00:00Z"),
        ),
        step("running", Some("< 1 day"), Some("2024-05-01T06:00:00Z")),
        step("notStarted", Some("~2-3 days"), None),
    ];
    let l = axis(&steps);
    assert_eq!(l.bars.len(), 3);
    assert_eq!(l.now, Some(now()));
    let done = l.bars[0].actual.expect("finished bar");
    assert_eq!(
        (done.from, done.to),
        (at("2024-04-30T00:00:00Z"), at("2024-04-30T06:00:00Z"))
    );
    let running = l.bars[1].actual.expect("running bar");
    assert_eq!(running.to, now(), "a running bar grows to now");
    let ahead = l.bars[1].expected.expect("band ahead");
    assert_eq!((ahead.from, ahead.to), (now(), at("2024-05-02T06:00:00Z")));
    let planned = l.bars[2].expected.expect("planned range");
    assert_eq!(
        planned.from,
        now(),
        "starts after the running step's soonest end"
    );
    assert_eq!(planned.to, at("2024-05-05T06:00:00Z"));
    assert!(l.bars[2].actual.is_none());
    assert!(l.from <= done.from && l.to >= planned.to);
    let finish = l.finish.expect("publish window");
    assert_eq!(finish.to, at("2024-05-05T06:00:00Z"));
    assert_eq!(l.position(l.from), 0);
    assert_eq!(l.position(l.to), 10_000);
}

#[test]
fn missing_timestamps_leave_a_step_without_a_bar_but_keep_its_row() {
    let steps = [step("complete", None, None), step("running", None, None)];
    let l = axis(&steps);
    assert_eq!(l.bars.len(), 2);
    assert!(l.bars[0].actual.is_none());
    assert!(l.bars[1].actual.is_none());
    assert!(l.bars[1].open_ended, "no estimate: the band has no end");
    assert!(l.to > l.from);
}

#[test]
fn zero_length_steps_are_kept() {
    let s = with_message(
        step("complete", None, Some(NOW)),
        message("information", "Step completed.", NOW),
    );
    let l = axis(&[s]);
    let span = l.bars[0].actual.expect("bar");
    assert_eq!(span.from, span.to);
    assert_eq!(l.now, None, "a finished publish has no now line");
    assert!(l.to - l.from >= TimeDelta::hours(2));
}

#[test]
fn a_step_past_its_estimate_runs_to_now_with_nothing_ahead() {
    let steps = [step(
        "running",
        Some("< 1 hour"),
        Some("2024-04-29T12:00:00Z"),
    )];
    let l = axis(&steps);
    assert_eq!(l.bars[0].actual.map(|s| s.to), Some(now()));
    let band = l.bars[0].expected.expect("band");
    assert_eq!(band.from, band.to, "nothing left of its estimate");
}

#[test]
fn steps_listed_out_of_order_are_placed_by_status() {
    let steps = [
        step("notStarted", Some("< 1 day"), None),
        step("running", Some("< 1 day"), Some("2024-05-01T10:00:00Z")),
    ];
    let l = axis(&steps);
    let first = l.bars[0].expected.expect("planned");
    assert!(first.from >= l.bars[1].actual.expect("running").from);
}

#[test]
fn ticks_over_a_day_are_hours_and_over_weeks_are_days() {
    let hours = ticks(now(), now() + TimeDelta::hours(10), 8, &utc);
    assert!(hours.iter().all(|t| t.at.minute() == 0));
    assert!(hours.len() <= 8 && hours.len() >= 3, "{hours:?}");
    let days = ticks(now(), now() + TimeDelta::days(5), 8, &utc);
    assert!(days
        .iter()
        .all(|t| t.unit == TickUnit::Day && t.at.hour() == 0));
    assert_eq!(days.len(), 5);
}

#[test]
fn spans_over_a_year_get_month_and_year_ticks() {
    let from = at("2023-03-15T00:00:00Z");
    let t = ticks(from, from + TimeDelta::days(500), 8, &utc);
    assert!(t.len() <= 8 && t.len() >= 3, "{t:?}");
    assert!(t.iter().any(|t| t.unit == TickUnit::Year), "{t:?}");
    assert!(t
        .iter()
        .all(|t| t.at.day() == 1 || t.unit == TickUnit::Year));
}

/// Central European time: UTC+1, UTC+2 from 2024-03-31 01:00 UTC.
fn cet(at: DateTime<Utc>) -> i32 {
    if at
        >= "2024-03-31T01:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("instant")
    {
        7_200
    } else {
        3_600
    }
}

#[test]
fn day_ticks_stay_at_local_midnight_across_a_daylight_saving_change() {
    let from = at("2024-03-29T12:00:00Z");
    let t = ticks(from, from + TimeDelta::days(4), 8, &cet);
    let at_utc: Vec<String> = t
        .iter()
        .map(|t| t.at.format("%d %H:%M").to_string())
        .collect();
    assert_eq!(at_utc, ["29 23:00", "30 23:00", "31 22:00", "01 22:00"]);
    let gap = t[2].at - t[1].at;
    assert_eq!(gap, TimeDelta::hours(23), "the short day is 23 hours long");
}

#[test]
fn hour_ticks_skip_the_missing_hour_without_repeating() {
    let from = at("2024-03-30T23:30:00Z");
    let t = ticks(from, from + TimeDelta::hours(5), 8, &cet);
    let instants: Vec<_> = t.iter().map(|t| t.at).collect();
    let mut sorted = instants.clone();
    sorted.dedup();
    assert_eq!(instants, sorted);
    assert!(instants.windows(2).all(|w| w[0] < w[1]));
}

use chrono::Datelike;

#[test]
fn an_operation_over_more_than_a_year_gets_month_or_year_ticks() {
    let long = with_message(
        step("complete", None, Some("2023-01-10T00:00:00Z")),
        message("information", "Step completed.", "2024-04-20T00:00:00Z"),
    );
    let l = axis(&[long]);
    assert!(l.to - l.from > TimeDelta::days(365));
    assert!(l.ticks.len() >= 3 && l.ticks.len() <= 8, "{:?}", l.ticks);
    assert!(l
        .ticks
        .iter()
        .all(|t| matches!(t.unit, TickUnit::Month | TickUnit::Year)));
    let bar = l.bars[0].actual.expect("bar");
    let (left, width) = l.place(bar);
    assert!(
        left < 300 && width > 9_400,
        "a small margin each side: {left} {width}"
    );
}

#[test]
fn the_watch_log_reads_what_earlier_releases_stored_and_skips_what_it_cannot_read() {
    // Written by the release before the log had its own reader (serde's derive).
    let stored = r##"{"operations":[["op-1",{"steps":[{"key":"package","last":"active","started":1714438800000,"ended":null},{"key":"#1","last":"ended","started":null,"ended":null}],"read_up_to":1714442400000}],["op\"2",{"steps":[{"key":"package","last":"waiting","started":null,"ended":null}],"read_up_to":null}]]}"##;
    let mut log = WatchLog::default();
    let before = [with_id(step("notStarted", None, None), "package")];
    let after = [
        with_id(step("running", None, None), "package"),
        step("complete", None, None),
    ];
    log.observe("op-1", &before, at("2024-04-30T00:00:00Z"));
    log.observe("op-1", &after, at("2024-04-30T01:00:00Z"));
    log.mark_read("op-1", at("2024-04-30T02:00:00Z"));
    log.observe("op\"2", &before, at("2024-04-30T00:00:00Z"));
    assert_eq!(WatchLog::from_json(stored), log);
    assert_eq!(log.to_json(), stored, "the same format as before");
    // A hand edit or a future format: what reads is kept, the rest skipped.
    let odd = r#"{"operations":[["a",{"steps":[{"key":"s","last":"sideways"},{"key":"t","last":"ended","started":"x"}]}],[7,{}],["b"],["c",{"read_up_to":1714442400000}]]}"#;
    let read = WatchLog::from_json(odd);
    let a = read.get("a").expect("a is kept");
    assert!(a.step("s").is_none() && a.step("t").is_some_and(|t| t.started.is_none()));
    assert!(read.get("b").is_none());
    assert_eq!(
        read.get("c").and_then(|c| c.read_up_to),
        Some(at("2024-04-30T02:00:00Z"))
    );
}
