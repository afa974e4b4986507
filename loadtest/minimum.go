package loadtest

import "time"

// Endpoints as the fake's CallCounts names them.
const (
	epGetMessage    = "GET /v1/messages/{id}"
	epGetPerson     = "GET /v1/people/{id}"
	epListPeople    = "GET /v1/people"
	epPostMessage   = "POST /v1/messages"
	epPostMeeting   = "POST /v1/meetings"
	epGetMe         = "GET /v1/people/me"
	epGetMeeting    = "GET /v1/meetings/{id}"
	epListMessages  = "GET /v1/messages"
	epDirectMessage = "GET /v1/messages/direct"
)

// MinimumCalls is what one flow cannot do without, per endpoint of the REST API:
//
// request (one sentence, designate by e-mail):
//
//	GET /v1/messages/{id}   read the message the websocket announced (after the conversation-URL
//	                        lookup of its REST id, outside /v1/ and not counted by the fake)
//	GET /v1/people/{id}     the organizer's profile (time zone, organization); cached afterwards
//	GET /v1/people?email=   resolve the designate
//	POST /v1/messages       the summary to the organizer
//
// « oui »:
//
//	GET /v1/messages/{id}   read the message (its REST id built from the conversation's cluster,
//	                        learnt at the first lookup: no second lookup)
//	POST /v1/meetings       create the meeting (its answer carries the host key)
//	POST /v1/messages       the designate's 1:1 message
//	POST /v1/messages       the confirmation to the organizer
//
// The bot's identity (GET /v1/people/me) is fetched once per process, not per flow.
var MinimumCalls = map[string]int{
	epGetMessage:  2,
	epGetPerson:   1,
	epListPeople:  1,
	epPostMessage: 3,
	epPostMeeting: 1,
}

// CriticalCalls is the number of /v1/ round trips a flow makes one after the other: every call
// of MinimumCalls depends on the previous one (the message before the person, the person before
// the lookup, the lookup before the summary; the message before the meeting, the meeting's host
// key before the designate's message, which must be known sent before the organizer is told).
// Per event: 4 for the request, 4 for « oui ».
const CriticalCalls = 8

// CriticalCallsPerEvent is the part of CriticalCalls each of the flow's two events makes.
const CriticalCallsPerEvent = 4

// CriticalPath is the time a flow cannot go under with latency per /v1/ call.
func CriticalPath(latency time.Duration) time.Duration {
	return CriticalCalls * latency
}

func minimumTotal() int {
	n := 0
	for _, v := range MinimumCalls {
		n += v
	}
	return n
}
