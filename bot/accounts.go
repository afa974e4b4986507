package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Each organizer's own Webex account (RELAIS_MEETINGS_AUTH=user, Deps.Accounts): every
// meetings call runs with the token of the organizer it belongs to (organizerTokens, put in
// the call's context); the dialogue's EnsureAccount and DisconnectAccount are executed here;
// a poller waits for the approvals (accounts.Poll: one replica per pending authorization, by
// lease) and carries on with the request that waited, in its conversation.

// accountRequest is what a pending authorization remembers of the conversation to carry on
// with (no secret).
type accountRequest struct {
	Key        string   `json:"key"`
	RoomID     string   `json:"roomId"`
	RoomType   string   `json:"roomType"`
	ThreadRoot string   `json:"threadRoot,omitempty"`
	EventID    string   `json:"eventId,omitempty"`
	TimeZone   string   `json:"timeZone,omitempty"`
	Lang       nlu.Lang `json:"lang,omitempty"`
}

// organizerTokens is the token source of one organizer, found when a call first needs it. A
// refresh token that no longer works (revoked, expired) deletes the organizer's tokens: the
// next request asks them to connect again.
type organizerTokens struct {
	b        *Bot
	personID string
	email    func(ctx context.Context) (string, error) // when personID is unknown (jobs)

	mu  sync.Mutex
	src *webexapi.UserTokenSource // found at the first call
}

// Token implements webexapi.TokenSource.
func (o *organizerTokens) Token(ctx context.Context) (string, error) {
	src, err := o.source(ctx)
	if err != nil {
		return "", err
	}
	tok, err := src.Token(ctx)
	if errors.Is(err, webexapi.ErrReauthorize) {
		o.b.forgetAccount(ctx, o.personID, err)
	}
	return tok, err
}

// source finds the organizer's token source once.
func (o *organizerTokens) source(ctx context.Context) (*webexapi.UserTokenSource, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.src != nil {
		return o.src, nil
	}
	if o.personID == "" {
		email, err := o.email(ctx)
		if err != nil {
			return nil, err
		}
		row, err := o.b.store.GetOrganizerTokenByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			return nil, accounts.ErrNotConnected
		}
		if err != nil {
			return nil, err
		}
		o.personID = row.PersonID // to forget the tokens if they no longer work
	}
	src, err := o.b.accounts.TokenSource(ctx, o.personID, "")
	if err != nil {
		return nil, err
	}
	o.src = src
	return src, nil
}

// Invalidate implements webexapi.Invalidator.
func (o *organizerTokens) Invalidate(token string) {
	o.mu.Lock()
	src := o.src
	o.mu.Unlock()
	if src != nil {
		src.Invalidate(token)
	}
}

// forgetAccount deletes the tokens of an organizer whose refresh token no longer works.
func (b *Bot) forgetAccount(ctx context.Context, personID string, cause error) {
	if personID == "" {
		return
	}
	if err := b.accounts.Disconnect(ctx, personID); err != nil {
		b.log.Error().Err(err).Str("person", personID).Msg("cannot forget the tokens of an organizer's revoked authorization")
		return
	}
	b.log.Warn().Str("person", personID).AnErr("cause", cause).Msg("organizer's authorization no longer works; tokens deleted, they will be asked to connect again")
}

// asOrganizer returns ctx whose meetings calls use the turn's organizer's own token.
func (b *Bot) asOrganizer(ctx context.Context, t *turn) context.Context {
	if b.accounts == nil {
		return ctx
	}
	return webexapi.ContextWithTokenSource(ctx, &organizerTokens{b: b, personID: t.personID})
}

// asJobOrganizer returns ctx whose meetings calls use the token of the organizer of the job's
// meeting (read from the ledger when first needed).
func (b *Bot) asJobOrganizer(ctx context.Context, it store.OutboxItem) context.Context {
	if b.accounts == nil || it.Kind == kindEvent || it.Kind == kindIntake || it.Kind == kindAccount {
		return ctx
	}
	src := &organizerTokens{b: b, email: func(ctx context.Context) (string, error) {
		meetingID := jobMeetingID(it) // jobs.go
		if meetingID == "" {
			return "", fmt.Errorf("job %s: no meeting", it.Key)
		}
		m, err := b.store.GetMeeting(ctx, meetingID)
		if err != nil {
			return "", err
		}
		return m.OrganizerEmail, nil
	}}
	return webexapi.ContextWithTokenSource(ctx, src)
}

// executeAccount runs EnsureAccount and DisconnectAccount.
func (b *Bot) executeAccount(ctx context.Context, e conversations.Effect, t *turn, s *secrets, log *zerolog.Logger) conversations.Result {
	lang := e.Lang
	if lang == "" {
		lang = b.cfg.DefaultLang
	}
	res := b.ensureAccount(ctx, e, lang, t, s, log)
	if res.Account == nil {
		res.Account = &conversations.AccountInfo{}
	}
	res.Account.Lang = lang // for a dialogue that ended with the command
	return res
}

func (b *Bot) ensureAccount(ctx context.Context, e conversations.Effect, lang nlu.Lang, t *turn, s *secrets, log *zerolog.Logger) conversations.Result {
	if b.accounts == nil {
		return conversations.Result{Kind: conversations.AccountReady}
	}
	if e.Kind == conversations.DisconnectAccount {
		res := conversations.Result{Kind: conversations.AccountDisconnected}
		if err := b.accounts.Disconnect(ctx, t.personID); err != nil {
			log.Error().Err(err).Msg("cannot disconnect the organizer's account")
			res.Err = &conversations.Failure{Kind: conversations.FailureUnavailable, Detail: err.Error()}
		}
		return res
	}
	reconnect := false
	ok, err := b.accounts.Connected(ctx, t.personID, "")
	if err == nil && ok {
		// The tokens work (a revoked grant answers 401, and its refresh invalid_grant)?
		_, err = b.meetings.People.Me(b.asOrganizer(ctx, t))
		switch {
		case err == nil:
			return conversations.Result{Kind: conversations.AccountReady}
		case errors.Is(err, webexapi.ErrReauthorize):
			reconnect = true // forgotten by organizerTokens
		default:
			log.Warn().Err(err).Msg("cannot check the organizer's account")
			return conversations.Result{Kind: conversations.AccountNeeded, Err: failureOf(err)}
		}
	} else if err != nil {
		log.Error().Err(err).Msg("cannot read the organizer's account")
		return conversations.Result{Kind: conversations.AccountNeeded, Err: &conversations.Failure{Kind: conversations.FailureUnavailable, Detail: err.Error()}}
	}
	req, _ := json.Marshal(accountRequest{Key: t.key, RoomID: t.roomID, RoomType: t.roomType, ThreadRoot: t.threadRoot,
		EventID: t.input.EventID, TimeZone: t.input.TimeZone, Lang: lang})
	pr, err := b.accounts.Start(ctx, accounts.Organizer{PersonID: t.personID, Email: t.organizer.Email()}, t.key, req)
	if err != nil {
		log.Error().Err(err).Msg("cannot start connecting the organizer's account")
		return conversations.Result{Kind: conversations.AccountNeeded, Err: &conversations.Failure{Kind: conversations.FailureUnavailable, Detail: err.Error()}}
	}
	s.add(pr.UserCode, pr.URLComplete)
	info := conversations.AccountInfo{URL: pr.URL, URLComplete: pr.URLComplete, UserCode: pr.UserCode,
		ExpiresAt: pr.ExpiresAt, Reconnect: reconnect, Lang: lang}
	log.Info().Bool("resumed", pr.Resumed).Time("expires", pr.ExpiresAt).Msg("organizer asked to connect their account")
	if t.roomType != webexapi.RoomTypeDirect {
		// The code goes to the organizer's 1:1 space only; the thread says so.
		msg := conversations.ConnectMessage(lang, info, b.now(), e.Waiting)
		// After an unclear failure, the 1:1 space is read before sending again (actOnce).
		if err := b.sendText(ctx, t.organizer.Email(), msg); err != nil {
			log.Error().Err(err).Msg("cannot send the organizer the code to connect their account")
			return conversations.Result{Kind: conversations.AccountNeeded, Err: failureOf(err)}
		}
	}
	return conversations.Result{Kind: conversations.AccountNeeded, Account: &info}
}

// pollAccounts waits for the organizers' approvals: each pending authorization is polled by
// one replica at a time at the interval Webex gives, and its outcome is handed over, in the
// transaction that ends it, as a job that carries on with the conversation that waited
// (accounts_carryon.go).
func (b *Bot) pollAccounts(ctx context.Context) {
	if b.accounts == nil {
		return
	}
	t := time.NewTicker(b.cfg.PollInterval)
	defer t.Stop()
	// A poll takes one Webex call (and /people/me once approved): a short lease lets another
	// replica take over soon when this one stops mid-poll.
	lease := min(b.cfg.Lease, 30*time.Second)
	for {
		outs, err := b.accounts.Poll(ctx, b.cfg.Owner, lease, 20)
		if err != nil && ctx.Err() == nil {
			b.log.Error().Err(err).Msg("cannot poll the pending account connections")
		}
		for _, o := range outs {
			var req accountRequest
			if json.Unmarshal(o.Payload, &req) != nil || req.Key == "" || req.RoomID == "" {
				b.log.Error().Str("person", o.Organizer.PersonID).Msg("account connection ended for an unknown conversation; nothing to carry on with")
			}
		}
		if len(outs) > 0 {
			b.Poke() // their jobs are due
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// carryOn runs the dialogue of the conversation req with the result res, as a turn; the
// caller writes what it leaves behind. recheck: the turn may have run before, its replies are
// looked for first.
func (b *Bot) carryOn(ctx context.Context, personID string, req accountRequest, res conversations.Result, recheck bool, log *zerolog.Logger) (string, saveFunc, error) {
	org, err := b.person(ctx, personID)
	if err != nil {
		return "", nil, fmt.Errorf("read the organizer: %w", err)
	}
	t := &turn{key: req.Key, roomID: req.RoomID, roomType: req.RoomType, threadRoot: req.ThreadRoot,
		personID: personID, organizer: org, recheck: recheck}
	t.input = conversations.Input{EventID: req.EventID, Organizer: personOf(org), TimeZone: req.TimeZone,
		Group: req.RoomType != webexapi.RoomTypeDirect, Result: &res}
	if t.input.TimeZone == "" {
		t.input.TimeZone = b.cfg.DefaultTimeZone
	}
	return b.converse(b.asOrganizer(ctx, t), t, log)
}
