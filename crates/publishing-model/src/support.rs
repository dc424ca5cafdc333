//! "Copy support details": everything a Microsoft support engineer asks for about a publish,
//! as plain text. Message HTML becomes text here (this goes to the clipboard, never into a
//! page), control characters go, and every service-sent value is cut to a sane length.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::api::OperationDetail;
use crate::feed::FeedEntry;
use crate::timeline::{KnownTime, StepHealth, StepTimes};

/// Longest service-sent value copied.
const MAX_VALUE: usize = 500;
/// Messages copied, newest last.
const LAST_MESSAGES: usize = 10;

/// What the support text is about.
pub struct SupportFacts<'a> {
    /// The publisher id.
    pub publisher: &'a str,
    /// The offer id.
    pub offer: &'a str,
    /// The operation id.
    pub operation: &'a str,
    /// The operation.
    pub detail: &'a OperationDetail,
    /// What is known of each step's run.
    pub times: &'a [StepTimes],
    /// Each step's health.
    pub health: &'a [StepHealth],
    /// The merged message feed.
    pub feed: &'a [FeedEntry],
    /// Request ids the proxy or the service returned, newest last.
    pub request_ids: &'a [String],
    /// When the text is made.
    pub now: DateTime<Utc>,
}

/// Text from an HTML fragment: tags dropped, the common entities read, whitespace folded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(MAX_VALUE * 4));
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            c => out.push(c),
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    clean(&decoded)
}

/// One line: control characters become spaces, runs of space fold, cut to length.
fn clean(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut line = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > MAX_VALUE {
        line = line.chars().take(MAX_VALUE).collect::<String>() + "…";
    }
    line
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn known(t: Option<KnownTime>) -> String {
    match t {
        Some(KnownTime { at, about: false }) => instant(at),
        Some(KnownTime { at, about: true }) => format!("about {}", instant(at)),
        None => "unknown".to_owned(),
    }
}

fn hours(d: chrono::TimeDelta) -> String {
    format!("{} h", d.num_hours())
}

/// The support details as plain text.
pub fn support_details(f: &SupportFacts) -> String {
    let mut out = String::new();
    let d = f.detail;
    let status = d.status.as_ref().map_or("unknown", |s| s.as_str());
    // Writing to a String cannot fail.
    let _ = writeln!(out, "Azure Marketplace publish: support details");
    let _ = writeln!(out, "Collected: {}", instant(f.now));
    let _ = writeln!(out, "Publisher: {}", clean(f.publisher));
    let _ = writeln!(out, "Offer: {}", clean(f.offer));
    let _ = writeln!(out, "Operation: {}", clean(f.operation));
    let _ = writeln!(out, "Operation status: {}", clean(status));
    if let Some(changed) = d.changed_time.as_ref() {
        let _ = writeln!(out, "Changed: {}", clean(&changed.raw));
    }
    let _ = writeln!(out, "\nSteps:");
    for (i, step) in d.steps.iter().enumerate() {
        let t = f.times.get(i).copied().unwrap_or_default();
        let _ = write!(
            out,
            "{}. {} [{}]: {}; started {}; ended {}",
            i + 1,
            clean(step.display_name()),
            clean(step.id.as_ref().map_or("no id", |id| id.as_str())),
            clean(step.status_or_unknown().as_str()),
            known(t.started),
            known(t.ended),
        );
        if let Some(frame) = &step.estimated_time_frame {
            let _ = write!(out, "; estimate {}", clean(&frame.text));
        }
        match f.health.get(i) {
            Some(StepHealth::Overdue { by }) => {
                let _ = write!(out, "; overdue by {}", hours(*by));
            }
            Some(StepHealth::ProbablyStuck { by, quiet }) => {
                let _ = write!(
                    out,
                    "; overdue by {}, no message for {}",
                    hours(*by),
                    hours(*quiet)
                );
            }
            _ => {}
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\nLast messages:");
    let skip = f.feed.len().saturating_sub(LAST_MESSAGES);
    for entry in &f.feed[skip..] {
        let step = entry
            .step
            .and_then(|i| d.steps.get(i))
            .map_or_else(|| "operation".to_owned(), |s| clean(s.display_name()));
        let when = entry.at.map_or_else(|| "no time".to_owned(), instant);
        let level = entry.message.level.as_ref().map_or("none", |l| l.as_str());
        let repeat = if entry.count > 1 {
            format!(" (×{})", entry.count)
        } else {
            String::new()
        };
        let text = plain_text(entry.message.html.as_deref().unwrap_or_default());
        let _ = writeln!(out, "{when} [{}] {step}: {text}{repeat}", clean(level));
    }
    if !f.request_ids.is_empty() {
        let ids: Vec<String> = f.request_ids.iter().map(|id| clean(id)).collect();
        let _ = writeln!(out, "\nRequest ids: {}", ids.join(", "));
    }
    out
}
