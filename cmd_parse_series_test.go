package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestRunParseSeriesFirstOccurrence: for a series, `relais parse` shows besides the start as said
// the series' first occurrence (the first day of its rule from then) and its RRULE.
func TestRunParseSeriesFirstOccurrence(t *testing.T) {
	t.Parallel()
	const wednesday = "2026-06-17T09:15:00-04:00"
	for _, c := range []struct {
		text, start, first, rule string
	}{
		{"programme une rencontre pour Marie chaque mardi à 10 h pendant 6 semaines",
			"2026-06-17T10:00:00-04:00", "2026-06-23T10:00:00-04:00", "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6"},
		{"schedule a meeting for Bob the first Tuesday of every month at 10am",
			"2026-06-17T10:00:00-04:00", "2026-07-07T10:00:00-04:00", "FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU"},
		{"rencontre pour Jean chaque 15 du mois à 10 h à partir du 1er juillet, 3 fois",
			"2026-07-01T10:00:00-04:00", "2026-07-15T10:00:00-04:00", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15;COUNT=3"},
		{"programme une rencontre pour Marie demain à 10 h", "2026-06-18T10:00:00-04:00", "", ""},
	} {
		var out, errOut bytes.Buffer
		if code := runParse(context.Background(), []string{"--now", wednesday, c.text}, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Fatalf("%q: exit %d, stderr %q", c.text, code, errOut.String())
		}
		var got map[string]any
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%q: %v", c.text, err)
		}
		want := map[string]any{"start": c.start, "firstOccurrence": c.first, "rrule": c.rule}
		for k, v := range want {
			if v == "" {
				v = nil // not a series: no such key
			}
			if got[k] != v {
				t.Errorf("%q: %s = %v, want %v (output %s)", c.text, k, got[k], v, out.String())
			}
		}
	}
}
