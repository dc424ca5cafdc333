//! The watcher: with no tab open, the proxy polls the offers it is told to watch, notices
//! what a publisher must know ([`publishing_model::alerts`]) and tells the team's channels,
//! through an outbox in the store so nothing is lost across restarts or receiver outages.
//!
//! One process polls and sends per store: with SQLite, a lock on a file beside the database
//! (a second process refuses to start); with PostgreSQL, a lease row that the holder renews
//! and another replica takes once it has run out.

pub mod channel;
pub mod config;
pub mod email;
pub mod outcome;
mod poller;
mod sender;
pub mod upstream;

pub use config::WatchConfig;
pub use upstream::Pace;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Mutex, Notify};

use crate::connector::Outbound;
use crate::mode::Mode;
use crate::store::{Store, StoreUrl};

/// How long a lease lasts unrenewed (PostgreSQL): another replica takes over after it.
pub const LEASE: Duration = Duration::from_secs(15);

/// The watcher's health, for `/readyz` and its page.
#[derive(Clone, Debug, Default)]
pub struct Health {
    /// The last answer from the service.
    pub last_ok: Option<DateTime<Utc>>,
    /// The last failure, in words, and when; cleared by the next answer.
    pub last_error: Option<(DateTime<Utc>, String)>,
    /// This process polls and sends (holds the lock or the lease).
    pub leader: bool,
}

pub(crate) struct WatcherInner {
    pub(crate) config: WatchConfig,
    pub(crate) store: Store,
    pub(crate) public_url: Option<String>,
    pub(crate) out: Outbound,
    pub(crate) upstream_pace: Arc<Pace>,
    pub(crate) health: Mutex<Health>,
    /// When each publisher's list of offers is read next.
    pub(crate) lists: Mutex<HashMap<String, DateTime<Utc>>>,
    /// New outbox rows: the senders look at once.
    pub(crate) wake: Notify,
    holder: String,
    /// The SQLite lock, held for the process's life.
    _lock: Option<std::fs::File>,
    /// The way upstream, the browsers' too.
    pub(crate) mode: Arc<Mode>,
}

/// The watcher, shared by its tasks and the endpoints.
#[derive(Clone)]
pub struct Watcher(pub(crate) Arc<WatcherInner>);

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("store", &self.0.store)
            .finish_non_exhaustive()
    }
}

/// Takes the SQLite store's watcher lock: a file beside the database, locked for the
/// process's life (the system frees it however the process ends).
fn sqlite_lock(path: &std::path::Path) -> Result<std::fs::File, String> {
    let lock_path = path.with_extension("watch.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another cpp-proxy already watches with the store {} (it holds {}): one watcher per SQLite store; use PostgreSQL for replicas",
            path.display(),
            lock_path.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", lock_path.display())),
    }
}

impl Watcher {
    /// A watcher of `config` on `store`. With SQLite this takes the store's lock, and fails
    /// in words when another process holds it.
    pub(crate) fn new(
        config: WatchConfig,
        store: Store,
        public_url: Option<String>,
        out: Outbound,
        pace: Arc<Pace>,
        mode: Arc<Mode>,
    ) -> Result<Self, String> {
        let lock = match store.url() {
            StoreUrl::Sqlite(path) => Some(sqlite_lock(path)?),
            StoreUrl::Postgres(_) => None,
        };
        let holder = format!("{}:{}", std::process::id(), &crate::secret::random()[..12]);
        Ok(Self(Arc::new(WatcherInner {
            config,
            store,
            public_url,
            out,
            upstream_pace: pace,
            health: Mutex::new(Health::default()),
            lists: Mutex::new(HashMap::new()),
            wake: Notify::new(),
            holder,
            _lock: lock,
            mode,
        })))
    }

    /// The configuration.
    pub fn config(&self) -> &WatchConfig {
        &self.0.config
    }

    /// Its health now.
    pub async fn health(&self) -> Health {
        self.0.health.lock().await.clone()
    }

    /// What `/readyz` says of the watcher: whether it polls, its last answer and failure,
    /// dead deliveries and disabled channels. The proxy stays ready: a watcher that cannot
    /// reach the service still serves the browsers.
    pub async fn readiness(&self) -> serde_json::Value {
        let health = self.health().await;
        let dead = self
            .0
            .store
            .deliveries_in("dead", 1000)
            .await
            .map(|d| d.len());
        let disabled: Vec<String> = self
            .0
            .store
            .channel_rows()
            .await
            .map(|rows| {
                rows.into_iter()
                    .filter(|r| r.disabled_ms.is_some())
                    .map(|r| r.name)
                    .collect()
            })
            .unwrap_or_default();
        serde_json::json!({
            "leader": health.leader,
            "lastOk": health.last_ok,
            "lastError": health.last_error.as_ref().map(|(at, why)| serde_json::json!({ "at": at, "message": why })),
            "deadDeliveries": dead.ok(),
            "disabledChannels": disabled,
        })
    }

    pub(crate) async fn healthy(&self, now: DateTime<Utc>) {
        let mut h = self.0.health.lock().await;
        h.last_ok = Some(now);
        h.last_error = None;
    }

    pub(crate) async fn failed(&self, why: &str, now: DateTime<Utc>) {
        tracing::warn!(reason = %why, "the watcher could not ask the service");
        self.0.health.lock().await.last_error = Some((now, why.to_owned()));
    }

    /// True while this process polls and sends: always with SQLite (it holds the lock);
    /// with PostgreSQL while it holds the lease, taken or renewed here.
    async fn lead(&self) -> bool {
        let leader = match self.0.store.url() {
            StoreUrl::Sqlite(_) => true,
            StoreUrl::Postgres(_) => {
                let now = Utc::now().timestamp_millis();
                let until = now + i64::try_from(LEASE.as_millis()).unwrap_or(15_000);
                match self.0.store.take_lease(&self.0.holder, now, until).await {
                    Ok(held) => held,
                    Err(e) => {
                        tracing::warn!(error = %e, "the watcher's lease could not be renewed");
                        false
                    }
                }
            }
        };
        let mut h = self.0.health.lock().await;
        if h.leader != leader {
            tracing::info!(
                leader,
                "the watcher {}",
                if leader {
                    "polls and sends"
                } else {
                    "stands by"
                }
            );
        }
        h.leader = leader;
        leader
    }

    /// Starts polling and sending, until the process ends.
    pub fn spawn(&self) {
        let poller = self.clone();
        tokio::spawn(async move {
            let mut names = HashMap::new();
            let mut renewed = tokio::time::Instant::now() - LEASE;
            let mut leader = false;
            loop {
                if renewed.elapsed() >= LEASE / 3 {
                    leader = poller.lead().await;
                    renewed = tokio::time::Instant::now();
                }
                if !leader {
                    tokio::time::sleep(LEASE / 3).await;
                    continue;
                }
                let wait = match poller.poll_once(&mut names).await {
                    Ok(wait) => wait,
                    Err(e) => {
                        tracing::warn!(error = %e, "the watcher's store failed");
                        Duration::from_secs(2)
                    }
                };
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
        });
        for channel in self.0.config.channels.clone() {
            let sender = self.clone();
            tokio::spawn(async move {
                loop {
                    let leader = sender.0.health.lock().await.leader;
                    let wait = if leader {
                        sender.send_due(&channel).await.unwrap_or_else(|e| {
                            tracing::warn!(error = %e, "the watcher's store failed");
                            Duration::from_secs(2)
                        })
                    } else {
                        Duration::from_secs(1)
                    };
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = sender.0.wake.notified() => {}
                    }
                }
            });
        }
    }

    /// Gives the lease up at a clean stop, so a replica takes over at once.
    pub async fn stop(&self) {
        if matches!(self.0.store.url(), StoreUrl::Postgres(_)) {
            let _ = self.0.store.release_lease(&self.0.holder).await;
        }
    }
}
