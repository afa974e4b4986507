package backoff_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/relaisbot/relais/internal/backoff"
)

// The wait doubles up to its cap and never passes it, however many attempts failed.
func TestDelayDoublesUpToTheCap(t *testing.T) {
	t.Parallel()
	p := backoff.Policy{Base: 2 * time.Second, Cap: 10 * time.Minute}
	assert.Equal(t, 2*time.Second, p.Delay(1))
	assert.Equal(t, 4*time.Second, p.Delay(2))
	assert.Equal(t, 8*time.Second, p.Delay(3))
	assert.Equal(t, 10*time.Minute, p.Delay(20))
	assert.Equal(t, 10*time.Minute, p.Delay(1_000_000), "no overflow past the cap")
	assert.Equal(t, 2*time.Second, p.Delay(0), "attempt 0 waits as the first")
	assert.Positive(t, backoff.Policy{Base: time.Hour}.Delay(1000), "no cap: no overflow either")
}

// With jitter every wait lies in [d/2, d], the cap included.
func TestJitterStaysUnderTheCap(t *testing.T) {
	t.Parallel()
	p := backoff.Policy{Base: 100 * time.Millisecond, Cap: time.Second, Jitter: true}
	for n := 1; n <= 40; n++ {
		want := min(100*time.Millisecond<<min(n-1, 20), time.Second)
		for range 50 {
			d := p.Delay(n)
			assert.GreaterOrEqual(t, d, want/2, "attempt %d", n)
			assert.LessOrEqual(t, d, want, "attempt %d", n)
		}
	}
}

// A Retry-After is taken as the server gave it, even past the cap; without one, the backoff.
func TestRetryAfterIsTheServersWord(t *testing.T) {
	t.Parallel()
	p := backoff.Policy{Base: time.Second, Cap: 4 * time.Second}
	assert.Equal(t, 5*time.Second, p.After(1, 5*time.Second))
	assert.Equal(t, 30*time.Second, p.After(10, 30*time.Second), "past the cap")
	assert.Equal(t, time.Second, p.After(10, time.Second), "not stretched by earlier failures")
	assert.Equal(t, time.Second, p.After(1, 0))
	assert.Equal(t, 4*time.Second, p.After(10, 0))
}

// Sleep ends with its context, and otherwise after the whole wait.
func TestSleepEndsWithItsContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		assert.NoError(t, backoff.Sleep(context.Background(), time.Minute))
		assert.Equal(t, time.Minute, time.Since(start))

		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start = time.Now()
		assert.ErrorIs(t, backoff.Sleep(ctx, time.Hour), context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start))
	})
}
