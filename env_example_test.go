package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEnvExampleListsEveryVariable keeps .env.example in step with config.go.
func TestEnvExampleListsEveryVariable(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(".env.example")
	require.NoError(t, err)
	example := string(raw)
	typ := reflect.TypeFor[config]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("env"), ",")
		if name == "" {
			continue
		}
		assert.Contains(t, example, name+"=", "%s is missing from .env.example", name)
	}
	for _, name := range secretVars {
		assert.Contains(t, example, name, "secret %s", name)
	}
	assert.Contains(t, example, "_FILE")
	assert.Contains(t, example, "HTTPS_PROXY")
}
