package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// ownAccountAdvice is what the operator reads when Webex refuses an organizer's own token for
// a meetings call (RELAIS_MEETINGS_AUTH=user).
var ownAccountAdvice = "Webex refused the organizer's own authorization for meetings (401/403): the Webex Integration " +
	"(WEBEX_INTEGRATION_CLIENT_ID) must have the scopes " + strings.Join(webexapi.UserScopes, ", ") +
	", and the organizer must be allowed to host meetings on the site; their tokens were forgotten and they are asked to connect their account again"

// meetingsFailure is failureOf for a meetings call made for the organizer of organizerEmail.
// With each organizer's own account, Webex refusing their token (401, 403: a scope missing, a
// grant withdrawn) or a refresh that failed for good is the organizer's to mend, not the
// administrator's: FailureAccount, and their tokens are forgotten so that the next attempt
// asks them to connect again. own reports it, for the log.
func (b *Bot) meetingsFailure(ctx context.Context, organizerEmail string, err error, log *zerolog.Logger) (f *conversations.Failure, own bool) {
	f = failureOf(err)
	if b.accounts == nil {
		return f, false
	}
	var ae *webexapi.APIError
	switch {
	case errors.Is(err, webexapi.ErrReauthorize), errors.Is(err, accounts.ErrNotConnected):
		// organizerTokens forgot them already (or there were none).
	case errors.As(err, &ae) && (ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusForbidden) &&
		strings.Contains(ae.Path, "/meetings"):
		b.forgetOrganizer(ctx, organizerEmail, log)
	default:
		return f, false
	}
	f.Kind = conversations.FailureAccount
	return f, true
}

// forgetOrganizer deletes the tokens of the organizer of that e-mail.
func (b *Bot) forgetOrganizer(ctx context.Context, email string, log *zerolog.Logger) {
	row, err := b.store.GetOrganizerTokenByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return
	}
	if err == nil {
		err = b.accounts.Disconnect(ctx, row.PersonID)
	}
	if err != nil {
		log.Error().Err(err).Msg("cannot forget the tokens Webex refused")
	}
}
