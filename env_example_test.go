package main

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
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

// TestDeployingGuideCoversVariablesAndMetrics keeps docs/deploying.md in step with config.go
// and the bot's metrics.
func TestDeployingGuideCoversVariablesAndMetrics(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("docs/deploying.md")
	require.NoError(t, err)
	guide := string(raw)
	typ := reflect.TypeFor[config]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("env"), ",")
		if name != "" {
			assert.Contains(t, guide, "`"+name+"`", "%s is not documented", name)
		}
	}
	m := bot.NewMetrics(func() float64 { return 0 })
	descs := make(chan *prometheus.Desc, 256)
	m.Registry.Describe(descs)
	close(descs)
	fqName := regexp.MustCompile(`fqName: "(relais_[a-z_]+)"`)
	n := 0
	for d := range descs {
		if sm := fqName.FindStringSubmatch(d.String()); sm != nil {
			n++
			assert.Contains(t, guide, "`"+sm[1]+"`", "metric %s is not documented", sm[1])
		}
	}
	assert.GreaterOrEqual(t, n, 10, "the metrics were found")
}
