package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/webexapi"
)

// Webex disables a webhook after failed deliveries (status "inactive" or "disabled") and then
// delivers nothing more, silently. In webhook mode the runtime checks the registrations now and
// then and re-activates such a webhook (PUT with status active, as Webex documents); one that
// cannot be re-activated turns /readyz red until a later check mends it.

// watchWebhooks checks the webhook registrations every WebhookCheckInterval until ctx ends.
func (r *Runtime) watchWebhooks(ctx context.Context) {
	t := time.NewTicker(r.cfg.WebhookCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := r.syncWebhooks(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn().Err(err).Msg("cannot check the webhook registrations; trying again later")
		}
	}
}

// syncWebhooks makes the registrations match the config, re-activating inactive webhooks, and
// updates readiness: red while a webhook stays inactive, green again once none is.
func (r *Runtime) syncWebhooks(ctx context.Context) (webexapi.SyncReport, error) {
	rep, err := webexapi.SyncWebhooks(ctx, r.Webex, webexapi.WebhookConfig{TargetURL: r.cfg.WebhookURL, Secret: r.cfg.WebhookSecret})
	for _, name := range rep.Reactivated {
		r.Metrics.Intake.WebhookReactivations.Inc()
		r.log.Warn().Str("webhook", name).Msg("webhook was inactive (Webex disables one after failed deliveries); re-activated")
	}
	if len(rep.Reactivated) > 0 {
		// The deliveries that failed before Webex disabled it are lost (no retry promised):
		// catch up since before the previous check.
		r.Bot.CatchUpSince(r.now().Add(-2*r.cfg.WebhookCheckInterval), catchUpWebhook)
	}
	switch {
	case err == nil:
		r.intake.setBroken(nil)
	case len(rep.Inactive) > len(rep.Reactivated):
		r.intake.setBroken(fmt.Errorf("webhook %s is inactive and could not be re-activated: %w",
			strings.Join(rep.Inactive[len(rep.Reactivated):], ", "), err))
	}
	return rep, err
}
