//! An operation beside the last successful one of the same type.

mod common;

use chrono::TimeDelta;
use common::{message, now, step, with_id, with_message};
use publishing_model::compare::compare;
use publishing_model::{OperationDetail, PublishStatus, Step};

fn done(id: &str, from: &str, to: &str) -> Step {
    with_message(
        with_id(step("complete", None, Some(from)), id),
        message("information", "Step completed.", to),
    )
}

fn op(steps: Vec<Step>) -> OperationDetail {
    OperationDetail {
        status: Some(PublishStatus::Running),
        steps,
        ..OperationDetail::default()
    }
}

#[test]
fn each_step_then_and_now_and_which_took_longer() {
    let last = op(vec![
        done("certify", "2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z"),
        done("provision", "2024-04-02T00:00:00Z", "2024-04-02T06:00:00Z"),
        done("retired", "2024-04-02T06:00:00Z", "2024-04-02T07:00:00Z"),
    ]);
    let this = op(vec![
        done("certify", "2024-04-28T00:00:00Z", "2024-04-30T00:00:00Z"),
        with_id(
            step("running", None, Some("2024-05-01T08:00:00Z")),
            "provision",
        ),
        with_id(step("notStarted", None, None), "live"),
    ]);
    let c = compare(&this, &last, now());
    assert_eq!(
        c.steps.len(),
        4,
        "this time's steps, then one only last time had"
    );
    assert_eq!(
        c.steps[0].longer_by,
        Some(TimeDelta::days(1)),
        "2 days against 1"
    );
    assert_eq!(
        c.steps[1].now.as_ref().and_then(|n| n.1),
        Some(TimeDelta::hours(4)),
        "running: so far"
    );
    assert_eq!(c.steps[1].longer_by, None, "4 hours so far, 6 last time");
    assert_eq!(c.steps[2].before, None);
    assert_eq!(
        c.steps[2].now.as_ref().and_then(|n| n.1),
        None,
        "not started: no duration"
    );
    assert_eq!(c.steps[3].name, "retired");
    assert!(c.steps[3].now.is_none());
}

#[test]
fn new_messages_are_the_words_never_said_before_in_that_step() {
    let last = op(vec![with_message(
        done("certify", "2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z"),
        message("warning", "Slow <b>scan</b>", "2024-04-01T05:00:00Z"),
    )]);
    let this = op(vec![with_message(
        with_message(
            done("certify", "2024-04-28T00:00:00Z", "2024-04-30T00:00:00Z"),
            message("warning", "Slow scan", "2024-04-28T05:00:00Z"),
        ),
        message("error", "Image rejected", "2024-04-29T05:00:00Z"),
    )]);
    let c = compare(&this, &last, now());
    let texts: Vec<_> = c
        .new_messages
        .iter()
        .map(|e| e.message.html.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        texts,
        ["Image rejected"],
        "times differ, words are what count"
    );
}
