package conversations

import (
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// followDay makes a weekly series on one weekday follow a new day given as a correction: at the
// summary of « chaque mardi … », « plutôt jeudi » (or another date in the form) means every
// Thursday. Without it the first Tuesday after that Thursday was taken, a week later, and the
// day asked for was silently dropped. A monthly series on a day of the month (« chaque 15 du
// mois ») follows a new date the same way.
func (d *dialogue) followDay() {
	r, dr := d.st.Draft.Recurrence, d.st.Draft
	if r != nil && r.MonthDay > 0 && dr.Date != nil {
		// « plutôt le 20 » at the summary of « chaque 15 du mois »: every 20th.
		if day := nlu.Resolve(*dr.Date, nlu.Clock{Hour: 12}, d.now, d.loc).In(d.loc).Day(); day != r.MonthDay {
			nr := *r
			nr.MonthDay = day
			d.st.Draft.Recurrence = &nr
		}
		return
	}
	if r == nil || r.Freq != "weekly" || r.Nth != 0 || len(r.Days) != 1 || dr.Date == nil {
		return
	}
	day := nlu.Resolve(*dr.Date, nlu.Clock{Hour: 12}, d.now, d.loc).In(d.loc).Weekday()
	if day == r.Days[0] {
		return
	}
	nr := *r
	nr.Days = []time.Weekday{day}
	d.st.Draft.Recurrence = &nr
}
