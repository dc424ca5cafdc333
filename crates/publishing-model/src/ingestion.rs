//! The Product Ingestion API (Microsoft Graph, `https://graph.microsoft.com/rp/product-ingestion`,
//! `$version=2022-07-01`), the CPP API's successor: its products, submissions and configure
//! jobs, read as leniently as the CPP documents, and shown through the same pages
//! (its `plan` module turns them into offers, operations and a two-step plan).
//!
//! Ids stay text: a submission id (`submission/{product}/1152921505…`) can exceed 2^53.

mod plan;

pub use plan::{job_detail, offer_status, operation_detail, operations, PlanWords};

use chrono::{DateTime, Utc};

use crate::json::Json;

use crate::api::parse::{read, shape_error};
use crate::api::{DisplayDefinition, Document, OfferSummary, ParseError, Timestamp};
use crate::ids::OfferId;
use crate::lenient::{self, Fields};
use crate::standing::Standing;
use crate::status::{normalize, PublishStatus};

/// The schema version every request names (`$version`).
pub const VERSION: &str = "2022-07-01";

/// The most pages of products the app follows (`@nextLink`), so a looping service cannot
/// keep it fetching for ever.
pub const MAX_PAGES: usize = 50;

/// The one "publisher" of the Product Ingestion source: the account behind the token (the
/// API has no publisher ids).
pub const ACCOUNT: &str = "account";

/// The fewest seconds between two polls of the Product Ingestion API (it asks for at most
/// one a minute).
pub const MIN_INGESTION_POLL: u32 = 60;

/// A product (`GET product`, `GET product?externalId=`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Product {
    /// The durable id, `product/{guid}`.
    pub durable_id: String,
    /// `identity.externalId`: the offer id the publisher chose.
    pub external_id: Option<String>,
    /// `alias`: the product's name.
    pub alias: Option<String>,
    /// `type`: `softwareAsAService`, `azureVirtualMachine`...
    pub kind: Option<String>,
}

impl Product {
    fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        let durable_id = f.text("id").filter(|id| !id.trim().is_empty())?;
        Some(Self {
            durable_id,
            external_id: f
                .read("identity", |i| Fields::of(i)?.text("externalId"))
                .or_else(|| f.text("externalId"))
                .filter(|e| !e.trim().is_empty()),
            alias: f.text("alias"),
            kind: f.text("type"),
        })
    }

    /// The GUID of the durable id (`product/{guid}` gives `{guid}`).
    pub fn guid(&self) -> &str {
        durable_guid(&self.durable_id)
    }

    /// The id the app's addresses use: the external id (the offer id the publisher knows),
    /// else the GUID.
    pub fn offer_id(&self) -> OfferId {
        OfferId(
            self.external_id
                .clone()
                .unwrap_or_else(|| self.guid().to_owned()),
        )
    }

    /// The product as an offer of the overview and the start page.
    pub fn as_offer(&self) -> OfferSummary {
        OfferSummary {
            id: self.offer_id(),
            offer_type_id: self.kind.clone(),
            definition: Some(DisplayDefinition {
                display_text: self.alias.clone(),
                seller_id: None,
            }),
            ..OfferSummary::default()
        }
    }
}

/// `product/{guid}` gives `{guid}`; anything else is kept whole.
pub fn durable_guid(durable_id: &str) -> &str {
    durable_id.strip_prefix("product/").unwrap_or(durable_id)
}

/// True for a GUID (`8-4-4-4-12` hex digits): the form of a product's durable id.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One page of products, and the `$skipToken` of the next when `@nextLink` names one.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ProductPage {
    /// The products on this page.
    pub products: Vec<Product>,
    /// The next page's `$skipToken`.
    pub next: Option<String>,
}

/// Parses `{"value": [...], "@nextLink": "…?$skipToken=…"}` (a bare list also reads).
pub fn parse_products(text: &str) -> Result<ProductPage, ParseError> {
    let document = Document::ProductList;
    match read(document, text)? {
        Json::Array(items) => Ok(ProductPage {
            products: lenient::list(Some(&Json::Array(items)), Product::from_json),
            next: None,
        }),
        Json::Object(obj) if obj.get("value").is_some_and(Json::is_array) => Ok(ProductPage {
            products: lenient::list(obj.get("value"), Product::from_json),
            next: obj
                .get("@nextLink")
                .and_then(Json::as_str)
                .and_then(skip_token),
        }),
        other => Err(shape_error(document, "a list of products", &other)),
    }
}

/// The `$skipToken` of a next-page link, decoded; `None` when it has none.
pub fn skip_token(link: &str) -> Option<String> {
    let query = link.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.replace("%24", "$");
        (key.eq_ignore_ascii_case("$skipToken") && !value.is_empty())
            .then(|| crate::percent::decode(value))
    })
}

/// Where a submission goes (`target.targetType`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// `draft`.
    Draft,
    /// `preview`.
    Preview,
    /// `live`.
    Live,
    /// Any other value, as sent (`unknown` when missing).
    Other(String),
}

impl Target {
    fn parse(raw: Option<&str>) -> Self {
        let raw = raw.unwrap_or("unknown");
        match normalize(raw).as_str() {
            "draft" => Self::Draft,
            "preview" => Self::Preview,
            "live" => Self::Live,
            _ => Self::Other(raw.trim().to_owned()),
        }
    }

    /// The value as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Draft => "draft",
            Self::Preview => "preview",
            Self::Live => "live",
            Self::Other(raw) => raw,
        }
    }
}

/// A product's submission (`GET submission/{productDurableId}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// The durable id, `submission/{productGuid}/{number}`.
    pub durable_id: String,
    /// `product`: the product's durable id.
    pub product: Option<String>,
    /// `target.targetType`.
    pub target: Target,
    /// `status`: `notStarted`, `running`, `completed`.
    pub status: Option<String>,
    /// `result`: `pending`, `succeeded`, `failed`.
    pub result: Option<String>,
    /// `created`.
    pub created: Option<Timestamp>,
}

impl Submission {
    fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        let durable_id = f.text("id").filter(|id| !id.trim().is_empty())?;
        Some(Self {
            durable_id,
            product: f.text("product"),
            target: Target::parse(
                f.read("target", |t| Fields::of(t)?.text("targetType"))
                    .as_deref(),
            ),
            status: f.text("status"),
            result: f.text("result"),
            created: f.read("created", Timestamp::from_json),
        })
    }

    /// The submission's own number: the last segment of its durable id. Text, never a
    /// float: these exceed 2^53.
    pub fn number(&self) -> &str {
        self.durable_id
            .rsplit('/')
            .next()
            .unwrap_or(&self.durable_id)
    }

    /// Where this submission alone stands (see [`Standing::of_submission`]).
    pub fn standing_alone(&self) -> Standing {
        Standing::of_submission(
            Some(self.target.as_str()),
            self.status.as_deref(),
            self.result.as_deref(),
        )
    }

    /// Where it stands among its product's submissions: a succeeded preview with a newer
    /// live submission stands where that live one does.
    pub fn standing(&self, all: &[Submission]) -> Standing {
        let alone = self.standing_alone();
        if alone != Standing::WaitingForPublisher {
            return alone;
        }
        newer_live(self, all).map_or(alone, Submission::standing_alone)
    }

    fn created_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.created.as_ref().and_then(|c| c.parsed)
    }
}

/// Newer than `than`: created later, or (same or unknown times) a larger number.
fn is_newer(a: &Submission, than: &Submission) -> bool {
    match (a.created_at(), than.created_at()) {
        (Some(x), Some(y)) if x != y => x > y,
        _ => numeric_order(a.number(), than.number()) == std::cmp::Ordering::Greater,
    }
}

/// Digit strings compared as numbers of any length; anything else as text.
fn numeric_order(a: &str, b: &str) -> std::cmp::Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// The newest live submission newer than `preview`.
fn newer_live<'a>(preview: &Submission, all: &'a [Submission]) -> Option<&'a Submission> {
    all.iter()
        .filter(|s| s.target == Target::Live && is_newer(s, preview))
        .reduce(|a, b| if is_newer(b, a) { b } else { a })
}

/// Parses a product's submissions (`{"value": [...]}` or a bare list).
pub fn parse_submissions(text: &str) -> Result<Vec<Submission>, ParseError> {
    let document = Document::SubmissionList;
    match read(document, text)? {
        Json::Object(obj) if obj.get("value").is_some_and(Json::is_array) => {
            Ok(lenient::list(obj.get("value"), Submission::from_json))
        }
        items @ Json::Array(_) => Ok(lenient::list(Some(&items), Submission::from_json)),
        other => Err(shape_error(document, "a list of submissions", &other)),
    }
}

/// One error of a configure job, with its nested details.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct JobError {
    /// `code`.
    pub code: Option<String>,
    /// `message`: plain text, shown as text.
    pub message: Option<String>,
    /// `resourceId` or `target`: what the error is about.
    pub about: Option<String>,
    /// `details[]`.
    pub details: Vec<JobError>,
}

/// How deep nested `details` are read: deeper ones are dropped, so a hostile document cannot
/// recurse without end.
const MAX_ERROR_DEPTH: usize = 4;

impl JobError {
    fn from_json(value: &Json<'_>, depth: usize) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            code: f.text("code"),
            message: f.text("message"),
            about: f.text("resourceId").or_else(|| f.text("target")),
            details: if depth < MAX_ERROR_DEPTH {
                f.list("details", |d| Self::from_json(d, depth + 1))
            } else {
                Vec::new()
            },
        })
    }
}

/// A configure job's status (`GET configure/{jobId}/status`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConfigureJob {
    /// `jobId` (also spelled `jobID`).
    pub id: Option<String>,
    /// `jobStatus`: `notStarted`, `running`, `completed`.
    pub job_status: Option<String>,
    /// `jobResult`: `pending`, `succeeded`, `failed`, `cancelled`.
    pub job_result: Option<String>,
    /// `jobStart`; `None` while `0001-01-01…` ("not yet").
    pub start: Option<Timestamp>,
    /// `jobEnd`; `None` while `0001-01-01…`.
    pub end: Option<Timestamp>,
    /// `errors[]`.
    pub errors: Vec<JobError>,
}

/// A time, or `None` for the API's "not yet" (`0001-01-01…`) and for missing ones.
fn job_time(value: &Json<'_>) -> Option<Timestamp> {
    let stamp = Timestamp::from_json(value)?;
    let not_yet = stamp.raw.trim().starts_with("0001-01-01") || stamp.raw.trim().is_empty();
    (!not_yet).then_some(stamp)
}

impl ConfigureJob {
    fn from_json(value: &Json<'_>) -> Option<Self> {
        let f = Fields::of(value)?;
        Some(Self {
            id: f.first(&["jobId", "jobID"]).and_then(lenient::text),
            job_status: f.text("jobStatus"),
            job_result: f.text("jobResult"),
            start: f.read("jobStart", job_time),
            end: f.read("jobEnd", job_time),
            errors: f.list("errors", |e| JobError::from_json(e, 0)),
        })
    }

    /// The job's status: not started, running, then by its result succeeded, failed or
    /// canceled; a value never seen before is kept as sent.
    pub fn status(&self) -> PublishStatus {
        let status = self.job_status.as_deref().unwrap_or("unknown");
        match normalize(status).as_str() {
            "notstarted" => PublishStatus::NotStarted,
            "running" | "inprogress" => PublishStatus::Running,
            "completed" | "complete" => {
                let result = self.job_result.as_deref().unwrap_or("unknown");
                match normalize(result).as_str() {
                    "succeeded" => PublishStatus::Completed,
                    "failed" => PublishStatus::Failed,
                    "cancelled" | "canceled" => PublishStatus::Canceled,
                    "pending" => PublishStatus::Running,
                    _ => PublishStatus::Other(result.trim().to_owned()),
                }
            }
            _ => PublishStatus::Other(status.trim().to_owned()),
        }
    }

    /// True until the job has completed: it can still be canceled, and is worth polling.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status(),
            PublishStatus::NotStarted | PublishStatus::Running
        )
    }

    /// When the job started: not yet while it has not, and "not reported" once it is under
    /// way or over without a time (an absent `jobStart`, or the `0001-01-01` sentinel).
    pub fn started(&self) -> JobTime {
        match (&self.start, self.status()) {
            (Some(at), _) => at.parsed.map_or(JobTime::NotReported, JobTime::At),
            (None, PublishStatus::NotStarted) => JobTime::NotYet,
            (None, _) => JobTime::NotReported,
        }
    }

    /// When the job ended: not yet while it runs, "not reported" for a finished job whose
    /// end the service did not give.
    pub fn ended(&self) -> JobTime {
        match (&self.end, self.is_active()) {
            (Some(at), _) => at.parsed.map_or(JobTime::NotReported, JobTime::At),
            (None, true) => JobTime::NotYet,
            (None, false) => JobTime::NotReported,
        }
    }

    /// What to do next after a failed job; `None` for any other outcome.
    pub fn next_step(&self) -> Option<JobNextStep> {
        if self.status() != PublishStatus::Failed {
            return None;
        }
        fn names_certification(e: &JobError) -> bool {
            [&e.code, &e.message]
                .into_iter()
                .flatten()
                .any(|t| normalize(t).contains("certif"))
                || e.details.iter().any(names_certification)
        }
        Some(if self.errors.iter().any(names_certification) {
            JobNextStep::ReadCertificationReport
        } else {
            JobNextStep::FixAndResend
        })
    }
}

/// A configure job's start or end as the page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobTime {
    /// This instant.
    At(DateTime<Utc>),
    /// Not yet: the job has not reached it.
    NotYet,
    /// The job is past it, but the service reported no time.
    NotReported,
}

/// What a publisher does after a failed configure job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobNextStep {
    /// Certification failed: its report, in Partner Center, says what to fix.
    ReadCertificationReport,
    /// Fix what the job's errors name, then send the configure request again.
    FixAndResend,
}

/// Parses a configure job's status.
pub fn parse_job(text: &str) -> Result<ConfigureJob, ParseError> {
    let document = Document::ConfigureJob;
    let value = read(document, text)?;
    ConfigureJob::from_json(&value).ok_or_else(|| shape_error(document, "an object", &value))
}

/// True when a cancel's 400 says the job had already completed (the API's words vary; its
/// code or message names completion).
pub fn already_completed(code: Option<&str>, message: Option<&str>) -> bool {
    [code, message]
        .into_iter()
        .flatten()
        .map(normalize)
        .any(|t| t.contains("already") && t.contains("complet"))
}

/// The proxy's Product Ingestion root beside its CPP root: `/api` gives `/graph`,
/// `https://proxy.example.com/api` gives `https://proxy.example.com/graph`; a root not
/// ending in `/api` gets `/graph` below it.
pub fn graph_root(api_root: &str) -> String {
    let root = api_root.trim().trim_end_matches('/');
    match root.strip_suffix("/api") {
        Some(base) => format!("{base}/graph"),
        None if root == "api" => "graph".to_owned(),
        None => format!("{root}/graph"),
    }
}
