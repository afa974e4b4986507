package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunParseJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want map[string]any
	}{
		{
			name: "complete French request",
			args: []string{"--now", "2026-06-17T09:15:00-04:00", "programme", "une", "rencontre", "pour", "Marie",
				"demain", "à", "14h", "pendant", "1h30", "titre", ":", "Revue du budget"},
			want: map[string]any{"intent": "schedule", "language": "fr", "designate": "Marie", "title": "Revue du budget",
				"start": "2026-06-18T14:00:00-04:00", "durationMinutes": 90.0},
		},
		{
			name: "English range in another zone",
			args: []string{"--now", "2026-06-17T09:15:00+02:00", "--tz", "Europe/Paris",
				"schedule a meeting with Jean Dupont tomorrow from 1pm to 2:30pm"},
			want: map[string]any{"intent": "schedule", "language": "en", "designate": "Jean Dupont",
				"start": "2026-06-18T13:00:00+02:00", "durationMinutes": 90.0},
		},
		{
			name: "winter offset after the fall-back change",
			args: []string{"--now=2026-10-31T10:00:00-04:00", "demain à 14 h"},
			want: map[string]any{"intent": "unknown", "language": "fr", "start": "2026-11-01T14:00:00-05:00"},
		},
		{
			name: "a day alone is not a start",
			args: []string{"--now", "2026-06-17T09:15:00-04:00", "mardi prochain"},
			want: map[string]any{"intent": "unknown", "language": "fr"},
		},
		{
			name: "nothing understood still exits 0",
			args: []string{"--now", "2026-06-17T09:15:00-04:00", "bla bla"},
			want: map[string]any{"intent": "unknown", "language": "fr"},
		},
		{
			name: "a length alone",
			args: []string{"--now", "2026-06-17T09:15:00-04:00", "for 45 minutes"},
			want: map[string]any{"intent": "unknown", "language": "en", "durationMinutes": 45.0},
		},
		{
			name: "abort",
			args: []string{"annuler"},
			want: map[string]any{"intent": "abort", "language": "fr"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			code := runParse(context.Background(), c.args, strings.NewReader(""), &out, &errOut)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut.String())
			}
			if strings.Count(out.String(), "\n") != 1 {
				t.Errorf("want one JSON line, got %q", out.String())
			}
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output is not JSON: %v: %q", err, out.String())
			}
			for _, k := range []string{"intent", "language", "designate", "title", "start", "durationMinutes"} {
				if got[k] != c.want[k] {
					t.Errorf("%s = %v, want %v (output %s)", k, got[k], c.want[k], out.String())
				}
			}
		})
	}
}

func TestRunParseStdin(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := runParse(context.Background(), []string{"--now", "2026-06-17T09:15:00-04:00"},
		strings.NewReader("cancel meeting 2\n"), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["intent"] != "cancel" || got["number"] != 2.0 {
		t.Errorf("got %s", out.String())
	}
}

func TestRunParseBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--nope", "x"},
		{"--tz", "Mars/Olympus", "demain"},
		{"--now", "tomorrow", "demain"},
	} {
		var out, errOut bytes.Buffer
		if code := runParse(context.Background(), args, strings.NewReader(""), &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if !strings.Contains(errOut.String(), "usage: relais parse") {
			t.Errorf("%v: no usage on stderr: %q", args, errOut.String())
		}
		if out.Len() != 0 {
			t.Errorf("%v: stdout %q", args, out.String())
		}
	}
}
