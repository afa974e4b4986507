package bot

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
)

// An action that failed in a way that may hide a success is done again only after look said it
// did not happen; a clear refusal is never looked at; without a way to look, nothing is repeated.
func TestActOnceLooksBeforeActingAgain(t *testing.T) {
	t.Parallel()
	unavailable := &webexapi.APIError{StatusCode: http.StatusServiceUnavailable}
	cut := errors.New("connection reset by peer")
	for _, tc := range []struct {
		name      string
		acts      []error // what each act returns
		look      []bool  // what each look says
		lookErr   error
		noLook    bool
		wantErr   bool
		wantActs  int
		wantLooks int
	}{
		{name: "ok at once", acts: []error{nil}, wantActs: 1},
		{name: "503, not there, acted again", acts: []error{unavailable, nil}, look: []bool{false}, wantActs: 2, wantLooks: 1},
		{name: "cut, there after all", acts: []error{cut}, look: []bool{true}, wantActs: 1, wantLooks: 1},
		{name: "cannot look: not acted again", acts: []error{unavailable}, lookErr: errors.New("list: 500"), wantErr: true, wantActs: 1, wantLooks: 1},
		{name: "no way to look", acts: []error{unavailable}, noLook: true, wantErr: true, wantActs: 1},
		{name: "400 is clear", acts: []error{&webexapi.APIError{StatusCode: http.StatusBadRequest}}, wantErr: true, wantActs: 1},
		{name: "429 is clear", acts: []error{&webexapi.APIError{StatusCode: http.StatusTooManyRequests}}, wantErr: true, wantActs: 1},
		{name: "too soon is clear", acts: []error{errTooSoon}, wantErr: true, wantActs: 1},
		{name: "bounded", acts: []error{unavailable, unavailable, unavailable, unavailable, nil}, look: []bool{false, false, false, false},
			wantErr: true, wantActs: actAttempts, wantLooks: actAttempts - 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := &Bot{log: zerolog.Nop()}
				acts, looks := 0, 0
				act := func(context.Context) error { acts++; return tc.acts[acts-1] }
				look := func(context.Context) (bool, error) {
					looks++
					if tc.lookErr != nil {
						return false, tc.lookErr
					}
					return tc.look[looks-1], nil
				}
				if tc.noLook {
					look = nil
				}
				err := b.actOnce(context.Background(), act, look)
				if tc.wantErr {
					require.Error(t, err)
				} else {
					require.NoError(t, err)
				}
				assert.Equal(t, tc.wantActs, acts, "acts")
				assert.Equal(t, tc.wantLooks, looks, "looks")
			})
		})
	}
}

// The intake's state makes the catch-up windows: the first connection catches up since the
// stored mark (since zero), a reconnection since the disconnection less the settle margin.
func TestCatchUpWindowsFollowTheIntake(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC)
	b := &Bot{cfg: Config{}.withDefaults(), catchup: newCatchUp(newCatchUpMetrics(nil)), now: func() time.Time { return now }}
	take := func() *window {
		b.catchup.mu.Lock()
		defer b.catchup.mu.Unlock()
		w := b.catchup.pending
		b.catchup.pending = nil
		return w
	}
	b.IntakeUp(now)
	w := take()
	require.NotNil(t, w)
	assert.Equal(t, window{until: now, reason: catchUpStartup}, *w)

	b.IntakeUp(now.Add(time.Second))
	assert.Nil(t, take(), "connected twice without a cut: nothing missed")

	down, up := now.Add(time.Minute), now.Add(2*time.Minute)
	b.IntakeDown(down)
	b.IntakeDown(down.Add(10 * time.Second)) // a second report keeps the first instant
	b.IntakeUp(up)
	w = take()
	require.NotNil(t, w)
	assert.Equal(t, window{since: down.Add(-b.cfg.CatchUp.Settle), until: up, reason: catchUpReconnect}, *w)

	// Two asks before the catch-up runs make one window covering both.
	b.CatchUpSince(now.Add(-3*time.Minute), catchUpIntake)
	b.CatchUpSince(now.Add(-5*time.Minute), catchUpIntake)
	w = take()
	require.NotNil(t, w)
	assert.Equal(t, now.Add(-5*time.Minute).Add(-b.cfg.CatchUp.Settle), w.since)
	assert.Equal(t, now, w.until)
}
