//! The service's vocabulary in the page's language: status words, message levels,
//! cancellation states and submission types. A value the dashboard does not know is shown as
//! the service sent it.

use publishing_model::changes::Change;
use publishing_model::feed::LevelGroup;
use publishing_model::{submission_type_label, CancellationState, MessageLevel, PublishStatus};

use crate::i18n::{k, t, tf};

/// A status in words ("Waiting for your sign-off").
pub fn status(s: &PublishStatus) -> String {
    let key = match s {
        PublishStatus::NotStarted => k("status.not-started"),
        PublishStatus::NeverPublished => k("status.never-published"),
        PublishStatus::Running => k("status.running"),
        PublishStatus::WaitingForPublisherReview => k("status.waiting-for-publisher"),
        PublishStatus::WaitingForApproval => k("status.waiting-for-approval"),
        PublishStatus::Blocked => k("status.blocked"),
        PublishStatus::Rejected => k("status.rejected"),
        PublishStatus::Failed => k("status.failed"),
        PublishStatus::Completed => k("status.completed"),
        PublishStatus::Canceled => k("status.canceled"),
        PublishStatus::Other(raw) => return raw.trim().to_owned(),
    };
    t(key)
}

/// A level group in words ("Errors").
pub fn level_group(group: LevelGroup) -> String {
    t(match group {
        LevelGroup::Error => k("level.errors"),
        LevelGroup::Warning => k("level.warnings"),
        LevelGroup::Information => k("level.information"),
        LevelGroup::Other => k("level.misc"),
    })
}

/// A message's level in words; none reads as information.
pub fn level(level: Option<&MessageLevel>) -> String {
    match level {
        None | Some(MessageLevel::Information) => t("level.info"),
        Some(MessageLevel::Warning) => t("level.warning"),
        Some(MessageLevel::Error) => t("level.error"),
        Some(MessageLevel::Other(raw)) => raw.clone(),
    }
}

/// Whether a running operation can be canceled, in words.
pub fn cancellation(state: &CancellationState) -> String {
    match state {
        CancellationState::CanCancel => t("cancellation.can"),
        CancellationState::CannotCancel => t("cancellation.cannot"),
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
        "publish" => t("submission.publish"),
        "golive" => t("submission.go-live"),
        _ => submission_type_label(raw),
    }
}

/// A change on the overview in words: a title and a body, plain text (notifications and the
/// recent-changes list); the service's parts as sent.
pub fn change(change: &Change) -> (String, String) {
    match change {
        Change::Status { name, from, to, .. } => (
            tf("change.status", &[("offer", name), ("status", &status(to))]),
            tf("change.was", &[("status", &status(from))]),
        ),
        Change::Error { name, text, .. } => (tf("change.error", &[("offer", name)]), text.clone()),
        Change::Overdue { name, step, .. } => (
            tf("change.overdue", &[("offer", name), ("step", step)]),
            t("change.overdue-body"),
        ),
    }
}
