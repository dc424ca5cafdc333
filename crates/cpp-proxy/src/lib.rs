//! The proxy as a library: `app(state)` builds the same service for `main` and for tests.
//!
//! - [`state`]: the wiring, from the command line to the shared [`AppState`];
//! - [`service`]: the tower services every request passes through, and [`profile`], the one
//!   shape of a forwarded request with its two profiles (the CPP API and Product Ingestion);
//! - [`serve`]: connections, their timeouts and their cap; [`signal`]: stopping;
//! - [`forward`], [`connector`], [`credentials`]: the way out to the services.

pub mod audit;
pub mod auth;
pub mod client_addr;
pub mod config;
pub mod connector;
pub mod cors;
pub mod credentials;
pub mod error;
pub mod forward;
pub(crate) mod guard;
mod health;
mod limit;
mod mode;
mod negotiate;
mod profile;
pub mod routes;
pub(crate) mod secret;
pub mod serve;
mod service;
mod sign_in;
mod signal;
pub mod simulate;
pub mod span;
mod state;
mod static_files;
pub mod store;
pub mod token;
pub mod watch;
mod watching;
mod whole;

pub use service::{app, App};
pub use signal::shutdown_signal;
pub use state::AppState;
pub use static_files::{IMMUTABLE, STATIC_CSP};
