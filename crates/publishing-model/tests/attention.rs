//! "Needs me" and "stuck", one judgement for the overview's order and counts and for every
//! alert, tested with dates weeks in the past as a real publisher's are, not only minutes.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::{message, step, with_id, with_message};
use publishing_model::api::{DisplayDefinition, OfferStatus, OfferSummary, Timestamp};
use publishing_model::attention::Attention;
use publishing_model::changes::{changes, Change, OfferSnapshot, Snapshot};
use publishing_model::overview::{filter_counts, order, OfferOverview, OverviewFilter, Whose};
use publishing_model::timeline::{operation_timeline, DEFAULT_QUIET_LIMIT};
use publishing_model::{OfferId, Step};

/// The publisher's now: every date below is weeks before it.
fn now() -> DateTime<Utc> {
    "2026-12-07T09:00:00Z".parse().expect("instant")
}

fn ago(d: TimeDelta) -> String {
    (now() - d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const DAY: fn(i64) -> TimeDelta = TimeDelta::days;
const HOUR: fn(i64) -> TimeDelta = TimeDelta::hours;

fn offer(id: &str, op: &str, steps: Vec<Step>, changed: TimeDelta) -> OfferOverview {
    let listed = OfferSummary {
        id: OfferId::from(id),
        definition: Some(DisplayDefinition {
            display_text: Some(id.to_owned()),
            seller_id: None,
        }),
        changed_time: Some(Timestamp::parse(&ago(changed))),
        ..OfferSummary::default()
    };
    let status = OfferStatus {
        status: Some(op.parse().unwrap_or_else(|n| match n {})),
        steps,
        ..OfferStatus::default()
    };
    OfferOverview::listed(&listed).with_status(&status, now())
}

fn done(id: &str, frame: &str, started: TimeDelta, ended: TimeDelta) -> Step {
    let s = with_id(step("complete", Some(frame), Some(&ago(started))), id);
    with_message(s, message("information", "Step completed.", &ago(ended)))
}

/// Certification running since `started` ago against "< 5 day", last heard `heard` ago.
fn certifying(started: TimeDelta, heard: TimeDelta) -> Vec<Step> {
    let cert = with_id(
        step("running", Some("< 5 day"), Some(&ago(started))),
        "Certification",
    );
    vec![
        done("Validate", "< 15 min", started + HOUR(1), started),
        with_message(
            cert,
            message("information", "Scanning the image.", &ago(heard)),
        ),
        with_id(step("notStarted", Some("< 1 day"), None), "Provisioning"),
    ]
}

/// Blocked in certification by an error posted `error` ago.
fn blocked(error: TimeDelta) -> Vec<Step> {
    let cert = with_id(
        step("blocked", Some("< 5 day"), Some(&ago(error + HOUR(1)))),
        "Certification",
    );
    vec![
        done("Validate", "< 15 min", error + HOUR(2), error + HOUR(1)),
        with_message(
            cert,
            message("error", "No image for the plan.", &ago(error)),
        ),
    ]
}

fn failed(at: TimeDelta) -> Vec<Step> {
    let cert = with_id(
        step("failed", Some("< 5 day"), Some(&ago(at + DAY(1)))),
        "Certification",
    );
    vec![with_message(
        cert,
        message("error", "The image failed the scan.", &ago(at)),
    )]
}

fn waiting(since: TimeDelta) -> Vec<Step> {
    vec![
        done("Certification", "< 5 day", since + DAY(3), since),
        with_id(
            step("WaitingForPublisherReview", None, Some(&ago(since))),
            "publisher-signoff",
        ),
        with_id(step("notStarted", Some("~2-5 days"), None), "Live"),
    ]
}

#[test]
fn blocked_now_needs_me_however_old_its_error() {
    for weeks in [0, 2, 8] {
        let row = offer(
            "b",
            "running",
            blocked(DAY(7 * weeks) + HOUR(2)),
            DAY(7 * weeks),
        );
        assert!(
            matches!(&row.attention, Attention::Blocked { step, .. } if step == "Certification"),
            "{weeks} weeks: {:?}",
            row.attention
        );
        assert!(row.matches(OverviewFilter::NeedsMe, now()), "{weeks} weeks");
        assert_eq!(row.whose, Whose::Publisher);
    }
    let row = offer("b", "running", blocked(DAY(16)), DAY(16));
    let Attention::Blocked { since, .. } = row.attention else {
        panic!("blocked");
    };
    assert_eq!(since, Some(now() - DAY(16)), "since its first error");
}

#[test]
fn a_failure_needs_me_for_a_week_then_not() {
    let recent = offer("f", "failed", failed(DAY(3)), DAY(3));
    assert!(matches!(recent.attention, Attention::Failed { .. }));
    assert!(recent.matches(OverviewFilter::NeedsMe, now()));
    let old = offer("f", "failed", failed(DAY(16)), DAY(16));
    assert!(!old.matches(OverviewFilter::NeedsMe, now()));
    assert!(old.matches(OverviewFilter::Stopped, now()), "still stopped");
}

#[test]
fn overdue_by_hours_or_weeks_is_shown_but_microsofts_while_it_is_heard_from() {
    // "< 5 day" from 5 days and 6 hours ago, heard an hour ago.
    let hours = offer(
        "h",
        "running",
        certifying(DAY(5) + HOUR(6), HOUR(1)),
        HOUR(1),
    );
    let Attention::Overdue { step, by } = &hours.attention else {
        panic!("overdue: {:?}", hours.attention);
    };
    assert_eq!(step, "Certification");
    assert!(*by >= HOUR(5) && *by <= HOUR(7), "{by:?}");
    assert!(!hours.matches(OverviewFilter::NeedsMe, now()));
    assert_eq!(hours.whose, Whose::Microsoft);
    let weeks = offer("w", "running", certifying(DAY(17), HOUR(2)), HOUR(2));
    assert!(
        matches!(weeks.attention, Attention::Overdue { by, .. } if by >= DAY(11)),
        "{:?}",
        weeks.attention
    );
    assert!(!weeks.matches(OverviewFilter::NeedsMe, now()));
}

#[test]
fn probably_stuck_after_the_quiet_limit_needs_me() {
    // 17 days into "< 5 day", silent for 16 days.
    let row = offer("s", "running", certifying(DAY(17), DAY(16)), DAY(16));
    let Attention::Stuck {
        step,
        overdue_by,
        quiet,
    } = &row.attention
    else {
        panic!("stuck: {:?}", row.attention);
    };
    assert_eq!(step, "Certification");
    assert!(*overdue_by >= DAY(11), "{overdue_by:?}");
    assert!(*quiet >= DAY(16), "{quiet:?}");
    assert!(row.matches(OverviewFilter::NeedsMe, now()));
    assert!(row.matches(OverviewFilter::Running, now()), "still running");
    assert_eq!(
        row.whose,
        Whose::Publisher,
        "a support case is the publisher's move"
    );
    // Just inside the quiet limit it is only overdue.
    let quiet = DEFAULT_QUIET_LIMIT - HOUR(1);
    let row = offer("s", "running", certifying(DAY(17), quiet), quiet);
    assert!(
        matches!(row.attention, Attention::Overdue { .. }),
        "{:?}",
        row.attention
    );
}

#[test]
fn waiting_for_the_sign_off_needs_me_since_the_preview_was_ready() {
    let row = offer("w", "running", waiting(DAY(2)), DAY(2));
    assert_eq!(
        row.attention,
        Attention::SignOff {
            since: Some(now() - DAY(2))
        }
    );
    assert!(row.matches(OverviewFilter::NeedsMe, now()));
}

#[test]
fn nothing_that_is_over_is_overdue_or_stuck() {
    // A failed publish whose certification was past its estimate and silent.
    let mut steps = certifying(DAY(17), DAY(16));
    steps[1].status = Some("failed".parse().unwrap_or_else(|n| match n {}));
    let row = offer("x", "failed", steps.clone(), DAY(16));
    assert!(
        matches!(row.attention, Attention::Failed { .. }),
        "{:?}",
        row.attention
    );
    let canceled = offer("c", "canceled", certifying(DAY(17), DAY(16)), DAY(16));
    assert!(
        !matches!(
            canceled.attention,
            Attention::Stuck { .. } | Attention::Overdue { .. }
        ),
        "{:?}",
        canceled.attention
    );
}

/// The publisher: ten offers, one waiting for the sign-off, one blocked today by an
/// error posted 16 days ago, eight 17 days into a certification of "< 5 day".
fn the_publisher() -> Vec<OfferOverview> {
    let mut rows = vec![
        offer("a-sign-off", "running", waiting(DAY(2)), DAY(2)),
        offer("z-blocked", "running", blocked(DAY(16)), DAY(16)),
        offer("failed-long-ago", "failed", failed(DAY(30)), DAY(30)),
    ];
    for i in 0..7 {
        let name = format!("m-running-{i}");
        rows.push(offer(
            &name,
            "running",
            certifying(DAY(17), DAY(16)),
            DAY(16),
        ));
    }
    rows.push(offer(
        "b-on-time",
        "running",
        certifying(DAY(1), HOUR(1)),
        HOUR(1),
    ));
    rows
}

#[test]
fn blocked_and_stuck_come_first_and_count_as_needing_me() {
    let mut rows = the_publisher();
    order(&mut rows, now(), str::to_lowercase);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids[0], "z-blocked", "{ids:?}");
    assert!(
        ids[1..8].iter().all(|id| id.starts_with("m-running")),
        "{ids:?}"
    );
    assert_eq!(ids[8], "a-sign-off", "{ids:?}");
    assert_eq!(
        ids[9], "b-on-time",
        "the running one after what needs me: {ids:?}"
    );
    assert_eq!(ids[10], "failed-long-ago", "{ids:?}");
    let counts = filter_counts(rows.iter(), now());
    let count = |f| counts.iter().find(|(g, _)| *g == f).map(|(_, n)| *n);
    assert_eq!(
        count(OverviewFilter::NeedsMe),
        Some(9),
        "blocked, 7 stuck, the sign-off"
    );
    assert_eq!(count(OverviewFilter::Running), Some(8));
    assert_eq!(count(OverviewFilter::Stopped), Some(2));
}

fn snapshot_of(steps: &[Step], op: &str, now: DateTime<Utc>) -> Snapshot {
    let status = OfferStatus {
        status: Some(op.parse().unwrap_or_else(|n| match n {})),
        steps: steps.to_vec(),
        ..OfferStatus::default()
    };
    let t = operation_timeline(
        &status.as_operation(),
        None,
        &Default::default(),
        now,
        DEFAULT_QUIET_LIMIT,
    );
    let mut s = Snapshot::new();
    s.insert(
        OfferId::from("vm"),
        OfferSnapshot::of("Contoso VM", &status, t.headline.clone(), &t.health),
    );
    s
}

#[test]
fn a_step_that_becomes_probably_stuck_is_a_change() {
    // The same certification, looked at a day apart: silent for 20 h, then for 44 h.
    let steps = certifying(DAY(10), HOUR(20));
    let before = snapshot_of(&steps, "running", now());
    let later = snapshot_of(&steps, "running", now() + DAY(1));
    let found = changes(Some(&before), &later);
    assert!(
        matches!(found.as_slice(), [Change::Stuck { step, .. }] if step == "Certification"),
        "{found:?}"
    );
    assert!(changes(Some(&later), &later).is_empty(), "said once");
    // On time, then stuck at the next look: told as stuck alone.
    let on_time = snapshot_of(&certifying(DAY(1), HOUR(1)), "running", now());
    let stuck = snapshot_of(&certifying(DAY(17), DAY(16)), "running", now());
    let found = changes(Some(&on_time), &stuck);
    assert!(
        matches!(found.as_slice(), [Change::Stuck { .. }]),
        "{found:?}"
    );
    // A failed publish is never told as late.
    let failed_steps = {
        let mut s = certifying(DAY(17), DAY(16));
        s[1].status = Some("failed".parse().unwrap_or_else(|n| match n {}));
        s
    };
    let failed_now = snapshot_of(&failed_steps, "failed", now());
    assert!(failed_now
        .values()
        .all(|s| s.overdue.is_empty() && s.stuck.is_empty()));
}
