package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

const (
	jeanDupont = "jean.dupont@example.com"
	alexMartin = "alex.martin@example.com"
	// crashRequest is always valid whatever the time of day: tomorrow 11:00 is at least eleven
	// hours away (the fake and the child both use the real clock).
	crashRequest = "programme une rencontre pour Jean Dupont demain à 11 h"
)

// TestCrashRecovery kills a real `relais run` (SIGKILL) between the request and the « oui », and
// at each failpoint of the confirmation, restarts it on the same database, and checks the end
// state: one meeting, one message to the designate with that meeting's host key, and the
// organizer informed once.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	bin := buildRelais(t)
	for _, fp := range []string{"between-turns", "after-intent-recorded", "after-meeting-created", "after-designate-sent"} {
		t.Run(fp, func(t *testing.T) {
			t.Parallel()
			started := time.Now()
			defer func() { t.Logf("wall time %s", time.Since(started).Round(time.Millisecond)) }()

			fake := webextest.NewTestServer(t, webextest.Options{})
			fake.SetFaults(unkind(webextest.Faults{}))
			db := filepath.Join(t.TempDir(), "relais.db")
			// No reminder: the outbox must be empty at the end.
			extra := []string{"RELAIS_REMINDER_BEFORE=0"}
			if fp != "between-turns" {
				extra = append(extra, "RELAIS_FAILPOINT="+fp)
			}
			first := startChild(t, bin, childEnv(fake, db, extra...))
			first.waitFor(`"state":"connected"`, 30*time.Second)

			sayAndWait(t, fake, alexMartin, crashRequest, 1)
			require.Contains(t, fake.BotMessages(alexMartin)[0].Markdown, "Jean Dupont")
			if fp == "between-turns" {
				// Killed once the request is fully handled: the dialogue waits for « oui » in
				// the database only.
				first.waitFor(`"message":"event handled"`, 30*time.Second)
				first.kill()
				second := startChild(t, bin, childEnv(fake, db, "RELAIS_REMINDER_BEFORE=0"))
				second.waitFor(`"state":"connected"`, 30*time.Second)
				_, err := fake.Say(webextest.SayRequest{From: alexMartin, Text: "oui"})
				require.NoError(t, err)
				checkRecovered(t, fake, db, second)
				return
			}
			_, err := fake.Say(webextest.SayRequest{From: alexMartin, Text: "oui"})
			require.NoError(t, err)
			first.waitFor("FAILPOINT "+fp, 30*time.Second)
			first.kill()

			// What Webex holds at the moment of the crash.
			switch fp {
			case "after-intent-recorded":
				require.Empty(t, fake.Meetings(), "killed before asking Webex")
				require.Empty(t, fake.BotMessages(jeanDupont))
			case "after-meeting-created":
				require.Len(t, fake.Meetings(), 1)
				require.Empty(t, fake.BotMessages(jeanDupont))
			case "after-designate-sent":
				require.Len(t, fake.Meetings(), 1)
				require.Len(t, fake.BotMessages(jeanDupont), 1)
			}
			require.Len(t, fake.BotMessages(alexMartin), 1, "the organizer has not been answered yet")

			second := startChild(t, bin, childEnv(fake, db, "RELAIS_REMINDER_BEFORE=0"))
			checkRecovered(t, fake, db, second)
		})
	}
}

// checkRecovered waits for the end state of a flow finished by a restarted child, stops the
// child, and checks that nothing is left to do and nothing was done twice.
func checkRecovered(t *testing.T, fake *webextest.Server, db string, second *child) {
	t.Helper()
	require.Eventually(t, func() bool {
		return len(fake.Meetings()) >= 1 && len(fake.BotMessages(jeanDupont)) >= 1 && informed(fake, alexMartin)
	}, 30*time.Second, 20*time.Millisecond, "the restarted bot never finished the confirmation")
	// The designate's message may still be a pending job (a crash after it was sent): the
	// restarted bot checks the space and completes it.
	require.Eventually(t, func() bool { return second.outboxDepth() == 0 }, 30*time.Second, 20*time.Millisecond,
		"the restarted bot never finished its jobs")

	// Stop it cleanly and check that nothing is left to do: no pending event or send.
	require.NoError(t, second.stop(20*time.Second))
	st, err := store.Open(context.Background(), db)
	require.NoError(t, err)
	depth, err := st.OutboxDepth(context.Background())
	require.NoError(t, err)
	require.NoError(t, st.Close())
	assert.Zero(t, depth, "outbox items still pending after recovery")

	meetings := fake.Meetings()
	require.Len(t, meetings, 1, "exactly one meeting")
	m := meetings[0]
	assert.Equal(t, alexMartin, m.HostEmail)
	require.Len(t, m.Invitees, 1)
	assert.Equal(t, jeanDupont, m.Invitees[0].Email)
	dms := fake.BotMessages(jeanDupont)
	require.Len(t, dms, 1, "exactly one message to the designate:\n%s", allText(dms))
	assert.Contains(t, dms[0].Markdown, m.HostKey)
	assert.Contains(t, dms[0].Markdown, m.WebLink)
	org := fake.BotMessages(alexMartin)
	done := 0
	for _, msg := range org {
		if strings.Contains(msg.Markdown, "C'est fait") {
			done++
			assert.Contains(t, msg.Markdown, m.WebLink)
		}
	}
	assert.Equal(t, 1, done, "the organizer is told once:\n%s", allText(org))
	assert.Len(t, org, 2, "one answer to the request, one to the « oui »:\n%s", allText(org))
}

// informed reports whether the organizer got the bot's confirmation that the meeting exists.
func informed(fake *webextest.Server, organizer string) bool {
	for _, m := range fake.BotMessages(organizer) {
		if strings.Contains(m.Markdown, "C'est fait") || strings.Contains(m.Markdown, "Done!") {
			return true
		}
	}
	return false
}

// sayAndWait posts text as from in their 1:1 space with the bot and waits until the bot has
// posted there at least want messages in all.
func sayAndWait(t *testing.T, fake *webextest.Server, from, text string, want int) {
	t.Helper()
	_, err := fake.Say(webextest.SayRequest{From: from, Text: text})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(fake.BotMessages(from)) >= want }, 30*time.Second, 10*time.Millisecond,
		"no answer to %q", text)
}

// allText joins the messages' markdown, for failure messages.
func allText(ms []webextest.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Markdown)
		b.WriteString("\n---\n")
	}
	return b.String()
}

// TestReminderSurvivesRestart schedules a reminder, stops the bot, starts another on the same
// database, and checks that the reminder comes once, with the meeting's host key.
func TestReminderSurvivesRestart(t *testing.T) {
	t.Parallel()
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now})
	fake.SetFaults(unkind(webextest.Faults{}))
	signals := newHandledSignals()
	db := filepath.Join(t.TempDir(), "relais.db")
	cfg := bot.RuntimeConfig{DB: db, Bot: bot.Config{ReminderBefore: 30 * time.Minute}}
	first := startReplica(t, fake, clock.Now, cfg, signals, zerolog.Nop())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id, err := fake.Say(webextest.SayRequest{From: alexMartin, Text: crashRequest})
	require.NoError(t, err)
	require.NoError(t, signals.until(ctx, id, func() bool { return len(fake.BotMessages(alexMartin)) >= 1 }))
	id, err = fake.Say(webextest.SayRequest{From: alexMartin, Text: "oui"})
	require.NoError(t, err)
	require.NoError(t, signals.until(ctx, id, func() bool { return informed(fake, alexMartin) }))
	require.Eventually(t, func() bool {
		d, err := first.rt.Store.OutboxDepth(context.Background())
		return err == nil && d == 1
	}, 30*time.Second, 10*time.Millisecond, "only the reminder should be left")
	first.stop(t)

	second := startReplica(t, fake, clock.Now, cfg, signals, zerolog.Nop())
	loc, err := time.LoadLocation(loadZone)
	require.NoError(t, err)
	clock.Advance(time.Date(2026, 6, 17, 10, 31, 0, 0, loc).Sub(clock.Now()))
	second.rt.Bot.Poke()
	require.Eventually(t, func() bool {
		d, err := second.rt.Store.OutboxDepth(context.Background())
		return err == nil && d == 0
	}, 30*time.Second, 10*time.Millisecond, "the reminder was never sent")
	second.rt.Bot.Wait()

	meetings := fake.Meetings()
	require.Len(t, meetings, 1)
	dms := fake.BotMessages(jeanDupont)
	require.Len(t, dms, 2, "the designate message and one reminder:\n%s", allText(dms))
	assert.Contains(t, dms[1].Markdown, meetings[0].HostKey)
}
