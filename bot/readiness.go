package bot

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// defaultIntakeGrace is how long the websocket may stay disconnected (reconnecting) before
// /readyz turns red.
const defaultIntakeGrace = 30 * time.Second

// intakeHealth tells whether events can reach the bot, for /readyz. It is red when the intake
// is really down: never connected yet, disconnected for longer than the grace period (a
// reconnection within it is ordinary), stopped for good (another process took the device), or a
// webhook that Webex marked inactive and that could not be re-activated. One event that fails
// never turns it red.
type intakeHealth struct {
	now   func() time.Time
	grace time.Duration

	mu        sync.Mutex
	up        bool
	everUp    bool
	downSince time.Time
	broken    error // down for good until cleared (webhook inactive) or restarted
}

// connected records that events flow.
func (h *intakeHealth) connected() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.up, h.everUp = true, true
}

// disconnected records that events stopped flowing (a reconnection may follow).
func (h *intakeHealth) disconnected() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.up || h.downSince.IsZero() {
		h.downSince = h.now()
	}
	h.up = false
}

// setBroken marks the intake down for a reason that no reconnection mends; nil clears it.
func (h *intakeHealth) setBroken(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.broken = err
}

// check returns nil when events can reach the bot.
func (h *intakeHealth) check() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.broken != nil:
		return h.broken
	case h.up:
		return nil
	case !h.everUp:
		return errors.New("not connected to Webex yet")
	}
	if down := h.now().Sub(h.downSince); down > h.grace {
		return fmt.Errorf("not connected to Webex for %s", down.Round(time.Second))
	}
	return nil // reconnecting, within the grace period
}
