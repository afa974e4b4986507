package conversations

import (
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// Config tunes the dialogue. Zero fields take the defaults of DefaultConfig.
type Config struct {
	// IdleTimeout is how long a dialogue may wait for an answer before it expires (30 min).
	IdleTimeout time.Duration
	// DefaultDuration is the length of a meeting when the organizer gives none (1 h).
	DefaultDuration time.Duration
	// MinLead is how far ahead a meeting must start (15 min: the designate may join 15 minutes
	// early, and Webex refuses a start in the past).
	MinLead time.Duration
	// DefaultLang answers messages whose language cannot be told (French).
	DefaultLang nlu.Lang
	// DefaultTimeZone is used when the organizer's zone is missing or unknown (America/Toronto).
	DefaultTimeZone string
	// MaxTitle is the longest title Webex accepts, in characters (128).
	MaxTitle int
	// MaxMessage is the longest message Relais reads, in characters (2,000).
	MaxMessage int
	// OwnAccount: meetings are created with each organizer's own Webex account
	// (RELAIS_MEETINGS_AUTH=user), which must be connected first (account.go).
	OwnAccount bool
}

// DefaultConfig returns the configuration used for zero fields.
func DefaultConfig() Config {
	return Config{
		IdleTimeout:     30 * time.Minute,
		DefaultDuration: time.Hour,
		MinLead:         15 * time.Minute,
		DefaultLang:     nlu.French,
		DefaultTimeZone: "America/Toronto",
		MaxTitle:        128,
		MaxMessage:      2000,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = d.IdleTimeout
	}
	if c.DefaultDuration <= 0 {
		c.DefaultDuration = d.DefaultDuration
	}
	if c.MinLead <= 0 {
		c.MinLead = d.MinLead
	}
	if c.DefaultLang != nlu.French && c.DefaultLang != nlu.English {
		c.DefaultLang = d.DefaultLang
	}
	if c.DefaultTimeZone == "" {
		c.DefaultTimeZone = d.DefaultTimeZone
	}
	if c.MaxTitle <= 0 {
		c.MaxTitle = d.MaxTitle
	}
	if c.MaxMessage <= 0 {
		c.MaxMessage = d.MaxMessage
	}
	return c
}

// Person is someone Relais talks to or about.
type Person struct {
	Email       string `json:"email"`
	DisplayName string `json:"displayName,omitempty"`
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
}

// Name is how Relais calls the person in a sentence: the display name, else first and last
// name, else the e-mail.
func (p Person) Name() string {
	switch {
	case p.DisplayName != "":
		return p.DisplayName
	case p.FirstName != "" || p.LastName != "":
		return trimSpace(p.FirstName + " " + p.LastName)
	default:
		return p.Email
	}
}

// Input is one thing that happened in a conversation: a message of the organizer, or the
// result of an effect the bot executed.
type Input struct {
	// Text is the organizer's message with the bot's mention stripped; empty for results.
	Text string
	// EventID identifies the message (the Webex message id). The dialogue started by a
	// message takes its id, from which the idempotency keys of its meetings derive.
	EventID   string
	Organizer Person
	// TimeZone is the organizer's IANA zone; Config.DefaultTimeZone when empty or unknown.
	TimeZone string
	// Group is true in a group space: replies never contain a host key or a password there.
	Group bool
	// Mentions are the other people mentioned in the message; the first one is the designate.
	Mentions []Person
	// Result is the outcome of an effect (nil for a message).
	Result *Result
	// Card is a press on a button of one of Relais's cards (nil for a typed message).
	Card *CardInput
	// FirstContact is true when the person writes to Relais for the first time in a 1:1
	// space: a message it does not understand is answered with the greeting.
	FirstContact bool
	// Late, when not zero, is when the message was written: it is answered late (Relais was
	// unavailable since then), and the answer says so first.
	Late time.Time
}

// ResultKind says which effect a Result answers.
type ResultKind string

// Result kinds, one per effect.
const (
	PeopleFound      ResultKind = "peopleFound"      // answers ResolvePerson
	MeetingCreated   ResultKind = "meetingCreated"   // answers CreateMeeting, success
	MeetingFailed    ResultKind = "meetingFailed"    // answers CreateMeeting, failure (Err set)
	MeetingsListed   ResultKind = "meetingsListed"   // answers ListMeetings
	MeetingCancelled ResultKind = "meetingCancelled" // answers CancelMeeting
	HostKeyResent    ResultKind = "hostKeyResent"    // answers ResendHostKey
)

// Result is what the bot reports after executing an effect. For every kind but MeetingCreated,
// a non-nil Err means the effect failed.
type Result struct {
	Kind ResultKind `json:"kind"`
	// People are the candidates for a ResolvePerson query (PeopleFound).
	People []Person `json:"people,omitempty"`
	// Meeting is the created, cancelled or resent meeting.
	Meeting *MeetingDetails `json:"meeting,omitempty"`
	// DesignateNotified is true when the designate's 1:1 message was sent (MeetingCreated,
	// HostKeyResent); false when it is still waiting in the outbox.
	DesignateNotified bool `json:"designateNotified,omitempty"`
	// Meetings are the organizer's upcoming delegated meetings, soonest first (MeetingsListed).
	Meetings []MeetingSummary `json:"meetings,omitempty"`
	Err      *Failure         `json:"err,omitempty"`
	// Account is the organizer's own Webex account (account.go: AccountNeeded, AccountFailed).
	Account *AccountInfo `json:"account,omitempty"`
}

// FailureKind classifies why an effect failed, so the organizer gets a useful sentence.
type FailureKind string

// Failure kinds.
const (
	// FailureCredential: Webex refused the meetings credential (401/403, wrong token or scopes).
	FailureCredential FailureKind = "credential"
	// FailureTooSoon: Webex refused the start (in the past or too close).
	FailureTooSoon FailureKind = "tooSoon"
	// FailureInvalid: Webex refused the request for another reason (400).
	FailureInvalid FailureKind = "invalid"
	// FailureUnavailable: Webex did not answer or kept failing (5xx, timeouts, 429 exhausted).
	FailureUnavailable FailureKind = "unavailable"
	// FailureNotAllowed: the designate is outside the domains Relais may serve.
	FailureNotAllowed FailureKind = "notAllowed"
	// FailureNotFound: the meeting no longer exists (cancel, resend).
	FailureNotFound FailureKind = "notFound"
	// FailureOther: anything else.
	FailureOther FailureKind = "other"
)

// Failure describes a failed effect. Detail is for logs; it is never shown as is.
type Failure struct {
	Kind   FailureKind `json:"kind"`
	Detail string      `json:"detail,omitempty"`
}

// EffectKind names what the bot must do.
type EffectKind string

// Effect kinds.
const (
	ResolvePerson EffectKind = "resolvePerson" // look Query up in the People API → PeopleFound
	CreateMeeting EffectKind = "createMeeting" // create Meeting, message the designate → MeetingCreated/MeetingFailed
	ListMeetings  EffectKind = "listMeetings"  // the organizer's upcoming delegated meetings → MeetingsListed
	CancelMeeting EffectKind = "cancelMeeting" // delete Ref, tell the designate → MeetingCancelled
	ResendHostKey EffectKind = "resendHostKey" // fetch Ref's host key fresh, message the designate → HostKeyResent
)

// Effect is a request to the bot. Exactly the fields of its kind are set.
type Effect struct {
	Kind EffectKind `json:"kind"`
	// Query is a name or an e-mail as the organizer wrote it (ResolvePerson).
	Query   string          `json:"query,omitempty"`
	Meeting *MeetingRequest `json:"meeting,omitempty"`
	// Ref is a meeting reference from MeetingSummary.Ref (CancelMeeting, ResendHostKey).
	Ref string `json:"ref,omitempty"`
	// Occurrence is the start of the one occurrence of a series to cancel (CancelMeeting); zero
	// cancels the whole meeting or series.
	Occurrence time.Time `json:"occurrence,omitzero"`
	// Change is the change of a scheduled meeting (ChangeMeeting).
	Change *MeetingChange `json:"change,omitempty"`
	// Lang is the organizer's language, for what the bot sends privately (EnsureAccount).
	Lang nlu.Lang `json:"lang,omitempty"`
	// Waiting: a request waits for the organizer's account (EnsureAccount).
	Waiting bool `json:"waiting,omitempty"`
}

// MeetingRequest carries everything needed to create a meeting.
type MeetingRequest struct {
	Title string    `json:"title"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// TimeZone is the organizer's IANA zone; Start and End are in it.
	TimeZone  string   `json:"timeZone"`
	Organizer Person   `json:"organizer"`
	Designate Person   `json:"designate"`
	Lang      nlu.Lang `json:"lang"`
	// IdempotencyKey is the same for every CreateMeeting of one request: a replayed or retried
	// confirmation carries the same key, a changed request a new one. The bot must create at
	// most one meeting per key and must not remember failures under it.
	IdempotencyKey string `json:"idempotencyKey"`
	// Recurrence is the RRULE of a series (Start is its first occurrence), "" for one meeting.
	Recurrence string `json:"recurrence,omitempty"`
}

// CallIn is one dial-in number.
type CallIn struct {
	Label  string `json:"label"`
	Number string `json:"number"`
}

// MeetingDetails is what Webex returned for a created meeting.
type MeetingDetails struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	TimeZone      string    `json:"timeZone"`
	WebLink       string    `json:"webLink"`
	MeetingNumber string    `json:"meetingNumber"`
	Password      string    `json:"password"`
	HostKey       string    `json:"hostKey"`
	CallIn        []CallIn  `json:"callIn,omitempty"`
	AccessCode    string    `json:"accessCode,omitempty"`
	SIPAddress    string    `json:"sipAddress,omitempty"`
	Designate     Person    `json:"designate"`
	Organizer     Person    `json:"organizer"`
	// Recurrence is the RRULE of a series (Start is its first occurrence), "" for one meeting.
	Recurrence string `json:"recurrence,omitempty"`
	// Note, when set, opens the designate's message instead of its usual introduction
	// (ChangedMessage: what changed).
	Note string `json:"note,omitempty"`
	// ReminderBefore, when set, has the designate's message announce the reminder that will
	// bring the current host key this long before the start.
	ReminderBefore time.Duration `json:"reminderBefore,omitempty"`
}

// MeetingSummary is one line of the organizer's list of delegated meetings.
type MeetingSummary struct {
	// Ref is the bot's opaque reference (the ledger id).
	Ref       string    `json:"ref"`
	Title     string    `json:"title"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	TimeZone  string    `json:"timeZone"`
	Designate Person    `json:"designate"`
	// Recurrence is the RRULE of a series, "" for one meeting. Start and End are then its next
	// occurrence, and SeriesStart its first.
	Recurrence  string    `json:"recurrence,omitempty"`
	SeriesStart time.Time `json:"seriesStart,omitzero"`
}

// Reply is a message to the organizer, in the space they wrote in.
type Reply struct {
	Markdown string `json:"markdown"`
	// Card is an Adaptive Card 1.3 to send with Markdown (then its text fallback), or nil.
	Card map[string]any `json:"card,omitempty"`
}
