//! Reading response bodies into documents, with errors that say which document and where.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::offer::{OfferStatus, OfferSummary, Publisher};
use super::operation::{OperationDetail, OperationSummary};
use crate::lenient;

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
