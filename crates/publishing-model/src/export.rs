//! Exports of data that came from the service, escaped for where they go: CSV (RFC 4180) and
//! JSON of an offer's operations as filtered, and an iCalendar event (RFC 5545) for an
//! operation's expected go-live window. Offer names and messages are the service's text: a
//! CSV cell that a spreadsheet would run as a formula is neutralised.

use crate::json::Json;
use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};

use crate::api::{submission_type_label, OperationSummary};

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 9] = [
    "operation id",
    "status",
    "type",
    "slot",
    "offer version",
    "publishing version",
    "started (UTC)",
    "changed (UTC)",
    "offer",
];

/// One CSV field: always quoted (so ids stay text and commas, quotes and line breaks are
/// kept), quotes doubled, and a leading `=`, `+`, `-`, `@`, tab or carriage return
/// neutralised with an apostrophe so no spreadsheet runs it as a formula.
pub fn csv_field(value: &str) -> String {
    let risky = value
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    let body = value.replace('"', "\"\"");
    if risky {
        format!("\"'{body}\"")
    } else {
        format!("\"{body}\"")
    }
}

fn instant(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn row(op: &OperationSummary) -> [String; 9] {
    [
        op.id.to_string(),
        op.effective_status().as_str().to_owned(),
        op.submission_type
            .as_deref()
            .map(submission_type_label)
            .unwrap_or_default(),
        op.slot.clone().unwrap_or_default(),
        op.offer_version.map(|v| v.to_string()).unwrap_or_default(),
        op.publishing_version
            .map(|v| v.to_string())
            .unwrap_or_default(),
        instant(op.started_at()),
        instant(op.changed_at()),
        op.offer_id
            .as_ref()
            .map(|o| o.to_string())
            .unwrap_or_default(),
    ]
}

/// The operations as CSV: a header line, then one line per operation, CRLF line ends.
pub fn operations_csv(ops: &[OperationSummary]) -> String {
    let mut out = String::new();
    let header: Vec<String> = CSV_COLUMNS.iter().map(|c| csv_field(c)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for op in ops {
        let cells: Vec<String> = row(op).iter().map(|c| csv_field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The operations as JSON: the same facts, every id and version a string (versions exceed
/// 2^53, which JSON readers turn into floats).
pub fn operations_json(ops: &[OperationSummary]) -> String {
    let list = ops
        .iter()
        .map(|op| {
            let [id, status, kind, slot, offer_version, publishing_version, started, changed, offer] =
                row(op);
            Json::object([
                ("operationId", id.into()),
                ("status", status.into()),
                ("type", kind.into()),
                ("slot", slot.into()),
                ("offerVersion", offer_version.into()),
                ("publishingVersion", publishing_version.into()),
                ("version", op.version.map_or(Json::Null, |v| v.to_string().into())),
                ("started", started.into()),
                ("changed", changed.into()),
                ("offer", offer.into()),
            ])
        })
        .collect();
    Json::Array(list).pretty()
}

/// Text in an iCalendar value: backslash, semicolon, comma and line breaks escaped; other
/// control characters dropped.
pub fn ics_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (RFC 5545 §3.1), never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// `20240503T120000Z`. Written by hand: chrono's `format` brings its whole strftime
/// machinery into the wasm for one fixed shape.
fn ics_instant(at: DateTime<Utc>) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// What the go-live event says.
pub struct GoLiveEvent<'a> {
    /// The operation id: with the offer, the event's stable UID.
    pub operation: &'a str,
    /// The offer id.
    pub offer: &'a str,
    /// The offer's name as the service sent it.
    pub offer_name: &'a str,
    /// The soonest it can be live.
    pub earliest: DateTime<Utc>,
    /// The latest it should be live.
    pub latest: DateTime<Utc>,
    /// A line of context (the projection in words).
    pub description: &'a str,
    /// A link back to the operation page.
    pub url: &'a str,
    /// When the file is made.
    pub now: DateTime<Utc>,
}

/// The expected go-live window as an iCalendar file (one event, UTC times).
pub fn go_live_ics(e: &GoLiveEvent) -> String {
    let uid: String = format!("{}.{}", e.operation, e.offer)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    let mut out = String::new();
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Marketplace publishing dashboard//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{uid}@marketplace-publishing-dashboard"),
        format!("DTSTAMP:{}", ics_instant(e.now)),
        format!("DTSTART:{}", ics_instant(e.earliest)),
        format!("DTEND:{}", ics_instant(e.latest.max(e.earliest))),
        format!(
            "SUMMARY:{}",
            ics_text(&format!("Expected live: {}", e.offer_name))
        ),
        format!("DESCRIPTION:{}", ics_text(e.description)),
        format!("URL:{}", ics_text(e.url)),
        "TRANSP:TRANSPARENT".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    for line in lines {
        fold(&line, &mut out);
    }
    out
}
