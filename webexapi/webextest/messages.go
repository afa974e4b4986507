package webextest

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// maxMessageBytes is Webex's limit on text and markdown.
const maxMessageBytes = 7439

// Message is a Webex message object as GET /v1/messages/{id} returns it.
type Message struct {
	ID              string       `json:"id"`
	ParentID        string       `json:"parentId,omitempty"`
	RoomID          string       `json:"roomId"`
	RoomType        string       `json:"roomType"`
	ToPersonID      string       `json:"toPersonId,omitempty"`
	ToPersonEmail   string       `json:"toPersonEmail,omitempty"`
	Text            string       `json:"text,omitempty"`
	Markdown        string       `json:"markdown,omitempty"`
	HTML            string       `json:"html,omitempty"`
	Files           []string     `json:"files,omitempty"`
	PersonID        string       `json:"personId"`
	PersonEmail     string       `json:"personEmail"`
	MentionedPeople []string     `json:"mentionedPeople,omitempty"`
	MentionedGroups []string     `json:"mentionedGroups,omitempty"`
	Attachments     []Attachment `json:"attachments,omitempty"`
	Created         string       `json:"created"`
	Updated         string       `json:"updated,omitempty"`
}

// Attachment is a message attachment (an adaptive card).
type Attachment struct {
	ContentType string          `json:"contentType"`
	Content     json.RawMessage `json:"content"`
}

// message is a stored message.
type message struct {
	uuid, id            string
	room                *room
	parent              *message
	author              *person
	text, markdown, htm string
	mentioned           []*person
	mentionedAll        bool // « <@all> »
	attachments         []Attachment
	files               []string
	toPersonID, toEmail string
	created             time.Time
	deleted             bool
}

func (m *message) mentions(p *person) bool { return slices.Contains(m.mentioned, p) }

func (m *message) json() Message {
	out := Message{ID: m.id, RoomID: m.room.id, RoomType: m.room.typ, ToPersonID: m.toPersonID,
		ToPersonEmail: m.toEmail, Text: m.text, Markdown: m.markdown, HTML: m.htm, Files: m.files,
		PersonID: m.author.id, PersonEmail: m.author.email, Attachments: m.attachments, Created: timeJSON(m.created)}
	if m.parent != nil {
		out.ParentID = m.parent.id
	}
	for _, p := range m.mentioned {
		out.MentionedPeople = append(out.MentionedPeople, p.id)
	}
	if m.mentionedAll {
		out.MentionedGroups = []string{"all"}
	}
	return out
}

// visibleTo tells whether viewer can see m: room members see everything, except that a bot
// sees in group spaces only what mentions it and what it posted.
func (m *message) visibleTo(viewer *person) bool {
	if m.deleted || !m.room.hasMember(viewer) {
		return false
	}
	if viewer.typ != "bot" || m.room.typ == "direct" {
		return true
	}
	return m.author == viewer || m.mentions(viewer)
}

func (st *state) messageByID(id string) *message {
	u, ok := parseID(id, kindMessage)
	if !ok {
		return nil
	}
	return st.messages[u]
}

// addMessage stores a new message and notifies the bot when it can see it.
func (s *Server) addMessageLocked(m *message) {
	m.uuid = newUUID()
	m.id = restID(kindMessage, m.uuid)
	if m.created.IsZero() {
		m.created = s.now()
	}
	m.room.lastActivity = m.created
	s.state.messages[m.uuid] = m
	m.room.msgs = append(m.room.msgs, m)
	if m.visibleTo(s.state.bot) {
		s.notifyMessageLocked(m)
	}
}

var mentionRE = regexp.MustCompile(`<@(personEmail|personId):([^|>]+)(?:\|([^>]*))?>`)

// renderMarkdown turns markdown into Webex-like text and html, resolving
// <@personEmail:…|Name> and <@personId:…|Name> mentions, and rendering the rest with
// inlineHTML (which reports an « <@all> » mention in all).
func (st *state) renderMarkdown(md string) (text, htm string, mentioned []*person, all bool) {
	var tb, hb strings.Builder
	last := 0
	for _, loc := range mentionRE.FindAllStringSubmatchIndex(md, -1) {
		tb.WriteString(md[last:loc[0]])
		hb.WriteString(inlineHTML(md[last:loc[0]], &all))
		last = loc[1]
		kind, key := md[loc[2]:loc[3]], md[loc[4]:loc[5]]
		name := ""
		if loc[6] >= 0 {
			name = md[loc[6]:loc[7]]
		}
		var p *person
		if kind == "personEmail" {
			p = st.personByEmail(key)
		} else {
			p = st.personByID(key)
		}
		if p == nil {
			tb.WriteString(name)
			hb.WriteString(html.EscapeString(name))
			continue
		}
		if name == "" {
			name = p.displayName
		}
		tb.WriteString(name)
		hb.WriteString(sparkMention(p, name))
		if !slices.Contains(mentioned, p) {
			mentioned = append(mentioned, p)
		}
	}
	tb.WriteString(md[last:])
	hb.WriteString(inlineHTML(md[last:], &all))
	return tb.String(), "<p>" + hb.String() + "</p>", mentioned, all
}

func sparkMention(p *person, name string) string {
	return `<spark-mention data-object-type="person" data-object-id="` + p.id + `">` + html.EscapeString(name) + `</spark-mention>`
}

func equalFoldTrim(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// createMessageRequest is POST /v1/messages's body.
type createMessageRequest struct {
	RoomID        string       `json:"roomId"`
	ParentID      string       `json:"parentId"`
	ToPersonID    string       `json:"toPersonId"`
	ToPersonEmail string       `json:"toPersonEmail"`
	Text          string       `json:"text"`
	Markdown      string       `json:"markdown"`
	Files         []string     `json:"files"`
	Attachments   []Attachment `json:"attachments"`
}

func (s *Server) handleMessageCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var req createMessageRequest
	if !decodeBody(w, r, &req) {
		return
	}
	targets := 0
	for _, v := range []string{req.RoomID, req.ToPersonID, req.ToPersonEmail} {
		if v != "" {
			targets++
		}
	}
	switch {
	case targets != 1:
		writeError(w, http.StatusBadRequest, msgBadRequest, "Exactly one of roomId, toPersonId or toPersonEmail is required.")
		return
	case req.Text == "" && req.Markdown == "" && len(req.Files) == 0 && len(req.Attachments) == 0:
		writeError(w, http.StatusBadRequest, msgBadRequest, "Message must have text, markdown, files or attachments.")
		return
	case len(req.Text) > maxMessageBytes || len(req.Markdown) > maxMessageBytes:
		writeError(w, http.StatusBadRequest, msgBadRequest, "Message length limited to 7439 characters before encryption and 10000 characters after encryption.")
		return
	case len(req.Attachments) > 1:
		writeError(w, http.StatusBadRequest, msgBadRequest, "Only one attachment per message is supported.")
		return
	case len(req.Files) > 1:
		writeError(w, http.StatusBadRequest, msgBadRequest, "Only one file per message is supported.")
		return
	}
	for _, a := range req.Attachments {
		if a.ContentType != "application/vnd.microsoft.card.adaptive" || len(a.Content) == 0 || !json.Valid(a.Content) {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Attachment must be an adaptive card (contentType application/vnd.microsoft.card.adaptive with content).")
			return
		}
		if why := checkCard(a.Content); why != "" {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Unable to render the adaptive card: "+why+".")
			return
		}
	}
	s.mu.Lock()
	m := s.createMessageLocked(w, p.person, &req)
	var body Message
	if m != nil {
		body = m.json()
	}
	s.mu.Unlock() // not held while the answer is encoded and written
	if m != nil {
		writeJSON(w, http.StatusOK, body)
	}
}

// createMessageLocked posts req as author; it writes the error and returns nil when the
// request is refused.
func (s *Server) createMessageLocked(w http.ResponseWriter, author *person, req *createMessageRequest) *message {
	now := s.now()
	m := &message{author: author, files: req.Files, attachments: req.Attachments, created: now}
	switch {
	case req.RoomID != "":
		m.room = s.state.roomByID(req.RoomID)
		if m.room == nil || !m.room.hasMember(author) {
			writeError(w, http.StatusNotFound, msgNotFound, "Could not find a room with provided ID.")
			return nil
		}
	case req.ToPersonID != "":
		to := s.state.personByID(req.ToPersonID)
		if to == nil {
			writeError(w, http.StatusNotFound, msgNotFound, "Could not find a person with provided ID.")
			return nil
		}
		if to == author {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Cannot send a direct message to yourself.")
			return nil
		}
		m.toPersonID = to.id
		m.room = s.state.directRoom(author, to, now)
	default:
		if !strings.Contains(req.ToPersonEmail, "@") {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid toPersonEmail.")
			return nil
		}
		to := s.state.personByEmail(req.ToPersonEmail)
		if to == nil { // Webex invites unknown addresses: a pending account appears
			to = s.state.addPerson(Person{Email: strings.TrimSpace(req.ToPersonEmail)}, now)
			to.hidden = true // outside the org: not found by searches
		}
		if to == author {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Cannot send a direct message to yourself.")
			return nil
		}
		m.toEmail = req.ToPersonEmail
		m.room = s.state.directRoom(author, to, now)
	}
	if req.ParentID != "" {
		parent := s.state.messageByID(req.ParentID)
		if parent == nil || parent.deleted || parent.room != m.room || !parent.visibleTo(author) {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid parentId: the parent message was not found in this room.")
			return nil
		}
		if parent.parent != nil {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Cannot reply to a reply: parentId must be the thread's first message.")
			return nil
		}
		m.parent = parent
	}
	if req.Markdown != "" {
		m.markdown = req.Markdown
		var text string
		text, m.htm, m.mentioned, m.mentionedAll = s.state.renderMarkdown(req.Markdown)
		m.text = req.Text
		if m.text == "" {
			m.text = text
		}
	} else {
		m.text = req.Text
	}
	s.addMessageLocked(m)
	return m
}

func (s *Server) handleMessageGet(w http.ResponseWriter, r *http.Request) {
	s.serveMessage(w, r, s.state.messageByID)
}

// serveMessage answers the message find returns for the request's {id}, or 404 when there is
// none or the caller may not see it. The answer is encoded outside the lock.
func (s *Server) serveMessage(w http.ResponseWriter, r *http.Request, find func(id string) *message) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	m := find(r.PathValue("id"))
	if m == nil || !m.visibleTo(p.person) {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	body := m.json()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleMessageDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.state.messageByID(r.PathValue("id"))
	if m == nil || !m.visibleTo(p.person) {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	if m.author != p.person {
		writeError(w, http.StatusForbidden, msgForbidden, "Only the author can delete this message.")
		return
	}
	m.deleted = true
	w.Header().Set("Trackingid", trackingID())
	w.WriteHeader(http.StatusNoContent)
}

// handleMessageList serves GET /v1/messages?roomId=… newest first, with Webex's rule that a
// bot must pass mentionedPeople=me in group spaces.
func (s *Server) handleMessageList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	mentioned := q.Get("mentionedPeople")
	limit := 1000
	if mentioned != "" {
		limit = 100
	}
	pg, ok := parsePage(w, q, 50, limit)
	if !ok {
		return
	}
	if q.Get("roomId") == "" {
		writeError(w, http.StatusBadRequest, msgBadRequest, "roomId is required.")
		return
	}
	if mentioned != "" && mentioned != "me" && mentioned != p.person.id {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Only 'me' or the person ID of the current user may be specified in mentionedPeople.")
		return
	}
	var before time.Time
	if v := q.Get("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid before: an ISO 8601 date is required.")
			return
		}
		before = t
	}
	base := s.baseURL(r) // before the lock: URL() takes its own
	s.mu.Lock()
	rm := s.state.roomByID(q.Get("roomId"))
	if rm == nil || !rm.hasMember(p.person) {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, msgNotFound, "Could not find a room with provided ID.")
		return
	}
	if p.person.typ == "bot" && rm.typ == "group" && mentioned == "" {
		s.mu.Unlock()
		writeError(w, http.StatusForbidden, msgForbidden, "Bots must include the mentionedPeople=me parameter to list messages in group rooms.")
		return
	}
	last := len(rm.msgs) - 1 // newest message to consider
	if v := q.Get("beforeMessage"); v != "" {
		before := s.state.messageByID(v)
		if before == nil || before.room != rm {
			s.mu.Unlock()
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid beforeMessage.")
			return
		}
		last = slices.Index(rm.msgs, before) - 1
	}
	var found []*message
	parentID := q.Get("parentId")
	for i := last; i >= 0; i-- {
		m := rm.msgs[i]
		switch {
		case m.room != rm || !m.visibleTo(p.person):
		case mentioned != "" && !m.mentions(p.person):
		case parentID != "" && (m.parent == nil || m.parent.id != parentID):
		case !before.IsZero() && !m.created.Before(before):
		default:
			found = append(found, m)
		}
	}
	// Only the page is rendered.
	found = applyPage(pg, w, r, base, found)
	items := make([]Message, 0, len(found))
	for _, m := range found {
		items = append(items, m.json())
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleMessageDirect serves GET /v1/messages/direct?personEmail=|personId=.
func (s *Server) handleMessageDirect(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	var other *person
	switch {
	case q.Get("personId") != "":
		other = s.state.personByID(q.Get("personId"))
	case q.Get("personEmail") != "":
		other = s.state.personByEmail(q.Get("personEmail"))
	default:
		writeError(w, http.StatusBadRequest, msgBadRequest, "personId or personEmail is required.")
		return
	}
	items := []Message{}
	if other != nil {
		if rm := s.state.directRooms[pairKey(p.person, other)]; rm != nil {
			for i := len(rm.msgs) - 1; i >= 0; i-- {
				if m := rm.msgs[i]; !m.deleted {
					items = append(items, m.json())
				}
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
