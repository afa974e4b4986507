package webextest

import (
	"encoding/json"
	"net/http"
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

// writeJSON writes v with the given status and a Trackingid header.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"message":"encoding failed","errors":[],"trackingId":""}`)
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	if w.Header().Get("Trackingid") == "" {
		w.Header().Set("Trackingid", trackingID())
	}
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
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid JSON body: "+err.Error())
		return false
	}
	return true
}
