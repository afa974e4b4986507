package webextest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// decodeBody must accept, store and refuse exactly what a json.Decoder on the body did.
func TestDecodeBodyBehavesAsTheDecoder(t *testing.T) {
	type target struct {
		RoomID      string          `json:"roomId"`
		Text        string          `json:"text"`
		Files       []string        `json:"files"`
		N           *int            `json:"n"`
		Attachments json.RawMessage `json:"attachments"`
	}
	bodies := []string{
		``, ` `, `{}`, ` {"roomId":"r","text":"t"} `, `{"roomId":"r"} {"text":"second"}`,
		`{"roomId":"r"} trailing`, `{"roomId":"r"`, `{"roomId":1}`, `{"n":"x","text":"kept?"}`,
		`{"text":"a"}}`, `null`, `[]`, `"s"`, `{"attachments":[{"a":1}],"files":["f"]}`,
		`{"text":"\u00e9\ud800"}`, "{\"text\":\"\xff\"}", `{"n":1e400}`, `{"roomId":"r"}` + strings.Repeat(" ", 2<<20),
		`{"roomId":"` + strings.Repeat("x", 2<<20) + `"}`, strings.Repeat("[", 20000),
	}
	for _, size := range []int{maxBufferedBody, maxBufferedBody + 1, 1<<20 - 1, 1 << 20, 1<<20 + 1} { // around the limits
		bodies = append(bodies, `{"roomId":"r"}`+strings.Repeat(" ", size-len(`{"roomId":"r"}`)),
			`{"roomId":"`+strings.Repeat("x", size-len(`{"roomId":""}`))+`"}`)
	}
	reference := func(w http.ResponseWriter, r *http.Request, v any) bool {
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		if err := dec.Decode(v); err != nil {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid JSON body: "+err.Error())
			return false
		}
		return true
	}
	run := func(decode func(http.ResponseWriter, *http.Request, any) bool, body string) (bool, target, int, string) {
		var v target
		rec := httptest.NewRecorder()
		rec.Header().Set("Trackingid", "T")
		ok := decode(rec, httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(body)), &v)
		return ok, v, rec.Code, rec.Body.String()
	}
	for _, body := range bodies {
		name := body
		if len(name) > 40 {
			name = name[:40]
		}
		okWant, vWant, codeWant, errWant := run(reference, body)
		okGot, vGot, codeGot, errGot := run(decodeBody, body)
		if okGot != okWant || codeGot != codeWant || errGot != errWant {
			t.Errorf("%q: got %v %d %s, want %v %d %s", name, okGot, codeGot, errGot, okWant, codeWant, errWant)
		}
		gotJSON, _ := json.Marshal(vGot)
		wantJSON, _ := json.Marshal(vWant)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("%q: stored %s, want %s", name, gotJSON, wantJSON)
		}
	}
}

// Over a real connection, a body past the limit is refused, or not, as before, and the
// connection is closed after the answer, or not, as before (net/http closes it when the limit
// is hit or over 256 KB of the body are left unread).
func TestDecodeBodyOverHTTPBehavesAsTheDecoder(t *testing.T) {
	reference := func(w http.ResponseWriter, r *http.Request, v any) bool {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid JSON body: "+err.Error())
			return false
		}
		return true
	}
	serve := func(decode func(http.ResponseWriter, *http.Request, any) bool) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Trackingid", "T")
			var v struct {
				RoomID string `json:"roomId"`
			}
			if decode(w, r, &v) {
				writeJSON(w, http.StatusOK, v)
			}
		}))
	}
	want, got := serve(reference), serve(decodeBody)
	defer want.Close()
	defer got.Close()
	post := func(url, body string) (int, string, string) {
		resp, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return resp.StatusCode, strconv.FormatBool(resp.Close), b.String() // Close: "Connection: close"
	}
	for _, body := range []string{
		`{"roomId":"r"}`,
		`{"roomId":"r"}` + strings.Repeat(" ", 2<<20),
		`{"roomId":"` + strings.Repeat("x", 2<<20) + `"}`,
		`{"roomId":"r"}` + strings.Repeat(" ", 1<<20-len(`{"roomId":"r"}`)),
		`{"roomId":"r"}` + strings.Repeat(" ", 300<<10),
		`{"roomId":"r"}` + strings.Repeat("x", 300<<10),
		`{"roomId":"r"}` + strings.Repeat(" ", maxBufferedBody-len(`{"roomId":"r"}`)),
		`{"roomId":"r"}` + strings.Repeat(" ", maxBufferedBody+1-len(`{"roomId":"r"}`)),
	} {
		c1, h1, b1 := post(want.URL, body)
		c2, h2, b2 := post(got.URL, body)
		if c1 != c2 || h1 != h2 || b1 != b2 {
			t.Errorf("%d-byte body: got %d %q %.80s, want %d %q %.80s", len(body), c2, h2, b2, c1, h1, b1)
		}
	}
}
