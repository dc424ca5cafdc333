//! The faults the simulator can answer with, and the run-time fault plan.

use chrono::Utc;
use publishing_model::{Message, MessageLevel, Timestamp};
use serde::{Deserialize, Serialize};

/// A fault the simulator can answer with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// 400 with an error body.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 429 with `Retry-After: 2`.
    Throttled,
    /// 500.
    ServerError,
    /// The normal answer, 3 seconds late.
    Slow,
    /// The normal answer cut in half.
    Truncated,
    /// The normal answer with a trailing comma, as in the seed samples.
    Malformed,
    /// `messageHtml` (and text fields) carrying XSS payloads.
    Xss,
}

impl Fault {
    /// Every fault, for docs and tests.
    pub const ALL: [Fault; 10] = [
        Self::BadRequest,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::Throttled,
        Self::ServerError,
        Self::Slow,
        Self::Truncated,
        Self::Malformed,
        Self::Xss,
    ];

    /// From its kebab-case name.
    pub fn parse(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }
}

/// Payloads for `Fault::Xss`: each would run script or load something if injected raw.
pub const XSS_PAYLOADS: [&str; 6] = [
    "<img src=x onerror=\"window.__xss=1;fetch('/xss-img')\">image",
    "<script>window.__xss=2</script>script tag",
    "<a href=\"javascript:window.__xss=3\">javascript link</a>",
    "<svg onload=\"window.__xss=4\"><script>window.__xss=5</script></svg>svg",
    "<iframe src=\"javascript:parent.__xss=6\"></iframe><b onmouseover=\"window.__xss=7\">bold</b>",
    "<style>body{display:none}</style><form action=\"https://evil.example\"><input name=q></form>form",
];

/// A fault set at run time: for the next `remaining` requests, or until cleared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultPlan {
    /// The fault, `None` to clear.
    pub kind: Option<Fault>,
    /// How many API requests it applies to; `None` means until cleared.
    #[serde(default)]
    pub count: Option<u32>,
}

pub(super) fn inject_xss(steps: &mut [publishing_model::Step]) {
    let now = Timestamp::from_instant(Utc::now());
    for step in steps.iter_mut().take(2) {
        for payload in XSS_PAYLOADS {
            step.messages.push(Message {
                html: Some(payload.to_owned()),
                level: Some(MessageLevel::Warning),
                timestamp: Some(now.clone()),
            });
        }
    }
}
