//! One clock for the whole app: a signal that ticks every second (for "updated N s ago",
//! retry countdowns and poll scheduling) and whether the tab is visible.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The app's clock.
#[derive(Clone, Copy)]
pub struct Clock {
    /// Now, updated every second.
    pub now: ReadSignal<DateTime<Utc>>,
    /// False while the tab is hidden: polling pauses.
    pub visible: ReadSignal<bool>,
}

/// False while the tab is hidden (read now; the clock's `visible` follows it as a signal).
pub fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() != web_sys::VisibilityState::Hidden)
}

/// Starts the clock and puts it in context; the timer stops when the app unmounts.
pub fn provide_clock() {
    let (now, set_now) = signal(Utc::now());
    let (visible, set_visible) = signal(page_visible());
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(Utc::now()),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let listener = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let shown = page_visible();
        set_visible.set(shown);
        if shown {
            set_now.set(Utc::now());
        }
    });
    on_cleanup(move || listener.remove());
    provide_context(Clock { now, visible });
}

/// The clock from context.
pub fn use_clock() -> Clock {
    expect_context::<Clock>()
}

/// Resolves in a task after the browser's next frame, or after 50 ms when no frame comes (a
/// hidden tab draws none).
pub async fn after_next_frame() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let (frame_window, after_frame) = (window.clone(), resolve.clone());
        let frame = Closure::once_into_js(move || {
            let _ = frame_window.set_timeout_with_callback(&after_frame);
        });
        let _ = window.request_animation_frame(frame.unchecked_ref());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
