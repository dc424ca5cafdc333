//! The Cloud Partner Portal publishing model: API types, what statuses mean, estimated time
//! frames, projections, timelines, filtering, retry timing and a deterministic simulated world.
//!
//! Plain data and pure functions only: no I/O, no browser types, no hidden clock and no
//! hidden randomness. `now` and seeds are always arguments.

pub mod alerts;
pub mod api;
pub mod attention;
pub mod base64;
pub mod changes;
pub mod compare;
pub mod decimal;
pub mod export;
pub mod feed;
pub mod filter;
pub mod history;
pub mod i18n;
pub mod ids;
pub mod ingestion;
pub mod instant;
pub mod json;
mod lenient;
pub mod markup;
pub mod overview;
pub mod percent;
pub mod polling;
pub mod retry;
pub mod route;
pub mod sign_in;
pub mod sim;
pub mod standing;
pub mod status;
pub mod support;
pub mod time_frame;
pub mod timeline;
pub mod token;
pub mod watching;

pub use api::{
    submission_type_label, ApiErrorBody, Document, Link, Message, OfferStatus, OfferSummary,
    OperationDetail, OperationSummary, ParseError, Publisher, Step, Timestamp,
};
pub use filter::{OperationIndex, StatusCount, StatusFilter};
pub use ids::{short_id, JobId, OfferId, OperationId, ProductId, PublisherId, StepId};
pub use standing::Standing;
pub use status::{CancellationState, MessageLevel, PublishStatus, StatusKind};
pub use time_frame::{TimeFrame, TimeRange};
