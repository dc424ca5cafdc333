//! The CPP API over HTTP (gloo-net), through a proxy. Every request has a timeout (an
//! `AbortController`), and every answer is checked before it is read.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use leptos::prelude::set_timeout_with_handle;
use publishing_model::api::{
    body_text, parse_error_body, parse_offer_status, parse_offers, parse_operation,
    parse_operations, parse_publishers,
};
use publishing_model::retry::parse_retry_after;
use publishing_model::route::CppRoute;
use publishing_model::sign_in;
use publishing_model::{
    OfferId, OfferStatus, OfferSummary, OperationDetail, OperationId, OperationSummary,
    PublishStatus, Publisher, PublisherId,
};

use wasm_bindgen::JsCast;

use super::{prefetch, ApiError, CancelResult, Missing};
use crate::settings::BearerToken;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Connection details; `Debug` shows no token (see [`BearerToken`]).
#[derive(Clone, Debug)]
pub struct HttpClient {
    /// Proxy API root, e.g. `/api`.
    pub base: String,
    /// The version every request names: `api-version` (CPP) or `$version` (Product
    /// Ingestion), and its value.
    pub version: (&'static str, String),
    /// Bearer token; absent when the proxy injects one.
    pub token: Option<BearerToken>,
    /// The resource the token is for, for the advice after a 401.
    pub resource: &'static str,
}

impl HttpClient {
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.trim_end_matches('/'), path)
    }

    pub(super) fn prepare(
        &self,
        builder: RequestBuilder,
        query: &[(&str, &str)],
    ) -> RequestBuilder {
        let mut builder = builder
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .query([(self.version.0, self.version.1.as_str())])
            .query(query.iter().copied());
        if let Some(token) = &self.token {
            builder = builder.header("Authorization", &token.header_value());
        }
        builder
    }

    /// Sends with a timeout; returns the response and its body text.
    pub(super) async fn send(
        &self,
        build: impl FnOnce(Option<&web_sys::AbortSignal>) -> Result<Request, gloo_net::Error>,
        what: Missing,
    ) -> Result<(Response, String), ApiError> {
        let controller = web_sys::AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let signal = controller.as_ref().map(|c| c.signal());
        let unreachable = || {
            if timed_out.get() {
                ApiError::Timeout {
                    seconds: TIMEOUT.as_secs(),
                }
            } else {
                ApiError::Unreachable {
                    url: self.base.clone(),
                }
            }
        };
        let request = build(signal.as_ref()).map_err(|_| unreachable())?;
        // Sent already by the loader (the same URL, headers and no token), or sent now.
        let started = (self.token.is_none() && request.method() == Method::GET)
            .then(|| prefetch::take(&request.url()))
            .flatten();
        let timer = {
            let controllers = [
                controller.clone(),
                started.as_ref().and_then(|s| s.controller.clone()),
            ];
            let timed_out = timed_out.clone();
            set_timeout_with_handle(
                move || {
                    timed_out.set(true);
                    controllers.iter().flatten().for_each(|c| c.abort());
                },
                TIMEOUT,
            )
            .ok()
        };
        let taken = match started {
            Some(started) => wasm_bindgen_futures::JsFuture::from(started.response)
                .await
                .ok()
                .and_then(|r| r.dyn_into::<web_sys::Response>().ok()),
            None => None,
        };
        let response = match taken {
            Some(response) => Ok(Response::from(response)),
            // The loader's request failed (or there was none): this one tries afresh.
            None => request.send().await.map_err(|_| unreachable()),
        };
        let result = match response {
            Ok(response) => match response.binary().await {
                // As bytes: a JS string handed to Rust is re-encoded a character at a time.
                Ok(bytes) => Ok((response, body_text(bytes))),
                Err(_) => Err(unreachable()),
            },
            Err(e) => Err(e),
        };
        if let Some(timer) = timer {
            timer.clear();
        }
        let (response, text) = result?;
        remember_request_ids(&response);
        if response.ok() {
            return Ok((response, text));
        }
        Err(status_error(&response, &text, what, self.resource))
    }

    /// GETs a route's path with its query (the version is added by [`Self::prepare`]).
    pub(super) async fn get(
        &self,
        path: &str,
        query: &[(&'static str, String)],
        what: Missing,
    ) -> Result<String, ApiError> {
        let url = self.url(path);
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let query = query.as_slice();
        let (_, text) = self
            .send(
                |signal| {
                    self.prepare(Request::get(&url), query)
                        .abort_signal(signal)
                        .build()
                },
                what,
            )
            .await?;
        Ok(text)
    }

    /// GETs a CPP route.
    async fn get_route(&self, route: &CppRoute, what: Missing) -> Result<String, ApiError> {
        self.get(&route.path(), &route.query(), what).await
    }

    pub(super) async fn publishers(&self) -> Result<Vec<Publisher>, ApiError> {
        let text = self
            .get_route(&CppRoute::Publishers, Missing::Publishers)
            .await?;
        parse_publishers(&text).map_err(ApiError::Unreadable)
    }

    pub(super) async fn offers(
        &self,
        publisher: &PublisherId,
    ) -> Result<Vec<OfferSummary>, ApiError> {
        let route = CppRoute::Offers {
            publisher: publisher.clone(),
        };
        let text = self.get_route(&route, Missing::Publisher).await?;
        parse_offers(&text).map_err(ApiError::Unreadable)
    }

    pub(super) async fn operations(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        status: Option<PublishStatus>,
    ) -> Result<Vec<OperationSummary>, ApiError> {
        let route = CppRoute::Submissions {
            publisher: publisher.clone(),
            offer: offer.clone(),
            status,
        };
        let text = self.get_route(&route, Missing::Offer).await?;
        parse_operations(&text).map_err(ApiError::Unreadable)
    }

    pub(super) async fn operation(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        operation: &OperationId,
    ) -> Result<OperationDetail, ApiError> {
        let route = CppRoute::Operation {
            publisher: publisher.clone(),
            offer: offer.clone(),
            operation: operation.clone(),
        };
        let text = self.get_route(&route, Missing::Operation).await?;
        parse_operation(&text).map_err(ApiError::Unreadable)
    }

    pub(super) async fn offer_status(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
    ) -> Result<OfferStatus, ApiError> {
        let route = CppRoute::Status {
            publisher: publisher.clone(),
            offer: offer.clone(),
        };
        let text = self.get_route(&route, Missing::Offer).await?;
        parse_offer_status(&text).map_err(ApiError::Unreadable)
    }

    /// POSTs one of the offer's actions ([`CppRoute::Cancel`], [`CppRoute::GoLive`]) with the
    /// notification e-mails; the status and the follow-up operation's address, when the
    /// service gave one.
    async fn offer_action(
        &self,
        action: CppRoute,
        emails: &str,
    ) -> Result<(u16, Option<String>), ApiError> {
        let url = self.url(&action.path());
        let body = serde_json::json!({ "metadata": { "notification-emails": emails.trim() } });
        let (response, _) = self
            .send(
                |signal| {
                    self.prepare(Request::post(&url), &[])
                        // Sign-in's proof that the dashboard's own page sends it.
                        .header("X-CSRF", "1")
                        .abort_signal(signal)
                        .json(&body)
                },
                Missing::Offer,
            )
            .await?;
        let headers = response.headers();
        let follow_up = headers
            .get("Operation-Location")
            .or_else(|| headers.get("Location"));
        Ok((response.status(), follow_up))
    }

    pub(super) async fn cancel(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        emails: &str,
    ) -> Result<CancelResult, ApiError> {
        Ok(
            match self
                .offer_action(
                    CppRoute::Cancel {
                        publisher: publisher.clone(),
                        offer: offer.clone(),
                    },
                    emails,
                )
                .await?
            {
                (202, follow_up) => CancelResult::Accepted(follow_up),
                _ => CancelResult::Canceled,
            },
        )
    }

    pub(super) async fn go_live(
        &self,
        publisher: &PublisherId,
        offer: &OfferId,
        emails: &str,
    ) -> Result<Option<OperationId>, ApiError> {
        let (_, follow_up) = self
            .offer_action(
                CppRoute::GoLive {
                    publisher: publisher.clone(),
                    offer: offer.clone(),
                },
                emails,
            )
            .await?;
        Ok(follow_up.and_then(|l| OperationId::from_location(&l)))
    }
}

fn status_error(
    response: &Response,
    text: &str,
    what: Missing,
    resource: &'static str,
) -> ApiError {
    let status = response.status();
    let body = parse_error_body(text);
    if status == 401
        && body.as_ref().and_then(|b| b.code.as_deref()) == Some(sign_in::SIGN_IN_REQUIRED)
    {
        crate::sign_in::ended();
        return ApiError::SignInRequired;
    }
    let detail = body.and_then(|b| match (b.code, b.message) {
        (Some(code), Some(message)) => Some(format!("{message} ({code})")),
        (code, message) => message.or(code),
    });
    match status {
        400 => ApiError::BadRequest { detail },
        401 => ApiError::Unauthorized { detail, resource },
        403 => ApiError::Forbidden { detail },
        404 => ApiError::NotFound { what, detail },
        s if publishing_model::retry::is_retryable(s) => ApiError::Busy {
            status: s,
            retry_after: response
                .headers()
                .get("Retry-After")
                .and_then(|v| parse_retry_after(&v, chrono::Utc::now())),
            detail,
        },
        s => ApiError::Unexpected { status: s, detail },
    }
}

thread_local! {
    /// The request ids of the latest answers, newest last, for support details.
    static REQUEST_IDS: std::cell::RefCell<std::collections::VecDeque<String>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// Request ids kept for support details.
const KEPT_REQUEST_IDS: usize = 6;

/// Keeps the proxy's `x-request-id` and the service's correlation id of an answer.
fn remember_request_ids(response: &Response) {
    let headers = response.headers();
    let ids: Vec<String> = ["x-ms-correlation-request-id", "x-request-id"]
        .iter()
        .filter_map(|name| headers.get(name))
        .map(|id| id.chars().take(100).collect())
        .collect();
    if ids.is_empty() {
        return;
    }
    REQUEST_IDS.with(|kept| {
        let mut kept = kept.borrow_mut();
        kept.push_back(ids.join(" / "));
        while kept.len() > KEPT_REQUEST_IDS {
            kept.pop_front();
        }
    });
}

/// The request ids of the latest answers from the service, newest last.
pub fn recent_request_ids() -> Vec<String> {
    REQUEST_IDS.with(|kept| kept.borrow().iter().cloned().collect())
}
