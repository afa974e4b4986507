package conversations

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seriesPlayer plays the bot for the series transcripts: the meetings it creates go into the
// ledger the listing shows (a series with its next occurrence), and the designate's message is
// written out so that the transcript shows what they are told.
type seriesPlayer struct {
	t      *testing.T
	tz     string
	group  bool
	st     State
	now    time.Time
	out    strings.Builder
	ledger []MeetingSummary
	seq    int
}

func (p *seriesPlayer) say(text string) {
	p.t.Helper()
	p.seq++
	fmt.Fprintf(&p.out, "\n> Alex: %s\n", text)
	effects := p.step(Input{Text: text, EventID: fmt.Sprintf("msg-%d", p.seq)})
	for len(effects) > 0 {
		e := effects[0]
		r := p.execute(e)
		effects = append(effects[1:], p.step(Input{Result: &r})...)
	}
	fmt.Fprintf(&p.out, "  [stage: %s]\n", stageName(p.st.Stage))
}

func (p *seriesPlayer) step(in Input) []Effect {
	p.t.Helper()
	in.Organizer, in.TimeZone, in.Group = alex, p.tz, p.group
	st, replies, effects := Step(p.st, in, p.now, DefaultConfig())
	raw, err := json.Marshal(st)
	require.NoError(p.t, err)
	var back State
	require.NoError(p.t, json.Unmarshal(raw, &back))
	require.Equal(p.t, st, back, "state JSON round trip")
	p.st = back
	for _, r := range replies {
		p.write("< Relais:", r.Markdown)
		if p.group {
			require.NotContains(p.t, r.Markdown, "762046", "host key in a group space")
			require.NotContains(p.t, r.Markdown, "Cp6gRpWES83", "password in a group space")
		}
	}
	return effects
}

func (p *seriesPlayer) write(head, text string) {
	p.out.WriteString(head + "\n")
	for _, l := range strings.Split(text, "\n") {
		p.out.WriteString("  | " + l + "\n")
	}
}

func (p *seriesPlayer) execute(e Effect) Result {
	switch e.Kind {
	case ResolvePerson:
		fmt.Fprintf(&p.out, "  effect: resolvePerson %q\n", e.Query)
		return Result{Kind: PeopleFound, People: lookup(e.Query)}
	case CreateMeeting:
		m := e.Meeting
		fmt.Fprintf(&p.out, "  effect: createMeeting title=%q start=%s end=%s recurrence=%q\n",
			m.Title, m.Start.Format(time.RFC3339), m.End.Format(time.RFC3339), m.Recurrence)
		d := fakeDetails(*m, len(p.ledger)+1)
		d.Recurrence = m.Recurrence
		p.ledger = append(p.ledger, MeetingSummary{Ref: d.ID, Title: d.Title, Start: d.Start.UTC(), End: d.End.UTC(), TimeZone: d.TimeZone,
			Designate: d.Designate, Recurrence: d.Recurrence, SeriesStart: d.Start.UTC()})
		md, _ := DesignateMessage(m.Lang, d)
		p.write("  designate's 1:1 message:", md)
		return Result{Kind: MeetingCreated, Meeting: &d, DesignateNotified: true}
	case ListMeetings:
		fmt.Fprintf(&p.out, "  effect: listMeetings → %d\n", len(p.ledger))
		return Result{Kind: MeetingsListed, Meetings: p.ledger}
	case CancelMeeting:
		occ := "whole"
		if !e.Occurrence.IsZero() {
			occ = e.Occurrence.Format(time.RFC3339)
		}
		fmt.Fprintf(&p.out, "  effect: cancelMeeting %s occurrence=%s\n", e.Ref, occ)
		for i, m := range p.ledger {
			if m.Ref != e.Ref {
				continue
			}
			d := MeetingDetails{ID: m.Ref, Title: m.Title, Start: m.Start, End: m.End, TimeZone: m.TimeZone, Designate: m.Designate, Organizer: alex}
			if !e.Occurrence.IsZero() {
				d.Start, d.End = e.Occurrence, e.Occurrence.Add(m.End.Sub(m.Start))
			} else {
				p.ledger = append(p.ledger[:i], p.ledger[i+1:]...)
			}
			return Result{Kind: MeetingCancelled, Meeting: &d}
		}
		return Result{Kind: MeetingCancelled, Err: &Failure{Kind: FailureNotFound}}
	}
	p.t.Fatalf("unexpected effect %s", e.Kind)
	return Result{}
}

func TestSeriesGolden(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name, now string
		group     bool
		lines     []string
	}{
		{"fr_series_weekly_cancel_one_then_all", "2026-12-06T10:00:00-05:00", false, []string{
			"programme une rencontre pour Marie Tremblay chaque mardi à 10 h pendant 6 semaines",
			"oui",
			"mes rencontres",
			"annule la rencontre de mardi prochain",
			"oui",
			"annule la série",
			"oui",
		}},
		{"fr_series_weekdays_until", "2026-12-05T10:00:00-05:00", false, []string{
			"rencontre pour Jean Dupont tous les jours de semaine à 9 h jusqu'au 19 décembre",
			"oui",
		}},
		{"en_series_every_other_thursday_group", "2026-12-06T10:00:00-05:00", true, []string{
			"schedule a meeting for John Smith every other Thursday at 2pm, 5 times",
			"yes",
		}},
		{"fr_series_taken_back", "2026-12-06T10:00:00-05:00", false, []string{
			"programme une rencontre pour Marie Tremblay chaque lundi à 9 h, 4 fois",
			"finalement une seule fois",
		}},
		{"en_series_cancel_one_date", "2026-12-06T10:00:00-05:00", false, []string{
			"schedule a meeting for John Smith every Tuesday at 10am, 3 times",
			"yes",
			"cancel the meeting on December 15",
			"yes",
			"cancel the series",
			"no",
		}},
		{"fr_series_monthly_day_then_another_day", "2026-12-06T10:00:00-05:00", false, []string{
			"programme une rencontre pour Jean Dupont chaque 15 du mois à 10 h, 6 fois",
			"plutôt le 20",
			"oui",
		}},
		{"fr_series_monthly_day_from_a_first_day", "2026-12-06T10:00:00-05:00", false, []string{
			"rencontre pour Jean Dupont tous les 15 du mois à 10 h à partir du 1er janvier pendant 3 mois",
			"oui",
		}},
		{"en_series_monthly_day", "2026-12-06T10:00:00-05:00", false, []string{
			"schedule a meeting for John Smith on the 15th of every month at 10am, 3 times",
			"yes",
		}},
		{"en_series_end_before_start", "2026-12-06T10:00:00-05:00", false, []string{
			"schedule a meeting for John Smith every Monday at 10am until December 1, 2026",
			"every Monday at 10am, 4 times",
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			now, err := time.Parse(time.RFC3339, sc.now)
			require.NoError(t, err)
			p := &seriesPlayer{t: t, tz: "America/Toronto", group: sc.group, now: now}
			fmt.Fprintf(&p.out, "# %s\n# now %s, zone %s\n", sc.name, sc.now, p.tz)
			for _, l := range sc.lines {
				p.say(l)
			}
			got := p.out.String()
			path := filepath.Join("testdata", sc.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}
