//! One message feed for an operation: its own messages and every step's, merged in time
//! order, identical repeats collapsed with a count, each with a stable anchor, grouped by
//! level for filtering.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::api::{Message, Step};
use crate::status::MessageLevel;
use crate::timeline::step_key;

/// The level groups the feed filters by. The service's level words vary (`Error`,
/// `informational`); they are read once, into `MessageLevel`, and grouped here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LevelGroup {
    /// Errors.
    Error,
    /// Warnings.
    Warning,
    /// Information, and messages with no level.
    Information,
    /// A level word never seen before.
    Other,
}

impl LevelGroup {
    /// Every group, most severe first.
    pub const ALL: [LevelGroup; 4] = [Self::Error, Self::Warning, Self::Information, Self::Other];

    /// The group of a message's level.
    pub fn of(level: Option<&MessageLevel>) -> Self {
        match level {
            Some(MessageLevel::Error) => Self::Error,
            Some(MessageLevel::Warning) => Self::Warning,
            Some(MessageLevel::Information) | None => Self::Information,
            Some(MessageLevel::Other(_)) => Self::Other,
        }
    }

    /// CSS-safe and URL-safe name.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Information => "information",
            Self::Other => "other",
        }
    }
}

/// One entry of the feed: a message, or a run of identical ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    /// `msg-…`: stable across polls, for links.
    pub anchor: String,
    /// The step it belongs to (index in the order sent), or none for the operation's own.
    pub step: Option<usize>,
    /// The message (its first occurrence).
    pub message: Message,
    /// Its level group.
    pub group: LevelGroup,
    /// When it was first said.
    pub at: Option<DateTime<Utc>>,
    /// When it was last said (the same as `at` unless repeated).
    pub last_at: Option<DateTime<Utc>>,
    /// How many times it was said.
    pub count: usize,
}

/// FNV-1a: a short, stable, dependency-free fingerprint for anchors (not for security).
fn fingerprint(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The merged feed of an operation's own messages and its steps'.
pub fn feed(own: &[Message], steps: &[Step]) -> Vec<FeedEntry> {
    let mut all: Vec<(Option<usize>, &Message)> = own.iter().map(|m| (None, m)).collect();
    for (i, step) in steps.iter().enumerate() {
        all.extend(step.messages.iter().map(|m| (Some(i), m)));
    }
    let at = |m: &Message| m.timestamp.as_ref().and_then(|t| t.parsed);
    // Timed messages in time order, then the untimed ones as sent; the sort is stable.
    all.sort_by_key(|(_, m)| (at(m).is_none(), at(m)));

    let mut entries: Vec<FeedEntry> = Vec::new();
    let mut seen: BTreeMap<(Option<usize>, &str, &str), usize> = BTreeMap::new();
    for (step, message) in all {
        let html = message.html.as_deref().unwrap_or_default();
        let level = message.level.as_ref().map_or("", MessageLevel::as_str);
        if let Some(&index) = seen.get(&(step, level, html)) {
            let entry = &mut entries[index];
            entry.count += 1;
            entry.last_at = entry.last_at.max(at(message));
            continue;
        }
        seen.insert((step, level, html), entries.len());
        let step_part = step.map_or_else(String::new, |i| step_key(i, &steps[i]));
        let mut anchor = format!("msg-{:012x}", fingerprint(&[&step_part, level, html]) >> 16);
        while entries.iter().any(|e| e.anchor == anchor) {
            anchor.push('x');
        }
        entries.push(FeedEntry {
            anchor,
            step,
            message: message.clone(),
            group: LevelGroup::of(message.level.as_ref()),
            at: at(message),
            last_at: at(message),
            count: 1,
        });
    }
    entries
}

/// How many entries each level group has, in [`LevelGroup::ALL`] order.
pub fn level_counts(entries: &[FeedEntry]) -> [(LevelGroup, usize); 4] {
    LevelGroup::ALL.map(|g| (g, entries.iter().filter(|e| e.group == g).count()))
}

/// Consecutive entries of the same step, as ranges of `entries`: the parts of the feed that
/// fold away together.
pub fn runs(entries: &[FeedEntry]) -> Vec<(Option<usize>, std::ops::Range<usize>)> {
    let mut out: Vec<(Option<usize>, std::ops::Range<usize>)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match out.last_mut() {
            Some((step, range)) if *step == entry.step => range.end = i + 1,
            _ => out.push((entry.step, i..i + 1)),
        }
    }
    out
}

/// The newest instant any of an operation's messages (its own or its steps') was said: what
/// "read up to" remembers. No feed needs building for it.
pub fn newest(own: &[Message], steps: &[Step]) -> Option<DateTime<Utc>> {
    steps
        .iter()
        .flat_map(|s| &s.messages)
        .chain(own)
        .filter_map(|m| m.timestamp.as_ref()?.parsed)
        .max()
}

/// Said after `read_up_to`. With no earlier visit, nothing counts as new.
pub fn is_new(entry: &FeedEntry, read_up_to: Option<DateTime<Utc>>) -> bool {
    matches!((entry.last_at, read_up_to), (Some(at), Some(read)) if at > read)
}

/// `step-…`: a step's anchor, from its id (or position), safe in a URL fragment and an HTML id.
pub fn step_anchor(index: usize, step: &Step) -> String {
    let key = step_key(index, step);
    if key.starts_with('#') {
        return format!("step-{index}");
    }
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    // Ids that differ only in unsafe characters would share an anchor: the index keeps
    // them apart.
    if safe == key.to_ascii_lowercase() && !safe.is_empty() {
        format!("step-{safe}")
    } else {
        format!("step-{index}-{safe}")
    }
}
