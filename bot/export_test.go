package bot

import "github.com/relaisbot/relais/store"

// WrapStoreForTest replaces the store the bot uses with wrap(store), before Run: the tests
// inject database failures this way.
func WrapStoreForTest(b *Bot, wrap func(store.Store) store.Store) { b.store = wrap(b.store) }
