package conversations

import (
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// Stage is where a dialogue stands. The empty stage is "no dialogue".
type Stage string

// Stages. The bot stores them; only this package interprets them.
const (
	StageIdle Stage = ""
	// Scheduling.
	StageAskWho      Stage = "askWho"      // waiting for the designate's name
	StageResolving   Stage = "resolving"   // waiting for PeopleFound
	StageChoosing    Stage = "choosing"    // several people found: numbered choice
	StageAskEmail    Stage = "askEmail"    // nobody found: waiting for an e-mail
	StageAskWhen     Stage = "askWhen"     // waiting for a day and a time
	StageAskTime     Stage = "askTime"     // the day is known, waiting for a time
	StageAskDuration Stage = "askDuration" // the duration was refused, waiting for another
	StageAskTitle    Stage = "askTitle"    // the title was refused, waiting for another
	StageConfirm     Stage = "confirm"     // summary shown, waiting for « oui »
	StageCreating    Stage = "creating"    // CreateMeeting emitted, waiting for its result
	// Commands on existing meetings.
	StageListing       Stage = "listing"       // ListMeetings emitted, waiting for MeetingsListed
	StagePicking       Stage = "picking"       // numbered meetings shown, waiting for a choice
	StageConfirmCancel Stage = "confirmCancel" // waiting for « oui » to cancel Chosen
	StageCancelling    Stage = "cancelling"    // CancelMeeting emitted
	StageResending     Stage = "resending"     // ResendHostKey emitted
)

// Purpose is why meetings are being listed.
type Purpose string

// Purposes of a listing.
const (
	PurposeList   Purpose = "list"
	PurposeCancel Purpose = "cancel"
	PurposeResend Purpose = "resend"
)

// State is one conversation's dialogue, stored by the bot between messages. It round-trips
// through JSON without loss. The zero value means "no dialogue".
type State struct {
	Stage Stage    `json:"stage,omitempty"`
	Lang  nlu.Lang `json:"lang,omitempty"`
	// DialogueID is the EventID of the message that started the dialogue.
	DialogueID string `json:"dialogueId,omitempty"`
	// LastActive is when the dialogue last moved (UTC); it expires IdleTimeout later.
	LastActive time.Time `json:"lastActive"`
	// Revision counts the changes of the request; it makes the idempotency key.
	Revision int   `json:"revision,omitempty"`
	Draft    Draft `json:"draft"`
	// Candidates are the people offered in StageChoosing.
	Candidates []Person `json:"candidates,omitempty"`
	// Pending is the request of StageCreating, re-emitted unchanged if « oui » is replayed.
	Pending *MeetingRequest `json:"pending,omitempty"`

	Purpose Purpose `json:"purpose,omitempty"`
	// Wanted is the meeting number given with a command (« annule la 2 »), 0 if none.
	Wanted int `json:"wanted,omitempty"`
	// WantedName is the person named with a command (« renvoie la clé à Jean »), "" if none.
	WantedName string           `json:"wantedName,omitempty"`
	Meetings   []MeetingSummary `json:"meetings,omitempty"`
	Chosen     *MeetingSummary  `json:"chosen,omitempty"`

	// Form holds the values of the form card last submitted, while the request is being
	// described with the form: a problem then comes back as the form, filled in as submitted.
	Form *FormValues `json:"form,omitempty"`
	// WantedDay and WantedSeries narrow a cancellation: « annule la rencontre de mardi
	// prochain » (one occurrence of a series, or the meeting that day), « annule la série ».
	WantedDay    *nlu.DateSpec `json:"wantedDay,omitempty"`
	WantedSeries bool          `json:"wantedSeries,omitempty"`
	// Occurrence is the start of the chosen occurrence of a series to cancel, nil for all of it.
	Occurrence *time.Time `json:"occurrence,omitempty"`
	// Change is the change of Chosen under way (PurposeChange, PurposeHandOver); the new
	// title, times and designate are in Draft.
	Change *ChangeState `json:"change,omitempty"`
	// Account is the effect waiting for the organizer to connect their Webex account
	// (StageAccount, account.go).
	Account *AccountWait `json:"account,omitempty"`
}

// Draft is the meeting being described.
type Draft struct {
	// Query is the designate as written (a name or an e-mail).
	Query     string        `json:"query,omitempty"`
	Designate *Person       `json:"designate,omitempty"`
	Title     string        `json:"title,omitempty"`
	Date      *nlu.DateSpec `json:"date,omitempty"`
	Time      *nlu.Clock    `json:"time,omitempty"`
	End       *nlu.Clock    `json:"end,omitempty"`
	Duration  time.Duration `json:"duration,omitempty"`
	// NeedDay is set when the day given does not exist (« le 31 juin »): it must be asked,
	// never guessed from the time alone.
	NeedDay bool `json:"needDay,omitempty"`
	// Recurrence is how the meeting repeats, nil for one meeting.
	Recurrence *nlu.Recurrence `json:"recurrence,omitempty"`
}

// Active reports whether a dialogue is under way.
func (s State) Active() bool { return s.Stage != StageIdle }

// scheduling reports whether the stage belongs to the scheduling dialogue.
func (s Stage) scheduling() bool {
	switch s {
	case StageAskWho, StageResolving, StageChoosing, StageAskEmail, StageAskWhen, StageAskTime,
		StageAskDuration, StageAskTitle, StageConfirm, StageCreating:
		return true
	}
	return false
}
