//! Entry point: panic hook, the language, mount. (Nothing in the app logs through the `log`
//! crate, so no logger is installed: the app writes nothing to the console on its own.)

use offer_dashboard::i18n;

fn main() {
    console_error_panic_hook::set_once();
    // The page is mounted in its language: a catalogue to fetch is fetched first (English
    // stays when that fails), so nothing is shown twice or fetched twice.
    wasm_bindgen_futures::spawn_local(async {
        let _ = i18n::switch(i18n::initial_locale()).await;
        leptos::mount::mount_to_body(offer_dashboard::App);
    });
}
