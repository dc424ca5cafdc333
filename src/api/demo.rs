//! The demo source: the model's simulated world running in the browser. One hour of the
//! service passes every second, so steps visibly advance.
//!
//! In the release build the world's code is a file of its own, fetched the first time the
//! demo is asked anything (`scripts/build.sh` cuts it out with wasm-split): a publisher on
//! the live service never downloads it. Other builds call the world directly.

use std::cell::RefCell;
use std::time::Duration;

use chrono::Utc;
use publishing_model::sim::{CancelOutcome, GoLiveOutcome, World};
use publishing_model::{
    OfferId, OfferStatus, OfferSummary, OperationDetail, OperationId, OperationSummary,
    PublishStatus, Publisher, PublisherId,
};

use super::{sleep, ApiError, CancelResult, Missing};
use crate::on_demand::{on_demand, CodeUnavailable};

/// Simulated seconds per real second.
pub const SPEED: i32 = 3_600;
const SEED: u64 = 2_018;
/// A little latency, so loading states behave as they do against the real service.
const LATENCY: Duration = Duration::from_millis(40);

thread_local! {
    static WORLD: RefCell<Option<(World, chrono::DateTime<Utc>)>> = const { RefCell::new(None) };
}

fn with_world<T>(f: impl FnOnce(&mut World) -> T) -> T {
    WORLD.with(|cell| {
        let mut slot = cell.borrow_mut();
        let now = Utc::now();
        let (world, last) = slot.get_or_insert_with(|| (World::new(SEED, now), now));
        let real = now - *last;
        *last = now;
        world.advance(real * SPEED);
        f(world)
    })
}

/// The world's code could not be fetched.
fn world_unavailable(_: CodeUnavailable) -> ApiError {
    ApiError::CodeUnavailable(super::CodePart::Demo)
}

// Each asks the world, loading its code first where it is a file of its own.
on_demand! { demo_world:
    fn world_publishers() -> Vec<Publisher> {
        with_world(|w| w.publishers())
    }
    fn world_offers(publisher: &PublisherId) -> Option<Vec<OfferSummary>> {
        with_world(|w| w.offers(publisher))
    }
    fn world_operations(publisher: &PublisherId, offer: &OfferId, status: Option<&str>) -> Option<Vec<OperationSummary>> {
        with_world(|w| w.operations(publisher, offer, status))
    }
    fn world_operation(publisher: &PublisherId, offer: &OfferId, operation: &OperationId) -> Option<OperationDetail> {
        with_world(|w| w.operation(publisher, offer, operation))
    }
    fn world_offer_status(publisher: &PublisherId, offer: &OfferId) -> Option<OfferStatus> {
        with_world(|w| w.offer_status(publisher, offer))
    }
    fn world_cancel(publisher: &PublisherId, offer: &OfferId) -> Option<CancelOutcome> {
        with_world(|w| w.cancel(publisher, offer))
    }
    fn world_go_live(publisher: &PublisherId, offer: &OfferId) -> Option<GoLiveOutcome> {
        with_world(|w| w.go_live(publisher, offer))
    }
}

fn not_found(what: Missing) -> ApiError {
    ApiError::NotFound { what, detail: None }
}

pub(super) async fn publishers() -> Result<Vec<Publisher>, ApiError> {
    sleep(LATENCY).await;
    world_publishers().await.map_err(world_unavailable)
}

pub(super) async fn offers(publisher: &PublisherId) -> Result<Vec<OfferSummary>, ApiError> {
    sleep(LATENCY).await;
    world_offers(publisher)
        .await
        .map_err(world_unavailable)?
        .ok_or_else(|| not_found(Missing::Publisher))
}

pub(super) async fn operations(
    publisher: &PublisherId,
    offer: &OfferId,
    status: Option<PublishStatus>,
) -> Result<Vec<OperationSummary>, ApiError> {
    sleep(LATENCY).await;
    // The simulated service reads the service's own spelling, as the real one does.
    world_operations(publisher, offer, status.as_ref().map(PublishStatus::as_str))
        .await
        .map_err(world_unavailable)?
        .ok_or_else(|| not_found(Missing::Offer))
}

pub(super) async fn operation(
    publisher: &PublisherId,
    offer: &OfferId,
    operation: &OperationId,
) -> Result<OperationDetail, ApiError> {
    sleep(LATENCY).await;
    world_operation(publisher, offer, operation)
        .await
        .map_err(world_unavailable)?
        .ok_or_else(|| not_found(Missing::Operation))
}

pub(super) async fn offer_status(
    publisher: &PublisherId,
    offer: &OfferId,
) -> Result<OfferStatus, ApiError> {
    sleep(LATENCY).await;
    world_offer_status(publisher, offer)
        .await
        .map_err(world_unavailable)?
        .ok_or_else(|| not_found(Missing::Offer))
}

pub(super) async fn cancel(
    publisher: &PublisherId,
    offer: &OfferId,
) -> Result<CancelResult, ApiError> {
    sleep(LATENCY).await;
    match world_cancel(publisher, offer)
        .await
        .map_err(world_unavailable)?
    {
        None => Err(not_found(Missing::Offer)),
        Some(CancelOutcome::Accepted(_)) => Ok(CancelResult::Canceled),
        Some(CancelOutcome::NothingRunning) => Err(ApiError::BadRequest {
            detail: Some("No operation of this offer is running.".to_owned()),
        }),
        Some(CancelOutcome::TooLate) => Err(ApiError::BadRequest {
            detail: Some(
                "The operation is past publisher sign-off and can no longer be canceled."
                    .to_owned(),
            ),
        }),
    }
}

pub(super) async fn go_live(
    publisher: &PublisherId,
    offer: &OfferId,
) -> Result<OperationId, ApiError> {
    sleep(LATENCY).await;
    let outcome = world_go_live(publisher, offer).await;
    match outcome.map_err(world_unavailable)? {
        None => Err(not_found(Missing::Offer)),
        Some(GoLiveOutcome::Started(id)) => Ok(id),
        // The words the simulator's proxy answers with (409).
        Some(GoLiveOutcome::NotWaiting) => Err(ApiError::Unexpected {
            status: 409,
            detail: Some(
                "No operation of this offer is waiting for the publisher's sign-off. (NotWaitingForSignOff)"
                    .to_owned(),
            ),
        }),
    }
}
