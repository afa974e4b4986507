package webextest

import (
	"encoding/json"
	"net/http"
	"time"
)

// action is an attachment action (a card submission).
type action struct {
	uuid, id string
	msg      *message
	person   *person
	inputs   map[string]any
	created  time.Time
}

// actionJSON is the spec's AttachmentActivity.
type actionJSON struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	MessageID string         `json:"messageId"`
	PersonID  string         `json:"personId"`
	RoomID    string         `json:"roomId"`
	Inputs    map[string]any `json:"inputs"`
	Created   string         `json:"created"`
}

func (a *action) json() actionJSON {
	inputs := a.inputs
	if inputs == nil {
		inputs = map[string]any{}
	}
	return actionJSON{ID: a.id, Type: "submit", MessageID: a.msg.id, PersonID: a.person.id,
		RoomID: a.msg.room.id, Inputs: inputs, Created: timeJSON(a.created)}
}

func (st *state) actionByID(id string) *action {
	u, ok := parseID(id, kindAction)
	if !ok {
		return nil
	}
	return st.actions[u]
}

// addActionLocked records a submission of the card message m by p and notifies the bot when
// the card is the bot's.
func (s *Server) addActionLocked(m *message, p *person, inputs map[string]any) *action {
	a := &action{uuid: newUUID(), msg: m, person: p, inputs: inputs, created: s.now()}
	a.id = restID(kindAction, a.uuid)
	s.state.actions[a.uuid] = a
	if m.author == s.state.bot {
		s.notifyActionLocked(a)
	}
	return a
}

func (s *Server) handleActionGet(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.state.actionByID(r.PathValue("id"))
	if a == nil || !a.msg.room.hasMember(p.person) {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, a.json())
}

// handleActionCreate serves POST /v1/attachment/actions {type:"submit", messageId, inputs}.
func (s *Server) handleActionCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var req struct {
		Type      string          `json:"type"`
		MessageID string          `json:"messageId"`
		Inputs    json.RawMessage `json:"inputs"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	var inputs map[string]any
	if req.Type != "submit" || req.MessageID == "" || json.Unmarshal(req.Inputs, &inputs) != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "type must be submit, messageId and inputs are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.state.messageByID(req.MessageID)
	if m == nil || !m.visibleTo(p.person) || len(m.attachments) == 0 {
		writeError(w, http.StatusNotFound, msgNotFound, "Could not find a card message with provided ID.")
		return
	}
	a := s.addActionLocked(m, p.person, inputs)
	writeJSON(w, http.StatusOK, a.json())
}
