package main

import (
	"bufio"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A line longer than Webex accepts (7,439 bytes), or longer than the demo reads, is refused
// with a message and the session goes on to the next line.
func TestDemoGoesOnAfterALineTooLong(t *testing.T) {
	t.Parallel()
	in := strings.NewReader(strings.Repeat("é", 4000) + "\n" + strings.Repeat("x", 200<<10) + "\naide\n")
	var out, errb bytes.Buffer
	code := runDemo(context.Background(), []string{"--now", "2026-06-16T09:00:00-04:00"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	assert.Equal(t, 2, strings.Count(s, "Message refusé"), s[:min(len(s), 2000)])
	assert.Contains(t, s, "Message refused")
	assert.Contains(t, s, "> aide", "the session went on")
	assert.Empty(t, errb.String())
}

func TestReadDemoLineKeepsAtMostTheLimit(t *testing.T) {
	t.Parallel()
	r := bufio.NewReaderSize(strings.NewReader("short\n"+strings.Repeat("y", 100)+"\nlast"), 16)
	line, long, err := readDemoLine(r, 10)
	require.NoError(t, err)
	assert.Equal(t, "short", line)
	assert.False(t, long)
	line, long, err = readDemoLine(r, 10)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("y", 10), line)
	assert.True(t, long)
	line, long, err = readDemoLine(r, 10)
	require.NoError(t, err)
	assert.Equal(t, "last", line)
	assert.False(t, long)
	_, _, err = readDemoLine(r, 10)
	require.Error(t, err)
}
