//! Errors in words a publisher understands, each with what to do about it.

use std::time::Duration;

use publishing_model::ParseError;

use crate::i18n::{number, t, tf};

/// A failed request, as data (so it can be cloned into resources and shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401.
    Unauthorized {
        /// The service's own words.
        detail: Option<String>,
        /// The resource a new token must be for (`https://cloudpartner.azure.com`).
        resource: &'static str,
    },
    /// 401 from the proxy's sign-in: the session ended (or never began).
    SignInRequired,
    /// 403.
    Forbidden {
        /// The service's own words.
        detail: Option<String>,
    },
    /// 404.
    NotFound {
        /// What was asked for.
        what: Missing,
        /// The service's own words.
        detail: Option<String>,
    },
    /// 400.
    BadRequest {
        /// The service's own words.
        detail: Option<String>,
    },
    /// 429, 5xx.
    Busy {
        /// The status code.
        status: u16,
        /// How long the service asked us to wait.
        retry_after: Option<Duration>,
        /// The service's own words.
        detail: Option<String>,
    },
    /// The request never got an answer.
    Unreachable {
        /// The proxy base URL tried.
        url: String,
    },
    /// No answer in time.
    Timeout {
        /// The limit.
        seconds: u64,
    },
    /// An answer that is not what the API sends.
    Unreadable(ParseError),
    /// Code the answer needs (fetched when first asked) could not be fetched.
    CodeUnavailable(CodePart),
    /// Any other status.
    Unexpected {
        /// The status code.
        status: u16,
        /// The service's own words.
        detail: Option<String>,
    },
}

/// What a request asked for, and a 404 says is not there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// The list of publishers.
    Publishers,
    /// A publisher (its offers).
    Publisher,
    /// An offer (its status, its operations).
    Offer,
    /// An operation.
    Operation,
    /// A configure job.
    Job,
    /// The source the address names.
    Source,
}

/// Code a source's answers need that the release build fetches when first asked (a file of
/// its own, cut out by `scripts/build.sh`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePart {
    /// The demo's simulated world.
    Demo,
    /// The reader of the Product Ingestion API's products and submissions.
    Ingestion,
}

impl ApiError {
    /// What went wrong, in the page's language.
    pub fn title(&self) -> String {
        match self {
            Self::Unauthorized { .. } => t(key!("error.unauthorized")),
            Self::SignInRequired => t(key!("error.sign-in-required")),
            Self::Forbidden { .. } => t(key!("error.forbidden")),
            Self::NotFound { what, .. } => t(match what {
                Missing::Publishers => key!("error.not-found-publishers"),
                Missing::Publisher => key!("error.not-found-publisher"),
                Missing::Offer => key!("error.not-found-offer"),
                Missing::Operation => key!("error.not-found-operation"),
                Missing::Job => key!("error.not-found-job"),
                Missing::Source => key!("error.not-found-source"),
            }),
            Self::BadRequest { .. } => t(key!("error.bad-request")),
            Self::Busy { status, .. } => tf(key!("error.busy"), &[("status", &status.to_string())]),
            Self::Unreachable { url } => tf(key!("error.unreachable"), &[("url", url)]),
            Self::Timeout { seconds } => tf(
                key!("error.timeout"),
                &[("seconds", &number(*seconds as i64))],
            ),
            // The reason is technical (a field, a type): kept as the parser says it.
            Self::Unreadable(reason) => {
                tf(key!("error.unreadable"), &[("reason", &reason.to_string())])
            }
            Self::CodeUnavailable(CodePart::Demo) => t(key!("error.code-unavailable")),
            Self::CodeUnavailable(CodePart::Ingestion) => {
                t(key!("error.ingestion-code-unavailable"))
            }
            Self::Unexpected { status, .. } => {
                tf(key!("error.unexpected"), &[("status", &status.to_string())])
            }
        }
    }

    /// What the publisher can do about it.
    pub fn advice(&self) -> String {
        t(match self {
            Self::Unauthorized { resource, .. } => {
                return tf(key!("advice.unauthorized"), &[("resource", resource)])
            }
            Self::SignInRequired => key!("advice.sign-in-required"),
            Self::Forbidden { .. } => key!("advice.forbidden"),
            Self::NotFound { .. } => key!("advice.not-found"),
            Self::BadRequest { .. } => key!("advice.bad-request"),
            // Trunk's dev proxy also answers 500 with an empty body when it cannot reach the
            // service, so a lasting "busy" is worth a hint.
            Self::Busy { .. } => key!("advice.busy"),
            Self::Unreachable { .. } => key!("advice.unreachable"),
            Self::Timeout { .. } => key!("advice.timeout"),
            Self::Unreadable(_) => key!("advice.unreadable"),
            Self::CodeUnavailable(_) => key!("page.code-unavailable-advice"),
            Self::Unexpected { .. } => key!("advice.unexpected"),
        })
    }

    /// The service's own explanation, if it gave one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { detail, .. }
            | Self::Forbidden { detail }
            | Self::NotFound { detail, .. }
            | Self::BadRequest { detail }
            | Self::Busy { detail, .. }
            | Self::Unexpected { detail, .. } => detail.as_deref(),
            Self::Unreachable { .. }
            | Self::SignInRequired
            | Self::Timeout { .. }
            | Self::Unreadable(_)
            | Self::CodeUnavailable(_) => None,
        }
    }

    /// True when retrying later may help.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Busy { .. }
                | Self::Unreachable { .. }
                | Self::Timeout { .. }
                | Self::CodeUnavailable(_)
        )
    }

    /// How long the service asked us to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Busy { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A short stable name for tests and CSS.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized { .. } => "unauthorized",
            Self::SignInRequired => "sign-in-required",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound { .. } => "not-found",
            Self::BadRequest { .. } => "bad-request",
            Self::Busy { .. } => "busy",
            Self::Unreachable { .. } => "unreachable",
            Self::Timeout { .. } => "timeout",
            Self::Unreadable(_) => "unreadable",
            Self::CodeUnavailable(_) => "code-unavailable",
            Self::Unexpected { .. } => "unexpected",
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.title())
    }
}

impl std::error::Error for ApiError {}
