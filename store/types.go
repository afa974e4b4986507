package store

import (
	"strings"
	"time"
)

// Conversation is the stored dialogue state of one conversation. Instants are returned in UTC.
type Conversation struct {
	// Key identifies the conversation (room, thread, person), built by the caller.
	Key string
	// State is the dialogue state as JSON; the store does not read it.
	State []byte
	// Version increases by one on every successful PutConversation.
	Version int64
	// UpdatedAt is set by PutConversation when zero.
	UpdatedAt time.Time
	// ExpiresAt is when the dialogue expires; zero means never.
	ExpiresAt time.Time
}

// MeetingStatus is the state of a ledger entry.
type MeetingStatus string

// Meeting statuses.
const (
	// MeetingPending means the intent is recorded and Webex may or may not have the meeting.
	MeetingPending MeetingStatus = "pending"
	// MeetingCreated means Webex created the meeting and WebexMeetingID is known.
	MeetingCreated MeetingStatus = "created"
	// MeetingFailed means the creation was given up.
	MeetingFailed MeetingStatus = "failed"
	// MeetingCancelled means the meeting was cancelled.
	MeetingCancelled MeetingStatus = "cancelled"
)

// Meeting is an entry of the ledger of delegated meetings. It holds no host key and no password:
// fetch them from Webex when needed. Start and End are returned in UTC; TimeZone is the IANA zone
// the meeting was scheduled in.
type Meeting struct {
	ID             string
	IdempotencyKey string
	OrganizerEmail string
	OrganizerName  string
	DesignateEmail string
	DesignateName  string
	WebexMeetingID string
	Title          string
	Start          time.Time
	End            time.Time
	TimeZone       string
	Lang           string
	// RoomID is the space the request came from.
	RoomID string
	Status MeetingStatus
	// FailReason explains a failed status.
	FailReason string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MeetingUpdate is what a change of a scheduled meeting rewrites in the ledger: its title,
// times and designate (the Webex meeting is the same).
type MeetingUpdate struct {
	Title          string
	Start          time.Time
	End            time.Time
	DesignateEmail string
	DesignateName  string
}

// OutboxStatus is the state of an outbox item.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxPending   OutboxStatus = "pending"
	OutboxDone      OutboxStatus = "done"
	OutboxFailed    OutboxStatus = "failed"
	OutboxCancelled OutboxStatus = "cancelled"
)

// OutboxItem is a durable job: a pending send or a reminder.
type OutboxItem struct {
	ID string
	// Key deduplicates items, e.g. "designate:<meetingID>".
	Key  string
	Kind string
	// Payload is JSON chosen by the caller; never put a secret in it.
	Payload []byte
	DueAt   time.Time
	// Attempts counts the claims by ClaimDue (a claim that crashed counts too).
	Attempts   int
	LastError  string
	Status     OutboxStatus
	LeaseOwner string
	// LeaseUntil is zero when the item is not leased.
	LeaseUntil time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// KindReminder is the outbox kind of the designate's reminder.
const KindReminder = "reminder"

// ReminderPayload is the payload of a KindReminder item.
type ReminderPayload struct {
	// MeetingID is the ledger id (Meeting.ID), not the Webex id.
	MeetingID string `json:"meetingId"`
}

// ReminderKey returns the outbox key of the reminder of a ledger meeting.
func ReminderKey(meetingID string) string { return "reminder:" + meetingID }

// normEmail is how e-mail addresses are compared.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func toMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
