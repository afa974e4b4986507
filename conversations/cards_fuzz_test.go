package conversations

import (
	"encoding/json"
	"testing"
	"time"
)

// Any card submission (a client need not hold to the card's pickers and limits), on any stage
// of a stored state, is answered without a panic, never creates a meeting at once, and leaves a
// state that survives its JSON encoding.
func FuzzCardStep(f *testing.F) {
	f.Add("form", "", "jean.dupont@example.com", "2026-06-23", "14:00", "30", "Suivi", "")
	f.Add("form", "", "chaque mardi jusqu'au 1er janvier", "le 31 juin", "25:99", "9999999999999999", "", "confirm")
	f.Add("confirm", "#0", "", "", "", "", "", "confirmChange") // a change summary without its change
	f.Add("cancel", "#0", "", "", "", "", "", "askWho")
	f.Fuzz(func(t *testing.T, action, token, who, date, clock, duration, title, stage string) {
		now := time.Date(2026, 6, 22, 9, 0, 0, 0, time.UTC)
		c, ok := ParseCardInputs(map[string]string{"relais": action, "card": token, FieldWho: who,
			FieldDate: date, FieldTime: clock, FieldDuration: duration, FieldTitle: title})
		if !ok {
			return
		}
		st := State{Stage: Stage(stage), LastActive: now}
		st, _, eff := Step(st, Input{Card: &c, Organizer: alex, TimeZone: "America/Toronto", EventID: "e"}, now, Config{})
		for _, e := range eff {
			if e.Kind == CreateMeeting {
				t.Fatalf("a card press on stage %q created a meeting without a summary", stage)
			}
		}
		if _, err := json.Marshal(st); err != nil {
			t.Fatal(err)
		}
	})
}
