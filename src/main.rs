//! Entry point: panic hook, mount. (Nothing in the app logs through the `log` crate, so no
//! logger is installed: the app writes nothing to the console on its own.)

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(offer_dashboard::App);
}
