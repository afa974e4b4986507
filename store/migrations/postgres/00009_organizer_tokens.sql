-- Organizers' own Webex authorizations (RELAIS_MEETINGS_AUTH=user). Every token and code is
-- stored sealed (AES-GCM, package store/sealed); key_id names the key that sealed the row, so
-- a rotation can find the rows still sealed with an old key. Instants are unix milliseconds.
-- Applied under a session advisory lock.

-- +goose Up
CREATE TABLE IF NOT EXISTS organizer_tokens (
    person_id          TEXT    NOT NULL PRIMARY KEY,
    person_email       TEXT    NOT NULL,
    email_key          TEXT    NOT NULL,
    access_sealed      BYTEA   NOT NULL,
    refresh_sealed     BYTEA   NOT NULL,
    access_expires_at  BIGINT  NOT NULL DEFAULT 0,
    refresh_expires_at BIGINT  NOT NULL DEFAULT 0,
    scopes             TEXT    NOT NULL DEFAULT '',
    key_id             TEXT    NOT NULL,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS organizer_tokens_email ON organizer_tokens (email_key);
CREATE INDEX IF NOT EXISTS organizer_tokens_key_id ON organizer_tokens (key_id);

CREATE TABLE IF NOT EXISTS pending_authorizations (
    id                 TEXT    NOT NULL PRIMARY KEY,
    person_id          TEXT    NOT NULL UNIQUE,
    person_email       TEXT    NOT NULL,
    device_code_sealed BYTEA   NOT NULL,
    user_code_sealed   BYTEA   NOT NULL,
    verification_uri   TEXT    NOT NULL DEFAULT '',
    key_id             TEXT    NOT NULL,
    expires_at         BIGINT  NOT NULL,
    interval_ms        BIGINT  NOT NULL,
    next_poll_at       BIGINT  NOT NULL,
    request_ref        TEXT    NOT NULL DEFAULT '',
    payload            BYTEA   NOT NULL,
    lease_owner        TEXT    NOT NULL DEFAULT '',
    lease_until        BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_authorizations_due ON pending_authorizations (next_poll_at);

-- +goose Down
DROP TABLE IF EXISTS pending_authorizations;
DROP TABLE IF EXISTS organizer_tokens;
