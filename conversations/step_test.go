package conversations

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func at(t *testing.T, s string) time.Time { return mustTime(t, s) }

func msg(text string) Input {
	return Input{Text: text, EventID: "ev-" + text, Organizer: alex, TimeZone: "America/Toronto"}
}

func result(r Result) Input {
	return Input{Organizer: alex, TimeZone: "America/Toronto", Result: &r}
}

// toSummary drives a dialogue to its summary for Jean Dupont, tomorrow at 14 h.
func toSummary(t *testing.T, now time.Time) State {
	t.Helper()
	st, _, eff := Step(State{}, msg("programme une rencontre pour Jean Dupont demain à 14 h"), now, Config{})
	require.Len(t, eff, 1)
	require.Equal(t, ResolvePerson, eff[0].Kind)
	st, _, _ = Step(st, result(Result{Kind: PeopleFound, People: []Person{jeanDupont}}), now, Config{})
	require.Equal(t, StageConfirm, st.Stage)
	return st
}

func TestReplayedConfirmationKeepsTheIdempotencyKey(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st := toSummary(t, now)
	st, _, eff := Step(st, msg("oui"), now, Config{})
	require.Len(t, eff, 1)
	require.Equal(t, CreateMeeting, eff[0].Kind)
	first := *eff[0].Meeting

	// The bot saved the state, crashed, and Webex redelivers « oui ».
	st2, replies, eff2 := Step(st, msg("oui"), now.Add(time.Second), Config{})
	require.Len(t, eff2, 1)
	assert.Equal(t, first, *eff2[0].Meeting, "same request, same key")
	assert.Equal(t, StageCreating, st2.Stage)
	require.Len(t, replies, 1)

	// After a failure the retry keeps the key; after a change the key changes.
	st3, _, _ := Step(st2, result(Result{Kind: MeetingFailed, Err: &Failure{Kind: FailureUnavailable}}), now, Config{})
	_, _, eff3 := Step(st3, msg("oui"), now, Config{})
	require.Len(t, eff3, 1)
	assert.Equal(t, first.IdempotencyKey, eff3[0].Meeting.IdempotencyKey)
	st4, _, _ := Step(st3, msg("plutôt à 15 h"), now, Config{})
	_, _, eff4 := Step(st4, msg("oui"), now, Config{})
	require.Len(t, eff4, 1)
	assert.NotEqual(t, first.IdempotencyKey, eff4[0].Meeting.IdempotencyKey)
	assert.Equal(t, 15, eff4[0].Meeting.Start.Hour())
}

func TestTooLongMessageLeavesStateUnchanged(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st := toSummary(t, now)
	got, replies, eff := Step(st, msg(strings.Repeat("oui ", 1000)), now.Add(time.Minute), Config{})
	assert.Equal(t, st, got)
	assert.Empty(t, eff)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "trop long")
}

func TestLanguageStaysUnlessClearlySwitched(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st, _, _ := Step(State{}, msg("programme une rencontre pour Jean Dupont"), now, Config{})
	st, _, _ = Step(st, result(Result{Kind: PeopleFound, People: []Person{jeanDupont}}), now, Config{})
	require.Equal(t, nlu.French, st.Lang)
	st, replies, _ := Step(st, msg("2pm"), now, Config{})
	assert.Equal(t, nlu.French, st.Lang, "a short answer keeps the language")
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "Voici la rencontre")
	st, replies, _ = Step(st, msg("actually make it tomorrow at 3pm please"), now, Config{})
	assert.Equal(t, nlu.English, st.Lang)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "Here is the meeting")
}

func TestExpiryBoundary(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st := toSummary(t, now)
	_, _, eff := Step(st, msg("oui"), now.Add(30*time.Minute), Config{})
	require.Len(t, eff, 1, "exactly the idle timeout: still alive")
	got, replies, eff := Step(st, msg("oui"), now.Add(30*time.Minute+time.Second), Config{})
	assert.Empty(t, eff)
	assert.Equal(t, State{}, got)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "a expiré après 30 minutes")
	// A shorter configured timeout.
	_, replies, _ = Step(st, msg("oui"), now.Add(6*time.Minute), Config{IdleTimeout: 5 * time.Minute})
	assert.Contains(t, replies[0].Markdown, "a expiré après 5 minutes")
}

func TestResultsOutsideTheirStage(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	// A stray PeopleFound is ignored.
	st, replies, eff := Step(State{}, result(Result{Kind: PeopleFound, People: directory}), now, Config{})
	assert.Equal(t, State{}, st)
	assert.Empty(t, replies)
	assert.Empty(t, eff)
	// A meeting that was created is always confirmed, even after the dialogue moved on.
	d := fakeDetails(MeetingRequest{Title: "T", Start: now.Add(2 * time.Hour), End: now.Add(3 * time.Hour), TimeZone: "America/Toronto", Designate: jeanDupont, Organizer: alex}, 9)
	st, replies, _ = Step(State{}, result(Result{Kind: MeetingCreated, Meeting: &d, DesignateNotified: true}), now, Config{})
	assert.Equal(t, State{}, st)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "C'est fait")
}

func TestGroupConfirmationNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	d := fakeDetails(MeetingRequest{Title: "T", Start: now.Add(2 * time.Hour), End: now.Add(3 * time.Hour), TimeZone: "America/Toronto", Designate: jeanDupont, Organizer: alex}, 1)
	in := result(Result{Kind: MeetingCreated, Meeting: &d, DesignateNotified: true})
	in.Group = true
	for _, l := range []nlu.Lang{nlu.French, nlu.English} {
		_, replies, _ := Step(State{Stage: StageCreating, Lang: l, LastActive: now}, in, now, Config{})
		require.Len(t, replies, 1)
		card, err := json.Marshal(replies[0].Card)
		require.NoError(t, err)
		// Neither the markdown nor a card with it: nothing that lets a guest of the space join
		// before the host.
		for _, shown := range []string{replies[0].Markdown, string(card)} {
			assert.NotContains(t, shown, d.HostKey)
			assert.NotContains(t, shown, d.Password)
			assert.NotContains(t, shown, d.WebLink)
			assert.NotContains(t, shown, "129 647 7859", "nor the meeting number")
			assert.NotContains(t, shown, "1296477859")
		}
		assert.NotContains(t, replies[0].Markdown, "\n\n\n", "no empty list left behind")
		// The organizer's 1:1 keeps them.
		in.Group = false
		_, replies, _ = Step(State{Stage: StageCreating, Lang: l, LastActive: now}, in, now, Config{})
		assert.Contains(t, replies[0].Markdown, "129 647 7859")
		assert.Contains(t, replies[0].Markdown, d.WebLink)
		in.Group = true
	}
}

func TestDesignateOutsideAllowedDomains(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st := toSummary(t, now)
	st, _, _ = Step(st, msg("oui"), now, Config{})
	st, replies, _ := Step(st, result(Result{Kind: MeetingFailed, Err: &Failure{Kind: FailureNotAllowed}}), now, Config{})
	assert.Equal(t, StageAskWho, st.Stage)
	assert.Contains(t, replies[0].Markdown, "domaine")
	assert.Contains(t, replies[0].Markdown, "Pour qui")
}

func TestZoneNamesAndDaylightSaving(t *testing.T) {
	t.Parallel()
	summer := at(t, "2026-06-23T11:00:00-04:00")
	winter := at(t, "2026-12-08T11:00:00-05:00")
	assert.Equal(t, "mardi 23 juin 2026, de 11 h 00 à 12 h 00 (heure de l'Est)", formatRange(nlu.French, summer, summer.Add(time.Hour), "America/Toronto"))
	assert.Equal(t, "mardi 8 décembre 2026, de 11 h 00 à 12 h 00 (heure normale de l'Est)", formatRange(nlu.French, winter, winter.Add(time.Hour), "America/Toronto"))
	assert.Equal(t, "Tuesday, December 8, 2026, from 11:00 AM to 12:00 PM (Eastern Standard Time)", formatRange(nlu.English, winter, winter.Add(time.Hour), "America/Toronto"))
	assert.Equal(t, "mardi 23 juin 2026, de 17 h 00 à 18 h 00 (fuseau Europe/Paris, UTC+2)", formatRange(nlu.French, summer, summer.Add(time.Hour), "Europe/Paris"))
	assert.Equal(t, "mardi 23 juin 2026, de 8 h 00 à 9 h 00 (heure du Pacifique)", formatRange(nlu.French, summer, summer.Add(time.Hour), "America/Vancouver"))
	assert.Equal(t, "du mardi 23 juin 2026 à 23 h 00 au mercredi 24 juin 2026 à 1 h 00 (heure de l'Est)",
		formatRange(nlu.French, summer.Add(12*time.Hour), summer.Add(14*time.Hour), "America/Toronto"))
	assert.Equal(t, "mercredi 1er juillet 2026", formatDay(nlu.French, at(t, "2026-07-01T10:00:00-04:00")))
	// A meeting across the autumn change lasts its real length, and says which 1 h is which.
	start := at(t, "2026-11-01T01:00:00-04:00")
	assert.Equal(t, "dimanche 1er novembre 2026, de 1 h 00 (heure avancée de l'Est, UTC−4) à 1 h 00 (heure normale de l'Est, UTC−5)",
		formatRange(nlu.French, start, start.Add(time.Hour), "America/Toronto"))
	assert.Equal(t, "Sunday, November 1, 2026, from 1:00 AM (Eastern Daylight Time, UTC−4) to 1:00 AM (Eastern Standard Time, UTC−5)",
		formatRange(nlu.English, start, start.Add(time.Hour), "America/Toronto"))
	// The second 1 h 30 of that night, though the offset does not change during the meeting.
	second := at(t, "2026-11-01T01:30:00-05:00")
	assert.Equal(t, "dimanche 1er novembre 2026, de 1 h 30 (heure normale de l'Est, UTC−5) à 2 h 30 (heure normale de l'Est, UTC−5)",
		formatRange(nlu.French, second, second.Add(time.Hour), "America/Toronto"))
	// Later that day, nothing is ambiguous: the usual form.
	assert.Equal(t, "dimanche 1er novembre 2026, de 10 h 00 à 11 h 00 (heure normale de l'Est)",
		formatRange(nlu.French, at(t, "2026-11-01T10:00:00-05:00"), at(t, "2026-11-01T11:00:00-05:00"), "America/Toronto"))
	// Spring: an hour is skipped.
	spring := at(t, "2026-03-08T01:30:00-05:00")
	assert.Equal(t, "dimanche 8 mars 2026, de 1 h 30 (heure normale de l'Est, UTC−5) à 3 h 30 (heure avancée de l'Est, UTC−4)",
		formatRange(nlu.French, spring, spring.Add(time.Hour), "America/Toronto"))
	// A zone without a usual name gives its offsets.
	paris := at(t, "2026-10-25T02:30:00+02:00")
	assert.Equal(t, "dimanche 25 octobre 2026, de 2 h 30 (fuseau Europe/Paris, UTC+2) à 2 h 30 (fuseau Europe/Paris, UTC+1)",
		formatRange(nlu.French, paris, paris.Add(time.Hour), "Europe/Paris"))
}

func TestUnknownZoneFallsBack(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	in := msg("programme une rencontre pour Jean Dupont demain à 14 h")
	in.TimeZone = "Mars/Olympus_Mons"
	st, _, _ := Step(State{}, in, now, Config{})
	in2 := result(Result{Kind: PeopleFound, People: []Person{jeanDupont}})
	in2.TimeZone = "Mars/Olympus_Mons"
	_, replies, _ := Step(st, in2, now, Config{})
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "de 14 h 00 à 15 h 00 (heure de l'Est)")
}

// stepInputs are messages and results thrown at every stage by the robustness tests.
var stepInputs = []Input{
	msg(""), msg("oui"), msg("non"), msg("2"), msg("0"), msg("99"), msg("annuler"), msg("aide"),
	msg("mes rencontres"), msg("annule la 3"), msg("renvoie la clé"), msg("demain à 14 h"), msg("14 h"),
	msg("pendant 5 minutes"), msg("titre : " + strings.Repeat("x", 300)), msg("marie@exemple.ca"),
	msg("en fait pour Marie"), msg("\xff\xfe<@all>"), msg(strings.Repeat("é", 2001)),
	result(Result{Kind: PeopleFound}), result(Result{Kind: PeopleFound, People: directory}),
	result(Result{Kind: PeopleFound, Err: &Failure{Kind: FailureUnavailable}}),
	result(Result{Kind: MeetingCreated}), result(Result{Kind: MeetingFailed}),
	result(Result{Kind: MeetingsListed}), result(Result{Kind: MeetingsListed, Meetings: []MeetingSummary{{Ref: "r"}}}),
	result(Result{Kind: MeetingsListed, Err: &Failure{Kind: FailureCredential}}),
	result(Result{Kind: MeetingCancelled}), result(Result{Kind: HostKeyResent, Err: &Failure{Kind: FailureNotFound}}),
	result(Result{Kind: "bogus"}),
}

func TestStepNeverPanicsAndStateRoundTrips(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	stages := []Stage{StageIdle, StageAskWho, StageResolving, StageChoosing, StageAskEmail, StageAskWhen,
		StageAskTime, StageAskDuration, StageAskTitle, StageConfirm, StageCreating, StageListing, StagePicking,
		StageConfirmCancel, StageCancelling, StageResending, "garbage"}
	for _, stage := range stages {
		for _, first := range stepInputs {
			for _, second := range stepInputs {
				st := State{Stage: stage, LastActive: now.UTC()} // a state with nothing in it
				st, _, _ = Step(st, first, now, Config{})
				st, _, _ = Step(st, second, now.Add(time.Minute), Config{})
				raw, err := json.Marshal(st)
				require.NoError(t, err)
				var back State
				require.NoError(t, json.Unmarshal(raw, &back))
				require.Equal(t, st, back)
			}
		}
	}
}

// afterDesignate reports whether a dialogue in stage s has its designate.
func afterDesignate(s Stage) bool {
	switch s {
	case StageAskWhen, StageAskTime, StageAskDuration, StageAskTitle, StageConfirm, StageCreating:
		return true
	}
	return false
}

func FuzzStep(f *testing.F) {
	for _, in := range stepInputs {
		for _, stage := range []Stage{StageConfirm, StageAskTitle, StageAskWhen} {
			f.Add(in.Text, string(stage))
		}
	}
	// Properties: a stage that comes after the designate is known never lacks one, a meeting is
	// never requested without its designate, and the state survives its JSON encoding (it is
	// stored between messages).
	f.Fuzz(func(t *testing.T, text, stage string) {
		now := time.Date(2026, 3, 8, 1, 30, 0, 0, time.UTC)
		st := State{Stage: Stage(stage), LastActive: now, Draft: Draft{Designate: &jeanDupont, Time: &nlu.Clock{Hour: 14}}}
		u := nlu.Parse(text, now, time.UTC)
		namesNobody := u.Designate == "" && u.Intent != nlu.IntentSchedule && u.Intent != nlu.IntentAbort &&
			u.Intent != nlu.IntentCancel && u.Intent != nlu.IntentList && u.Intent != nlu.IntentResend
		for i := range 2 {
			var eff []Effect
			before := st.Stage
			st, _, eff = Step(st, msg(text), now.Add(time.Duration(i)*time.Minute), Config{})
			if namesNobody && afterDesignate(before) && st.Stage != StageIdle &&
				(st.Draft.Designate == nil || st.Draft.Designate.Email != jeanDupont.Email) {
				t.Fatalf("%q, which names nobody, lost the designate (stage %q → %q)", text, before, st.Stage)
			}
			if afterDesignate(st.Stage) && (st.Draft.Designate == nil || st.Draft.Designate.Email == "") {
				t.Fatalf("stage %q after %q without a designate", st.Stage, text)
			}
			for _, e := range eff {
				if e.Kind == CreateMeeting && (e.Meeting == nil || e.Meeting.Designate.Email == "") {
					t.Fatalf("CreateMeeting without a designate after %q", text)
				}
			}
			if !utf8.ValidString(text) || !utf8.ValidString(stage) {
				continue // what Webex delivers is JSON, hence valid UTF-8
			}
			raw, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			var back State
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(st, back) {
				t.Fatalf("the state changes through JSON:\n%+v\n%+v", st, back)
			}
		}
	})
}

func TestBareNumbersAnswerTheQuestionAsked(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st, _, _ := Step(State{}, msg("programme une rencontre pour Jean Dupont demain à 14 h pendant 5 minutes"), now, Config{})
	require.Equal(t, StageAskDuration, st.Stage)
	st, _, eff := Step(st, msg("45"), now, Config{})
	require.Len(t, eff, 1)
	st, _, _ = Step(st, result(Result{Kind: PeopleFound, People: []Person{jeanDupont}}), now, Config{})
	require.Equal(t, StageConfirm, st.Stage)
	assert.Equal(t, 45*time.Minute, st.Draft.Duration)

	st = State{Stage: StageAskTitle, Lang: nlu.French, LastActive: now.UTC(), Draft: st.Draft}
	st, _, _ = Step(st, msg("oui"), now, Config{})
	assert.Equal(t, StageAskTitle, st.Stage, "« oui » is not a title")
	st, _, _ = Step(st, msg("Revue de mi-année"), now, Config{})
	assert.Equal(t, StageConfirm, st.Stage)
	assert.Equal(t, "Revue de mi-année", st.Draft.Title)
}
