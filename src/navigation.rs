//! Navigation (the app's router): the current address as a signal, in-app link clicks, and the
//! browser history.
//!
//! Three routes and a query are all the dashboard needs, and `leptos_router` cost 48 KB
//! gzipped of a 100 KB minimal app (measured), so this is our own. Route matching is plain
//! logic in [`crate::routes::Page::parse`].

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, MouseEvent};

use crate::routes;

/// The current address, relative to the app's base.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The path without the base, starting with `/`; still percent-encoded.
    pub path: String,
    /// The query without its `?`.
    pub query: String,
}

impl Location {
    fn from_app_url(url: &str) -> Location {
        let url = url.split('#').next().unwrap_or_default();
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        Location {
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
            query: query.into(),
        }
    }

    fn to_app_url(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// How a navigation treats the history and the scroll position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Navigate {
    /// Replace the current history entry instead of adding one.
    pub replace: bool,
    /// Scroll to the top, as a new page does.
    pub scroll: bool,
}

impl Navigate {
    /// A new page: a history entry, scrolled to the top.
    pub const PAGE: Navigate = Navigate {
        replace: false,
        scroll: true,
    };
    /// A change of this page's state that Back should undo (a filter toggle).
    pub const STEP: Navigate = Navigate {
        replace: false,
        scroll: false,
    };
    /// A change of this page's state that is not worth a history entry (typing).
    pub const REPLACE: Navigate = Navigate {
        replace: true,
        scroll: false,
    };
}

/// The router, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Router {
    location: RwSignal<Location>,
    /// A change of this page's state not yet in the history (`(url, replace)`): written
    /// after the next frame, so the click's frame does not wait for the browser's history
    /// (about 1 ms a click, measured), and at once before any other navigation.
    unwritten: StoredValue<Option<(String, bool)>>,
}

/// Provides the router: reads the address, follows Back and Forward, and turns clicks on
/// links inside the app into navigations without a page load.
pub fn provide_router() -> Router {
    let router = Router {
        location: RwSignal::new(browser_location()),
        unwritten: StoredValue::new(None),
    };
    provide_context(router);
    let popstate = window_event_listener(ev::popstate, move |_| {
        // Back or Forward came before the write: the browser's entry is where we are now.
        router.unwritten.set_value(None);
        router.location.set(browser_location());
    });
    let click = window_event_listener(ev::click, move |event| router.follow_link(&event));
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    router
}

/// The router provided by [`provide_router`].
pub fn use_router() -> Router {
    expect_context()
}

impl Router {
    /// The path relative to the base (tracked).
    pub fn path(&self) -> String {
        self.location.with(|l| l.path.clone())
    }

    /// The first value of a query parameter, decoded (tracked).
    pub fn query(&self, name: &str) -> Option<String> {
        self.location.with(|l| routes::query_param(&l.query, name))
    }

    /// Goes to an app URL (a path from `/`, maybe with a query), without a page load. A new
    /// page is written to the history at once; a change of this page's state after the
    /// frame that shows it.
    pub fn navigate(&self, url: &str, how: Navigate) {
        let next = Location::from_app_url(url);
        if !how.replace && self.location.with_untracked(|l| *l == next) {
            return;
        }
        self.write_history();
        let full = routes::href(&next.to_app_url());
        if how.scroll {
            if !write(&full, how.replace) {
                return;
            }
        } else {
            self.unwritten.set_value(Some((full, how.replace)));
            let router = *self;
            leptos::task::spawn_local(async move {
                crate::clock::after_next_frame().await;
                router.write_history();
            });
        }
        self.location.set(next);
        if how.scroll {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Writes the change not yet in the history, if any.
    fn write_history(&self) {
        if let Some((url, replace)) = self.unwritten.try_update_value(Option::take).flatten() {
            write(&url, replace);
        }
    }

    /// A click on an `<a href>` that stays in the app becomes a navigation. Anything the
    /// browser should handle itself is left alone: modified or non-primary clicks, other
    /// origins, paths outside the base, downloads, other targets, and in-page anchors.
    fn follow_link(&self, event: &MouseEvent) {
        if event.default_prevented()
            || event.button() != 0
            || event.meta_key()
            || event.ctrl_key()
            || event.shift_key()
            || event.alt_key()
        {
            return;
        }
        let Some(anchor) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlAnchorElement>().ok())
        else {
            return;
        };
        // `rel="external"`: the server's own pages on this origin (sign-in), not the app's.
        if anchor.has_attribute("download")
            || anchor.rel() == "external"
            || !matches!(anchor.target().as_str(), "" | "_self")
        {
            return;
        }
        let here = window().location();
        if Some(anchor.origin()) != here.origin().ok() {
            return;
        }
        let (path, search) = (anchor.pathname(), anchor.search());
        if !anchor.hash().is_empty()
            && here.pathname().ok().as_deref() == Some(path.as_str())
            && here.search().ok().as_deref() == Some(search.as_str())
        {
            return;
        }
        let Some(app_path) = routes::app_path(&path) else {
            return;
        };
        event.prevent_default();
        self.navigate(&format!("{app_path}{search}"), Navigate::PAGE);
    }
}

/// Adds (or replaces) the history entry for `url`. When the browser refuses (e.g. too many
/// calls), loads `url` instead, and returns false: a page load still gets there.
fn write(url: &str, replace: bool) -> bool {
    let window = window();
    let Ok(history) = window.history() else {
        return true;
    };
    let written = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(url))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(url))
    };
    if written.is_err() {
        let _ = window.location().set_href(url);
    }
    written.is_ok()
}

fn browser_location() -> Location {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let path = routes::app_path(&path).unwrap_or(&path);
    let search = location.search().unwrap_or_default();
    Location::from_app_url(&format!("{path}{search}"))
}
