package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// This file lets `relais demo` show a card as a readable form and fill it in from the terminal:
// « ! » fills in the last card (one prompt per input, then a choice of button), « !Confirmer »
// presses a button as the card stands.

// demoCard is the last card the bot showed the organizer.
type demoCard struct {
	messageID string
	card      map[string]any
}

// cardOf returns the Adaptive Card of a message, or nil.
func cardOf(m webextest.Message) map[string]any {
	for _, a := range m.Attachments {
		var card map[string]any
		if json.Unmarshal(a.Content, &card) == nil && card != nil {
			return card
		}
	}
	return nil
}

func asList(v any) []map[string]any {
	raw, _ := v.([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// cardInputs are the card's inputs, in order (containers included).
func cardInputs(card map[string]any) []map[string]any {
	var out []map[string]any
	var walk func(els []map[string]any)
	walk = func(els []map[string]any) {
		for _, el := range els {
			if strings.HasPrefix(str(el["type"]), "Input.") {
				out = append(out, el)
			}
			walk(asList(el["items"]))
			for _, col := range asList(el["columns"]) {
				walk(asList(col["items"]))
			}
		}
	}
	walk(asList(card["body"]))
	return out
}

// renderCard prints a card as a readable form.
func renderCard(w io.Writer, card map[string]any, fillable bool) {
	var walk func(els []map[string]any)
	walk = func(els []map[string]any) {
		for _, el := range els {
			switch t := str(el["type"]); {
			case t == "TextBlock":
				mark := ""
				if str(el["color"]) == "attention" {
					mark = "⚠ "
				}
				for _, line := range strings.Split(str(el["text"]), "\n") {
					fmt.Fprintf(w, "  ┃ %s%s\n", mark, line)
				}
			case t == "FactSet":
				for _, f := range asList(el["facts"]) {
					fmt.Fprintf(w, "  ┃ %s : %s\n", str(f["title"]), str(f["value"]))
				}
			case strings.HasPrefix(t, "Input."):
				fmt.Fprintf(w, "  ┃ %s : %s\n", inputLabel(el), shownValue(el))
			default:
				walk(asList(el["items"]))
				for _, col := range asList(el["columns"]) {
					walk(asList(col["items"]))
				}
			}
		}
	}
	walk(asList(card["body"]))
	var buttons []string
	for i, a := range asList(card["actions"]) {
		b := fmt.Sprintf("[%d. %s]", i+1, str(a["title"]))
		if str(a["type"]) == "Action.OpenUrl" {
			b = fmt.Sprintf("[%s → %s]", str(a["title"]), str(a["url"]))
		}
		buttons = append(buttons, b)
	}
	if len(buttons) > 0 {
		fmt.Fprintf(w, "  ┃ %s\n", strings.Join(buttons, " "))
	}
	if fillable {
		fmt.Fprintln(w, "  ┃ (« ! » pour remplir cette carte et appuyer sur un bouton · \"!\" to fill in this card and press a button)")
	}
}

func inputLabel(el map[string]any) string {
	l := str(el["label"])
	if l == "" {
		l = str(el["placeholder"])
	}
	if l == "" {
		l = str(el["id"])
	}
	switch str(el["type"]) {
	case "Input.Date":
		l += " (AAAA-MM-JJ / YYYY-MM-DD)"
	case "Input.Time":
		l += " (HH:MM)"
	}
	return l
}

func shownValue(el map[string]any) string {
	v := str(el["value"])
	if str(el["type"]) == "Input.ChoiceSet" {
		for _, c := range asList(el["choices"]) {
			if str(c["value"]) == v {
				return str(c["title"])
			}
		}
	}
	if v == "" {
		return "____"
	}
	return v
}

func hasSubmit(card map[string]any) bool {
	for _, a := range asList(card["actions"]) {
		if str(a["type"]) == "Action.Submit" {
			return true
		}
	}
	return false
}

// fillCard asks for each input (Enter keeps the value shown) then for a button, reading lines
// from next; press, when not empty, names the button and skips the inputs. It returns the
// submission's inputs, with the button's data merged in as Webex does.
func fillCard(w io.Writer, next func(prompt string) (string, bool), card map[string]any, press string) (map[string]any, bool) {
	inputs := map[string]any{}
	for _, el := range cardInputs(card) {
		id := str(el["id"])
		inputs[id] = str(el["value"])
		if press != "" {
			continue
		}
		var choices []map[string]any
		if str(el["type"]) == "Input.ChoiceSet" {
			choices = asList(el["choices"])
			var titles []string
			for i, c := range choices {
				titles = append(titles, fmt.Sprintf("%d. %s", i+1, str(c["title"])))
			}
			fmt.Fprintf(w, "  %s\n", strings.Join(titles, "  "))
		}
		line, ok := next(fmt.Sprintf("  %s [%s] ? ", inputLabel(el), shownValue(el)))
		if !ok {
			return nil, false
		}
		if line == "" {
			continue
		}
		inputs[id] = choiceValue(choices, line)
	}
	var submits []map[string]any
	for _, a := range asList(card["actions"]) {
		if str(a["type"]) == "Action.Submit" {
			submits = append(submits, a)
		}
	}
	if len(submits) == 0 {
		return nil, false
	}
	choice := press
	if choice == "" && len(submits) == 1 {
		choice = "1"
	}
	for choice == "" {
		var titles []string
		for i, a := range submits {
			titles = append(titles, fmt.Sprintf("%d. %s", i+1, str(a["title"])))
		}
		line, ok := next(fmt.Sprintf("  Bouton / button (%s) ? ", strings.Join(titles, ", ")))
		if !ok {
			return nil, false
		}
		choice = line
	}
	var pressed map[string]any
	if n, err := strconv.Atoi(choice); err == nil && n >= 1 && n <= len(submits) {
		pressed = submits[n-1]
	}
	for _, a := range submits {
		if pressed == nil && strings.EqualFold(str(a["title"]), strings.TrimSpace(choice)) {
			pressed = a
		}
	}
	if pressed == nil {
		fmt.Fprintf(w, "  (pas de bouton « %s » · no such button)\n", choice)
		return nil, false
	}
	fmt.Fprintf(w, "  → [%s]\n", str(pressed["title"]))
	if data, ok := pressed["data"].(map[string]any); ok {
		for k, v := range data {
			inputs[k] = v
		}
	}
	return inputs, true
}

// choiceValue reads an answer to a choice: its number, title or value.
func choiceValue(choices []map[string]any, line string) string {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choices) {
		return str(choices[n-1]["value"])
	}
	for _, c := range choices {
		if strings.EqualFold(str(c["title"]), line) {
			return str(c["value"])
		}
	}
	return line
}

// pressCard fills in the last card from the terminal and submits it as the organizer.
func (d *demo) pressCard(ctx context.Context, w io.Writer, in *bufio.Reader, interactive bool, as, line string) error {
	if d.card == nil || !hasSubmit(d.card.card) {
		fmt.Fprintln(w, "  (aucune carte à remplir · no card to fill in)")
		return nil
	}
	next := func(prompt string) (string, bool) {
		fmt.Fprint(w, prompt)
		raw, _, err := readDemoLine(in, maxDemoLine) // a field value too long is cut, as Webex would refuse it
		if err != nil && raw == "" {
			fmt.Fprintln(w)
			return "", false
		}
		s := strings.TrimSpace(raw)
		if !interactive {
			fmt.Fprintln(w, s)
		}
		return s, true
	}
	inputs, ok := fillCard(w, next, d.card.card, strings.TrimSpace(strings.TrimPrefix(line, "!")))
	if !ok {
		return nil
	}
	id, err := d.fake.SubmitCard(webextest.CardSubmission{From: as, MessageID: d.card.messageID, Inputs: inputs})
	if err != nil {
		return err
	}
	if !d.wait(ctx, id, 30*time.Second) {
		fmt.Fprintln(w, "(no answer within 30 s)")
	}
	return nil
}
