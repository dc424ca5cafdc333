//! An operation beside the offer's last successful operation of the same type: each step's
//! outcome and duration then and now, which steps took longer, and which messages are new.

use chrono::{DateTime, TimeDelta, Utc};

use crate::api::OperationDetail;
use crate::feed::{feed, FeedEntry};
use crate::status::PublishStatus;
use crate::support::plain_text;
use crate::timeline::{step_key, step_times, StepTimes};

/// One step, this time and last time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepComparison {
    /// The step's name (this time's, else last time's).
    pub name: String,
    /// This time: status, and how long it took (or has taken so far).
    pub now: Option<(PublishStatus, Option<TimeDelta>)>,
    /// Last time: status and duration.
    pub before: Option<(PublishStatus, Option<TimeDelta>)>,
    /// It took (or has already taken) longer than last time, by this much.
    pub longer_by: Option<TimeDelta>,
}

/// The whole comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Every step of either operation: this time's order, then steps only last time had.
    pub steps: Vec<StepComparison>,
    /// Messages this time whose words last time never had (same step), in time order.
    pub new_messages: Vec<FeedEntry>,
}

fn duration(kind_ended: bool, t: &StepTimes, now: DateTime<Utc>) -> Option<TimeDelta> {
    let start = t.started?.at;
    let end = if kind_ended { t.ended?.at } else { now };
    (end >= start).then(|| end - start)
}

fn steps_of(
    d: &OperationDetail,
    now: DateTime<Utc>,
) -> Vec<(String, String, PublishStatus, Option<TimeDelta>)> {
    let changed = d.changed_time.as_ref().and_then(|t| t.parsed);
    let times = step_times(&d.steps, None, changed);
    d.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let status = s.status_or_unknown();
            let ended = status.kind().has_ended();
            let took = if status.kind() == crate::status::StatusKind::NotStarted {
                None
            } else {
                duration(ended, &times[i], now)
            };
            (step_key(i, s), s.display_name().to_owned(), status, took)
        })
        .collect()
}

/// Compares `current` with `previous` (the last successful operation of the same type).
pub fn compare(
    current: &OperationDetail,
    previous: &OperationDetail,
    now: DateTime<Utc>,
) -> Comparison {
    let this = steps_of(current, now);
    let last = steps_of(previous, now);
    let mut steps: Vec<StepComparison> = this
        .iter()
        .map(|(key, name, status, took)| {
            let before = last.iter().find(|(k, ..)| k == key);
            let longer_by = match (took, before.and_then(|b| b.3)) {
                (Some(now), Some(then)) if *now > then => Some(*now - then),
                _ => None,
            };
            StepComparison {
                name: name.clone(),
                now: Some((status.clone(), *took)),
                before: before.map(|b| (b.2.clone(), b.3)),
                longer_by,
            }
        })
        .collect();
    steps.extend(
        last.iter()
            .filter(|(k, ..)| !this.iter().any(|(key, ..)| key == k))
            .map(|(_, name, status, took)| StepComparison {
                name: name.clone(),
                now: None,
                before: Some((status.clone(), *took)),
                longer_by: None,
            }),
    );
    let words = |d: &OperationDetail, e: &FeedEntry| {
        let step = e
            .step
            .and_then(|i| d.steps.get(i))
            .map(|s| step_key(e.step.unwrap_or(0), s));
        (
            step,
            plain_text(e.message.html.as_deref().unwrap_or_default()),
        )
    };
    let said_before: Vec<(Option<String>, String)> = feed(&previous.messages, &previous.steps)
        .iter()
        .map(|e| words(previous, e))
        .collect();
    let new_messages = feed(&current.messages, &current.steps)
        .into_iter()
        .filter(|e| !said_before.contains(&words(current, e)))
        .collect();
    Comparison {
        steps,
        new_messages,
    }
}
