package bot

import (
	"time"

	"github.com/relaisbot/relais/store"
)

// WrapStoreForTest replaces the store the bot uses with wrap(store), before Run: the tests
// inject database failures this way.
func WrapStoreForTest(b *Bot, wrap func(store.Store) store.Store) { b.store = wrap(b.store) }

// SetHousekeepingInterval makes the runtime's hourly housekeeping run every d instead, before
// Run.
func SetHousekeepingInterval(r *Runtime, d time.Duration) { r.housekeepEvery = d }

// ConversationKey is the store key of a conversation, for tests that look into the store.
func ConversationKey(roomID, roomType, threadRoot, personID string) string {
	return conversationKey(roomID, roomType, threadRoot, personID)
}

// EventKey is the store key of an event's outbox row.
func EventKey(id string) string { return eventKey(id) }
