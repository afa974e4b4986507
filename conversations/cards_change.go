package conversations

// The change summary's card (« déplace la rencontre 1 … »): what changes, with « Confirmer » and
// « Annuler », answered once like the schedule summary's card (the bot remembers a pressed card;
// a press on a card of an older version of the change is told it is stale).

// changeSummaryCard is the change shown, with « Confirmer » and « Annuler ».
func (d *dialogue) changeSummaryCard() map[string]any {
	l, m := d.lang(), *d.st.Chosen
	start, end, _ := d.changeTimes()
	facts := []any{fact(t(l, "Rencontre", "Meeting"), meetingLine(l, m))}
	for _, c := range changeItems(l, m, d.changed(start, end), true) {
		facts = append(facts, fact(c.label, c.before+" → "+c.after))
	}
	body := []any{
		textBlock(t(l, "Voici le changement que je vais faire", "Here is the change I'm about to make"), "bolder"),
		map[string]any{"type": "FactSet", "facts": facts},
	}
	tok := d.token()
	return adaptiveCard(body, []any{
		aboutChange(submit(t(l, "Confirmer", "Confirm"), CardConfirm, tok, l)),
		aboutChange(submit(t(l, "Annuler", "Cancel"), CardCancel, tok, l)),
	})
}

// aboutChange marks a button as a change summary's: pressed when stale, it is told so in
// words about a change, not about a new meeting.
func aboutChange(action map[string]any) map[string]any {
	action["data"].(map[string]any)["about"] = CardAboutChange
	return action
}

// onChangeCard takes a press on the change summary's card, once its token is checked.
func (d *dialogue) onChangeCard(action string) {
	if action == CardConfirm {
		d.confirmChange()
		return
	}
	d.reset()
	d.say(msgChangeDropped(d.lang()))
}
