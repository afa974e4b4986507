package webexapi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleActivityFrame = `{"id":"frame-1","data":{"eventType":"conversation.activity","activity":{
 "id":"5a5a5a5a-0000-0000-0000-000000000001","verb":"post",
 "actor":{"id":"a1","objectType":"person","displayName":"Alex","emailAddress":"alex@example.com","type":"PERSON"},
 "object":{"objectType":"comment","displayName":"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x"},
 "target":{"id":"c0c0","objectType":"conversation","url":"https://conv-r.wbx2.com/conversation/api/v1/conversations/c0c0","tags":[]},
 "parent":{"id":"p1","type":"reply"},"published":"2026-11-26T02:00:00.000Z"}},
 "timestamp":1764122400000,"trackingId":"t","sequenceNumber":3}`

func TestDecodeFrameActivity(t *testing.T) {
	t.Parallel()
	f, err := decodeFrame([]byte(sampleActivityFrame), 0)
	require.NoError(t, err)
	assert.Equal(t, "frame-1", f.ID)
	require.NotNil(t, f.activity)
	assert.Equal(t, "post", f.activity.Verb)
	assert.Equal(t, "PERSON", f.activity.Actor.Type)
	assert.Equal(t, "reply", f.activity.Parent.Type)
	assert.Equal(t, RoomTypeGroup, roomTypeOf(f.activity.Target.Tags))
	u, err := restLookupURL(f.activity)
	require.NoError(t, err)
	assert.Equal(t, "https://conv-r.wbx2.com/conversation/api/v1/messages/5a5a5a5a-0000-0000-0000-000000000001", u,
		"the cluster comes from the conversation URL, never a hard-coded prefix")
	f.activity.Verb = verbCardAction
	u, err = restLookupURL(f.activity)
	require.NoError(t, err)
	assert.Equal(t, "https://conv-r.wbx2.com/conversation/api/v1/attachment/actions/5a5a5a5a-0000-0000-0000-000000000001", u)
}

func TestDecodeFrameOthers(t *testing.T) {
	t.Parallel()
	f, err := decodeFrame([]byte(`{"id":"r","data":{"eventType":"mercury.buffer_state","buffer":{"x":1}}}`), 0)
	require.NoError(t, err)
	assert.True(t, f.isReady())
	f, err = decodeFrame([]byte(`{"id":"p","type":"pong"}`), 0)
	require.NoError(t, err)
	assert.Equal(t, mercuryTypePong, f.Type)
	f, err = decodeFrame([]byte(`{"id":"o","data":{"eventType":"apheleia.subscription_update","whatever":[1,2]}}`), 0)
	require.NoError(t, err)
	assert.Nil(t, f.activity)
}

func TestDecodeFrameRejects(t *testing.T) {
	t.Parallel()
	var sample map[string]any
	require.NoError(t, json.Unmarshal([]byte(sampleActivityFrame), &sample))
	withTarget := func(id, url string) string {
		b, _ := json.Marshal(map[string]any{"id": "f", "data": map[string]any{"eventType": "conversation.activity",
			"activity": map[string]any{"id": "a1", "verb": "post", "actor": map[string]any{"id": "x", "type": "PERSON"},
				"target": map[string]any{"id": id, "url": url}}}})
		return string(b)
	}
	cases := map[string]string{
		"not json":             `{"id":`,
		"no activity":          `{"id":"f","data":{"eventType":"conversation.activity"}}`,
		"activity wrong type":  `{"id":"f","data":{"eventType":"conversation.activity","activity":"x"}}`,
		"no verb":              `{"id":"f","data":{"eventType":"conversation.activity","activity":{"id":"a"}}}`,
		"url without conv id":  withTarget("c1", "https://conv.example/conversation/api/v1/conversations/other"),
		"url with path tricks": withTarget("../../x", "https://conv.example/conversations/../../x"),
		"url not http":         withTarget("c1", "file:///etc/conversations/c1"),
		"url with credentials": withTarget("c1", "https://u:p@conv.example/conversations/c1"),
		"empty url":            withTarget("c1", ""),
		"data not an object":   `{"id":"f","data":[1]}`,
		"too big":              `{"id":"f","pad":"` + strings.Repeat("x", DefaultMaxFrameSize) + `"}`,
	}
	for name, in := range cases {
		_, err := decodeFrame([]byte(in), 0)
		assert.True(t, errors.Is(err, errMalformedFrame), "%s: %v", name, err)
	}
	// The id of a malformed frame is salvaged so it can be acked.
	f, err := decodeFrame([]byte(`{"id":"f9","data":{"eventType":"conversation.activity","activity":{"id":7}}}`), 0)
	require.Error(t, err)
	require.NotNil(t, f)
	assert.Equal(t, "f9", f.ID)
}

func TestUUIDFromRESTID(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "abc-1", uuidFromRESTID("Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYmMtMQ"))   // raw
	assert.Equal(t, "abc-1", uuidFromRESTID("Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYmMtMQ==")) // padded
	assert.Equal(t, "", uuidFromRESTID("not base64!"))
	assert.Equal(t, "", uuidFromRESTID(""))
}

func FuzzDecodeFrame(f *testing.F) {
	f.Add([]byte(sampleActivityFrame))
	f.Add([]byte(`{"id":"r","data":{"eventType":"mercury.buffer_state"}}`))
	f.Add([]byte(`{"id":"p","type":"pong"}`))
	f.Add([]byte(`{"id":"f","data":{"eventType":"conversation.activity","activity":{"id":"a","verb":"cardAction","target":{"id":"c","url":"http://h/conversations/c"}}}}`))
	f.Add([]byte(`{"data":{"activity":null}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := decodeFrame(b, 64<<10)
		if len(b) > 64<<10 && err == nil {
			t.Fatal("oversized frame accepted")
		}
		if err == nil && fr.activity != nil && (fr.activity.Verb == verbPost || fr.activity.Verb == verbCardAction) {
			u, err := restLookupURL(fr.activity)
			if err != nil {
				t.Fatalf("accepted activity without a lookup URL: %v", err)
			}
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				t.Fatalf("lookup URL %q", u)
			}
			_ = roomTypeOf(fr.activity.Target.Tags)
		}
	})
}
