package bot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// testPostgresEnv names the variable that gives the PostgreSQL tests a database (CI sets it).
const testPostgresEnv = "RELAIS_TEST_POSTGRES"

// postgresSchemaDSN creates a fresh schema in the test database, drops it at cleanup, and returns
// a DSN whose search_path points at it. It skips the test, saying so, without a database.
func postgresSchemaDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv(testPostgresEnv)
	if base == "" {
		t.Skip(testPostgresEnv + " not set: the PostgreSQL replica test is skipped")
	}
	var b [6]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	schema := "bot_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	require.NoError(t, conn.Close(ctx))
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// TestTwoReplicasOnPostgres runs two runtimes on one PostgreSQL database, both on the websocket
// with their own device (so every event reaches both), through 200 whole flows (50 with
// -short): one meeting per organizer, one message per designate, every message answered once,
// then one reminder per designate when the reminders come due.
func TestTwoReplicasOnPostgres(t *testing.T) {
	started := time.Now()
	defer func() { t.Logf("wall time %s", time.Since(started).Round(time.Millisecond)) }()
	dsn := postgresSchemaDSN(t)
	n := 200
	if testing.Short() {
		n = 50
	}
	clock := newLoadClock(loadStart(t))
	fake := webextest.NewTestServer(t, webextest.Options{Directory: loadDirectory(n), Clock: clock.Now})
	signals := newHandledSignals()
	logs := &lockedLog{}
	defer func() {
		if t.Failed() {
			t.Logf("warnings and errors of the replicas (last 20 kB):\n%s", logs.tail(20<<10))
		}
	}()
	const remindBefore = 30 * time.Minute
	var replicas []*replica
	for _, name := range []string{"a", "b"} {
		cfg := bot.RuntimeConfig{
			DB:         dsn,
			DeviceName: "relais-" + name,
			Bot:        bot.Config{Owner: "replica-" + name, ReminderBefore: remindBefore},
		}
		log := zerolog.New(logs).Level(zerolog.WarnLevel).With().Str("replica", name).Logger()
		replicas = append(replicas, startReplica(t, fake, clock.Now, cfg, signals, log))
	}
	st := replicas[0].rt.Store
	depth := func() int {
		d, err := st.OutboxDepth(context.Background())
		if err != nil {
			return -1
		}
		return d
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	runFlows(ctx, t, fake, signals, n)
	flowsDone := time.Since(started)

	// Only the reminders are left to do.
	require.Eventually(t, func() bool { return depth() == n }, time.Minute, 20*time.Millisecond,
		"the outbox never came down to the %d reminders", n)
	c := countFlows(t, fake, n, 1)
	assert.Equal(t, n, c.meetings, "meetings")
	assert.Zero(t, c.duplicateMeets, "organizers with two meetings")
	assert.Zero(t, c.missingMeets, "organizers without a meeting")
	assert.Zero(t, c.wrongInvitee, "meetings without their designate invited")
	assert.Equal(t, n, c.designateMsgs, "messages to designates")
	assert.Zero(t, c.noHostKey, "designate messages without their meeting's host key")
	assert.Equal(t, n, c.confirmations, "« C'est fait » replies")
	assert.Equal(t, 2*n, c.organizerReplys, "replies to organizers: one per message")
	dups := counterValue(replicas[0].rt.Metrics.EventsDuplicate) + counterValue(replicas[1].rt.Metrics.EventsDuplicate)
	assert.GreaterOrEqual(t, dups, float64(2*n), "each message reached both replicas; one of them dropped it")

	// Every meeting starts Wednesday 17 June at 11:00; the reminders are due at 10:30.
	loc, err := time.LoadLocation(loadZone)
	require.NoError(t, err)
	clock.Advance(time.Date(2026, 6, 17, 10, 31, 0, 0, loc).Sub(clock.Now()))
	for _, r := range replicas {
		r.rt.Bot.Poke()
	}
	require.Eventually(t, func() bool { return depth() == 0 }, time.Minute, 20*time.Millisecond, "the reminders were never all sent")

	meetings := map[string]webextest.SimMeeting{}
	for _, m := range fake.Meetings() {
		meetings[m.Invitees[0].Email] = m
	}
	var wrong []string
	for i := range n {
		dms := fake.BotMessages(designateEmail(i))
		m := meetings[designateEmail(i)]
		if len(dms) != 2 || !strings.Contains(dms[1].Markdown, m.HostKey) || !strings.Contains(dms[1].Markdown, m.WebLink) {
			wrong = append(wrong, fmt.Sprintf("designate %d: %d messages", i, len(dms)))
		}
	}
	assert.Empty(t, wrong, "each designate gets exactly one reminder, with the host key")
	t.Logf("%d flows on two replicas in %s", n, flowsDone.Round(time.Millisecond))
}
