//! When a polled resource's requests leave, in a real browser.

#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use common::*;
use leptos::prelude::*;
use offer_dashboard::remote::{use_polled, Polled};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The first request leaves while the page is built; a later one (a filter, a poll, a
/// refresh) after the frame that shows the change, so that frame carries no request.
#[wasm_bindgen_test]
async fn later_requests_leave_after_the_next_frame() {
    let sent = Rc::new(Cell::new(0u32));
    let handle = Rc::new(RefCell::new(None::<Polled<u32>>));
    let (counter, slot) = (sent.clone(), handle.clone());
    mount(move || {
        let polled = use_polled(
            move || {
                let counter = counter.clone();
                async move {
                    counter.set(counter.get() + 1);
                    Ok(counter.get())
                }
            },
            |_| false,
            || Duration::from_secs(60),
        );
        *slot.borrow_mut() = Some(polled);
        view! { <p>{move || polled.loaded().with(|l| l.as_ref().map(|l| *l.data))}</p> }
    });
    assert_eq!(
        sent.get(),
        1,
        "the first request is sent while the page is built"
    );
    settle().await;
    let polled = (*handle.borrow()).expect("mounted");
    polled.refresh();
    settle().await;
    assert_eq!(sent.get(), 1, "not in the task that asked for it");
    // The refresh waits for the frame after it was asked: so does this, then the task.
    offer_dashboard::clock::after_next_frame().await;
    settle().await;
    assert_eq!(sent.get(), 2, "sent after the next frame");
    assert_eq!(
        polled
            .loaded()
            .with_untracked(|l| l.as_ref().map(|l| *l.data)),
        Some(2)
    );
}
