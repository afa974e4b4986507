package webexapi

import (
	"context"
	"errors"
	"testing"

	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeopleAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.BotToken())
	ctx := context.Background()

	me, err := c.People.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, PersonTypeBot, me.Type)
	assert.Equal(t, "relais@webex.bot", me.Email())
	assert.NotEmpty(t, me.ID)

	p, err := c.People.List(ctx, &PeopleListOptions{Email: "marie.tremblay@example.com"})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	marie := p.Items[0]
	assert.Equal(t, "Marie Tremblay", marie.DisplayName)
	assert.Equal(t, "America/Toronto", marie.Timezone)
	assert.Equal(t, PersonTypePerson, marie.Type)

	got, err := c.People.Get(ctx, marie.ID)
	require.NoError(t, err)
	assert.Equal(t, marie.ID, got.ID)

	// displayName is a prefix search; walk it one person per page.
	var names []string
	for person, err := range c.People.All(ctx, &PeopleListOptions{DisplayName: "Marie", Max: 1}) {
		require.NoError(t, err)
		names = append(names, person.DisplayName)
	}
	assert.ElementsMatch(t, []string{"Marie Tremblay", "Marie Gagnon"}, names)

	byID, err := c.People.List(ctx, &PeopleListOptions{IDs: []string{marie.ID, me.ID}})
	require.NoError(t, err)
	assert.Len(t, byID.Items, 2)

	none, err := c.People.List(ctx, &PeopleListOptions{Email: "nobody@example.com"})
	require.NoError(t, err)
	assert.Empty(t, none.Items)
	assert.False(t, none.HasNext())
}

func TestPeopleFailuresAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	ctx := context.Background()

	bad, _ := newFakeClient(t, fake, "wrong-token")
	_, err := bad.People.Me(ctx)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.True(t, IsUnauthorized(err))
	assert.NotEmpty(t, apiErr.TrackingID)
	assert.NotEmpty(t, apiErr.Message)

	c, _ := newFakeClient(t, fake, fake.BotToken())
	_, err = c.People.Get(ctx, "Y2lzY29zcGFyazovL3VzL1BFT1BMRS8wMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA")
	require.True(t, errors.As(err, &apiErr))
	assert.True(t, IsNotFound(err))
	assert.NotEmpty(t, apiErr.TrackingID)

	_, err = c.People.Get(ctx, "")
	require.Error(t, err)
}
