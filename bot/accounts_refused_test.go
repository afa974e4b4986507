package bot_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestOwnAccountWithoutTheMeetingScope: the organizer's token lacks the meeting scope (a proxy
// drops it from the device authorization), so Webex answers the creation with a 403. The
// organizer is told, in their language, that their own authorization is at fault and how to
// connect again (not that an administrator was notified); the log gives the operator the
// own-account advice, not the Service App's; « oui » then connects again and the meeting is
// created.
func TestOwnAccountWithoutTheMeetingScope(t *testing.T) {
	t.Parallel()
	clk := newClock(reference)
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	var drop atomic.Bool
	drop.Store(true)
	api := intercept(t, fake, func(w http.ResponseWriter, r *http.Request, body []byte, next http.Handler) bool {
		if !drop.Load() || r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/device/authorize") {
			return false
		}
		form, err := url.ParseQuery(string(body))
		if !assert.NoError(t, err) {
			return false
		}
		var kept []string
		for _, s := range strings.Fields(form.Get("scope")) {
			if s != "meeting:schedules_write" {
				kept = append(kept, s)
			}
		}
		form.Set("scope", strings.Join(kept, " "))
		raw := []byte(form.Encode())
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
		next.ServeHTTP(w, r)
		return true
	})
	logs := &syncBuffer{}
	h := newHarness(t, ownAccounts(t, harnessOptions{mode: "webhook", fake: fake, clock: clk, apiURL: api, log: zerolog.New(logs)}))

	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	_, err := fake.Approve(pendingCode(t, fake), alex)
	require.NoError(t, err)
	until(t, hasMessage(fake, alex, "Webex a refusé de programmer la rencontre avec votre compte Webex"), clk)
	h.dm(bob, ownRequestEn)
	h.dm(bob, "yes")
	_, err = fake.Approve(pendingCode(t, fake), bob)
	require.NoError(t, err)
	until(t, hasMessage(fake, bob, "Webex refused to schedule the meeting with your Webex account"), clk)

	assert.Empty(t, fake.Meetings())
	assert.Empty(t, fake.BotMessages(jean))
	assert.NotContains(t, markdowns(fake.BotMessages(alex)), "administrateur de Relais en est avisé")
	assert.NotContains(t, markdowns(fake.BotMessages(bob)), "administrator has been notified")
	assert.Contains(t, markdowns(fake.BotMessages(bob)), `answer "yes" to connect your account again`)
	logged := logs.String()
	assert.Contains(t, logged, "Webex refused the organizer's own authorization for meetings")
	assert.Contains(t, logged, "meeting:schedules_write")
	assert.NotContains(t, logged, "WEBEX_MEETINGS_TOKEN", "no Service App advice in user mode")
	ok, err := accountsOf(h).Connected(context.Background(), "", alex)
	require.NoError(t, err)
	assert.False(t, ok, "the refused tokens are forgotten")

	// With every scope granted, « oui » connects again and the meeting is created.
	drop.Store(false)
	r := h.dm(alex, "oui")
	code := pendingCode(t, fake)
	assert.Contains(t, texts(r), code)
	_, err = fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(fake.BotMessages(jean)) == 1 }, clk)
	require.Len(t, fake.Meetings(), 1)
	assert.Equal(t, alex, fake.Meetings()[0].HostEmail)
}
