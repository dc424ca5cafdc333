//! The dashboard: context providers, the router and the route table. Nothing else.

pub mod api;
pub mod clock;
pub mod components;
pub mod pages;
pub mod remote;
pub mod routes;
pub mod sanitize;
pub mod settings;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::pages::{NotFound, OfferPage, OperationPage, StartPage};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    settings::provide_settings();
    clock::provide_clock();
    view! {
        <Router base=routes::base_path()>
            <components::Header />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=StartPage />
                    <Route path=path!("/:source/publishers/:publisher/offers/:offer") view=OfferPage />
                    <Route
                        path=path!("/:source/publishers/:publisher/offers/:offer/operations/:operation")
                        view=OperationPage
                    />
                </Routes>
            </main>
        </Router>
    }
}
