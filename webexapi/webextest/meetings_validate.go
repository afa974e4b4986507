package webextest

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Webex's limits on meetings.
const (
	maxTitleRunes   = 128
	maxAgendaRunes  = 1300
	maxInvitees     = 1000
	minDuration     = 10 * time.Minute
	maxDuration     = 23*time.Hour + 59*time.Minute
	maxYearsAhead   = 10
	minPasswordLen  = 4
	maxPasswordLen  = 32
	validJBHMinutes = "0, 5, 10, 15"

	maxIntegrationTags     = 3
	maxIntegrationTagRunes = 64
)

// parseMeetingTime reads an ISO 8601 time; without an offset it is in loc.
func parseMeetingTime(v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q", v)
}

// applyMeeting merges req into m and checks Webex's rules on the result; it returns the
// error descriptions (none: m is valid). On create, title, start and end are required.
func (s *Server) applyMeeting(m *meeting, req *meetingRequest, create bool) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	w := &m.w

	if req.Timezone != nil {
		loc, err := loadLocation(*req.Timezone)
		if err != nil || *req.Timezone == "" {
			bad("Invalid timezone %q.", *req.Timezone)
		} else {
			m.loc = loc
		}
	}
	w.Timezone = m.loc.String()

	if req.Title != nil {
		w.Title = strings.TrimSpace(*req.Title)
	}
	if create && req.Title == nil || w.Title == "" {
		bad("title cannot be empty.")
	} else if utf8.RuneCountInString(w.Title) > maxTitleRunes {
		bad("Title length cannot exceed %d characters.", maxTitleRunes)
	}
	if req.Agenda != nil {
		w.Agenda = *req.Agenda
		if utf8.RuneCountInString(w.Agenda) > maxAgendaRunes {
			bad("Agenda length cannot exceed %d characters.", maxAgendaRunes)
		}
	}
	if req.Password != nil {
		pw := *req.Password
		if n := utf8.RuneCountInString(pw); n < minPasswordLen || n > maxPasswordLen || strings.ContainsAny(pw, " \t\n") {
			bad("Meeting password validation failed. The password must be %d to %d characters without spaces.", minPasswordLen, maxPasswordLen)
		} else {
			w.Password = pw
		}
	}
	s.applyTimes(m, req, create, bad)
	applyRecurrence(m, req, bad)

	if req.EnabledJoinBeforeHost != nil {
		w.EnabledJoinBeforeHost = *req.EnabledJoinBeforeHost
	}
	if req.JoinBeforeHostMinutes != nil {
		w.JoinBeforeHostMinutes = *req.JoinBeforeHostMinutes
	}
	if req.EnableConnectAudioBeforeHost != nil {
		w.EnableConnectAudioBeforeHost = *req.EnableConnectAudioBeforeHost
	}
	if !slices.Contains([]int{0, 5, 10, 15}, w.JoinBeforeHostMinutes) {
		bad("joinBeforeHostMinutes must be one of %s.", validJBHMinutes)
	} else if w.JoinBeforeHostMinutes != 0 && !w.EnabledJoinBeforeHost {
		bad("joinBeforeHostMinutes only applies when enabledJoinBeforeHost is true.")
	}
	if w.EnableConnectAudioBeforeHost && !w.EnabledJoinBeforeHost {
		bad("enableConnectAudioBeforeHost only applies when enabledJoinBeforeHost is true.")
	}

	setBool := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	setBool(&w.EnabledAutoRecordMeeting, req.EnabledAutoRecordMeeting)
	setBool(&w.AllowAnyUserToBeCoHost, req.AllowAnyUserToBeCoHost)
	setBool(&w.ExcludePassword, req.ExcludePassword)
	setBool(&w.PublicMeeting, req.PublicMeeting)
	setBool(&w.EnableAutomaticLock, req.EnableAutomaticLock)
	setBool(&w.AllowFirstUserToBeCoHost, req.AllowFirstUserToBeCoHost)
	setBool(&w.AllowAuthenticatedDevices, req.AllowAuthenticatedDevices)
	setBool(&w.EnabledBreakoutSessions, req.EnabledBreakoutSessions)
	if req.ReminderTime != nil {
		if *req.ReminderTime < 0 {
			bad("reminderTime cannot be negative.")
		}
		w.ReminderTime = *req.ReminderTime
	}
	if req.AutomaticLockMinutes != nil {
		w.AutomaticLockMinutes = *req.AutomaticLockMinutes
	}
	if req.UnlockedMeetingJoinSecurity != nil {
		if !slices.Contains([]string{"allowJoin", "allowJoinWithLobby", "blockFromJoin"}, *req.UnlockedMeetingJoinSecurity) {
			bad("Invalid unlockedMeetingJoinSecurity %q.", *req.UnlockedMeetingJoinSecurity)
		} else {
			w.UnlockedMeetingJoinSecurity = *req.UnlockedMeetingJoinSecurity
		}
	}
	if req.ScheduledType != nil {
		switch *req.ScheduledType {
		case "meeting", "personalRoomMeeting":
			w.ScheduledType = *req.ScheduledType
		case "webinar":
			bad("Webinars need a sessionTypeId; the fake site does not offer webinars.")
		default:
			bad("Invalid scheduledType %q.", *req.ScheduledType)
		}
	}
	if req.IntegrationTags != nil {
		tags := *req.IntegrationTags
		if len(tags) > maxIntegrationTags {
			bad("At most %d integrationTags are allowed.", maxIntegrationTags)
		}
		for i, tag := range tags {
			if tag == "" || utf8.RuneCountInString(tag) > maxIntegrationTagRunes {
				bad("integrationTags[%d] must have 1 to %d characters.", i, maxIntegrationTagRunes)
			}
		}
		w.IntegrationTags = slices.Clone(tags)
	}
	if req.Invitees != nil {
		inv := *req.Invitees
		if len(inv) > maxInvitees {
			bad("At most %d invitees are allowed.", maxInvitees)
		}
		for i, v := range inv {
			if a, err := mail.ParseAddress(v.Email); err != nil || a.Address != strings.TrimSpace(v.Email) {
				bad("invitees[%d].email %q is not a valid e-mail address.", i, v.Email)
			}
			if utf8.RuneCountInString(v.DisplayName) > 128 {
				bad("invitees[%d].displayName cannot exceed 128 characters.", i)
			}
		}
		m.invitees = slices.Clone(inv)
	}
	return errs
}

// applyTimes sets start and end: accurate to the minute, start not in the past (a start in the
// current minute moves to the next one), end after start, 10 minutes to 23 h 59.
func (s *Server) applyTimes(m *meeting, req *meetingRequest, create bool, bad func(string, ...any)) {
	if create && (req.Start == nil || req.End == nil) {
		bad("start and end are required.")
		return
	}
	start, end := m.start, m.end
	if req.Start != nil {
		t, err := parseMeetingTime(*req.Start, m.loc)
		if err != nil {
			bad("Invalid start %q: an ISO 8601 date and time is required.", *req.Start)
			return
		}
		start = t.Truncate(time.Minute)
		now := s.now().Truncate(time.Minute)
		switch {
		case start.Before(now):
			bad("start cannot be before the current date and time.")
			return
		case start.Equal(now):
			start = now.Add(time.Minute)
		}
		if start.After(s.now().AddDate(maxYearsAhead, 0, 0)) {
			bad("You can't create a meeting that starts %d years or more in the future.", maxYearsAhead)
			return
		}
	}
	if req.End != nil {
		t, err := parseMeetingTime(*req.End, m.loc)
		if err != nil {
			bad("Invalid end %q: an ISO 8601 date and time is required.", *req.End)
			return
		}
		end = t.Truncate(time.Minute)
	}
	switch d := end.Sub(start); {
	case d <= 0:
		bad("end must be after start.")
	case d < minDuration:
		bad("The duration of the meeting must be at least 10 minutes.")
	case d > maxDuration:
		bad("The duration of the meeting cannot exceed 23 hours and 59 minutes.")
	}
	m.start, m.end = start, end
}
