-- The watcher: what it last saw of each offer, the events it found, the outbox of their
-- deliveries, each channel's state, and the lease that lets one process poll and send.
-- TEXT and BIGINT only, times in Unix milliseconds, as in 0001.

-- One watched offer: the last look (publishing_model::alerts::Look as JSON) and its polling.
CREATE TABLE watch_offers (
    publisher   TEXT NOT NULL,
    offer       TEXT NOT NULL,
    look        TEXT,            -- none until the first answer
    polled_ms   BIGINT,          -- the last answer (or failure)
    next_ms     BIGINT NOT NULL, -- when it is asked next
    failures    BIGINT NOT NULL, -- in a row
    last_error  TEXT,            -- the last failure, in words (never a secret)
    PRIMARY KEY (publisher, offer)
);

-- An event, once: its deduplication key is the primary key.
CREATE TABLE watch_events (
    key          TEXT PRIMARY KEY,
    grp          TEXT NOT NULL,   -- the operation: its events go out together
    publisher    TEXT NOT NULL,
    offer        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,   -- publishing_model::alerts::Event as JSON
    occurred_ms  BIGINT NOT NULL
);
CREATE INDEX watch_events_time ON watch_events (occurred_ms);

-- The outbox: one row per event and channel, written with the event.
CREATE TABLE watch_deliveries (
    id           TEXT PRIMARY KEY, -- channel and event key; also the webhook-id's source
    event_key    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    grp          TEXT NOT NULL,
    state        TEXT NOT NULL,    -- pending | done | dead
    attempts     BIGINT NOT NULL,
    created_ms   BIGINT NOT NULL,
    next_ms      BIGINT NOT NULL,  -- not before (backoff, Retry-After, quiet hours)
    done_ms      BIGINT,
    last_status  BIGINT,           -- the receiver's HTTP status (or the SMTP reply code)
    last_error   TEXT              -- why it failed, in words (never a URL or a secret)
);
CREATE INDEX watch_deliveries_due ON watch_deliveries (channel, state, next_ms);

-- Each channel's state: disabled by a 410, and its last delivery.
CREATE TABLE watch_channels (
    name         TEXT PRIMARY KEY,
    disabled_ms  BIGINT,
    disabled_why TEXT,
    last_ms      BIGINT,
    last_status  BIGINT,
    last_result  TEXT             -- delivered | retrying | dead | disabled
);

-- One holder at a time polls and sends: it renews its lease; another takes over when the
-- lease has run out.
CREATE TABLE watch_lease (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_ms  BIGINT NOT NULL
);
