package webextest

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
)

// Errors of the programmatic control API.
var (
	ErrUnknownPerson  = errors.New("webextest: unknown person")
	ErrUnknownMessage = errors.New("webextest: unknown message")
	ErrInvalidRequest = errors.New("webextest: invalid request")
)

// SayRequest is a person posting a message (POST /_sim/say).
type SayRequest struct {
	// From is the author's e-mail (a directory person).
	From string `json:"from"`
	// Text is what they type.
	Text string `json:"text"`
	// Room, when set, is the title of a group space (created on first use with the person and
	// the bot as members); the message then mentions the bot. Empty: the 1:1 space with the bot.
	Room string `json:"room,omitempty"`
	// ParentID makes the message a reply in that message's thread (and space).
	ParentID string `json:"parentId,omitempty"`
	// Mentions are e-mails of other people the message mentions (group spaces).
	Mentions []string `json:"mentions,omitempty"`
	// NoMention posts in a group space without mentioning the bot (people talking among
	// themselves): the bot is not notified and cannot read it.
	NoMention bool `json:"noMention,omitempty"`
	// Files are http(s) URLs of files shared with the message: the message gets them as
	// "files" and the bot's websockets get a "share" activity instead of "post", as in Webex.
	// The text may then be empty.
	Files []string `json:"files,omitempty"`
}

// CardSubmission is a person pressing Action.Submit on a card message.
type CardSubmission struct {
	From      string         `json:"from"`
	MessageID string         `json:"messageId"`
	Inputs    map[string]any `json:"inputs"`
}

// Say posts r as its author would in Webex and notifies the bot as Webex would; it returns the
// REST id of the new message.
func (s *Server) Say(r SayRequest) (string, error) {
	if strings.TrimSpace(r.Text) == "" && (r.Room == "" || r.NoMention) && len(r.Files) == 0 {
		// In a group space the mention alone is a message: its text is the bot's name.
		return "", fmt.Errorf("say: empty text: %w", ErrInvalidRequest)
	}
	for _, f := range r.Files {
		if !validTarget(f) {
			return "", fmt.Errorf("say: file %q is not an http(s) URL: %w", f, ErrInvalidRequest)
		}
	}
	if len(r.Text) > maxMessageBytes {
		return "", fmt.Errorf("say: text longer than %d bytes: %w", maxMessageBytes, ErrInvalidRequest)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state
	from := st.personByEmail(r.From)
	if from == nil || from.typ == "bot" || from.hidden {
		return "", fmt.Errorf("say as %q: %w", r.From, ErrUnknownPerson)
	}
	now := s.now()
	m := &message{author: from, created: now}
	if r.ParentID != "" {
		parent := st.messageByID(r.ParentID)
		if parent == nil || parent.deleted {
			return "", fmt.Errorf("say: parent %q: %w", r.ParentID, ErrUnknownMessage)
		}
		for parent.parent != nil {
			parent = parent.parent
		}
		m.parent, m.room = parent, parent.room
		if !m.room.hasMember(from) {
			if m.room.typ == "direct" {
				return "", fmt.Errorf("say: %s is not in the parent's space: %w", r.From, ErrInvalidRequest)
			}
			m.room.members = append(m.room.members, from)
		}
	} else if r.Room != "" {
		m.room = st.groupRoom(r.Room, from, now)
	} else {
		m.room = st.directRoom(from, st.bot, now)
	}
	m.text = r.Text // Webex gives plain-text messages no html
	m.files = slices.Clone(r.Files)
	if m.room.typ == "group" && !r.NoMention {
		if err := st.mentionAll(m, r.Text, r.Mentions); err != nil {
			return "", fmt.Errorf("say: %w", err)
		}
	}
	s.addMessageLocked(m)
	return m.id, nil
}

// mentionAll makes m start with a mention of the bot and mention the given people, in text,
// html and mentionedPeople as Webex renders mentions.
func (st *state) mentionAll(m *message, text string, emails []string) error {
	bot := st.bot
	name := bot.displayName
	rest := strings.TrimSpace(text)
	for _, prefix := range []string{"@" + name, name} {
		if hasPrefixFold(rest, prefix) {
			rest = strings.TrimSpace(rest[len(prefix):])
			break
		}
	}
	plain, htm := rest, html.EscapeString(rest)
	mentioned := []*person{bot}
	for _, e := range emails {
		p := st.personByEmail(e)
		if p == nil {
			return fmt.Errorf("mention %q: %w", e, ErrUnknownPerson)
		}
		if slices.Contains(mentioned, p) {
			continue
		}
		mentioned = append(mentioned, p)
		replaced := false
		for _, label := range []string{p.displayName, p.firstName} {
			if label == "" || !strings.Contains(plain, "@"+label) {
				continue
			}
			plain = strings.Replace(plain, "@"+label, label, 1)
			htm = strings.Replace(htm, "@"+html.EscapeString(label), sparkMention(p, label), 1)
			replaced = true
			break
		}
		if !replaced {
			plain += " " + p.displayName
			htm += " " + sparkMention(p, p.displayName)
		}
	}
	m.text = name + " " + plain
	m.htm = "<p>" + sparkMention(bot, name) + " " + htm + "</p>"
	m.mentioned = mentioned
	return nil
}

// DeleteMessage deletes a message as its author would in Webex: a later fetch is a 404, and
// the bot, if it could see the message, gets a "delete" activity and messages/deleted.
func (s *Server) DeleteMessage(messageID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.state.messageByID(messageID)
	if m == nil || m.deleted {
		return fmt.Errorf("delete %q: %w", messageID, ErrUnknownMessage)
	}
	seen := m.visibleTo(s.state.bot)
	m.deleted = true
	if seen {
		s.notifyDeletedLocked(m, m.author)
	}
	return nil
}

// SubmitCard records r as an attachment action on the bot's card message and notifies the bot;
// it returns the action's REST id.
func (s *Server) SubmitCard(r CardSubmission) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := s.state.personByEmail(r.From)
	if from == nil || from.typ == "bot" {
		return "", fmt.Errorf("submit card as %q: %w", r.From, ErrUnknownPerson)
	}
	m := s.state.messageByID(r.MessageID)
	if m == nil || m.deleted {
		return "", fmt.Errorf("submit card on %q: %w", r.MessageID, ErrUnknownMessage)
	}
	if len(m.attachments) == 0 {
		return "", fmt.Errorf("submit card on %q: the message has no card: %w", r.MessageID, ErrInvalidRequest)
	}
	if !m.room.hasMember(from) {
		return "", fmt.Errorf("submit card: %s is not in the card's space: %w", r.From, ErrInvalidRequest)
	}
	a := s.addActionLocked(m, from, r.Inputs)
	return a.id, nil
}

// BotMessages returns the messages the bot posted in its 1:1 space with that person, oldest
// first.
func (s *Server) BotMessages(personEmail string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.state.personByEmail(personEmail)
	if p == nil {
		return nil
	}
	return s.state.botMessagesIn(s.state.directRooms[pairKey(p, s.state.bot)])
}

// RoomMessages returns the messages the bot posted in the group space with that title, oldest
// first.
func (s *Server) RoomMessages(title string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.botMessagesIn(s.state.groupRooms[title])
}

func (st *state) botMessagesIn(rm *room) []Message {
	out := []Message{}
	if rm == nil {
		return out
	}
	for _, m := range rm.msgs {
		if m.author == st.bot && !m.deleted {
			out = append(out, m.json())
		}
	}
	return out
}

func (s *Server) handleSimSay(w http.ResponseWriter, r *http.Request) {
	var req SayRequest
	if !decodeBody(w, r, &req) {
		return
	}
	id, err := s.Say(req)
	if err != nil {
		writeSimError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"messageId": id})
}

func (s *Server) handleSimDelete(w http.ResponseWriter, r *http.Request) {
	var req struct {
		MessageID string `json:"messageId"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if err := s.DeleteMessage(req.MessageID); err != nil {
		writeSimError(w, err)
		return
	}
	w.Header().Set("Trackingid", trackingID())
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSimCard(w http.ResponseWriter, r *http.Request) {
	var req CardSubmission
	if !decodeBody(w, r, &req) {
		return
	}
	id, err := s.SubmitCard(req)
	if err != nil {
		writeSimError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"actionId": id})
}

func (s *Server) handleSimMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("person") != "":
		writeJSON(w, http.StatusOK, s.BotMessages(q.Get("person")))
	case q.Get("room") != "":
		writeJSON(w, http.StatusOK, s.RoomMessages(q.Get("room")))
	default:
		writeError(w, http.StatusBadRequest, "person or room is required")
	}
}

func (s *Server) handleSimMeetings(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Meetings())
}

func (s *Server) handleSimEmails(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Emails())
}

// handleSimFaults serves POST /_sim/faults: it replaces the faults and answers those in force.
func (s *Server) handleSimFaults(w http.ResponseWriter, r *http.Request) {
	f, err := decodeFaults(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "faults: "+err.Error())
		return
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, s.Faults())
}

// handleSimFaultsGet serves GET /_sim/faults: the faults in force.
func (s *Server) handleSimFaultsGet(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

// handleSimCounts serves GET /_sim/counts: the /v1/ calls by route, "websocketConnections",
// the websocket connections accepted since start, and "conversationLookups", the activity
// lookups of the conversation service.
func (s *Server) handleSimCounts(w http.ResponseWriter, _ *http.Request) {
	counts := s.CallCounts()
	counts["websocketConnections"] = s.WebsocketConnections()
	counts["conversationLookups"] = s.ConversationLookups()
	writeJSON(w, http.StatusOK, counts)
}

func writeSimError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	if errors.Is(err, ErrUnknownPerson) || errors.Is(err, ErrUnknownMessage) {
		status = http.StatusNotFound
	}
	writeError(w, status, err.Error())
}
