//go:build !relais_failpoint

package main

// failpoint: the shipped binary reads no RELAIS_FAILPOINT; only test builds do
// (go build -tags relais_failpoint).
func failpoint() string { return "" }
