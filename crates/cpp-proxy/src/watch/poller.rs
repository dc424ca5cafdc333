//! The poller: asks about each watched offer when it is due (offers under way every
//! `running_every`, idle ones every `idle_every`, each backing off on its own after failures,
//! with jitter), one request a second at most, and writes each look with its events and their
//! deliveries in one transaction. Each publisher's list of offers is read again every
//! `idle_every`, so new offers are watched too.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use publishing_model::alerts::{
    events, step_changes, AlertPolicy, Event, Look, Service, StepChange,
};
use publishing_model::ingestion;
use publishing_model::polling::OfferPoll;
use publishing_model::route::CppRoute;
use publishing_model::route::{GraphRoute, SkipToken};
use publishing_model::timeline::DEFAULT_QUIET_LIMIT;
use publishing_model::{OfferId, ProductId, PublisherId};

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

/// What the lists told of each watched offer, by publisher and offer: its name, and for a
/// Product Ingestion product its GUID (its submissions' route takes that).
pub(crate) type Known = HashMap<(String, String), (String, Option<String>)>;

impl Watcher {
    /// A publisher's offers (or the account's products, a page at a time, each page its own
    /// turn of the pace), each with its product GUID for Product Ingestion.
    async fn list(
        &self,
        w: &super::config::Watched,
    ) -> Result<Vec<(publishing_model::OfferSummary, Option<String>)>, Failure> {
        let unreadable = |e: publishing_model::ParseError| Failure {
            why: e.to_string(),
            retry_after: None,
        };
        match w.service {
            Service::Cpp => {
                self.0.upstream_pace.turn().await;
                let text = upstream::get(
                    &self.0.mode,
                    CppRoute::Offers {
                        publisher: PublisherId::from(w.publisher.as_str()),
                    },
                )
                .await?;
                let offers = publishing_model::api::parse_offers(&text).map_err(unreadable)?;
                Ok(offers.into_iter().map(|o| (o, None)).collect())
            }
            Service::Ingestion => {
                let mut all = Vec::new();
                let mut next: Option<String> = None;
                for _ in 0..ingestion::MAX_PAGES {
                    self.0.upstream_pace.turn().await;
                    let route = GraphRoute::Products {
                        external_id: None,
                        skip_token: next.as_deref().and_then(SkipToken::parse),
                    };
                    let text = upstream::get_graph(&self.0.mode, route).await?;
                    let page = ingestion::parse_products(&text).map_err(unreadable)?;
                    all.extend(
                        page.products
                            .iter()
                            .map(|p| (p.as_offer(), Some(p.guid().to_owned()))),
                    );
                    match page.next {
                        Some(token) => next = Some(token),
                        None => break,
                    }
                }
                Ok(all)
            }
        }
    }

    /// One round: the publishers' lists when due, then the most overdue offer, if any is
    /// due. Returns how long to wait before the next round.
    pub(crate) async fn poll_once(&self, names: &mut Known) -> Result<Duration, StoreError> {
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
                let listed = self.list(w).await;
                let next = now + delta(self.0.config.idle_every);
                match listed {
                    Ok(offers) => {
                        for (offer, guid) in offers {
                            let id = offer.id.as_str().to_owned();
                            if !w.offers.is_empty() && !w.offers.contains(&id) {
                                continue;
                            }
                            let name =
                                publishing_model::overview::OfferOverview::listed(&offer).name;
                            names.insert((w.publisher.clone(), id.clone()), (name, guid));
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

    async fn poll_offer(&self, mut row: OfferRow, names: &Known) -> Result<(), StoreError> {
        let (publisher, offer) = (
            PublisherId::from(row.publisher.as_str()),
            OfferId::from(row.offer.as_str()),
        );
        let service = self.0.config.service_of(&row.publisher);
        let known = names.get(&(row.publisher.clone(), row.offer.clone()));
        let unreadable = |e: publishing_model::ParseError| Failure {
            why: e.to_string(),
            retry_after: None,
        };
        let answer = match (service, known.and_then(|(_, guid)| guid.clone())) {
            (Service::Cpp, _) => upstream::get(
                &self.0.mode,
                CppRoute::Status {
                    publisher: publisher.clone(),
                    offer: offer.clone(),
                },
            )
            .await
            .and_then(|text| publishing_model::api::parse_offer_status(&text).map_err(unreadable)),
            // A product's status is its submissions' (the app reads it the same way).
            (Service::Ingestion, Some(guid)) => upstream::get_graph(
                &self.0.mode,
                GraphRoute::Submissions {
                    product: ProductId::from(guid.as_str()),
                },
            )
            .await
            .and_then(|text| ingestion::parse_submissions(&text).map_err(unreadable))
            .map(|all| ingestion::offer_status(&all, &ingestion::PlanWords::default())),
            // Not in the last list of products (gone, or not listed since a restart).
            (Service::Ingestion, None) => Err(Failure {
                why: "the product is not in the account's list of products".into(),
                retry_after: None,
            }),
        };
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
                let floor = match service {
                    Service::Cpp => now,
                    Service::Ingestion => {
                        now + TimeDelta::seconds(ingestion::MIN_INGESTION_POLL.into())
                    }
                };
                row.next_ms = next.next_at.unwrap_or(now).max(floor).timestamp_millis();
                row.last_error = Some(failure.why.clone());
                self.failed(
                    &format!("{}/{}: {}", row.publisher, row.offer, failure.why),
                    now,
                )
                .await;
                return self.0.store.record_poll_failure(&row).await;
            }
        };
        let name = known.map_or_else(|| row.offer.clone(), |(name, _)| name.clone());
        let before = row.look.as_deref().and_then(Look::from_json);
        let look = Look::of(&name, &status, now, DEFAULT_QUIET_LIMIT);
        let policy = AlertPolicy {
            signoff_reminder: delta(self.0.config.signoff_reminder),
        };
        let (mut found, kept) = events(&publisher, &offer, before.as_ref(), look, &policy);
        for e in &mut found {
            e.service = service;
        }
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
        // Product Ingestion asks for at most one request a minute of each product.
        let every = match service {
            Service::Cpp => every,
            Service::Ingestion => {
                every.max(Duration::from_secs(ingestion::MIN_INGESTION_POLL.into()))
            }
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
