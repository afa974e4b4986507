package main

import (
	"context"
	"fmt"
	"io"
)

func runRun(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "relais run: not implemented yet")
	return 1
}
