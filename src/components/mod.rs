//! Reusable pieces. A component renders the data it is given; it never fetches.

mod breadcrumbs;
mod cancel_control;
mod connection_form;
mod copy_id;
mod duration_strip;
mod error_panel;
mod eta_summary;
mod filter_bar;
mod header;
mod message_list;
mod operation_table;
mod refresh_bar;
mod skeleton;
mod status_badge;
mod time;
mod timeline;

pub use breadcrumbs::Breadcrumbs;
pub use cancel_control::CancelControl;
pub use connection_form::ConnectionForm;
pub use copy_id::CopyId;
pub use duration_strip::DurationStrip;
pub use error_panel::{ErrorPanel, StaleNotice};
pub use eta_summary::EtaSummary;
pub use filter_bar::FilterBar;
pub use header::Header;
pub use message_list::{MessageList, SafeHtml};
pub use operation_table::{OperationRow, OperationTable, PAGE as OPERATIONS_PAGE};
pub use refresh_bar::RefreshBar;
pub use skeleton::Skeleton;
pub use status_badge::StatusBadge;
pub use time::{local_time, RelativeTime};
pub use timeline::{step_views, StepTimeline, StepView};
