package webexapi

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryDecide(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 4, MaxRetryAfter: time.Minute, BackoffBase: time.Second, BackoffCap: 8 * time.Second}.withDefaults()
	api := func(status int, ra time.Duration) error { return &APIError{StatusCode: status, RetryAfter: ra} }
	transport := &transportError{method: "GET", path: "/x", err: errors.New("reset")}
	cases := []struct {
		name    string
		method  string
		attempt int
		err     error
		retry   bool
		wait    time.Duration // exact when > 0
	}{
		{"429 waits Retry-After", http.MethodPost, 1, api(429, 5*time.Second), true, 5 * time.Second},
		{"429 above ceiling", http.MethodGet, 1, api(429, 2*time.Minute), false, 0},
		{"429 without Retry-After backs off", http.MethodGet, 1, api(429, 0), true, 0},
		{"503 POST not retried: Webex may have acted", http.MethodPost, 1, api(503, 0), false, 0},
		{"503 Retry-After honoured", http.MethodPut, 1, api(503, 3*time.Second), true, 3 * time.Second},
		{"502 GET retried", http.MethodGet, 1, api(502, 0), true, 0},
		{"504 PATCH retried", http.MethodPatch, 2, api(504, 0), true, 0},
		{"504 Retry-After honoured", http.MethodGet, 1, api(504, 7*time.Second), true, 7 * time.Second},
		{"503 Retry-After above ceiling", http.MethodGet, 1, api(503, 3*time.Minute), false, 0},
		{"502 POST not retried", http.MethodPost, 1, api(502, 0), false, 0},
		{"500 GET not retried", http.MethodGet, 1, api(500, 0), false, 0},
		{"400 not retried", http.MethodGet, 1, api(400, 0), false, 0},
		{"transport GET retried", http.MethodGet, 1, transport, true, 0},
		{"transport DELETE retried", http.MethodDelete, 1, transport, true, 0},
		{"transport POST not retried", http.MethodPost, 1, transport, false, 0},
		{"last attempt", http.MethodGet, 4, api(503, 0), false, 0},
		{"other error", http.MethodGet, 1, errors.New("decode"), false, 0},
	}
	for _, tc := range cases {
		wait, retry := p.decide(tc.method, tc.attempt, tc.err)
		assert.Equal(t, tc.retry, retry, tc.name)
		if tc.wait > 0 {
			assert.Equal(t, tc.wait, wait, tc.name)
		}
		if retry {
			assert.Positive(t, wait, tc.name)
		}
	}
}

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{BackoffBase: 100 * time.Millisecond, BackoffCap: time.Second}.withDefaults()
	for attempt := 1; attempt <= 40; attempt++ {
		want := min(100*time.Millisecond<<min(attempt-1, 20), time.Second)
		for range 20 {
			d := p.backoff(attempt)
			assert.GreaterOrEqual(t, d, want/2, "attempt %d", attempt)
			assert.LessOrEqual(t, d, want, "attempt %d", attempt)
		}
	}
	// Jitter: not always the same value.
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[p.backoff(3)] = true
	}
	assert.Greater(t, len(seen), 1)
}

// TestRetryPolicyDefaults checks what a zero policy does, against the numbers documented on
// DefaultRetryPolicy (4 attempts, Retry-After up to 2 minutes, backoff from 500 ms up to 30 s),
// written here as literals so that changing a default fails the test.
func TestRetryPolicyDefaults(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{}.withDefaults()
	unavailable := &APIError{StatusCode: 503}

	// 4 attempts in all: the 3rd failure is retried, the 4th is not.
	_, retry := p.decide(http.MethodGet, 3, unavailable)
	assert.True(t, retry, "attempt 3 of 4 is retried")
	_, retry = p.decide(http.MethodGet, 4, unavailable)
	assert.False(t, retry, "attempt 4 is the last")

	// Retry-After is honoured up to 2 minutes, not one second more.
	wait, retry := p.decide(http.MethodPost, 1, &APIError{StatusCode: 429, RetryAfter: 2 * time.Minute})
	assert.True(t, retry)
	assert.Equal(t, 2*time.Minute, wait)
	_, retry = p.decide(http.MethodPost, 1, &APIError{StatusCode: 429, RetryAfter: 2*time.Minute + time.Second})
	assert.False(t, retry, "a Retry-After above 2 minutes is returned at once")

	// Backoff: the first wait is between 250 and 500 ms (half jitter), the longest 15 to 30 s.
	for range 50 {
		first := p.backoff(1)
		assert.GreaterOrEqual(t, first, 250*time.Millisecond)
		assert.LessOrEqual(t, first, 500*time.Millisecond)
		longest := p.backoff(30)
		assert.GreaterOrEqual(t, longest, 15*time.Second)
		assert.LessOrEqual(t, longest, 30*time.Second)
	}

	// A field that is set wins over its default; the others keep theirs.
	one := RetryPolicy{MaxAttempts: 1}.withDefaults()
	_, retry = one.decide(http.MethodGet, 1, unavailable)
	assert.False(t, retry)
	assert.Equal(t, 2*time.Minute, one.MaxRetryAfter)
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 3*time.Second, parseRetryAfter("3", now))
	assert.Equal(t, 3600*time.Second, parseRetryAfter(" 3600 ", now))
	assert.Equal(t, 10*time.Second, parseRetryAfter(now.Add(10*time.Second).Format(http.TimeFormat), now))
	assert.Zero(t, parseRetryAfter(now.Add(-time.Hour).Format(http.TimeFormat), now))
	assert.Zero(t, parseRetryAfter("", now))
	assert.Zero(t, parseRetryAfter("-5", now))
	assert.Zero(t, parseRetryAfter("soon", now))
	assert.Positive(t, parseRetryAfter("99999999999999999", now))
}
