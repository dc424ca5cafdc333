//! When each step really started and ended, as far as anything tells. Three sources, best
//! first: the step's own messages ("Step started." at a timestamp), transitions this browser
//! saw while polling, and the operation's `changedTime`. Anything not read straight from a
//! message that says so is marked `about`.

use chrono::{DateTime, Utc};

use super::watch::WatchedOperation;
use crate::api::{Message, Step};
use crate::status::StatusKind;

/// An instant, and whether it is inferred rather than stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KnownTime {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Inferred (from a poll, a neighbouring step or `changedTime`): shown as "about".
    pub about: bool,
}

impl KnownTime {
    /// A time a message states.
    pub fn exact(at: DateTime<Utc>) -> Self {
        Self { at, about: false }
    }

    /// A time inferred from something else.
    pub fn about(at: DateTime<Utc>) -> Self {
        Self { at, about: true }
    }
}

/// What is known of one step's real run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StepTimes {
    /// When it started.
    pub started: Option<KnownTime>,
    /// When it ended (completed, failed or canceled).
    pub ended: Option<KnownTime>,
    /// Its latest message, for "no news for a day".
    pub last_message: Option<DateTime<Utc>>,
}

/// Words of a message that marks a step's start.
const STARTED: &[&str] = &["started", "starting", "began"];

fn says(message: &Message, words: &[&str]) -> bool {
    let html = message
        .html
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    words.iter().any(|w| html.contains(w))
}

fn stamped(step: &Step) -> impl Iterator<Item = (&Message, DateTime<Utc>)> {
    step.messages
        .iter()
        .filter_map(|m| Some((m, m.timestamp.as_ref()?.parsed?)))
}

fn from_messages(step: &Step) -> StepTimes {
    let kind = step.status_or_unknown().kind();
    let first = stamped(step).min_by_key(|(_, at)| *at);
    let last = stamped(step).max_by_key(|(_, at)| *at);
    let started = (kind != StatusKind::NotStarted)
        .then_some(first)
        .flatten()
        .map(|(m, at)| KnownTime {
            at,
            about: !says(m, STARTED),
        });
    // A last message that only says the step started tells nothing of its end.
    let last_tells_end = last.is_some_and(|(m, _)| !says(m, STARTED));
    let ended = (kind.has_ended() && last_tells_end)
        .then_some(last)
        .flatten()
        .map(|(m, at)| KnownTime {
            at,
            about: !says(
                m,
                &[
                    "completed",
                    "complete.",
                    "succeeded",
                    "finished",
                    "failed",
                    "canceled",
                    "cancelled",
                ],
            ),
        });
    StepTimes {
        started,
        ended,
        last_message: last.map(|(_, at)| at),
    }
}

/// What is known of every step (same order as `steps`).
pub fn step_times(
    steps: &[Step],
    seen: Option<&WatchedOperation>,
    changed: Option<DateTime<Utc>>,
) -> Vec<StepTimes> {
    let kinds: Vec<StatusKind> = steps.iter().map(|s| s.status_or_unknown().kind()).collect();
    let mut times: Vec<StepTimes> = steps.iter().map(from_messages).collect();
    if let Some(seen) = seen {
        for (i, step) in steps.iter().enumerate() {
            let Some(record) = seen.step(&super::watch::step_key(i, step)) else {
                continue;
            };
            let t = &mut times[i];
            if t.started.is_none() && kinds[i] != StatusKind::NotStarted {
                t.started = record.started.map(KnownTime::about);
            }
            if t.ended.is_none() && kinds[i].has_ended() {
                t.ended = record.ended.map(KnownTime::about);
            }
        }
    }
    // A step with no start of its own began about when the latest step that ended before
    // it (or before now, for one still running) ended: steps run one after another.
    for i in 0..steps.len() {
        if times[i].started.is_some() || kinds[i] == StatusKind::NotStarted {
            continue;
        }
        let limit = times[i].ended.map(|e| e.at);
        let before = times
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .filter_map(|(_, t)| t.ended.map(|e| e.at))
            .filter(|at| limit.is_none_or(|l| *at <= l))
            .max();
        times[i].started = before.map(KnownTime::about);
    }
    if let Some(changed) = changed {
        // The operation last changed when its latest step ended, or when the one running
        // now began.
        let running =
            (0..steps.len()).find(|&i| kinds[i].is_active() && times[i].started.is_none());
        if let Some(i) = running {
            times[i].started = Some(KnownTime::about(changed));
        } else if kinds
            .iter()
            .all(|k| *k != StatusKind::NotStarted && !k.is_active())
        {
            let unended = (0..steps.len())
                .filter(|&i| kinds[i].has_ended() && times[i].ended.is_none())
                .max_by_key(|&i| times[i].started.map(|s| s.at));
            if let Some(i) = unended {
                if times[i].started.is_none_or(|s| s.at <= changed) {
                    times[i].ended = Some(KnownTime::about(changed));
                }
            }
        }
    }
    times
}
