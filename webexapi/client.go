package webexapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/internal/backoff"
)

// DefaultBaseURL is Webex's REST API root.
const DefaultBaseURL = "https://webexapis.com/v1"

const (
	defaultUserAgent = "relais-webexapi"
	// maxErrorBody caps how much of an error response is read.
	maxErrorBody = 64 << 10
	// maxBody caps how much of a successful response is decoded.
	maxBody = 16 << 20
)

// Client talks to the Webex REST API. Create it with NewClient; it is safe for concurrent use.
// Each resource has its own service: c.People, c.Messages, c.Rooms, c.Memberships,
// c.AttachmentActions, c.Webhooks, c.Meetings.
//
// Every request goes through one pipeline (see do and doURL): the token source's bearer token,
// a TrackingID header, the retry policy (Retry-After on 429, backoff on 5xx for idempotent
// calls), one token refresh on 401 when the token source can be invalidated, and the
// translation of any non-2xx answer into an *APIError.
//
// Relais builds two clients: one with the bot token (messages, people, webhooks, devices) and
// one with the meetings credential (meetings).
type Client struct {
	rc        *resty.Client
	base      *url.URL
	baseURL   string
	tokens    TokenSource
	log       zerolog.Logger
	retry     RetryPolicy
	sleep     func(ctx context.Context, d time.Duration) error
	now       func() time.Time
	userAgent string

	// People looks people up (GET /people, /people/me, /people/{id}).
	People *PeopleService
	// Messages posts, reads, lists and deletes messages.
	Messages *MessagesService
	// Rooms reads spaces.
	Rooms *RoomsService
	// Memberships lists space memberships.
	Memberships *MembershipsService
	// AttachmentActions reads card submissions.
	AttachmentActions *AttachmentActionsService
	// Webhooks manages webhook registrations.
	Webhooks *WebhooksService
	// Meetings schedules and manages meetings (needs a meetings credential, not a bot token).
	Meetings *MeetingsService
	// MeetingInvitees invites people to a meeting after its creation, or removes them.
	MeetingInvitees *MeetingInviteesService
}

type options struct {
	baseURL    string
	httpClient *http.Client
	log        zerolog.Logger
	retry      RetryPolicy
	sleep      func(ctx context.Context, d time.Duration) error
	now        func() time.Time
	userAgent  string
	tokens     TokenSource
}

// Option configures a Client.
type Option func(*options)

// WithBaseURL sets the API root (default DefaultBaseURL), e.g. a fake's APIURL().
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithHTTPClient sets the underlying HTTP client. The default has a 30 s timeout and a transport
// that honours HTTPS_PROXY (http.ProxyFromEnvironment).
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.httpClient = hc } }

// WithLogger sets the logger (default zerolog.Nop()). Tokens are never logged.
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// WithRetryPolicy sets the retry policy; zero fields take DefaultRetryPolicy()'s values.
func WithRetryPolicy(p RetryPolicy) Option { return func(o *options) { o.retry = p } }

// WithSleep replaces the wait between attempts (tests use it to record waits without sleeping).
// sleep must return ctx.Err() if ctx ends first.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(o *options) { o.sleep = sleep }
}

// WithClock sets the clock used to read HTTP-date Retry-After values (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(o *options) { o.userAgent = ua } }

// WithTokenSource sets where bearer tokens come from (required).
func WithTokenSource(ts TokenSource) Option { return func(o *options) { o.tokens = ts } }

// WithToken is WithTokenSource(StaticToken(token)).
func WithToken(token string) Option { return WithTokenSource(StaticToken(token)) }

// NewClient returns a Client. A token source (WithToken or WithTokenSource) is required.
func NewClient(opts ...Option) (*Client, error) {
	o := options{
		baseURL:   DefaultBaseURL,
		log:       zerolog.Nop(),
		sleep:     sleepCtx,
		now:       time.Now,
		userAgent: defaultUserAgent,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.tokens == nil {
		return nil, errors.New("webexapi: new client: no token source")
	}
	base, err := url.Parse(strings.TrimRight(o.baseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("webexapi: new client: bad base URL %q", o.baseURL)
	}
	if o.httpClient == nil {
		o.httpClient = defaultHTTPClient()
	}
	rc := resty.NewWithClient(withRedirectPolicy(o.httpClient, sameOriginRedirects)).
		SetLogger(restyLogger{o.log}).
		SetRetryCount(0) // retries are ours (retry.go)
	c := &Client{
		rc:        rc,
		base:      base,
		baseURL:   base.String(),
		tokens:    o.tokens,
		log:       o.log,
		retry:     o.retry.withDefaults(),
		sleep:     o.sleep,
		now:       o.now,
		userAgent: o.userAgent,
	}
	c.People = &PeopleService{c: c}
	c.Messages = &MessagesService{c: c}
	c.Rooms = &RoomsService{c: c}
	c.Memberships = &MembershipsService{c: c}
	c.AttachmentActions = &AttachmentActionsService{c: c}
	c.Webhooks = &WebhooksService{c: c}
	c.Meetings = &MeetingsService{c: c}
	c.MeetingInvitees = &MeetingInviteesService{c: c}
	return c, nil
}

// BaseURL returns the API root the client talks to, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Response is what the pipeline keeps of a successful answer once its body is decoded.
type Response struct {
	StatusCode int
	Header     http.Header
}

// do sends method to path (relative to the base URL, e.g. "/messages") with the query
// parameters and the JSON body (nil for none), and decodes a 2xx JSON answer into out (nil to
// discard). Failures are *APIError (Webex answered non-2xx) or transport/context errors.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) (*Response, error) {
	return c.doURL(ctx, method, c.url(path, query), body, out)
}

// url is the absolute URL of path (relative to the base URL) with query.
func (c *Client) url(path string, query url.Values) string {
	u := c.baseURL + "/" + strings.TrimLeft(path, "/")
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// doURL is do for an absolute URL (a pagination link, the device service, a conversation URL),
// through the same auth, retry and error pipeline. The bearer token is sent to that URL, so
// callers must only pass URLs that Webex itself handed out.
func (c *Client) doURL(ctx context.Context, method, absURL string, body, out any) (*Response, error) {
	return c.send(ctx, method, absURL, "application/json", body, out)
}

// send is doURL with the body's content type (PATCH /meetings wants application/json-patch+json).
func (c *Client) send(ctx context.Context, method, absURL, contentType string, body, out any) (*Response, error) {
	if ct := callTimeOf(ctx); ct != nil {
		start := time.Now()
		defer func() { ct.add(time.Since(start)) }()
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("encode %s body: %w", method, err)
		}
	}
	refreshed := false
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, method, absURL, contentType, payload, out)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized && !refreshed {
			if inv, ok := c.tokens.(Invalidator); ok {
				refreshed = true
				inv.Invalidate(apiErr.token)
				attempt-- // the retry after a refresh is not a retry of the failure
				continue
			}
		}
		wait, retry := c.retry.decide(method, attempt, err)
		if !retry {
			return nil, err
		}
		c.log.Debug().Str("method", method).Str("path", pathOf(absURL)).Int("attempt", attempt).
			Dur("wait", wait).Err(err).Msg("webex request retried")
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("%w (while waiting to retry: %w)", err, serr)
		}
	}
}

// once performs one attempt.
func (c *Client) once(ctx context.Context, method, absURL, contentType string, payload []byte, out any) (*Response, error) {
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, fmt.Errorf("get token: %w", err)
	}
	req := c.rc.R().
		SetContext(ctx).
		SetDoNotParseResponse(true).
		SetHeader("Authorization", "Bearer "+token).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", c.userAgent).
		SetHeader("TrackingID", "relais_"+uuid.NewString())
	if payload != nil {
		req.SetHeader("Content-Type", contentType).SetBody(payload)
	}
	resp, err := req.Execute(method, absURL)
	if err != nil {
		return nil, &transportError{method: method, path: pathOf(absURL), err: err}
	}
	raw := resp.RawBody()
	defer func() {
		// Drain what is left (an answer not decoded, up to 64 KiB) so the connection can be
		// reused, then close.
		_, _ = io.CopyN(io.Discard, raw, 64<<10)
		_ = raw.Close()
	}()
	status := resp.StatusCode()
	if status < 200 || status > 299 {
		b, _ := io.ReadAll(io.LimitReader(raw, maxErrorBody))
		e := newAPIError(method, pathOf(absURL), status, resp.Header(), b, c.now())
		e.token = token
		return nil, e
	}
	r := &Response{StatusCode: status, Header: resp.Header()}
	if out == nil || status == http.StatusNoContent {
		return r, nil
	}
	dec := json.NewDecoder(io.LimitReader(raw, maxBody))
	if err := dec.Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return r, nil // empty body: nothing to decode
		}
		return nil, fmt.Errorf("decode %s %s response: %w", method, pathOf(absURL), err)
	}
	return r, nil
}

// transportError is a failure to get any HTTP answer.
type transportError struct {
	method, path string
	err          error
}

func (e *transportError) Error() string {
	cause := e.err
	var ue *url.Error
	if errors.As(cause, &ue) {
		cause = ue.Err // *url.Error repeats the full URL, whose query may hold an e-mail
	}
	return fmt.Sprintf("webex %s %s: %v", e.method, e.path, cause)
}

func (e *transportError) Unwrap() error { return e.err }

// pathOf returns the path of a URL, without query (query strings may hold e-mail addresses).
func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "?"
	}
	return p.Path
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error { return backoff.Sleep(ctx, d) }

// restyLogger routes resty's own messages to zerolog (resty prints to stderr otherwise).
type restyLogger struct{ l zerolog.Logger }

func (r restyLogger) Errorf(format string, v ...any) { r.l.Error().Msgf("resty: "+format, v...) }
func (r restyLogger) Warnf(format string, v ...any)  { r.l.Warn().Msgf("resty: "+format, v...) }
func (r restyLogger) Debugf(format string, v ...any) { r.l.Debug().Msgf("resty: "+format, v...) }

// webexDomains are where Webex's own services live; the bot token is sent to URLs Webex hands
// out (device service, conversation service) only there, over https.
var webexDomains = []string{".webex.com", ".wbx2.com", ".ciscospark.com", ".webexapis.com"}

// trustedHost reports whether a URL found in Webex's data may receive the token: https on a
// Webex domain, or the configured API's own scheme and host (a fake, a proxy in tests).
func (c *Client) trustedHost(raw string) bool { return c.trusted(raw, false) }

// trustedWebsocket is trustedHost for a websocket URL: wss on a Webex domain, or the configured
// API's own host with the websocket form of its scheme (ws for http, wss for https).
func (c *Client) trustedWebsocket(raw string) bool { return c.trusted(raw, true) }

func (c *Client) trusted(raw string, websocket bool) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	scheme := u.Scheme
	if websocket {
		switch scheme {
		case "wss":
			scheme = "https"
		case "ws":
			scheme = "http"
		default:
			return false
		}
	} else if scheme != "http" && scheme != "https" {
		return false
	}
	if c.base != nil && scheme == c.base.Scheme && strings.EqualFold(u.Host, c.base.Host) {
		return true
	}
	if scheme != "https" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, d := range webexDomains {
		if strings.HasSuffix(host, d) || host == d[1:] {
			return true
		}
	}
	return false
}

// sameOriginRedirects is the CheckRedirect of every client that sends the token: a redirect is
// followed only to the same scheme and host, so the token never goes elsewhere or in clear.
func sameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host) {
		return fmt.Errorf("redirect to another origin (%s://%s) refused: the token goes only to the host it was meant for", req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// noRedirects is the CheckRedirect of the token refresh: its body holds the client secret and
// the refresh token, and is never sent again to wherever a redirect points.
func noRedirects(req *http.Request, _ []*http.Request) error {
	return fmt.Errorf("the token endpoint redirected to %s://%s%s: refused (the refresh is never sent twice)", req.URL.Scheme, req.URL.Host, req.URL.Path)
}

// withRedirectPolicy returns a copy of hc whose redirects follow policy; the caller's client is
// left as it was.
func withRedirectPolicy(hc *http.Client, policy func(*http.Request, []*http.Request) error) *http.Client {
	cp := *hc
	cp.CheckRedirect = policy
	return &cp
}
