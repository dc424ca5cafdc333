//! Data that is fetched, polled and kept: the last good answer stays on screen (marked stale)
//! when a later request fails; polling runs while something is active, pauses while the tab is
//! hidden, and failed requests are retried with capped exponential backoff and full jitter,
//! honouring `Retry-After`.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use publishing_model::retry::RetryPolicy;

use crate::api::ApiError;
use crate::clock::use_clock;

/// A successful answer, possibly older than the last attempt.
#[derive(Debug)]
pub struct Loaded<T: ?Sized> {
    /// The data.
    pub data: Arc<T>,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Set when the latest attempt failed and `data` is from an earlier one.
    pub stale: Option<ApiError>,
}

impl<T: ?Sized> PartialEq for Loaded<T> {
    /// Same answer: the same fetch (pointer), time and staleness. Cheap, for memos.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.data, &other.data)
            && self.fetched_at == other.fetched_at
            && self.stale == other.stale
    }
}

impl<T: ?Sized> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        Self {
            data: self.data.clone(),
            fetched_at: self.fetched_at,
            stale: self.stale.clone(),
        }
    }
}

/// What a polled resource yields: data (maybe stale), or an error when there is none yet.
pub type Fetched<T> = Result<Loaded<T>, ApiError>;

/// The data of an answer, whatever its type. The polling machinery (a resource, its async
/// state machine, memos) is compiled once for this instead of once per data type: Leptos'
/// generics made that 45 KB of wasm for three types.
type AnyData = Arc<dyn Any + Send + Sync>;
type AnyAnswer = Result<Loaded<dyn Any + Send + Sync>, ApiError>;

fn typed<T: Send + Sync + 'static>(answer: Loaded<dyn Any + Send + Sync>) -> Option<Loaded<T>> {
    Some(Loaded {
        data: answer.data.downcast::<T>().ok()?,
        fetched_at: answer.fetched_at,
        stale: answer.stale,
    })
}

/// A polled resource and its schedule.
pub struct Polled<T: 'static> {
    resource: LocalResource<AnyAnswer>,
    /// When the next automatic fetch is due (none: not polling).
    pub next_at: RwSignal<Option<DateTime<Utc>>>,
    /// A request is in flight.
    pub busy: RwSignal<bool>,
    attempt: RwSignal<u32>,
    data: PhantomData<fn() -> T>,
}

impl<T> Clone for Polled<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Polled<T> {}

impl<T: Send + Sync + 'static> Polled<T> {
    /// Fetches now (the refresh button).
    pub fn refresh(&self) {
        self.attempt.set(0);
        self.next_at.set(None);
        self.resource.refetch();
    }

    /// The current answer, if any.
    pub fn current(&self) -> Option<Fetched<T>> {
        match self.resource.get()? {
            Ok(answer) => typed(answer).map(Ok),
            Err(error) => Some(Err(error)),
        }
    }

    /// The latest data (possibly stale), for views that update in place.
    pub fn loaded(&self) -> Memo<Option<Loaded<T>>> {
        let resource = self.resource;
        Memo::new(move |_| resource.get().and_then(Result::ok).and_then(typed))
    }

    /// The error to show instead of data: only when there is no data at all.
    pub fn error(&self) -> Memo<Option<ApiError>> {
        let resource = self.resource;
        Memo::new(move |_| resource.get().and_then(Result::err))
    }
}

type AnyFetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<AnyData, ApiError>>>>>;

/// Builds a polled resource. `fetch` is called in a tracking context: signals it reads
/// (route params, settings) refetch it when they change. `keep_polling` says from the data
/// whether anything is still running; `interval` is the poll period then.
pub fn use_polled<T, Fut>(
    fetch: impl Fn() -> Fut + 'static,
    keep_polling: impl Fn(&T) -> bool + 'static,
    interval: impl Fn() -> Duration + 'static,
) -> Polled<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let fetch: AnyFetch = Box::new(move || {
        let request = fetch();
        Box::pin(async move { request.await.map(|data| Arc::new(data) as AnyData) })
    });
    let keep_polling =
        Rc::new(move |data: &AnyData| data.downcast_ref::<T>().is_some_and(&keep_polling));
    let (resource, next_at, busy, attempt) = polled(fetch, keep_polling, Rc::new(interval));
    Polled {
        resource,
        next_at,
        busy,
        attempt,
        data: PhantomData,
    }
}

type Schedule = (
    LocalResource<AnyAnswer>,
    RwSignal<Option<DateTime<Utc>>>,
    RwSignal<bool>,
    RwSignal<u32>,
);

fn polled(
    fetch: AnyFetch,
    keep_polling: Rc<dyn Fn(&AnyData) -> bool>,
    interval: Rc<dyn Fn() -> Duration>,
) -> Schedule {
    let clock = use_clock();
    let next_at = RwSignal::new(None::<DateTime<Utc>>);
    let busy = RwSignal::new(false);
    let attempt = RwSignal::new(0u32);
    let last_good = StoredValue::new_local(None::<Loaded<dyn Any + Send + Sync>>);
    let first = std::cell::Cell::new(true);
    let resource = LocalResource::new(move || {
        // `fetch` is called here, where it tracks what it reads; the request is sent at once
        // for the first answer, and after the next frame for every later one (a filter, a
        // poll, a refresh), so that the frame which shows the change does not also carry
        // the browser's work of starting a request (1-2 ms of a filter's frame, measured).
        let request: Pin<Box<dyn Future<Output = _>>> = if first.replace(false) {
            Box::pin(started(fetch()))
        } else {
            let request = fetch();
            Box::pin(async move {
                crate::clock::after_next_frame().await;
                request.await
            })
        };
        let interval = interval();
        let keep_polling = keep_polling.clone();
        async move {
            busy.set(true);
            let result = request.await;
            busy.set(false);
            let now = Utc::now();
            let (next, fetched) = match result {
                Ok(data) => {
                    attempt.set(0);
                    let next = keep_polling(&data).then(|| now + to_delta(interval));
                    let loaded = Loaded {
                        data,
                        fetched_at: now,
                        stale: None,
                    };
                    last_good.set_value(Some(loaded.clone()));
                    (next, Ok(loaded))
                }
                Err(error) => {
                    let next = error.is_retryable().then(|| {
                        let n = attempt.get_untracked();
                        attempt.set(n.saturating_add(1));
                        let delay = RetryPolicy::default().delay(
                            n,
                            js_sys::Math::random(),
                            error.retry_after(),
                        );
                        now + to_delta(delay.max(Duration::from_secs(1)))
                    });
                    let fetched = match last_good.get_value() {
                        Some(good) => Ok(Loaded {
                            stale: Some(error),
                            ..good
                        }),
                        None => Err(error),
                    };
                    (next, fetched)
                }
            };
            next_at.set(next);
            fetched
        }
    });
    // One clock drives every schedule: when a fetch is due and the tab is visible, refetch.
    Effect::new(move |_| {
        let now = clock.now.get();
        if clock.visible.get()
            && next_at.get().is_some_and(|due| now >= due)
            && !busy.get_untracked()
        {
            next_at.set(None);
            resource.refetch();
        }
    });
    (resource, next_at, busy, attempt)
}

/// The request, already sent. `LocalResource` polls its future a tick after creating it,
/// which on a page's first load is after the whole page has been built (200 ms at a quarter
/// of the CPU, measured on the slow link); polling the request once here sends it while the
/// page is still being built. An answer that is ready at once (a refused client) is kept.
fn started(
    mut request: Pin<Box<dyn Future<Output = Result<AnyData, ApiError>>>>,
) -> impl Future<Output = Result<AnyData, ApiError>> {
    let first = request
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()));
    async move {
        match first {
            Poll::Ready(result) => result,
            Poll::Pending => request.await,
        }
    }
}

fn to_delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}
