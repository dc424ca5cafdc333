//! Where a publish stands, in one vocabulary over both APIs: the CPP API's operation and offer
//! statuses, and the Product Ingestion API's submissions (`target`, `status`, `result`).
//!
//! Seven words: draft, in progress, waiting for the publisher, live, failed, canceled, and
//! other (a value never seen before, kept as it came). Pages keep showing the finer
//! [`PublishStatus`]; a standing maps to exactly one of them and back.

use crate::status::{normalize, PublishStatus};

/// Where a publish stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Not submitted for publishing (a draft, a never-published offer, not started).
    Draft,
    /// Microsoft is working on it.
    InProgress,
    /// The preview is ready: the publisher must sign off and go live.
    WaitingForPublisher,
    /// Published.
    Live,
    /// Failed, rejected or blocked.
    Failed,
    /// Canceled.
    Canceled,
    /// A value neither API documents, as the service sent it.
    Other(String),
}

impl Standing {
    /// The standing of a CPP status (an operation's, an offer's or a step's).
    pub fn of_status(status: &PublishStatus) -> Self {
        match status {
            PublishStatus::NotStarted | PublishStatus::NeverPublished => Self::Draft,
            PublishStatus::Running | PublishStatus::WaitingForApproval => Self::InProgress,
            PublishStatus::WaitingForPublisherReview => Self::WaitingForPublisher,
            // Blocked: nothing moves until the publisher fixes something.
            PublishStatus::Blocked | PublishStatus::Rejected | PublishStatus::Failed => {
                Self::Failed
            }
            PublishStatus::Completed => Self::Live,
            PublishStatus::Canceled => Self::Canceled,
            PublishStatus::Other(raw) => Self::Other(raw.clone()),
        }
    }

    /// The standing of one Product Ingestion submission on its own: `target.targetType`,
    /// `status` and `result`, as sent. A succeeded preview reads "waiting for the publisher";
    /// [`crate::ingestion`] replaces that with the newer live submission's standing when
    /// there is one.
    pub fn of_submission(target: Option<&str>, status: Option<&str>, result: Option<&str>) -> Self {
        let status_raw = status.unwrap_or_default();
        match normalize(status_raw).as_str() {
            "notstarted" | "running" | "inprogress" | "pending" => return Self::InProgress,
            "completed" | "complete" => {}
            "" => return Self::Other("unknown".into()),
            _ => return Self::Other(status_raw.trim().to_owned()),
        }
        let result_raw = result.unwrap_or_default();
        match normalize(result_raw).as_str() {
            "succeeded" => {}
            "failed" => return Self::Failed,
            "cancelled" | "canceled" => return Self::Canceled,
            // Completed yet pending: the service is between two states.
            "pending" => return Self::InProgress,
            "" => return Self::Other(status_raw.trim().to_owned()),
            _ => return Self::Other(result_raw.trim().to_owned()),
        }
        let target_raw = target.unwrap_or_default();
        match normalize(target_raw).as_str() {
            "draft" => Self::Draft,
            "preview" => Self::WaitingForPublisher,
            "live" => Self::Live,
            "" => Self::Other("unknown".into()),
            _ => Self::Other(target_raw.trim().to_owned()),
        }
    }

    /// The status the pages show for this standing.
    pub fn as_status(&self) -> PublishStatus {
        match self {
            Self::Draft => PublishStatus::NotStarted,
            Self::InProgress => PublishStatus::Running,
            Self::WaitingForPublisher => PublishStatus::WaitingForPublisherReview,
            Self::Live => PublishStatus::Completed,
            Self::Failed => PublishStatus::Failed,
            Self::Canceled => PublishStatus::Canceled,
            Self::Other(raw) => PublishStatus::Other(raw.clone()),
        }
    }

    /// A stable name (`waiting-for-publisher`), for data attributes and exports.
    pub fn slug(&self) -> &str {
        match self {
            Self::Draft => "draft",
            Self::InProgress => "in-progress",
            Self::WaitingForPublisher => "waiting-for-publisher",
            Self::Live => "live",
            Self::Failed => "failed",
            Self::Canceled => "canceled",
            Self::Other(raw) => raw,
        }
    }
}
