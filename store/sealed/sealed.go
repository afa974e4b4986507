// Package sealed encrypts small secrets at rest (the organizers' Webex tokens) with AES-256-GCM
// under a keyring, so that the key can be rotated without losing what was sealed before.
//
// A sealed value carries the id of the key that sealed it:
//
//	0x01 | len(keyID) | keyID | 12-byte nonce | ciphertext and tag
//
// Seal always uses the keyring's first key; Open finds the key by the id in the value. To
// rotate, put the new key first and keep the old one after it until every value has been sealed
// again (NeedsReseal tells which).
//
// The additional data given to Seal must be given to Open: it binds a value to its place (the
// organizer and the column), so a value copied to another row does not open.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key: 32 bytes (AES-256).
const KeySize = 32

const (
	version   = 0x01
	nonceSize = 12
	maxIDLen  = 32
)

// Errors of Open. Compare with errors.Is.
var (
	// ErrUnknownKey reports a value sealed with a key the keyring does not hold (removed too soon).
	ErrUnknownKey = errors.New("sealed: sealed with a key the keyring does not hold")
	// ErrCorrupt reports a value that is not a sealed value, was altered, or was opened with other
	// additional data.
	ErrCorrupt = errors.New("sealed: value altered or not a sealed value")
)

// key is one keyring entry.
type key struct {
	id   string
	aead cipher.AEAD
}

// Keyring holds one or more keys; the first seals. It is safe for concurrent use.
type Keyring struct {
	keys []key
	byID map[string]cipher.AEAD
}

// Key is one key of a keyring given by its bytes. An empty ID is replaced by the key's
// fingerprint (see Fingerprint).
type Key struct {
	ID     string
	Secret []byte
}

// NewKeyring builds a keyring; the first key seals. Every key must be KeySize bytes and ids
// must be unique, 1 to 32 characters from [A-Za-z0-9_.-].
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("sealed: no key")
	}
	kr := &Keyring{byID: make(map[string]cipher.AEAD, len(keys))}
	for i, k := range keys {
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("sealed: key %d is %d bytes, want %d", i+1, len(k.Secret), KeySize)
		}
		id := k.ID
		if id == "" {
			id = Fingerprint(k.Secret)
		}
		if !validID(id) {
			return nil, fmt.Errorf("sealed: key %d: id %q: use 1 to %d characters from A-Z a-z 0-9 _ . -", i+1, id, maxIDLen)
		}
		if _, dup := kr.byID[id]; dup {
			return nil, fmt.Errorf("sealed: key id %q appears twice", id)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("sealed: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("sealed: key %d: %w", i+1, err)
		}
		kr.keys = append(kr.keys, key{id: id, aead: aead})
		kr.byID[id] = aead
	}
	return kr, nil
}

// ParseKeyring reads a keyring from its configuration form (RELAIS_ENCRYPTION_KEY): a
// comma-separated list of keys, each "ID:BASE64" or a bare "BASE64" (its id is then its
// fingerprint), the key to seal with first. BASE64 is standard or URL-safe base64, padded or
// not, of exactly 32 bytes (e.g. `openssl rand -base64 32`). Errors never quote a key.
func ParseKeyring(s string) (*Keyring, error) {
	var keys []Key
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, enc, ok := strings.Cut(part, ":")
		if !ok {
			id, enc = "", part
		}
		secret, err := decodeKey(strings.TrimSpace(enc))
		if err != nil {
			return nil, fmt.Errorf("sealed: key %d: %w", i+1, err)
		}
		keys = append(keys, Key{ID: strings.TrimSpace(id), Secret: secret})
	}
	if len(keys) == 0 {
		return nil, errors.New("sealed: no key")
	}
	return NewKeyring(keys...)
}

// decodeKey decodes base64 in any of its four usual forms to exactly KeySize bytes.
func decodeKey(enc string) ([]byte, error) {
	for _, e := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := e.DecodeString(enc); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("decodes to %d bytes, want %d (generate one with `openssl rand -base64 32`)", len(b), KeySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64 (generate one with `openssl rand -base64 32`)")
}

// Fingerprint is the id a key gets when none is given: "k" and the first 8 hex digits of the
// SHA-256 of the key. It reveals nothing usable about the key.
func Fingerprint(secret []byte) string {
	sum := sha256.Sum256(secret)
	return "k" + hex.EncodeToString(sum[:4])
}

func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
		default:
			return false
		}
	}
	return true
}

// PrimaryID is the id of the key that seals.
func (kr *Keyring) PrimaryID() string { return kr.keys[0].id }

// IDs lists the key ids, the sealing key first.
func (kr *Keyring) IDs() []string {
	out := make([]string, len(kr.keys))
	for i, k := range kr.keys {
		out[i] = k.id
	}
	return out
}

// Seal encrypts plaintext with the primary key, binding it to additionalData.
func (kr *Keyring) Seal(plaintext, additionalData []byte) ([]byte, error) {
	k := kr.keys[0]
	out := make([]byte, 0, 2+len(k.id)+nonceSize+len(plaintext)+k.aead.Overhead())
	out = append(out, version, byte(len(k.id)))
	out = append(out, k.id...)
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("sealed: nonce: %w", err)
	}
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plaintext, additionalData), nil
}

// SealString is Seal for a string.
func (kr *Keyring) SealString(plaintext string, additionalData []byte) ([]byte, error) {
	return kr.Seal([]byte(plaintext), additionalData)
}

// Open decrypts a value sealed by any key of the keyring with the same additionalData.
func (kr *Keyring) Open(value, additionalData []byte) ([]byte, error) {
	id, rest, err := split(value)
	if err != nil {
		return nil, err
	}
	aead, ok := kr.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w (key id %q)", ErrUnknownKey, id)
	}
	plain, err := aead.Open(nil, rest[:nonceSize], rest[nonceSize:], additionalData)
	if err != nil {
		return nil, ErrCorrupt
	}
	return plain, nil
}

// OpenString is Open returning a string.
func (kr *Keyring) OpenString(value, additionalData []byte) (string, error) {
	b, err := kr.Open(value, additionalData)
	return string(b), err
}

// KeyID returns the id of the key that sealed value, without opening it.
func KeyID(value []byte) (string, error) {
	id, _, err := split(value)
	return id, err
}

// NeedsReseal reports whether value was sealed by another key than the primary one (or is not
// a sealed value): seal it again to finish a rotation.
func (kr *Keyring) NeedsReseal(value []byte) bool {
	id, err := KeyID(value)
	return err != nil || id != kr.PrimaryID()
}

// split cuts a sealed value into its key id and nonce+ciphertext.
func split(value []byte) (string, []byte, error) {
	if len(value) < 2 || value[0] != version {
		return "", nil, ErrCorrupt
	}
	n := int(value[1])
	if n == 0 || n > maxIDLen || len(value) < 2+n+nonceSize+16 {
		return "", nil, ErrCorrupt
	}
	return string(value[2 : 2+n]), value[2+n:], nil
}
