//! The CPP API's documents: operation summaries, operation detail, offer status, offers,
//! publishers and error bodies. Every field may be missing, null or of the wrong type; unknown
//! fields are ignored; a bad field never fails the whole document.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::ids::{OfferId, OperationId, PublisherId, StepId};
use crate::lenient;
use crate::status::{CancellationState, MessageLevel, PublishStatus};
use crate::time_frame::TimeFrame;

/// A timestamp as sent, with its parsed instant when it could be read. ISO 8601 with 0 to 9
/// fractional digits (the service sends 7), with or without a zone (no zone means UTC).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// The text as the service sent it.
    pub raw: String,
    /// The instant, when the text could be read.
    pub parsed: Option<DateTime<Utc>>,
}

impl Timestamp {
    /// Reads `raw`; never fails.
    pub fn parse(raw: &str) -> Self {
        let trimmed = raw.trim();
        let parsed = DateTime::parse_from_rfc3339(trimmed)
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|naive| naive.and_utc())
            });
        Self {
            raw: raw.to_owned(),
            parsed,
        }
    }

    /// A timestamp for an instant, written the way the service writes them.
    pub fn from_instant(at: DateTime<Utc>) -> Self {
        Self {
            raw: at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            parsed: Some(at),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = lenient::text(d)?.ok_or_else(|| serde::de::Error::custom("not a timestamp"))?;
        Ok(Self::parse(&raw))
    }
}

/// A message on an operation or a step. `html` is untrusted HTML from the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `messageHtml`: untrusted, must be sanitised before it is shown.
    #[serde(rename = "messageHtml", default, deserialize_with = "lenient::text")]
    pub html: Option<String>,
    /// `level`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub level: Option<MessageLevel>,
    /// `timestamp`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<Timestamp>,
}

/// The messages property is documented as an "array of strings" but sent as objects: accept both.
fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Message>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Object(_) => Message::deserialize(item).ok(),
                other => lenient::value_text(other).map(|html| Message {
                    html: Some(html),
                    ..Message::default()
                }),
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// A preview or live link. The reference calls these "not implemented"; accept a bare URL or
/// an object with a URL and a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// What to call the link.
    pub text: String,
    /// The URL as sent (still to be checked before it becomes an `href`).
    pub url: String,
}

impl Serialize for Link {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::json!({ "displayText": self.text, "uri": self.url }).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Link {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let field = |obj: &serde_json::Map<String, Value>, names: &[&str]| {
            names
                .iter()
                .find_map(|n| obj.get(*n).and_then(|v| lenient::value_text(v.clone())))
        };
        match Value::deserialize(d)? {
            Value::String(url) => Ok(Self {
                text: url.clone(),
                url,
            }),
            Value::Object(obj) => {
                let url = field(&obj, &["uri", "url", "href", "link"])
                    .ok_or_else(|| serde::de::Error::custom("a link needs a URL"))?;
                let text = field(&obj, &["displayText", "name", "text", "title"])
                    .unwrap_or_else(|| url.clone());
                Ok(Self { text, url })
            }
            _ => Err(serde::de::Error::custom("not a link")),
        }
    }
}

/// One publishing step (certification, provisioning, sign-off, live...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// `id`: `displaycertify`, `publisher-signoff`, `live`...
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<StepId>,
    /// `stepName`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub step_name: Option<String>,
    /// `description`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `status`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<PublishStatus>,
    /// `estimatedTimeFrame`; some steps have none.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_time_frame: Option<TimeFrame>,
    /// `progressPercentage`, clamped to 0..=100. A hint only: the status is the truth.
    #[serde(
        default,
        alias = "processPercentage",
        deserialize_with = "percent",
        skip_serializing_if = "Option::is_none"
    )]
    pub progress_percentage: Option<u8>,
    /// `messages`.
    #[serde(default, deserialize_with = "messages")]
    pub messages: Vec<Message>,
}

fn percent<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    let value = Value::deserialize(d)?;
    let number = match &value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse::<f64>().ok(),
        _ => None,
    };
    // Clamped to 0..=100 first, so the cast cannot truncate.
    Ok(number
        .filter(|n| n.is_finite())
        .map(|n| n.clamp(0.0, 100.0).round() as u8))
}

impl Step {
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OperationDefinition {
    /// `metadata`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<OperationMetadata>,
}

/// `definition.metadata` of an operation summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OperationMetadata {
    /// Notification e-mail addresses, comma separated.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub emails: Option<String>,
}

/// An operation as listed by the submissions endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OperationSummary {
    /// `id` (GUID).
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub id: OperationId,
    /// `offerId`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub offer_id: Option<OfferId>,
    /// `offerVersion`.
    #[serde(
        default,
        deserialize_with = "lenient::uint",
        skip_serializing_if = "Option::is_none"
    )]
    pub offer_version: Option<u64>,
    /// `offerTypeId`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub offer_type_id: Option<String>,
    /// `publisherId`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub publisher_id: Option<PublisherId>,
    /// `submissionType`: `publish`, `goLive`...
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub submission_type: Option<String>,
    /// `submissionState`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub submission_state: Option<PublishStatus>,
    /// `status` (named in the property table, absent from the sample).
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<PublishStatus>,
    /// `publishingVersion`.
    #[serde(
        default,
        deserialize_with = "lenient::uint",
        skip_serializing_if = "Option::is_none"
    )]
    pub publishing_version: Option<u64>,
    /// `slot`: `staging`, `production`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub slot: Option<String>,
    /// `version`: a .NET tick count above 2^53, kept exact.
    #[serde(
        default,
        deserialize_with = "lenient::uint",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<u64>,
    /// `definition`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub definition: Option<OperationDefinition>,
    /// `changedTime`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub changed_time: Option<Timestamp>,
    /// `createdDateTime`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_date_time: Option<Timestamp>,
    /// `lastActionDateTime`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_action_date_time: Option<Timestamp>,
    /// `error`: for failed operations; any shape, kept as text.
    #[serde(
        default,
        deserialize_with = "error_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub error: Option<String>,
}

fn error_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::Object(obj) => obj
            .get("message")
            .and_then(|m| lenient::value_text(m.clone()))
            .or_else(|| Some(Value::Object(obj).to_string())),
        other => lenient::value_text(other),
    })
}

impl OperationSummary {
    /// The operation's status: `status` when sent, else `submissionState`.
    pub fn effective_status(&self) -> PublishStatus {
        self.status
            .clone()
            .or_else(|| self.submission_state.clone())
            .unwrap_or_else(|| PublishStatus::Other("unknown".into()))
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OperationDetail {
    /// `id`, when the service includes it.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<OperationId>,
    /// `submissionType`, when included.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub submission_type: Option<String>,
    /// `slot`, when included.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub slot: Option<String>,
    /// `status`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<PublishStatus>,
    /// `messages`.
    #[serde(default, deserialize_with = "messages")]
    pub messages: Vec<Message>,
    /// `publishingVersion`.
    #[serde(
        default,
        deserialize_with = "lenient::uint",
        skip_serializing_if = "Option::is_none"
    )]
    pub publishing_version: Option<u64>,
    /// `offerVersion`.
    #[serde(
        default,
        deserialize_with = "lenient::uint",
        skip_serializing_if = "Option::is_none"
    )]
    pub offer_version: Option<u64>,
    /// `cancellationRequestState`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub cancellation_request_state: Option<CancellationState>,
    /// `changedTime`, when included.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub changed_time: Option<Timestamp>,
    /// `steps`, in the order the service sent them.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub steps: Vec<Step>,
    /// `previewLinks`.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub preview_links: Vec<Link>,
    /// `liveLinks`.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub live_links: Vec<Link>,
}

impl OperationDetail {
    /// True when the service says the operation can still be canceled.
    pub fn can_cancel(&self) -> bool {
        self.cancellation_request_state == Some(CancellationState::CanCancel)
    }
}

/// The offer's current status (`GET .../status`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferStatus {
    /// `status`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<PublishStatus>,
    /// `messages`.
    #[serde(default, deserialize_with = "messages")]
    pub messages: Vec<Message>,
    /// `steps`, in the order the service sent them.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub steps: Vec<Step>,
    /// `previewLinks`.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub preview_links: Vec<Link>,
    /// `liveLinks`.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub live_links: Vec<Link>,
    /// `notificationEmails`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub notification_emails: Option<String>,
}

/// `definition` of an offer or a publisher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DisplayDefinition {
    /// `displayText`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_text: Option<String>,
    /// `sellerId` (publishers).
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub seller_id: Option<String>,
}

/// An offer as listed by `GET /api/publishers/{publisherId}/offers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferSummary {
    /// `id`: the offer's name in URLs.
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub id: OfferId,
    /// `offerTypeId`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub offer_type_id: Option<String>,
    /// `publisherId`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub publisher_id: Option<PublisherId>,
    /// `status` (`published` is seen in practice though undocumented).
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<PublishStatus>,
    /// `version`.
    #[serde(
        default,
        deserialize_with = "lenient::uint",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<u64>,
    /// `definition`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub definition: Option<DisplayDefinition>,
    /// `changedTime`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub changed_time: Option<Timestamp>,
    /// `pcMigrationStatus`: `none`, `migrated`.
    #[serde(
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub pc_migration_status: Option<String>,
}

impl OfferSummary {
    /// The offer's display name, or its id.
    pub fn display_name(&self) -> &str {
        self.definition
            .as_ref()
            .and_then(|d| d.display_text.as_deref())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(self.id.as_str())
    }
}

/// A publisher the token can see (`GET /api/publishers`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Publisher {
    /// `id`.
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub id: PublisherId,
    /// `definition`.
    #[serde(
        default,
        deserialize_with = "lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub definition: Option<DisplayDefinition>,
}

impl Publisher {
    /// The publisher's display name, or its id.
    pub fn display_name(&self) -> &str {
        self.definition
            .as_ref()
            .and_then(|d| d.display_text.as_deref())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(self.id.as_str())
    }
}

/// `{"error": {"code": "...", "message": "..."}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApiErrorBody {
    /// `error.code`.
    pub code: Option<String>,
    /// `error.message`.
    pub message: Option<String>,
}

/// Which document failed to parse, so the message can say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// The list of operations.
    OperationList,
    /// One operation.
    Operation,
    /// The offer status.
    OfferStatus,
    /// The list of offers.
    OfferList,
    /// The list of publishers.
    PublisherList,
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OperationList => "the list of operations",
            Self::Operation => "the operation",
            Self::OfferStatus => "the offer status",
            Self::OfferList => "the list of offers",
            Self::PublisherList => "the list of publishers",
        })
    }
}

/// A response that could not be read, with where it went wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("could not read {document}: {reason} (line {line}, column {column})")]
pub struct ParseError {
    /// Which document.
    pub document: Document,
    /// 1-based line; 0 when the position is not known.
    pub line: usize,
    /// 1-based column; 0 when the position is not known.
    pub column: usize,
    /// What was wrong.
    pub reason: String,
}

fn read(document: Document, text: &str) -> Result<Value, ParseError> {
    serde_json::from_str(text).map_err(|e| ParseError {
        document,
        line: e.line(),
        column: e.column(),
        reason: match e.classify() {
            serde_json::error::Category::Eof => "the response ended too early".to_owned(),
            _ => {
                let full = e.to_string();
                full.split(" at line ").next().unwrap_or(&full).to_owned()
            }
        },
    })
}

fn shape_error(document: Document, expected: &str, found: &Value) -> ParseError {
    let found = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    ParseError {
        document,
        line: 1,
        column: 1,
        reason: format!("expected {expected}, found {found}"),
    }
}

fn list<T: serde::de::DeserializeOwned>(
    document: Document,
    text: &str,
) -> Result<Vec<T>, ParseError> {
    match read(document, text)? {
        // Some gateways wrap lists as {"value": [...]}.
        Value::Object(mut obj) if obj.get("value").is_some_and(Value::is_array) => {
            let items = obj.remove("value").unwrap_or_default();
            Ok(lenient_items(items))
        }
        Value::Array(items) => Ok(lenient_items(Value::Array(items))),
        other => Err(shape_error(document, "a list", &other)),
    }
}

fn lenient_items<T: serde::de::DeserializeOwned>(items: Value) -> Vec<T> {
    match items {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| T::deserialize(i).ok())
            .collect(),
        _ => Vec::new(),
    }
}

fn single<T: serde::de::DeserializeOwned>(document: Document, text: &str) -> Result<T, ParseError> {
    let value = match read(document, text)? {
        // "GET operation" answers an array holding one object.
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        Value::Array(_) => {
            return Err(ParseError {
                document,
                line: 1,
                column: 1,
                reason: "the response was an empty list".to_owned(),
            })
        }
        other => other,
    };
    if !value.is_object() {
        return Err(shape_error(document, "an object", &value));
    }
    // Every field is lenient, so an object always deserializes.
    T::deserialize(value).map_err(|e| ParseError {
        document,
        line: 0,
        column: 0,
        reason: e.to_string(),
    })
}

/// Parses the submissions list. Elements that are not objects are skipped.
pub fn parse_operations(text: &str) -> Result<Vec<OperationSummary>, ParseError> {
    list(Document::OperationList, text)
}

/// Parses one operation: an array of one object or a bare object.
pub fn parse_operation(text: &str) -> Result<OperationDetail, ParseError> {
    single(Document::Operation, text)
}

/// Parses an offer status.
pub fn parse_offer_status(text: &str) -> Result<OfferStatus, ParseError> {
    single(Document::OfferStatus, text)
}

/// Parses the offers list.
pub fn parse_offers(text: &str) -> Result<Vec<OfferSummary>, ParseError> {
    list(Document::OfferList, text)
}

/// Parses the publishers list.
pub fn parse_publishers(text: &str) -> Result<Vec<Publisher>, ParseError> {
    list(Document::PublisherList, text)
}

/// Reads `{"error": {"code", "message"}}` (or a bare `{"code", "message"}`) from an error
/// response; `None` when the body says nothing useful.
pub fn parse_error_body(text: &str) -> Option<ApiErrorBody> {
    let value: Value = serde_json::from_str(text).ok()?;
    let obj = value
        .get("error")
        .filter(|e| e.is_object())
        .unwrap_or(&value);
    let get = |k: &str| obj.get(k).cloned().and_then(lenient::value_text);
    let body = ApiErrorBody {
        code: get("code"),
        message: get("message").or_else(|| get("Message")),
    };
    (body.code.is_some() || body.message.is_some()).then_some(body)
}
