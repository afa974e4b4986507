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

// maxBufferedBody is the largest request body decodeBody reads into a pooled buffer.
const maxBufferedBody = 32 << 10

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
	tid := answerTrackingID(w)
	if len(details) == 0 {
		details = []string{message}
	}
	e := apiError{Message: message, TrackingID: tid}
	for _, d := range details {
		e.Errors = append(e.Errors, errorDetail{Description: d})
	}
	writeJSON(w, status, e)
}

// answerTrackingID is the answer's Trackingid (set by the middleware), given one if it has none:
// an error body repeats it.
func answerTrackingID(w http.ResponseWriter) string {
	tid := w.Header().Get("Trackingid")
	if tid == "" {
		tid = trackingID()
		w.Header().Set("Trackingid", tid)
	}
	return tid
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
// What it accepts, how it words errors and how much of the body it leaves unread (net/http
// closes the connection after an answer when over 256 KB are left) are those of a
// json.Decoder reading the body: the first JSON value is taken, what follows it ignored. A
// body of known length up to 32 KB (every client request) is read whole into a pooled buffer;
// when it is exactly one JSON value, json.Unmarshal decodes it with the same result, without
// the decoder's growing buffer. Any other small body goes through a json.Decoder reading the
// same bytes, then the read error if any; a larger body or one of unknown length, through a
// json.Decoder reading the body as it comes, as before.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	body := http.MaxBytesReader(w, r.Body, 1<<20)
	var err error
	if n := r.ContentLength; n < 0 || n > maxBufferedBody {
		err = json.NewDecoder(body).Decode(v)
	} else {
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer func() {
			if buf.Cap() <= maxPooledBuf {
				bufPool.Put(buf)
			}
		}()
		var syntax *json.SyntaxError
		if _, rerr := buf.ReadFrom(body); rerr != nil {
			// The body fails its next reads with rerr again, as the decoder would have seen.
			err = json.NewDecoder(io.MultiReader(bytes.NewReader(buf.Bytes()), body)).Decode(v)
		} else if err = json.Unmarshal(buf.Bytes(), v); errors.As(err, &syntax) {
			// Unmarshal checks the whole body before it stores anything: v is untouched, and
			// the decoder gives its own verdict (it ignores what follows a first value).
			err = json.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(v)
		}
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid JSON body: "+err.Error())
		return false
	}
	return true
}
