//! The projection in words, at the top of an operation (and, compact, on the offer page):
//! when it will be live, what it waits for, or where it stopped and why.

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use publishing_model::time_frame::range_words;
use publishing_model::timeline::{first_error, stopped_since, OperationTimeline, Outlook};
use publishing_model::{Link, Step};

use super::time::{format_time, TimeStyle};
use super::{LinkList, RelativeTime, SafeHtml};
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
        format!("on {a}")
    } else {
        format!("between {a} and {b}")
    }
}

fn after_sign_off(then: Option<publishing_model::TimeRange>) -> String {
    match then {
        Some(r) if r.max <= TimeDelta::zero() => "After you sign off, it goes live.".to_owned(),
        Some(r) => format!("After you sign off, live {} later.", range_words(r)),
        None => "After you sign off, the rest has no estimate.".to_owned(),
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
    let what = if live {
        "Expected live"
    } else {
        "Expected to finish"
    };
    match outlook {
        Outlook::Finished => "Every step is done.".to_owned(),
        Outlook::Canceled => "The operation was canceled: nothing more will happen.".to_owned(),
        Outlook::Failed => {
            "The operation failed. Fix what the messages say, then publish again.".to_owned()
        }
        Outlook::Stopped { step } => format!("Stopped at {}", name(steps, *step)),
        Outlook::YourMove { then, .. } => {
            format!(
                "Your move: review the preview and sign off. {}",
                after_sign_off(*then)
            )
        }
        Outlook::BeforeSignOff {
            earliest,
            latest,
            then,
            ..
        } => format!(
            "Preview ready {}. {}",
            window(*earliest, *latest, utc),
            after_sign_off(*then)
        ),
        Outlook::Window { earliest, latest } => {
            format!("{what} {}.", window(*earliest, *latest, utc))
        }
        Outlook::AtLeast {
            earliest,
            unestimated,
        } => {
            let names: Vec<String> = unestimated
                .iter()
                .map(|&i| format!("“{}”", name(steps, i)))
                .collect();
            format!(
                "{what} no sooner than {}. How much later is unknown: {} {} no estimate.",
                format_time(*earliest, TimeStyle::DateTime, utc),
                names.join(", "),
                if names.len() == 1 { "has" } else { "have" }
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
    let text = move || steps.with(|s| sentence(&outlook(), s, settings.utc.get()));
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
                {move || stopped().map(|(since, _)| since.map(|s| view! { " since " <RelativeTime at=Some(s.at) about=s.about /> }))}
                {move || stopped().is_some().then_some(".")}
            </p>
            {move || (!compact).then(|| stopped().and_then(|(_, error)| error).map(|html| view! {
                <div class="outlook__error" data-testid="first-error">
                    <span class="outlook__error-label">"The service says:"</span>
                    <SafeHtml class="outlook__error-body" html=html />
                </div>
            }))}
            {move || (your_move() && !compact).then(|| view! {
                <div class="outlook__links">
                    <LinkList links=preview_links.get() empty="The service sent no preview link: open the offer in the Cloud Partner Portal to review it." />
                </div>
            })}
            {operation_href.map(|href| move || href.get().map(|href| view! {
                <a class="outlook__link" href=href>"Open the operation"</a>
            }))}
        </div>
    }
}
