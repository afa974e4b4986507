package conversations

import (
	"fmt"
	"time"
)

// Issue 13: changing and handing over a meeting already scheduled, and the corrections at the
// summary that must be understood or answered plainly.
func init() {
	scenarios = append(scenarios,
		scenario{
			name: "fr_change_move_and_rename", now: monday,
			lines: []line{
				say("mes rencontres"),
				say("déplace la rencontre 1 à jeudi 15 h"),
				say("et change le titre pour Comité élargi"),
				say("finalement 2 heures"),
				say("oui"),
			},
		},
		scenario{
			name: "fr_change_lengthen_and_too_soon", now: monday,
			lines: []line{
				say("allonge la rencontre 2 de 30 minutes"),
				say("non"),
				say("plutôt aujourd'hui à 9 h 10"),
				say("appelle-la Bilan du trimestre"),
				say("oui"),
			},
		},
		scenario{
			name: "fr_change_shift", now: monday,
			lines: []line{
				say("décale la rencontre 2 d'une heure"),
				say("en fait avance-la plutôt de 30 minutes"),
				say("oui"),
			},
		},
		scenario{
			name: "en_change_shift", now: monday,
			lines: []line{
				say("push meeting 1 back 2 hours and call it Board"),
				say("yes"),
			},
		},
		scenario{
			name: "fr_hand_over", now: monday,
			lines: []line{
				say("donne la rencontre 1 à Jean"),
				say("oui"),
			},
		},
		scenario{
			name: "fr_hand_over_ask_who_then_abandon", now: monday,
			lines: []line{
				say("je voudrais confier ma rencontre à quelqu’un d’autre"),
				say("la 2"),
				say("Marie"),
				say("2"),
				say("annuler"),
			},
		},
		scenario{
			name: "en_change_and_hand_over", now: monday,
			lines: []line{
				say("move meeting 2 to Friday at 10"),
				say("actually give it to John Smith"),
				say("yes"),
			},
		},
		scenario{
			name: "en_change_nothing_then_rename", now: monday,
			lines: []line{
				say("change meeting 1"),
				say("call it Steering committee"),
				say("yes"),
			},
		},
		scenario{
			name: "fr_change_in_group_space", now: monday, group: true,
			lines: []line{
				say("déplace la rencontre 1 à jeudi 15 h"),
			},
		},
		scenario{
			name: "fr_corrections_in_context", now: monday,
			lines: []line{
				say("programme une rencontre pour Marie Tremblay hier à 10 h"),
				say("demain à 25 h"),
				say("à 10 h"),
				say("appelle-la Suivi"),
				say("mets-la à 11 h et change le titre pour Bilan"),
				say("allonge-la de 30 minutes"),
				say("en fait pour moi"),
				say("oui"),
			},
		},
		scenario{
			name: "en_corrections_in_context", now: monday,
			lines: []line{
				say("schedule a meeting for me tomorrow at 2pm"),
				say("Marie Tremblay"),
				say("about the budget"),
				say("actually 90 minutes"),
				say("push it back 30 minutes"),
				say("at 13pm"),
				say("yes"),
			},
		},
	)
}

// executeChange plays the bot's ChangeMeeting: the meeting as changed, the designate told.
func (p *player) executeChange(e Effect) Result {
	c := e.Change
	fmt.Fprintf(&p.out, "  effect: changeMeeting %s title=%q start=%s end=%s zone=%s designate=%s <%s> previous=%s lang=%s key=%s\n",
		c.Ref, c.Title, c.Start.Format(time.RFC3339), c.End.Format(time.RFC3339), c.TimeZone, c.Designate.Name(),
		c.Designate.Email, c.Previous.Name(), c.Lang, c.IdempotencyKey)
	d := fakeDetails(MeetingRequest{Title: c.Title, Start: c.Start, End: c.End, TimeZone: c.TimeZone,
		Organizer: c.Organizer, Designate: c.Designate}, 1)
	d.ID = c.Ref
	for i, m := range p.ledger {
		if m.Ref == c.Ref {
			p.ledger[i] = MeetingSummary{Ref: c.Ref, Title: c.Title, Start: c.Start, End: c.End, TimeZone: c.TimeZone, Designate: c.Designate}
		}
	}
	fmt.Fprintf(&p.out, "  result: meetingChanged designateNotified=true\n")
	return Result{Kind: MeetingChanged, Meeting: &d, DesignateNotified: true}
}
