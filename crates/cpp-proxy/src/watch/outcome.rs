//! What one delivery attempt came to, whatever the channel: the outbox's rules read it.

use std::time::Duration;

/// What an attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: done.
    Delivered(u16),
    /// 429, 5xx, a timeout or a refused connection: again later, not before `retry_after`
    /// when the receiver said so.
    Retry {
        /// The receiver's status, when it answered.
        status: Option<u16>,
        /// Why, in words.
        why: String,
        /// `Retry-After`, when given.
        retry_after: Option<Duration>,
    },
    /// 410 Gone: the channel is disabled.
    Gone,
    /// Any other 4xx: this message is dead.
    Refused(u16),
}
