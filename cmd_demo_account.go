package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"time"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store/sealed"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// `relais demo --own-account`: meetings are created with the organizer's own Webex account.
// Relais gives the code to connect it; pressing Enter approves it as the person talking, as
// they would in their browser, and Relais carries on.

// ownAccount switches the demo's runtime to each organizer's own account.
func (d *demo) ownAccount(cfg *bot.RuntimeConfig) error {
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return err
	}
	kr, err := sealed.ParseKeyring("demo:" + base64.StdEncoding.EncodeToString(key[:]))
	if err != nil {
		return err
	}
	cfg.MeetingsToken = ""
	cfg.OwnAccounts = &bot.OwnAccountsConfig{ClientID: d.fake.IntegrationClientID(),
		ClientSecret: d.fake.IntegrationClientSecret(), Keyring: kr}
	d.fake.SetOAuthLifetimes(webextest.OAuthLifetimes{Interval: time.Second})
	return nil
}

// offerApproval says how to approve a code waiting for the organizer.
func (d *demo) offerApproval(w io.Writer, organizer string) {
	if len(d.fake.PendingAuthorizations()) == 0 {
		return
	}
	fmt.Fprintf(w, "(Press Enter to approve the code as %s, as you would in your browser.)\n\n", organizer)
}

// approve approves the pending code as the organizer and shows what Relais does next.
func (d *demo) approve(ctx context.Context, w io.Writer, organizer, room string) {
	pending := d.fake.PendingAuthorizations()
	if len(pending) == 0 {
		return
	}
	before := d.count(organizer, room)
	if _, err := d.fake.Approve(pending[len(pending)-1].UserCode, organizer); err != nil {
		fmt.Fprintf(w, "(could not approve: %v)\n", err)
		return
	}
	fmt.Fprintf(w, "(Approved as %s; Relais notices within a few seconds.)\n", organizer)
	deadline := time.Now().Add(30 * time.Second)
	for d.count(organizer, room) == before && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	d.rt.Bot.Wait()
	d.printNew(w, organizer, room)
}

// count is how many messages the bot posted where the organizer talks.
func (d *demo) count(organizer, room string) int {
	if room != "" {
		return len(d.fake.RoomMessages(room))
	}
	return len(d.fake.BotMessages(organizer))
}
