// Package store keeps what Relais must not lose: dialogue state, the ledger of delegated
// meetings, processed event ids, the outbox of pending sends, and reminders. SQLite (pure Go) is
// the default; PostgreSQL serves several replicas. No SQL leaves this package.
//
// Open chooses the backend from the DSN and applies the embedded migrations (goose; on
// PostgreSQL under a session advisory lock, so replicas may start together). Both backends run
// the same SQL text and pass the same test suite.
//
// Instants are stored as unix milliseconds in UTC and returned in UTC; the IANA zone name of a
// meeting is stored beside them. No host key or meeting password is ever stored: the types have
// no field for them.
//
// Exactly-once building blocks:
//   - ClaimEvent inserts an event id under a primary key: one caller wins.
//   - BeginMeeting records an intent under a unique idempotency key before Webex is called.
//   - Enqueue deduplicates on the item key; ClaimDue leases due items in one statement (FOR
//     UPDATE SKIP LOCKED on PostgreSQL, the single writer on SQLite), so a lease has one owner.
//   - WithTx groups operations; on SQLite one writer connection per process serializes the
//     writes and busy_timeout covers other processes.
//
// The organizers' own Webex authorizations (oauth.go: their tokens, and the device
// authorizations waiting for their approval) are stored sealed by the caller with
// store/sealed; the store never sees a token or a code in clear.
package store
