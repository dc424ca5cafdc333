//! Status and text filtering of an offer's operations, and the counts behind the toggles.
//! Built once per data load ([`OperationIndex::new`]) so that each filter change is only a
//! pass over integers and pre-lowered text: 10,000 operations stay well inside one frame.

use std::collections::{BTreeSet, HashMap};

use crate::api::OperationSummary;
use crate::status::{normalize, PublishStatus};

/// The statuses that always get a toggle, in display order, even at a count of zero.
const STANDARD: [PublishStatus; 5] = [
    PublishStatus::Running,
    PublishStatus::Failed,
    PublishStatus::Completed,
    PublishStatus::Canceled,
    PublishStatus::NotStarted,
];

/// Which operations to show: a set of status keys (empty means all) and a search text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusFilter {
    /// Normalized status keys ([`PublishStatus::key`]); empty means every status.
    pub statuses: BTreeSet<String>,
    /// Text searched for in the id and the submission type, case-insensitively.
    pub text: String,
}

impl StatusFilter {
    /// From the URL query: `status=running,failed` and `q=...`.
    pub fn from_query(status: Option<&str>, text: Option<&str>) -> Self {
        let statuses = status
            .unwrap_or_default()
            .split(',')
            .map(|s| {
                s.parse::<PublishStatus>()
                    .unwrap_or_else(|n| match n {})
                    .key()
            })
            .filter(|k| !k.is_empty())
            .collect();
        Self {
            statuses,
            text: text.unwrap_or_default().to_owned(),
        }
    }

    /// The `status` query value (`running,failed`), `None` when showing all.
    pub fn status_param(&self) -> Option<String> {
        (!self.statuses.is_empty())
            .then(|| self.statuses.iter().cloned().collect::<Vec<_>>().join(","))
    }

    /// The one status to send to the API as `status=`, when exactly one is selected.
    pub fn single_status(&self) -> Option<PublishStatus> {
        match self.statuses.len() {
            1 => self.statuses.iter().next().map(|key| {
                let Ok(status) = key.parse::<PublishStatus>();
                status
            }),
            _ => None,
        }
    }

    /// This filter with `key` switched on or off.
    pub fn toggled(&self, key: &str) -> Self {
        let mut next = self.clone();
        if !next.statuses.remove(key) {
            next.statuses.insert(key.to_owned());
        }
        next
    }

    /// True when no status is selected.
    pub fn shows_all_statuses(&self) -> bool {
        self.statuses.is_empty()
    }
}

/// One toggle: a status, how many operations have it, and its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCount {
    /// Normalized key, as used in the URL.
    pub key: String,
    /// The status (as first seen, for unknown ones).
    pub status: PublishStatus,
    /// Operations with that status.
    pub count: usize,
}

impl StatusCount {
    /// The toggles' counts when the service was asked for one status only (`sent`) and its
    /// answer holds `holding` operations: that status counts those, and the others keep their
    /// counts from the last full list, `full`.
    pub fn with_single(
        full: &[StatusCount],
        sent: &PublishStatus,
        holding: usize,
    ) -> Vec<StatusCount> {
        let key = sent.key();
        full.iter()
            .map(|c| StatusCount {
                count: if c.key == key { holding } else { c.count },
                ..c.clone()
            })
            .collect()
    }
}

/// Operations prepared for fast filtering, newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperationIndex {
    /// Indices into the original slice, newest first.
    order: Vec<u32>,
    /// Per original index: its status slot in `statuses`.
    slot: Vec<u16>,
    /// Per original index: lower-cased id and submission type.
    haystack: Vec<String>,
    /// Distinct statuses seen, plus the standard ones.
    statuses: Vec<StatusCount>,
}

impl OperationIndex {
    /// Indexes `operations` (at most 2^32 of them).
    pub fn new(operations: &[OperationSummary]) -> Self {
        let mut statuses: Vec<StatusCount> = STANDARD
            .iter()
            .map(|s| StatusCount {
                key: s.key(),
                status: s.clone(),
                count: 0,
            })
            .collect();
        let mut slots: HashMap<String, u16> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.clone(), i as u16))
            .collect();
        let mut slot = Vec::with_capacity(operations.len());
        let mut haystack = Vec::with_capacity(operations.len());
        for op in operations {
            let status = op.effective_status();
            let key = status.key();
            let next = statuses.len();
            let index = *slots.entry(key.clone()).or_insert_with(|| {
                statuses.push(StatusCount {
                    key,
                    status,
                    count: 0,
                });
                // More than 65,535 distinct statuses cannot come from a real service; they
                // share the last slot rather than overflow.
                next.min(u16::MAX as usize) as u16
            });
            statuses[index as usize].count += 1;
            slot.push(index);
            let mut text = op.id.as_str().to_ascii_lowercase();
            if let Some(kind) = &op.submission_type {
                text.push(' ');
                text.push_str(&kind.to_ascii_lowercase());
                text.push(' ');
                text.push_str(&normalize(kind));
                // What the page shows ("go live") finds it too.
                text.push(' ');
                text.push_str(&crate::api::submission_type_label(kind).to_ascii_lowercase());
            }
            haystack.push(text);
        }
        let mut order: Vec<u32> = (0..operations.len() as u32).collect();
        let when: Vec<_> = operations
            .iter()
            .map(|o| (o.changed_at(), o.version))
            .collect();
        order.sort_by(|&a, &b| when[b as usize].cmp(&when[a as usize]));
        Self {
            order,
            slot,
            haystack,
            statuses,
        }
    }

    /// The toggles: the standard statuses first, then every other status seen.
    pub fn counts(&self) -> &[StatusCount] {
        &self.statuses
    }

    /// Number of operations indexed.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when there are no operations.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Indices (into the indexed slice) of the operations the filter keeps, newest first.
    pub fn apply(&self, filter: &StatusFilter) -> Vec<usize> {
        let wanted: Vec<bool> = self
            .statuses
            .iter()
            .map(|s| filter.statuses.is_empty() || filter.statuses.contains(&s.key))
            .collect();
        let needle = filter.text.trim().to_ascii_lowercase();
        self.order
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| wanted[self.slot[i] as usize])
            .filter(|&i| needle.is_empty() || self.haystack[i].contains(&needle))
            .collect()
    }
}

/// Which answer the offer page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownList {
    /// The latest answer.
    Latest,
    /// The last full list (every status).
    Full,
}

/// Which list to show while the answer for the wanted status may still be on its way:
/// the latest answer when it was asked for what is wanted; the last full list when all
/// statuses are wanted again (it shows everything at once while it is fetched anew); the
/// latest answer when it is a full list (filtering it client-side is right for any status);
/// else the full list when there is one.
pub fn choose_list(
    wanted: Option<&PublishStatus>,
    latest: Option<&PublishStatus>,
    have_full: bool,
) -> ShownList {
    let same = |a: &PublishStatus, b: &PublishStatus| a.key() == b.key();
    match (wanted, latest) {
        (None, None) => ShownList::Latest,
        (Some(w), Some(l)) if same(w, l) => ShownList::Latest,
        (None, Some(_)) if have_full => ShownList::Full,
        (_, None) => ShownList::Latest,
        _ if have_full => ShownList::Full,
        _ => ShownList::Latest,
    }
}

/// The toggles' counts for the list shown. With one status sent to the API the answer holds
/// only that status, so the other counts come from the last full list, when there was one.
pub fn toggle_counts(
    shown_status: Option<&PublishStatus>,
    shown: &OperationIndex,
    full: Option<&OperationIndex>,
) -> Vec<StatusCount> {
    match (shown_status, full) {
        (Some(sent), Some(full)) => StatusCount::with_single(full.counts(), sent, shown.len()),
        _ => shown.counts().to_vec(),
    }
}
