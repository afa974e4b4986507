package bot_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestAFloodFromStrangersLeavesOrganizersServed: a few thousand messages — hundreds of people
// outside the allowed domains, and one member sending hundreds in a row — while an organizer
// schedules a meeting. The organizer's flow completes, the flooding member gets one polite
// notice and then silence, and the bot's goroutines stay bounded by its workers, not by the
// number of senders.
func TestAFloodFromStrangersLeavesOrganizersServed(t *testing.T) {
	// Not parallel: runtime.NumGoroutine counts the whole test process, and the parallel tests
	// (paused until the sequential ones are done) would count as the bot's goroutines.
	const (
		strangers   = 600
		perStranger = 4
		flood       = 400
		workers     = 4
		burst       = 5
	)
	dir := webextest.DefaultDirectory()
	for i := range strangers {
		dir = append(dir, webextest.Person{Email: fmt.Sprintf("s%03d@elsewhere.example", i), DisplayName: fmt.Sprintf("Stranger %d", i), Timezone: "America/Toronto"})
	}
	h := newHarness(t, harnessOptions{
		fakeOpts:  webextest.Options{Directory: dir},
		botConfig: bot.Config{Workers: workers, SenderBurst: burst, SenderEvery: time.Hour},
	})
	// Every Webex call takes a little time: handling falls behind the flood, which queues up.
	h.fake.SetFaults(webextest.Faults{LatencyMs: 2})
	// Nobody waits on the harness's "handled" signals here: drain them, the bot must not block.
	draining, stopDraining := context.WithCancel(context.Background())
	defer stopDraining()
	go func() {
		for {
			select {
			case <-h.handled:
			case <-draining.Done():
				return
			}
		}
	}()
	baseline := runtime.NumGoroutine()
	var peak atomic.Int64
	sampling, stopSampling := context.WithCancel(context.Background())
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for sampling.Err() == nil {
			if n := int64(runtime.NumGoroutine()); n > peak.Load() {
				peak.Store(n)
			}
			runtime.Gosched()
		}
	}()

	received := h.rt.Metrics.EventsReceived.WithLabelValues("websocket")
	before := counterValue(received)
	floodDone := make(chan error, 1)
	go func() {
		sent := 0
		for round := range perStranger {
			for i := range strangers {
				if _, err := h.fake.Say(webextest.SayRequest{From: fmt.Sprintf("s%03d@elsewhere.example", i), Text: fmt.Sprintf("bonjour %d", round)}); err != nil {
					floodDone <- err
					return
				}
				sent++
				if i%6 == 0 && sent/6 <= flood {
					if _, err := h.fake.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: fmt.Sprintf("spam %d", sent)}); err != nil {
						floodDone <- err
						return
					}
				}
			}
		}
		floodDone <- nil
	}()

	// Meanwhile an organizer schedules a meeting, start to finish. (The wait is generous: the
	// test checks that the flow completes, not how fast on a loaded machine.)
	say := func(text string, replies int) {
		_, err := h.fake.Say(webextest.SayRequest{From: alex, Text: text})
		require.NoError(t, err)
		if !assert.Eventually(t, func() bool { return len(h.fake.BotMessages(alex)) >= replies }, 3*time.Minute, 5*time.Millisecond) {
			t.Fatalf("no answer to %q; the organizer's messages: %s", text, texts(h.fake.BotMessages(alex)))
		}
	}
	say("programme une rencontre pour Jean Dupont demain à 10 h", 1)
	say("oui", 2)
	require.Eventually(t, func() bool { return informed(h.fake, alex) }, 3*time.Minute, 5*time.Millisecond,
		"the organizer's flow completed during the flood")
	require.NotEmpty(t, h.fake.BotMessages("jean.dupont@example.com"), "the designate got their message")

	require.NoError(t, <-floodDone)
	ownMessages := 2
	bobSent := 0
	for round := range perStranger {
		for i := range strangers {
			if sent := round*strangers + i + 1; i%6 == 0 && sent/6 <= flood {
				bobSent++
			}
		}
	}
	total := float64(strangers*perStranger + bobSent + ownMessages)
	require.Eventually(t, func() bool { return counterValue(received)-before >= total }, 3*time.Minute, 10*time.Millisecond,
		"every message reached the bot")
	h.rt.Bot.Wait()
	stopSampling()
	<-sampled

	bobReplies := h.fake.BotMessages("bob.smith@example.com")
	assert.LessOrEqual(t, len(bobReplies), burst+1, "the flooding member is answered at most %d times, then one notice", burst)
	require.NotEmpty(t, bobReplies)
	assert.Contains(t, bobReplies[len(bobReplies)-1].Markdown, "plus vite que je ne peux suivre", "the last answer is the polite notice")
	assert.Len(t, h.fake.BotMessages("s000@elsewhere.example"), perStranger, "a stranger within the limit is told the bot is not for them")
	// Hundreds of conversations waited at once; they cost queued jobs, not goroutines.
	assert.Less(t, peak.Load()-int64(baseline), int64(workers*10+110), "goroutines beyond the baseline of %d", baseline)
	t.Logf("goroutines: baseline %d, peak %d; bob: %d sent, %d answers", baseline, peak.Load(), bobSent, len(bobReplies))
}
