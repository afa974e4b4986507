package webexapi

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// MinWebhookSecret is the shortest webhook secret Relais accepts: a short secret can be guessed
// and every forged event would then pass the signature check.
const MinWebhookSecret = 16

// CheckWebhookSecret reports whether secret may sign webhooks. It is the one place this rule
// is written: the configuration, the doctor and the runtime all call it.
func CheckWebhookSecret(secret string) error {
	if secret == "" {
		return ErrNoWebhookSecret
	}
	if n := utf8.RuneCountInString(secret); n < MinWebhookSecret {
		return fmt.Errorf("%w: %d characters, at least %d needed", ErrShortWebhookSecret, n, MinWebhookSecret)
	}
	return nil
}

// ErrShortWebhookSecret: the webhook secret is too short to resist guessing.
var ErrShortWebhookSecret = errors.New("webhook secret too short")
