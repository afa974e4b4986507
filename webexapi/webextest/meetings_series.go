package webextest

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/relaisbot/relais/rrule"
)

// A recurring meeting as Webex models it: the series (meetingType meetingSeries, id S) has
// occurrences (meetingType scheduledMeeting, id S_<start in UTC, 20060102T150405Z>). Each
// occurrence has its own host key, since Webex renews the key after each occurrence; the
// occurrences can be deleted one by one, and GET S?current=true is the current or next one.

// occurrenceLayout is how an occurrence id carries its start.
const occurrenceLayout = "20060102T150405Z"

// maxOccurrencesListed bounds the occurrences the fake expands for one series.
const maxOccurrencesListed = 2000

// seriesState is what a recurring series holds beyond the meeting.
type seriesState struct {
	rule    *rrule.Rule
	keys    map[string]string // occurrence id → host key
	deleted map[string]bool   // occurrences deleted one by one
}

// occurrence is one scheduled meeting of a series.
type occurrence struct {
	id         string
	start, end time.Time
}

func occurrenceID(seriesID string, start time.Time) string {
	return seriesID + "_" + start.UTC().Format(occurrenceLayout)
}

// applyRecurrence sets or clears the rule of m and checks it as Webex does. Changing the start,
// the end or the rule of a series cancels its exceptional occurrences (here: deletions and
// renewed keys).
func applyRecurrence(m *meeting, req *meetingRequest, bad func(string, ...any)) {
	if req.Start != nil || req.End != nil || req.Recurrence != nil {
		m.series.keys, m.series.deleted = nil, nil
	}
	if req.Recurrence == nil {
		return
	}
	v := strings.TrimSpace(*req.Recurrence)
	if v == "" {
		m.series.rule, m.w.Recurrence = nil, ""
		return
	}
	r, err := rrule.Parse(v)
	if err != nil {
		bad("Invalid recurrence %q: %s.", v, strings.TrimPrefix(err.Error(), rrule.ErrInvalid.Error()+": "))
		return
	}
	if err := r.CheckEnd(m.start.In(m.loc)); err != nil {
		bad("Invalid recurrence %q: %s.", v, strings.TrimPrefix(err.Error(), rrule.ErrInvalid.Error()+": "))
		return
	}
	m.series.rule, m.w.Recurrence = &r, v
}

// occurrences lists the scheduled meetings of m that were not deleted, in order.
func (m *meeting) occurrences() []occurrence {
	starts := []time.Time{m.start}
	if m.series.rule != nil {
		starts = m.series.rule.Occurrences(m.start.In(m.loc), maxOccurrencesListed)
	}
	length := m.end.Sub(m.start)
	out := make([]occurrence, 0, len(starts))
	for _, st := range starts {
		id := occurrenceID(m.w.ID, st)
		if !m.series.deleted[id] {
			out = append(out, occurrence{id: id, start: st, end: st.Add(length)})
		}
	}
	return out
}

// occurrence finds an occurrence of m by id.
func (m *meeting) occurrence(id string) (occurrence, bool) {
	for _, o := range m.occurrences() {
		if o.id == id {
			return o, true
		}
	}
	return occurrence{}, false
}

// current is the occurrence in progress or next, as GET ?current=true returns it.
func (m *meeting) current(now time.Time) (occurrence, bool) {
	for _, o := range m.occurrences() {
		if o.end.After(now) {
			return o, true
		}
	}
	return occurrence{}, false
}

// hostKeyOf is the host key of one occurrence: the series' own for the first one, a new one for
// each later occurrence (Webex renews the key after each occurrence).
func (m *meeting) hostKeyOf(id string) string {
	if id == occurrenceID(m.w.ID, m.start) {
		return m.w.HostKey
	}
	if m.series.keys == nil {
		m.series.keys = map[string]string{}
	}
	k, ok := m.series.keys[id]
	if !ok {
		k = randomDigits(6)
		m.series.keys[id] = k
	}
	return k
}

// occurrenceView renders one occurrence as GET returns a scheduledMeeting.
func (m *meeting) occurrenceView(o occurrence, loc *time.Location) Meeting {
	if loc == nil {
		loc = m.loc
	}
	v := m.view(loc)
	v.ID, v.MeetingSeriesID = o.id, m.w.ID
	v.MeetingType, v.State, v.Recurrence = "scheduledMeeting", "scheduled", ""
	v.Start, v.End = o.start.In(loc).Format(time.RFC3339), o.end.In(loc).Format(time.RFC3339)
	v.HostKey = m.hostKeyOf(o.id)
	return v
}

// seriesView renders the series; its host key is the current occurrence's.
func (m *meeting) seriesView(loc *time.Location, now time.Time) Meeting {
	v := m.view(loc)
	if o, ok := m.current(now); ok {
		v.HostKey = m.hostKeyOf(o.id)
	}
	return v
}

// lastEnd is the end of the last occurrence; zero when the series never ends.
func (m *meeting) lastEnd() time.Time {
	if m.series.rule != nil {
		if last, ok := m.series.rule.Last(m.start.In(m.loc)); ok {
			return last.Add(m.end.Sub(m.start))
		}
		return time.Time{}
	}
	return m.end
}

// lookupLocked finds the meeting or occurrence in the path as seen by actor; o is nil for a
// series. It writes a 404 when there is none (or the occurrence was deleted).
func (s *Server) lookupLocked(w http.ResponseWriter, r *http.Request, actor *person) (*meeting, *occurrence) {
	id := r.PathValue("id")
	seriesID, _, isOcc := strings.Cut(id, "_")
	m := s.state.meetings[seriesID]
	if m == nil || !m.involves(actor) {
		writeError(w, http.StatusNotFound, msgNotFound, "Meeting not found.")
		return nil, nil
	}
	if !isOcc {
		return m, nil
	}
	o, ok := m.occurrence(id)
	if !ok {
		writeError(w, http.StatusNotFound, msgNotFound, "Meeting not found.")
		return nil, nil
	}
	return m, &o
}

// listedLocked is what one meeting contributes to GET /v1/meetings: the series itself
// (meetingType meetingSeries) when it overlaps [from, to), or its occurrences in that range
// (meetingType scheduledMeeting, or meetingSeriesId given).
func (s *Server) listedLocked(m *meeting, occurrences bool, from, to time.Time, state string) []Meeting {
	var out []Meeting
	if !occurrences {
		last := m.lastEnd()
		if (!from.IsZero() && !last.IsZero() && !last.After(from)) || (!to.IsZero() && !m.start.Before(to)) {
			return nil
		}
		v := m.seriesView(nil, s.now())
		v.MeetingSeriesID = v.ID
		if state == "" || state == v.State {
			out = append(out, v)
		}
		return out
	}
	for _, o := range m.occurrences() {
		if (!from.IsZero() && !o.end.After(from)) || (!to.IsZero() && !o.start.Before(to)) {
			continue
		}
		if v := m.occurrenceView(o, nil); state == "" || state == v.State {
			out = append(out, v)
		}
	}
	return out
}

// deleteOccurrenceLocked deletes one scheduled meeting of a series; the others stay. Deleting the
// last one left deletes the series.
func (s *Server) deleteOccurrenceLocked(m *meeting, o occurrence) {
	if m.series.deleted == nil {
		m.series.deleted = map[string]bool{}
	}
	m.series.deleted[o.id] = true
	if len(m.occurrences()) == 0 {
		delete(s.state.meetings, m.w.ID)
		s.state.meetingOrder = slices.DeleteFunc(s.state.meetingOrder, func(x *meeting) bool { return x == m })
	}
}

// Occurrences returns the scheduled meetings of a series as GET returns them (deleted ones
// left out); nil when there is no such series.
func (s *Server) Occurrences(seriesID string) []Meeting {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.state.meetings[seriesID]
	if m == nil {
		return nil
	}
	out := []Meeting{}
	for _, o := range m.occurrences() {
		out = append(out, m.occurrenceView(o, nil))
	}
	return out
}
