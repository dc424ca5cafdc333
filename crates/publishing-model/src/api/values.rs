//! Values several documents share: timestamps, messages and links.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::lenient;
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
pub(super) fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Message>, D::Error> {
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
