-- The watcher's history: every step run it saw begin, with the poll interval each end was
-- seen in (the run began after started_after_ms and by started_ms; it ended after
-- ended_after_ms and by ended_ms). Times in Unix milliseconds, as in 0001.
CREATE TABLE watch_runs (
    publisher         TEXT NOT NULL,
    offer             TEXT NOT NULL,
    publish           TEXT NOT NULL,   -- publishing_model::alerts::Look::publish
    step_key          TEXT NOT NULL,   -- publishing_model::timeline::step_key
    step_name         TEXT NOT NULL,
    started_after_ms  BIGINT NOT NULL,
    started_ms        BIGINT NOT NULL,
    ended_after_ms    BIGINT,
    ended_ms          BIGINT,
    outcome           TEXT,            -- succeeded | failed | canceled
    PRIMARY KEY (publisher, offer, publish, step_key)
);
CREATE INDEX watch_runs_publisher ON watch_runs (publisher, step_key, outcome);
