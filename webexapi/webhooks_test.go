package webexapi

import (
	"context"
	"testing"

	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWebhooksAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.BotToken())
	ctx := context.Background()

	created, err := c.Webhooks.Create(ctx, &WebhookRequest{Name: "relais messages", TargetURL: "https://relais.example.com/webhook",
		Resource: WebhookResourceMessages, Event: WebhookEventCreated, Secret: "s3cret"})
	require.NoError(t, err)
	assert.NotEmpty(t, created.ID)
	assert.Equal(t, WebhookStatusActive, created.Status)
	assert.Equal(t, WebhookResourceMessages, created.Resource)

	_, err = c.Webhooks.Create(ctx, &WebhookRequest{Name: "relais cards", TargetURL: "https://relais.example.com/webhook",
		Resource: WebhookResourceAttachmentActions, Event: WebhookEventCreated, Secret: "s3cret"})
	require.NoError(t, err)

	var names []string
	for w, err := range c.Webhooks.All(ctx, &WebhookListOptions{Max: 1}) {
		require.NoError(t, err)
		names = append(names, w.Name)
	}
	assert.ElementsMatch(t, []string{"relais messages", "relais cards"}, names)

	updated, err := c.Webhooks.Update(ctx, created.ID, &WebhookUpdateRequest{Name: "renamed", TargetURL: "https://relais.example.com/hook2", Status: WebhookStatusActive})
	require.NoError(t, err)
	assert.Equal(t, "renamed", updated.Name)
	assert.Equal(t, "https://relais.example.com/hook2", updated.TargetURL)

	require.NoError(t, c.Webhooks.Delete(ctx, created.ID))
	err = c.Webhooks.Delete(ctx, created.ID)
	assert.True(t, IsNotFound(err), "%v", err)
	_, err = c.Webhooks.Update(ctx, created.ID, &WebhookUpdateRequest{Name: "x", TargetURL: "https://x"})
	assert.True(t, IsNotFound(err), "%v", err)

	_, err = c.Webhooks.Create(ctx, &WebhookRequest{Name: "bad", TargetURL: "https://x", Resource: "nope", Event: "created"})
	assert.True(t, IsBadRequest(err), "%v", err)
}
