//! The simulated world: deterministic, every scenario present, time moves steps forward.

use chrono::{DateTime, TimeDelta, Utc};
use publishing_model::sim::{CancelOutcome, GoLiveOutcome, World};
use publishing_model::{OfferId, PublishStatus, PublisherId, StatusKind};

fn start() -> DateTime<Utc> {
    "2026-11-01T09:00:00Z".parse().expect("fixed start")
}

fn ids(publisher: &str, offer: &str) -> (PublisherId, OfferId) {
    (publisher.into(), offer.into())
}

fn latest_status(world: &World, publisher: &str, offer: &str) -> PublishStatus {
    let (p, o) = ids(publisher, offer);
    let ops = world.operations(&p, &o, None).expect("offer exists");
    ops.last().expect("has operations").effective_status()
}

#[test]
fn same_seed_same_world() {
    let a = World::new(7, start());
    let b = World::new(7, start());
    let (p, o) = ids("fabrikam", "fabrikam-hardened-vm");
    assert_eq!(a.operations(&p, &o, None), b.operations(&p, &o, None));
    let c = World::new(8, start());
    assert_ne!(a.operations(&p, &o, None), c.operations(&p, &o, None));
}

#[test]
fn every_scenario_is_present_from_the_start() {
    let world = World::new(1, start());
    assert_eq!(
        world.publishers().len(),
        3,
        "contoso, fabrikam and northwind (many offers)"
    );
    let (p, o) = ids("contoso", "contoso-ubuntu-vm");
    let running = world.operations(&p, &o, Some("running")).expect("offer");
    assert_eq!(running.len(), 1);
    let detail = world.operation(&p, &o, &running[0].id).expect("detail");
    assert_eq!(detail.steps.len(), 6);
    assert_eq!(
        detail.steps[1].status,
        Some(PublishStatus::Running),
        "in certification"
    );
    assert!(detail.can_cancel());

    let (p, o) = ids("contoso", "contoso-windows-vm");
    let st = world.offer_status(&p, &o).expect("status");
    assert_eq!(st.steps[1].status, Some(PublishStatus::Blocked));
    assert!(st.steps[1]
        .messages
        .iter()
        .any(|m| m.html.as_deref()
            == Some("No virtual machine image was found for the plan contoso.")));

    let (p, o) = ids("contoso", "contoso-data-science-vm");
    let st = world.offer_status(&p, &o).expect("status");
    assert_eq!(st.status, Some(PublishStatus::WaitingForPublisherReview));

    assert_eq!(
        latest_status(&world, "contoso", "contoso-analytics-saas"),
        PublishStatus::Completed
    );
    let (p, o) = ids("contoso", "contoso-analytics-saas");
    assert_eq!(
        world
            .operations(&p, &o, None)
            .expect("ops")
            .last()
            .and_then(|op| op.submission_type.clone())
            .as_deref(),
        Some("goLive")
    );
    assert_eq!(
        latest_status(&world, "fabrikam", "fabrikam-backup-saas"),
        PublishStatus::Canceled
    );
    assert_eq!(
        latest_status(&world, "fabrikam", "fabrikam-managed-app"),
        PublishStatus::Failed
    );

    let (p, o) = ids("fabrikam", "fabrikam-hardened-vm");
    let history = world.operations(&p, &o, None).expect("offer");
    assert!(history.len() >= 300, "several hundred: {}", history.len());
    assert!(history
        .iter()
        .any(|op| op.effective_status().kind() == StatusKind::Unknown));
}

#[test]
fn only_one_operation_per_offer_runs_at_a_time() {
    let mut world = World::new(3, start());
    for _ in 0..200 {
        world.advance(TimeDelta::hours(7));
        for publisher in world.publishers() {
            for offer in world.offers(&publisher.id).expect("publisher") {
                let running = world
                    .operations(&publisher.id, &offer.id, Some("running"))
                    .expect("offer");
                assert!(
                    running.len() <= 1,
                    "{} has {} running",
                    offer.id,
                    running.len()
                );
            }
        }
    }
}

#[test]
fn time_moves_the_running_publish_forward_and_autopilot_starts_another() {
    let mut world = World::new(5, start());
    let (p, o) = ids("contoso", "contoso-ubuntu-vm");
    let before = world.operations(&p, &o, None).expect("offer").len();
    let op = world.operations(&p, &o, Some("running")).expect("offer")[0]
        .id
        .clone();
    let progress = |w: &World| w.operation(&p, &o, &op).expect("op").steps[1].progress_percentage;
    let p0 = progress(&world);
    world.advance(TimeDelta::hours(6));
    assert!(progress(&world) > p0, "certification progresses");
    world.advance(TimeDelta::days(40));
    let detail = world.operation(&p, &o, &op).expect("op");
    assert_eq!(detail.status, Some(PublishStatus::Completed));
    assert!(detail
        .steps
        .iter()
        .all(|s| s.status == Some(PublishStatus::Completed)));
    assert!(
        world.operations(&p, &o, None).expect("offer").len() > before,
        "a new publish started"
    );
}

#[test]
fn blocked_and_waiting_operations_stay_put() {
    let mut world = World::new(5, start());
    world.advance(TimeDelta::days(30));
    let (p, o) = ids("contoso", "contoso-windows-vm");
    assert_eq!(
        world.offer_status(&p, &o).expect("st").steps[1].status,
        Some(PublishStatus::Blocked)
    );
    let (p, o) = ids("contoso", "contoso-data-science-vm");
    assert_eq!(
        world.offer_status(&p, &o).expect("st").status,
        Some(PublishStatus::WaitingForPublisherReview)
    );
}

#[test]
fn status_filter_is_spelling_insensitive() {
    let world = World::new(2, start());
    let (p, o) = ids("fabrikam", "fabrikam-hardened-vm");
    let a = world.operations(&p, &o, Some("Succeeded")).expect("offer");
    let b = world.operations(&p, &o, Some("completed")).expect("offer");
    assert_eq!(a, b);
    assert!(!a.is_empty());
    assert!(a
        .iter()
        .all(|op| op.effective_status() == PublishStatus::Completed));
}

#[test]
fn cancel_only_before_sign_off() {
    let mut world = World::new(9, start());
    let (p, o) = ids("contoso", "contoso-ubuntu-vm");
    let Some(CancelOutcome::Accepted(id)) = world.cancel(&p, &o) else {
        panic!("running in certification can be canceled");
    };
    let detail = world.operation(&p, &o, &id).expect("op");
    assert_eq!(detail.status, Some(PublishStatus::Canceled));
    assert_eq!(world.cancel(&p, &o), Some(CancelOutcome::NothingRunning));
    let (p, o) = ids("contoso", "contoso-data-science-vm");
    assert_eq!(world.cancel(&p, &o), Some(CancelOutcome::TooLate));
    assert_eq!(world.cancel(&p, &"nope".into()), None);
}

#[test]
fn go_live_ends_the_preview_and_starts_a_go_live_operation() {
    let mut world = World::new(9, start());
    let (p, o) = ids("contoso", "contoso-data-science-vm");
    let before = world.operations(&p, &o, None).expect("offer").len();
    let Some(GoLiveOutcome::Started(id)) = world.go_live(&p, &o) else {
        panic!("an operation waiting for sign-off can go live");
    };
    let ops = world.operations(&p, &o, None).expect("offer");
    assert_eq!(ops.len(), before + 1, "a new operation");
    assert_eq!(ops[before].id, id);
    assert_eq!(ops[before].submission_type.as_deref(), Some("goLive"));
    assert_eq!(ops[before].slot.as_deref(), Some("production"));
    let live = world.operation(&p, &o, &id).expect("the new operation");
    assert_eq!(live.status, Some(PublishStatus::Running));
    assert_eq!(live.steps.len(), 1);
    assert_eq!(live.steps[0].status, Some(PublishStatus::Running));
    let signed = world
        .operation(&p, &o, &ops[before - 1].id)
        .expect("the preview's");
    assert_eq!(signed.status, Some(PublishStatus::Completed));
    assert_eq!(
        signed.steps.last().and_then(|s| s.status.clone()),
        Some(PublishStatus::Completed),
        "it ends with the sign-off, signed"
    );
    // Nothing waits any more; and an offer running elsewhere has nothing to sign.
    assert_eq!(world.go_live(&p, &o), Some(GoLiveOutcome::NotWaiting));
    let (p, o) = ids("contoso", "contoso-ubuntu-vm");
    assert_eq!(world.go_live(&p, &o), Some(GoLiveOutcome::NotWaiting));
    assert_eq!(world.go_live(&p, &"nope".into()), None);
    // It goes live in the end.
    world.advance(TimeDelta::days(6));
    let live = world.operation(&p, &"contoso-data-science-vm".into(), &id);
    assert_eq!(live.and_then(|l| l.status), Some(PublishStatus::Completed));
}

#[test]
fn unknown_entities_are_none() {
    let world = World::new(1, start());
    assert!(world.offers(&"nobody".into()).is_none());
    assert!(world
        .operations(&"contoso".into(), &"nope".into(), None)
        .is_none());
    assert!(world
        .operation(
            &"contoso".into(),
            &"contoso-ubuntu-vm".into(),
            &"nope".into()
        )
        .is_none());
}

#[test]
fn versions_are_dotnet_ticks_above_2_pow_53() {
    let world = World::new(1, start());
    let (p, o) = ids("contoso", "contoso-ubuntu-vm");
    let ops = world.operations(&p, &o, None).expect("offer");
    assert!(ops.iter().all(|op| op.version.is_some_and(|v| v > 1 << 53)));
}

#[test]
fn bulk_offers_hold_the_asked_number_of_operations() {
    let mut world = World::new(4, start());
    let id = world.add_bulk_offer(1_000);
    let ops = world
        .operations(&"contoso".into(), &id, None)
        .expect("offer");
    assert_eq!(ops.len(), 1_001);
    assert_eq!(
        world
            .operations(&"contoso".into(), &id, Some("running"))
            .expect("offer")
            .len(),
        1
    );
}

#[test]
fn the_detail_has_the_documented_shape_type_and_slot_come_from_the_list() {
    let world = World::new(7, start());
    let (p, o) = ids("contoso", "contoso-ubuntu-vm");
    let listed = world.operations(&p, &o, None).expect("ops");
    let entry = listed.last().expect("an operation");
    let id = entry.id.clone();
    let detail = world.operation(&p, &o, &id).expect("detail");
    assert_eq!((detail.submission_type, detail.slot), (None, None));
    assert!(entry.submission_type.is_some() && entry.slot.is_some());
    assert!(!detail.steps.is_empty());
}

#[test]
fn the_bulk_offers_running_operation_is_a_busy_one() {
    let mut world = World::new(4, start());
    let offer = world.add_bulk_offer(10);
    let p = PublisherId::from("contoso");
    let ops = world.operations(&p, &offer, None).expect("offer");
    let running = ops
        .iter()
        .find(|o| o.is_active())
        .expect("a running operation");
    let detail = world.operation(&p, &offer, &running.id).expect("detail");
    let feed = publishing_model::feed::feed(&detail.messages, &detail.steps);
    assert_eq!(detail.steps.len(), 6);
    assert_eq!(feed.len(), publishing_model::sim::BUSY_MESSAGES);
}

#[test]
fn every_finished_bulk_operation_finished_in_the_past() {
    let mut world = World::new(4, start());
    let offer = world.add_bulk_offer(50);
    let ops = world
        .operations(&"contoso".into(), &offer, None)
        .expect("offer");
    let newest = ops
        .iter()
        .max_by_key(|o| o.changed_at())
        .expect("operations");
    assert!(newest.is_active(), "the running operation is the newest");
    assert!(ops
        .iter()
        .all(|o| o.changed_at().is_some_and(|c| c <= start())));
}

#[test]
fn northwind_has_offers_in_every_state_for_the_overview() {
    use publishing_model::overview::{OfferOverview, OverviewFilter};
    let world = World::new(1, start());
    let p = PublisherId::from("northwind");
    let offers = world.offers(&p).expect("publisher");
    assert!(offers.len() >= 30, "{}", offers.len());
    let rows: Vec<OfferOverview> = offers
        .iter()
        .map(|o| {
            let st = world.offer_status(&p, &o.id).expect("status");
            OfferOverview::listed(o).with_status(&st, start())
        })
        .collect();
    for filter in OverviewFilter::ALL {
        assert!(
            rows.iter().any(|r| r.matches(filter, start())),
            "{filter:?}"
        );
    }
    let kinds: Vec<StatusKind> = rows
        .iter()
        .filter_map(|r| r.status.as_ref().map(|s| s.kind()))
        .collect();
    for kind in [
        StatusKind::WaitingForPublisher,
        StatusKind::Blocked,
        StatusKind::Failed,
        StatusKind::Running,
        StatusKind::Succeeded,
        StatusKind::Canceled,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert!(rows.iter().any(|r| r.migrated));
}

#[test]
fn many_offers_can_be_added_for_the_benchmark() {
    let mut world = World::new(1, start());
    world.add_many_offers(200);
    assert_eq!(
        world
            .offers(&PublisherId::from("northwind"))
            .expect("publisher")
            .len(),
        200
    );
    assert_eq!(world.publishers().len(), 3, "no second northwind");
}

#[test]
fn northwinds_offers_changed_in_the_past() {
    let world = World::new(1, start());
    let offers = world
        .offers(&PublisherId::from("northwind"))
        .expect("publisher");
    for o in offers {
        let changed = o.changed_time.and_then(|t| t.parsed).expect("changed");
        assert!(changed <= start(), "{} changed {changed}", o.id);
    }
}

#[test]
fn follow_up_addresses_name_their_operation() {
    use publishing_model::OperationId;
    for (location, want) in [
        (
            "/api/publishers/p/offers/o/operations/5a63deb5-0000-4f00-9000-000000000001?api-version=2017-10-31",
            Some("5a63deb5-0000-4f00-9000-000000000001"),
        ),
        (
            "https://cloudpartner.azure.com/api/publishers/p/offers/o/operations/abc",
            Some("abc"),
        ),
        ("publishers/p/offers/o/operations/abc/", Some("abc")),
        ("/api/publishers/p/offers/o/status?x=/operations/abc", None),
        ("/api/publishers/p/offers/o/operations/", None),
        ("/api/publishers/p/offers/o/operations/a%2Fb", None),
        ("/api/publishers/p/offers/o/operations/<script>", None),
        ("", None),
    ] {
        assert_eq!(
            OperationId::from_location(location).map(|id| id.0),
            want.map(str::to_owned),
            "{location}"
        );
    }
}
