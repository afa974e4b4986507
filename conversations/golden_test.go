package conversations

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// line is one thing the organizer does in a scenario.
type line struct {
	after    time.Duration // the clock moves this much before the message
	text     string
	mentions []Person
}

// scenario is a whole dialogue. The harness plays the bot: it executes every effect against a
// fake directory and a fake Webex, and feeds the result back.
type scenario struct {
	name  string
	now   string // RFC 3339
	tz    string
	group bool
	// creates are the outcomes of successive CreateMeeting effects: "" succeeds.
	creates []FailureKind
	// undelivered makes the designate's message wait in the outbox.
	undelivered bool
	lines       []line
	// cards: the transcript shows the cards (cards_golden_test.go).
	cards bool
}

func say(text string) line { return line{text: text} }

func sayAfter(d time.Duration, text string) line { return line{after: d, text: text} }

var (
	alex          = Person{Email: "alex.martin@exemple.ca", DisplayName: "Alex Martin", FirstName: "Alex", LastName: "Martin"}
	marieTremblay = Person{Email: "marie.tremblay@exemple.ca", DisplayName: "Marie Tremblay", FirstName: "Marie", LastName: "Tremblay"}
	marieGagnon   = Person{Email: "marie.gagnon@exemple.ca", DisplayName: "Marie Gagnon", FirstName: "Marie", LastName: "Gagnon"}
	jeanDupont    = Person{Email: "jean.dupont@exemple.ca", DisplayName: "Jean Dupont", FirstName: "Jean", LastName: "Dupont"}
	sophieRoy     = Person{Email: "sophie.roy@exemple.ca", DisplayName: "Sophie Roy", FirstName: "Sophie", LastName: "Roy"}
	johnSmith     = Person{Email: "john.smith@example.com", DisplayName: "John Smith", FirstName: "John", LastName: "Smith"}
	directory     = []Person{marieTremblay, marieGagnon, jeanDupont, sophieRoy, johnSmith}
)

// lookup is the fake People API: exact e-mail, display-name prefix, first or last name.
func lookup(q string) []Person {
	fq := fold(q)
	var out []Person
	for _, p := range directory {
		if strings.EqualFold(p.Email, q) || strings.HasPrefix(fold(p.DisplayName), fq) ||
			fold(p.FirstName) == fq || fold(p.LastName) == fq {
			out = append(out, p)
		}
	}
	return out
}

func fakeDetails(r MeetingRequest, n int) MeetingDetails {
	return MeetingDetails{
		ID: fmt.Sprintf("meeting-%d", n), Title: r.Title, Start: r.Start, End: r.End, TimeZone: r.TimeZone,
		WebLink:       fmt.Sprintf("https://exemple.webex.com/exemple/j.php?MTID=m%d", n),
		MeetingNumber: "1296477859", Password: "Cp6gRpWES83", HostKey: "762046",
		CallIn: []CallIn{
			{Label: "Canada Toll (Quebec)", Number: "+1-581-319-7414"},
			{Label: "Canada Toll (Montreal)", Number: "+1-438-488-9118"},
		},
		AccessCode: "1296477859", Designate: r.Designate, Organizer: r.Organizer,
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

// player runs a scenario and writes its transcript.
type player struct {
	t        *testing.T
	sc       scenario
	st       State
	now      time.Time
	cfg      Config
	out      strings.Builder
	creates  int
	ledger   []MeetingSummary
	eventSeq int
	// lastCard is the card of the last reply (cards_golden_test.go), for its buttons.
	lastCard map[string]any
}

func (p *player) step(in Input) ([]Reply, []Effect) {
	p.t.Helper()
	in.Organizer, in.TimeZone, in.Group = alex, p.sc.tz, p.sc.group
	st, replies, effects := Step(p.st, in, p.now, p.cfg)
	// The state must survive its trip through storage at every step.
	raw, err := json.Marshal(st)
	require.NoError(p.t, err)
	var back State
	require.NoError(p.t, json.Unmarshal(raw, &back))
	require.Equal(p.t, st, back, "state JSON round trip")
	p.st = back
	for _, r := range replies {
		p.out.WriteString("< Relais:\n")
		for _, l := range strings.Split(r.Markdown, "\n") {
			p.out.WriteString("  | " + l + "\n")
		}
		if r.Card != nil && p.sc.cards {
			p.out.WriteString(renderCardForTest(r.Card))
			p.lastCard = r.Card
		}
		if p.sc.group {
			require.NotContains(p.t, r.Markdown, "762046", "host key in a group space")
			require.NotContains(p.t, r.Markdown, "Cp6gRpWES83", "password in a group space")
			require.NotContains(p.t, r.Markdown, "j.php", "join link in a group space")
		}
	}
	return replies, effects
}

func (p *player) run() string {
	p.now = mustTime(p.t, p.sc.now)
	p.cfg = DefaultConfig()
	fmt.Fprintf(&p.out, "# %s\n# now %s, zone %s, %s\n", p.sc.name, p.now.Format(time.RFC3339), p.sc.tz,
		map[bool]string{true: "group space", false: "1:1 space"}[p.sc.group])
	p.ledger = sampleLedger(p.now, p.sc.tz)
	for _, l := range p.sc.lines {
		if l.after != 0 {
			p.now = p.now.Add(l.after)
			fmt.Fprintf(&p.out, "\n… %s later (%s)\n", l.after, p.now.Format("2006-01-02 15:04"))
		}
		p.eventSeq++
		text := l.text
		if len(text) > 200 {
			text = text[:60] + fmt.Sprintf("… (%d characters)", len(l.text))
		}
		fmt.Fprintf(&p.out, "\n> Alex: %s\n", text)
		for _, m := range l.mentions {
			fmt.Fprintf(&p.out, "  (mentions %s <%s>)\n", m.Name(), m.Email)
		}
		_, effects := p.step(Input{Text: l.text, EventID: fmt.Sprintf("msg-%d", p.eventSeq), Mentions: l.mentions})
		p.execute(effects)
		fmt.Fprintf(&p.out, "  [stage: %s]\n", stageName(p.st.Stage))
	}
	return p.out.String()
}

// sampleLedger is the organizer's meetings already scheduled, as « mes rencontres » lists them.
func sampleLedger(now time.Time, tz string) []MeetingSummary {
	return []MeetingSummary{
		{Ref: "ledger-1", Title: "Comité de direction", Start: now.Add(26 * time.Hour), End: now.Add(27 * time.Hour), TimeZone: tz, Designate: marieTremblay},
		{Ref: "ledger-2", Title: "Bilan <trimestriel>", Start: now.Add(50 * time.Hour), End: now.Add(51*time.Hour + 30*time.Minute), TimeZone: tz, Designate: jeanDupont},
	}
}

func stageName(s Stage) string {
	if s == StageIdle {
		return "idle"
	}
	return string(s)
}

// execute plays the bot: each effect is shown, executed, and its result fed back.
func (p *player) execute(effects []Effect) {
	for len(effects) > 0 {
		e := effects[0]
		effects = effects[1:]
		var r Result
		switch e.Kind {
		case ResolvePerson:
			fmt.Fprintf(&p.out, "  effect: resolvePerson %q\n", e.Query)
			r = Result{Kind: PeopleFound, People: lookup(e.Query)}
			var names []string
			for _, x := range r.People {
				names = append(names, x.Name()+" <"+x.Email+">")
			}
			fmt.Fprintf(&p.out, "  result: peopleFound [%s]\n", strings.Join(names, ", "))
		case CreateMeeting:
			m := e.Meeting
			fmt.Fprintf(&p.out, "  effect: createMeeting title=%q start=%s end=%s zone=%s host=%s designate=%s <%s> lang=%s key=%s\n",
				m.Title, m.Start.Format(time.RFC3339), m.End.Format(time.RFC3339), m.TimeZone, m.Organizer.Email,
				m.Designate.Name(), m.Designate.Email, m.Lang, m.IdempotencyKey)
			if m.Recurrence != "" {
				fmt.Fprintf(&p.out, "  recurrence=%q\n", m.Recurrence)
			}
			outcome := FailureKind("")
			if p.creates < len(p.sc.creates) {
				outcome = p.sc.creates[p.creates]
			}
			p.creates++
			if outcome != "" {
				r = Result{Kind: MeetingFailed, Err: &Failure{Kind: outcome}}
				fmt.Fprintf(&p.out, "  result: meetingFailed %s\n", outcome)
				break
			}
			d := fakeDetails(*m, p.creates)
			d.Recurrence = m.Recurrence
			r = Result{Kind: MeetingCreated, Meeting: &d, DesignateNotified: !p.sc.undelivered}
			fmt.Fprintf(&p.out, "  result: meetingCreated id=%s designateNotified=%v\n", d.ID, r.DesignateNotified)
		case ListMeetings:
			fmt.Fprintf(&p.out, "  effect: listMeetings\n")
			r = Result{Kind: MeetingsListed, Meetings: p.ledger}
			fmt.Fprintf(&p.out, "  result: meetingsListed (%d)\n", len(p.ledger))
		case CancelMeeting, ResendHostKey:
			fmt.Fprintf(&p.out, "  effect: %s %s\n", e.Kind, e.Ref)
			kind := MeetingCancelled
			if e.Kind == ResendHostKey {
				kind = HostKeyResent
			}
			r = Result{Kind: kind, DesignateNotified: true}
			fmt.Fprintf(&p.out, "  result: %s\n", kind)
		case ChangeMeeting:
			r = p.executeChange(e)
		default:
			p.t.Fatalf("unknown effect %q", e.Kind)
		}
		_, more := p.step(Input{Result: &r})
		effects = append(effects, more...)
	}
}

// checkGolden compares a transcript with testdata/NAME.golden, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	require.Equal(t, string(want), got)
}

func TestGoldenDialogues(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, sc := range scenarios {
		require.False(t, seen[sc.name], "duplicate scenario %s", sc.name)
		seen[sc.name] = true
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			if sc.tz == "" {
				sc.tz = "America/Toronto"
			}
			p := &player{t: t, sc: sc}
			checkGolden(t, sc.name, p.run())
		})
	}
}
