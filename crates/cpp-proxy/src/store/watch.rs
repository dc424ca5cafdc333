//! The watcher's tables: the watched offers, the events, the outbox of deliveries, the
//! channels' state and the lease (see `migrations/0002_watcher.sql`). A look, its events and
//! their deliveries are written in one transaction (`BEGIN IMMEDIATE` on SQLite), so a kill
//! at any moment loses nothing and tells nothing twice.

use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::{Any, Row};

use super::{Store, StoreError, StoreUrl};

/// One watched offer, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferRow {
    /// The publisher.
    pub publisher: String,
    /// The offer.
    pub offer: String,
    /// The last look, as JSON.
    pub look: Option<String>,
    /// The last answer or failure.
    pub polled_ms: Option<i64>,
    /// When it is asked next.
    pub next_ms: i64,
    /// Failures in a row.
    pub failures: i64,
    /// The last failure, in words.
    pub last_error: Option<String>,
}

/// An event to write, with the channels that get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// Its deduplication key.
    pub key: String,
    /// Its operation.
    pub group: String,
    /// The publisher.
    pub publisher: String,
    /// The offer.
    pub offer: String,
    /// Its kind's slug.
    pub kind: String,
    /// The event, as JSON.
    pub body: String,
    /// When it was seen.
    pub occurred_ms: i64,
}

/// One delivery in the outbox, with its event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRow {
    /// Its key (the channel's name and the event's key).
    pub id: String,
    /// The channel.
    pub channel: String,
    /// The event's operation.
    pub group: String,
    /// pending, done or dead.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When it was written.
    pub created_ms: i64,
    /// Not before.
    pub next_ms: i64,
    /// When it was delivered or given up.
    pub done_ms: Option<i64>,
    /// The receiver's last status.
    pub last_status: Option<i64>,
    /// Why it failed.
    pub last_error: Option<String>,
    /// The event, as JSON.
    pub event: String,
}

/// A channel's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelRow {
    /// Its name.
    pub name: String,
    /// Disabled then (a 410).
    pub disabled_ms: Option<i64>,
    /// Why.
    pub disabled_why: Option<String>,
    /// Its last delivery attempt.
    pub last_ms: Option<i64>,
    /// The receiver's status then.
    pub last_status: Option<i64>,
    /// delivered, retrying, dead or disabled.
    pub last_result: Option<String>,
}

/// A step run begun or ended, to store with a look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunChange {
    /// Seen under way at `at`, not at `after`.
    Started {
        /// The publish.
        publish: String,
        /// The step's key.
        key: String,
        /// Its name.
        name: String,
        /// The look before.
        after: i64,
        /// This look.
        at: i64,
    },
    /// Seen done at `at`, not at `after`.
    Ended {
        /// The publish.
        publish: String,
        /// The step's key.
        key: String,
        /// succeeded, failed or canceled.
        outcome: String,
        /// The look before.
        after: i64,
        /// This look.
        at: i64,
    },
}

/// One step run, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRow {
    /// The offer.
    pub offer: String,
    /// The step's key.
    pub step_key: String,
    /// Its name.
    pub step_name: String,
    /// Began after this.
    pub started_after_ms: i64,
    /// And by this.
    pub started_ms: i64,
    /// Ended after this.
    pub ended_after_ms: i64,
    /// And by this.
    pub ended_ms: i64,
}

/// The watcher's lease, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// Who holds it.
    pub holder: String,
    /// Until.
    pub expires_ms: i64,
}

fn offer_row(r: &AnyRow) -> Result<OfferRow, sqlx::Error> {
    Ok(OfferRow {
        publisher: r.try_get("publisher")?,
        offer: r.try_get("offer")?,
        look: r.try_get("look")?,
        polled_ms: r.try_get("polled_ms")?,
        next_ms: r.try_get("next_ms")?,
        failures: r.try_get("failures")?,
        last_error: r.try_get("last_error")?,
    })
}

fn delivery_row(r: &AnyRow) -> Result<DeliveryRow, sqlx::Error> {
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        channel: r.try_get("channel")?,
        group: r.try_get("grp")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        created_ms: r.try_get("created_ms")?,
        next_ms: r.try_get("next_ms")?,
        done_ms: r.try_get("done_ms")?,
        last_status: r.try_get("last_status")?,
        last_error: r.try_get("last_error")?,
        event: r.try_get("body")?,
    })
}

const DELIVERY: &str = "SELECT d.id, d.channel, d.grp, d.state, d.attempts, d.created_ms, \
     d.next_ms, d.done_ms, d.last_status, d.last_error, e.body \
     FROM watch_deliveries d JOIN watch_events e ON e.key = d.event_key";

impl Store {
    /// A connection inside a write transaction: `BEGIN IMMEDIATE` on SQLite, so two writers
    /// never both read and then fail to write.
    async fn begin_write(&self) -> Result<PoolConnection<Any>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let begin = match self.url() {
            StoreUrl::Sqlite(_) => "BEGIN IMMEDIATE",
            StoreUrl::Postgres(_) => "BEGIN",
        };
        sqlx::query(begin).execute(&mut *conn).await?;
        Ok(conn)
    }

    /// Watches `offer` of `publisher` from now on, when it is not watched yet.
    pub async fn watch_offer(
        &self,
        publisher: &str,
        offer: &str,
        next_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO watch_offers (publisher, offer, next_ms, failures) VALUES ($1, $2, $3, 0) \
             ON CONFLICT (publisher, offer) DO NOTHING",
        )
        .bind(publisher)
        .bind(offer)
        .bind(next_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every watched offer, the next due first.
    pub async fn watched_offers(&self) -> Result<Vec<OfferRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT publisher, offer, look, polled_ms, next_ms, failures, last_error \
             FROM watch_offers ORDER BY next_ms, publisher, offer",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(offer_row).collect::<Result<_, _>>()?)
    }

    /// One watched offer.
    pub async fn watched_offer(
        &self,
        publisher: &str,
        offer: &str,
    ) -> Result<Option<OfferRow>, StoreError> {
        let row = sqlx::query(
            "SELECT publisher, offer, look, polled_ms, next_ms, failures, last_error \
             FROM watch_offers WHERE publisher = $1 AND offer = $2",
        )
        .bind(publisher)
        .bind(offer)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(offer_row).transpose()?)
    }

    /// Stores a look, its new events and one delivery per event and channel, in one
    /// transaction. An event already stored (its key) is skipped with its deliveries.
    /// Returns how many events were new.
    pub async fn record_look(
        &self,
        row: &OfferRow,
        events: &[(EventRow, Vec<(String, i64)>)],
        runs: &[RunChange],
        now_ms: i64,
    ) -> Result<usize, StoreError> {
        let mut conn = self.begin_write().await?;
        let result = async {
            for run in runs {
                match run {
                    RunChange::Started { publish, key, name, after, at } => {
                        sqlx::query(
                            "INSERT INTO watch_runs (publisher, offer, publish, step_key, step_name, \
                             started_after_ms, started_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                             ON CONFLICT (publisher, offer, publish, step_key) DO NOTHING",
                        )
                        .bind(&row.publisher)
                        .bind(&row.offer)
                        .bind(publish)
                        .bind(key)
                        .bind(name)
                        .bind(after)
                        .bind(at)
                        .execute(&mut *conn)
                        .await?;
                    }
                    RunChange::Ended { publish, key, outcome, after, at } => {
                        sqlx::query(
                            "UPDATE watch_runs SET ended_after_ms = $1, ended_ms = $2, outcome = $3 \
                             WHERE publisher = $4 AND offer = $5 AND publish = $6 AND step_key = $7 \
                             AND ended_ms IS NULL",
                        )
                        .bind(after)
                        .bind(at)
                        .bind(outcome)
                        .bind(&row.publisher)
                        .bind(&row.offer)
                        .bind(publish)
                        .bind(key)
                        .execute(&mut *conn)
                        .await?;
                    }
                }
            }
            sqlx::query(
                "UPDATE watch_offers SET look = $1, polled_ms = $2, next_ms = $3, failures = $4, \
                 last_error = $5 WHERE publisher = $6 AND offer = $7",
            )
            .bind(&row.look)
            .bind(row.polled_ms)
            .bind(row.next_ms)
            .bind(row.failures)
            .bind(&row.last_error)
            .bind(&row.publisher)
            .bind(&row.offer)
            .execute(&mut *conn)
            .await?;
            let mut new = 0;
            for (event, channels) in events {
                let inserted = sqlx::query(
                    "INSERT INTO watch_events (key, grp, publisher, offer, kind, body, occurred_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING",
                )
                .bind(&event.key)
                .bind(&event.group)
                .bind(&event.publisher)
                .bind(&event.offer)
                .bind(&event.kind)
                .bind(&event.body)
                .bind(event.occurred_ms)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if inserted == 0 {
                    continue;
                }
                new += 1;
                for (channel, not_before) in channels {
                    sqlx::query(
                        "INSERT INTO watch_deliveries (id, event_key, channel, grp, state, attempts, \
                         created_ms, next_ms) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6) \
                         ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(format!("{channel}\n{}", event.key))
                    .bind(&event.key)
                    .bind(channel)
                    .bind(&event.group)
                    .bind(now_ms)
                    .bind((*not_before).max(now_ms))
                    .execute(&mut *conn)
                    .await?;
                }
            }
            Ok::<usize, sqlx::Error>(new)
        }
        .await;
        finish(&mut conn, result).await
    }

    /// Stores a failed poll: the look stays as it was.
    pub async fn record_poll_failure(&self, row: &OfferRow) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE watch_offers SET polled_ms = $1, next_ms = $2, failures = $3, last_error = $4 \
             WHERE publisher = $5 AND offer = $6",
        )
        .bind(row.polled_ms)
        .bind(row.next_ms)
        .bind(row.failures)
        .bind(&row.last_error)
        .bind(&row.publisher)
        .bind(&row.offer)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A channel's pending deliveries, oldest first.
    pub async fn pending_deliveries(&self, channel: &str) -> Result<Vec<DeliveryRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "{DELIVERY} WHERE d.channel = $1 AND d.state = 'pending' ORDER BY d.created_ms, d.id"
        ))
        .bind(channel)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(delivery_row).collect::<Result<_, _>>()?)
    }

    /// The newest deliveries in a state (`dead`, `done`), at most `limit`.
    pub async fn deliveries_in(
        &self,
        state: &str,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "{DELIVERY} WHERE d.state = $1 ORDER BY d.created_ms DESC, d.id LIMIT $2"
        ))
        .bind(state)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(delivery_row).collect::<Result<_, _>>()?)
    }

    /// Sets the outcome of an attempt at `ids`: `state` (pending again, done or dead), the
    /// next attempt's time, the receiver's status and the reason in words; and the channel's
    /// last result.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_attempt(
        &self,
        channel: &str,
        ids: &[String],
        state: &str,
        next_ms: i64,
        status: Option<i64>,
        error: Option<&str>,
        result: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut conn = self.begin_write().await?;
        let outcome = async {
            for id in ids {
                sqlx::query(
                    "UPDATE watch_deliveries SET state = $1, attempts = attempts + 1, next_ms = $2, \
                     last_status = $3, last_error = $4, done_ms = $5 WHERE id = $6",
                )
                .bind(state)
                .bind(next_ms)
                .bind(status)
                .bind(error)
                .bind((state != "pending").then_some(now_ms))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            }
            sqlx::query(
                "INSERT INTO watch_channels (name, last_ms, last_status, last_result) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET last_ms = $2, last_status = $3, last_result = $4",
            )
            .bind(channel)
            .bind(now_ms)
            .bind(status)
            .bind(result)
            .execute(&mut *conn)
            .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await;
        finish(&mut conn, outcome).await
    }

    /// Disables a channel (the receiver said 410 Gone): nothing more is sent to it, and its
    /// pending rows stay, to be seen.
    pub async fn disable_channel(
        &self,
        channel: &str,
        why: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO watch_channels (name, disabled_ms, disabled_why) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET disabled_ms = $2, disabled_why = $3",
        )
        .bind(channel)
        .bind(now_ms)
        .bind(why)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every channel's stored state.
    pub async fn channel_rows(&self) -> Result<Vec<ChannelRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, disabled_ms, disabled_why, last_ms, last_status, last_result FROM watch_channels",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ChannelRow {
                    name: r.try_get("name")?,
                    disabled_ms: r.try_get("disabled_ms")?,
                    disabled_why: r.try_get("disabled_why")?,
                    last_ms: r.try_get("last_ms")?,
                    last_status: r.try_get("last_status")?,
                    last_result: r.try_get("last_result")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Events seen since `since_ms`, newest first, at most `limit`, as JSON.
    pub async fn events_since(&self, since_ms: i64, limit: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT body FROM watch_events WHERE occurred_ms >= $1 ORDER BY occurred_ms DESC, key LIMIT $2",
        )
        .bind(since_ms)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("body"))
            .collect::<Result<_, _>>()?)
    }

    /// The publisher's step runs that succeeded, newest first, at most `limit`.
    pub async fn succeeded_runs(
        &self,
        publisher: &str,
        limit: i64,
    ) -> Result<Vec<RunRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT offer, step_key, step_name, started_after_ms, started_ms, ended_after_ms, ended_ms \
             FROM watch_runs WHERE publisher = $1 AND outcome = 'succeeded' AND ended_ms IS NOT NULL \
             ORDER BY ended_ms DESC LIMIT $2",
        )
        .bind(publisher)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RunRow {
                    offer: r.try_get("offer")?,
                    step_key: r.try_get("step_key")?,
                    step_name: r.try_get("step_name")?,
                    started_after_ms: r.try_get("started_after_ms")?,
                    started_ms: r.try_get("started_ms")?,
                    ended_after_ms: r.try_get("ended_after_ms")?,
                    ended_ms: r.try_get("ended_ms")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Takes or renews the watcher's lease for `holder` until `expires_ms`: true when it
    /// holds it now. Another holder's lease is taken only once it has run out.
    pub async fn take_lease(
        &self,
        holder: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<bool, StoreError> {
        let taken = sqlx::query(
            "INSERT INTO watch_lease (name, holder, expires_ms) VALUES ('watcher', $1, $2) \
             ON CONFLICT (name) DO UPDATE SET holder = $1, expires_ms = $2 \
             WHERE watch_lease.holder = $1 OR watch_lease.expires_ms < $3",
        )
        .bind(holder)
        .bind(expires_ms)
        .bind(now_ms)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(taken == 1)
    }

    /// The lease as it stands.
    pub async fn lease(&self) -> Result<Option<Lease>, StoreError> {
        let row = sqlx::query("SELECT holder, expires_ms FROM watch_lease WHERE name = 'watcher'")
            .fetch_optional(self.pool())
            .await?;
        Ok(row
            .map(|r| {
                Ok::<_, sqlx::Error>(Lease {
                    holder: r.try_get("holder")?,
                    expires_ms: r.try_get("expires_ms")?,
                })
            })
            .transpose()?)
    }

    /// Gives the lease up (a clean stop), so another takes over at once.
    pub async fn release_lease(&self, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM watch_lease WHERE name = 'watcher' AND holder = $1")
            .bind(holder)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// Commits on success, rolls back otherwise.
async fn finish<T>(
    conn: &mut PoolConnection<Any>,
    result: Result<T, sqlx::Error>,
) -> Result<T, StoreError> {
    match result {
        Ok(value) => {
            sqlx::query("COMMIT").execute(&mut **conn).await?;
            Ok(value)
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut **conn).await;
            Err(e.into())
        }
    }
}
