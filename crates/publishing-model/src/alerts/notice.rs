//! A message's words and each channel's payload. Every message names the offer, what
//! happened, the step, what to do, and the link. Offer names and messages are the service's
//! (untrusted): each payload carries them as plain text of its own format — Adaptive Cards'
//! `TextRun`s and Slack's `plain_text` are never read as markup, Slack's fallback `text`
//! and the e-mail's HTML are escaped, and the subject loses its line breaks.

use chrono::TimeDelta;
use serde_json::{json, Value};

use super::event::{Event, EventKind};
use crate::markup::escaped;
use crate::route::encode;

/// One message: the events of one operation, most pressing first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The events.
    pub events: Vec<Event>,
    /// The deep link into the dashboard, when the proxy knows its public address.
    pub url: Option<String>,
}

/// One event's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// What happened.
    pub what: String,
    /// What to do about it.
    pub todo: &'static str,
}

/// "2 days", "5 hours", "12 minutes".
fn duration_words(d: TimeDelta) -> String {
    let (n, unit) = if d >= TimeDelta::days(2) {
        (d.num_days(), "day")
    } else if d >= TimeDelta::hours(2) {
        (d.num_hours(), "hour")
    } else {
        (d.num_minutes().max(1), "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The offer page's address under `public_url` (the dashboard's root), in the event's
/// service's source.
pub fn offer_link(public_url: &str, event: &Event) -> String {
    let source = match event.service {
        super::event::Service::Cpp => "live",
        super::event::Service::Ingestion => "ingestion",
    };
    format!(
        "{}/{source}/publishers/{}/offers/{}",
        public_url.trim_end_matches('/'),
        encode(event.publisher.as_str()),
        encode(event.offer.as_str())
    )
}

impl Line {
    /// The words of `e`.
    pub fn of(e: &Event) -> Self {
        let step = e.step.as_deref().filter(|s| !s.trim().is_empty());
        let at_step = step.map(|s| format!(" at {s}")).unwrap_or_default();
        let (what, todo) = match e.kind {
            EventKind::Signoff => {
                let waited = e
                    .since
                    .map(|s| e.occurred_at - s)
                    .filter(|d| *d >= TimeDelta::minutes(1));
                let what = match (e.reminder, waited) {
                    (0, Some(d)) if e.first_look => {
                        format!("Waiting for your sign-off for {}", duration_words(d))
                    }
                    (0, _) => "Waiting for your sign-off".to_owned(),
                    (_, Some(d)) => {
                        format!("Still waiting for your sign-off, for {}", duration_words(d))
                    }
                    (_, None) => "Still waiting for your sign-off".to_owned(),
                };
                (
                    what,
                    "Check the preview, then Go live (or cancel the publish).",
                )
            }
            EventKind::Blocked => (
                format!("Blocked{at_step}"),
                "Fix what the step's messages name, then publish again.",
            ),
            EventKind::Failed => (
                format!("The publish failed{at_step}"),
                "Read the step's messages, fix what they name and publish again.",
            ),
            EventKind::Canceled => (
                "The publish was canceled".to_owned(),
                "Nothing, unless it should go on: then publish again.",
            ),
            EventKind::Live => (
                "Live: the go-live completed".to_owned(),
                "Nothing: check the offer in the marketplace.",
            ),
            EventKind::Error => (
                format!(
                    "New error{at_step}: {}",
                    e.message.as_deref().unwrap_or_default()
                ),
                "Read the message and fix what it names.",
            ),
            EventKind::Overdue => (
                format!("{} is past Microsoft's estimate", step.unwrap_or("A step")),
                "Nothing yet: it is Microsoft's to move. You are told if it goes quiet.",
            ),
            EventKind::Stuck => (
                format!(
                    "{} is probably stuck: past its estimate and silent",
                    step.unwrap_or("A step")
                ),
                "Open a support case with Microsoft; the operation page has its details.",
            ),
        };
        let what = if e.first_look && e.kind != EventKind::Signoff {
            format!("{what} (found when the watcher first looked)")
        } else {
            what
        };
        Self { what, todo }
    }
}

/// A subject or header: one line, at most `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// An e-mail's subject for `notice`.
pub fn email_subject(notice: &Notice) -> String {
    one_line(&notice.title(), 200)
}

/// Slack's mrkdwn: `&`, `<` and `>` escaped, as Slack asks.
fn slack_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Notice {
    /// A notice of `events` (at least one), most pressing first; `public_url` is the
    /// dashboard's root, when known.
    pub fn new(mut events: Vec<Event>, public_url: Option<&str>) -> Self {
        events.sort_by_key(|e| {
            (
                EventKind::ALL.iter().position(|k| *k == e.kind),
                e.occurred_at,
            )
        });
        let url = public_url
            .zip(events.first())
            .map(|(u, e)| offer_link(u, e));
        Self { events, url }
    }

    /// The offer's name (the first event's).
    pub fn offer_name(&self) -> &str {
        self.events.first().map_or("", |e| e.offer_name.as_str())
    }

    /// "Contoso SaaS: Waiting for your sign-off".
    pub fn title(&self) -> String {
        let first = self.events.first().map(Line::of);
        let what = first.map(|l| l.what).unwrap_or_default();
        let more = match self.events.len() {
            0 | 1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        format!("{}: {what}{more}", self.offer_name())
    }

    /// The lines, one per event.
    pub fn lines(&self) -> Vec<Line> {
        self.events.iter().map(Line::of).collect()
    }

    /// The plain text: for the e-mail's text part and Slack's fallback.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.title());
        if let Some(e) = self.events.first() {
            out.push_str(&format!(
                "Offer: {} ({}), publisher {}\n",
                e.offer_name,
                e.offer.as_str(),
                e.publisher.as_str()
            ));
        }
        for (e, line) in self.events.iter().zip(self.lines()) {
            out.push_str(&format!(
                "\n- {}\n  Status: {}\n  What to do: {}\n",
                line.what,
                e.status.label(),
                line.todo
            ));
        }
        if let Some(url) = &self.url {
            out.push_str(&format!("\nOpen in the dashboard: {url}\n"));
        }
        out
    }

    /// The e-mail's HTML part: every text escaped.
    pub fn html(&self) -> String {
        let mut out = format!(
            "<!doctype html><html><body><h1 style=\"font-size:18px\">{}</h1>",
            escaped(&self.title())
        );
        if let Some(e) = self.events.first() {
            out.push_str(&format!(
                "<p>Offer: <b>{}</b> ({}), publisher {}</p>",
                escaped(&e.offer_name),
                escaped(e.offer.as_str()),
                escaped(e.publisher.as_str())
            ));
        }
        out.push_str("<ul>");
        for (e, line) in self.events.iter().zip(self.lines()) {
            out.push_str(&format!(
                "<li><p><b>{}</b><br>Status: {}<br>What to do: {}</p></li>",
                escaped(&line.what),
                escaped(&e.status.label()),
                escaped(line.todo)
            ));
        }
        out.push_str("</ul>");
        if let Some(url) = &self.url {
            out.push_str(&format!(
                "<p><a href=\"{}\">Open in the dashboard</a></p>",
                escaped(url)
            ));
        }
        out.push_str("</body></html>");
        out
    }

    /// The Teams Workflows webhook's body: a message with one Adaptive Card 1.4. Every text
    /// from the service is a `TextRun`, which the card never reads as Markdown.
    pub fn teams(&self) -> Value {
        let run = |text: &str, bold: bool| {
            let mut r = json!({ "type": "TextRun", "text": text });
            if bold {
                r["weight"] = json!("bolder");
            }
            r
        };
        let mut body = vec![json!({
            "type": "RichTextBlock",
            "inlines": [ { "type": "TextRun", "text": self.title(), "weight": "bolder", "size": "medium" } ]
        })];
        if let Some(e) = self.events.first() {
            body.push(json!({
                "type": "RichTextBlock",
                "inlines": [ run("Offer: ", true), run(&format!("{} ({})", e.offer_name, e.offer.as_str()), false),
                             run(" · publisher ", false), run(e.publisher.as_str(), false) ]
            }));
        }
        for (e, line) in self.events.iter().zip(self.lines()) {
            body.push(json!({
                "type": "RichTextBlock",
                "separator": true,
                "inlines": [ run(&line.what, true), run(&format!("\nStatus: {}", e.status.label()), false),
                             run(&format!("\nWhat to do: {}", line.todo), false) ]
            }));
        }
        let mut card = json!({
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
        });
        if let Some(url) = &self.url {
            card["actions"] =
                json!([{ "type": "Action.OpenUrl", "title": "Open in the dashboard", "url": url }]);
        }
        json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": card,
            }]
        })
    }

    /// Slack's incoming webhook body: the escaped `text` fallback and `blocks` of plain text.
    pub fn slack(&self) -> Value {
        let plain = |text: &str| json!({ "type": "plain_text", "text": one_line(text, 3000), "emoji": false });
        let mut blocks =
            vec![json!({ "type": "header", "text": plain(&one_line(&self.title(), 150)) })];
        for (e, line) in self.events.iter().zip(self.lines()) {
            blocks.push(json!({
                "type": "section",
                "text": { "type": "plain_text", "emoji": false,
                          "text": format!("{}\nStatus: {}\nWhat to do: {}", line.what, e.status.label(), line.todo) }
            }));
        }
        if let Some(url) = &self.url {
            blocks.push(json!({
                "type": "actions",
                "elements": [{ "type": "button", "text": plain("Open in the dashboard"), "url": url }]
            }));
        }
        json!({ "text": slack_escaped(&self.title()), "blocks": blocks })
    }

    /// The signed webhook's body: the most pressing event's fields, and every event.
    pub fn webhook(&self) -> Value {
        let one = |e: &Event| {
            json!({
                "type": e.kind.slug(),
                "publisher": e.publisher.as_str(),
                "offer": e.offer.as_str(),
                "offerName": e.offer_name,
                "operation": e.publish,
                "step": e.step,
                "status": e.status.as_str(),
                "message": e.message,
                "firstLook": e.first_look,
                "since": e.since,
                "reminder": e.reminder,
                "occurredAt": e.occurred_at,
                "key": e.key(),
                "url": self.url,
            })
        };
        let mut body = self.events.first().map(one).unwrap_or_else(|| json!({}));
        body["events"] = Value::Array(self.events.iter().map(one).collect());
        body
    }
}
