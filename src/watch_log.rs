//! What this browser saw of the operations it watched (step transitions between polls, the
//! newest message already shown), kept in `localStorage` so the next visit still knows. The
//! log is bounded by the model and holds only paths, step ids and instants: nothing secret.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use publishing_model::timeline::{WatchLog, WatchedOperation};
use publishing_model::Step;

use crate::settings::local;

const KEY: &str = "cpp-dashboard.watched";

thread_local! {
    static LOG: RefCell<Option<WatchLog>> = const { RefCell::new(None) };
}

fn with_log<R>(f: impl FnOnce(&mut WatchLog) -> R) -> R {
    LOG.with(|cell| {
        let mut cell = cell.borrow_mut();
        let log = cell.get_or_insert_with(|| {
            local()
                .and_then(|s| s.get_item(KEY).ok().flatten())
                .map(|text| WatchLog::from_json(&text))
                .unwrap_or_default()
        });
        f(log)
    })
}

fn save(log: &WatchLog) {
    if let Some(storage) = local() {
        // Full or disabled storage (private mode): the log then lasts for the page.
        let _ = storage.set_item(KEY, &log.to_json());
    }
}

/// Takes in one poll of an operation (keyed by its app path).
pub fn observe(operation: &str, steps: &[Step], at: DateTime<Utc>) {
    with_log(|log| {
        if log.observe(operation, steps, at) {
            save(log);
        }
    });
}

/// What was seen of an operation so far.
pub fn watched(operation: &str) -> Option<WatchedOperation> {
    with_log(|log| log.get(operation).cloned())
}

/// Remembers that messages up to `newest` were shown.
pub fn mark_read(operation: &str, newest: DateTime<Utc>) {
    with_log(|log| {
        if log.mark_read(operation, newest) {
            save(log);
        }
    });
}
