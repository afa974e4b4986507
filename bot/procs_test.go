package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// This file runs the relais binary as a child process, for the crash tests.

// buildRelais builds the relais command into the test's temporary directory and returns its path.
func buildRelais(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("building and running the relais binary is skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "relais")
	cmd := exec.Command("go", "build", "-tags", "relais_failpoint", "-o", bin, "github.com/relaisbot/relais")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build relais:\n%s", out)
	return bin
}

// childEnv is the environment of a `relais run` child against the fake, in websocket mode, with a
// short job lease and a fast poller. The parent's WEBEX_* and RELAIS_* variables are dropped so
// that nothing of the machine leaks into the test.
func childEnv(fake *webextest.Server, db string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "WEBEX_") || strings.HasPrefix(kv, "RELAIS_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"WEBEX_API_URL="+fake.APIURL(),
		"WEBEX_CATALOG_URL="+fake.CatalogURL(),
		"WEBEX_BOT_TOKEN="+fake.BotToken(),
		"WEBEX_MEETINGS_TOKEN="+fake.MeetingsToken(),
		"RELAIS_DB="+db,
		"RELAIS_MODE=websocket",
		"RELAIS_ALLOWED_DOMAINS=example.com",
		"RELAIS_JOB_LEASE=1s",
		"RELAIS_POLL_INTERVAL=50ms",
		"RELAIS_ADMIN_ADDR=127.0.0.1:0",
		"RELAIS_WEBEX_RATE=100",
		"RELAIS_LOG_FORMAT=json",
		"RELAIS_LOG_LEVEL=info",
	)
	return append(env, extra...)
}

// child is a running `relais run` whose standard error is collected line by line.
type child struct {
	t   *testing.T
	cmd *exec.Cmd

	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed, then replaced, when a line arrives or the process exits
	exited  bool
	waitErr error
	done    chan struct{}
}

// startChild starts `bin run` with env; t.Cleanup kills it if it still runs.
func startChild(t *testing.T, bin string, env []string) *child {
	t.Helper()
	c := &child{t: t, changed: make(chan struct{}), done: make(chan struct{})}
	c.cmd = exec.Command(bin, "run")
	c.cmd.Env = env
	stderr, err := c.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, c.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			c.mu.Lock()
			c.lines = append(c.lines, sc.Text())
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
		}
		err := c.cmd.Wait()
		c.mu.Lock()
		c.exited, c.waitErr = true, err
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
		close(c.done)
	}()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.done
		if t.Failed() {
			t.Logf("relais (pid %d) standard error:\n%s", c.cmd.Process.Pid, c.logs())
		}
	})
	return c
}

// waitFor waits until a line of standard error contains substr and returns it. It fails the
// test if the process exits first or nothing comes within timeout.
func (c *child) waitFor(substr string, timeout time.Duration) string {
	c.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		c.mu.Lock()
		lines, exited, changed := c.lines[seen:], c.exited, c.changed
		seen = len(c.lines)
		c.mu.Unlock()
		for _, l := range lines {
			if strings.Contains(l, substr) {
				return l
			}
		}
		if exited {
			c.t.Fatalf("relais exited (%v) before logging %q", c.waitErr, substr)
		}
		select {
		case <-changed:
		case <-deadline.C:
			c.t.Fatalf("relais did not log %q within %s", substr, timeout)
		}
	}
}

func (c *child) logs() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

// kill stops the process dead (SIGKILL: no deferred function, no flush, no goodbye).
func (c *child) kill() {
	c.t.Helper()
	require.NoError(c.t, c.cmd.Process.Signal(syscall.SIGKILL))
	<-c.done
}

// stop asks the process to stop (SIGTERM) and returns its exit error once it has.
func (c *child) stop(timeout time.Duration) error {
	c.t.Helper()
	require.NoError(c.t, c.cmd.Process.Signal(syscall.SIGTERM))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	select {
	case <-c.done:
	case <-ctx.Done():
		c.t.Fatalf("relais did not stop within %s after SIGTERM", timeout)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waitErr
}

// outboxDepth reads relais_outbox_depth from the child's admin endpoint (-1 when it cannot).
func (c *child) outboxDepth() int {
	c.t.Helper()
	line := c.waitFor(`"message":"admin endpoints`, 30*time.Second)
	var entry struct {
		Addr string `json:"addr"`
	}
	if err := json.Unmarshal([]byte(line), &entry); err != nil || entry.Addr == "" {
		return -1
	}
	resp, err := http.Get("http://" + entry.Addr + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(l, "relais_outbox_depth "); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return -1
			}
			return int(n)
		}
	}
	return -1
}
