package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoAnnouncesTheReminderAsRelaisRunDoes: the demo runs the bot with the reminder `relais
// run` has by default (RELAIS_REMINDER_BEFORE=30m), so the designate's message shown is the one
// a designate really gets, with the reminder and its fresh key announced. It used to run without
// reminders, and showed a message without that line.
func TestDemoAnnouncesTheReminderAsRelaisRunDoes(t *testing.T) {
	t.Parallel()
	in := strings.NewReader("programme une rencontre pour Jean Dupont demain à 14h\noui\n")
	var out, errb bytes.Buffer
	code := runDemo(context.Background(), []string{"--now", "2026-06-16T09:00:00-04:00"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	require.Contains(t, s, "Relais → Jean Dupont (message privé 1:1) :")
	assert.Contains(t, s, "Je vous enverrai un rappel avec la clé organisateur à jour 30 minutes avant le début.")
}
