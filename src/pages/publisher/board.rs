//! The statuses of every offer on the overview, fetched progressively: at most 4 requests in
//! flight, the first look at every offer as fast as that allows, then polling by the model's
//! policy (offers under way every poll period, idle ones every 15 minutes, at most one request
//! a second on average, each offer backing off on its own), paused while the tab is hidden.
//! One failing offer never holds up the others.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use publishing_model::changes::OfferSnapshot;
use publishing_model::overview::OfferOverview;
use publishing_model::polling::{due_now, OfferPoll, PollBudget, PollPolicy};
use publishing_model::timeline::{operation_timeline, DEFAULT_QUIET_LIMIT};
use publishing_model::{
    OfferId, OfferStatus, OfferSummary, OperationId, PublishStatus, PublisherId,
};

use crate::api::{ApiError, Client};
use crate::clock::{page_visible, use_clock};

/// Requests in flight at most.
pub const IN_FLIGHT: usize = 4;

/// What is known of one offer's status.
#[derive(Clone, Debug, Default)]
pub struct OfferCell {
    /// The last good answer, and when it came.
    pub status: Option<(Arc<OfferStatus>, DateTime<Utc>)>,
    /// The row and the snapshot for change detection, computed once per answer (not once
    /// per answer of any offer: with 200 offers that is 40,000 projections).
    pub seen: Option<(OfferOverview, OfferSnapshot)>,
    /// The latest attempt failed (the last good answer, if any, stays).
    pub error: Option<ApiError>,
    /// When it is asked next.
    pub poll: OfferPoll,
    /// A request is in flight.
    pub busy: bool,
    /// The operation running now, once asked (`Some(None)`: asked, none running).
    pub running: Option<Option<OperationId>>,
}

/// Every offer's cell, in the list's order, and the tools to keep them fresh.
#[derive(Clone, Copy)]
pub struct StatusBoard {
    /// The offers as listed.
    pub offers: RwSignal<Vec<OfferSummary>>,
    /// One cell per offer, same order.
    pub cells: RwSignal<Vec<OfferCell>>,
    budget: StoredValue<Option<PollBudget>>,
}

impl StatusBoard {
    /// An empty board; `start` keeps it running.
    pub fn new() -> Self {
        Self {
            offers: RwSignal::new(Vec::new()),
            cells: RwSignal::new(Vec::new()),
            budget: StoredValue::new(None),
        }
    }

    /// Takes a new offers list: cells of offers still listed are kept.
    pub fn set_offers(&self, list: Vec<OfferSummary>) {
        let old_offers = self.offers.get_untracked();
        let old_cells = self.cells.get_untracked();
        let cells = list
            .iter()
            .map(|o| {
                old_offers
                    .iter()
                    .position(|p| p.id == o.id)
                    .and_then(|i| old_cells.get(i).cloned())
                    .unwrap_or_default()
            })
            .collect();
        self.offers.set(list);
        self.cells.set(cells);
    }

    /// Asks again about every offer as soon as the budget allows.
    pub fn refresh_all(&self) {
        self.cells.update(|cells| {
            for c in cells.iter_mut() {
                c.poll.next_at = None;
            }
        });
    }

    /// One round: start the requests that are due. First looks go as fast as 4 in flight
    /// allow; later polls also wait for the budget.
    pub fn tick(
        &self,
        client: &Client,
        publisher: &PublisherId,
        policy: &PollPolicy,
        now: DateTime<Utc>,
    ) {
        // The page may be gone when an answer comes back: then there is nothing to do.
        let Some((busy, first, polls, follow)) = self.cells.try_with_untracked(|cells| {
            let busy: Vec<bool> = cells.iter().map(|c| c.busy).collect();
            let first: Vec<usize> = (0..cells.len())
                .filter(|&i| {
                    !cells[i].busy && cells[i].status.is_none() && cells[i].error.is_none()
                })
                .collect();
            let polls: Vec<OfferPoll> = cells.iter().map(|c| c.poll).collect();
            // Offers with a publish under way whose running operation is not known yet.
            let follow: Vec<usize> = (0..cells.len())
                .filter(|&i| {
                    let c = &cells[i];
                    !c.busy
                        && c.running.is_none()
                        && c.status.as_ref().is_some_and(|(s, _)| s.is_active())
                })
                .collect();
            (busy, first, polls, follow)
        }) else {
            return;
        };
        let first_done = first.is_empty();
        let free = IN_FLIGHT.saturating_sub(busy.iter().filter(|b| **b).count());
        if free == 0 {
            return;
        }
        let mut budget = self
            .budget
            .try_get_value()
            .flatten()
            .unwrap_or_else(|| PollBudget::new(now, policy));
        let mut picked: Vec<usize> = first.into_iter().take(free).collect();
        if picked.len() < free {
            let mut marked = busy.clone();
            for &i in &picked {
                marked[i] = true;
            }
            picked.extend(due_now(
                &polls,
                &marked,
                now,
                free - picked.len(),
                &mut budget,
                policy,
            ));
        }
        let asked = picked.len();
        for i in picked {
            self.fetch(i, client.clone(), publisher.clone(), *policy);
        }
        // Then, once every offer has had its first look, which operation runs now (for the
        // row's link), within the same budget.
        if first_done {
            for i in follow.into_iter().take(free.saturating_sub(asked)) {
                if !budget.try_take(now, policy) {
                    break;
                }
                self.find_running(i, client.clone(), publisher.clone(), *policy);
            }
        }
        let _ = self.budget.try_set_value(Some(budget));
    }

    /// Marks the offer at `index` busy and returns its id (none when the page is gone).
    fn begin(&self, index: usize) -> Option<OfferId> {
        let offer = self
            .offers
            .try_with_untracked(|o| o.get(index).map(|o| o.id.clone()))
            .flatten()?;
        self.cells.try_update(|cells| {
            if let Some(c) = cells.get_mut(index) {
                c.busy = true;
            }
        });
        Some(offer)
    }

    fn fetch(&self, index: usize, client: Client, publisher: PublisherId, policy: PollPolicy) {
        let Some(offer) = self.begin(index) else {
            return;
        };
        let board = *self;
        spawn_local(async move {
            let answer = client.offer_status(&publisher, &offer).await;
            board.answered(&offer, answer, &policy);
            // The freed place is taken at once, not at the next round: with 200 offers a
            // round's wait per request would add up to seconds.
            if page_visible() {
                board.tick(&client, &publisher, &policy, Utc::now());
            }
        });
    }

    fn find_running(
        &self,
        index: usize,
        client: Client,
        publisher: PublisherId,
        policy: PollPolicy,
    ) {
        let Some(offer) = self.begin(index) else {
            return;
        };
        let board = *self;
        spawn_local(async move {
            let found = client
                .operations(&publisher, &offer, Some(PublishStatus::Running))
                .await;
            let index = board
                .offers
                .try_with_untracked(|o| o.iter().position(|o| o.id == offer))
                .flatten();
            board.cells.try_update(|cells| {
                let Some(c) = index.and_then(|i| cells.get_mut(i)) else {
                    return;
                };
                c.busy = false;
                // A failure leaves the link out; it is not asked again.
                c.running = Some(
                    found
                        .ok()
                        .and_then(|ops| ops.into_iter().find(|o| o.is_active()).map(|o| o.id)),
                );
            });
            if page_visible() {
                board.tick(&client, &publisher, &policy, Utc::now());
            }
        });
    }

    fn answered(
        &self,
        offer: &OfferId,
        answer: Result<OfferStatus, ApiError>,
        policy: &PollPolicy,
    ) {
        let now = Utc::now();
        let Some((index, listed)) = self
            .offers
            .try_with_untracked(|o| {
                let i = o.iter().position(|o| &o.id == offer)?;
                Some((i, o[i].clone()))
            })
            .flatten()
        else {
            return;
        };
        self.cells.try_update(|cells| {
            let Some(c) = cells.get_mut(index) else {
                return;
            };
            c.busy = false;
            match answer {
                Ok(status) => {
                    c.poll = OfferPoll::answered(now, status.is_active(), policy);
                    c.seen = Some(seen(&listed, &status, now));
                    if !status.is_active() {
                        // Nothing runs: the next publish's operation is asked anew.
                        c.running = None;
                    }
                    c.status = Some((Arc::new(status), now));
                    c.error = None;
                }
                Err(error) => {
                    let retry_after = match &error {
                        ApiError::Busy { retry_after, .. } => {
                            retry_after.and_then(|d| TimeDelta::from_std(d).ok())
                        }
                        _ => None,
                    };
                    c.poll = c.poll.failed(now, retry_after, js_sys::Math::random());
                    c.error = Some(error);
                }
            }
        });
    }
}

/// The row and the snapshot of one answer.
fn seen(
    offer: &OfferSummary,
    status: &OfferStatus,
    at: DateTime<Utc>,
) -> (OfferOverview, OfferSnapshot) {
    let t = operation_timeline(
        &status.as_operation(),
        None,
        &Default::default(),
        at,
        DEFAULT_QUIET_LIMIT,
    );
    let row = OfferOverview::listed(offer).with_timeline(status, &t);
    let snapshot = OfferSnapshot::of(&row.name, status, t.headline, &t.health);
    (row, snapshot)
}

/// Runs the board while the page is shown: a round every 250 ms while the tab is visible.
pub fn run(
    board: StatusBoard,
    client: impl Fn() -> Option<Client> + 'static,
    publisher: impl Fn() -> PublisherId + 'static,
    policy: impl Fn() -> PollPolicy + 'static,
) {
    let clock = use_clock();
    let round = move || {
        if !clock.visible.get_untracked() {
            return;
        }
        if let Some(client) = client() {
            board.tick(&client, &publisher(), &policy(), Utc::now());
        }
    };
    if let Ok(handle) = set_interval_with_handle(round, std::time::Duration::from_millis(250)) {
        on_cleanup(move || handle.clear());
    }
}
