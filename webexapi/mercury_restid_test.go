package webexapi

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClusterOfRESTIDs(t *testing.T) {
	t.Parallel()
	const uuid = "081c2410-5f7e-11ee-8f3b-a1b2c3d4e5f6"
	raw := base64.RawStdEncoding.EncodeToString
	padded := base64.StdEncoding.EncodeToString
	for _, tc := range []struct {
		name, id, kind, cluster string
		ok                      bool
	}{
		{"unpadded", raw([]byte("ciscospark://urn:TEAM:us-west-2_r/MESSAGE/" + uuid)), "MESSAGE", "urn:TEAM:us-west-2_r", true},
		{"padded", padded([]byte("ciscospark://us/MESSAGE/" + uuid)), "MESSAGE", "us", true},
		{"card action", raw([]byte("ciscospark://urn:TEAM:eu-central-1_k/ATTACHMENT_ACTION/" + uuid)), "ATTACHMENT_ACTION", "urn:TEAM:eu-central-1_k", true},
		{"another kind", raw([]byte("ciscospark://us/ROOM/" + uuid)), "MESSAGE", "", false},
		{"another uuid", raw([]byte("ciscospark://us/MESSAGE/0000")), "MESSAGE", "", false},
		{"not a Webex id", raw([]byte("https://evil/MESSAGE/" + uuid)), "MESSAGE", "", false},
		{"odd cluster", raw([]byte("ciscospark://us?x=/MESSAGE/" + uuid)), "MESSAGE", "", false},
		{"not base64", "%%%", "MESSAGE", "", false},
	} {
		cl, ok := clusterOf(tc.id, tc.kind, uuid)
		assert.Equal(t, tc.ok, ok, tc.name)
		assert.Equal(t, tc.cluster, cl, tc.name)
		if ok {
			back, _ := clusterOf(buildRESTID(cl, tc.kind, uuid), tc.kind, uuid)
			assert.Equal(t, cl, back, "%s: built ids read back", tc.name)
		}
	}
}

func TestClusterCacheIsBounded(t *testing.T) {
	t.Parallel()
	var c clusterCache
	for i := range maxKnownClusters + 10 {
		c.put(string(rune('a'+i%26))+string(rune(i)), "us")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	assert.LessOrEqual(t, len(c.m), maxKnownClusters)
}
