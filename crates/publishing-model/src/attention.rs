//! What a publish needs of the publisher, and whether it is stuck: the one judgement the
//! overview's order, counts and rows, the operation page and every alert share.
//!
//! - **Blocked now** needs the publisher now, however old its first error: a blocked step
//!   waits for a fix, and waits for ever.
//! - **Probably stuck** (a step past its estimate and silent for the quiet limit) needs the
//!   publisher too: only a support case moves it.
//! - **Waiting for the sign-off** needs the publisher.
//! - **Failed** needs the publisher while it is recent ([`RECENT_TROUBLE`]): a failed
//!   publish is over, and after a week it has been seen to or abandoned.
//! - **Overdue** (past the estimate, still heard from) is shown, but is Microsoft's to move.
//!
//! An operation that is over (failed, canceled, completed) is never overdue or stuck.

use chrono::{DateTime, TimeDelta, Utc};

use crate::api::Step;
use crate::status::StatusKind;
use crate::timeline::{stopped_since, OperationTimeline, Outlook, StepHealth};

/// How long a failed publish keeps an offer under "needs me".
pub const RECENT_TROUBLE: TimeDelta = TimeDelta::days(7);

/// What a publish needs, most pressing first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attention {
    /// A step is blocked: the publisher must fix what stopped it.
    Blocked {
        /// The step's name.
        step: String,
        /// Since its first error (else its start), when known.
        since: Option<DateTime<Utc>>,
    },
    /// A step is past its estimate and has been silent for the quiet limit: open a support
    /// case.
    Stuck {
        /// The step's name.
        step: String,
        /// Past the top of its estimate by this much.
        overdue_by: TimeDelta,
        /// Time since its last message (or its start).
        quiet: TimeDelta,
    },
    /// The preview waits for the publisher's sign-off.
    SignOff {
        /// Since when, when known.
        since: Option<DateTime<Utc>>,
    },
    /// The publish failed.
    Failed {
        /// When, when known: a failure older than [`RECENT_TROUBLE`] no longer needs the
        /// publisher.
        at: Option<DateTime<Utc>>,
    },
    /// A step is past its estimate but still heard from: Microsoft's to move.
    Overdue {
        /// The step's name.
        step: String,
        /// By how much.
        by: TimeDelta,
    },
    /// Nothing for the publisher.
    Clear,
}

impl Attention {
    /// What the publish of `steps`, worked out as `timeline`, needs. `changed` is when the
    /// operation (or offer) last changed: a failure's time when no error message says it.
    pub fn of(
        steps: &[Step],
        timeline: &OperationTimeline,
        changed: Option<DateTime<Utc>>,
    ) -> Self {
        let kind = timeline.headline.kind();
        if kind == StatusKind::Blocked {
            let blocked = steps
                .iter()
                .position(|s| s.status_or_unknown().kind() == StatusKind::Blocked);
            return match blocked {
                Some(i) => Self::Blocked {
                    step: steps[i].display_name().to_owned(),
                    since: timeline
                        .times
                        .get(i)
                        .and_then(|t| stopped_since(&steps[i], t))
                        .map(|k| k.at),
                },
                None => Self::Blocked {
                    step: String::new(),
                    since: changed,
                },
            };
        }
        if kind == StatusKind::Failed {
            let failed = steps
                .iter()
                .zip(&timeline.times)
                .find(|(s, _)| s.status_or_unknown().kind() == StatusKind::Failed)
                .and_then(|(s, t)| stopped_since(s, t))
                .map(|k| k.at);
            return Self::Failed {
                at: changed.max(failed),
            };
        }
        let over = matches!(kind, StatusKind::Canceled | StatusKind::Succeeded);
        let stuck = timeline
            .health
            .iter()
            .enumerate()
            .find_map(|(i, h)| match h {
                StepHealth::ProbablyStuck { by, quiet } => Some(Self::Stuck {
                    step: steps
                        .get(i)
                        .map(|s| s.display_name().to_owned())
                        .unwrap_or_default(),
                    overdue_by: *by,
                    quiet: *quiet,
                }),
                _ => None,
            });
        if let Some(stuck) = stuck.filter(|_| !over) {
            return stuck;
        }
        if kind == StatusKind::WaitingForPublisher
            || matches!(timeline.plan.outlook, Outlook::YourMove { .. })
        {
            let waiting = steps
                .iter()
                .position(|s| s.status_or_unknown().kind() == StatusKind::WaitingForPublisher);
            return Self::SignOff {
                since: waiting
                    .and_then(|i| timeline.times.get(i))
                    .and_then(|t| t.started)
                    .map(|k| k.at)
                    .or(changed),
            };
        }
        let overdue = timeline
            .health
            .iter()
            .enumerate()
            .find_map(|(i, h)| match h {
                StepHealth::Overdue { by } => Some(Self::Overdue {
                    step: steps
                        .get(i)
                        .map(|s| s.display_name().to_owned())
                        .unwrap_or_default(),
                    by: *by,
                }),
                _ => None,
            });
        overdue.filter(|_| !over).unwrap_or(Self::Clear)
    }

    /// True when the publisher must act, as of `now`.
    pub fn needs_me(&self, now: DateTime<Utc>) -> bool {
        match self {
            Self::Blocked { .. } | Self::Stuck { .. } | Self::SignOff { .. } => true,
            Self::Failed { at } => at.is_none_or(|at| now - at <= RECENT_TROUBLE),
            Self::Overdue { .. } | Self::Clear => false,
        }
    }

    /// Where it goes among the publishes that need the publisher: blocked, then stuck, then
    /// the sign-off, then a recent failure.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Blocked { .. } => 0,
            Self::Stuck { .. } => 1,
            Self::SignOff { .. } => 2,
            Self::Failed { .. } => 3,
            Self::Overdue { .. } => 4,
            Self::Clear => 5,
        }
    }
}
