//! What the proxy watches of a publisher (`/{source}/publishers/{publisher}/watching`): the
//! watcher's health, each offer's last and next poll, each channel's last delivery with
//! given-up messages and disabled channels, the recent events, and a test message per
//! channel (operators only, when people sign in). Read again every 30 seconds; a failed
//! read keeps what was shown and says why.

use leptos::prelude::*;
use publishing_model::alerts::EventKind;
use publishing_model::sign_in::SignIn;
use publishing_model::watching::{
    parse_channels, parse_events, parse_test, parse_watching, ChannelState, TestOutcome, ToldEvent,
    Watching,
};
use publishing_model::{OfferId, PublishStatus};

use crate::components::{format_time, Breadcrumbs, OperatorsOnly, TimeStyle};
use crate::i18n::{number, t, tf};
use crate::routes::{self, Page};
use crate::settings::use_settings;

/// How often the page reads the watcher's state again.
const EVERY_MS: u32 = 30_000;

/// The three answers, as last read.
#[derive(Clone, Default, PartialEq)]
struct Seen {
    watching: Option<Watching>,
    channels: Vec<ChannelState>,
    events: Vec<ToldEvent>,
}

async fn text(url: &str) -> Result<String, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    response.text().await.map_err(|e| e.to_string())
}

async fn read() -> Result<Seen, String> {
    let watching = parse_watching(&text("/dashboard/v1/watch").await?)
        .ok_or_else(|| t(key!("watching.absent")))?;
    if !watching.on {
        return Ok(Seen {
            watching: Some(watching),
            ..Seen::default()
        });
    }
    Ok(Seen {
        watching: Some(watching),
        channels: parse_channels(&text("/dashboard/v1/channels").await?),
        events: parse_events(&text("/dashboard/v1/events").await?),
    })
}

/// An event's words, in the words the page's changes already use.
fn event_words(e: &ToldEvent) -> String {
    let offer = e.offer_name.as_str();
    let step = e.step.as_deref().unwrap_or_default();
    let status = |s: PublishStatus| {
        tf(
            key!("change.status"),
            &[("offer", offer), ("status", &crate::words::status(&s))],
        )
    };
    match e.kind {
        EventKind::Signoff => status(PublishStatus::WaitingForPublisherReview),
        EventKind::Blocked => status(PublishStatus::Blocked),
        EventKind::Failed => status(PublishStatus::Failed),
        EventKind::Canceled => status(PublishStatus::Canceled),
        EventKind::Live => status(PublishStatus::Completed),
        EventKind::Error => tf(key!("change.error"), &[("offer", offer)]),
        EventKind::Overdue => tf(key!("change.overdue"), &[("offer", offer), ("step", step)]),
        EventKind::Stuck => tf(key!("change.stuck"), &[("offer", offer), ("step", step)]),
    }
}

/// What the proxy watches of a publisher.
#[component]
pub fn WatchingPage() -> impl IntoView {
    let page = crate::pages::use_page();
    let settings = use_settings();
    let params = crate::pages::follow(page, |p| match p {
        Page::Watching(p) => Some(p.clone()),
        _ => None,
    });
    let publisher = Memo::new(move |_| {
        params.with(|p| p.as_ref().map(|p| p.publisher.clone()).unwrap_or_default())
    });
    let source = move || params.with(|p| p.as_ref().and_then(|p| p.source));
    let seen = RwSignal::new(None::<Seen>);
    let failure = RwSignal::new(None::<String>);
    let load = move || {
        leptos::task::spawn_local(async move {
            match read().await {
                Ok(s) => {
                    let _ = seen.try_set(Some(s));
                    let _ = failure.try_set(None);
                }
                Err(e) => {
                    let _ = failure.try_set(Some(e));
                }
            }
        });
    };
    load();
    let timer = set_interval_with_handle(load, std::time::Duration::from_millis(EVERY_MS.into()));
    on_cleanup(move || {
        if let Ok(t) = timer {
            t.clear();
        }
    });
    let when = move |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or_else(
            || "—".to_owned(),
            |at| format_time(at, TimeStyle::DateTime, settings.utc.get()),
        )
    };
    let offer_href = move |offer: &str| {
        source()
            .map(|s| {
                routes::href(&routes::offer(
                    s,
                    &publisher.get_untracked(),
                    &OfferId::from(offer),
                ))
            })
            .unwrap_or_default()
    };
    let publisher_href = Signal::derive(move || {
        source()
            .map(|s| routes::href(&routes::publisher(s, &publisher.get())))
            .unwrap_or_default()
    });

    let health = move || {
        seen.with(|s| {
            let w = s.as_ref()?.watching.as_ref()?;
            if !w.on {
                return Some(view! { <p class="empty-state" data-testid="watching-off">{t(key!("watching.off"))}</p> }.into_any());
            }
            let state = match (&w.last_error, w.leader) {
                (_, false) => t(key!("watching.standby")),
                (Some((at, why)), true) => tf(key!("watching.failing"), &[("reason", why), ("time", &when(Some(*at)))]),
                (None, true) => tf(key!("watching.healthy"), &[("time", &when(w.last_ok))]),
            };
            let failing = w.last_error.is_some() || !w.leader;
            Some(view! {
                <p class=if failing { "watching__health watching__health--failing" } else { "watching__health" }
                    role="status" data-testid="watching-health">{state}</p>
            }.into_any())
        })
    };
    let offers = move || {
        seen.with(|s| {
            let w = s.as_ref()?.watching.as_ref().filter(|w| w.on)?;
            let p = publisher.get();
            let rows = w
                .of(p.as_str())
                .map(|o| {
                    let name = o.name.clone().unwrap_or_else(|| o.offer.clone());
                    let status = o
                        .status
                        .as_ref()
                        .map(crate::words::status)
                        .unwrap_or_default();
                    let problem = o.last_error.clone().unwrap_or_default();
                    view! {
                        <tr data-testid="watched-offer">
                            <th scope="row"><a href=offer_href(&o.offer)>{name}</a></th>
                            <td>{status}</td>
                            <td>{when(o.polled_at)}</td>
                            <td>{when(o.next_at)}</td>
                            <td>{problem}</td>
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                <table class="operations" data-testid="watched-offers">
                    <caption class="visually-hidden">{t(key!("watching.offers"))}</caption>
                    <thead><tr>
                        <th scope="col">{t(key!("overview.offer"))}</th>
                        <th scope="col">{t(key!("overview.status"))}</th>
                        <th scope="col">{t(key!("watching.polled"))}</th>
                        <th scope="col">{t(key!("watching.next"))}</th>
                        <th scope="col">{t(key!("watching.problem"))}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            })
        })
    };
    let channels = move || {
        seen.with(|s| {
            let s = s.as_ref()?;
            s.watching.as_ref().filter(|w| w.on)?;
            Some(
                s.channels
                    .iter()
                    .cloned()
                    .map(|c| view! { <ChannelRow channel=c when=when /> })
                    .collect_view(),
            )
        })
    };
    let events = move || {
        seen.with(|s| {
            let s = s.as_ref()?;
            s.watching.as_ref().filter(|w| w.on)?;
            let p = publisher.get();
            let mine: Vec<&ToldEvent> = s
                .events
                .iter()
                .filter(|e| e.publisher == p.as_str())
                .take(50)
                .collect();
            if mine.is_empty() {
                return Some(
                    view! { <p class="empty-state">{t(key!("watching.no-events"))}</p> }.into_any(),
                );
            }
            Some(
                view! {
                    <ul class="watching__events" data-testid="watching-events">
                        {mine.into_iter().map(|e| view! {
                            <li><time>{when(Some(e.at))}</time> " " {event_words(e)}</li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            )
        })
    };
    let name = move || {
        let p = publisher.get();
        source().map_or_else(|| p.to_string(), |s| s.publisher_name(&p))
    };

    view! {
        <Breadcrumbs publisher=Signal::derive(name) publisher_href=publisher_href />
        <h1 class="page__title">{move || tf(key!("watching.title"), &[("publisher", publisher.get().as_str())])}</h1>
        {move || failure.get().map(|why| view! {
            <p class="error-panel" role="alert" data-testid="watching-failed">{tf(key!("watching.unreadable"), &[("reason", &why)])}</p>
        })}
        {move || seen.with(Option::is_none).then(|| view! { <crate::components::Skeleton lines=4 label=t(key!("watching.loading")) /> })}
        {health}
        <section class="panel" aria-labelledby="watching-offers"><h2 id="watching-offers">{t(key!("watching.offers"))}</h2>{offers}</section>
        <section class="panel" aria-labelledby="watching-channels">
            <h2 id="watching-channels">{t(key!("watching.channels"))}</h2>
            <ul class="watching__channels">{channels}</ul>
        </section>
        <section class="panel" aria-labelledby="watching-events"><h2 id="watching-events">{t(key!("changes.title"))}</h2>{events}</section>
    }
}

/// One channel: its last delivery, what was given up, and the test message.
#[component]
fn ChannelRow(
    channel: ChannelState,
    when: impl Fn(Option<chrono::DateTime<chrono::Utc>>) -> String + Copy + Send + 'static,
) -> impl IntoView {
    let sign_in = crate::sign_in::use_sign_in();
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let name = channel.name.clone();
    let test = move |_| {
        let url = format!(
            "/dashboard/v1/channels/{}/test",
            publishing_model::route::encode(&name)
        );
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = gloo_net::http::Request::post(&url)
                .header("X-CSRF", "1")
                .send()
                .await;
            let outcome = match answer {
                Ok(r) => parse_test(r.status(), &r.text().await.unwrap_or_default()),
                Err(e) => TestOutcome::Failed(e.to_string()),
            };
            let words = match outcome {
                TestOutcome::Delivered(status) => {
                    let status = status.map_or_else(|| "—".to_owned(), |s| s.to_string());
                    tf(key!("watching.test-ok"), &[("status", &status)])
                }
                TestOutcome::Failed(why) => tf(key!("watching.test-failed"), &[("reason", &why)]),
            };
            let _ = sent.try_set(Some(words));
            let _ = busy.try_set(false);
        });
    };
    let result = channel.last_result.as_deref().map(|r| match r {
        "delivered" => t(key!("watching.result-delivered")),
        "retrying" => t(key!("watching.result-retrying")),
        "dead" => t(key!("watching.result-dead")),
        "disabled" => t(key!("watching.result-disabled")),
        other => other.to_owned(),
    });
    let last = match (&result, channel.last_status) {
        (Some(result), Some(status)) => format!("{result} ({status}) · {}", when(channel.last_at)),
        (Some(result), None) => format!("{result} · {}", when(channel.last_at)),
        _ => "—".to_owned(),
    };
    let retrying = channel.retrying.clone().filter(|_| channel.pending > 0).map(|why| {
        view! { <p class="watching__problem" data-testid="channel-retrying">{tf(key!("watching.retry"), &[("reason", &why)])}</p> }
    });
    let disabled = channel.disabled.clone().map(|(_, why)| {
        view! { <p class="watching__problem" data-testid="channel-disabled">{tf(key!("watching.disabled"), &[("reason", &why)])}</p> }
    });
    let dead = channel
        .dead
        .iter()
        .map(|d| {
            let offer = d.offer.clone().unwrap_or_default();
            let why = d.reason.clone().unwrap_or_default();
            view! { <li data-testid="channel-dead">{tf(key!("watching.dead"), &[("offer", &offer), ("reason", &why)])}</li> }
        })
        .collect_view();
    let read_only = move || sign_in.with(SignIn::read_only);
    view! {
        <li class="watching__channel" data-testid="channel">
            <h3>{channel.name.clone()} " " <small>{format!("{} · {}", channel.kind, channel.host)}</small></h3>
            <p>{tf(key!("watching.last"), &[("last", &last), ("pending", &number(i64::try_from(channel.pending).unwrap_or(i64::MAX)))])}</p>
            {retrying}
            {disabled}
            <ul class="watching__dead">{dead}</ul>
            <button type="button" class="button button--small" data-testid="channel-test"
                disabled=move || busy.get() || read_only() on:click=test>{t(key!("watching.test"))}</button>
            <OperatorsOnly />
            {move || sent.get().map(|w| view! { <p role="status" data-testid="channel-test-result">{w}</p> })}
        </li>
    }
}
