package bot_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// lineLog collects log lines written from several goroutines.
type lineLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lineLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(l.buf.Bytes()))
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// secretSet is every secret a flow handled, to look for in logs.
type secretSet struct {
	exact    map[string]string // value → what it is
	hostKeys map[string]bool   // 6 digits: matched as a whole number only
}

func newSecretSet() *secretSet {
	return &secretSet{exact: map[string]string{}, hostKeys: map[string]bool{}}
}

func (s *secretSet) add(what, v string) {
	if v != "" {
		s.exact[v] = what
	}
}

// collect records the host key and password of every meeting Webex has now (cancelled
// meetings vanish from the fake: collect before cancelling).
func (s *secretSet) collect(fake *webextest.Server) {
	for _, m := range fake.Meetings() {
		if m.HostKey != "" {
			s.hostKeys[m.HostKey] = true
		}
		s.add("meeting password "+m.ID, m.Password)
	}
}

// issuedToken is the shape of the access tokens the fake's /access_token issues.
var issuedToken = regexp.MustCompile(`meetings-[0-9a-f]{32}`)

// leaks returns a description of every secret found in line.
func (s *secretSet) leaks(line string) []string {
	var out []string
	for v, what := range s.exact {
		if strings.Contains(line, v) {
			out = append(out, what)
		}
	}
	for k := range s.hostKeys {
		// A whole number: not inside a longer number, a decimal, an id or a tracking id.
		re := regexp.MustCompile(`(^|[^0-9A-Za-z.])` + k + `([^0-9A-Za-z.]|$)`)
		if re.MatchString(line) {
			out = append(out, "host key "+k)
		}
	}
	if issuedToken.MatchString(line) {
		out = append(out, "an access token issued by /access_token")
	}
	return out
}

func (s *secretSet) assertNotIn(t *testing.T, source string, lines []string) {
	t.Helper()
	for _, l := range lines {
		for _, what := range s.leaks(l) {
			t.Errorf("%s log line leaks %s:\n%s", source, what, l)
		}
	}
}

const (
	secJean  = "jean.dupont@example.com"
	secBob   = "bob.smith@example.com"
	secMarie = "marie.tremblay@example.com"
)

// TestNoSecretInAnyLogLine runs whole flows at trace level, in both intake modes and with
// faults (retries, a dropped websocket), and scans every line the bot and the fake logged for
// the tokens, the webhook secret and every meeting's host key and password. It also checks
// that no group-space message carries a host key or password.
func TestNoSecretInAnyLogLine(t *testing.T) {
	for _, mode := range []string{"websocket", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			var botLog, fakeLog lineLog
			fake := webextest.NewTestServer(t, webextest.Options{
				BotToken:          "bot-SECRET-5f0c2d9e4a7b",
				MeetingsToken:     "meetings-SECRET-91ab37cd02ef",
				Clock:             newClock(reference).Now,
				Logger:            zerolog.New(&fakeLog).Level(zerolog.TraceLevel),
				WebhookRetryDelay: 10 * time.Millisecond,
				Seed:              7,
			})
			db := filepath.Join(t.TempDir(), "relais.db")
			h := newHarness(t, harnessOptions{mode: mode, fake: fake, db: db, log: zerolog.New(&botLog).Level(zerolog.TraceLevel)})
			secrets := newSecretSet()
			secrets.add("the bot token", fake.BotToken())
			secrets.add("the meetings token", fake.MeetingsToken())
			secrets.add("the webhook secret", "a-webhook-secret-for-tests")

			// Some retries on the way: every call may be answered 503 or 429 now and then.
			fake.SetFaults(unkind(webextest.Faults{Rate5xx: 0.1, Rate429: 0.05}))

			// 1:1 space, French.
			h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
			h.dm(alex, "oui")
			secrets.collect(fake)

			// A group space, in the thread of the request.
			const room = "Comité de direction"
			first := h.say(webextest.SayRequest{From: alex, Room: room, Text: "programme une rencontre pour Bob Smith demain à 15 h pendant 30 minutes"})
			h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "oui"})
			secrets.collect(fake)

			// English, in a 1:1 space, after the websocket dropped once.
			if mode == "websocket" {
				fake.SetFaults(unkind(webextest.Faults{DropWebsocket: true}))
				require.Eventually(t, func() bool { return h.rt.Ready(t.Context()) == nil }, 10*time.Second, 5*time.Millisecond)
			}
			h.dm(secBob, `schedule a meeting for Marie Tremblay tomorrow at 9am called "Onboarding"`)
			h.dm(secBob, "yes")
			secrets.collect(fake)

			// Resend the host key, list, cancel.
			h.dm(alex, "renvoie la clé à Jean Dupont")
			h.dm(alex, "mes rencontres")
			secrets.collect(fake)
			h.dm(alex, "annule la rencontre avec Bob Smith")
			h.dm(alex, "oui")

			// Failure paths: an unknown person, a meeting in the past.
			h.dm(alex, "programme une rencontre pour Paul Inconnu demain à 9 h")
			h.dm(alex, "annuler")
			h.dm(alex, "programme une rencontre pour Jean Dupont hier à 9 h")
			h.dm(alex, "annuler")
			fake.SetFaults(webextest.Faults{})
			secrets.collect(fake)

			require.GreaterOrEqual(t, len(secrets.hostKeys), 3, "the flows must have created meetings with host keys")
			require.NotEmpty(t, h.fake.BotMessages(secJean), "the designate got the host key")
			require.NotEmpty(t, h.fake.BotMessages(secMarie), "the designate got the host key")

			h.stop() // flush the shutdown lines too
			botLines, fakeLines := botLog.lines(), fakeLog.lines()
			require.NotEmpty(t, botLines)
			assert.True(t, anyLineContains(botLines, `"level":"debug"`), "debug lines were produced and scanned")
			secrets.assertNotIn(t, "bot", botLines)
			secrets.assertNotIn(t, "fake", fakeLines)

			// Nor in the database (ledger, conversations, outbox payloads), WAL included.
			for _, suffix := range []string{"", "-wal"} {
				raw, err := os.ReadFile(db + suffix)
				if suffix == "" {
					require.NoError(t, err)
				}
				for _, what := range secrets.leaks(string(raw)) {
					t.Errorf("database file relais.db%s holds %s", suffix, what)
				}
			}

			// Group space: never the host key nor the password, in text, markdown or cards.
			group := h.fake.RoomMessages(room)
			require.NotEmpty(t, group)
			for _, m := range group {
				body := m.Text + "\n" + m.Markdown + "\n" + m.HTML
				for _, a := range m.Attachments {
					body += "\n" + string(a.Content)
				}
				for _, what := range secrets.leaks(body) {
					if !strings.HasPrefix(what, "the ") { // tokens cannot be in messages anyway
						t.Errorf("group space message shows %s:\n%s", what, body)
					}
				}
			}
		})
	}
}

// TestNoSecretLoggedWhenTheMeetingsCredentialIsRefused: the administrator's log line names
// the setting to fix, never the token's value.
func TestNoSecretLoggedWhenTheMeetingsCredentialIsRefused(t *testing.T) {
	t.Parallel()
	var botLog, fakeLog lineLog
	fake := webextest.NewTestServer(t, webextest.Options{
		BotToken:      "bot-SECRET-0d1e2f3a4b5c",
		MeetingsToken: "meetings-SECRET-6d7e8f9a0b1c",
		Clock:         newClock(reference).Now,
		Logger:        zerolog.New(&fakeLog).Level(zerolog.TraceLevel),
	})
	// A revoked meetings token: Webex answers 401.
	h := newHarness(t, harnessOptions{fake: fake, meetings: "revoked-meetings-SECRET-77aa", log: zerolog.New(&botLog).Level(zerolog.TraceLevel)})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	r := h.dm(alex, "oui")
	require.NotEmpty(t, r)
	assert.Empty(t, fake.Meetings())
	h.stop()

	secrets := newSecretSet()
	secrets.add("the bot token", fake.BotToken())
	secrets.add("the meetings token", fake.MeetingsToken())
	secrets.add("the revoked meetings token", "revoked-meetings-SECRET-77aa")
	botLines := botLog.lines()
	secrets.assertNotIn(t, "bot", botLines)
	secrets.assertNotIn(t, "fake", fakeLog.lines())
	assert.True(t, anyLineContains(botLines, "WEBEX_MEETINGS_TOKEN"), "the log names the setting to fix")
}

func anyLineContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestNoSecretLoggedWithTheRefreshingMeetingsCredential: with the Service App's refresh token,
// client id and secret, the access tokens Relais obtains, the refresh token and the client
// secret never reach a log line, across several renewals.
func TestNoSecretLoggedWithTheRefreshingMeetingsCredential(t *testing.T) {
	t.Parallel()
	var botLog lineLog
	clk := newClock(reference)
	fake := webextest.NewTestServer(t, webextest.Options{
		BotToken:         "bot-SECRET-a1b2c3d4e5f6",
		ClientID:         "client-id-77",
		ClientSecret:     "client-SECRET-8899aabbcc",
		RefreshToken:     "refresh-SECRET-ddeeff0011",
		MeetingsTokenTTL: 20 * time.Minute,
		Clock:            clk.Now,
	})
	ctx, cancel := context.WithCancel(t.Context())
	rt, err := bot.NewRuntime(ctx, bot.RuntimeConfig{
		APIURL: fake.APIURL(), CatalogURL: fake.CatalogURL(), BotToken: fake.BotToken(),
		MeetingsRefreshToken: "refresh-SECRET-ddeeff0011", ClientID: "client-id-77", ClientSecret: "client-SECRET-8899aabbcc",
		DB: filepath.Join(t.TempDir(), "relais.db"), RatePerSecond: 1000,
		Bot: bot.Config{AllowedDomains: []string{"example.com"}, PollInterval: 20 * time.Millisecond},
	}, zerolog.New(&botLog).Level(zerolog.TraceLevel), clk.Now)
	require.NoError(t, err)
	handled := make(chan string, 256)
	rt.Bot.OnHandled = func(id string) { handled <- id }
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	require.Eventually(t, func() bool { return rt.Ready(t.Context()) == nil }, 10*time.Second, 5*time.Millisecond)

	seen := map[string]bool{}
	dm := func(text string) {
		t.Helper()
		id, err := fake.Say(webextest.SayRequest{From: alex, Text: text})
		require.NoError(t, err)
		timeout := time.After(20 * time.Second)
		for !seen[id] {
			select {
			case got := <-handled:
				seen[got] = true
			case <-timeout:
				t.Fatalf("%q never handled", text)
			}
		}
	}
	secrets := newSecretSet()
	for i, hour := range []int{10, 14} {
		dm(fmt.Sprintf("programme une rencontre pour Jean Dupont demain à %d h", hour))
		dm("oui")
		require.Len(t, fake.Meetings(), i+1, "created with a token obtained from the refresh token")
		secrets.collect(fake)
		clk.Advance(30 * time.Minute) // the access token expires: the next meeting needs a renewal
	}
	dm("renvoie la clé à Jean Dupont")
	secrets.collect(fake)
	assert.GreaterOrEqual(t, fake.CallCounts()["POST /v1/access_token"], 2, "the token was renewed")

	cancel()
	require.NoError(t, <-done)
	secrets.add("the bot token", fake.BotToken())
	secrets.add("the refresh token", "refresh-SECRET-ddeeff0011")
	secrets.add("the client secret", "client-SECRET-8899aabbcc")
	lines := botLog.lines()
	require.NotEmpty(t, lines)
	secrets.assertNotIn(t, "bot", lines)
}
