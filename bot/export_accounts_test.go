package bot

import "github.com/relaisbot/relais/accounts"

// AccountsForTest returns the organizers' accounts the bot uses (nil with a Service App).
func AccountsForTest(b *Bot) *accounts.Accounts { return b.accounts }
