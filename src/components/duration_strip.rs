//! A strip whose segments are proportional to each step's estimated duration.

use leptos::prelude::*;
use publishing_model::eta::duration_strip;
use publishing_model::Step;

/// The proportional strip of estimated durations.
#[component]
pub fn DurationStrip(#[prop(into)] steps: Signal<Vec<Step>>) -> impl IntoView {
    let segments = move || {
        steps.with(|steps| {
            duration_strip(steps)
                .into_iter()
                .map(|seg| {
                    let step = &steps[seg.step];
                    let kind = step.status_or_unknown().kind();
                    let estimate = step
                        .estimated_time_frame
                        .as_ref()
                        .map(|f| f.text.clone())
                        .unwrap_or_else(|| "no estimate".to_owned());
                    let label = format!("{}: {}", step.display_name(), estimate);
                    // flex-grow is set through the CSSOM, which a strict style-src allows. Only
                    // the ratio matters, so an integer scale keeps float formatting (6 KB of
                    // wasm) out of the app.
                    let grow = (seg.share.clamp(0.0, 1.0) * 10_000.0).round() as u32;
                    view! {
                        <li
                            class=format!("strip__segment strip__segment--{}{}", kind.slug(), if seg.estimated { "" } else { " strip__segment--unestimated" })
                            style:flex-grow=grow.to_string()
                            title=label.clone()

                        >
                            <span class="visually-hidden">{label.clone()}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="strip-figure">
            <ol class="strip" aria-label="Estimated duration of each step">{segments}</ol>
            <figcaption class="strip-figure__caption">"Each segment is a step, sized by its estimated time."</figcaption>
        </figure>
    }
}
