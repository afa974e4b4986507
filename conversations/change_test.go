package conversations

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations/nlu"
)

func changedPair(t *testing.T) (before, after MeetingDetails) {
	t.Helper()
	start := mustTime(t, "2026-06-23T11:00:00-04:00")
	before = fakeDetails(MeetingRequest{Title: "Comité", Start: start, End: start.Add(time.Hour), TimeZone: "America/Toronto",
		Organizer: alex, Designate: marieTremblay}, 1)
	after = before
	after.Start, after.End, after.Title, after.HostKey = start.Add(52*time.Hour), start.Add(54*time.Hour), "Comité élargi", "551203"
	return before, after
}

// The designate of a changed meeting reads what changed, then the details with the fresh host
// key and the steps, in their language.
func TestChangedMessageSaysWhatChanged(t *testing.T) {
	t.Parallel()
	before, after := changedPair(t)
	md, card := ChangedMessage(nlu.French, before, after)
	assert.Contains(t, md, "Bonjour Marie,")
	assert.Contains(t, md, "**Alex Martin** a modifié la rencontre que vous animerez")
	assert.Contains(t, md, "mardi 23 juin 2026, de 11 h 00 à 12 h 00 (heure de l'Est) → **jeudi 25 juin 2026, de 15 h 00 à 17 h 00")
	assert.Contains(t, md, "« Comité » → **« Comité élargi »**")
	assert.Contains(t, md, "**Clé organisateur** : **551203**")
	assert.Contains(t, md, "Prendre le rôle d'organisateur")
	assert.NotContains(t, md, "762046", "never the old key")
	assert.Equal(t, "1.3", card["version"])
	assert.LessOrEqual(t, len(md), MaxMarkdownBytes)

	en, _ := ChangedMessage(nlu.English, before, after)
	assert.Contains(t, en, "**Alex Martin** changed the meeting you will run")
	assert.Contains(t, en, "**Host key**: **551203**")
}

// On a hand-over the new designate is told the meeting is now theirs and whom it relied on;
// the previous one is told it no longer relies on them, without any secret.
func TestHandOverMessages(t *testing.T) {
	t.Parallel()
	before, after := changedPair(t)
	after.Designate = jeanDupont
	md, _ := ChangedMessage(nlu.French, before, after)
	assert.Contains(t, md, "Bonjour Jean,")
	assert.Contains(t, md, "vous confie l'animation d'une rencontre Webex, jusqu'ici confiée à Marie Tremblay")
	assert.Contains(t, md, "551203")

	notice := ReleasedNotice(nlu.French, before, jeanDupont)
	assert.Contains(t, notice, "a confié à Jean Dupont la rencontre Webex « Comité »")
	assert.Contains(t, notice, "ne repose plus sur vous")
	for _, secret := range []string{before.HostKey, before.Password, after.HostKey, before.WebLink} {
		assert.NotContains(t, notice, secret)
	}
	en := ReleasedNotice(nlu.English, before, jeanDupont)
	assert.Contains(t, en, "over to Jean Dupont: it no longer relies on you")
}

// The designate's message announces the reminder that will bring the current key, when one
// is scheduled; the reminder itself does not announce itself.
func TestDesignateMessageAnnouncesReminder(t *testing.T) {
	t.Parallel()
	d, _ := changedPair(t)
	d.ReminderBefore = 30 * time.Minute
	md, _ := DesignateMessage(nlu.French, d)
	assert.Contains(t, md, "Je vous enverrai un rappel avec la clé organisateur à jour 30 minutes avant le début.")
	en, _ := ResentMessage(nlu.English, d)
	assert.Contains(t, en, "I'll send you a reminder with the current host key 30 minutes before the start.")
	assert.NotContains(t, ReminderMessage(nlu.French, d, 30*time.Minute), "Je vous enverrai un rappel")
	d.ReminderBefore = 0
	md, _ = DesignateMessage(nlu.French, d)
	assert.NotContains(t, md, "rappel")
}

// A change keeps its whole state through storage, and « oui » replayed while the change runs
// re-emits the very same change (same idempotency key).
func TestChangeReplayedYesReemitsTheSameChange(t *testing.T) {
	t.Parallel()
	st, replies, in, now := changeSummaryAt(t) // cards_stale_change_test.go
	require.Len(t, replies, 1)
	st, _, eff := Step(st, in("oui"), now, Config{})
	require.Len(t, eff, 1)
	first := eff[0].Change
	require.NotNil(t, first)
	assert.Equal(t, "ledger-1", first.Ref)
	assert.True(t, first.Start.Equal(mustTime(t, "2026-06-25T15:00:00-04:00")), "%s", first.Start)
	assert.True(t, first.End.Sub(first.Start) == time.Hour, "the length is kept")
	assert.False(t, first.HandedOver())
	st, replies, eff = Step(st, in("oui"), now.Add(time.Second), Config{})
	require.Len(t, eff, 1)
	assert.Equal(t, first.IdempotencyKey, eff[0].Change.IdempotencyKey)
	assert.True(t, eff[0].Change.Start.Equal(first.Start))
	require.Len(t, replies, 1)
	assert.True(t, strings.Contains(replies[0].Markdown, "Un instant"))
	assert.Equal(t, StageChanging, st.Stage)
}

// Every stage of a change takes any message or result without panicking, even from a state it
// could not have stored (no meeting chosen, no change recorded).
func TestChangeStagesNeverPanic(t *testing.T) {
	t.Parallel()
	now := mustTime(t, monday)
	chosen := &MeetingSummary{Ref: "ledger-1", Title: "Comité", Start: now.Add(26 * time.Hour), End: now.Add(27 * time.Hour), Designate: marieTremblay}
	stages := []Stage{StageChangeAsk, StageChangeResolving, StageChangeChoosing, StageConfirmChange, StageChanging}
	texts := []string{"oui", "non", "annuler", "2", "Marie", "à 25 h", "pour moi", "demain à 10 h", "allonge-la de 30 minutes",
		"donne-la à Jean", "déplace la rencontre 2 à jeudi", "aide", ""}
	results := []Result{{Kind: PeopleFound, People: []Person{jeanDupont, marieGagnon}}, {Kind: MeetingChanged, Err: &Failure{Kind: FailureTooSoon}},
		{Kind: MeetingChanged, Meeting: &MeetingDetails{Title: "x"}}, {Kind: MeetingsListed}}
	for _, stage := range stages {
		for _, st := range []State{
			{Stage: stage, LastActive: now},
			{Stage: stage, LastActive: now, Chosen: chosen, Change: &ChangeState{}, Candidates: []Person{jeanDupont}},
			{Stage: stage, LastActive: now, Chosen: chosen, Draft: Draft{Query: "Jean"}},
		} {
			for _, text := range texts {
				next, _, _ := Step(st, Input{Text: text, Organizer: alex}, now, Config{})
				_, _, _ = Step(next, Input{Text: "oui", Organizer: alex}, now, Config{})
			}
			for _, r := range results {
				_, _, _ = Step(st, Input{Result: &r, Organizer: alex}, now, Config{})
			}
		}
	}
}
