package conversations

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// This file holds the cards of the dialogue (Adaptive Cards 1.3, as Webex renders them): the
// form, the summary with its buttons, and how a press on one of their buttons moves the dialogue.
// A card always goes with a markdown reply, its fallback for clients that show no card.

// Card actions: the value of the "relais" key of an Action.Submit's data, which Webex merges
// into the submission's inputs.
const (
	CardOpenForm   = "openForm" // the greeting's button: show the form
	CardSubmitForm = "form"     // the form's button
	CardConfirm    = "confirm"  // the summary's « Confirmer »
	CardChange     = "change"   // the summary's « Modifier »: the form, filled in
	CardCancel     = "cancel"   // the summary's « Annuler »
)

// Input ids of the form card.
const (
	FieldWho      = "who"
	FieldDate     = "date"
	FieldTime     = "time"
	FieldDuration = "duration"
	FieldTitle    = "title"
)

// CardVersion is the Adaptive Cards schema version Relais writes: the highest Webex renders.
const CardVersion = "1.3"

// maxFormValue bounds the form's inputs other than the title (which has its own limit): an
// e-mail address has at most 254 characters.
const maxFormValue = 256

// durationChoices are the form's lengths, in minutes.
var durationChoices = []int{15, 30, 45, 60, 90, 120, 150, 180}

// FormValues are the form's inputs as submitted (Input.Date "2026-06-23", Input.Time "14:30",
// the duration in minutes).
type FormValues struct {
	Who      string `json:"who,omitempty"`
	Date     string `json:"date,omitempty"`
	Time     string `json:"time,omitempty"`
	Duration string `json:"duration,omitempty"`
	Title    string `json:"title,omitempty"`
}

// CardInput is a press on a button of one of Relais's cards.
type CardInput struct {
	// Action is one of the Card* constants.
	Action string
	// Token is the card's token: a summary card's is the request's revision it shows.
	Token string
	// Lang is the language the card was written in.
	Lang nlu.Lang
	// Values are the form's inputs (CardSubmitForm).
	Values FormValues
	// About is what the card is about when not a new meeting (CardAboutChange), so that a
	// stale press is told in words that fit.
	About string
	// Answered is set by the bot when this card was pressed before: a card is answered once.
	Answered bool
}

// CardAboutChange marks the buttons of a change summary (the "about" key of their data).
const CardAboutChange = "change"

// ParseCardInputs reads a card submission's inputs (Action.Submit data merged in). ok is false
// when the card is not one of the dialogue's (no "relais" key).
func ParseCardInputs(inputs map[string]string) (c CardInput, ok bool) {
	c.Action = inputs["relais"]
	if c.Action == "" {
		return CardInput{}, false
	}
	c.Token = inputs["card"]
	c.About = inputs["about"]
	if l := nlu.Lang(inputs["lang"]); l == nlu.French || l == nlu.English {
		c.Lang = l
	}
	c.Values = FormValues{
		Who:      strings.TrimSpace(inputs[FieldWho]),
		Date:     strings.TrimSpace(inputs[FieldDate]),
		Time:     strings.TrimSpace(inputs[FieldTime]),
		Duration: strings.TrimSpace(inputs[FieldDuration]),
		Title:    strings.TrimSpace(inputs[FieldTitle]),
	}
	return c, true
}

// token is the current request's revision, carried by its summary card.
func (d *dialogue) token() string { return fmt.Sprintf("%s#%d", d.st.DialogueID, d.st.Revision) }

// onCard handles a press on a card's button.
func (d *dialogue) onCard() {
	c := d.in.Card
	if d.st.Active() && d.now.Sub(d.st.LastActive) > d.cfg.IdleTimeout {
		d.say(msgExpired(d.lang(), d.st, d.cfg.IdleTimeout))
		d.reset()
	}
	if c.Lang != "" && (!d.st.Active() || c.Action == CardSubmitForm) {
		d.st.Lang = c.Lang
	}
	if c.Answered {
		d.say(msgCardStale(d.lang(), c.About))
		return
	}
	switch c.Action {
	case CardOpenForm:
		d.showForm(d.draftValues(), "", "")
	case CardSubmitForm:
		d.submitForm(c.Values)
	case CardConfirm, CardChange, CardCancel:
		// A change summary of a state that holds no change (stored by another version, say) is
		// stale, as onChanging treats it.
		if d.st.Stage == StageConfirmChange && c.Action != CardChange && c.Token == d.token() &&
			d.st.Chosen != nil && d.st.Change != nil {
			d.onChangeCard(c.Action) // cards_change.go
			return
		}
		if d.st.Stage != StageConfirm || c.Token != d.token() {
			d.say(msgCardStale(d.lang(), c.About))
			return
		}
		switch c.Action {
		case CardConfirm:
			d.create()
		case CardChange:
			d.showForm(d.draftValues(), "", "")
		default:
			d.abandon()
		}
	default:
		d.say(msgCardStale(d.lang(), c.About))
	}
}

// formRequest reports whether a message asks for the form (« formulaire », "form"), and in
// which language.
func formRequest(text string) (nlu.Lang, bool) {
	switch strings.Trim(fold(text), " .!?«»\"'") {
	case "formulaire", "le formulaire", "formulaire svp", "ouvre le formulaire":
		return nlu.French, true
	case "form", "the form", "form please", "open the form":
		return nlu.English, true
	}
	return "", false
}

// submitForm takes the form's values through the same validation, people look-up and summary
// as a typed request.
func (d *dialogue) submitForm(v FormValues) {
	if d.st.Stage == StageCreating || d.st.Stage == StageResolving {
		d.say(msgWorking(d.lang()))
		return
	}
	if d.st.Stage.scheduling() {
		// The form has no field for the repeat rule: a series changed through « Modifier »
		// stays a series (« finalement une seule fois » makes it one meeting).
		d.st.Stage, d.st.Draft, d.st.Candidates = StageAskWho, Draft{Recurrence: d.st.Draft.Recurrence}, nil
		d.st.Revision++
	} else {
		id := d.in.EventID
		if id == "" {
			id = fmt.Sprintf("%s@%d", d.in.Organizer.Email, d.now.UnixNano())
		}
		d.st = State{Stage: StageAskWho, Lang: d.st.Lang, DialogueID: id}
	}
	// A card's inputs are not bounded like a typed message: a pasted page in « Pour qui » would
	// be echoed back in a reply longer than Webex accepts, and the organizer would get nothing.
	// No name, address, date, time or length is that long anyway. The title (the card says 128
	// at most, but a client need not hold to it) is bounded like a typed message, so that it
	// is still told too long without a page of it kept in the state and sent back in the form.
	for _, f := range []*string{&v.Who, &v.Date, &v.Time, &v.Duration} {
		*f = truncateRunes(*f, maxFormValue)
	}
	v.Title = truncateRunes(v.Title, d.cfg.MaxMessage)
	form := v
	d.st.Form = &form
	dr := &d.st.Draft
	// The title, as a typed one (schedule.go), loses the invisible characters that could make
	// it read backwards in Webex.
	dr.Query, dr.Title = strings.TrimSpace(nlu.TrimRecurrence(v.Who)), strings.TrimSpace(StripInvisible(v.Title))
	if v.Date != "" {
		day, ok := parseFormDate(v.Date, d.now, d.loc)
		if !ok {
			d.st.Stage = StageAskWhen
			d.showForm(v, FieldDate, msgFormBadDate(d.lang()))
			return
		}
		dr.Date = &day
		d.followDay() // a series' day changed in the form: the series follows it
	}
	if v.Time != "" {
		c, ok := parseFormTime(v.Time, d.now, d.loc)
		if !ok {
			d.st.Stage = StageAskTime
			d.showForm(v, FieldTime, msgFormBadTime(d.lang()))
			return
		}
		dr.Time = &c
	}
	if v.Duration != "" {
		dur, ok := parseFormDuration(v.Duration, d.now, d.loc)
		if !ok {
			d.st.Stage = StageAskDuration
			d.showForm(v, FieldDuration, msgFormBadDuration(d.lang()))
			return
		}
		dr.Duration = dur
	}
	d.advance()
}

func parseFormDate(s string, now time.Time, loc *time.Location) (nlu.DateSpec, bool) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return nlu.DateSpec{Year: t.Year(), Month: t.Month(), Day: t.Day()}, true
	}
	// Typed by hand (a client without a date picker, the demo): the typed understanding.
	if u := nlu.Parse(s, now, loc); u.Date != nil && u.Time == nil {
		return *u.Date, true
	}
	return nlu.DateSpec{}, false
}

func parseFormTime(s string, now time.Time, loc *time.Location) (nlu.Clock, bool) {
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return nlu.Clock{Hour: t.Hour(), Minute: t.Minute()}, true
		}
	}
	if u := nlu.Parse(s, now, loc); u.Time != nil && u.Date == nil {
		return *u.Time, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 23 {
		return nlu.Clock{Hour: n}, true
	}
	return nlu.Clock{}, false
}

func parseFormDuration(s string, now time.Time, loc *time.Location) (time.Duration, bool) {
	// A number of minutes, bounded so that a pasted huge number does not overflow the duration
	// (and come back as a wrong length): 99,999 minutes is still told it is too long.
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 99999 {
		return time.Duration(n) * time.Minute, true
	}
	if u := nlu.Parse("pendant "+s, now, loc); u.Duration > 0 {
		return u.Duration, true
	}
	if u := nlu.Parse("for "+s, now, loc); u.Duration > 0 {
		return u.Duration, true
	}
	return 0, false
}

// draftValues fills the form with what the request under way says (empty without one).
func (d *dialogue) draftValues() FormValues {
	if !d.st.Stage.scheduling() {
		return FormValues{}
	}
	dr := d.st.Draft
	v := FormValues{Who: dr.Query, Title: dr.Title}
	if dr.Designate != nil {
		v.Who = dr.Designate.Email
	}
	if start, end, ok := d.times(); ok {
		v.Date, v.Time = start.Format("2006-01-02"), start.Format("15:04")
		v.Duration = strconv.Itoa(int(end.Sub(start) / time.Minute))
	} else {
		if dr.Time != nil {
			v.Time = fmt.Sprintf("%02d:%02d", dr.Time.Hour, dr.Time.Minute)
		}
		if dr.Date != nil && !dr.NeedDay {
			day := nlu.Resolve(*dr.Date, nlu.Clock{Hour: 23, Minute: 59}, d.now, d.loc).In(d.loc)
			v.Date = day.Format("2006-01-02")
		}
		if dr.Duration > 0 {
			v.Duration = strconv.Itoa(int(dr.Duration / time.Minute))
		}
	}
	if f := d.st.Form; f != nil {
		// What was typed in the form and could not be kept stays as typed.
		if v.Date == "" {
			v.Date = f.Date
		}
		if v.Time == "" {
			v.Time = f.Time
		}
		if v.Duration == "" {
			v.Duration = f.Duration
		}
	}
	return v
}

// showForm answers with the form, filled in with v, and problem said next to field.
func (d *dialogue) showForm(v FormValues, field, problem string) {
	l := d.lang()
	if problem != "" {
		d.say(problem)
	} else {
		d.say(msgFormFallback(l))
	}
	d.card = d.seriesNote(formCard(l, v, field, problem))
}

// seriesNote says on the form of a series being described that its repeat rule is kept, since
// the form has no field for it.
func (d *dialogue) seriesNote(card map[string]any) map[string]any {
	if !d.st.Stage.scheduling() || d.st.Draft.Recurrence == nil {
		return card
	}
	start, _, ok := d.times()
	if !ok {
		return card
	}
	r, _, ok := d.rule(start)
	if !ok {
		return card
	}
	l := d.lang()
	note := textBlock(t(l,
		"Répétition gardée : "+describeRule(l, r, start)+". Pour une seule rencontre, écrivez « finalement une seule fois ».",
		"Repeat kept: "+describeRule(l, r, start)+". For a single meeting, write \"just once after all\"."), "")
	body, _ := card["body"].([]any)
	if len(body) == 0 {
		return card
	}
	card["body"] = append([]any{body[0], note}, body[1:]...)
	return card
}

// decorate gives the step's reply its card: the summary's buttons (a change's too), the form again with the
// problem next to its field when the request is described with the form, the form offered when a
// typed request lacks the person or the day.
func (d *dialogue) decorate(stageBefore Stage) {
	if d.card != nil || len(d.said) == 0 {
		return
	}
	l := d.lang()
	switch st := d.st.Stage; {
	case st == StageConfirm && d.st.Draft.Designate != nil:
		d.card = d.summaryCard()
	case st == StageConfirmChange && d.st.Chosen != nil:
		d.card = d.changeSummaryCard()
	case d.st.Form != nil && isAskStage(st):
		field, problem := d.formProblem()
		d.card = d.seriesNote(formCard(l, d.formShown(), field, problem))
	case (st == StageAskWho || st == StageAskWhen) && st != stageBefore && d.in.Card == nil:
		d.card = formCard(l, d.draftValues(), "", "")
	}
}

// formShown is the form as last submitted, with what the dialogue settled since.
func (d *dialogue) formShown() FormValues {
	v := *d.st.Form
	if p := d.st.Draft.Designate; p != nil {
		v.Who = p.Email
	}
	return v
}

func isAskStage(s Stage) bool {
	switch s {
	case StageAskWho, StageChoosing, StageAskEmail, StageAskWhen, StageAskTime, StageAskDuration, StageAskTitle:
		return true
	}
	return false
}

// formProblem names the field the dialogue asks about and what is wrong with it, from what the
// step said (its last paragraph is the question, the ones before it the problem).
func (d *dialogue) formProblem() (field, problem string) {
	l := d.lang()
	switch d.st.Stage {
	case StageAskWho, StageAskEmail, StageChoosing:
		field = FieldWho
	case StageAskWhen:
		field = FieldDate
	case StageAskTime:
		field = FieldTime
	case StageAskDuration:
		field = FieldDuration
	case StageAskTitle:
		field = FieldTitle
	}
	if d.st.Stage == StageChoosing {
		return field, msgFormChoose(l, d.st.Draft.Query, d.st.Candidates)
	}
	if len(d.said) >= 2 {
		return field, strings.Join(d.said[:len(d.said)-1], " ")
	}
	return field, msgFormMissing(l, field)
}

// summaryCard is the summary with « Confirmer », « Modifier », « Annuler ».
func (d *dialogue) summaryCard() map[string]any {
	l := d.lang()
	start, end, _ := d.times()
	title, _ := d.title()
	facts := []any{
		fact(t(l, "Pour", "For"), personLine(*d.st.Draft.Designate)),
		fact(t(l, "Titre", "Title"), esc(title)),
		fact(t(l, "Quand", "When"), formatRange(l, start, end, d.zone)),
	}
	if r, _, ok := d.rule(start); ok {
		// Webex shows the card, not its markdown: a series must say so here too.
		facts = append(facts,
			fact(t(l, "Répétition", "Repeats"), describeRule(l, r, start)),
			fact(t(l, "Premières dates", "First dates"), firstDates(l, r, start)))
	}
	body := []any{
		textBlock(t(l, "Voici la rencontre que je vais programmer", "Here is the meeting I'm about to schedule"), "bolder"),
		map[string]any{"type": "FactSet", "facts": facts},
	}
	tok := d.token()
	actions := []any{
		submit(t(l, "Confirmer", "Confirm"), CardConfirm, tok, l),
		submit(t(l, "Modifier", "Change"), CardChange, tok, l),
		submit(t(l, "Annuler", "Cancel"), CardCancel, tok, l),
	}
	return adaptiveCard(body, actions)
}

// formCard is the request form, filled in with v; problem is shown under field.
func formCard(l nlu.Lang, v FormValues, field, problem string) map[string]any {
	body := []any{textBlock(t(l, "Programmer une rencontre pour une autre personne", "Schedule a meeting for someone else"), "bolder")}
	add := func(id string, input map[string]any) {
		input["id"] = id
		body = append(body, input)
		if id == field && problem != "" {
			body = append(body, map[string]any{"type": "TextBlock", "text": problem, "color": "attention", "wrap": true, "spacing": "none"})
		}
	}
	add(FieldWho, map[string]any{"type": "Input.Text", "label": t(l, "Pour qui (nom ou courriel)", "For whom (name or e-mail)"),
		"placeholder": "Marie Tremblay", "value": v.Who, "isRequired": true,
		"errorMessage": t(l, "Indiquez la personne", "Say who the meeting is for")})
	add(FieldDate, map[string]any{"type": "Input.Date", "label": t(l, "Date", "Date"), "value": v.Date})
	add(FieldTime, map[string]any{"type": "Input.Time", "label": t(l, "Heure de début", "Start time"), "value": v.Time})
	dur := v.Duration
	if dur == "" {
		dur = "60"
	}
	choices := []any{}
	known := false
	for _, m := range durationChoices {
		choices = append(choices, map[string]any{"title": formatDuration(l, time.Duration(m)*time.Minute), "value": strconv.Itoa(m)})
		known = known || strconv.Itoa(m) == dur
	}
	if n, err := strconv.Atoi(dur); err == nil && n > 0 && !known {
		choices = append(choices, map[string]any{"title": formatDuration(l, time.Duration(n)*time.Minute), "value": dur})
	}
	add(FieldDuration, map[string]any{"type": "Input.ChoiceSet", "label": t(l, "Durée", "Length"), "style": "compact",
		"value": dur, "choices": choices})
	add(FieldTitle, map[string]any{"type": "Input.Text", "label": t(l, "Titre (facultatif)", "Title (optional)"),
		"value": v.Title, "maxLength": 128})
	return adaptiveCard(body, []any{submit(t(l, "Programmer", "Schedule"), CardSubmitForm, "", l)})
}

// openFormCard is a card with a single button that opens the form (the greeting's).
func openFormCard(l nlu.Lang, text string) map[string]any {
	return adaptiveCard([]any{textBlock(text, "")}, []any{submit(t(l, "Ouvrir le formulaire", "Open the form"), CardOpenForm, "", l)})
}

func adaptiveCard(body, actions []any) map[string]any {
	return map[string]any{
		"type":    "AdaptiveCard",
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"version": CardVersion,
		"body":    body,
		"actions": actions,
	}
}

func textBlock(text, weight string) map[string]any {
	b := map[string]any{"type": "TextBlock", "text": text, "wrap": true}
	if weight != "" {
		b["weight"] = weight
	}
	return b
}

func fact(title, value string) map[string]any { return map[string]any{"title": title, "value": value} }

func submit(title, action, token string, l nlu.Lang) map[string]any {
	data := map[string]any{"relais": action, "lang": string(l)}
	if token != "" {
		data["card"] = token
	}
	return map[string]any{"type": "Action.Submit", "title": title, "data": data}
}
