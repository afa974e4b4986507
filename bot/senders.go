package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// admission is what the per-sender limit decides for one incoming event.
type admission int

const (
	admitted admission = iota // handled as usual
	slowDown                  // the first one over the limit: answered with one polite notice
	dropped                   // over the limit, notice given: dropped without a word
)

// senderLimits bounds how many events one person can have handled: a burst, then one more
// every interval. It is checked before anything is stored or sent, so a flood costs neither
// Webex calls nor database rows.
type senderLimits struct {
	burst int
	every time.Duration

	mu sync.Mutex
	m  map[string]*senderState
}

type senderState struct {
	lim     *rate.Limiter
	noticed bool // told to slow down since the limit was last reached
}

// maxSenders bounds the limiter table; when full, the senders back to a full allowance are
// forgotten (they behave like new ones), and if none are, new senders share one limiter.
const maxSenders = 100_000

func newSenderLimits(burst int, every time.Duration) *senderLimits {
	return &senderLimits{burst: burst, every: every, m: make(map[string]*senderState)}
}

// admit counts one event of sender at now.
func (s *senderLimits) admit(sender string, now time.Time) admission {
	if sender == "" {
		return admitted
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[sender]
	if !ok {
		if len(s.m) >= maxSenders {
			s.forgetLocked(now)
		}
		if len(s.m) >= maxSenders {
			sender = "" // everyone new shares one allowance until the table empties
			if st = s.m[sender]; st != nil {
				ok = true
			}
		}
		if !ok {
			st = &senderState{lim: rate.NewLimiter(rate.Every(s.every), s.burst)}
			s.m[sender] = st
		}
	}
	if st.lim.AllowN(now, 1) {
		st.noticed = false
		return admitted
	}
	if st.noticed {
		return dropped
	}
	st.noticed = true
	return slowDown
}

// forget drops the senders back to a full allowance.
func (s *senderLimits) forget(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgetLocked(now)
}

func (s *senderLimits) forgetLocked(now time.Time) {
	for k, st := range s.m {
		if st.lim.TokensAt(now) >= float64(s.burst) {
			delete(s.m, k)
		}
	}
}
