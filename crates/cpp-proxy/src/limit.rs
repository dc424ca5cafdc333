//! The per-client in-flight limit on API requests: one browser cannot hold every upstream
//! connection. A slot is released when the request's guard drops, however it ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// How many API requests each client may have in flight.
pub(crate) struct InFlightLimit {
    max: usize,
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One request's slot, released on drop.
pub(crate) struct Slot {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    client: IpAddr,
}

impl InFlightLimit {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            counts: Arc::default(),
        }
    }

    /// A slot for `client`, or `None` when it already has `max` requests in flight.
    pub(crate) fn acquire(&self, client: IpAddr) -> Option<Slot> {
        // A poisoned lock only means a panic between two counter updates; the map is usable.
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(client).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            counts: self.counts.clone(),
            client,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_client_and_released_on_drop() {
        let limit = InFlightLimit::new(2);
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        let first = limit.acquire(a).expect("first");
        let _second = limit.acquire(a).expect("second");
        assert!(limit.acquire(a).is_none(), "third refused");
        assert!(limit.acquire(b).is_some(), "another client is not affected");
        drop(first);
        assert!(limit.acquire(a).is_some(), "released");
    }
}
