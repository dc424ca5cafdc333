//! The operation documents: a listed operation, one operation with its steps, and a step.

use crate::json::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::values::{messages, Link, Message, Timestamp};
use crate::ids::{OfferId, OperationId, PublisherId, StepId};
use crate::lenient::{self, Fields};
use crate::status::{CancellationState, PublishStatus};
use crate::time_frame::TimeFrame;

/// One publishing step (certification, provisioning, sign-off, live...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// `id`: `displaycertify`, `publisher-signoff`, `live`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<StepId>,
    /// `stepName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_name: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `status`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PublishStatus>,
    /// `estimatedTimeFrame`; some steps have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_time_frame: Option<TimeFrame>,
    /// `progressPercentage`, clamped to 0..=100. A hint only: the status is the truth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_percentage: Option<u8>,
    /// `messages`.
    pub messages: Vec<Message>,
}

/// A percentage from a number or text ("45", "45 %"), clamped to 0..=100.
fn percent(value: &Json<'_>) -> Option<u8> {
    let number = match value {
        Json::Number(_) => value.as_f64(),
        Json::String(s) => crate::decimal::parse_f64(s.trim().trim_end_matches('%').trim()),
        _ => None,
    };
    // Clamped to 0..=100 first, so the cast cannot truncate.
    number
        .filter(|n| n.is_finite())
        .map(|n| n.clamp(0.0, 100.0).round() as u8)
}

impl Step {
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            id: f.text("id").map(StepId),
            step_name: f.text("stepName"),
            description: f.text("description"),
            status: f.word("status"),
            estimated_time_frame: f.text("estimatedTimeFrame").map(|t| TimeFrame::parse(&t)),
            progress_percentage: f
                .first(&["progressPercentage", "processPercentage"])
                .and_then(percent),
            messages: messages(f.get("messages")),
        })
    }

    /// The step's name, or its id, or a placeholder word.
    pub fn display_name(&self) -> &str {
        self.step_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .or(self.id.as_ref().map(StepId::as_str))
            .unwrap_or("Unnamed step")
    }

    /// The step's status, `Other("unknown")` when missing.
    pub fn status_or_unknown(&self) -> PublishStatus {
        self.status
            .clone()
            .unwrap_or_else(|| PublishStatus::Other("unknown".into()))
    }
}

/// `definition.metadata.emails` of an operation summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct OperationDefinition {
    /// `metadata`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<OperationMetadata>,
}

/// `definition.metadata` of an operation summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct OperationMetadata {
    /// Notification e-mail addresses, comma separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emails: Option<String>,
}

/// An operation as listed by the submissions endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OperationSummary {
    /// `id` (GUID).
    pub id: OperationId,
    /// `offerId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<OfferId>,
    /// `offerVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_version: Option<u64>,
    /// `offerTypeId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_type_id: Option<String>,
    /// `publisherId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher_id: Option<PublisherId>,
    /// `submissionType`: `publish`, `goLive`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission_type: Option<String>,
    /// `submissionState`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission_state: Option<PublishStatus>,
    /// `status` (named in the property table, absent from the sample).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PublishStatus>,
    /// `publishingVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publishing_version: Option<u64>,
    /// `slot`: `staging`, `production`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// `version`: a .NET tick count above 2^53, kept exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// `definition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<OperationDefinition>,
    /// `changedTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_time: Option<Timestamp>,
    /// `createdDateTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<Timestamp>,
    /// `lastActionDateTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_action_date_time: Option<Timestamp>,
    /// `error`: for failed operations; any shape, kept as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `error` in any shape: its `message`, else the object as JSON, else the value as text.
fn error_text(value: &Json<'_>) -> Option<String> {
    match value {
        Json::Object(obj) => obj
            .get("message")
            .and_then(lenient::text)
            .or_else(|| Some(value.to_string())),
        other => lenient::text(other),
    }
}

impl OperationDefinition {
    fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            metadata: f.read("metadata", |m| {
                Some(OperationMetadata {
                    emails: Fields::of(m)?.text("emails"),
                })
            }),
        })
    }
}

impl OperationSummary {
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            id: OperationId(f.text("id").unwrap_or_default()),
            offer_id: f.text("offerId").map(OfferId),
            offer_version: f.uint("offerVersion"),
            offer_type_id: f.text("offerTypeId"),
            publisher_id: f.text("publisherId").map(PublisherId),
            submission_type: f.text("submissionType"),
            submission_state: f.word("submissionState"),
            status: f.word("status"),
            publishing_version: f.uint("publishingVersion"),
            slot: f.text("slot"),
            version: f.uint("version"),
            definition: f.read("definition", OperationDefinition::from_json),
            changed_time: f.read("changedTime", Timestamp::from_json),
            created_date_time: f.read("createdDateTime", Timestamp::from_json),
            last_action_date_time: f.read("lastActionDateTime", Timestamp::from_json),
            error: f.read("error", error_text),
        })
    }

    /// The operation's status: `status` when sent, else `submissionState`.
    pub fn effective_status(&self) -> PublishStatus {
        self.status
            .clone()
            .or_else(|| self.submission_state.clone())
            .unwrap_or_else(|| PublishStatus::Other("unknown".into()))
    }

    /// True while the operation runs or waits for the publisher: worth polling.
    pub fn is_active(&self) -> bool {
        self.effective_status().kind().is_active()
    }

    /// When the operation began (`createdDateTime`), when the service says.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.created_date_time.as_ref()?.parsed
    }

    /// How long it ran: to `now` while it is active, else to its last change
    /// (`changedTime`, else `lastActionDateTime`). `None` when either end is unknown (a
    /// finished Product Ingestion submission states no end) or the ends are out of order.
    pub fn duration(&self, now: DateTime<Utc>) -> Option<chrono::TimeDelta> {
        let start = self.started_at()?;
        let end = if self.is_active() {
            now
        } else {
            [&self.changed_time, &self.last_action_date_time]
                .into_iter()
                .find_map(|t| t.as_ref().and_then(|t| t.parsed))?
        };
        (end >= start).then(|| end - start)
    }

    /// The latest instant known for the operation, for sorting newest first.
    pub fn changed_at(&self) -> Option<DateTime<Utc>> {
        [
            &self.changed_time,
            &self.last_action_date_time,
            &self.created_date_time,
        ]
        .into_iter()
        .find_map(|t| t.as_ref().and_then(|t| t.parsed))
    }

    /// The notification e-mails from `definition.metadata.emails`.
    pub fn emails(&self) -> Option<&str> {
        self.definition
            .as_ref()?
            .metadata
            .as_ref()?
            .emails
            .as_deref()
    }
}

/// One operation with its steps (`GET .../operations/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OperationDetail {
    /// `id`, when the service includes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<OperationId>,
    /// `submissionType`, when included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission_type: Option<String>,
    /// `slot`, when included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// `status`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PublishStatus>,
    /// `messages`.
    pub messages: Vec<Message>,
    /// `publishingVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publishing_version: Option<u64>,
    /// `offerVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_version: Option<u64>,
    /// `cancellationRequestState`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_request_state: Option<CancellationState>,
    /// `changedTime`, when included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_time: Option<Timestamp>,
    /// `steps`, in the order the service sent them.
    pub steps: Vec<Step>,
    /// `previewLinks`.
    pub preview_links: Vec<Link>,
    /// `liveLinks`.
    pub live_links: Vec<Link>,
}

impl OperationDetail {
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            id: f.text("id").map(OperationId),
            submission_type: f.text("submissionType"),
            slot: f.text("slot"),
            status: f.word("status"),
            messages: messages(f.get("messages")),
            publishing_version: f.uint("publishingVersion"),
            offer_version: f.uint("offerVersion"),
            cancellation_request_state: f.word("cancellationRequestState"),
            changed_time: f.read("changedTime", Timestamp::from_json),
            steps: f.list("steps", Step::from_json),
            preview_links: f.list("previewLinks", Link::from_json),
            live_links: f.list("liveLinks", Link::from_json),
        })
    }

    /// True when the service says the operation can still be canceled.
    pub fn can_cancel(&self) -> bool {
        self.cancellation_request_state == Some(CancellationState::CanCancel)
    }

    /// True while the operation or any of its steps runs or waits: worth polling.
    pub fn is_active(&self) -> bool {
        any_active(self.status.as_ref(), &self.steps)
    }
}

/// True when a status, or any step's, runs or waits for the publisher.
pub fn any_active(status: Option<&PublishStatus>, steps: &[Step]) -> bool {
    status.is_some_and(|s| s.kind().is_active())
        || steps
            .iter()
            .any(|s| s.status_or_unknown().kind().is_active())
}

/// Words for a submission type: `publish` reads "Publish", `goLive` "Go live"; any other type
/// is split the same way (camelCase, `_`, `-`) rather than hidden. Types are ASCII words:
/// letters beyond ASCII keep the case they were sent in.
pub fn submission_type_label(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 4);
    let mut after_lower = false;
    for ch in raw.trim().chars() {
        if ch == '_' || ch == '-' || ch.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            after_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && after_lower {
            out.push(' ');
        }
        if out.is_empty() {
            out.push(ch.to_ascii_uppercase());
        } else {
            out.push(ch.to_ascii_lowercase());
        }
        // A letter beyond ASCII counts as lower case: "étéLive" splits before the L.
        after_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit() || !ch.is_ascii();
    }
    out.truncate(out.trim_end().len());
    out
}
