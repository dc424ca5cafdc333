//! The operation's timeline views in a real browser: the projection in words, the time axis,
//! the step list, the message feed and support details.

#![cfg(target_arch = "wasm32")]

mod common;

use std::collections::BTreeMap;

use chrono::{TimeDelta, Utc};
use common::*;
use leptos::prelude::*;
use offer_dashboard::components::{
    step_titles, MessageFeed, OutlookSummary, RelativeTime, StatusBadge, StepList, StepNames,
    TimeAxis,
};
use publishing_model::api::{parse_operation, Message, Timestamp};
use publishing_model::feed::feed;
use publishing_model::timeline::{operation_timeline, OperationTimeline};
use publishing_model::{OperationDetail, PublishStatus, Step};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("fixtures/seed_operation_detail.json");

fn timeline_of(detail: &OperationDetail) -> OperationTimeline {
    operation_timeline(
        detail,
        None,
        &BTreeMap::new(),
        Utc::now(),
        TimeDelta::hours(24),
    )
}

/// The seed operation with every step moved to recent times: certification running for
/// `running_hours` and the first step done before it.
fn recent(running_hours: i64) -> OperationDetail {
    let mut d = parse_operation(SEED).expect("fixture");
    let start = Utc::now() - TimeDelta::hours(running_hours);
    let stamp = |at: chrono::DateTime<Utc>| Some(Timestamp::from_instant(at));
    d.steps[0].messages = vec![Message {
        html: Some("Step completed.".into()),
        level: None,
        timestamp: stamp(start),
    }];
    d.steps[1].status = Some(PublishStatus::Running);
    d.steps[1].messages = vec![Message {
        html: Some("Step started.".into()),
        level: None,
        timestamp: stamp(start),
    }];
    d
}

fn mount_views(detail: OperationDetail) -> web_sys::HtmlElement {
    let t = timeline_of(&detail);
    let steps: Vec<Step> = detail.steps.clone();
    mount(move || {
        view! {
            <OutlookSummary steps=steps.clone() timeline=t.clone() preview_links=detail.preview_links.clone() />
            <TimeAxis steps=steps.clone() timeline=t.clone() />
            <StepList steps=steps timeline=t />
        }
    })
}

#[wasm_bindgen_test]
async fn every_step_is_an_item_of_an_ordered_list_in_the_order_sent() {
    let root = mount_views(parse_operation(SEED).expect("fixture"));
    settle().await;
    let items = all(
        &one(&root, "ol[data-testid=timeline]"),
        "li[data-testid=timeline-step]",
    );
    let names: Vec<String> = items
        .iter()
        .map(|i| text(&one(i, ".steps__name")))
        .collect();
    assert_eq!(names.len(), 6);
    assert_eq!(names[1], "Certification");
    assert_eq!(
        text(&one(&items[1], "[data-testid=step-status]")),
        "Blocked"
    );
    assert!(items[1].class_name().contains("steps__item--blocked"));
    assert_eq!(
        items[1].id(),
        "step-displaycertify",
        "every step has an anchor"
    );
    assert_eq!(text(&one(&items[0], ".steps__icon")), "✓");
}

#[wasm_bindgen_test]
async fn the_offer_pages_summary_names_each_step_and_its_status_only() {
    let steps = recent(3).steps;
    let root = mount(move || view! { <StepNames steps=steps.clone() /> });
    settle().await;
    let items = all(&root, "li[data-testid=timeline-step]");
    assert_eq!(items.len(), 6);
    assert_eq!(text(&one(&items[1], ".steps__name")), "Certification");
    assert_eq!(
        text(&one(&items[1], "[data-testid=step-status]")),
        "Running"
    );
    assert_eq!(
        items[1].get_attribute("aria-current").as_deref(),
        Some("step")
    );
    assert!(all(&root, "[data-testid=step-times]").is_empty());
    assert!(all(&root, "[data-testid=step-estimate]").is_empty());
}

#[wasm_bindgen_test]
async fn a_time_frame_is_shown_once() {
    let root = mount_views(parse_operation(SEED).expect("fixture"));
    settle().await;
    let items = all(&root, "li[data-testid=timeline-step]");
    assert_eq!(
        text(&one(&items[1], "[data-testid=step-estimate]")),
        "Microsoft: < 5 day"
    );
    assert_eq!(
        text(&one(&items[4], "[data-testid=step-estimate]")),
        "Microsoft gives no estimate"
    );
    assert!(
        all(&items[0], "progress").is_empty(),
        "finished steps have no progress bar"
    );
}

#[wasm_bindgen_test]
async fn a_blocked_operation_says_where_it_stopped_and_why() {
    let root = mount_views(parse_operation(SEED).expect("fixture"));
    settle().await;
    let outlook = text(&one(&root, "[data-testid=eta-summary]"));
    assert!(
        outlook.starts_with("Stopped at Certification since"),
        "{outlook}"
    );
    assert!(
        text(&one(&root, "[data-testid=first-error]"))
            .contains("No virtual machine image was found"),
        "the step's first error is at the top"
    );
}

#[wasm_bindgen_test]
async fn the_projection_is_sign_off_aware() {
    let root = mount_views(recent(1));
    settle().await;
    let sentence = text(&one(&root, "[data-testid=eta-summary]"));
    assert!(sentence.starts_with("Preview ready between"), "{sentence}");
    assert!(!sentence.contains("past its estimate"), "{sentence}");
    assert!(
        sentence.contains("After you sign off, live 2–5 days later."),
        "{sentence}"
    );
    assert!(!sentence.contains("unknown"), "{sentence}");
}

#[wasm_bindgen_test]
async fn the_axis_has_ticks_a_now_line_and_one_row_per_step() {
    let root = mount_views(recent(3));
    settle().await;
    let axis = one(&root, "[data-testid=axis]");
    assert_eq!(all(&axis, "[data-testid=axis-row]").len(), 6);
    assert!(all(&axis, "[data-testid=axis-tick]").len() >= 3);
    assert_eq!(all(&axis, "[data-testid=axis-now]").len(), 1);
    assert_eq!(all(&axis, "[data-testid=axis-finish]").len(), 1);
    // Done and running steps are real bars; the rest are planned ranges.
    assert_eq!(all(&axis, "[data-testid=axis-bar]").len(), 2);
    assert!(all(&axis, ".axis__plan--planned").len() >= 3);
    assert_eq!(all(&axis, ".axis__marker").len(), 1);
}

#[wasm_bindgen_test]
async fn a_soonest_time_already_reached_reads_any_moment_and_go_live_waits_for_sign_off() {
    let root = mount_views(recent(3));
    settle().await;
    let times: Vec<String> = all(&root, "[data-testid=step-times]")
        .iter()
        .map(text)
        .collect();
    // Certification ("< 5 day") could already be done: only its latest end is news.
    assert!(
        times[1].contains("Expected to end at the latest in 5 days"),
        "{}",
        times[1]
    );
    assert!(
        times[2].starts_with("Can start any moment. Expected to end at the latest in"),
        "{}",
        times[2]
    );
    assert_eq!(
        times[4], "Your move: sign off once the preview is ready.",
        "the sign-off itself"
    );
    assert!(
        times[5].starts_with("Starts after your sign-off. Expected to end"),
        "{}",
        times[5]
    );
    assert!(
        times.iter().all(|t| !t.contains("just now")),
        "a time still to come never reads as past: {times:?}"
    );

    // Past the top of its estimate: it could end at any moment.
    let root = mount_views(recent(24 * 8));
    settle().await;
    let overdue = text(&all(&root, "[data-testid=step-times]")[1]);
    assert!(overdue.ends_with("Could end any moment."), "{overdue}");
}

#[wasm_bindgen_test]
async fn an_overdue_step_says_so_in_words() {
    let mut d = recent(24 * 8);
    d.steps[1].messages.push(Message {
        html: Some("Still scanning".into()),
        level: None,
        timestamp: Some(Timestamp::from_instant(Utc::now() - TimeDelta::hours(1))),
    });
    let root = mount_views(d);
    settle().await;
    let health = text(&one(&root, "[data-testid=step-health]"));
    assert!(health.starts_with("⏱Overdue by 3 days"), "{health}");
    let sentence = text(&one(&root, "[data-testid=eta-summary]"));
    assert!(
        sentence
            .ends_with("“Certification” is past its estimate, so this assumes it ends any moment."),
        "the projection says what it rests on: {sentence}"
    );

    let root = mount_views(recent(24 * 8));
    settle().await;
    let health = text(&one(&root, "[data-testid=step-health]"));
    assert!(health.contains("Probably stuck"), "{health}");
}

#[wasm_bindgen_test]
async fn the_feed_merges_collapses_and_filters_by_level() {
    let mut d = parse_operation(SEED).expect("fixture");
    let error = d.steps[1].messages[0].clone();
    for _ in 0..3 {
        d.steps[1].messages.push(error.clone());
    }
    let entries = feed(&d.messages, &d.steps);
    let steps = d.steps.clone();
    let root = mount(
        move || view! { <MessageFeed entries=entries titles=step_titles(&steps) read_up_to=None /> },
    );
    settle().await;
    let messages = all(&root, "[data-testid=message]");
    assert_eq!(messages.len(), 3, "four identical errors are one entry");
    assert!(text(&root).contains("×4"));
    let errors = one(&root, "[data-testid=level-error]");
    assert_eq!(text(&errors), "Errors 1");
    assert!(one(&root, "[data-testid=level-warning]")
        .class_name()
        .contains("chip--quiet"));
    click(&errors);
    settle().await;
    assert_eq!(
        errors.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(all(&root, "[data-testid=message]").len(), 2);
    assert!(all(&root, "[data-testid=message]")
        .iter()
        .all(|m| m.id().starts_with("msg-")));
}

#[wasm_bindgen_test]
async fn a_steps_part_of_the_feed_folds_away() {
    let d = parse_operation(SEED).expect("fixture");
    let entries = feed(&d.messages, &d.steps);
    let steps = d.steps.clone();
    let root = mount(
        move || view! { <MessageFeed entries=entries titles=step_titles(&steps) read_up_to=None /> },
    );
    settle().await;
    let fold = one(&root, ".feed__fold");
    assert_eq!(fold.get_attribute("aria-expanded").as_deref(), Some("true"));
    click(&fold);
    settle().await;
    assert_eq!(
        fold.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(one(&root, ".feed__part ul").has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn unknown_statuses_show_as_sent() {
    let status: PublishStatus = "Quarantined".parse().unwrap_or_else(|n| match n {});
    let root = mount(move || view! { <StatusBadge status=status /> });
    settle().await;
    let badge = one(&root, "[data-testid=status-badge]");
    assert_eq!(text(&badge), "?Quarantined");
    assert!(badge.class_name().contains("status-badge--unknown"));
}

/// The exact time is shown, and only made, while the time is hovered or has keyboard focus;
/// a time that is not known says what was sent and takes no focus.
#[wasm_bindgen_test]
async fn a_time_shows_its_exact_time_on_hover_and_focus() {
    let at = Utc::now() - TimeDelta::hours(3);
    let root = mount(move || {
        view! {
            <p><RelativeTime at=Some(at) /></p>
            <p><RelativeTime at=None raw="2018-13-45".to_owned() /></p>
        }
    });
    settle().await;
    let times = all(&root, "time");
    let time = &times[0];
    assert_eq!(text(time), "3 hours ago");
    assert!(
        all(&root, ".when__full").is_empty(),
        "no tooltip made up front"
    );
    let element = time
        .clone()
        .dyn_into::<web_sys::HtmlElement>()
        .expect("html");
    element.focus().expect("focusable");
    settle().await;
    let full = text(&one(&root, ".when__full"));
    assert!(full.starts_with("3 hours ago · "), "{full}");
    assert!(full.contains(&at.format("%Y").to_string()), "{full}");
    element.blur().expect("blur");
    settle().await;
    assert!(all(&root, ".when__full").is_empty(), "gone on blur");
    let enter = web_sys::MouseEvent::new("mouseenter").expect("event");
    time.dispatch_event(&enter).expect("dispatch");
    settle().await;
    assert_eq!(all(&root, ".when__full").len(), 1, "shown on hover");
    let leave = web_sys::MouseEvent::new("mouseleave").expect("event");
    time.dispatch_event(&leave).expect("dispatch");
    settle().await;
    assert!(
        all(&root, ".when__full").is_empty(),
        "gone when the pointer leaves"
    );
    assert_eq!(text(&times[1]), "2018-13-45");
    assert_eq!(times[1].get_attribute("tabindex"), None);
}
