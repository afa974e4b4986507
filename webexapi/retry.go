package webexapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/relaisbot/relais/internal/backoff"
)

// RetryPolicy bounds retries. Zero fields take DefaultRetryPolicy()'s values.
//
// A 429 waits its Retry-After (or backs off when absent) unless that exceeds MaxRetryAfter, in
// which case the error is returned at once. 502, 503 and 504 answers wait the same way, and
// transport errors back off with jitter, but only for idempotent methods (GET, PUT, PATCH,
// DELETE, HEAD).
//
// The rule for calls with an effect: a POST (it creates a meeting, posts a message) is retried
// by the client only on 429, the one answer that says Webex surely did not act. Webex can act and
// then fail: a 502, 503 or 504 from a gateway after the meeting was created, a connection cut
// before the answer. Retrying blindly would then create a second meeting or post a message
// twice. So any other failure goes back to the caller, who looks before acting again: the bot
// searches the meeting by its integration tag before creating it again, and reads the 1:1 space
// before sending the designate's message again.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, first included (1 = no retry).
	MaxAttempts int
	// MaxRetryAfter is the longest Retry-After the client accepts to wait.
	MaxRetryAfter time.Duration
	// BackoffBase is the first backoff; it doubles on each retry.
	BackoffBase time.Duration
	// BackoffCap caps one backoff wait.
	BackoffCap time.Duration
}

// DefaultRetryPolicy returns the values used for the zero fields of a policy: 4 attempts,
// Retry-After up to 2 minutes, backoff from 500 ms doubling up to 30 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   4,
		MaxRetryAfter: 2 * time.Minute,
		BackoffBase:   500 * time.Millisecond,
		BackoffCap:    30 * time.Second,
	}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts > 0 {
		d.MaxAttempts = p.MaxAttempts
	}
	if p.MaxRetryAfter > 0 {
		d.MaxRetryAfter = p.MaxRetryAfter
	}
	if p.BackoffBase > 0 {
		d.BackoffBase = p.BackoffBase
	}
	if p.BackoffCap > 0 {
		d.BackoffCap = p.BackoffCap
	}
	return d
}

// idempotent reports whether repeating method cannot create a second resource.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// decide says whether attempt (1-based), which failed with err, is retried and after how long.
func (p RetryPolicy) decide(method string, attempt int, err error) (time.Duration, bool) {
	if attempt >= p.MaxAttempts {
		return 0, false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusTooManyRequests:
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			// Webex may have acted before failing: only an idempotent call is repeated.
			if !idempotent(method) {
				return 0, false
			}
		default:
			return 0, false
		}
		if apiErr.RetryAfter > p.MaxRetryAfter {
			return 0, false
		}
		return p.policy().After(attempt, apiErr.RetryAfter), true
	}
	var te *transportError
	if errors.As(err, &te) && idempotent(method) {
		return p.backoff(attempt), true
	}
	return 0, false
}

// backoff returns the jittered wait before retry number attempt (1-based): a random duration in
// [d/2, d] where d = min(BackoffCap, BackoffBase * 2^(attempt-1)).
func (p RetryPolicy) backoff(attempt int) time.Duration { return p.policy().Delay(attempt) }

func (p RetryPolicy) policy() backoff.Policy {
	return backoff.Policy{Base: p.BackoffBase, Cap: p.BackoffCap, Jitter: true}
}
