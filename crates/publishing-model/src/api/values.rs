//! Values several documents share: timestamps, messages and links.

use crate::json::Json;
use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::lenient::{self, Fields};
use crate::status::MessageLevel;

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
        let parsed = crate::instant::parse_iso8601(trimmed);
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

impl Timestamp {
    /// From text (or a number written as text); `None` for any other JSON.
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        lenient::text(value).map(|raw| Self::parse(&raw))
    }
}

/// A message on an operation or a step. `html` is untrusted HTML from the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `messageHtml`: untrusted, must be sanitised before it is shown.
    #[serde(rename = "messageHtml")]
    pub html: Option<String>,
    /// `level`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<MessageLevel>,
    /// `timestamp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
}

impl Message {
    /// From an object; every field is optional.
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            html: f.text("messageHtml"),
            level: f.word("level"),
            timestamp: f.read("timestamp", Timestamp::from_json),
        })
    }
}

/// The messages property is documented as an "array of strings" but sent as objects: accept both.
pub(super) fn messages(value: Option<&Json<'_>>) -> Vec<Message> {
    lenient::list(value, |item| match item {
        Json::Object(_) => Message::from_json(item),
        other => lenient::text(other).map(|html| Message {
            html: Some(html),
            ..Message::default()
        }),
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

impl Link {
    /// A bare URL, or an object with a URL (`uri`, `url`, `href` or `link`) and a name
    /// (`displayText`, `name`, `text` or `title`; else the URL).
    pub(crate) fn from_json(value: &Json<'_>) -> Option<Self> {
        match value {
            Json::String(url) => Some(Self {
                text: url.to_string(),
                url: url.to_string(),
            }),
            Json::Object(_) => {
                let f = Fields::of(value)?;
                let field = |names: &[&str]| names.iter().find_map(|name| f.text(name));
                let url = field(&["uri", "url", "href", "link"])?;
                let text =
                    field(&["displayText", "name", "text", "title"]).unwrap_or_else(|| url.clone());
                Some(Self { text, url })
            }
            _ => None,
        }
    }
}
