package webexapi_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"hash"
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

// assertRoundTrip checks that v, decoded from a Webex answer, encodes to JSON that decodes
// (through decode, the same client path) to a value with the same encoding: nothing is lost or
// changed between decoding and encoding.
func assertRoundTrip(t *testing.T, v any, decode func(body []byte) (any, error)) {
	t.Helper()
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("a decoded answer does not encode: %v", err)
	}
	back, err := decode(first)
	if err != nil {
		t.Fatalf("the encoding of a decoded answer does not decode: %v\n%s", err, first)
	}
	second, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("decode then encode is not stable:\n%s\n%s", first, second)
	}
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
		get := func(body []byte) (any, error) {
			return cannedClient(t, http.StatusOK, body).AttachmentActions.Get(context.Background(), "A")
		}
		a, err := cannedClient(t, http.StatusOK, body).AttachmentActions.Get(context.Background(), "A")
		if err != nil {
			return
		}
		for _, k := range []string{"choice", "note", "", "nested"} {
			_ = a.InputString(k)
		}
		assertRoundTrip(t, a, get)
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
			assertRoundTrip(t, m, func(body []byte) (any, error) {
				return cannedClient(t, http.StatusOK, body).Meetings.Get(context.Background(), "m1", nil)
			})
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

// macHex is hex(HMAC-hash(secret, body)), computed here independently of the receiver.
func macHex(newHash func() hash.Hash, secret, body []byte) string {
	m := hmac.New(newHash, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// genuineSignature is the specification VerifyWebhookSignature must follow, written from
// FACTS.md and not from the receiver: X-Spark-Signature is the HMAC-SHA1 of the body, or
// X-Webex-Signature lists « SHA-256=<hex> » / « SHA-512=<hex> » entries separated by commas,
// one of which is the matching HMAC. Hex case and surrounding spaces do not matter.
func genuineSignature(secret, body []byte, spark, webex string) bool {
	if len(secret) == 0 {
		return false
	}
	if strings.ToLower(strings.TrimSpace(spark)) == macHex(sha1.New, secret, body) {
		return true
	}
	for _, part := range strings.Split(webex, ",") {
		alg, sig, _ := strings.Cut(part, "=")
		sig = strings.ToLower(strings.TrimSpace(sig))
		switch strings.ToUpper(strings.TrimSpace(alg)) {
		case "SHA-256":
			if sig == macHex(sha256.New, secret, body) {
				return true
			}
		case "SHA-512":
			if sig == macHex(sha512.New, secret, body) {
				return true
			}
		}
	}
	return false
}

// FuzzWebhookSignature: a signature is accepted only when it is the body's HMAC under the
// secret, through X-Spark-Signature (SHA-1) or X-Webex-Signature (SHA-256, SHA-512): a forged,
// truncated, mislabelled or other-secret signature never verifies; and a genuine entry always
// verifies, whatever else the headers carry.
func FuzzWebhookSignature(f *testing.F) {
	body := []byte(`{"id":"W","resource":"messages","event":"created","data":{"id":"M"}}`)
	secret := []byte("s3cret")
	s1, s256, s512 := macHex(sha1.New, secret, body), macHex(sha256.New, secret, body), macHex(sha512.New, secret, body)
	o256, o512 := macHex(sha256.New, []byte("other"), body), macHex(sha512.New, []byte("other"), body)
	f.Add(s1, "")
	f.Add(" "+strings.ToUpper(s1)+" ", "")
	f.Add("", "SHA-256="+s256)
	f.Add("", "sha-512="+s512)
	f.Add("", "SHA-1="+s1+", SHA-256="+s256[:62]+", SHA-512="+s512+"00")
	f.Add("", "SHA-512="+s256+", SHA-256="+s512) // mislabelled
	f.Add("", "SHA-256="+o256+",SHA-512="+o512)  // another secret
	f.Add(s256, "SHA-256 ="+s256)
	f.Add("", "SHA-256=00, SHA-512=zz")
	f.Add("", ",,,=,SHA-512="+strings.Repeat("0", 128))
	f.Fuzz(func(t *testing.T, spark, webexSig string) {
		h := http.Header{}
		h.Set(webexapi.HeaderSparkSignature, spark)
		h.Set(webexapi.HeaderWebexSignature, webexSig)
		for _, key := range [][]byte{secret, []byte("other"), nil} {
			if webexapi.VerifyWebhookSignature(key, body, h) && !genuineSignature(key, body, spark, webexSig) {
				t.Fatalf("secret %q: forged X-Spark-Signature %q / X-Webex-Signature %q verified", key, spark, webexSig)
			}
		}
		for _, genuine := range []string{"SHA-256=" + s256, "SHA-512=" + s512} {
			h.Set(webexapi.HeaderWebexSignature, webexSig+","+genuine)
			if !webexapi.VerifyWebhookSignature(secret, body, h) {
				t.Fatalf("genuine %s refused after X-Webex-Signature %q", genuine[:7], webexSig)
			}
		}
		h.Set(webexapi.HeaderSparkSignature, s1)
		if !webexapi.VerifyWebhookSignature(secret, body, h) {
			t.Fatalf("genuine X-Spark-Signature refused (X-Webex-Signature %q)", webexSig)
		}
	})
}
