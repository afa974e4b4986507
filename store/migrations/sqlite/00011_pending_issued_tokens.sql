-- The tokens Webex issued for an approved device code, sealed, kept on the pending
-- authorization until the approver's identity is checked and the tokens stored (issue 15):
-- Webex issues them once per code, so a failure that passes (or a replica that stops) between
-- the two must not lose them. Empty while the organizer has not approved.

-- +goose Up
ALTER TABLE pending_authorizations ADD COLUMN issued_sealed BLOB NOT NULL DEFAULT X'';

-- +goose Down
ALTER TABLE pending_authorizations DROP COLUMN issued_sealed;
