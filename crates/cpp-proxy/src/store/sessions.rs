//! Sessions and login transactions. Both are looked up by the SHA-256 of the value the
//! browser holds, so what the store keeps signs nobody in.

use sqlx::Row;

use super::{Store, StoreError};

/// A signed-in user's session, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The tenant (`tid`).
    pub tid: String,
    /// The user's object id in the tenant (`oid`): with `tid`, who the user is.
    pub oid: String,
    /// The display name (`name`).
    pub name: String,
    /// The sign-in name (`preferred_username`), for people to read; never an identity.
    pub upn: String,
    /// The dashboard's roles the user holds.
    pub roles: Vec<String>,
    /// When the session began.
    pub created_ms: i64,
    /// When it was last used.
    pub seen_ms: i64,
    /// When it ends whatever happens.
    pub expires_ms: i64,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow")
            .field("tid", &self.tid)
            .field("oid", &self.oid)
            .field("upn", &self.upn)
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

/// A sign-in in flight, between `/auth/login` and `/auth/callback`.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginTransaction {
    /// `state`, echoed by the identity provider.
    pub state: String,
    /// `nonce`, carried in the ID token.
    pub nonce: String,
    /// The PKCE code verifier.
    pub verifier: String,
    /// Where to go after signing in: a local path.
    pub return_to: String,
    /// When it began.
    pub created_ms: i64,
}

impl std::fmt::Debug for LoginTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginTransaction")
            .field("return_to", &self.return_to)
            .field("created_ms", &self.created_ms)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Stores a new session under `id_hash`, and drops the sessions that have ended.
    pub async fn insert_session(
        &self,
        id_hash: &str,
        session: &SessionRow,
        idle_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, tid, oid, name, upn, roles, created_ms, seen_ms, expires_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id_hash)
        .bind(&session.tid)
        .bind(&session.oid)
        .bind(&session.name)
        .bind(&session.upn)
        .bind(session.roles.join(" "))
        .bind(session.created_ms)
        .bind(session.seen_ms)
        .bind(session.expires_ms)
        .execute(self.pool())
        .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1 OR seen_ms <= $2")
            .bind(session.created_ms)
            .bind(session.created_ms - idle_ms)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The session under `id_hash` if it has not ended at `now_ms` (idle for `idle_ms`, or
    /// past its lifetime). A live session's last use moves to `now_ms` when it is more than
    /// `touch_ms` old, so an active user stays signed in without a write per request.
    pub async fn session(
        &self,
        id_hash: &str,
        now_ms: i64,
        idle_ms: i64,
        touch_ms: i64,
    ) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT tid, oid, name, upn, roles, created_ms, seen_ms, expires_ms \
             FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let roles: String = row.try_get("roles")?;
        let mut session = SessionRow {
            tid: row.try_get("tid")?,
            oid: row.try_get("oid")?,
            name: row.try_get("name")?,
            upn: row.try_get("upn")?,
            roles: roles.split_whitespace().map(str::to_owned).collect(),
            created_ms: row.try_get("created_ms")?,
            seen_ms: row.try_get("seen_ms")?,
            expires_ms: row.try_get("expires_ms")?,
        };
        if now_ms >= session.expires_ms || now_ms >= session.seen_ms + idle_ms {
            self.delete_session(id_hash).await?;
            return Ok(None);
        }
        if now_ms - session.seen_ms > touch_ms {
            sqlx::query("UPDATE sessions SET seen_ms = $1 WHERE id_hash = $2")
                .bind(now_ms)
                .bind(id_hash)
                .execute(self.pool())
                .await?;
            session.seen_ms = now_ms;
        }
        Ok(Some(session))
    }

    /// Ends the session under `id_hash` (nothing when there is none).
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of one user (`tid`, `oid`); returns how many there were.
    pub async fn delete_user_sessions(&self, tid: &str, oid: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE tid = $1 AND oid = $2")
            .bind(tid)
            .bind(oid)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Stores a login transaction under `id_hash`, and drops those older than `max_age_ms`.
    pub async fn insert_login(
        &self,
        id_hash: &str,
        login: &LoginTransaction,
        max_age_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_transactions WHERE created_ms <= $1")
            .bind(login.created_ms - max_age_ms)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO login_transactions (id_hash, state, nonce, verifier, return_to, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash)
        .bind(&login.state)
        .bind(&login.nonce)
        .bind(&login.verifier)
        .bind(&login.return_to)
        .bind(login.created_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the login transaction under `id_hash`: it is gone afterwards, so a callback
    /// replayed finds nothing. `None` when there is none or it is older than `max_age_ms`.
    pub async fn take_login(
        &self,
        id_hash: &str,
        now_ms: i64,
        max_age_ms: i64,
    ) -> Result<Option<LoginTransaction>, StoreError> {
        let row = sqlx::query(
            "DELETE FROM login_transactions WHERE id_hash = $1 \
             RETURNING state, nonce, verifier, return_to, created_ms",
        )
        .bind(id_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let login = LoginTransaction {
            state: row.try_get("state")?,
            nonce: row.try_get("nonce")?,
            verifier: row.try_get("verifier")?,
            return_to: row.try_get("return_to")?,
            created_ms: row.try_get("created_ms")?,
        };
        Ok((now_ms - login.created_ms < max_age_ms).then_some(login))
    }
}
