package webextest_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

type delivery struct {
	body      []byte
	signature string
}

type envelope struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Resource  string `json:"resource"`
	Event     string `json:"event"`
	Filter    string `json:"filter"`
	OrgID     string `json:"orgId"`
	CreatedBy string `json:"createdBy"`
	AppID     string `json:"appId"`
	OwnedBy   string `json:"ownedBy"`
	Status    string `json:"status"`
	ActorID   string `json:"actorId"`
	Created   string `json:"created"`
	Secret    string `json:"secret"`
	Data      struct {
		ID              string   `json:"id"`
		Type            string   `json:"type"`
		MessageID       string   `json:"messageId"`
		RoomID          string   `json:"roomId"`
		RoomType        string   `json:"roomType"`
		PersonID        string   `json:"personId"`
		PersonEmail     string   `json:"personEmail"`
		ParentID        string   `json:"parentId"`
		MentionedPeople []string `json:"mentionedPeople"`
		Created         string   `json:"created"`
	} `json:"data"`
}

// receiver is a webhook target; status decides each answer (attempt numbers start at 1).
func receiver(t *testing.T, status func(attempt int64) int) (string, <-chan delivery, *atomic.Int64) {
	t.Helper()
	ch := make(chan delivery, 100)
	var attempts atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n := attempts.Add(1)
		code := status(n)
		if code < 300 {
			ch <- delivery{body: body, signature: r.Header.Get("X-Spark-Signature")}
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, ch, &attempts
}

func nextDelivery(t *testing.T, ch <-chan delivery) delivery {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook delivery")
		return delivery{}
	}
}

func hmacSHA1(secret string, body []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func createWebhook(t *testing.T, s *webextest.Server, body map[string]any) string {
	t.Helper()
	var h struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	callJSON(t, "POST", s.APIURL()+"/webhooks", s.BotToken(), body, &h)
	require.Equal(t, "active", h.Status)
	return h.ID
}

func TestWebhooksAreSignedAndMentionOnlyInGroups(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	target, ch, _ := receiver(t, func(int64) int { return http.StatusOK })
	const secret = "s3cr3t-ç"
	msgHook := createWebhook(t, s, map[string]any{"name": "msgs", "targetUrl": target, "resource": "messages", "event": "created", "secret": secret})
	createWebhook(t, s, map[string]any{"name": "cards", "targetUrl": target, "resource": "attachmentActions", "event": "created", "secret": secret})

	id, err := s.Say(webextest.SayRequest{From: "marie.gagnon@example.com", Text: "allo"})
	require.NoError(t, err)
	d := nextDelivery(t, ch)
	require.Equal(t, hmacSHA1(secret, d.body), d.signature)
	var env envelope
	require.NoError(t, json.Unmarshal(d.body, &env))
	require.Equal(t, msgHook, env.ID)
	require.Equal(t, "messages", env.Resource)
	require.Equal(t, "created", env.Event)
	require.Equal(t, "creator", env.OwnedBy)
	require.Equal(t, "active", env.Status)
	require.Empty(t, env.Secret, "the secret is never sent")
	require.Equal(t, id, env.Data.ID)
	require.Equal(t, "direct", env.Data.RoomType)
	require.Equal(t, "marie.gagnon@example.com", env.Data.PersonEmail)
	require.Equal(t, env.Data.PersonID, env.ActorID)
	require.NotEmpty(t, env.OrgID)
	require.NotEmpty(t, env.CreatedBy)

	_, err = s.Say(webextest.SayRequest{From: "marie.gagnon@example.com", Text: "sans mention", Room: "Projet", NoMention: true})
	require.NoError(t, err)
	gid, err := s.Say(webextest.SayRequest{From: "marie.gagnon@example.com", Text: "avec mention", Room: "Projet"})
	require.NoError(t, err)
	d = nextDelivery(t, ch)
	require.NoError(t, json.Unmarshal(d.body, &env))
	require.Equal(t, gid, env.Data.ID, "the group message without mention is not delivered")
	require.Equal(t, "group", env.Data.RoomType)
	require.Equal(t, []string{botID(t, s)}, env.Data.MentionedPeople)

	var card webextest.Message
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]any{"roomId": env.Data.RoomID, "markdown": "Choisir",
		"attachments": []map[string]any{{"contentType": "application/vnd.microsoft.card.adaptive", "content": map[string]any{"type": "AdaptiveCard"}}}}, &card)
	d = nextDelivery(t, ch) // the bot's own message, visible to it
	require.NoError(t, json.Unmarshal(d.body, &env))
	require.Equal(t, card.ID, env.Data.ID)
	actionID, err := s.SubmitCard(webextest.CardSubmission{From: "marie.gagnon@example.com", MessageID: card.ID, Inputs: map[string]any{"ok": true}})
	require.NoError(t, err)
	d = nextDelivery(t, ch)
	require.Equal(t, hmacSHA1(secret, d.body), d.signature)
	require.NoError(t, json.Unmarshal(d.body, &env))
	require.Equal(t, "attachmentActions", env.Resource)
	require.Equal(t, actionID, env.Data.ID)
	require.Equal(t, "submit", env.Data.Type)
	require.Equal(t, card.ID, env.Data.MessageID)
	require.Equal(t, webextest.Sign(secret, d.body), d.signature)
}

func TestWebhookFilterMentionedPeopleMe(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	target, ch, _ := receiver(t, func(int64) int { return http.StatusNoContent })
	createWebhook(t, s, map[string]any{"name": "m", "targetUrl": target, "resource": "messages", "event": "created", "filter": "roomType=group&mentionedPeople=me"})
	_, err := s.Say(webextest.SayRequest{From: "jean.dupont@example.com", Text: "1:1"})
	require.NoError(t, err)
	gid, err := s.Say(webextest.SayRequest{From: "jean.dupont@example.com", Text: "groupe", Room: "G"})
	require.NoError(t, err)
	var env envelope
	d := nextDelivery(t, ch)
	require.NoError(t, json.Unmarshal(d.body, &env))
	require.Equal(t, gid, env.Data.ID)
	require.Empty(t, d.signature, "no secret, no signature")
}

func TestWebhookRetriesThenDisablesUntilReactivated(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{WebhookAttempts: 2, WebhookRetryDelay: time.Millisecond, WebhookDisableAfter: 2})
	var failing atomic.Bool
	failing.Store(true)
	target, ch, attempts := receiver(t, func(n int64) int {
		if failing.Load() {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	id := createWebhook(t, s, map[string]any{"name": "w", "targetUrl": target, "resource": "messages", "event": "created", "secret": "x"})
	status := func() string {
		var h struct {
			Status string `json:"status"`
		}
		callJSON(t, "GET", s.APIURL()+"/webhooks/"+id, s.BotToken(), nil, &h)
		return h.Status
	}
	_, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "un"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return attempts.Load() == 2 }, 5*time.Second, time.Millisecond)
	_, err = s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "deux"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return status() == "disabled" }, 5*time.Second, time.Millisecond)
	require.EqualValues(t, 4, attempts.Load(), "each delivery is tried WebhookAttempts times")

	_, err = s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "ignoré"})
	require.NoError(t, err)
	failing.Store(false)
	callJSON(t, "PUT", s.APIURL()+"/webhooks/"+id, s.BotToken(), map[string]any{"name": "w", "targetUrl": target, "status": "active"}, nil)
	require.Equal(t, "active", status())
	last, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "trois"})
	require.NoError(t, err)
	var env envelope
	require.NoError(t, json.Unmarshal(nextDelivery(t, ch).body, &env))
	require.Equal(t, last, env.Data.ID)
	require.EqualValues(t, 5, attempts.Load(), "nothing was delivered while disabled")
}

func TestWebhookRetrySucceedsWithTheSameSignedBody(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{WebhookRetryDelay: time.Millisecond})
	bodies := make(chan delivery, 10)
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- delivery{body: b, signature: r.Header.Get("X-Spark-Signature")}
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(ts.Close)
	createWebhook(t, s, map[string]any{"name": "w", "targetUrl": ts.URL, "resource": "messages", "event": "all", "secret": "k"})
	_, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "re"})
	require.NoError(t, err)
	a, b := nextDelivery(t, bodies), nextDelivery(t, bodies)
	require.Equal(t, a, b)
	require.Equal(t, hmacSHA1("k", a.body), a.signature)
}

func TestWebhookCRUD(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	for _, bad := range []map[string]any{
		{"name": "n", "targetUrl": "ftp://x", "resource": "messages", "event": "created"},
		{"name": "n", "targetUrl": "https://x", "resource": "nope", "event": "created"},
		{"targetUrl": "https://x", "resource": "messages", "event": "created"},
	} {
		status, h, raw := call(t, "POST", s.APIURL()+"/webhooks", s.BotToken(), bad)
		requireError(t, http.StatusBadRequest, status, h, raw)
	}
	id := createWebhook(t, s, map[string]any{"name": "n", "targetUrl": "https://example.com/hook", "resource": "messages", "event": "created"})
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	callJSON(t, "GET", s.APIURL()+"/webhooks", s.BotToken(), nil, &list)
	require.Len(t, list.Items, 1)
	callJSON(t, "GET", s.APIURL()+"/webhooks", s.MeetingsToken(), nil, &list)
	require.Empty(t, list.Items, "webhooks belong to their creator")
	status, _, _ := call(t, "DELETE", s.APIURL()+"/webhooks/"+id, s.BotToken(), nil)
	require.Equal(t, http.StatusNoContent, status)
	status, h, raw := call(t, "GET", s.APIURL()+"/webhooks/"+id, s.BotToken(), nil)
	requireError(t, http.StatusNotFound, status, h, raw)
}

func TestWebhookDeliveriesKeepTheirOrder(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	target, ch, _ := receiver(t, func(int64) int { return http.StatusOK })
	createWebhook(t, s, map[string]any{"name": "o", "targetUrl": target, "resource": "messages", "event": "created"})
	var ids []string
	for range 30 {
		id, err := s.Say(webextest.SayRequest{From: "alex.martin@example.com", Text: "suite"})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	for _, want := range ids {
		var env envelope
		require.NoError(t, json.Unmarshal(nextDelivery(t, ch).body, &env))
		require.Equal(t, want, env.Data.ID)
	}
}

func TestWebhookRetriesFault(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{WebhookRetryDelay: time.Millisecond})
	target, ch, attempts := receiver(t, func(n int64) int {
		if n == 1 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	createWebhook(t, s, map[string]any{"name": "w", "targetUrl": target, "resource": "messages", "event": "created"})
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"webhookRetries": 0}, nil)
	_, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "perdu"})
	require.NoError(t, err)
	next, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "suivant"})
	require.NoError(t, err)
	var env envelope
	require.NoError(t, json.Unmarshal(nextDelivery(t, ch).body, &env))
	require.Equal(t, next, env.Data.ID, "webhookRetries 0: the failed delivery is not tried again")
	require.EqualValues(t, 2, attempts.Load())

	// More retries than the default's two.
	three := 3
	s.SetFaults(webextest.Faults{WebhookRetries: &three})
	target2, ch2, attempts2 := receiver(t, func(n int64) int {
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	createWebhook(t, s, map[string]any{"name": "w2", "targetUrl": target2, "resource": "messages", "event": "created",
		"filter": "personEmail=alex.martin@example.com"})
	id, err := s.Say(webextest.SayRequest{From: "alex.martin@example.com", Text: "insistant"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(nextDelivery(t, ch2).body, &env))
	require.Equal(t, id, env.Data.ID)
	require.EqualValues(t, 4, attempts2.Load(), "webhookRetries 3: four attempts")
}
