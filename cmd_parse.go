package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
	_ "time/tzdata" // zones work without the OS zoneinfo

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
)

// parseOutput is what `relais parse` prints.
type parseOutput struct {
	Intent          nlu.Intent    `json:"intent"`
	Language        nlu.Lang      `json:"language"`
	Designate       string        `json:"designate,omitempty"`
	Title           string        `json:"title,omitempty"`
	Start           string        `json:"start,omitempty"`
	DurationMinutes int           `json:"durationMinutes,omitempty"`
	Number          int           `json:"number,omitempty"`
	Date            *nlu.DateSpec `json:"date,omitempty"`
	Time            *nlu.Clock    `json:"time,omitempty"`
	End             *nlu.Clock    `json:"end,omitempty"`
	BadDate         bool          `json:"badDate,omitempty"`
	// Recurrence and Series: a repeat rule (« chaque mardi pendant 6 semaines »), a command about
	// a whole series (« annule la série »).
	Recurrence      *nlu.Recurrence `json:"recurrence,omitempty"`
	Series          bool            `json:"series,omitempty"`
	LengthenMinutes int             `json:"lengthenMinutes,omitempty"`
	ShiftMinutes    int             `json:"shiftMinutes,omitempty"`
	BadTime         bool            `json:"badTime,omitempty"`
	ForSelf         bool            `json:"forSelf,omitempty"`
	// FirstOccurrence and RRule: a series' first date (the first day of its rule from the start
	// said, which Start shows) and the RRULE given to Webex.
	FirstOccurrence string `json:"firstOccurrence,omitempty"`
	RRule           string `json:"rrule,omitempty"`
}

// runParse prints what Relais understood from one sentence (the arguments joined, or stdin
// when there are none) as one JSON object.
func runParse(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	nowFlag := fs.String("now", "", "reference time, RFC 3339 (default: the current time)")
	tzFlag := fs.String("tz", "America/Toronto", "the organizer's IANA time zone")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: relais parse [--now RFC3339] [--tz IANA] TEXT...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	loc, err := time.LoadLocation(*tzFlag)
	if err != nil {
		fmt.Fprintf(stderr, "relais parse: --tz: %v\n", err)
		fs.Usage()
		return 2
	}
	now := time.Now()
	if *nowFlag != "" {
		if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			fmt.Fprintf(stderr, "relais parse: --now: %v\n", err)
			fs.Usage()
			return 2
		}
	}
	text := strings.Join(fs.Args(), " ")
	if fs.NArg() == 0 {
		b, err := io.ReadAll(io.LimitReader(stdin, 64<<10))
		if err != nil {
			fmt.Fprintf(stderr, "relais parse: read stdin: %v\n", err)
			return 1
		}
		text = string(b)
	}
	u := nlu.Parse(text, now, loc)
	out := parseOutput{Intent: u.Intent, Language: u.Lang, Designate: u.Designate, Title: u.Title,
		Number: u.Number, Date: u.Date, Time: u.Time, End: u.End, BadDate: u.BadDate,
		Recurrence: u.Recurrence, Series: u.Series,
		LengthenMinutes: int(u.Lengthen / time.Minute), ShiftMinutes: int(u.Shift / time.Minute), BadTime: u.BadTime, ForSelf: u.ForSelf}
	if start, ok := u.Start(now, loc); ok {
		out.Start = start.Format(time.RFC3339)
		if d, ok := u.Length(start); ok {
			out.DurationMinutes = int(d / time.Minute)
		}
	} else if u.Duration > 0 {
		out.DurationMinutes = int(u.Duration / time.Minute)
	}
	if first, rule, ok := conversations.SeriesStart(u, now, loc); ok {
		out.FirstOccurrence, out.RRule = first.Format(time.RFC3339), rule
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "relais parse: %v\n", err)
		return 1
	}
	return 0
}
