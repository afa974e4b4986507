package webextest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

type listedMeetings struct {
	Items []webextest.Meeting `json:"items"`
}

func TestSeriesRecurrenceValidation(t *testing.T) {
	t.Parallel()
	s := meetingsServer(t)
	base := validMeeting()
	for _, rule := range []string{"FREQ=HOURLY;COUNT=3", "FREQ=DAILY;BYHOUR=9", "FREQ=WEEKLY;COUNT=3;UNTIL=20300301",
		"FREQ=YEARLY;COUNT=6", "FREQ=WEEKLY;BYDAY=XY", "COUNT=3", "FREQ=DAILY;UNTIL=20400101"} {
		status, h, raw := call(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), with(base, "recurrence", rule))
		desc := requireError(t, http.StatusBadRequest, status, h, raw)
		assert.Contains(t, desc, "recurrence", rule)
	}
	require.Empty(t, s.Meetings())
	for _, rule := range []string{"FREQ=DAILY;INTERVAL=1;COUNT=10", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=5",
		"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20300301T000000Z", "FREQ=MONTHLY;BYDAY=3WE", "FREQ=YEARLY;COUNT=5"} {
		var m webextest.Meeting
		callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), with(base, "recurrence", rule), &m)
		assert.Equal(t, rule, m.Recurrence)
		assert.Equal(t, "meetingSeries", m.MeetingType)
	}
}

func TestSeriesOccurrencesListGetDelete(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(meetingsNow) // Tuesday 15 January 2030
	s := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now})
	var series webextest.Meeting
	// Every other Wednesday at 14:00 in Toronto, 5 times: 16 and 30 January, 13 and 27 February, 13 March.
	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(),
		with(validMeeting(), "recurrence", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=5"), &series)
	tok := s.MeetingsToken()
	q := url.Values{"hostEmail": {"alex.martin@example.com"}}

	var l listedMeetings
	callJSON(t, "GET", s.APIURL()+"/meetings?"+q.Encode()+"&from=2030-02-01T00:00:00Z&to=2030-02-08T00:00:00Z", tok, nil, &l)
	require.Len(t, l.Items, 1, "a series overlapping the range is listed once")
	assert.Equal(t, series.ID, l.Items[0].ID)
	assert.Equal(t, "meetingSeries", l.Items[0].MeetingType)

	occ := s.Occurrences(series.ID)
	require.Len(t, occ, 5)
	assert.Equal(t, series.ID+"_20300116T190000Z", occ[0].ID)
	assert.Equal(t, "2030-03-13T14:00:00-04:00", occ[4].Start, "wall-clock time kept across daylight time")
	assert.Equal(t, series.HostKey, occ[0].HostKey, "the first occurrence has the series' key")
	assert.NotEqual(t, occ[0].HostKey, occ[1].HostKey, "Webex renews the key after each occurrence")

	callJSON(t, "GET", s.APIURL()+"/meetings?"+q.Encode()+"&meetingType=scheduledMeeting&from=2030-01-15T00:00:00Z&to=2030-02-20T00:00:00Z", tok, nil, &l)
	require.Len(t, l.Items, 3)
	assert.Equal(t, "scheduledMeeting", l.Items[1].MeetingType)
	assert.Equal(t, series.ID, l.Items[1].MeetingSeriesID)
	callJSON(t, "GET", s.APIURL()+"/meetings?"+q.Encode()+"&meetingSeriesId="+series.ID+"&from=2030-01-01T00:00:00Z&to=2030-12-31T00:00:00Z", tok, nil, &l)
	require.Len(t, l.Items, 5)

	// One occurrence deleted: the others stay; it is gone from GET and from the list.
	status, _, raw := call(t, "DELETE", s.APIURL()+"/meetings/"+occ[1].ID+"?"+q.Encode(), tok, nil)
	require.Equal(t, http.StatusNoContent, status, string(raw))
	status, _, _ = call(t, "GET", s.APIURL()+"/meetings/"+occ[1].ID+"?"+q.Encode(), tok, nil)
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = call(t, "DELETE", s.APIURL()+"/meetings/"+series.ID+"_20300117T190000Z?"+q.Encode(), tok, nil)
	assert.Equal(t, http.StatusNotFound, status, "no occurrence on that day")
	require.Len(t, s.Occurrences(series.ID), 4)

	// current=true: the occurrence in progress or next; after the first one, the third.
	var cur webextest.Meeting
	callJSON(t, "GET", s.APIURL()+"/meetings/"+series.ID+"?current=true&"+q.Encode(), tok, nil, &cur)
	assert.Equal(t, occ[0].ID, cur.ID)
	assert.Equal(t, "scheduledMeeting", cur.MeetingType)
	clock.Add(2 * 24 * time.Hour)
	callJSON(t, "GET", s.APIURL()+"/meetings/"+series.ID+"?current=true&"+q.Encode(), tok, nil, &cur)
	assert.Equal(t, occ[2].ID, cur.ID)
	assert.Equal(t, occ[2].HostKey, cur.HostKey)
	var whole webextest.Meeting
	callJSON(t, "GET", s.APIURL()+"/meetings/"+series.ID+"?"+q.Encode(), tok, nil, &whole)
	assert.Equal(t, "meetingSeries", whole.MeetingType)
	assert.Equal(t, occ[2].HostKey, whole.HostKey, "the series shows the current occurrence's key")

	// Deleting the series deletes everything.
	status, _, _ = call(t, "DELETE", s.APIURL()+"/meetings/"+series.ID+"?"+q.Encode(), tok, nil)
	require.Equal(t, http.StatusNoContent, status)
	assert.Nil(t, s.Occurrences(series.ID))
}

// TestSeriesResponsesFollowTheOpenAPISubset: the series, its occurrences, current=true and the
// lists answer in the spec's shapes.
func TestSeriesResponsesFollowTheOpenAPISubset(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t, "webex-meeting.subset.json")
	s := meetingsServer(t)
	var series webextest.Meeting
	raw := func(method, url string, body any) []byte {
		status, _, b := call(t, method, url, s.MeetingsToken(), body)
		require.Equal(t, http.StatusOK, status, string(b))
		return b
	}
	created := raw("POST", s.APIURL()+"/meetings", with(validMeeting(), "recurrence", "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=4"))
	requireValid(t, doc, "POST", "/meetings", created)
	require.NoError(t, json.Unmarshal(created, &series))
	host := "hostEmail=alex.martin@example.com"
	occ := s.Occurrences(series.ID)
	require.Len(t, occ, 4)
	requireValid(t, doc, "GET", "/meetings/{meetingId}", raw("GET", s.APIURL()+"/meetings/"+occ[1].ID+"?"+host, nil))
	requireValid(t, doc, "GET", "/meetings/{meetingId}", raw("GET", s.APIURL()+"/meetings/"+series.ID+"?current=true&"+host, nil))
	requireValid(t, doc, "GET", "/meetings", raw("GET", s.APIURL()+"/meetings?meetingSeriesId="+series.ID+"&"+host, nil))
	requireValid(t, doc, "GET", "/meetings", raw("GET", s.APIURL()+"/meetings?meetingType=scheduledMeeting&"+host, nil))
}
