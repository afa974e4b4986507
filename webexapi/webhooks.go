package webexapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Webhook is a webhook registration (schema Webhook). Secret is never logged.
type Webhook struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	// Resource, e.g. "messages" or "attachmentActions".
	Resource string `json:"resource"`
	// Event, e.g. "created".
	Event  string `json:"event"`
	Filter string `json:"filter,omitempty"`
	Secret string `json:"secret,omitempty"`
	// Status is "active" or "inactive" (Webex also reports "disabled" after failed deliveries).
	Status    string `json:"status,omitempty"`
	Created   string `json:"created,omitempty"`
	OwnedBy   string `json:"ownedBy,omitempty"`
	OrgID     string `json:"orgId,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
	AppID     string `json:"appId,omitempty"`
}

// Webhook resources, events and statuses Relais uses.
const (
	WebhookResourceMessages          = "messages"
	WebhookResourceAttachmentActions = "attachmentActions"
	WebhookResourceMemberships       = "memberships"
	WebhookEventCreated              = "created"
	WebhookStatusActive              = "active"
	WebhookStatusInactive            = "inactive"
	WebhookStatusDisabled            = "disabled"
)

// WebhookRequest is POST /webhooks' body.
type WebhookRequest struct {
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Resource  string `json:"resource"`
	Event     string `json:"event"`
	Filter    string `json:"filter,omitempty"`
	Secret    string `json:"secret,omitempty"`
	OwnedBy   string `json:"ownedBy,omitempty"`
}

// WebhookUpdateRequest is PUT /webhooks/{id}'s body; Status "active" re-enables a disabled webhook.
type WebhookUpdateRequest struct {
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Secret    string `json:"secret,omitempty"`
	OwnedBy   string `json:"ownedBy,omitempty"`
	Status    string `json:"status,omitempty"`
}

// WebhookListOptions are GET /webhooks' query parameters.
type WebhookListOptions struct {
	Max     int
	OwnedBy string
}

func (o *WebhookListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.Max > 0 {
		q.Set("max", strconv.Itoa(o.Max))
	}
	if o.OwnedBy != "" {
		q.Set("ownedBy", o.OwnedBy)
	}
	return q
}

// WebhooksService is the webhooks REST API (registrations).
type WebhooksService struct{ c *Client }

// List returns the first page of the token owner's webhooks; see Page.Next.
func (s *WebhooksService) List(ctx context.Context, opts *WebhookListOptions) (*Page[Webhook], error) {
	p, err := firstPage[Webhook](ctx, s.c, "/webhooks", opts.values())
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return p, nil
}

// All iterates over every webhook, across pages.
func (s *WebhooksService) All(ctx context.Context, opts *WebhookListOptions) iter.Seq2[Webhook, error] {
	return all(ctx, func(ctx context.Context) (*Page[Webhook], error) { return s.List(ctx, opts) })
}

// Create registers a webhook.
func (s *WebhooksService) Create(ctx context.Context, req *WebhookRequest) (*Webhook, error) {
	if req == nil {
		return nil, fmt.Errorf("create webhook: no request")
	}
	var w Webhook
	if _, err := s.c.do(ctx, http.MethodPost, "/webhooks", nil, req, &w); err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	return &w, nil
}

// Update replaces a webhook's name, target URL, secret and status.
func (s *WebhooksService) Update(ctx context.Context, webhookID string, req *WebhookUpdateRequest) (*Webhook, error) {
	if webhookID == "" {
		return nil, fmt.Errorf("update webhook: %w", errNoID)
	}
	if req == nil {
		return nil, fmt.Errorf("update webhook: no request")
	}
	var w Webhook
	if _, err := s.c.do(ctx, http.MethodPut, "/webhooks/"+url.PathEscape(webhookID), nil, req, &w); err != nil {
		return nil, fmt.Errorf("update webhook: %w", err)
	}
	return &w, nil
}

// Delete removes a webhook.
func (s *WebhooksService) Delete(ctx context.Context, webhookID string) error {
	if webhookID == "" {
		return fmt.Errorf("delete webhook: %w", errNoID)
	}
	if _, err := s.c.do(ctx, http.MethodDelete, "/webhooks/"+url.PathEscape(webhookID), nil, nil, nil); err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	return nil
}
