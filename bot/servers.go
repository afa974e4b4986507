package bot

import (
	"errors"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// ServerLimits bound what one client can hold of the webhook receiver and the admin server: a
// slow or stalled client is cut off, and connections beyond MaxConns wait in the kernel's
// backlog instead of each taking a goroutine and a buffer. Zero fields take the defaults.
type ServerLimits struct {
	// ReadHeaderTimeout bounds the time to send the request headers (default 5 s).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the time to send the whole request, body included (default 15 s;
	// Webex posts a few kilobytes).
	ReadTimeout time.Duration
	// WriteTimeout bounds the time to answer (default 30 s: a /metrics scrape, a /readyz check).
	WriteTimeout time.Duration
	// IdleTimeout closes a kept-alive connection with no request (default 60 s).
	IdleTimeout time.Duration
	// MaxConns caps the connections served at once (default 128).
	MaxConns int
	// MaxHeaderBytes caps the request headers (default 32 KiB).
	MaxHeaderBytes int
}

func (l ServerLimits) withDefaults() ServerLimits {
	if l.ReadHeaderTimeout <= 0 {
		l.ReadHeaderTimeout = 5 * time.Second
	}
	if l.ReadTimeout <= 0 {
		l.ReadTimeout = 15 * time.Second
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = 30 * time.Second
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = 60 * time.Second
	}
	if l.MaxConns <= 0 {
		l.MaxConns = 128
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = 32 << 10
	}
	return l
}

// serve listens on addr and serves h within limits in the background; errors after the start
// go to errc.
func serve(addr string, h http.Handler, limits ServerLimits, errc chan<- error) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	return serveOn(ln, h, limits, errc), ln.Addr().String(), nil
}

// serveOn is serve on a listener already open.
func serveOn(ln net.Listener, h http.Handler, limits ServerLimits, errc chan<- error) *http.Server {
	srv := newServer(h, limits)
	limited := netutil.LimitListener(ln, limits.withDefaults().MaxConns)
	go func() {
		if err := srv.Serve(limited); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	return srv
}

// newServer is an http.Server for h with limits' timeouts.
func newServer(h http.Handler, limits ServerLimits) *http.Server {
	l := limits.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}
