package main

import (
	"context"
	"fmt"
	"io"
)

func runDemo(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "relais demo: not implemented yet")
	return 1
}
