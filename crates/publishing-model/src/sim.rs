//! A deterministic simulation of the CPP service: publishers, offers and operations whose
//! steps advance through the six publishing steps as `advance(dt)` is called. The proxy's
//! `--simulate` mode serves it over HTTP and the app runs it in the browser as its demo.
//!
//! Same seed and same calls, same world: the clock is `now` passed in and moved by `advance`,
//! the randomness a seeded SplitMix64 (a dozen lines in `rng` rather than a `rand` dependency,
//! which would pull `getrandom` into the wasm bundle for nothing).

mod ingestion;
mod operation;
mod rng;
mod scenarios;
pub use ingestion::{JobCancel, PRODUCTS_PER_PAGE};
pub use scenarios::BUSY_MESSAGES;

use operation::{message, SignOff, SimOffer, SimOperation, SimStep};
pub use operation::{StepTemplate, PUBLISH_STEPS};
pub use rng::SplitMix64;

use chrono::{DateTime, TimeDelta, Utc};

use crate::api::{
    DisplayDefinition, OfferStatus, OfferSummary, OperationDetail, OperationSummary, Publisher,
    Timestamp,
};
use crate::ids::{OfferId, OperationId, PublisherId};
use crate::status::{CancellationState, MessageLevel, PublishStatus};

/// The answer to a cancel request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CancelOutcome {
    /// Accepted: the running operation (its id) is being canceled.
    Accepted(OperationId),
    /// No operation is running.
    NothingRunning,
    /// The running operation is past publisher sign-off.
    TooLate,
}

/// The answer to a go-live request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoLiveOutcome {
    /// Signed off: the preview's operation ended, and a new `goLive` operation (its id) runs.
    Started(OperationId),
    /// No operation of the offer waits for the publisher's sign-off.
    NotWaiting,
}

/// The whole simulated service.
#[derive(Clone, Debug)]
pub struct World {
    rng: SplitMix64,
    now: DateTime<Utc>,
    publishers: Vec<(PublisherId, &'static str, &'static str)>,
    offers: Vec<SimOffer>,
}

impl World {
    /// The standard world: every scenario of the dashboard present at `now`.
    pub fn new(seed: u64, now: DateTime<Utc>) -> Self {
        scenarios::build(seed, now)
    }

    /// The world's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Moves the clock forward by `dt` (ignored when negative) and lets operations progress.
    pub fn advance(&mut self, dt: TimeDelta) {
        let Some(now) = self.now.checked_add_signed(dt.max(TimeDelta::zero())) else {
            return;
        };
        self.now = now;
        // Bounded: a huge `dt` cannot spin forever creating operations.
        for _ in 0..64 {
            let mut started_any = false;
            for o in 0..self.offers.len() {
                if let Some(op) = self.offers[o].operations.last_mut() {
                    if let Some(done) = op.advance(now) {
                        if self.offers[o].autopilot {
                            let idle = self.rng.between(TimeDelta::hours(2), TimeDelta::hours(12));
                            self.offers[o].next_start = Some(done + idle);
                        }
                    }
                }
                if let Some(start) = self.offers[o].next_start.filter(|s| *s <= now) {
                    self.offers[o].next_start = None;
                    self.start_publish(o, start);
                    started_any = true;
                }
            }
            if !started_any {
                break;
            }
        }
    }

    fn start_publish(&mut self, offer: usize, at: DateTime<Utc>) {
        let sign_off = SignOff::After(self.rng.between(TimeDelta::hours(1), TimeDelta::hours(20)));
        let op = self.new_operation(offer, "publish", &PUBLISH_STEPS, at, sign_off);
        self.offers[offer].operations.push(op);
    }

    fn new_operation(
        &mut self,
        offer: usize,
        kind: &'static str,
        templates: &[StepTemplate],
        at: DateTime<Utc>,
        sign_off: SignOff,
    ) -> SimOperation {
        let rng = &mut self.rng;
        let steps = templates
            .iter()
            .map(|t| SimStep::new(*t, rng, sign_off))
            .collect();
        let previous = self.offers[offer].operations.last();
        let offer_version = previous.map_or(1, |p| p.offer_version + 1);
        SimOperation {
            id: OperationId(self.rng.guid()),
            submission_type: kind,
            slot: if kind == "goLive" {
                "production"
            } else {
                "staging"
            },
            offer_version,
            publishing_version: offer_version + 1,
            status: PublishStatus::Running,
            created: at,
            changed: at,
            steps,
            error: None,
        }
    }

    fn offer(&self, publisher: &PublisherId, offer: &OfferId) -> Option<&SimOffer> {
        self.offers
            .iter()
            .find(|o| &o.publisher == publisher && &o.id == offer)
    }

    /// The publishers (`GET /api/publishers`).
    pub fn publishers(&self) -> Vec<Publisher> {
        self.publishers
            .iter()
            .map(|(id, name, seller)| Publisher {
                id: id.clone(),
                definition: Some(DisplayDefinition {
                    display_text: Some((*name).to_owned()),
                    seller_id: Some((*seller).to_owned()),
                }),
            })
            .collect()
    }

    /// A publisher's offers; `None` when the publisher does not exist.
    pub fn offers(&self, publisher: &PublisherId) -> Option<Vec<OfferSummary>> {
        self.publishers.iter().find(|(id, ..)| id == publisher)?;
        Some(
            self.offers
                .iter()
                .filter(|o| &o.publisher == publisher)
                .map(|o| {
                    let last = o.operations.last();
                    OfferSummary {
                        id: o.id.clone(),
                        offer_type_id: Some(o.type_id.to_owned()),
                        publisher_id: Some(o.publisher.clone()),
                        status: Some(offer_status_of(last)),
                        version: last.map(|op| op.offer_version),
                        definition: Some(DisplayDefinition {
                            display_text: Some(o.display.clone()),
                            seller_id: None,
                        }),
                        changed_time: last.map(|op| Timestamp::from_instant(op.changed)),
                        pc_migration_status: Some(
                            if o.migrated { "migrated" } else { "none" }.to_owned(),
                        ),
                        pc_redirect_uri: o.migrated.then(|| {
                            "https://partner.microsoft.com/dashboard/commercial-marketplace/overview"
                                .to_owned()
                        }),
                    }
                })
                .collect(),
        )
    }

    /// An offer's operations, optionally only those whose status matches `status` (compared
    /// like every status: ignoring case and separators); `None` when the offer does not exist.
    pub fn operations(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        status: Option<&str>,
    ) -> Option<Vec<OperationSummary>> {
        let o = self.offer(publisher, offer)?;
        let wanted = status.filter(|s| !s.trim().is_empty()).map(|s| {
            s.parse::<PublishStatus>()
                .unwrap_or_else(|n| match n {})
                .key()
        });
        Some(
            o.operations
                .iter()
                .filter(|op| wanted.as_ref().is_none_or(|w| &op.status.key() == w))
                .map(|op| op.summary(o))
                .collect(),
        )
    }

    /// One operation with its steps; `None` when it does not exist.
    pub fn operation(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        operation: &OperationId,
    ) -> Option<OperationDetail> {
        let o = self.offer(publisher, offer)?;
        let op = o.operations.iter().find(|op| &op.id == operation)?;
        Some(op.detail(self.now))
    }

    /// The offer's current status: that of its latest operation.
    pub fn offer_status(&self, publisher: &PublisherId, offer: &OfferId) -> Option<OfferStatus> {
        let o = self.offer(publisher, offer)?;
        let last = o.operations.last();
        Some(OfferStatus {
            status: Some(offer_status_of(last)),
            messages: Vec::new(),
            steps: last
                .map(|op| op.steps.iter().map(|s| s.to_api(self.now)).collect())
                .unwrap_or_default(),
            preview_links: Vec::new(),
            live_links: Vec::new(),
            notification_emails: Some(format!("publishing@{}.example", o.publisher)),
        })
    }

    /// The publisher signs off the offer's preview: the waiting publish operation ends at its
    /// sign-off step, and a new `goLive` operation takes the offer live. `None` when the
    /// offer does not exist.
    pub fn go_live(&mut self, publisher: &PublisherId, offer: &OfferId) -> Option<GoLiveOutcome> {
        let now = self.now;
        let index = self
            .offers
            .iter()
            .position(|o| &o.publisher == publisher && &o.id == offer)?;
        let o = &mut self.offers[index];
        let Some(op) = o
            .operations
            .last_mut()
            .filter(|op| op.status == PublishStatus::Running)
        else {
            return Some(GoLiveOutcome::NotWaiting);
        };
        let Some(sign_off) = op
            .steps
            .iter()
            .position(|s| s.status == PublishStatus::WaitingForPublisherReview)
        else {
            return Some(GoLiveOutcome::NotWaiting);
        };
        op.steps[sign_off].messages.push(message(
            MessageLevel::Information,
            "Signed off by the publisher: a goLive operation takes the offer live.",
            now,
        ));
        op.steps[sign_off].complete(now);
        // The preview's operation ends here; going live is an operation of its own.
        op.steps.truncate(sign_off + 1);
        op.status = PublishStatus::Completed;
        op.changed = now;
        o.next_start = None;
        let sign_off = SignOff::After(TimeDelta::zero());
        let live = self.new_operation(index, "goLive", &PUBLISH_STEPS[5..], now, sign_off);
        let id = live.id.clone();
        self.offers[index].operations.push(live);
        // Its first step starts at once.
        self.advance(TimeDelta::zero());
        Some(GoLiveOutcome::Started(id))
    }

    /// Cancels the offer's running operation, if it is still before publisher sign-off.
    /// `None` when the offer does not exist.
    pub fn cancel(&mut self, publisher: &PublisherId, offer: &OfferId) -> Option<CancelOutcome> {
        let now = self.now;
        let o = self
            .offers
            .iter_mut()
            .find(|o| &o.publisher == publisher && &o.id == offer)?;
        let Some(op) = o
            .operations
            .last_mut()
            .filter(|op| op.status == PublishStatus::Running)
        else {
            return Some(CancelOutcome::NothingRunning);
        };
        if op.cancellation_state() != CancellationState::CanCancel {
            return Some(CancelOutcome::TooLate);
        }
        for step in &mut op.steps {
            if step.status != PublishStatus::Completed {
                step.status = PublishStatus::Canceled;
                step.messages.push(message(
                    MessageLevel::Warning,
                    "Canceled at the publisher's request.",
                    now,
                ));
            }
        }
        op.status = PublishStatus::Canceled;
        op.changed = now;
        // An autopilot offer would restart at once; give the canceled state time to be seen.
        o.next_start = o.autopilot.then(|| now + TimeDelta::days(1));
        Some(CancelOutcome::Accepted(op.id.clone()))
    }
}

fn offer_status_of(last: Option<&SimOperation>) -> PublishStatus {
    match last {
        None => PublishStatus::NeverPublished,
        Some(op) if op.status == PublishStatus::Running => op
            .steps
            .iter()
            .find(|s| s.status.kind().is_active() || s.status == PublishStatus::Blocked)
            .map(|s| match s.status {
                PublishStatus::WaitingForPublisherReview | PublishStatus::Blocked => {
                    s.status.clone()
                }
                _ => PublishStatus::Running,
            })
            .unwrap_or(PublishStatus::Running),
        Some(op) => op.status.clone(),
    }
}
