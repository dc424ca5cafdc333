//! Entry point: panic hook, the language, mount (in place of the loader's line). (Nothing in the app logs through the `log`
//! crate, so no logger is installed: the app writes nothing to the console on its own.)

use offer_dashboard::i18n;

fn main() {
    // The release build (`split_wasm`, scripts/build.sh) aborts at a panic without unwinding
    // or calling any hook (`-Cpanic=immediate-abort`): the hook would be dead code there.
    #[cfg(not(split_wasm))]
    console_error_panic_hook::set_once();
    mark("app:start");
    // An offer page's data requests leave now, not halfway through building the page.
    offer_dashboard::api::prefetch::start_now();
    // The page is mounted in its language: a catalogue to fetch is fetched first (English
    // stays when that fails), so nothing is shown twice or fetched twice.
    wasm_bindgen_futures::spawn_local(async {
        let _ = i18n::switch(i18n::initial_locale()).await;
        leptos::mount::mount_to_body(offer_dashboard::App);
        // The first page has asked for its data: the loader's requests it did not take go.
        offer_dashboard::api::prefetch::forget();
        // The loader's "Loading the dashboard…" (boot.js) gives way to the app.
        if let Some(loading) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".boot-status").ok().flatten())
        {
            loading.remove();
        }
        mark("app:mounted");
    });
}

/// A User Timing mark, for the benchmark's trace of a cold visit (`app_bench --slow-trace`).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
