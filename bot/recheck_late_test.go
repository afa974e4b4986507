package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// A turn whose last write failed (as when the process is killed after replying) is handled
// again once its lease has passed, RELAIS_JOB_LEASE later (5 minutes by default): longer than
// the minute a reply is looked for by default and than RELAIS_LATE_AFTER. The organizer is
// still told once that the meeting exists, whether they confirmed with the card's button or by
// writing « oui ».
func TestConfirmationNotRepeatedWhenHandledAgainMinutesLater(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"button", "oui"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			flaky := &flakyStore{}
			h := newHarness(t, harnessOptions{
				botConfig: bot.Config{Lease: time.Second},
				wrapStore: func(s store.Store) store.Store { flaky.Store = s; return flaky },
			})
			ctx := context.Background()
			r := h.dm(alex, "programme une rencontre pour "+marieTremblay+" demain à 14h")
			require.Len(t, r, 1)
			summary := r[0]

			// The meeting and the designate's job are recorded (first transaction), the
			// confirmation is sent, the last write fails (second): the event stays pending.
			flaky.failNth(2)
			var id string
			if how == "button" {
				var card struct {
					Actions []struct {
						Title string         `json:"title"`
						Data  map[string]any `json:"data"`
					} `json:"actions"`
				}
				require.NotEmpty(t, summary.Attachments)
				require.NoError(t, json.Unmarshal(summary.Attachments[0].Content, &card))
				var inputs map[string]any
				for _, a := range card.Actions {
					if a.Title == "Confirmer" {
						inputs = a.Data
					}
				}
				require.NotNil(t, inputs, "the summary has a « Confirmer » button")
				var err error
				id, err = h.fake.SubmitCard(webextest.CardSubmission{From: alex, MessageID: summary.ID, Inputs: inputs})
				require.NoError(t, err)
				h.waitHandled(id)
			} else {
				id = h.say(webextest.SayRequest{From: alex, Text: "oui"})
			}
			h.clock.Advance(3 * time.Minute) // the lease of a killed process passes
			require.Eventually(t, func() bool {
				it, err := h.rt.Store.GetOutboxItem(ctx, "event:"+id)
				return err == nil && it.Status == store.OutboxDone
			}, 20*time.Second, 10*time.Millisecond, "the event is handled again")

			require.Len(t, h.fake.Meetings(), 1, "one meeting")
			require.Len(t, h.fake.BotMessages(marieTremblay), 1, "one designate message")
			done := 0
			for _, m := range h.fake.BotMessages(alex) {
				if strings.Contains(m.Markdown, "C'est fait") {
					done++
				}
			}
			assert.Equal(t, 1, done, "the organizer is told once:\n%s", allText(h.fake.BotMessages(alex)))
		})
	}
}
