package webexapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testWebhookSecret = "s3cret-for-tests"

const messageWebhookBody = `{"id":"WH1","name":"relais:messages.created","targetUrl":"https://bot.example/webhook","resource":"messages","event":"created","orgId":"O","createdBy":"C","appId":"A","ownedBy":"creator","status":"active","actorId":"P1","created":"2026-11-26T02:00:00.000Z","data":{"id":"M1","roomId":"R1","roomType":"group","personId":"P1","personEmail":"alex@example.com","parentId":"M0","mentionedPeople":["BOT"],"created":"2026-11-26T02:00:01.000Z"}}`

const cardWebhookBody = `{"id":"WH2","name":"relais:attachmentActions.created","resource":"attachmentActions","event":"created","actorId":"P1","data":{"id":"AA1","type":"submit","messageId":"M9","personId":"P1","roomId":"R1","created":"2026-11-26T02:00:02.000Z"}}`

func newTestWebhookHandler(t *testing.T, out chan Event, opts ...WebhookOption) http.Handler {
	t.Helper()
	h, err := NewWebhookHandler(testWebhookSecret, out, opts...)
	require.NoError(t, err)
	return h
}

func postWebhook(h http.Handler, body string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func signed(body string) http.Header {
	return http.Header{HeaderSparkSignature: {SignWebhook([]byte(testWebhookSecret), []byte(body))}}
}

func TestWebhookHandlerRequiresSecret(t *testing.T) {
	t.Parallel()
	_, err := NewWebhookHandler("", make(chan Event))
	require.ErrorIs(t, err, ErrNoWebhookSecret)
}

func TestWebhookHandlerDeliversTypedEvents(t *testing.T) {
	t.Parallel()
	out := make(chan Event, 2)
	h := newTestWebhookHandler(t, out)

	before := time.Now()
	rec := postWebhook(h, messageWebhookBody, signed(messageWebhookBody))
	require.Equal(t, http.StatusOK, rec.Code)
	ev := <-out
	assert.False(t, ev.Ready.Before(before), "the event says when it was ready to hand over")
	ev.Ready = time.Time{}
	assert.Equal(t, Event{
		Kind: EventMessageCreated, Source: SourceWebhook, ID: "M1", RoomID: "R1", RoomType: "group",
		PersonID: "P1", PersonEmail: "alex@example.com", ParentID: "M0",
		Created: time.Date(2026, 11, 26, 2, 0, 1, 0, time.UTC),
	}, ev)

	rec = postWebhook(h, cardWebhookBody, signed(cardWebhookBody))
	require.Equal(t, http.StatusOK, rec.Code)
	ev = <-out
	assert.Equal(t, EventCardSubmitted, ev.Kind)
	assert.Equal(t, "AA1", ev.ID)
	assert.Equal(t, "M9", ev.MessageID)
	assert.Equal(t, "P1", ev.PersonID)
	assert.Equal(t, "R1", ev.RoomID)

	added := `{"resource":"memberships","event":"created","actorId":"P1","data":{"id":"MB1","roomId":"R2","roomType":"group","personId":"BOT","personEmail":"relais@webex.bot","created":"2026-11-26T02:00:01.000Z"}}`
	rec = postWebhook(h, added, signed(added))
	require.Equal(t, http.StatusOK, rec.Code)
	ev = <-out
	assert.Equal(t, EventMembershipCreated, ev.Kind)
	assert.Equal(t, "MB1", ev.ID)
	assert.Equal(t, "R2", ev.RoomID)
	assert.Equal(t, "P1", ev.PersonID, "the person who added the bot")
	assert.Equal(t, "BOT", ev.MemberID)
	assert.Equal(t, "relais@webex.bot", ev.MemberEmail)

	other := `{"resource":"rooms","event":"created","data":{"id":"X"}}`
	rec = postWebhook(h, other, signed(other))
	assert.Equal(t, http.StatusOK, rec.Code, "other resources are acknowledged")
	assert.Empty(t, out)
}

func TestWebhookHandlerSignatures(t *testing.T) {
	t.Parallel()
	good := signed(messageWebhookBody)
	sha256Sig := func(body string) string {
		m := hmac.New(sha256.New, []byte(testWebhookSecret))
		m.Write([]byte(body))
		return hex.EncodeToString(m.Sum(nil))
	}
	cases := []struct {
		name   string
		body   string
		header http.Header
		want   int
	}{
		{"good", messageWebhookBody, good, http.StatusOK},
		{"good upper-case hex", messageWebhookBody, http.Header{HeaderSparkSignature: {strings.ToUpper(good.Get(HeaderSparkSignature))}}, http.StatusOK},
		{"missing", messageWebhookBody, nil, http.StatusUnauthorized},
		{"bad", messageWebhookBody, http.Header{HeaderSparkSignature: {strings.Repeat("0", 40)}}, http.StatusUnauthorized},
		{"not hex", messageWebhookBody, http.Header{HeaderSparkSignature: {"zz"}}, http.StatusUnauthorized},
		{"other secret", messageWebhookBody, http.Header{HeaderSparkSignature: {SignWebhook([]byte("other"), []byte(messageWebhookBody))}}, http.StatusUnauthorized},
		{"tampered body", strings.Replace(messageWebhookBody, `"M1"`, `"M2"`, 1), good, http.StatusUnauthorized},
		{"unsigned garbage is 401 not 400", "{not json", nil, http.StatusUnauthorized},
		{"signed garbage", "{not json", signed("{not json"), http.StatusBadRequest},
		{"signed without resource", `{"data":{"id":"x"}}`, signed(`{"data":{"id":"x"}}`), http.StatusBadRequest},
		{"x-webex-signature sha-256", messageWebhookBody, http.Header{HeaderWebexSignature: {"SHA-256=" + sha256Sig(messageWebhookBody)}}, http.StatusOK},
		{"x-webex-signature wrong", messageWebhookBody, http.Header{HeaderWebexSignature: {"SHA-256=" + sha256Sig("x")}}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := make(chan Event, 1)
			rec := postWebhook(newTestWebhookHandler(t, out), tc.body, tc.header)
			assert.Equal(t, tc.want, rec.Code)
			if tc.want != http.StatusOK {
				assert.Empty(t, out, "nothing handed on")
			}
		})
	}
}

func TestWebhookHandlerOversizedBody(t *testing.T) {
	t.Parallel()
	out := make(chan Event, 1)
	h := newTestWebhookHandler(t, out, WithMaxWebhookBody(1024))
	body := `{"resource":"messages","event":"created","data":{"id":"M1","pad":"` + strings.Repeat("x", 2048) + `"}}`
	rec := postWebhook(h, body, signed(body))
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Empty(t, out)
}

func TestWebhookHandlerBusyConsumerGets503(t *testing.T) {
	t.Parallel()
	out := make(chan Event) // nobody reads
	h := newTestWebhookHandler(t, out, WithHandoffTimeout(time.Millisecond))
	rec := postWebhook(h, messageWebhookBody, signed(messageWebhookBody))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "Webex retries rather than the event being lost")
}

func TestWebhookHandlerMethodAndIgnoredPersons(t *testing.T) {
	t.Parallel()
	out := make(chan Event, 1)
	h := newTestWebhookHandler(t, out, WithIgnoredPersons("P1"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	rec = postWebhook(h, messageWebhookBody, signed(messageWebhookBody))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Empty(t, out, "the bot's own message is dropped")
}

func FuzzWebhookDecode(f *testing.F) {
	f.Add([]byte(messageWebhookBody))
	f.Add([]byte(cardWebhookBody))
	f.Add([]byte(`{"resource":"messages","event":"created","data":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, ok, err := decodeWebhook(b)
		if err == nil && ok && ev.ID == "" {
			t.Fatal("event without id accepted")
		}
		// Through the handler too: signed, so the decoder is reached.
		out := make(chan Event, 1)
		h, _ := NewWebhookHandler(testWebhookSecret, out, WithMaxWebhookBody(64<<10), WithHandoffTimeout(time.Nanosecond))
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
		req.Header.Set(HeaderSparkSignature, SignWebhook([]byte(testWebhookSecret), b))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusUnauthorized {
			t.Fatal("a correctly signed body was rejected as unsigned")
		}
	})
}
