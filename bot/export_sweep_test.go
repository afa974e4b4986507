package bot

import "context"

// SweepNowForTest runs one sweep of abandoned intents and the jobs it made due, and waits for
// them (sweep.go).
func SweepNowForTest(ctx context.Context, b *Bot) {
	b.sweepAbandoned(ctx)
	b.runDue(ctx)
	b.lanes.wait()
}

// AbandonedKey is the outbox key of the sweep's job for a ledger entry.
func AbandonedKey(ledgerID string) string { return abandonedKey(ledgerID) }
