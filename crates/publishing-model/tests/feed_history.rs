//! The merged message feed, the offer's own step durations, and the support details text.

mod common;

use chrono::TimeDelta;
use common::{at, message, now, step, with_id, with_message};
use publishing_model::feed::{feed, is_new, level_counts, newest, runs, LevelGroup};
use publishing_model::history::step_history;
use publishing_model::support::{plain_text, support_details, SupportFacts};
use publishing_model::timeline::{step_times, StepHealth};
use publishing_model::{OperationDetail, PublishStatus, Timestamp};

#[test]
fn operation_and_step_messages_merge_in_time_order() {
    let own = [message(
        "information",
        "Publish requested",
        "2024-04-30T00:00:00Z",
    )];
    let steps = [
        with_message(
            with_id(
                step("complete", None, Some("2024-04-30T01:00:00Z")),
                "certify",
            ),
            message("warning", "Slow scan", "2024-04-30T03:00:00Z"),
        ),
        with_id(
            step("running", None, Some("2024-04-30T02:00:00Z")),
            "package",
        ),
    ];
    let f = feed(&own, &steps);
    let texts: Vec<_> = f
        .iter()
        .map(|e| e.message.html.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        texts,
        [
            "Publish requested",
            "Step started.",
            "Step started.",
            "Slow scan"
        ]
    );
    assert_eq!(f[0].step, None);
    assert_eq!(f[2].step, Some(1));
    assert_eq!(runs(&f).len(), 4, "{:?}", runs(&f));
}

#[test]
fn identical_repeats_collapse_with_a_count() {
    let s = with_id(step("running", None, None), "certify");
    let s = (0..5).fold(s, |s, h| {
        with_message(
            s,
            message(
                "Error",
                "Disk image unreadable",
                &format!("2024-04-30T0{h}:00:00Z"),
            ),
        )
    });
    let f = feed(&[], &[s]);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].count, 5);
    assert_eq!(f[0].at, Some(at("2024-04-30T00:00:00Z")));
    assert_eq!(f[0].last_at, Some(at("2024-04-30T04:00:00Z")));
}

#[test]
fn level_words_in_any_form_group_together() {
    let s = [with_message(
        with_message(
            with_message(
                step("running", None, None),
                message("Error", "a", "2024-04-30T00:00:00Z"),
            ),
            message("informational", "b", "2024-04-30T01:00:00Z"),
        ),
        message("Verbose", "c", "2024-04-30T02:00:00Z"),
    )];
    let counts = level_counts(&feed(&[], &s));
    assert_eq!(
        counts,
        [
            (LevelGroup::Error, 1),
            (LevelGroup::Warning, 0),
            (LevelGroup::Information, 1),
            (LevelGroup::Other, 1)
        ]
    );
}

#[test]
fn anchors_are_stable_across_polls_and_unique() {
    let first = [with_id(
        step("running", None, Some("2024-04-30T00:00:00Z")),
        "a",
    )];
    let later = [with_message(
        first[0].clone(),
        message("information", "More", "2024-04-30T05:00:00Z"),
    )];
    let (f1, f2) = (feed(&[], &first), feed(&[], &later));
    assert_eq!(f1[0].anchor, f2[0].anchor);
    assert_ne!(f2[0].anchor, f2[1].anchor);
    assert!(f2.iter().all(|e| e.anchor.starts_with("msg-")
        && e.anchor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')));
}

#[test]
fn new_since_the_last_visit_needs_a_last_visit() {
    let s = [with_message(
        step("running", None, Some("2024-04-30T00:00:00Z")),
        message("information", "More", "2024-04-30T05:00:00Z"),
    )];
    let f = feed(&[], &s);
    assert!(
        f.iter().all(|e| !is_new(e, None)),
        "a first visit shows nothing as new"
    );
    let read = Some(at("2024-04-30T01:00:00Z"));
    assert_eq!(f.iter().filter(|e| is_new(e, read)).count(), 1);
    assert_eq!(newest(&[], &s), Some(at("2024-04-30T05:00:00Z")));
}

fn finished(hours: [i64; 2]) -> OperationDetail {
    let start = at("2024-04-01T00:00:00Z");
    let steps = hours
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let begin = start + TimeDelta::days(i as i64 * 10);
            let end = begin + TimeDelta::hours(*h);
            let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339();
            with_message(
                with_id(
                    step("complete", None, Some(&stamp(begin))),
                    ["certify", "live"][i],
                ),
                message("information", "Step completed.", &stamp(end)),
            )
        })
        .collect();
    OperationDetail {
        status: Some(PublishStatus::Completed),
        steps,
        ..OperationDetail::default()
    }
}

#[test]
fn history_gives_median_and_range_per_step() {
    let ops = [
        finished([10, 1]),
        finished([30, 2]),
        finished([20, 3]),
        finished([40, 4]),
    ];
    let h = step_history(&ops);
    let certify = &h["certify"];
    assert_eq!(certify.samples, 4);
    assert_eq!(certify.median, TimeDelta::hours(25));
    assert_eq!(
        (certify.min, certify.max),
        (TimeDelta::hours(10), TimeDelta::hours(40))
    );
    assert!(certify.trusted_range().is_some());
    let two = step_history(&ops[..2]);
    assert_eq!(
        two["live"].trusted_range(),
        None,
        "two samples are not enough to narrow"
    );
}

#[test]
fn history_ignores_steps_that_did_not_complete_or_have_no_times() {
    let mut op = finished([10, 1]);
    op.steps[1].status = Some(PublishStatus::Failed);
    op.steps[0].messages.clear();
    assert!(step_history(&[op]).is_empty());
}

#[test]
fn plain_text_drops_markup_and_control_characters() {
    assert_eq!(
        plain_text("<b>Fix</b> the&nbsp;<a href='x'>image</a>\u{0007}\n&lt;now&gt; &amp; <script>x</script>"),
        "Fix the image <now> & x"
    );
    assert!(plain_text(&"a".repeat(10_000)).chars().count() <= 501);
}

#[test]
fn support_details_carry_everything_support_asks_for() {
    let mut detail = finished([10, 1]);
    detail.status = Some(PublishStatus::Running);
    detail.steps[1].status = Some(PublishStatus::Blocked);
    detail.steps[1].messages.push(message(
        "error",
        "<p>Certification\r\nfailed</p>",
        "2024-04-11T05:00:00Z",
    ));
    detail.changed_time = Some(Timestamp::parse("2024-04-11T05:00:00Z"));
    let times = step_times(&detail.steps, None, None);
    let f = feed(&detail.messages, &detail.steps);
    let text = support_details(&SupportFacts {
        publisher: "contoso",
        offer: "vm-offer",
        operation: "0f1e-77",
        detail: &detail,
        times: &times,
        health: &[
            StepHealth::OnTrack,
            StepHealth::ProbablyStuck {
                by: TimeDelta::hours(50),
                quiet: TimeDelta::hours(30),
            },
        ],
        feed: &f,
        request_ids: &["req-1".to_owned(), "corr-2\nInjected: yes".to_owned()],
        now: now(),
    });
    for needle in [
        "Publisher: contoso",
        "Offer: vm-offer",
        "Operation: 0f1e-77",
        "Operation status: running",
        "2. live [live]: blocked; started 2024-04-11T00:00:00Z",
        "overdue by 50 h, no message for 30 h",
        "2024-04-11T05:00:00Z [error] live: Certification failed",
        "Request ids: req-1, corr-2 Injected: yes",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert!(!text.contains('<') && !text.contains('\r'));
}

#[test]
fn step_anchors_are_safe_and_distinct() {
    use publishing_model::feed::step_anchor;
    assert_eq!(
        step_anchor(
            0,
            &with_id(step("running", None, None), "publisher-signoff")
        ),
        "step-publisher-signoff"
    );
    let odd = step_anchor(3, &with_id(step("running", None, None), "a b\"<x>"));
    assert!(
        odd.starts_with("step-3-") && odd.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "{odd}"
    );
    assert_eq!(step_anchor(2, &step("running", None, None)), "step-2");
}
