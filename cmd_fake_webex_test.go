package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestFakeWebexPrintsItsEnvironmentAndServes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "people.json")
	require.NoError(t, os.WriteFile(dir, []byte(`[{"email":"zoe@example.com","displayName":"Zoé Roy","firstName":"Zoé","lastName":"Roy","timezone":"America/Toronto"}]`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- runFakeWebex(ctx, []string{"--addr", "127.0.0.1:0", "--directory", dir, "--bot-token", "B", "--meetings-token", "M"}, nil, pw, io.Discard)
		pw.Close()
	}()
	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(env) < 6 && sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		require.True(t, ok, sc.Text())
		env[k] = v
	}
	require.Equal(t, "B", env["WEBEX_BOT_TOKEN"])
	require.Equal(t, "M", env["WEBEX_MEETINGS_TOKEN"])
	require.NotContains(t, env["WEBEX_API_URL"], ":0/")
	require.True(t, strings.HasSuffix(env["WEBEX_CATALOG_URL"], "/u2c/api/v1/catalog"))
	require.Equal(t, webextest.IntegrationClientID, env["WEBEX_INTEGRATION_CLIENT_ID"])
	require.Equal(t, webextest.IntegrationClientSecret, env["WEBEX_INTEGRATION_CLIENT_SECRET"])

	req, err := http.NewRequest("GET", env["WEBEX_API_URL"]+"/people?email=zoe@example.com", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer B")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(body), "Zoé Roy")

	cancel()
	require.Equal(t, 0, <-done)
}

func TestFakeWebexRejectsBadArguments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	require.Equal(t, 2, runFakeWebex(ctx, []string{"--nope"}, nil, io.Discard, io.Discard))
	require.Equal(t, 2, runFakeWebex(ctx, []string{"extra"}, nil, io.Discard, io.Discard))
	require.Equal(t, 1, runFakeWebex(ctx, []string{"--directory", "/does/not/exist.json", "--addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard))
	require.Equal(t, 1, runFakeWebex(ctx, []string{"--addr", "not-an-address"}, nil, io.Discard, io.Discard))
}
