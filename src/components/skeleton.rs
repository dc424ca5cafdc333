//! Placeholder while the first answer is on its way.

use leptos::prelude::*;

/// Grey lines that stand for content being loaded.
#[component]
pub fn Skeleton(#[prop(default = 5)] lines: usize, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="skeleton" role="status" aria-busy="true" aria-live="polite">
            <span class="visually-hidden">{label}</span>
            {(0..lines).map(|_| view! { <div class="skeleton__line"></div> }).collect_view()}
        </div>
    }
}
