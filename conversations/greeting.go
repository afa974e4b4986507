package conversations

import (
	"strings"

	"github.com/relaisbot/relais/conversations/nlu"
)

// GreetingMessage is what Relais says when it is added to a group space (group true), or to
// someone who writes to it for the first time in a 1:1 space: who it is, how to ask it, and a
// card whose button opens the form. botName is how people mention it in a group space.
func GreetingMessage(l nlu.Lang, group bool, botName string) (markdown string, card map[string]any) {
	md := msgGreeting(l, group, botName)
	return md, openFormCard(l, md)
}

// greetingLang tells the language of a greeting word (« bonjour », "hi"), which is too short for
// the general guess.
func greetingLang(text string, def nlu.Lang) nlu.Lang {
	w := strings.Trim(fold(text), " .!?,")
	w = strings.Trim(strings.TrimSuffix(strings.TrimSuffix(w, "relais"), "@"), " .!?,") // « bonjour Relais »
	switch w {
	case "hi", "hello", "hey", "hi there", "hello there", "good morning", "good afternoon":
		return nlu.English
	case "bonjour", "salut", "allo", "bonsoir", "coucou", "bon matin":
		return nlu.French
	}
	return def
}

// greet answers a first message in a 1:1 space that is no request: the greeting, in the
// person's language.
func (d *dialogue) greet(text string) {
	d.st.Lang = greetingLang(text, d.lang())
	md, card := GreetingMessage(d.lang(), false, "")
	d.say(md)
	d.card = card
}

// greetGroup answers, in a group space, a mention of Relais with nothing else (« @Relais ») or
// with a greeting (« @Relais bonjour »): the short greeting of a group space, with the form's
// button. It never holds a secret. It reports whether it answered.
func (d *dialogue) greetGroup(text string) bool {
	if !d.in.Group || len(d.in.Mentions) > 0 {
		return false
	}
	l := greetingLang(text, "")
	if text != "" && l == "" {
		return false
	}
	if l != "" {
		d.st.Lang = l
	}
	md, card := GreetingMessage(d.lang(), true, "")
	d.say(md)
	d.card = card
	return true
}
