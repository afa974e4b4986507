package webexapi

// WebhooksService is the webhooks REST API (registrations).
type WebhooksService struct{ c *Client }
