//! Everything the operation page shows about time, computed once per answer and tick.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::health::{headline_status, step_health, StepHealth};
use super::plan::{for_operation, plan, stated_ranges, Outlook, Plan};
use super::times::{step_times, StepTimes};
use super::watch::{step_key, WatchedOperation};
use crate::api::OperationDetail;
use crate::history::StepHistory;
use crate::status::PublishStatus;

/// An operation in time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationTimeline {
    /// What is known of each step's run.
    pub times: Vec<StepTimes>,
    /// What is expected of each step and of the whole publish.
    pub plan: Plan,
    /// Each step against its estimate.
    pub health: Vec<StepHealth>,
    /// The status the header shows, agreeing with the steps.
    pub headline: PublishStatus,
    /// The offer's own history of each step, when known (same order as the steps).
    pub history: Vec<Option<StepHistory>>,
    /// Each step's estimate was narrowed by that history.
    pub narrowed: Vec<bool>,
}

/// The timeline of an operation at `now`. `history` (per step key) narrows estimates that
/// have enough samples; `quiet_limit` is how long an overdue step may be silent before it is
/// "probably stuck".
pub fn operation_timeline(
    detail: &OperationDetail,
    seen: Option<&WatchedOperation>,
    history: &BTreeMap<String, StepHistory>,
    now: DateTime<Utc>,
    quiet_limit: TimeDelta,
) -> OperationTimeline {
    let steps = &detail.steps;
    let changed = detail.changed_time.as_ref().and_then(|t| t.parsed);
    let times = step_times(steps, seen, changed);
    let own: Vec<Option<StepHistory>> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| history.get(&step_key(i, s)).cloned())
        .collect();
    let stated = stated_ranges(steps);
    let ranges: Vec<_> = stated
        .iter()
        .zip(&own)
        .map(|(stated, h)| h.as_ref().and_then(StepHistory::trusted_range).or(*stated))
        .collect();
    let narrowed = own
        .iter()
        .map(|h| h.as_ref().and_then(StepHistory::trusted_range).is_some())
        .collect();
    let headline = headline_status(detail.status.as_ref(), steps);
    let plan = for_operation(plan(steps, &times, &ranges, now), &headline);
    let health = plan
        .steps
        .iter()
        .zip(&times)
        .map(|(p, t)| step_health(p, t, now, quiet_limit))
        .collect();
    OperationTimeline {
        times,
        plan,
        health,
        headline,
        history: own,
        narrowed,
    }
}

impl OperationTimeline {
    /// The first step past the top of its estimate while the publish is still ahead: the
    /// projection then counts it as ending now, and should say so.
    pub fn overdue_step(&self) -> Option<usize> {
        let ahead = matches!(
            self.plan.outlook,
            Outlook::BeforeSignOff { .. } | Outlook::Window { .. } | Outlook::AtLeast { .. }
        );
        self.health
            .iter()
            .position(|h| !matches!(h, StepHealth::OnTrack))
            .filter(|_| ahead)
    }
}
