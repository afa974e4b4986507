package webextest

import (
	"sync"
	"time"
)

// locations caches time.LoadLocation by name: loading reads the zone file from disk each
// time, and every meeting creation needs its host's zone and its own. A *time.Location is
// immutable, so one value serves every caller. Only zones found are kept: their names are
// bounded by the zone database, whereas clients may send any number of wrong ones.
var locations sync.Map // name → *time.Location

// loadLocation is time.LoadLocation, cached.
func loadLocation(name string) (*time.Location, error) {
	if v, ok := locations.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		locations.Store(name, loc)
	}
	return loc, err
}
