package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoTranscriptFromPipedInput(t *testing.T) {
	t.Parallel()
	in := strings.NewReader("programme une rencontre pour Marie demain à 14h\n2\noui\nmes rencontres\n")
	var out, errb bytes.Buffer
	code := runDemo(context.Background(), []string{"--now", "2026-06-16T09:00:00-04:00"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	for _, want := range []string{
		"> programme une rencontre pour Marie demain à 14h",
		"1. Marie Tremblay", "2. Marie Gagnon",
		"mercredi 17 juin 2026, de 14 h 00 à 15 h 00",
		"Relais → Marie Gagnon (message privé 1:1) :",
		"Clé organisateur", "Prendre le rôle d'organisateur", "Reclaim host role",
		"Vos rencontres à venir",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "Relais → Marie Tremblay", "the other Marie gets nothing")
}

func TestDemoRejectsBadFlags(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	assert.Equal(t, 2, runDemo(context.Background(), []string{"--now", "demain"}, strings.NewReader(""), &out, &errb))
	assert.Contains(t, errb.String(), "RFC 3339")
	errb.Reset()
	assert.Equal(t, 2, runDemo(context.Background(), []string{"--as", "nobody@example.com"}, strings.NewReader(""), &out, &errb))
	assert.Contains(t, errb.String(), "not in the directory")
}

func TestUnknownCommandExits2(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	assert.Equal(t, 2, dispatch(context.Background(), []string{"frobnicate"}, strings.NewReader(""), &out, &errb))
	assert.Contains(t, errb.String(), "unknown command")
	assert.Contains(t, errb.String(), "demo")
	assert.Equal(t, 2, dispatch(context.Background(), nil, strings.NewReader(""), &out, &errb))
}
