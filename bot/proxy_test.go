package bot_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// proxyHost is the name the fake answers to in the proxy test. It is not loopback (Go never
// proxies loopback addresses) and never resolves: only the proxy can reach it.
const proxyHost = "webex.invalid"

// recordingProxy is a forward proxy that serves proxyHost from a local address: plain HTTP
// requests in absolute form are forwarded, CONNECT opens a tunnel. It records what it saw.
type recordingProxy struct {
	target string // host:port where proxyHost really is
	mu     sync.Mutex
	seen   []string
}

func (p *recordingProxy) record(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, s)
}

func (p *recordingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func (p *recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.record("CONNECT " + r.Host)
		if h, _, _ := net.SplitHostPort(r.Host); h != proxyHost {
			http.Error(w, "unknown host", http.StatusBadGateway)
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		hj, ok := w.(http.Hijacker)
		if !ok {
			up.Close()
			http.Error(w, "no hijack", http.StatusInternalServerError)
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			up.Close()
			return
		}
		_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		go func() {
			_, _ = io.Copy(up, buf)
			up.Close()
		}()
		go func() {
			_, _ = io.Copy(conn, up)
			conn.Close()
		}()
		return
	}
	p.record(r.Method + " " + r.URL.Scheme + "://" + r.URL.Host + r.URL.Path)
	if r.URL.Hostname() != proxyHost {
		http.Error(w, "not a proxy request for "+proxyHost, http.StatusBadGateway)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Host = p.target
	out.Header.Del("Proxy-Connection")
	resp, err := (&http.Transport{Proxy: nil}).RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// TestProxyHonouredByRESTAndWebsocket runs the bot in a child process whose environment
// names a proxy (http.ProxyFromEnvironment reads the environment once per process), against
// a fake Webex that only the proxy can reach: the REST calls and the websocket dial must go
// through it for the bot to answer at all.
func TestProxyHonouredByRESTAndWebsocket(t *testing.T) {
	t.Parallel()
	if os.Getenv("RELAIS_PROXY_CHILD") != "" {
		t.Skip("in the child")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestProxyChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "RELAIS_PROXY_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child output:\n%s", out)
	require.Contains(t, string(out), "--- PASS: TestProxyChild", "child output:\n%s", out)
}

func TestProxyChild(t *testing.T) {
	if os.Getenv("RELAIS_PROXY_CHILD") == "" {
		t.Skip("run by TestProxyHonouredByRESTAndWebsocket in a process of its own")
	}
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now})
	proxy := &recordingProxy{target: strings.TrimPrefix(fake.URL(), "http://")}
	ps := httptest.NewServer(proxy)
	t.Cleanup(ps.Close)
	// Every URL the fake hands out (device service, websocket, REST lookups) names proxyHost.
	fake.SetURL("http://" + proxyHost)

	// Before anything reads the proxy environment in this process.
	for k, v := range map[string]string{"HTTP_PROXY": ps.URL, "HTTPS_PROXY": ps.URL, "NO_PROXY": "", "http_proxy": "", "https_proxy": "", "no_proxy": ""} {
		require.NoError(t, os.Setenv(k, v))
	}

	h := newHarness(t, harnessOptions{fake: fake})
	r := h.dm(alex, "aide")
	require.NotEmpty(t, r, "the bot answered through the proxy")

	seen := proxy.requests()
	assert.Contains(t, seen, "GET http://"+proxyHost+"/v1/people/me", "REST through HTTP_PROXY")
	assert.Contains(t, seen, "GET http://"+proxyHost+"/u2c/api/v1/catalog", "the catalog through HTTP_PROXY")
	assert.Contains(t, seen, "CONNECT "+proxyHost+":80", "the websocket dial tunnels through the proxy")
	assert.Contains(t, seen, "POST http://"+proxyHost+"/v1/messages", "the reply through HTTP_PROXY")

	// https URLs go through HTTPS_PROXY: the REST client asks the proxy for a tunnel (the
	// TLS handshake then fails against the plain fake, which does not matter here).
	c, err := webexapi.NewClient(webexapi.WithBaseURL("https://"+proxyHost+"/v1"), webexapi.WithToken("t"),
		webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err = c.People.Me(ctx)
	require.Error(t, err)
	assert.False(t, errors.Is(err, context.DeadlineExceeded), "the tunnel was answered: %v", err)
	assert.Contains(t, proxy.requests(), "CONNECT "+proxyHost+":443", "https REST through HTTPS_PROXY")
}
