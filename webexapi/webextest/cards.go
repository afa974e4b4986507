package webextest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Webex renders Adaptive Cards up to schema 1.3, with the elements and actions below; it refuses
// a message whose card it cannot render with a 400 (FACTS §7: "there are some elements and
// attributes that are not supported with Webex"; Action.Execute was found in no Webex source).
// Media and the 1.5 Table are left out as Webex's cards guide does not list them.
var (
	cardElements = map[string]bool{
		"TextBlock": true, "Image": true, "RichTextBlock": true, "TextRun": true,
		"Container": true, "ColumnSet": true, "Column": true, "FactSet": true, "ImageSet": true, "ActionSet": true,
		"Input.Text": true, "Input.Number": true, "Input.Date": true, "Input.Time": true,
		"Input.Toggle": true, "Input.ChoiceSet": true,
	}
	cardActions = map[string]bool{
		"Action.OpenUrl": true, "Action.Submit": true, "Action.ShowCard": true, "Action.ToggleVisibility": true,
	}
)

// maxCardVersion is the highest Adaptive Cards schema version Webex renders.
const maxCardVersion = 1.3

// checkCard returns why Webex would refuse the card content, or "".
func checkCard(content json.RawMessage) string {
	var card map[string]any
	if err := json.Unmarshal(content, &card); err != nil {
		return "the card is not a JSON object"
	}
	if card["type"] != "AdaptiveCard" {
		return `the card's type must be "AdaptiveCard"`
	}
	v, _ := card["version"].(string)
	n, err := strconv.ParseFloat(v, 64)
	switch {
	case v == "":
		return "" // the schema wants one, but Webex's refusal of a card without it is unverified
	case err != nil || n <= 0:
		return fmt.Sprintf("the card version %q is not a version", v)
	case n > maxCardVersion:
		return fmt.Sprintf("the card version %s is not supported (Webex supports up to %.1f)", v, maxCardVersion)
	}
	return checkCardParts(card, "card")
}

// checkCardParts walks the elements and actions under node.
func checkCardParts(node map[string]any, path string) string {
	for _, key := range []string{"body", "items", "columns", "inlines", "images"} {
		list, ok := node[key].([]any)
		if !ok {
			continue
		}
		for i, x := range list {
			el, ok := x.(map[string]any)
			if !ok {
				if key == "inlines" {
					if _, isText := x.(string); isText {
						continue
					}
				}
				return fmt.Sprintf("%s.%s[%d] is not an object", path, key, i)
			}
			where := fmt.Sprintf("%s.%s[%d]", path, key, i)
			t, _ := el["type"].(string)
			switch {
			case t == "" && key != "columns" && key != "images":
				return where + ` has no "type"`
			case t != "" && !cardElements[t]:
				return fmt.Sprintf("%s: unknown element type %q", where, t)
			}
			if msg := checkCardParts(el, where); msg != "" {
				return msg
			}
		}
	}
	var acts []any
	if list, ok := node["actions"].([]any); ok {
		acts = append(acts, list...)
	}
	for _, key := range []string{"selectAction", "inlineAction"} {
		if a, ok := node[key]; ok {
			acts = append(acts, a)
		}
	}
	for i, x := range acts {
		a, ok := x.(map[string]any)
		where := fmt.Sprintf("%s.actions[%d]", path, i)
		if !ok {
			return where + " is not an object"
		}
		t, _ := a["type"].(string)
		switch {
		case t == "":
			return where + ` has no "type"`
		case !cardActions[t]:
			return fmt.Sprintf("%s: unknown action type %q", where, t)
		}
		if sub, ok := a["card"].(map[string]any); ok && strings.HasSuffix(t, "ShowCard") {
			if msg := checkCardParts(sub, where+".card"); msg != "" {
				return msg
			}
		}
	}
	return ""
}
