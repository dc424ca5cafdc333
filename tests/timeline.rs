//! The step timeline and the projection, in a real browser.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::*;
use offer_dashboard::components::{
    step_views, DurationStrip, EtaSummary, StatusBadge, StepTimeline,
};
use publishing_model::api::parse_operation;
use publishing_model::eta::project;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("fixtures/seed_operation_detail.json");

#[wasm_bindgen_test]
async fn every_step_is_an_item_of_an_ordered_list_in_the_order_sent() {
    let detail = parse_operation(SEED).expect("fixture");
    let now = chrono::Utc::now();
    let eta = project(&detail.steps, now);
    let views = step_views(&detail.steps, &eta.steps);
    let root = mount(move || view! { <StepTimeline steps=views /> });
    settle().await;
    let list = one(&root, "ol[data-testid=timeline]");
    let items = all(&list, "li[data-testid=timeline-step]");
    let names: Vec<String> = items
        .iter()
        .map(|i| text(&one(i, ".timeline__name")))
        .collect();
    assert_eq!(
        names,
        [
            "Validate Pre-Requisites",
            "Certification",
            "Provisioning",
            "Packaging and Lead Generation Registration",
            "Publisher signoff",
            "Live"
        ]
    );
    // Status in words and icon, never colour alone.
    assert_eq!(
        text(&one(&items[0], "[data-testid=step-status]")),
        "Completed"
    );
    assert_eq!(
        text(&one(&items[1], "[data-testid=step-status]")),
        "Blocked"
    );
    assert!(items[1].class_name().contains("timeline__step--blocked"));
    assert_eq!(text(&one(&items[0], ".timeline__icon")), "✓");
    // Estimates: the text as sent, with the range when it reads differently.
    assert_eq!(
        text(&one(&items[1], "[data-testid=step-estimate]")),
        "< 5 day (< 5 days)"
    );
    assert_eq!(
        text(&one(&items[4], "[data-testid=step-estimate]")),
        "No estimate"
    );
    assert_eq!(
        text(&one(&items[5], "[data-testid=step-estimate]")),
        "~2-5 days (2-5 days)"
    );
    // Progress bar and its number.
    assert_eq!(
        text(&one(&items[0], "[data-testid=step-progress]")),
        "100 %"
    );
    assert_eq!(
        one(&items[0], "progress").get_attribute("value").as_deref(),
        Some("100")
    );
    // Messages with level; the blocked step's error is there.
    let messages = all(&items[1], "[data-testid=message]");
    assert_eq!(messages.len(), 2);
    assert!(messages[0].class_name().contains("message--error"));
    assert!(text(&messages[0]).contains("No virtual machine image was found for the plan contoso."));
}

#[wasm_bindgen_test]
async fn the_running_step_stands_out() {
    let mut detail = parse_operation(SEED).expect("fixture");
    detail.steps[1].status = Some(publishing_model::PublishStatus::Running);
    let views = step_views(&detail.steps, &[]);
    let root = mount(move || view! { <StepTimeline steps=views /> });
    settle().await;
    let current = all(&root, "li[aria-current=step]");
    assert_eq!(current.len(), 1);
    assert!(text(&current[0]).contains("Certification"));
}

#[wasm_bindgen_test]
async fn the_projection_says_when_and_names_the_blocker() {
    let detail = parse_operation(SEED).expect("fixture");
    let eta = project(&detail.steps, chrono::Utc::now());
    let steps = detail.steps.clone();
    let root = mount(move || view! { <EtaSummary overall=eta.overall steps=steps /> });
    settle().await;
    assert!(text(&one(&root, "[data-testid=eta-summary]")).contains("Stopped at “Certification”"));

    let mut running = parse_operation(SEED).expect("fixture");
    running.steps[1].status = Some(publishing_model::PublishStatus::Running);
    let eta = project(&running.steps, chrono::Utc::now());
    let steps = running.steps.clone();
    let root = mount(move || view! { <EtaSummary overall=eta.overall steps=steps /> });
    settle().await;
    let sentence = text(&one(&root, "[data-testid=eta-summary]"));
    assert!(
        sentence.starts_with("Expected live no earlier than"),
        "{sentence}"
    );
    assert!(
        sentence.contains("“Publisher signoff” has no estimate"),
        "{sentence}"
    );
}

#[wasm_bindgen_test]
async fn the_strip_has_a_segment_per_step() {
    let detail = parse_operation(SEED).expect("fixture");
    let steps = detail.steps.clone();
    let root = mount(move || view! { <DurationStrip steps=steps /> });
    settle().await;
    let segments = all(&root, ".strip__segment");
    assert_eq!(segments.len(), 6);
    assert!(segments[4]
        .class_name()
        .contains("strip__segment--unestimated"));
    assert!(text(&segments[1]).contains("Certification: < 5 day"));
}

#[wasm_bindgen_test]
async fn unknown_statuses_show_as_sent() {
    let status: publishing_model::PublishStatus =
        "Quarantined".parse().unwrap_or_else(|n| match n {});
    let root = mount(move || view! { <StatusBadge status=status /> });
    settle().await;
    let badge = one(&root, "[data-testid=status-badge]");
    assert_eq!(text(&badge), "?Quarantined");
    assert!(badge.class_name().contains("status-badge--unknown"));
}
