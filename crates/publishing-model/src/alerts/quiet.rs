//! When a message may go: held through a rule's quiet hours, and grouped with the others of
//! the same operation that arrive within `group_wait`.

use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeDelta, Utc};

/// A daily window, in the rule's own time zone, when nothing is sent (`22:00-07:00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    /// From (inclusive).
    pub from: NaiveTime,
    /// To (exclusive); before `from` when the window spans midnight.
    pub to: NaiveTime,
}

impl QuietHours {
    /// Reads `HH:MM-HH:MM` (the time zone is the caller's).
    pub fn parse(text: &str) -> Option<Self> {
        let (from, to) = text.trim().split_once('-')?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
        let (from, to) = (time(from)?, time(to)?);
        (from != to).then_some(Self { from, to })
    }

    /// True when `local` (a wall-clock time in the rule's zone) is inside the window.
    pub fn holds(&self, local: NaiveTime) -> bool {
        if self.from < self.to {
            self.from <= local && local < self.to
        } else {
            local >= self.from || local < self.to
        }
    }

    /// When a message due at `local` may go: `None` when it may go now, else the window's
    /// end (that day, or the next).
    pub fn held_until(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        if !self.holds(local.time()) {
            return None;
        }
        let end = local.date().and_time(self.to);
        Some(if end > local {
            end
        } else {
            end + TimeDelta::days(1)
        })
    }
}

/// A message waiting in the outbox, as [`batches`] sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// Its row's key.
    pub id: String,
    /// Its operation ([`super::Event::group`]).
    pub group: String,
    /// When its event was written.
    pub created: DateTime<Utc>,
}

/// Which pending rows of one channel go out now, as one message each batch: the rows of one
/// operation go together once the oldest of them has waited `group_wait`; a row arriving
/// later than that goes in the next batch. In the rows' order (oldest first).
pub fn batches(pending: &[Pending], now: DateTime<Utc>, group_wait: TimeDelta) -> Vec<Vec<String>> {
    let mut sorted: Vec<&Pending> = pending.iter().collect();
    sorted.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    let mut out: Vec<(String, DateTime<Utc>, Vec<String>)> = Vec::new();
    for p in sorted {
        match out
            .iter_mut()
            .find(|(g, first, _)| *g == p.group && p.created - *first <= group_wait)
        {
            Some((_, _, ids)) => ids.push(p.id.clone()),
            None => out.push((p.group.clone(), p.created, vec![p.id.clone()])),
        }
    }
    out.into_iter()
        .filter(|(_, first, _)| now - *first >= group_wait)
        .map(|(_, _, ids)| ids)
        .collect()
}
