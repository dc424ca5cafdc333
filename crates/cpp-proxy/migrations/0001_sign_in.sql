-- Sign-in: the sessions, the login transactions in flight, and the audit.
-- One schema for SQLite and PostgreSQL: TEXT and BIGINT only, times in Unix milliseconds.

-- A signed-in user's session. The cookie holds a random value; only its SHA-256 is kept
-- here, so the table's contents sign nobody in.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    tid         TEXT NOT NULL,
    oid         TEXT NOT NULL,
    name        TEXT NOT NULL,
    upn         TEXT NOT NULL,
    roles       TEXT NOT NULL,   -- the dashboard's roles the user holds, space-separated
    created_ms  BIGINT NOT NULL,
    seen_ms     BIGINT NOT NULL, -- the idle timeout counts from here
    expires_ms  BIGINT NOT NULL  -- the absolute lifetime ends here
);
CREATE INDEX sessions_user ON sessions (tid, oid);
CREATE INDEX sessions_expiry ON sessions (expires_ms);

-- A sign-in between /auth/login and /auth/callback (ten minutes at most). The browser's
-- login cookie names it (by the SHA-256 of its value); it is used once.
CREATE TABLE login_transactions (
    id_hash     TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    verifier    TEXT NOT NULL,   -- PKCE
    return_to   TEXT NOT NULL,   -- a local path
    created_ms  BIGINT NOT NULL
);

-- Who did what: every POST, every refused request, every sign-in.
CREATE TABLE audit (
    id              TEXT PRIMARY KEY,
    at_ms           BIGINT NOT NULL,
    request_id      TEXT NOT NULL,
    tid             TEXT,
    oid             TEXT,
    upn             TEXT,
    name            TEXT,
    roles           TEXT NOT NULL,
    action          TEXT NOT NULL,   -- cancel | golive | cancel-job | read | sign-in | sign-out
    publisher       TEXT,
    offer           TEXT,
    target          TEXT,            -- the operation or the configure job
    decision        TEXT NOT NULL,   -- allowed | refused
    reason          TEXT,
    upstream_status BIGINT
);
CREATE INDEX audit_offer ON audit (publisher, offer, at_ms);
CREATE INDEX audit_time ON audit (at_ms);
