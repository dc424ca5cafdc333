//! The poller: asks about each watched offer when it is due (offers under way every
//! `running_every`, idle ones every `idle_every`, each backing off on its own after failures,
//! with jitter), one request a second at most, and writes each look with its events and their
//! deliveries in one transaction. Each publisher's list of offers is read again every
//! `idle_every`, so new offers are watched too.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use publishing_model::alerts::{events, step_changes, AlertPolicy, Event, Look, StepChange};
use publishing_model::polling::OfferPoll;
use publishing_model::route::CppRoute;
use publishing_model::timeline::DEFAULT_QUIET_LIMIT;
use publishing_model::{OfferId, PublisherId};

use super::upstream::{self, Failure};
use super::Watcher;
use crate::store::{EventRow, OfferRow, RunChange, StoreError};

/// A random number in 0..1 (jitter and backoff).
pub(crate) fn unit() -> f64 {
    let mut b = [0u8; 8];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Watcher {
    /// One round: the publishers' lists when due, then the most overdue offer, if any is
    /// due. Returns how long to wait before the next round.
    pub(crate) async fn poll_once(
        &self,
        names: &mut HashMap<(String, String), String>,
    ) -> Result<Duration, StoreError> {
        let now = Utc::now();
        for w in &self.0.config.watch {
            let due = self
                .0
                .lists
                .lock()
                .await
                .get(&w.publisher)
                .is_none_or(|at| *at <= now);
            if due {
                self.0.upstream_pace.turn().await;
                let listed = upstream::get(
                    &self.0.mode,
                    CppRoute::Offers {
                        publisher: PublisherId::from(w.publisher.as_str()),
                    },
                )
                .await
                .and_then(|text| {
                    publishing_model::api::parse_offers(&text).map_err(|e| Failure {
                        why: e.to_string(),
                        retry_after: None,
                    })
                });
                let next = now + delta(self.0.config.idle_every);
                match listed {
                    Ok(offers) => {
                        for offer in offers {
                            let id = offer.id.as_str().to_owned();
                            if !w.offers.is_empty() && !w.offers.contains(&id) {
                                continue;
                            }
                            let name =
                                publishing_model::overview::OfferOverview::listed(&offer).name;
                            names.insert((w.publisher.clone(), id.clone()), name);
                            self.0
                                .store
                                .watch_offer(&w.publisher, &id, now.timestamp_millis())
                                .await?;
                        }
                        self.0.lists.lock().await.insert(w.publisher.clone(), next);
                        self.healthy(now).await;
                    }
                    Err(failure) => {
                        let retry = now + failure.retry_after.map_or(TimeDelta::seconds(30), delta);
                        self.0
                            .lists
                            .lock()
                            .await
                            .insert(w.publisher.clone(), retry.min(next));
                        self.failed(&failure.why, now).await;
                    }
                }
            }
        }
        let offers = self.0.store.watched_offers().await?;
        let Some(row) = offers
            .into_iter()
            .find(|o| o.next_ms <= now.timestamp_millis())
        else {
            return Ok(Duration::from_millis(500));
        };
        self.0.upstream_pace.turn().await;
        self.poll_offer(row, names).await?;
        Ok(Duration::ZERO)
    }

    async fn poll_offer(
        &self,
        mut row: OfferRow,
        names: &HashMap<(String, String), String>,
    ) -> Result<(), StoreError> {
        let (publisher, offer) = (
            PublisherId::from(row.publisher.as_str()),
            OfferId::from(row.offer.as_str()),
        );
        let answer = upstream::get(
            &self.0.mode,
            CppRoute::Status {
                publisher: publisher.clone(),
                offer: offer.clone(),
            },
        )
        .await
        .and_then(|text| {
            publishing_model::api::parse_offer_status(&text).map_err(|e| Failure {
                why: e.to_string(),
                retry_after: None,
            })
        });
        let now = Utc::now();
        row.polled_ms = Some(now.timestamp_millis());
        let status = match answer {
            Ok(status) => status,
            Err(failure) => {
                let poll = OfferPoll {
                    next_at: None,
                    failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
                };
                let retry = failure
                    .retry_after
                    .and_then(|d| TimeDelta::from_std(d).ok());
                let next = poll.failed(now, retry, unit());
                row.failures = i64::from(next.failures);
                row.next_ms = next.next_at.unwrap_or(now).timestamp_millis();
                row.last_error = Some(failure.why.clone());
                self.failed(
                    &format!("{}/{}: {}", row.publisher, row.offer, failure.why),
                    now,
                )
                .await;
                return self.0.store.record_poll_failure(&row).await;
            }
        };
        let name = names
            .get(&(row.publisher.clone(), row.offer.clone()))
            .cloned()
            .unwrap_or_else(|| row.offer.clone());
        let before = row.look.as_deref().and_then(Look::from_json);
        let look = Look::of(&name, &status, now, DEFAULT_QUIET_LIMIT);
        let policy = AlertPolicy {
            signoff_reminder: delta(self.0.config.signoff_reminder),
        };
        let (found, kept) = events(&publisher, &offer, before.as_ref(), look, &policy);
        let after = before.as_ref().map_or(0, |b| b.at.timestamp_millis());
        let runs: Vec<RunChange> = step_changes(before.as_ref(), &kept)
            .into_iter()
            .map(|c| match c {
                StepChange::Started { key, name } => RunChange::Started {
                    publish: kept.publish.clone(),
                    key,
                    name,
                    after,
                    at: now.timestamp_millis(),
                },
                StepChange::Ended { key, outcome, .. } => RunChange::Ended {
                    publish: kept.publish.clone(),
                    key,
                    outcome: outcome.slug().to_owned(),
                    after,
                    at: now.timestamp_millis(),
                },
            })
            .collect();
        let every = if kept.active() {
            self.0.config.running_every
        } else {
            self.0.config.idle_every
        };
        // Up to a tenth of the period later, so offers spread out.
        let jitter = every.mul_f64(0.1 * unit());
        row.next_ms = (now + delta(every + jitter)).timestamp_millis();
        row.failures = 0;
        row.last_error = None;
        row.look = Some(kept.to_json());
        let rows: Vec<(EventRow, Vec<(String, i64)>)> = found
            .iter()
            .map(|e| (event_row(e), self.deliveries(e)))
            .collect();
        let new = self
            .0
            .store
            .record_look(&row, &rows, &runs, now.timestamp_millis())
            .await?;
        if new > 0 {
            self.0.wake.notify_waiters();
        }
        self.healthy(now).await;
        Ok(())
    }

    /// The channels that get `e`, each with the time it may go (after a rule's quiet hours).
    fn deliveries(&self, e: &Event) -> Vec<(String, i64)> {
        let now = e.occurred_at;
        self.0
            .config
            .route(e.publisher.as_str(), e.offer.as_str(), e.kind)
            .into_iter()
            .map(|(channel, quiet)| {
                let not_before = quiet
                    .and_then(|(hours, zone)| {
                        let local = zone.from_utc_datetime(&now.naive_utc()).naive_local();
                        let until = hours.held_until(local)?;
                        zone.from_local_datetime(&until)
                            .earliest()
                            .map(|t| t.with_timezone(&Utc))
                    })
                    .unwrap_or(now);
                (channel.name.clone(), not_before.timestamp_millis())
            })
            .collect()
    }
}

fn event_row(e: &Event) -> EventRow {
    EventRow {
        key: e.key(),
        group: e.group(),
        publisher: e.publisher.as_str().to_owned(),
        offer: e.offer.as_str().to_owned(),
        kind: e.kind.slug().to_owned(),
        body: serde_json::to_string(e).unwrap_or_default(),
        occurred_ms: e.occurred_at.timestamp_millis(),
    }
}
