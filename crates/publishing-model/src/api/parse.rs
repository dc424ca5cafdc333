//! Reading response bodies into documents, with errors that say which document and where.

use std::fmt;

use serde::Serialize;

use super::offer::{OfferStatus, OfferSummary, Publisher};
use super::operation::{OperationDetail, OperationSummary};
use crate::json::{self, Json};
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

/// A response body's text, as the browser's `Response.text()` gives it: bad UTF-8 becomes
/// U+FFFD and a leading byte-order mark is dropped.
pub fn body_text(bytes: Vec<u8>) -> String {
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

pub(crate) fn read(document: Document, text: &str) -> Result<Json<'_>, ParseError> {
    json::parse(text).map_err(|e| ParseError {
        document,
        line: e.line,
        column: e.column,
        reason: if e.eof {
            "the response ended too early".to_owned()
        } else {
            e.reason.to_owned()
        },
    })
}

pub(crate) fn shape_error(document: Document, expected: &str, found: &Json<'_>) -> ParseError {
    ParseError {
        document,
        line: 1,
        column: 1,
        reason: format!("expected {expected}, found {}", found.kind()),
    }
}

fn list<T>(
    document: Document,
    text: &str,
    item: fn(&Json<'_>) -> Option<T>,
) -> Result<Vec<T>, ParseError> {
    let value = read(document, text)?;
    // Some gateways wrap lists as {"value": [...]}.
    match value.get("value").filter(|v| v.is_array()) {
        Some(items) => Ok(lenient::list(Some(items), item)),
        None if value.is_array() => Ok(lenient::list(Some(&value), item)),
        None => Err(shape_error(document, "a list", &value)),
    }
}

fn single<T>(
    document: Document,
    text: &str,
    object: fn(&Json<'_>) -> Option<T>,
) -> Result<T, ParseError> {
    let value = match read(document, text)? {
        // "GET operation" answers an array holding one object.
        Json::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        Json::Array(_) => {
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
    let value = json::parse(text).ok()?;
    let obj = value
        .get("error")
        .filter(|e| e.as_object().is_some())
        .unwrap_or(&value);
    let get = |k: &str| obj.get(k).and_then(lenient::text);
    let body = ApiErrorBody {
        code: get("code"),
        message: get("message").or_else(|| get("Message")),
    };
    (body.code.is_some() || body.message.is_some()).then_some(body)
}
