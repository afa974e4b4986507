package webexapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultMaxFrameSize caps one Mercury frame: larger frames end the connection (gorilla's read
// limit) and are never decoded.
const DefaultMaxFrameSize = 1 << 20

// Mercury event types and frame types (FACTS.md §6).
const (
	mercuryEventActivity           = "conversation.activity"
	mercuryEventBufferState        = "mercury.buffer_state"
	mercuryEventRegistrationStatus = "mercury.registration_status"

	mercuryTypePong     = "pong"
	mercuryTypeShutdown = "shutdown"

	verbPost       = "post"
	verbShare      = "share" // a message with files
	verbCardAction = "cardAction"
)

// errMalformedFrame wraps every frame decoding failure.
var errMalformedFrame = errors.New("malformed mercury frame")

// mercuryFrame is one frame received from Mercury. Data's shape depends on its event type; only
// conversation activities are decoded further.
type mercuryFrame struct {
	ID             string       `json:"id"`
	Type           string       `json:"type,omitempty"`
	Data           mercuryData  `json:"data"`
	Timestamp      int64        `json:"timestamp,omitempty"`
	TrackingID     string       `json:"trackingId,omitempty"`
	SequenceNumber int64        `json:"sequenceNumber,omitempty"`
	activity       *mercuryActv // set by decodeFrame for conversation.activity frames
}

// mercuryData is a frame's data; Activity stays raw until the event type is known.
type mercuryData struct {
	EventType string          `json:"eventType,omitempty"`
	Activity  json.RawMessage `json:"activity,omitempty"`
}

// mercuryActv is a conversation activity. Its object (the content) is encrypted for bots: only
// ids are used, the content is fetched over REST.
type mercuryActv struct {
	ID        string          `json:"id"`
	Verb      string          `json:"verb"`
	Actor     mercuryActor    `json:"actor"`
	Target    mercuryTarget   `json:"target"`
	Parent    *mercuryParent  `json:"parent,omitempty"`
	Published string          `json:"published,omitempty"`
	Object    json.RawMessage `json:"object,omitempty"`
}

type mercuryActor struct {
	ID           string `json:"id"`
	ObjectType   string `json:"objectType,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	EmailAddress string `json:"emailAddress,omitempty"`
	Type         string `json:"type,omitempty"` // PERSON, BOT, …
}

type mercuryTarget struct {
	ID         string   `json:"id"`
	ObjectType string   `json:"objectType,omitempty"`
	URL        string   `json:"url,omitempty"`
	Tags       []string `json:"tags,omitempty"`
}

type mercuryParent struct {
	ID   string `json:"id"`
	Type string `json:"type,omitempty"`
}

// isReady reports whether the frame says the connection is ready.
func (f *mercuryFrame) isReady() bool {
	return f.Data.EventType == mercuryEventBufferState || f.Data.EventType == mercuryEventRegistrationStatus
}

// decodeFrame decodes one Mercury frame of at most maxSize bytes (DefaultMaxFrameSize if
// maxSize <= 0). A conversation.activity frame gets its activity decoded and checked; other
// event types are kept opaque. Errors wrap errMalformedFrame; the frame returned with an error
// may still carry the id (to ack it).
func decodeFrame(b []byte, maxSize int) (*mercuryFrame, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFrameSize
	}
	if len(b) > maxSize {
		return nil, fmt.Errorf("%w: %d bytes exceeds %d", errMalformedFrame, len(b), maxSize)
	}
	var f mercuryFrame
	if err := json.Unmarshal(b, &f); err != nil {
		// Salvage the id, so the frame can still be acked and is not replayed forever.
		var idOnly struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(b, &idOnly) == nil && idOnly.ID != "" {
			return &mercuryFrame{ID: idOnly.ID}, fmt.Errorf("%w: %w", errMalformedFrame, err)
		}
		return nil, fmt.Errorf("%w: %w", errMalformedFrame, err)
	}
	if f.Data.EventType != mercuryEventActivity {
		return &f, nil
	}
	if len(f.Data.Activity) == 0 || string(f.Data.Activity) == "null" {
		return &f, fmt.Errorf("%w: conversation.activity without activity", errMalformedFrame)
	}
	var a mercuryActv
	if err := json.Unmarshal(f.Data.Activity, &a); err != nil {
		return &f, fmt.Errorf("%w: activity: %w", errMalformedFrame, err)
	}
	if a.ID == "" || a.Verb == "" {
		return &f, fmt.Errorf("%w: activity without id or verb", errMalformedFrame)
	}
	if consumedVerb(a.Verb) {
		if _, err := restLookupURL(&a); err != nil {
			return &f, err
		}
	}
	f.activity = &a
	return &f, nil
}

// restLookupURL returns the URL that turns the activity id into a REST id, as Webex's own
// clients do (FACTS.md §6.4): the target conversation URL with "conversations/<target id>"
// replaced by "messages/<activity id>" (post) or "attachment/actions/<activity id>" (cardAction).
// The cluster is whatever Webex put in the URL; nothing is hard-coded.
func restLookupURL(a *mercuryActv) (string, error) {
	var kind string
	switch a.Verb {
	case verbPost, verbShare:
		kind = "messages/"
	case verbCardAction:
		kind = "attachment/actions/"
	default:
		return "", fmt.Errorf("%w: no REST lookup for verb %q", errMalformedFrame, a.Verb)
	}
	if !safeIDSegment(a.ID) || !safeIDSegment(a.Target.ID) {
		return "", fmt.Errorf("%w: activity or conversation id is not a plain id", errMalformedFrame)
	}
	u, err := url.Parse(a.Target.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%w: bad conversation url", errMalformedFrame)
	}
	old := "conversations/" + a.Target.ID
	if !strings.HasSuffix(u.Path, "/"+old) {
		return "", fmt.Errorf("%w: conversation url does not end with the conversation id", errMalformedFrame)
	}
	u.Path = strings.TrimSuffix(u.Path, old) + kind + a.ID
	u.RawPath = ""
	u.RawQuery = ""
	u.Fragment = ""
	return u.String(), nil
}

// safeIDSegment accepts ids that are safe as one URL path segment (UUIDs and the like).
func safeIDSegment(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return s != "." && s != ".."
}

// roomTypeOf maps an activity's target tags to a REST room type.
func roomTypeOf(tags []string) string {
	for _, t := range tags {
		if t == "ONE_ON_ONE" {
			return RoomTypeDirect
		}
	}
	return RoomTypeGroup
}

// outbound frames.

type authFrame struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		Token string `json:"token"`
	} `json:"data"`
}

type pingFrame struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type ackFrame struct {
	Type      string `json:"type"`
	MessageID string `json:"messageId"`
}
