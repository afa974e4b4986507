package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// prepared runs every statement through a *sql.Stmt kept per SQL text, so SQLite parses and plans
// each statement once per connection instead of on every call (preparation was 8 % of the bot's
// CPU under load). The set of texts is fixed by the code, so the cache is bounded. database/sql
// prepares a Stmt again on each pooled connection that needs it.
//
// PostgreSQL does not use it: pgx keeps its own statement cache per connection.
type prepared struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

var _ dbtx = (*prepared)(nil)

func newPrepared(db *sql.DB) *prepared { return &prepared{db: db, m: make(map[string]*sql.Stmt)} }

// lookup returns the statement of query if it is prepared already.
func (p *prepared) lookup(query string) *sql.Stmt {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.m[query]
}

// stmt returns the statement of query, preparing it when needed. The lock is not held while
// preparing: on SQLite the writer pool has one connection, which a transaction may be holding,
// and that transaction must still be able to look statements up.
func (p *prepared) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s := p.lookup(query); s != nil {
		return s, nil
	}
	s, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if cur := p.m[query]; cur != nil {
		_ = s.Close() // prepared twice at once: keep the first
		return cur, nil
	}
	p.m[query] = s
	return s, nil
}

func (p *prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (p *prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (p *prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := p.stmt(ctx, query)
	if err != nil {
		// *sql.Row cannot be built with an error: let the database report it.
		return p.db.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// inTx returns the view of p inside tx: the statements already prepared, bound to the
// transaction's connection (where they are prepared already: SQLite's writer pool has one
// connection). A statement not prepared yet runs unprepared: preparing it on the pool would wait
// for the connection the transaction holds.
func (p *prepared) inTx(tx *sql.Tx) dbtx { return preparedTx{p: p, tx: tx} }

// close releases the statements.
func (p *prepared) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for q, s := range p.m {
		errs = append(errs, s.Close())
		delete(p.m, q)
	}
	return errors.Join(errs...)
}

type preparedTx struct {
	p  *prepared
	tx *sql.Tx
}

func (t preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s := t.p.lookup(query)
	if s == nil {
		return t.tx.ExecContext(ctx, query, args...)
	}
	return t.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
}

func (t preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s := t.p.lookup(query)
	if s == nil {
		return t.tx.QueryContext(ctx, query, args...)
	}
	return t.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
}

func (t preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s := t.p.lookup(query)
	if s == nil {
		return t.tx.QueryRowContext(ctx, query, args...)
	}
	return t.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
}
