//! Reading response bodies into documents, with errors that say which document and where.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::offer::{OfferStatus, OfferSummary, Publisher};
use super::operation::{OperationDetail, OperationSummary};
use crate::lenient;

/// `{"error": {"code": "...", "message": "..."}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
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
    /// Product Ingestion: a page of products.
    ProductList,
    /// Product Ingestion: a product's submissions.
    SubmissionList,
    /// Product Ingestion: a configure job's status.
    ConfigureJob,
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OperationList => "the list of operations",
            Self::Operation => "the operation",
            Self::OfferStatus => "the offer status",
            Self::OfferList => "the list of offers",
            Self::PublisherList => "the list of publishers",
            Self::ProductList => "the list of products",
            Self::SubmissionList => "the list of submissions",
            Self::ConfigureJob => "the configure job's status",
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

pub(crate) fn read(document: Document, text: &str) -> Result<Value, ParseError> {
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

pub(crate) fn shape_error(document: Document, expected: &str, found: &Value) -> ParseError {
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

fn list<T>(
    document: Document,
    text: &str,
    item: fn(&Value) -> Option<T>,
) -> Result<Vec<T>, ParseError> {
    match read(document, text)? {
        // Some gateways wrap lists as {"value": [...]}.
        Value::Object(obj) if obj.get("value").is_some_and(Value::is_array) => {
            Ok(lenient::list(obj.get("value"), item))
        }
        items @ Value::Array(_) => Ok(lenient::list(Some(&items), item)),
        other => Err(shape_error(document, "a list", &other)),
    }
}

fn single<T>(
    document: Document,
    text: &str,
    object: fn(&Value) -> Option<T>,
) -> Result<T, ParseError> {
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
    // Every field is lenient, so any object reads.
    object(&value).ok_or_else(|| shape_error(document, "an object", &value))
}

/// Parses the submissions list. Elements that are not objects are skipped.
pub fn parse_operations(text: &str) -> Result<Vec<OperationSummary>, ParseError> {
    list(Document::OperationList, text, OperationSummary::from_json)
}

/// Parses one operation: an array of one object or a bare object.
pub fn parse_operation(text: &str) -> Result<OperationDetail, ParseError> {
    single(Document::Operation, text, OperationDetail::from_json)
}

/// Parses an offer status.
pub fn parse_offer_status(text: &str) -> Result<OfferStatus, ParseError> {
    single(Document::OfferStatus, text, OfferStatus::from_json)
}

/// Parses the offers list.
pub fn parse_offers(text: &str) -> Result<Vec<OfferSummary>, ParseError> {
    list(Document::OfferList, text, OfferSummary::from_json)
}

/// Parses the publishers list.
pub fn parse_publishers(text: &str) -> Result<Vec<Publisher>, ParseError> {
    list(Document::PublisherList, text, Publisher::from_json)
}

/// Reads `{"error": {"code", "message"}}` (or a bare `{"code", "message"}`) from an error
/// response; `None` when the body says nothing useful.
pub fn parse_error_body(text: &str) -> Option<ApiErrorBody> {
    let value: Value = serde_json::from_str(text).ok()?;
    let obj = value
        .get("error")
        .filter(|e| e.is_object())
        .unwrap_or(&value);
    let get = |k: &str| obj.get(k).and_then(lenient::text);
    let body = ApiErrorBody {
        code: get("code"),
        message: get("message").or_else(|| get("Message")),
    };
    (body.code.is_some() || body.message.is_some()).then_some(body)
}
