//! Errors in words a publisher understands, each with what to do about it.

use std::time::Duration;

use publishing_model::ParseError;

/// A failed request, as data (so it can be cloned into resources and shown).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401.
    #[error("Your token is missing, invalid or expired.")]
    Unauthorized {
        /// The service's own words.
        detail: Option<String>,
    },
    /// 403.
    #[error("This identity has no access to this publisher.")]
    Forbidden {
        /// The service's own words.
        detail: Option<String>,
    },
    /// 404.
    #[error("No such {what}.")]
    NotFound {
        /// What was asked for ("offer or operation").
        what: String,
        /// The service's own words.
        detail: Option<String>,
    },
    /// 400.
    #[error("The service refused the request.")]
    BadRequest {
        /// The service's own words.
        detail: Option<String>,
    },
    /// 429, 5xx.
    #[error("The service is busy (HTTP {status}).")]
    Busy {
        /// The status code.
        status: u16,
        /// How long the service asked us to wait.
        retry_after: Option<Duration>,
        /// The service's own words.
        detail: Option<String>,
    },
    /// The request never got an answer.
    #[error("The proxy at {url} could not be reached.")]
    Unreachable {
        /// The proxy base URL tried.
        url: String,
    },
    /// No answer in time.
    #[error("The service did not answer within {seconds} seconds.")]
    Timeout {
        /// The limit.
        seconds: u64,
    },
    /// An answer that is not what the API sends.
    #[error("The response could not be read: {0}")]
    Unreadable(ParseError),
    /// Any other status.
    #[error("Unexpected answer from the service (HTTP {status}).")]
    Unexpected {
        /// The status code.
        status: u16,
        /// The service's own words.
        detail: Option<String>,
    },
}

impl ApiError {
    /// What the publisher can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            Self::Unauthorized { .. } => "Get a new token (az account get-access-token --resource https://cloudpartner.azure.com) and enter it on the start page, or give the proxy a token.",
            Self::Forbidden { .. } => "Check the publisher id, and ask an owner to add this identity to the publisher account.",
            Self::NotFound { .. } => "Check the publisher, offer and operation ids in the address.",
            Self::BadRequest { .. } => "Check the API version and the ids on the start page.",
            // Trunk's dev proxy also answers 500 with an empty body when it cannot reach the
            // service, so a lasting "busy" is worth a hint.
            Self::Busy { .. } => "The dashboard retries by itself. If it keeps failing, the proxy may not reach the service: check its log.",
            Self::Unreachable { .. } => "Check that the proxy is running and that its URL on the start page is right.",
            Self::Timeout { .. } => "The dashboard retries by itself; if it keeps happening, check the proxy and your connection.",
            Self::Unreadable(_) => "The proxy or the service sent something that is not the CPP API's JSON. Check the proxy URL.",
            Self::Unexpected { .. } => "Try again later; if it persists, check the proxy's log.",
        }
    }

    /// The service's own explanation, if it gave one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { detail }
            | Self::Forbidden { detail }
            | Self::NotFound { detail, .. }
            | Self::BadRequest { detail }
            | Self::Busy { detail, .. }
            | Self::Unexpected { detail, .. } => detail.as_deref(),
            Self::Unreachable { .. } | Self::Timeout { .. } | Self::Unreadable(_) => None,
        }
    }

    /// True when retrying later may help.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Busy { .. } | Self::Unreachable { .. } | Self::Timeout { .. }
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
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound { .. } => "not-found",
            Self::BadRequest { .. } => "bad-request",
            Self::Busy { .. } => "busy",
            Self::Unreachable { .. } => "unreachable",
            Self::Timeout { .. } => "timeout",
            Self::Unreadable(_) => "unreadable",
            Self::Unexpected { .. } => "unexpected",
        }
    }
}
