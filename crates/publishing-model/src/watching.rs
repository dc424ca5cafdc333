//! The watcher's answers as the dashboard reads them (`/dashboard/v1/watch`, `…/channels`,
//! `…/events`): leniently, each text clipped, anything unreadable left out. The proxy's own
//! answers, but read like every other: a proxy of another version may send other fields.

use chrono::{DateTime, Utc};

use crate::alerts::EventKind;
use crate::instant::parse_iso8601;
use crate::json::{self, Json};
use crate::lenient::{self, Fields};
use crate::status::PublishStatus;

const MAX_TEXT: usize = 300;

fn clip(text: String) -> String {
    text.chars().take(MAX_TEXT).collect()
}

fn time(f: Fields<'_>, name: &str) -> Option<DateTime<Utc>> {
    f.text(name).and_then(|t| parse_iso8601(&t))
}

fn flag(f: Fields<'_>, name: &str) -> bool {
    matches!(f.get(name), Some(Json::Bool(true)))
}

/// One watched offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchedOffer {
    /// The publisher.
    pub publisher: String,
    /// The offer.
    pub offer: String,
    /// Its name, once looked at.
    pub name: Option<String>,
    /// Its status, once looked at.
    pub status: Option<PublishStatus>,
    /// The last answer (or failure).
    pub polled_at: Option<DateTime<Utc>>,
    /// When it is asked next.
    pub next_at: Option<DateTime<Utc>>,
    /// Failures in a row.
    pub failures: u64,
    /// The last failure, in words.
    pub last_error: Option<String>,
}

/// What the proxy watches, and its health.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watching {
    /// The proxy watches anything at all.
    pub on: bool,
    /// This replica polls and sends.
    pub leader: bool,
    /// The last answer from the service.
    pub last_ok: Option<DateTime<Utc>>,
    /// The last failure: when, and why.
    pub last_error: Option<(DateTime<Utc>, String)>,
    /// How often offers under way are asked, in seconds.
    pub running_every: u64,
    /// How often idle offers are asked, in seconds.
    pub idle_every: u64,
    /// The watched offers.
    pub offers: Vec<WatchedOffer>,
}

impl Watching {
    /// The offers of `publisher`.
    pub fn of<'a>(&'a self, publisher: &'a str) -> impl Iterator<Item = &'a WatchedOffer> + 'a {
        self.offers.iter().filter(move |o| o.publisher == publisher)
    }

    /// True when `offer` of `publisher` is watched.
    pub fn watches(&self, publisher: &str, offer: &str) -> bool {
        self.of(publisher).any(|o| o.offer == offer)
    }
}

/// `/dashboard/v1/watch`'s answer; `None` when it is not the watcher's (a proxy without it).
pub fn parse_watching(body: &str) -> Option<Watching> {
    let value = json::parse(body).ok()?;
    let f = Fields::of(&value)?;
    match f.get("watching") {
        Some(Json::Bool(true)) => {}
        Some(Json::Bool(false)) => return Some(Watching::default()),
        _ => return None,
    }
    let last_error = f
        .get("lastError")
        .and_then(Fields::of)
        .and_then(|e| Some((time(e, "at")?, clip(e.text("message")?))));
    Some(Watching {
        on: true,
        leader: flag(f, "leader"),
        last_ok: time(f, "lastOk"),
        last_error,
        running_every: f.uint("runningEverySeconds").unwrap_or(0),
        idle_every: f.uint("idleEverySeconds").unwrap_or(0),
        offers: f.list("offers", |o| {
            let o = Fields::of(o)?;
            Some(WatchedOffer {
                publisher: clip(o.text("publisher")?),
                offer: clip(o.text("offer")?),
                name: o.text("name").map(clip),
                status: o.word("status"),
                polled_at: time(o, "polledAt"),
                next_at: time(o, "nextAt"),
                failures: o.uint("failures").unwrap_or(0),
                last_error: o.text("lastError").map(clip),
            })
        }),
    })
}

/// A delivery given up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadDelivery {
    /// The offer, when known.
    pub offer: Option<String>,
    /// What happened.
    pub kind: Option<EventKind>,
    /// When it was given up.
    pub at: Option<DateTime<Utc>>,
    /// The receiver's last status.
    pub status: Option<u64>,
    /// Why, in words.
    pub reason: Option<String>,
}

/// One channel's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelState {
    /// Its name.
    pub name: String,
    /// teams, slack, webhook.
    pub kind: String,
    /// The host it posts to.
    pub host: String,
    /// Disabled: when, and why.
    pub disabled: Option<(Option<DateTime<Utc>>, String)>,
    /// Its last delivery attempt.
    pub last_at: Option<DateTime<Utc>>,
    /// The receiver's status then.
    pub last_status: Option<u64>,
    /// delivered, retrying, dead, disabled.
    pub last_result: Option<String>,
    /// Messages waiting.
    pub pending: u64,
    /// Why the waiting ones are tried again, in words.
    pub retrying: Option<String>,
    /// Deliveries given up.
    pub dead: Vec<DeadDelivery>,
}

/// `/dashboard/v1/channels`' answer.
pub fn parse_channels(body: &str) -> Vec<ChannelState> {
    let Ok(value) = json::parse(body) else {
        return Vec::new();
    };
    lenient::list(Fields::of(&value).and_then(|f| f.get("channels")), |c| {
        let c = Fields::of(c)?;
        Some(ChannelState {
            name: clip(c.text("name")?),
            kind: clip(c.text("kind").unwrap_or_default()),
            host: clip(c.text("host").unwrap_or_default()),
            disabled: c
                .get("disabled")
                .and_then(Fields::of)
                .map(|d| (time(d, "at"), clip(d.text("reason").unwrap_or_default()))),
            last_at: time(c, "lastAt"),
            last_status: c.uint("lastStatus"),
            last_result: c.text("lastResult").map(clip),
            pending: c.uint("pending").unwrap_or(0),
            retrying: c.text("retrying").map(clip),
            dead: c.list("dead", |d| {
                let d = Fields::of(d)?;
                Some(DeadDelivery {
                    offer: d.text("offer").map(clip),
                    kind: d.text("type").and_then(|k| EventKind::from_slug(&k)),
                    at: time(d, "givenUpAt").or_else(|| time(d, "createdAt")),
                    status: d.uint("status"),
                    reason: d.text("reason").map(clip),
                })
            }),
        })
    })
}

/// One event the watcher told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToldEvent {
    /// What happened.
    pub kind: EventKind,
    /// The publisher.
    pub publisher: String,
    /// The offer.
    pub offer: String,
    /// Its name.
    pub offer_name: String,
    /// The step, when one is.
    pub step: Option<String>,
    /// When the watcher saw it.
    pub at: DateTime<Utc>,
    /// Found on the first look.
    pub first_look: bool,
    /// The reminder's number (0: the first notice).
    pub reminder: u64,
}

/// `/dashboard/v1/events`' answer, newest first.
pub fn parse_events(body: &str) -> Vec<ToldEvent> {
    let Ok(value) = json::parse(body) else {
        return Vec::new();
    };
    let mut out = lenient::list(Fields::of(&value).and_then(|f| f.get("events")), |e| {
        let e = Fields::of(e)?;
        let offer = clip(e.text("offer")?);
        Some(ToldEvent {
            kind: EventKind::from_slug(&e.text("kind")?)?,
            publisher: clip(e.text("publisher")?),
            offer_name: e
                .text("offerName")
                .map(clip)
                .unwrap_or_else(|| offer.clone()),
            offer,
            step: e.text("step").map(clip),
            at: time(e, "occurredAt")?,
            first_look: flag(e, "firstLook"),
            reminder: e.uint("reminder").unwrap_or(0),
        })
    });
    out.sort_by_key(|e| std::cmp::Reverse(e.at));
    out
}

/// The watcher's history of an offer's steps (`/dashboard/v1/history/{publisher}/{offer}`):
/// per step key, over the offer's runs and over every offer of the publisher.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerHistory {
    /// Over the offer's runs.
    pub offer: std::collections::BTreeMap<String, crate::history::StepHistory>,
    /// Over the publisher's runs, every offer.
    pub publisher: std::collections::BTreeMap<String, crate::history::StepHistory>,
}

fn step_history(v: Option<&Json<'_>>, across_offers: bool) -> Option<crate::history::StepHistory> {
    let f = Fields::of(v?)?;
    let secs = |name: &str| {
        f.uint(name)
            .and_then(|s| i64::try_from(s).ok())
            .map(chrono::TimeDelta::seconds)
    };
    let samples = usize::try_from(f.uint("count")?).ok().filter(|n| *n > 0)?;
    let (median, min, max) = (
        secs("medianSeconds")?,
        secs("minSeconds")?,
        secs("maxSeconds")?,
    );
    Some(crate::history::StepHistory {
        samples,
        median,
        p80: secs("p80Seconds").unwrap_or(max),
        min,
        max,
        across_offers,
    })
}

/// Reads the watcher's history; empty when it is not the watcher's.
pub fn parse_history(body: &str) -> ServerHistory {
    let Ok(value) = json::parse(body) else {
        return ServerHistory::default();
    };
    let mut out = ServerHistory::default();
    for step in lenient::list(Fields::of(&value).and_then(|f| f.get("steps")), |s| {
        Fields::of(s)
    }) {
        let Some(key) = step.text("key").map(clip) else {
            continue;
        };
        if let Some(h) = step_history(step.get("offer"), false) {
            out.offer.insert(key.clone(), h);
        }
        if let Some(h) = step_history(step.get("publisher"), true) {
            out.publisher.insert(key, h);
        }
    }
    out
}

impl ServerHistory {
    /// `own` (what this browser read of the offer's past) with the watcher's history where
    /// it knows more: the offer's runs when they are as many, else the publisher's across
    /// offers when the offer's own are too few to trust.
    pub fn merge_into(
        &self,
        own: &mut std::collections::BTreeMap<String, crate::history::StepHistory>,
    ) {
        let keys: std::collections::BTreeSet<&String> =
            self.offer.keys().chain(self.publisher.keys()).collect();
        for key in keys {
            let mine = own.get(key).map_or(0, |h| h.samples);
            if let Some(h) = self.offer.get(key).filter(|h| h.samples >= mine.max(1)) {
                own.insert(key.clone(), h.clone());
            } else if let Some(h) = self
                .publisher
                .get(key)
                .filter(|h| mine < crate::history::TRUSTED_SAMPLES && h.samples > mine)
            {
                own.insert(key.clone(), h.clone());
            }
        }
    }
}

/// The test message's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestOutcome {
    /// Delivered, with the receiver's status.
    Delivered(Option<u64>),
    /// Not delivered, and why.
    Failed(String),
}

/// `POST /dashboard/v1/channels/{name}/test`'s answer (`status` is the HTTP status).
pub fn parse_test(status: u16, body: &str) -> TestOutcome {
    let value = json::parse(body).ok();
    let f = value.as_ref().and_then(Fields::of);
    match f {
        Some(f) if flag(f, "delivered") => TestOutcome::Delivered(f.uint("status")),
        Some(f) => TestOutcome::Failed(
            f.text("reason")
                .or_else(|| {
                    f.get("error")
                        .and_then(Fields::of)
                        .and_then(|e| e.text("message"))
                })
                .map(clip)
                .unwrap_or_else(|| format!("HTTP {status}")),
        ),
        None => TestOutcome::Failed(format!("HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watchers_answers_are_read_and_a_proxy_without_it_is_none() {
        let watch = r#"{"watching":true,"leader":true,"lastOk":"2026-12-07T09:00:00Z",
            "lastError":{"at":"2026-12-07T08:59:00Z","message":"the service answered 503"},
            "runningEverySeconds":60,"idleEverySeconds":900,
            "offers":[{"publisher":"contoso","offer":"a","name":"A","status":"running",
              "polledAt":"2026-12-07T09:00:00Z","nextAt":"2026-12-07T09:01:00Z","failures":0,"lastError":null},
              {"publisher":"fabrikam","offer":"b"}, {"offer":"no publisher"}, 7]}"#;
        let w = parse_watching(watch).expect("watching");
        assert!(w.on && w.leader);
        assert_eq!(w.offers.len(), 2);
        assert_eq!(w.offers[0].status, Some(PublishStatus::Running));
        assert!(w.watches("contoso", "a") && !w.watches("contoso", "b"));
        assert_eq!(w.of("fabrikam").count(), 1);
        assert_eq!(
            w.last_error.as_ref().map(|e| e.1.as_str()),
            Some("the service answered 503")
        );
        assert_eq!(
            parse_watching(r#"{"watching":false}"#),
            Some(Watching::default())
        );
        assert_eq!(parse_watching("<html>"), None);
        assert_eq!(parse_watching(r#"{"error":{}}"#), None);

        let channels = parse_channels(
            r#"{"channels":[{"name":"team","kind":"teams","host":"x.example","disabled":{"at":"2026-12-07T09:00:00Z","reason":"410"},
               "lastResult":"disabled","pending":2,"dead":[{"offer":"a","type":"signoff","status":404,"reason":"refused"}]},
               {"kind":"slack"}]}"#,
        );
        assert_eq!(channels.len(), 1);
        assert_eq!(channels[0].dead[0].kind, Some(EventKind::Signoff));
        assert_eq!(
            channels[0].disabled.as_ref().map(|d| d.1.as_str()),
            Some("410")
        );

        let events = parse_events(
            r#"{"events":[{"kind":"signoff","publisher":"p","offer":"o","offerName":"O","occurredAt":"2026-12-07T09:00:00Z","firstLook":true},
               {"kind":"live","publisher":"p","offer":"o","occurredAt":"2026-12-07T10:00:00Z"},
               {"kind":"surprise","publisher":"p","offer":"o","occurredAt":"2026-12-07T10:00:00Z"}]}"#,
        );
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].kind, EventKind::Live, "newest first");
        assert_eq!(events[0].offer_name, "o");
        assert!(events[1].first_look);

        assert_eq!(
            parse_test(200, r#"{"delivered":true,"status":204}"#),
            TestOutcome::Delivered(Some(204))
        );
        assert_eq!(
            parse_test(
                200,
                r#"{"delivered":false,"status":404,"reason":"x.example refused the message (404)"}"#
            ),
            TestOutcome::Failed("x.example refused the message (404)".into())
        );
        assert_eq!(
            parse_test(
                403,
                r#"{"error":{"code":"OperatorRoleRequired","message":"Operators only."}}"#
            ),
            TestOutcome::Failed("Operators only.".into())
        );
        assert_eq!(
            parse_test(502, "<html>"),
            TestOutcome::Failed("HTTP 502".into())
        );
    }

    #[test]
    fn the_watchers_history_fills_in_where_the_browser_knows_less() {
        use crate::history::summarize;
        use chrono::TimeDelta;
        let server = parse_history(
            r#"{"steps":[{"key":"cert","name":"Certification","offer":null,
                "publisher":{"count":9,"medianSeconds":181440,"p80Seconds":230000,"minSeconds":120960,"maxSeconds":259200}},
               {"key":"prov","offer":{"count":4,"medianSeconds":3600,"p80Seconds":4000,"minSeconds":3000,"maxSeconds":5000},"publisher":null},
               {"name":"no key"}]}"#,
        );
        assert_eq!(server.publisher["cert"].samples, 9);
        assert!(server.publisher["cert"].across_offers);
        assert!(!server.offer["prov"].across_offers);
        let mut own = std::collections::BTreeMap::new();
        own.insert(
            "cert".to_owned(),
            summarize(vec![TimeDelta::days(1)]).expect("one"),
        );
        own.insert(
            "prov".to_owned(),
            summarize(vec![TimeDelta::hours(2); 5]).expect("five"),
        );
        server.merge_into(&mut own);
        assert_eq!(
            own["cert"].samples, 9,
            "one sample is too few: the publisher's nine count"
        );
        assert_eq!(
            own["prov"].samples, 5,
            "the browser's five beat the watcher's four"
        );
        assert_eq!(parse_history("<html>"), ServerHistory::default());
    }
}
