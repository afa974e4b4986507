package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// lanes runs the jobs of one key (a conversation) in submission order, one at a time, while jobs
// of different keys run concurrently on at most `workers` goroutines: a flood of keys costs
// queued closures, never a goroutine each. A key's queue holds at most maxQueue jobs. A
// panicking job is recovered and reported; its lane goes on with the next job.
type lanes struct {
	workers  int
	maxQueue int
	onPanic  func(key string, v any, stack []byte)

	mu      sync.Mutex
	queues  map[string][]laneJob // jobs not yet run, per key
	running map[string]bool      // keys a worker is running a job of
	ready   []string             // keys with jobs, not running, oldest first
	low     map[string]bool      // keys whose jobs wait behind every other key's
	readyLo []string             // low keys with jobs, not running, oldest first
	active  int                  // worker goroutines alive
	wg      sync.WaitGroup       // one per worker goroutine
}

type laneJob struct {
	ctx context.Context
	run func(context.Context)
}

func newLanes(workers int, onPanic func(key string, v any, stack []byte)) *lanes {
	if workers < 1 {
		workers = 1
	}
	return &lanes{
		workers: workers,
		onPanic: onPanic,
		queues:  make(map[string][]laneJob),
		running: make(map[string]bool),
		low:     make(map[string]bool),
	}
}

// submit queues job on key's lane; it never blocks on the job itself. It reports false, and
// drops the job, when key's queue is full.
func (l *lanes) submit(ctx context.Context, key string, job func(context.Context)) bool {
	return l.enqueue(ctx, key, job, false)
}

// submitLow is submit for a key whose jobs run only when no other key has one waiting (people
// the bot does not serve): a flood of them never delays the people it does.
func (l *lanes) submitLow(ctx context.Context, key string, job func(context.Context)) bool {
	return l.enqueue(ctx, key, job, true)
}

func (l *lanes) enqueue(ctx context.Context, key string, job func(context.Context), low bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queues[key]
	if l.maxQueue > 0 && len(q) >= l.maxQueue {
		return false
	}
	l.queues[key] = append(q, laneJob{ctx: ctx, run: job})
	if len(q) == 0 && !l.running[key] {
		l.low[key] = low
		l.makeReady(key)
	}
	if l.active < l.workers {
		l.active++
		l.wg.Add(1)
		go l.work()
	}
	return true
}

// full reports whether key's queue cannot take another job.
func (l *lanes) full(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.maxQueue > 0 && len(l.queues[key]) >= l.maxQueue
}

// makeReady puts key at the end of its ready list; l.mu is held.
func (l *lanes) makeReady(key string) {
	if l.low[key] {
		l.readyLo = append(l.readyLo, key)
	} else {
		l.ready = append(l.ready, key)
	}
}

// next takes the oldest ready key, low keys last; l.mu is held.
func (l *lanes) next() (string, bool) {
	list := &l.ready
	if len(*list) == 0 {
		list = &l.readyLo
	}
	if len(*list) == 0 {
		return "", false
	}
	key := (*list)[0]
	(*list)[0] = ""
	*list = (*list)[1:]
	return key, true
}

// work runs one job of the oldest ready key at a time, until no key is ready.
func (l *lanes) work() {
	defer l.wg.Done()
	l.mu.Lock()
	for {
		key, ok := l.next()
		if !ok {
			break
		}
		q := l.queues[key]
		job := q[0]
		q[0] = laneJob{}
		if len(q) == 1 {
			delete(l.queues, key)
		} else {
			l.queues[key] = q[1:]
		}
		l.running[key] = true
		l.mu.Unlock()

		l.run(key, job)

		l.mu.Lock()
		delete(l.running, key)
		if len(l.queues[key]) > 0 {
			l.makeReady(key) // its next job, after the other keys' turn
		} else {
			delete(l.low, key)
		}
	}
	l.active--
	l.mu.Unlock()
}

func (l *lanes) run(key string, job laneJob) {
	defer func() {
		if v := recover(); v != nil && l.onPanic != nil {
			l.onPanic(key, v, debug.Stack())
		}
	}()
	job.run(job.ctx)
}

// pending reports how many jobs wait or run, over all lanes.
func (l *lanes) pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.running)
	for _, q := range l.queues {
		n += len(q)
	}
	return n
}

// wait blocks until every submitted job has run.
func (l *lanes) wait() { l.wg.Wait() }

func (l *lanes) String() string { return fmt.Sprintf("lanes(%d pending)", l.pending()) }
