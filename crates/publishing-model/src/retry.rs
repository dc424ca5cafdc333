//! Retry timing: capped exponential backoff with full jitter, honouring `Retry-After`.
//! The random number is an argument so the same inputs give the same delay.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// How retries back off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay ceiling of the first retry.
    pub base: Duration,
    /// Longest delay ever chosen by backoff (a server's `Retry-After` may ask for more).
    pub cap: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_retries: 4,
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `attempt` (0 for the first retry). `unit_random` is in
    /// `[0, 1)`. Full jitter: uniformly between zero and the capped exponential ceiling; a
    /// server's `Retry-After` is a floor.
    pub fn delay(&self, attempt: u32, unit_random: f64, retry_after: Option<Duration>) -> Duration {
        let ceiling = self
            .base
            .checked_mul(2u32.saturating_pow(attempt.min(20)))
            .unwrap_or(self.cap)
            .min(self.cap);
        let jittered = ceiling.mul_f64(unit_random.clamp(0.0, 1.0));
        match retry_after {
            Some(wait) => jittered.max(wait),
            None => jittered,
        }
    }
}

/// True for answers worth retrying later: 408, 429 and 5xx other than 501.
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 429) || (500..600).contains(&status) && status != 501
}

/// Reads `Retry-After`: delta seconds or an HTTP date (relative to `now`). At most one hour,
/// so a hostile value cannot stall the page for days.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    const LONGEST: Duration = Duration::from_secs(3_600);
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(LONGEST));
    }
    let at = crate::instant::parse_http_date(value)?;
    Some((at - now).to_std().unwrap_or_default().min(LONGEST))
}
