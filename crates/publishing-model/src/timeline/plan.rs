//! When each remaining step and the whole publish can be expected to finish, from the steps'
//! statuses, their estimated ranges, when the running ones started, and a given `now`.
//!
//! Steps still to come run one after another: the steps in progress first, then the ones not
//! started, each in the order the service sent them. Meaning comes from statuses, never from
//! positions. The publisher's sign-off has no estimate (it is their own move), so it is
//! counted as prompt and the answer is split around it: "preview ready between …; after you
//! sign off, live 3–4 days later". Any other step without an estimate makes the latest time
//! unknown instead of silently counting it as zero.

use chrono::{DateTime, TimeDelta, Utc};

use super::times::StepTimes;
use crate::api::Step;
use crate::status::{PublishStatus, StatusKind};
use crate::time_frame::TimeRange;

/// What is expected of one step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StepPlan {
    /// Completed or canceled: nothing to wait for.
    Done,
    /// Blocked, failed or rejected: it will not finish until someone acts.
    Stopped,
    /// Not started, behind a stopped step: no time can be given until that one is fixed.
    Held,
    /// Still to finish.
    Ahead {
        /// When it started (running) or can start at the soonest (not started).
        from: DateTime<Utc>,
        /// The soonest it can finish.
        earliest: DateTime<Utc>,
        /// The latest it should finish; unknown when this or an earlier step has no estimate.
        latest: Option<DateTime<Utc>>,
        /// The publisher's sign-off: counted as done the moment it can be.
        your_move: bool,
        /// Comes after that sign-off: it starts when the publisher signs off, so `from` and
        /// the times after it assume a prompt sign-off.
        after_your_move: bool,
        /// Running longer than the top of its estimate, by this much.
        overdue: Option<TimeDelta>,
    },
}

/// The whole publish, in the words a publisher needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outlook {
    /// Every step is done.
    Finished,
    /// The operation was canceled.
    Canceled,
    /// The operation failed, and no step says where.
    Failed,
    /// A step is blocked or failed (its index): nothing moves until it is resolved.
    Stopped {
        /// Index of the first stopped step, in the order sent.
        step: usize,
    },
    /// The publisher's sign-off is what the publish waits for now.
    YourMove {
        /// Index of the sign-off step.
        step: usize,
        /// How long the rest takes after sign-off, when every later step has an estimate.
        then: Option<TimeRange>,
    },
    /// Microsoft's steps come first, then the publisher signs off, then the rest.
    BeforeSignOff {
        /// Index of the sign-off step.
        step: usize,
        /// The preview is ready for sign-off no sooner than this.
        earliest: DateTime<Utc>,
        /// … and no later than this.
        latest: DateTime<Utc>,
        /// How long the rest takes after sign-off, when every later step has an estimate.
        then: Option<TimeRange>,
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
        /// Indices of the steps (other than sign-off) with no estimate.
        unestimated: Vec<usize>,
    },
}

/// The projection of every step (same order as the input) and of the whole publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// One per input step, in the same order.
    pub steps: Vec<StepPlan>,
    /// The whole publish.
    pub outlook: Outlook,
    /// When the last step should end if the publisher signs off promptly: the soonest and,
    /// when known, the latest. `None` when finished or stopped.
    pub finish: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// True for the publisher's own step: the sign-off before go-live.
pub fn is_sign_off(step: &Step) -> bool {
    let by_id = step
        .id
        .as_ref()
        .is_some_and(|id| crate::status::normalize(id.as_str()).contains("signoff"));
    by_id || step.status_or_unknown().kind() == StatusKind::WaitingForPublisher
}

/// Microsoft's estimate of each step, as read from its text.
pub fn stated_ranges(steps: &[Step]) -> Vec<Option<TimeRange>> {
    steps
        .iter()
        .map(|s| s.estimated_time_frame.as_ref().and_then(|f| f.range))
        .collect()
}

fn sum(mut ranges: impl Iterator<Item = Option<TimeRange>>) -> Option<TimeRange> {
    ranges.try_fold(TimeRange::from_secs(0, 0), |total, r| {
        let r = r?;
        Some(TimeRange {
            min: total.min + r.min,
            max: total.max + r.max,
        })
    })
}

/// The plan of a whole operation: its own status has the last word once it has ended (a
/// canceled operation's steps still say "not started", but nothing is ahead of them).
pub fn for_operation(plan: Plan, status: &PublishStatus) -> Plan {
    let outlook = match status.kind() {
        StatusKind::Succeeded => Outlook::Finished,
        StatusKind::Canceled => Outlook::Canceled,
        StatusKind::Failed if !matches!(plan.outlook, Outlook::Stopped { .. }) => Outlook::Failed,
        _ => return plan,
    };
    let settled = if outlook == Outlook::Finished {
        StepPlan::Done
    } else {
        StepPlan::Held
    };
    Plan {
        steps: plan
            .steps
            .into_iter()
            .map(|p| match p {
                StepPlan::Ahead { .. } => settled.clone(),
                other => other,
            })
            .collect(),
        outlook,
        finish: None,
    }
}

/// Projects each step and the whole publish. `ranges` has one entry per step (Microsoft's
/// estimate, or one narrowed by the offer's history); `times` says when running steps began.
pub fn plan(
    steps: &[Step],
    times: &[StepTimes],
    ranges: &[Option<TimeRange>],
    now: DateTime<Utc>,
) -> Plan {
    let kinds: Vec<StatusKind> = steps.iter().map(|s| s.status_or_unknown().kind()).collect();
    let range = |i: usize| ranges.get(i).copied().flatten();
    let mut plans = vec![StepPlan::Done; steps.len()];

    let first_stopped = kinds
        .iter()
        .position(|k| matches!(k, StatusKind::Blocked | StatusKind::Failed));
    let waiting = |k: StatusKind| matches!(k, StatusKind::NotStarted | StatusKind::Unknown);
    if let Some(step) = first_stopped {
        for (i, kind) in kinds.iter().enumerate() {
            if matches!(kind, StatusKind::Blocked | StatusKind::Failed) {
                plans[i] = StepPlan::Stopped;
            } else if waiting(*kind) {
                plans[i] = StepPlan::Held;
            }
        }
        return Plan {
            steps: plans,
            outlook: Outlook::Stopped { step },
            finish: None,
        };
    }

    let order: Vec<usize> = (0..steps.len())
        .filter(|&i| kinds[i].is_active())
        .chain((0..steps.len()).filter(|&i| waiting(kinds[i])))
        .collect();
    let mut earliest = now;
    let mut latest = Some(now);
    let mut unestimated = Vec::new();
    let mut sign_off = None;
    for &i in &order {
        let active = kinds[i].is_active();
        let started = times.get(i).and_then(|t| t.started).map(|t| t.at.min(now));
        let elapsed = match (active, started) {
            (true, Some(start)) => now - start,
            _ => TimeDelta::zero(),
        };
        let your_move = is_sign_off(&steps[i])
            && (range(i).is_none() || kinds[i] == StatusKind::WaitingForPublisher);
        let from = if active {
            started.unwrap_or(now)
        } else {
            earliest
        };
        let after_your_move = !your_move && !active && sign_off.is_some();
        let mut overdue = None;
        if your_move {
            sign_off.get_or_insert((i, earliest, latest));
        } else if let Some(r) = range(i) {
            if active && elapsed > r.max {
                overdue = Some(elapsed - r.max);
            }
            earliest += (r.min - elapsed).max(TimeDelta::zero());
            latest = latest.map(|l| l + (r.max - elapsed).max(TimeDelta::zero()));
        } else {
            unestimated.push(i);
            latest = None;
        }
        plans[i] = StepPlan::Ahead {
            from,
            earliest,
            latest,
            your_move,
            after_your_move,
            overdue,
        };
    }

    let outlook = if order.is_empty() {
        Outlook::Finished
    } else if let Some((step, ready_earliest, ready_latest)) = sign_off {
        let after = order.iter().skip_while(|&&i| i != step).skip(1);
        let then = sum(after.map(|&i| range(i)));
        match ready_latest {
            _ if kinds[step] == StatusKind::WaitingForPublisher => Outlook::YourMove { step, then },
            Some(ready_latest) => Outlook::BeforeSignOff {
                step,
                earliest: ready_earliest,
                latest: ready_latest,
                then,
            },
            None => Outlook::AtLeast {
                earliest,
                unestimated,
            },
        }
    } else {
        match latest {
            Some(latest) => Outlook::Window { earliest, latest },
            None => Outlook::AtLeast {
                earliest,
                unestimated,
            },
        }
    };
    Plan {
        steps: plans,
        finish: (!order.is_empty()).then_some((earliest, latest)),
        outlook,
    }
}
