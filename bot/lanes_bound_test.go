package bot

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A thousand conversations waiting at once cost queued jobs, not a goroutine each. (Not
// parallel: it counts the process's goroutines.)
func TestLanesUseAtMostTheirWorkersGoroutines(t *testing.T) {
	l := newLanes(3, nil)
	release := make(chan struct{})
	before := runtime.NumGoroutine()
	var ran sync.WaitGroup
	for i := range 1000 {
		ran.Add(1)
		require.True(t, l.submit(context.Background(), fmt.Sprint(i), func(context.Context) {
			<-release
			ran.Done()
		}))
	}
	assert.LessOrEqual(t, runtime.NumGoroutine()-before, 3, "goroutines for 1000 waiting keys")
	close(release)
	l.wait()
	ran.Wait()
	assert.Zero(t, l.pending())
}

func TestLanesBoundEachQueue(t *testing.T) {
	t.Parallel()
	l := newLanes(1, nil)
	l.maxQueue = 2
	release := make(chan struct{})
	started := make(chan struct{})
	require.True(t, l.submit(context.Background(), "k", func(context.Context) { close(started); <-release }))
	<-started // running: no longer queued
	require.True(t, l.submit(context.Background(), "k", func(context.Context) {}))
	require.True(t, l.submit(context.Background(), "k", func(context.Context) {}))
	assert.True(t, l.full("k"))
	assert.False(t, l.submit(context.Background(), "k", func(context.Context) {}), "a third waiting job is refused")
	assert.True(t, l.submit(context.Background(), "other", func(context.Context) {}), "other conversations are not affected")
	close(release)
	l.wait()
}

func TestLanesRunLowKeysAfterTheOthers(t *testing.T) {
	t.Parallel()
	l := newLanes(1, nil)
	release := make(chan struct{})
	started := make(chan struct{})
	var mu sync.Mutex
	var order []string
	record := func(k string) func(context.Context) {
		return func(context.Context) { mu.Lock(); order = append(order, k); mu.Unlock() }
	}
	l.submit(context.Background(), "busy", func(context.Context) { close(started); <-release })
	<-started
	for i := range 5 {
		l.submitLow(context.Background(), fmt.Sprint("stranger", i), record("stranger"))
	}
	l.submit(context.Background(), "organizer", record("organizer"))
	close(release)
	l.wait()
	require.Len(t, order, 6)
	assert.Equal(t, "organizer", order[0], "the organizer submitted last runs first: %v", order)
}
