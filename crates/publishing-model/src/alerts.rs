//! What the watcher tells a team: one look at an offer ([`Look`]) kept between polls, the
//! events two successive looks make ([`events`]), how they are held and grouped
//! ([`QuietHours`], [`batches`]) and the words and payloads each kind of channel gets
//! ([`Notice`]). Plain data: the proxy polls, stores and sends.

mod event;
mod look;
mod notice;
mod quiet;
mod runs;

pub use event::{events, AlertPolicy, Event, EventKind, Service};
pub use look::{Look, StepLook};
pub use notice::{email_subject, offer_link, Line, Notice};
pub use quiet::{batches, Pending, QuietHours};
pub use runs::{step_changes, step_statistics, Run, StepChange, StepStatistics};

/// A stable 64-bit hash (FNV-1a) of `text`, in hex: deduplication keys name a message by it.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
