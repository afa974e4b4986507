package conversations

import (
	"fmt"

	"github.com/relaisbot/relais/conversations/nlu"
)

// offList answers a number that is not on a numbered list of count choices (« 99 » when three
// people are listed): it is not on the list, and how many choices there are. It reports whether
// it answered; the caller shows the list again.
func (d *dialogue) offList(text string, count int) bool {
	n, isNum := d.u.Number, d.u.Number > 0
	if v, err := parseNumber(text); err == nil {
		n, isNum = v, true
	}
	if !isNum || (n >= 1 && n <= count) || count < 1 {
		return false
	}
	d.say(msgNotOnList(d.lang(), n, count))
	return true
}

func msgNotOnList(l nlu.Lang, n, count int) string {
	if count == 1 {
		return t(l,
			fmt.Sprintf("Le numéro %d n'est pas dans la liste : il n'y a qu'un choix, le 1.", n),
			fmt.Sprintf("Number %d is not on the list: there is only one choice, number 1.", n))
	}
	return t(l,
		fmt.Sprintf("Le numéro %d n'est pas dans la liste : répondez par un numéro de 1 à %d.", n, count),
		fmt.Sprintf("Number %d is not on the list: answer with a number from 1 to %d.", n, count))
}
