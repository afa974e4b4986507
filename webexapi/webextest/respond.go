package webextest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// contentTypeJSON is the media type Webex answers JSON with.
const contentTypeJSON = "application/json;charset=UTF-8"

// apiError is Webex's error body.
type apiError struct {
	Message    string        `json:"message"`
	Errors     []errorDetail `json:"errors"`
	TrackingID string        `json:"trackingId"`
}

type errorDetail struct {
	Description string `json:"description"`
}

// bufPool recycles the buffers responses are encoded into.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuf is the largest buffer put back in bufPool (a huge list is not kept).
const maxPooledBuf = 64 << 10

// writeJSON writes v with the given status and a Trackingid header.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuf {
			bufPool.Put(buf)
		}
	}()
	// An Encoder writes what json.Marshal returns (HTML-escaped) plus a newline, dropped
	// below; it saves Marshal's copy of the result.
	var body []byte
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"message":"encoding failed","errors":[],"trackingId":""}`)
	} else {
		body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	h := w.Header()
	h.Set("Content-Type", contentTypeJSON)
	if h.Get("Trackingid") == "" {
		h.Set("Trackingid", trackingID())
	}
	// The length is known: net/http need not chunk a body beyond its 2 KB buffer, which
	// costs a write system call more per answer.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError writes a Webex error body; the details become errors[].description (the message
// itself when none is given).
func writeError(w http.ResponseWriter, status int, message string, details ...string) {
	tid := w.Header().Get("Trackingid")
	if tid == "" {
		tid = trackingID()
		w.Header().Set("Trackingid", tid)
	}
	if len(details) == 0 {
		details = []string{message}
	}
	e := apiError{Message: message, TrackingID: tid}
	for _, d := range details {
		e.Errors = append(e.Errors, errorDetail{Description: d})
	}
	writeJSON(w, status, e)
}

// Common error messages, worded like Webex's.
const (
	msgNotFound     = "The requested resource could not be found."
	msgUnauthorized = "The request requires a valid access token set in the Authorization request header."
	msgForbidden    = "The request is understood, but it has been refused or access is not allowed."
	msgBadRequest   = "The request could not be understood by the server due to malformed syntax."
	msgInvalidInput = "The input parameters contain invalid items."
)

// decodeBody reads a JSON body (at most 1 MiB) into v; it writes a 400 and returns false on
// failure.
//
// What it accepts and how it words errors are those of a json.Decoder reading the body: the
// first JSON value is taken, what follows it ignored. The body is read into a pooled buffer
// first; when it ends below the limit and is exactly one JSON value (all clients send that),
// json.Unmarshal decodes it with the same result, without the decoder's growing buffer. Any
// other body goes through a json.Decoder reading the same bytes, then the rest of the body.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	const limit = 1 << 20
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuf {
			bufPool.Put(buf)
		}
	}()
	body := http.MaxBytesReader(w, r.Body, limit)
	// The LimitReader never asks for the byte past the limit, so the body is refused as too
	// large only if the decoder, below, reads on to it.
	_, rerr := buf.ReadFrom(io.LimitReader(body, limit))
	var err error
	var syntax *json.SyntaxError
	if rerr == nil && buf.Len() < limit {
		// Unmarshal checks the whole body before it stores anything: after a syntax error v
		// is untouched, and the decoder gives its own verdict.
		if err = json.Unmarshal(buf.Bytes(), v); errors.As(err, &syntax) {
			err = json.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(v)
		}
	} else {
		// A read error (the body returns it again) or a body that may go on past the limit.
		err = json.NewDecoder(io.MultiReader(bytes.NewReader(buf.Bytes()), body)).Decode(v)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid JSON body: "+err.Error())
		return false
	}
	return true
}
