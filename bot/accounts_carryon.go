package bot

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
)

// Carrying on after an account connection, durably. The outcome of a pending authorization is
// handed over as an outbox job (kind "account", key account:<pending authorization id>) in the
// very transaction that removes the pending authorization (accounts.Config.Handoff): a replica
// that stops right after the poll leaves the job to the poller of another (or of itself,
// restarted), and several replicas ending the same authorization record one job. The job runs
// the conversation's turn with the outcome, like an event: its state is written with the
// job's completion, and a turn run again looks for its replies first.

// kindAccount is the job that carries on with a request after its account connection ended.
const kindAccount = "account"

func accountKey(pendingID string) string { return "account:" + pendingID }

// accountPayload is an ended authorization's outcome for the conversation that waited (no
// secret: the approver's e-mail at most).
type accountPayload struct {
	Outcome  accounts.OutcomeKind `json:"outcome"`
	PersonID string               `json:"personId"`
	Approver string               `json:"approver,omitempty"`
	Request  accountRequest       `json:"request"`
}

var accountJob = jobCodec[accountPayload]{kind: kindAccount, valid: func(p accountPayload) bool {
	return p.PersonID != "" && p.Request.Key != "" && p.Request.RoomID != ""
}}

// accountHandoff is accounts.Config.Handoff: the outcome, due at once (by now), as a job. An
// outcome for no known conversation records nothing (the poller logs it).
func accountHandoff(now func() time.Time) func(context.Context, store.Queries, accounts.Outcome) error {
	return func(ctx context.Context, q store.Queries, o accounts.Outcome) error {
		var req accountRequest
		if json.Unmarshal(o.Payload, &req) != nil || req.Key == "" || req.RoomID == "" || o.ID == "" {
			return nil
		}
		it, err := accountJob.item(uuid.NewString(), accountKey(o.ID),
			accountPayload{Outcome: o.Kind, PersonID: o.Organizer.PersonID, Approver: o.ApproverEmail, Request: req}, now())
		if err != nil {
			return err
		}
		_, err = q.Enqueue(ctx, it) // recorded already by another replica: one job
		return err
	}
}

// accountLane orders the job after any message of the organizer in that space.
func accountLane(_ store.OutboxItem, p accountPayload) string {
	return p.Request.RoomID + "|" + p.PersonID
}

// accountResult is the dialogue's view of an outcome.
func accountResult(p accountPayload) conversations.Result {
	res := conversations.Result{Kind: conversations.AccountConnected, Account: &conversations.AccountInfo{Lang: p.Request.Lang}}
	switch p.Outcome {
	case accounts.Connected:
	case accounts.WrongPerson:
		res.Kind, res.Account.Outcome, res.Account.Approver = conversations.AccountFailed, conversations.AccountWrongPerson, p.Approver
	case accounts.Denied:
		res.Kind, res.Account.Outcome = conversations.AccountFailed, conversations.AccountDenied
	case accounts.Expired:
		res.Kind, res.Account.Outcome = conversations.AccountFailed, conversations.AccountExpired
	default:
		res.Kind, res.Account.Outcome = conversations.AccountFailed, conversations.AccountBroken
	}
	return res
}

// runAccountJob carries on with the conversation that waited; the turn's state is written with
// the job's completion. A failed turn is tried again later (and looks for its replies first).
func (b *Bot) runAccountJob(ctx context.Context, it store.OutboxItem, p accountPayload, log *zerolog.Logger) {
	if !b.stillMine(ctx, it) {
		log.Warn().Msg("job taken over or finished meanwhile; skipped")
		return
	}
	hold := b.holdLease(ctx, it.ID, time.Time{})
	res := accountResult(p)
	clog := log.With().Str("conversation", p.Request.Key).Str("account", string(res.Kind)).Logger()
	outcome, save, err := b.carryOn(ctx, p.PersonID, p.Request, res, it.Attempts > 1, &clog)
	hold.release()
	if err == nil {
		err = b.store.WithTx(ctx, func(tx store.Tx) error {
			if save != nil {
				if err := save(ctx, tx); err != nil {
					return err
				}
			}
			return tx.Complete(ctx, it.ID)
		})
	}
	if err != nil {
		clog.Error().Err(err).Msg("cannot carry on with the request after the account connection")
		b.retryJob(ctx, it, err, log)
		return
	}
	clog.Info().Str("outcome", outcome).Msg("carried on after the account connection")
}
