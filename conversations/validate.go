package conversations

import (
	"time"
	"unicode/utf8"
)

// ProblemKind names a rule a meeting's times break.
type ProblemKind string

// Time problems, each explained to the organizer with its reason.
const (
	ProblemPastDay   ProblemKind = "pastDay"   // the day is over
	ProblemPast      ProblemKind = "past"      // the start has passed (earlier today)
	ProblemTooSoon   ProblemKind = "tooSoon"   // starts within MinLead
	ProblemEndBefore ProblemKind = "endBefore" // « de 14 h à 13 h »
	ProblemTooShort  ProblemKind = "tooShort"  // under 10 minutes
	ProblemTooLong   ProblemKind = "tooLong"   // over 23 h 59
)

// Webex's limits on a meeting's length.
const (
	MinDuration = 10 * time.Minute
	MaxDuration = 23*time.Hour + 59*time.Minute
)

// Problem is a broken rule, with what is needed to explain it.
type Problem struct {
	Kind  ProblemKind
	Start time.Time
	End   time.Time
}

// checkTimes applies Webex's and the procedure's rules to a start and an end: the start more
// than MinLead ahead (the designate may join 15 minutes early), and a length from 10 minutes to
// 23 h 59.
func checkTimes(start, end, now time.Time, cfg Config) *Problem {
	p := &Problem{Start: start, End: end}
	switch {
	case !start.After(now):
		sy, sm, sd := start.In(now.Location()).Date()
		ny, nm, nd := now.Date()
		if time.Date(sy, sm, sd, 0, 0, 0, 0, time.UTC).Before(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)) {
			p.Kind = ProblemPastDay
		} else {
			p.Kind = ProblemPast
		}
	case start.Sub(now) <= cfg.MinLead:
		p.Kind = ProblemTooSoon
	case !end.After(start):
		p.Kind = ProblemEndBefore
	case end.Sub(start) < MinDuration:
		p.Kind = ProblemTooShort
	case end.Sub(start) > MaxDuration:
		p.Kind = ProblemTooLong
	default:
		return nil
	}
	return p
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// truncateRunes cuts s to at most n characters, ending with « … » when cut.
func truncateRunes(s string, n int) string {
	if runeLen(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
