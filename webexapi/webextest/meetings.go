package webextest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// siteURL is the fake's Webex Meetings site.
const siteURL = "fake.webex.com"

// Meeting is a meeting as GET /v1/meetings/{id} returns it (the spec's MeetingSeriesObject).
type Meeting struct {
	ID                           string    `json:"id"`
	MeetingSeriesID              string    `json:"meetingSeriesId,omitempty"`
	MeetingNumber                string    `json:"meetingNumber"`
	Title                        string    `json:"title"`
	Agenda                       string    `json:"agenda,omitempty"`
	Password                     string    `json:"password"`
	PhoneAndVideoSystemPassword  string    `json:"phoneAndVideoSystemPassword"`
	MeetingType                  string    `json:"meetingType"`
	State                        string    `json:"state"`
	Timezone                     string    `json:"timezone"`
	Start                        string    `json:"start"`
	End                          string    `json:"end"`
	Recurrence                   string    `json:"recurrence,omitempty"`
	HostUserID                   string    `json:"hostUserId"`
	HostDisplayName              string    `json:"hostDisplayName"`
	HostEmail                    string    `json:"hostEmail"`
	HostKey                      string    `json:"hostKey"`
	SiteURL                      string    `json:"siteUrl"`
	WebLink                      string    `json:"webLink"`
	SipAddress                   string    `json:"sipAddress"`
	DialInIPAddress              string    `json:"dialInIpAddress"`
	EnabledAutoRecordMeeting     bool      `json:"enabledAutoRecordMeeting"`
	AllowAnyUserToBeCoHost       bool      `json:"allowAnyUserToBeCoHost"`
	EnabledJoinBeforeHost        bool      `json:"enabledJoinBeforeHost"`
	EnableConnectAudioBeforeHost bool      `json:"enableConnectAudioBeforeHost"`
	JoinBeforeHostMinutes        int       `json:"joinBeforeHostMinutes"`
	ExcludePassword              bool      `json:"excludePassword"`
	PublicMeeting                bool      `json:"publicMeeting"`
	ReminderTime                 int       `json:"reminderTime"`
	UnlockedMeetingJoinSecurity  string    `json:"unlockedMeetingJoinSecurity"`
	SessionTypeID                int       `json:"sessionTypeId"`
	ScheduledType                string    `json:"scheduledType"`
	EnableAutomaticLock          bool      `json:"enableAutomaticLock"`
	AutomaticLockMinutes         int       `json:"automaticLockMinutes,omitempty"`
	AllowFirstUserToBeCoHost     bool      `json:"allowFirstUserToBeCoHost"`
	AllowAuthenticatedDevices    bool      `json:"allowAuthenticatedDevices"`
	Telephony                    Telephony `json:"telephony"`
	EnabledBreakoutSessions      bool      `json:"enabledBreakoutSessions"`
	IntegrationTags              []string  `json:"integrationTags,omitempty"`
	Links                        []Link    `json:"links,omitempty"`
}

// Telephony is a meeting's dial-in information.
type Telephony struct {
	AccessCode    string         `json:"accessCode"`
	CallInNumbers []CallInNumber `json:"callInNumbers"`
	Links         []Link         `json:"links"`
}

// CallInNumber is one labelled dial-in number.
type CallInNumber struct {
	Label        string `json:"label"`
	CallInNumber string `json:"callInNumber"`
	TollType     string `json:"tollType"`
}

// Link is a HATEOAS link.
type Link struct {
	Rel    string `json:"rel"`
	Href   string `json:"href"`
	Method string `json:"method"`
}

// Invitee is a meeting invitee as given on creation (ID: once seen through the meeting
// invitees API).
type Invitee struct {
	ID          string `json:"id,omitempty"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName,omitempty"`
	CoHost      bool   `json:"coHost"`
	Panelist    bool   `json:"panelist"`
}

// SimMeeting is a meeting as GET returns it plus what it was created with.
type SimMeeting struct {
	Meeting
	Invitees []Invitee `json:"invitees"`
	// InvitationsSent tells whether invitation e-mails went out (sendEmail).
	InvitationsSent bool `json:"invitationsSent"`
}

// Email is an invitation e-mail the fake recorded instead of sending it.
type Email struct {
	To        string `json:"to"`
	Role      string `json:"role"` // "host" or "invitee"
	MeetingID string `json:"meetingId"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	SentAt    string `json:"sentAt"`
}

// meeting is a stored meeting series.
type meeting struct {
	w          Meeting // times rendered at read
	start, end time.Time
	loc        *time.Location
	host       *person
	invitees   []Invitee
	sentEmails bool
	series     seriesState // the rule and occurrences of a recurring series
}

// view renders m as GET returns it, with times in loc (the meeting's zone when nil).
func (m *meeting) view(loc *time.Location) Meeting {
	if loc == nil {
		loc = m.loc
	}
	out := m.w
	out.Telephony.CallInNumbers = slices.Clone(m.w.Telephony.CallInNumbers)
	out.Telephony.Links = slices.Clone(m.w.Telephony.Links)
	out.Links = slices.Clone(m.w.Links)
	out.IntegrationTags = slices.Clone(m.w.IntegrationTags)
	out.Start = m.start.In(loc).Format(time.RFC3339)
	out.End = m.end.In(loc).Format(time.RFC3339)
	return out
}

// invites tells whether p is the host or an invitee of m.
func (m *meeting) involves(p *person) bool {
	if m.host == p {
		return true
	}
	for _, i := range m.invitees {
		if strings.EqualFold(i.Email, p.email) {
			return true
		}
	}
	return false
}

// meetingRequest is the create (POST), update (PUT) and patch (PATCH) body; nil fields are
// absent.
type meetingRequest struct {
	Title                        *string    `json:"title"`
	Agenda                       *string    `json:"agenda"`
	Password                     *string    `json:"password"`
	Start                        *string    `json:"start"`
	End                          *string    `json:"end"`
	Timezone                     *string    `json:"timezone"`
	Recurrence                   *string    `json:"recurrence"`
	EnabledAutoRecordMeeting     *bool      `json:"enabledAutoRecordMeeting"`
	AllowAnyUserToBeCoHost       *bool      `json:"allowAnyUserToBeCoHost"`
	EnabledJoinBeforeHost        *bool      `json:"enabledJoinBeforeHost"`
	EnableConnectAudioBeforeHost *bool      `json:"enableConnectAudioBeforeHost"`
	JoinBeforeHostMinutes        *int       `json:"joinBeforeHostMinutes"`
	ExcludePassword              *bool      `json:"excludePassword"`
	PublicMeeting                *bool      `json:"publicMeeting"`
	ReminderTime                 *int       `json:"reminderTime"`
	UnlockedMeetingJoinSecurity  *string    `json:"unlockedMeetingJoinSecurity"`
	ScheduledType                *string    `json:"scheduledType"`
	EnableAutomaticLock          *bool      `json:"enableAutomaticLock"`
	AutomaticLockMinutes         *int       `json:"automaticLockMinutes"`
	AllowFirstUserToBeCoHost     *bool      `json:"allowFirstUserToBeCoHost"`
	AllowAuthenticatedDevices    *bool      `json:"allowAuthenticatedDevices"`
	EnabledBreakoutSessions      *bool      `json:"enabledBreakoutSessions"`
	Invitees                     *[]Invitee `json:"invitees"`
	IntegrationTags              *[]string  `json:"integrationTags"`
	SendEmail                    *bool      `json:"sendEmail"`
	HostEmail                    string     `json:"hostEmail"`
	SiteURL                      string     `json:"siteUrl"`
}

// meetingsCaller authenticates a /v1/meetings call: the bot token gets 403, and hostEmail
// picks whom the admin acts for. It writes the error and returns false on failure.
func (s *Server) meetingsCaller(w http.ResponseWriter, r *http.Request, hostEmail string) (*person, bool) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return nil, false
	}
	if p.grant != nil {
		return userMeetingsCaller(w, r, p, hostEmail)
	}
	if !p.meetings {
		writeError(w, http.StatusForbidden, msgForbidden, "The access token does not have the scopes required by the Meetings API.")
		return nil, false
	}
	if hostEmail == "" {
		return p.person, true
	}
	return s.resolveHost(w, hostEmail)
}

// resolveHost finds the user an admin acts for.
func (s *Server) resolveHost(w http.ResponseWriter, hostEmail string) (*person, bool) {
	s.mu.Lock()
	host := s.state.personByEmail(hostEmail)
	s.mu.Unlock()
	if host == nil || host.typ == "bot" {
		writeError(w, http.StatusBadRequest, msgInvalidInput, fmt.Sprintf("hostEmail %s is not a user of a site managed by the admin.", hostEmail))
		return nil, false
	}
	return host, true
}

func (s *Server) handleMeetingCreate(w http.ResponseWriter, r *http.Request) {
	host, ok := s.meetingsCaller(w, r, "")
	if !ok {
		return
	}
	var req meetingRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.HostEmail != "" {
		if host, ok = s.meetingsCaller(w, r, req.HostEmail); !ok {
			return
		}
	}
	if req.SiteURL != "" && req.SiteURL != siteURL {
		writeError(w, http.StatusBadRequest, msgInvalidInput, "siteUrl "+req.SiteURL+" is not a site of the user.")
		return
	}
	m := &meeting{host: host, loc: time.UTC}
	if host.timezone != "" {
		if loc, err := loadLocation(host.timezone); err == nil {
			m.loc = loc
		}
	}
	m.w = Meeting{MeetingType: "meetingSeries", State: "active", ScheduledType: "meeting",
		UnlockedMeetingJoinSecurity: "allowJoinWithLobby", SiteURL: siteURL, Password: sitePassword()}
	if errs := s.applyMeeting(m, &req, true); len(errs) > 0 {
		writeError(w, http.StatusBadRequest, msgInvalidInput, errs...)
		return
	}
	id := randomHex(16)
	number := randomDigits(10)
	m.w.ID, m.w.MeetingNumber = id, number
	m.w.HostUserID, m.w.HostDisplayName, m.w.HostEmail = host.id, host.displayName, host.email
	m.w.HostKey = randomDigits(6)
	m.w.PhoneAndVideoSystemPassword = randomDigits(8)
	m.w.WebLink = "https://" + siteURL + "/fake/j.php?MTID=m" + randomHex(16)
	m.w.SipAddress = number + "@" + siteURL
	m.w.DialInIPAddress = "173.243.2.68"
	m.w.Telephony = Telephony{AccessCode: number,
		CallInNumbers: []CallInNumber{
			{Label: "Canada Toll (Quebec)", CallInNumber: "+1-581-319-7414", TollType: "toll"},
			{Label: "Canada Toll (Montreal)", CallInNumber: "+1-438-488-9118", TollType: "toll"},
			{Label: "Canada Toll", CallInNumber: "+1-416-915-6530", TollType: "toll"},
		},
		Links: []Link{{Rel: "globalCallinNumbers", Href: "/v1/meetings/" + id + "/globalCallinNumbers", Method: "GET"}}}
	m.w.Links = []Link{{Rel: "breakoutSessions", Href: "/v1/meetings/" + id + "/breakoutSessions", Method: "GET"}}
	send := req.SendEmail == nil || *req.SendEmail
	s.mu.Lock()
	s.state.meetings[id] = m
	s.state.meetingOrder = append(s.state.meetingOrder, m)
	if send {
		s.recordInvitationsLocked(m)
	}
	body := m.view(nil)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// sitePassword is a random password that follows a typical site rule: 8 characters mixing
// upper and lower case letters and digits.
func sitePassword() string {
	return randomFrom("ABCDEFGHJKLMNPQRSTUVWXYZ", 2) + randomFrom("abcdefghijkmnpqrstuvwxyz", 3) +
		randomFrom("23456789", 2) + randomFrom("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz", 1)
}

// recordInvitationsLocked records the e-mails Webex sends for m: one to the host (with the
// host key) and one per invitee.
func (s *Server) recordInvitationsLocked(m *meeting) {
	v := m.view(nil)
	when, info := invitationText(m, v)
	now := timeJSON(s.now())
	s.state.emails = append(s.state.emails, Email{To: m.host.email, Role: "host", MeetingID: v.ID,
		Subject: "Webex meeting scheduled: " + v.Title, Body: when + "\n" + info + "Host key: " + v.HostKey + "\n", SentAt: now})
	for _, i := range m.invitees {
		if strings.EqualFold(i.Email, m.host.email) {
			continue
		}
		s.state.emails = append(s.state.emails, invitationEmail(m, v, i.Email, when, info, now))
	}
	m.sentEmails = true
}

// invitationText is what every e-mail about m says of it: when, and how to join (the password
// unless the meeting excludes it).
func invitationText(m *meeting, v Meeting) (when, info string) {
	when = m.start.In(m.loc).Format("Monday, January 2, 2006 15:04") + " (" + m.loc.String() + ")"
	info = fmt.Sprintf("Meeting link: %s\nMeeting number: %s\n", v.WebLink, v.MeetingNumber)
	if !v.ExcludePassword {
		info += "Meeting password: " + v.Password + "\n"
	}
	return when, info
}

// invitationEmail is the invitation an invitee of m receives (never the host key).
func invitationEmail(m *meeting, v Meeting, to, when, info, sentAt string) Email {
	return Email{To: to, Role: "invitee", MeetingID: v.ID, Subject: "Webex meeting invitation: " + v.Title,
		Body: m.host.displayName + " invites you to join this Webex meeting.\n" + when + "\n" + info, SentAt: sentAt}
}

// meetingFor finds the meeting in the path as seen by actor; it writes a 404 otherwise.
func (s *Server) meetingFor(w http.ResponseWriter, r *http.Request, actor *person) *meeting {
	return s.meetingByIDLocked(w, r.PathValue("id"), actor)
}

// meetingByIDLocked finds meeting (or occurrence) id as seen by actor; it writes a 404 otherwise.
func (s *Server) meetingByIDLocked(w http.ResponseWriter, id string, actor *person) *meeting {
	if series, _, ok := strings.Cut(id, "_"); ok {
		id = series // an occurrence id: <series>_<date>
	}
	m := s.state.meetings[id]
	if m == nil || !m.involves(actor) {
		writeError(w, http.StatusNotFound, msgNotFound, "Meeting not found.")
		return nil
	}
	return m
}

func (s *Server) handleMeetingGet(w http.ResponseWriter, r *http.Request) {
	actor, ok := s.meetingsCaller(w, r, r.URL.Query().Get("hostEmail"))
	if !ok {
		return
	}
	var loc *time.Location
	if tz := r.Header.Get("timezone"); tz != "" {
		l, err := loadLocation(tz)
		if err != nil {
			writeError(w, http.StatusBadRequest, msgInvalidInput, "Invalid timezone header "+tz+".")
			return
		}
		loc = l
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, o := s.lookupLocked(w, r, actor)
	switch {
	case m == nil:
	case o != nil:
		writeJSON(w, http.StatusOK, m.occurrenceView(*o, loc))
	case r.URL.Query().Get("current") == "true":
		if cur, ok := m.current(s.now()); ok {
			writeJSON(w, http.StatusOK, m.occurrenceView(cur, loc))
		} else {
			writeJSON(w, http.StatusOK, m.seriesView(loc, s.now()))
		}
	default:
		writeJSON(w, http.StatusOK, m.seriesView(loc, s.now()))
	}
}

// handleMeetingList serves GET /v1/meetings with meetingType (meetingSeries by default,
// scheduledMeeting, meeting), from, to, state, integrationTag, hostEmail and max; or with
// meetingNumber or webLink, which ignore the other filters.
func (s *Server) handleMeetingList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	actor, ok := s.meetingsCaller(w, r, q.Get("hostEmail"))
	if !ok {
		return
	}
	pg, ok := parsePage(w, q, 10, 100)
	if !ok {
		return
	}
	typ := q.Get("meetingType")
	if typ == "" {
		typ = "meetingSeries"
	}
	if !slices.Contains([]string{"meetingSeries", "scheduledMeeting", "meeting"}, typ) {
		writeError(w, http.StatusBadRequest, msgInvalidInput, "Invalid meetingType "+typ+".")
		return
	}
	now := s.now()
	var from, to time.Time
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.name); v != "" {
			t, err := parseMeetingTime(v, time.UTC)
			if err != nil {
				writeError(w, http.StatusBadRequest, msgInvalidInput, "Invalid "+p.name+": "+v+".")
				return
			}
			*p.dst = t
		}
	}
	bySeries := q.Get("meetingSeriesId")
	if typ == "scheduledMeeting" || bySeries != "" {
		if from.IsZero() {
			from = now
		}
		if to.IsZero() {
			to = from.AddDate(0, 0, 7)
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		writeError(w, http.StatusBadRequest, msgInvalidInput, "from cannot be after to.")
		return
	}
	number, link, tag := q.Get("meetingNumber"), q.Get("webLink"), q.Get("integrationTag")
	if number != "" && link != "" {
		writeError(w, http.StatusBadRequest, msgInvalidInput, "meetingNumber and webLink are mutually exclusive.")
		return
	}
	s.mu.Lock()
	items := []Meeting{}
	if number != "" || link != "" {
		for _, m := range s.state.meetingOrder {
			if m.involves(actor) && ((number != "" && m.w.MeetingNumber == number) || (link != "" && m.w.WebLink == link)) {
				v := m.view(nil)
				v.MeetingSeriesID = v.ID
				items = append(items, v)
			}
		}
	} else if typ != "meeting" { // no meeting has started or ended in the fake
		for _, m := range s.state.meetingOrder {
			if !m.involves(actor) || (bySeries != "" && m.w.ID != bySeries) ||
				(tag != "" && !slices.Contains(m.w.IntegrationTags, tag)) {
				continue
			}
			items = append(items, s.listedLocked(m, typ == "scheduledMeeting" || bySeries != "", from, to, q.Get("state"))...)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"items": applyPage(pg, w, r, s.baseURL(r), items)})
}

// handleMeetingPatch serves PATCH (partial) and PUT (full) /v1/meetings/{id}.
func (s *Server) handleMeetingPatch(w http.ResponseWriter, r *http.Request) {
	actor, ok := s.meetingsCaller(w, r, r.URL.Query().Get("hostEmail"))
	if !ok {
		return
	}
	var req meetingRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.HostEmail != "" {
		if actor, ok = s.meetingsCaller(w, r, req.HostEmail); !ok {
			return
		}
	}
	if r.Method == http.MethodPut && (req.Title == nil || req.Start == nil || req.End == nil) {
		writeError(w, http.StatusBadRequest, msgInvalidInput, "title, start and end are required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetingFor(w, r, actor)
	if m == nil {
		return
	}
	if m.host != actor {
		writeError(w, http.StatusForbidden, msgForbidden, "Only the host can modify the meeting.")
		return
	}
	draft := *m
	draft.invitees = slices.Clone(m.invitees)
	if r.Method == http.MethodPut {
		// PUT replaces the meeting: what it leaves out takes its default, so a caller that
		// forgets "join before host" turns it off.
		req.EnabledJoinBeforeHost = cmp.Or(req.EnabledJoinBeforeHost, new(bool))
		req.JoinBeforeHostMinutes = cmp.Or(req.JoinBeforeHostMinutes, new(int))
		// Likewise a series updated without its rule becomes one meeting (recurrence null).
		req.Recurrence = cmp.Or(req.Recurrence, new(string))
	}
	if errs := s.applyMeeting(&draft, &req, false); len(errs) > 0 {
		writeError(w, http.StatusBadRequest, msgInvalidInput, errs...)
		return
	}
	*m = draft
	if req.SendEmail != nil && *req.SendEmail {
		s.recordInvitationsLocked(m)
	}
	writeJSON(w, http.StatusOK, m.view(nil))
}

func (s *Server) handleMeetingDelete(w http.ResponseWriter, r *http.Request) {
	actor, ok := s.meetingsCaller(w, r, r.URL.Query().Get("hostEmail"))
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, o := s.lookupLocked(w, r, actor)
	if m == nil {
		return
	}
	if m.host != actor {
		writeError(w, http.StatusForbidden, msgForbidden, "Only the host can delete the meeting.")
		return
	}
	if o != nil {
		s.deleteOccurrenceLocked(m, *o)
	} else {
		delete(s.state.meetings, m.w.ID)
		s.state.meetingOrder = slices.DeleteFunc(s.state.meetingOrder, func(x *meeting) bool { return x == m })
	}
	w.Header().Set("Trackingid", trackingID())
	w.WriteHeader(http.StatusNoContent)
}

// Meetings returns every meeting as GET returns it, with its invitees and whether invitations
// were sent, in creation order.
func (s *Server) Meetings() []SimMeeting {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []SimMeeting{}
	for _, m := range s.state.meetingOrder {
		inv := slices.Clone(m.invitees)
		if inv == nil {
			inv = []Invitee{}
		}
		out = append(out, SimMeeting{Meeting: m.view(nil), Invitees: inv, InvitationsSent: m.sentEmails})
	}
	return out
}

// Emails returns the invitation e-mails recorded so far, oldest first.
func (s *Server) Emails() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.state.emails)
	if out == nil {
		out = []Email{}
	}
	return out
}
