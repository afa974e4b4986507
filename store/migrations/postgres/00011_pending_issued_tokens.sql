-- The tokens Webex issued for an approved device code, sealed, kept on the pending
-- authorization until the approver's identity is checked and the tokens stored (issue 15):
-- Webex issues them once per code, so a failure that passes (or a replica that stops) between
-- the two must not lose them. Empty while the organizer has not approved.

-- +goose Up
ALTER TABLE pending_authorizations ADD COLUMN IF NOT EXISTS issued_sealed BYTEA NOT NULL DEFAULT '\x'::bytea;

-- +goose Down
ALTER TABLE pending_authorizations DROP COLUMN IF EXISTS issued_sealed;
