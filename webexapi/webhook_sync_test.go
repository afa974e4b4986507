package webexapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func listWebhooks(t *testing.T, c *webexapi.Client) []webexapi.Webhook {
	t.Helper()
	var out []webexapi.Webhook
	for w, err := range c.Webhooks.All(context.Background(), nil) {
		require.NoError(t, err)
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func TestSyncWebhooksMakesRegistrationsMatch(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	ctx := context.Background()
	const target = "https://relais.example/webhook"
	create := func(name, resource, targetURL, secret string) *webexapi.Webhook {
		w, err := c.Webhooks.Create(ctx, &webexapi.WebhookRequest{Name: name, TargetURL: targetURL,
			Resource: resource, Event: "created", Secret: secret})
		require.NoError(t, err)
		return w
	}
	foreign := create("other-app:messages", "messages", "https://other.example/hook", "x")
	foreignSameTarget := create("someone", "messages", target, "y")
	moved := create("relais:messages.created", "messages", "https://old.example/webhook", "old")
	dup := create("relais:messages.created", "messages", "https://old2.example/webhook", "old")
	stale := create("relais:rooms.created", "rooms", target, "s3cret")

	cfg := webexapi.WebhookConfig{TargetURL: target, Secret: "s3cret"}
	rep, err := webexapi.SyncWebhooks(ctx, c, cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"relais:attachmentActions.created", "relais:memberships.created"}, rep.Created)
	assert.Equal(t, []string{"relais:messages.created"}, rep.Updated)
	assert.ElementsMatch(t, []string{"relais:messages.created", "relais:rooms.created"}, rep.Deleted)
	assert.Equal(t, 2, rep.Foreign)

	got := listWebhooks(t, c)
	require.Len(t, got, 5)
	byID := map[string]webexapi.Webhook{}
	for _, w := range got {
		byID[w.ID] = w
	}
	assert.Equal(t, foreign.TargetURL, byID[foreign.ID].TargetURL, "others' webhooks untouched")
	assert.Equal(t, foreignSameTarget.Name, byID[foreignSameTarget.ID].Name)
	assert.NotContains(t, byID, stale.ID)
	require.Contains(t, byID, moved.ID, "an existing webhook is updated rather than recreated")
	assert.NotContains(t, byID, dup.ID)
	assert.Equal(t, target, byID[moved.ID].TargetURL)
	for _, w := range got {
		if w.ID == foreign.ID || w.ID == foreignSameTarget.ID {
			continue
		}
		assert.Equal(t, target, w.TargetURL)
		assert.Equal(t, "active", w.Status)
		assert.Empty(t, w.Filter)
	}

	rep, err = webexapi.SyncWebhooks(ctx, c, cfg)
	require.NoError(t, err)
	assert.Empty(t, rep.Created)
	assert.Empty(t, rep.Deleted)
	assert.Len(t, rep.Unchanged, 3, "idempotent: %+v", rep)

	_, err = webexapi.SyncWebhooks(ctx, c, webexapi.WebhookConfig{TargetURL: target})
	require.ErrorIs(t, err, webexapi.ErrNoWebhookSecret)
	_, err = webexapi.SyncWebhooks(ctx, c, webexapi.WebhookConfig{TargetURL: "/relative", Secret: "x"})
	require.Error(t, err)
}

// TestSyncWebhooksReactivatesDisabled: deliveries fail until the fake disables the webhook;
// the sync re-activates it and deliveries resume.
func TestSyncWebhooksReactivatesDisabled(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{WebhookAttempts: 1, WebhookDisableAfter: 1, WebhookRetryDelay: time.Millisecond})
	c := fakeClient(t, s)
	ctx := context.Background()
	out := make(chan webexapi.Event, 4)
	h, err := webexapi.NewWebhookHandler("s3cret", out)
	require.NoError(t, err)
	var down atomic.Bool
	down.Store(true)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(recv.Close)
	cfg := webexapi.WebhookConfig{TargetURL: recv.URL, Secret: "s3cret"}
	_, err = webexapi.SyncWebhooks(ctx, c, cfg)
	require.NoError(t, err)

	_, err = s.Say(webextest.SayRequest{From: alex, Text: "lost while down"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		for _, w := range listWebhooks(t, c) {
			if w.Resource == "messages" && w.Status == webexapi.WebhookStatusDisabled {
				return true
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond, "the fake disables a failing webhook")

	down.Store(false)
	rep, err := webexapi.SyncWebhooks(ctx, c, cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"relais:messages.created"}, rep.Reactivated)
	assert.Equal(t, []string{"relais:messages.created"}, rep.Inactive, "found inactive")
	rep, err = webexapi.SyncWebhooks(ctx, c, cfg)
	require.NoError(t, err)
	assert.Empty(t, rep.Inactive, "active again")
	id, err := s.Say(webextest.SayRequest{From: alex, Text: "back"})
	require.NoError(t, err)
	assert.Equal(t, id, nextEvent(t, out).ID)
}
