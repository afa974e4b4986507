-- Instants are unix milliseconds (UTC); 0 means "none". Applied under a session advisory lock.

-- +goose Up
CREATE TABLE IF NOT EXISTS conversations (
    key        TEXT    NOT NULL PRIMARY KEY,
    state      BYTEA   NOT NULL,
    version    BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS conversations_expires_at ON conversations (expires_at) WHERE expires_at > 0;

CREATE TABLE IF NOT EXISTS processed_events (
    event_id TEXT    NOT NULL PRIMARY KEY,
    seen_at  BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_events_seen_at ON processed_events (seen_at);

CREATE TABLE IF NOT EXISTS meetings (
    id               TEXT    NOT NULL PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    organizer_email  TEXT    NOT NULL,
    organizer_key    TEXT    NOT NULL,
    organizer_name   TEXT    NOT NULL,
    designate_email  TEXT    NOT NULL,
    designate_name   TEXT    NOT NULL,
    webex_meeting_id TEXT    NOT NULL DEFAULT '',
    title            TEXT    NOT NULL,
    start_at         BIGINT  NOT NULL,
    end_at           BIGINT  NOT NULL,
    time_zone        TEXT    NOT NULL,
    lang             TEXT    NOT NULL,
    room_id          TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    fail_reason      TEXT    NOT NULL DEFAULT '',
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_upcoming ON meetings (organizer_key, status, start_at);
CREATE INDEX IF NOT EXISTS meetings_status ON meetings (status, updated_at);
CREATE INDEX IF NOT EXISTS meetings_webex_id ON meetings (webex_meeting_id) WHERE webex_meeting_id <> '';

CREATE TABLE IF NOT EXISTS outbox (
    id          TEXT    NOT NULL PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    payload     BYTEA   NOT NULL,
    due_at      BIGINT  NOT NULL,
    attempts    BIGINT  NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL,
    lease_owner TEXT    NOT NULL DEFAULT '',
    lease_until BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, due_at);

-- +goose Down
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS meetings;
DROP TABLE IF EXISTS processed_events;
DROP TABLE IF EXISTS conversations;
