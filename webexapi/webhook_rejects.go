package webexapi

import (
	"net/http"
	"sync"
	"time"
)

// badSignatureOptions say what happens to requests with a missing or bad signature, beyond the
// 401: a hook (a metric), and a log line at most once per interval, however many arrive.
type badSignatureOptions struct {
	hook  func()
	every time.Duration
}

// WithBadSignatureHook calls f for every request refused for its signature (e.g. to count it).
// f must not block.
func WithBadSignatureHook(f func()) WebhookOption {
	return func(o *webhookOptions) { o.badSignature.hook = f }
}

// WithBadSignatureLogEvery logs refused signatures at most once per d (default one minute),
// with the number refused since the last line: a forger cannot flood the logs.
func WithBadSignatureLogEvery(d time.Duration) WebhookOption {
	return func(o *webhookOptions) { o.badSignature.every = d }
}

// badSignatureLog throttles the log lines about refused signatures.
type badSignatureLog struct {
	mu      sync.Mutex
	last    time.Time
	skipped int
}

func (h *webhookHandler) rejectBadSignature(r *http.Request) {
	if h.o.badSignature.hook != nil {
		h.o.badSignature.hook()
	}
	every := h.o.badSignature.every
	if every <= 0 {
		every = time.Minute
	}
	now := time.Now()
	h.badSig.mu.Lock()
	if !h.badSig.last.IsZero() && now.Sub(h.badSig.last) < every {
		h.badSig.skipped++
		h.badSig.mu.Unlock()
		return
	}
	skipped := h.badSig.skipped
	h.badSig.last, h.badSig.skipped = now, 0
	h.badSig.mu.Unlock()
	h.o.log.Warn().Str("remote", r.RemoteAddr).Int("alsoRefusedSinceLastLine", skipped).
		Dur("logEvery", every).Msg("webhook with a missing or bad signature rejected")
}
