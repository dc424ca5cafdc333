//! One simulated operation and its steps: how they start, advance and finish, and how they
//! read as API documents.

use chrono::{DateTime, TimeDelta, Utc};

use super::SplitMix64;
use crate::api::{
    Message, OperationDefinition, OperationDetail, OperationMetadata, OperationSummary, Step,
    Timestamp,
};
use crate::ids::{OfferId, OperationId, PublisherId, StepId};
use crate::status::{CancellationState, MessageLevel, PublishStatus};
use crate::time_frame::TimeFrame;

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
pub(super) const SIGNOFF: usize = 4;

/// How the simulated publisher behaves at sign-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SignOff {
    /// Signs off after this long.
    After(TimeDelta),
    /// Never signs off: the operation waits for the publisher.
    Never,
}

#[derive(Clone, Debug)]
pub(super) struct SimStep {
    pub(super) template: StepTemplate,
    pub(super) status: PublishStatus,
    pub(super) planned: TimeDelta,
    pub(super) started: Option<DateTime<Utc>>,
    pub(super) messages: Vec<Message>,
}

#[derive(Clone, Debug)]
pub(super) struct SimOperation {
    pub(super) id: OperationId,
    pub(super) submission_type: &'static str,
    pub(super) slot: &'static str,
    pub(super) offer_version: u64,
    pub(super) publishing_version: u64,
    pub(super) status: PublishStatus,
    pub(super) created: DateTime<Utc>,
    pub(super) changed: DateTime<Utc>,
    pub(super) steps: Vec<SimStep>,
    pub(super) error: Option<String>,
}

#[derive(Clone, Debug)]
pub(super) struct SimOffer {
    pub(super) publisher: PublisherId,
    pub(super) id: OfferId,
    pub(super) display: String,
    /// `pcMigrationStatus: migrated`: moved to Partner Center.
    pub(super) migrated: bool,
    pub(super) type_id: &'static str,
    /// Starts a new publish some time after the last one ends, so the demo keeps moving.
    pub(super) autopilot: bool,
    pub(super) next_start: Option<DateTime<Utc>>,
    pub(super) operations: Vec<SimOperation>,
}

/// .NET ticks (100 ns since 0001-01-01): how the service writes `version`.
pub(super) fn ticks(at: DateTime<Utc>) -> u64 {
    const UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;
    let t = UNIX_EPOCH_TICKS
        + at.timestamp() * 10_000_000
        + i64::from(at.timestamp_subsec_nanos() / 100);
    t.max(0) as u64
}

pub(super) fn message(level: MessageLevel, html: &str, at: DateTime<Utc>) -> Message {
    Message {
        html: Some(html.to_owned()),
        level: Some(level),
        timestamp: Some(Timestamp::from_instant(at)),
    }
}

impl SimStep {
    pub(super) fn new(template: StepTemplate, rng: &mut SplitMix64, sign_off: SignOff) -> Self {
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

    pub(super) fn start(&mut self, at: DateTime<Utc>) {
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

    pub(super) fn finish_at(&self) -> Option<DateTime<Utc>> {
        self.started?.checked_add_signed(self.planned)
    }

    pub(super) fn complete(&mut self, at: DateTime<Utc>) {
        self.status = PublishStatus::Completed;
        self.messages
            .push(message(MessageLevel::Information, "Step completed.", at));
    }

    pub(super) fn progress(&self, now: DateTime<Utc>) -> u8 {
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

    pub(super) fn to_api(&self, now: DateTime<Utc>) -> Step {
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
    pub(super) fn current_step(&self) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| s.status.kind().is_active() || s.status == PublishStatus::NotStarted)
    }

    pub(super) fn cancellation_state(&self) -> CancellationState {
        match self.current_step() {
            Some(i) if self.status == PublishStatus::Running && i < SIGNOFF => {
                CancellationState::CanCancel
            }
            _ => CancellationState::CannotCancel,
        }
    }

    /// Moves this operation forward to `now`; returns when it finished, if it did.
    pub(super) fn advance(&mut self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
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

    pub(super) fn summary(&self, offer: &SimOffer) -> OperationSummary {
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

    pub(super) fn detail(&self, now: DateTime<Utc>) -> OperationDetail {
        OperationDetail {
            id: Some(self.id.clone()),
            // As documented (docs/cpp-api.md, "Shapes"): the detail has no type or slot; clients read
            // them from the operation's list entry.
            submission_type: None,
            slot: None,
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
