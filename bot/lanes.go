package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// lanes runs the jobs of one key (a conversation) in submission order, one at a time, while jobs
// of different keys run concurrently, at most `limit` at once. A panicking job is recovered and
// reported; its lane goes on with the next job.
type lanes struct {
	limit   chan struct{}
	onPanic func(key string, v any, stack []byte)

	mu     sync.Mutex
	queues map[string][]func(context.Context)
	wg     sync.WaitGroup
}

func newLanes(limit int, onPanic func(key string, v any, stack []byte)) *lanes {
	if limit < 1 {
		limit = 1
	}
	return &lanes{
		limit:   make(chan struct{}, limit),
		onPanic: onPanic,
		queues:  make(map[string][]func(context.Context)),
	}
}

// submit queues job on key's lane. It never blocks on the job itself.
func (l *lanes) submit(ctx context.Context, key string, job func(context.Context)) {
	l.mu.Lock()
	q, running := l.queues[key]
	l.queues[key] = append(q, job)
	l.mu.Unlock()
	if running {
		return
	}
	l.wg.Add(1)
	go l.drain(ctx, key)
}

// drain runs key's jobs until its queue is empty, then forgets the key.
func (l *lanes) drain(ctx context.Context, key string) {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		q := l.queues[key]
		if len(q) == 0 {
			delete(l.queues, key)
			l.mu.Unlock()
			return
		}
		job := q[0]
		q[0] = nil
		l.queues[key] = q[1:]
		l.mu.Unlock()

		acquired := false
		select {
		case l.limit <- struct{}{}:
			acquired = true
		case <-ctx.Done():
			// Still run the job so it can observe the cancelled context and leave the
			// conversation consistent; it must not block on ctx.
		}
		l.run(ctx, key, job)
		if acquired {
			<-l.limit
		}
	}
}

func (l *lanes) run(ctx context.Context, key string, job func(context.Context)) {
	defer func() {
		if v := recover(); v != nil && l.onPanic != nil {
			l.onPanic(key, v, debug.Stack())
		}
	}()
	job(ctx)
}

// pending reports how many jobs wait or run, over all lanes.
func (l *lanes) pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, q := range l.queues {
		n += len(q)
	}
	return n
}

// wait blocks until every submitted job has run.
func (l *lanes) wait() { l.wg.Wait() }

func (l *lanes) String() string { return fmt.Sprintf("lanes(%d pending)", l.pending()) }
