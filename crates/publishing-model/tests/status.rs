//! Status words: spelling-insensitive, synonyms, unknown values kept, one visual kind each.

use publishing_model::{CancellationState, MessageLevel, PublishStatus, StatusKind};
use rstest::rstest;

#[rstest]
#[case("notStarted", PublishStatus::NotStarted)]
#[case("NotStarted", PublishStatus::NotStarted)]
#[case("not started", PublishStatus::NotStarted)]
#[case("NOT_STARTED", PublishStatus::NotStarted)]
#[case("not-started", PublishStatus::NotStarted)]
#[case("running", PublishStatus::Running)]
#[case("InProgress", PublishStatus::Running)]
#[case("complete", PublishStatus::Completed)]
#[case("completed", PublishStatus::Completed)]
#[case("Succeeded", PublishStatus::Completed)]
#[case("failed", PublishStatus::Failed)]
#[case("Rejected", PublishStatus::Rejected)]
#[case("blocked", PublishStatus::Blocked)]
#[case("WaitingForPublisherReview", PublishStatus::WaitingForPublisherReview)]
#[case("WaitingForApproval", PublishStatus::WaitingForApproval)]
#[case("Canceled", PublishStatus::Canceled)]
#[case("cancelled", PublishStatus::Canceled)]
#[case("NeverPublished", PublishStatus::NeverPublished)]
#[case("published", PublishStatus::Other("published".into()))]
#[case("", PublishStatus::Other("".into()))]
fn status_words(#[case] raw: &str, #[case] expected: PublishStatus) {
    assert_eq!(raw.parse::<PublishStatus>(), Ok(expected));
}

#[rstest]
#[case(PublishStatus::NotStarted, StatusKind::NotStarted)]
#[case(PublishStatus::NeverPublished, StatusKind::NotStarted)]
#[case(PublishStatus::Running, StatusKind::Running)]
#[case(PublishStatus::WaitingForApproval, StatusKind::Running)]
#[case(
    PublishStatus::WaitingForPublisherReview,
    StatusKind::WaitingForPublisher
)]
#[case(PublishStatus::Blocked, StatusKind::Blocked)]
#[case(PublishStatus::Failed, StatusKind::Failed)]
#[case(PublishStatus::Rejected, StatusKind::Failed)]
#[case(PublishStatus::Completed, StatusKind::Succeeded)]
#[case(PublishStatus::Canceled, StatusKind::Canceled)]
#[case(PublishStatus::Other("Superseded".into()), StatusKind::Unknown)]
fn visual_kinds(#[case] status: PublishStatus, #[case] kind: StatusKind) {
    assert_eq!(status.kind(), kind);
}

#[test]
fn unknown_values_display_as_sent_and_round_trip() {
    let status: PublishStatus = serde_json::from_str("\"Quarantined\"").expect("never fails");
    assert_eq!(status.to_string(), "Quarantined");
    assert_eq!(
        serde_json::to_string(&status).expect("serializes"),
        "\"Quarantined\""
    );
    let known: PublishStatus = serde_json::from_str("\"SUCCEEDED\"").expect("never fails");
    assert_eq!(known.to_string(), "Completed");
}

#[test]
fn badge_classes_are_one_per_kind() {
    let classes: std::collections::BTreeSet<_> =
        StatusKind::ALL.iter().map(|k| k.badge_class()).collect();
    assert_eq!(classes.len(), StatusKind::ALL.len());
    assert_eq!(
        StatusKind::Running.badge_class(),
        "status-badge status-badge--running"
    );
}

#[rstest]
#[case("information", MessageLevel::Information)]
#[case("Info", MessageLevel::Information)]
#[case("WARNING", MessageLevel::Warning)]
#[case("error", MessageLevel::Error)]
#[case("debug", MessageLevel::Other("debug".into()))]
fn message_levels(#[case] raw: &str, #[case] level: MessageLevel) {
    assert_eq!(raw.parse::<MessageLevel>(), Ok(level));
}

#[rstest]
#[case("canCancel", CancellationState::CanCancel)]
#[case("CAN_CANCEL", CancellationState::CanCancel)]
#[case("cannotCancel", CancellationState::CannotCancel)]
#[case("pending", CancellationState::Other("pending".into()))]
fn cancellation_states(#[case] raw: &str, #[case] state: CancellationState) {
    assert_eq!(raw.parse::<CancellationState>(), Ok(state));
}

#[rstest]
#[case("publish", "Publish")]
#[case("goLive", "Go live")]
#[case("GoLive", "Go live")]
#[case(" go_live ", "Go live")]
#[case("preview-refresh", "Preview refresh")]
#[case("republish2Staging", "Republish2 staging")]
#[case("", "")]
#[case("___", "")]
// Types are the API's ASCII words; other letters are kept as sent (the model carries no
// Unicode case tables: they were 5 KB of the app's first load).
#[case("été", "été")]
#[case("étéLive", "été live")]
fn submission_types_read_as_words(#[case] raw: &str, #[case] label: &str) {
    assert_eq!(publishing_model::submission_type_label(raw), label);
}
