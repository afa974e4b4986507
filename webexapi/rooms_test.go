package webexapi

import (
	"context"
	"testing"

	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoomsAndMembershipsAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.BotToken())
	ctx := context.Background()

	id, err := fake.Say(webextest.SayRequest{From: "jean.dupont@example.com", Text: "Relais aide", Room: "Équipe TI"})
	require.NoError(t, err)
	m, err := c.Messages.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, RoomTypeGroup, m.RoomType)
	me, err := c.People.Me(ctx)
	require.NoError(t, err)
	assert.Contains(t, m.MentionedPeople, me.ID)

	room, err := c.Rooms.Get(ctx, m.RoomID)
	require.NoError(t, err)
	assert.Equal(t, "Équipe TI", room.Title)
	assert.Equal(t, RoomTypeGroup, room.Type)

	var emails []string
	for ms, err := range c.Memberships.All(ctx, &MembershipListOptions{RoomID: m.RoomID, Max: 1}) {
		require.NoError(t, err)
		assert.Equal(t, m.RoomID, ms.RoomID)
		emails = append(emails, ms.PersonEmail)
	}
	assert.ElementsMatch(t, []string{"jean.dupont@example.com", "relais@webex.bot"}, emails)

	_, err = c.Rooms.Get(ctx, "Y2lzY29zcGFyazovL3VybjpURUFNOnVzLWVhc3QtMl9hL1JPT00vMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw")
	assert.True(t, IsNotFound(err), "%v", err)
	_, err = c.Rooms.Get(ctx, "")
	assert.Error(t, err)
}
