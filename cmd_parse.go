package main

import (
	"context"
	"fmt"
	"io"
)

func runParse(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "relais parse: not implemented yet")
	return 1
}
