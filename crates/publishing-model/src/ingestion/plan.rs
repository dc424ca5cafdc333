//! Product Ingestion documents as the pages' documents: a product's submissions as its
//! operations, one submission as a two-step plan (preview, then live), and a configure job as
//! an operation without steps. The API provides no finer steps, so none are made up.

use crate::api::{Message, OfferStatus, OperationDetail, OperationSummary, Step};
use crate::ids::{OperationId, StepId};
use crate::standing::Standing;
use crate::status::{MessageLevel, PublishStatus};

use super::{is_newer, newer_live, ConfigureJob, JobError, Submission, Target};

/// The plan's own words, in the page's language (the app passes its translations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanWords {
    /// The first step's name.
    pub preview: String,
    /// The second step's name.
    pub live: String,
    /// The message at the time a preview was submitted.
    pub preview_submitted: String,
    /// The message at the time going live was submitted.
    pub live_submitted: String,
}

impl Default for PlanWords {
    fn default() -> Self {
        Self {
            preview: "Preview".into(),
            live: "Live".into(),
            preview_submitted: "Submitted for preview.".into(),
            live_submitted: "Submitted to go live.".into(),
        }
    }
}

/// A product's submissions as the offer page's operations, in the order the API sent them.
pub fn operations(all: &[Submission]) -> Vec<OperationSummary> {
    all.iter()
        .map(|s| OperationSummary {
            id: OperationId(s.number().to_owned()),
            submission_type: Some(s.target.as_str().to_owned()),
            // The target is where the submission goes, as a slot is.
            slot: Some(s.target.as_str().to_owned()),
            status: Some(s.standing(all).as_status()),
            // A submission states when it was created, never when it last changed or ended.
            created_date_time: s.created.clone(),
            ..OperationSummary::default()
        })
        .collect()
}

/// One submission (by its number) with its plan; `None` when there is no such submission.
pub fn operation_detail(
    all: &[Submission],
    number: &str,
    words: &PlanWords,
) -> Option<OperationDetail> {
    let s = all.iter().find(|s| s.number() == number)?;
    Some(OperationDetail {
        id: Some(OperationId(s.number().to_owned())),
        submission_type: Some(s.target.as_str().to_owned()),
        slot: Some(s.target.as_str().to_owned()),
        status: Some(s.standing(all).as_status()),
        changed_time: s.created.clone(),
        steps: plan(s, all, words),
        ..OperationDetail::default()
    })
}

/// The product's current standing: its newest submission to preview or live, with its plan;
/// "never published" when it has none.
pub fn offer_status(all: &[Submission], words: &PlanWords) -> OfferStatus {
    let newest = all
        .iter()
        .filter(|s| matches!(s.target, Target::Preview | Target::Live))
        .reduce(|a, b| if is_newer(b, a) { b } else { a });
    match newest {
        None => OfferStatus {
            status: Some(PublishStatus::NeverPublished),
            ..OfferStatus::default()
        },
        Some(s) => OfferStatus {
            status: Some(s.standing(all).as_status()),
            steps: plan(s, all, words),
            ..OfferStatus::default()
        },
    }
}

/// A step's status from a submission's own standing.
fn step_status(standing: &Standing) -> PublishStatus {
    match standing {
        // The submission's part is done; the publisher's turn shows on the live step.
        Standing::WaitingForPublisher | Standing::Live => PublishStatus::Completed,
        other => other.as_status(),
    }
}

fn step(id: &str, name: &str, status: PublishStatus, submitted: Option<Message>) -> Step {
    Step {
        id: Some(StepId(id.to_owned())),
        step_name: Some(name.to_owned()),
        status: Some(status),
        messages: submitted.into_iter().collect(),
        ..Step::default()
    }
}

fn submitted(s: &Submission, text: &str) -> Option<Message> {
    s.created.as_ref().map(|at| Message {
        html: Some(escape(text)),
        level: Some(MessageLevel::Information),
        timestamp: Some(at.clone()),
    })
}

/// Preview, then live, for a submission to either; none for a draft or an unknown target.
fn plan(s: &Submission, all: &[Submission], words: &PlanWords) -> Vec<Step> {
    let (preview, live) = match s.target {
        Target::Preview => (Some(s), newer_live(s, all)),
        Target::Live => {
            let before = all
                .iter()
                .filter(|p| p.target == Target::Preview && is_newer(s, p))
                .reduce(|a, b| if is_newer(b, a) { b } else { a });
            (before, Some(s))
        }
        Target::Draft | Target::Other(_) => return Vec::new(),
    };
    let preview_status = match preview {
        Some(p) => step_status(&p.standing_alone()),
        // A live submission without a preview before it went past its preview.
        None => PublishStatus::Completed,
    };
    let live_status = match live {
        Some(l) => step_status(&l.standing_alone()),
        None if preview_status == PublishStatus::Completed => {
            PublishStatus::WaitingForPublisherReview
        }
        None => PublishStatus::NotStarted,
    };
    vec![
        step(
            "preview",
            &words.preview,
            preview_status,
            preview.and_then(|p| submitted(p, &words.preview_submitted)),
        ),
        step(
            "live",
            &words.live,
            live_status,
            live.and_then(|l| submitted(l, &words.live_submitted)),
        ),
    ]
}

/// A configure job as an operation: its status, and its errors as messages (plain text,
/// escaped: only the sanitiser's HTML reaches the page).
pub fn job_detail(job: &ConfigureJob) -> OperationDetail {
    let mut messages = Vec::new();
    for error in &job.errors {
        flatten(error, 0, job.end.as_ref(), &mut messages);
    }
    OperationDetail {
        id: job.id.clone().map(OperationId),
        status: Some(job.status()),
        changed_time: job.end.clone().or_else(|| job.start.clone()),
        messages,
        ..OperationDetail::default()
    }
}

fn flatten(
    error: &JobError,
    depth: usize,
    at: Option<&crate::api::Timestamp>,
    out: &mut Vec<Message>,
) {
    let mut text = String::new();
    if depth > 0 {
        text.push_str(&"› ".repeat(depth));
    }
    if let Some(code) = error.code.as_deref().filter(|c| !c.trim().is_empty()) {
        text.push_str(code.trim());
        text.push_str(": ");
    }
    text.push_str(error.message.as_deref().unwrap_or("(no message)").trim());
    if let Some(about) = error.about.as_deref().filter(|a| !a.trim().is_empty()) {
        text.push_str(" (");
        text.push_str(about.trim());
        text.push(')');
    }
    out.push(Message {
        html: Some(escape(&text)),
        level: Some(if depth == 0 {
            MessageLevel::Error
        } else {
            MessageLevel::Information
        }),
        timestamp: at.cloned(),
    });
    for detail in &error.details {
        flatten(detail, depth + 1, at, out);
    }
}

/// Plain text as HTML text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::markup::escape(text, &mut out);
    out
}
