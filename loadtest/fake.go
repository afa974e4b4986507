package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// fakeWebex is what the driver needs of the fake: the in-process *webextest.Server, or a
// `relais fake-webex` process driven through its /_sim/ control API.
type fakeWebex interface {
	APIURL() string
	CatalogURL() string
	BotToken() string
	MeetingsToken() string
	Say(r webextest.SayRequest) (string, error)
	SetFaults(f webextest.Faults)
	CallCounts() map[string]int
	BotMessages(personEmail string) []webextest.Message
	Meetings() []webextest.SimMeeting
	Close()
}

// fakeProcess is a fake Webex in a process of its own: its CPU and memory are not the bot's.
type fakeProcess struct {
	cmd    *exec.Cmd
	client *http.Client
	root   string
	env    map[string]string
	done   chan struct{}

	mu  sync.Mutex
	err error // the first control-API failure
}

// startFakeProcess runs command (e.g. ["/path/to/relais", "fake-webex"]) with a free loopback
// port and the directory, and waits for it to print its environment.
func startFakeProcess(ctx context.Context, command []string, dir string, people []webextest.Person) (*fakeProcess, error) {
	raw, err := json.Marshal(people)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "directory.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		return nil, err
	}
	args := append(append([]string{}, command[1:]...), "--addr", "127.0.0.1:0", "--directory", path)
	cmd := exec.Command(command[0], args...)
	// The fake's work is serial per call; on one core it cannot take the machine from the bot
	// it is there to measure, and it spends less CPU waking threads (its own figure drops too).
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the fake Webex process: %w", err)
	}
	f := &fakeProcess{cmd: cmd, client: newSimClient(), env: map[string]string{}, done: make(chan struct{})}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() {
		_ = cmd.Wait()
		close(f.done)
	}()
	timeout := time.After(30 * time.Second)
	for f.env["WEBEX_CATALOG_URL"] == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				f.Close()
				return nil, errors.New("the fake Webex process stopped before printing its URLs")
			}
			if k, v, ok := strings.Cut(line, "="); ok {
				f.env[k] = v
			}
		case <-timeout:
			f.Close()
			return nil, errors.New("the fake Webex process printed no URLs within 30 s")
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		}
	}
	go func() {
		for range lines {
		}
	}()
	u, err := url.Parse(f.env["WEBEX_API_URL"])
	if err != nil || u.Host == "" {
		f.Close()
		return nil, fmt.Errorf("the fake Webex process printed a bad WEBEX_API_URL %q", f.env["WEBEX_API_URL"])
	}
	f.root = u.Scheme + "://" + u.Host
	return f, nil
}

func (f *fakeProcess) APIURL() string        { return f.env["WEBEX_API_URL"] }
func (f *fakeProcess) CatalogURL() string    { return f.env["WEBEX_CATALOG_URL"] }
func (f *fakeProcess) BotToken() string      { return f.env["WEBEX_BOT_TOKEN"] }
func (f *fakeProcess) MeetingsToken() string { return f.env["WEBEX_MEETINGS_TOKEN"] }

// call does one control-API request and decodes the answer into out (when not nil).
func (f *fakeProcess) call(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.root+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return fmt.Errorf("fake %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("fake %s %s: %s: %s", method, path, resp.Status, msg)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (f *fakeProcess) remember(err error) {
	if err == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

// Err is the first failure of the control API, if any.
func (f *fakeProcess) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeProcess) Say(r webextest.SayRequest) (string, error) {
	var out struct {
		MessageID string `json:"messageId"`
	}
	if err := f.call(http.MethodPost, "/_sim/say", r, &out); err != nil {
		return "", err
	}
	return out.MessageID, nil
}

func (f *fakeProcess) SetFaults(fl webextest.Faults) {
	f.remember(f.call(http.MethodPost, "/_sim/faults", fl, nil))
}

func (f *fakeProcess) CallCounts() map[string]int {
	out := map[string]int{}
	f.remember(f.call(http.MethodGet, "/_sim/counts", nil, &out))
	// Not /v1/ calls: the in-process fake's CallCounts has no such keys.
	delete(out, "websocketConnections")
	delete(out, "conversationLookups")
	return out
}

func (f *fakeProcess) BotMessages(email string) []webextest.Message {
	var out []webextest.Message
	f.remember(f.call(http.MethodGet, "/_sim/messages?person="+url.QueryEscape(email), nil, &out))
	return out
}

func (f *fakeProcess) Meetings() []webextest.SimMeeting {
	var out []webextest.SimMeeting
	f.remember(f.call(http.MethodGet, "/_sim/meetings", nil, &out))
	return out
}

// CPU is the process's CPU time so far, from /proc/PID/stat (0 where there is none).
func (f *fakeProcess) CPU() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", f.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: fields are counted after it.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

// Close stops the process: an interrupt, then a kill if it lingers.
func (f *fakeProcess) Close() {
	if f.cmd.Process == nil {
		return
	}
	_ = f.cmd.Process.Signal(os.Interrupt)
	select {
	case <-f.done:
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		<-f.done
	}
}

// newSimClient is the driver's client of the fake's control API: it keeps a connection per flow
// in flight, so that the driver does not open one per message (and charge the bot's process and
// the fake's with connection set-ups that are not theirs).
func newSimClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 4096, 4096
	return &http.Client{Timeout: time.Minute, Transport: tr}
}
