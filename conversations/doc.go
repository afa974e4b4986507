// Package conversations is the scheduling dialogue as state-as-data and a pure transition
// (state, input, now → state, replies, effects), with the message catalog in French and English.
// It does no I/O, reads no clock and never calls Webex.
//
// The bot calls Step for every message of a conversation and for every result of an effect it
// executed, stores the returned State (it round-trips through JSON), posts the Replies in the
// organizer's space and executes the Effects in order, feeding each result back with
// Input.Result:
//
//	ResolvePerson{Query}    → Result{Kind: PeopleFound, People}
//	CreateMeeting{Meeting}  → Result{Kind: MeetingCreated, Meeting, DesignateNotified} or MeetingFailed{Err}
//	ListMeetings            → Result{Kind: MeetingsListed, Meetings}
//	CancelMeeting{Ref}      → Result{Kind: MeetingCancelled}
//	ResendHostKey{Ref}      → Result{Kind: HostKeyResent, DesignateNotified}
//
// The designate's own messages are pure formatters the bot calls outside the dialogue:
// DesignateMessage (markdown and Adaptive Card), ResentMessage, ReminderMessage and
// CancelledNotice. Everything a person typed is repeated through Escape.
package conversations
