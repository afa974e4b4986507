package sealed

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newKey(t *testing.T) []byte {
	t.Helper()
	b := make([]byte, KeySize)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	kr, err := NewKeyring(Key{ID: "k1", Secret: newKey(t)})
	require.NoError(t, err)
	ad := []byte("organizer|access")
	v, err := kr.SealString("access-token-value", ad)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(v, []byte("access-token-value")), "the plaintext is not in the sealed value")
	id, err := KeyID(v)
	require.NoError(t, err)
	assert.Equal(t, "k1", id)
	got, err := kr.OpenString(v, ad)
	require.NoError(t, err)
	assert.Equal(t, "access-token-value", got)

	again, err := kr.SealString("access-token-value", ad)
	require.NoError(t, err)
	assert.NotEqual(t, v, again, "a fresh nonce each time")
}

func TestOpenRefusesOtherPlaceOrAlteredValue(t *testing.T) {
	t.Parallel()
	kr, err := NewKeyring(Key{ID: "k1", Secret: newKey(t)})
	require.NoError(t, err)
	v, err := kr.SealString("secret", []byte("alice|refresh"))
	require.NoError(t, err)

	_, err = kr.Open(v, []byte("bob|refresh"))
	assert.ErrorIs(t, err, ErrCorrupt, "a value copied to another row does not open")

	altered := bytes.Clone(v)
	altered[len(altered)-1] ^= 1
	_, err = kr.Open(altered, []byte("alice|refresh"))
	assert.ErrorIs(t, err, ErrCorrupt)

	for _, bad := range [][]byte{nil, {}, {version}, {2, 2, 'k', '1'}, v[:10]} {
		_, err = kr.Open(bad, nil)
		assert.ErrorIs(t, err, ErrCorrupt, "%x", bad)
	}
}

func TestKeyRotationReadsOldValues(t *testing.T) {
	t.Parallel()
	oldKey, newKeyBytes := newKey(t), newKey(t)
	before, err := ParseKeyring("2026a:" + b64(oldKey))
	require.NoError(t, err)
	sealedBefore, err := before.SealString("refresh-1", []byte("ad"))
	require.NoError(t, err)

	after, err := ParseKeyring("2026b:" + b64(newKeyBytes) + ", 2026a:" + b64(oldKey))
	require.NoError(t, err)
	assert.Equal(t, "2026b", after.PrimaryID())
	assert.Equal(t, []string{"2026b", "2026a"}, after.IDs())

	got, err := after.OpenString(sealedBefore, []byte("ad"))
	require.NoError(t, err, "a value sealed with the old key still opens")
	assert.Equal(t, "refresh-1", got)
	assert.True(t, after.NeedsReseal(sealedBefore))

	resealed, err := after.SealString(got, []byte("ad"))
	require.NoError(t, err)
	assert.False(t, after.NeedsReseal(resealed))
	id, err := KeyID(resealed)
	require.NoError(t, err)
	assert.Equal(t, "2026b", id, "new values are sealed with the first key")

	onlyNew, err := ParseKeyring("2026b:" + b64(newKeyBytes))
	require.NoError(t, err)
	_, err = onlyNew.Open(sealedBefore, []byte("ad"))
	assert.ErrorIs(t, err, ErrUnknownKey, "the old key removed too soon is reported as such")
}

func TestBareKeysGetTheirFingerprintAsID(t *testing.T) {
	t.Parallel()
	oldKey, newKeyBytes := newKey(t), newKey(t)
	before, err := ParseKeyring(b64(oldKey))
	require.NoError(t, err)
	assert.Equal(t, Fingerprint(oldKey), before.PrimaryID())
	v, err := before.SealString("x", nil)
	require.NoError(t, err)

	// Rotating a bare key: the new one first, the old one after, still bare.
	after, err := ParseKeyring(base64.RawURLEncoding.EncodeToString(newKeyBytes) + "," + b64(oldKey))
	require.NoError(t, err)
	got, err := after.OpenString(v, nil)
	require.NoError(t, err)
	assert.Equal(t, "x", got)
}

func TestParseKeyringErrors(t *testing.T) {
	t.Parallel()
	good := b64(newKey(t))
	short := b64(make([]byte, 16))
	for _, tc := range []struct{ in, want string }{
		{"", "no key"},
		{" , ", "no key"},
		{"k1:" + short, "16 bytes"},
		{"k1:not base64!!", "not base64"},
		{"bad id:" + good, "id"},
		{"k1:" + good + ",k1:" + b64(newKey(t)), "twice"},
		{strings.Repeat("x", 33) + ":" + good, "id"},
	} {
		_, err := ParseKeyring(tc.in)
		require.Error(t, err, "%q", tc.in)
		assert.Contains(t, err.Error(), tc.want, "%q", tc.in)
		assert.NotContains(t, err.Error(), good, "an error never quotes a key")
	}
}

func FuzzOpen(f *testing.F) {
	kr, err := NewKeyring(Key{ID: "k1", Secret: bytes.Repeat([]byte{7}, KeySize)})
	if err != nil {
		f.Fatal(err)
	}
	v, err := kr.Seal([]byte("x"), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(v)
	f.Add([]byte{version, 2, 'k', '1'})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = kr.Open(b, nil) // never panics
	})
}
