//! Where forwarded requests go: the real services, each with its forwarder, or the
//! simulator. Shared by the state (the browsers' requests) and the watcher (its own).

use crate::forward::Forwarder;
use crate::simulate::Simulator;

/// The proxy's way upstream.
pub(crate) enum Mode {
    /// The real services: the CPP API under `/api`, Product Ingestion under `/graph`, each
    /// with its own upstream, allow-list and token.
    Forward {
        cpp: Box<Forwarder>,
        graph: Box<Forwarder>,
    },
    Simulate(Box<Simulator>),
}
