package conversations

// A number that is not on a numbered list is said to be so, with how many choices there are:
// people found by name, meetings to cancel, the new designate of a hand-over.
func init() {
	scenarios = append(scenarios,
		scenario{
			name: "fr_choice_not_on_the_list", now: monday,
			lines: []line{
				say("planifie une rencontre pour Marie demain à 10 h"),
				say("99"),
				say("la 2"),
				say("oui"),
			},
		},
		scenario{
			name: "en_pick_not_on_the_list", now: monday,
			lines: []line{
				say("cancel a meeting"),
				say("5"),
				say("0"),
				say("1"),
				say("no"),
			},
		},
		scenario{
			name: "fr_hand_over_choice_not_on_the_list", now: monday,
			lines: []line{
				say("donne la rencontre 2 à Marie"),
				say("3"),
				say("1"),
				say("annuler"),
			},
		},
	)
}
