//! How often the overview asks about each offer: offers with something under way every poll
//! period (a minute against the real service), idle ones every 15 minutes, never more than one
//! request a second on average across all of them, paused while the tab is hidden (the app
//! simply stops asking), and each offer backing off on its own after failures.

use chrono::{DateTime, TimeDelta, Utc};

use crate::retry::RetryPolicy;

/// Idle offers are asked this often.
pub const IDLE_EVERY: TimeDelta = TimeDelta::minutes(15);

/// The polling policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollPolicy {
    /// How often an offer with something under way is asked.
    pub active_every: TimeDelta,
    /// How often an idle offer is asked.
    pub idle_every: TimeDelta,
    /// Requests per second on average, across all offers.
    pub per_second: f64,
    /// Requests that may go at once after a quiet spell.
    pub burst: f64,
}

impl PollPolicy {
    /// The policy with `active_every` for offers under way (60 s live, 3 s in the demo).
    pub fn new(active_every: TimeDelta) -> Self {
        Self {
            active_every,
            idle_every: IDLE_EVERY.max(active_every),
            per_second: 1.0,
            burst: 4.0,
        }
    }
}

/// When to ask about one offer next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OfferPoll {
    /// Due at (none: ask as soon as the budget allows).
    pub next_at: Option<DateTime<Utc>>,
    /// Failures in a row.
    pub failures: u32,
}

impl OfferPoll {
    /// After an answer: the next poll one period on, by whether something is under way.
    pub fn answered(now: DateTime<Utc>, active: bool, policy: &PollPolicy) -> Self {
        let every = if active {
            policy.active_every
        } else {
            policy.idle_every
        };
        Self {
            next_at: Some(now + every),
            failures: 0,
        }
    }

    /// After a failure: capped exponential backoff with full jitter (`unit` in 0..1),
    /// honouring the service's `Retry-After`.
    pub fn failed(self, now: DateTime<Utc>, retry_after: Option<TimeDelta>, unit: f64) -> Self {
        let failures = self.failures.saturating_add(1);
        let wait =
            RetryPolicy::default().delay(failures, unit, retry_after.and_then(|d| d.to_std().ok()));
        let wait = TimeDelta::from_std(wait).unwrap_or(TimeDelta::seconds(30));
        Self {
            next_at: Some(now + wait),
            failures,
        }
    }

    /// Due at `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.next_at.is_none_or(|at| at <= now)
    }
}

/// A token bucket: at most `per_second` requests a second on average, `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollBudget {
    tokens: f64,
    updated: DateTime<Utc>,
}

impl PollBudget {
    /// A full bucket at `now`.
    pub fn new(now: DateTime<Utc>, policy: &PollPolicy) -> Self {
        Self {
            tokens: policy.burst,
            updated: now,
        }
    }

    /// Takes one request's worth if there is one.
    pub fn try_take(&mut self, now: DateTime<Utc>, policy: &PollPolicy) -> bool {
        let elapsed = (now - self.updated).num_milliseconds().max(0) as f64 / 1000.0;
        self.tokens = (self.tokens + elapsed * policy.per_second).min(policy.burst);
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The offers to ask about now (indices into `polls`), most overdue first, at most `slots`
/// (free places in flight) and only as many as the budget allows.
pub fn due_now(
    polls: &[OfferPoll],
    busy: &[bool],
    now: DateTime<Utc>,
    slots: usize,
    budget: &mut PollBudget,
    policy: &PollPolicy,
) -> Vec<usize> {
    let mut due: Vec<usize> = (0..polls.len())
        .filter(|&i| !busy.get(i).copied().unwrap_or(false) && polls[i].is_due(now))
        .collect();
    due.sort_by_key(|&i| polls[i].next_at);
    let mut picked = Vec::new();
    for i in due.into_iter().take(slots) {
        if !budget.try_take(now, policy) {
            break;
        }
        picked.push(i);
    }
    picked
}
