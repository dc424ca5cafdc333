//! The publisher overview's rows in a real browser: loading, known, failed, migrated.

#![cfg(target_arch = "wasm32")]

mod common;

use chrono::{TimeDelta, Utc};
use common::*;
use leptos::prelude::*;
use offer_dashboard::api::ApiError;
use offer_dashboard::components::{OverviewRow, RowState};
use publishing_model::api::{DisplayDefinition, OfferStatus, OfferSummary};
use publishing_model::overview::OfferOverview;
use publishing_model::{OfferId, PublishStatus, Step, StepId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn listed(migrated: bool) -> OfferOverview {
    OfferOverview::listed(&OfferSummary {
        id: OfferId::from("contoso-vm"),
        definition: Some(DisplayDefinition {
            display_text: Some("Contoso <b>VM</b>".into()),
            seller_id: None,
        }),
        pc_migration_status: Some(if migrated { "migrated" } else { "none" }.into()),
        ..OfferSummary::default()
    })
}

fn mount_row(row: OfferOverview, state: RowState) -> web_sys::HtmlElement {
    mount(move || {
        view! {
            <table><tbody>
                <OverviewRow row=row state=state href="/demo/publishers/p/offers/contoso-vm".to_owned() checked=None />
            </tbody></table>
        }
    })
}

#[wasm_bindgen_test]
async fn a_loading_row_has_its_own_skeleton_and_its_link() {
    let root = mount_row(listed(false), RowState::Loading);
    settle().await;
    let row = one(&root, "[data-testid=overview-row]");
    assert!(all(&row, ".overview__skeleton").len() == 1);
    let link = one(&row, "th a");
    assert_eq!(
        text(&link),
        "Contoso <b>VM</b>",
        "the service's name, as text"
    );
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/demo/publishers/p/offers/contoso-vm")
    );
    assert!(all(&row, "[data-testid=migrated]").is_empty());
}

#[wasm_bindgen_test]
async fn a_row_waiting_for_sign_off_says_it_is_your_move() {
    let status = OfferStatus {
        status: Some(PublishStatus::Running),
        steps: vec![Step {
            id: Some(StepId("publisher-signoff".into())),
            step_name: Some("Publisher signoff".into()),
            status: Some(PublishStatus::WaitingForPublisherReview),
            ..Step::default()
        }],
        ..OfferStatus::default()
    };
    let row = listed(false).with_status(&status, Utc::now());
    let root = mount_row(row, RowState::Known);
    settle().await;
    let row = one(&root, "[data-testid=overview-row]");
    assert!(text(&row).contains("Waiting for your sign-off"));
    assert!(text(&row).contains("Publisher signoff"));
    assert!(text(&row).contains("Yours"));
}

#[wasm_bindgen_test]
async fn a_migrated_offer_links_to_partner_center_only_over_https() {
    let moved = |uri: &str| {
        OfferOverview::listed(&OfferSummary {
            id: OfferId::from("contoso-vm"),
            pc_migration_status: Some("migrated".into()),
            pc_redirect_uri: Some(uri.into()),
            ..OfferSummary::default()
        })
    };
    let root = mount_row(
        moved("https://partner.microsoft.com/dashboard/offers/1"),
        RowState::Known,
    );
    settle().await;
    let link = one(&root, "a[data-testid=migrated]");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://partner.microsoft.com/dashboard/offers/1")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    let root = mount_row(moved("javascript:alert(1)"), RowState::Known);
    settle().await;
    assert!(all(&root, "a[data-testid=migrated]").is_empty());
    assert_eq!(
        text(&one(&root, "span[data-testid=migrated]")),
        "Moved to Partner Center"
    );
}

#[wasm_bindgen_test]
async fn errors_are_per_row_in_few_words() {
    let root = mount_row(
        listed(true),
        RowState::Failed {
            error: ApiError::Forbidden { detail: None },
            retry_at: None,
        },
    );
    settle().await;
    assert_eq!(
        text(&one(&root, "[data-testid=row-error]")),
        "No access to this offer"
    );
    assert_eq!(
        text(&one(&root, "[data-testid=migrated]")),
        "Moved to Partner Center"
    );

    let root = mount_row(
        listed(false),
        RowState::Failed {
            error: ApiError::Busy {
                status: 503,
                retry_after: None,
                detail: None,
            },
            retry_at: Some(Utc::now() + TimeDelta::seconds(8)),
        },
    );
    settle().await;
    let words = text(&one(&root, "[data-testid=row-error]"));
    assert!(words.starts_with("Busy, retrying in "), "{words}");
}

#[wasm_bindgen_test]
fn the_name_search_and_order_fold_case_in_every_script() {
    use offer_dashboard::i18n::lower;
    let mut row = listed(false);
    row.name = "Überwachung · Σύστημα · Москва".into();
    for found in [
        "überWACHUNG",
        "σύστημα",
        "москва",
        "CONTOSO-VM",
        "  москва  ",
    ] {
        assert!(row.matches_text(found, lower), "{found}");
    }
    for missed in ["uberwachung", "zzz"] {
        assert!(!row.matches_text(missed, lower), "{missed}");
    }
    assert_eq!(lower("ÀÉÎ Ærø ΣΑΣ ДОМ"), "àéî ærø σας дом");
}
