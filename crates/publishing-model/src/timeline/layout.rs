//! The time axis of an operation: one bar per step from its real start to its real end (or
//! to now while it runs), the expected range ahead of it, the whole publish's expected finish,
//! adaptive ticks and a "now" line. Positions are basis points (0 to 10,000) of the axis, so
//! the view only places boxes.

use chrono::{DateTime, TimeDelta, Utc};

use super::plan::{Plan, StepPlan};
use super::ticks::{ticks, Offset, Tick};
use super::times::StepTimes;
use crate::api::Step;
use crate::status::StatusKind;

/// From one instant to another (equal for a moment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start.
    pub from: DateTime<Utc>,
    /// End, never before `from`.
    pub to: DateTime<Utc>,
}

impl Span {
    fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self {
            from,
            to: to.max(from),
        }
    }
}

/// One step on the axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// Index of the step, in the order sent.
    pub step: usize,
    /// Its status meaning (colour, icon, words).
    pub kind: StatusKind,
    /// What really happened: start to end, or start to now while it runs or is stopped.
    pub actual: Option<Span>,
    /// The start is inferred.
    pub about_start: bool,
    /// The end is inferred.
    pub about_end: bool,
    /// What is expected ahead: the band ahead of a running step, or the range a step not
    /// started can take (its soonest start to its latest end).
    pub expected: Option<Span>,
    /// The expected range has no known end (no estimate): drawn open.
    pub open_ended: bool,
    /// The publisher's own move (sign-off), drawn as a marker.
    pub your_move: bool,
}

/// Everything the axis shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The axis starts here.
    pub from: DateTime<Utc>,
    /// … and ends here.
    pub to: DateTime<Utc>,
    /// Now, when the publish is still going (and so now is on the axis).
    pub now: Option<DateTime<Utc>>,
    /// Ticks, in order.
    pub ticks: Vec<Tick>,
    /// One per step, in the order sent.
    pub bars: Vec<Bar>,
    /// The whole publish's expected finish, soonest to latest (to the axis end when the
    /// latest is unknown, with `open_ended` set on the last step's bar).
    pub finish: Option<Span>,
}

impl Layout {
    /// Where an instant falls, in basis points of the axis (clamped to 0..=10,000).
    pub fn position(&self, at: DateTime<Utc>) -> u32 {
        let total = (self.to - self.from).num_seconds().max(1) as f64;
        let part = (at - self.from).num_seconds() as f64;
        // Clamped to 0..=10,000 first, so the cast cannot truncate.
        (part / total * 10_000.0).clamp(0.0, 10_000.0).round() as u32
    }

    /// A span's start and width, in basis points.
    pub fn place(&self, span: Span) -> (u32, u32) {
        let (start, end) = (self.position(span.from), self.position(span.to));
        (start, end - start)
    }
}

fn bar(i: usize, step: &Step, times: &StepTimes, plan: &StepPlan, now: DateTime<Utc>) -> Bar {
    let kind = step.status_or_unknown().kind();
    let start = times.started;
    let end = times.ended;
    let actual = if kind.has_ended() {
        match (start, end) {
            (Some(s), Some(e)) => Some(Span::new(s.at, e.at)),
            (None, Some(e)) => Some(Span::new(e.at, e.at)),
            (Some(s), None) => Some(Span::new(s.at, s.at)),
            (None, None) => None,
        }
    } else if kind == StatusKind::NotStarted {
        None
    } else {
        start.map(|s| Span::new(s.at, now))
    };
    let (expected, open_ended, your_move) = match *plan {
        StepPlan::Ahead {
            from,
            earliest,
            latest,
            your_move,
            ..
        } => {
            let begin = if kind.is_active() {
                now.max(from)
            } else {
                from
            };
            let end = latest.unwrap_or(earliest);
            (Some(Span::new(begin, end)), latest.is_none(), your_move)
        }
        _ => (None, false, false),
    };
    Bar {
        step: i,
        kind,
        actual,
        about_start: start.is_some_and(|s| s.about),
        about_end: kind.has_ended() && end.is_some_and(|e| e.about),
        expected,
        open_ended,
        your_move,
    }
}

/// Lays out an operation's steps on one time axis with at most `max_ticks` ticks.
pub fn layout(
    steps: &[Step],
    times: &[StepTimes],
    plan: &Plan,
    now: DateTime<Utc>,
    max_ticks: usize,
    offset: Offset,
) -> Layout {
    let none = StepTimes::default();
    let bars: Vec<Bar> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let held = StepPlan::Held;
            bar(
                i,
                step,
                times.get(i).unwrap_or(&none),
                plan.steps.get(i).unwrap_or(&held),
                now,
            )
        })
        .collect();
    let going = plan.finish.is_some()
        || bars.iter().any(|b| {
            matches!(
                b.kind,
                StatusKind::Blocked | StatusKind::Running | StatusKind::WaitingForPublisher
            )
        });
    let finish = plan.finish;
    let instants = bars
        .iter()
        .flat_map(|b| [b.actual, b.expected])
        .flatten()
        .flat_map(|s| [s.from, s.to])
        .chain(going.then_some(now))
        .chain(finish.map(|(e, _)| e))
        .chain(finish.and_then(|(_, l)| l));
    let (mut from, mut to) = instants.fold(
        (None, None),
        |(lo, hi): (Option<DateTime<Utc>>, Option<DateTime<Utc>>), at| {
            (
                Some(lo.map_or(at, |l| l.min(at))),
                Some(hi.map_or(at, |h| h.max(at))),
            )
        },
    );
    let (lo, hi) = (from.get_or_insert(now), to.get_or_insert(now));
    let mut span = (*hi - *lo).max(TimeDelta::hours(2));
    if finish.is_some_and(|(_, latest)| latest.is_none()) || bars.iter().any(|b| b.open_ended) {
        // Room for an open end to show that it goes on.
        *hi += span / 5;
        span = *hi - *lo;
    }
    let pad = span / 40;
    let (from, to) = (*lo - pad, *lo + span + pad);
    let finish = finish.map(|(earliest, latest)| Span::new(earliest, latest.unwrap_or(to)));
    Layout {
        from,
        to,
        now: going.then_some(now),
        ticks: ticks(from, to, max_ticks, offset),
        bars,
        finish,
    }
}
