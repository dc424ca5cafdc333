//! The offer-level documents: an offer's status, listed offers and publishers.

use serde::{Deserialize, Serialize};

use super::operation::Step;
use super::values::{messages, Link, Message, Timestamp};
use crate::ids::{OfferId, PublisherId};
use crate::lenient;
use crate::status::PublishStatus;

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
