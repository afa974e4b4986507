package conversations_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/relaisbot/relais/conversations"
)

var (
	benchOrganizer = conversations.Person{Email: "alex.martin@example.com", DisplayName: "Alex Martin", FirstName: "Alex", LastName: "Martin"}
	benchDesignate = conversations.Person{Email: "marie.tremblay@example.com", DisplayName: "Marie Tremblay", FirstName: "Marie", LastName: "Tremblay"}
)

func benchNow(b *testing.B) time.Time {
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		b.Fatal(err)
	}
	return time.Date(2026, 6, 16, 9, 0, 0, 0, loc)
}

func benchMsg(text string) conversations.Input {
	return conversations.Input{Text: text, EventID: "ev-" + text, Organizer: benchOrganizer, TimeZone: "America/Toronto"}
}

func benchResult(r conversations.Result) conversations.Input {
	return conversations.Input{Organizer: benchOrganizer, TimeZone: "America/Toronto", Result: &r}
}

const benchRequest = "programme une rencontre « Revue du budget » pour Marie Tremblay demain à 14 h pendant 30 minutes"

// benchStates drives a dialogue through a flow and returns the state before each transition of
// the flow, with the input of that transition.
func benchStates(b *testing.B) (now time.Time, states []conversations.State, inputs []conversations.Input) {
	now = benchNow(b)
	cfg := conversations.Config{}
	created := conversations.Result{Kind: conversations.MeetingCreated, DesignateNotified: true, Meeting: &conversations.MeetingDetails{
		ID: "m1", Title: "Revue du budget", Start: now.Add(29 * time.Hour), End: now.Add(29*time.Hour + 30*time.Minute), TimeZone: "America/Toronto",
		WebLink: "https://example.webex.com/meet/x", MeetingNumber: "1296477859", Password: "Abc123", HostKey: "123456",
		Designate: benchDesignate, Organizer: benchOrganizer,
	}}
	inputs = []conversations.Input{
		benchMsg(benchRequest),
		benchResult(conversations.Result{Kind: conversations.PeopleFound, People: []conversations.Person{benchDesignate}}),
		benchMsg("oui"),
		benchResult(created),
	}
	st := conversations.State{}
	for _, in := range inputs {
		states = append(states, st)
		st, _, _ = conversations.Step(st, in, now, cfg)
	}
	if st.Active() {
		b.Fatalf("the flow did not end: stage %v", st.Stage)
	}
	return now, states, inputs
}

// BenchmarkStep is one dialogue transition, for each transition of a whole flow: the request
// (parse, ask to resolve the designate), the people found (summary), « oui » (create the
// meeting), the meeting created (confirmation).
func BenchmarkStep(b *testing.B) {
	now, states, inputs := benchStates(b)
	for i, name := range []string{"request", "people-found", "confirm", "meeting-created"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				conversations.Step(states[i], inputs[i], now, conversations.Config{})
			}
		})
	}
}

// BenchmarkStateJSON is what the bot pays per event to load and store a dialogue state.
func BenchmarkStateJSON(b *testing.B) {
	_, states, _ := benchStates(b)
	st := states[2] // waiting at the summary
	b.ReportAllocs()
	for b.Loop() {
		raw, err := json.Marshal(st)
		if err != nil {
			b.Fatal(err)
		}
		var back conversations.State
		if err := json.Unmarshal(raw, &back); err != nil {
			b.Fatal(err)
		}
	}
}
