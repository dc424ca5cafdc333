//! An operation in time: when each step really ran, what is expected of the rest, whether a
//! step is late or stuck, and how it all lies on one axis.

mod health;
mod layout;
mod operation;
mod plan;
mod ticks;
mod times;
mod watch;
mod words;

pub use health::{
    first_error, headline_status, step_health, stopped_since, StepHealth, DEFAULT_QUIET_LIMIT,
};
pub use layout::{layout, Bar, Layout, Span};
pub use operation::{operation_timeline, OperationTimeline};
pub use plan::{for_operation, is_sign_off, plan, stated_ranges, Outlook, Plan, StepPlan};
pub use ticks::{ticks, Offset, Tick, TickUnit};
pub use times::{step_times, KnownTime, StepTimes};
pub use watch::{step_key, StepRecord, WatchLog, WatchedOperation};
pub use words::{ahead_words, EndWords, StartWords};
