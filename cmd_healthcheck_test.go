package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHealthURLFromAdminAddr(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"":               "http://127.0.0.1:9090/healthz",
		":9090":          "http://127.0.0.1:9090/healthz",
		"0.0.0.0:9191":   "http://127.0.0.1:9191/healthz",
		"[::]:9090":      "http://[::1]:9090/healthz",
		"10.0.0.5:9090":  "http://10.0.0.5:9090/healthz",
		"localhost:9999": "http://localhost:9999/healthz",
	} {
		got, err := healthURL(addr)
		require.NoError(t, err, addr)
		assert.Equal(t, want, got, addr)
	}
	_, err := healthURL("9090")
	assert.Error(t, err)
}

func TestHealthcheckExitStatus(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	assert.Equal(t, 0, healthcheckMain(context.Background(), addr, nil, io.Discard), "200 from RELAIS_ADMIN_ADDR")
	assert.Equal(t, 0, healthcheckMain(context.Background(), "", []string{"--url", srv.URL + "/healthz"}, io.Discard), "200 from --url")
	assert.Equal(t, 1, healthcheckMain(context.Background(), "", []string{"--url", srv.URL + "/readyz"}, io.Discard), "404")
	status.Store(http.StatusServiceUnavailable)
	assert.Equal(t, 1, healthcheckMain(context.Background(), addr, nil, io.Discard), "503")
	srv.Close()
	assert.Equal(t, 1, healthcheckMain(context.Background(), addr, nil, io.Discard), "nothing listening")
	assert.Equal(t, 2, healthcheckMain(context.Background(), "nonsense", nil, io.Discard), "bad RELAIS_ADMIN_ADDR")
	assert.Equal(t, 2, healthcheckMain(context.Background(), addr, []string{"extra"}, io.Discard), "bad arguments")
}
