//! What this browser saw of the operations it watched: the poll that first found a step
//! running, the one that first found it ended, and the newest message already shown. The service keeps no such record, so the app stores this
//! log (bounded, per operation, never with anything secret) and gives it back on the next
//! visit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::times::has_ended;
use crate::api::Step;
use crate::status::StatusKind;

/// Operations kept; the least recently seen goes first.
pub const MAX_OPERATIONS: usize = 100;
/// Steps kept per operation; a hostile answer could send thousands.
pub const MAX_STEPS: usize = 32;

/// Where a step stood at a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Phase {
    Waiting,
    Active,
    Ended,
}

fn phase(kind: StatusKind) -> Phase {
    if has_ended(kind) {
        Phase::Ended
    } else if kind == StatusKind::NotStarted || kind == StatusKind::Unknown {
        Phase::Waiting
    } else {
        // Running, waiting for the publisher, blocked.
        Phase::Active
    }
}

/// A step's key in the log: its id, or its position when it has none.
pub fn step_key(index: usize, step: &Step) -> String {
    match &step.id {
        Some(id) if !id.as_str().is_empty() => id.as_str().chars().take(64).collect(),
        _ => format!("#{index}"),
    }
}

/// What polling saw of one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    key: String,
    last: Phase,
    /// The first poll that found it started, after one that found it waiting.
    #[serde(with = "millis")]
    pub started: Option<DateTime<Utc>>,
    /// The first poll that found it ended, after one that found it not ended.
    #[serde(with = "millis")]
    pub ended: Option<DateTime<Utc>>,
}

/// What polling saw of one operation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedOperation {
    steps: Vec<StepRecord>,
    /// The newest message the publisher has been shown, for "new since your last visit".
    #[serde(default, with = "millis")]
    pub read_up_to: Option<DateTime<Utc>>,
}

impl WatchedOperation {
    /// The record of the step with this key.
    pub fn step(&self, key: &str) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.key == key)
    }

    /// Takes in one poll's steps, seen at `at`. Returns whether anything new was learned.
    pub fn observe(&mut self, steps: &[Step], at: DateTime<Utc>) -> bool {
        let mut changed = false;
        for (i, step) in steps.iter().enumerate() {
            let key = step_key(i, step);
            let now = phase(step.status_or_unknown().kind());
            let room = self.steps.len() < MAX_STEPS;
            match self.steps.iter_mut().find(|s| s.key == key) {
                Some(record) => {
                    if record.last == Phase::Waiting
                        && now != Phase::Waiting
                        && record.started.is_none()
                    {
                        record.started = Some(at);
                        changed = true;
                    }
                    if record.last != Phase::Ended && now == Phase::Ended && record.ended.is_none()
                    {
                        record.ended = Some(at);
                        changed = true;
                    }
                    changed |= record.last != now;
                    record.last = now;
                }
                None if room => {
                    self.steps.push(StepRecord {
                        key,
                        last: now,
                        started: None,
                        ended: None,
                    });
                    changed = true;
                }
                None => {}
            }
        }
        changed
    }
}

/// The log for every operation this browser watched, most recently seen last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchLog {
    operations: Vec<(String, WatchedOperation)>,
}

impl WatchLog {
    /// Reads a stored log; anything unreadable (an old format, a hand edit) is an empty log.
    pub fn from_json(text: &str) -> Self {
        let mut log: Self = serde_json::from_str(text).unwrap_or_default();
        let excess = log.operations.len().saturating_sub(MAX_OPERATIONS);
        log.operations.drain(..excess);
        for (_, op) in &mut log.operations {
            op.steps.truncate(MAX_STEPS);
        }
        log
    }

    /// The log as stored.
    pub fn to_json(&self) -> String {
        // Plain strings, instants and enums: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What was seen of one operation.
    pub fn get(&self, operation: &str) -> Option<&WatchedOperation> {
        self.operations
            .iter()
            .find(|(key, _)| key == operation)
            .map(|(_, op)| op)
    }

    /// Takes in one poll of an operation. Returns whether the log changed.
    pub fn observe(&mut self, operation: &str, steps: &[Step], at: DateTime<Utc>) -> bool {
        self.update(operation, |op| op.observe(steps, at))
    }

    /// Remembers that messages up to `newest` have been shown. Returns whether that is news.
    pub fn mark_read(&mut self, operation: &str, newest: DateTime<Utc>) -> bool {
        self.update(operation, |op| {
            let later = op.read_up_to.is_none_or(|r| r < newest);
            if later {
                op.read_up_to = Some(newest);
            }
            later
        })
    }

    /// Changes one operation's entry (made if new) and moves it to the most recent end; the
    /// oldest falls off the front.
    fn update(
        &mut self,
        operation: &str,
        change: impl FnOnce(&mut WatchedOperation) -> bool,
    ) -> bool {
        let index = self.operations.iter().position(|(key, _)| key == operation);
        let mut entry = match index {
            Some(i) => self.operations.remove(i),
            None => (
                operation.chars().take(512).collect(),
                WatchedOperation::default(),
            ),
        };
        let changed = change(&mut entry.1) || index.is_none();
        let moved = index.is_some_and(|i| i != self.operations.len());
        self.operations.push(entry);
        if self.operations.len() > MAX_OPERATIONS {
            self.operations.remove(0);
        }
        changed || moved
    }
}

/// Instants stored as milliseconds since 1970: chrono's own text form would bring its
/// formatting and parsing code into the wasm for a value no person reads.
mod millis {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        at: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_some(&at.timestamp_millis()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Ok(Option::<i64>::deserialize(d)?.and_then(DateTime::from_timestamp_millis))
    }
}
