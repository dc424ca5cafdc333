//! When an operation (and each remaining step) can be expected to finish, from its steps'
//! statuses, their estimated time frames, the running step's start and a given `now`.
//!
//! Steps that are still to come run one after another: the steps in progress first, then the
//! ones not started, each in the order the service sent them. Meaning comes from statuses,
//! never from positions. A step without a readable estimate makes the latest time unknown
//! instead of silently counting it as zero.

use chrono::{DateTime, TimeDelta, Utc};

use crate::api::Step;
use crate::status::StatusKind;

/// What is expected of one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepProjection {
    /// Completed or canceled: nothing to wait for.
    Done,
    /// Blocked, failed or rejected: it will not finish until someone acts.
    Stopped,
    /// Not started, behind a stopped step: no time can be given until that one is fixed.
    Held,
    /// Still to finish, between `earliest` and `latest` (unknown when this step or one before
    /// it has no estimate).
    Expected {
        /// The soonest it can finish.
        earliest: DateTime<Utc>,
        /// The latest it should finish, when every step up to it has an estimate.
        latest: Option<DateTime<Utc>>,
        /// This step has no readable estimate of its own.
        unestimated: bool,
        /// It is running longer than its estimate allows.
        overdue: bool,
    },
}

/// The whole operation's outlook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overall {
    /// Every step is done.
    Finished,
    /// A step is blocked or failed (its index): no projection until it is resolved.
    Stopped {
        /// Index of the first stopped step, in the order sent.
        step: usize,
    },
    /// Expected to finish between the two instants.
    Window {
        /// The soonest.
        earliest: DateTime<Utc>,
        /// The latest.
        latest: DateTime<Utc>,
    },
    /// Not before `earliest`; how much later is unknown because of the listed steps.
    AtLeast {
        /// The soonest.
        earliest: DateTime<Utc>,
        /// Indices of the steps with no estimate.
        unestimated: Vec<usize>,
    },
}

/// The projection of every step (same order as the input) and of the whole operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationEta {
    /// One per input step, in the same order.
    pub steps: Vec<StepProjection>,
    /// The whole operation.
    pub overall: Overall,
}

/// When a running step started: its earliest message timestamp, if any.
pub fn step_started_at(step: &Step) -> Option<DateTime<Utc>> {
    step.messages
        .iter()
        .filter_map(|m| m.timestamp.as_ref()?.parsed)
        .min()
}

/// Projects when each remaining step and the whole operation should finish.
pub fn project(steps: &[Step], now: DateTime<Utc>) -> OperationEta {
    let kinds: Vec<StatusKind> = steps.iter().map(|s| s.status_or_unknown().kind()).collect();
    let mut projections = vec![StepProjection::Done; steps.len()];

    let first_stopped = kinds
        .iter()
        .position(|k| matches!(k, StatusKind::Blocked | StatusKind::Failed));
    for (i, kind) in kinds.iter().enumerate() {
        if matches!(kind, StatusKind::Blocked | StatusKind::Failed) {
            projections[i] = StepProjection::Stopped;
        }
    }

    let in_progress = |k: &StatusKind| k.is_active();
    let waiting = |k: &StatusKind| matches!(k, StatusKind::NotStarted | StatusKind::Unknown);
    let order: Vec<usize> = (0..steps.len())
        .filter(|&i| in_progress(&kinds[i]))
        .chain((0..steps.len()).filter(|&i| waiting(&kinds[i])))
        .collect();

    let mut earliest = now;
    let mut latest = Some(now);
    let mut unestimated = Vec::new();
    for &i in &order {
        let step = &steps[i];
        let range = step.estimated_time_frame.as_ref().and_then(|f| f.range);
        let elapsed = if in_progress(&kinds[i]) {
            step_started_at(step)
                .map(|start| (now - start).max(TimeDelta::zero()))
                .unwrap_or_default()
        } else {
            TimeDelta::zero()
        };
        let mut overdue = false;
        match range {
            Some(range) => {
                overdue = in_progress(&kinds[i]) && elapsed > range.max;
                earliest += (range.min - elapsed).max(TimeDelta::zero());
                latest = latest.map(|l| l + (range.max - elapsed).max(TimeDelta::zero()));
            }
            None => {
                unestimated.push(i);
                latest = None;
            }
        }
        projections[i] = StepProjection::Expected {
            earliest,
            latest,
            unestimated: range.is_none(),
            overdue,
        };
    }

    if first_stopped.is_some() {
        for (i, kind) in kinds.iter().enumerate() {
            if waiting(kind) {
                projections[i] = StepProjection::Held;
            }
        }
    }

    let overall = if let Some(step) = first_stopped {
        Overall::Stopped { step }
    } else if order.is_empty() {
        Overall::Finished
    } else {
        match latest {
            Some(latest) => Overall::Window { earliest, latest },
            None => Overall::AtLeast {
                earliest,
                unestimated,
            },
        }
    };
    OperationEta {
        steps: projections,
        overall,
    }
}

/// One segment of the proportional strip of estimated durations.
#[derive(Clone, Debug, PartialEq)]
pub struct StripSegment {
    /// Index of the step, in the order sent.
    pub step: usize,
    /// Share of the total estimated time, 0 to 1 (steps with no estimate get an equal small
    /// share so they are still seen).
    pub share: f64,
    /// False when the step has no readable estimate.
    pub estimated: bool,
}

/// Share of the estimated total per step, by the middle of each step's range.
pub fn duration_strip(steps: &[Step]) -> Vec<StripSegment> {
    const UNESTIMATED_SHARE: f64 = 0.04;
    let mids: Vec<Option<f64>> = steps
        .iter()
        .map(|s| {
            let range = s.estimated_time_frame.as_ref()?.range?;
            Some(range.midpoint().num_seconds().max(0) as f64)
        })
        .collect();
    let total: f64 = mids.iter().flatten().sum();
    let unknown = mids.iter().filter(|m| m.is_none()).count() as f64;
    let known_share = (1.0 - unknown * UNESTIMATED_SHARE).max(0.0);
    mids.iter()
        .enumerate()
        .map(|(step, mid)| match mid {
            Some(mid) if total > 0.0 => StripSegment {
                step,
                share: mid / total * known_share,
                estimated: true,
            },
            Some(_) => StripSegment {
                step,
                share: known_share / (steps.len() as f64 - unknown).max(1.0),
                estimated: true,
            },
            None => StripSegment {
                step,
                share: UNESTIMATED_SHARE,
                estimated: false,
            },
        })
        .collect()
}
