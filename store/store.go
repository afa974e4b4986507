package store

import (
	"context"
	"errors"
	"time"
)

// Errors returned by the store. Compare them with errors.Is.
var (
	// ErrConflict reports that a conversation changed since it was read (optimistic concurrency),
	// or that a conversation expected not to exist already exists.
	ErrConflict = errors.New("store: version conflict")
	// ErrNotFound reports that the row named by an id or key does not exist.
	ErrNotFound = errors.New("store: not found")
)

// Dialect names returned by Store.Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Queries holds every data operation. Both a Store and the Tx passed to Store.WithTx implement it,
// so a group of operations can run atomically.
type Queries interface {
	// OAuthQueries keeps the organizers' own authorizations (oauth.go).
	OAuthQueries

	// GetConversation returns the stored dialogue state of key, expired or not; found is false
	// when none is stored.
	GetConversation(ctx context.Context, key string) (c Conversation, found bool, err error)
	// PutConversation stores c when the stored version equals expectVersion (0: it must not exist
	// yet) and returns the new version. It returns ErrConflict otherwise.
	PutConversation(ctx context.Context, c Conversation, expectVersion int64) (newVersion int64, err error)
	// DeleteConversation removes the conversation of key; removing a missing one is not an error.
	DeleteConversation(ctx context.Context, key string) error
	// ListExpiredConversations returns up to limit conversations whose ExpiresAt is at or before
	// now, oldest expiry first, so the caller can tell their owners before purging them.
	ListExpiredConversations(ctx context.Context, now time.Time, limit int) ([]Conversation, error)
	// PurgeExpiredConversations removes the conversations whose ExpiresAt is at or before now and
	// returns how many it removed.
	PurgeExpiredConversations(ctx context.Context, now time.Time) (int64, error)

	// ClaimEvent records eventID as processed and reports whether this call was the first to do
	// so: true exactly once per id, across concurrent callers and replicas.
	ClaimEvent(ctx context.Context, eventID string, now time.Time) (first bool, err error)
	// PruneEvents forgets the event ids claimed before the given instant and returns how many.
	PruneEvents(ctx context.Context, before time.Time) (int64, error)

	// BeginMeeting records the intent to create a meeting before Webex is asked. When a meeting
	// with the same IdempotencyKey exists, it returns that one with created false. ID, Status
	// (pending), CreatedAt and UpdatedAt are set by the store.
	BeginMeeting(ctx context.Context, m Meeting) (stored Meeting, created bool, err error)
	// MarkMeetingCreated records the Webex meeting id of a ledger entry and sets it created.
	MarkMeetingCreated(ctx context.Context, id, webexMeetingID string) error
	// MarkMeetingFailed sets a ledger entry failed with a reason (never a secret).
	MarkMeetingFailed(ctx context.Context, id, reason string) error
	// MarkMeetingCancelled sets a ledger entry cancelled.
	MarkMeetingCancelled(ctx context.Context, id string) error
	// UpdateMeeting records the new title, times and designate of a changed meeting.
	UpdateMeeting(ctx context.Context, id string, u MeetingUpdate) error
	// MoveReminder schedules the reminder of a moved meeting at the given instant: like
	// ScheduleReminder, and a reminder already sent is due again (it reminded of the old
	// time). A cancelled one stays cancelled; one being sent right now is left to finish.
	MoveReminder(ctx context.Context, meetingID string, at time.Time) error
	// GetMeeting returns the ledger entry id or ErrNotFound.
	GetMeeting(ctx context.Context, id string) (Meeting, error)
	// GetMeetingByKey returns the ledger entry with the idempotency key or ErrNotFound.
	GetMeetingByKey(ctx context.Context, idempotencyKey string) (Meeting, error)
	// GetMeetingByWebexID returns the ledger entry of a Webex meeting id or ErrNotFound.
	GetMeetingByWebexID(ctx context.Context, webexMeetingID string) (Meeting, error)
	// ListUpcomingMeetings returns up to limit created meetings of the organizer (e-mail compared
	// case-insensitively) that end after now, ordered by start.
	ListUpcomingMeetings(ctx context.Context, organizerEmail string, now time.Time, limit int) ([]Meeting, error)
	// ListPendingMeetings returns the pending intents last updated at or before olderThan, oldest
	// first: the meetings to recover after a crash.
	ListPendingMeetings(ctx context.Context, olderThan time.Time) ([]Meeting, error)

	// Enqueue inserts item unless an item with the same Key exists (whatever its status) and
	// reports whether it inserted. Status (pending), Attempts and the lease are set by the store;
	// an empty ID is chosen by the store (a caller that sets a unique ID knows the inserted
	// item's id without reading it back); a zero DueAt means now.
	Enqueue(ctx context.Context, item OutboxItem) (created bool, err error)
	// ClaimDue leases up to limit pending items due at or before now whose lease is free or
	// expired to owner until now+lease, increments their Attempts and returns them by DueAt.
	// Each item is returned to exactly one claimer until its lease expires.
	ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error)
	// Complete marks an item done.
	Complete(ctx context.Context, id string) error
	// Retry releases an item's lease and makes it due again at nextAt, recording lastErr.
	Retry(ctx context.Context, id string, nextAt time.Time, lastErr string) error
	// Fail marks an item failed (given up), recording lastErr.
	Fail(ctx context.Context, id string, lastErr string) error
	// CancelByKey cancels the pending item with key; a missing or finished item is left as is.
	CancelByKey(ctx context.Context, key string) error
	// GetOutboxItem returns the item with key or ErrNotFound.
	GetOutboxItem(ctx context.Context, key string) (OutboxItem, error)
	// PruneOutbox deletes the finished items (done, failed, cancelled) last updated before the
	// given instant: the outbox's memory of what was sent is kept only that long.
	PruneOutbox(ctx context.Context, before time.Time) (int64, error)
	// OutboxDepth counts the pending items (due or not).
	OutboxDepth(ctx context.Context) (int, error)

	// ScheduleReminder schedules the designate's reminder of a ledger meeting at the given
	// instant: an outbox item of kind KindReminder and key ReminderKey(meetingID) with a
	// ReminderPayload. Scheduling again moves a pending reminder; a sent or cancelled one stays.
	ScheduleReminder(ctx context.Context, meetingID string, at time.Time) error
	// CancelReminder cancels the pending reminder of a ledger meeting, if any.
	CancelReminder(ctx context.Context, meetingID string) error

	// SaveSeries records (or replaces) that a ledger meeting is a Webex series.
	SaveSeries(ctx context.Context, s Series) error
	// GetSeries returns the series of a ledger meeting, or ErrNotFound for one meeting.
	GetSeries(ctx context.Context, meetingID string) (Series, error)
	// ListUpcomingSeries returns the organizer's created meetings that are series whose last
	// occurrence ends after now (or that never end), ordered by first start.
	ListUpcomingSeries(ctx context.Context, organizerEmail string, now time.Time, limit int) ([]Meeting, error)
}

// Tx is the view of the store inside Store.WithTx: every operation commits or rolls back together.
type Tx interface {
	Queries
}

// Store is the durable storage of Relais.
type Store interface {
	Queries
	// WithTx runs fn in one transaction, committed when fn returns nil and rolled back otherwise.
	// fn may run more than once when the database asks for a retry (busy, serialization
	// failure, deadlock), so it must only use tx and have no other side effects. Inside fn, use
	// tx, never the Store: on SQLite the Store waits for the transaction to end.
	WithTx(ctx context.Context, fn func(tx Tx) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
	// Dialect returns DialectSQLite or DialectPostgres.
	Dialect() string
}
