//! The service's vocabulary in the page's language: status words, message levels,
//! cancellation states and submission types. A value the dashboard does not know is shown as
//! the service sent it.

use publishing_model::changes::Change;
use publishing_model::feed::LevelGroup;
use publishing_model::{submission_type_label, CancellationState, MessageLevel, PublishStatus};

use crate::i18n::{t, tf};

/// A status in words ("Waiting for your sign-off").
pub fn status(s: &PublishStatus) -> String {
    let key = match s {
        PublishStatus::NotStarted => key!("status.not-started"),
        PublishStatus::NeverPublished => key!("status.never-published"),
        PublishStatus::Running => key!("status.running"),
        PublishStatus::WaitingForPublisherReview => key!("status.waiting-for-publisher"),
        PublishStatus::WaitingForApproval => key!("status.waiting-for-approval"),
        PublishStatus::Blocked => key!("status.blocked"),
        PublishStatus::Rejected => key!("status.rejected"),
        PublishStatus::Failed => key!("status.failed"),
        PublishStatus::Completed => key!("status.completed"),
        PublishStatus::Canceled => key!("status.canceled"),
        PublishStatus::Other(raw) => return raw.trim().to_owned(),
    };
    t(key)
}

/// A level group in words ("Errors").
pub fn level_group(group: LevelGroup) -> String {
    t(match group {
        LevelGroup::Error => key!("level.errors"),
        LevelGroup::Warning => key!("level.warnings"),
        LevelGroup::Information => key!("level.information"),
        LevelGroup::Other => key!("level.misc"),
    })
}

/// A message's level in words; none reads as information.
pub fn level(level: Option<&MessageLevel>) -> String {
    match level {
        None | Some(MessageLevel::Information) => t(key!("level.info")),
        Some(MessageLevel::Warning) => t(key!("level.warning")),
        Some(MessageLevel::Error) => t(key!("level.error")),
        Some(MessageLevel::Other(raw)) => raw.clone(),
    }
}

/// Whether a running operation can be canceled, in words.
pub fn cancellation(state: &CancellationState) -> String {
    match state {
        CancellationState::CanCancel => t(key!("cancellation.can")),
        CancellationState::CannotCancel => t(key!("cancellation.cannot")),
        CancellationState::Other(raw) => raw.clone(),
    }
}

/// A submission type in words: `publish` and `goLive` translated, others split into words.
pub fn submission_type(raw: &str) -> String {
    let plain: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match plain.as_str() {
        "publish" => t(key!("submission.publish")),
        "golive" => t(key!("submission.go-live")),
        _ => submission_type_label(raw),
    }
}

/// A change on the overview in words: a title and a body, plain text (notifications and the
/// recent-changes list); the service's parts as sent.
pub fn change(change: &Change) -> (String, String) {
    match change {
        Change::Status { name, from, to, .. } => (
            tf(
                key!("change.status"),
                &[("offer", name), ("status", &status(to))],
            ),
            tf(key!("change.was"), &[("status", &status(from))]),
        ),
        Change::Error { name, text, .. } => {
            (tf(key!("change.error"), &[("offer", name)]), text.clone())
        }
        Change::Overdue { name, step, .. } => (
            tf(key!("change.overdue"), &[("offer", name), ("step", step)]),
            t(key!("change.overdue-body")),
        ),
        Change::Stuck { name, step, .. } => (
            tf(key!("change.stuck"), &[("offer", name), ("step", step)]),
            t(key!("change.stuck-body")),
        ),
    }
}
