//! What changed between two looks at the offers on screen: a status, a new error message, a
//! step that became overdue or probably stuck (as [`crate::attention`] judges them). These
//! become notifications and the list of recent changes. The first look is no change.

use std::collections::BTreeMap;

use crate::api::{Message, OfferStatus, Step};
use crate::ids::OfferId;
use crate::status::{MessageLevel, PublishStatus, StatusKind};
use crate::support::plain_text;
use crate::timeline::StepHealth;

/// What is compared of one offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferSnapshot {
    /// The offer's name, for the words of a change.
    pub name: String,
    /// Its status (agreeing with its steps).
    pub status: PublishStatus,
    /// Its error messages, as text.
    pub errors: Vec<String>,
    /// The names of its overdue steps (probably stuck ones included).
    pub overdue: Vec<String>,
    /// The names of its probably stuck steps.
    pub stuck: Vec<String>,
}

impl OfferSnapshot {
    /// What to compare of an offer's status document; `health` is each step's, same order.
    pub fn of(
        name: &str,
        status: &OfferStatus,
        headline: PublishStatus,
        health: &[StepHealth],
    ) -> Self {
        Self::from_parts(name, &status.steps, &status.messages, headline, health)
    }

    /// The same from an operation's (or offer's) steps and own messages, borrowed.
    pub fn from_parts(
        name: &str,
        steps: &[Step],
        messages: &[Message],
        headline: PublishStatus,
        health: &[StepHealth],
    ) -> Self {
        let errors = steps
            .iter()
            .flat_map(|s| &s.messages)
            .chain(messages)
            .filter(|m| m.level == Some(MessageLevel::Error))
            .map(|m| plain_text(m.html.as_deref().unwrap_or_default()))
            .collect();
        // A publish that is over is neither late nor stuck, whatever its last plan said.
        let going = !matches!(
            headline.kind(),
            StatusKind::Failed | StatusKind::Canceled | StatusKind::Succeeded
        );
        let named = |keep: fn(&StepHealth) -> bool| -> Vec<String> {
            steps
                .iter()
                .zip(health)
                .filter(|(_, h)| going && keep(h))
                .map(|(s, _)| s.display_name().to_owned())
                .collect()
        };
        Self {
            name: name.to_owned(),
            status: headline,
            errors,
            overdue: named(|h| !matches!(h, StepHealth::OnTrack)),
            stuck: named(|h| matches!(h, StepHealth::ProbablyStuck { .. })),
        }
    }
}

/// Every offer looked at, by id.
pub type Snapshot = BTreeMap<OfferId, OfferSnapshot>;

/// One change worth telling the publisher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The status moved.
    Status {
        /// The offer.
        offer: OfferId,
        /// Its name.
        name: String,
        /// Before.
        from: PublishStatus,
        /// Now.
        to: PublishStatus,
    },
    /// A new error message.
    Error {
        /// The offer.
        offer: OfferId,
        /// Its name.
        name: String,
        /// The message, as text.
        text: String,
    },
    /// A step became overdue.
    Overdue {
        /// The offer.
        offer: OfferId,
        /// Its name.
        name: String,
        /// The step.
        step: String,
    },
    /// A step became probably stuck: overdue and silent for the quiet limit.
    Stuck {
        /// The offer.
        offer: OfferId,
        /// Its name.
        name: String,
        /// The step.
        step: String,
    },
}

impl Change {
    /// The offer it is about.
    pub fn offer(&self) -> &OfferId {
        match self {
            Self::Status { offer, .. }
            | Self::Error { offer, .. }
            | Self::Overdue { offer, .. }
            | Self::Stuck { offer, .. } => offer,
        }
    }
}

/// The changes from `old` to `new`. No earlier look (`None`) means no change, and an offer
/// seen for the first time is not a change either: only what moved while on screen.
pub fn changes(old: Option<&Snapshot>, new: &Snapshot) -> Vec<Change> {
    let Some(old) = old else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (offer, now) in new {
        let Some(before) = old.get(offer) else {
            continue;
        };
        let name = now.name.clone();
        if before.status.key() != now.status.key() {
            out.push(Change::Status {
                offer: offer.clone(),
                name: name.clone(),
                from: before.status.clone(),
                to: now.status.clone(),
            });
        }
        for text in now.errors.iter().filter(|e| !before.errors.contains(e)) {
            out.push(Change::Error {
                offer: offer.clone(),
                name: name.clone(),
                text: text.clone(),
            });
        }
        for step in now.stuck.iter().filter(|s| !before.stuck.contains(s)) {
            out.push(Change::Stuck {
                offer: offer.clone(),
                name: name.clone(),
                step: step.clone(),
            });
        }
        // A step that went from on time to stuck at once is told as stuck alone.
        let newly_overdue = now
            .overdue
            .iter()
            .filter(|s| !before.overdue.contains(s) && !now.stuck.contains(s));
        for step in newly_overdue {
            out.push(Change::Overdue {
                offer: offer.clone(),
                name: name.clone(),
                step: step.clone(),
            });
        }
    }
    out
}
