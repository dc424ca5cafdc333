//! The Product Ingestion API (Microsoft Graph) over HTTP, through the proxy's `/graph`
//! profile, read into the pages' documents by the model's `ingestion` module: products are
//! offers (addressed by their external id, the offer id the publisher knows), submissions
//! operations, and a submission a two-step plan.
//!
//! In the release build the reading (requests, products, submissions, plans) is a file of
//! its own, fetched the first time a page asks this source anything (`scripts/build.sh`
//! cuts it out with wasm-split): a publisher on the CPP API never downloads it. Other builds
//! call it directly.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use gloo_net::http::Request;
use publishing_model::ingestion::{
    self, is_guid, parse_job, parse_products, parse_submissions, ConfigureJob, PlanWords, Product,
    Submission,
};
use publishing_model::route::{GraphRoute, SkipToken};
use publishing_model::ProductId;
use publishing_model::{JobId, OfferId, OfferStatus, OfferSummary, OperationDetail, OperationId};
use publishing_model::{OperationSummary, PublishStatus};

use super::http::HttpClient;
use super::{ApiError, CodePart, Missing};
use crate::i18n::t;
use crate::on_demand::{on_demand, CodeUnavailable};

thread_local! {
    /// External id to product GUID, learnt from every product list and lookup: a product's
    /// GUID never changes, and the pages address products by external id.
    static GUIDS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

fn remember(products: &[Product]) {
    GUIDS.with(|known| {
        let mut known = known.borrow_mut();
        for p in products {
            let id = p.offer_id().0;
            if !known.iter().any(|(e, _)| *e == id) {
                known.push((id, p.guid().to_owned()));
            }
        }
    });
}

/// What a configure job's cancel led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobCancelResult {
    /// Canceled.
    Canceled,
    /// Refused: the job had already completed.
    AlreadyCompleted,
}

/// The reader's code could not be fetched.
fn reader_unavailable(_: CodeUnavailable) -> ApiError {
    ApiError::CodeUnavailable(CodePart::Ingestion)
}

/// An answer on its way: returned boxed, so the future's code is in the reader's file too.
type Reading<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

// Each reads through the client, loading the reader's code first where it is a file of its
// own.
on_demand! { ingestion_reader:
    fn read_offers(graph: IngestionClient) -> Reading<Vec<OfferSummary>> {
        Box::pin(async move { Ok(graph.products().await?.iter().map(Product::as_offer).collect()) })
    }
    fn read_operations(graph: IngestionClient, offer: OfferId, status: Option<PublishStatus>) -> Reading<Vec<OperationSummary>> {
        Box::pin(async move {
            let all = ingestion::operations(&graph.submissions(&offer).await?);
            let wanted = status.map(|s| s.key());
            Ok(all
                .into_iter()
                .filter(|op| wanted.as_ref().is_none_or(|w| op.effective_status().key() == *w))
                .collect())
        })
    }
    fn read_operation(graph: IngestionClient, offer: OfferId, operation: OperationId) -> Reading<OperationDetail> {
        Box::pin(async move {
            let all = graph.submissions(&offer).await?;
            ingestion::operation_detail(&all, operation.as_str(), &plan_words()).ok_or(ApiError::NotFound {
                what: Missing::Operation,
                detail: None,
            })
        })
    }
    fn read_offer_status(graph: IngestionClient, offer: OfferId) -> Reading<OfferStatus> {
        Box::pin(async move { Ok(ingestion::offer_status(&graph.submissions(&offer).await?, &plan_words())) })
    }
}

/// Every product, as offers.
pub(super) async fn offers(graph: &IngestionClient) -> Result<Vec<OfferSummary>, ApiError> {
    read_offers(graph.clone())
        .await
        .map_err(reader_unavailable)?
        .await
}

/// A product's submissions as operations, optionally only those with `status`.
pub(super) async fn operations(
    graph: &IngestionClient,
    offer: &OfferId,
    status: Option<PublishStatus>,
) -> Result<Vec<OperationSummary>, ApiError> {
    read_operations(graph.clone(), offer.clone(), status)
        .await
        .map_err(reader_unavailable)?
        .await
}

/// One submission as an operation with its plan.
pub(super) async fn operation(
    graph: &IngestionClient,
    offer: &OfferId,
    operation: &OperationId,
) -> Result<OperationDetail, ApiError> {
    read_operation(graph.clone(), offer.clone(), operation.clone())
        .await
        .map_err(reader_unavailable)?
        .await
}

/// The product's current status.
pub(super) async fn offer_status(
    graph: &IngestionClient,
    offer: &OfferId,
) -> Result<OfferStatus, ApiError> {
    read_offer_status(graph.clone(), offer.clone())
        .await
        .map_err(reader_unavailable)?
        .await
}

/// The plan's words in the page's language.
pub fn plan_words() -> PlanWords {
    PlanWords {
        preview: t(key!("ingestion.step-preview")),
        live: t(key!("ingestion.step-live")),
        preview_submitted: t(key!("ingestion.preview-submitted")),
        live_submitted: t(key!("ingestion.live-submitted")),
    }
}

/// A client for the Product Ingestion profile; `Debug` shows no token.
#[derive(Clone, Debug)]
pub struct IngestionClient(pub(super) HttpClient);

impl IngestionClient {
    /// GETs a Product Ingestion route.
    async fn get_route(&self, route: &GraphRoute, what: Missing) -> Result<String, ApiError> {
        self.0.get(&route.path(), &route.query(), what).await
    }

    /// Every product, following `@nextLink` (at most [`ingestion::MAX_PAGES`] pages).
    pub async fn products(&self) -> Result<Vec<Product>, ApiError> {
        let mut all = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..ingestion::MAX_PAGES {
            let route = GraphRoute::Products {
                external_id: None,
                skip_token: next.as_deref().and_then(SkipToken::parse),
            };
            let text = self.get_route(&route, Missing::Publisher).await?;
            let page = parse_products(&text).map_err(ApiError::Unreadable)?;
            remember(&page.products);
            all.extend(page.products);
            match page.next {
                Some(token) => next = Some(token),
                None => break,
            }
        }
        Ok(all)
    }

    /// The GUID of the product an address names: a GUID is one already; an external id is
    /// looked up once (`GET product?externalId=`).
    async fn guid(&self, offer: &OfferId) -> Result<String, ApiError> {
        if is_guid(offer.as_str()) {
            return Ok(offer.as_str().to_owned());
        }
        let known = GUIDS.with(|k| {
            k.borrow()
                .iter()
                .find(|(e, _)| e == offer.as_str())
                .map(|(_, g)| g.clone())
        });
        if let Some(guid) = known {
            return Ok(guid);
        }
        let route = GraphRoute::Products {
            external_id: Some(offer.clone()),
            skip_token: None,
        };
        let text = self.get_route(&route, Missing::Offer).await?;
        let page = parse_products(&text).map_err(ApiError::Unreadable)?;
        remember(&page.products);
        page.products
            .iter()
            .find(|p| p.offer_id() == *offer)
            .or(page.products.first())
            .map(|p| p.guid().to_owned())
            .ok_or(ApiError::NotFound {
                what: Missing::Offer,
                detail: None,
            })
    }

    /// A product's submissions.
    pub async fn submissions(&self, offer: &OfferId) -> Result<Vec<Submission>, ApiError> {
        let guid = self.guid(offer).await?;
        let route = GraphRoute::Submissions {
            product: ProductId::from(guid),
        };
        let text = self.get_route(&route, Missing::Offer).await?;
        parse_submissions(&text).map_err(ApiError::Unreadable)
    }

    /// A configure job's status.
    pub async fn job(&self, job: &JobId) -> Result<ConfigureJob, ApiError> {
        let route = GraphRoute::JobStatus { job: job.clone() };
        let text = self.get_route(&route, Missing::Job).await?;
        parse_job(&text).map_err(ApiError::Unreadable)
    }

    /// Cancels a configure job; its 400 "already completed" is an answer, not an error.
    pub async fn cancel_job(&self, job: &JobId) -> Result<JobCancelResult, ApiError> {
        let url = self
            .0
            .url(&GraphRoute::CancelJob { job: job.clone() }.path());
        let sent = self
            .0
            .send(
                |signal| {
                    self.0
                        .prepare(Request::post(&url), &[])
                        .header("X-CSRF", "1")
                        .abort_signal(signal)
                        .json(&serde_json::json!({}))
                },
                Missing::Job,
            )
            .await;
        match sent {
            Ok(_) => Ok(JobCancelResult::Canceled),
            Err(ApiError::BadRequest { detail })
                if ingestion::already_completed(None, detail.as_deref()) =>
            {
                Ok(JobCancelResult::AlreadyCompleted)
            }
            Err(e) => Err(e),
        }
    }
}
