package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/store"
)

// lostCompletion loses the record that a job was done, once, when armed: the message went out,
// and the process stopped (or the database failed) before the job was marked done. The outbox
// then runs the job again.
type lostCompletion struct {
	store.Store
	mu     sync.Mutex
	armed  bool
	lost   int
	lostID string // the job whose completion was lost
	redone bool   // that job was completed on a later run
}

func (s *lostCompletion) arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = true
}

func (s *lostCompletion) Complete(ctx context.Context, id string) error {
	s.mu.Lock()
	lose := s.armed
	if lose {
		s.armed = false
		s.lost++
		s.lostID = id
	} else if id == s.lostID {
		s.redone = true
	}
	s.mu.Unlock()
	if lose {
		return errors.New("injected: completion lost")
	}
	return s.Store.Complete(ctx, id)
}

func (s *lostCompletion) lostCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost
}

// withLostCompletion has the harness's store lose a completion when armed.
func withLostCompletion(o harnessOptions) (harnessOptions, *lostCompletion) {
	lost := &lostCompletion{}
	o.botConfig.Lease, o.botConfig.ReminderBefore = time.Second, 30*time.Minute
	o.wrapStore = func(s store.Store) store.Store { lost.Store = s; return lost }
	return o, lost
}

// runAgain waits for the lost completion, lets the outbox run that job again, and waits for it
// to be done.
func (s *lostCompletion) runAgain(t *testing.T, h *harness, why string) {
	t.Helper()
	require.Eventually(t, func() bool {
		h.rt.Bot.Poke()
		return s.lostCount() == 1
	}, eventuallyWait, 10*time.Millisecond, "%s: the completion was lost", why)
	h.clock.Advance(2 * time.Minute) // past the job's lease and its retry
	require.Eventually(t, func() bool {
		h.rt.Bot.Poke()
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.redone
	}, eventuallyWait, 10*time.Millisecond, "%s: the outbox ran the job again", why)
	s.mu.Lock()
	s.lost, s.lostID, s.redone = 0, "", false
	s.mu.Unlock()
}

func countContaining(h *harness, email, text string) int {
	n := 0
	for _, m := range h.fake.BotMessages(email) {
		if strings.Contains(m.Markdown, text) {
			n++
		}
	}
	return n
}

// TestSeriesAndChangeMessagesNotDoubledWhenRunAgain: a series' notice and a change's message to
// the designate, sent but not marked done, are run again by the outbox: the designate gets each
// once, like the other designate messages (which look in the 1:1 space before sending again).
func TestSeriesAndChangeMessagesNotDoubledWhenRunAgain(t *testing.T) {
	t.Parallel()
	o, lost := withLostCompletion(harnessOptions{})
	h := newHarness(t, o)
	runAgain := func(why string) { t.Helper(); lost.runAgain(t, h, why) }

	// Tuesday 16 June: a weekly series on Thursdays at 14:00, 3 times.
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)

	// A change of a one-time meeting: its message to the designate.
	h.dm(alex, "programme une rencontre pour Bob Smith demain à 11 h")
	h.dm(alex, "oui")
	h.dm(alex, "mes rencontres")
	h.dm(alex, "change le titre de la rencontre 1 pour Bilan")
	lost.arm()
	h.dm(alex, "oui")
	runAgain("changed")
	assert.Equal(t, 1, countContaining(h, bob, "a modifié la rencontre"), "the change's message once")

	// One date of the series cancelled: its notice.
	h.dm(alex, "annule la rencontre du 25 juin")
	lost.arm()
	h.dm(alex, "oui")
	runAgain("series notice")
	assert.Equal(t, 1, countContaining(h, jean, "autres dates de la série sont maintenues"), "the notice once")
}

// TestOccurrenceReminderNotDoubledWhenRunAgain: an occurrence's reminder sent but not marked
// done is run again by the outbox: the designate gets it once, as for a one-time meeting's
// reminder.
func TestOccurrenceReminderNotDoubledWhenRunAgain(t *testing.T) {
	t.Parallel()
	o, lost := withLostCompletion(harnessOptions{})
	h := newHarness(t, o)
	// Tuesday 16 June 09:00: Thursdays at 14:00, 3 times.
	h.dm(alex, "programme une rencontre pour Jean Dupont chaque jeudi à 14 h pendant 3 semaines")
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)

	lost.arm()
	h.clock.Advance(2*24*time.Hour + 4*time.Hour + 31*time.Minute) // Thursday 13:31
	require.Eventually(t, func() bool {
		h.rt.Bot.Poke()
		return len(h.fake.BotMessages(jean)) >= 2
	}, 10*time.Second, 10*time.Millisecond, "the first occurrence's reminder")
	lost.runAgain(t, h, "occurrence reminder")
	assert.Len(t, h.fake.BotMessages(jean), 2, "the reminder once")
}

// TestReminderWithoutAccountNotDoubledWhenRunAgain: in own-account mode, a reminder that went
// out without the host key (the organizer disconnected) and whose completion was lost is run
// again: the designate and the organizer get their message once.
func TestReminderWithoutAccountNotDoubledWhenRunAgain(t *testing.T) {
	t.Parallel()
	o, lost := withLostCompletion(harnessOptions{})
	h := newHarness(t, ownAccounts(t, o))
	connected(t, h)
	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	require.Len(t, h.fake.BotMessages(jean), 1)
	h.dm(alex, "déconnecte mon compte")

	lost.arm()
	h.clock.Advance(25 * time.Hour) // tomorrow 10:00, the reminder is due
	lost.runAgain(t, h, "reminder without the key")
	assert.Len(t, h.fake.BotMessages(jean), 2, "the reminder once")
	assert.Equal(t, 1, countContaining(h, alex, "votre compte Webex n'est plus connecté"), "the organizer told once")
}
