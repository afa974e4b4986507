package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// An intent left pending by a crash between Webex creating the meeting and the ledger recording
// it, whose confirmation is never handled again, is settled by the sweep: the meeting found by
// its tag is recorded and the designate gets their message once; an intent without a meeting is
// marked failed. The organizer is told once, in their 1:1 space, either way; with two replicas
// sweeping the same database too.
func TestSweepSettlesAbandonedIntents(t *testing.T) {
	t.Parallel()
	for _, replicas := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d replicas", replicas), func(t *testing.T) {
			t.Parallel()
			testSweep(t, replicas)
		})
	}
}

func testSweep(t *testing.T, replicas int) {
	const lease = time.Second
	cfg := bot.Config{Owner: "replica-a", Lease: lease, ReminderBefore: 30 * time.Minute}
	db := filepath.Join(t.TempDir(), "relais.db")
	h := newHarness(t, harnessOptions{db: db, botConfig: cfg})
	others := []*harness{}
	for range replicas - 1 {
		cfg.Owner = "replica-b"
		others = append(others, newHarness(t, harnessOptions{db: db, fake: h.fake, clock: h.clock, deviceName: "relais-b", botConfig: cfg}))
	}
	ctx := context.Background()
	st := h.rt.Store

	start := time.Date(2026, 6, 17, 14, 0, 0, 0, mustZone("America/Toronto"))
	intent := func(key, title, designate, name string) store.Meeting {
		m, created, err := st.BeginMeeting(ctx, store.Meeting{
			IdempotencyKey: key, OrganizerEmail: alex, OrganizerName: "Alex Martin",
			DesignateEmail: designate, DesignateName: name, Title: title,
			Start: start, End: start.Add(time.Hour), TimeZone: "America/Toronto", Lang: "fr",
		})
		require.NoError(t, err)
		require.True(t, created)
		return m
	}
	found := intent("sweep-found", "Bilan trimestriel", marieTremblay, "Marie Tremblay")
	lost := intent("sweep-lost", "Point d'équipe", marieGagnon, "Marie Gagnon")
	series := intent("sweep-series", "Suivi hebdo", marieTremblay, "Marie Tremblay")

	// The meeting the crashed attempt had Webex create, tagged with its ledger id.
	meetings, err := webexapi.NewClient(webexapi.WithBaseURL(h.fake.APIURL()), webexapi.WithToken(h.fake.MeetingsToken()))
	require.NoError(t, err)
	webexMeeting, err := meetings.Meetings.Create(ctx, &webexapi.MeetingRequest{
		Title: found.Title, Start: webexapi.FormatTime(found.Start), End: webexapi.FormatTime(found.End),
		Timezone: found.TimeZone, HostEmail: alex,
		Invitees:        []webexapi.Invitee{{Email: marieTremblay, DisplayName: "Marie Tremblay"}},
		IntegrationTags: []string{"relais-" + found.ID},
	})
	require.NoError(t, err)
	const weekly = "FREQ=WEEKLY;INTERVAL=1;COUNT=4"
	webexSeries, err := meetings.Meetings.Create(ctx, &webexapi.MeetingRequest{
		Title: series.Title, Start: webexapi.FormatTime(series.Start), End: webexapi.FormatTime(series.End),
		Timezone: series.TimeZone, HostEmail: alex, Recurrence: weekly,
		Invitees:        []webexapi.Invitee{{Email: marieTremblay, DisplayName: "Marie Tremblay"}},
		IntegrationTags: []string{"relais-" + series.ID},
	})
	require.NoError(t, err)

	// Not before two leases: the confirmation's own retry goes first.
	bot.SweepNowForTest(ctx, h.rt.Bot)
	for _, m := range []store.Meeting{found, lost, series} {
		got, err := st.GetMeeting(ctx, m.ID)
		require.NoError(t, err)
		assert.Equal(t, store.MeetingPending, got.Status, "swept too early")
	}
	require.Empty(t, h.fake.BotMessages(alex))

	// The store stamps intents with the wall clock; the bot's clock moves on with it.
	h.clock.Advance(3 * lease)
	require.Eventually(t, func() bool {
		a, err1 := st.GetMeeting(ctx, found.ID)
		b, err2 := st.GetMeeting(ctx, lost.ID)
		c, err3 := st.GetMeeting(ctx, series.ID)
		return err1 == nil && err2 == nil && err3 == nil &&
			a.Status == store.MeetingCreated && b.Status == store.MeetingFailed && c.Status == store.MeetingCreated &&
			len(h.fake.BotMessages(alex)) == 3 && len(h.fake.BotMessages(marieTremblay)) == 2
	}, 10*time.Second, 10*time.Millisecond, "the sweep never settled the intents")

	check := func() {
		t.Helper()
		a, err := st.GetMeeting(ctx, found.ID)
		require.NoError(t, err)
		assert.Equal(t, store.MeetingCreated, a.Status)
		assert.Equal(t, webexMeeting.ID, a.WebexMeetingID)
		b, err := st.GetMeeting(ctx, lost.ID)
		require.NoError(t, err)
		assert.Equal(t, store.MeetingFailed, b.Status)
		assert.Equal(t, "abandoned", b.FailReason)

		c, err := st.GetMeeting(ctx, series.ID)
		require.NoError(t, err)
		assert.Equal(t, store.MeetingCreated, c.Status)
		assert.Equal(t, webexSeries.ID, c.WebexMeetingID)
		saved, err := st.GetSeries(ctx, series.ID)
		require.NoError(t, err, "the series is recorded with its rule from Webex")
		assert.Equal(t, weekly, saved.Recurrence)

		designate := h.fake.BotMessages(marieTremblay)
		require.Len(t, designate, 2, "one message to the designate per meeting")
		for _, want := range []string{webexMeeting.WebLink, webexSeries.WebLink} {
			n := 0
			for _, m := range designate {
				assert.Equal(t, "direct", m.RoomType)
				if strings.Contains(m.Markdown, want) {
					n++
				}
			}
			assert.Equal(t, 1, n, "one message for %s", want)
		}
		assert.Empty(t, h.fake.BotMessages(marieGagnon), "nothing to the designate of a meeting never created")

		organizer := h.fake.BotMessages(alex)
		require.Len(t, organizer, 3, texts(organizer))
		all := texts(organizer)
		count := func(s string) (n int) {
			for _, m := range organizer {
				if strings.Contains(m.Markdown, s) {
					n++
				}
			}
			return n
		}
		assert.Equal(t, 2, count("a bien été créée finalement"), all)
		assert.Equal(t, 1, count("n'a pas été créée"), all)
		assert.Contains(t, all, "Bilan trimestriel")
		assert.Contains(t, all, "Point d'équipe")
		assert.Contains(t, all, "Suivi hebdo")
		for _, m := range organizer {
			assert.Equal(t, "direct", m.RoomType)
			for _, secret := range []string{webexMeeting.HostKey, webexMeeting.Password, webexSeries.HostKey, webexSeries.Password} {
				if secret != "" {
					assert.NotContains(t, m.Markdown+m.Text, secret, "no secret in the organizer's notice")
				}
			}
		}
		// The reminder, as step 7 records it.
		rem, err := st.GetOutboxItem(ctx, store.ReminderKey(found.ID))
		require.NoError(t, err)
		assert.Equal(t, store.OutboxPending, rem.Status)
		for _, id := range []string{found.ID, lost.ID, series.ID} {
			job, err := st.GetOutboxItem(ctx, bot.AbandonedKey(id))
			require.NoError(t, err)
			assert.Equal(t, store.OutboxDone, job.Status)
		}
	}
	check()

	// A second sweep does nothing more.
	h.clock.Advance(3 * lease)
	bot.SweepNowForTest(ctx, h.rt.Bot)
	for _, o := range others {
		bot.SweepNowForTest(ctx, o.rt.Bot)
	}
	pending, err := st.ListPendingMeetings(ctx, time.Now())
	require.NoError(t, err)
	assert.Empty(t, pending)
	check()
}
