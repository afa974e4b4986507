// Package nlu understands what an organizer writes, in Quebec French and in English: the intent
// (schedule, help, list, cancel, resend, abort, confirm, deny) and the slots of a scheduling
// request (designate, title, date, time, duration or end).
//
// It is pure: no I/O and no clock reading. Relative words (« demain », "in 2 hours") are
// resolved against the now and the time zone given by the caller.
//
// Parse is hand-written (tokens and small anchored regular expressions, no date library) and
// costs tens of microseconds. Accents are optional, case does not matter, typographic
// apostrophes and non-breaking spaces are read like their ASCII forms; names and titles are
// returned as written. Only the first 1,000 bytes of a message are read.
//
// Decisions, each covered by the phrase table in parse_test.go:
//
//   - A weekday is its next occurrence, today included while the time is still ahead;
//     « mardi prochain » / "next Tuesday" is the first Tuesday strictly after today (said on a
//     Wednesday: in 6 days; said on a Tuesday: in 7).
//   - A date without a year is its next occurrence (today included while the time is ahead,
//     else next year); a date with a year is kept even when past, for the dialogue to refuse.
//   - A time without a day is today while it is ahead, else tomorrow (Resolve with a zero
//     DateSpec).
//   - « dans 2 heures » / "in 30 minutes" fill Date and Time with now plus that much elapsed
//     time, rounded to the minute; « dans 3 jours » fills Date only.
//   - Days are counted on the calendar in the organizer's zone. A local time skipped by the
//     spring-forward change moves forward by the gap (02:30 → 03:30 EDT); a local time that
//     happens twice is its first occurrence.
//   - « 2 h » alone is a length when the hour is below 5 (« 1 h 30 plutôt »), a time otherwise
//     (« 14 h »); after « à » / "at" it is a time; after « pendant », « de », "for" a length.
//     « à 3 » / "at 3" without a unit: 1 to 6 are afternoon hours.
//   - Day/month order is day first (23/06); when that is impossible, month first (06/23).
//   - "about" does not introduce a title ("about 2pm"); quote titles that contain « pour »,
//     "with", a date or a time.
//   - A message that is only a number or an ordinal fills Number and nothing else. A message
//     starting with « non » / "no" is IntentDeny even with slots (corrections). A message
//     that is only a capitalized name (« Marie Tremblay ») fills Designate.
package nlu

import "time"

// Lang is the language a message is written in.
type Lang string

// Languages Relais speaks.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// Intent is what the organizer wants.
type Intent string

// Intents.
const (
	IntentSchedule Intent = "schedule" // « programme une rencontre pour Marie… »
	IntentHelp     Intent = "help"     // « aide », "help"
	IntentList     Intent = "list"     // « mes rencontres », "my meetings"
	IntentCancel   Intent = "cancel"   // cancel a scheduled meeting: « annule la rencontre 2 »
	IntentResend   Intent = "resend"   // « renvoie la clé », "resend the host key"
	IntentAbort    Intent = "abort"    // abandon the current dialogue: « annuler », "cancel"
	IntentConfirm  Intent = "confirm"  // « oui », « ok », « parfait », « vas-y », "yes", "confirm"
	IntentDeny     Intent = "deny"     // « non », "no"
	IntentUnknown  Intent = "unknown"
)

// DateSpec is a calendar day as the organizer said it. Relative days (« demain »,
// « après-demain », "today", « dans 3 jours ») are already resolved to Year/Month/Day.
// A weekday (« mardi », "next Tuesday") stays a weekday until a time is known, because
// "a weekday means its next occurrence, today included when the time is still ahead".
// A date without a year (« le 23 juin ») has Year 0: its next occurrence. A day of the month
// alone (« le 23 ») has Month 0 too: its next occurrence.
type DateSpec struct {
	Year    int          `json:"year,omitempty"`
	Month   time.Month   `json:"month,omitempty"`
	Day     int          `json:"day,omitempty"`
	Weekday time.Weekday `json:"weekday,omitempty"`
	// IsWeekday is true when the day was given as a weekday; Weekday then holds it.
	IsWeekday bool `json:"isWeekday,omitempty"`
	// Next is true for « mardi prochain » / "next Tuesday".
	Next bool `json:"next,omitempty"`
}

// Clock is a time of day on the 24-hour clock.
type Clock struct {
	Hour   int `json:"hour"`
	Minute int `json:"minute"`
}

// Understanding is everything understood from one message. Zero values mean "not said".
type Understanding struct {
	Intent Intent `json:"intent"`
	Lang   Lang   `json:"language"`
	// Designate is the person the meeting is for, a name or an e-mail as written.
	Designate string `json:"designate,omitempty"`
	// Title is the meeting title, from quotes or an introducer (« titre : », "called").
	Title string    `json:"title,omitempty"`
	Date  *DateSpec `json:"date,omitempty"`
	Time  *Clock    `json:"time,omitempty"`
	// End is the end of a range (« de 13 h à 14 h 30 »).
	End *Clock `json:"end,omitempty"`
	// Duration is the meeting length (« pendant 1 h 30 », "for 45 minutes").
	Duration time.Duration `json:"duration,omitempty"`
	// BadDate is true when a calendar date was written but does not exist (« le 31 juin »,
	// « 30/02 ») or falls on another weekday than the one written (« mercredi 23 juin » when
	// the 23rd is a Tuesday); Date is then nil.
	BadDate bool `json:"badDate,omitempty"`
	// Number is a bare number or ordinal answer (« 2 », « la deuxième »), for numbered choices.
	Number int `json:"number,omitempty"`
	// Recurrence is how the meeting repeats (« chaque mardi pendant 6 semaines »), nil if it
	// does not.
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	// Series is true when a command is about a whole series (« annule la série »).
	Series bool `json:"series,omitempty"`
	// Lengthen is a length to add to a scheduled meeting (« allonge-la de 30 minutes »), or to
	// take away when negative (« raccourcis-la de 15 minutes »).
	Lengthen time.Duration `json:"lengthen,omitempty"`
	// Shift moves a scheduled meeting by that much, its length kept (« décale-la d'une
	// heure »); earlier when negative (« avance-la de 30 minutes »).
	Shift time.Duration `json:"shift,omitempty"`
	// BadTime is true when an hour that does not exist was written (« 25 h », "13pm").
	BadTime bool `json:"badTime,omitempty"`
	// ForSelf is true when the meeting is said to be for the organizer (« pour moi », "for me")
	// and no one else is named.
	ForSelf bool `json:"forSelf,omitempty"`
}
