package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoFillsInTheFormFromPipedInput: « formulaire » shows the form as a readable card, « ! »
// prompts for each input then presses its button, « !Confirmer » presses a summary button, and
// the same old button pressed again is told it was already used.
func TestDemoFillsInTheFormFromPipedInput(t *testing.T) {
	t.Parallel()
	in := strings.NewReader("formulaire\n!\nMarie Tremblay\n2026-06-17\n14:00\n5\nSuivi\n!Confirmer\n!Confirmer\n")
	var out, errb bytes.Buffer
	code := runDemo(context.Background(), []string{"--now", "2026-06-16T09:00:00-04:00"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	for _, want := range []string{
		"┃ Pour qui (nom ou courriel) : ____",
		"┃ Durée : 1 h",
		"[1. Programmer]",
		"Pour qui (nom ou courriel) [____] ? Marie Tremblay",
		"→ [Programmer]",
		"[1. Confirmer] [2. Modifier] [3. Annuler]",
		"de 14 h 00 à 15 h 30",
		"C'est fait",
		"Relais → Marie Tremblay (message privé 1:1) :",
		"[Rejoindre la réunion → https://",
		"déjà servi",
	} {
		assert.Contains(t, s, want)
	}
	assert.Equal(t, 1, strings.Count(s, "C'est fait"), "one meeting")
}

// TestDemoGreetsTheGroupSpace: with --room, Relais is added to the space and introduces itself
// once, with the form's button; the form is filled in there.
func TestDemoGreetsTheGroupSpace(t *testing.T) {
	t.Parallel()
	in := strings.NewReader("!\n!\nBob Smith\n2026-06-17\n10:00\n\n\n")
	var out, errb bytes.Buffer
	code := runDemo(context.Background(), []string{"--now", "2026-06-16T09:00:00-04:00", "--room", "Équipe"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	assert.Equal(t, 1, strings.Count(s, "│ Pour me demander une rencontre ici, mentionnez-moi : « @Relais"), "greeted once")
	assert.Contains(t, s, "→ [Ouvrir le formulaire]")
	assert.Contains(t, s, "[1. Confirmer] [2. Modifier] [3. Annuler]")
	assert.Contains(t, s, "Bob Smith (bob.smith@example.com)")
}
