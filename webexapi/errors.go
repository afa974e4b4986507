package webexapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrorDetail is one entry of a Webex error body's "errors" array.
type ErrorDetail struct {
	Description string `json:"description"`
}

// APIError is a non-2xx answer from Webex. Find it with errors.As, or use IsNotFound and friends.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is the body's "message", or a short excerpt of a non-JSON body, or the status text.
	Message string
	// Errors are the body's "errors[].description" entries.
	Errors []ErrorDetail
	// TrackingID is Webex's tracking id (body "trackingId", else the Trackingid header); quote it
	// to Webex support.
	TrackingID string
	// RetryAfter is the Retry-After header's delay (429, 503, 423), zero when absent.
	RetryAfter time.Duration
	// Method and Path of the request (no query string).
	Method, Path string

	token string // the bearer token used, to invalidate exactly that one on 401; never printed
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "webex %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Message != "" {
		b.WriteString(" ")
		b.WriteString(e.Message)
	}
	for _, d := range e.Errors {
		if d.Description != "" && d.Description != e.Message {
			b.WriteString("; ")
			b.WriteString(d.Description)
		}
	}
	if e.TrackingID != "" {
		b.WriteString(" (trackingId ")
		b.WriteString(e.TrackingID)
		b.WriteString(")")
	}
	return b.String()
}

// IsStatus reports whether err is an *APIError with that HTTP status.
func IsStatus(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == status
}

// IsNotFound reports whether err is a Webex 404.
func IsNotFound(err error) bool { return IsStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is a Webex 401 (bad or expired token).
func IsUnauthorized(err error) bool { return IsStatus(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is a Webex 403 (e.g. a bot token on /meetings).
func IsForbidden(err error) bool { return IsStatus(err, http.StatusForbidden) }

// IsBadRequest reports whether err is a Webex 400 (validation failure).
func IsBadRequest(err error) bool { return IsStatus(err, http.StatusBadRequest) }

// IsRateLimited reports whether err is a Webex 429.
func IsRateLimited(err error) bool { return IsStatus(err, http.StatusTooManyRequests) }

// newAPIError builds an APIError from a (capped) error body, JSON or not.
func newAPIError(method, path string, status int, h http.Header, body []byte, now time.Time) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
	var wire struct {
		Message    string        `json:"message"`
		Errors     []ErrorDetail `json:"errors"`
		TrackingID string        `json:"trackingId"`
	}
	if len(body) > 0 && json.Unmarshal(body, &wire) == nil {
		e.Message, e.Errors, e.TrackingID = wire.Message, wire.Errors, wire.TrackingID
	} else if len(body) > 0 {
		e.Message = excerpt(body)
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if e.TrackingID == "" {
		e.TrackingID = h.Get("Trackingid")
	}
	e.RetryAfter = parseRetryAfter(h.Get("Retry-After"), now)
	return e
}

// excerpt turns a non-JSON body (often HTML) into a short single line of text.
func excerpt(b []byte) string {
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	// Strip tags crudely: good enough for an error message.
	var out strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			out.WriteByte(' ')
		case !in:
			out.WriteRune(r)
		}
	}
	s = strings.Join(strings.Fields(out.String()), " ")
	const max = 200
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date. Zero if absent/bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		if s > int64(1<<62/time.Second) { // absurd: avoid overflow, treat as "very long"
			return time.Duration(1 << 62)
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
