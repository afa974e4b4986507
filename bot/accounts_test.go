package bot_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/store/sealed"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// These tests run Relais with each organizer's own Webex account (RELAIS_MEETINGS_AUTH=user)
// against the fake's OAuth: the device grant, its approval by /_sim/approve, refresh with
// rotation and revocation.

const (
	ownRequest     = "programme une rencontre pour Jean Dupont demain à 10 h 30 pendant 30 minutes"
	ownRequestEn   = "schedule a meeting with Jean Dupont tomorrow at 2pm for 30 minutes"
	pollStep       = 3 * time.Second // more than the fake's 2-second polling interval
	eventuallyWait = 20 * time.Second
)

func testKeyring(t *testing.T) *sealed.Keyring {
	t.Helper()
	kr, err := sealed.ParseKeyring("k1:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	require.NoError(t, err)
	return kr
}

// ownAccounts has a harness use each organizer's own account instead of a Service App.
func ownAccounts(t *testing.T, o harnessOptions) harnessOptions {
	kr := testKeyring(t)
	tune := o.tune
	o.tune = func(c *bot.RuntimeConfig) {
		c.MeetingsToken = ""
		c.OwnAccounts = &bot.OwnAccountsConfig{ClientID: webextest.IntegrationClientID,
			ClientSecret: webextest.IntegrationClientSecret, Keyring: kr}
		if tune != nil {
			tune(c)
		}
	}
	return o
}

// pendingCode returns the only pending authorization's user code.
func pendingCode(t *testing.T, fake *webextest.Server) string {
	t.Helper()
	p := fake.PendingAuthorizations()
	require.Len(t, p, 1, "one authorization waits for the organizer")
	return p[0].UserCode
}

// until advances the clocks by a polling interval until cond holds.
func until(t *testing.T, cond func() bool, clocks ...*clock) {
	t.Helper()
	require.Eventually(t, func() bool {
		if cond() {
			return true
		}
		for _, c := range clocks {
			c.Advance(pollStep)
		}
		return cond()
	}, eventuallyWait, 50*time.Millisecond)
}

// approved advances the clocks until the organizer's messages hold want.
func hasMessage(fake *webextest.Server, email, want string) func() bool {
	return func() bool { return strings.Contains(texts(fake.BotMessages(email)), want) }
}

func TestOwnAccountFirstMeetingWaitsForTheApproval(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ownAccounts(t, harnessOptions{}))
	r := h.dm(alex, ownRequest)
	require.Len(t, r, 1, texts(r))
	r = h.dm(alex, "oui")
	require.Len(t, r, 1, texts(r))
	code := pendingCode(t, h.fake)
	prompt := r[0].Markdown
	for _, want := range []string{code, "votre propre compte Webex", "Ce que Relais pourra faire", "Ce qu'il ne pourra pas faire", "5 minutes"} {
		assert.Contains(t, prompt, want)
	}
	assert.Empty(t, h.fake.Meetings(), "nothing is created before the approval")

	// Polled at the interval, still pending: nothing happens.
	h.clock.Advance(pollStep)
	require.Never(t, func() bool { return len(h.fake.Meetings()) > 0 }, 200*time.Millisecond, 20*time.Millisecond)

	_, err := h.fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h.fake.BotMessages(jean)) == 1 }, h.clock)

	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	m := ms[0]
	assert.Equal(t, alex, m.HostEmail, "created as the organizer")
	assert.True(t, m.EnabledJoinBeforeHost)
	assert.Equal(t, 15, m.JoinBeforeHostMinutes)
	require.Len(t, m.Invitees, 1)
	assert.Equal(t, jean, m.Invitees[0].Email)
	assert.Contains(t, h.fake.BotMessages(jean)[0].Markdown, m.HostKey, "the designate gets the host key")
	require.Eventually(t, hasMessage(h.fake, alex, "Votre compte Webex est connecté"), eventuallyWait, 20*time.Millisecond)
	assert.Contains(t, texts(h.fake.BotMessages(alex)), m.WebLink, "the organizer is told the meeting is created")
	assert.Empty(t, h.fake.PendingAuthorizations())

	// The next meeting needs no approval; the list, resend and cancel use the same account.
	r = h.dm(alex, "programme une rencontre pour Marie Tremblay demain à 15 h pendant 30 minutes")
	r = h.dm(alex, "oui")
	require.Len(t, h.fake.Meetings(), 2, texts(r))
	assert.Len(t, h.fake.BotMessages(marieTremblay), 1)
	r = h.dm(alex, "mes rencontres")
	assert.Contains(t, texts(r), "Jean Dupont")
	h.dm(alex, "renvoie la clé à Jean")
	assert.Len(t, h.fake.BotMessages(jean), 2, "the key resent with the organizer's token")
	r = h.dm(alex, "annule la rencontre avec Marie Tremblay")
	r = h.dm(alex, "oui")
	assert.Contains(t, texts(r), "annulée", texts(r))

	// « déconnecte mon compte » forgets the tokens: the next request asks again.
	r = h.dm(alex, "déconnecte mon compte")
	assert.Contains(t, texts(r), "supprimé l'accès")
	connected, err := accountsOf(h).Connected(context.Background(), "", alex)
	require.NoError(t, err)
	assert.False(t, connected)
	h.dm(alex, "programme une rencontre pour Bob Smith demain à 16 h pendant 30 minutes")
	r = h.dm(alex, "oui")
	assert.Contains(t, texts(r), "Ce que Relais pourra faire")
	assert.Len(t, h.fake.PendingAuthorizations(), 1)
}

func TestOwnAccountInAGroupSpaceWritesPrivately(t *testing.T) {
	bothModes(t, ownAccountInAGroupSpaceWritesPrivately)
}

func ownAccountInAGroupSpaceWritesPrivately(t *testing.T, mode string) {
	h := newHarness(t, ownAccounts(t, harnessOptions{mode: mode}))
	const room = "Équipe projet"
	first := h.say(webextest.SayRequest{From: alex, Room: room, Text: ownRequestEn})
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "yes"})
	code := pendingCode(t, h.fake)
	group := texts(h.fake.RoomMessages(room))
	assert.Contains(t, group, "I've written to you privately")
	assert.NotContains(t, group, code, "never the code in a group space")
	private := texts(h.fake.BotMessages(alex))
	assert.Contains(t, private, code)
	assert.Contains(t, private, "What Relais will be able to do")

	_, err := h.fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h.fake.BotMessages(jean)) == 1 }, h.clock)
	require.Eventually(t, func() bool {
		return strings.Contains(texts(h.fake.RoomMessages(room)), "Your Webex account is connected")
	},
		eventuallyWait, 20*time.Millisecond)
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	assert.NotContains(t, texts(h.fake.RoomMessages(room)), ms[0].HostKey)
	for _, m := range h.fake.RoomMessages(room) {
		if strings.Contains(m.Markdown, "Your Webex account is connected") {
			assert.Equal(t, first, m.ParentID, "carried on in the request's thread")
		}
	}
}

func TestOwnAccountApprovedBySomeoneElse(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ownAccounts(t, harnessOptions{}))
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	_, err := h.fake.Approve(pendingCode(t, h.fake), marieGagnon)
	require.NoError(t, err)
	until(t, hasMessage(h.fake, alex, "pas par vous"), h.clock)
	assert.Contains(t, texts(h.fake.BotMessages(alex)), marieGagnon)
	assert.Empty(t, h.fake.Meetings(), "nothing created")
	assert.Empty(t, h.fake.BotMessages(jean))
	connected, err := accountsOf(h).Connected(context.Background(), "", marieGagnon)
	require.NoError(t, err)
	assert.False(t, connected, "the other person's token is not kept")

	// « oui » sends a new code; approved by the organizer, the meeting is created.
	r := h.dm(alex, "oui")
	code := pendingCode(t, h.fake)
	assert.Contains(t, texts(r), code)
	_, err = h.fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h.fake.BotMessages(jean)) == 1 }, h.clock)
	assert.Len(t, h.fake.Meetings(), 1)
}

func TestOwnAccountDeniedAndExpired(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ownAccounts(t, harnessOptions{}))
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	_, err := h.fake.Deny(pendingCode(t, h.fake))
	require.NoError(t, err)
	until(t, hasMessage(h.fake, alex, "Vous avez refusé"), h.clock)
	assert.Contains(t, texts(h.fake.BotMessages(alex)), "répondez « oui »")

	// A new code, left to expire.
	h.dm(alex, "oui")
	pendingCode(t, h.fake)
	h.clock.Advance(6 * time.Minute)
	until(t, hasMessage(h.fake, alex, "Le code a expiré"), h.clock)
	assert.Empty(t, h.fake.Meetings())

	// On demand, in English, with nothing waiting.
	r := h.dm(bob, "connect my account")
	assert.Contains(t, texts(r), "What Relais will be able to do")
	assert.Len(t, h.fake.PendingAuthorizations(), 1)
}

func TestOwnAccountRefreshRotationAndRevocation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ownAccounts(t, harnessOptions{}))
	h.fake.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	r := h.dm(alex, "connect my account")
	require.Len(t, r, 1)
	_, err := h.fake.Approve(pendingCode(t, h.fake), alex)
	require.NoError(t, err)
	until(t, hasMessage(h.fake, alex, "Your Webex account is connected"), h.clock)
	r = h.dm(alex, "connect my account")
	assert.Contains(t, texts(r), "already connected")

	// Two hours later the access token has expired: it is refreshed, and the rotated
	// refresh token is kept.
	refreshes := func() int {
		n := 0
		for _, tk := range h.fake.IssuedTokens() {
			if tk.Kind == "refresh" {
				n++
			}
		}
		return n
	}
	before := refreshes()
	h.clock.Advance(2 * time.Hour)
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	require.Len(t, h.fake.Meetings(), 1)
	assert.Greater(t, refreshes(), before, "refreshed")
	h.clock.Advance(2 * time.Hour)
	h.dm(alex, "renvoie la clé")
	assert.Len(t, h.fake.BotMessages(jean), 2, "refreshed again with the rotated refresh token")

	// An administrator revokes the grant: the tokens are deleted, and the next request
	// asks the organizer to connect again, then carries on.
	require.Equal(t, 1, h.fake.RevokeGrants(alex))
	h.dm(alex, "programme une rencontre pour Marie Tremblay demain à 15 h pendant 30 minutes")
	r = h.dm(alex, "oui")
	assert.Contains(t, texts(r), "ne fonctionne plus", texts(r))
	connected, err := accountsOf(h).Connected(context.Background(), "", alex)
	require.NoError(t, err)
	assert.False(t, connected, "the revoked tokens are deleted")
	_, err = h.fake.Approve(pendingCode(t, h.fake), alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h.fake.BotMessages(marieTremblay)) == 1 }, h.clock)
	assert.Len(t, h.fake.Meetings(), 2)
}

// TestOwnAccountReminderWithoutTheAccount: the organizer disconnected, or an administrator
// revoked the grant (the refresh then fails for good and the tokens are deleted): the
// designate is reminded without the key, and the organizer told why.
func TestOwnAccountReminderWithoutTheAccount(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"disconnected", "revoked"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			ownAccountReminderWithoutTheAccount(t, how)
		})
	}
}

func ownAccountReminderWithoutTheAccount(t *testing.T, how string) {
	h := newHarness(t, ownAccounts(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}}))
	connected(t, h)
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)
	if how == "revoked" {
		require.Equal(t, 1, h.fake.RevokeGrants(alex))
	} else {
		h.dm(alex, "déconnecte mon compte")
	}
	before := len(h.fake.BotMessages(alex))

	h.clock.Advance(25 * time.Hour) // tomorrow 10:00, the reminder is due
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(jean)) == 2 }, eventuallyWait, 20*time.Millisecond)
	reminder := h.fake.BotMessages(jean)[1].Markdown
	assert.Contains(t, reminder, "Rappel")
	assert.Contains(t, reminder, "ne peux plus lire la clé organisateur")
	assert.NotContains(t, reminder, h.fake.Meetings()[0].HostKey)
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(alex)) > before }, eventuallyWait, 20*time.Millisecond)
	assert.Contains(t, texts(h.fake.BotMessages(alex)[before:]), "votre compte Webex n'est plus connecté")
	ok, err := accountsOf(h).Connected(context.Background(), "", alex)
	require.NoError(t, err)
	assert.False(t, ok, "no tokens left")
}

func TestOwnAccountSurvivesARestartWhileWaiting(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "relais.db")
	h1 := newHarness(t, ownAccounts(t, harnessOptions{db: db}))
	h1.dm(alex, ownRequest)
	h1.dm(alex, "oui")
	code := pendingCode(t, h1.fake)
	h1.stop()

	_, err := h1.fake.Approve(code, alex)
	require.NoError(t, err)
	h2 := newHarness(t, ownAccounts(t, harnessOptions{db: db, fake: h1.fake}))
	until(t, func() bool { return len(h1.fake.BotMessages(jean)) == 1 }, h1.clock, h2.clock)
	assert.Len(t, h1.fake.Meetings(), 1)
	require.Eventually(t, hasMessage(h1.fake, alex, "Votre compte Webex est connecté"), eventuallyWait, 20*time.Millisecond)
}

func TestOwnAccountTwoReplicas(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "relais.db")
	h1 := newHarness(t, ownAccounts(t, harnessOptions{db: db, botConfig: bot.Config{Owner: "a"},
		tune: func(c *bot.RuntimeConfig) { c.DeviceName = "relais-a" }}))
	h1.dm(alex, ownRequest)
	h1.dm(alex, "oui")
	code := pendingCode(t, h1.fake)
	h2 := newHarness(t, ownAccounts(t, harnessOptions{db: db, fake: h1.fake, botConfig: bot.Config{Owner: "b"},
		tune: func(c *bot.RuntimeConfig) { c.DeviceName = "relais-b" }}))
	_, err := h1.fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h1.fake.BotMessages(jean)) == 1 }, h1.clock, h2.clock)
	require.Eventually(t, hasMessage(h1.fake, alex, "Votre compte Webex est connecté"), eventuallyWait, 20*time.Millisecond)
	// Both replicas keep polling: still one meeting, one designate message, one notice.
	h1.clock.Advance(pollStep)
	h2.clock.Advance(pollStep)
	require.Never(t, func() bool {
		return len(h1.fake.Meetings()) != 1 || len(h1.fake.BotMessages(jean)) != 1 ||
			strings.Count(markdowns(h1.fake.BotMessages(alex)), "Votre compte Webex est connecté") != 1
	}, 300*time.Millisecond, 20*time.Millisecond, texts(h1.fake.BotMessages(alex)))
}

// TestOwnAccountLeaksNoToken runs a whole flow with debug logs (connection, meeting, refresh,
// resend, revocation, reconnection) and scans the database file and the logs for every token
// and code the fake issued.
func TestOwnAccountLeaksNoToken(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	db := filepath.Join(t.TempDir(), "relais.db")
	h := newHarness(t, ownAccounts(t, harnessOptions{db: db, log: zerolog.New(logs).Level(zerolog.DebugLevel)}))
	h.fake.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	_, err := h.fake.Approve(pendingCode(t, h.fake), alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h.fake.BotMessages(jean)) == 1 }, h.clock)
	h.clock.Advance(2 * time.Hour)
	h.dm(alex, "renvoie la clé")
	require.Len(t, h.fake.BotMessages(jean), 2)
	h.fake.RevokeGrants(alex)
	h.dm(alex, "programme une rencontre pour Marie Tremblay demain à 15 h pendant 30 minutes")
	h.dm(alex, "oui")
	_, err = h.fake.Approve(pendingCode(t, h.fake), marieGagnon) // the wrong person
	require.NoError(t, err)
	until(t, hasMessage(h.fake, alex, "pas par vous"), h.clock)
	h.stop()

	var secrets []string
	for _, tk := range h.fake.IssuedTokens() {
		secrets = append(secrets, tk.Token)
	}
	secrets = append(secrets, h.fake.OAuthSecrets()...)
	require.GreaterOrEqual(t, len(secrets), 6, "access and refresh tokens, rotated, and device codes")
	files, err := filepath.Glob(db + "*") // the database and its WAL
	require.NoError(t, err)
	var stored []byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		stored = append(stored, raw...)
	}
	logged := logs.String()
	require.Contains(t, logged, "account connection started", "the logs were captured")
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.False(t, bytes.Contains(stored, []byte(s)), "a token or code in the database")
		assert.NotContains(t, logged, s, "a token or code in the logs")
	}
}

func accountsOf(h *harness) *accounts.Accounts { return bot.AccountsForTest(h.rt.Bot) }

func markdowns(ms []webextest.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Markdown + "\n---\n")
	}
	return b.String()
}

// connected connects alex's own account on demand.
func connected(t *testing.T, h *harness) {
	t.Helper()
	h.dm(alex, "connecte mon compte")
	_, err := h.fake.Approve(pendingCode(t, h.fake), alex)
	require.NoError(t, err)
	until(t, hasMessage(h.fake, alex, "Votre compte Webex est connecté"), h.clock)
}

// TestOwnAccountChangeSeriesAndReminders: a change, a series and its occurrence reminder,
// all with the organizer's own token.
func TestOwnAccountChangeSeriesAndReminders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ownAccounts(t, harnessOptions{botConfig: bot.Config{ReminderBefore: 30 * time.Minute}}))
	connected(t, h)
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 14 h")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)
	h.dm(alex, "mes rencontres")
	h.dm(alex, "déplace la rencontre 1 à jeudi 15 h")
	r := h.dm(alex, "oui")
	assert.Contains(t, texts(r), "C'est fait", texts(r))
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	assert.Equal(t, alex, ms[0].HostEmail)
	assert.Contains(t, ms[0].Start, "2026-06-18T15:00")
	require.Len(t, h.fake.BotMessages(jean), 2)
	assert.Contains(t, h.fake.BotMessages(jean)[1].Markdown, ms[0].HostKey)

	h.dm(alex, "programme une rencontre pour Bob Smith chaque vendredi à 10 h pendant 2 semaines")
	h.dm(alex, "oui")
	require.Len(t, h.fake.Meetings(), 2)
	require.Len(t, h.fake.BotMessages(bob), 1)

	// Friday 19 June, 09:40: the first occurrence's reminder, with its host key.
	h.clock.Advance(3*24*time.Hour + 40*time.Minute)
	require.Eventually(t, func() bool { return len(h.fake.BotMessages(bob)) == 2 }, eventuallyWait, 20*time.Millisecond)
	series := h.fake.Meetings()[1]
	occ := h.fake.Occurrences(series.ID)
	require.NotEmpty(t, occ)
	assert.Contains(t, h.fake.BotMessages(bob)[1].Markdown, occ[0].HostKey)
}

// TestOwnAccountLostApprovalNewsCarriesOnAtTheNextMessage: the replica that saw the approval
// stopped before carrying on (here: someone else polled it and dropped the news). The
// organizer's next message finds the account connected and the request goes on.
func TestOwnAccountLostApprovalNewsCarriesOnAtTheNextMessage(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "relais.db")
	h1 := newHarness(t, ownAccounts(t, harnessOptions{db: db}))
	h1.dm(alex, ownRequest)
	h1.dm(alex, "oui")
	code := pendingCode(t, h1.fake)
	h1.stop()
	_, err := h1.fake.Approve(code, alex)
	require.NoError(t, err)

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: h1.fake.APIURL(),
		ClientID: webextest.IntegrationClientID, ClientSecret: webextest.IntegrationClientSecret, Now: h1.clock.Now})
	require.NoError(t, err)
	people, err := webexapi.NewClient(webexapi.WithBaseURL(h1.fake.APIURL()), webexapi.WithTokenSource(&webexapi.ContextTokens{}))
	require.NoError(t, err)
	acc, err := accounts.New(accounts.Config{Store: st, Keyring: testKeyring(t), Integration: in, People: people, Now: h1.clock.Now})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		h1.clock.Advance(pollStep)
		outs, err := acc.Poll(ctx, "elsewhere", time.Minute, 10)
		require.NoError(t, err)
		return len(outs) == 1 && outs[0].Kind == accounts.Connected
	}, eventuallyWait, 10*time.Millisecond)
	require.NoError(t, st.Close())

	h2 := newHarness(t, ownAccounts(t, harnessOptions{db: db, fake: h1.fake}))
	r := h2.dm(alex, "alors ?")
	assert.Contains(t, texts(r), "C'est fait", texts(r))
	require.Len(t, h1.fake.BotMessages(jean), 1)
	assert.Len(t, h1.fake.Meetings(), 1)
}

// TestOwnAccountSlowDownIsHonoured: Webex asks twice to poll more slowly; the approval still
// goes through, and no poll comes too early (the fake would answer slow_down again).
func TestOwnAccountSlowDownIsHonoured(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ownAccounts(t, harnessOptions{}))
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	code := pendingCode(t, h.fake)
	require.NoError(t, h.fake.SlowDown(code, 2))
	_, err := h.fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(h.fake.BotMessages(jean)) == 1 }, h.clock)
	assert.Len(t, h.fake.Meetings(), 1)
	assert.Equal(t, 3, h.fake.CallCounts()["POST /v1/device/token"], "two slow_down, then the tokens")
}
