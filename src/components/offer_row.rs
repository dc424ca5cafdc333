//! One offer on the publisher overview: its name and link, status (or its own skeleton or
//! error), the step under way with its progress, when it should finish, whose move it is,
//! its last change and when it was last checked.

use crate::i18n::{duration, number, percent, t, tf};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::overview::{Attention, OfferOverview, Whose};

use super::time::{format_time, TimeStyle};
use super::{RelativeTime, StatusBadge, SupportCopy};
use crate::api::ApiError;
use crate::clock::use_clock;
use crate::settings::use_settings;

/// Where a row's status stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RowState {
    /// Not asked yet, or the first answer is on its way.
    Loading,
    /// Known (the row has it).
    Known,
    /// The latest attempt failed; asked again at `retry_at`. A status known before stays.
    Failed {
        /// What went wrong.
        error: ApiError,
        /// When it is asked again.
        retry_at: Option<DateTime<Utc>>,
    },
}

/// A row's error in a few words.
fn short_error(error: &ApiError, retry_in: Option<i64>) -> String {
    match error {
        ApiError::Forbidden { .. } => t(key!("row.forbidden")),
        ApiError::Unauthorized { .. } => t(key!("row.unauthorized")),
        ApiError::NotFound { .. } => t(key!("row.not-found")),
        ApiError::Busy { .. } | ApiError::Timeout { .. } | ApiError::Unreachable { .. } => {
            match retry_in {
                Some(s) if s > 0 => tf(key!("row.busy-in"), &[("seconds", &number(s))]),
                _ => t(key!("row.busy-now")),
            }
        }
        other => other.title(),
    }
}

/// A late or stuck step in words, with an icon and how long: the overview's share of what
/// the operation page says of each step.
fn health(attention: &Attention) -> Option<impl IntoView> {
    let (class, icon, words) = match attention {
        Attention::Overdue { step, by } => (
            "overview__health overview__health--overdue",
            "⏱",
            tf(
                key!("row.overdue"),
                &[("step", step), ("duration", &duration(*by))],
            ),
        ),
        Attention::Stuck { step, quiet, .. } => (
            "overview__health overview__health--stuck",
            "⚠",
            tf(
                key!("row.stuck"),
                &[("step", step), ("quiet", &duration(*quiet))],
            ),
        ),
        _ => return None,
    };
    Some(view! {
        <p class=class data-testid="row-health">
            <span class="overview__health-icon" aria-hidden="true">{icon}</span>
            " "
            {words}
        </p>
    })
}

/// One row of the overview table.
#[component]
pub fn OverviewRow(
    row: OfferOverview,
    state: RowState,
    /// The offer page.
    href: String,
    /// When its status was last fetched.
    checked: Option<DateTime<Utc>>,
    /// The operation running now, when known.
    #[prop(default = None)]
    running_href: Option<String>,
    /// The support details of the offer's publish, for a row that needs the publisher.
    #[prop(default = None)]
    support: Option<Callback<(), String>>,
    /// The proxy watches this offer with no tab open.
    #[prop(default = false)]
    watched: bool,
) -> impl IntoView {
    let clock = use_clock();
    let settings = use_settings();
    let OfferOverview {
        id,
        name,
        migrated,
        moved_to,
        status,
        step,
        finish,
        whose,
        attention,
        changed,
    } = row;
    let status_cell = match (&state, status) {
        (RowState::Loading, None) => view! {
            <span class="skeleton__line overview__skeleton" aria-label=t(key!("row.loading"))></span>
        }
        .into_any(),
        (_, Some(status)) => view! { <StatusBadge status=status /> }.into_any(),
        (RowState::Failed { .. } | RowState::Known, None) => view! { <span>"—"</span> }.into_any(),
    };
    let error = match state {
        RowState::Failed { error, retry_at } => Some(move || {
            let retry_in = retry_at.map(|at| (at - clock.now.get()).num_seconds());
            view! { <span class="overview__error" role="status" data-testid="row-error">{short_error(&error, retry_in)}</span> }
        }),
        _ => None,
    };
    let step_cell = step.map(|(name, progress)| {
        view! {
            <span class="overview__step">{name}</span>
            {progress.map(|p| view! { <progress max="100" value=p aria-label=t(key!("row.progress"))></progress> " " {percent(p)} })}
        }
    });
    let health = health(&attention);
    let finish_cell = move || {
        finish.map(|(earliest, latest)| {
            let utc = settings.utc.get();
            let a = format_time(earliest, TimeStyle::Date, utc);
            match latest.map(|l| format_time(l, TimeStyle::Date, utc)) {
                Some(b) if b != a => tf(key!("row.finish-range"), &[("from", &a), ("to", &b)]),
                Some(_) => a,
                None => tf(key!("row.finish-from"), &[("date", &a)]),
            }
        })
    };
    let whose_cell = match whose {
        Whose::Publisher => {
            view! { <strong class="overview__your-move">{t(key!("row.yours"))}</strong> }.into_any()
        }
        Whose::Microsoft => view! { <span>{t(key!("row.microsofts"))}</span> }.into_any(),
        Whose::Nobody => view! { <span class="overview__quiet">"—"</span> }.into_any(),
    };
    view! {
        <tr class="overview__row" data-testid="overview-row" data-offer=id.to_string()>
            <th scope="row" data-label=t(key!("overview.offer"))>
                <a href=href>{name}</a>
                <br />
                <code class="overview__id">{id.to_string()}</code>
                {watched.then(|| view! { " " <span class="overview__watched" data-testid="watched">{t(key!("watching.watched"))}</span> })}
                {migrated.then(|| match moved_to {
                    Some(url) => view! {
                        <a class="overview__migrated" data-testid="migrated" href=url rel="noopener noreferrer" target="_blank">{t(key!("row.migrated"))}</a>
                    }.into_any(),
                    None => view! { <span class="overview__migrated" data-testid="migrated">{t(key!("row.migrated"))}</span> }.into_any(),
                })}
                {running_href.map(|href| view! { <br /><a class="overview__running" href=href data-testid="running-link">{t(key!("row.running"))}</a> })}
            </th>
            <td class="operations__status" data-label=t(key!("overview.status"))>
                {status_cell} {error}
                {support.map(|details| view! { <div class="overview__support"><SupportCopy details /></div> })}
            </td>
            <td data-label=t(key!("overview.step"))>{step_cell}{health}</td>
            <td data-label=t(key!("overview.finish"))>{finish_cell}</td>
            <td data-label=t(key!("overview.whose"))>{whose_cell}</td>
            <td data-label=t(key!("overview.changed"))><RelativeTime at=changed raw="—".to_owned() /></td>
            <td data-label=t(key!("overview.checked"))><RelativeTime at=checked raw=t(key!("row.not-yet")) /></td>
        </tr>
    }
}
