package webexapi

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// DefaultMaxWebhookBody caps a webhook request body; larger ones get 413.
const DefaultMaxWebhookBody = 256 << 10

// Webhook signature headers.
const (
	// HeaderSparkSignature carries hex(HMAC-SHA1(secret, raw body)) (documented).
	HeaderSparkSignature = "X-Spark-Signature"
	// HeaderWebexSignature carries "SHA-256=<hex>, SHA-512=<hex>" (seen in Cisco demos; checked
	// when present).
	HeaderWebexSignature = "X-Webex-Signature"
)

// maxWebhookDecode caps what decodeWebhook accepts, whatever the handler's body cap.
const maxWebhookDecode = 4 << 20

// ErrNoWebhookSecret: webhook mode refuses to start without a secret.
var ErrNoWebhookSecret = errors.New("webhook receiver: a secret is required")

// errBadWebhook wraps every webhook payload decoding failure.
var errBadWebhook = errors.New("malformed webhook payload")

type webhookOptions struct {
	maxBody       int64
	handoff       time.Duration
	log           zerolog.Logger
	ignorePersons map[string]bool
	acceptance    bool
	badSignature  badSignatureOptions
}

// WebhookOption configures the webhook handler.
type WebhookOption func(*webhookOptions)

// WithMaxWebhookBody caps the request body (default DefaultMaxWebhookBody).
func WithMaxWebhookBody(n int64) WebhookOption { return func(o *webhookOptions) { o.maxBody = n } }

// WithHandoffTimeout sets how long the handler waits for room in the consumer channel before
// answering 503, so that Webex retries rather than the event being lost (default 2 s).
func WithHandoffTimeout(d time.Duration) WebhookOption {
	return func(o *webhookOptions) { o.handoff = d }
}

// WithWebhookLogger sets the logger (default zerolog.Nop()). Secrets are never logged.
func WithWebhookLogger(l zerolog.Logger) WebhookOption { return func(o *webhookOptions) { o.log = l } }

// WithWebhookAcceptance answers 200 only once the consumer has reported, with Event.Accept, that
// it recorded the event; otherwise 503, and Webex delivers it again.
func WithWebhookAcceptance() WebhookOption { return func(o *webhookOptions) { o.acceptance = true } }

// WithIgnoredPersons drops events caused by these person ids (e.g. the bot's own id: Webex
// delivers the bot's own messages to its messages webhook). They are answered 200.
func WithIgnoredPersons(personIDs ...string) WebhookOption {
	return func(o *webhookOptions) {
		for _, id := range personIDs {
			if id != "" {
				o.ignorePersons[id] = true
			}
		}
	}
}

// webhookHandler is the http.Handler returned by NewWebhookHandler.
type webhookHandler struct {
	secret []byte
	out    chan<- Event
	o      webhookOptions
	badSig badSignatureLog
}

// NewWebhookHandler returns an http.Handler that receives Webex webhook deliveries: it reads
// the raw body (413 above the cap), verifies X-Spark-Signature (HMAC-SHA1 of the raw bytes, or
// a valid X-Webex-Signature) before parsing (401 when unsigned or badly signed), decodes the
// envelope (400 when malformed) and hands the Event to out: 200 once handed over, 503 when the
// consumer has no room within the hand-off timeout (Webex retries). Resources other than
// messages/created and attachmentActions/created are acknowledged and dropped.
//
// Events carry ids only (Message and Action are nil): the consumer fetches the content.
func NewWebhookHandler(secret string, out chan<- Event, opts ...WebhookOption) (http.Handler, error) {
	if secret == "" {
		return nil, ErrNoWebhookSecret
	}
	if out == nil {
		return nil, errors.New("webhook receiver: nil event channel")
	}
	o := webhookOptions{
		maxBody:       DefaultMaxWebhookBody,
		handoff:       2 * time.Second,
		log:           zerolog.Nop(),
		ignorePersons: map[string]bool{},
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.maxBody <= 0 {
		o.maxBody = DefaultMaxWebhookBody
	}
	return &webhookHandler{secret: []byte(secret), out: out, o: o}, nil
}

// ServeHTTP implements http.Handler.
func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.o.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.o.log.Warn().Int64("limit", h.o.maxBody).Msg("webhook body too large")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if !VerifyWebhookSignature(h.secret, body, r.Header) {
		h.rejectBadSignature(r)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	ev, ok, err := decodeWebhook(body)
	if err != nil {
		h.o.log.Warn().Err(err).Msg("malformed webhook rejected")
		http.Error(w, "malformed webhook", http.StatusBadRequest)
		return
	}
	if !ok || h.o.ignorePersons[ev.PersonID] {
		w.WriteHeader(http.StatusOK)
		return
	}
	t := time.NewTimer(h.o.handoff)
	defer t.Stop()
	var accepted chan error
	if h.o.acceptance {
		accepted = make(chan error, 1)
		ev.Accepted = accepted
	}
	ev.Ready = time.Now()
	select {
	case h.out <- ev:
		if accepted != nil {
			select {
			case err := <-accepted:
				if err != nil {
					h.o.log.Warn().Err(err).Str("id", ev.ID).Msg("event not recorded: webhook answered 503 for a retry")
					http.Error(w, "not recorded", http.StatusServiceUnavailable)
					return
				}
			case <-t.C:
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			case <-r.Context().Done():
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	case <-t.C:
		h.o.log.Warn().Str("id", ev.ID).Msg("event consumer busy: webhook answered 503 for a retry")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	case <-r.Context().Done():
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}
}

// VerifyWebhookSignature reports whether body is signed with secret: X-Spark-Signature is
// hex(HMAC-SHA1(secret, body)); failing that, an X-Webex-Signature entry "SHA-256=<hex>" or
// "SHA-512=<hex>" that matches. Comparisons are constant-time.
func VerifyWebhookSignature(secret, body []byte, h http.Header) bool {
	if len(secret) == 0 {
		return false
	}
	if sig := strings.TrimSpace(h.Get(HeaderSparkSignature)); sig != "" && macMatches(sha1.New, secret, body, sig) {
		return true
	}
	for _, part := range strings.Split(h.Get(HeaderWebexSignature), ",") {
		alg, sig, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			continue
		}
		switch strings.ToUpper(alg) {
		case "SHA-256":
			if macMatches(sha256.New, secret, body, sig) {
				return true
			}
		case "SHA-512":
			if macMatches(sha512.New, secret, body, sig) {
				return true
			}
		}
	}
	return false
}

func macMatches(newHash func() hash.Hash, secret, body []byte, hexSig string) bool {
	got, err := hex.DecodeString(strings.TrimSpace(hexSig))
	if err != nil {
		return false
	}
	m := hmac.New(newHash, secret)
	m.Write(body)
	return hmac.Equal(m.Sum(nil), got)
}

// SignWebhook returns hex(HMAC-SHA1(secret, body)), the X-Spark-Signature value.
func SignWebhook(secret, body []byte) string {
	m := hmac.New(sha1.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// webhookEnvelope is a webhook delivery (FACTS.md §4).
type webhookEnvelope struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Resource  string      `json:"resource"`
	Event     string      `json:"event"`
	ActorID   string      `json:"actorId"`
	Data      webhookData `json:"data"`
	TargetURL string      `json:"targetUrl"`
}

type webhookData struct {
	ID          string `json:"id"`
	RoomID      string `json:"roomId"`
	RoomType    string `json:"roomType"`
	PersonID    string `json:"personId"`
	PersonEmail string `json:"personEmail"`
	ParentID    string `json:"parentId"`
	MessageID   string `json:"messageId"`
	Type        string `json:"type"`
	Created     string `json:"created"`
}

// membershipEvent is a memberships/created delivery: data is the membership, actorId who added
// the person.
func membershipEvent(env webhookEnvelope) (Event, bool, error) {
	d := env.Data
	if d.ID == "" || d.RoomID == "" {
		return Event{}, false, fmt.Errorf("%w: membership without id or room", errBadWebhook)
	}
	return Event{Kind: EventMembershipCreated, Source: SourceWebhook, ID: d.ID, RoomID: d.RoomID, RoomType: d.RoomType,
		PersonID: env.ActorID, MemberID: d.PersonID, MemberEmail: d.PersonEmail, Created: parseTime(d.Created)}, true, nil
}

// decodeWebhook turns a verified webhook body into an Event. ok is false for resources and
// events Relais does not consume.
func decodeWebhook(body []byte) (ev Event, ok bool, err error) {
	if len(body) > maxWebhookDecode {
		return Event{}, false, fmt.Errorf("%w: body too large", errBadWebhook)
	}
	var env webhookEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Event{}, false, fmt.Errorf("%w: %w", errBadWebhook, err)
	}
	if env.Resource == "" || env.Event == "" {
		return Event{}, false, fmt.Errorf("%w: no resource or event", errBadWebhook)
	}
	d := env.Data
	switch {
	case env.Resource == WebhookResourceMessages && env.Event == WebhookEventCreated:
		if d.ID == "" {
			return Event{}, false, fmt.Errorf("%w: message without id", errBadWebhook)
		}
		return Event{
			Kind:        EventMessageCreated,
			Source:      SourceWebhook,
			ID:          d.ID,
			RoomID:      d.RoomID,
			RoomType:    d.RoomType,
			PersonID:    d.PersonID,
			PersonEmail: d.PersonEmail,
			ParentID:    d.ParentID,
			Created:     parseTime(d.Created),
		}, true, nil
	case env.Resource == WebhookResourceAttachmentActions && env.Event == WebhookEventCreated:
		if d.ID == "" {
			return Event{}, false, fmt.Errorf("%w: attachment action without id", errBadWebhook)
		}
		return Event{
			Kind:      EventCardSubmitted,
			Source:    SourceWebhook,
			ID:        d.ID,
			RoomID:    d.RoomID,
			RoomType:  d.RoomType,
			PersonID:  d.PersonID,
			MessageID: d.MessageID,
			Created:   parseTime(d.Created),
		}, true, nil
	case env.Resource == WebhookResourceMemberships && env.Event == WebhookEventCreated:
		return membershipEvent(env)
	}
	return Event{}, false, nil
}
