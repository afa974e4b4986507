package conversations

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// cardLine is one thing the organizer does in a card scenario: type, or press a button of the
// last card (filling in its form first).
type cardLine struct {
	text     string
	press    string // the button's title
	values   map[string]string
	answered bool // the bot knows this card was pressed before
	first    bool // the person's first message in the 1:1 space
	card     map[string]any
}

type cardScenario struct {
	name, now string
	group     bool
	lines     []cardLine
}

var cardScenarios = []cardScenario{
	{name: "fr_form_submit_confirm_and_stale_click", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "formulaire"},
		{press: "Programmer", values: map[string]string{"who": "Marie Tremblay", "date": "2026-06-23", "time": "14:00", "duration": "90", "title": "Suivi de projet"}},
		{press: "Confirmer"},
		{press: "Confirmer", answered: true},
	}},
	{name: "fr_form_errors_come_back_in_the_form", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "programme une rencontre"},
		{press: "Programmer", values: map[string]string{"who": "Marie", "date": "2026-06-22", "time": "09:10", "duration": "60"}},
		{press: "Programmer", values: map[string]string{"who": "Marie", "date": "2026-06-22", "time": "13:00", "duration": "60"}},
		{press: "Programmer", values: map[string]string{"who": "Personne Inconnue", "date": "2026-06-22", "time": "13:00", "duration": "60"}},
		{press: "Programmer", values: map[string]string{"who": "marie.gagnon@exemple.ca", "date": "2026-06-22", "time": "13:00", "duration": "60"}},
		{press: "Modifier"},
		{press: "Programmer", values: map[string]string{"who": "marie.gagnon@exemple.ca", "date": "2026-06-22", "time": "15:30", "duration": "30", "title": "Point rapide"}},
		{text: "oui"},
	}},
	{name: "en_greeting_then_form", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "hi", first: true},
		{press: "Open the form"},
		{press: "Schedule", values: map[string]string{"who": "john.smith@example.com", "date": "2026-06-24", "time": "10:30", "duration": "60"}},
		{press: "Cancel"},
		{text: "hello"},
	}},
	{name: "fr_greeting_first_contact_only", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "bonjour", first: true},
		{text: "bonjour"},
		{text: "aide"},
	}},
	{name: "fr_series_changed_through_the_form", now: "2026-12-06T10:58:00-05:00", lines: []cardLine{
		{text: "programme une rencontre pour Jean Dupont chaque mardi à 10 h pendant 6 semaines"},
		{press: "Modifier"},
		{press: "Programmer", values: map[string]string{"who": "jean.dupont@exemple.ca", "date": "2026-12-08", "time": "11:00", "duration": "60", "title": "Hebdo"}},
		{press: "Modifier"},
		{press: "Programmer", values: map[string]string{"who": "jean.dupont@exemple.ca", "date": "2026-12-10", "time": "11:00", "duration": "60", "title": "Hebdo"}},
		{press: "Confirmer"},
	}},
	// « @Relais » alone or « @Relais bonjour » in a group space: the short greeting with the
	// form's button, never « Je n'ai pas compris ».
	{name: "fr_group_mention_alone_and_hello", now: "2026-06-22T09:00:00-04:00", group: true, lines: []cardLine{
		{text: ""},
		{text: "bonjour"},
		{press: "Ouvrir le formulaire"},
	}},
	{name: "en_group_hello", now: "2026-06-22T09:00:00-04:00", group: true, lines: []cardLine{
		{text: "hi"},
		{text: "hello Relais!"},
	}},
	// The change summary carries « Confirmer » / « Annuler », answered once like the others.
	{name: "fr_change_summary_buttons_and_stale_click", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "déplace la rencontre 1 à jeudi 15 h"},
		{press: "Confirmer"},
		{press: "Confirmer", answered: true},
	}},
	// A stale press of a change summary's button is told about the change, not about a new
	// meeting scheduled twice.
	{name: "en_change_summary_stale_click", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "move meeting 1 to Thursday at 3pm"},
		{press: "Confirm"},
		{press: "Confirm", answered: true},
	}},
	{name: "en_change_summary_cancel_button", now: "2026-06-22T09:00:00-04:00", lines: []cardLine{
		{text: "move meeting 2 to Friday at 10"},
		{text: "and call it Board"},
		{press: "Cancel"},
	}},
	{name: "en_group_form_and_summary_buttons", now: "2026-06-22T09:00:00-04:00", group: true, lines: []cardLine{
		{text: "form"},
		{press: "Schedule", values: map[string]string{"who": "John Smith", "date": "2026-06-23", "time": "16:00", "duration": "45"}},
		{press: "Change"},
		{press: "Schedule", values: map[string]string{"who": "John Smith", "date": "2026-06-23", "time": "16:30", "duration": "45"}},
		{press: "Confirm"},
	}},
}

func TestGoldenCardDialogues(t *testing.T) {
	t.Parallel()
	for _, cs := range cardScenarios {
		t.Run(cs.name, func(t *testing.T) {
			t.Parallel()
			p := &player{t: t, sc: scenario{name: cs.name, now: cs.now, tz: "America/Toronto", group: cs.group, cards: true}}
			p.now = mustTime(t, cs.now)
			p.cfg = DefaultConfig()
			p.ledger = sampleLedger(p.now, "America/Toronto")
			fmt.Fprintf(&p.out, "# %s\n# now %s, %s\n", cs.name, p.now.Format(time.RFC3339),
				map[bool]string{true: "group space", false: "1:1 space"}[cs.group])
			for _, l := range cs.lines {
				p.eventSeq++
				in := Input{EventID: fmt.Sprintf("msg-%d", p.eventSeq), FirstContact: l.first}
				if l.press != "" {
					require.NotNil(t, p.lastCard, "no card to press %q on", l.press)
					c := pressButton(t, p.lastCard, l.press, l.values)
					c.Answered = l.answered
					fmt.Fprintf(&p.out, "\n> Alex presses [%s]%s\n", l.press, map[bool]string{true: " (again)"}[l.answered])
					for _, k := range sortedKeys(l.values) {
						fmt.Fprintf(&p.out, "  %s = %q\n", k, l.values[k])
					}
					in.Card = &c
				} else {
					fmt.Fprintf(&p.out, "\n> Alex: %s\n", l.text)
					in.Text = l.text
				}
				_, effects := p.step(in)
				p.execute(effects)
				fmt.Fprintf(&p.out, "  [stage: %s]\n", stageName(p.st.Stage))
			}
			checkGolden(t, cs.name, p.out.String())
		})
	}
}

// pressButton finds the Action.Submit titled title on card and returns what Webex would hand
// over: the inputs, with the action's data merged in.
func pressButton(t *testing.T, card map[string]any, title string, values map[string]string) CardInput {
	t.Helper()
	for _, a := range card["actions"].([]any) {
		act := a.(map[string]any)
		if act["title"] != title {
			continue
		}
		inputs := map[string]string{}
		for k, v := range values {
			inputs[k] = v
		}
		for k, v := range act["data"].(map[string]any) {
			inputs[k] = v.(string)
		}
		c, ok := ParseCardInputs(inputs)
		require.True(t, ok)
		return c
	}
	t.Fatalf("no button %q on the card", title)
	return CardInput{}
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// renderCardForTest shows a card as a person sees it: its texts, facts, inputs (with their
// values) and buttons.
func renderCardForTest(card map[string]any) string {
	var b strings.Builder
	b.WriteString("  ┌ card (Adaptive Card " + fmt.Sprint(card["version"]) + ")\n")
	for _, e := range card["body"].([]any) {
		el := e.(map[string]any)
		switch el["type"] {
		case "TextBlock":
			prefix := ""
			if el["color"] == "attention" {
				prefix = "⚠ "
			}
			fmt.Fprintf(&b, "  │ %s%s\n", prefix, strings.ReplaceAll(fmt.Sprint(el["text"]), "\n", "\n  │ "))
		case "FactSet":
			for _, f := range el["facts"].([]any) {
				fm := f.(map[string]any)
				fmt.Fprintf(&b, "  │ %s: %s\n", fm["title"], fm["value"])
			}
		default:
			fmt.Fprintf(&b, "  │ %s [%s] %s = %q\n", el["label"], el["type"], el["id"], fmt.Sprint(el["value"]))
		}
	}
	var buttons []string
	for _, a := range card["actions"].([]any) {
		buttons = append(buttons, "["+fmt.Sprint(a.(map[string]any)["title"])+"]")
	}
	b.WriteString("  └ " + strings.Join(buttons, " ") + "\n")
	return b.String()
}
