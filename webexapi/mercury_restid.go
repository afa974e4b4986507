package webexapi

import (
	"encoding/base64"
	"strings"
	"sync"
)

// maxKnownClusters bounds the conversations whose cluster the listener remembers.
const maxKnownClusters = 20000

// clusterCache remembers, per conversation, the cluster Webex puts in the REST ids of its
// messages and card actions ("ciscospark://urn:TEAM:us-west-2_r/MESSAGE/<uuid>": the room's
// cluster, FACTS §6.4), learnt from a conversation-URL lookup. A later activity of the same
// conversation then gets its REST id without that round trip; a guess Webex does not know (404)
// falls back to the lookup.
type clusterCache struct {
	mu sync.Mutex
	m  map[string]string // conversation id → cluster
}

func (c *clusterCache) get(conversationID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.m[conversationID]
	return cl, ok
}

func (c *clusterCache) put(conversationID, cluster string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxKnownClusters {
		c.m = make(map[string]string) // start over rather than track recency: a lookup refills it
	}
	c.m[conversationID] = cluster
}

func (c *clusterCache) forget(conversationID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, conversationID)
}

// restKind is the resource name in the REST id of an activity's object.
func restKind(verb string) string {
	if verb == verbCardAction {
		return "ATTACHMENT_ACTION"
	}
	return "MESSAGE"
}

// clusterOf returns the cluster of a REST id of the given kind whose uuid is uuid, or false when
// id is not one (then nothing is learnt from it).
func clusterOf(id, kind, uuid string) (string, bool) {
	rest, ok := decodeRESTID(id)
	if !ok {
		return "", false
	}
	cl, tail, ok := strings.Cut(rest, "/")
	if !ok || cl == "" || tail != kind+"/"+uuid || !safeCluster(cl) {
		return "", false
	}
	return cl, true
}

// safeCluster accepts the characters seen in clusters ("us", "urn:TEAM:us-west-2_r").
func safeCluster(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ':', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}

// buildRESTID encodes a REST id as Webex does (unpadded base64).
func buildRESTID(cluster, kind, uuid string) string {
	return base64.RawStdEncoding.EncodeToString([]byte("ciscospark://" + cluster + "/" + kind + "/" + uuid))
}
