package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoOwnAccountApprovesOnEnter(t *testing.T) {
	t.Parallel()
	in := strings.NewReader("programme une rencontre pour Jean Dupont demain à 10h\noui\n\nmes rencontres\n")
	var out, errb bytes.Buffer
	code := runDemo(context.Background(), []string{"--now", "2026-06-16T09:00:00-04:00", "--own-account"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	for _, want := range []string{
		"votre propre compte Webex", "Press Enter to approve the code as alex.martin@example.com",
		"Approved as alex.martin@example.com", "Votre compte Webex est connecté",
		"Relais → Jean Dupont (message privé 1:1) :", "Clé organisateur", "Vos rencontres à venir",
	} {
		assert.Contains(t, s, want)
	}
	assert.Less(t, strings.Index(s, "Approved as"), strings.Index(s, "Relais → Jean Dupont"), "created only once approved")
}
