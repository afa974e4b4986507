package webexapi

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessagesAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.BotToken())
	ctx := context.Background()

	// Marie writes to the bot; the bot reads the message and answers in the thread.
	inID, err := fake.Say(webextest.SayRequest{From: "marie.tremblay@example.com", Text: "bonjour"})
	require.NoError(t, err)
	in, err := c.Messages.Get(ctx, inID)
	require.NoError(t, err)
	assert.Equal(t, "bonjour", in.Text)
	assert.Equal(t, RoomTypeDirect, in.RoomType)
	assert.Equal(t, "marie.tremblay@example.com", in.PersonEmail)
	require.NotEmpty(t, in.RoomID)

	reply, err := c.Messages.Create(ctx, &MessageRequest{RoomID: in.RoomID, ParentID: in.ID, Markdown: "**Bonjour** Marie", Text: "Bonjour Marie"})
	require.NoError(t, err)
	assert.Equal(t, in.ID, reply.ParentID)
	assert.Equal(t, in.RoomID, reply.RoomID)
	assert.Equal(t, "**Bonjour** Marie", reply.Markdown)

	// A 1:1 message by e-mail lands in the same space.
	direct, err := c.Messages.Create(ctx, &MessageRequest{ToPersonEmail: "marie.tremblay@example.com", Text: "clé : 123456"})
	require.NoError(t, err)
	assert.Equal(t, in.RoomID, direct.RoomID)
	bot := fake.BotMessages("marie.tremblay@example.com")
	require.Len(t, bot, 2)

	// A card.
	card, err := CardAttachment(map[string]any{"type": "AdaptiveCard", "version": "1.3",
		"body": []any{map[string]any{"type": "TextBlock", "text": "Confirmer ?"}}})
	require.NoError(t, err)
	withCard, err := c.Messages.Create(ctx, &MessageRequest{RoomID: in.RoomID, Text: "Confirmer ?", Attachments: []Attachment{card}})
	require.NoError(t, err)
	got, err := c.Messages.Get(ctx, withCard.ID)
	require.NoError(t, err)
	require.Len(t, got.Attachments, 1)
	assert.Equal(t, AdaptiveCardContentType, got.Attachments[0].ContentType)
	var content map[string]any
	require.NoError(t, json.Unmarshal(got.Attachments[0].Content, &content))
	assert.Equal(t, "AdaptiveCard", content["type"])

	// List the room, one message per page.
	var texts []string
	for m, err := range c.Messages.All(ctx, &MessageListOptions{RoomID: in.RoomID, Max: 1}) {
		require.NoError(t, err)
		texts = append(texts, m.Text)
	}
	assert.Len(t, texts, 4)
	assert.Contains(t, texts, "bonjour")

	require.NoError(t, c.Messages.Delete(ctx, direct.ID))
	_, err = c.Messages.Get(ctx, direct.ID)
	assert.True(t, IsNotFound(err), "%v", err)
}

func TestMessagesFailuresAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, rec := newFakeClient(t, fake, fake.BotToken())
	ctx := context.Background()

	_, err := c.Messages.Create(ctx, &MessageRequest{Text: "nowhere"})
	require.Error(t, err, "no destination: refused before any request")

	_, err = c.Messages.Create(ctx, &MessageRequest{RoomID: "bm90IGEgcm9vbQ", Text: "x"})
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.GreaterOrEqual(t, apiErr.StatusCode, 400)
	assert.Less(t, apiErr.StatusCode, 500)
	assert.NotEmpty(t, apiErr.TrackingID)

	_, err = c.Messages.List(ctx, &MessageListOptions{})
	require.Error(t, err)
	assert.Empty(t, rec.all(), "client errors are not retried")
}

func TestRateLimitAndServerErrorsAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	ctx := context.Background()

	fake.SetFaults(webextest.Faults{Rate429: 1, RetryAfterSeconds: 3})
	c, rec := newFakeClient(t, fake, fake.BotToken(), WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))
	_, err := c.People.Me(ctx)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.True(t, IsRateLimited(err))
	assert.Equal(t, 3*time.Second, apiErr.RetryAfter)
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second}, rec.all(), "Retry-After honoured, attempts bounded")

	fake.SetFaults(webextest.Faults{Rate5xx: 1, Status5xx: 502})
	c, rec = newFakeClient(t, fake, fake.BotToken(), WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))
	before := fake.CallCounts()["POST /v1/messages"]
	_, err = c.Messages.Create(ctx, &MessageRequest{ToPersonEmail: "bob.smith@example.com", Text: "x"})
	require.True(t, IsStatus(err, 502), "%v", err)
	assert.Equal(t, before+1, fake.CallCounts()["POST /v1/messages"], "POST not retried on 502")
	_, err = c.People.Me(ctx)
	require.True(t, IsStatus(err, 502))
	assert.Len(t, rec.all(), 2, "GET retried up to the attempt bound")

	fake.SetFaults(webextest.Faults{})
	_, err = c.People.Me(ctx)
	require.NoError(t, err)
}
