package webextest

import (
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// MeetingInvitee is an invitee as the meeting invitees API returns it (GetInviteeObject).
type MeetingInvitee struct {
	ID          string `json:"id"`
	MeetingID   string `json:"meetingId"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	CoHost      bool   `json:"coHost"`
	Panelist    bool   `json:"panelist"`
}

// meetingInviteeRequest is POST /v1/meetingInvitees' body (CreateInviteeObject).
type meetingInviteeRequest struct {
	MeetingID   string `json:"meetingId"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	CoHost      bool   `json:"coHost"`
	Panelist    bool   `json:"panelist"`
	HostEmail   string `json:"hostEmail"`
	SendEmail   *bool  `json:"sendEmail"`
}

// inviteeView is invitee i of m as the API shows it. An invitee's id is the meeting id, an
// underscore and a number, as in Webex's examples ("870f…0402_2628962"); the fake gives the
// number on first sight and keeps it.
func (s *Server) inviteeViewLocked(m *meeting, i int) MeetingInvitee {
	inv := &m.invitees[i]
	if inv.ID == "" {
		inv.ID = m.w.ID + "_" + randomDigits(7)
	}
	name := inv.DisplayName
	if name == "" {
		name = inv.Email
	}
	return MeetingInvitee{ID: inv.ID, MeetingID: m.w.ID, Email: inv.Email, DisplayName: name, CoHost: inv.CoHost, Panelist: inv.Panelist}
}

// meetingForInvitees finds the meeting an invitees call is about; only its host (or an admin
// acting for the host) may change or list its invitees. It writes the error otherwise.
func (s *Server) meetingForInviteesLocked(w http.ResponseWriter, id string, actor *person) *meeting {
	m := s.meetingByIDLocked(w, id, actor)
	if m == nil {
		return nil
	}
	if m.host != actor {
		writeError(w, http.StatusForbidden, msgForbidden, "Only the host can manage the meeting's invitees.")
		return nil
	}
	return m
}

// handleMeetingInviteeCreate serves POST /v1/meetingInvitees: meetingId and a valid email are
// required, displayName is at most 128 characters, a person already invited is refused (409),
// and the invitation e-mail goes out unless sendEmail is false.
func (s *Server) handleMeetingInviteeCreate(w http.ResponseWriter, r *http.Request) {
	actor, ok := s.meetingsCaller(w, r, "")
	if !ok {
		return
	}
	var req meetingInviteeRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.HostEmail != "" {
		if actor, ok = s.resolveHost(w, req.HostEmail); !ok {
			return
		}
	}
	var errs []string
	if req.MeetingID == "" {
		errs = append(errs, "meetingId is required.")
	}
	if a, err := mail.ParseAddress(req.Email); err != nil || a.Address != strings.TrimSpace(req.Email) {
		errs = append(errs, fmt.Sprintf("email %q is not a valid e-mail address.", req.Email))
	}
	if utf8.RuneCountInString(req.DisplayName) > 128 {
		errs = append(errs, "displayName cannot exceed 128 characters.")
	}
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, msgInvalidInput, errs...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetingForInviteesLocked(w, req.MeetingID, actor)
	if m == nil {
		return
	}
	for _, i := range m.invitees {
		if strings.EqualFold(i.Email, req.Email) {
			writeError(w, http.StatusConflict, "The invitee already exists.", fmt.Sprintf("%s is already invited to this meeting.", req.Email))
			return
		}
	}
	if len(m.invitees) >= maxInvitees {
		writeError(w, http.StatusBadRequest, msgInvalidInput, fmt.Sprintf("At most %d invitees are allowed.", maxInvitees))
		return
	}
	m.invitees = append(m.invitees, Invitee{Email: req.Email, DisplayName: req.DisplayName, CoHost: req.CoHost, Panelist: req.Panelist})
	view := s.inviteeViewLocked(m, len(m.invitees)-1)
	if req.SendEmail == nil || *req.SendEmail {
		s.recordInvitationLocked(m, req.Email)
	}
	writeJSON(w, http.StatusOK, view)
}

// handleMeetingInviteeList serves GET /v1/meetingInvitees?meetingId=… (max, hostEmail).
func (s *Server) handleMeetingInviteeList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	actor, ok := s.meetingsCaller(w, r, q.Get("hostEmail"))
	if !ok {
		return
	}
	if q.Get("meetingId") == "" {
		writeError(w, http.StatusBadRequest, msgInvalidInput, "meetingId is required.")
		return
	}
	pg, ok := parsePage(w, q, 10, 100)
	if !ok {
		return
	}
	s.mu.Lock()
	m := s.meetingForInviteesLocked(w, q.Get("meetingId"), actor)
	if m == nil {
		s.mu.Unlock()
		return
	}
	items := make([]MeetingInvitee, 0, len(m.invitees))
	for i := range m.invitees {
		items = append(items, s.inviteeViewLocked(m, i))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"items": applyPage(pg, w, r, s.baseURL(r), items)})
}

// handleMeetingInviteeDelete serves DELETE /v1/meetingInvitees/{id} (hostEmail, sendEmail): 204.
func (s *Server) handleMeetingInviteeDelete(w http.ResponseWriter, r *http.Request) {
	actor, ok := s.meetingsCaller(w, r, r.URL.Query().Get("hostEmail"))
	if !ok {
		return
	}
	id := r.PathValue("id")
	meetingID, _, ok := strings.Cut(id, "_")
	if !ok {
		writeError(w, http.StatusNotFound, msgNotFound, "Meeting invitee not found.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetingForInviteesLocked(w, meetingID, actor)
	if m == nil {
		return
	}
	for i, inv := range m.invitees {
		if inv.ID == id {
			m.invitees = append(m.invitees[:i:i], m.invitees[i+1:]...)
			w.Header().Set("Trackingid", trackingID())
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeError(w, http.StatusNotFound, msgNotFound, "Meeting invitee not found.")
}

// recordInvitationLocked records the invitation e-mail of one invitee added after creation.
// It is the same invitation as at creation: with the password, unless the meeting excludes it.
func (s *Server) recordInvitationLocked(m *meeting, email string) {
	v := m.view(nil)
	when, info := invitationText(m, v)
	s.state.emails = append(s.state.emails, invitationEmail(m, v, email, when, info, timeJSON(s.now())))
}
