//! What the step list says of a step still ahead, at a given now. The plan is made when the
//! data arrives; as the clock passes its soonest times, they read "any moment", never
//! "just now" (past-tense words for a time still to come).

use chrono::{DateTime, Utc};

use super::plan::StepPlan;
use crate::time_frame::reached;

/// When a step not started can start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StartWords {
    /// Its soonest start has come.
    AnyMoment,
    /// It waits for the publisher's sign-off.
    AfterYourMove,
    /// Not before this.
    At(DateTime<Utc>),
}

/// When a step still ahead should end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndWords {
    /// Its soonest and latest end have both come (it is at or past the top of its estimate).
    AnyMoment,
    /// Its soonest end has come, and no latest can be given.
    AnyMomentOpen,
    /// Its soonest end has come; the latest is this.
    By(DateTime<Utc>),
    /// Exactly this (soonest and latest are the same).
    At(DateTime<Utc>),
    /// Between the two.
    Between(DateTime<Utc>, DateTime<Utc>),
    /// No sooner than this; how much later is unknown.
    NoSoonerThan(DateTime<Utc>),
}

/// The words for a step still ahead (`None` for any other plan, and for the publisher's own
/// move); the start only for a step not started.
pub fn ahead_words(
    plan: &StepPlan,
    not_started: bool,
    now: DateTime<Utc>,
) -> Option<(Option<StartWords>, EndWords)> {
    let &StepPlan::Ahead {
        from,
        earliest,
        latest,
        your_move: false,
        after_your_move,
        ..
    } = plan
    else {
        return None;
    };
    let start = not_started.then_some(if after_your_move {
        StartWords::AfterYourMove
    } else if reached(now, from) {
        StartWords::AnyMoment
    } else {
        StartWords::At(from)
    });
    let soon = reached(now, earliest);
    let end = match latest {
        None if soon => EndWords::AnyMomentOpen,
        None => EndWords::NoSoonerThan(earliest),
        Some(l) if reached(now, l) => EndWords::AnyMoment,
        Some(l) if soon => EndWords::By(l),
        Some(l) if l == earliest => EndWords::At(l),
        Some(l) => EndWords::Between(earliest, l),
    };
    Some((start, end))
}
