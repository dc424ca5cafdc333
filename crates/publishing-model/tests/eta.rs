//! ETA projection from steps, estimates, the running step's start and a given now.

use chrono::{DateTime, TimeDelta, Utc};
use publishing_model::api::{Message, Step, Timestamp};
use publishing_model::eta::{duration_strip, project, Overall, StepProjection};
use publishing_model::{PublishStatus, TimeFrame};
use rstest::rstest;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test timestamp")
}

fn step(status: &str, frame: Option<&str>, started: Option<&str>) -> Step {
    Step {
        status: Some(status.parse().unwrap_or_else(|n| match n {})),
        estimated_time_frame: frame.map(TimeFrame::parse),
        messages: started
            .map(|t| Message {
                html: Some("Step started.".into()),
                level: None,
                timestamp: Some(Timestamp::parse(t)),
            })
            .into_iter()
            .collect(),
        ..Step::default()
    }
}

const NOW: &str = "2024-05-01T12:00:00Z";

#[test]
fn everything_done_is_finished() {
    let eta = project(&[step("complete", Some("< 1 day"), None)], at(NOW));
    assert_eq!(eta.overall, Overall::Finished);
    assert_eq!(eta.steps, vec![StepProjection::Done]);
}

#[test]
fn remaining_steps_add_up_from_now() {
    let steps = [
        step("complete", Some("< 15 min"), None),
        step("notStarted", Some("~2-3 days"), None),
        step("notStarted", Some("< 1 day"), None),
    ];
    let eta = project(&steps, at(NOW));
    assert_eq!(
        eta.overall,
        Overall::Window {
            earliest: at(NOW) + TimeDelta::days(2),
            latest: at(NOW) + TimeDelta::days(4),
        }
    );
    assert!(
        matches!(eta.steps[1], StepProjection::Expected { latest: Some(l), .. } if l == at(NOW) + TimeDelta::days(3))
    );
}

#[test]
fn running_step_counts_elapsed_time_from_its_first_message() {
    let steps = [step(
        "running",
        Some("~2-3 days"),
        Some("2024-04-30T12:00:00Z"),
    )];
    let eta = project(&steps, at(NOW));
    assert_eq!(
        eta.overall,
        Overall::Window {
            earliest: at(NOW) + TimeDelta::days(1),
            latest: at(NOW) + TimeDelta::days(2),
        }
    );
}

#[test]
fn overdue_running_step_is_flagged_and_not_negative() {
    let steps = [step(
        "running",
        Some("< 1 hour"),
        Some("2024-04-30T12:00:00Z"),
    )];
    let eta = project(&steps, at(NOW));
    assert_eq!(
        eta.overall,
        Overall::Window {
            earliest: at(NOW),
            latest: at(NOW)
        }
    );
    assert!(matches!(
        eta.steps[0],
        StepProjection::Expected { overdue: true, .. }
    ));
}

#[test]
fn a_step_without_estimate_makes_latest_unknown_not_zero() {
    let steps = [
        step("running", Some("< 1 day"), None),
        step("notStarted", None, None),
        step("notStarted", Some("~2-5 days"), None),
    ];
    let eta = project(&steps, at(NOW));
    assert_eq!(
        eta.overall,
        Overall::AtLeast {
            earliest: at(NOW) + TimeDelta::days(2),
            unestimated: vec![1]
        }
    );
    assert!(matches!(
        eta.steps[0],
        StepProjection::Expected {
            latest: Some(_),
            ..
        }
    ));
    assert!(matches!(
        eta.steps[1],
        StepProjection::Expected {
            latest: None,
            unestimated: true,
            ..
        }
    ));
    assert!(matches!(
        eta.steps[2],
        StepProjection::Expected {
            latest: None,
            unestimated: false,
            ..
        }
    ));
}

#[rstest]
#[case("blocked")]
#[case("failed")]
#[case("Rejected")]
fn a_stopped_step_stops_the_projection(#[case] status: &str) {
    let steps = [
        step("complete", None, None),
        step(status, Some("< 5 day"), None),
        step("notStarted", Some("< 1 day"), None),
    ];
    let eta = project(&steps, at(NOW));
    assert_eq!(eta.overall, Overall::Stopped { step: 1 });
    assert_eq!(eta.steps[1], StepProjection::Stopped);
    assert_eq!(
        eta.steps[2],
        StepProjection::Held,
        "no time is promised behind a stopped step"
    );
}

#[test]
fn order_follows_status_not_position() {
    // Certification listed after go-live, as publishers have seen: the running step still
    // comes first in the chain.
    let steps = [
        step("notStarted", Some("~2-5 days"), None),
        step("running", Some("< 1 day"), Some(NOW)),
    ];
    let eta = project(&steps, at(NOW));
    let StepProjection::Expected {
        latest: Some(running_latest),
        ..
    } = eta.steps[1]
    else {
        panic!("running step projected: {:?}", eta.steps[1]);
    };
    assert_eq!(running_latest, at(NOW) + TimeDelta::days(1));
    assert!(
        matches!(eta.steps[0], StepProjection::Expected { latest: Some(l), .. } if l == at(NOW) + TimeDelta::days(6))
    );
}

#[test]
fn unknown_statuses_are_treated_as_still_to_come() {
    let steps = [step("Quarantined", Some("1 hour"), None)];
    assert_eq!(
        project(&steps, at(NOW)).overall,
        Overall::Window {
            earliest: at(NOW) + TimeDelta::hours(1),
            latest: at(NOW) + TimeDelta::hours(1)
        }
    );
}

#[test]
fn the_strip_shares_sum_to_one() {
    let steps = [
        step("complete", Some("< 15 min"), None),
        step("running", Some("< 5 day"), None),
        step("notStarted", None, None),
        step("notStarted", Some("~2-5 days"), None),
    ];
    let strip = duration_strip(&steps);
    let total: f64 = strip.iter().map(|s| s.share).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert!(!strip[2].estimated);
    assert!(strip[1].share > strip[0].share);
    let _unused = PublishStatus::Running;
}
