package webexapi

import (
	"context"
	"testing"

	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAttachmentActionsAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.BotToken())
	ctx := context.Background()

	card, err := CardAttachment(map[string]any{"type": "AdaptiveCard", "version": "1.3",
		"body":    []any{map[string]any{"type": "Input.Text", "id": "title"}},
		"actions": []any{map[string]any{"type": "Action.Submit", "title": "OK"}}})
	require.NoError(t, err)
	msg, err := c.Messages.Create(ctx, &MessageRequest{ToPersonEmail: "alex.martin@example.com", Text: "card", Attachments: []Attachment{card}})
	require.NoError(t, err)

	actionID, err := fake.SubmitCard(webextest.CardSubmission{From: "alex.martin@example.com", MessageID: msg.ID,
		Inputs: map[string]any{"title": "Suivi", "answer": "yes"}})
	require.NoError(t, err)

	a, err := c.AttachmentActions.Get(ctx, actionID)
	require.NoError(t, err)
	assert.Equal(t, "submit", a.Type)
	assert.Equal(t, msg.ID, a.MessageID)
	assert.Equal(t, msg.RoomID, a.RoomID)
	assert.Equal(t, "Suivi", a.InputString("title"))
	assert.Equal(t, "", a.InputString("missing"))
	assert.NotEmpty(t, a.PersonID)

	_, err = c.AttachmentActions.Get(ctx, "Y2lzY29zcGFyazovL3VybjpURUFNOnVzLWVhc3QtMl9hL0FUVEFDSE1FTlRfQUNUSU9OLzAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA")
	assert.True(t, IsNotFound(err), "%v", err)
}
