package bot_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// refusingMeetings is a proxy in front of fake that, while refuse is set, answers 403 for Webex
// to every meetings call (the organizer's own token lacks a permission).
func refusingMeetings(t *testing.T, fake *webextest.Server, refuse *atomic.Bool) string {
	return intercept(t, fake, func(w http.ResponseWriter, r *http.Request, _ []byte, _ http.Handler) bool {
		if !refuse.Load() || !strings.HasPrefix(r.URL.Path, "/v1/meetings") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"The user does not have the required scope.","trackingId":"test"}`))
		return true
	})
}

// TestOwnAccountSeriesCancelRefused: Webex answers 403 to the organizer's own token on the
// cancellation of one occurrence of their series (a permission withdrawn; a proxy answers for
// Webex). As for a single meeting: the tokens are forgotten and the organizer is told that
// their own authorization is at fault (not that an administrator was notified); nothing is
// cancelled and the designate hears nothing. The same in English for the whole series.
func TestOwnAccountSeriesCancelRefused(t *testing.T) {
	t.Parallel()
	clk := newClock(reference)
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	var refuse atomic.Bool
	api := refusingMeetings(t, fake, &refuse)
	h := newHarness(t, ownAccounts(t, harnessOptions{mode: "webhook", fake: fake, clock: clk, apiURL: api}))
	connected(t, h)
	h.dm(alex, "programme une rencontre pour Bob Smith chaque vendredi à 10 h pendant 3 semaines")
	h.dm(alex, "oui")
	ms := fake.Meetings()
	require.Len(t, ms, 1)
	occurrences := len(fake.Occurrences(ms[0].ID))
	require.Len(t, fake.BotMessages(bob), 1)

	refuse.Store(true)
	confirm := joined(h.dm(alex, "annule la rencontre de vendredi prochain"))
	assert.Contains(t, confirm, "juin 2026", confirm)
	r := joined(h.dm(alex, "oui"))
	assert.Contains(t, r, "Webex a refusé d'agir avec votre compte Webex", r)
	assert.NotContains(t, r, "administrateur de Relais en est avisé")
	ok, err := accountsOf(h).Connected(context.Background(), "", alex)
	require.NoError(t, err)
	assert.False(t, ok, "the refused tokens are forgotten")
	assert.Len(t, fake.Occurrences(ms[0].ID), occurrences, "nothing cancelled")
	assert.Len(t, fake.BotMessages(bob), 1, "the designate hears nothing")

	// In English, the whole series.
	refuse.Store(false)
	h.dm(bob, "connect my account")
	_, err = fake.Approve(pendingCode(t, fake), bob)
	require.NoError(t, err)
	until(t, hasMessage(fake, bob, "Your Webex account is connected"), clk)
	h.dm(bob, "schedule a meeting for Jean Dupont every other Thursday at 2pm, 5 times")
	h.dm(bob, "yes")
	require.Len(t, fake.Meetings(), 2)
	require.Len(t, fake.BotMessages(jean), 1)
	refuse.Store(true)
	h.dm(bob, "cancel the series")
	r = joined(h.dm(bob, "yes"))
	assert.Contains(t, r, "Webex refused to act with your Webex account", r)
	assert.NotContains(t, r, "administrator has been notified")
	ok, err = accountsOf(h).Connected(context.Background(), "", bob)
	require.NoError(t, err)
	assert.False(t, ok, "the refused tokens are forgotten")
	assert.Len(t, fake.Meetings(), 2, "nothing cancelled")
	assert.Len(t, fake.BotMessages(jean), 1, "the designate hears nothing")
}

// TestOwnAccountOccurrenceReminderRefused: at an occurrence's reminder, Webex answers 403 to
// the organizer's own token: the tokens are forgotten, and the job's next attempt reminds the
// designate without the key and tells the organizer why, instead of failing until given up.
func TestOwnAccountOccurrenceReminderRefused(t *testing.T) {
	t.Parallel()
	clk := newClock(reference)
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	var refuse atomic.Bool
	api := refusingMeetings(t, fake, &refuse)
	h := newHarness(t, ownAccounts(t, harnessOptions{mode: "webhook", fake: fake, clock: clk, apiURL: api,
		botConfig: bot.Config{ReminderBefore: 30 * time.Minute}}))
	connected(t, h)
	h.dm(alex, "programme une rencontre pour Bob Smith chaque vendredi à 10 h pendant 2 semaines")
	h.dm(alex, "oui")
	require.Len(t, fake.Meetings(), 1)
	require.Len(t, fake.BotMessages(bob), 1)
	hostKeys := []string{fake.Meetings()[0].HostKey}
	for _, o := range fake.Occurrences(fake.Meetings()[0].ID) {
		hostKeys = append(hostKeys, o.HostKey)
	}
	before := len(fake.BotMessages(alex))

	refuse.Store(true)
	clk.Advance(3*24*time.Hour + 35*time.Minute) // Friday 19 June, 09:35: the first reminder is due
	until(t, func() bool { return len(fake.BotMessages(bob)) == 2 }, clk)
	reminder := fake.BotMessages(bob)[1].Markdown
	assert.Contains(t, reminder, "Rappel")
	assert.Contains(t, reminder, "ne peux plus lire la clé organisateur")
	for _, k := range hostKeys {
		assert.NotContains(t, reminder, k)
	}
	until(t, func() bool { return len(fake.BotMessages(alex)) > before }, clk)
	assert.Contains(t, texts(fake.BotMessages(alex)[before:]), "votre compte Webex n'est plus connecté")
	ok, err := accountsOf(h).Connected(context.Background(), "", alex)
	require.NoError(t, err)
	assert.False(t, ok, "the refused tokens are forgotten")
}
