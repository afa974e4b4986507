package webextest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// BenchmarkLoadFlow replays, against the fake's handler (no network), the calls one flow of
// `relais loadtest` makes: two messages from the organizer, each read over the conversation
// service and REST, the profile and designate look-ups, the meeting and three bot messages.
// The directory holds 2,000 people, as in the load test, and the state grows with b.N.
func BenchmarkLoadFlow(b *testing.B) {
	raw, err := os.ReadFile("testdata/loadflow_bodies.json")
	if err != nil {
		b.Fatal(err)
	}
	var bodies map[string]string
	if err := json.Unmarshal(raw, &bodies); err != nil {
		b.Fatal(err)
	}
	const n = 1000
	people := []webextest.Person{{Email: "relais@webex.bot", DisplayName: "Relais", FirstName: "Relais", Timezone: "America/Toronto", Type: "bot"}}
	for i := range n {
		people = append(people,
			webextest.Person{Email: fmt.Sprintf("org%05d@example.com", i), DisplayName: fmt.Sprintf("Organisatrice %05d", i), FirstName: "Organisatrice", LastName: fmt.Sprintf("%05d", i), Timezone: "America/Toronto"},
			webextest.Person{Email: fmt.Sprintf("des%05d@example.com", i), DisplayName: fmt.Sprintf("Désignée %05d", i), FirstName: "Désignée", LastName: fmt.Sprintf("%05d", i), Timezone: "America/Toronto"})
	}
	fake := webextest.New(webextest.Options{Directory: people})
	defer fake.Close()
	fake.SetURL("http://fake.test")
	h := fake.Handler()
	do := func(method, path, token, body string) []byte {
		var rd *strings.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		var req *http.Request
		if rd != nil {
			req = httptest.NewRequest(method, "http://fake.test"+path, rd)
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequest(method, "http://fake.test"+path, nil)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	bot, meetings := fake.BotToken(), fake.MeetingsToken()
	do(http.MethodPost, "/wdm/api/v1/devices", bot, `{"deviceName":"bench","deviceType":"DESKTOP","name":"bench","systemName":"bench","systemVersion":"1"}`)
	var me struct{ ID string }
	_ = json.Unmarshal(do(http.MethodGet, "/v1/people/me", bot, ""), &me)

	read := func(id string) (roomID, personID string) {
		var conv struct{ ID string }
		uuid := restUUID(b, id)
		_ = json.Unmarshal(do(http.MethodGet, "/conversation/api/v1/messages/"+uuid, bot, ""), &conv)
		var m struct{ RoomID, PersonID string }
		_ = json.Unmarshal(do(http.MethodGet, "/v1/messages/"+conv.ID, bot, ""), &m)
		return m.RoomID, m.PersonID
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := fmt.Sprintf("%05d", i%n)
		org, des := "org"+k+"@example.com", "des"+k+"@example.com"
		fill := func(name, roomID string) string {
			return strings.ReplaceAll(strings.ReplaceAll(bodies[name], "NNNNN", k), "ROOMID", roomID)
		}
		id, err := fake.Say(webextest.SayRequest{From: org, Text: "programme une rencontre « Point " + k + " » pour " + des + " demain à 14h pendant 30 minutes"})
		if err != nil {
			b.Fatal(err)
		}
		roomID, personID := read(id)
		do(http.MethodGet, "/v1/people/"+personID, bot, "")
		do(http.MethodGet, "/v1/people?email="+des, bot, "")
		do(http.MethodPost, "/v1/messages", bot, fill("summary", roomID))
		if id, err = fake.Say(webextest.SayRequest{From: org, Text: "oui"}); err != nil {
			b.Fatal(err)
		}
		read(id)
		do(http.MethodPost, "/v1/meetings", meetings, fill("meeting", roomID))
		do(http.MethodPost, "/v1/messages", bot, fill("designate", roomID))
		do(http.MethodPost, "/v1/messages", bot, fill("confirm", roomID))
	}
}

// restUUID is the uuid inside a REST id (what a Mercury activity carries).
func restUUID(b *testing.B, id string) string {
	b.Helper()
	s, err := decodeRESTID(id)
	if err != nil {
		b.Fatal(err)
	}
	return s[strings.LastIndexByte(s, '/')+1:]
}

func decodeRESTID(id string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(id)
	return string(raw), err
}
