//! The CPP API's documents: operation summaries, operation detail, offer status, offers,
//! publishers and error bodies. Every field may be missing, null or of the wrong type; unknown
//! fields are ignored; a bad field never fails the whole document.

mod offer;
mod operation;
pub(crate) mod parse;
mod values;

pub use offer::{DisplayDefinition, OfferStatus, OfferSummary, Publisher};
pub use operation::{
    submission_type_label, OperationDefinition, OperationDetail, OperationMetadata,
    OperationSummary, Step,
};
pub use parse::{
    body_text, parse_error_body, parse_offer_status, parse_offers, parse_operation,
    parse_operations, parse_publishers, ApiErrorBody, Document, ParseError,
};
pub use values::{Link, Message, Timestamp};
