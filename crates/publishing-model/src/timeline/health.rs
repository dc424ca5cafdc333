//! Is a step late, or probably stuck, and what does the header say: the facts a publisher
//! needs before deciding to wait, act or call support.

use chrono::{DateTime, TimeDelta, Utc};

use super::plan::StepPlan;
use super::times::{KnownTime, StepTimes};
use crate::api::{Message, Step};
use crate::status::{MessageLevel, PublishStatus, StatusKind};

/// How long an overdue step may go without a new message before it is "probably stuck".
pub const DEFAULT_QUIET_LIMIT: TimeDelta = TimeDelta::hours(24);

/// How a step in progress is doing against its estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepHealth {
    /// Within its estimate, not running, or with no estimate to compare against.
    OnTrack,
    /// Past the top of its estimate.
    Overdue {
        /// By how much.
        by: TimeDelta,
    },
    /// Overdue, and nothing new has been said for at least the quiet limit.
    ProbablyStuck {
        /// Past the top of its estimate by this much.
        by: TimeDelta,
        /// Time since its last message (or its start).
        quiet: TimeDelta,
    },
}

/// The health of one step, from its plan and what is known of its run.
pub fn step_health(
    plan: &StepPlan,
    times: &StepTimes,
    now: DateTime<Utc>,
    quiet_limit: TimeDelta,
) -> StepHealth {
    let StepPlan::Ahead {
        overdue: Some(by), ..
    } = plan
    else {
        return StepHealth::OnTrack;
    };
    let heard = times
        .last_message
        .into_iter()
        .chain(times.started.map(|s| s.at))
        .max();
    match heard {
        Some(heard) if now - heard >= quiet_limit => StepHealth::ProbablyStuck {
            by: *by,
            quiet: now - heard,
        },
        _ => StepHealth::Overdue { by: *by },
    }
}

fn is_error(m: &Message) -> bool {
    m.level == Some(MessageLevel::Error)
}

/// The step's first error message: the earliest by time, else the first one sent.
pub fn first_error(step: &Step) -> Option<&Message> {
    let timed = step
        .messages
        .iter()
        .filter(|m| is_error(m))
        .filter_map(|m| Some((m.timestamp.as_ref()?.parsed?, m)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, m)| m);
    timed.or_else(|| step.messages.iter().find(|m| is_error(m)))
}

/// Since when a blocked or failed step has been stopped: its first error, else its start.
pub fn stopped_since(step: &Step, times: &StepTimes) -> Option<KnownTime> {
    first_error(step)
        .and_then(|m| m.timestamp.as_ref()?.parsed)
        .map(KnownTime::exact)
        .or(times.started)
}

/// The status the header shows. The operation's own word, unless a step says more: an
/// operation "running" with a blocked step is blocked; one "running" at sign-off waits for
/// the publisher.
pub fn headline_status(status: Option<&PublishStatus>, steps: &[Step]) -> PublishStatus {
    let own = status
        .cloned()
        .unwrap_or_else(|| PublishStatus::Other("unknown".into()));
    let still_going = matches!(own.kind(), StatusKind::Running | StatusKind::Unknown);
    if !still_going {
        return own;
    }
    let telling = [
        StatusKind::Blocked,
        StatusKind::Failed,
        StatusKind::WaitingForPublisher,
    ];
    telling
        .iter()
        .find_map(|kind| {
            steps
                .iter()
                .map(Step::status_or_unknown)
                .find(|s| s.kind() == *kind)
        })
        .unwrap_or(own)
}
