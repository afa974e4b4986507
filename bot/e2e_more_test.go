package bot_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

const (
	bob  = "bob.smith@example.com"
	jean = "jean.dupont@example.com"
)

func TestEnglishFlow(t *testing.T) { bothModes(t, e2eEnglishFlow) }

func e2eEnglishFlow(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	r := h.dm(bob, `schedule a meeting for Jean Dupont tomorrow at 2pm for 45 minutes called "Budget review"`)
	require.Len(t, r, 1, texts(r))
	assert.Contains(t, r[0].Markdown, "Budget review")
	assert.Contains(t, r[0].Markdown, "Jean Dupont")
	r = h.dm(bob, "yes")
	require.NotEmpty(t, r)

	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	m := ms[0]
	assert.Equal(t, "Budget review", m.Title)
	assert.Equal(t, bob, m.HostEmail)
	start, err := time.Parse(time.RFC3339, m.Start)
	require.NoError(t, err)
	end, err := time.Parse(time.RFC3339, m.End)
	require.NoError(t, err)
	assert.Equal(t, 45*60.0, end.Sub(start).Seconds())
	assert.Equal(t, 14, start.In(mustZone("America/Toronto")).Hour())

	dms := h.fake.BotMessages(jean)
	require.Len(t, dms, 1)
	for _, want := range []string{m.HostKey, m.Password, "Reclaim host role", "Host", m.WebLink} {
		assert.Contains(t, dms[0].Markdown, want)
	}
	assert.NotContains(t, dms[0].Markdown, "Bonjour", "the designate's message is in the organizer's language")
}

func TestGroupSpaceNeverShowsSecrets(t *testing.T) { bothModes(t, e2eGroupSpaceNeverShowsSecrets) }

func e2eGroupSpaceNeverShowsSecrets(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	const room = "Équipe soins intensifs"
	first := h.say(webextest.SayRequest{From: alex, Room: room, Text: "programme une rencontre pour Jean Dupont demain à 10 h 30 pendant 30 minutes"})
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "oui"})

	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	m := ms[0]
	group := h.fake.RoomMessages(room)
	var botPosts []webextest.Message
	for _, g := range group {
		if g.PersonEmail == "relais@webex.bot" {
			botPosts = append(botPosts, g)
		}
	}
	require.Len(t, botPosts, 2, texts(botPosts)) // the summary, then the confirmation
	for _, g := range group {
		assert.NotContains(t, g.Markdown+g.Text, m.HostKey, "host key in a group space")
		assert.NotContains(t, g.Markdown+g.Text, m.Password, "password in a group space")
	}
	for _, g := range botPosts {
		assert.Equal(t, first, g.ParentID, "the bot answers in the thread of the request")
	}
	dms := h.fake.BotMessages(jean)
	require.Len(t, dms, 1)
	assert.Equal(t, "direct", dms[0].RoomType)
	assert.Contains(t, dms[0].Markdown, m.HostKey)
}

func TestGroupAnswersAtTopLevelContinueTheDialogue(t *testing.T) {
	bothModes(t, e2eGroupAnswersAtTopLevelContinueTheDialogue)
}

func e2eGroupAnswersAtTopLevelContinueTheDialogue(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	const room = "Urgence"
	first := h.say(webextest.SayRequest{From: alex, Room: room, Text: "programme une rencontre pour Marie demain à 14 h"})
	h.say(webextest.SayRequest{From: alex, Room: room, Text: "2"})   // not in the thread
	h.say(webextest.SayRequest{From: alex, Room: room, Text: "oui"}) // not in the thread either
	require.Len(t, h.fake.Meetings(), 1)
	for _, m := range h.fake.RoomMessages(room) {
		if m.PersonEmail == "relais@webex.bot" {
			assert.Equal(t, first, m.ParentID, "every answer in the request's thread")
		}
	}
	// The dialogue is over: a new top-level request starts a new thread.
	second := h.say(webextest.SayRequest{From: alex, Room: room, Text: "programme une rencontre pour Jean Dupont demain à 16 h"})
	last := h.fake.RoomMessages(room)
	assert.Equal(t, second, last[len(last)-1].ParentID)
}

func TestMentionedPersonIsTheDesignate(t *testing.T) { bothModes(t, e2eMentionedPersonIsTheDesignate) }

func e2eMentionedPersonIsTheDesignate(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	const room = "Coordination"
	first := h.say(webextest.SayRequest{From: alex, Room: room, Mentions: []string{marieTremblay},
		Text: "programme une rencontre pour Marie Tremblay jeudi à 13 h"})
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "oui"})
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	assert.Equal(t, marieTremblay, ms[0].Invitees[0].Email)
	require.Len(t, h.fake.BotMessages(marieTremblay), 1)
	assert.Empty(t, h.fake.BotMessages(marieGagnon))
}

func TestListCancelAndResend(t *testing.T) { bothModes(t, e2eListCancelAndResend) }

func e2eListCancelAndResend(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	h.dm(alex, "oui")
	h.dm(alex, "programme une rencontre pour Bob Smith demain à 15 h")
	h.dm(alex, "oui")
	require.Len(t, h.fake.Meetings(), 2)

	r := h.dm(alex, "mes rencontres")
	require.Len(t, r, 1)
	list := r[0].Markdown
	require.Contains(t, list, "Jean Dupont")
	require.Contains(t, list, "Bob Smith")

	// Resend the host key to Jean: a second message, with the key fetched fresh.
	r = h.dm(alex, "renvoie la clé à Jean Dupont")
	jeanMsgs := h.fake.BotMessages(jean)
	require.Len(t, jeanMsgs, 2, texts(r))
	var jeanMeeting webextest.SimMeeting
	for _, m := range h.fake.Meetings() {
		if m.Invitees[0].Email == jean {
			jeanMeeting = m
		}
	}
	assert.Contains(t, jeanMsgs[1].Markdown, jeanMeeting.HostKey)

	// Cancel Bob's meeting: Webex deletes it, Bob is told.
	r = h.dm(alex, "annule la rencontre avec Bob Smith")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "Bob Smith")
	require.Len(t, h.fake.Meetings(), 2, "nothing is cancelled before the organizer confirms")
	h.dm(alex, "oui")
	require.Len(t, h.fake.Meetings(), 1, "Bob's meeting deleted in Webex")
	assert.Equal(t, jean, h.fake.Meetings()[0].Invitees[0].Email)
	bobMsgs := h.fake.BotMessages(bob)
	require.Len(t, bobMsgs, 2, "Bob got the meeting, then its cancellation")
	assert.NotContains(t, bobMsgs[1].Markdown, jeanMeeting.HostKey)

	r = h.dm(alex, "mes rencontres")
	assert.NotContains(t, r[0].Markdown, "Bob Smith")
}

func TestUnknownPersonThenEmail(t *testing.T) { bothModes(t, e2eUnknownPersonThenEmail) }

func e2eUnknownPersonThenEmail(t *testing.T, mode string) {
	for _, orgOnly := range []bool{false, true} {
		h := newHarness(t, harnessOptions{mode: mode, orgOnly: orgOnly})
		r := h.dm(alex, "programme une rencontre pour Paul Inconnu demain à 9 h")
		require.Len(t, r, 1)
		assert.Contains(t, r[0].Markdown, "Paul Inconnu")
		assert.Contains(t, r[0].Markdown, "courriel")
		// An address outside the organization never gets a host key: refused at once.
		r = h.dm(alex, "paul@ailleurs.example.org")
		require.Len(t, r, 1)
		assert.Contains(t, r[0].Markdown, "organisation")
		r = h.dm(alex, "oui")
		assert.Empty(t, h.fake.Meetings(), "orgOnly=%v: %s", orgOnly, texts(r))
		assert.Empty(t, h.fake.BotMessages("paul@ailleurs.example.org"))
	}
}

func TestDesignateByTitleAndAllowedAddress(t *testing.T) {
	t.Parallel()
	// An unknown address of an allowed domain may belong to another Webex organization: it is
	// accepted as is only where the operator allows designates from other organizations
	// (TestADesignateFromAnotherOrganizationNeedsTheOperatorsWord covers the refusal).
	h := newHarness(t, harnessOptions{botConfig: bot.Config{DesignatesFromOtherOrgs: true}})
	// « Dre Gagnon » is Marie Gagnon; an unknown address of an allowed domain is accepted as is.
	r := h.dm(alex, "programme une rencontre pour Dre Gagnon demain à 9 h")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "Marie Gagnon")
	h.dm(alex, "annuler")
	h.dm(alex, "programme une rencontre pour nouvelle.recrue@example.com demain à 9 h")
	h.dm(alex, "oui")
	ms := h.fake.Meetings()
	require.Len(t, ms, 1)
	assert.Equal(t, "nouvelle.recrue@example.com", ms[0].Invitees[0].Email)
}

func TestMeetingsCredentialRefused(t *testing.T) { bothModes(t, e2eMeetingsCredentialRefused) }

func e2eMeetingsCredentialRefused(t *testing.T, mode string) {
	var logs syncBuffer
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now})
	// The bot token as meetings credential: Webex answers 403 on /meetings, as it does.
	h := newHarness(t, harnessOptions{mode: mode, fake: fake, meetings: fake.BotToken(), log: zerolog.New(&logs)})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	r := h.dm(alex, "oui")
	assert.Empty(t, h.fake.Meetings())
	assert.Contains(t, texts(r), "administrateur")
	assert.Empty(t, h.fake.BotMessages(jean))
	assert.Contains(t, logs.String(), "WEBEX_MEETINGS_TOKEN", "the administrator is told which setting to fix")
	assert.Contains(t, logs.String(), "meeting:admin_schedule_write")
	assert.Regexp(t, `"message":"event handled".*|"trackingIds":\["[^"]+`, logs.String(), "each handled event logs Webex's tracking ids")
	assert.Regexp(t, `"trackingIds":\["[^"]+"`, logs.String())
}

func TestAwkwardMessages(t *testing.T) { bothModes(t, e2eAwkwardMessages) }

func e2eAwkwardMessages(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	// Webex itself refuses messages over 7,439 bytes: the longest a person can send arrives
	// through the fake; a 10,000-character text is handed to the bot directly.
	r := h.dm(alex, strings.Repeat("programme une rencontre ", 309)) // 7,416 bytes
	require.Len(t, r, 1, "a long message gets one polite answer")
	assert.Contains(t, r[0].Markdown, "long")

	ctx := context.Background()
	page, err := h.rt.Webex.People.List(ctx, &webexapi.PeopleListOptions{Email: alex})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	long := strings.Repeat("programme une rencontre ", 420)
	require.GreaterOrEqual(t, len([]rune(long)), 10000)
	before := len(h.fake.BotMessages(alex))
	h.rt.Bot.Submit(ctx, webexapi.Event{Kind: webexapi.EventMessageCreated, Source: webexapi.SourceWebhook, ID: "synthetic-long-message",
		Message: &webexapi.Message{ID: "synthetic-long-message", RoomID: r[0].RoomID, RoomType: "direct", PersonID: page.Items[0].ID, PersonEmail: alex, Text: long}})
	h.waitHandled("synthetic-long-message")
	r = h.fake.BotMessages(alex)[before:]
	require.Len(t, r, 1, "a 10,000-character message gets one polite answer")
	assert.Contains(t, r[0].Markdown, "long")

	// An empty text (a message with only a file, which the fake cannot post) gets an answer.
	before = len(h.fake.BotMessages(alex))
	h.rt.Bot.Submit(ctx, webexapi.Event{Kind: webexapi.EventMessageCreated, Source: webexapi.SourceWebhook, ID: "synthetic-empty-message",
		Message: &webexapi.Message{ID: "synthetic-empty-message", RoomID: r[0].RoomID, RoomType: "direct", PersonID: page.Items[0].ID, PersonEmail: alex, Text: ""}})
	h.waitHandled("synthetic-empty-message")
	require.Len(t, h.fake.BotMessages(alex)[before:], 1, "an empty message gets an answer")

	// A message that is only the mention, in a group space.
	const room = "Mentions"
	before = len(h.fake.RoomMessages(room))
	h.say(webextest.SayRequest{From: alex, Room: room, Text: ""})
	after := h.fake.RoomMessages(room)
	var replies int
	for _, m := range after[before:] {
		if m.PersonEmail == "relais@webex.bot" {
			replies++
		}
	}
	assert.Equal(t, 1, replies, "only the mention: the bot answers with a hint")

	// The bot still works afterwards.
	r = h.dm(alex, "aide")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, "rencontre")
}

// syncBuffer is a bytes.Buffer safe for concurrent writers (log lines from several goroutines).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// bothModes runs an end-to-end test over the websocket and over webhooks.
func bothModes(t *testing.T, test func(t *testing.T, mode string)) {
	t.Parallel()
	for _, mode := range []string{"websocket", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			test(t, mode)
		})
	}
}

func TestCardSubmissionIsAnInput(t *testing.T) { bothModes(t, e2eCardSubmissionIsAnInput) }

// A card submission (webhooks carry no room type for them) is read like a message of its author,
// in the card's space: here the designate answers « aide » through the card of their 1:1 message.
func e2eCardSubmissionIsAnInput(t *testing.T, mode string) {
	h := newHarness(t, harnessOptions{mode: mode})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	h.dm(alex, "oui")
	dms := h.fake.BotMessages(jean)
	require.Len(t, dms, 1)
	id, err := h.fake.SubmitCard(webextest.CardSubmission{From: jean, MessageID: dms[0].ID, Inputs: map[string]any{"text": "aide"}})
	require.NoError(t, err)
	h.waitHandled(id)
	dms = h.fake.BotMessages(jean)
	require.Len(t, dms, 2, texts(dms))
	assert.Contains(t, dms[1].Markdown, "rencontre")
	assert.Empty(t, dms[1].ParentID, "a 1:1 answer is not threaded")
}

// Webex creates the meeting but its answer is lost (a gateway timeout): the bot finds the meeting
// by its tag instead of telling the organizer nothing was created, and nothing is created twice.
func TestLostCreateAnswerFindsTheMeeting(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now})
	target, err := url.Parse(fake.URL())
	require.NoError(t, err)
	rp := httputil.NewSingleHostReverseProxy(target)
	var lost atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/meetings" && lost.Add(1) == 1 {
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r) // Webex acts…
			// assert, not require: this runs on the proxy's goroutine.
			assert.Equal(t, http.StatusOK, rec.Code)
			w.WriteHeader(http.StatusGatewayTimeout) // …but the answer never arrives
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	h := newHarness(t, harnessOptions{mode: "webhook", fake: fake, apiURL: proxy.URL + "/v1"})
	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	r := h.dm(alex, "oui")
	require.EqualValues(t, 1, lost.Load())
	require.Len(t, fake.Meetings(), 1)
	assert.Contains(t, texts(r), "C'est fait")
	dms := fake.BotMessages(jean)
	require.Len(t, dms, 1)
	assert.Contains(t, dms[0].Markdown, fake.Meetings()[0].HostKey)
}
