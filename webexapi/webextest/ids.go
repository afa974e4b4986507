package webextest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"strings"

	"github.com/google/uuid"
)

// cluster is the region prefix Webex puts in room-scoped ids (messages, rooms, actions,
// webhooks); people ids stay "us".
const cluster = "urn:TEAM:us-east-2_a"

// Resource kinds as they appear in decoded REST ids.
const (
	kindPeople     = "PEOPLE"
	kindRoom       = "ROOM"
	kindMessage    = "MESSAGE"
	kindAction     = "ATTACHMENT_ACTION"
	kindWebhook    = "WEBHOOK"
	kindMembership = "MEMBERSHIP"
	kindOrg        = "ORGANIZATION"
)

// restID encodes a uuid as Webex does: raw base64 of ciscospark://<cluster>/<KIND>/<uuid>.
func restID(kind, id string) string {
	region := cluster
	if kind == kindPeople || kind == kindOrg {
		region = "us"
	}
	return base64.RawStdEncoding.EncodeToString([]byte("ciscospark://" + region + "/" + kind + "/" + id))
}

// parseID decodes a REST id of the given kind (padded or not) and returns its uuid. Like Webex,
// it does not know a message, room or card action named with another cluster than the room's
// (FACTS §6.4: a message id guessed with "us" gives a 404).
func parseID(id, kind string) (string, bool) {
	id = strings.TrimSpace(id)
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.StdEncoding, base64.RawURLEncoding, base64.URLEncoding} {
		if raw, err = enc.DecodeString(id); err == nil {
			break
		}
	}
	if err != nil {
		return "", false
	}
	s := string(raw)
	if !strings.HasPrefix(s, "ciscospark://") {
		return "", false
	}
	parts := strings.Split(strings.TrimPrefix(s, "ciscospark://"), "/")
	if len(parts) != 3 || parts[1] != kind || parts[2] == "" {
		return "", false
	}
	if (kind == kindMessage || kind == kindRoom || kind == kindAction) && parts[0] != cluster {
		return "", false
	}
	return parts[2], true
}

// newUUID returns a random UUID string.
func newUUID() string { return uuid.NewString() }

// randomHex returns n random bytes as lowercase hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

// randomDigits returns n random decimal digits, the first one non-zero.
func randomDigits(n int) string {
	var sb strings.Builder
	for i := range n {
		lo := int64(0)
		if i == 0 {
			lo = 1
		}
		v, _ := rand.Int(rand.Reader, big.NewInt(10-lo))
		sb.WriteByte(byte('0' + lo + v.Int64()))
	}
	return sb.String()
}

// randomFrom returns n characters drawn from alphabet.
func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		v, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

// trackingID looks like Webex's ROUTER_… tracking ids.
func trackingID() string {
	return "ROUTER_" + strings.ToUpper(randomHex(16))
}
