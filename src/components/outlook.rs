//! The projection in words, at the top of an operation (and, compact, on the offer page):
//! when it will be live, what it waits for, or where it stopped and why.

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use publishing_model::timeline::{first_error, stopped_since, OperationTimeline, Outlook};
use publishing_model::{Link, Step};

use super::time::{format_time, TimeStyle};
use super::{LinkList, RelativeTime, SafeHtml};
use crate::i18n::{list, range, t, tf, tn};
use crate::settings::use_settings;

/// "Tue 3 Dec" for windows of a day or more, "Tue 3 Dec, 14:00" for shorter ones.
fn window(earliest: DateTime<Utc>, latest: DateTime<Utc>, utc: bool) -> String {
    let style = if latest - earliest >= TimeDelta::days(1) {
        TimeStyle::Date
    } else {
        TimeStyle::DateTime
    };
    let (a, b) = (
        format_time(earliest, style, utc),
        format_time(latest, style, utc),
    );
    if a == b {
        tf(key!("outlook.on"), &[("date", &a)])
    } else {
        tf(key!("outlook.between"), &[("from", &a), ("to", &b)])
    }
}

fn after_sign_off(then: Option<publishing_model::TimeRange>) -> String {
    match then {
        Some(r) if r.max <= TimeDelta::zero() => t(key!("outlook.after-sign-off-live")),
        Some(r) => tf(key!("outlook.after-sign-off"), &[("range", &range(r))]),
        None => t(key!("outlook.after-sign-off-unknown")),
    }
}

fn name(steps: &[Step], i: usize) -> String {
    steps
        .get(i)
        .map(|s| s.display_name().to_owned())
        .unwrap_or_default()
}

/// The sentence for an outlook.
fn sentence(outlook: &Outlook, steps: &[Step], utc: bool) -> String {
    let live = steps
        .iter()
        .any(|s| s.id.as_ref().is_some_and(|id| id.as_str() == "live"));
    match outlook {
        Outlook::Finished => t(key!("outlook.finished")),
        Outlook::Canceled => t(key!("outlook.canceled")),
        Outlook::Failed => t(key!("outlook.failed")),
        Outlook::Stopped { step } => tf(key!("outlook.stopped"), &[("step", &name(steps, *step))]),
        Outlook::YourMove { then, .. } => {
            format!("{} {}", t(key!("outlook.your-move")), after_sign_off(*then))
        }
        Outlook::BeforeSignOff {
            earliest,
            latest,
            then,
            ..
        } => format!(
            "{} {}",
            tf(
                key!("outlook.preview-ready"),
                &[("window", &window(*earliest, *latest, utc))]
            ),
            after_sign_off(*then)
        ),
        Outlook::Window { earliest, latest } => {
            let key = if live {
                key!("outlook.live-window")
            } else {
                key!("outlook.finish-window")
            };
            tf(key, &[("window", &window(*earliest, *latest, utc))])
        }
        Outlook::AtLeast {
            earliest,
            unestimated,
        } => {
            let names: Vec<String> = unestimated
                .iter()
                .map(|&i| tf(key!("outlook.quoted"), &[("name", &name(steps, i))]))
                .collect();
            let key = if live {
                key!("outlook.live-at-least")
            } else {
                key!("outlook.finish-at-least")
            };
            let date = format_time(*earliest, TimeStyle::DateTime, utc);
            format!(
                "{} {}",
                tf(key, &[("date", &date)]),
                tn(
                    key!("outlook.unestimated"),
                    names.len() as i64,
                    &[("steps", &list(&names))]
                )
            )
        }
    }
}

/// The projection. `compact` (the offer page) leaves out the error text and links to
/// `operation_href` instead.
#[component]
pub fn OutlookSummary(
    #[prop(into)] steps: Signal<Vec<Step>>,
    #[prop(into)] timeline: Signal<OperationTimeline>,
    #[prop(optional, into)] preview_links: Signal<Vec<Link>>,
    #[prop(optional, into)] operation_href: Option<Signal<Option<String>>>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let settings = use_settings();
    let outlook = move || timeline.with(|t| t.plan.outlook.clone());
    let text = move || {
        steps.with(|s| {
            let text = sentence(&outlook(), s, settings.utc.get());
            // An overdue step counts as ending now: the window is only as good as that.
            match timeline.with(OperationTimeline::overdue_step) {
                Some(i) => {
                    let quoted = tf(key!("outlook.quoted"), &[("name", &name(s, i))]);
                    format!(
                        "{text} {}",
                        tf(key!("outlook.overdue"), &[("step", &quoted)])
                    )
                }
                None => text,
            }
        })
    };
    let kind = move || match outlook() {
        Outlook::Stopped { .. } | Outlook::Failed => "stopped",
        Outlook::YourMove { .. } => "your-move",
        Outlook::Finished => "finished",
        Outlook::Canceled => "canceled",
        _ => "ahead",
    };
    // Since when, and the first error, of a stopped step.
    let stopped = move || match outlook() {
        Outlook::Stopped { step } => steps.with(|s| {
            let st = s.get(step)?;
            let since =
                timeline.with(|t| t.times.get(step).and_then(|times| stopped_since(st, times)));
            Some((since, first_error(st).and_then(|m| m.html.clone())))
        }),
        _ => None,
    };
    let your_move = move || matches!(outlook(), Outlook::YourMove { .. });
    view! {
        <div class=move || format!("outlook outlook--{}", kind()) data-testid="eta-summary" role="status">
            <p class="outlook__headline">
                {text}
                {move || stopped().map(|(since, _)| since.map(|s| view! { " " {t(key!("outlook.since"))} " " <RelativeTime at=Some(s.at) about=s.about /> }))}
                {move || stopped().is_some().then_some(".")}
            </p>
            {move || (!compact).then(|| stopped().and_then(|(_, error)| error).map(|html| view! {
                <div class="outlook__error" data-testid="first-error">
                    <span class="outlook__error-label">{t(key!("outlook.service-says"))}</span>
                    <SafeHtml class="outlook__error-body" html=html />
                </div>
            }))}
            {move || (your_move() && !compact).then(|| view! {
                <div class="outlook__links">
                    <LinkList links=preview_links.get() empty=t(key!("outlook.no-preview-link")) />
                </div>
            })}
            {operation_href.map(|href| move || href.get().map(|href| view! {
                <a class="outlook__link" href=href>{t(key!("outlook.open-operation"))}</a>
            }))}
        </div>
    }
}
