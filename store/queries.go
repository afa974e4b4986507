package store

import (
	"context"
	"database/sql"
	"time"
)

// dbtx is what *sql.DB and *sql.Tx have in common.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries implements Queries. The SQL text is shared by both dialects ($n placeholders,
// ON CONFLICT, RETURNING); only the claim differs. w runs writes, r reads: on SQLite w is the
// single writer connection and r the reader pool; in a transaction both are the *sql.Tx.
type queries struct {
	w, r    dbtx
	dialect string
	now     func() time.Time
}

var _ Queries = queries{}

// affected returns the rows affected by res.
func affected(res sql.Result) (int64, error) {
	return res.RowsAffected()
}

// nonNil returns b, or an empty slice for nil (the columns are NOT NULL).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
