//! The data requests the loader (boot.js) starts for an offer page of the live service when no
//! token is kept for the tab: its status and operations. On a repeat visit it sends them while
//! the app's code loads from the cache; on a first visit the app asks it to as it starts
//! ([`start_now`]), before the page is built. The client takes one over when it asks for the
//! same URL without a token, instead of sending it again; once the first page is built,
//! whatever nobody took is cancelled.

use js_sys::{Map, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;

/// Where the loader leaves them: a `Map` from the absolute URL to `{ response, controller }`.
const KEY: &str = "dashboardPrefetch";

fn started() -> Option<Map> {
    Reflect::get(&js_sys::global(), &KEY.into())
        .ok()?
        .dyn_into::<Map>()
        .ok()
}

/// Asks the loader to send the page's data requests now, if it has not and the page is one
/// it sends them for: the app's code is here, so they share the link with nothing.
pub fn start_now() {
    let now = Reflect::get(&js_sys::global(), &"dashboardPrefetchNow".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(now) = now {
        let _ = now.call0(&JsValue::NULL);
    }
}

/// A request the loader started: its answer to come, and how to cancel it.
pub(super) struct Started {
    pub response: Promise,
    pub controller: Option<AbortController>,
}

/// The loader's request for `url` (absolute, as the browser resolved it), taken: it is
/// given out once.
pub(super) fn take(url: &str) -> Option<Started> {
    let map = started()?;
    let key = JsValue::from_str(url);
    let entry = map.get(&key);
    map.delete(&key);
    let field = |name: &str| Reflect::get(&entry, &name.into()).ok();
    Some(Started {
        response: field("response")?.dyn_into().ok()?,
        controller: field("controller").and_then(|c| c.dyn_into().ok()),
    })
}

/// Cancels the loader's requests that nobody took (the page asked for other URLs, or is not
/// an offer page after all), and stops taking any.
pub fn forget() {
    if let Some(map) = started() {
        map.for_each(&mut |entry, _| {
            if let Some(controller) = Reflect::get(&entry, &"controller".into())
                .ok()
                .and_then(|c| c.dyn_into::<AbortController>().ok())
            {
                controller.abort();
            }
        });
        map.clear();
    }
    // The loader starts none after this.
    let _ = Reflect::set(&js_sys::global(), &KEY.into(), &JsValue::NULL);
}
