//! Entry point: panic hook, logger, mount.

fn main() {
    console_error_panic_hook::set_once();
    // Logging must never stop the app; a second init in tests is harmless.
    let _ = console_log::init_with_level(log::Level::Warn);
    leptos::mount::mount_to_body(offer_dashboard::App);
}
