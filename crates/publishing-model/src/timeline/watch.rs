//! What this browser saw of the operations it watched: the poll that first found a step
//! running, the one that first found it ended, and the newest message already shown. The service keeps no such record, so the app stores this
//! log (bounded, per operation, never with anything secret) and gives it back on the next
//! visit.

use chrono::{DateTime, Utc};

use crate::api::Step;
use crate::json::{self, Json};
use crate::lenient::{self, Fields};
use crate::status::StatusKind;

/// Operations kept; the least recently seen goes first.
pub const MAX_OPERATIONS: usize = 100;
/// Steps kept per operation; a hostile answer could send thousands.
pub const MAX_STEPS: usize = 32;

/// Where a step stood at a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Waiting,
    Active,
    Ended,
}

impl Phase {
    const ALL: [(Self, &'static str); 3] = [
        (Self::Waiting, "waiting"),
        (Self::Active, "active"),
        (Self::Ended, "ended"),
    ];

    fn word(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("", |(_, w)| w)
    }

    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, w)| *w == word).map(|(p, _)| *p)
    }
}

fn phase(kind: StatusKind) -> Phase {
    if kind.has_ended() {
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    key: String,
    last: Phase,
    /// The first poll that found it started, after one that found it waiting.
    pub started: Option<DateTime<Utc>>,
    /// The first poll that found it ended, after one that found it not ended.
    pub ended: Option<DateTime<Utc>>,
}

/// What polling saw of one operation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchedOperation {
    steps: Vec<StepRecord>,
    /// The newest message the publisher has been shown, for "new since your last visit".
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchLog {
    operations: Vec<(String, WatchedOperation)>,
}

impl WatchLog {
    /// Reads a stored log; what cannot be read (an old format, a hand edit) is left out, and
    /// a log that is not JSON at all is an empty log.
    pub fn from_json(text: &str) -> Self {
        let Ok(value) = json::parse(text) else {
            return Self::default();
        };
        let mut operations = Fields::of(&value)
            .map(|f| f.list("operations", read_operation))
            .unwrap_or_default();
        let excess = operations.len().saturating_sub(MAX_OPERATIONS);
        operations.drain(..excess);
        for (_, op) in &mut operations {
            op.steps.truncate(MAX_STEPS);
        }
        Self { operations }
    }

    /// The log as stored: `{"operations": [[id, {"steps": [...], "read_up_to": ms}], ...]}`,
    /// instants as milliseconds since 1970 (chrono's text form would bring its formatting
    /// and parsing code into the wasm for a value no person reads).
    pub fn to_json(&self) -> String {
        let operations = self.operations.iter().map(|(id, op)| {
            let steps = op.steps.iter().map(|s| {
                Json::object([
                    ("key", s.key.as_str().into()),
                    ("last", s.last.word().into()),
                    ("started", millis(s.started)),
                    ("ended", millis(s.ended)),
                ])
            });
            let entry = Json::object([
                ("steps", Json::Array(steps.collect())),
                ("read_up_to", millis(op.read_up_to)),
            ]);
            Json::Array(vec![id.as_str().into(), entry])
        });
        Json::object([("operations", Json::Array(operations.collect()))]).to_string()
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

fn millis(at: Option<DateTime<Utc>>) -> Json<'static> {
    at.map_or(Json::Null, |at| {
        Json::Number(at.timestamp_millis().to_string().into())
    })
}

fn instant(value: &Json<'_>) -> Option<DateTime<Utc>> {
    value.as_i64().and_then(DateTime::from_timestamp_millis)
}

/// `[id, {"steps": [...], "read_up_to": ms}]`; `None` when the id or the object is missing.
fn read_operation(value: &Json<'_>) -> Option<(String, WatchedOperation)> {
    let Json::Array(pair) = value else {
        return None;
    };
    let id = pair.first().and_then(lenient::text)?;
    let f = Fields::of(pair.get(1)?)?;
    let steps = f.list("steps", |step| {
        let s = Fields::of(step)?;
        Some(StepRecord {
            key: s.text("key")?,
            last: Phase::from_word(s.get("last")?.as_str()?)?,
            started: s.read("started", instant),
            ended: s.read("ended", instant),
        })
    });
    Some((
        id,
        WatchedOperation {
            steps,
            read_up_to: f.read("read_up_to", instant),
        },
    ))
}
