package webexapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultWebhookNamePrefix prefixes the names of the webhooks SyncWebhooks manages.
const DefaultWebhookNamePrefix = "relais"

// WebhookConfig is what SyncWebhooks makes the bot's registrations match.
type WebhookConfig struct {
	// TargetURL is the public URL of the webhook handler (https in production).
	TargetURL string
	// Secret signs the deliveries (required).
	Secret string
	// NamePrefix identifies this deployment's webhooks (default DefaultWebhookNamePrefix): they
	// are named "<prefix>:<resource>.<event>". Webhooks without it are never touched; webhooks
	// with it are this deployment's own, and those not wanted any more are deleted. Give each
	// deployment sharing one bot its own prefix.
	NamePrefix string
}

// SyncReport says what SyncWebhooks did, by webhook name.
type SyncReport struct {
	Created     []string
	Updated     []string // target URL, secret or name changed (re-activation included)
	Reactivated []string // were disabled or inactive, now active
	Deleted     []string // stale webhooks of our own
	Unchanged   []string
	// Foreign counts the webhooks left alone because they are not ours.
	Foreign int
	// Inactive are the webhooks found disabled or inactive, re-activated or not (when their
	// update failed, they are still inactive).
	Inactive []string
}

// wantedWebhooks are the subscriptions Relais needs.
var wantedWebhooks = [...]struct{ resource, event string }{
	{WebhookResourceMessages, WebhookEventCreated},
	{WebhookResourceAttachmentActions, WebhookEventCreated},
	{WebhookResourceMemberships, WebhookEventCreated}, // the bot added to a space: the greeting
}

// SyncWebhooks makes the bot's webhook registrations match cfg: one messages/created and one
// attachmentActions/created webhook, with cfg's target URL and secret and no filter. It creates
// what is missing, updates what differs (PUT name, target URL, secret, status active, which
// also re-activates a webhook Webex disabled), deletes duplicates and stale webhooks of its own
// prefix, and never touches others.
func SyncWebhooks(ctx context.Context, c *Client, cfg WebhookConfig) (SyncReport, error) {
	var rep SyncReport
	if cfg.Secret == "" {
		return rep, fmt.Errorf("sync webhooks: %w", ErrNoWebhookSecret)
	}
	if u, err := url.Parse(cfg.TargetURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return rep, errors.New("sync webhooks: target URL must be an absolute http(s) URL")
	}
	prefix := cfg.NamePrefix
	if prefix == "" {
		prefix = DefaultWebhookNamePrefix
	}
	prefix += ":"

	var ours []Webhook
	for w, err := range c.Webhooks.All(ctx, nil) {
		if err != nil {
			return rep, fmt.Errorf("sync webhooks: %w", err)
		}
		if strings.HasPrefix(w.Name, prefix) {
			ours = append(ours, w)
		} else {
			rep.Foreign++
		}
	}

	kept := map[string]bool{} // webhook ids chosen for a wanted subscription
	for _, want := range wantedWebhooks {
		name := prefix + want.resource + "." + want.event
		best := -1
		for i, w := range ours {
			if w.Resource != want.resource || w.Event != want.event || w.Filter != "" || kept[w.ID] {
				continue
			}
			if best < 0 || score(w, cfg) > score(ours[best], cfg) {
				best = i
			}
		}
		if best < 0 {
			if _, err := c.Webhooks.Create(ctx, &WebhookRequest{
				Name: name, TargetURL: cfg.TargetURL, Resource: want.resource, Event: want.event, Secret: cfg.Secret,
			}); err != nil {
				return rep, fmt.Errorf("sync webhooks: %w", err)
			}
			rep.Created = append(rep.Created, name)
			continue
		}
		w := ours[best]
		kept[w.ID] = true
		if w.Name == name && w.TargetURL == cfg.TargetURL && w.Secret == cfg.Secret && w.Status == WebhookStatusActive {
			rep.Unchanged = append(rep.Unchanged, name)
			continue
		}
		if w.Status != WebhookStatusActive {
			rep.Inactive = append(rep.Inactive, name)
		}
		if _, err := c.Webhooks.Update(ctx, w.ID, &WebhookUpdateRequest{
			Name: name, TargetURL: cfg.TargetURL, Secret: cfg.Secret, Status: WebhookStatusActive,
		}); err != nil {
			return rep, fmt.Errorf("sync webhooks: %w", err)
		}
		rep.Updated = append(rep.Updated, name)
		if w.Status != WebhookStatusActive {
			rep.Reactivated = append(rep.Reactivated, name)
		}
	}
	for _, w := range ours {
		if kept[w.ID] {
			continue
		}
		if err := c.Webhooks.Delete(ctx, w.ID); err != nil && !IsNotFound(err) {
			return rep, fmt.Errorf("sync webhooks: %w", err)
		}
		rep.Deleted = append(rep.Deleted, w.Name)
	}
	return rep, nil
}

// score prefers, among our webhooks for one subscription, the one closest to the config.
func score(w Webhook, cfg WebhookConfig) int {
	s := 0
	if w.TargetURL == cfg.TargetURL {
		s += 4
	}
	if w.Status == WebhookStatusActive {
		s += 2
	}
	if w.Secret == cfg.Secret {
		s++
	}
	return s
}
