package main

import (
	"context"
	"fmt"
	"io"
)

func runFakeWebex(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "relais fake-webex: not implemented yet")
	return 1
}
