//! The offer-level documents: an offer's status, listed offers and publishers.

use crate::json::Json;
use serde::Serialize;

use super::operation::Step;
use super::values::{messages, Link, Message, Timestamp};
use crate::ids::{OfferId, PublisherId};
use crate::lenient::Fields;
use crate::status::PublishStatus;

/// The offer's current status (`GET .../status`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferStatus {
    /// `status`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PublishStatus>,
    /// `messages`.
    pub messages: Vec<Message>,
    /// `steps`, in the order the service sent them.
    pub steps: Vec<Step>,
    /// `previewLinks`.
    pub preview_links: Vec<Link>,
    /// `liveLinks`.
    pub live_links: Vec<Link>,
    /// `notificationEmails`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_emails: Option<String>,
}

impl OfferStatus {
    /// The offer's current publish as the operation it describes (no id: the status document
    /// names none), for everything that reads operations: the timeline, support details.
    pub fn as_operation(&self) -> super::operation::OperationDetail {
        super::operation::OperationDetail {
            status: self.status.clone(),
            messages: self.messages.clone(),
            steps: self.steps.clone(),
            preview_links: self.preview_links.clone(),
            live_links: self.live_links.clone(),
            ..Default::default()
        }
    }

    /// True while the offer's publish or any of its steps runs or waits: worth polling.
    pub fn is_active(&self) -> bool {
        super::operation::any_active(self.status.as_ref(), &self.steps)
    }

    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            status: f.word("status"),
            messages: messages(f.get("messages")),
            steps: f.list("steps", Step::from_json),
            preview_links: f.list("previewLinks", Link::from_json),
            live_links: f.list("liveLinks", Link::from_json),
            notification_emails: f.text("notificationEmails"),
        })
    }
}

/// `definition` of an offer or a publisher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DisplayDefinition {
    /// `displayText`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_text: Option<String>,
    /// `sellerId` (publishers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<String>,
}

/// An offer as listed by `GET /api/publishers/{publisherId}/offers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferSummary {
    /// `id`: the offer's name in URLs.
    pub id: OfferId,
    /// `offerTypeId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_type_id: Option<String>,
    /// `publisherId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher_id: Option<PublisherId>,
    /// `status` (`published` is seen in practice though undocumented).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PublishStatus>,
    /// `version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// `definition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<DisplayDefinition>,
    /// `changedTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_time: Option<Timestamp>,
    /// `pcMigrationStatus`: `none`, `migrated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pc_migration_status: Option<String>,
    /// `pcRedirectUri`: where a migrated offer is managed now (Partner Center).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pc_redirect_uri: Option<String>,
}

impl DisplayDefinition {
    fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            display_text: f.text("displayText"),
            seller_id: f.text("sellerId"),
        })
    }
}

impl OfferSummary {
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            id: OfferId(f.text("id").unwrap_or_default()),
            offer_type_id: f.text("offerTypeId"),
            publisher_id: f.text("publisherId").map(PublisherId),
            status: f.word("status"),
            version: f.uint("version"),
            definition: f.read("definition", DisplayDefinition::from_json),
            changed_time: f.read("changedTime", Timestamp::from_json),
            pc_migration_status: f.text("pcMigrationStatus"),
            pc_redirect_uri: f.text("pcRedirectUri"),
        })
    }

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct Publisher {
    /// `id`.
    pub id: PublisherId,
    /// `definition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<DisplayDefinition>,
}

impl Publisher {
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            id: PublisherId(f.text("id").unwrap_or_default()),
            definition: f.read("definition", DisplayDefinition::from_json),
        })
    }

    /// The publisher's display name, or its id.
    pub fn display_name(&self) -> &str {
        self.definition
            .as_ref()
            .and_then(|d| d.display_text.as_deref())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(self.id.as_str())
    }
}
