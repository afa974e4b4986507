package conversations

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/conversations/nlu"
)

var own = Config{OwnAccount: true}

// roundTrip stores and reloads the state, as the bot does between turns.
func roundTrip(t *testing.T, st State) State {
	t.Helper()
	raw, err := json.Marshal(st)
	require.NoError(t, err)
	var out State
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

func prompt(now time.Time) *AccountInfo {
	return &AccountInfo{URL: "https://oauth-helper-r.wbx2.com/verify", URLComplete: "https://oauth-helper-r.wbx2.com/verify?userCode=abc",
		UserCode: "729703", ExpiresAt: now.Add(5 * time.Minute)}
}

func TestConfirmWaitsForTheOrganizersAccount(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st := toSummary(t, now)
	st, _, eff := Step(st, msg("oui"), now, own)
	require.Len(t, eff, 1)
	assert.Equal(t, EnsureAccount, eff[0].Kind, "the account first")
	assert.True(t, eff[0].Waiting)
	require.Equal(t, StageAccount, st.Stage)

	// Not connected: the code, in the 1:1 space.
	st, replies, eff := Step(st, result(Result{Kind: AccountNeeded, Account: prompt(now)}), now, own)
	assert.Empty(t, eff)
	require.Len(t, replies, 1)
	for _, want := range []string{"729703", "verify?userCode=abc", "Ce que Relais pourra faire", "Ce qu'il ne pourra pas faire", "5 minutes", "sans que vous ayez à la répéter"} {
		assert.Contains(t, replies[0].Markdown, want)
	}
	st = roundTrip(t, st)

	// A message meanwhile: the account is checked again; still not connected, the same code.
	st, replies, eff = Step(st, msg("alors ?"), now, own)
	require.Len(t, eff, 1)
	assert.Equal(t, EnsureAccount, eff[0].Kind)
	assert.Empty(t, replies)
	assert.Equal(t, StageAccount, st.Stage)
	st, replies, _ = Step(st, result(Result{Kind: AccountNeeded, Account: prompt(now)}), now, own)
	assert.Contains(t, replies[0].Markdown, "729703")
	_, replies, eff = Step(st, msg("aide"), now, own)
	assert.Empty(t, eff)
	assert.Contains(t, replies[0].Markdown, "J'attends que vous connectiez votre compte Webex")

	// Approved: the very request goes out, with the key of the confirmation.
	st, replies, eff = Step(roundTrip(t, st), result(Result{Kind: AccountConnected}), now.Add(time.Minute), own)
	require.Len(t, eff, 1)
	require.Equal(t, CreateMeeting, eff[0].Kind)
	assert.Equal(t, jeanDupont.Email, eff[0].Meeting.Designate.Email)
	assert.Equal(t, 14, eff[0].Meeting.Start.Hour())
	assert.NotEmpty(t, eff[0].Meeting.IdempotencyKey)
	assert.Equal(t, StageCreating, st.Stage)
	assert.Contains(t, replies[0].Markdown, "Votre compte Webex est connecté")
	st, _, _ = Step(st, result(Result{Kind: MeetingCreated, Meeting: &MeetingDetails{Title: "x", Designate: jeanDupont}}), now, own)
	assert.False(t, st.Active())
}

func TestConnectedAccountCreatesAtOnce(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st, _, eff := Step(toSummary(t, now), msg("oui"), now, own)
	require.Equal(t, EnsureAccount, eff[0].Kind)
	st, replies, eff := Step(st, result(Result{Kind: AccountReady}), now, own)
	require.Len(t, eff, 1)
	assert.Equal(t, CreateMeeting, eff[0].Kind)
	assert.Equal(t, StageCreating, st.Stage)
	assert.Empty(t, replies, "nothing to say yet")

	// Without own accounts, nothing changes.
	_, _, eff = Step(toSummary(t, now), msg("oui"), now, Config{})
	assert.Equal(t, CreateMeeting, eff[0].Kind)
}

func TestFailedConnectionGoesBackToTheSummary(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	for _, tc := range []struct {
		info AccountInfo
		want string
	}{
		{AccountInfo{Outcome: AccountWrongPerson, Approver: "marie@example.com"}, "accepté par **marie@example.com**, pas par vous"},
		{AccountInfo{Outcome: AccountDenied}, "Vous avez refusé"},
		{AccountInfo{Outcome: AccountExpired}, "Le code a expiré"},
		{AccountInfo{Outcome: AccountBroken}, "Webex a refusé"},
	} {
		st, _, _ := Step(toSummary(t, now), msg("oui"), now, own)
		st, _, _ = Step(st, result(Result{Kind: AccountNeeded, Account: prompt(now)}), now, own)
		info := tc.info
		st, replies, eff := Step(st, result(Result{Kind: AccountFailed, Account: &info}), now, own)
		assert.Empty(t, eff, "nothing created")
		require.Len(t, replies, 1)
		assert.Contains(t, replies[0].Markdown, tc.want)
		assert.Contains(t, replies[0].Markdown, "répondez « oui »")
		assert.Equal(t, StageConfirm, st.Stage)
		// « oui » asks for a new code.
		_, _, eff = Step(st, msg("oui"), now, own)
		require.Len(t, eff, 1)
		assert.Equal(t, EnsureAccount, eff[0].Kind)
	}
}

func TestAccountInAGroupSpaceIsPrivate(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	st, _, _ := Step(toSummary(t, now), msg("oui"), now, own)
	in := result(Result{Kind: AccountNeeded, Account: prompt(now)})
	in.Group = true
	_, replies, _ := Step(st, in, now, own)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Markdown, "Je vous ai écrit en privé")
	assert.NotContains(t, replies[0].Markdown, "729703")
	assert.NotContains(t, replies[0].Markdown, "userCode")
}

func TestAccountCommands(t *testing.T) {
	t.Parallel()
	now := at(t, monday)
	for text, want := range map[string]EffectKind{
		"connecte mon compte": EnsureAccount, "Connect my account": EnsureAccount, "connecter mon compte Webex": EnsureAccount,
		"déconnecte mon compte": DisconnectAccount, "disconnect my account": DisconnectAccount, "Déconnecter mon compte svp": DisconnectAccount,
	} {
		st, _, eff := Step(State{}, msg(text), now, own)
		require.Len(t, eff, 1, text)
		assert.Equal(t, want, eff[0].Kind, text)
		assert.False(t, eff[0].Waiting, text)
		assert.False(t, st.Active(), text)
	}
	// The results reach an ended dialogue in the command's language.
	_, replies, _ := Step(State{}, result(Result{Kind: AccountReady, Account: &AccountInfo{Lang: nlu.English}}), now, own)
	assert.Contains(t, replies[0].Markdown, "already connected")
	_, replies, _ = Step(State{}, result(Result{Kind: AccountDisconnected, Account: &AccountInfo{Lang: nlu.French}}), now, own)
	assert.Contains(t, replies[0].Markdown, "supprimé l'accès")
	_, replies, _ = Step(State{}, result(Result{Kind: AccountNeeded, Account: prompt(now)}), now, own)
	assert.NotContains(t, replies[0].Markdown, "sans que vous ayez à la répéter", "nothing waits")
	_, replies, _ = Step(State{}, result(Result{Kind: AccountConnected}), now, own)
	assert.Contains(t, replies[0].Markdown, "vos prochaines rencontres seront programmées à votre nom")

	// With a Service App there is nothing to connect.
	_, replies, eff := Step(State{}, msg("connecte mon compte"), now, Config{})
	assert.Empty(t, eff)
	assert.Contains(t, replies[0].Markdown, "aucun compte à connecter")

	// Abandoning while waiting.
	st, _, _ := Step(toSummary(t, now), msg("oui"), now, own)
	st, replies, eff = Step(st, msg("annuler"), now, own)
	assert.Empty(t, eff)
	assert.False(t, st.Active())
	assert.Contains(t, replies[0].Markdown, "rien n'a été créé")
	assert.Equal(t, "", accountCommand("programme une rencontre pour le comptable demain"))
}
