//! The events two successive looks at an offer make, each with a stable deduplication key.
//!
//! The first look is no change: it never tells that an offer went live or was canceled. A
//! state found on it that needs someone (waiting for the sign-off, blocked, stuck) is told
//! once, marked as found on the first look. An upstream error is never an event: a look is
//! only made of an answer.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::look::Look;
use crate::ids::{OfferId, PublisherId};
use crate::status::{PublishStatus, StatusKind};

/// What the watcher tells, and how it tells it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlertPolicy {
    /// A sign-off still waiting is told again this often.
    pub signoff_reminder: TimeDelta,
}

impl Default for AlertPolicy {
    fn default() -> Self {
        Self {
            signoff_reminder: TimeDelta::hours(24),
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The preview waits for the publisher's sign-off (or still does: a reminder).
    Signoff,
    /// A step is blocked.
    Blocked,
    /// The publish failed.
    Failed,
    /// The publish was canceled.
    Canceled,
    /// A go-live completed: the offer is live.
    Live,
    /// A new error-level message.
    Error,
    /// A step is past its estimate.
    Overdue,
    /// A step is past its estimate and silent for the quiet limit.
    Stuck,
}

impl EventKind {
    /// Every kind, in the order a message tells them.
    pub const ALL: [Self; 8] = [
        Self::Blocked,
        Self::Failed,
        Self::Stuck,
        Self::Signoff,
        Self::Error,
        Self::Overdue,
        Self::Canceled,
        Self::Live,
    ];

    /// Its name in the config file, the webhook's `type` and the key.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Signoff => "signoff",
            Self::Blocked => "blocked",
            Self::Failed => "failed",
            Self::Canceled => "canceled",
            Self::Live => "live",
            Self::Error => "error",
            Self::Overdue => "overdue",
            Self::Stuck => "stuck",
        }
    }

    /// The kind named `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// Which service an event's offer is in: its link goes to that source's page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// The CPP API (the dashboard's `live` source).
    #[default]
    Cpp,
    /// Product Ingestion (the `ingestion` source; the publisher is the account).
    Ingestion,
}

/// One thing a publisher must know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The publisher.
    pub publisher: PublisherId,
    /// The offer.
    pub offer: OfferId,
    /// The offer's name.
    pub offer_name: String,
    /// The publish it is about ([`Look::publish`]).
    pub publish: String,
    /// The step, when one is.
    pub step: Option<String>,
    /// The offer's status then.
    pub status: PublishStatus,
    /// The error message, as text, for `error`.
    pub message: Option<String>,
    /// Found on the watcher's first look at the offer, not seen happening.
    pub first_look: bool,
    /// Since when the state holds, when known (a sign-off waiting for 2 days).
    pub since: Option<DateTime<Utc>>,
    /// 0 for the first notice, n for the n-th reminder.
    pub reminder: u32,
    /// When the watcher saw it.
    pub occurred_at: DateTime<Utc>,
    /// The service.
    #[serde(default)]
    pub service: Service,
}

impl Event {
    /// The deduplication key: publisher, offer, publish, step and what happened (the
    /// reminder's number, the message's fingerprint). The same event always has the same key.
    pub fn key(&self) -> String {
        let mut key = format!(
            "{}/{}/{}/{}/{}",
            self.publisher.as_str(),
            self.offer.as_str(),
            self.publish,
            self.step
                .as_deref()
                .map_or_else(String::new, super::fingerprint),
            self.kind.slug()
        );
        if let Some(message) = &self.message {
            key.push('/');
            key.push_str(&super::fingerprint(message));
        }
        if self.reminder > 0 {
            key.push_str(&format!("/{}", self.reminder));
        }
        key
    }

    /// The events of one operation go out together: publisher, offer and publish.
    pub fn group(&self) -> String {
        format!(
            "{}/{}/{}",
            self.publisher.as_str(),
            self.offer.as_str(),
            self.publish
        )
    }
}

/// The events from `before` (none on the first look) to `now`, and `now` with what was told
/// carried on (store it for the next look). `before` and `now` are looks at one offer.
pub fn events(
    publisher: &PublisherId,
    offer: &OfferId,
    before: Option<&Look>,
    now: Look,
    policy: &AlertPolicy,
) -> (Vec<Event>, Look) {
    let mut now = match before {
        Some(b) => now.after(b),
        None => now,
    };
    let at = now.at;
    let mut out = Vec::new();
    let base = Event {
        kind: EventKind::Signoff,
        publisher: publisher.clone(),
        offer: offer.clone(),
        offer_name: now.name.clone(),
        publish: now.publish.clone(),
        step: None,
        status: now.status.clone(),
        message: None,
        first_look: false,
        since: None,
        reminder: 0,
        occurred_at: at,
        service: Service::Cpp,
    };
    let event = |kind: EventKind, step: Option<String>, first_look: bool| Event {
        kind,
        step,
        first_look,
        ..base.clone()
    };
    let first = before.is_none();
    let kind = now.status.kind();
    let was = before.map(|b| b.status.kind());
    let same_publish = before.is_some_and(|b| b.publish == now.publish);
    let changed_to = |k: StatusKind| kind == k && (!same_publish || was != Some(k));

    // Blocked: on the first look, or on becoming blocked.
    if let Some(step) = &now.blocked {
        let was_blocked = same_publish && before.is_some_and(|b| b.blocked.is_some());
        if !was_blocked {
            out.push(event(EventKind::Blocked, non_empty(step), first));
        }
    }
    // Ended: never on the first look.
    if !first {
        if changed_to(StatusKind::Failed) {
            out.push(event(
                EventKind::Failed,
                now.current_step().map(str::to_owned),
                false,
            ));
        }
        if changed_to(StatusKind::Canceled) {
            out.push(event(EventKind::Canceled, None, false));
        }
        if changed_to(StatusKind::Succeeded) && (now.live || now.signed_off) {
            out.push(event(EventKind::Live, None, false));
        }
    }
    // Stuck and overdue: newly so (or found stuck on the first look); none once it is over.
    if !now.over() {
        let (old_stuck, old_overdue) = match before.filter(|_| same_publish) {
            Some(b) => (b.stuck.clone(), b.overdue.clone()),
            None => (Vec::new(), Vec::new()),
        };
        for step in now.stuck.iter().filter(|s| !old_stuck.contains(s)) {
            out.push(event(EventKind::Stuck, Some(step.clone()), first));
        }
        if !first {
            let newly = now
                .overdue
                .iter()
                .filter(|s| !old_overdue.contains(s) && !now.stuck.contains(s));
            for step in newly {
                out.push(event(EventKind::Overdue, Some(step.clone()), false));
            }
        }
    }
    // New error messages, once each: none found on the first look.
    if let Some(b) = before {
        for text in now.errors.iter().filter(|e| !b.errors.contains(e)) {
            let mut e = event(
                EventKind::Error,
                now.current_step().map(str::to_owned),
                false,
            );
            e.message = Some(text.clone());
            out.push(e);
        }
    }
    // The sign-off: told when it begins (or is found), then every `signoff_reminder`.
    if let Some(since) = now.waiting_since {
        let step = now
            .steps
            .iter()
            .find(|s| s.status.kind() == StatusKind::WaitingForPublisher)
            .map(|s| s.name.clone());
        match now.signoff_told {
            None => {
                let mut e = event(EventKind::Signoff, step, first);
                e.since = Some(since);
                out.push(e);
                now.signoff_told = Some(at);
                now.reminders = 0;
            }
            Some(told) if at - told >= policy.signoff_reminder => {
                let mut e = event(EventKind::Signoff, step, false);
                e.since = Some(since);
                e.reminder = now.reminders + 1;
                out.push(e);
                now.signoff_told = Some(at);
                now.reminders += 1;
            }
            Some(_) => {}
        }
    } else {
        now.signoff_told = None;
        now.reminders = 0;
    }
    (out, now)
}

fn non_empty(step: &str) -> Option<String> {
    (!step.trim().is_empty()).then(|| step.to_owned())
}
