//! The same simulated world as the Product Ingestion API sees it, in Microsoft's documents:
//! every offer is a product (its offer id the external id), every publish a submission to
//! preview and, past sign-off, one to live, and every operation a configure job (its GUID the
//! job id) that lasts until its preview is ready.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::operation::{SimOffer, SimOperation, SimStep};
use super::{SplitMix64, World};
use crate::ingestion::VERSION;
use crate::status::PublishStatus;

/// Products per page: small enough that a large world pages (`@nextLink`).
pub const PRODUCTS_PER_PAGE: usize = 100;

/// Submission numbers start above 2^60, as the service's do: beyond what an f64 holds exactly.
const FIRST_SUBMISSION: u64 = 1 << 60;

/// The answer to a configure job's cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobCancel {
    /// Canceled: the job's status afterwards.
    Canceled(Value),
    /// The job had already completed.
    AlreadyCompleted,
}

/// A submission's or job's `status` and `result`.
type Progress = (&'static str, &'static str);

fn schema(kind: &str) -> String {
    format!("https://schema.mp.microsoft.com/schema/{kind}/{VERSION}")
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A product's GUID, the same for the same publisher and offer in every run.
fn product_guid(offer: &SimOffer) -> String {
    // FNV-1a of the names seeds the GUID.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{}/{}", offer.publisher, offer.id).bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    SplitMix64::new(hash).guid()
}

fn product_type(type_id: &str) -> &'static str {
    if type_id.contains("virtualmachine") || type_id.contains("corevm") {
        "azureVirtualMachine"
    } else if type_id.contains("saas") {
        "softwareAsAService"
    } else if type_id.contains("container") {
        "azureContainer"
    } else {
        "azureApplication"
    }
}

fn product(offer: &SimOffer) -> Value {
    json!({
        "$schema": schema("product"),
        "id": format!("product/{}", product_guid(offer)),
        "identity": { "externalId": offer.id.as_str() },
        "type": product_type(offer.type_id),
        "alias": offer.display,
    })
}

/// Where a run of steps is: not started, running, or completed with a result.
fn progress_of(steps: &[SimStep], canceled: bool) -> Progress {
    let any = |s: &[PublishStatus]| steps.iter().any(|step| s.contains(&step.status));
    if any(&[PublishStatus::Failed, PublishStatus::Rejected]) {
        ("completed", "failed")
    } else if !steps.is_empty() && steps.iter().all(|s| s.status == PublishStatus::Completed) {
        ("completed", "succeeded")
    } else if canceled || any(&[PublishStatus::Canceled]) {
        ("completed", "cancelled")
    } else if steps.iter().all(|s| s.status == PublishStatus::NotStarted) {
        ("notStarted", "pending")
    } else {
        ("running", "pending")
    }
}

/// The index of the sign-off step in a publish, if it has one.
fn sign_off(op: &SimOperation) -> Option<usize> {
    op.steps
        .iter()
        .position(|s| s.template.id == "publisher-signoff")
}

/// The steps a configure job (and the submission it makes) covers: up to the preview for a
/// publish, all of them for a go-live.
fn job_steps(op: &SimOperation) -> &[SimStep] {
    match sign_off(op) {
        Some(i) => &op.steps[..i],
        None => &op.steps,
    }
}

/// When a run of steps ended: the last one's "Step completed." message, else the change.
fn ended(steps: &[SimStep], op: &SimOperation) -> DateTime<Utc> {
    steps
        .iter()
        .rev()
        .find_map(|s| {
            s.started
                .and_then(|start| start.checked_add_signed(s.planned))
        })
        .filter(|at| *at <= op.changed)
        .unwrap_or(op.changed)
}

fn submission(
    guid: &str,
    number: u64,
    target: &str,
    (status, result): Progress,
    created: DateTime<Utc>,
) -> Value {
    json!({
        "$schema": schema("submission"),
        "id": format!("submission/{guid}/{number}"),
        "product": format!("product/{guid}"),
        "target": { "targetType": target },
        "lifecycleState": "generallyAvailable",
        "status": status,
        "result": result,
        "created": time(created),
    })
}

fn job(op: &SimOperation) -> Value {
    let steps = job_steps(op);
    let (status, result) = progress_of(steps, op.status == PublishStatus::Canceled);
    let end = (status == "completed").then(|| time(ended(steps, op)));
    let errors: Vec<Value> = steps
        .iter()
        .filter(|s| matches!(s.status, PublishStatus::Failed | PublishStatus::Rejected))
        .map(|s| {
            let said = s
                .messages
                .iter()
                .rev()
                .find_map(|m| m.html.as_deref())
                .map(strip_tags)
                .unwrap_or_default();
            json!({
                "code": "businessValidationError",
                "message": format!("{} did not pass.", s.template.name),
                "resourceId": s.template.id,
                "details": [{ "code": "stepFailed", "message": said }],
            })
        })
        .collect();
    json!({
        "$schema": schema("configure-status"),
        "jobId": op.id.as_str(),
        "jobStatus": status,
        "jobResult": result,
        "jobStart": time(op.created),
        "jobEnd": end.unwrap_or_else(|| "0001-01-01T00:00:00".to_owned()),
        "errors": errors,
    })
}

/// The text of simulated HTML messages (the job's errors are plain text).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

impl World {
    /// `GET product`: one page of every offer as a product, from `skip`, or the products
    /// whose external id is `external_id`.
    pub fn products(&self, skip: usize, external_id: Option<&str>) -> Value {
        let matching: Vec<&SimOffer> = self
            .offers
            .iter()
            .filter(|o| external_id.is_none_or(|e| o.id.as_str().eq_ignore_ascii_case(e)))
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(skip)
            .take(PRODUCTS_PER_PAGE)
            .map(|o| product(o))
            .collect();
        let mut answer = json!({ "value": page });
        let next = skip + PRODUCTS_PER_PAGE;
        if next < matching.len() {
            answer["@nextLink"] = json!(format!(
                "https://graph.microsoft.com/rp/product-ingestion/product?$version={VERSION}&$skipToken={next}"
            ));
        }
        answer
    }

    fn product(&self, guid: &str) -> Option<&SimOffer> {
        self.offers
            .iter()
            .find(|o| product_guid(o).eq_ignore_ascii_case(guid))
    }

    /// `GET submission/product/{guid}`; `None` when there is no such product.
    pub fn submissions(&self, guid: &str) -> Option<Value> {
        let offer = self.product(guid)?;
        let guid = product_guid(offer);
        let mut value = Vec::new();
        for (i, op) in offer.operations.iter().enumerate() {
            let number = FIRST_SUBMISSION + 2 * i as u64;
            let canceled = op.status == PublishStatus::Canceled;
            match sign_off(op) {
                Some(s) => {
                    let preview = progress_of(&op.steps[..s], canceled);
                    value.push(submission(&guid, number, "preview", preview, op.created));
                    // Past sign-off in the same operation: the live submission.
                    let live = &op.steps[s + 1..];
                    if op.steps[s].status == PublishStatus::Completed && !live.is_empty() {
                        let at = op.steps[s].finish_at().unwrap_or(op.changed);
                        let progress = progress_of(live, canceled);
                        value.push(submission(&guid, number + 1, "live", progress, at));
                    }
                }
                None => {
                    let progress = progress_of(&op.steps, canceled);
                    value.push(submission(&guid, number + 1, "live", progress, op.created));
                }
            }
        }
        Some(json!({ "value": value }))
    }

    fn job_operation(&self, job_id: &str) -> Option<(&SimOffer, &SimOperation)> {
        self.offers.iter().find_map(|o| {
            o.operations
                .iter()
                .find(|op| op.id.as_str().eq_ignore_ascii_case(job_id))
                .map(|op| (o, op))
        })
    }

    /// `GET configure/{jobId}/status`; `None` when there is no such job.
    pub fn configure_job(&self, job_id: &str) -> Option<Value> {
        self.job_operation(job_id).map(|(_, op)| job(op))
    }

    /// `POST configure/{jobId}/cancel`: cancels the publish while its job runs. `None` when
    /// there is no such job.
    pub fn cancel_job(&mut self, job_id: &str) -> Option<JobCancel> {
        let (offer, op) = self.job_operation(job_id)?;
        let (status, _) = progress_of(job_steps(op), op.status == PublishStatus::Canceled);
        if status == "completed" {
            return Some(JobCancel::AlreadyCompleted);
        }
        let (publisher, offer_id, id) = (offer.publisher.clone(), offer.id.clone(), op.id.clone());
        self.cancel(&publisher, &offer_id)?;
        let (_, op) = self.job_operation(id.as_str())?;
        Some(JobCancel::Canceled(job(op)))
    }
}
