package webextest_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// fuzzBody sends body to method path on an unstarted fake and checks that the answer is a
// well-formed status (no panic, no 5xx).
func fuzzBody(f *testing.F, method, path, token string, seeds ...string) {
	s := webextest.New(webextest.Options{Clock: func() time.Time { return meetingsNow }})
	f.Cleanup(s.Close)
	for _, seed := range seeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s answered %d to %q: %s", method, path, rec.Code, body, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/json;charset=UTF-8" {
			t.Fatalf("error without JSON body: %d", rec.Code)
		}
	})
}

func FuzzMeetingCreate(f *testing.F) {
	fuzzBody(f, "POST", "/v1/meetings", "meetings-token",
		`{"title":"t","start":"2030-01-16T14:00:00Z","end":"2030-01-16T15:00:00Z"}`,
		`{"title":"t","start":"2030-01-16 14:00:00","end":"2030-01-16 14:05:00","timezone":"America/Toronto","joinBeforeHostMinutes":15}`,
		`{"title":"t","start":"x","end":null,"invitees":[{"email":""}],"hostEmail":"bob.smith@example.com"}`,
		`{"title":"é","start":"2030-01-15T14:30:59Z","end":"2030-01-16T14:29:00Z","password":"a b"}`,
		`[]`, `{"joinBeforeHostMinutes":1e400}`)
}

func FuzzMessageCreate(f *testing.F) {
	fuzzBody(f, "POST", "/v1/messages", "bot-token",
		`{"toPersonEmail":"bob.smith@example.com","markdown":"<@personEmail:bob.smith@example.com|Bob> <@personId:x|"}`,
		`{"toPersonEmail":"new@example.org","text":"x","parentId":"Y2lzY29zcGFyazovL3Vz"}`,
		`{"roomId":"","text":"","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{}}]}`)
}

func FuzzSimSay(f *testing.F) {
	fuzzBody(f, "POST", "/_sim/say", "",
		`{"from":"bob.smith@example.com","text":"@Relais aide","room":"R","mentions":["alex.martin@example.com"]}`,
		`{"from":"bob.smith@example.com","text":"Relaisé","room":"R","mentions":["nobody@example.com"]}`,
		`{"from":"BOB.smith@example.com","text":"x","parentId":"bogus"}`)
}
