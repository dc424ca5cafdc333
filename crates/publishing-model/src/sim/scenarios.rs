//! The world the dashboard opens on: one offer per situation a publisher meets, and one
//! offer with a long history.

use chrono::{DateTime, TimeDelta, Utc};

use super::{
    message, SignOff, SimOffer, SimOperation, SplitMix64, StepTemplate, World, PUBLISH_STEPS,
};
use crate::ids::{OfferId, PublisherId};
use crate::status::{MessageLevel, PublishStatus};

const VM: &str = "microsoft-azure-virtualmachines";
const SAAS: &str = "microsoft-azure-saas";
const APP: &str = "microsoft-azure-applications";

/// The seed sample's certification error.
pub const BLOCKED_MESSAGE: &str = "No virtual machine image was found for the plan contoso.";

/// How an operation built for a scenario ends up.
/// Messages on the bulk offer's running operation (its steps' and its own).
pub const BUSY_MESSAGES: usize = 200;

enum Outcome {
    Completed,
    /// Running in step `.0`, which started `.1` ago, with this status.
    InStep(usize, TimeDelta, PublishStatus),
    Failed(usize, &'static str),
    Canceled(usize),
    /// Finished with a status word the dashboard does not know.
    Unknown(&'static str),
    /// Running in step `.0` since `.1` ago, past its estimate and silent since it started:
    /// what a publisher sees as "probably stuck". It ends three simulated days later.
    Overdue(usize, TimeDelta),
}

/// Words for the generated offers' names.
const NAMES: [&str; 12] = [
    "Analytics",
    "Backup",
    "Data Lake",
    "Edge Gateway",
    "Firewall",
    "Graph DB",
    "HPC Cluster",
    "Identity",
    "Kubernetes",
    "Log Search",
    "Media Encoder",
    "Notebook",
];

/// Offers of `northwind` in the demo world: enough for the overview to mean something.
pub const DEMO_MANY_OFFERS: usize = 36;

pub(super) fn build(seed: u64, now: DateTime<Utc>) -> World {
    let mut world = World {
        rng: SplitMix64::new(seed),
        now,
        publishers: vec![
            (PublisherId::from("contoso"), "Contoso Ltd", "10001"),
            (PublisherId::from("fabrikam"), "Fabrikam Inc.", "10002"),
        ],
        offers: Vec::new(),
    };
    let days = TimeDelta::days;
    let hours = TimeDelta::hours;

    let o = world.add_offer(
        "contoso",
        "contoso-ubuntu-vm",
        "Contoso Ubuntu VM",
        VM,
        true,
    );
    world.add(o, "publish", now - days(40), Outcome::Completed);
    world.add(o, "goLive", now - days(30), Outcome::Completed);
    world.add(
        o,
        "publish",
        now,
        Outcome::InStep(1, hours(6), PublishStatus::Running),
    );

    let o = world.add_offer(
        "contoso",
        "contoso-windows-vm",
        "Contoso Windows Server VM",
        VM,
        false,
    );
    world.add(
        o,
        "publish",
        now,
        Outcome::InStep(1, hours(20), PublishStatus::Blocked),
    );

    let o = world.add_offer(
        "contoso",
        "contoso-data-science-vm",
        "Contoso Data Science VM",
        VM,
        false,
    );
    world.add(
        o,
        "publish",
        now - days(15),
        Outcome::Failed(
            1,
            "Certification failed: the image does not pass the security scan.",
        ),
    );
    world.add(
        o,
        "publish",
        now,
        Outcome::InStep(4, hours(2), PublishStatus::WaitingForPublisherReview),
    );

    let o = world.add_offer(
        "contoso",
        "contoso-iot-edge",
        "Contoso IoT Edge Gateway",
        VM,
        false,
    );
    world.add(o, "publish", now, Outcome::Overdue(2, hours(40)));

    let o = world.add_offer(
        "contoso",
        "contoso-analytics-saas",
        "Contoso Analytics",
        SAAS,
        false,
    );
    world.add(o, "publish", now - days(12), Outcome::Completed);
    world.add(o, "goLive", now - days(4), Outcome::Completed);

    let o = world.add_offer(
        "fabrikam",
        "fabrikam-backup-saas",
        "Fabrikam Backup",
        SAAS,
        false,
    );
    world.add(o, "publish", now - days(2), Outcome::Canceled(2));

    let o = world.add_offer(
        "fabrikam",
        "fabrikam-managed-app",
        "Fabrikam Managed App",
        APP,
        false,
    );
    world.add(
        o,
        "publish",
        now - days(3),
        Outcome::Failed(2, "Provisioning failed: the SAS URI of the OS disk has expired. Generate a new one and publish again."),
    );

    let o = world.add_offer(
        "fabrikam",
        "fabrikam-hardened-vm",
        "Fabrikam Hardened VM",
        VM,
        true,
    );
    const HISTORY: i64 = 320;
    for i in 0..HISTORY {
        let at = now - days(4 * (HISTORY - i) + 2);
        let roll = world.rng.unit();
        let step = 1 + (world.rng.next_u64() % 3) as usize;
        let outcome = match roll {
            r if r < 0.08 => Outcome::Failed(
                step,
                "Certification found issues with the image. See the report.",
            ),
            r if r < 0.13 => Outcome::Canceled(step),
            r if r < 0.14 => Outcome::Unknown("Superseded"),
            _ => Outcome::Completed,
        };
        let kind = if i % 2 == 0 { "publish" } else { "goLive" };
        world.add(o, kind, at, outcome);
    }
    world.add(
        o,
        "publish",
        now,
        Outcome::InStep(2, hours(3), PublishStatus::Running),
    );
    world.add_many_offers(DEMO_MANY_OFFERS);
    world
}

impl World {
    /// Adds the offer `contoso/contoso-bulk-{count}` with `count` finished operations (and
    /// one running), for benchmarks of large lists. Returns its id.
    pub fn add_bulk_offer(&mut self, count: usize) -> crate::ids::OfferId {
        let id = format!("contoso-bulk-{count}");
        let o = self.add_offer("contoso", &id, "Contoso bulk history", VM, false);
        let now = self.now;
        for i in 0..count {
            // A publish can take two weeks: starting them 20 days back keeps every finished
            // one in the past, so the running one is the newest.
            let at = now - TimeDelta::hours(2 * (count - i) as i64) - TimeDelta::days(20);
            let outcome = match i % 10 {
                0 => Outcome::Failed(1, "Certification found issues with the image."),
                1 => Outcome::Canceled(2),
                _ => Outcome::Completed,
            };
            self.add(
                o,
                if i % 2 == 0 { "publish" } else { "goLive" },
                at,
                outcome,
            );
        }
        self.add(
            o,
            "publish",
            now,
            Outcome::InStep(1, TimeDelta::hours(1), PublishStatus::Running),
        );
        // A chatty certification: 200 messages in all on the running operation, for the
        // benchmark of one polling update of a busy operation page.
        if let Some(step) = self.offers[o]
            .operations
            .last_mut()
            .and_then(|op| op.steps.get_mut(1))
        {
            let start = now - TimeDelta::hours(1);
            let have = 3;
            for k in 0..(BUSY_MESSAGES - have) {
                let level = if k % 25 == 24 {
                    MessageLevel::Warning
                } else {
                    MessageLevel::Information
                };
                let at = start + TimeDelta::seconds(15 * (k as i64 + 1));
                step.messages.push(message(
                    level,
                    &format!("Scanned layer {} of the image.", k + 1),
                    at,
                ));
            }
        }
        OfferId::from(id.as_str())
    }

    /// Adds the publisher `northwind` ("Northwind Traders") with `count` offers in every state a
    /// publisher meets, in turn: live, running (at different steps), waiting for sign-off,
    /// blocked, failed this week, failed long ago, overdue and silent, canceled, migrated to
    /// Partner Center. For the overview (`--offers N` in the simulator; 36 in the demo).
    /// Makes it `count` offers in all: the ones it has are kept.
    pub fn add_many_offers(&mut self, count: usize) {
        const KINDS: usize = 10;
        if !self
            .publishers
            .iter()
            .any(|(id, ..)| id.as_str() == "northwind")
        {
            self.publishers
                .push((PublisherId::from("northwind"), "Northwind Traders", "10003"));
        }
        let now = self.now;
        let (days, hours) = (TimeDelta::days, TimeDelta::hours);
        let have = self
            .offers
            .iter()
            .filter(|o| o.publisher.as_str() == "northwind")
            .count();
        for i in have..count {
            let id = format!("northwind-offer-{:03}", i + 1);
            let name = format!("Northwind {} {}", NAMES[i % NAMES.len()], i + 1);
            let kind = if i % 3 == 0 { SAAS } else { VM };
            let o = self.add_offer("northwind", &id, &name, kind, false);
            self.add(o, "publish", now - days(60), Outcome::Completed);
            let spread = hours((i % 7) as i64 + 1);
            match i % KINDS {
                0 | 5 => self.add(o, "goLive", now - days(20), Outcome::Completed),
                1 => self.add(
                    o,
                    "publish",
                    now,
                    Outcome::InStep(1, spread, PublishStatus::Running),
                ),
                6 => self.add(
                    o,
                    "publish",
                    now,
                    Outcome::InStep(2, spread, PublishStatus::Running),
                ),
                2 => self.add(
                    o,
                    "publish",
                    now,
                    Outcome::InStep(4, spread, PublishStatus::WaitingForPublisherReview),
                ),
                3 => self.add(
                    o,
                    "publish",
                    now,
                    Outcome::InStep(1, spread * 3, PublishStatus::Blocked),
                ),
                // Failing in certification (at most 2.5 days in) from 3 days back: failed this
                // week, and over by now.
                4 => self.add(
                    o,
                    "publish",
                    now - days(3),
                    Outcome::Failed(
                        1,
                        "Certification failed: the OS disk's SAS URI has expired.",
                    ),
                ),
                7 => self.add(o, "publish", now, Outcome::Overdue(2, hours(30) + spread)),
                8 => self.add(
                    o,
                    "publish",
                    now - days(40),
                    Outcome::Failed(
                        1,
                        "Certification failed: the image does not pass the security scan.",
                    ),
                ),
                _ => {
                    self.add(o, "publish", now - days(4), Outcome::Canceled(1));
                    self.offers[o].migrated = true;
                }
            }
        }
    }

    /// Adds the publisher `woodgrove` ("Woodgrove Bank"), whose publishes began weeks ago, as
    /// a real publisher's do: one preview waiting for the sign-off for 2 days, one
    /// certification blocked today by an error posted 16 days ago, and eight certifications
    /// (estimated "< 5 day") 17 days in and silent since they began. For the overview's
    /// "needs me" and "stuck" (`--aged-publisher` in the simulator).
    pub fn add_aged_publisher(&mut self) {
        if self
            .publishers
            .iter()
            .any(|(id, ..)| id.as_str() == "woodgrove")
        {
            return;
        }
        self.publishers
            .push((PublisherId::from("woodgrove"), "Woodgrove Bank", "10004"));
        let (now, days) = (self.now, TimeDelta::days);
        let o = self.add_offer(
            "woodgrove",
            "woodgrove-sign-off",
            "Woodgrove Savings",
            VM,
            false,
        );
        self.add(
            o,
            "publish",
            now,
            Outcome::InStep(4, days(2), PublishStatus::WaitingForPublisherReview),
        );
        let o = self.add_offer(
            "woodgrove",
            "woodgrove-blocked",
            "Woodgrove Vault",
            VM,
            false,
        );
        self.add(
            o,
            "publish",
            now,
            Outcome::InStep(1, days(16), PublishStatus::Blocked),
        );
        for i in 1..=8 {
            let id = format!("woodgrove-running-{i}");
            let name = format!("Woodgrove {} {i}", NAMES[i % NAMES.len()]);
            let o = self.add_offer("woodgrove", &id, &name, VM, false);
            self.add(o, "publish", now, Outcome::Overdue(1, days(17)));
        }
    }

    fn add_offer(
        &mut self,
        publisher: &str,
        id: &str,
        display: &str,
        type_id: &'static str,
        autopilot: bool,
    ) -> usize {
        self.offers.push(SimOffer {
            publisher: PublisherId::from(publisher),
            id: OfferId::from(id),
            display: display.to_owned(),
            migrated: false,
            type_id,
            autopilot,
            next_start: None,
            operations: Vec::new(),
        });
        self.offers.len() - 1
    }

    /// Adds an operation that started at `at` (for `InStep`: `at` is ignored; the step in
    /// progress started its given time before now).
    fn add(&mut self, offer: usize, kind: &'static str, at: DateTime<Utc>, outcome: Outcome) {
        let sign_off = match outcome {
            Outcome::InStep(_, _, PublishStatus::WaitingForPublisherReview) => SignOff::Never,
            _ => SignOff::After(self.rng.between(TimeDelta::hours(1), TimeDelta::hours(20))),
        };
        let templates: &[StepTemplate] = if kind == "goLive" {
            &PUBLISH_STEPS[5..]
        } else {
            &PUBLISH_STEPS
        };
        let mut op = self.new_operation(offer, kind, templates, at, sign_off);
        let all = op.steps.len();
        match outcome {
            Outcome::Completed => {
                let end = replay(&mut op, all, at);
                op.status = PublishStatus::Completed;
                op.changed = end;
            }
            Outcome::Unknown(word) => {
                let end = replay(&mut op, all, at);
                op.status = PublishStatus::Other(word.to_owned());
                op.changed = end;
            }
            Outcome::Failed(step, why) => {
                let step = step.min(op.steps.len() - 1);
                let t = replay(&mut op, step, at);
                let end = t + op.steps[step].planned / 2;
                op.steps[step].start(t);
                op.steps[step].status = PublishStatus::Failed;
                op.steps[step]
                    .messages
                    .push(message(MessageLevel::Error, why, end));
                op.status = PublishStatus::Failed;
                op.error = Some(why.to_owned());
                op.changed = end;
            }
            Outcome::Canceled(step) => {
                let step = step.min(op.steps.len() - 1);
                let t = replay(&mut op, step, at);
                let end = t + op.steps[step].planned / 3;
                op.steps[step].start(t);
                for s in &mut op.steps[step..] {
                    s.status = PublishStatus::Canceled;
                }
                op.steps[step].messages.push(message(
                    MessageLevel::Warning,
                    "Canceled at the publisher's request.",
                    end,
                ));
                op.status = PublishStatus::Canceled;
                op.changed = end;
            }
            Outcome::Overdue(step, ago) => {
                let before: TimeDelta = op.steps[..step].iter().map(|s| s.planned).sum();
                let start = self.now - ago - before;
                let t = replay(&mut op, step, start);
                op.steps[step].planned = ago + TimeDelta::days(3);
                op.steps[step].start(t);
                op.status = PublishStatus::Running;
                op.changed = t;
            }
            Outcome::InStep(step, ago, status) => {
                let before: TimeDelta = op.steps[..step].iter().map(|s| s.planned).sum();
                let start = self.now - ago - before;
                op.created = start;
                let t = replay(&mut op, step, start);
                let current = &mut op.steps[step];
                // The running step must still be running now.
                if current.planned <= ago {
                    current.planned = ago + (current.planned / 2).max(TimeDelta::hours(1));
                }
                current.start(t);
                if status == PublishStatus::Blocked {
                    current.status = PublishStatus::Blocked;
                    current.messages.push(message(
                        MessageLevel::Error,
                        BLOCKED_MESSAGE,
                        t + TimeDelta::minutes(3),
                    ));
                    current.messages.push(message(
                        MessageLevel::Information,
                        "Upload the image for the plan and check its SAS URI. See <a href=\"https://learn.microsoft.com/azure/marketplace/\">the publishing guide</a> for the <b>image requirements</b>.",
                        t + TimeDelta::minutes(3),
                    ));
                }
                op.status = PublishStatus::Running;
                op.changed = t;
            }
        }
        self.offers[offer].operations.push(op);
    }
}

/// Runs the first `upto` steps to completion from `start`; returns when the last one ended.
fn replay(op: &mut SimOperation, upto: usize, start: DateTime<Utc>) -> DateTime<Utc> {
    let mut t = start;
    op.created = start;
    for step in &mut op.steps[..upto] {
        step.start(t);
        t += step.planned;
        step.complete(t);
    }
    t
}
