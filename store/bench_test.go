package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func benchStore(b *testing.B) Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func BenchmarkPutConversation(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	state := []byte(`{"step":"confirm","person":"marie.cote@example.org","start":"2026-06-18T14:00:00-04:00"}`)
	var v int64
	for b.Loop() {
		var err error
		v, err = s.PutConversation(ctx, Conversation{Key: "room|thread|person", State: state,
			ExpiresAt: t0.Add(time.Hour)}, v)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClaimEvent(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.ClaimEvent(ctx, fmt.Sprint("event-", i), t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClaimEventParallel(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		id := fmt.Sprintf("%p", pb)
		i := 0
		for pb.Next() {
			i++
			if _, err := s.ClaimEvent(ctx, fmt.Sprint(id, "-", i), t0); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
