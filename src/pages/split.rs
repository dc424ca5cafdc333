//! Pages whose code is loaded when first shown, not with the app.
//!
//! The release build (`scripts/build.sh`, which sets `--cfg split_wasm`) cuts the wasm at
//! these functions with wasm-split: the start page, the publisher overview, the operation
//! page and the job page each become a file of their own, fetched the first time the page
//! is shown. The offer page (where most visits land) stays in the first load. Every other
//! build (`trunk serve`, the tests) has no cut: each function then builds its page at once,
//! with no loading step, exactly as before.

use leptos::prelude::*;

#[cfg(split_wasm)]
use crate::components::Skeleton;
#[cfg(split_wasm)]
use crate::i18n::t;

#[cfg(split_wasm)]
use crate::on_demand::CodeUnavailable;

/// Declares `$name() -> AnyView`: the page `$page`, in a file of its own in split builds.
macro_rules! split_page {
    ($name:ident, $load:ident, $page:path) => {
        #[cfg(split_wasm)]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $load() -> Result<AnyView, CodeUnavailable> {
            use $page as Page;
            Ok(view! { <Page /> }.into_any())
        }

        /// The page, once its code is here.
        #[cfg(split_wasm)]
        pub fn $name() -> AnyView {
            lazy(|| Box::pin($load()))
        }

        /// The page (no split in this build).
        #[cfg(not(split_wasm))]
        pub fn $name() -> AnyView {
            use $page as Page;
            view! { <Page /> }.into_any()
        }
    };
}

split_page!(start, load_start, super::StartPage);
split_page!(publisher, load_publisher, super::PublisherPage);
split_page!(operation, load_operation, super::OperationPage);
split_page!(job, load_job, super::JobPage);
split_page!(watching, load_watching, super::WatchingPage);

/// Declares `$name() -> AnyView`: the small widget `$widget`, in a file of its own in split
/// builds, fetched when it is first shown. Nothing is shown while it loads, or if it cannot.
macro_rules! split_widget {
    ($name:ident, $load:ident, $widget:path) => {
        #[cfg(split_wasm)]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $load() -> Result<AnyView, CodeUnavailable> {
            use $widget as Widget;
            Ok(view! { <Widget /> }.into_any())
        }

        /// The widget, once its code is here.
        #[cfg(split_wasm)]
        pub fn $name() -> AnyView {
            let widget = send_wrapper::SendWrapper::new(Box::pin($load()));
            Suspend::new(
                async move { widget.await.unwrap_or_else(|CodeUnavailable| ().into_any()) },
            )
            .into_any()
        }

        /// The widget (no split in this build).
        #[cfg(not(split_wasm))]
        pub fn $name() -> AnyView {
            use $widget as Widget;
            view! { <Widget /> }.into_any()
        }
    };
}

// The header's account widget, only where the proxy signs people in; a pasted token's
// notice, only when a token has been pasted. Neither is needed by most visits.
split_widget!(account, load_account, crate::components::Account);
split_widget!(
    token_notice,
    load_token_notice,
    crate::components::TokenNotice
);

#[cfg(split_wasm)]
type Loading =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, CodeUnavailable>>>>;

/// A loading state until the code is here, then the page; when the code cannot be fetched,
/// says so with a button that tries again.
#[cfg(split_wasm)]
fn lazy(load: fn() -> Loading) -> AnyView {
    let attempt = RwSignal::new(0_u32);
    let waiting = RwSignal::new(true);
    view! {
        <Show when=move || waiting.get()>
            <Skeleton lines=3 label=t(key!("page.loading")) />
        </Show>
        {move || {
            attempt.track();
            waiting.set(true);
            // The loader's future is not `Send`; the wasm has one thread.
            let page = send_wrapper::SendWrapper::new(load());
            Suspend::new(async move {
                let page = page.await;
                waiting.set(false);
                page.unwrap_or_else(|CodeUnavailable| unavailable(attempt))
            })
        }}
    }
    .into_any()
}

#[cfg(split_wasm)]
fn unavailable(attempt: RwSignal<u32>) -> AnyView {
    view! {
        <section class="error-panel error-panel--unreachable" role="alert" data-testid="code-unavailable">
            <h2 class="error-panel__title">{t(key!("page.code-unavailable"))}</h2>
            <p class="error-panel__advice">{t(key!("page.code-unavailable-advice"))}</p>
            <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                {t(key!("error.try-now"))}
            </button>
        </section>
    }
    .into_any()
}
