package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations"
)

func TestLanesKeepOrderPerKeyAndRunKeysConcurrently(t *testing.T) {
	t.Parallel()
	l := newLanes(4, nil)
	ctx := context.Background()

	var mu sync.Mutex
	got := map[string][]int{}
	// Key "a" blocks until key "b" has run: proves keys do not wait for each other.
	bDone := make(chan struct{})
	l.submit(ctx, "a", func(context.Context) { <-bDone })
	for i := range 100 {
		for _, k := range []string{"a", "b", "c"} {
			l.submit(ctx, k, func(context.Context) {
				mu.Lock()
				got[k] = append(got[k], i)
				mu.Unlock()
			})
		}
	}
	l.submit(ctx, "b", func(context.Context) { close(bDone) })
	l.wait()
	for _, k := range []string{"a", "b", "c"} {
		require.Len(t, got[k], 100, k)
		for i, v := range got[k] {
			require.Equal(t, i, v, "lane %s out of order", k)
		}
	}
	require.Zero(t, l.pending())
}

func TestLanesRecoverPanicsAndGoOn(t *testing.T) {
	t.Parallel()
	var panics atomic.Int32
	l := newLanes(2, func(key string, v any, stack []byte) {
		require.Equal(t, "k", key)
		require.Equal(t, "boom", fmt.Sprint(v))
		require.NotEmpty(t, stack)
		panics.Add(1)
	})
	ran := false
	l.submit(context.Background(), "k", func(context.Context) { panic("boom") })
	l.submit(context.Background(), "k", func(context.Context) { ran = true })
	l.wait()
	require.True(t, ran)
	require.EqualValues(t, 1, panics.Load())
}

func TestLanesBoundConcurrency(t *testing.T) {
	t.Parallel()
	l := newLanes(3, nil)
	var cur, peak atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	for i := range 10 {
		l.submit(context.Background(), fmt.Sprint(i), func(context.Context) {
			n := cur.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			started <- struct{}{}
			<-release
			cur.Add(-1)
		})
	}
	for range 3 {
		<-started
	}
	require.EqualValues(t, 3, cur.Load())
	close(release)
	l.wait()
	require.LessOrEqual(t, peak.Load(), int32(3))
}

func TestJoinRepliesKeepsOrderAndLimit(t *testing.T) {
	t.Parallel()
	rs := []conversations.Reply{{Markdown: "a"}, {Markdown: ""}, {Markdown: "b"}, {Markdown: strings.Repeat("x", 10)}, {Markdown: "c"}}
	require.Equal(t, []string{"a\n\nb", strings.Repeat("x", 10), "c"}, joinReplies(rs, 12))
	require.Equal(t, []string{"a\n\nb\n\n" + strings.Repeat("x", 10) + "\n\nc"}, joinReplies(rs, 100))
	require.Empty(t, joinReplies(nil, 100))
}
