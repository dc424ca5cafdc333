//! One look at an offer: what the watcher keeps of it between polls (in its store, as JSON)
//! to compare the next look with.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::api::OfferStatus;
use crate::attention::Attention;
use crate::changes::OfferSnapshot;
use crate::status::{PublishStatus, StatusKind};
use crate::timeline::operation_timeline;

/// At most this many error texts are kept of one look, each at most [`MAX_TEXT`] characters.
const MAX_ERRORS: usize = 50;
const MAX_TEXT: usize = 500;

/// One step as seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLook {
    /// Its key ([`crate::timeline::step_key`]): its id, else its place.
    #[serde(default)]
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: PublishStatus,
}

/// One look at an offer's status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Look {
    /// When.
    pub at: DateTime<Utc>,
    /// The offer's name.
    pub name: String,
    /// Its status (agreeing with its steps).
    pub status: PublishStatus,
    /// Which publish this is: when the watcher first saw it under way (or first saw the
    /// offer). Deduplication keys name the publish by it.
    pub publish: String,
    /// Its steps.
    pub steps: Vec<StepLook>,
    /// The blocked step, when blocked.
    pub blocked: Option<String>,
    /// Error messages, as text.
    pub errors: Vec<String>,
    /// Overdue steps (stuck ones included).
    pub overdue: Vec<String>,
    /// Probably stuck steps.
    pub stuck: Vec<String>,
    /// Waiting for the publisher's sign-off, since (or since this look).
    pub waiting_since: Option<DateTime<Utc>>,
    /// Live links were given: the offer is live.
    pub live: bool,
    /// The sign-off was last told then (carried from look to look while it waits).
    pub signoff_told: Option<DateTime<Utc>>,
    /// Reminders of that sign-off so far.
    pub reminders: u32,
    /// This publish was seen waiting for the sign-off: its completion is a go-live.
    #[serde(default)]
    pub signed_off: bool,
}

fn clipped(text: &str) -> String {
    text.chars().take(MAX_TEXT).collect()
}

impl Look {
    /// A look at `status` (the offer named `name`) at `at`; `quiet_limit` as on the page.
    /// The publish is named by `at` until [`Look::after`] carries the earlier one over.
    pub fn of(name: &str, status: &OfferStatus, at: DateTime<Utc>, quiet_limit: TimeDelta) -> Self {
        let t = operation_timeline(
            &status.as_operation(),
            None,
            &Default::default(),
            at,
            quiet_limit,
        );
        let snapshot = OfferSnapshot::from_parts(
            name,
            &status.steps,
            &status.messages,
            t.headline.clone(),
            &t.health,
        );
        let attention = Attention::of(&status.steps, &t, None);
        let waiting_since = match attention {
            Attention::SignOff { since } => Some(since.unwrap_or(at).min(at)),
            _ => None,
        };
        let blocked = match &attention {
            Attention::Blocked { step, .. } => Some(step.clone()),
            _ if t.headline.kind() == StatusKind::Blocked => Some(String::new()),
            _ => None,
        };
        let mut errors: Vec<String> = Vec::new();
        for e in snapshot.errors.iter().map(|e| clipped(e)) {
            if errors.len() < MAX_ERRORS && !errors.contains(&e) && !e.trim().is_empty() {
                errors.push(e);
            }
        }
        Self {
            at,
            name: clipped(name),
            status: t.headline.clone(),
            publish: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            steps: status
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| StepLook {
                    key: crate::timeline::step_key(i, s),
                    name: clipped(s.display_name()),
                    status: s.status_or_unknown(),
                })
                .collect(),
            blocked: blocked.map(|s| clipped(&s)),
            errors,
            overdue: snapshot.overdue.iter().map(|s| clipped(s)).collect(),
            stuck: snapshot.stuck.iter().map(|s| clipped(s)).collect(),
            waiting_since,
            live: !status.live_links.is_empty(),
            signoff_told: None,
            reminders: 0,
            signed_off: waiting_since.is_some(),
        }
    }

    /// True while something is under way or waits: polled every `running_every`.
    pub fn active(&self) -> bool {
        let kind = self.status.kind();
        kind.is_active() || kind == StatusKind::Blocked
    }

    /// True when the publish is over (failed, canceled, completed).
    pub fn over(&self) -> bool {
        matches!(
            self.status.kind(),
            StatusKind::Failed | StatusKind::Canceled | StatusKind::Succeeded
        )
    }

    /// This look, following `before`: the same publish (and what was told of it) unless a
    /// new one began (the last was over, or idle, and this one is under way).
    pub fn after(mut self, before: &Look) -> Self {
        let new_publish = (before.over() || !before.active()) && self.active();
        if !new_publish {
            self.publish = before.publish.clone();
            self.signed_off |= before.signed_off;
            if self.waiting_since.is_some() {
                self.signoff_told = before.signoff_told;
                self.reminders = before.reminders;
                self.waiting_since = before.waiting_since.or(self.waiting_since);
            }
        }
        self
    }

    /// The step the publish stands at: the first that is not done.
    pub fn current_step(&self) -> Option<&str> {
        self.steps
            .iter()
            .find(|s| !matches!(s.status.kind(), StatusKind::Succeeded))
            .or(self.steps.last())
            .map(|s| s.name.as_str())
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From the stored form; `None` when it cannot be read (the next look is then a first).
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}
