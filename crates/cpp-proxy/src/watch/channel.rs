//! Sending one message to one channel, and what its answer means for the outbox. The
//! channel's URL is a secret: no error text names it (only its host), and nothing here logs.

use std::time::Duration;

use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use publishing_model::alerts::Notice;

use super::config::{Channel, ChannelKind};
pub use super::outcome::Outcome;
use crate::connector::Outbound;

/// The Standard Webhooks signature of `body` sent as `id` at `timestamp` (Unix seconds),
/// under `key` (the secret after `whsec_`, base64): `v1,<base64 HMAC-SHA256>`.
pub fn sign(key_base64: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key_bytes = publishing_model::base64::decode(key_base64).unwrap_or_default();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key_bytes);
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(id.as_bytes());
    ctx.update(b".");
    ctx.update(timestamp.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    format!("v1,{}", STANDARD.encode(ctx.sign().as_ref()))
}

/// The `webhook-id` of a message made of the outbox rows `ids`: the same on every retry.
pub fn message_id(ids: &[String]) -> String {
    let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let digest = crate::secret::hash(&sorted.join("\n"));
    format!("msg_{}", &digest[..32])
}

/// The body an HTTP channel gets for `notice`.
pub fn body(kind: ChannelKind, notice: &Notice) -> String {
    match kind {
        ChannelKind::Teams => notice.teams(),
        ChannelKind::Slack => notice.slack(),
        ChannelKind::Webhook | ChannelKind::Email => notice.webhook(),
    }
    .to_string()
}

/// The receiver's `Retry-After`, read as the service's is (seconds or a date, at most an hour).
fn retry_after(value: Option<&HeaderValue>) -> Option<Duration> {
    publishing_model::retry::parse_retry_after(value?.to_str().ok()?, chrono::Utc::now())
}

/// Posts `notice` to `channel` as message `id`, at `now` (Unix seconds, for the signature).
pub async fn send(
    out: &Outbound,
    channel: &Channel,
    notice: &Notice,
    id: &str,
    now: i64,
) -> Outcome {
    if let Some(email) = &channel.email {
        return super::email::send(email, notice, id, out.timeout.min(Duration::from_secs(30)))
            .await;
    }
    let body = body(channel.kind, notice);
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(channel.url.expose())
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::USER_AGENT,
            concat!("cpp-proxy/", env!("CARGO_PKG_VERSION")),
        );
    if let (ChannelKind::Webhook, Some(key)) = (channel.kind, &channel.signing_key) {
        request = request
            .header("webhook-id", id)
            .header("webhook-timestamp", now.to_string())
            .header(
                "webhook-signature",
                sign(key.expose(), id, now, body.as_bytes()),
            );
    }
    let host = &channel.host;
    let Ok(request) = request.body(Full::new(Bytes::from(body))) else {
        return Outcome::Refused(0);
    };
    let timeout = out.timeout.min(Duration::from_secs(30));
    let answer = match tokio::time::timeout(timeout, out.client().request(request)).await {
        Err(_) => {
            return Outcome::Retry {
                status: None,
                why: format!("{host} did not answer in {} s", timeout.as_secs()),
                retry_after: None,
            }
        }
        // The error's words hold no URL (hyper names the kind of failure).
        Ok(Err(e)) => {
            let why =
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string);
            return Outcome::Retry {
                status: None,
                why: format!("{host} could not be reached ({why})"),
                retry_after: None,
            };
        }
        Ok(Ok(answer)) => answer,
    };
    let status = answer.status();
    let wait = retry_after(answer.headers().get(header::RETRY_AFTER));
    // Read (and drop) a little of the answer, so the connection can be kept.
    let _ = tokio::time::timeout(
        Duration::from_secs(5),
        Limited::new(answer.into_body(), 64 * 1024).collect(),
    )
    .await;
    classify(status, wait, host)
}

/// What a receiver's status means.
pub fn classify(status: StatusCode, retry_after: Option<Duration>, host: &str) -> Outcome {
    let code = status.as_u16();
    match code {
        200..=299 => Outcome::Delivered(code),
        410 => Outcome::Gone,
        429 | 500..=599 | 408 => Outcome::Retry {
            status: Some(code),
            why: format!("{host} answered {code}"),
            retry_after,
        },
        _ => Outcome::Refused(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_example_vector_signs_alike() {
        // The specification's own example: secret, id, timestamp, body and signature.
        assert_eq!(
            sign(
                "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_message_keeps_its_id_whatever_the_order_of_its_rows() {
        let a = message_id(&["x".into(), "y".into()]);
        assert_eq!(a, message_id(&["y".into(), "x".into()]));
        assert_ne!(a, message_id(&["x".into()]));
        assert!(a.starts_with("msg_") && a.len() == 36);
    }

    #[test]
    fn statuses_mean_done_again_gone_or_dead() {
        let c = |s: u16| classify(StatusCode::from_u16(s).expect("status"), None, "h");
        assert_eq!(c(200), Outcome::Delivered(200));
        assert_eq!(c(204), Outcome::Delivered(204));
        assert!(matches!(
            c(429),
            Outcome::Retry {
                status: Some(429),
                ..
            }
        ));
        assert!(matches!(c(503), Outcome::Retry { .. }));
        assert_eq!(c(410), Outcome::Gone);
        assert_eq!(c(404), Outcome::Refused(404));
        assert_eq!(c(400), Outcome::Refused(400));
        assert_eq!(
            retry_after(Some(&HeaderValue::from_static("7"))),
            Some(Duration::from_secs(7))
        );
    }
}
