//! The audit: who did what. One record for every POST, every refused API request and every
//! sign-in, written as a JSON line (to `--audit-log`, else to the log's `audit` target) and,
//! with sign-in on, to the store, where `/auth/audit` reads it. A record never holds a
//! token, a cookie or a secret.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use crate::config::ConfigError;
use crate::secret;
use crate::store::{now_ms, AuditRow, SessionRow, Store};

/// What a request did, as the audit names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `POST …/cancel`.
    Cancel,
    /// `POST …/golive`.
    GoLive,
    /// `POST /configure/{job}/cancel`.
    CancelJob,
    /// Any GET.
    Read,
    /// `/auth/callback`.
    SignIn,
    /// `/auth/logout`.
    SignOut,
}

impl Action {
    /// The audit's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cancel => "cancel",
            Self::GoLive => "golive",
            Self::CancelJob => "cancel-job",
            Self::Read => "read",
            Self::SignIn => "sign-in",
            Self::SignOut => "sign-out",
        }
    }
}

/// What an audit record is about, apart from who.
#[derive(Clone, Debug, Default)]
pub(crate) struct Subject {
    pub(crate) publisher: Option<String>,
    pub(crate) offer: Option<String>,
    pub(crate) target: Option<String>,
}

/// Where records go.
pub(crate) struct Audit {
    file: Option<Mutex<std::fs::File>>,
    store: Option<Store>,
}

impl Audit {
    /// Records to `path` (appended) or the log, and to `store` when there is one.
    pub(crate) fn open(path: Option<&Path>, store: Option<Store>) -> Result<Self, ConfigError> {
        let file = match path {
            Some(path) => Some(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| {
                        ConfigError::AuditLog(path.display().to_string(), e.to_string())
                    })?,
            )),
            None => None,
        };
        Ok(Self { file, store })
    }

    /// A record of `action` by `user` (nobody signed in when `None`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn row(
        request_id: &str,
        user: Option<&SessionRow>,
        action: Action,
        subject: Subject,
        refused: Option<&str>,
        upstream_status: Option<u16>,
    ) -> AuditRow {
        AuditRow {
            id: secret::random(),
            at_ms: now_ms(),
            request_id: request_id.to_owned(),
            tid: user.map(|u| u.tid.clone()),
            oid: user.map(|u| u.oid.clone()),
            upn: user.map(|u| u.upn.clone()),
            name: user.map(|u| u.name.clone()),
            roles: user.map(|u| u.roles.clone()).unwrap_or_default(),
            action: action.as_str().to_owned(),
            publisher: subject.publisher,
            offer: subject.offer,
            target: subject.target,
            decision: if refused.is_some() {
                "refused"
            } else {
                "allowed"
            }
            .to_owned(),
            reason: refused.map(str::to_owned),
            upstream_status,
        }
    }

    /// Writes `row` everywhere it goes. A failure is logged; the request it records has
    /// already been answered.
    pub(crate) async fn record(&self, row: AuditRow) {
        let line = serde_json::to_string(&row).unwrap_or_default();
        match &self.file {
            Some(file) => {
                let mut file = file
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Err(e) = writeln!(file, "{line}") {
                    tracing::error!(error = %e, "the audit log could not be written");
                }
            }
            None => tracing::info!(target: "audit", record = %line, "audit"),
        }
        if let Some(store) = &self.store {
            if let Err(e) = store.insert_audit(&row).await {
                tracing::error!(error = %e, "the audit record could not be stored");
            }
        }
    }
}
