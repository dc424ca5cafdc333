//! Each step's run as the watcher sees it: first seen under way, first seen done, and how
//! it ended. Stored with the poll interval each was seen in, these are the history the
//! dashboard's estimates come from, across every offer and every user.

use super::look::Look;
use crate::status::StatusKind;

/// A step began or ended between two looks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepChange {
    /// First seen under way.
    Started {
        /// The step's key.
        key: String,
        /// Its name.
        name: String,
    },
    /// First seen done.
    Ended {
        /// The step's key.
        key: String,
        /// Its name.
        name: String,
        /// Succeeded, failed or canceled.
        outcome: StatusKind,
    },
}

fn under_way(kind: StatusKind) -> bool {
    kind.is_active() || kind == StatusKind::Blocked
}

fn ended(kind: StatusKind) -> bool {
    matches!(
        kind,
        StatusKind::Succeeded | StatusKind::Failed | StatusKind::Canceled
    )
}

/// The step changes from `before` to `now` (one offer's looks). None on the first look, nor
/// across publishes: a run is only measured when it was seen under way, from the look it was
/// first seen so.
pub fn step_changes(before: Option<&Look>, now: &Look) -> Vec<StepChange> {
    let Some(before) = before.filter(|b| b.publish == now.publish) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for step in &now.steps {
        let was = before
            .steps
            .iter()
            .find(|s| s.key == step.key)
            .map(|s| s.status.kind());
        let is = step.status.kind();
        let (key, name) = (step.key.clone(), step.name.clone());
        let was_under_way = was.is_some_and(under_way);
        if under_way(is) && !was_under_way {
            out.push(StepChange::Started { key, name });
        } else if ended(is) && was_under_way {
            out.push(StepChange::Ended {
                key,
                name,
                outcome: is,
            });
        }
        // A step not under way at the last look and done at this one was never seen running:
        // how long it took is not known, so it is not measured.
    }
    out
}

/// One completed run, as the watcher stored it (Unix milliseconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The offer.
    pub offer: String,
    /// The step's key.
    pub key: String,
    /// Its name.
    pub name: String,
    /// It began after this and by `started`.
    pub started_after: i64,
    /// First seen under way.
    pub started: i64,
    /// It ended after this and by `ended`.
    pub ended_after: i64,
    /// First seen done.
    pub ended: i64,
}

impl Run {
    /// True when either end was seen across a gap longer than `outage`: the watcher was
    /// away, and the run's length is not known well enough to count.
    pub fn overlaps_outage(&self, outage: chrono::TimeDelta) -> bool {
        let gap = |from: i64, to: i64| chrono::TimeDelta::milliseconds(to - from) > outage;
        gap(self.started_after, self.started) || gap(self.ended_after, self.ended)
    }
}

/// One step's statistics: over the offer's own runs, and over every offer of the publisher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepStatistics {
    /// The step's key.
    pub key: String,
    /// Its name (the newest run's).
    pub name: String,
    /// Over the offer's runs.
    pub offer: Option<crate::history::StepHistory>,
    /// Over the publisher's runs, every offer.
    pub publisher: Option<crate::history::StepHistory>,
}

/// Per step, the statistics of `runs` (the publisher's completed runs, newest first),
/// leaving out those that overlap an outage longer than `outage`.
pub fn step_statistics(
    runs: &[Run],
    offer: &str,
    outage: chrono::TimeDelta,
) -> Vec<StepStatistics> {
    let mut out: Vec<(
        StepStatistics,
        Vec<chrono::TimeDelta>,
        Vec<chrono::TimeDelta>,
    )> = Vec::new();
    for run in runs
        .iter()
        .filter(|r| !r.overlaps_outage(outage) && r.ended >= r.started)
    {
        let took = chrono::TimeDelta::milliseconds(run.ended - run.started);
        let i = match out.iter().position(|(s, _, _)| s.key == run.key) {
            Some(i) => i,
            None => {
                out.push((
                    StepStatistics {
                        key: run.key.clone(),
                        name: run.name.clone(),
                        offer: None,
                        publisher: None,
                    },
                    Vec::new(),
                    Vec::new(),
                ));
                out.len() - 1
            }
        };
        out[i].2.push(took);
        if run.offer == offer {
            out[i].1.push(took);
        }
    }
    out.into_iter()
        .map(|(mut s, own, all)| {
            s.offer = crate::history::summarize(own);
            s.publisher = crate::history::summarize(all).map(|h| crate::history::StepHistory {
                across_offers: true,
                ..h
            });
            s
        })
        .collect()
}
