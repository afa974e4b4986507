package webexapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relaisbot/relais/webexapi"
)

// Fuzz targets for the answers Webex sends that have no decoder test of their own: the OAuth
// token endpoint, the service catalog and device list, card submissions, meetings, people,
// and webhook signature headers. Every answer is served in memory by a RoundTripper.

type cannedTransport struct {
	status int
	body   []byte
	header http.Header
}

func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h := c.header
	if h == nil {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	return &http.Response{StatusCode: c.status, Status: http.StatusText(c.status), Header: h,
		Body: io.NopCloser(bytes.NewReader(c.body)), Request: r}, nil
}

func cannedClient(t *testing.T, status int, body []byte) *webexapi.Client {
	t.Helper()
	c, err := webexapi.NewClient(webexapi.WithBaseURL("https://webexapis.test/v1"), webexapi.WithToken("t"),
		webexapi.WithHTTPClient(&http.Client{Transport: cannedTransport{status: status, body: body}}),
		webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fuzzStatus(s uint16) int { return 200 + int(s)%400 }

func FuzzRefreshTokenResponse(f *testing.F) {
	f.Add(uint16(0), []byte(`{"access_token":"A","expires_in":1209599,"refresh_token":"R","refresh_token_expires_in":7775999,"token_type":"Bearer"}`))
	f.Add(uint16(0), []byte(`{"access_token":"","expires_in":-5}`))
	f.Add(uint16(0), []byte(`{"access_token":"A","expires_in":9223372036854775807}`))
	f.Add(uint16(200), []byte(`{"message":"invalid_grant","errors":[{"description":"The refresh token is invalid or expired."}]}`))
	f.Add(uint16(0), []byte(`[1,2`))
	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		now := time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC)
		rt, err := webexapi.NewRefreshingToken(webexapi.RefreshConfig{
			TokenURL: "https://webexapis.test/v1/access_token", ClientID: "id", ClientSecret: "secret", RefreshToken: "r",
			HTTPClient: &http.Client{Transport: cannedTransport{status: fuzzStatus(status), body: body}},
			Now:        func() time.Time { return now },
		})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := rt.Token(context.Background())
		if err == nil && tok == "" {
			t.Fatal("an empty access token accepted")
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Fatalf("error quotes the client secret: %v", err)
		}
	})
}

func FuzzDeviceServiceAnswers(f *testing.F) {
	f.Add([]byte(`{"serviceLinks":{"wdm":"https://wdm-a.wbx2.com/wdm/api/v1"}}`))
	f.Add([]byte(`{"serviceLinks":{"wdm":"javascript:alert(1)"}}`))
	f.Add([]byte(`{"serviceLinks":null}`))
	f.Add([]byte(`{"devices":[{"url":"https://wdm/x","webSocketUrl":"wss://mercury/x","name":"relais"}]}`))
	f.Add([]byte(`{"devices":[{"url":"","webSocketUrl":"ftp://x"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := cannedClient(t, http.StatusOK, body)
		d := webexapi.NewDevices(c, webexapi.DevicesConfig{CatalogURL: "https://u2c.test/u2c/api/v1/catalog"})
		if u, err := d.ServiceURL(context.Background()); err == nil && !strings.HasPrefix(u, "http") {
			t.Fatalf("unusable device service %q accepted", u)
		}
		d = webexapi.NewDevices(c, webexapi.DevicesConfig{ServiceURL: "https://wdm.test/wdm/api/v1"})
		_, _ = d.List(context.Background())
		_, _, _ = d.Ensure(context.Background(), webexapi.NewDeviceRequest("relais"))
	})
}

func FuzzAttachmentActionDecode(f *testing.F) {
	f.Add([]byte(`{"id":"A","type":"submit","messageId":"M","inputs":{"choice":"2","note":"x"}}`))
	f.Add([]byte(`{"id":"A","inputs":{"choice":2,"nested":{"a":[1,2]}}}`))
	f.Add([]byte(`{"inputs":null}`))
	f.Add([]byte(`{"inputs":"text"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := cannedClient(t, http.StatusOK, body).AttachmentActions.Get(context.Background(), "A")
		if err != nil {
			return
		}
		for _, k := range []string{"choice", "note", "", "nested"} {
			_ = a.InputString(k)
		}
	})
}

func FuzzMeetingDecode(f *testing.F) {
	f.Add([]byte(`{"id":"m1","meetingNumber":"1296477859","title":"T","password":"p","hostKey":"123456","start":"2026-06-17T14:00:00-04:00","end":"2026-06-17T15:00:00-04:00","webLink":"https://x","telephony":{"accessCode":"1296477859","callInNumbers":[{"label":"Canada","callInNumber":"+1-416-915-6530","tollType":"toll"}]}}`))
	f.Add([]byte(`{"start":"not a time","telephony":null}`))
	f.Add([]byte(`{"items":[{"id":"m1"},null]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := cannedClient(t, http.StatusOK, body)
		if m, err := c.Meetings.Get(context.Background(), "m1", nil); err == nil {
			_ = m.StartTime()
			_ = m.EndTime()
		}
		if p, err := c.Meetings.List(context.Background(), &webexapi.MeetingListOptions{Max: 1}); err == nil {
			for _, m := range p.Items {
				_ = m.StartTime()
			}
		}
		if p, err := c.People.Me(context.Background()); err == nil {
			_ = p.Email()
		}
	})
}

func FuzzWebhookSignature(f *testing.F) {
	body := []byte(`{"id":"W","resource":"messages","event":"created","data":{"id":"M"}}`)
	good := webexapi.SignWebhook([]byte("s3cret"), body)
	f.Add(good, "")
	f.Add("", "SHA-256=00, SHA-512=zz")
	f.Add(" "+good+" ", "sha-256=")
	f.Add("", ",,,=,SHA-512="+strings.Repeat("0", 128))
	f.Fuzz(func(t *testing.T, spark, webexSig string) {
		h := http.Header{}
		h.Set(webexapi.HeaderSparkSignature, spark)
		h.Set(webexapi.HeaderWebexSignature, webexSig)
		ok := webexapi.VerifyWebhookSignature([]byte("s3cret"), body, h)
		if ok && strings.TrimSpace(spark) != good && !strings.Contains(strings.ToUpper(webexSig), "SHA-") {
			t.Fatalf("accepted a forged signature %q / %q", spark, webexSig)
		}
		if webexapi.VerifyWebhookSignature(nil, body, h) {
			t.Fatal("an empty secret verifies")
		}
		if webexapi.VerifyWebhookSignature([]byte("other"), body, h) && strings.TrimSpace(spark) == good {
			t.Fatal("a signature made with another secret verifies")
		}
	})
}
