//! The operation on one time axis: a bar per step from its real start to its real end (to now
//! while it runs), the expected range ahead in a lighter or hatched band, the publish's
//! expected finish as a labelled band, ticks and a "now" line. The layout is the model's; this
//! only places boxes. The same facts are in the step list, which screen readers and phones use.

use crate::i18n::{t, tf};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use publishing_model::timeline::{layout, Bar, Layout, OperationTimeline};
use publishing_model::Step;

use super::time::{format_time, tick_label, zone_offset, TimeStyle};
use crate::clock::use_clock;
use crate::settings::use_settings;

/// Ticks that fit across the axis.
const MAX_TICKS: usize = 7;

/// Basis points as a CSS percentage ("12.34%"), without float formatting code.
fn percent(basis_points: u32) -> String {
    format!("{}.{:02}%", basis_points / 100, basis_points % 100)
}

/// A tick's label is centred on its mark, except near the axis's ends, where it would run
/// past them: there it starts, or ends, at the mark.
fn tick_class(basis_points: u32) -> &'static str {
    match basis_points {
        0..800 => "axis__tick axis__tick--start",
        9_201.. => "axis__tick axis__tick--end",
        _ => "axis__tick",
    }
}

/// In the right half of the axis a label reads to the left of its mark, so it never runs
/// past the axis's end (a longer language's "expected finish" would).
fn now_class(basis_points: u32) -> &'static str {
    if basis_points > 5_000 {
        "axis__now axis__now--late"
    } else {
        "axis__now"
    }
}

/// The time axis.
#[component]
pub fn TimeAxis(
    #[prop(into)] steps: Signal<Vec<Step>>,
    #[prop(into)] timeline: Signal<OperationTimeline>,
) -> impl IntoView {
    let clock = use_clock();
    let settings = use_settings();
    let axis = Memo::new(move |_| {
        let utc = settings.utc.get();
        let now = clock.now.get();
        steps.with(|s| {
            timeline.with(|t| {
                layout(s, &t.times, &t.plan, now, MAX_TICKS, &|at| {
                    zone_offset(at, utc)
                })
            })
        })
    });
    let summary = move || {
        let utc = settings.utc.get();
        axis.with(|a| {
            tf(
                key!("axis.summary"),
                &[
                    ("from", &format_time(a.from, TimeStyle::DateTime, utc)),
                    ("to", &format_time(a.to, TimeStyle::DateTime, utc)),
                ],
            )
        })
    };
    view! {
        <figure class="axis" data-testid="axis">
            <div class="axis__grid" role="img" aria-label=summary>
                <div class="axis__overlay">
                    {move || axis.with(|a| overlay(a, settings.utc.get()))}
                </div>
                {move || axis.with(|a| {
                    steps.with(|s| a.bars.iter().map(|b| row(a, b, s.get(b.step).map(|s| s.display_name().to_owned()).unwrap_or_default())).collect_view())
                })}
                <div class="axis__scale">
                    {move || axis.with(|a| {
                        let utc = settings.utc.get();
                        a.ticks.iter().map(|t| view! {
                            <span class=tick_class(a.position(t.at)) data-testid="axis-tick" style:left=percent(a.position(t.at))>
                                {tick_label(t.at, t.unit, utc)}
                            </span>
                        }).collect_view()
                    })}
                </div>
            </div>
            <figcaption class="axis__legend">
                <span class="legend legend--done">{t(key!("axis.done"))}</span>
                <span class="legend legend--running">{t(key!("axis.running"))}</span>
                <span class="legend legend--expected">{t(key!("axis.expected"))}</span>
                <span class="legend legend--planned">{t(key!("axis.planned"))}</span>
                <span class="legend legend--your-move">{t(key!("axis.your-move"))}</span>
            </figcaption>
        </figure>
    }
}

fn overlay(a: &Layout, utc: bool) -> impl IntoView {
    let gridlines = a
        .ticks
        .iter()
        .map(
            |t| view! { <span class="axis__gridline" style:left=percent(a.position(t.at))></span> },
        )
        .collect_view();
    let finish = a.finish.map(|f| {
        let (left, width) = a.place(f);
        view! {
            <div class={if left > 5_000 { "axis__finish axis__finish--late" } else { "axis__finish" }} data-testid="axis-finish" style:left=percent(left) style:width=percent(width)>
                <span class="axis__finish-label">{t(key!("axis.finish"))}</span>
            </div>
        }
    });
    let now = a.now.map(|now: DateTime<Utc>| {
        view! {
            <div class=now_class(a.position(now)) data-testid="axis-now" style:left=percent(a.position(now))>
                <span class="axis__now-label">{tf(key!("axis.now"), &[("time", &format_time(now, TimeStyle::Time, utc))])}</span>
            </div>
        }
    });
    (gridlines, finish, now)
}

fn row(a: &Layout, b: &Bar, name: String) -> impl IntoView {
    let slug = b.kind.slug();
    let actual = b.actual.map(|span| {
        let (left, width) = a.place(span);
        let about = if b.about_start || b.about_end { " axis__bar--about" } else { "" };
        view! {
            <span class=format!("axis__bar axis__bar--{slug}{about}") data-testid="axis-bar" style:left=percent(left) style:width=percent(width)></span>
        }
    });
    let expected = b.expected.map(|span| {
        let (left, width) = a.place(span);
        if b.your_move {
            // A moment, not a span: a marker where the publisher can act.
            return view! { <span class="axis__marker" data-testid="axis-plan" style:left=percent(left)></span> }.into_any();
        }
        let class = if b.actual.is_some() {
            format!("axis__plan axis__plan--ahead axis__plan--{slug}")
        } else {
            format!("axis__plan axis__plan--planned{}", if b.open_ended { " axis__plan--open" } else { "" })
        };
        view! { <span class=class data-testid="axis-plan" style:left=percent(left) style:width=percent(width)></span> }.into_any()
    });
    view! {
        <div class="axis__label">{name}</div>
        <div class="axis__track" data-testid="axis-row">{actual}{expected}</div>
    }
}
