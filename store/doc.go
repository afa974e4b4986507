// Package store keeps what Relais must not lose: dialogue state, the ledger of delegated
// meetings, processed event ids, the outbox of pending sends, and reminders. SQLite (pure Go) is
// the default; PostgreSQL serves several replicas. No SQL leaves this package.
package store
