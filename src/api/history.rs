//! The offer's own history of step durations: its latest completed operations, read one at a
//! time (at most ten requests, once per offer while the tab is open).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use publishing_model::history::{step_history, StepHistory};
use publishing_model::{
    OfferId, OperationDetail, OperationId, OperationSummary, PublishStatus, PublisherId,
};

use super::{ApiError, Client, SourceKind};

/// Past operations read for the history.
pub const HISTORY_OPERATIONS: usize = 10;

type Key = (SourceKind, PublisherId, OfferId);

/// What the offer's latest completed operations tell.
#[derive(Debug, Default)]
pub struct OfferPast {
    /// Per step key, how long the step took.
    pub steps: BTreeMap<String, StepHistory>,
    /// The operations read, newest first, each with its list entry (which has its type).
    pub operations: Vec<(OperationSummary, OperationDetail)>,
}

/// The offer's past, shared.
pub type OfferHistory = Arc<OfferPast>;

thread_local! {
    /// Few offers are opened in a tab: a list, not a hash map (which costs wasm).
    static CACHE: RefCell<Vec<(Key, OfferHistory)>> = const { RefCell::new(Vec::new()) };
}

impl Client {
    fn source(&self) -> SourceKind {
        match self {
            Self::Demo => SourceKind::Demo,
            Self::Live(_) => SourceKind::Live,
            Self::Ingestion(_) => SourceKind::Ingestion,
        }
    }

    /// Per step key, how long the step took in the offer's latest completed operations
    /// (other than `except`, the one on screen).
    pub async fn offer_history(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        except: &OperationId,
    ) -> Result<OfferHistory, ApiError> {
        let key = (self.source(), publisher.clone(), offer.clone());
        let cached = CACHE.with(|c| {
            c.borrow()
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, h)| h.clone())
        });
        if let Some(known) = cached {
            return Ok(known);
        }
        // Product Ingestion has no steps of its own to time, and asks for few requests.
        if self.ingestion().is_some() {
            return Ok(OfferHistory::default());
        }
        let mut listed = self
            .operations(publisher, offer, Some(PublishStatus::Completed))
            .await?;
        listed.retain(|op| {
            &op.id != except && op.effective_status().kind() == PublishStatus::Completed.kind()
        });
        listed.sort_by_key(|op| std::cmp::Reverse(op.changed_at()));
        let mut operations = Vec::new();
        // One at a time: the history is a nicety and must never crowd the page's own polls.
        for op in listed.into_iter().take(HISTORY_OPERATIONS) {
            if let Ok(detail) = self.operation(publisher, offer, &op.id).await {
                operations.push((op, detail));
            }
        }
        let details: Vec<OperationDetail> = operations.iter().map(|(_, d)| d.clone()).collect();
        let history = Arc::new(OfferPast {
            steps: step_history(&details),
            operations,
        });
        CACHE.with(|c| c.borrow_mut().push((key, history.clone())));
        Ok(history)
    }
}

/// The watcher's history of the offer's steps, where the proxy watches it (same origin, like
/// `/auth/*`); `None` when it has none or cannot be asked.
pub async fn server_history(
    publisher: &PublisherId,
    offer: &OfferId,
) -> Option<publishing_model::watching::ServerHistory> {
    let url = format!(
        "/dashboard/v1/history/{}/{}",
        publishing_model::route::encode(publisher.as_str()),
        publishing_model::route::encode(offer.as_str())
    );
    let response = gloo_net::http::Request::get(&url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let history = publishing_model::watching::parse_history(&response.text().await.ok()?);
    (!history.offer.is_empty() || !history.publisher.is_empty()).then_some(history)
}
