//! The offer's operations as a table, newest first, shown a page at a time so that even
//! 10,000 operations render within a frame.

use crate::i18n::{number, t, tf};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::PublishStatus;

mod row;

use row::Row;

/// Rows shown before "Show more".
pub const PAGE: usize = 25;

/// One row, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationRow {
    /// Full operation id.
    pub id: String,
    /// Link to the operation page.
    pub href: String,
    /// Status.
    pub status: PublishStatus,
    /// `publish`, `goLive`...
    pub submission_type: String,
    /// `staging`, `production`.
    pub slot: String,
    /// "offer 3 · publishing 4".
    pub versions: String,
    /// When it began.
    pub started: Option<DateTime<Utc>>,
    /// How long it ran ("3 days"), or has run so far ("6 hours so far"); "—" when unknown.
    pub duration: String,
    /// Changed time, parsed.
    pub changed: Option<DateTime<Utc>>,
    /// Changed time as sent.
    pub changed_raw: String,
}

/// The operations table: `rows` are the rows to show (a page of the matches), `total` how
/// many operations match.
#[component]
pub fn OperationTable(
    #[prop(into)] rows: Signal<Vec<OperationRow>>,
    #[prop(into)] total: Signal<usize>,
    #[prop(into)] empty: Signal<String>,
    #[prop(into)] on_more: Callback<()>,
) -> impl IntoView {
    let remaining = move || total.get().saturating_sub(rows.with(Vec::len));
    // Column names, looked up once: every row repeats them for the narrow layout.
    let labels = StoredValue::new([
        t(key!("ops.status")),
        t(key!("ops.type")),
        t(key!("ops.slot")),
        t(key!("ops.versions")),
        t(key!("ops.started")),
        t(key!("ops.duration")),
        t(key!("ops.changed")),
        t(key!("ops.operation")),
    ]);
    // One signal per row position, made once: a new filter or page of answers updates the
    // rows in place (their text and attributes) instead of building every row's badge, times
    // and copy button anew, which was most of a filter's frame. The rows themselves are
    // built again only when their number changes ("Show more", fewer matches than a page):
    // a keyed <For> would build only the added ones, but cost 2.4 KB more of first load.
    let slots = StoredValue::new(Vec::<ArcRwSignal<OperationRow>>::new());
    let shown = Memo::new(move |_| {
        rows.with(|rows| {
            slots.update_value(|slots| {
                for (i, row) in rows.iter().enumerate() {
                    match slots.get(i) {
                        Some(slot) => {
                            if slot.with_untracked(|shown| shown != row) {
                                slot.set(row.clone());
                            }
                        }
                        None => slots.push(ArcRwSignal::new(row.clone())),
                    }
                }
            });
            rows.len()
        })
    });
    // How many rows the table built last: Leptos rebuilds the rows when their number changes,
    // reusing the elements of the rows at those positions (see `Row`).
    let built = StoredValue::new(0usize);
    let head = move || {
        labels
            .get_value()
            .into_iter()
            .map(|l| view! { <th scope="col">{l}</th> })
            .collect_view()
    };
    view! {
        <Show when=move || { total.get() > 0 } fallback=move || view! { <p class="empty-state" data-testid="empty-state">{empty.get()}</p> }>
            <table class="operations" data-testid="operations">
                <caption class="visually-hidden">{t(key!("ops.caption"))}</caption>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>
                    {move || {
                        let count = shown.get();
                        let before = built.get_value();
                        built.set_value(count);
                        (0..count).filter_map(|i| slots.with_value(|slots| slots.get(i).cloned()).map(|slot| (i, slot))).map(|(i, slot)| view! { <Row position=slot labels reused=i < before /> }).collect_view()
                    }}
                </tbody>
            </table>
            <div class="operations__more">
                <span data-testid="showing">{move || tf(key!("ops.showing"), &[("shown", &number(rows.with(Vec::len) as i64)), ("total", &number(total.get() as i64))])}</span>
                <Show when=move || { remaining() > 0 }>
                    <button type="button" class="button" on:click=move |_| on_more.run(())>
                        {move || tf(key!("ops.more"), &[("count", &number(remaining().min(PAGE) as i64))])}
                    </button>
                </Show>
            </div>
        </Show>
    }
}
