//go:build relais_failpoint

package main

import "os"

// failpoint is RELAIS_FAILPOINT, read only by binaries built for the crash tests
// (go build -tags relais_failpoint).
func failpoint() string { return os.Getenv("RELAIS_FAILPOINT") }
