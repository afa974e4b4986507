-- Recurring meetings (issue 13): a ledger meeting that is a Webex series has a row here with its
-- RRULE and the end of its last occurrence (0: the series never ends), so that « mes rencontres »
-- still shows it after its first occurrence. Instants are unix milliseconds (UTC).

-- +goose Up
CREATE TABLE IF NOT EXISTS meeting_series (
    meeting_id  TEXT   NOT NULL PRIMARY KEY,
    recurrence  TEXT   NOT NULL,
    last_end_at BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS meeting_series;
