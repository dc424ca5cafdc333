//! Filtering and counting operations by status and text.

use publishing_model::api::{OperationSummary, Timestamp};
use publishing_model::filter::{choose_list, toggle_counts, ShownList};
use publishing_model::{OperationIndex, PublishStatus, StatusCount, StatusFilter};

fn op(id: &str, kind: &str, status: &str, changed: &str) -> OperationSummary {
    OperationSummary {
        id: id.into(),
        submission_type: Some(kind.into()),
        submission_state: Some(status.parse().unwrap_or_else(|n| match n {})),
        changed_time: Some(Timestamp::parse(changed)),
        ..OperationSummary::default()
    }
}

fn ops() -> Vec<OperationSummary> {
    vec![
        op("aaa-1", "publish", "completed", "2024-01-01T00:00:00Z"),
        op("bbb-2", "goLive", "running", "2024-03-01T00:00:00Z"),
        op("ccc-3", "publish", "failed", "2024-02-01T00:00:00Z"),
        op("ddd-4", "publish", "Superseded", "2023-12-01T00:00:00Z"),
        op("eee-5", "goLive", "succeeded", "bad time"),
    ]
}

#[test]
fn newest_first_and_all_by_default() {
    let index = OperationIndex::new(&ops());
    assert_eq!(index.apply(&StatusFilter::default()), vec![1, 2, 0, 3, 4]);
}

#[test]
fn counts_include_standard_and_unknown_statuses() {
    let index = OperationIndex::new(&ops());
    let counts: Vec<(String, usize)> = index
        .counts()
        .iter()
        .map(|c| (c.key.clone(), c.count))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("running".into(), 1),
            ("failed".into(), 1),
            ("completed".into(), 2),
            ("canceled".into(), 0),
            ("notstarted".into(), 0),
            ("superseded".into(), 1),
        ]
    );
    assert_eq!(
        index.counts()[5].status,
        PublishStatus::Other("Superseded".into())
    );
}

#[test]
fn status_and_text_combine() {
    let index = OperationIndex::new(&ops());
    let filter = StatusFilter::from_query(Some("running,completed"), None);
    assert_eq!(index.apply(&filter), vec![1, 0, 4]);
    let filter = StatusFilter::from_query(Some("completed"), Some("GOLIVE"));
    assert_eq!(index.apply(&filter), vec![4]);
    // The type as sent (goLive) and as shown ("Go live") both find it.
    let as_sent = index.apply(&StatusFilter::from_query(None, Some("golive")));
    assert!(!as_sent.is_empty());
    assert_eq!(
        index.apply(&StatusFilter::from_query(None, Some("go live"))),
        as_sent
    );
    let filter = StatusFilter::from_query(None, Some("go  live"));
    assert!(
        index.apply(&filter).is_empty(),
        "words are matched as typed"
    );
    let filter = StatusFilter::from_query(None, Some("ccc"));
    assert_eq!(index.apply(&filter), vec![2]);
    let filter = StatusFilter::from_query(Some("Superseded"), None);
    assert_eq!(index.apply(&filter), vec![3]);
}

#[test]
fn query_round_trip_and_synonyms() {
    let filter = StatusFilter::from_query(Some("Succeeded, RUNNING,,"), Some("abc"));
    assert_eq!(filter.status_param().as_deref(), Some("completed,running"));
    assert_eq!(filter.single_status(), None);
    let one = StatusFilter::from_query(Some("failed"), None);
    assert_eq!(one.single_status(), Some(PublishStatus::Failed));
    assert_eq!(one.toggled("failed"), StatusFilter::default());
    assert!(StatusFilter::from_query(Some(""), None).shows_all_statuses());
}

#[test]
fn ten_thousand_operations_filter() {
    let many: Vec<_> = (0..10_000)
        .map(|i| {
            op(
                &format!("op-{i:05}"),
                if i % 3 == 0 { "goLive" } else { "publish" },
                ["running", "failed", "completed"][i % 3],
                "2024-01-01T00:00:00Z",
            )
        })
        .collect();
    let index = OperationIndex::new(&many);
    assert_eq!(index.len(), 10_000);
    assert_eq!(
        index
            .apply(&StatusFilter::from_query(Some("failed"), None))
            .len(),
        3_333
    );
    assert_eq!(
        index
            .apply(&StatusFilter::from_query(None, Some("op-0999")))
            .len(),
        10
    );
}

#[test]
fn a_single_status_answer_replaces_only_its_own_count() {
    let mut list = ops();
    list.push(op(
        "fff-6",
        "publish",
        "waitingForPublisherReview",
        "2024-04-01T00:00:00Z",
    ));
    let full = OperationIndex::new(&list);
    let count_of =
        |counts: &[StatusCount], key: &str| counts.iter().find(|c| c.key == key).map(|c| c.count);
    assert_eq!(
        count_of(full.counts(), "waitingforpublisherreview"),
        Some(1)
    );
    // Asked in the service's spelling, answered with three such operations.
    let counts =
        StatusCount::with_single(full.counts(), &PublishStatus::WaitingForPublisherReview, 3);
    assert_eq!(count_of(&counts, "waitingforpublisherreview"), Some(3));
    assert_eq!(
        count_of(&counts, "running"),
        Some(1),
        "others keep the full list's counts"
    );
    assert_eq!(counts.len(), full.counts().len());
    // A synonym reaches the same toggle.
    let counts = StatusCount::with_single(
        full.counts(),
        &"SUCCEEDED".parse().unwrap_or_else(|n| match n {}),
        0,
    );
    assert_eq!(count_of(&counts, "completed"), Some(0));
}

#[rstest::rstest]
#[case::same_status(Some("failed"), Some("Failed"), false, ShownList::Latest)]
#[case::all_again_with_full(None, Some("failed"), true, ShownList::Full)]
#[case::all_again_no_full(None, Some("failed"), false, ShownList::Latest)]
#[case::full_list_filters_client_side(Some("failed"), None, true, ShownList::Latest)]
#[case::other_single_with_full(Some("running"), Some("failed"), true, ShownList::Full)]
#[case::other_single_without_full(Some("running"), Some("failed"), false, ShownList::Latest)]
#[case::nothing_asked(None, None, false, ShownList::Latest)]
fn the_list_shown_while_an_answer_is_on_its_way(
    #[case] wanted: Option<&str>,
    #[case] latest: Option<&str>,
    #[case] have_full: bool,
    #[case] shown: ShownList,
) {
    let parse = |s: &str| -> PublishStatus { s.parse().unwrap_or_else(|n| match n {}) };
    let (wanted, latest) = (wanted.map(parse), latest.map(parse));
    assert_eq!(
        choose_list(wanted.as_ref(), latest.as_ref(), have_full),
        shown
    );
}

#[test]
fn toggle_counts_take_the_rest_from_the_full_list() {
    let ops: Vec<OperationSummary> = ["running", "failed", "failed", "completed"]
        .iter()
        .enumerate()
        .map(|(i, s)| OperationSummary {
            id: publishing_model::OperationId(format!("op{i}")),
            status: Some(s.parse().unwrap_or_else(|n| match n {})),
            ..OperationSummary::default()
        })
        .collect();
    let full = OperationIndex::new(&ops);
    let only_failed = OperationIndex::new(&ops[1..2]);
    let counts = toggle_counts(Some(&PublishStatus::Failed), &only_failed, Some(&full));
    let failed = counts.iter().find(|c| c.key == "failed").map(|c| c.count);
    let running = counts.iter().find(|c| c.key == "running").map(|c| c.count);
    assert_eq!((failed, running), (Some(1), Some(1)));
    let alone = toggle_counts(Some(&PublishStatus::Failed), &only_failed, None);
    assert_eq!(
        alone.iter().find(|c| c.key == "running").map(|c| c.count),
        Some(0)
    );
}

#[test]
fn an_operation_runs_from_its_creation_to_its_last_change_or_to_now() {
    let at = |s: &str| -> chrono::DateTime<chrono::Utc> { s.parse().expect("instant") };
    let mut op = OperationSummary {
        status: Some(PublishStatus::Completed),
        created_date_time: Some(Timestamp::parse("2024-05-01T00:00:00Z")),
        changed_time: Some(Timestamp::parse("2024-05-03T12:00:00Z")),
        ..OperationSummary::default()
    };
    let now = at("2024-05-10T00:00:00Z");
    assert_eq!(op.started_at(), Some(at("2024-05-01T00:00:00Z")));
    assert_eq!(op.duration(now), Some(chrono::TimeDelta::hours(60)));
    op.status = Some(PublishStatus::Running);
    assert_eq!(
        op.duration(now),
        Some(chrono::TimeDelta::days(9)),
        "still running: up to now"
    );
    op.status = Some(PublishStatus::Completed);
    op.changed_time = None;
    assert_eq!(op.duration(now), None, "finished, with no stated end");
    op.last_action_date_time = Some(Timestamp::parse("2024-05-02T00:00:00Z"));
    assert_eq!(op.duration(now), Some(chrono::TimeDelta::days(1)));
    op.status = Some(PublishStatus::Running);
    op.created_date_time = Some(Timestamp::parse("2024-06-01T00:00:00Z"));
    assert_eq!(op.duration(now), None, "a start after now is no duration");
    op.created_date_time = None;
    assert_eq!(op.duration(now), None);
}
