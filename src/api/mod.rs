//! The one place that knows URLs, gloo-net and the demo world. Pages ask a [`Client`] and get
//! the same model types from either source.

mod demo;
mod error;
mod history;
mod http;
mod ingestion;
pub mod prefetch;

use std::time::Duration;

use leptos::prelude::*;
use publishing_model::{
    OfferId, OfferStatus, OfferSummary, OperationDetail, OperationId, OperationSummary,
    PublishStatus, Publisher, PublisherId,
};

pub use error::{ApiError, CodePart, Missing};
pub use history::{server_history, OfferHistory, OfferPast, HISTORY_OPERATIONS};
pub use http::recent_request_ids;
pub use ingestion::{IngestionClient, JobCancelResult};

use crate::settings::Settings;

/// Where the data comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// The simulated service running in the browser: no account needed.
    Demo,
    /// The CPP API through a proxy.
    Live,
    /// The Product Ingestion API (Microsoft Graph) through the proxy's `/graph` profile.
    Ingestion,
}

impl SourceKind {
    /// The URL segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Demo => "demo",
            Self::Live => "live",
            Self::Ingestion => "ingestion",
        }
    }

    /// From the URL segment.
    pub fn parse(segment: &str) -> Option<Self> {
        match segment {
            "demo" => Some(Self::Demo),
            "live" => Some(Self::Live),
            "ingestion" => Some(Self::Ingestion),
            _ => None,
        }
    }

    /// Seconds between polls while something runs.
    pub fn poll_interval(self, settings: &Settings) -> Duration {
        match self {
            // The demo moves an hour a second: poll often so it is seen moving.
            Self::Demo => Duration::from_secs(3),
            Self::Live => Duration::from_secs(u64::from(settings.poll_seconds.get())),
            // This API asks for at most one poll a minute.
            Self::Ingestion => Duration::from_secs(u64::from(
                settings.poll_seconds.get().max(MIN_INGESTION_POLL),
            )),
        }
    }

    /// A publisher as the breadcrumbs name it: its id, but for the Product Ingestion
    /// API's one account, which has a name in words.
    pub fn publisher_name(self, publisher: &PublisherId) -> String {
        if self == Self::Ingestion && publisher.as_str() == ACCOUNT {
            crate::i18n::t(key!("ingestion.account"))
        } else {
            publisher.to_string()
        }
    }

    /// True where the dashboard itself signs off a preview and goes live (the CPP API's
    /// `golive`); the Product Ingestion API goes live by a configure request of its own.
    pub fn goes_live_here(self) -> bool {
        matches!(self, Self::Demo | Self::Live)
    }
}

/// The resource a CPP token is for.
pub const CPP_RESOURCE: &str = "https://cloudpartner.azure.com";
/// The resource a Product Ingestion token is for.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";

impl SourceKind {
    /// The resource a pasted token must be for, on this source's pages.
    pub fn token_resource(self) -> &'static str {
        match self {
            Self::Ingestion => GRAPH_RESOURCE,
            Self::Demo | Self::Live => CPP_RESOURCE,
        }
    }
}

pub use publishing_model::ingestion::{ACCOUNT, MIN_INGESTION_POLL};

/// What a cancel request led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CancelResult {
    /// 200: canceled at once.
    Canceled,
    /// 202: accepted; the follow-up operation's URL when the service gave one.
    Accepted(Option<String>),
}

/// A client for one source, built from the current settings.
#[derive(Clone, Debug)]
pub enum Client {
    /// The in-browser simulation.
    Demo,
    /// HTTP through a proxy.
    Live(http::HttpClient),
    /// The Product Ingestion API through the proxy's `/graph` profile.
    Ingestion(IngestionClient),
}

impl Client {
    /// The client for `source`. Reads the settings tracked, so a resource built on it refetches
    /// when they change.
    pub fn new(source: SourceKind, settings: &Settings) -> Self {
        match source {
            SourceKind::Demo => Self::Demo,
            SourceKind::Live => Self::Live(http::HttpClient {
                base: settings.proxy_url.get(),
                version: ("api-version", settings.api_version.get()),
                token: settings.token.get(),
                resource: CPP_RESOURCE,
            }),
            SourceKind::Ingestion => Self::Ingestion(IngestionClient(http::HttpClient {
                base: publishing_model::ingestion::graph_root(&settings.proxy_url.get()),
                version: ("$version", publishing_model::ingestion::VERSION.to_owned()),
                token: settings.token.get(),
                resource: GRAPH_RESOURCE,
            })),
        }
    }

    /// Publishers the identity can see.
    pub async fn publishers(&self) -> Result<Vec<Publisher>, ApiError> {
        match self {
            Self::Demo => demo::publishers().await,
            Self::Live(http) => http.publishers().await,
            Self::Ingestion(_) => Ok(vec![Publisher {
                id: PublisherId(ACCOUNT.to_owned()),
                definition: Some(publishing_model::api::DisplayDefinition {
                    display_text: Some(crate::i18n::t(key!("ingestion.account"))),
                    seller_id: None,
                }),
            }]),
        }
    }

    /// A publisher's offers.
    pub async fn offers(&self, publisher: &PublisherId) -> Result<Vec<OfferSummary>, ApiError> {
        match self {
            Self::Demo => demo::offers(publisher).await,
            Self::Live(http) => http.offers(publisher).await,
            Self::Ingestion(graph) => ingestion::offers(graph).await,
        }
    }

    /// An offer's operations, optionally only those with `status`.
    pub async fn operations(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        status: Option<PublishStatus>,
    ) -> Result<Vec<OperationSummary>, ApiError> {
        match self {
            Self::Demo => demo::operations(publisher, offer, status).await,
            Self::Live(http) => http.operations(publisher, offer, status).await,
            Self::Ingestion(graph) => ingestion::operations(graph, offer, status).await,
        }
    }

    /// One operation with its steps.
    pub async fn operation(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        operation: &OperationId,
    ) -> Result<OperationDetail, ApiError> {
        match self {
            Self::Demo => demo::operation(publisher, offer, operation).await,
            Self::Live(http) => http.operation(publisher, offer, operation).await,
            Self::Ingestion(graph) => ingestion::operation(graph, offer, operation).await,
        }
    }

    /// The offer's current status.
    pub async fn offer_status(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
    ) -> Result<OfferStatus, ApiError> {
        match self {
            Self::Demo => demo::offer_status(publisher, offer).await,
            Self::Live(http) => http.offer_status(publisher, offer).await,
            Self::Ingestion(graph) => ingestion::offer_status(graph, offer).await,
        }
    }

    /// Cancels the offer's running operation.
    pub async fn cancel(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        emails: &str,
    ) -> Result<CancelResult, ApiError> {
        match self {
            Self::Demo => demo::cancel(publisher, offer).await,
            Self::Live(http) => http.cancel(publisher, offer, emails).await,
            // The page offers no offer-level cancel here (no cancellation state): only a
            // configure job cancels.
            Self::Ingestion(_) => Err(unsupported()),
        }
    }

    /// Signs off the offer's preview and takes it live: the new operation, when the service
    /// names it (it should, in `Location` or `Operation-Location`).
    pub async fn go_live(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        emails: &str,
    ) -> Result<Option<OperationId>, ApiError> {
        match self {
            Self::Demo => demo::go_live(publisher, offer).await.map(Some),
            Self::Live(http) => http.go_live(publisher, offer, emails).await,
            Self::Ingestion(_) => Err(unsupported()),
        }
    }

    /// The Product Ingestion client, for its configure jobs; `None` for the other sources.
    pub fn ingestion(&self) -> Option<&IngestionClient> {
        match self {
            Self::Ingestion(graph) => Some(graph),
            _ => None,
        }
    }
}

fn unsupported() -> ApiError {
    ApiError::BadRequest {
        detail: Some(crate::i18n::t(key!("ingestion.unsupported"))),
    }
}

/// Waits without blocking the page.
pub async fn sleep(duration: Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            // If scheduling fails the promise never resolves; only a torn-down page does that.
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
