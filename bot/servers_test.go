package bot

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Slow clients (headers, then a byte now and then) are cut off by the read timeout, and no more
// than MaxConns of them are served at once: goroutines do not pile up. The timeouts are short so
// that the test waits for the server's decisions, not for a clock.
func TestSlowClientsCannotPileUpConnections(t *testing.T) {
	limits := ServerLimits{ReadHeaderTimeout: 150 * time.Millisecond, ReadTimeout: 250 * time.Millisecond,
		WriteTimeout: time.Second, IdleTimeout: time.Second, MaxConns: 4}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = bufio.NewReader(r.Body).ReadString(0) // a slow body is read until the timeout
	})
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := &countingListener{Listener: raw}
	addr := raw.Addr().String()
	baseline := runtime.NumGoroutine()
	errc := make(chan error, 1)
	srv := serveOn(ln, h, limits, errc)
	t.Cleanup(func() { _ = srv.Close() })
	peak := &ln.peak

	const clients = 24
	var wg sync.WaitGroup
	cut := make(chan error, clients)
	stop := make(chan struct{})
	defer close(stop)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				cut <- err
				return
			}
			defer conn.Close()
			// Headers only (half of them for some clients), then a byte of body now and then.
			req := "POST /webex/events HTTP/1.1\r\nHost: relais\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
			if i%2 == 1 {
				req = req[:30]
			}
			if _, err := conn.Write([]byte(req)); err != nil {
				cut <- nil // refused or cut already
				return
			}
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					cut <- errors.New("still connected when the test ended")
					return
				case <-tick.C:
				}
				if _, err := conn.Write([]byte("{")); err != nil {
					cut <- nil // the server closed the connection
					return
				}
			}
		}()
	}
	// Every slow client is cut off by the server, whatever the order it was accepted in.
	deadline := time.After(30 * time.Second)
	for range clients {
		select {
		case err := <-cut:
			require.NoError(t, err)
		case <-deadline:
			t.Fatalf("slow clients kept their connections: the server has no read timeout (peak %d open)", peak.Load())
		}
	}
	wg.Wait()
	assert.LessOrEqual(t, int(peak.Load()), limits.MaxConns, "connections served at once")
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= baseline+3 }, // the Serve loop and a closing conn or two,
		5*time.Second, 10*time.Millisecond, "the server's goroutines are gone")
	select {
	case err := <-errc:
		t.Fatalf("server stopped: %v", err)
	default:
	}
}

// countingListener counts the connections accepted and not yet closed, and their peak.
type countingListener struct {
	net.Listener
	open, peak atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	n := l.open.Add(1)
	for p := l.peak.Load(); n > p && !l.peak.CompareAndSwap(p, n); p = l.peak.Load() {
	}
	return &countedConn{Conn: c, l: l}, nil
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.open.Add(-1) })
	return err
}
