package webextest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// Person is one entry of the fake's directory (the --directory file's element).
type Person struct {
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Timezone    string `json:"timezone,omitempty"`
	// Type is "person" (default) or "bot"; an e-mail ending in @webex.bot means a bot too.
	Type string `json:"type,omitempty"`
	// OrgID, when set, puts the person in another Webex organization than the bot's.
	OrgID string `json:"orgId,omitempty"`
}

// DefaultDirectory is the directory used when Options.Directory is nil: the bot « Relais »
// and five people, all in America/Toronto.
func DefaultDirectory() []Person {
	const tz = "America/Toronto"
	return []Person{
		{Email: "relais@webex.bot", DisplayName: "Relais", FirstName: "Relais", Timezone: tz, Type: "bot"},
		{Email: "alex.martin@example.com", DisplayName: "Alex Martin", FirstName: "Alex", LastName: "Martin", Timezone: tz},
		{Email: "marie.tremblay@example.com", DisplayName: "Marie Tremblay", FirstName: "Marie", LastName: "Tremblay", Timezone: tz},
		{Email: "marie.gagnon@example.com", DisplayName: "Marie Gagnon", FirstName: "Marie", LastName: "Gagnon", Timezone: tz},
		{Email: "jean.dupont@example.com", DisplayName: "Jean Dupont", FirstName: "Jean", LastName: "Dupont", Timezone: tz},
		{Email: "bob.smith@example.com", DisplayName: "Bob Smith", FirstName: "Bob", LastName: "Smith", Timezone: tz},
	}
}

// LoadDirectory reads a directory file: a JSON array of
// {"email","displayName","firstName","lastName","timezone"}.
func LoadDirectory(path string) ([]Person, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load directory: %w", err)
	}
	var people []Person
	if err := json.Unmarshal(raw, &people); err != nil {
		return nil, fmt.Errorf("load directory %s: %w", path, err)
	}
	for i, p := range people {
		if !strings.Contains(p.Email, "@") {
			return nil, fmt.Errorf("load directory %s: entry %d: invalid email %q", path, i, p.Email)
		}
		if p.Timezone != "" {
			if _, err := loadLocation(p.Timezone); err != nil {
				return nil, fmt.Errorf("load directory %s: entry %d: %w", path, i, err)
			}
		}
	}
	return people, nil
}

// person is a directory record.
type person struct {
	uuid, id                                     string
	email, displayName, firstName, lastName, typ string
	timezone                                     string
	orgID                                        string // "" = the fake's organization
	created                                      time.Time
	hidden                                       bool // not listed by searches (the admin)
	ord                                          int  // index in state.people
}

// personJSON is the spec's Person.
type personJSON struct {
	ID          string   `json:"id"`
	Emails      []string `json:"emails"`
	DisplayName string   `json:"displayName"`
	NickName    string   `json:"nickName,omitempty"`
	FirstName   string   `json:"firstName,omitempty"`
	LastName    string   `json:"lastName,omitempty"`
	OrgID       string   `json:"orgId"`
	Created     string   `json:"created"`
	Timezone    string   `json:"timezone,omitempty"`
	Type        string   `json:"type"`
	Status      string   `json:"status,omitempty"`
}

func (st *state) personJSON(p *person) personJSON {
	return personJSON{ID: p.id, Emails: []string{p.email}, DisplayName: p.displayName, NickName: p.firstName,
		FirstName: p.firstName, LastName: p.lastName, OrgID: cmp.Or(p.orgID, st.orgID), Created: timeJSON(p.created),
		Timezone: p.timezone, Type: p.typ, Status: "unknown"}
}

func (s *Server) handlePeopleMe(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok || !peopleReadAllowed(w, p) {
		return
	}
	s.mu.Lock()
	body := s.state.personJSON(p.person)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handlePersonGet(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authenticate(w, r); !ok {
		return
	}
	s.mu.Lock()
	p := s.state.personByID(r.PathValue("id"))
	if p == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	body := s.state.personJSON(p)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// handlePeopleList serves GET /v1/people with email (exact), displayName (case-insensitive
// prefix) or id (comma-separated, up to 85).
func (s *Server) handlePeopleList(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authenticate(w, r); !ok {
		return
	}
	q := r.URL.Query()
	email, name, ids := strings.TrimSpace(q.Get("email")), q.Get("displayName"), q.Get("id")
	if email == "" && name == "" && ids == "" {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Email, displayName, or id list should be specified.")
		return
	}
	page, ok := parsePage(w, q, 100, 1000)
	if !ok {
		return
	}
	s.mu.Lock()
	var items []personJSON
	var notFound []string
	switch {
	case ids != "":
		list := strings.Split(ids, ",")
		if len(list) > 85 {
			s.mu.Unlock()
			writeError(w, http.StatusBadRequest, msgBadRequest, "At most 85 ids may be given.")
			return
		}
		for _, id := range list {
			if p := s.state.personByID(strings.TrimSpace(id)); p != nil {
				items = append(items, s.state.personJSON(p))
			} else {
				notFound = append(notFound, id)
			}
		}
	default:
		prefix := strings.ToLower(name)
		candidates := s.state.people
		if email != "" {
			candidates = s.state.peopleMatchingEmail(email)
		}
		for _, p := range candidates {
			if p.hidden {
				continue
			}
			if email != "" && !strings.EqualFold(p.email, email) {
				continue
			}
			if name != "" && !strings.HasPrefix(strings.ToLower(p.displayName), prefix) &&
				!strings.HasPrefix(strings.ToLower(p.lastName), prefix) {
				continue
			}
			items = append(items, s.state.personJSON(p))
		}
	}
	s.mu.Unlock()
	items = applyPage(page, w, r, s.baseURL(r), items)
	if items == nil {
		items = []personJSON{}
	}
	body := map[string]any{"items": items}
	if len(notFound) > 0 {
		body["notFoundIds"] = notFound
	}
	writeJSON(w, http.StatusOK, body)
}
