//! Projections: what is expected of each remaining step and of the whole publish, split
//! around the publisher's sign-off.

mod common;

use chrono::TimeDelta;
use common::{at, now, step, with_id, NOW};
use publishing_model::timeline::{plan, stated_ranges, step_times, Outlook, Plan, StepPlan};
use publishing_model::{Step, TimeRange};
use rstest::rstest;

fn project(steps: &[Step]) -> Plan {
    let times = step_times(steps, None, None);
    plan(steps, &times, &stated_ranges(steps), now())
}

fn days(n: i64) -> TimeDelta {
    TimeDelta::days(n)
}

#[test]
fn everything_done_is_finished() {
    let p = project(&[step("complete", Some("< 1 day"), None)]);
    assert_eq!(p.outlook, Outlook::Finished);
    assert_eq!(p.steps, vec![StepPlan::Done]);
    assert_eq!(p.finish, None);
}

#[test]
fn remaining_steps_add_up_from_now() {
    let p = project(&[
        step("complete", Some("< 15 min"), None),
        step("notStarted", Some("~2-3 days"), None),
        step("notStarted", Some("< 1 day"), None),
    ]);
    assert_eq!(
        p.outlook,
        Outlook::Window {
            earliest: now() + days(2),
            latest: now() + days(4)
        }
    );
    let StepPlan::Ahead { from, latest, .. } = p.steps[2] else {
        panic!("{:?}", p.steps[2]);
    };
    assert_eq!(
        from,
        now() + days(2),
        "placed after its predecessor's soonest end"
    );
    assert_eq!(latest, Some(now() + days(4)));
}

#[test]
fn running_step_counts_elapsed_time_from_its_start() {
    let p = project(&[step(
        "running",
        Some("~2-3 days"),
        Some("2024-04-30T12:00:00Z"),
    )]);
    assert_eq!(
        p.outlook,
        Outlook::Window {
            earliest: now() + days(1),
            latest: now() + days(2)
        }
    );
    assert!(
        matches!(p.steps[0], StepPlan::Ahead { from, .. } if from == at("2024-04-30T12:00:00Z"))
    );
}

#[test]
fn a_step_past_its_estimate_is_overdue_and_never_negative() {
    let p = project(&[step(
        "running",
        Some("< 1 hour"),
        Some("2024-04-30T12:00:00Z"),
    )]);
    assert_eq!(
        p.outlook,
        Outlook::Window {
            earliest: now(),
            latest: now()
        }
    );
    assert!(
        matches!(p.steps[0], StepPlan::Ahead { overdue: Some(by), .. } if by == TimeDelta::hours(23))
    );
}

#[test]
fn sign_off_without_estimate_splits_the_answer_instead_of_making_it_unknown() {
    let p = project(&[
        with_id(
            step("running", Some("< 1 day"), Some(NOW)),
            "displaycertify",
        ),
        with_id(
            step("notStarted", Some("~2-3 days"), None),
            "displayprovision",
        ),
        with_id(step("notStarted", None, None), "publisher-signoff"),
        with_id(step("notStarted", Some("~3-4 days"), None), "live"),
    ]);
    assert_eq!(
        p.outlook,
        Outlook::BeforeSignOff {
            step: 2,
            earliest: now() + days(2),
            latest: now() + days(4),
            then: Some(TimeRange::from_secs(3 * 86_400, 4 * 86_400)),
        }
    );
    assert!(matches!(
        p.steps[2],
        StepPlan::Ahead {
            your_move: true,
            ..
        }
    ));
    assert_eq!(
        p.finish,
        Some((now() + days(5), Some(now() + days(8)))),
        "the band assumes a prompt sign-off"
    );
}

#[test]
fn waiting_for_sign_off_is_the_publishers_move() {
    let p = project(&[
        with_id(step("complete", Some("< 1 day"), None), "displaycertify"),
        with_id(
            step("WaitingForPublisherReview", None, Some(NOW)),
            "publisher-signoff",
        ),
        with_id(step("notStarted", Some("< 4 days"), None), "live"),
    ]);
    assert_eq!(
        p.outlook,
        Outlook::YourMove {
            step: 1,
            then: Some(TimeRange::from_secs(0, 4 * 86_400))
        }
    );
}

#[test]
fn another_step_without_estimate_still_makes_latest_unknown() {
    let p = project(&[
        step("running", Some("< 1 day"), None),
        step("notStarted", None, None),
        step("notStarted", Some("~2-5 days"), None),
    ]);
    assert_eq!(
        p.outlook,
        Outlook::AtLeast {
            earliest: now() + days(2),
            unestimated: vec![1]
        }
    );
    assert!(matches!(
        p.steps[0],
        StepPlan::Ahead {
            latest: Some(_),
            ..
        }
    ));
    assert!(matches!(p.steps[2], StepPlan::Ahead { latest: None, .. }));
}

#[test]
fn after_sign_off_an_unestimated_step_leaves_only_the_later_part_unknown() {
    let p = project(&[
        with_id(
            step("running", Some("< 1 day"), Some(NOW)),
            "displaycertify",
        ),
        with_id(step("notStarted", None, None), "publisher-signoff"),
        with_id(step("notStarted", None, None), "live"),
    ]);
    assert_eq!(
        p.outlook,
        Outlook::BeforeSignOff {
            step: 1,
            earliest: now(),
            latest: now() + days(1),
            then: None
        }
    );
}

#[rstest]
#[case("blocked")]
#[case("failed")]
#[case("Rejected")]
fn a_stopped_step_stops_the_projection(#[case] status: &str) {
    let p = project(&[
        step("complete", None, None),
        step(status, Some("< 5 day"), None),
        step("notStarted", Some("< 1 day"), None),
    ]);
    assert_eq!(p.outlook, Outlook::Stopped { step: 1 });
    assert_eq!(p.steps[1], StepPlan::Stopped);
    assert_eq!(
        p.steps[2],
        StepPlan::Held,
        "no time is promised behind a stopped step"
    );
}

#[test]
fn order_follows_status_not_position() {
    // Certification listed after go-live, as publishers have seen: the running step still
    // comes first in the chain.
    let p = project(&[
        step("notStarted", Some("~2-5 days"), None),
        step("running", Some("< 1 day"), Some(NOW)),
    ]);
    assert!(matches!(p.steps[1], StepPlan::Ahead { latest: Some(l), .. } if l == now() + days(1)));
    assert!(
        matches!(p.steps[0], StepPlan::Ahead { from, latest: Some(l), .. } if from == now() && l == now() + days(6))
    );
}

#[test]
fn history_ranges_replace_microsofts_when_given() {
    let steps = [step("notStarted", Some("~1 week"), None)];
    let times = step_times(&steps, None, None);
    let narrowed = [Some(TimeRange::from_secs(86_400, 2 * 86_400))];
    assert_eq!(
        plan(&steps, &times, &narrowed, now()).outlook,
        Outlook::Window {
            earliest: now() + days(1),
            latest: now() + days(2)
        }
    );
}

#[test]
fn unknown_statuses_are_treated_as_still_to_come() {
    assert_eq!(
        project(&[step("Quarantined", Some("1 hour"), None)]).outlook,
        Outlook::Window {
            earliest: now() + TimeDelta::hours(1),
            latest: now() + TimeDelta::hours(1)
        }
    );
}

#[rstest]
#[case("canceled", Outlook::Canceled)]
#[case("failed", Outlook::Failed)]
#[case("succeeded", Outlook::Finished)]
fn an_ended_operation_has_nothing_ahead(#[case] status: &str, #[case] outlook: Outlook) {
    use publishing_model::timeline::for_operation;
    let status: publishing_model::PublishStatus = status.parse().unwrap_or_else(|n| match n {});
    let p = for_operation(
        project(&[
            step("complete", None, None),
            step("notStarted", Some("< 1 day"), None),
        ]),
        &status,
    );
    assert_eq!(p.outlook, outlook);
    assert_eq!(p.finish, None);
    assert!(!matches!(p.steps[1], StepPlan::Ahead { .. }));
}

#[test]
fn a_running_operation_keeps_its_plan() {
    use publishing_model::timeline::for_operation;
    let p = project(&[step("notStarted", Some("< 1 day"), None)]);
    assert_eq!(
        for_operation(p.clone(), &publishing_model::PublishStatus::Running),
        p
    );
}

#[test]
fn the_steps_after_a_sign_off_wait_for_it() {
    for sign_off in ["notStarted", "WaitingForPublisherReview"] {
        let p = project(&[
            with_id(
                step("running", Some("< 1 day"), Some(NOW)),
                "displaycertify",
            ),
            with_id(step(sign_off, None, None), "publisher-signoff"),
            with_id(step("notStarted", Some("~2-5 days"), None), "live"),
        ]);
        let after = |i: usize| matches!(p.steps[i], StepPlan::Ahead { after_your_move, .. } if after_your_move);
        assert!(!after(0), "{sign_off}: certification runs now");
        assert!(
            !after(1),
            "{sign_off}: the sign-off itself is the publisher's move"
        );
        assert!(
            after(2),
            "{sign_off}: go-live starts when the publisher signs off"
        );
    }
    let p = project(&[
        step("running", Some("< 1 day"), Some(NOW)),
        step("notStarted", Some("~2-5 days"), None),
    ]);
    assert!(matches!(
        p.steps[1],
        StepPlan::Ahead {
            after_your_move: false,
            ..
        }
    ));
}

#[test]
fn a_soonest_time_that_has_come_reads_any_moment() {
    use publishing_model::timeline::{ahead_words, EndWords, StartWords};
    let p = project(&[
        // Past the bottom of "< 5 day" (nothing) and not yet at its top.
        step("running", Some("< 5 day"), Some("2024-04-30T12:00:00Z")),
        step("notStarted", Some("~2-3 days"), None),
        with_id(step("notStarted", None, None), "publisher-signoff"),
        with_id(step("notStarted", Some("~2-5 days"), None), "live"),
    ]);
    let words = |i: usize, at| ahead_words(&p.steps[i], i > 0, at);
    assert_eq!(words(0, now()), Some((None, EndWords::By(now() + days(4)))));
    // Certification could end now, so provisioning can start now.
    assert_eq!(
        words(1, now()),
        Some((
            Some(StartWords::AnyMoment),
            EndWords::Between(now() + days(2), now() + days(7))
        ))
    );
    assert_eq!(
        words(2, now()),
        None,
        "the sign-off is the publisher's move"
    );
    assert!(matches!(
        words(3, now()),
        Some((Some(StartWords::AfterYourMove), EndWords::Between(..)))
    ));
    // Planned an hour ago: a time that has come since reads the same.
    let planned = plan(
        &[step("notStarted", Some("~2-3 days"), None)],
        &[Default::default()],
        &[Some(TimeRange::from_secs(3_600, 7_200))],
        now() - TimeDelta::hours(1),
    );
    assert_eq!(
        ahead_words(&planned.steps[0], true, now()),
        Some((
            Some(StartWords::AnyMoment),
            EndWords::By(now() + TimeDelta::hours(1))
        ))
    );
    assert_eq!(
        ahead_words(&planned.steps[0], true, now() - TimeDelta::hours(1)),
        Some((
            Some(StartWords::AnyMoment),
            EndWords::Between(now(), now() + TimeDelta::hours(1))
        ))
    );
    // Past the top too: it could end at any moment.
    let overdue = project(&[step(
        "running",
        Some("< 1 day"),
        Some("2024-04-28T12:00:00Z"),
    )]);
    assert_eq!(
        ahead_words(&overdue.steps[0], false, now()),
        Some((None, EndWords::AnyMoment))
    );
    let open = project(&[step("running", None, Some("2024-04-30T12:00:00Z"))]);
    assert_eq!(
        ahead_words(&open.steps[0], false, now()),
        Some((None, EndWords::AnyMomentOpen))
    );
}
