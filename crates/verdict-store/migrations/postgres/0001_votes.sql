-- Reader votes on our picks.
CREATE TABLE votes (
    id          BIGSERIAL PRIMARY KEY,
    -- Canonical comparison key, slugs sorted: go-vs-rust.
    comparison  TEXT     NOT NULL,
    choice      TEXT     NOT NULL CHECK (choice IN ('agree', 'disagree')),
    would_pick  TEXT,
    -- Exactly as the reader wrote it; escaped on output.
    reason      TEXT,
    -- HMAC of (comparison, address, user agent) under the day's salt.
    -- Set to NULL once the salt is deleted (two days later).
    reader      BYTEA,
    -- UTC date, YYYY-MM-DD.
    day         TEXT     NOT NULL,
    -- Seconds since the Unix epoch.
    created_at  BIGINT   NOT NULL,
    hidden      BOOLEAN  NOT NULL DEFAULT FALSE,
    hidden_at   BIGINT
);

-- One vote per reader per comparison per day (NULL readers never clash).
CREATE UNIQUE INDEX votes_one_per_reader_day ON votes (comparison, day, reader);
CREATE INDEX votes_by_comparison ON votes (comparison, id);
CREATE INDEX votes_with_reader_by_day ON votes (day) WHERE reader IS NOT NULL;

-- Running counts, updated in the same transaction as the votes.
CREATE TABLE tallies (
    comparison  TEXT    PRIMARY KEY,
    agree       BIGINT  NOT NULL DEFAULT 0,
    disagree    BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE picks (
    comparison  TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    n           BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (comparison, topic)
);

-- Daily salts for reader hashes; deleted after two days.
CREATE TABLE salts (
    day   TEXT  PRIMARY KEY,
    salt  BYTEA NOT NULL
);
