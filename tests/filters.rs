//! The status filter controls and the operations table, in a real browser.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::*;
use offer_dashboard::components::{FilterBar, OperationRow, OperationTable};
use publishing_model::api::parse_operations;
use publishing_model::{OperationIndex, StatusCount, StatusFilter};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LIST: &str = include_str!("fixtures/nasty_unknown_statuses_list.json");

#[wasm_bindgen_test]
async fn toggles_are_buttons_with_counts_and_aria_pressed() {
    let ops = parse_operations(LIST).expect("fixture");
    let index = OperationIndex::new(&ops);
    let counts = index.counts().to_vec();
    let filter = RwSignal::new(StatusFilter::from_query(Some("running"), None));
    let root = mount(move || {
        view! {
            <FilterBar
                counts=counts
                total=8usize
                filter=filter
                on_change=Callback::new(move |next| filter.set(next))
            />
        }
    });
    settle().await;
    let all_button = one(&root, "[data-testid=filter-all]");
    assert_eq!(all_button.tag_name(), "BUTTON");
    assert_eq!(
        all_button.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert!(text(&all_button).contains('8'));
    let running = one(&root, "[data-testid=filter-running]");
    assert_eq!(
        running.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(text(&running), "◔ Running 1");
    // Unknown statuses seen get their own toggle, shown as they came.
    let unknown = one(&root, "[data-testid=filter-superseded]");
    assert!(text(&unknown).contains("Superseded"));
    let quarantined = one(&root, "[data-testid=filter-quarantinedbypolicy]");
    assert!(text(&quarantined).contains("Quarantined-By_Policy"));

    click(&one(&root, "[data-testid=filter-failed]"));
    settle().await;
    assert_eq!(
        filter.get_untracked().status_param().as_deref(),
        Some("failed,running")
    );
    click(&one(&root, "[data-testid=filter-running]"));
    settle().await;
    assert_eq!(
        filter.get_untracked().status_param().as_deref(),
        Some("failed")
    );
    click(&all_button);
    settle().await;
    assert!(filter.get_untracked().shows_all_statuses());
    assert_eq!(
        one(&root, "[data-testid=filter-all]")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
}

/// The filter bar over the fixture's counts, its filter set by its own changes: the
/// container, the counts (an answer changes them) and the filter.
async fn fixture_filter_bar() -> (
    web_sys::HtmlElement,
    RwSignal<Vec<StatusCount>>,
    RwSignal<StatusFilter>,
) {
    let ops = parse_operations(LIST).expect("fixture");
    let counts = RwSignal::new(OperationIndex::new(&ops).counts().to_vec());
    let filter = RwSignal::new(StatusFilter::default());
    let root = mount(move || {
        view! { <FilterBar counts=counts total=8usize filter=filter on_change=Callback::new(move |next| filter.set(next)) /> }
    });
    settle().await;
    (root, counts, filter)
}

#[wasm_bindgen_test]
async fn a_poll_that_changes_counts_keeps_the_focused_toggle() {
    let (root, counts, _) = fixture_filter_bar().await;
    use wasm_bindgen::JsCast;
    let failed = one(&root, "[data-testid=filter-failed]");
    assert_eq!(text(&failed), "✕ Failed 0");
    failed
        .unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .expect("focus");
    // The next answer has one more failed operation: same statuses, new counts.
    counts.update(|c| {
        if let Some(entry) = c.iter_mut().find(|c| c.key == "failed") {
            entry.count += 1;
        }
    });
    settle().await;
    let after = one(&root, "[data-testid=filter-failed]");
    assert_eq!(text(&after), "✕ Failed 1");
    assert!(
        after.is_same_node(Some(&failed)),
        "the button was kept, not replaced"
    );
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    assert!(
        focused.is_some_and(|f| f.is_same_node(Some(&failed))),
        "focus stays on it"
    );
}

/// When an answer changes which statuses there are, each toggle keeps its own button: the
/// one focused (or about to be clicked) stays the same status, instead of a button now
/// showing the status that moved into its place.
#[wasm_bindgen_test]
async fn a_poll_that_changes_the_statuses_keeps_each_toggle_its_button() {
    let (root, counts, filter) = fixture_filter_bar().await;
    let failed = one(&root, "[data-testid=filter-failed]");
    let first = counts.with_untracked(|c| c[0].key.clone());
    assert_ne!(first, "failed", "the fixture has a status before failed");
    counts.update(|c| {
        c.remove(0);
    });
    settle().await;
    assert!(all(&root, &format!("[data-testid=filter-{first}]")).is_empty());
    assert_eq!(
        failed.get_attribute("data-testid").as_deref(),
        Some("filter-failed")
    );
    assert!(failed.is_same_node(Some(&one(&root, "[data-testid=filter-failed]"))));
    click(&failed);
    settle().await;
    assert!(
        filter.get_untracked().statuses.contains("failed"),
        "{:?}",
        filter.get_untracked()
    );
}

#[wasm_bindgen_test]
async fn the_search_box_is_labelled_and_reports_text() {
    let filter = RwSignal::new(StatusFilter::default());
    let root = mount(move || {
        view! { <FilterBar counts=Vec::new() total=0usize filter=filter on_change=Callback::new(move |next| filter.set(next)) /> }
    });
    settle().await;
    let input = one(&root, "[data-testid=filter-text]");
    let label = input
        .closest("label")
        .expect("query")
        .expect("inside a label");
    assert!(text(&label).contains("Search id or type"));
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = input.unchecked_into();
    input.set_value("golive");
    input
        .dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");
    settle().await;
    assert_eq!(filter.get_untracked().text, "golive");
}

fn row(i: usize, status: &str) -> OperationRow {
    OperationRow {
        id: format!("5a63deb5-925b-4ee0-938b-{i:012}"),
        href: format!("/demo/publishers/p/offers/o/operations/{i}"),
        status: status.parse().unwrap_or_else(|n| match n {}),
        submission_type: "publish".into(),
        slot: "staging".into(),
        versions: "offer 1 · publishing 2".into(),
        started: None,
        duration: format!("{i} days"),
        changed: None,
        changed_raw: format!("2018-03-26T21:46:0{i}Z"),
    }
}

#[wasm_bindgen_test]
async fn the_table_shows_a_page_and_offers_more() {
    let rows = RwSignal::new((0..3).map(|i| row(i, "running")).collect::<Vec<_>>());
    let more = RwSignal::new(0);
    let root = mount(move || {
        view! {
            <OperationTable rows=rows total=120usize empty="nothing".to_owned() on_more=Callback::new(move |_| more.update(|m| *m += 1)) />
        }
    });
    settle().await;
    let table_rows = all(&root, "[data-testid=operation-row]");
    assert_eq!(table_rows.len(), 3);
    assert!(text(&table_rows[0]).contains("Running"));
    assert!(text(&table_rows[0]).contains("5a63deb5"), "short id shown");
    assert_eq!(
        text(&one(&table_rows[2], "[data-testid=duration]")),
        "2 days"
    );
    assert_eq!(
        text(&one(&root, "[data-testid=showing]")),
        "Showing 3 of 120"
    );
    let button = all(&root, "button")
        .into_iter()
        .find(|b| text(b).starts_with("Show "))
        .expect("show more");
    assert_eq!(text(&button), "Show 25 more");
    click(&button);
    settle().await;
    assert_eq!(more.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn an_empty_result_says_what_is_empty() {
    let root = mount(move || {
        view! {
            <OperationTable rows=Vec::new() total=0usize empty="No operation matches these filters.".to_owned() on_more=Callback::new(|_| ()) />
        }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "[data-testid=empty-state]")),
        "No operation matches these filters."
    );
    assert!(all(&root, "table").is_empty());
}

/// A new filter changes what each row shows, not the rows: the same `<tr>` elements show the
/// new operations (status, link, duration, id and its copy label), rows past the new end go,
/// and "Show more" adds rows after the kept ones.
#[wasm_bindgen_test]
async fn rows_show_new_operations_in_place() {
    let rows = RwSignal::new((0..3).map(|i| row(i, "running")).collect::<Vec<_>>());
    let root = mount(move || {
        view! {
            <OperationTable rows=rows total=Signal::derive(move || rows.with(Vec::len)) empty="nothing".to_owned() on_more=Callback::new(|_| ()) />
        }
    });
    settle().await;
    let before = all(&root, "[data-testid=operation-row]");
    assert_eq!(before.len(), 3);

    rows.set((7..10).map(|i| row(i, "failed")).collect());
    settle().await;
    let after = all(&root, "[data-testid=operation-row]");
    assert_eq!(after.len(), 3);
    for (old, new) in before.iter().zip(&after) {
        assert!(old.is_same_node(Some(new)), "the row element is kept");
    }
    assert!(text(&after[0]).contains("Failed"), "{}", text(&after[0]));
    assert!(!text(&after[0]).contains("Running"));
    assert_eq!(text(&one(&after[2], "[data-testid=duration]")), "9 days");
    let link = one(&after[1], "a");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/demo/publishers/p/offers/o/operations/8")
    );
    let id = one(&after[0], ".copy-id__text");
    assert_eq!(
        id.get_attribute("title").as_deref(),
        Some("5a63deb5-925b-4ee0-938b-000000000007")
    );
    let copy = one(&after[0], ".copy-id__button");
    assert!(
        copy.get_attribute("aria-label")
            .is_some_and(|label| label.contains("000000000007")),
        "the copy button names the id it copies now"
    );

    rows.set((7..9).map(|i| row(i, "failed")).collect());
    settle().await;
    assert_eq!(all(&root, "[data-testid=operation-row]").len(), 2);
    rows.set((20..24).map(|i| row(i, "completed")).collect());
    settle().await;
    let grown = all(&root, "[data-testid=operation-row]");
    assert_eq!(grown.len(), 4);
    assert!(before[0].is_same_node(Some(&grown[0])));
    assert!(before[1].is_same_node(Some(&grown[1])));
    assert_eq!(text(&one(&grown[3], "[data-testid=duration]")), "23 days");
    assert!(text(&grown[3]).contains("Completed"));
}

/// A row's times follow the operation it shows: words, `datetime` and focusability; its
/// tooltip tells the exact time of the operation shown now; "Copied" stays with the id that
/// was copied, not with the row.
#[wasm_bindgen_test]
async fn a_rows_times_tooltip_and_copy_state_follow_its_operation() {
    use chrono::{TimeDelta, Utc};
    let at = Utc::now() - TimeDelta::hours(3);
    let timed = move |i: usize| OperationRow {
        started: Some(at - TimeDelta::hours(1)),
        changed: Some(at),
        ..row(i, "running")
    };
    let rows = RwSignal::new(vec![timed(1)]);
    let root = mount(move || {
        view! {
            <OperationTable rows=rows total=Signal::derive(move || rows.with(Vec::len)) empty="nothing".to_owned() on_more=Callback::new(|_| ()) />
        }
    });
    settle().await;
    let times = all(&root, "time");
    assert_eq!(times.len(), 2);
    assert_eq!(text(&times[0]), "4 hours ago");
    assert_eq!(text(&times[1]), "3 hours ago");
    assert_eq!(times[1].get_attribute("datetime"), Some(at.to_rfc3339()));
    assert_eq!(times[1].get_attribute("tabindex").as_deref(), Some("0"));

    times[1]
        .dispatch_event(&web_sys::MouseEvent::new("mouseenter").expect("event"))
        .expect("dispatch");
    settle().await;
    let full = text(&one(&root, ".when__full"));
    assert!(full.starts_with("3 hours ago · "), "{full}");
    assert!(full.contains(&at.format("%Y").to_string()), "{full}");

    // The copy button: "Copied" for the id copied, "Copy" again once the row shows another.
    click(&one(&root, ".copy-id__button"));
    settle().await;
    assert_eq!(text(&one(&root, ".copy-id__button")), "Copied");

    rows.set(vec![row(2, "failed")]);
    settle().await;
    let times = all(&root, "time");
    assert_eq!(text(&times[0]), "—");
    assert_eq!(text(&times[1]), "2018-03-26T21:46:02Z", "the time as sent");
    assert_eq!(times[1].get_attribute("datetime"), None);
    assert_eq!(times[1].get_attribute("tabindex"), None, "nothing to focus");
    assert!(
        all(&root, ".when__full").is_empty(),
        "no tooltip without a time"
    );
    assert_eq!(text(&one(&root, ".copy-id__button")), "Copy");
    assert_eq!(
        one(&root, "[data-testid=status-badge]")
            .get_attribute("class")
            .as_deref(),
        Some("status-badge status-badge--failed")
    );
    assert_eq!(text(&one(&root, ".status-badge__icon")), "✕");
}

/// When the number of rows changes, Leptos rebuilds them over the same elements and compares
/// with what it first built them with; a row shows its operation even when that equals what
/// its element was first built with and something else was written since.
#[wasm_bindgen_test]
async fn a_row_shows_its_operation_after_the_rows_are_rebuilt() {
    let rows = RwSignal::new(vec![row(1, "running")]);
    let root = mount(move || {
        view! {
            <OperationTable rows=rows total=Signal::derive(move || rows.with(Vec::len)) empty="nothing".to_owned() on_more=Callback::new(|_| ()) />
        }
    });
    settle().await;
    rows.set(vec![row(2, "failed")]);
    settle().await;
    assert!(text(&one(&root, "[data-testid=operation-row]")).contains("Failed"));
    rows.set(vec![row(1, "running"), row(3, "completed")]);
    settle().await;
    let shown = all(&root, "[data-testid=operation-row]");
    assert_eq!(shown.len(), 2);
    assert!(text(&shown[0]).contains("Running"), "{}", text(&shown[0]));
    assert_eq!(text(&one(&shown[0], "[data-testid=duration]")), "1 days");
    assert_eq!(
        one(&shown[0], "a").get_attribute("href").as_deref(),
        Some("/demo/publishers/p/offers/o/operations/1")
    );
    assert!(text(&shown[1]).contains("Completed"));
}
