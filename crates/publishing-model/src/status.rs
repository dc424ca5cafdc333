//! What the service's status words mean. The documents disagree on spelling (`notStarted`,
//! `NotStarted`, `not started`) and on synonyms (`complete`, `completed`, `succeeded`), so
//! values are compared ignoring case, spaces, hyphens and underscores, and any word never
//! seen before is kept verbatim as `Other`: shown as it came, never a parse error.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Lower-case with spaces, hyphens and underscores removed: the key two spellings share.
pub fn normalize(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '\t'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The status of an operation, an offer or a step, across every document's vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PublishStatus {
    /// `notStarted`, `not started`.
    NotStarted,
    /// `NeverPublished` (offer status).
    NeverPublished,
    /// `running`, `InProgress`.
    Running,
    /// `WaitingForPublisherReview`: the publisher must sign off.
    WaitingForPublisherReview,
    /// `WaitingForApproval`: waiting on Microsoft.
    WaitingForApproval,
    /// `blocked`: cannot continue until something is fixed.
    Blocked,
    /// `Rejected`.
    Rejected,
    /// `failed`.
    Failed,
    /// `complete`, `completed`, `succeeded`.
    Completed,
    /// `canceled`, `cancelled`.
    Canceled,
    /// A word never seen before, exactly as the service sent it.
    Other(String),
}

impl PublishStatus {
    /// Canonical spelling of a known status, or the raw text of an unknown one.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NotStarted => "notStarted",
            Self::NeverPublished => "neverPublished",
            Self::Running => "running",
            Self::WaitingForPublisherReview => "waitingForPublisherReview",
            Self::WaitingForApproval => "waitingForApproval",
            Self::Blocked => "blocked",
            Self::Rejected => "rejected",
            Self::Failed => "failed",
            Self::Completed => "completed",
            Self::Canceled => "canceled",
            Self::Other(raw) => raw,
        }
    }

    /// Words for a publisher.
    pub fn label(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Self::NotStarted => "Not started",
            Self::NeverPublished => "Never published",
            Self::Running => "Running",
            Self::WaitingForPublisherReview => "Waiting for your sign-off",
            Self::WaitingForApproval => "Waiting for approval",
            Self::Blocked => "Blocked",
            Self::Rejected => "Rejected",
            Self::Failed => "Failed",
            Self::Completed => "Completed",
            Self::Canceled => "Canceled",
            Self::Other(raw) => return Cow::Owned(raw.trim().to_owned()),
        })
    }

    /// The visual kind the UI shows for this status.
    pub fn kind(&self) -> StatusKind {
        match self {
            Self::NotStarted | Self::NeverPublished => StatusKind::NotStarted,
            Self::Running => StatusKind::Running,
            Self::WaitingForPublisherReview => StatusKind::WaitingForPublisher,
            Self::WaitingForApproval => StatusKind::Running,
            Self::Blocked => StatusKind::Blocked,
            Self::Rejected | Self::Failed => StatusKind::Failed,
            Self::Completed => StatusKind::Succeeded,
            Self::Canceled => StatusKind::Canceled,
            Self::Other(_) => StatusKind::Unknown,
        }
    }

    /// The key filters and counts group by: known statuses by meaning, unknown ones by
    /// their normalized spelling.
    pub fn key(&self) -> String {
        match self {
            Self::Other(raw) => normalize(raw),
            known => normalize(known.as_str()),
        }
    }
}

impl FromStr for PublishStatus {
    type Err = Infallible;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Ok(match normalize(raw).as_str() {
            "notstarted" => Self::NotStarted,
            "neverpublished" => Self::NeverPublished,
            "running" | "inprogress" => Self::Running,
            "waitingforpublisherreview" => Self::WaitingForPublisherReview,
            "waitingforapproval" => Self::WaitingForApproval,
            "blocked" => Self::Blocked,
            "rejected" => Self::Rejected,
            "failed" => Self::Failed,
            "complete" | "completed" | "succeeded" => Self::Completed,
            "canceled" | "cancelled" => Self::Canceled,
            _ => Self::Other(raw.to_owned()),
        })
    }
}

/// The visual kinds of status; every status maps to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKind {
    /// Not started yet.
    NotStarted,
    /// In progress on Microsoft's side.
    Running,
    /// The publisher has to act (sign-off).
    WaitingForPublisher,
    /// Stopped until something is fixed.
    Blocked,
    /// Failed or rejected.
    Failed,
    /// Done.
    Succeeded,
    /// Canceled.
    Canceled,
    /// A status the dashboard does not know.
    Unknown,
}

impl StatusKind {
    /// True when a step of this kind has stopped running for good (completed, failed or
    /// canceled).
    pub fn has_ended(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Canceled)
    }

    /// Every kind, in display order.
    pub const ALL: [StatusKind; 8] = [
        Self::Running,
        Self::WaitingForPublisher,
        Self::Blocked,
        Self::Failed,
        Self::NotStarted,
        Self::Succeeded,
        Self::Canceled,
        Self::Unknown,
    ];

    /// Stable, CSS-safe name (`waiting-for-publisher`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::NotStarted => "not-started",
            Self::Running => "running",
            Self::WaitingForPublisher => "waiting-for-publisher",
            Self::Blocked => "blocked",
            Self::Failed => "failed",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
            Self::Unknown => "unknown",
        }
    }

    /// The CSS modifier class of a status badge for this kind.
    pub fn badge_class(self) -> String {
        format!("status-badge status-badge--{}", self.slug())
    }

    /// A glyph so the kind never depends on colour alone.
    pub fn icon(self) -> &'static str {
        match self {
            Self::NotStarted => "○",
            Self::Running => "◔",
            // Glyphs common fonts have: emoji (✋, ⛔) render as empty boxes on many systems.
            Self::WaitingForPublisher => "‖",
            Self::Blocked => "!",
            Self::Failed => "✕",
            Self::Succeeded => "✓",
            Self::Canceled => "⊘",
            Self::Unknown => "?",
        }
    }

    /// True while the service is still working or waiting: worth polling.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Running | Self::WaitingForPublisher)
    }
}

impl fmt::Display for PublishStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Severity of a message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MessageLevel {
    /// `information`, `info`.
    Information,
    /// `warning`.
    Warning,
    /// `error`.
    Error,
    /// Anything else, verbatim.
    Other(String),
}

impl MessageLevel {
    /// Canonical spelling, or the raw text of an unknown level.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Information => "information",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Other(raw) => raw,
        }
    }

    /// CSS-safe modifier.
    pub fn slug(&self) -> &'static str {
        match self {
            Self::Information => "information",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Other(_) => "other",
        }
    }
}

impl FromStr for MessageLevel {
    type Err = Infallible;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Ok(match normalize(raw).as_str() {
            "information" | "info" | "informational" => Self::Information,
            "warning" | "warn" => Self::Warning,
            "error" | "critical" => Self::Error,
            _ => Self::Other(raw.to_owned()),
        })
    }
}

impl fmt::Display for MessageLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Information => "Info",
            Self::Warning => "Warning",
            Self::Error => "Error",
            Self::Other(raw) => raw,
        })
    }
}

/// Whether the running operation can still be canceled (only before publisher sign-off).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CancellationState {
    /// `canCancel`.
    CanCancel,
    /// `cannotCancel`.
    CannotCancel,
    /// Anything else, verbatim.
    Other(String),
}

impl CancellationState {
    /// Canonical spelling, or the raw text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::CanCancel => "canCancel",
            Self::CannotCancel => "cannotCancel",
            Self::Other(raw) => raw,
        }
    }
}

impl FromStr for CancellationState {
    type Err = Infallible;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Ok(match normalize(raw).as_str() {
            "cancancel" => Self::CanCancel,
            "cannotcancel" | "notcancellable" | "notcancelable" => Self::CannotCancel,
            _ => Self::Other(raw.to_owned()),
        })
    }
}

impl fmt::Display for CancellationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CanCancel => "Can be canceled",
            Self::CannotCancel => "Can no longer be canceled",
            Self::Other(raw) => raw,
        })
    }
}

macro_rules! serde_via_str {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = Cow::<str>::deserialize(d)?;
                // FromStr is infallible: unknown words become `Other`.
                Ok(raw.parse().unwrap_or_else(|never: Infallible| match never {}))
            }
        }
    )*};
}

serde_via_str!(PublishStatus, MessageLevel, CancellationState);
