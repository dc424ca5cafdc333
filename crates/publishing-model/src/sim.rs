//! A deterministic simulation of the CPP service: publishers, offers and operations whose
//! steps advance through the six publishing steps as `advance(dt)` is called. The proxy's
//! `--simulate` mode serves it over HTTP and the app runs it in the browser as its demo.
//!
//! Same seed and same calls, same world: the clock is `now` passed in and moved by `advance`,
//! the randomness a seeded SplitMix64 (a dozen lines here rather than a `rand` dependency,
//! which would pull `getrandom` into the wasm bundle for nothing).

mod scenarios;

use chrono::{DateTime, TimeDelta, Utc};

use crate::api::{
    DisplayDefinition, Message, OfferStatus, OfferSummary, OperationDefinition, OperationDetail,
    OperationMetadata, OperationSummary, Publisher, Step, Timestamp,
};
use crate::ids::{OfferId, OperationId, PublisherId, StepId};
use crate::status::{CancellationState, MessageLevel, PublishStatus};
use crate::time_frame::TimeFrame;

/// A small seeded generator: SplitMix64.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform duration in `[lo, hi]`.
    pub fn between(&mut self, lo: TimeDelta, hi: TimeDelta) -> TimeDelta {
        let span = (hi - lo).num_seconds().max(0) as f64;
        lo + TimeDelta::seconds((span * self.unit()) as i64)
    }

    /// A GUID-shaped id.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// One of the six publishing steps the seeds show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepTemplate {
    /// Step id.
    pub id: &'static str,
    /// Step name.
    pub name: &'static str,
    /// Step description.
    pub description: &'static str,
    /// Estimated time frame text, if the service gives one.
    pub estimate: Option<&'static str>,
}

/// The steps of a publish, as in the seed samples.
pub const PUBLISH_STEPS: [StepTemplate; 6] = [
    StepTemplate {
        id: "displaydummycertify",
        name: "Validate Pre-Requisites",
        description: "Offer settings provided are validated",
        estimate: Some("< 15 min"),
    },
    StepTemplate {
        id: "displaycertify",
        name: "Certification",
        description: "Your offer is analyzed by our certification systems for issues.",
        estimate: Some("< 5 day"),
    },
    StepTemplate {
        id: "displayprovision",
        name: "Provisioning",
        description: "Your virtual machine is being replicated in our production systems.",
        estimate: Some("< 1 day"),
    },
    StepTemplate {
        id: "displaypackage",
        name: "Packaging and Lead Generation Registration",
        description: "Your virtual machine is packaged for being shown to your customers. Additionally, we hookup our lead generation systems to send leads for your offer.",
        estimate: Some("< 1 hour"),
    },
    StepTemplate {
        id: "publisher-signoff",
        name: "Publisher signoff",
        description: "Offer is available to preview. Ensure that everything looks good before making your offer live.",
        estimate: None,
    },
    StepTemplate {
        id: "live",
        name: "Live",
        description: "Offer is publicly visible and is available for purchase.",
        estimate: Some("~2-5 days"),
    },
];

/// Index of the sign-off step in [`PUBLISH_STEPS`]: cancel is possible only before it.
const SIGNOFF: usize = 4;

/// How the simulated publisher behaves at sign-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SignOff {
    /// Signs off after this long.
    After(TimeDelta),
    /// Never signs off: the operation waits for the publisher.
    Never,
}

#[derive(Clone, Debug)]
struct SimStep {
    template: StepTemplate,
    status: PublishStatus,
    planned: TimeDelta,
    started: Option<DateTime<Utc>>,
    messages: Vec<Message>,
}

#[derive(Clone, Debug)]
struct SimOperation {
    id: OperationId,
    submission_type: &'static str,
    slot: &'static str,
    offer_version: u64,
    publishing_version: u64,
    status: PublishStatus,
    created: DateTime<Utc>,
    changed: DateTime<Utc>,
    steps: Vec<SimStep>,
    error: Option<String>,
}

#[derive(Clone, Debug)]
struct SimOffer {
    publisher: PublisherId,
    id: OfferId,
    display: &'static str,
    type_id: &'static str,
    /// Starts a new publish some time after the last one ends, so the demo keeps moving.
    autopilot: bool,
    next_start: Option<DateTime<Utc>>,
    operations: Vec<SimOperation>,
}

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

/// The whole simulated service.
#[derive(Clone, Debug)]
pub struct World {
    rng: SplitMix64,
    now: DateTime<Utc>,
    publishers: Vec<(PublisherId, &'static str, &'static str)>,
    offers: Vec<SimOffer>,
}

/// .NET ticks (100 ns since 0001-01-01): how the service writes `version`.
fn ticks(at: DateTime<Utc>) -> u64 {
    const UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;
    let t = UNIX_EPOCH_TICKS
        + at.timestamp() * 10_000_000
        + i64::from(at.timestamp_subsec_nanos() / 100);
    t.max(0) as u64
}

fn message(level: MessageLevel, html: &str, at: DateTime<Utc>) -> Message {
    Message {
        html: Some(html.to_owned()),
        level: Some(level),
        timestamp: Some(Timestamp::from_instant(at)),
    }
}

impl SimStep {
    fn new(template: StepTemplate, rng: &mut SplitMix64, sign_off: SignOff) -> Self {
        let planned = match (
            template
                .estimate
                .and_then(crate::time_frame::TimeRange::parse),
            sign_off,
        ) {
            (Some(range), _) => {
                let low = range.min.max(range.max / 5);
                rng.between(low, range.max)
            }
            (None, SignOff::After(after)) => after,
            (None, SignOff::Never) => TimeDelta::MAX,
        };
        Self {
            template,
            status: PublishStatus::NotStarted,
            planned,
            started: None,
            messages: Vec::new(),
        }
    }

    fn start(&mut self, at: DateTime<Utc>) {
        self.started = Some(at);
        if self.template.id == "publisher-signoff" {
            self.status = PublishStatus::WaitingForPublisherReview;
            self.messages.push(message(
                MessageLevel::Information,
                "Your offer is available to preview. Sign off to make it <b>live</b>.",
                at,
            ));
        } else {
            self.status = PublishStatus::Running;
            self.messages
                .push(message(MessageLevel::Information, "Step started.", at));
        }
    }

    fn finish_at(&self) -> Option<DateTime<Utc>> {
        self.started?.checked_add_signed(self.planned)
    }

    fn complete(&mut self, at: DateTime<Utc>) {
        self.status = PublishStatus::Completed;
        self.messages
            .push(message(MessageLevel::Information, "Step completed.", at));
    }

    fn progress(&self, now: DateTime<Utc>) -> u8 {
        match (&self.status, self.started) {
            (PublishStatus::Completed, _) => 100,
            (PublishStatus::Running, Some(start)) if self.planned > TimeDelta::zero() => {
                let done =
                    (now - start).num_seconds() as f64 / self.planned.num_seconds().max(1) as f64;
                // Clamped, so the cast cannot truncate; a running step never shows 100.
                (done.clamp(0.0, 0.99) * 100.0) as u8
            }
            _ => 0,
        }
    }

    fn to_api(&self, now: DateTime<Utc>) -> Step {
        Step {
            id: Some(StepId::from(self.template.id)),
            step_name: Some(self.template.name.to_owned()),
            description: Some(self.template.description.to_owned()),
            status: Some(self.status.clone()),
            estimated_time_frame: self.template.estimate.map(TimeFrame::parse),
            progress_percentage: Some(self.progress(now)),
            messages: self.messages.clone(),
        }
    }
}

impl SimOperation {
    fn current_step(&self) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| s.status.kind().is_active() || s.status == PublishStatus::NotStarted)
    }

    fn cancellation_state(&self) -> CancellationState {
        match self.current_step() {
            Some(i) if self.status == PublishStatus::Running && i < SIGNOFF => {
                CancellationState::CanCancel
            }
            _ => CancellationState::CannotCancel,
        }
    }

    /// Moves this operation forward to `now`; returns when it finished, if it did.
    fn advance(&mut self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.status != PublishStatus::Running {
            return None;
        }
        if self
            .steps
            .iter()
            .any(|s| s.status == PublishStatus::Blocked)
        {
            return None;
        }
        let mut clock = self.changed;
        while let Some(i) = self.current_step() {
            let step = &mut self.steps[i];
            if step.started.is_none() {
                step.start(clock);
                self.changed = clock;
            }
            match step.finish_at() {
                Some(done) if done <= now => {
                    step.complete(done);
                    clock = done;
                    self.changed = done;
                }
                _ => return None,
            }
        }
        self.status = PublishStatus::Completed;
        Some(self.changed)
    }

    fn summary(&self, offer: &SimOffer) -> OperationSummary {
        OperationSummary {
            id: self.id.clone(),
            offer_id: Some(offer.id.clone()),
            offer_version: Some(self.offer_version),
            offer_type_id: Some(offer.type_id.to_owned()),
            publisher_id: Some(offer.publisher.clone()),
            submission_type: Some(self.submission_type.to_owned()),
            submission_state: Some(self.status.clone()),
            status: Some(self.status.clone()),
            publishing_version: Some(self.publishing_version),
            slot: Some(self.slot.to_owned()),
            version: Some(ticks(self.changed)),
            definition: Some(OperationDefinition {
                metadata: Some(OperationMetadata {
                    emails: Some(format!("publishing@{}.example", offer.publisher)),
                }),
            }),
            changed_time: Some(Timestamp::from_instant(self.changed)),
            created_date_time: Some(Timestamp::from_instant(self.created)),
            last_action_date_time: Some(Timestamp::from_instant(self.changed)),
            error: self.error.clone(),
        }
    }

    fn detail(&self, now: DateTime<Utc>) -> OperationDetail {
        OperationDetail {
            id: Some(self.id.clone()),
            submission_type: Some(self.submission_type.to_owned()),
            slot: Some(self.slot.to_owned()),
            status: Some(self.status.clone()),
            messages: self
                .error
                .iter()
                .map(|e| message(MessageLevel::Error, e, self.changed))
                .collect(),
            publishing_version: Some(self.publishing_version),
            offer_version: Some(self.offer_version),
            cancellation_request_state: Some(self.cancellation_state()),
            changed_time: Some(Timestamp::from_instant(self.changed)),
            steps: self.steps.iter().map(|s| s.to_api(now)).collect(),
            preview_links: Vec::new(),
            live_links: Vec::new(),
        }
    }
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
                            display_text: Some(o.display.to_owned()),
                            seller_id: None,
                        }),
                        changed_time: last.map(|op| Timestamp::from_instant(op.changed)),
                        pc_migration_status: Some("none".to_owned()),
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
