//! How long each step really took in the offer's own past operations: the median and range
//! per step id, and a narrower estimate once there are enough samples to trust.

use std::collections::BTreeMap;

use chrono::TimeDelta;

use crate::api::OperationDetail;
use crate::status::StatusKind;
use crate::time_frame::TimeRange;
use crate::timeline::{step_key, step_times};

/// Samples needed before the offer's history replaces Microsoft's estimate.
pub const TRUSTED_SAMPLES: usize = 3;

/// Real durations of one step across past operations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StepHistory {
    /// How many operations told its duration.
    pub samples: usize,
    /// The median.
    pub median: TimeDelta,
    /// The 80th percentile (nearest rank).
    pub p80: TimeDelta,
    /// The shortest.
    pub min: TimeDelta,
    /// The longest.
    pub max: TimeDelta,
    /// Taken across the publisher's offers (the watcher's history), not this offer's alone.
    pub across_offers: bool,
}

impl StepHistory {
    /// The range to plan with, once there are enough samples.
    pub fn trusted_range(&self) -> Option<TimeRange> {
        (self.samples >= TRUSTED_SAMPLES).then_some(TimeRange {
            min: self.min,
            max: self.max,
        })
    }
}

/// Per step key, the durations of completed steps whose start and end are both known.
/// Inferred times count: a poll or a neighbouring step is close enough for a median.
pub fn step_history(operations: &[OperationDetail]) -> BTreeMap<String, StepHistory> {
    let mut samples: BTreeMap<String, Vec<TimeDelta>> = BTreeMap::new();
    for op in operations {
        let changed = op.changed_time.as_ref().and_then(|t| t.parsed);
        let times = step_times(&op.steps, None, changed);
        for (i, (step, t)) in op.steps.iter().zip(&times).enumerate() {
            if step.status_or_unknown().kind() != StatusKind::Succeeded {
                continue;
            }
            if let (Some(s), Some(e)) = (t.started, t.ended) {
                if e.at >= s.at {
                    samples
                        .entry(step_key(i, step))
                        .or_default()
                        .push(e.at - s.at);
                }
            }
        }
    }
    samples
        .into_iter()
        .filter_map(|(key, d)| Some((key, summarize(d)?)))
        .collect()
}

/// The median, 80th percentile and range of `durations`; `None` when there are none.
pub fn summarize(mut d: Vec<TimeDelta>) -> Option<StepHistory> {
    if d.is_empty() {
        return None;
    }
    d.sort();
    let n = d.len();
    let median = if n % 2 == 1 {
        d[n / 2]
    } else {
        (d[n / 2 - 1] + d[n / 2]) / 2
    };
    // Nearest rank: the smallest value with at least 80 % of the samples at or below it.
    let rank = (n * 4).div_ceil(5).max(1);
    Some(StepHistory {
        samples: n,
        median,
        p80: d[rank - 1],
        min: d[0],
        max: d[n - 1],
        across_offers: false,
    })
}
