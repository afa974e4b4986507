package webexapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// TimeLayout is the ISO 8601 layout Webex meetings use for start and end.
const TimeLayout = "2006-01-02T15:04:05Z07:00"

// FormatTime formats t for a meeting's start or end (second precision, with offset).
func FormatTime(t time.Time) string { return t.Truncate(time.Second).Format(TimeLayout) }

// Bool returns a pointer to b, for optional boolean fields.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to n, for optional numeric fields.
func Int(n int) *int { return &n }

// String returns a pointer to s, for optional string fields.
func String(s string) *string { return &s }

// Invitee is a meeting invitee (schema InviteeObjectForCreateMeeting).
type Invitee struct {
	Email       string `json:"email"`
	DisplayName string `json:"displayName,omitempty"`
	CoHost      bool   `json:"coHost,omitempty"`
	Panelist    bool   `json:"panelist,omitempty"`
}

// MeetingRequest is POST /meetings' body (schema CreateMeetingObject), the subset Relais uses.
// Title ≤ 128 characters; Start not in the past; End 10 minutes to 23 h 59 after Start;
// JoinBeforeHostMinutes 0, 5, 10 or 15, and only with EnabledJoinBeforeHost.
type MeetingRequest struct {
	Title    string `json:"title"`
	Agenda   string `json:"agenda,omitempty"`
	Password string `json:"password,omitempty"`
	// Start and End in TimeLayout (see FormatTime).
	Start string `json:"start"`
	End   string `json:"end"`
	// Timezone (IANA) in which Webex renders the meeting, e.g. in e-mails.
	Timezone                     string    `json:"timezone,omitempty"`
	EnabledJoinBeforeHost        bool      `json:"enabledJoinBeforeHost,omitempty"`
	JoinBeforeHostMinutes        int       `json:"joinBeforeHostMinutes,omitempty"`
	EnableConnectAudioBeforeHost bool      `json:"enableConnectAudioBeforeHost,omitempty"`
	AllowAnyUserToBeCoHost       bool      `json:"allowAnyUserToBeCoHost,omitempty"`
	ReminderTime                 int       `json:"reminderTime,omitempty"`
	Invitees                     []Invitee `json:"invitees,omitempty"`
	// SendEmail: nil leaves Webex's default (true: invitees get the invitation e-mail).
	SendEmail *bool `json:"sendEmail,omitempty"`
	// HostEmail schedules on behalf of that user (admin or service-app credential).
	HostEmail string `json:"hostEmail,omitempty"`
	SiteURL   string `json:"siteUrl,omitempty"`
	// IntegrationTags are free tags Webex returns and filters lists on (e.g. an idempotency key).
	IntegrationTags []string `json:"integrationTags,omitempty"`
	// Recurrence is an RFC 2445 RRULE making the meeting a series ("FREQ=WEEKLY;INTERVAL=1;
	// BYDAY=TU;COUNT=6"); empty for one meeting.
	Recurrence string `json:"recurrence,omitempty"`
}

// MeetingPatchRequest is PATCH /meetings/{id}'s body: only the non-nil fields change.
type MeetingPatchRequest struct {
	Title                        *string `json:"title,omitempty"`
	Agenda                       *string `json:"agenda,omitempty"`
	Password                     *string `json:"password,omitempty"`
	Start                        *string `json:"start,omitempty"`
	End                          *string `json:"end,omitempty"`
	Timezone                     *string `json:"timezone,omitempty"`
	EnabledJoinBeforeHost        *bool   `json:"enabledJoinBeforeHost,omitempty"`
	JoinBeforeHostMinutes        *int    `json:"joinBeforeHostMinutes,omitempty"`
	EnableConnectAudioBeforeHost *bool   `json:"enableConnectAudioBeforeHost,omitempty"`
	SendEmail                    *bool   `json:"sendEmail,omitempty"`
	HostEmail                    string  `json:"hostEmail,omitempty"`
}

// CallInNumber is one telephony call-in number.
type CallInNumber struct {
	// Label, e.g. "Call-in toll number (US/Canada)".
	Label        string `json:"label"`
	CallInNumber string `json:"callInNumber"`
	// TollType is "toll" or "tollFree".
	TollType string `json:"tollType"`
}

// Link is a HATEOAS link.
type Link struct {
	Rel    string `json:"rel,omitempty"`
	Href   string `json:"href,omitempty"`
	Method string `json:"method,omitempty"`
}

// Telephony is how to join a meeting by phone.
type Telephony struct {
	// AccessCode is what callers enter after dialling.
	AccessCode    string         `json:"accessCode"`
	CallInNumbers []CallInNumber `json:"callInNumbers"`
	Links         []Link         `json:"links,omitempty"`
}

// Meeting is a meeting (schemas MeetingSeriesObject and MeetingObjectForListMeeting).
// Password and HostKey are secrets: never log them.
type Meeting struct {
	ID              string `json:"id"`
	MeetingSeriesID string `json:"meetingSeriesId,omitempty"`
	// MeetingNumber, e.g. "1296477859".
	MeetingNumber               string `json:"meetingNumber,omitempty"`
	Title                       string `json:"title"`
	Agenda                      string `json:"agenda,omitempty"`
	Password                    string `json:"password"`
	PhoneAndVideoSystemPassword string `json:"phoneAndVideoSystemPassword,omitempty"`
	// MeetingType: meetingSeries, scheduledMeeting or meeting.
	MeetingType string `json:"meetingType"`
	// State: active, scheduled, ready, lobby, inProgress, ended, missed, expired.
	State           string `json:"state"`
	Timezone        string `json:"timezone"`
	Start           string `json:"start"`
	End             string `json:"end"`
	Recurrence      string `json:"recurrence,omitempty"`
	HostUserID      string `json:"hostUserId"`
	HostDisplayName string `json:"hostDisplayName"`
	HostEmail       string `json:"hostEmail"`
	// HostKey is the 6-digit key to claim the host role.
	HostKey                      string    `json:"hostKey"`
	SiteURL                      string    `json:"siteUrl"`
	WebLink                      string    `json:"webLink"`
	SipAddress                   string    `json:"sipAddress,omitempty"`
	DialInIPAddress              string    `json:"dialInIpAddress,omitempty"`
	RoomID                       string    `json:"roomId,omitempty"`
	EnabledJoinBeforeHost        bool      `json:"enabledJoinBeforeHost"`
	JoinBeforeHostMinutes        int       `json:"joinBeforeHostMinutes"`
	EnableConnectAudioBeforeHost bool      `json:"enableConnectAudioBeforeHost"`
	ScheduledType                string    `json:"scheduledType,omitempty"`
	Telephony                    Telephony `json:"telephony"`
	IntegrationTags              []string  `json:"integrationTags,omitempty"`
	EnabledBreakoutSessions      bool      `json:"enabledBreakoutSessions"`
	Links                        []Link    `json:"links,omitempty"`
}

// StartTime parses Start (zero time if unparseable).
func (m *Meeting) StartTime() time.Time { t, _ := time.Parse(time.RFC3339, m.Start); return t }

// EndTime parses End (zero time if unparseable).
func (m *Meeting) EndTime() time.Time { t, _ := time.Parse(time.RFC3339, m.End); return t }

// MeetingGetOptions are GET /meetings/{id}'s query parameters.
type MeetingGetOptions struct {
	// HostEmail: read a meeting of that host (admin credential).
	HostEmail string
	// Current: with a series id, return the current or upcoming occurrence.
	Current bool
}

// MeetingListOptions are GET /meetings' query parameters.
type MeetingListOptions struct {
	MeetingNumber   string
	WebLink         string
	RoomID          string
	MeetingSeriesID string
	// From and To bound the start time (TimeLayout).
	From, To       string
	MeetingType    string
	State          string
	ScheduledType  string
	Current        *bool
	HostEmail      string
	SiteURL        string
	IntegrationTag string
	Max            int
}

func (o *MeetingListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("meetingNumber", o.MeetingNumber)
	set("webLink", o.WebLink)
	set("roomId", o.RoomID)
	set("meetingSeriesId", o.MeetingSeriesID)
	set("from", o.From)
	set("to", o.To)
	set("meetingType", o.MeetingType)
	set("state", o.State)
	set("scheduledType", o.ScheduledType)
	if o.Current != nil {
		q.Set("current", strconv.FormatBool(*o.Current))
	}
	set("hostEmail", o.HostEmail)
	set("siteUrl", o.SiteURL)
	set("integrationTag", o.IntegrationTag)
	if o.Max > 0 {
		q.Set("max", strconv.Itoa(o.Max))
	}
	return q
}

// MeetingDeleteOptions are DELETE /meetings/{id}'s query parameters.
type MeetingDeleteOptions struct {
	HostEmail string
	// SendEmail: nil leaves Webex's default (true: invitees are told of the cancellation).
	SendEmail *bool
}

// MeetingsService is the meetings API. It needs a meetings credential: a bot token gets 403.
type MeetingsService struct{ c *Client }

// Create schedules a meeting. Like every POST it is retried only on 429 (see RetryPolicy).
func (s *MeetingsService) Create(ctx context.Context, req *MeetingRequest) (*Meeting, error) {
	if req == nil {
		return nil, fmt.Errorf("create meeting: no request")
	}
	var m Meeting
	if _, err := s.c.do(ctx, http.MethodPost, "/meetings", nil, req, &m); err != nil {
		return nil, fmt.Errorf("create meeting: %w", err)
	}
	return &m, nil
}

// Get returns one meeting, with its host key.
func (s *MeetingsService) Get(ctx context.Context, meetingID string, opts *MeetingGetOptions) (*Meeting, error) {
	if meetingID == "" {
		return nil, fmt.Errorf("get meeting: %w", errNoID)
	}
	q := url.Values{}
	if opts != nil {
		if opts.HostEmail != "" {
			q.Set("hostEmail", opts.HostEmail)
		}
		if opts.Current {
			q.Set("current", "true")
		}
	}
	var m Meeting
	if _, err := s.c.do(ctx, http.MethodGet, "/meetings/"+url.PathEscape(meetingID), q, nil, &m); err != nil {
		return nil, fmt.Errorf("get meeting: %w", err)
	}
	return &m, nil
}

// List returns the first page of meetings matching opts; see Page.Next.
func (s *MeetingsService) List(ctx context.Context, opts *MeetingListOptions) (*Page[Meeting], error) {
	p, err := firstPage[Meeting](ctx, s.c, "/meetings", opts.values())
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	return p, nil
}

// All iterates over every meeting matching opts, across pages.
func (s *MeetingsService) All(ctx context.Context, opts *MeetingListOptions) iter.Seq2[Meeting, error] {
	return all(ctx, func(ctx context.Context) (*Page[Meeting], error) { return s.List(ctx, opts) })
}

// Patch changes the given fields of a meeting (PATCH, application/json-patch+json as Webex's
// spec declares, with a partial meeting object as body).
func (s *MeetingsService) Patch(ctx context.Context, meetingID string, req *MeetingPatchRequest) (*Meeting, error) {
	if meetingID == "" {
		return nil, fmt.Errorf("patch meeting: %w", errNoID)
	}
	if req == nil {
		return nil, fmt.Errorf("patch meeting: no request")
	}
	var m Meeting
	u := s.c.url("/meetings/"+url.PathEscape(meetingID), nil)
	if _, err := s.c.send(ctx, http.MethodPatch, u, "application/json-patch+json", req, &m); err != nil {
		return nil, fmt.Errorf("patch meeting: %w", err)
	}
	return &m, nil
}

// Delete cancels a meeting (it cannot be recovered).
func (s *MeetingsService) Delete(ctx context.Context, meetingID string, opts *MeetingDeleteOptions) error {
	if meetingID == "" {
		return fmt.Errorf("delete meeting: %w", errNoID)
	}
	var q url.Values
	if opts != nil {
		q = hostQuery(opts.HostEmail, opts.SendEmail)
	}
	if _, err := s.c.do(ctx, http.MethodDelete, "/meetings/"+url.PathEscape(meetingID), q, nil, nil); err != nil {
		return fmt.Errorf("delete meeting: %w", err)
	}
	return nil
}

// Update replaces a meeting's editable fields (PUT: title, start and end are required; fields
// left out take their defaults, so send enabledJoinBeforeHost and joinBeforeHostMinutes again).
// Invitees are kept: they are changed through the meeting invitees API. Webex's spec says PUT
// "behaves the same as before" and will be deprecated in favour of PATCH.
func (s *MeetingsService) Update(ctx context.Context, meetingID string, req *MeetingRequest) (*Meeting, error) {
	if meetingID == "" {
		return nil, fmt.Errorf("update meeting: %w", errNoID)
	}
	if req == nil {
		return nil, fmt.Errorf("update meeting: no request")
	}
	var m Meeting
	if _, err := s.c.do(ctx, http.MethodPut, "/meetings/"+url.PathEscape(meetingID), nil, req, &m); err != nil {
		return nil, fmt.Errorf("update meeting: %w", err)
	}
	return &m, nil
}
