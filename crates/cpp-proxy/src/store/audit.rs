//! The audit's rows: who did what, and what came of it.

use serde::Serialize;
use sqlx::Row;

use super::{Store, StoreError};

/// One audit record. It never holds a token, a cookie or a secret: only who (`tid`, `oid`,
/// the names people read), what, on which offer, and the outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    /// A unique id.
    pub id: String,
    /// When, in Unix milliseconds.
    pub at_ms: i64,
    /// The request's id (`X-Request-Id`, and the proxy's log line).
    pub request_id: String,
    /// The user's tenant, when someone was signed in.
    pub tid: Option<String>,
    /// The user's object id.
    pub oid: Option<String>,
    /// The user's sign-in name.
    pub upn: Option<String>,
    /// The user's display name.
    pub name: Option<String>,
    /// The dashboard's roles the user held.
    pub roles: Vec<String>,
    /// `cancel`, `golive`, `cancel-job`, `read`, `sign-in`, `sign-out`.
    pub action: String,
    /// The publisher.
    pub publisher: Option<String>,
    /// The offer.
    pub offer: Option<String>,
    /// The operation or the configure job.
    pub target: Option<String>,
    /// `allowed` or `refused`.
    pub decision: String,
    /// Why it was refused (or what failed).
    pub reason: Option<String>,
    /// What the service answered, when the request went on to it.
    pub upstream_status: Option<u16>,
}

/// Which records to read.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Only this publisher's.
    pub publisher: Option<String>,
    /// Only this offer's.
    pub offer: Option<String>,
    /// At most this many, the newest first.
    pub limit: u32,
}

impl Store {
    /// Writes one record.
    pub async fn insert_audit(&self, row: &AuditRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit (id, at_ms, request_id, tid, oid, upn, name, roles, action, \
             publisher, offer, target, decision, reason, upstream_status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&row.id)
        .bind(row.at_ms)
        .bind(&row.request_id)
        .bind(row.tid.as_deref())
        .bind(row.oid.as_deref())
        .bind(row.upn.as_deref())
        .bind(row.name.as_deref())
        .bind(row.roles.join(" "))
        .bind(&row.action)
        .bind(row.publisher.as_deref())
        .bind(row.offer.as_deref())
        .bind(row.target.as_deref())
        .bind(&row.decision)
        .bind(row.reason.as_deref())
        .bind(row.upstream_status.map(i64::from))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The newest records that match, newest first.
    pub async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at_ms, request_id, tid, oid, upn, name, roles, action, publisher, offer, \
             target, decision, reason, upstream_status FROM audit \
             WHERE ($1 IS NULL OR publisher = $1) AND ($2 IS NULL OR offer = $2) \
             ORDER BY at_ms DESC, id DESC LIMIT $3",
        )
        .bind(query.publisher.as_deref())
        .bind(query.offer.as_deref())
        .bind(i64::from(query.limit.clamp(1, 1000)))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let roles: String = row.try_get("roles")?;
                let status: Option<i64> = row.try_get("upstream_status")?;
                Ok(AuditRow {
                    id: row.try_get("id")?,
                    at_ms: row.try_get("at_ms")?,
                    request_id: row.try_get("request_id")?,
                    tid: row.try_get("tid")?,
                    oid: row.try_get("oid")?,
                    upn: row.try_get("upn")?,
                    name: row.try_get("name")?,
                    roles: roles.split_whitespace().map(str::to_owned).collect(),
                    action: row.try_get("action")?,
                    publisher: row.try_get("publisher")?,
                    offer: row.try_get("offer")?,
                    target: row.try_get("target")?,
                    decision: row.try_get("decision")?,
                    reason: row.try_get("reason")?,
                    upstream_status: status.and_then(|s| u16::try_from(s).ok()),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
