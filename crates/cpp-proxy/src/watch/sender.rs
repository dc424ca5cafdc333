//! The sender: one task per channel delivers its outbox rows, the rows of one operation
//! together once the oldest has waited `group_wait`. 2xx is done; 429, 5xx, timeouts and
//! refused connections are retried with backoff, jitter and `Retry-After`; 410 disables the
//! channel; any other 4xx is dead at once; a row still undelivered after 72 hours is dead.
//! A channel that waits (Slack's 429) holds up no other: each has its own task.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use publishing_model::alerts::{batches, Event, Notice, Pending};
use publishing_model::retry::RetryPolicy;

use super::channel::{self, Outcome};
use super::config::{Channel, ChannelKind};
use super::poller::unit;
use super::Watcher;
use crate::store::{DeliveryRow, StoreError};

/// A row is given up this long after it was written.
const GIVE_UP: TimeDelta = TimeDelta::hours(72);

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// After a failure that may pass: how long until the next attempt (the `attempts`-th so
/// far; `unit` in 0..1 for the jitter), or `None` once the oldest row has waited 72 hours.
/// Full jitter up to a minute, so a receiver back from an outage hears again soon; never
/// sooner than the receiver's `Retry-After`.
fn again(
    oldest: DateTime<Utc>,
    now: DateTime<Utc>,
    attempts: i64,
    retry_after: Option<Duration>,
    unit: f64,
) -> Option<Duration> {
    if now - oldest >= GIVE_UP {
        return None;
    }
    let policy = RetryPolicy {
        base: Duration::from_secs(2),
        cap: Duration::from_secs(60),
        max_retries: u32::MAX,
    };
    // The backoff takes the receiver's `Retry-After` as its floor.
    Some(policy.delay(
        u32::try_from(attempts).unwrap_or(u32::MAX),
        unit,
        retry_after,
    ))
}

impl Watcher {
    /// Delivers what is due on `channel`; returns how long to wait before looking again.
    pub(crate) async fn send_due(&self, channel: &Channel) -> Result<Duration, StoreError> {
        let store = &self.0.store;
        let disabled = store
            .channel_rows()
            .await?
            .into_iter()
            .any(|c| c.name == channel.name && c.disabled_ms.is_some());
        if disabled {
            return Ok(Duration::from_secs(5));
        }
        let now = Utc::now();
        let rows = store.pending_deliveries(&channel.name).await?;
        let due: Vec<&DeliveryRow> = rows
            .iter()
            .filter(|r| r.next_ms <= now.timestamp_millis())
            .collect();
        let pending: Vec<Pending> = due
            .iter()
            .map(|r| Pending {
                id: r.id.clone(),
                group: r.group.clone(),
                created: at(r.created_ms),
            })
            .collect();
        let wait = TimeDelta::from_std(self.0.config.group_wait).unwrap_or(TimeDelta::seconds(30));
        for batch in batches(&pending, now, wait) {
            let rows: Vec<&DeliveryRow> = due
                .iter()
                .copied()
                .filter(|r| batch.contains(&r.id))
                .collect();
            self.deliver(channel, &rows).await?;
            if channel.kind == ChannelKind::Slack {
                // Slack takes at most one message a second per webhook.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Ok(Duration::from_millis(500))
    }

    /// One message of `rows` to `channel`, and its outcome in the store.
    pub(crate) async fn deliver(
        &self,
        channel: &Channel,
        rows: &[&DeliveryRow],
    ) -> Result<Outcome, StoreError> {
        let events: Vec<Event> = rows
            .iter()
            .filter_map(|r| serde_json::from_str(&r.event).ok())
            .collect();
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let now = Utc::now();
        let store = &self.0.store;
        if events.is_empty() {
            store
                .record_attempt(
                    &channel.name,
                    &ids,
                    "dead",
                    now.timestamp_millis(),
                    None,
                    Some("the stored event could not be read"),
                    "dead",
                    now.timestamp_millis(),
                )
                .await?;
            return Ok(Outcome::Refused(0));
        }
        let notice = Notice::new(events, self.0.public_url.as_deref());
        let id = channel::message_id(&ids);
        let outcome = channel::send(&self.0.out, channel, &notice, &id, now.timestamp()).await;
        let now_ms = Utc::now().timestamp_millis();
        let oldest = rows.iter().map(|r| r.created_ms).min().unwrap_or(now_ms);
        let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(0) + 1;
        match &outcome {
            Outcome::Delivered(code) => {
                store
                    .record_attempt(
                        &channel.name,
                        &ids,
                        "done",
                        now_ms,
                        Some(i64::from(*code)),
                        None,
                        "delivered",
                        now_ms,
                    )
                    .await?;
                tracing::info!(channel = %channel.name, webhook_id = %id, events = ids.len(), "delivered");
            }
            Outcome::Retry {
                status,
                why,
                retry_after,
            } => {
                let status = status.map(i64::from);
                match again(at(oldest), now, attempts, *retry_after, unit()) {
                    None => {
                        let why = format!("undelivered for 72 hours; last: {why}");
                        store
                            .record_attempt(
                                &channel.name,
                                &ids,
                                "dead",
                                now_ms,
                                status,
                                Some(&why),
                                "dead",
                                now_ms,
                            )
                            .await?;
                    }
                    Some(delay) => {
                        let next =
                            now_ms + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
                        store
                            .record_attempt(
                                &channel.name,
                                &ids,
                                "pending",
                                next,
                                status,
                                Some(why),
                                "retrying",
                                now_ms,
                            )
                            .await?;
                    }
                }
                tracing::warn!(channel = %channel.name, webhook_id = %id, reason = %why, "delivery failed; it will be sent again");
            }
            Outcome::Gone => {
                let why = format!(
                    "{} answered 410 Gone: the channel is disabled",
                    channel.host
                );
                store
                    .record_attempt(
                        &channel.name,
                        &ids,
                        "dead",
                        now_ms,
                        Some(410),
                        Some(&why),
                        "disabled",
                        now_ms,
                    )
                    .await?;
                store.disable_channel(&channel.name, &why, now_ms).await?;
                tracing::warn!(channel = %channel.name, "{why}");
            }
            Outcome::Refused(code) => {
                let why = format!("{} refused the message ({code})", channel.host);
                store
                    .record_attempt(
                        &channel.name,
                        &ids,
                        "dead",
                        now_ms,
                        Some(i64::from(*code)),
                        Some(&why),
                        "dead",
                        now_ms,
                    )
                    .await?;
                tracing::warn!(channel = %channel.name, webhook_id = %id, "{why}");
            }
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_tried_again_within_a_minute_never_before_retry_after_and_dead_after_72_hours() {
        let now = Utc::now();
        for attempts in 1..30 {
            for unit in [0.0, 0.5, 0.999] {
                let d = again(now, now, attempts, None, unit).expect("again");
                assert!(d <= Duration::from_secs(60), "{attempts}: {d:?}");
            }
        }
        let d = again(now, now, 1, Some(Duration::from_secs(7)), 0.0).expect("again");
        assert!(d >= Duration::from_secs(7));
        let d = again(now, now, 1, Some(Duration::from_secs(600)), 0.5).expect("again");
        assert_eq!(
            d,
            Duration::from_secs(600),
            "a longer Retry-After is honoured"
        );
        assert!(again(now - TimeDelta::hours(71), now, 9, None, 0.5).is_some());
        assert_eq!(again(now - TimeDelta::hours(72), now, 9, None, 0.5), None);
    }
}
