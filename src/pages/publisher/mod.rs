//! The publisher overview (`/{source}/publishers/{publisher}`): every offer at a glance, what
//! needs the publisher first. The offer list comes first (each row with its own skeleton),
//! then the statuses, 4 in flight, each row with its own error; filters and search live in the
//! URL; changes become alerts.

mod board;

use crate::i18n::{number, t, tf};
use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use publishing_model::changes::{changes, Snapshot};
use publishing_model::feed::feed;
use publishing_model::overview::{filter_counts, order_key, OfferOverview, OverviewFilter, Whose};
use publishing_model::polling::PollPolicy;
use publishing_model::support::{support_details, SupportFacts};
use publishing_model::timeline::{operation_timeline, DEFAULT_QUIET_LIMIT};

use crate::api::{recent_request_ids, Client, SourceKind};
use crate::components::{
    notify, show_attention, Breadcrumbs, ErrorPanel, NotifySwitch, OverviewRow, RecentChanges,
    RowState, Skeleton,
};
use crate::navigation::{use_router, Navigate};
use crate::remote::use_polled;
use crate::routes::{self, Page};
use crate::settings::use_settings;
use board::StatusBoard;

/// Changes kept in the quiet list.
const RECENT: usize = 20;

/// One row ready to show.
#[derive(Clone, PartialEq)]
struct Shown {
    row: OfferOverview,
    state: RowState,
    checked: Option<DateTime<Utc>>,
    /// The running operation's page, when known.
    running: Option<String>,
    /// The proxy watches the offer.
    watched: bool,
}

/// A row's key: what makes it drawn again.
type RowKey = (
    publishing_model::OfferId,
    Option<DateTime<Utc>>,
    u8,
    Option<DateTime<Utc>>,
    Option<String>,
    bool,
);

impl Shown {
    /// What makes a row drawn again: a new answer, a new failure, or its first one.
    fn key(&self) -> RowKey {
        let (state, retry) = match &self.state {
            RowState::Loading => (0, None),
            RowState::Known => (1, None),
            RowState::Failed { retry_at, .. } => (2, *retry_at),
        };
        (
            self.row.id.clone(),
            self.checked,
            state,
            retry,
            self.running.clone(),
            self.watched,
        )
    }
}

/// The publisher overview.
#[component]
pub fn PublisherPage() -> impl IntoView {
    let page = crate::pages::use_page();
    let router = use_router();
    let settings = use_settings();
    let params = crate::pages::follow(page, |p| match p {
        Page::Publisher(p) => Some(p.clone()),
        _ => None,
    });
    let source = move || params.with(|p| p.as_ref().and_then(|p| p.source));
    let publisher = Memo::new(move |_| {
        params.with(|p| p.as_ref().map(|p| p.publisher.clone()).unwrap_or_default())
    });
    let client = move || source().map(|s| Client::new(s, &settings));
    let show = Memo::new(move |_| {
        router
            .query("show")
            .and_then(|s| OverviewFilter::from_slug(&s))
    });
    let text = Memo::new(move |_| router.query("q").unwrap_or_default());

    let board = StatusBoard::new();
    let offers = use_polled(
        move || {
            let client = crate::pages::client_for(source(), &settings);
            let p = publisher.get();
            async move { client?.offers(&p).await }
        },
        |_| false,
        || std::time::Duration::ZERO,
    );
    let policy = move || {
        let every = source()
            .unwrap_or(SourceKind::Demo)
            .poll_interval(&settings);
        PollPolicy::new(TimeDelta::from_std(every).unwrap_or(TimeDelta::seconds(60)))
    };
    Effect::new(move |_| {
        if let Some(Ok(list)) = offers.current() {
            board.set_offers((*list.data).clone());
            if let Some(c) = client() {
                board.tick(&c, &publisher.get_untracked(), &policy(), Utc::now());
            }
        }
    });
    board::run(board, client, move || publisher.get_untracked(), policy);

    // What the proxy watches with no tab open: a link to its page, and a mark on each row.
    let watching = RwSignal::new(None::<publishing_model::watching::Watching>);
    Effect::new(move |_| {
        if !matches!(source(), Some(SourceKind::Live | SourceKind::Ingestion)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(response) = gloo_net::http::Request::get("/dashboard/v1/watch")
                .send()
                .await
            else {
                return;
            };
            if let (true, Ok(body)) = (response.ok(), response.text().await) {
                let _ = watching.try_set(publishing_model::watching::parse_watching(&body));
            }
        });
    });
    let watched = move |offer: &publishing_model::OfferId| {
        watching.with(|w| {
            w.as_ref()
                .is_some_and(|w| w.watches(publisher.get().as_str(), offer.as_str()))
        })
    };

    // Rows in reading order, as of the latest answers.
    let rows = Memo::new(move |_| {
        let now = Utc::now();
        let mut shown: Vec<Shown> = board.offers.with(|offers| {
            board.cells.with(|cells| {
                offers
                    .iter()
                    .zip(cells)
                    .map(|(o, c)| {
                        let row = c
                            .seen
                            .as_ref()
                            .map_or_else(|| OfferOverview::listed(o), |(r, _)| r.clone());
                        let state = match (&c.error, &c.status) {
                            (Some(error), _) => RowState::Failed {
                                error: error.clone(),
                                retry_at: c.poll.next_at,
                            },
                            (None, Some(_)) => RowState::Known,
                            (None, None) => RowState::Loading,
                        };
                        let running = c.running.clone().flatten().zip(source()).map(|(op, s)| {
                            routes::href(&routes::operation(
                                s,
                                &publisher.get_untracked(),
                                &o.id,
                                &op,
                            ))
                        });
                        Shown {
                            watched: watched(&o.id),
                            row,
                            state,
                            checked: c.status.as_ref().map(|(_, at)| *at),
                            running,
                        }
                    })
                    .collect()
            })
        });
        shown.sort_by_cached_key(|s| order_key(&s.row, now, crate::i18n::lower));
        shown
    });
    let counts =
        Memo::new(move |_| rows.with(|r| filter_counts(r.iter().map(|s| &s.row), Utc::now())));
    let visible = Memo::new(move |_| {
        let (show, text) = (show.get(), text.get());
        let now = Utc::now();
        rows.with(|r| {
            r.iter()
                .filter(|s| {
                    show.is_none_or(|f| s.row.matches(f, now))
                        && s.row.matches_text(&text, crate::i18n::lower)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    // Alerts: what changed between two looks, never on the first.
    let snapshot = StoredValue::new(None::<Snapshot>);
    let recent = RwSignal::new(Vec::<(DateTime<Utc>, publishing_model::changes::Change)>::new());
    Effect::new(move |_| {
        let now = Utc::now();
        let next: Snapshot = board.offers.with(|offers| {
            board.cells.with(|cells| {
                offers
                    .iter()
                    .zip(cells)
                    .filter_map(|(o, c)| Some((o.id.clone(), c.seen.as_ref()?.1.clone())))
                    .collect()
            })
        });
        if next.is_empty() {
            return;
        }
        let found = snapshot.with_value(|old| changes(old.as_ref(), &next));
        // Offers seen for the first time join the snapshot without being a change.
        snapshot.set_value(Some(next));
        if !found.is_empty() {
            notify(&found);
            recent.update(|r| {
                for change in found.into_iter().rev() {
                    r.insert(0, (now, change));
                }
                r.truncate(RECENT);
            });
        }
    });
    let needs_me = Signal::derive(move || {
        counts.with(|c| {
            c.iter()
                .find(|(f, _)| *f == OverviewFilter::NeedsMe)
                .map_or(0, |(_, n)| *n)
        })
    });
    show_attention(
        needs_me,
        Signal::derive(move || {
            let page = tf(
                key!("title.publisher"),
                &[("publisher", publisher.get().as_str())],
            );
            tf(key!("title.app"), &[("page", &page)])
        }),
    );

    let set_query = move |show: Option<OverviewFilter>, text: String, how: Navigate| {
        if let Some(s) = source() {
            let url = routes::publisher_filtered(
                s,
                &publisher.get_untracked(),
                show.map(OverviewFilter::slug),
                &text,
            );
            router.navigate(&url, how);
        }
    };
    let chips = move || {
        counts
            .get()
            .into_iter()
            .map(|(filter, count)| {
                let pressed = move || show.get() == Some(filter);
                let label = t(match filter {
                    OverviewFilter::NeedsMe => key!("overview.needs-me"),
                    OverviewFilter::Running => key!("overview.running"),
                    OverviewFilter::Stopped => key!("overview.stopped"),
                    OverviewFilter::Idle => key!("overview.idle"),
                });
                view! {
                    <button
                        type="button"
                        class=if count == 0 { "filter-toggle filter-toggle--quiet" } else { "filter-toggle" }
                        aria-pressed=move || pressed().to_string()
                        data-testid=format!("show-{}", filter.slug())
                        on:click=move |_| {
                            let next = if pressed() { None } else { Some(filter) };
                            set_query(next, text.get_untracked(), Navigate::STEP);
                        }
                    >
                        {label} " " <span class="filter-toggle__count">{number(count as i64)}</span>
                    </button>
                }
            })
            .collect_view()
    };
    // Support details for a row that needs the publisher: the offer's current publish, as
    // its status document tells it (which names no operation id).
    let support_for = move |s: &Shown| {
        (s.row.whose == Whose::Publisher).then(|| {
            let offer = s.row.id.clone();
            Callback::new(move |()| {
                let status = board.offers.with_untracked(|offers| {
                    let i = offers.iter().position(|o| o.id == offer)?;
                    board
                        .cells
                        .with_untracked(|cells| cells.get(i)?.status.clone())
                });
                let Some((status, at)) = status else {
                    return String::new();
                };
                let detail = status.as_operation();
                let t =
                    operation_timeline(&detail, None, &Default::default(), at, DEFAULT_QUIET_LIMIT);
                let feed = feed(&detail.messages, &detail.steps);
                support_details(&SupportFacts {
                    publisher: publisher.get_untracked().as_str(),
                    offer: offer.as_str(),
                    operation: "the offer's current publish (its id is on the offer page)",
                    detail: &detail,
                    times: &t.times,
                    health: &t.health,
                    feed: &feed,
                    request_ids: &recent_request_ids(),
                    now: Utc::now(),
                })
            })
        })
    };
    let offer_href = move |row: &OfferOverview| {
        source()
            .map(|s| routes::href(&routes::offer(s, &publisher.get_untracked(), &row.id)))
            .unwrap_or_default()
    };

    let name = move || {
        let publisher = publisher.get();
        source().map_or_else(|| publisher.to_string(), |s| s.publisher_name(&publisher))
    };
    let watching_link = move || {
        let on = watching.with(|w| {
            w.as_ref()
                .is_some_and(|w| w.of(publisher.get().as_str()).next().is_some())
        });
        let href = source().map(|s| routes::href(&routes::watching(s, &publisher.get())));
        on.then(|| view! { <a class="button button--small" href=href data-testid="watching-link">{t(key!("watching.link"))}</a> })
    };

    view! {
        <Breadcrumbs publisher=Signal::derive(name) />
        <h1 class="page__title">{move || match source() {
            Some(SourceKind::Ingestion) => t(key!("overview.title-account")),
            _ => tf(key!("overview.title"), &[("publisher", publisher.get().as_str())]),
        }}</h1>
        <section class="panel" aria-labelledby="overview-title">
            <div class="panel__heading">
                <h2 id="overview-title">{t(key!("overview.every"))}</h2>
                <span class="overview__actions">
                    {watching_link}
                    <NotifySwitch />
                    <button type="button" class="button button--small" on:click=move |_| board.refresh_all()>{t(key!("overview.check-all"))}</button>
                </span>
            </div>
            <div class="filter-bar">
                <div class="filter-bar__toggles" role="group" aria-label=t(key!("overview.show"))>
                    <button type="button" class="filter-toggle" aria-pressed=move || show.get().is_none().to_string()
                        data-testid="show-all" on:click=move |_| set_query(None, text.get_untracked(), Navigate::STEP)>
                        {t(key!("filter.all"))} " " <span class="filter-toggle__count">{move || number(rows.with(Vec::len) as i64)}</span>
                    </button>
                    {chips}
                </div>
                <label class="filter-bar__search">
                    <span>{t(key!("overview.search"))}</span>
                    <input type="search" prop:value=move || text.get() data-testid="overview-search"
                        on:input:target=move |ev| set_query(show.get_untracked(), ev.target().value(), Navigate::REPLACE) />
                </label>
            </div>
            {move || match offers.current() {
                None => view! { <Skeleton lines=6 label=t(key!("overview.loading")) /> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorPanel error=error retry_at=offers.next_at on_retry=Callback::new(move |_| offers.refresh()) />
                }.into_any(),
                Some(Ok(list)) if list.data.is_empty() => view! { <p class="empty-state">{t(key!("start.no-offers"))}</p> }.into_any(),
                Some(Ok(_)) => view! {
                    <Show when=move || visible.with(|v| !v.is_empty()) fallback=|| view! {
                        <p class="empty-state" data-testid="overview-empty">{t(key!("overview.no-match"))}</p>
                    }>
                        <table class="operations overview" data-testid="overview">
                            <caption class="visually-hidden">{t(key!("overview.caption"))}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(key!("overview.offer"))}</th>
                                    <th scope="col">{t(key!("overview.status"))}</th>
                                    <th scope="col">{t(key!("overview.step"))}</th>
                                    <th scope="col">{t(key!("overview.finish"))}</th>
                                    <th scope="col">{t(key!("overview.whose"))}</th>
                                    <th scope="col">{t(key!("overview.changed"))}</th>
                                    <th scope="col">{t(key!("overview.checked"))}</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || visible.get() key=Shown::key let:s>
                                    <OverviewRow
                                        href=offer_href(&s.row)
                                        support=support_for(&s)
                                        running_href=s.running.clone()
                                        watched=s.watched
                                        row=s.row
                                        state=s.state
                                        checked=s.checked
                                    />
                                </For>
                            </tbody>
                        </table>
                    </Show>
                }.into_any(),
            }}
        </section>
        <RecentChanges changes=recent />
    }
}
