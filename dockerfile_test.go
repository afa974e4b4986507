package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDockerfileContract: Docker cannot run in CI here, so the image's promises are checked
// in the Dockerfile itself: static build, non-root, volume, ports, shell-less health check.
func TestDockerfileContract(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	df := string(raw)
	for _, want := range []string{
		"FROM golang:1.26@sha256:",
		"CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w -X main.version=${VERSION}\"",
		"FROM gcr.io/distroless/static-debian12:nonroot@sha256:",
		"USER 65532:65532",
		"RELAIS_DB=/data/relais.db",
		`VOLUME ["/data"]`,
		"EXPOSE 9090 8080",
		`CMD ["/relais", "healthcheck"]`,
		`ENTRYPOINT ["/relais"]`,
		`CMD ["run"]`,
	} {
		assert.Contains(t, df, want)
	}
	// The health check's default URL follows the image's RELAIS_ADMIN_ADDR.
	u, err := healthURL(":9090")
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9090/healthz", u)
	assert.Contains(t, df, "RELAIS_ADMIN_ADDR=:9090")
	// Time zones come with the binary, not the image.
	src, err := os.ReadFile("cmd_run.go")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(src), `_ "time/tzdata"`), "time/tzdata is embedded")

	ignore, err := os.ReadFile(".dockerignore")
	require.NoError(t, err)
	for _, want := range []string{".env", "*.db", ".git"} {
		assert.Contains(t, string(ignore), want, "kept out of the build context")
	}
}

// TestDockerfileBaseImagesPinned: every base image is pulled by digest (a tag can be moved to
// other content; a digest cannot), with the tag kept for readers.
func TestDockerfileBaseImagesPinned(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	pinned := regexp.MustCompile(`^FROM [^\s@]+:[^\s@]+@sha256:[0-9a-f]{64}(\s|$)`)
	froms := 0
	for line := range strings.SplitSeq(string(raw), "\n") {
		if strings.HasPrefix(line, "FROM ") {
			froms++
			assert.Regexp(t, pinned, line, "a base image not pinned by digest")
		}
	}
	assert.Equal(t, 2, froms, "the build stage and the runtime image")
}
