//! The offer's operations as a table, newest first, shown a page at a time so that even
//! 10,000 operations render within a frame.

use crate::i18n::{number, t, tf};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::PublishStatus;

use super::{CopyId, RelativeTime, StatusBadge};

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
        t("ops.status"),
        t("ops.type"),
        t("ops.slot"),
        t("ops.versions"),
        t("ops.started"),
        t("ops.duration"),
        t("ops.changed"),
        t("ops.operation"),
    ]);
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
                <caption class="visually-hidden">{t("ops.caption")}</caption>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>
                    // Rows update in place by position: cheaper to compile than a keyed list.
                    {move || rows.get().into_iter().map(|row| {
                        let [status, kind, slot, versions, started, duration, changed, id] = labels.get_value();
                        view! {
                            <tr class="operations__row" data-testid="operation-row">
                                <td class="operations__status" data-label=status><StatusBadge status=row.status.clone() /></td>
                                // A plain link: the router handles its clicks, and it costs no
                                // per-row memos (as <A> would), which matters for filter speed.
                                <td data-label=kind><a href=row.href.clone()>{row.submission_type.clone()}</a></td>
                                <td data-label=slot>{row.slot.clone()}</td>
                                <td data-label=versions>{row.versions.clone()}</td>
                                <td data-label=started><RelativeTime at=row.started raw="—".to_owned() /></td>
                                <td data-label=duration data-testid="duration">{row.duration.clone()}</td>
                                <td data-label=changed><RelativeTime at=row.changed raw=row.changed_raw.clone() /></td>
                                <td data-label=id><CopyId id=row.id.clone() /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="operations__more">
                <span data-testid="showing">{move || tf("ops.showing", &[("shown", &number(rows.with(Vec::len) as i64)), ("total", &number(total.get() as i64))])}</span>
                <Show when=move || { remaining() > 0 }>
                    <button type="button" class="button" on:click=move |_| on_more.run(())>
                        {move || tf("ops.more", &[("count", &number(remaining().min(PAGE) as i64))])}
                    </button>
                </Show>
            </div>
        </Show>
    }
}
