package conversations

import (
	"fmt"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// msgLate opens the answer to a message handled late: Relais was unavailable since the message
// was written (since, in the organizer's zone), and the message is handled as of now.
func msgLate(l nlu.Lang, since, now time.Time) string {
	when := formatClock(l, since)
	if y, m, d := since.Date(); y != now.Year() || m != now.Month() || d != now.Day() {
		when = t(l, formatDay(l, since)+" à "+when, formatDay(l, since)+" at "+when)
	}
	return t(l,
		fmt.Sprintf("Désolé du délai : Relais était indisponible depuis %s. Je traite votre message maintenant : les heures et les délais comptent à partir de maintenant.", when),
		fmt.Sprintf("Sorry for the delay: Relais was unavailable since %s. I am handling your message now: times and deadlines count from now.", when))
}
