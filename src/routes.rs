//! URLs of the app's views, and the base path it is served under (`--public-url /ops/`).

use crate::api::SourceKind;
use publishing_model::{JobId, OfferId, OperationId, PublisherId, StatusFilter};

/// The router's base: the path of `<base href>` (set by Trunk's public URL) without its
/// trailing slash; empty at the root.
pub fn base_path() -> String {
    thread_local! {
        static BASE: String = read_base_path();
    }
    BASE.with(Clone::clone)
}

/// A link target for `<a href>`: the base plus an app path. (`Router::navigate` adds the
/// base itself.)
pub fn href(path: &str) -> String {
    format!("{}{}", base_path(), path)
}

/// The app path of a browser path: what follows the base, or `None` when the path is
/// outside it (`/opsx` is not under `/ops`).
pub fn app_path(path: &str) -> Option<&str> {
    strip_base(&base_path(), path)
}

fn strip_base<'a>(base: &str, path: &'a str) -> Option<&'a str> {
    path.strip_prefix(base)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn read_base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("base[href]").ok().flatten())
        .and_then(|b| b.get_attribute("href"))
        .unwrap_or_default();
    base_from_href(&base)
}

fn base_from_href(href: &str) -> String {
    // Only the path part; an absolute base URL keeps its path.
    let path = match href.find("://") {
        Some(i) => href[i + 3..].find('/').map_or("", |p| &href[i + 3 + p..]),
        None => href,
    };
    path.trim_end_matches('/').to_owned()
}

/// The view an app path shows, with its path parameters percent-decoded and typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/`
    Start,
    /// `/:source/publishers/:publisher`: every offer of a publisher.
    Publisher(PublisherParams),
    /// `/:source/publishers/:publisher/offers/:offer`
    Offer(OfferParams),
    /// `…/offers/:offer/operations/:operation`
    Operation(OfferParams, OperationId),
    /// `/:source/jobs/:job`: a Product Ingestion configure job.
    Job(JobParams),
    /// `/:source/publishers/:publisher/watching`: what the proxy watches of a publisher.
    Watching(PublisherParams),
    /// Anything else.
    NotFound,
}

/// The parameters of the publisher overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublisherParams {
    /// The source the address names; `None` for one the app does not know (the page says
    /// so).
    pub source: Option<SourceKind>,
    /// The publisher.
    pub publisher: PublisherId,
}

/// The parameters of a configure job's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobParams {
    /// The source the address names (jobs are Product Ingestion's alone).
    pub source: Option<SourceKind>,
    /// The job.
    pub job: JobId,
}

/// The parameters every offer-level path has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferParams {
    /// The source the address names; `None` for one the app does not know.
    pub source: Option<SourceKind>,
    /// The publisher.
    pub publisher: PublisherId,
    /// The offer.
    pub offer: OfferId,
}

/// Which page a view is, without its parameters: a new kind mounts a new page, while new
/// parameters of the same kind only update the page that is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// The start page.
    Start,
    /// A publisher's overview.
    Publisher,
    /// An offer.
    Offer,
    /// An operation.
    Operation,
    /// A configure job.
    Job,
    /// What the proxy watches.
    Watching,
    /// Not found.
    NotFound,
}

impl Page {
    /// Matches an app path (base already removed; no query). One trailing slash is allowed.
    pub fn parse(path: &str) -> Page {
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let segments: Vec<&str> = path.split('/').collect();
        if segments.iter().skip(1).any(|s| s.is_empty()) {
            return Page::NotFound;
        }
        let source = |s: &str| SourceKind::parse(&decode(s));
        let params = |s: &str, publisher: &str, offer: &str| OfferParams {
            source: source(s),
            publisher: PublisherId(decode(publisher)),
            offer: OfferId(decode(offer)),
        };
        match segments.as_slice() {
            [""] => Page::Start,
            [s, "publishers", publisher] if !s.is_empty() => Page::Publisher(PublisherParams {
                source: source(s),
                publisher: PublisherId(decode(publisher)),
            }),
            [s, "publishers", publisher, "watching"] if !s.is_empty() => {
                Page::Watching(PublisherParams {
                    source: source(s),
                    publisher: PublisherId(decode(publisher)),
                })
            }
            [s, "jobs", job] if !s.is_empty() => Page::Job(JobParams {
                source: source(s),
                job: JobId(decode(job)),
            }),
            [s, "publishers", publisher, "offers", offer] if !s.is_empty() => {
                Page::Offer(params(s, publisher, offer))
            }
            [s, "publishers", publisher, "offers", offer, "operations", operation]
                if !s.is_empty() =>
            {
                Page::Operation(params(s, publisher, offer), OperationId(decode(operation)))
            }
            _ => Page::NotFound,
        }
    }

    /// The page's kind.
    pub fn kind(&self) -> PageKind {
        match self {
            Page::Start => PageKind::Start,
            Page::Publisher(_) => PageKind::Publisher,
            Page::Offer(_) => PageKind::Offer,
            Page::Operation(..) => PageKind::Operation,
            Page::Job(_) => PageKind::Job,
            Page::Watching(_) => PageKind::Watching,
            Page::NotFound => PageKind::NotFound,
        }
    }

    /// The offer-level parameters, on the offer and operation pages.
    pub fn offer(&self) -> Option<&OfferParams> {
        match self {
            Page::Offer(p) | Page::Operation(p, _) => Some(p),
            _ => None,
        }
    }
}

/// The first value of `name` in a query string (without its `?`), decoded: `+` and `%20`
/// are spaces, and a malformed escape is kept as written.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| decode(&key.replace('+', " ")) == name)
        .map(|(_, value)| decode(&value.replace('+', " ")))
}

pub use publishing_model::percent::decode;

use publishing_model::route::encode;

/// What the proxy watches of a publisher.
pub fn watching(source: SourceKind, publisher: &PublisherId) -> String {
    format!("{}/watching", self::publisher(source, publisher))
}

/// The publisher overview.
pub fn publisher(source: SourceKind, publisher: &PublisherId) -> String {
    format!(
        "/{}/publishers/{}",
        source.as_str(),
        encode(publisher.as_str())
    )
}

/// The publisher overview with its filter and search in the query.
pub fn publisher_filtered(
    source: SourceKind,
    publisher_id: &PublisherId,
    show: Option<&str>,
    text: &str,
) -> String {
    let mut params = Vec::new();
    if let Some(show) = show {
        params.push(format!("show={}", encode(show)));
    }
    if !text.is_empty() {
        params.push(format!("q={}", encode(text)));
    }
    let path = publisher(source, publisher_id);
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// The offer page.
pub fn offer(source: SourceKind, publisher: &PublisherId, offer: &OfferId) -> String {
    format!(
        "/{}/publishers/{}/offers/{}",
        source.as_str(),
        encode(publisher.as_str()),
        encode(offer.as_str())
    )
}

/// The offer page with its filter in the query (`?status=running,failed&q=golive`).
pub fn offer_filtered(
    source: SourceKind,
    publisher: &PublisherId,
    offer_id: &OfferId,
    filter: &StatusFilter,
) -> String {
    let mut params = Vec::new();
    if let Some(statuses) = filter.status_param() {
        params.push(format!("status={}", encode(&statuses)));
    }
    if !filter.text.is_empty() {
        params.push(format!("q={}", encode(&filter.text)));
    }
    let path = offer(source, publisher, offer_id);
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// The operation page.
pub fn operation(
    source: SourceKind,
    publisher: &PublisherId,
    offer_id: &OfferId,
    operation: &OperationId,
) -> String {
    format!(
        "{}/operations/{}",
        offer(source, publisher, offer_id),
        encode(operation.as_str())
    )
}

/// A configure job's page.
pub fn job(source: SourceKind, job: &JobId) -> String {
    format!("/{}/jobs/{}", source.as_str(), encode(job.as_str()))
}
