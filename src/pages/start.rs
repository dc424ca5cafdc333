//! The start page: pick the source (demo or the real API through a proxy), the publisher and
//! the offer. Lists publishers and offers when the source can; ids can always be typed.

use std::time::Duration;

use crate::i18n::{t, tn};
use leptos::prelude::*;
use publishing_model::{JobId, OfferId, PublisherId};

use crate::api::{Client, SourceKind, ACCOUNT};
use crate::components::{ConnectionForm, ErrorPanel, Skeleton, StatusBadge};
use crate::navigation::{use_router, Navigate};
use crate::remote::use_polled;
use crate::routes;
use crate::settings::{draft, set_draft, use_settings};

/// The start page.
#[component]
pub fn StartPage() -> impl IntoView {
    let settings = use_settings();
    let router = use_router();
    let source = Memo::new(move |_| {
        router
            .query("source")
            .and_then(|s| SourceKind::parse(&s))
            .unwrap_or(SourceKind::Demo)
    });
    let last = settings.last_offer.get_untracked();
    let publisher = Memo::new(move |_| router.query("publisher").filter(|p| !p.trim().is_empty()));
    // Choosing a source is not worth a history entry of its own.
    let choose_source = move |source: SourceKind| {
        router.navigate(&format!("/?source={}", source.as_str()), Navigate::REPLACE);
    };

    // Fetched like every other list (one compiled resource type for the app), never polled;
    // a busy service is retried with backoff.
    let publishers = use_polled(
        move || {
            let client = Client::new(source.get(), &settings);
            async move { client.publishers().await }
        },
        |_| false,
        || Duration::ZERO,
    );
    let offers = use_polled(
        move || {
            let client = Client::new(source.get(), &settings);
            let publisher = publisher.get();
            async move {
                match publisher {
                    Some(p) => client.offers(&PublisherId(p)).await.map(Some),
                    None => Ok(None),
                }
            }
        },
        |_| false,
        || Duration::ZERO,
    );

    // What was typed and not yet opened survives leaving the page to sign in (this tab only).
    let typed_publisher = RwSignal::new(
        draft("publisher")
            .unwrap_or_else(|| last.as_ref().map(|(p, _)| p.clone()).unwrap_or_default()),
    );
    let typed_offer = RwSignal::new(
        draft("offer").unwrap_or_else(|| last.as_ref().map(|(_, o)| o.clone()).unwrap_or_default()),
    );
    Effect::new(move |_| {
        if let Some(p) = publisher.get() {
            typed_publisher.set(p);
        }
    });
    // Product Ingestion has no publisher ids: its one "publisher" is the token's account.
    let ingestion = move || source.get() == SourceKind::Ingestion;
    let typed_job = RwSignal::new(draft("job").unwrap_or_default());
    Effect::new(move |_| {
        set_draft("publisher", &typed_publisher.get());
        set_draft("offer", &typed_offer.get());
        set_draft("job", &typed_job.get());
    });
    let open_job = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let job = typed_job.get_untracked();
        if !job.trim().is_empty() {
            set_draft("job", "");
            router.navigate(
                &routes::job(SourceKind::Ingestion, &JobId::from(job.trim())),
                Navigate::PAGE,
            );
        }
    };
    let open_typed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = if ingestion() {
            ACCOUNT.to_owned()
        } else {
            typed_publisher.get_untracked()
        };
        let o = typed_offer.get_untracked();
        if !p.trim().is_empty() && !o.trim().is_empty() {
            // Opened: no longer a draft (the last offer is remembered as such).
            set_draft("publisher", "");
            set_draft("offer", "");
            let path = routes::offer(
                source.get_untracked(),
                &PublisherId(p.trim().into()),
                &OfferId(o.trim().into()),
            );
            router.navigate(&path, Navigate::PAGE);
        }
    };

    view! {
        <h1 class="page__title">{t(key!("start.title"))}</h1>
        <p class="lead">{t(key!("start.lead"))}</p>

        <section class="panel" aria-labelledby="source-title">
            <h2 id="source-title">{t(key!("start.source"))}</h2>
            <fieldset class="source-choice">
                <legend class="visually-hidden">{t(key!("start.source-legend"))}</legend>
                <label class="source-choice__option">
                    <input type="radio" name="source" value="demo" prop:checked=move || source.get() == SourceKind::Demo on:change=move |_| choose_source(SourceKind::Demo) data-testid="source-demo" />
                    <span><strong>{t(key!("start.demo"))}</strong>" — " {t(key!("start.demo-text"))}</span>
                </label>
                <label class="source-choice__option">
                    <input type="radio" name="source" value="live" prop:checked=move || source.get() == SourceKind::Live on:change=move |_| choose_source(SourceKind::Live) data-testid="source-live" />
                    <span><strong>{t(key!("start.live"))}</strong>" — " {t(key!("start.live-text"))}</span>
                </label>
                <label class="source-choice__option">
                    <input type="radio" name="source" value="ingestion" prop:checked=move || source.get() == SourceKind::Ingestion on:change=move |_| choose_source(SourceKind::Ingestion) data-testid="source-ingestion" />
                    <span><strong>{t(key!("start.ingestion"))}</strong>" — " {t(key!("start.ingestion-text"))}</span>
                </label>
            </fieldset>
            <Show when=move || source.get() != SourceKind::Demo>
                <ConnectionForm />
            </Show>
        </section>

        <section class="panel" aria-labelledby="publisher-title">
            <h2 id="publisher-title">{t(key!("start.publisher"))}</h2>
            {move || match publishers.current() {
                None => view! { <Skeleton lines=2 label=t(key!("start.loading-publishers")) /> }.into_any(),
                Some(Ok(list)) if !list.data.is_empty() => view! {
                    <ul class="choice-list" data-testid="publishers">
                        {list.data.iter().map(|p| {
                            let id = p.id.to_string();
                            let selected = {
                                let id = id.clone();
                                move || publisher.get().as_deref() == Some(id.as_str())
                            };
                            let href = routes::href(&format!("/?source={}&publisher={}", source.get_untracked().as_str(), js_sys::encode_uri_component(&id)));
                            view! {
                                <li>
                                    <a href=href class="choice-list__item" aria-current=move || selected().then_some("true")>
                                        <strong>{p.display_name().to_owned()}</strong>
                                        " "
                                        <code>{id.clone()}</code>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Ok(_)) => view! { <p class="empty-state">{t(key!("start.no-publishers"))}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="hint">{t(key!("start.publishers-unavailable"))}</p>
                    <ErrorPanel error=error retry_at=publishers.next_at on_retry=Callback::new(move |_| publishers.refresh()) />
                }.into_any(),
            }}
        </section>

        <section class="panel" aria-labelledby="offer-title">
            <h2 id="offer-title">{t(key!("start.offer"))}</h2>
            {move || match offers.current() {
                None => view! { <Skeleton lines=3 label=t(key!("start.loading-offers")) /> }.into_any(),
                Some(Ok(list)) => match list.data.as_ref() {
                    None => view! { <p class="hint">{t(key!("start.choose-publisher"))}</p> }.into_any(),
                    Some(list) if list.is_empty() => view! { <p class="empty-state">{t(key!("start.no-offers"))}</p> }.into_any(),
                    Some(list) => {
                        let p = PublisherId(publisher.get_untracked().unwrap_or_default());
                        let overview = routes::href(&routes::publisher(source.get_untracked(), &p));
                        let count = list.len();
                        view! {
                            <p class="start__overview">
                                <a href=overview class="button button--primary" data-testid="open-overview">
                                    {tn(key!("start.see-all"), count as i64, &[])}
                                </a>
                            </p>
                            <ul class="choice-list" data-testid="offers">
                                {list.iter().map(|o| {
                                    let href = routes::href(&routes::offer(source.get_untracked(), &p, &o.id));
                                    let status = o.status.clone().unwrap_or_else(|| "unknown".parse().unwrap_or_else(|n| match n {}));
                                    view! {
                                        <li>
                                            <a href=href class="choice-list__item">
                                                <strong>{o.display_name().to_owned()}</strong>
                                                " "
                                                <code>{o.id.to_string()}</code>
                                                " "
                                                <StatusBadge status=status />
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                },
                Some(Err(error)) => view! {
                    <ErrorPanel error=error retry_at=offers.next_at on_retry=Callback::new(move |_| offers.refresh()) />
                }.into_any(),
            }}
            <form class="typed-ids" on:submit=open_typed>
                <Show when=move || !ingestion()>
                    <label>
                        <span>{t(key!("start.publisher-id"))}</span>
                        <input type="text" name="publisher" required=true prop:value=typed_publisher on:input:target=move |ev| typed_publisher.set(ev.target().value()) data-testid="typed-publisher" />
                    </label>
                </Show>
                <label>
                    <span>{t(key!("start.offer-id"))}</span>
                    <input type="text" name="offer" required=true prop:value=typed_offer on:input:target=move |ev| typed_offer.set(ev.target().value()) data-testid="typed-offer" />
                </label>
                <button type="submit" class="button button--primary">{t(key!("start.open-offer"))}</button>
            </form>
        </section>

        <Show when=ingestion>
            <section class="panel" aria-labelledby="job-title">
                <h2 id="job-title">{t(key!("start.job"))}</h2>
                <p class="hint">{t(key!("start.job-hint"))}</p>
                <form class="typed-ids" on:submit=open_job>
                    <label>
                        <span>{t(key!("start.job-id"))}</span>
                        <input type="text" name="job" required=true prop:value=typed_job on:input:target=move |ev| typed_job.set(ev.target().value()) data-testid="typed-job" />
                    </label>
                    <button type="submit" class="button button--primary" data-testid="open-job">{t(key!("start.open-job"))}</button>
                </form>
            </section>
        </Show>
    }
}
